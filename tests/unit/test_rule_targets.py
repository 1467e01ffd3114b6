"""EventBridge rule targets that are not functions (translator/mapping/rule_targets.py).

Facts the expected values follow: an Event Grid event subscription delivers to an Azure Function, an
event hub (endpointType EventHub), a Service Bus queue or topic, a storage queue, a hybrid connection or
a webhook; not to another Event Grid topic, and not to a session-enabled Service Bus queue. With
deliveryWithResourceIdentity the topic's system-assigned identity needs the data sender role on the
destination (Azure Service Bus Data Sender 69a216fc-..., Azure Event Hubs Data Sender 2b629674-...).
EventBridge sources 'aws.*' are events AWS services emit; nothing on Azure publishes them.
"""

from __future__ import annotations

import textwrap

from translator.findings import Disposition, Finding
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan, AzureResource

SERVICE_BUS_DATA_SENDER = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"
EVENT_HUBS_DATA_SENDER = "2b629674-e913-4c01-ae53-ef4638d8f975"

RESOURCES = """\
Fn:
  Type: AWS::Lambda::Function
  Properties: {Handler: app.handler, Runtime: python3.12, Role: arn:aws:iam::1:role/r, Code: {ZipFile: x}}
Queue:
  Type: AWS::SQS::Queue
FifoQueue:
  Type: AWS::SQS::Queue
  Properties: {FifoQueue: true}
Stream:
  Type: AWS::Kinesis::Stream
  Properties: {ShardCount: 1}
Topic:
  Type: AWS::SNS::Topic
Machine:
  Type: AWS::StepFunctions::StateMachine
  Properties: {DefinitionString: '{}', RoleArn: arn:aws:iam::1:role/r}
"""


def plan_of(rule: str) -> AzurePlan:
    text = (
        "Resources:\n"
        + textwrap.indent(RESOURCES, "  ")
        + "  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n"
        + textwrap.indent(textwrap.dedent(rule).strip("\n"), "      ")
        + "\n"
    )
    return map_graph(parse_document(load_text(text, "t.yaml")))


def rule_disposition(plan: AzurePlan) -> Disposition:
    (entry,) = [e for e in plan.inventory if e.logical_id == "Rule"]
    return entry.disposition


def rule_findings(plan: AzurePlan, rule: str) -> list[Finding]:
    return [f for f in plan.findings if f.rule == rule and f.resource == "Rule"]


def routes(plan: AzurePlan) -> list[AzureResource]:
    return [
        r
        for r in plan.resources
        if r.type == "Microsoft.EventGrid/topics/eventSubscriptions" and r.symbol.endswith("Route")
    ]


CUSTOM_PATTERN = "EventPattern: {source: [com.example.orders], detail-type: [OrderPlaced]}\n"


def test_rule_on_aws_service_events_to_a_topic_is_manual() -> None:
    # serverless-patterns eventbridge-sns-lambda: EC2 state changes published to an SNS topic
    plan = plan_of(
        """\
        EventPattern: {source: [aws.ec2], detail-type: [EC2 Instance State-change Notification]}
        Targets:
          - {Arn: !Ref Topic, Id: SNS-Topic}
        """
    )
    assert rule_disposition(plan) is Disposition.MANUAL
    (finding,) = rule_findings(plan, "LF3036")
    assert finding.severity.value == "warning"
    assert finding.message == (
        "rule 'Rule' target 'Topic' (AWS::SNS::Topic, mapped to Microsoft.EventGrid/topics): the rule "
        "matches AWS service events (aws.ec2), which have no Azure counterpart that publishes them"
    )
    assert "Event Grid system topic" in (finding.suggestion or "")
    assert finding.loc is not None and finding.loc.line == 23  # the target's Arn
    assert routes(plan) == []


def test_function_target_keeps_todays_behaviour() -> None:
    plan = plan_of(CUSTOM_PATTERN + "Targets:\n  - {Arn: !GetAtt Fn.Arn, Id: fn}\n")
    assert rule_findings(plan, "LF3036") == rule_findings(plan, "LF3037") == []
    assert rule_disposition(plan) is Disposition.CONVERTED
    assert routes(plan) == []


def test_queue_target_of_a_custom_pattern_gets_a_service_bus_subscription() -> None:
    plan = plan_of(
        CUSTOM_PATTERN + "Targets:\n  - {Arn: !GetAtt Fn.Arn, Id: fn}\n  - {Arn: !GetAtt Queue.Arn, Id: q}\n"
    )
    (route,) = routes(plan)
    assert route.body["parent"].name == "defaultEventBus"  # the rule is on the default bus
    delivery = route.body["properties"]["deliveryWithResourceIdentity"]
    assert delivery["destination"]["endpointType"] == "ServiceBusQueue"
    assert delivery["destination"]["properties"]["resourceId"].target.name == "queue"
    assert route.body["properties"]["filter"]["includedEventTypes"] == ["OrderPlaced"]
    assert route.condition is None  # a queue endpoint needs no deployed code, unlike a function's
    (sender,) = [r for r in plan.resources if r.symbol == route.body["dependsOn"][0].name]
    assert sender.body["properties"]["roleDefinitionId"].args[1] == SERVICE_BUS_DATA_SENDER
    assert sender.body["scope"].name == "queue"
    (bus,) = [r for r in plan.resources if r.symbol == "defaultEventBus"]
    assert bus.body["identity"] == {"type": "SystemAssigned"}
    (note,) = rule_findings(plan, "LF3037")
    assert "endpoint type ServiceBusQueue (the EventPattern became its filter)" in note.message
    assert rule_findings(plan, "LF3036") == []
    assert rule_disposition(plan) is Disposition.APPROXIMATED


def test_stream_target_gets_an_event_hub_subscription_and_transforms_are_named() -> None:
    plan = plan_of(CUSTOM_PATTERN + "Targets:\n  - {Arn: !GetAtt Stream.Arn, Id: s, InputPath: $.detail}\n")
    (route,) = routes(plan)
    destination = route.body["properties"]["deliveryWithResourceIdentity"]["destination"]
    assert destination["endpointType"] == "EventHub"
    (sender,) = [r for r in plan.resources if r.symbol == route.body["dependsOn"][0].name]
    assert sender.body["properties"]["roleDefinitionId"].args[1] == EVENT_HUBS_DATA_SENDER
    (note,) = rule_findings(plan, "LF3037")
    assert note.message.endswith("Not applied (the consumer must do it): InputPath")


def test_targets_event_grid_cannot_deliver_to_are_reported() -> None:
    plan = plan_of(
        CUSTOM_PATTERN
        + "Targets:\n"
        + "  - {Arn: !GetAtt Fn.Arn, Id: fn}\n"
        + "  - {Arn: !Ref Topic, Id: t}\n"
        + "  - {Arn: !GetAtt FifoQueue.Arn, Id: f}\n"
        + "  - {Arn: !Ref Machine, Id: m}\n"
        + "  - {Arn: 'arn:aws:sqs:us-east-1:123456789012:elsewhere', Id: x}\n"
    )
    got = [f.message.split(": ", 1)[1] for f in rule_findings(plan, "LF3036")]
    assert got == [
        "no Event Grid subscription can deliver to it",
        "the queue is session-enabled (FIFO), and Event Grid cannot deliver to a session-enabled queue",
        "state machines are not translated (LF1007)",
        "the target is outside the template, so no Event Grid subscription is made for it",
    ]
    assert "(SQS queue)" in rule_findings(plan, "LF3036")[-1].message
    assert routes(plan) == []
    assert rule_disposition(plan) is Disposition.APPROXIMATED  # the function target is translated


def test_scheduled_rule_to_a_queue_is_manual() -> None:
    plan = plan_of("ScheduleExpression: rate(1 hour)\nTargets:\n  - {Arn: !GetAtt Queue.Arn, Id: q}\n")
    (finding,) = rule_findings(plan, "LF3036")
    assert "a scheduled rule has no Event Grid publisher" in finding.message
    assert "timer triggered function" in (finding.suggestion or "")
    assert rule_disposition(plan) is Disposition.MANUAL
    assert routes(plan) == []
