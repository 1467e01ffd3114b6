"""SNS filter policies, EventBridge patterns and S3 event names -> Event Grid subscription filters.

Expected values follow the AWS matching rules (a key's conditions are ORed, keys are ANDed; anything-but
needs the field to be present) and the Event Grid advanced filter reference (one operator per filter,
values ORed, filters ANDed; CloudEvents keys ``source``, ``type``, extension attributes and
``data.<path>``; NotIn operators match a missing key; 25 filters and 25 values per subscription).
"""

from __future__ import annotations

import doctest
from typing import Any

import pytest

from tests.unit.test_triggers import one, rules, sam, trigger
from translator.findings import Disposition
from translator.mapping import event_filters
from translator.mapping.event_filters import eventbridge_pattern, sns_filter_policy


def present(key: str) -> dict[str, Any]:
    return {"operatorType": "IsNotNull", "key": key}


# (policy, scope, expected advanced filters, number of untranslated parts)
SNS_CASES: list[tuple[Any, str | None, list[dict[str, Any]], int]] = [
    (
        {"store": ["example_corp"]},
        None,
        [{"operatorType": "StringIn", "key": "store", "values": ["example_corp"]}],
        0,
    ),
    # attribute names become CloudEvents extension attribute names: lower-case a-z0-9
    (
        {"Event-Type": ["a", "b"]},
        None,
        [{"operatorType": "StringIn", "key": "eventtype", "values": ["a", "b"]}],
        0,
    ),
    ({"price": [100, 200]}, None, [{"operatorType": "NumberIn", "key": "price", "values": [100, 200]}], 0),
    ({"price": [1.5]}, None, [], 1),  # non-integer numbers are not expressed
    ({"flag": [True]}, "MessageBody", [{"operatorType": "BoolEquals", "key": "data.flag", "value": True}], 0),
    (
        {"store": [{"anything-but": ["a", "b"]}]},
        None,
        [present("store"), {"operatorType": "StringNotIn", "key": "store", "values": ["a", "b"]}],
        0,
    ),
    (
        {"store": [{"anything-but": "a"}]},
        None,
        [present("store"), {"operatorType": "StringNotIn", "key": "store", "values": ["a"]}],
        0,
    ),
    (
        {"price": [{"anything-but": [0, 10]}]},
        None,
        [present("price"), {"operatorType": "NumberNotIn", "key": "price", "values": [0, 10]}],
        0,
    ),
    (
        {"store": [{"anything-but": {"prefix": "test-"}}]},
        None,
        [present("store"), {"operatorType": "StringNotBeginsWith", "key": "store", "values": ["test-"]}],
        0,
    ),
    (
        {"price": [{"numeric": [">", 0, "<=", 150]}]},
        None,
        [
            {"operatorType": "NumberGreaterThan", "key": "price", "value": 0},
            {"operatorType": "NumberLessThanOrEquals", "key": "price", "value": 150},
        ],
        0,
    ),
    (
        {"price": [{"numeric": ["=", 301]}]},
        None,
        [{"operatorType": "NumberIn", "key": "price", "values": [301]}],
        0,
    ),
    (
        {"price": [{"numeric": [">=", 10]}]},
        None,
        [{"operatorType": "NumberGreaterThanOrEquals", "key": "price", "value": 10}],
        0,
    ),
    (
        {"price": [{"numeric": ["<", 5]}]},
        None,
        [{"operatorType": "NumberLessThan", "key": "price", "value": 5}],
        0,
    ),
    (
        {"region": [{"prefix": "us-"}]},
        None,
        [{"operatorType": "StringBeginsWith", "key": "region", "values": ["us-"]}],
        0,
    ),
    (
        {"file": [{"suffix": ".png"}]},
        None,
        [{"operatorType": "StringEndsWith", "key": "file", "values": [".png"]}],
        0,
    ),
    ({"store": [{"exists": True}]}, None, [{"operatorType": "IsNotNull", "key": "store"}], 0),
    ({"store": [{"exists": False}]}, None, [{"operatorType": "IsNullOrUndefined", "key": "store"}], 0),
    (
        {"store": [{"equals-ignore-case": "ACME"}]},
        None,
        [{"operatorType": "StringIn", "key": "store", "values": ["ACME"]}],
        0,
    ),
    ({"ip": [{"cidr": "10.0.0.0/24"}]}, None, [], 1),
    ({"store": ["a", {"prefix": "b"}]}, None, [], 1),  # two kinds of test ORed
    (
        {"a": ["x"], "$or": [{"b": ["y"]}, {"c": ["z"]}]},
        None,
        [{"operatorType": "StringIn", "key": "a", "values": ["x"]}],
        1,
    ),
    ({"store": {"nested": ["x"]}}, None, [], 1),  # attributes are flat
    # message body: nested keys become data.<path>
    (
        {"order": {"status": ["paid"], "total": [{"numeric": [">", 100]}]}},
        "MessageBody",
        [
            {"operatorType": "StringIn", "key": "data.order.status", "values": ["paid"]},
            {"operatorType": "NumberGreaterThan", "key": "data.order.total", "value": 100},
        ],
        0,
    ),
    ({"a.b": ["x"]}, "MessageBody", [], 1),  # Event Grid keys cannot contain '.'
    # a JSON string (CloudFormation allows it) is read the same way
    ('{"store": ["x"]}', None, [{"operatorType": "StringIn", "key": "store", "values": ["x"]}], 0),
]


@pytest.mark.parametrize(("policy", "scope", "advanced", "left_out"), SNS_CASES)
def test_sns_filter_policy(
    policy: Any, scope: str | None, advanced: list[dict[str, Any]], left_out: int
) -> None:
    result = sns_filter_policy(policy, scope)
    assert result.advanced == advanced
    assert len(result.untranslated) == left_out
    assert result.invalid is None


def test_template_expressions_in_values_are_reported() -> None:
    from translator.values import Ref

    result = sns_filter_policy({"store": [Ref("StoreName")], "kind": ["a"]})
    assert result.advanced == [{"operatorType": "StringIn", "key": "kind", "values": ["a"]}]
    (left,) = result.untranslated
    assert left.startswith("store:") and "template expression" in left


def test_sns_filter_policy_that_is_not_an_object() -> None:
    assert sns_filter_policy("not json").invalid
    assert sns_filter_policy(["a"]).invalid


def test_limit_of_25_values_per_subscription() -> None:
    # 30 values on one key: the one filter would carry more than 25 values, so it is left out and reported
    result = sns_filter_policy({"k": [f"v{i}" for i in range(30)]})
    assert result.advanced == []
    assert len(result.untranslated) == 1 and "25" in result.untranslated[0]
    # 26 keys of one value each: 25 filters fit, the 26th does not
    result = sns_filter_policy({f"k{i}": ["v"] for i in range(26)})
    assert len(result.advanced) == 25
    assert [u.split(" ")[0] for u in result.untranslated] == ["k25"]


def test_arrays_are_matched_element_by_element() -> None:
    assert sns_filter_policy({"k": ["v"]}).body()["enableAdvancedFilteringOnArrays"] is True
    assert sns_filter_policy({}).body() == {}


# (pattern, included event types, advanced filters, untranslated count, AWS sources)
EVENTBRIDGE_CASES: list[tuple[Any, list[str], list[dict[str, Any]], int, list[str]]] = [
    (
        {"source": ["com.shop.orders"], "detail-type": ["Order Placed", "Order Paid"]},
        ["Order Placed", "Order Paid"],
        [{"operatorType": "StringIn", "key": "source", "values": ["com.shop.orders"]}],
        0,
        [],
    ),
    (
        {"detail": {"state": ["running"], "count": [{"numeric": [">=", 2]}]}},
        [],
        [
            {"operatorType": "StringIn", "key": "data.state", "values": ["running"]},
            {"operatorType": "NumberGreaterThanOrEquals", "key": "data.count", "value": 2},
        ],
        0,
        [],
    ),
    (
        {"detail-type": [{"prefix": "Order "}]},
        [],
        [{"operatorType": "StringBeginsWith", "key": "type", "values": ["Order "]}],
        0,
        [],
    ),
    (
        {"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]},
        ["EC2 Instance State-change Notification"],
        [{"operatorType": "StringIn", "key": "source", "values": ["aws.ec2"]}],
        0,
        ["aws.ec2"],
    ),
    (
        {"source": [{"prefix": "aws."}]},
        [],
        [{"operatorType": "StringBeginsWith", "key": "source", "values": ["aws."]}],
        0,
        ["aws.*"],
    ),
    (
        {"account": ["123456789012"], "source": ["x"]},
        [],
        [{"operatorType": "StringIn", "key": "source", "values": ["x"]}],
        1,
        [],
    ),
    ({"region": ["eu-west-1"]}, [], [], 1, []),
    (
        {"detail": {"path": [{"wildcard": "*.png"}]}},
        [],
        [{"operatorType": "StringEndsWith", "key": "data.path", "values": [".png"]}],
        0,
        [],
    ),
    (
        {"detail": {"path": [{"wildcard": "img/*"}]}},
        [],
        [{"operatorType": "StringBeginsWith", "key": "data.path", "values": ["img/"]}],
        0,
        [],
    ),
    (
        {"detail": {"path": [{"wildcard": "*tmp*"}]}},
        [],
        [{"operatorType": "StringContains", "key": "data.path", "values": ["tmp"]}],
        0,
        [],
    ),
    ({"detail": {"path": [{"wildcard": "a*b"}]}}, [], [], 1, []),
    ({"detail": {"gone": [None]}}, [], [{"operatorType": "IsNullOrUndefined", "key": "data.gone"}], 0, []),
    ({"detail": {"$or": [{"a": ["1"]}, {"b": ["2"]}]}}, [], [], 1, []),
    ({"detail": "x"}, [], [], 1, []),
    # CloudTrail events come from AWS whatever the source field says
    (
        {"detail-type": ["AWS API Call via CloudTrail"], "detail": {"eventSource": ["s3.amazonaws.com"]}},
        ["AWS API Call via CloudTrail"],
        [{"operatorType": "StringIn", "key": "data.eventSource", "values": ["s3.amazonaws.com"]}],
        0,
        ["detail-type 'AWS API Call via CloudTrail'"],
    ),
]


@pytest.mark.parametrize(("pattern", "types", "advanced", "left_out", "aws"), EVENTBRIDGE_CASES)
def test_eventbridge_pattern(
    pattern: Any, types: list[str], advanced: list[dict[str, Any]], left_out: int, aws: list[str]
) -> None:
    result = eventbridge_pattern(pattern)
    assert result.included_event_types == types
    assert result.advanced == advanced
    assert len(result.untranslated) == left_out
    assert result.aws_sources == aws


def test_doctests() -> None:
    assert doctest.testmod(event_filters).failed == 0


# ---- through the mapper --------------------------------------------------------------------------


def rule_plan(pattern: str, target_extra: str = "") -> Any:
    text = f"""
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Code: {{ZipFile: "def handler(e, c): pass"}}
      Role: arn:aws:iam::123456789012:role/r
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: {pattern}
      Targets:
        - Arn: !GetAtt Fn.Arn
          Id: fn{target_extra}
"""
    from translator.load import load_text
    from translator.mapping.core import map_graph
    from translator.parsers.template import parse_document

    return map_graph(parse_document(load_text(text, "t.yaml")))


def test_eventbridge_rule_subscription_gets_the_filter() -> None:
    plan = rule_plan(
        '{"source": ["shop"], "detail-type": ["Order Placed"], "detail": {"total": [{"numeric": [">", 9]}]}}'
    )
    subscription = one(plan, "Microsoft.EventGrid/topics/eventSubscriptions")
    assert subscription.body["properties"]["filter"] == {
        "includedEventTypes": ["Order Placed"],
        "advancedFilters": [
            {"operatorType": "StringIn", "key": "source", "values": ["shop"]},
            {"operatorType": "NumberGreaterThan", "key": "data.total", "value": 9},
        ],
        "enableAdvancedFilteringOnArrays": True,
    }
    (contract,) = [f.message for f in plan.findings if f.rule == "LF3023"]
    assert "detail-type as 'type'" in contract and "detail as 'data'" in contract
    assert trigger(plan).disposition is Disposition.CONVERTED


def test_eventbridge_rule_on_aws_service_events_is_manual() -> None:
    plan = rule_plan('{"source": ["aws.ec2"]}')
    assert "LF3025" in rules(plan)
    assert trigger(plan).disposition is Disposition.MANUAL


def test_eventbridge_input_transformer_is_reported() -> None:
    plan = rule_plan(
        '{"source": ["shop"]}',
        "\n          InputTransformer: {InputTemplate: '\"<id>\"', InputPathsMap: {id: $.id}}",
    )
    (message,) = [f.message for f in plan.findings if f.rule == "LF3024"]
    assert "InputTransformer" in message
    assert trigger(plan).disposition is Disposition.APPROXIMATED


def test_eventbridge_retry_policy_becomes_event_grid_retry() -> None:
    plan = rule_plan(
        '{"source": ["shop"]}',
        "\n          RetryPolicy: {MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600}",
    )
    subscription = one(plan, "Microsoft.EventGrid/topics/eventSubscriptions")
    # 2 retries = 3 deliveries; 3600 s = 60 minutes
    assert subscription.body["properties"]["retryPolicy"] == {
        "maxDeliveryAttempts": 3,
        "eventTimeToLiveInMinutes": 60,
    }
    assert "LF3007" not in rules(plan)


def test_sns_filter_part_not_expressible_is_reported_and_approximated() -> None:
    plan = sam(
        "Alerts:\n  Type: SNS\n  Properties:\n    Topic: !Ref T\n"
        "    FilterPolicy: {severity: [high], ip: [{cidr: 10.0.0.0/8}]}\n",
        "T:\n  Type: AWS::SNS::Topic\n",
    )
    (message,) = [f.message for f in plan.findings if f.rule == "LF3003"]
    assert "ip:" in message and "cidr" in message
    assert trigger(plan).disposition is Disposition.APPROXIMATED


# ---- S3 event names ------------------------------------------------------------------------------

BLOB_CREATED = "Microsoft.Storage.BlobCreated"
BLOB_DELETED = "Microsoft.Storage.BlobDeleted"

# (S3 events, Azure trigger, includedEventTypes or None when no trigger, LF3022 reported)
S3_CASES: list[tuple[str, str | None, list[str] | None, bool]] = [
    ("s3:ObjectCreated:*", "blobTrigger", [BLOB_CREATED], False),
    ("s3:ObjectCreated:Put", "blobTrigger", [BLOB_CREATED], True),
    ("s3:ObjectCreated:Post", "blobTrigger", [BLOB_CREATED], True),
    ("s3:ObjectCreated:Copy", "blobTrigger", [BLOB_CREATED], True),
    ("s3:ObjectCreated:CompleteMultipartUpload", "blobTrigger", [BLOB_CREATED], True),
    ("[s3:ObjectCreated:Put, s3:ObjectCreated:Copy]", "blobTrigger", [BLOB_CREATED], True),
    ("s3:ObjectRemoved:*", "eventGridTrigger", [BLOB_DELETED], False),
    ("s3:ObjectRemoved:Delete", "eventGridTrigger", [BLOB_DELETED], False),
    ("s3:ObjectRemoved:DeleteMarkerCreated", "eventGridTrigger", [BLOB_DELETED], True),
    ("[s3:ObjectCreated:*, s3:ObjectRemoved:*]", "eventGridTrigger", [BLOB_CREATED, BLOB_DELETED], False),
    ("s3:ObjectRestore:Completed", "eventGridTrigger", ["Microsoft.Storage.BlobTierChanged"], True),
    ("s3:ObjectRestore:Post", "eventGridTrigger", ["Microsoft.Storage.AsyncOperationInitiated"], True),
    ("[s3:ObjectCreated:*, s3:ObjectTagging:*]", "blobTrigger", [BLOB_CREATED], True),
    ("s3:ObjectTagging:Put", None, None, True),
    ("s3:Replication:OperationFailedReplication", None, None, True),
]


@pytest.mark.parametrize(("events", "azure_trigger", "types", "reported"), S3_CASES)
def test_s3_event_names(
    events: str, azure_trigger: str | None, types: list[str] | None, reported: bool
) -> None:
    plan = sam(
        f"Upload:\n  Type: S3\n  Properties:\n    Bucket: !Ref B\n    Events: {events}\n",
        "B:\n  Type: AWS::S3::Bucket\n",
    )
    found = trigger(plan)
    assert found.azure_trigger == azure_trigger
    subscriptions = [
        r for r in plan.resources if r.type == "Microsoft.EventGrid/systemTopics/eventSubscriptions"
    ]
    if types is None:
        assert subscriptions == []
        assert found.disposition is Disposition.MANUAL
    else:
        (subscription,) = subscriptions
        assert subscription.body["properties"]["filter"]["includedEventTypes"] == types
        endpoint = subscription.body["properties"]["destination"]["endpointType"]
        assert endpoint == ("WebHook" if azure_trigger == "blobTrigger" else "AzureFunction")
    assert ("LF3022" in rules(plan)) is reported


def test_s3_key_filters_apply_to_the_event_grid_trigger_too() -> None:
    from translator.bicep import render

    plan = sam(
        "Upload:\n  Type: S3\n  Properties:\n    Bucket: !Ref B\n    Events: s3:ObjectRemoved:*\n"
        "    Filter: {S3Key: {Rules: [{Name: prefix, Value: logs/}, {Name: suffix, Value: .gz}]}}\n",
        "B:\n  Type: AWS::S3::Bucket\n",
    )
    subscription = one(plan, "Microsoft.EventGrid/systemTopics/eventSubscriptions")
    event_filter = subscription.body["properties"]["filter"]
    container = next(r.symbol for r in plan.resources if r.sources == ("B",) and "containers" in r.type)
    assert (
        render(event_filter["subjectBeginsWith"])
        == f"'/blobServices/default/containers/${{{container}.name}}/blobs/logs/'"
    )
    assert event_filter["subjectEndsWith"] == ".gz"


# ---- SNS fan-out to SQS (SAM SqsSubscription) ----------------------------------------------------

SERVICE_BUS_DATA_SENDER = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"  # research/azure-target.md §5


def fan_out(
    subscription: str, resources: str = "Alerts:\n  Type: AWS::SNS::Topic\n", topic: str = "!Ref Alerts"
) -> Any:
    return sam(
        f"N:\n  Type: SNS\n  Properties:\n    Topic: {topic}\n    SqsSubscription: {subscription}\n"
        "    FilterPolicy: {severity: [high]}\n",
        resources,
    )


def test_sns_fan_out_to_a_queue_forwards_the_topic() -> None:
    from translator.bicep import render

    plan = fan_out("true")
    found = trigger(plan)
    assert found.azure_trigger == "serviceBusTrigger"
    topic = one(plan, "Microsoft.EventGrid/topics")
    assert topic.body["identity"] == {"type": "SystemAssigned"}
    queue = one(plan, "Microsoft.ServiceBus/namespaces/queues")
    forwarding = one(plan, "Microsoft.EventGrid/topics/eventSubscriptions")
    props = forwarding.body["properties"]
    assert forwarding.body["parent"].name == topic.symbol
    delivery = props["deliveryWithResourceIdentity"]
    assert delivery["identity"] == {"type": "SystemAssigned"}
    assert delivery["destination"]["endpointType"] == "ServiceBusQueue"
    assert render(delivery["destination"]["properties"]["resourceId"]) == f"{queue.symbol}.id"
    # the filter policy applies to what reaches the queue
    assert props["filter"]["advancedFilters"] == [
        {"operatorType": "StringIn", "key": "severity", "values": ["high"]}
    ]
    senders = [
        r
        for r in plan.resources
        if r.type == "Microsoft.Authorization/roleAssignments"
        and SERVICE_BUS_DATA_SENDER in render(r.body["properties"]["roleDefinitionId"])
    ]
    (sender,) = senders
    assert render(sender.body["properties"]["principalId"]) == f"{topic.symbol}.identity.principalId"
    assert render(sender.body["scope"]) == queue.symbol
    assert [render(d) for d in forwarding.body["dependsOn"]] == [sender.symbol]
    assert "LF3028" in rules(plan) and "LF3029" not in rules(plan)


def test_sns_fan_out_to_a_session_queue_is_not_forwarded() -> None:
    resources = (
        "Alerts:\n  Type: AWS::SNS::Topic\nQ:\n  Type: AWS::SQS::Queue\n"
        "  Properties: {QueueName: q.fifo, FifoQueue: true}\n"
    )
    plan = fan_out("{QueueArn: !GetAtt Q.Arn}", resources)
    assert trigger(plan).binding["isSessionsEnabled"] is True
    assert [r for r in plan.resources if r.type == "Microsoft.EventGrid/topics/eventSubscriptions"] == []
    assert "LF3029" in rules(plan)
    assert trigger(plan).disposition is Disposition.APPROXIMATED


def test_sns_fan_out_from_a_topic_outside_the_template_uses_a_stand_in() -> None:
    plan = fan_out("true", "", "arn:aws:sns:us-east-1:123456789012:ops")
    topic = one(plan, "Microsoft.EventGrid/topics")
    assert topic.body["identity"] == {"type": "SystemAssigned"}
    assert one(plan, "Microsoft.EventGrid/topics/eventSubscriptions").body["parent"].name == topic.symbol


CFN_FAN_OUT = """
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Protocol: sqs
          Endpoint: !GetAtt Q1.Arn
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: sqs
      TopicArn: !Ref Topic
      Endpoint: !GetAtt Q2.Arn
      FilterPolicy: {kind: [order]}
  Fifo:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: sqs
      TopicArn: !Ref Topic
      Endpoint: !GetAtt Q3.Arn
  Outside:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: sqs
      TopicArn: !Ref Topic
      Endpoint: arn:aws:sqs:us-east-1:123456789012:elsewhere
  Q1:
    Type: AWS::SQS::Queue
  Q2:
    Type: AWS::SQS::Queue
  Q3:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true, QueueName: q3.fifo}
"""


def test_cloudformation_sns_to_sqs_subscriptions_are_forwarded() -> None:
    from translator.bicep import render
    from translator.load import load_text
    from translator.mapping.core import map_graph
    from translator.parsers.template import parse_document

    plan = map_graph(parse_document(load_text(CFN_FAN_OUT, "t.yaml")))
    forwards = {
        r.sources: r for r in plan.resources if r.type == "Microsoft.EventGrid/topics/eventSubscriptions"
    }
    assert set(forwards) == {("Topic",), ("Sub",)}
    queues = {
        r.sources[0]: r.symbol for r in plan.resources if r.type == "Microsoft.ServiceBus/namespaces/queues"
    }
    destination = forwards[("Sub",)].body["properties"]["deliveryWithResourceIdentity"]["destination"]
    assert render(destination["properties"]["resourceId"]) == f"{queues['Q2']}.id"
    assert forwards[("Sub",)].body["properties"]["filter"]["advancedFilters"] == [
        {"operatorType": "StringIn", "key": "kind", "values": ["order"]}
    ]
    assert "filter" not in forwards[("Topic",)].body["properties"]
    by_resource = {(f.resource, f.rule) for f in plan.findings}
    assert {("Topic", "LF3028"), ("Sub", "LF3028"), ("Fifo", "LF3029"), ("Outside", "LF3029")} <= by_resource
    # the parser no longer reports sqs subscriptions as untranslated
    assert not [f for f in plan.findings if f.rule == "LF1005" and "protocol sqs" in f.message]
    inventory = {e.logical_id: e.disposition for e in plan.inventory}
    assert inventory["Fifo"] is Disposition.MANUAL and inventory["Sub"] is Disposition.CONVERTED


def test_eventbridge_retry_policy_that_is_not_literal_is_reported_once() -> None:
    plan = rule_plan(
        '{"source": ["shop"]}', "\n          RetryPolicy: !Ref Policy\n          DeadLetterConfig: {Arn: x}"
    )
    untranslated = [f.message for f in plan.findings if f.rule == "LF3007"]
    assert len(untranslated) == 1
    assert untranslated[0].endswith("DeadLetterConfig, RetryPolicy")
    assert "retryPolicy" not in one(plan, "Microsoft.EventGrid/topics/eventSubscriptions").body["properties"]


def test_subscription_settings_event_grid_does_not_take_are_reported() -> None:
    from translator.load import load_text
    from translator.mapping.core import map_graph
    from translator.parsers.template import parse_document

    text = CFN_FAN_OUT.replace(
        "  Outside:\n",
        "  Raw:\n    Type: AWS::SNS::Subscription\n    Properties:\n      Protocol: sqs\n"
        "      TopicArn: !Ref Topic\n      Endpoint: !GetAtt Q1.Arn\n      RawMessageDelivery: true\n"
        "      RedrivePolicy: {deadLetterTargetArn: !GetAtt Q2.Arn}\n      DeliveryPolicy: {}\n"
        "  Outside:\n",
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    raw = {f.rule: f for f in plan.findings if f.resource == "Raw"}
    assert raw["LF3007"].message == (
        "SNS subscription (protocol sqs) settings not translated: DeliveryPolicy, RedrivePolicy"
    )
    assert raw["LF3028"].message.endswith("not the raw messages RawMessageDelivery gave")
    inventory = {e.logical_id: e.disposition for e in plan.inventory}
    assert inventory["Raw"] is Disposition.APPROXIMATED and inventory["Sub"] is Disposition.CONVERTED
