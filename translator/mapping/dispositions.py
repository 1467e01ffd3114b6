"""Itemised dispositions: every Lambda function setting and every IAM policy statement, with what became
of it, so that the report accounts for them one by one (not only through findings).

What each setting maps to is data (``mappings/settings.yaml`` ``function_settings``); this module refines
the dispositions of the settings whose outcome depends on the value (a runtime that changed version,
memory rounded up to an instance size, an app-wide timeout). IAM is not translated into role
assignments yet, so every statement is ``manual`` under rule LF1002.
"""

from __future__ import annotations

from typing import Any

from translator.findings import Disposition, Finding
from translator.mapping.functions import FunctionSettings
from translator.mapping.tables import Tables
from translator.plan import SettingPlan, StatementPlan
from translator.values import Arr, GetAtt, Intrinsic, Loc, Obj, Ref, Sub, loc_of

_IAM_RULE = "LF1002"


def setting_plans(
    fs: FunctionSettings, tables: Tables, app_timeout: int | None, findings: list[Finding]
) -> tuple[SettingPlan, ...]:
    """One SettingPlan per property of the function, in the order the template gives them."""
    table = tables.settings["function_settings"]
    props = fs.fn.properties
    own_rules = {f.rule for f in findings if f.resource == fs.fn.logical_id}
    plans = []
    for key in props:
        spec = table.get(key)
        disposition = Disposition(spec["disposition"]) if spec else Disposition.UNSUPPORTED
        target = spec["target"] if spec else None
        rule: str | None = None if spec else "LF2009"
        value = props[key]
        if key == "Runtime":
            entry = tables.runtimes["runtimes"].get(fs.aws_runtime or "")
            status = entry["status"] if entry else "unsupported"
            disposition, rule = {
                "same": (Disposition.CONVERTED, None),
                "changed": (Disposition.APPROXIMATED, "LF2001"),
                "custom": (Disposition.MANUAL, "LF2003"),
            }.get(status, (Disposition.UNSUPPORTED, "LF2002" if fs.aws_runtime else "LF2004"))
            if fs.runtime_name:
                target = f"functionAppConfig.runtime {fs.runtime_name} {fs.runtime_version}"
        elif key == "MemorySize":
            if fs.memory_mb != fs.instance_memory_mb:
                disposition = Disposition.APPROXIMATED
                rule = "LF2006" if "LF2006" in own_rules else "LF2005" if fs.memory_mb else "LF2009"
            target = f"{target} ({fs.instance_memory_mb} MB)"
        elif key == "Timeout" and app_timeout and fs.timeout_seconds != app_timeout:
            disposition, rule = Disposition.APPROXIMATED, "LF2008"  # host.json functionTimeout is app-wide
        elif key == "Architectures" and _mentions(value, "arm64"):
            disposition, rule = Disposition.APPROXIMATED, "LF2009"
        elif key == "PackageType" and _mentions(value, "Image"):
            disposition, rule = Disposition.UNSUPPORTED, "LF2010"
        elif key == "Environment" and own_rules & {"LF2011", "LF2013", "LF4001"}:
            disposition, rule = Disposition.APPROXIMATED, min(own_rules & {"LF2011", "LF2013", "LF4001"})
        elif key in ("Policies", "Role"):
            rule = "LF1002"
        elif key == "FunctionUrlConfig":
            rule = "LF3008"
        if disposition is Disposition.UNSUPPORTED and rule is None:
            rule = "LF2009"  # a setting with no Azure counterpart
        plans.append(SettingPlan(key, disposition, target, props.loc_of(key), rule))
    return tuple(plans)


def _mentions(value: Any, text: str) -> bool:
    items = value if isinstance(value, Arr) else (value,)
    return any(isinstance(item, str) and str(item) == text for item in items)


def function_policies(value: Any, default_loc: Loc | None) -> tuple[StatementPlan, ...]:
    """The statements of a SAM function's ``Policies``: managed policies, policy templates, statements."""
    if value is None:
        return ()
    items = value if isinstance(value, Arr) else (value,)
    plans: list[StatementPlan] = []
    for item in items:
        loc = loc_of(item, default_loc)
        if isinstance(item, str):
            plans.append(_manual(f"managed policy {_policy_name(str(item))}", loc))
        elif isinstance(item, Obj) and "Statement" in item:
            plans += _statements(item["Statement"], loc)
        elif isinstance(item, Obj) and len(item) == 1:
            (name,) = item
            plans.append(_manual(f"SAM policy template {name} {_text(item[name])}", loc))
        else:
            plans.append(_manual(f"policy given as {_text(item)}", loc))
    return tuple(plans)


def document_statements(resource_type: str, props: Obj, default_loc: Loc | None) -> tuple[StatementPlan, ...]:
    """The statements of an IAM role, policy or managed policy resource."""
    plans: list[StatementPlan] = []
    if resource_type == "AWS::IAM::Role":
        for policy in props.get("Policies") or ():
            if isinstance(policy, Obj) and isinstance(policy.get("PolicyDocument"), Obj):
                plans += _statements(policy["PolicyDocument"].get("Statement"), loc_of(policy, default_loc))
        managed = props.get("ManagedPolicyArns")
        for arn in managed if isinstance(managed, Arr) else ():
            plans.append(
                _manual(
                    f"managed policy {_policy_name(arn) if isinstance(arn, str) else _text(arn)}",
                    loc_of(arn, default_loc),
                )
            )
    elif isinstance(props.get("PolicyDocument"), Obj):
        plans += _statements(props["PolicyDocument"].get("Statement"), props.loc_of("PolicyDocument"))
    return tuple(plans)


def _statements(value: Any, default_loc: Loc | None) -> list[StatementPlan]:
    items = value if isinstance(value, Arr) else (value,) if value is not None else ()
    plans = []
    for statement in items:
        if not isinstance(statement, Obj):
            plans.append(_manual(f"statement {_text(statement)}", default_loc))
            continue
        effect = statement.get("Effect", "Allow")
        actions = _list_text(statement.get("Action", statement.get("NotAction")))
        resources = _list_text(statement.get("Resource", statement.get("NotResource", "*")))
        summary = f"{_text(effect)} {actions} on {resources}"
        plans.append(_manual(summary, loc_of(statement, default_loc)))
    return plans


def _manual(summary: str, loc: Loc | None) -> StatementPlan:
    return StatementPlan(summary=summary, disposition=Disposition.MANUAL, rule=_IAM_RULE, loc=loc)


def _policy_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1] if arn.startswith("arn:") else arn


def _list_text(value: Any) -> str:
    items = value if isinstance(value, Arr) else (value,)
    return ", ".join(_text(item) for item in items)


def _text(value: Any) -> str:
    """A short human rendering of a value for a summary (references by logical id, never raw trees)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Ref):
        return value.target
    if isinstance(value, GetAtt):
        return f"{value.resource}.{value.attribute}" if isinstance(value.attribute, str) else value.resource
    if isinstance(value, Sub):
        return "".join(p if isinstance(p, str) else "${" + _text(p) + "}" for p in value.parts)
    if isinstance(value, Intrinsic):
        return f"<{value.fn_name}>"
    if isinstance(value, Obj):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Arr):
        return "[" + _list_text(value) + "]"
    return str(value)
