"""Service Bus message locks against batch wait times and function timeouts; Cosmos DB role assignments
deployed one at a time.

Documented facts the expected values come from:

- Service Bus queue lockDuration: 1 minute by default, at most 5 minutes (ServiceBusQueueData.LockDuration).
- host.json serviceBus.maxBatchWaitTime (extension 5.x): "The longest allowed wait time is 50% of the entity
  message lock duration ... Otherwise, you may get lock exceptions"; the option is app-wide.
- host.json serviceBus.maxAutoLockRenewalDuration: default 00:05:00, "only applies for functions that
  receive a single message at a time"; lock renewal does not apply to batch functions (maintainer comment,
  Azure/azure-sdk-for-net#27979).
- Flex Consumption functionTimeout defaults to 30 minutes.
- Cosmos DB rejects concurrent sqlRoleAssignments writes on one account with 412 "There is another user
  operation in progress which requires an exclusive lock" (hashicorp/terraform-provider-azurerm#15842).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_triggers import extensions, rules, sam, trigger
from translator.bicep import Ident
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.validate.hostjson import host_json_problems


def queue(visibility: int | None = None) -> str:
    props = f"\n  Properties: {{VisibilityTimeout: {visibility}}}" if visibility is not None else ""
    return f"OrdersQueue:\n  Type: AWS::SQS::Queue{props}\n"


def sqs(event_props: str, visibility: int | None = None, timeout: int | None = None) -> Any:
    events = "Orders:\n  Type: SQS\n  Properties:\n    Queue: !GetAtt OrdersQueue.Arn\n" + "".join(
        f"    {line}\n" for line in event_props.strip().splitlines()
    )
    return sam(events, queue(visibility), f"Timeout: {timeout}" if timeout is not None else "")


def messages(plan: Any, rule: str) -> list[str]:
    return [f.message for f in plan.findings if f.rule == rule]


# ---- maxBatchWaitTime: at most half the queue's lock --------------------------------------------

# (VisibilityTimeout -> lockDuration, MaximumBatchingWindowInSeconds, expected maxBatchWaitTime)
WAIT_CASES = [
    (None, 20, "00:00:20"),  # within half the 1-minute default lock
    (None, 30, "00:00:30"),  # exactly half of it
    (None, 90, "00:00:30"),  # above: half of 60 s
    (None, 300, "00:00:30"),
    (100, 90, "00:00:50"),  # lockDuration PT100S: half is 50 s
    (300, 300, "00:02:30"),  # the 5-minute maximum lock: 150 s
    (900, 200, "00:02:30"),  # VisibilityTimeout above 5 minutes: the lock is 5 minutes
    (45, 40, "00:00:22"),  # whole seconds, rounded down (22.5 s would already be too long)
]


@pytest.mark.parametrize(("visibility", "window", "wait"), WAIT_CASES)
def test_batch_wait_is_at_most_half_the_queue_lock(visibility: int | None, window: int, wait: str) -> None:
    plan = sqs(f"BatchSize: 20\nMaximumBatchingWindowInSeconds: {window}", visibility)
    assert extensions(plan)["serviceBus"]["maxBatchWaitTime"] == wait
    assert extensions(plan)["serviceBus"]["minMessageBatchSize"] == 20


def test_clamped_wait_says_the_cap_and_why() -> None:
    (default,) = messages(sqs("BatchSize: 100\nMaximumBatchingWindowInSeconds: 300"), "LF3026")
    assert default == (
        "event 'Orders': MaximumBatchingWindowInSeconds 300 becomes host.json serviceBus.minMessageBatchSize "
        "100 and maxBatchWaitTime 00:00:30; 300s is above the 30s the trigger allows without lock-lost "
        "errors: half the queue's message lock (no lockDuration: the 1-minute default), so 00:00:30 is used"
    )
    (explicit,) = messages(sqs("MaximumBatchingWindowInSeconds: 90", 100), "LF3026")
    assert explicit.endswith(
        "90s is above the 50s the trigger allows without lock-lost errors: half the queue's message lock "
        "(lockDuration PT100S), so 00:00:50 is used"
    )
    (longest,) = messages(sqs("MaximumBatchingWindowInSeconds: 200", 300), "LF3026")
    assert longest.endswith(
        "200s is above the 150s the trigger accepts (half the longest message lock, 5 minutes), so 00:02:30 "
        "is used"
    )
    (within,) = messages(sqs("MaximumBatchingWindowInSeconds: 20"), "LF3026")
    assert within.endswith("maxBatchWaitTime 00:00:20")


def test_queue_outside_the_template_has_the_default_lock() -> None:
    # the stand-in queue is generated without lockDuration, so Service Bus locks for 1 minute
    plan = sam(
        "Orders:\n  Type: SQS\n  Properties:\n"
        "    Queue: arn:aws:sqs:us-east-1:123456789012:orders\n    MaximumBatchingWindowInSeconds: 120\n"
    )
    (stand_in,) = [r for r in plan.resources if r.type == "Microsoft.ServiceBus/namespaces/queues"]
    assert "lockDuration" not in stand_in.body["properties"]
    assert extensions(plan)["serviceBus"]["maxBatchWaitTime"] == "00:00:30"


TWO_QUEUES = """
Transform: AWS::Serverless-2016-10-31
Resources:
  SlowQueue:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: 300}
  FastQueue:
    Type: AWS::SQS::Queue
    Properties: {VisibilityTimeout: 20}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Slow:
          Type: SQS
          Properties: {Queue: !GetAtt SlowQueue.Arn, BatchSize: 10, MaximumBatchingWindowInSeconds: 120}
        Fast:
          Type: SQS
          Properties: {Queue: !GetAtt FastQueue.Arn, BatchSize: 10}
"""


@pytest.mark.parametrize("first", ["Slow", "Fast"])
def test_app_wide_wait_is_capped_by_the_shortest_lock(first: str) -> None:
    text = TWO_QUEUES
    if first == "Fast":  # the same events in the other order: the same outcome
        slow, fast = text.index("        Slow:"), text.index("        Fast:")
        text = text[:slow] + text[fast:] + text[slow:fast]
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    (app,) = plan.apps
    # Slow alone would wait 120 s (within half its 5-minute lock); the Fast queue locks for 20 s and the
    # app-wide wait applies to its batches too (minMessageBatchSize 10 is app-wide as well): 10 s
    assert app.host_json["extensions"]["serviceBus"]["maxBatchWaitTime"] == "00:00:10"
    (capped,) = messages(plan, "LF3015")
    assert capped == (
        "host.json serviceBus.maxBatchWaitTime is app-wide and at most half the message lock of every queue a "
        "batch function of app 't' reads: the queue of event 'Fast' locks messages for 20s (lockDuration "
        "PT20S), so 00:00:10 is used instead of 00:02:00"
    )


# ---- lock renewal and function timeouts --------------------------------------------------------


@pytest.mark.parametrize(
    ("timeout", "renewal"),
    [
        (900, "00:15:00"),  # longer than the 5-minute default renewal: renew as long as the function runs
        (301, "00:05:01"),
        (300, None),  # the default already covers it
        (60, None),
    ],
)
def test_single_message_lock_is_renewed_for_the_function_timeout(
    timeout: int, renewal: str | None, host_json_schema_path: Path
) -> None:
    plan = sqs("BatchSize: 1", 300, timeout)
    assert trigger(plan).binding.get("cardinality") is None
    assert extensions(plan).get("serviceBus", {}).get("maxAutoLockRenewalDuration") == renewal
    assert "LF3039" not in rules(plan)  # the host renews a single message's lock
    (app,) = plan.apps
    schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    assert host_json_problems(app.host_json, schema) == []


def test_single_message_without_a_readable_timeout_renews_for_the_flex_default() -> None:
    # Timeout from a parameter: no functionTimeout in host.json, so the Flex default of 30 minutes
    text = (
        "Transform: AWS::Serverless-2016-10-31\nParameters:\n  T: {Type: Number}\nResources:\n"
        + "".join(f"  {line}\n" for line in queue(300).splitlines())
        + "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: app.handler\n      CodeUri: src/\n      Timeout: !Ref T\n      Events:\n"
        "        Orders:\n          Type: SQS\n          Properties: {Queue: !GetAtt OrdersQueue.Arn, BatchSize: 1}\n"
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    (app,) = plan.apps
    assert "functionTimeout" not in app.host_json
    assert app.host_json["extensions"]["serviceBus"]["maxAutoLockRenewalDuration"] == "00:30:00"


@pytest.mark.parametrize(
    ("visibility", "timeout", "warned"),
    [
        (300, 900, True),  # 15 minutes against a 5-minute lock
        (None, 61, True),  # just above the 1-minute default lock
        (None, 60, False),  # within it
        (None, None, False),  # Lambda's default Timeout, 3 s
        (120, 120, False),
    ],
)
def test_batch_longer_than_the_lock_is_a_warning(
    visibility: int | None, timeout: int | None, warned: bool
) -> None:
    plan = sqs("BatchSize: 10", visibility, timeout)
    assert ("LF3039" in rules(plan)) is warned
    # no renewal setting for a batch: the extension ignores it for functions that take a batch
    assert "maxAutoLockRenewalDuration" not in extensions(plan)["serviceBus"]
    found = trigger(plan)
    assert found.disposition is (Disposition.APPROXIMATED if warned else Disposition.CONVERTED)
    (batch_size,) = [s for s in found.settings if s.name == "BatchSize"]
    assert batch_size.rule == ("LF3039" if warned else None)


def test_batch_lock_warning_text() -> None:
    plan = sqs("BatchSize: 10000\nMaximumBatchingWindowInSeconds: 5", 43200, 900)
    (finding,) = [f for f in plan.findings if f.rule == "LF3039"]
    assert finding.message == (
        "event 'Orders': a batch may run for 00:15:00 (Timeout 900s), but the queue locks its messages for "
        "300s (lockDuration PT300S) and the Service Bus trigger does not renew the locks of a batch: messages "
        "still being processed after 300s are delivered again"
    )
    assert finding.resource == "Fn"
    assert finding.severity.value == "warning"


def test_visibility_above_the_lock_limit_explains_both_kinds_of_function() -> None:
    plan = sqs("BatchSize: 1", 900, 900)
    (finding,) = [m for m in messages(plan, "LF1005") if m.startswith("VisibilityTimeout")]
    assert finding == (
        "VisibilityTimeout 900s is above the Service Bus lock limit; lockDuration is 5 minutes. The Functions "
        "host renews the lock of a function that takes one message at a time (up to host.json "
        "serviceBus.maxAutoLockRenewalDuration), but not the locks of a batch (LF3039): a batch still running "
        "after 5 minutes is delivered again"
    )
    # the single-message function of that queue gets its lock renewed for its 15 minutes
    assert extensions(plan)["serviceBus"] == {"maxAutoLockRenewalDuration": "00:15:00"}


# ---- Cosmos DB role assignments, one at a time per account --------------------------------------

COSMOS = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
      StreamSpecification: {StreamViewType: NEW_IMAGE}
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies: [{DynamoDBReadPolicy: {TableName: !Ref Orders}}]
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      MemorySize: 2048
      Policies: [{DynamoDBCrudPolicy: {TableName: !Ref Orders}}]
  Changes:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      MemorySize: 4096
      Events:
        Stream:
          Type: DynamoDB
          Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST}
"""


def test_cosmos_role_assignments_on_one_account_are_chained() -> None:
    plan = map_graph(parse_document(load_text(COSMOS, "t.yaml")))
    types = "Microsoft.DocumentDB/databaseAccounts/"
    containers = [r.symbol for r in plan.resources if r.type == types + "sqlDatabases/containers"]
    assignments = [r for r in plan.resources if r.type == types + "sqlRoleAssignments"]
    assert len(assignments) >= 3  # one per app identity
    assert len(containers) == 2  # the table and the change feed's lease container
    first, *rest = assignments
    # the first waits for every container of the account it does not already name
    named = {c for c in containers if c in repr(first.body["properties"])}
    assert first.body.get("dependsOn", []) == [Ident(c) for c in containers if c not in named]
    assert first.body.get("dependsOn")  # the lease container is never in a data-plane scope
    for previous, current in zip(assignments, rest, strict=False):
        assert current.body["dependsOn"] == [Ident(previous.symbol)]
    # a single chain: every assignment is waited for by at most one other
    waited = [d.name for r in assignments for d in r.body.get("dependsOn", []) if d.name not in containers]
    assert len(waited) == len(set(waited)) == len(assignments) - 1
