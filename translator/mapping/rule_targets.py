"""EventBridge rules whose targets are not functions: route them through Event Grid, or say what to do.

A rule's function targets become Event Grid subscriptions of the functions (``Triggers.eventgrid``).
Any other target (an SNS topic, an SQS queue, a Kinesis stream, a state machine ...) is routed here.
When the rule's events can reach the Event Grid topic that stands in for its bus (a custom event
pattern, not AWS service events or a schedule) and the target became a Service Bus queue or an event
hub, the topic gets an event subscription with that endpoint, delivered with the topic's identity
(LF3037). Otherwise the target is reported with what to do on Azure (LF3036) and the rule is
``manual``, or ``approximated`` when some of its targets are translated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from translator.findings import Disposition
from translator.graph import Resource
from translator.mapping.event_filters import EventFilter, eventbridge_pattern
from translator.mapping.services import kebab
from translator.parsers.cfn import FunctionResolver
from translator.parsers.sam import referenced_id
from translator.values import Arr, Obj

if TYPE_CHECKING:
    from translator.mapping.triggers import Triggers

#: Azure type of a target's counterpart -> (Event Grid endpoint type, data sender role)
_ENDPOINTS = {
    "Microsoft.ServiceBus/namespaces/queues": ("ServiceBusQueue", "Azure Service Bus Data Sender"),
    "Microsoft.EventHub/namespaces/eventhubs": ("EventHub", "Azure Event Hubs Data Sender"),
}
#: what to do on Azure for a target that is not routed, by the Azure type of its counterpart
_ADVICE = {
    "Microsoft.EventGrid/topics": "Event Grid cannot deliver to another Event Grid topic: subscribe the "
    "topic's consumers to the rule's topic directly, or forward the events from an Event Grid triggered "
    "function",
    "Microsoft.ServiceBus/namespaces/queues": "send the events to the queue from an Event Grid triggered "
    "function or a Service Bus output binding",
    "Microsoft.EventHub/namespaces/eventhubs": "send the events to the event hub from an Event Grid "
    "triggered function or an Event Hubs output binding",
}
_STATE_MACHINES = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")
_ARN_SERVICES = {
    "sns": "SNS topic",
    "sqs": "SQS queue",
    "kinesis": "Kinesis stream",
    "states": "Step Functions state machine",
    "lambda": "Lambda function outside the template",
    "firehose": "Firehose delivery stream",
    "events": "event bus",
    "logs": "CloudWatch log group",
}


def route_rule_targets(t: Triggers) -> None:
    """Every AWS::Events::Rule of the template: its targets that are not translated functions."""
    graph = t.b.graph
    rules = [r for r in graph.resources if r.type == "AWS::Events::Rule"]
    if not rules:
        return
    resolver = FunctionResolver(graph.functions, graph.resources)
    for rule in rules:
        _rule(t, rule, resolver)


def _rule(t: Triggers, rule: Resource, resolver: FunctionResolver) -> None:
    targets = rule.properties.get("Targets")
    if not isinstance(targets, Arr):
        return
    others = [x for x in targets if isinstance(x, Obj) and resolver.function(x.get("Arn")) is None]
    if not others:
        return
    translated = len(targets) - len(others)
    props = rule.properties
    pattern = eventbridge_pattern(props["EventPattern"]) if "EventPattern" in props else None
    for target in others:
        translated += _target(t, rule, target, pattern)
    t.b.lower_disposition(rule.logical_id, Disposition.APPROXIMATED if translated else Disposition.MANUAL)


def _target(t: Triggers, rule: Resource, target: Obj, pattern: EventFilter | None) -> bool:
    """Route one target or report it; True when it is routed."""
    arn = target.get("Arn")
    target_id = referenced_id(arn, {r.logical_id for r in t.b.graph.resources})
    resource = t.b.graph.resource(target_id) if target_id else None
    counterpart = t.b.targets.get(target_id) if target_id else None
    target_name = target.get("Id")
    label = (
        f"'{target_id or target_name}'" if target_id or isinstance(target_name, str) else "(Id not literal)"
    )
    what = f"target {label} ({resource.type if resource is not None else _arn_kind(arn)}"
    what += f", mapped to {counterpart.azure_type})" if counterpart else ")"
    loc = target.loc_of("Arn")
    props = rule.properties

    def manual(why: str, advice: str) -> bool:
        t.b.finding("LF3036", f"rule '{rule.logical_id}' {what}: {why}", loc, rule.logical_id, advice)
        return False

    if "ScheduleExpression" in props:
        return manual(
            "a scheduled rule has no Event Grid publisher, so nothing delivers the schedule to it",
            "Run a timer triggered function on the schedule that sends to the target's Azure counterpart.",
        )
    if pattern is not None and pattern.aws_sources:
        return manual(
            f"the rule matches AWS service events ({', '.join(pattern.aws_sources)}), which have no Azure "
            "counterpart that publishes them",
            "Subscribe to the Azure events that stand for them instead: an Event Grid system topic (resource "
            "group or subscription events for resource changes, storage account events for S3) or Azure "
            "Monitor alerts, and deliver them to what replaces the target.",
        )
    if resource is not None and resource.type in _STATE_MACHINES:
        return manual(
            "state machines are not translated (LF1007)",
            "Start the Durable Functions orchestration or Logic App that replaces the state machine from an "
            "Event Grid triggered function.",
        )
    if counterpart is None:
        why = (
            "it has no Azure resource that an Event Grid subscription can deliver to"
            if resource is not None
            else "the target is outside the template, so no Event Grid subscription is made for it"
        )
        return manual(
            why, "Subscribe what replaces the target on Azure to the rule's Event Grid topic by hand."
        )
    endpoint = _ENDPOINTS.get(counterpart.azure_type)
    topic = _bus_topic(t, props.get("EventBusName"))
    problem = _cannot_route(t, counterpart.symbol, endpoint, topic, target)
    if problem:
        return manual(
            problem,
            _ADVICE.get(counterpart.azure_type, "Forward the events from an Event Grid triggered function.")
            + ".",
        )
    assert endpoint is not None and topic is not None  # _cannot_route said so
    _subscription(t, rule, target, topic, counterpart.symbol, endpoint, pattern)
    filtered = " (the EventPattern became its filter)" if pattern is not None and pattern.body() else ""
    t.b.finding(
        "LF3037",
        f"rule '{rule.logical_id}' {what}: the rule's Event Grid topic delivers to it through an event "
        f"subscription with endpoint type {endpoint[0]}{filtered}; consumers read CloudEvents JSON, not "
        "EventBridge events" + _not_applied(target, pattern),
        loc,
        rule.logical_id,
    )
    return True


def _not_applied(target: Obj, pattern: EventFilter | None) -> str:
    """What of the target and the pattern the subscription does not reproduce, as a message tail."""
    parts = [
        k
        for k in ("Input", "InputPath", "InputTransformer", "RetryPolicy", "DeadLetterConfig")
        if k in target
    ]
    if pattern is not None and pattern.invalid:
        parts.append(f"the EventPattern ({pattern.invalid})")
    elif pattern is not None and pattern.untranslated:
        parts.append("EventPattern parts " + "; ".join(pattern.untranslated))
    return f". Not applied (the consumer must do it): {', '.join(parts)}" if parts else ""


def _arn_kind(arn: Any) -> str:
    text = str(arn) if isinstance(arn, str) else ""
    parts = text.split(":")
    if len(parts) > 2 and parts[0] == "arn":
        return _ARN_SERVICES.get(parts[2], f"{parts[2]} ARN")
    return "target outside the template"


def _bus_topic(t: Triggers, bus: Any) -> str | None:
    """The Event Grid topic standing in for the rule's event bus, or None when the bus is not known."""
    if bus is None or (isinstance(bus, str) and str(bus) == "default"):
        return t._default_bus_topic()
    bus_id = referenced_id(bus, set(t.b.targets))
    if bus_id is not None and t.b.targets[bus_id].azure_type == "Microsoft.EventGrid/topics":
        return t.b.targets[bus_id].symbol
    if isinstance(bus, str):
        name = str(bus).rsplit("/", 1)[-1]
        key = ("_external_topic", name)
        if key not in t._external:
            t._external[key] = t._external_topic(name)
        return t._external[key]
    return None


def _cannot_route(
    t: Triggers, symbol: str, endpoint: tuple[str, str] | None, topic: str | None, target: Obj
) -> str | None:
    """Why Event Grid cannot deliver the rule's events to the target's counterpart, or None."""
    if endpoint is None:
        return "no Event Grid subscription can deliver to it"
    if topic is None:
        return "the rule's event bus is not a literal name or a bus of this template"
    body = t.b.resource(symbol)
    if body is not None and body.body.get("properties", {}).get("requiresSession"):
        return "the queue is session-enabled (FIFO), and Event Grid cannot deliver to a session-enabled queue"
    return None


def _subscription(
    t: Triggers,
    rule: Resource,
    target: Obj,
    topic: str,
    destination: str,
    endpoint: tuple[str, str],
    pattern: EventFilter | None,
) -> None:
    """The topic's identity, its data sender role on the destination and the event subscription."""
    target_name = str(target.get("Id")) if isinstance(target.get("Id"), str) else destination
    t.topic_delivery(
        topic,
        destination,
        endpoint,
        pattern,
        (f"{rule.logical_id}{target_name}Route", kebab(f"{rule.logical_id}-{target_name}", 64)),
        (rule.logical_id,),
        f"routes the events of rule {rule.logical_id} to {destination}",
    )
