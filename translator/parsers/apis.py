"""API Gateway wiring: which functions an API's routes and authorizers invoke.

Both readings of a template go through here: the SAM one (``AWS::Serverless::Api``/``HttpApi``
``DefinitionBody``, ``Auth.Authorizers``, ``AWS::Serverless::WebSocketApi`` routes) and the
CloudFormation one (``AWS::ApiGateway::RestApi``/``AWS::ApiGatewayV2::Api`` ``Body``, ``Method``,
``Route`` + ``Integration`` and ``Authorizer`` resources). A route that invokes a function becomes an
``api``, ``httpapi`` or ``websocket`` event; an authorizer function gets an ``authorizer`` event, so
that both readings of one template find the same triggers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from translator.graph import Event, Resource
from translator.values import Arr, If, Join, Obj, Ref, Str, Sub, loc_of

#: kinds whose source is an API (the Permission that lets the API invoke the function is implied)
API_KINDS = frozenset({"api", "httpapi", "websocket", "authorizer"})
REST_TYPES = frozenset({"AWS::ApiGateway::RestApi", "AWS::Serverless::Api"})
V2_TYPES = frozenset({"AWS::ApiGatewayV2::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::WebSocketApi"})
_ANY = "x-amazon-apigateway-any-method"
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "any", _ANY})

FunctionOf = Callable[[Any], "str | None"]


def unless(value: Any) -> Any:
    """The value an ``Fn::If`` keeps when its condition holds (or the other branch when that is NoValue)."""
    while isinstance(value, If):
        no_value = isinstance(value.if_true, Ref) and value.if_true.target == "AWS::NoValue"
        value = value.if_false if no_value else value.if_true
    return value


def api_kind(resource: Resource | None) -> str:
    """``api`` for a REST API, ``websocket`` for a WebSocket API, ``httpapi`` for an HTTP API."""
    if resource is None or resource.type in REST_TYPES:
        return "api"
    if resource.type == "AWS::Serverless::WebSocketApi":
        return "websocket"
    protocol = resource.properties.get("ProtocolType")
    if isinstance(protocol, str) and str(protocol).upper() == "WEBSOCKET":
        return "websocket"
    return "httpapi"


def route_key(method: Any, path: Any) -> tuple[str, str]:
    """A comparable (method, path) pair: ANY and the OpenAPI any-method are one; ``$default`` is any path.

    >>> route_key("GET", "/pets"), route_key(_ANY, "$default"), route_key(None, None)
    (('get', '/pets'), ('any', '$default'), ('any', '$default'))
    """
    m = str(method).lower() if isinstance(method, str) else "any"
    p = str(path) if isinstance(path, str) else "$default"
    return ("any" if m == _ANY else m), p


def body_of(resource: Resource) -> Obj | None:
    body = resource.properties.get(
        "DefinitionBody" if resource.type.startswith("AWS::Serverless") else "Body"
    )
    return body if isinstance(body, Obj) else None


def _event(
    name: str, kind: str, aws_type: str, function: str, items: dict[str, Any], loc: Any, api: Resource
) -> Event:
    return Event(
        name=name,
        kind=kind,
        aws_type=aws_type,
        function=function,
        properties=Obj(items, loc),
        loc=loc,
        source=Ref(api.logical_id, loc=api.loc),
        source_id=api.logical_id,
        declared_by=api.logical_id,
    )


def _id_property(kind: str) -> str:
    return "RestApiId" if kind == "api" else "ApiId"


def body_routes(api: Resource, function_of: FunctionOf) -> Iterator[Event]:
    """One event per OpenAPI operation whose integration invokes a function of the template."""
    body = body_of(api)
    paths = body.get("paths") if body is not None else None
    if not isinstance(paths, Obj):
        return
    kind = api_kind(api)
    for path, operations in paths.items():
        operations = unless(operations)  # SAM wraps a conditional function's routes in Fn::If
        if not isinstance(operations, Obj):
            continue
        for method, operation in operations.items():
            operation = unless(operation)
            if str(method).lower() not in _METHODS or not isinstance(operation, Obj):
                continue
            integration = operation.get("x-amazon-apigateway-integration")
            if not isinstance(integration, Obj):
                continue
            function = function_of(unless(integration.get("uri")))
            if function is None:
                continue
            m, p = route_key(method, path)
            items: dict[str, Any] = {
                "Path": Str(p, loc_of(operation)),
                "Method": Str(m, loc_of(operation)),
                _id_property(kind): Ref(api.logical_id, loc=api.loc),
            }
            security = operation.get("security")
            schemes = [
                k for s in (security if isinstance(security, Arr) else ()) if isinstance(s, Obj) for k in s
            ]
            if schemes:
                items["Auth"] = Obj({"Authorizer": Str(schemes[0])})
            yield _event(
                f"{api.logical_id}{m.capitalize()}{p}",
                kind,
                f"{api.type}.Route",
                function,
                items,
                loc_of(operation, api.loc),
                api,
            )


def body_authorizers(api: Resource, function_of: FunctionOf) -> Iterator[Event]:
    """Lambda authorizers declared in an OpenAPI body (securityDefinitions or components.securitySchemes)."""
    body = body_of(api)
    if body is None:
        return
    schemes = body.get("securityDefinitions")
    components = body.get("components")
    if not isinstance(schemes, Obj) and isinstance(components, Obj):
        schemes = components.get("securitySchemes")
    if not isinstance(schemes, Obj):
        return
    for name, scheme in schemes.items():
        authorizer = scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, Obj) else None
        if not isinstance(authorizer, Obj):
            continue
        function = function_of(authorizer.get("authorizerUri"))
        if function is not None:
            yield authorizer_event(api, name, function, loc_of(scheme, api.loc))


def authorizer_event(api: Resource, name: str, function: str, loc: Any) -> Event:
    return _event(
        f"{api.logical_id}{name}Authorizer",
        "authorizer",
        f"{api.type}.Authorizer",
        function,
        {"Authorizer": Str(name), "ApiId": Ref(api.logical_id, loc=api.loc)},
        loc,
        api,
    )


def sam_auth_authorizers(api: Resource, function_of: FunctionOf) -> Iterator[Event]:
    """``Auth.Authorizers.<name>.FunctionArn`` of a SAM Api/HttpApi, ``Auth.AuthArn`` of a WebSocketApi."""
    auth = api.properties.get("Auth")
    if not isinstance(auth, Obj):
        return
    if api.type == "AWS::Serverless::WebSocketApi":
        function = function_of(auth.get("AuthArn"))
        if function is not None:
            yield authorizer_event(api, "Connect", function, loc_of(auth, api.loc))
        return
    authorizers = auth.get("Authorizers")
    if not isinstance(authorizers, Obj):
        return
    for name, body in authorizers.items():
        if isinstance(body, Obj):
            function = function_of(body.get("FunctionArn"))
            if function is not None:
                yield authorizer_event(api, name, function, loc_of(body, api.loc))


def websocket_routes(api: Resource, function_of: FunctionOf) -> Iterator[Event]:
    """``Routes`` of an ``AWS::Serverless::WebSocketApi``: route key -> FunctionArn."""
    routes = api.properties.get("Routes")
    if not isinstance(routes, Obj):
        return
    for key, body in routes.items():
        if not isinstance(body, Obj):
            continue
        function = function_of(body.get("FunctionArn"))
        if function is None:
            continue
        items = {"RouteKey": Str(key), "ApiId": Ref(api.logical_id, loc=api.loc)}
        yield _event(
            f"{api.logical_id}{key.strip('$')}",
            "websocket",
            f"{api.type}.Route",
            function,
            items,
            body.loc,
            api,
        )


def method_event(method: Resource, by_id: dict[str, Resource], function_of: FunctionOf) -> Event | None:
    """An ``AWS::ApiGateway::Method`` whose integration invokes a function."""
    props = method.properties
    integration = props.get("Integration")
    if not isinstance(integration, Obj):
        return None
    function = function_of(integration.get("Uri"))
    api = by_id.get(ref_id(props.get("RestApiId")) or "")
    if function is None or api is None:
        return None
    verb = props.get("HttpMethod")
    m, _ = route_key(verb, None)
    items = {
        "Path": Str(resource_path(props.get("ResourceId"), by_id), method.loc),
        "Method": Str(m, method.loc),
        "RestApiId": Ref(api.logical_id, loc=api.loc),
    }
    auth = props.get("AuthorizationType")
    if (isinstance(auth, str) and str(auth).upper() != "NONE") or props.get("ApiKeyRequired") is True:
        items["Auth"] = Obj({"Authorizer": Str(str(auth) if isinstance(auth, str) else "API_KEY")})
    event = _event(method.logical_id, "api", method.type, function, items, method.loc, api)
    return Event(**{**event.__dict__, "declared_by": method.logical_id})


def resource_path(resource_id: Any, resources: dict[str, Resource]) -> str:
    """The path of an ``AWS::ApiGateway::Resource`` chain (``/`` for the root resource)."""
    parts: list[str] = []
    seen: set[str] = set()
    current = ref_id(resource_id)
    while current and current in resources and resources[current].type == "AWS::ApiGateway::Resource":
        if current in seen:
            break
        seen.add(current)
        props = resources[current].properties
        part = props.get("PathPart")
        parts.append(str(part) if isinstance(part, str) else "{param}")
        current = ref_id(props.get("ParentId"))
    return "/" + "/".join(reversed(parts))


def v2_route_event(route: Resource, by_id: dict[str, Resource], function_of: FunctionOf) -> Event | None:
    """An ``AWS::ApiGatewayV2::Route`` whose target integration invokes a function."""
    props = route.properties
    api = by_id.get(ref_id(props.get("ApiId")) or "")
    integration = by_id.get(ref_id(props.get("Target")) or "")
    if api is None or integration is None or integration.type != "AWS::ApiGatewayV2::Integration":
        return None
    function = function_of(integration.properties.get("IntegrationUri"))
    if function is None:
        return None
    kind = api_kind(api)
    key = props.get("RouteKey")
    items: dict[str, Any] = {"ApiId": Ref(api.logical_id, loc=api.loc)}
    if kind == "websocket":
        items["RouteKey"] = key
    else:
        method, _, path = str(key).partition(" ") if isinstance(key, str) else ("ANY", "", "$default")
        m, p = route_key(method if path else "ANY", path or "$default")
        items["Path"] = Str(p, route.loc)
        items["Method"] = Str(m, route.loc)
    auth = props.get("AuthorizationType")
    if isinstance(auth, str) and str(auth).upper() != "NONE":
        items["Auth"] = Obj({"Authorizer": Str(str(auth))})
    event = _event(route.logical_id, kind, route.type, function, items, route.loc, api)
    return Event(**{**event.__dict__, "declared_by": route.logical_id})


def quick_create_event(api: Resource, function_of: FunctionOf) -> Event | None:
    """``AWS::ApiGatewayV2::Api`` with ``Target``: quick create makes a ``$default`` route to it."""
    function = function_of(api.properties.get("Target"))
    if function is None:
        return None
    items = {"Path": Str("$default"), "Method": Str("any"), "ApiId": Ref(api.logical_id, loc=api.loc)}
    return _event(f"{api.logical_id}Default", api_kind(api), api.type, function, items, api.loc, api)


def ref_id(value: Any) -> str | None:
    """The logical id inside a Ref, a GetAtt, or a Join/Sub that wraps exactly one of them."""
    from translator.values import GetAtt

    if isinstance(value, Ref):
        return value.target
    if isinstance(value, GetAtt):
        return value.resource
    parts: tuple[Any, ...] = ()
    if isinstance(value, Sub):
        parts = value.parts
    elif isinstance(value, Join) and isinstance(value.items, Arr):
        parts = tuple(value.items)
    ids = [i for p in parts if (i := ref_id(p)) and not i.startswith("AWS::")]
    return ids[0] if len(ids) == 1 else None


def graphql_events(api: Resource, function_of: FunctionOf) -> Iterator[Event]:
    """Functions an AppSync API invokes: Lambda authorizers and Lambda data sources."""
    props = api.properties
    found: list[tuple[str, Any]] = []  # (name, value naming the function)
    if api.type == "AWS::Serverless::GraphQLApi":
        auth = props.get("Auth")
        providers = [auth] if isinstance(auth, Obj) else []
        if isinstance(auth, Obj) and isinstance(auth.get("Additional"), Arr):
            providers += [a for a in auth["Additional"] if isinstance(a, Obj)]
        for index, provider in enumerate(providers):
            lambda_auth = provider.get("LambdaAuthorizer")
            if isinstance(lambda_auth, Obj):
                found.append((f"Authorizer{index or ''}", lambda_auth.get("AuthorizerUri")))
        sources = props.get("DataSources")
        lambdas = sources.get("Lambda") if isinstance(sources, Obj) else None
        for name, body in (lambdas if isinstance(lambdas, Obj) else Obj()).items():
            if isinstance(body, Obj):
                found.append((name, body.get("FunctionArn")))
    elif api.type == "AWS::AppSync::GraphQLApi":
        configs = [props.get("LambdaAuthorizerConfig")]
        extra = props.get("AdditionalAuthenticationProviders")
        configs += [
            a.get("LambdaAuthorizerConfig")
            for a in (extra if isinstance(extra, Arr) else ())
            if isinstance(a, Obj)
        ]
        for index, config in enumerate(configs):
            if isinstance(config, Obj):
                found.append((f"Authorizer{index or ''}", config.get("AuthorizerUri")))
    for name, value in found:
        function = function_of(value)
        if function is not None:
            yield _event(
                f"{api.logical_id}{name}",
                "appsync",
                api.type,
                function,
                {"ApiId": Ref(api.logical_id)},
                api.loc,
                api,
            )


def appsync_data_source_event(
    source: Resource, by_id: dict[str, Resource], function_of: FunctionOf
) -> Event | None:
    """An ``AWS::AppSync::DataSource`` of type AWS_LAMBDA."""
    config = source.properties.get("LambdaConfig")
    api = by_id.get(ref_id(source.properties.get("ApiId")) or "")
    function = function_of(config.get("LambdaFunctionArn")) if isinstance(config, Obj) else None
    if function is None or api is None:
        return None
    event = _event(
        source.logical_id, "appsync", source.type, function, {"ApiId": Ref(api.logical_id)}, source.loc, api
    )
    return Event(**{**event.__dict__, "declared_by": source.logical_id})
