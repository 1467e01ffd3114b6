"""Step Functions state machines: what each one does, in migration terms.

A state machine is not translated (LF1007), but the functions it invokes, the events that start it and
the permissions it holds are facts the migration needs: the functions become the activities of the
Durable Functions orchestration (or the actions of the Logic App) that replaces it, so they move in one
wave; each event that starts it is a route, schedule or rule that is lost unless something on Azure
starts the replacement (LF1020); each policy is reported with what replaces it (LF1021).

The functions a state machine invokes are the template functions its definition (``Definition``,
``DefinitionString``), ``DefinitionSubstitutions`` and ``Policies`` reference (``!GetAtt Fn.Arn`` as a
Task ``Resource`` or as ``FunctionName`` of ``arn:aws:states:::lambda:invoke``, usually through a
substitution; ``LambdaInvokePolicy: FunctionName: !Ref Fn``), and those its own IAM role references.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.graph import Resource, ResourceGraph, references
from translator.values import Loc, Obj

STATE_MACHINE_TYPES = frozenset({"AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"})
API_TYPES = frozenset(
    {"AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api"}
)
_DEFINITION_KEYS = ("Definition", "DefinitionString", "DefinitionSubstitutions", "Policies")
_ROLE_KEYS = ("Role", "RoleArn")
_START_ACTIONS = ("states:startexecution", "states:startsyncexecution", "states:*", "*")
_GUIDANCE = "Microsoft's guidance for Lambda-centric workflows"


@dataclass(frozen=True)
class StartEvent:
    """A SAM StateMachine event: what starts the state machine."""

    name: str
    type: str
    what: str  # "Api POST /orders", "Schedule rate(1 hour)" ...
    api: str | None  # the logical id of the API it routes through, when in the template
    loc: Loc | None


@dataclass(frozen=True)
class StateMachine:
    logical_id: str
    type: str
    workflow: str | None  # STANDARD | EXPRESS when literal
    functions: tuple[str, ...]
    events: tuple[StartEvent, ...]
    definition_uri: str | None

    def summary(self) -> str:
        kind = f" ({self.workflow})" if self.workflow else ""
        if self.functions:
            calls = f"invokes {', '.join(self.functions)}"
        elif self.definition_uri:
            calls = f"invokes no function of this template (its definition is in {self.definition_uri})"
        else:
            calls = "invokes no function of this template"
        started = "; started by " + ", ".join(e.what for e in self.events) if self.events else ""
        if self.functions:
            replace = (
                f"a Durable Functions orchestration with {', '.join(self.functions)} as its activity functions "
                f"in one function app ({_GUIDANCE}), or a Logic App that calls them"
            )
        else:
            replace = f"a Durable Functions orchestration ({_GUIDANCE}) or a Logic App"
        return (
            f"{self.type} '{self.logical_id}'{kind} {calls}{started}; not translated: rewrite it as {replace}"
        )


def state_machines(graph: ResourceGraph) -> list[StateMachine]:
    """Every state machine of the template, in template order."""
    function_ids = {f.logical_id for f in graph.functions}
    return [_read(graph, r, function_ids) for r in graph.resources if r.type in STATE_MACHINE_TYPES]


def invoked_functions(graph: ResourceGraph, resource: Resource, function_ids: set[str]) -> tuple[str, ...]:
    found: set[str] = set()
    props = resource.properties
    for key in _DEFINITION_KEYS:
        found |= {t for _, t in references(props.get(key))}
    for key in _ROLE_KEYS:
        for _, role_id in references(props.get(key)):
            role = graph.resource(role_id)
            if role is not None and role.type == "AWS::IAM::Role":
                found |= {t for _, t in references(role.properties.get("Policies"))}
    return tuple(sorted(found & function_ids))


def _read(graph: ResourceGraph, resource: Resource, function_ids: set[str]) -> StateMachine:
    props = resource.properties
    workflow = (
        props.get("Type")
        if resource.type == "AWS::Serverless::StateMachine"
        else props.get("StateMachineType")
    )
    uri = props.get("DefinitionUri") or props.get("DefinitionS3Location")
    return StateMachine(
        resource.logical_id,
        resource.type,
        workflow if isinstance(workflow, str) else None,
        invoked_functions(graph, resource, function_ids),
        tuple(_events(resource)),
        uri if isinstance(uri, str) else ("an S3 object" if uri is not None else None),
    )


def _events(resource: Resource) -> list[StartEvent]:
    events = resource.properties.get("Events")
    if not isinstance(events, Obj):
        return []
    out = []
    for name, body in events.items():
        if not isinstance(body, Obj) or not isinstance(body.get("Type"), str):
            continue  # sam.py / sam_spec.py report an event without a literal Type
        kind = str(body["Type"])
        props = body.get("Properties")
        props = props if isinstance(props, Obj) else Obj()
        api_ref = props.get("RestApiId") if kind == "Api" else props.get("ApiId")
        api = next((t for _, t in references(api_ref)), None) if api_ref is not None else None
        out.append(StartEvent(str(name), kind, _what(kind, props), api, events.loc_of(name)))
    return out


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "(computed)"


def _what(kind: str, props: Obj) -> str:
    if kind in ("Api", "HttpApi"):
        method = props.get("Method")
        method = method.upper() if isinstance(method, str) else "(computed)"
        return f"{kind} {method} {_text(props.get('Path'))}" if "Path" in props else f"{kind} (every route)"
    if kind == "Schedule":
        return f"Schedule {_text(props.get('Schedule'))}"
    if kind == "ScheduleV2":
        return f"ScheduleV2 {_text(props.get('ScheduleExpression'))}"
    if kind in ("EventBridgeRule", "CloudWatchEvent"):
        pattern = props.get("Pattern")
        sources = pattern.get("source") if isinstance(pattern, Obj) else None
        shown = ", ".join(s for s in sources if isinstance(s, str)) if isinstance(sources, tuple) else ""
        return f"{kind} ({shown})" if shown else f"{kind}"
    return kind


_HTTP = (
    "an HTTP triggered function on that route that starts the orchestration (a Durable Functions client), "
    "or the Logic App's Request trigger"
)
_TIMER = (
    "a timer triggered function on that schedule that starts the orchestration, or the Logic App's "
    "Recurrence trigger"
)
_EVENT_ADVICE = {"Api": _HTTP, "HttpApi": _HTTP, "Schedule": _TIMER, "ScheduleV2": _TIMER}


def event_message(machine: StateMachine, event: StartEvent) -> tuple[str, str]:
    """(message, suggestion) of the LF1020 finding for one event that starts a state machine."""
    noun = {"Api": "route", "HttpApi": "route", "Schedule": "schedule", "ScheduleV2": "schedule"}.get(
        event.type, "rule"
    )
    advice = _EVENT_ADVICE.get(
        event.type, "an Event Grid triggered function that starts the orchestration, or a Logic App trigger"
    )
    message = (
        f"event '{event.name}' ({event.what}) starts state machine '{machine.logical_id}', which has no "
        f"Azure counterpart here: the {noun} is not translated and is lost unless something starts what "
        f"replaces the state machine: {advice}"
    )
    return message, f"Add {advice}."


_NOTHING = "Nothing to do for an orchestration: keep those functions in its function app."


def policy_messages(resource: Resource, function_ids: set[str]) -> list[tuple[str, Loc | None, str | None]]:
    """(message, loc, suggestion) of the LF1021 finding for each entry of a SAM state machine's Policies."""
    policies = resource.properties.get("Policies")
    if policies is None:
        return []
    entries = list(policies) if isinstance(policies, tuple) else [policies]
    out = []
    for i, entry in enumerate(entries):
        loc = getattr(entry, "loc", None) or resource.properties.loc_of("Policies")
        owner = f"state machine '{resource.logical_id}'"
        if isinstance(entry, Obj) and len(entry) == 1 and "Statement" not in entry:
            template = next(iter(entry))
            body = entry[template]
            targets = sorted({t for _, t in references(body)} & function_ids)
            if template == "LambdaInvokePolicy":
                what = (
                    ", ".join(targets)
                    if targets
                    else _text(body.get("FunctionName") if isinstance(body, Obj) else None)
                )
                out.append(
                    (
                        f"policy LambdaInvokePolicy of {owner} lets it invoke {what}: an orchestration calls its "
                        "activity functions inside the function app and a Logic App calls a function through "
                        "its Azure Functions action, so no role assignment replaces it",
                        loc,
                        _NOTHING,
                    )
                )
                continue
            out.append(
                (
                    f"policy {template} of {owner} is not translated: give what replaces the state machine "
                    "the same access on Azure",
                    loc,
                    None,
                )
            )
        elif isinstance(entry, str):
            out.append(
                (
                    f"managed policy {entry} of {owner} is not translated: give what replaces the state "
                    "machine the same access on Azure",
                    loc,
                    None,
                )
            )
        else:
            out.append(
                (
                    f"policy document {i + 1} of {owner} is not translated: give what replaces the state "
                    "machine the same access on Azure",
                    loc,
                    None,
                )
            )
    return out


def api_links(graph: ResourceGraph, machines: list[StateMachine]) -> dict[str, tuple[str, str]]:
    """API logical id -> (state machine, how) for the template APIs that start a state machine."""
    ids = {m.logical_id for m in machines}
    links: dict[str, tuple[str, str]] = {}
    for m in machines:
        for e in m.events:
            if e.api:
                links.setdefault(e.api, (m.logical_id, f"its event '{e.name}' ({e.what})"))
    for r in graph.resources:
        if r.type in API_TYPES:
            body = {t for k in ("DefinitionBody", "Body") for _, t in references(r.properties.get(k))}
            for target in sorted(body & ids):
                links.setdefault(r.logical_id, (target, "its definition's integration"))
    apis = [r.logical_id for r in graph.resources if r.type in API_TYPES]
    for r in graph.resources:
        if r.type != "AWS::IAM::Role" or not _assumed_by_apigateway(r):
            continue
        started = (
            sorted({t for _, t in references(r.properties.get("Policies")) if t in ids})
            if _grants_start(r.properties.get("Policies"))
            else []
        )
        for target in started:
            for api in apis:
                links.setdefault(api, (target, f"role '{r.logical_id}' that API Gateway assumes to start it"))
    return links


def _assumed_by_apigateway(role: Resource) -> bool:
    return "apigateway.amazonaws.com" in _strings(role.properties.get("AssumeRolePolicyDocument"))


def _grants_start(policies: Any) -> bool:
    return any(s.lower() in _START_ACTIONS for s in _strings(policies))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Obj):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, tuple):
        return [s for v in value for s in _strings(v)]
    return []


def function_routes(graph: ResourceGraph, api: Resource) -> bool:
    """True when a template function is behind one of the API's routes."""
    function_ids = {f.logical_id for f in graph.functions}
    if any(e.source_id == api.logical_id for f in graph.functions for e in f.events):
        return True
    return any(
        t in function_ids for k in ("DefinitionBody", "Body") for _, t in references(api.properties.get(k))
    )


__all__ = [
    "API_TYPES",
    "STATE_MACHINE_TYPES",
    "StartEvent",
    "StateMachine",
    "api_links",
    "event_message",
    "function_routes",
    "invoked_functions",
    "policy_messages",
    "state_machines",
]
