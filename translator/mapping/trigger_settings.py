"""Itemised dispositions of event source settings: what became of each property of an event.

The trigger mappers report approximations as findings; this module turns the findings raised while one
event was mapped, plus the keys the mapper marked explicitly, into one SettingPlan per event property,
so the report accounts for BatchSize, FilterPolicy, StartingPosition ... one by one. The Azure
counterpart of each setting is data (``mappings/triggers.yaml`` ``trigger_settings``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from translator.findings import Disposition, Finding
from translator.graph import Event
from translator.plan import SettingPlan

#: findings about the event as a whole, never about one of its settings
_EVENT_WIDE = {"LF3002", "LF3006", "LF3009", "LF3012"}
#: rules whose finding means the setting is carried over exactly (the finding only explains how)
_EXACT = {"LF3027"}
#: rules whose finding means the user has to act before the setting works
_MANUAL = {"LF3005", "LF3007", "LF3025"}


def trigger_setting_plans(
    event: Event,
    findings: Iterable[Finding],
    marks: Mapping[str, tuple[Disposition, str | None]],
    targets: Mapping[str, Any],
) -> tuple[SettingPlan, ...]:
    """One SettingPlan per property of ``event``, in template order."""
    props = event.properties
    own = [f for f in findings if f.rule not in _EVENT_WIDE]
    plans = []
    for key in props:
        disposition, rule = marks.get(key) or _from_findings(key, props, own)
        plans.append(
            SettingPlan(key, disposition, target_text(targets.get(key), event.kind), props.loc_of(key), rule)
        )
    return tuple(plans)


def _from_findings(key: str, props: Any, findings: list[Finding]) -> tuple[Disposition, str | None]:
    for f in findings:
        if f.rule == "LF3007" and _names(f.message, key):
            return Disposition.MANUAL, f.rule
    where = props.loc_of(key)
    if where is None or where == props.loc:
        return Disposition.CONVERTED, None  # no location of its own: only explicit marks can say more
    for f in findings:
        if f.loc == where:
            if f.rule in _EXACT:
                return Disposition.CONVERTED, f.rule
            return (Disposition.MANUAL if f.rule in _MANUAL else Disposition.APPROXIMATED), f.rule
    return Disposition.CONVERTED, None


def _names(message: str, key: str) -> bool:
    # LF3007 lists the untranslated keys after the colon, separated by commas
    listed = message.rsplit(": ", 1)[-1]
    return key in [part.strip() for part in listed.split(",")]


def target_text(entry: Any, kind: str = "default") -> str | None:
    """The Azure counterpart of one setting from the trigger_settings table (per trigger kind or one text)."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping):
        value = entry.get(kind, entry.get("default"))
        return value if isinstance(value, str) else None
    return None
