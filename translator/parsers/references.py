"""One pass over a parsed template: names that are not defined (LF4002) and resources that depend on each
other in a cycle (LF4015), each reported once at the line of the reference.

CloudFormation rejects both before it creates anything, wherever they are written (a function's Role, an
event's Queue, an output, a condition, Globals), so they are checked here over the whole graph instead of
where a mapper happens to render a value; the mappers still turn such a value into a Bicep parameter, and
do not report it again (``ResourceGraph.reported``).

What counts as defined depends on the format: CloudFormation has parameters, resources, pseudo parameters
and conditions; the SAM transform and the Serverless Framework also generate resources whose logical ids
a template may use (``MyFunctionRole``, ``ServerlessRestApi``, ``HelloLambdaFunction``, ``ApiGatewayRestApi``
...), so a name such a generator may produce is not reported.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from translator.findings import Finding
from translator.graph import ResourceGraph
from translator.parsers.serverless_events import normalize_function_name
from translator.values import (
    PSEUDO_PARAMETERS,
    Arr,
    ConditionRef,
    GetAtt,
    If,
    Intrinsic,
    Loc,
    Obj,
    Ref,
    intrinsic_children,
    loc_of,
)

#: logical ids the SAM transform generates for the template as a whole (SAM docs, "Generated AWS
#: CloudFormation resources": the implicit APIs and their stages and deployments, CodeDeploy's application
#: and service role); anything starting with these is theirs
SAM_IMPLICIT_PREFIXES = (
    "ServerlessRestApi",
    "ServerlessHttpApi",
    "ServerlessDeploymentApplication",
    "CodeDeployServiceRole",
)

#: prefixes of the logical ids the Serverless Framework generates apart from those of a function or layer
#: (lib/plugins/aws/lib/naming.js: the shared role, deployment bucket, APIs, topics and buckets of events,
#: log subscriptions, the custom-resource helper, Cognito pools of cognitoUserPool events)
SERVERLESS_PREFIXES = (
    "IamRole",
    "ServerlessDeploymentBucket",
    "ApiGateway",
    "HttpApi",
    "Websockets",
    "SNSTopic",
    "S3Bucket",
    "CloudWatchLogsSubscriptionFilter",
    "CustomDashresource",
    "CognitoUserPool",
    "EventBridge",
)

#: properties of a SAM function that SAM compiles into other resources (event sources, permissions,
#: CodeDeploy): a reference there does not make the function itself depend on the target. Its other
#: properties are on the function or on its generated role, which the function depends on.
_SAM_FUNCTION_DETACHED = frozenset({"Events", "DeploymentPreference"})

#: how many resources of a cycle a finding names
_CYCLE_SHOWN = 8

#: (kind, name) pairs in ResourceGraph.reported
NAME = "name"  # a Ref / Fn::GetAtt / Fn::Sub / DependsOn target
CONDITION = "condition"  # a condition name
CYCLE = "cycle"  # a resource on a reported cycle


@dataclass(frozen=True)
class Scope:
    """What a template defines, and which other names a generator (SAM, the framework) may define."""

    parameters: frozenset[str]
    resources: frozenset[str]
    conditions: frozenset[str]
    generated: Callable[[str], bool]

    def resource_known(self, name: str) -> bool:
        return name in self.resources or self.generated(name)


@dataclass(frozen=True)
class _Use:
    """One reference: what names it (kind of reference), where it is and whose it is."""

    kind: str  # Ref | Fn::GetAtt | DependsOn | Condition
    name: str
    loc: Loc | None
    where: str
    owner: str | None


def check_references(graph: ResourceGraph, generated: Callable[[str], bool]) -> ResourceGraph:
    """``graph`` with LF4002 for every undefined name and LF4015 for every dependency cycle."""
    scope = Scope(
        parameters=frozenset(p.name for p in graph.parameters),
        resources=frozenset(r.logical_id for r in graph.resources),
        conditions=frozenset(graph.conditions),
        generated=generated,
    )
    findings: list[Finding] = []
    reported: set[tuple[str, str]] = set()
    seen: set[tuple[str, Loc | None]] = set()  # provider/Globals values copied into several functions
    for use in _uses(graph):
        message = _undefined(use, scope)
        if message is None or (use.name, use.loc) in seen:
            continue
        seen.add((use.name, use.loc))
        reported.add((CONDITION if use.kind == "Condition" else NAME, use.name))
        findings.append(Finding.of("LF4002", f"{use.where}: {message}", use.loc, use.owner))
    for cycle, use in _cycles(graph):
        # a long cycle is named by its first resources: the message stays readable, the count says the rest
        shown = [*cycle, cycle[0]] if len(cycle) <= _CYCLE_SHOWN else [*cycle[:_CYCLE_SHOWN], "..."]
        path = " -> ".join(shown) + (f" ({len(cycle)} resources)" if len(cycle) > _CYCLE_SHOWN else "")
        what = "refers to itself" if len(cycle) == 1 else f"is part of the cycle {path}"
        findings.append(
            Finding.of(
                "LF4015",
                f"{use.where}: '{cycle[0]}' {what} ({use.kind} {use.name}); CloudFormation rejects circular "
                "dependencies between resources",
                use.loc,
                cycle[0],
            )
        )
        reported.update((CYCLE, name) for name in cycle)
    return dataclasses.replace(
        graph,
        findings=graph.findings + tuple(findings),
        reported=graph.reported | frozenset(reported),
        references_checked=True,
    )


# ---- what is referenced -------------------------------------------------------------------------
def _uses(graph: ResourceGraph) -> Iterator[_Use]:
    for resource in graph.resources:
        lid = resource.logical_id
        for key, value in resource.properties.items():
            yield from _value_uses(value, f"{lid}.{key}", lid, resource.properties.loc_of(key))
        for dep in resource.depends_on:
            yield _Use("DependsOn", str(dep), loc_of(dep, resource.loc), f"{lid}.DependsOn", lid)
        if resource.condition:
            cond = resource.condition
            yield _Use("Condition", str(cond), loc_of(cond, resource.loc), f"{lid}.Condition", lid)
    if graph.format == "serverless":
        # functions and events of a serverless.yml are not CloudFormation resources of the graph
        for fn in graph.functions:
            for event in fn.events:
                where = f"{fn.logical_id}.events.{event.name}"
                yield from _value_uses(event.properties, where, fn.logical_id, event.loc)
    for name, body in graph.conditions.items():
        yield from _value_uses(body, f"Conditions.{name}", None, graph.conditions.loc_of(name))
    for output in graph.outputs:
        where = f"Outputs.{output.name}"
        yield from _value_uses(output.value, where, output.name, output.loc)
        yield from _value_uses(output.export, f"{where}.Export", output.name, output.loc)
        if output.condition:
            yield _Use(
                "Condition", output.condition, loc_of(output.condition, output.loc), where, output.name
            )
    if graph.sam_globals is not None:
        for section, body in graph.sam_globals.items():
            yield from _value_uses(body, f"Globals.{section}", None, graph.sam_globals.loc_of(section))


def _value_uses(value: Any, where: str, owner: str | None, loc: Loc | None) -> Iterator[_Use]:
    """The references inside one value tree, each with its path below ``where`` (Fn::Sub's ${Name} and
    ${Name.Attr} are Ref and Fn::GetAtt parts since loading; ${!Literal} is text and the names of its
    variable map are substituted, so neither is a reference)."""
    stack: list[tuple[Any, str, Loc | None]] = [(value, where, loc)]
    while stack:  # explicit stack: deeply nested input cannot exhaust the recursion limit
        node, path, near = stack.pop()
        near = loc_of(node, near)
        if isinstance(node, Ref):
            yield _Use("Ref", node.target, near, path, owner)
        elif isinstance(node, GetAtt):
            yield _Use("Fn::GetAtt", node.resource, near, path, owner)
            if isinstance(node.attribute, Intrinsic):
                stack.append((node.attribute, path, near))
        elif isinstance(node, ConditionRef):
            yield _Use("Condition", node.name, near, path, owner)
        elif isinstance(node, If):
            yield _Use("Condition", node.condition, loc_of(node.condition, near), path, owner)
            stack.extend(((node.if_false, path, near), (node.if_true, path, near)))
        elif isinstance(node, Intrinsic):
            stack.extend((child, path, near) for child in reversed(intrinsic_children(node)))
        elif isinstance(node, Obj):
            stack.extend((v, f"{path}.{k}", node.loc_of(k)) for k, v in reversed(list(node.items())))
        elif isinstance(node, (Arr, tuple, list)):
            stack.extend((item, f"{path}[{i}]", near) for i, item in reversed(list(enumerate(node))))


def _undefined(use: _Use, scope: Scope) -> str | None:
    """Why ``use`` names nothing, or None when it names something defined."""
    name = use.name
    if use.kind == "Condition":
        if name in scope.conditions:
            return None
        return f"condition '{name}' is not defined in Conditions{_closest(name, scope.conditions)}"
    if use.kind == "Ref":
        if name in PSEUDO_PARAMETERS or name in scope.parameters or scope.resource_known(name):
            return None
        if name.startswith("AWS::"):
            return f"Ref to '{name}', which is not a pseudo parameter{_closest(name, PSEUDO_PARAMETERS)}"
        known = scope.parameters | scope.resources
        return (
            f"Ref to '{name}', which is not a parameter, resource or pseudo parameter of the template"
            f"{_closest(name, known)}"
        )
    if scope.resource_known(name):
        return None
    what = "Fn::GetAtt on" if use.kind == "Fn::GetAtt" else "DependsOn"
    if name in scope.parameters:
        return f"{what} '{name}', which is a parameter; it takes the logical id of a resource"
    return f"{what} '{name}', which is not a resource of the template{_closest(name, scope.resources)}"


def _closest(name: str, names: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.8)
    return f" (did you mean '{match[0]}'?)" if match else ""


# ---- cycles ------------------------------------------------------------------------------------
def _cycles(graph: ResourceGraph) -> list[tuple[list[str], _Use]]:
    """Each strongly connected group of resources that depend on each other (or one that refers to itself),
    with the first reference (in file order) that closes it. Iterative Tarjan: linear, no recursion."""
    ids = {r.logical_id for r in graph.resources}
    edges: dict[str, list[tuple[str, _Use]]] = {}
    for resource in graph.resources:
        lid = resource.logical_id
        uses: list[_Use] = []
        for key, value in resource.properties.items():
            if _depends_through(resource.type, key):
                uses += _value_uses(value, f"{lid}.{key}", lid, resource.properties.loc_of(key))
        uses += [
            _Use("DependsOn", str(d), loc_of(d, resource.loc), f"{lid}.DependsOn", lid)
            for d in resource.depends_on
        ]
        edges[lid] = [(u.name, u) for u in uses if u.kind != "Condition" and u.name in ids]
    result = []
    for component in _components(list(edges), edges):
        members = set(component)
        if len(component) == 1 and not any(t == component[0] for t, _ in edges[component[0]]):
            continue
        closing = [u for lid in component for t, u in edges[lid] if t in members]
        first = min(closing, key=lambda u: (u.loc.line if u.loc else 0, u.loc.col if u.loc else 0))
        start = first.owner or component[0]
        result.append((_ordered_cycle(start, members, edges), first))
    return sorted(result, key=lambda item: item[1].loc.line if item[1].loc else 0)


def _depends_through(resource_type: str, key: str) -> bool:
    """Whether a reference in property ``key`` makes the resource itself depend on its target. The other
    SAM types (APIs, GraphQL APIs, state machines ...) spread their properties over several generated
    resources in ways that differ by property: their references are not taken as edges, so a cycle through
    them may go unreported, but none is reported that CloudFormation would not see."""
    if resource_type == "AWS::Serverless::Function":
        return key not in _SAM_FUNCTION_DETACHED
    return not resource_type.startswith("AWS::Serverless::")


def _components(nodes: list[str], edges: dict[str, list[tuple[str, _Use]]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            if i < len(targets):
                work.append((node, i + 1))
                target = targets[i][0]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:  # finished ``node``: its parent takes its low link
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
    return out


def _ordered_cycle(start: str, members: set[str], edges: dict[str, list[tuple[str, _Use]]]) -> list[str]:
    """One path through the group from ``start`` back to it (breadth first, so the shortest)."""
    previous: dict[str, str] = {}
    queue = [start]
    for node in queue:
        for target, _ in edges[node]:
            if target not in members:
                continue
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return list(reversed(path))
            if target not in previous:
                previous[target] = node
                queue.append(target)
    return [start]


# ---- what generators define ----------------------------------------------------------------------
def sam_generated(graph: ResourceGraph) -> Callable[[str], bool]:
    """Names the SAM transform may generate: its implicit APIs, and ids that begin with the logical id of a
    SAM resource (``<Function>Role``, ``<Function>.Version``, ``<Function>.Alias``, ``<Function><Event>``,
    ``<Api>.Stage``, ``<Api>Deployment...``: SAM derives every id it adds from its owner's, which may let a
    misspelt name that begins like a SAM resource through: a false negative, never a false positive)."""
    owners = tuple(r.logical_id for r in graph.resources if r.type.startswith("AWS::Serverless::"))
    # an embedded connector becomes '<Resource><Connector>' and its policy '<Resource><Connector>Policy'
    embedded = tuple(
        f"{r.logical_id}{name}" for r in graph.resources if r.connectors for name in r.connectors
    )
    prefixes = SAM_IMPLICIT_PREFIXES + owners + embedded
    return lambda name: name.startswith(prefixes)


def serverless_generated(function_keys: Iterable[str], plugin_resources: bool) -> Callable[[str], bool]:
    """Names the Serverless Framework may generate: ids that begin with a function's normalised name
    (``<Fn>LambdaFunction``, ``<Fn>LogGroup``, ``<Fn>LambdaPermission...``, ``<Fn>EventSourceMapping...``)
    or with a prefix of the framework's own resources. A service with a resource-generating plugin section
    (stepFunctions, constructs ...) may use any name the plugin makes: no resource name is reported."""
    if plugin_resources:
        return lambda name: True
    prefixes = SERVERLESS_PREFIXES + tuple(normalize_function_name(k) for k in function_keys)
    return lambda name: name.startswith(prefixes)


def nothing_generated(name: str) -> bool:
    """Plain CloudFormation: nothing is defined but what the template writes."""
    return False
