"""What an API Gateway API or a function URL contributes to the HTTP triggers that replace it.

Routes come from the event (``{id}`` kept, ``{proxy+}`` to ``{*proxy}``); authentication from the
event and the API's ``Auth`` (a protected route keeps a function key, LF3013); CORS from the API's
``Cors``/``CorsConfiguration`` or the URL's ``Cors`` goes to the site's ``siteConfig.cors``; the
API settings that have no trigger counterpart (stage name, custom domain, binary media types, stage
variables, usage plans) are reported once per API (LF3032); a route served twice by one app is
reported (LF3033). SAM's implicit APIs (``ServerlessRestApi``, ``ServerlessHttpApi``) resolve to
the host name of the app that serves their routes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from weakref import WeakKeyDictionary

from translator.bicep import Ident, Prop, interp
from translator.graph import Event, Resource
from translator.mapping.context import Builder, Target
from translator.parsers.sam import merge_globals
from translator.values import Arr, Loc, Obj, Ref, Sub

SAM_APIS = frozenset({"AWS::Serverless::Api", "AWS::Serverless::HttpApi"})
IMPLICIT_APIS = {"api": "ServerlessRestApi", "httpapi": "ServerlessHttpApi"}

#: API property -> what to do instead (reported once per API)
_API_SETTINGS = {
    "StageName": "the stage name is not part of the Azure URL: routes are served at https://<app host>/<path> "
    "(host.json extensions.http.routePrefix is empty)",
    "Domain": "add the custom domain to the function app (or to Front Door / API Management) with a "
    "managed certificate",
    "BinaryMediaTypes": "Azure Functions passes binary bodies through unchanged: drop base64 decoding in the "
    "handler",
    "Variables": "stage variables become app settings: read them from the environment",
    "StageVariables": "stage variables become app settings: read them from the environment",
    "MethodSettings": "throttling and caching per method need API Management policies",
    "CacheClusterEnabled": "response caching needs API Management or Front Door caching",
    "AccessLogSetting": "access logs go to Application Insights requests",
    "AccessLogSettings": "access logs go to Application Insights requests",
    "DefaultRouteSettings": "throttling needs API Management rate-limit policies",
    "RouteSettings": "throttling needs API Management rate-limit policies",
    "MinimumCompressionSize": "compression is negotiated by the App Service front end",
    "Models": "request validation moves into the handler or API Management validate-content",
    "DefinitionUri": "the OpenAPI file outside the template is not read: add HTTP triggers for the routes it "
    "integrates with functions",
    "GatewayResponses": "custom error responses need API Management or handler code",
    "EndpointConfiguration": "private or edge endpoints become private endpoints or Front Door",
}

_state: WeakKeyDictionary[Builder, dict[str, Any]] = WeakKeyDictionary()


def seen(b: Builder, kind: str) -> set[Any]:
    # per-conversion memory without adding state to the Builder other mappers share
    return _state.setdefault(b, {}).setdefault(kind, set())


_GLOBALS_SECTION = {"AWS::Serverless::Api": "Api", "AWS::Serverless::HttpApi": "HttpApi"}


def api_resource(b: Builder, event: Event) -> Resource | None:
    """The SAM API serving an event, with SAM Globals merged in; SAM's implicit API when it has globals."""
    resource = b.graph.resource(event.source_id) if event.source_id else None
    if resource is None and event.kind in IMPLICIT_APIS and not event.source_id:
        if event.properties.get("RestApiId", event.properties.get("ApiId")) is not None:
            return None  # a literal API id: an API outside the template
        implicit_type = "AWS::Serverless::Api" if event.kind == "api" else "AWS::Serverless::HttpApi"
        section = _globals(b, implicit_type)
        return Resource(IMPLICIT_APIS[event.kind], implicit_type, section, None) if section else None
    if resource is None or resource.type not in SAM_APIS:
        return None
    section = _globals(b, resource.type)
    if not section:
        return resource
    merged = {k: merge_globals(section[k], v) if k in section else v for k, v in resource.properties.items()}
    merged.update({k: v for k, v in section.items() if k not in merged})
    return Resource(resource.logical_id, resource.type, Obj(merged, resource.properties.loc), resource.loc)


def _globals(b: Builder, resource_type: str) -> Obj:
    sam_globals = b.graph.sam_globals
    section = sam_globals.get(_GLOBALS_SECTION[resource_type]) if isinstance(sam_globals, Obj) else None
    return section if isinstance(section, Obj) else Obj()


def is_protected(event_auth: Any, api: Resource | None) -> bool:
    """Whether the route requires authentication: the event's Auth, else its API's defaults.

    An event's ``Authorizer: NONE`` opts out of the API's default authorizer, but not of an API key the
    API requires unless the event says ``ApiKeyRequired: false``.
    """
    api_auth = api.properties.get("Auth") if api is not None else None
    api_auth = api_auth if isinstance(api_auth, Obj) else Obj()
    if isinstance(event_auth, Obj):
        authorizer = event_auth.get("Authorizer")
        if authorizer is not None and not (isinstance(authorizer, str) and str(authorizer) == "NONE"):
            return True
        key = event_auth.get("ApiKeyRequired", api_auth.get("ApiKeyRequired"))
        if key is True:
            return True
        if authorizer is not None:
            return False  # Authorizer: NONE
    elif event_auth is not None:
        return True
    default = api_auth.get("DefaultAuthorizer")
    if default is not None and not (isinstance(default, str) and str(default) == "NONE"):
        return True
    return api_auth.get("ApiKeyRequired") is True


def _strip_quotes(value: str) -> str:
    # API Gateway REST CORS values are header values in single quotes: "'https://example.com'"
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == "'" else value


#: CORS keys App Service CORS cannot express, by where they are written -> what they restrict. The
#: Functions host on Flex answers preflights for any method and header (CorsOptionsSetup: AllowAnyHeader,
#: AllowAnyMethod) and sends neither Access-Control-Expose-Headers nor Access-Control-Max-Age.
_CORS_LIMITS = {
    "url": {"AllowMethods": "methods", "AllowHeaders": "headers", "ExposeHeaders": "expose", "MaxAge": "age"},
    "event": {"headers": "headers", "methods": "methods", "maxAge": "age", "cacheControl": "cache"},
    "AWS::Serverless::HttpApi": {
        "AllowMethods": "methods",
        "AllowHeaders": "headers",
        "ExposeHeaders": "expose",
        "MaxAge": "age",
    },
    "AWS::Serverless::Api": {"AllowMethods": "methods", "AllowHeaders": "headers", "MaxAge": "age"},
}
_CORS_WIDER = {
    "methods": "the allowed methods {} become any method",
    "headers": "the allowed headers {} become any header",
    "expose": "the exposed headers {} are not exposed (no Access-Control-Expose-Headers)",
    "age": "the preflight max age {} is not sent (browsers cache preflights for their default time)",
    "cache": "the preflight Cache-Control {} is not sent",
}


def cors_source(api: Resource | None, event: Event) -> tuple[Any, str, str] | None:
    """The CORS configuration serving an event: (config, kind of source, who wrote it), or None.

    The kind is ``url``, ``event`` (a serverless.yml http event's cors) or the SAM API type; who wrote it is
    ``the function URL``, ``the event`` or ``API 'Id'``.
    """
    if event.kind == "url":
        config = event.properties.get("Cors")
        return (config, "url", "the function URL") if isinstance(config, Obj) else None
    own = event.properties.get("Cors")
    if own is True or isinstance(own, Obj):
        return own, "event", "the event"
    if api is None:
        return None
    key = "CorsConfiguration" if api.type == "AWS::Serverless::HttpApi" else "Cors"
    config = api.properties.get(key)
    if config is None or config is False:
        return None
    return config, api.type, f"API '{api.logical_id}'"


def cors_of(api: Resource | None, event: Event) -> tuple[list[str], bool] | None:
    """(allowed origins, allow credentials) from a SAM Api/HttpApi or a function URL, or None."""
    found = cors_source(api, event)
    if found is None:
        return None
    config, kind, _ = found
    if config is True:
        return ["*"], False
    if kind == "url" and isinstance(config, Obj):
        return _texts(config.get("AllowOrigins")), config.get("AllowCredentials") is True
    if kind == "event" and isinstance(config, Obj):
        origins = _texts(config.get("origins")) or _texts(config.get("origin")) or ["*"]
        return origins, config.get("allowCredentials") is True
    if kind == "AWS::Serverless::HttpApi":
        if isinstance(config, Obj):
            return _texts(config.get("AllowOrigins")), config.get("AllowCredentials") is True
        return None
    if isinstance(config, str):
        return [_strip_quotes(str(config))], False
    if isinstance(config, Obj):
        origin = config.get("AllowOrigin")
        origins = [_strip_quotes(str(origin))] if isinstance(origin, str) else []
        return origins, config.get("AllowCredentials") is True
    return None


def site_cors(origins: list[str], credentials: bool) -> tuple[tuple[str, ...], bool]:
    """What an API's CORS becomes in ``siteConfig.cors``: its origins, and credentials unless '*' is one."""
    return tuple(sorted(set(origins))), credentials and "*" not in origins


def function_cors(b: Builder, events: Iterable[Event]) -> frozenset[tuple[tuple[str, ...], bool]] | None:
    """The site CORS each of a function's HTTP events needs (((), False): none); None: no HTTP event.

    Functions whose values differ cannot share an app without one's routes answering the other's origins.
    """
    triggers = b.tables.triggers["triggers"]
    result: set[tuple[tuple[str, ...], bool]] = set()
    http = False
    for event in events:
        if (triggers.get(event.kind) or {}).get("handler") != "http":
            continue
        http = True
        found = cors_of(api_resource(b, event), event)
        result.add(site_cors(*found) if found is not None and found[0] else ((), False))
    return frozenset(result) if http else None


def shared_cors(app: frozenset[tuple[tuple[str, ...], bool]], own: tuple[tuple[str, ...], bool]) -> list[str]:
    """What the app's CORS allows an event beyond its own (``app``: what each HTTP event of the app needs).

    core._group keeps functions with different CORS apart, so this is a function whose own HTTP events
    differ, or a route without CORS in an app whose other routes have some.
    """
    origins = sorted({o for origins, _ in app for o in origins} - set(own[0]))
    wider = []
    if origins:
        wider.append(f"the app's CORS also allows {', '.join(origins)} (for its other HTTP events)")
    if not own[1] and any(credentials for _, credentials in app):
        wider.append("the app's CORS also allows credentials (for its other HTTP events)")
    return wider


def describe_cors(value: frozenset[tuple[tuple[str, ...], bool]]) -> str:
    """A function's site CORS in words, for the grouping reason and LF2031."""
    parts = [
        (", ".join(origins) or "no CORS") + (" with credentials" if credentials else "")
        for origins, credentials in sorted(value)
    ]
    return "; ".join(parts)


def _texts(value: Any) -> list[str]:
    items: Iterable[Any] = value if isinstance(value, Arr) else (value,)
    return [str(v) for v in items if isinstance(v, str)]


def _shown(value: Any) -> str | None:
    """A CORS list or header value as text, or None when it allows everything ('*')."""
    if isinstance(value, Arr):
        texts = [_strip_quotes(str(v)) if isinstance(v, str) else "(computed)" for v in value]
    elif isinstance(value, str):
        texts = [t.strip() for t in _strip_quotes(str(value)).split(",")]
    elif isinstance(value, bool):
        return None
    elif isinstance(value, (int, float)):
        return str(value)
    else:
        texts = ["(computed)"]
    return None if "*" in texts else ", ".join(texts)


def cors_limits(config: Any, kind: str) -> tuple[list[str], Loc | None]:
    """What App Service CORS allows beyond (or leaves out of) an API's CORS, and where the first is written."""
    if not isinstance(config, Obj):
        return [], None
    items: list[str] = []
    where: Loc | None = None
    for key, what in _CORS_LIMITS.get(kind, {}).items():
        shown = _shown(config[key]) if key in config else None
        if shown is None:
            continue
        items.append(_CORS_WIDER[what].format(shown))
        where = where or config.loc_of(key)
    return items, where


def add_cors(
    b: Builder, cors: dict[str, Any], found: tuple[list[str], bool], event: Event, fn: str
) -> list[str]:
    """Merge an API's CORS into the app's ``siteConfig.cors``; what the merge allows beyond the API's CORS.

    Origins add up; App Service refuses credentials with the origin '*', so those are not allowed.
    """
    origins, credentials = found
    before = list(cors.get("allowedOrigins", []))
    merged = before + [o for o in origins if o not in before]
    if not origins:
        b.finding(
            "LF3032",
            f"event '{event.name}': the CORS origins are not literal, so no CORS origin is configured",
            event.loc,
            fn,
            "Add the allowed origins to the app's siteConfig.cors.",
        )
    cors["allowedOrigins"] = merged
    wider: list[str] = []
    if credentials and "*" in merged:
        wider.append(
            "credentials are not allowed: App Service refuses supportCredentials with the origin '*'"
        )
        credentials = False
    if credentials:
        cors["supportCredentials"] = True
    return wider


def report_api_settings(b: Builder, api: Resource, fn: str) -> None:
    """LF3032 once per API for each setting that has no HTTP trigger counterpart."""
    reported = seen(b, "apis")
    if api.logical_id in reported:
        return
    reported.add(api.logical_id)
    props = api.properties
    for key, advice in _API_SETTINGS.items():
        if key in props and not (key == "StageName" and api.type == "AWS::Serverless::HttpApi"):
            b.finding("LF3032", f"API '{api.logical_id}' {key}: {advice}", props.loc_of(key), api.logical_id)
    auth = props.get("Auth")
    if isinstance(auth, Obj) and "ResourcePolicy" in auth:
        b.finding(
            "LF3032",
            f"API '{api.logical_id}' resource policy: IP ranges and VPC endpoint rules become App Service access "
            "restrictions (siteConfig.ipSecurityRestrictions) or private endpoints",
            auth.loc_of("ResourcePolicy"),
            api.logical_id,
        )
    if isinstance(auth, Obj) and "UsagePlan" in auth:
        b.finding(
            "LF3032",
            f"API '{api.logical_id}' usage plan: quotas and throttling per API key need API Management "
            "products and subscriptions",
            auth.loc_of("UsagePlan"),
            api.logical_id,
        )


def check_duplicate(b: Builder, site: str, methods: list[str], route: str, event: Event, fn: str) -> None:
    """LF3033 when one app already serves the route with one of the methods (no methods: all of them)."""
    served: dict[tuple[str, str], set[str]] = _state.setdefault(b, {}).setdefault("routes", {})  # type: ignore[assignment]
    key = (site, route.lower())
    wanted = set(methods) or {"*"}
    taken = served.setdefault(key, set())
    if taken and ("*" in taken or "*" in wanted or taken & wanted):
        shown = ", ".join(sorted(m.upper() for m in wanted)) if methods else "any method"
        b.finding(
            "LF3033",
            f"event '{event.name}': the route '/{route}' ({shown}) is already served by another function "
            "of this app; the Functions host rejects or shadows one of them",
            event.loc,
            fn,
            "Give one of the routes another path, or put the functions in separate apps.",
        )
    taken |= wanted


def register_implicit_apis(b: Builder, sites: dict[str, str]) -> None:
    """Make ``ServerlessRestApi``/``ServerlessHttpApi`` referable: the app serving their routes.

    ``sites`` maps function logical ids to their app's site symbol. ``Ref`` gives the host name (where
    an execute-api host name would be), ``Url`` the https base URL of the app's HTTP routes.
    """
    if b.graph.format != "sam":
        return
    serving: dict[str, set[str]] = {}  # API logical id -> the sites serving its routes
    for fn in b.graph.functions:
        for event in fn.events:
            api_id = event.source_id or (IMPLICIT_APIS.get(event.kind) if not event.source_id else None)
            if api_id and event.kind in IMPLICIT_APIS and fn.logical_id in sites:
                serving.setdefault(api_id, set()).add(sites[fn.logical_id])
    for fn in b.graph.functions:
        for event in fn.events:
            implicit = IMPLICIT_APIS.get(event.kind)
            if (
                not implicit
                or event.source_id
                or event.properties.get("RestApiId", event.properties.get("ApiId"))
            ):
                continue
            if b.graph.resource(implicit) is not None:
                continue
            _register_api(
                b,
                implicit,
                sites.get(fn.logical_id),
                f"SAM's implicit API, served by the app of {fn.logical_id}",
            )
    for fn in b.graph.functions:
        for event in fn.events:
            api = api_resource(b, event)
            if api is not None:
                _register_api(b, api.logical_id, sites.get(fn.logical_id), f"{api.type} {api.logical_id}")
    for api_id, apps in sorted(serving.items()):
        if len(apps) > 1 and api_id in b.targets:
            b.finding(
                "LF3032",
                f"API '{api_id}' routes are served by {len(apps)} function apps, each on its own host name; "
                f"references to the API resolve to {b.targets[api_id].symbol}",
                None,
                api_id,
                "Put Azure Front Door or API Management in front of the apps to keep one host name.",
            )


def route_prefix(b: Builder) -> str:
    """The URL path before every route: ``/`` plus host.json's routePrefix (empty: API Gateway paths)."""
    prefix = str(b.tables.settings["host_json"]["http_route_prefix"]).strip("/")
    return f"/{prefix}/" if prefix else "/"


def _register_api(b: Builder, name: str, site: str | None, description: str) -> None:
    """The first app serving an API's routes stands for the API in expressions."""
    if site is None or name in b.targets:
        return
    host = Prop(Ident(site), ("properties", "defaultHostName"))
    url = interp("https://", host, route_prefix(b).rstrip("/"))
    # an interpolated string, so that an output of the Ref has a known type
    b.targets[name] = Target(site, "Microsoft.Web/sites", description, {"Ref": interp(host), "Url": url})


def execute_api_url(node: Sub, b: Builder) -> Sub | None:
    """``https://${Api}.execute-api.${AWS::Region}.amazonaws.com/<stage>/<path>`` for an API this
    conversion serves from a function app, rewritten to ``https://${Api}/<path>`` (``Ref`` of such an
    API is the app's host name; the stage of a REST API is not part of Azure routes). None otherwise."""
    parts = list(node.parts)
    for i, part in enumerate(parts):
        if not (
            isinstance(part, Ref)
            and part.target in b.targets
            and (b.graph.resource(part.target) is None or b.graph.resource(part.target).type in SAM_APIS)
        ):  # type: ignore[union-attr]
            continue
        rest = parts[i + 1 :]
        text = "".join(
            p if isinstance(p, str) else "\0" + (p.target if isinstance(p, Ref) else "?") for p in rest
        )
        for suffix in ("\0AWS::Region.amazonaws.com", "\0AWS::Region.\0AWS::URLSuffix"):
            head = ".execute-api." + suffix
            if not text.startswith(head):
                continue
            tail = text[len(head) :]
            if "\0" in tail:
                return None
            resource = b.graph.resource(part.target)
            rest_api = part.target == "ServerlessRestApi" or (
                resource is not None and resource.type == "AWS::Serverless::Api"
            )
            segments = tail.lstrip("/").split("/", 1)
            path = (segments[1] if len(segments) > 1 else "") if rest_api else tail.lstrip("/")
            return Sub((*parts[: i + 1], route_prefix(b) + path), loc=node.loc)
    return None
