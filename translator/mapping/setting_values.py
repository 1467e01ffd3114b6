"""Whole-number event source settings that Lambda would reject never reach the Azure trigger.

BatchSize, MaximumBatchingWindowInSeconds, ParallelizationFactor, MaximumRetryAttempts ... take a whole
number in a documented range (``mappings/triggers.yaml`` ``setting_ranges``). A value that is not a whole
number is LF4018 and one outside the range LF3038, both at the value's line; the trigger mappers then see
the event without that setting, as if it were not set, so a BatchSize of -5 never becomes
``maxItemsPerInvocation: -5``. Values the template computes (Ref, Fn::If ...) are not known offline and
are left to the mappers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from translator.graph import Event, ResourceGraph
from translator.values import Arr, Intrinsic, Loc, Obj

_WHOLE = re.compile(r"[+-]?\d+")


class NotWhole:
    """What :func:`whole_number` returns for a literal that is not a whole number."""

    def __repr__(self) -> str:
        return "NOT_WHOLE"


NOT_WHOLE = NotWhole()


@dataclass(frozen=True)
class Rejected:
    """One setting whose value Lambda would not accept."""

    key: str  # the event property it sits in (ScalingConfig for ScalingConfig.MaximumConcurrency)
    rule: str  # LF4018 (not a whole number) or LF3038 (outside the range)
    message: str
    loc: Loc | None


def whole_number(value: Any) -> int | NotWhole | None:
    """The whole number a literal setting holds; None when the template computes it; NOT_WHOLE when it
    is literal but not a whole number (text, a fraction, a list, true).

    >>> whole_number(25), whole_number("-1"), whole_number(10.0), whole_number(" 7 ")
    (25, -1, 10, 7)
    >>> whole_number("ten"), whole_number(2.5), whole_number(True), whole_number([1])
    (NOT_WHOLE, NOT_WHOLE, NOT_WHOLE, NOT_WHOLE)
    """
    if isinstance(value, Intrinsic) or value is None:
        return None
    if isinstance(value, bool):
        return NOT_WHOLE
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else NOT_WHOLE
    if isinstance(value, str) and _WHOLE.fullmatch(str(value).strip()):
        return int(str(value).strip())
    return NOT_WHOLE


def checked_event(
    event: Event, graph: ResourceGraph, kinds: list[str], ranges: Mapping[str, Any]
) -> tuple[Event, list[Rejected]]:
    """The event without the settings Lambda would reject, and what was wrong with each.

    Whole numbers written as text ("10") become numbers, so the mappers read every literal the same way.
    """
    if event.kind not in kinds:
        return event, []
    props = event.properties
    fifo = event.kind == "sqs" and _fifo_queue(event, graph)
    rejected: list[Rejected] = []
    numbers: dict[str, int] = {}
    for path, spec in ranges.items():
        key, _, child = path.partition(".")
        holder = props.get(key) if child else props
        name = child or key
        if not isinstance(holder, Obj) or name not in holder:
            continue
        value = holder[name]
        number = whole_number(value)
        problem = _problem(path, value, number, spec, fifo)
        if problem:
            rule, text = problem
            message = f"event '{event.name}': {text}; it is left out, as if it were not set"
            rejected.append(Rejected(key, rule, message, holder.loc_of(name)))
        elif isinstance(number, int) and not child and not isinstance(value, int):
            numbers[key] = number
    if not rejected and not numbers:
        return event, []
    dropped = {r.key for r in rejected}
    items = {k: numbers.get(k, v) for k, v in props.items() if k not in dropped}
    locs = {k: loc for k in items if (loc := props.loc_of(k)) is not None}
    return replace(event, properties=Obj(items, props.loc, locs)), rejected


def _problem(
    path: str, value: Any, number: int | NotWhole | None, spec: Mapping[str, Any], fifo: bool
) -> tuple[str, str] | None:
    """(rule, what is wrong) for a setting Lambda would reject, or None.

    >>> spec = {"min": 1, "max": 10000, "sqs_fifo": {"min": 1, "max": 10}}
    >>> _problem("BatchSize", -5, -5, spec, False)
    ('LF3038', 'BatchSize -5 is outside the range Lambda accepts (1 to 10000)')
    >>> _problem("BatchSize", 50, 50, spec, True)
    ('LF3038', 'BatchSize 50 is outside the range Lambda accepts (1 to 10 for a FIFO queue)')
    >>> _problem("BatchSize", "ten", NOT_WHOLE, spec, False)
    ('LF4018', "BatchSize 'ten' is not a whole number")
    """
    if number is None:
        return None  # computed by the template: not known offline
    if isinstance(number, NotWhole):
        return "LF4018", f"{path} {_shown(value)} is not a whole number"
    bounds = spec.get("sqs_fifo", spec) if fifo else spec
    if bounds["min"] <= number <= bounds["max"] or number in bounds.get("also", ()):
        return None
    queue = " for a FIFO queue" if bounds is not spec else ""
    return "LF3038", f"{path} {number} is outside the range Lambda accepts ({_range_text(bounds)}{queue})"


def _fifo_queue(event: Event, graph: ResourceGraph) -> bool:
    """Whether the event reads a FIFO queue: a template queue with FifoQueue true, or a *.fifo ARN."""
    queue = graph.resource(event.source_id) if event.source_id else None
    if queue is not None and queue.type == "AWS::SQS::Queue":
        flag = queue.properties.get("FifoQueue")
        return flag is True or (isinstance(flag, str) and str(flag).lower() == "true")
    return isinstance(event.source, str) and str(event.source).endswith(".fifo")


def _range_text(bounds: Mapping[str, Any]) -> str:
    """
    >>> _range_text({"min": 1, "max": 10}), _range_text({"min": 60, "max": 604800, "also": [-1]})
    ('1 to 10', '-1, or 60 to 604800')
    """
    also = "".join(f"{v}, or " for v in bounds.get("also", ()))
    return f"{also}{bounds['min']} to {bounds['max']}"


def _shown(value: Any) -> str:
    if isinstance(value, Obj):
        return "(a mapping)"
    if isinstance(value, (Arr, list, tuple)):
        return "(a list)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(str(value)) if len(value) <= 40 else repr(str(value)[:37] + "...")
    return str(value)
