"""Trigger semantics of queue and stream event sources: batching, waiting, concurrency, failures.

Expected values come from documented facts, not from the code:

- Lambda: SQS BatchSize defaults to 10, Kinesis and DynamoDB to 100; MaximumBatchingWindowInSeconds is
  0-300 s; MaximumRetryAttempts -1 means "until the record expires".
- host.json (research/azure-target.md §4.2 and the Service Bus / Event Hubs extension 5.x options):
  serviceBus.maxMessageBatchSize / minMessageBatchSize / maxBatchWaitTime (hh:mm:ss, at most half the
  queue's lockDuration: 00:00:30 for the 1-minute default, 00:02:30 for the 5-minute maximum),
  maxConcurrentCalls (single-message functions) and maxConcurrentSessions (session functions);
  eventHubs.maxEventBatchSize / minEventBatchSize / maxWaitTime (at most 10 minutes) and
  initialOffsetOptions; the Cosmos DB trigger binding takes startFromBeginning, startFromTime and
  maxItemsPerInvocation.
- Function retry policies (strategy, maxRetryCount -1 = forever) apply to Event Hubs and Cosmos DB
  triggers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_triggers import SQS_IN_TEMPLATE, STREAM, TABLE, extensions, rules, sam, trigger
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.validate.hostjson import host_json_problems


def sqs(props: str, queue: str = SQS_IN_TEMPLATE) -> Any:
    body = "\n".join("    " + line for line in props.strip().splitlines())
    return sam(f"Orders:\n  Type: SQS\n  Properties:\n    Queue: !GetAtt OrdersQueue.Arn\n{body}\n", queue)


def kinesis(props: str) -> Any:
    body = "\n".join("    " + line for line in props.strip().splitlines())
    return sam(
        f"Clicks:\n  Type: Kinesis\n  Properties:\n    Stream: !GetAtt ClicksStream.Arn\n{body}\n", STREAM
    )


def dynamodb(props: str) -> Any:
    body = "\n".join("    " + line for line in props.strip().splitlines())
    return sam(
        f"Changes:\n  Type: DynamoDB\n  Properties:\n    Stream: !GetAtt OrdersTable.StreamArn\n{body}\n",
        TABLE,
    )


def messages(plan: Any, rule: str) -> list[str]:
    return [f.message for f in plan.findings if f.rule == rule]


# ---- SQS -> Service Bus --------------------------------------------------------------------------

# (event properties, binding cardinality, host.json serviceBus, rules that must be reported)
SQS_CASES: list[tuple[str, str | None, dict[str, Any], set[str]]] = [
    # Lambda's default batch of 10: the function still receives a list
    ("", "many", {"maxMessageBatchSize": 10}, set()),
    ("BatchSize: 1", None, {}, set()),
    ("BatchSize: 25", "many", {"maxMessageBatchSize": 25}, set()),
    ("BatchSize: '250'", "many", {"maxMessageBatchSize": 250}, set()),
    # batching window: the host waits for the whole batch, at most the window
    (
        "BatchSize: 100\nMaximumBatchingWindowInSeconds: 20",
        "many",
        {"maxMessageBatchSize": 100, "minMessageBatchSize": 100, "maxBatchWaitTime": "00:00:20"},
        {"LF3026"},
    ),
    # the queue sets no lockDuration (1 minute): the wait is at most half of it, 30 s
    (
        "MaximumBatchingWindowInSeconds: 90",
        "many",
        {"maxMessageBatchSize": 10, "minMessageBatchSize": 10, "maxBatchWaitTime": "00:00:30"},
        {"LF3026"},
    ),
    (
        "BatchSize: 50\nMaximumBatchingWindowInSeconds: 300",
        "many",
        {"maxMessageBatchSize": 50, "minMessageBatchSize": 50, "maxBatchWaitTime": "00:00:30"},
        {"LF3026"},
    ),
    # a window of 0 is Lambda's "invoke at once", the Azure default
    ("MaximumBatchingWindowInSeconds: 0", "many", {"maxMessageBatchSize": 10}, set()),
    ("FunctionResponseTypes: [ReportBatchItemFailures]", "many", {"maxMessageBatchSize": 10}, {"LF3016"}),
    # concurrency: per-instance limit for single-message functions
    (
        "BatchSize: 1\nScalingConfig: {MaximumConcurrency: 5}",
        None,
        {"maxConcurrentCalls": 5},
        {"LF3021"},
    ),
    # a batch function has no per-instance concurrency setting: only the finding
    ("ScalingConfig: {MaximumConcurrency: 50}", "many", {"maxMessageBatchSize": 10}, {"LF3021"}),
    (
        'FilterCriteria: {Filters: [{Pattern: \'{"body": {"kind": ["order"]}}\'}]}',
        "many",
        {"maxMessageBatchSize": 10},
        {"LF3019"},
    ),
]


@pytest.mark.parametrize(("props", "cardinality", "service_bus", "reported"), SQS_CASES)
def test_sqs_settings(
    props: str, cardinality: str | None, service_bus: dict[str, Any], reported: set[str]
) -> None:
    plan = sqs(props) if props else sqs("")
    found = trigger(plan)
    assert found.binding.get("cardinality") == cardinality
    assert extensions(plan).get("serviceBus", {}) == service_bus
    assert reported <= rules(plan)
    assert "LF3007" not in rules(plan)  # every setting above is accounted for
    expected = Disposition.APPROXIMATED if reported else Disposition.CONVERTED
    assert found.disposition is expected


def test_sqs_report_batch_item_failures_names_message_settlement() -> None:
    (message,) = messages(sqs("FunctionResponseTypes: [ReportBatchItemFailures]"), "LF3016")
    assert "autoCompleteMessages false" in message and "ServiceBusMessageActions" in message


def test_sqs_filter_criteria_lists_the_pattern() -> None:
    plan = sqs('FilterCriteria: {Filters: [{Pattern: \'{"body": {"kind": ["order"]}}\'}]}')
    (message,) = messages(plan, "LF3019")
    assert '{"body": {"kind": ["order"]}}' in message


FIFO_QUEUE = """
OrdersQueue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: orders.fifo
    FifoQueue: true
"""


def test_sqs_fifo_concurrency_limits_sessions() -> None:
    plan = sqs("BatchSize: 1\nScalingConfig: {MaximumConcurrency: 3}", FIFO_QUEUE)
    assert trigger(plan).binding["isSessionsEnabled"] is True
    assert extensions(plan)["serviceBus"] == {"maxConcurrentSessions": 3}


def test_sqs_queue_properties_land_on_the_service_bus_queue() -> None:
    queue = """
OrdersQueue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: orders
    VisibilityTimeout: 120
    RedrivePolicy: {deadLetterTargetArn: !GetAtt DeadQueue.Arn, maxReceiveCount: 4}
DeadQueue:
  Type: AWS::SQS::Queue
"""
    plan = sqs("BatchSize: 5", queue)
    (orders,) = [r for r in plan.resources if r.symbol == "ordersQueue"]
    # lockDuration is an ISO 8601 duration; maxDeliveryCount is SQS maxReceiveCount
    assert orders.body["properties"]["lockDuration"] == "PT120S"
    assert orders.body["properties"]["maxDeliveryCount"] == 4
    # no MessageRetentionPeriod: SQS's default of 4 days (345,600 s), which Service Bus does not share
    assert orders.body["properties"]["defaultMessageTimeToLive"] == "P4D"
    (dead,) = [r for r in plan.resources if r.symbol == "deadQueue"]
    assert dead.body["properties"] == {"defaultMessageTimeToLive": "P4D"}
    # the dead-letter queue itself has no RedrivePolicy, and needs none: no finding for it
    assert not [f for f in plan.findings if f.rule == "LF1005" and "no RedrivePolicy" in f.message]


def test_a_queue_without_redrive_policy_is_dead_lettered_after_10_deliveries_on_azure() -> None:
    plan = sqs(
        "BatchSize: 5", "OrdersQueue:\n  Type: AWS::SQS::Queue\n  Properties: {MessageRetentionPeriod: 60}\n"
    )
    (orders,) = [r for r in plan.resources if r.symbol == "ordersQueue"]
    assert orders.body["properties"] == {"defaultMessageTimeToLive": "PT60S"}
    (finding,) = [f for f in plan.findings if f.rule == "LF1005" and f.resource == "OrdersQueue"]
    assert finding.message == (
        "no RedrivePolicy: SQS redelivers a failing message until it expires, but Service Bus moves it to the "
        "queue's dead-letter subqueue after maxDeliveryCount deliveries (10 by default)"
    )


TWO_SQS_FUNCTIONS = """
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersQueue:
    Type: AWS::SQS::Queue
  RefundsQueue:
    Type: AWS::SQS::Queue
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Q:
          Type: SQS
          Properties: {Queue: !GetAtt OrdersQueue.Arn, BatchSize: 20, MaximumBatchingWindowInSeconds: 10}
  Refunds:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Q:
          Type: SQS
          Properties: {Queue: !GetAtt RefundsQueue.Arn, BatchSize: 40, MaximumBatchingWindowInSeconds: 5}
"""


def test_grouped_functions_that_disagree_get_the_largest_value() -> None:
    plan = map_graph(parse_document(load_text(TWO_SQS_FUNCTIONS, "t.yaml")))
    (app,) = plan.apps
    assert app.host_json["extensions"]["serviceBus"] == {
        "maxMessageBatchSize": 40,
        "minMessageBatchSize": 40,
        "maxBatchWaitTime": "00:00:10",
    }
    chosen = messages(plan, "LF3015")
    assert len(chosen) == 3  # batch size, minimum batch size, wait time
    assert any("maxBatchWaitTime" in m and "00:00:10 is used" in m for m in chosen)


# ---- Kinesis -> Event Hubs -----------------------------------------------------------------------

# (event properties, host.json eventHubs, binding retry maxRetryCount or None, rules reported)
KINESIS_CASES: list[tuple[str, dict[str, Any], int | None, set[str]]] = [
    (
        "StartingPosition: LATEST",
        {"maxEventBatchSize": 100, "initialOffsetOptions": {"type": "fromEnd"}},
        None,
        set(),
    ),
    (
        "StartingPosition: TRIM_HORIZON\nBatchSize: 500",
        {"maxEventBatchSize": 500, "initialOffsetOptions": {"type": "fromStart"}},
        None,
        set(),
    ),
    (
        "StartingPosition: AT_TIMESTAMP\nStartingPositionTimestamp: 1767225600",
        {
            "maxEventBatchSize": 100,
            "initialOffsetOptions": {"type": "fromEnqueuedTime", "enqueuedTimeUtc": "2026-01-01T00:00:00Z"},
        },
        None,
        set(),
    ),
    (
        "StartingPosition: LATEST\nMaximumBatchingWindowInSeconds: 30",
        {
            "maxEventBatchSize": 100,
            "minEventBatchSize": 100,
            "maxWaitTime": "00:00:30",
            "initialOffsetOptions": {"type": "fromEnd"},
        },
        None,
        {"LF3026"},
    ),
    # 300 s is within the 10 minutes Event Hubs accepts
    (
        "StartingPosition: LATEST\nBatchSize: 10\nMaximumBatchingWindowInSeconds: 300",
        {
            "maxEventBatchSize": 10,
            "minEventBatchSize": 10,
            "maxWaitTime": "00:05:00",
            "initialOffsetOptions": {"type": "fromEnd"},
        },
        None,
        {"LF3026"},
    ),
    ("StartingPosition: LATEST\nMaximumRetryAttempts: 3", {}, 3, {"LF3017"}),
    ("StartingPosition: LATEST\nMaximumRetryAttempts: -1", {}, -1, {"LF3017"}),
    ("StartingPosition: LATEST\nMaximumRetryAttempts: 0", {}, 0, {"LF3017"}),
    ("StartingPosition: LATEST\nBisectBatchOnFunctionError: true", {}, None, {"LF3017"}),
    ("StartingPosition: LATEST\nBisectBatchOnFunctionError: false", {}, None, set()),
    ("StartingPosition: LATEST\nMaximumRecordAgeInSeconds: 3600", {}, None, {"LF3017"}),
    ("StartingPosition: LATEST\nMaximumRecordAgeInSeconds: -1", {}, None, set()),
    ("StartingPosition: LATEST\nParallelizationFactor: 1", {}, None, set()),
    ("StartingPosition: LATEST\nParallelizationFactor: 4", {}, None, {"LF3020"}),
    (
        "StartingPosition: LATEST\nDestinationConfig: {OnFailure: {Destination: arn:aws:sqs:eu-west-1:1:dlq}}",
        {},
        None,
        {"LF3018"},
    ),
    (
        'StartingPosition: LATEST\nFilterCriteria: {Filters: [{Pattern: \'{"data": {"a": [1]}}\'}]}',
        {},
        None,
        {"LF3019"},
    ),
    ("StartingPosition: LATEST\nFunctionResponseTypes: [ReportBatchItemFailures]", {}, None, {"LF3016"}),
]


@pytest.mark.parametrize(("props", "event_hubs", "retries", "reported"), KINESIS_CASES)
def test_kinesis_settings(
    props: str, event_hubs: dict[str, Any], retries: int | None, reported: set[str]
) -> None:
    plan = kinesis(props)
    found = trigger(plan)
    section = extensions(plan)["eventHubs"]
    for key, value in event_hubs.items():
        assert section[key] == value
    if retries is None:
        assert "retry" not in found.binding
    else:
        assert found.binding["retry"] == {
            "strategy": "exponentialBackoff",
            "maxRetryCount": retries,
            "minimumInterval": "00:00:01",
            "maximumInterval": "00:01:00",
        }
    assert reported <= rules(plan)
    assert "LF3007" not in rules(plan)
    expected = Disposition.APPROXIMATED if reported else Disposition.CONVERTED
    assert found.disposition is expected


def test_kinesis_destination_names_the_target() -> None:
    plan = kinesis(
        "StartingPosition: LATEST\nDestinationConfig: {OnFailure: {Destination: arn:aws:sqs:eu-west-1:1:dlq}}"
    )
    (message,) = messages(plan, "LF3018")
    assert "arn:aws:sqs:eu-west-1:1:dlq" in message


# ---- DynamoDB streams -> Cosmos DB change feed ---------------------------------------------------

# (event properties, expected binding subset, keys that must be absent, rules reported)
DYNAMODB_CASES: list[tuple[str, dict[str, Any], set[str], set[str]]] = [
    (
        "StartingPosition: LATEST",
        {"maxItemsPerInvocation": 100},
        {"startFromBeginning", "startFromTime"},
        set(),
    ),
    (
        "StartingPosition: TRIM_HORIZON\nBatchSize: 7",
        {"startFromBeginning": True, "maxItemsPerInvocation": 7},
        set(),
        set(),
    ),
    (
        "StartingPosition: AT_TIMESTAMP\nStartingPositionTimestamp: 1700000000",
        {"startFromTime": "2023-11-14T22:13:20Z"},
        {"startFromBeginning"},
        set(),
    ),
    (
        "StartingPosition: LATEST\nMaximumRetryAttempts: 5",
        {
            "retry": {
                "strategy": "exponentialBackoff",
                "maxRetryCount": 5,
                "minimumInterval": "00:00:01",
                "maximumInterval": "00:01:00",
            }
        },
        set(),
        {"LF3017"},
    ),
    ("StartingPosition: LATEST\nMaximumBatchingWindowInSeconds: 10", {}, set(), {"LF3026"}),
    ("StartingPosition: LATEST\nParallelizationFactor: 10", {}, set(), {"LF3020"}),
    (
        "StartingPosition: LATEST\nDestinationConfig: {OnFailure: {Destination: !GetAtt OrdersTable.Arn}}",
        {},
        set(),
        {"LF3018"},
    ),
]


@pytest.mark.parametrize(("props", "binding", "absent", "reported"), DYNAMODB_CASES)
def test_dynamodb_settings(props: str, binding: dict[str, Any], absent: set[str], reported: set[str]) -> None:
    plan = dynamodb(props)
    found = trigger(plan)
    for key, value in binding.items():
        assert found.binding[key] == value
    assert not absent & set(found.binding)
    assert reported <= rules(plan)
    assert "LF3007" not in rules(plan)
    expected = Disposition.APPROXIMATED if reported else Disposition.CONVERTED
    assert found.disposition is expected


def test_stream_host_json_is_valid(host_json_schema_path: Path) -> None:
    import json

    schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    for props, *_ in KINESIS_CASES:
        (app,) = kinesis(props).apps
        assert host_json_problems(app.host_json, schema) == [], props
    for props, *_ in SQS_CASES:
        (app,) = sqs(props).apps
        assert host_json_problems(app.host_json, schema) == [], props
