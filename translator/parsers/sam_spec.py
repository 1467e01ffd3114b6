"""Check SAM resources against the SAM specification, as AWS's SAM translator does before it deploys.

A template the translator rejects cannot be deployed, so the user hears about it here: a property name
that ``AWS::Serverless::*`` resources, their events or a Globals section do not take (LF0012, with the
closest right spelling), a value of the wrong kind (a list where SAM wants a mapping: LF4018), and an
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
        if key not in spec:
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
            expected = "object"
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
