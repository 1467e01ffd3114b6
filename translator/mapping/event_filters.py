"""SNS filter policies and EventBridge event patterns -> Event Grid subscription filters.

Both AWS syntaxes match *content*: a key maps to a list of conditions, any of which may match (OR),
and different keys must all match (AND). An Event Grid advanced filter is one operator with a list of
values on one key (OR within the values), and the filters of a subscription are ANDed
(https://learn.microsoft.com/azure/event-grid/event-filtering). So a key translates when its
conditions are one kind of test; a key whose conditions mix kinds (``["a", {"prefix": "b"}]``), and
``$or``, ``cidr``, non-integer numbers (the Bicep type of filter numbers is int) are reported instead,
and the subscription then delivers a superset that the function must narrow in code.

Where the AWS fields go in the CloudEvents the publisher sends to the Event Grid topic (keys as the
event-filtering page defines them for the CloudEvents schema):

* SNS message attributes (``FilterPolicyScope: MessageAttributes``, the default) -> extension
  attributes, the attribute name lower-cased with everything but a-z and 0-9 removed;
* SNS message body (``MessageBody``) and EventBridge ``detail`` -> ``data.<path>``;
* EventBridge ``source`` -> ``source``, ``detail-type`` -> ``type`` (``includedEventTypes`` when it is
  a plain list).

Limits: 25 advanced filters and 25 values across them per subscription, 512 characters per string,
no ``.`` inside a key. Event Grid compares strings without regard to case, so exact string tests may
let through values that differ only in case.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from translator.values import plain

__all__ = ["EventFilter", "attribute_key", "eventbridge_pattern", "sns_filter_policy"]

MAX_FILTERS = 25
MAX_VALUES = 25
MAX_STRING = 512

_NUMERIC_OPERATORS = {
    ">": "NumberGreaterThan",
    ">=": "NumberGreaterThanOrEquals",
    "<": "NumberLessThan",
    "<=": "NumberLessThanOrEquals",
}
#: EventBridge envelope fields with no CloudEvents counterpart a publisher sets by convention
_EVENTBRIDGE_ENVELOPE = {"account", "region", "time", "id", "version", "resources"}


@dataclass
class EventFilter:
    """The Event Grid filter for one subscription and what could not be expressed."""

    included_event_types: list[str] = field(default_factory=list)
    advanced: list[dict[str, Any]] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)  # "key: why" for each part left out
    fields: dict[str, str] = field(default_factory=dict)  # AWS field -> the CloudEvents key it is read from
    aws_sources: list[str] = field(default_factory=list)  # EventBridge sources that AWS services emit
    invalid: str | None = None  # the policy or pattern is not a JSON object

    def body(self) -> dict[str, Any]:
        """The subscription's ``filter`` property (empty when nothing is filtered)."""
        result: dict[str, Any] = {}
        if self.included_event_types:
            result["includedEventTypes"] = self.included_event_types
        if self.advanced:
            result["advancedFilters"] = self.advanced
            # SNS String.Array attributes and EventBridge arrays match when any element matches
            result["enableAdvancedFilteringOnArrays"] = True
        return result


def attribute_key(name: str) -> str:
    """The CloudEvents extension attribute carrying an SNS message attribute (lower-case a-z0-9).

    >>> attribute_key("Store-Id"), attribute_key("event_type")
    ('storeid', 'eventtype')
    """
    return re.sub(r"[^a-z0-9]", "", name.lower())


def sns_filter_policy(policy: Any, scope: Any = None) -> EventFilter:
    """Event Grid filters for an SNS subscription FilterPolicy.

    >>> sns_filter_policy({"store": ["example_corp"]}).advanced
    [{'operatorType': 'StringIn', 'key': 'store', 'values': ['example_corp']}]
    >>> sns_filter_policy({"order": {"total": [{"numeric": [">", 100]}]}}, "MessageBody").advanced
    [{'operatorType': 'NumberGreaterThan', 'key': 'data.order.total', 'value': 100}]
    """
    result = EventFilter()
    tree = _json_object(policy)
    if tree is None:
        result.invalid = "the filter policy is not a literal JSON object"
        return result
    body = isinstance(scope, str) and str(scope) == "MessageBody"
    for key, value in tree.items():
        if key == "$or":
            result.untranslated.append("$or: Event Grid cannot OR different keys")
            continue
        if body:
            _walk(result, value, [key], "data", key)
            continue
        if isinstance(value, dict):
            result.untranslated.append(f"{key}: message attributes are not nested")
            continue
        target = attribute_key(key)
        if not target:
            result.untranslated.append(f"{key}: no CloudEvents attribute name can be made from it")
            continue
        result.fields[f"message attribute {key}"] = target
        _add(result, key, target, value)
    _limit(result)
    return result


def eventbridge_pattern(pattern: Any) -> EventFilter:
    """Event Grid filters for an EventBridge event pattern.

    >>> f = eventbridge_pattern({"source": ["orders"], "detail-type": ["Order Placed"]})
    >>> f.included_event_types, f.advanced
    (['Order Placed'], [{'operatorType': 'StringIn', 'key': 'source', 'values': ['orders']}])
    """
    result = EventFilter()
    tree = _json_object(pattern)
    if tree is None:
        result.invalid = "the event pattern is not a literal JSON object"
        return result
    for key, value in tree.items():
        if key == "source":
            values = value if isinstance(value, list) else [value]
            result.aws_sources += [v for v in values if isinstance(v, str) and v.startswith("aws.")] + [
                f"{v['prefix']}*"
                for v in values
                if isinstance(v, dict) and isinstance(v.get("prefix"), str) and v["prefix"].startswith("aws")
            ]
            result.fields["source"] = "source"
            _add(result, key, "source", value)
        elif key == "detail-type":
            result.fields["detail-type"] = "type"
            values = value if isinstance(value, list) else [value]
            # "AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail": AWS itself emits them
            result.aws_sources += [
                f"detail-type '{v}'" for v in values if isinstance(v, str) and v.startswith("AWS ")
            ]
            if values and all(isinstance(v, str) for v in values):
                result.included_event_types = list(values)
            else:
                _add(result, key, "type", value)
        elif key == "detail":
            if isinstance(value, dict):
                result.fields["detail"] = "data"
                _walk(result, value, [], "data", "detail")
            else:
                result.untranslated.append("detail: expected an object of fields")
        elif key in _EVENTBRIDGE_ENVELOPE:
            result.untranslated.append(f"{key}: the CloudEvent has no field for the EventBridge {key}")
        elif key == "$or":
            result.untranslated.append("$or: Event Grid cannot OR different keys")
        else:
            result.untranslated.append(f"{key}: not an EventBridge event field")
    _limit(result)
    return result


def _json_object(value: Any) -> dict[str, Any] | None:
    tree = plain(value)
    if isinstance(tree, str):
        try:
            tree = json.loads(tree)
        except ValueError:
            return None
    return tree if isinstance(tree, dict) else None


def _walk(result: EventFilter, value: Any, path: list[str], root: str, label: str) -> None:
    """Nested content fields: objects descend, anything else is the condition list of a leaf."""
    if isinstance(value, dict) and not _is_operator(value):
        for key, inner in value.items():
            if key == "$or":
                result.untranslated.append(f"{label}.$or: Event Grid cannot OR different keys")
                continue
            _walk(result, inner, [*path, key], root, f"{label}.{key}")
        return
    if any("." in p for p in path):
        result.untranslated.append(f"{label}: Event Grid keys cannot contain '.'")
        return
    _add(result, label, ".".join([root, *path]), value)


def _is_operator(value: dict[str, Any]) -> bool:
    return len(value) == 1 and next(iter(value)) in _OPERATORS


def _add(result: EventFilter, label: str, key: str, value: Any) -> None:
    filters, problem = _conditions(key, value if isinstance(value, list) else [value])
    if problem:
        result.untranslated.append(f"{label}: {problem}")
    else:
        result.advanced.extend(filters)


def _conditions(key: str, values: list[Any]) -> tuple[list[dict[str, Any]], str | None]:
    """The advanced filters that express one key's condition list, or the reason they cannot."""
    if not values:
        return [], "an empty condition list matches nothing"
    if not all(_is_json(v) for v in values):
        return [], "a value is a template expression, known only at deployment; add this filter by hand"
    strings = [v for v in values if isinstance(v, str)]
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    bools = [v for v in values if isinstance(v, bool)]
    operators = [v for v in values if isinstance(v, dict)]
    if len(strings) == len(values):
        return _strings("StringIn", key, strings)
    if len(numbers) == len(values):
        if not all(float(n).is_integer() for n in numbers):
            return [], "Event Grid filter numbers are written as integers here"
        return [{"operatorType": "NumberIn", "key": key, "values": [int(n) for n in numbers]}], None
    if len(bools) == len(values) and len(set(bools)) == 1:
        return [{"operatorType": "BoolEquals", "key": key, "value": bools[0]}], None
    if all(v is None for v in values):
        return [{"operatorType": "IsNullOrUndefined", "key": key}], None
    if len(operators) == 1 and len(values) == 1 and len(operators[0]) == 1:
        ((name, argument),) = operators[0].items()
        handler = _OPERATORS.get(name)
        if handler is None:
            return [], f"the '{name}' operator has no Event Grid counterpart"
        return handler(key, argument)
    return [], "its conditions mix kinds of test, which one Event Grid filter cannot OR"


def _is_json(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_json(v) for v in value.values())
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def _strings(operator: str, key: str, values: list[Any]) -> tuple[list[dict[str, Any]], str | None]:
    if not values or not all(isinstance(v, str) for v in values):
        return [], f"{operator} needs strings"
    if any(len(v) > MAX_STRING for v in values):
        return [], f"a value is longer than the {MAX_STRING} characters Event Grid compares"
    return [{"operatorType": operator, "key": key, "values": list(values)}], None


def _prefix(key: str, argument: Any) -> tuple[list[dict[str, Any]], str | None]:
    if isinstance(argument, dict) and set(argument) == {"equals-ignore-case"}:
        argument = argument["equals-ignore-case"]  # Event Grid ignores case anyway
    return _strings("StringBeginsWith", key, [argument])


def _suffix(key: str, argument: Any) -> tuple[list[dict[str, Any]], str | None]:
    if isinstance(argument, dict) and set(argument) == {"equals-ignore-case"}:
        argument = argument["equals-ignore-case"]
    return _strings("StringEndsWith", key, [argument])


def _ignore_case(key: str, argument: Any) -> tuple[list[dict[str, Any]], str | None]:
    return _strings("StringIn", key, argument if isinstance(argument, list) else [argument])


def _anything_but(key: str, argument: Any) -> tuple[list[dict[str, Any]], str | None]:
    # AWS matches only when the field is present; Event Grid's Not operators also match a missing key
    present = {"operatorType": "IsNotNull", "key": key}
    if isinstance(argument, dict) and len(argument) == 1:
        ((name, inner),) = argument.items()
        operator = {"prefix": "StringNotBeginsWith", "suffix": "StringNotEndsWith"}.get(name)
        if name == "equals-ignore-case":
            operator = "StringNotIn"
        if operator is None:
            return [], f"anything-but with '{name}' has no Event Grid counterpart"
        filters, problem = _strings(operator, key, inner if isinstance(inner, list) else [inner])
        return ([present, *filters], None) if not problem else ([], problem)
    values = argument if isinstance(argument, list) else [argument]
    if values and all(isinstance(v, str) for v in values):
        filters, problem = _strings("StringNotIn", key, values)
        return ([present, *filters], None) if not problem else ([], problem)
    if values and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() for v in values
    ):
        return [
            present,
            {"operatorType": "NumberNotIn", "key": key, "values": [int(v) for v in values]},
        ], None
    return [], "anything-but with mixed or non-integer values has no Event Grid counterpart"


def _numeric(key: str, argument: Any) -> tuple[list[dict[str, Any]], str | None]:
    if not isinstance(argument, list) or len(argument) not in (2, 4):
        return [], "a numeric condition is one or two (operator, number) pairs"
    filters: list[dict[str, Any]] = []
    for operator, number in zip(argument[::2], argument[1::2], strict=True):
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not float(number).is_integer():
            return [], "Event Grid filter numbers are written as integers here"
        if operator == "=":
            filters.append({"operatorType": "NumberIn", "key": key, "values": [int(number)]})
        elif operator in _NUMERIC_OPERATORS:
            filters.append({"operatorType": _NUMERIC_OPERATORS[operator], "key": key, "value": int(number)})
        else:
            return [], f"unknown numeric operator {operator!r}"
    return filters, None  # two pairs are two filters, ANDed like the AWS range


def _exists(key: str, argument: Any) -> tuple[list[dict[str, Any]], str | None]:
    if not isinstance(argument, bool):
        return [], "exists takes true or false"
    return [{"operatorType": "IsNotNull" if argument else "IsNullOrUndefined", "key": key}], None


def _wildcard(key: str, argument: Any) -> tuple[list[dict[str, Any]], str | None]:
    if not isinstance(argument, str):
        return [], "wildcard takes a string"
    inner = argument.strip("*")
    if "*" in inner or not inner:
        return [], f"the wildcard '{argument}' has a '*' Event Grid cannot place"
    operator = {
        (False, True): "StringBeginsWith",
        (True, False): "StringEndsWith",
        (True, True): "StringContains",
        (False, False): "StringIn",
    }[(argument.startswith("*"), argument.endswith("*"))]
    return _strings(operator, key, [inner])


def _cidr(key: str, argument: Any) -> tuple[list[dict[str, Any]], str | None]:
    return [], "the 'cidr' operator has no Event Grid counterpart"


_OPERATORS = {
    "prefix": _prefix,
    "suffix": _suffix,
    "equals-ignore-case": _ignore_case,
    "anything-but": _anything_but,
    "numeric": _numeric,
    "exists": _exists,
    "wildcard": _wildcard,
    "cidr": _cidr,
}


def _limit(result: EventFilter) -> None:
    """Keep the filters within 25 filters and 25 values; report the rest."""
    kept: list[dict[str, Any]] = []
    values = 0
    for item in result.advanced:
        count = len(item["values"]) if "values" in item else 1 if "value" in item else 0
        if len(kept) < MAX_FILTERS and values + count <= MAX_VALUES:
            kept.append(item)
            values += count
        else:
            result.untranslated.append(
                f"{item['key']} ({item['operatorType']}): over the Event Grid limit of {MAX_FILTERS} "
                f"filters and {MAX_VALUES} values per subscription"
            )
    result.advanced = kept
