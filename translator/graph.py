"""The ResourceGraph: one intermediate representation for every input format.

Parsers (SAM, CloudFormation, later serverless.yml and live inventories) build it; mappers read it and
never see the input format. Every node is a frozen dataclass with its source location; values inside
are the immutable trees of ``translator.values`` (literals and intrinsic nodes, never rendered text).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from translator.findings import Finding
from translator.provenance import Provenance
from translator.values import (
    GetAtt,
    Loc,
    Obj,
    Ref,
    Sub,
    walk,
)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    loc: Loc | None
    default: Any = None
    has_default: bool = False
    description: str | None = None
    allowed_values: tuple[Any, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    no_echo: bool = False
    allowed_pattern: str | None = None


@dataclass(frozen=True)
class Resource:
    """One entry of the template's Resources section, exactly as written (after SAM Globals)."""

    logical_id: str
    type: str
    properties: Obj
    loc: Loc | None
    condition: str | None = None
    depends_on: tuple[str, ...] = ()
    metadata: Obj | None = None
    deletion_policy: str | None = None
    ignore_globals: str | tuple[str, ...] | None = None  # SAM resource attribute
    connectors: Obj | None = None  # SAM embedded connectors (resource attribute Connectors)


@dataclass(frozen=True)
class Event:
    """Something that invokes a function: a SAM event, an event source mapping, a push source.

    ``kind`` is the canonical trigger kind used by ``mappings/triggers.yaml`` (``api``, ``sqs`` ...).
    ``source`` is the value naming the source (a queue ARN expression, a bucket Ref ...), and
    ``source_id`` the logical id of the source resource when it is in the template.
    """

    name: str
    kind: str
    aws_type: str
    function: str
    properties: Obj
    loc: Loc | None
    source: Any = None
    source_id: str | None = None
    declared_by: str | None = None  # logical id of the resource that declared it (ESM, Permission, Rule)


@dataclass(frozen=True)
class Function:
    """A Lambda function with its effective settings (SAM Globals already merged)."""

    logical_id: str
    aws_type: str
    properties: Obj
    loc: Loc | None
    events: tuple[Event, ...] = ()
    condition: str | None = None

    def prop(self, name: str, default: Any = None) -> Any:
        return self.properties.get(name, default)


@dataclass(frozen=True)
class Output:
    name: str
    value: Any
    loc: Loc | None
    description: str | None = None
    condition: str | None = None
    export: Any = None  # Export.Name (a value tree) when the output is exported to other stacks


@dataclass(frozen=True)
class Edge:
    """A typed reference from one resource to another, with the property path it was found at."""

    source: str
    target: str
    kind: str  # ref | getatt | sub | depends_on | event
    path: str


@dataclass(frozen=True)
class ResourceGraph:
    file: str
    format: str  # sam | cloudformation
    description: str | None
    parameters: tuple[Parameter, ...]
    conditions: Obj
    mappings: Obj
    resources: tuple[Resource, ...]
    functions: tuple[Function, ...]
    outputs: tuple[Output, ...]
    findings: tuple[Finding, ...] = ()
    transforms: tuple[str, ...] = ()
    edges: tuple[Edge, ...] = field(default=())
    name: str | None = None  # the project's own name when the format has one (serverless.yml service)
    sam_globals: Obj | None = None  # SAM's Globals section (Api and HttpApi defaults reach the HTTP triggers)
    provenance: Provenance | None = None  # set when the facts were read from a live account (inventory)

    def resource(self, logical_id: str) -> Resource | None:
        return self._by_id().get(logical_id)

    def _by_id(self) -> dict[str, Resource]:
        cache = self.__dict__.get("_index")
        if cache is None:
            cache = {r.logical_id: r for r in self.resources}
            object.__setattr__(self, "_index", cache)
        return cache

    def parameter(self, name: str) -> Parameter | None:
        for p in self.parameters:
            if p.name == name:
                return p
        return None


def references(value: Any) -> Iterator[tuple[str, str]]:
    """(kind, logical id) for every Ref / GetAtt / Sub reference inside a value tree."""
    for node in walk(value):
        if isinstance(node, Sub):
            continue  # its parts are walked as Ref/GetAtt nodes; report them as 'sub' below
        if isinstance(node, Ref):
            yield ("ref", node.target)
        elif isinstance(node, GetAtt):
            yield ("getatt", node.resource)


def build_edges(resources: tuple[Resource, ...]) -> tuple[Edge, ...]:
    """Typed edges between resources, found by walking each resource's properties once."""
    ids = {r.logical_id for r in resources}
    edges: set[Edge] = set()
    for resource in resources:
        for dep in resource.depends_on:
            edges.add(Edge(resource.logical_id, dep, "depends_on", "DependsOn"))
        for key, value in resource.properties.items():
            in_sub = {id(p) for n in walk(value) if isinstance(n, Sub) for p in n.parts}
            for node in walk(value):
                if isinstance(node, (Ref, GetAtt)):
                    target = node.target if isinstance(node, Ref) else node.resource
                    if target in ids:
                        kind = "sub" if id(node) in in_sub else ("ref" if isinstance(node, Ref) else "getatt")
                        edges.add(Edge(resource.logical_id, target, kind, f"Properties.{key}"))
    return tuple(sorted(edges, key=lambda e: (e.source, e.target, e.kind, e.path)))
