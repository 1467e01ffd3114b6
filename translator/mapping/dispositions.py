"""Itemised dispositions: every Lambda function setting, with what became of it, so that the report
accounts for them one by one (not only through findings).

What each setting maps to is data (``mappings/settings.yaml`` ``function_settings``); this module refines
the dispositions of the settings whose outcome depends on the value (a runtime that changed version,
memory rounded up to an instance size, an app-wide timeout). The IAM settings (Policies, Role) take the
disposition of their statements later, in ``grants.py``.
"""

from __future__ import annotations

from typing import Any

from translator.findings import Disposition, Finding
from translator.mapping.functions import FunctionSettings
from translator.mapping.tables import Tables
from translator.plan import SettingPlan
from translator.values import Arr


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
        rule: str | None = spec.get("rule") if spec else "LF2009"
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
        elif key in fs.outcomes:
            disposition, rule = fs.outcomes[key]  # decided from the value by translator/mapping/functions.py
        elif key == "PackageType" and _mentions(value, "Image"):
            disposition, rule = Disposition.UNSUPPORTED, "LF2010"
        elif key == "Environment" and own_rules & {"LF2011", "LF4001", "LF5020"}:
            # LF5020: a secret moved to Key Vault needs its value supplied at deployment
            changed = own_rules & {"LF2011", "LF4001", "LF5020"}
            disposition, rule = Disposition.APPROXIMATED, min(changed)
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
