"""Drift: where a live function differs from the template of the stack that deployed it.

The template is read by the same parsers as ``convert`` (SAM Globals merged), and only literal values
are compared: a setting given by a parameter or an intrinsic is what the deployment chose, not drift.
Environment variables are compared by name only, so no value is ever printed or stored.
"""

from __future__ import annotations

from typing import Any

from translator.graph import Function, ResourceGraph
from translator.values import Arr, Intrinsic, Obj, literal_int

#: Lambda's defaults for settings a template may leave out
_DEFAULTS = {"MemorySize": 128, "Timeout": 3, "Architectures": ["x86_64"], "PackageType": "Zip"}


def _literal(value: Any) -> Any:
    """A plain Python value, or None when any part of it is an intrinsic (decided at deployment)."""
    if isinstance(value, Intrinsic):
        return None
    if isinstance(value, Arr):
        items = [_literal(v) for v in value]
        return None if any(i is None for i in items) else items
    if isinstance(value, Obj):
        items = {k: _literal(v) for k, v in value.items()}
        return None if any(v is None for v in items.values()) else items
    if isinstance(value, str):
        return str(value)
    return value


def _template_settings(fn: Function) -> dict[str, Any]:
    """Setting name -> the template's literal value (absent when it is not a literal)."""
    props = fn.properties
    found: dict[str, Any] = {}
    for key in ("Runtime", "Handler", "PackageType"):
        value = _literal(props.get(key, _DEFAULTS.get(key)))
        if value is not None:
            found[key] = value
    for key in ("MemorySize", "Timeout"):
        raw = props.get(key, _DEFAULTS[key])
        value = literal_int(raw) if not isinstance(raw, Intrinsic) else None
        if value is not None:
            found[key] = value
    arch = _literal(props.get("Architectures", Arr(_DEFAULTS["Architectures"])))
    if arch is not None:
        found["Architectures"] = sorted(arch)
    layers = _literal(props.get("Layers", Arr()))
    if layers is not None:
        found["Layers"] = sorted(layers)
    env = props.get("Environment")
    variables = env.get("Variables") if isinstance(env, Obj) else None
    if env is None:
        found["Environment"] = []
    elif isinstance(variables, Obj):
        found["Environment"] = sorted(variables)
    reserved = props.get("ReservedConcurrentExecutions")
    if not isinstance(reserved, Intrinsic):
        found["ReservedConcurrentExecutions"] = literal_int(reserved) if reserved is not None else None
    tracing = props.get("Tracing")
    if tracing is None and isinstance(props.get("TracingConfig"), Obj):
        tracing = props["TracingConfig"].get("Mode")
    tracing = _literal(tracing) if tracing is not None else "PassThrough"
    if tracing is not None:
        found["Tracing"] = tracing
    storage = props.get("EphemeralStorage")
    size = storage.get("Size") if isinstance(storage, Obj) else 512 if storage is None else None
    if size is not None and not isinstance(size, Intrinsic):
        found["EphemeralStorage"] = literal_int(size)
    return found


def _live_settings(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "Runtime": entry.get("runtime"),
        "Handler": entry.get("handler"),
        "PackageType": entry.get("packageType"),
        "MemorySize": entry.get("memoryMB"),
        "Timeout": entry.get("timeoutSeconds"),
        "Architectures": sorted(entry.get("architectures") or []),
        "Layers": sorted(entry.get("layers") or []),
        "Environment": sorted(e["name"] for e in entry.get("environment") or []),
        "ReservedConcurrentExecutions": entry.get("reservedConcurrency"),
        "Tracing": entry.get("tracingMode") or "PassThrough",
        "EphemeralStorage": entry.get("ephemeralStorageMB"),
    }


def compare(
    graph: ResourceGraph,
    stack_name: str,
    physical: dict[str, str],
    live: list[dict[str, Any]],
    only: set[str] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(differences, unmatched) between the template's functions and the live ones.

    ``physical``: logical id -> function name from the stack's resources (may be empty; then the
    ``aws:cloudformation:logical-id`` tags on the live functions match them). ``only``: the function
    names that were discovered (--function); the template's other functions are not compared.
    """
    owned = {
        e["stack"]["logicalId"]: e
        for e in live
        if e.get("stack") and e["stack"].get("name") == stack_name and e["stack"].get("logicalId")
    }
    by_name = {e["name"]: e for e in live}
    for logical_id, name in physical.items():
        if name in by_name:
            owned[logical_id] = by_name[name]
    differences: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    template_ids = {fn.logical_id for fn in graph.functions}
    for fn in graph.functions:
        if only is not None and physical.get(fn.logical_id) not in only and fn.logical_id not in owned:
            continue  # not asked for: not being discovered is no sign of it not running
        entry = owned.get(fn.logical_id)
        if entry is None:
            unmatched.append(
                {"logicalId": fn.logical_id, "function": None, "reason": "in the template but not running"}
            )
            continue
        live_values = _live_settings(entry)
        unknown = set(entry.get("unknown") or [])
        for setting, expected in _template_settings(fn).items():
            if setting == "ReservedConcurrentExecutions" and "reservedConcurrency" in unknown:
                continue
            actual = live_values[setting]
            if actual != expected:
                differences.append(
                    {
                        "function": entry["arn"],
                        "logicalId": fn.logical_id,
                        "setting": setting,
                        "template": expected,
                        "live": actual,
                    }
                )
    for logical_id, entry in sorted(owned.items()):
        if logical_id not in template_ids:
            unmatched.append(
                {
                    "logicalId": logical_id,
                    "function": entry["arn"],
                    "reason": "owned by the stack but not in the template",
                }
            )
    return differences, unmatched
