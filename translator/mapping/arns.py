"""Which template resource an IAM ``Resource`` designates.

A statement names resources by ARN: written out (``arn:aws:sqs:us-east-1:123:orders``), built with
``Fn::Sub``/``Fn::Join`` around a ``Ref``/``Fn::GetAtt`` of a template resource, or built around a parameter
or a literal name that some template resource also uses as its name (``BucketName: !Ref UploadBucketName``
and ``arn:aws:s3:::${UploadBucketName}/*``). Values stay trees: names are compared as sequences of literal
text and intrinsic nodes, never rendered first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.graph import ResourceGraph
from translator.values import Arr, GetAtt, Intrinsic, Join, Ref, Sub, intrinsic_label

Part = Any  # a str or an Intrinsic node
#: services whose resource names are paths (their '/' is part of the name)
_PATH_NAMES = frozenset({"ssm"})


@dataclass(frozen=True)
class Resolved:
    """What one ``Resource`` value designates.

    ``kind`` is ``resource`` (a template resource, ``logical_id``), ``wildcard`` (``*`` or an ARN pattern),
    ``external`` (an ARN or expression naming something outside the template) or ``unreadable`` (not a
    string at all). ``service`` is the ARN's service when the value is an ARN.
    """

    kind: str
    text: str
    logical_id: str | None = None
    service: str | None = None


def flatten(value: Any) -> list[Part] | None:
    """A string-like value as literal text and intrinsic nodes (adjacent text merged); None otherwise.

    >>> flatten(Sub(("arn:aws:s3:::", Ref("B"), "/*")))
    ['arn:aws:s3:::', Ref(target='B'), '/*']
    >>> flatten(Join("", Arr([GetAtt("T", "Arn"), "/index/*"])))
    [GetAtt(resource='T', attribute='Arn'), '/index/*']
    """
    if isinstance(value, str):
        return [str(value)]
    if isinstance(value, Sub):
        parts: list[Part] = []
        for part in value.parts:
            inner = flatten(part) if isinstance(part, (str, Sub, Join)) else [part]
            if inner is None:
                return None
            parts += inner
        return _merge(parts)
    if isinstance(value, Join):
        if not isinstance(value.delimiter, str) or not isinstance(value.items, Arr):
            return [value]
        parts = []
        for index, item in enumerate(value.items):
            inner = flatten(item)
            if inner is None:
                return None
            if index:
                parts.append(str(value.delimiter))
            parts += inner
        return _merge(parts)
    if isinstance(value, Intrinsic):
        return [value]
    return None


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            if part == "":
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += part
                continue
            part = str(part)
        merged.append(part)
    return merged


def render(parts: list[Part]) -> str:
    """Short text for messages: references by logical id.

    >>> render(["arn:aws:s3:::", Ref("B"), "/*"])
    'arn:aws:s3:::${B}/*'
    """
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Ref):
            out.append("${" + part.target + "}")
        elif isinstance(part, GetAtt):
            attribute = f".{part.attribute}" if isinstance(part.attribute, str) else ""
            out.append("${" + part.resource + attribute + "}")
        else:
            out.append(f"<{intrinsic_label(part)}>")
    return "".join(out)


def _segments(parts: list[Part], limit: int) -> list[list[Part]]:
    """Split on ':' in the literal text, at most ``limit`` times (the ARN's resource part keeps its colons)."""
    segments: list[list[Part]] = [[]]
    for part in parts:
        if not isinstance(part, str):
            segments[-1].append(part)
            continue
        pieces = part.split(":", limit - (len(segments) - 1)) if len(segments) - 1 < limit else [part]
        segments[-1].append(pieces[0])
        for piece in pieces[1:]:
            segments.append([piece])
    return [_merge(s) for s in segments]


def _literal(parts: list[Part]) -> str | None:
    return str(parts[0]) if len(parts) == 1 and isinstance(parts[0], str) else "" if not parts else None


class ArnResolver:
    """Resolves ``Resource`` values against one graph, knowing each resource's name property."""

    def __init__(self, graph: ResourceGraph, services: dict[str, Any]) -> None:
        self.graph = graph
        self.services = services
        self._names: dict[tuple[str, tuple[Part, ...]], str] = {}
        for resource in graph.resources:
            for service, spec in services.items():
                prop = spec.get("name_property")
                if resource.type in spec["aws_types"] and prop and prop in resource.properties:
                    name = flatten(resource.properties[prop])
                    if name:
                        self._names.setdefault((service, _name_key(service, name)), resource.logical_id)

    def resolve(self, value: Any) -> Resolved:
        parts = flatten(value)
        if parts is None:
            return Resolved("unreadable", _shape(value))
        text = render(parts)
        for part in parts:
            target = (
                part.target if isinstance(part, Ref) else part.resource if isinstance(part, GetAtt) else None
            )
            if target is not None and self.graph.resource(target) is not None:
                return Resolved("resource", text, target)
        if text == "*":
            return Resolved("wildcard", text)
        segments = _segments(parts, 5)
        if len(segments) < 6 or _literal(segments[0]) != "arn" or not _literal(segments[2]):
            return Resolved("external", text)
        service = str(_literal(segments[2]))
        spec = self.services.get(service)
        # the part that names the resource decides: 'bucket/*' names one bucket, 'table/*' every table
        named: list[Part] = segments[5]
        if spec is not None:
            name = _resource_name(service, str(spec["arn_resource"]), segments[5])
            found = self._names.get((service, _name_key(service, name))) if name else None
            if found is not None:
                return Resolved("resource", text, found, service)
            named = name if name is not None else named
        if any(isinstance(p, str) and ("*" in p or "?" in p) for p in named):
            return Resolved("wildcard", text, service=service)
        return Resolved("external", text, service=service)


def _resource_name(service: str, prefix: str, resource: list[Part]) -> list[Part] | None:
    """The name inside an ARN's resource part: after the type prefix, before any sub-path."""
    if not resource:
        return None
    first = resource[0]
    if prefix:
        if not isinstance(first, str) or not first.startswith(prefix):
            return None
        resource = [first[len(prefix) :], *resource[1:]]
    parts = _merge(list(resource))
    if service in _PATH_NAMES:
        return parts
    name: list[Part] = []
    for part in parts:
        if isinstance(part, str) and "/" in part:
            head = part.split("/", 1)[0]
            if head:
                name.append(head)
            break
        name.append(part)
    return name


def _name_key(service: str, name: list[Part]) -> tuple[Part, ...]:
    """Names compare without a trailing prefix wildcard (``${TopicName}*``) and, for paths, a leading '/'."""
    parts = list(name)
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip("*")
    if service in _PATH_NAMES and parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip("/")
    return tuple(_merge(parts))


def _shape(value: Any) -> str:
    return type(value).__name__ if not isinstance(value, Intrinsic) else value.fn_name
