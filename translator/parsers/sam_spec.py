"""Check SAM resources against the SAM specification, as AWS's SAM translator does before it deploys.

A template the translator rejects cannot be deployed, so the user hears about it here: a property name
that ``AWS::Serverless::*`` resources, their events or a Globals section do not take (LF0012, with the
closest right spelling), a value of the wrong kind (a list where SAM wants a mapping, an OpenAPI path
that is not a mapping: LF4018), properties SAM refuses together (LF0014), and an
``AWS::Serverless::Api`` whose CORS allows credentials from any origin (LF3035). The property names and
kinds are data: ``mappings/sam_properties.yaml``, derived from the SAM JSON schema.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import yaml

from translator.findings import Finding
from translator.graph import Resource
from translator.mapping.tables import data_dir
from translator.values import Arr, Intrinsic, Loc, Obj, Str, loc_of

#: a spec entry: "any", a kind, a list of kinds, or a mapping (an object whose keys are checked too)
Spec = Any


@lru_cache(maxsize=1)
def sam_spec() -> dict[str, Any]:
    """The property table: resources, function_events, state_machine_events, globals."""
    with (data_dir() / "sam_properties.yaml").open(encoding="utf-8") as handle:
        return dict(yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def check(resources: tuple[Resource, ...], globals_: Any, findings: list[Finding]) -> None:
    """Add the findings for every SAM resource (and the Globals sections) that SAM would reject."""
    spec = sam_spec()
    for resource in resources:
        properties = spec["resources"].get(resource.type)
        if properties is None:
            continue
        where = f"{resource.type} '{resource.logical_id}'"
        if resource.type == "AWS::Serverless::Function":
            properties = {**properties, "Events": "any"}  # sam.py reports Events that are not a mapping
        findings += _object(resource.properties, properties, "", where, resource.logical_id)
        events = spec["function_events"] if resource.type == "AWS::Serverless::Function" else None
        if resource.type == "AWS::Serverless::StateMachine":
            events = spec["state_machine_events"]
        if events is not None:
            findings += _events(resource, events)
    if isinstance(globals_, Obj):
        findings += _globals(globals_, spec["globals"])
    findings += _cors_credentials(resources, globals_)
    findings += _combinations(resources, globals_, spec)
    for resource in resources:
        if resource.type == "AWS::Serverless::Api":
            findings += _gateway_responses(resource)
        body = resource.properties.get("DefinitionBody")
        if resource.type in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi") and isinstance(body, Obj):
            findings += _openapi(body, resource.logical_id)


def _events(resource: Resource, spec: dict[str, Any]) -> Iterator[Finding]:
    events = resource.properties.get("Events")
    if not isinstance(events, Obj):
        return
    for name, body in events.items():
        if not isinstance(body, Obj) or not isinstance(body.get("Type"), str):
            continue  # sam.py reports an event without a literal Type
        properties = spec.get(str(body["Type"]))
        if isinstance(properties, dict) and isinstance(body.get("Properties"), Obj):
            where = f"event '{name}' ({body['Type']}) of '{resource.logical_id}'"
            yield from _object(body["Properties"], properties, "", where, resource.logical_id)


def _globals(globals_: Obj, spec: dict[str, list[str]]) -> Iterator[Finding]:
    for section, body in globals_.items():
        # Globals.Function is checked key by key where the functions read it (sam.py, LF0006)
        if section == "Function" or section not in spec or not isinstance(body, Obj):
            continue
        allowed = spec[section]
        for key in body:
            if key not in allowed:
                yield Finding.of(
                    "LF0012",
                    f"Globals.{section}.{key} is not a property SAM takes in Globals{_did_you_mean(key, allowed)}",
                    body.loc_of(key),
                )


def _object(value: Obj, spec: dict[str, Spec], path: str, where: str, resource: str) -> Iterator[Finding]:
    """Unknown keys of ``value`` (LF0012) and values of the wrong kind (LF4018), recursively."""
    for key, item in value.items():
        name = f"{path}{key}"
        loc = loc_of(item, value.loc_of(key))
        if key not in spec or key == "_or":
            yield Finding.of(
                "LF0012",
                f"{where}: '{name}' is not a property SAM defines{_did_you_mean(key, spec)}; SAM rejects "
                "the template",
                value.loc_of(key) or loc,
                resource,
            )
            continue
        expected = spec[key]
        if isinstance(expected, dict):
            if isinstance(item, Obj):
                yield from _object(item, expected, f"{name}.", where, resource)
                continue
            expected = ["object", *expected.get("_or", [])]
        wrong = _wrong_kind(item, expected)
        if wrong is not None:
            yield Finding.of(
                "LF4018",
                f"{where}: '{name}' is {wrong} where SAM expects {_kinds_text(expected)}; SAM rejects the "
                "template",
                loc,
                resource,
            )


def _kind(value: Any) -> str | None:
    """The kind of a literal, or None for an intrinsic function (its value is known at deployment)."""
    if isinstance(value, Intrinsic):
        return None
    if isinstance(value, Obj):
        return "object"
    if isinstance(value, Arr):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return "string"


def _wrong_kind(value: Any, expected: Spec) -> str | None:
    """A description of ``value`` when its kind is not one ``expected`` allows, else None."""
    allowed = {expected} if isinstance(expected, str) else set(expected)
    kind = _kind(value)
    # an empty value (Events: with nothing after it) is taken by SAM as the property not being set
    if "any" in allowed or kind in (None, "null") or kind in allowed:
        return None
    scalars = {"string", "number", "boolean"}
    # CloudFormation hands scalars over as text: 'true' or 5 where SAM wants a string are accepted;
    # only text that is not a boolean where a boolean is required is reported
    boolean_only = allowed & scalars == {"boolean"}
    if (
        kind in scalars
        and allowed & scalars
        and not (boolean_only and str(value).lower() not in ("true", "false"))
    ):
        return None
    names = {"object": "a mapping", "array": "a list", "string": "text", "number": "a number"}
    if kind == "string" and isinstance(value, Str):
        return f"'{value}'"
    return names.get(kind, f"a {kind}")


def _kinds_text(expected: Spec) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "text", "boolean": "true or false"}
    kinds = [expected] if isinstance(expected, str) else list(expected)
    return " or ".join(names.get(k, f"a {k}") for k in kinds)


def _did_you_mean(key: str, names: Any) -> str:
    names = [n for n in names if n != "_or"]
    close = difflib.get_close_matches(key, sorted(names), n=1, cutoff=0.75)
    if not close:
        lowered = {str(n).lower(): str(n) for n in names}
        close = [lowered[key.lower()]] if key.lower() in lowered else []
    return f" (did you mean '{close[0]}'?)" if close else ""


def _cors_credentials(resources: tuple[Resource, ...], globals_: Any) -> Iterator[Finding]:
    """SAM refuses an Api whose Cors allows credentials while AllowOrigin is '*' or not set."""
    api_globals = globals_.get("Api") if isinstance(globals_, Obj) else None
    global_cors = api_globals.get("Cors") if isinstance(api_globals, Obj) else None
    for resource in resources:
        if resource.type != "AWS::Serverless::Api":
            continue
        cors = resource.properties.get("Cors", global_cors)
        if not isinstance(cors, Obj) or cors.get("AllowCredentials") is not True:
            continue
        origin = cors.get("AllowOrigin")
        if origin is None or (isinstance(origin, str) and str(origin).strip("'\"") == "*"):
            shown = "is not set" if origin is None else f"is {origin}"
            loc: Loc | None = cors.loc_of("AllowCredentials") or cors.loc
            yield Finding.of(
                "LF3035",
                f"API '{resource.logical_id}': Cors AllowCredentials is true while AllowOrigin {shown}; SAM "
                "rejects the template and browsers refuse credentials from a wildcard origin",
                loc,
                resource.logical_id,
            )


def _combinations(resources: tuple[Resource, ...], globals_: Any, spec: dict[str, Any]) -> Iterator[Finding]:
    """LF0014: properties SAM rejects together, or without an inline DefinitionBody."""
    fn_globals = globals_.get("Function") if isinstance(globals_, Obj) else None
    for resource in resources:
        props = resource.properties
        inline_only = spec["inline_definition_only"].get(resource.type, ())
        if "DefinitionUri" in props and "DefinitionBody" not in props:
            for key in inline_only:
                if key in props:
                    yield Finding.of(
                        "LF0014",
                        f"{resource.type} '{resource.logical_id}': {key} works only with an inline "
                        "DefinitionBody, not with DefinitionUri; SAM rejects the template",
                        props.loc_of(key),
                        resource.logical_id,
                    )
        for rule in spec["exclusive"]:
            if rule["type"] != resource.type:
                continue
            where: Any = props
            for step in rule["path"]:
                where = where.get(step) if isinstance(where, Obj) else None
            present = [k for k in rule["properties"] if isinstance(where, Obj) and k in where]
            if (
                resource.type == "AWS::Serverless::Function"
                and isinstance(fn_globals, Obj)
                and not rule["path"]
            ):
                present += [k for k in rule["properties"] if k in fn_globals and k not in present]
            if len(present) == len(rule["properties"]):
                prefix = ".".join(rule["path"]) + "." if rule["path"] else ""
                names = " and ".join(f"'{prefix}{k}'" for k in present)
                # at the one written last: that is where the conflict appears
                locs = [where.loc_of(k) for k in present if isinstance(where, Obj) and k in where]
                loc = max((x for x in locs if x is not None), key=lambda x: x.line, default=resource.loc)
                yield Finding.of(
                    "LF0014",
                    f"{resource.type} '{resource.logical_id}': {names} cannot be used together; SAM rejects "
                    "the template",
                    loc,
                    resource.logical_id,
                )


_HTTP_METHODS = (
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "x-amazon-apigateway-any-method",
)


def _openapi(body: Obj, resource: str) -> Iterator[Finding]:
    """LF4018 for the parts of an inline OpenAPI document SAM reads that are not mappings."""

    def wrong(where: str, value: Any, loc: Loc | None) -> Finding:
        shown = "empty" if value is None else _wrong_kind(value, "object") or "not a mapping"
        return Finding.of(
            "LF4018",
            f"API '{resource}' DefinitionBody: {where} is {shown} where OpenAPI requires a mapping; SAM "
            "rejects the template",
            loc_of(value, loc),
            resource,
        )

    for key in ("securityDefinitions", "x-amazon-apigateway-endpoint-configuration"):
        if key in body and _bad_mapping(body[key]):
            yield wrong(key, body[key], body.loc_of(key))
    servers = body.get("servers")
    for index, server in enumerate(servers if isinstance(servers, Arr) else ()):
        key = "x-amazon-apigateway-endpoint-configuration"
        if isinstance(server, Obj) and key in server and _bad_mapping(server[key]):
            yield wrong(f"servers[{index}].{key}", server[key], server.loc_of(key))
    paths = body.get("paths")
    if not isinstance(paths, Obj):
        return
    for path, item in paths.items():
        if _bad_mapping(item, empty_is_bad=True):
            yield wrong(f"path '{path}'", item, paths.loc_of(path))
            continue
        if not isinstance(item, Obj):
            continue
        for method, operation in item.items():
            if str(method).lower() not in _HTTP_METHODS or not isinstance(operation, Obj):
                continue
            responses = operation.get("responses")
            if "responses" in operation and _bad_mapping(responses):
                yield wrong(f"responses of {method} {path}", responses, operation.loc_of("responses"))
            elif isinstance(responses, Obj):
                for code, response in responses.items():
                    headers = response.get("headers") if isinstance(response, Obj) else None
                    if isinstance(response, Obj) and "headers" in response and _bad_mapping(headers):
                        yield wrong(
                            f"headers of response {code} of {method} {path}",
                            headers,
                            response.loc_of("headers"),
                        )


def _bad_mapping(value: Any, empty_is_bad: bool = False) -> bool:
    """True for a literal that is not a mapping (an intrinsic is known at deployment)."""
    if value is None:
        return empty_is_bad
    return not isinstance(value, (Obj, Intrinsic))


def _gateway_responses(resource: Resource) -> Iterator[Finding]:
    """LF4018 for a gateway response that is not a literal mapping (SAM takes no intrinsic there)."""
    responses = resource.properties.get("GatewayResponses")
    if not isinstance(responses, Obj):
        return
    for name, response in responses.items():
        if isinstance(response, Obj) or response is None:
            continue
        shown = (
            "an intrinsic function" if isinstance(response, Intrinsic) else _wrong_kind(response, "object")
        )
        yield Finding.of(
            "LF4018",
            f"AWS::Serverless::Api '{resource.logical_id}': 'GatewayResponses.{name}' is {shown} where SAM "
            "expects a mapping (a gateway response); SAM rejects the template",
            loc_of(response, responses.loc_of(name)),
            resource.logical_id,
        )
