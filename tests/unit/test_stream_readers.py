"""Functions that read the same stream each read every record, on Azure as on AWS.

Documented facts the expectations come from:

- Lambda: every event source mapping on a DynamoDB or Kinesis stream gets every record; two functions on
  one stream both run for each change.
- Cosmos DB trigger (extension 4.x): ``leaseContainerPrefix`` "when set, the value is added as a prefix to
  the leases created in the Lease container for this function. Using a prefix allows two separate Azure
  Functions to share the same Lease container by using different prefixes"; without it, triggers on one
  container with one lease container share the leases and split the changes.
- Event Hubs trigger: ``consumerGroup`` "sets the consumer group used to subscribe to events in the hub. If
  omitted, the $Default consumer group is used"; its checkpoints are kept per namespace, hub, consumer group
  and partition, so two functions of one app on $Default split the partitions. A consumer group
  (``Microsoft.EventHub/namespaces/eventhubs/consumergroups``) has a name of 1-50 letters, digits, '.', '-'
  and '_' that starts and ends with a letter or digit.

The generated names follow the rule documented in ``translator/mapping/triggers.py``: the Azure function's
name (``<Lambda>`` for a function with one event, ``<Lambda><Event>`` otherwise), plus '.' for a lease
prefix (a character no function name has, so no prefix starts another), and a number when two functions
would get the same name on one source.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.unit.test_triggers import of_type, one
from translator.api import render
from translator.bicep import Ident
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan

TABLE = """
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      BillingMode: PAY_PER_REQUEST
      StreamSpecification: {StreamViewType: NEW_IMAGE}
"""
STREAM = """
  Clicks:
    Type: AWS::Kinesis::Stream
    Properties: {Name: clicks, ShardCount: 2}
"""


def sam_function(name: str, events: dict[str, str]) -> str:
    lines = [
        f"  {name}:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        "      Runtime: python3.12",
        f"      Handler: {name.lower()}.handler",
        "      CodeUri: src/",
        "      Events:",
    ]
    lines += [f"        {event}: {body}" for event, body in events.items()]
    return "\n".join(lines) + "\n"


def cfn_function(name: str) -> str:
    return (
        f"  {name}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/r\n"
        '      Code: {ZipFile: "def handler(e, c): pass"}\n'
    )


def mapping(name: str, function: str, source: str) -> str:
    return (
        f"  {name}:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n"
        f"      FunctionName: !Ref {function}\n      EventSourceArn: {source}\n"
        "      StartingPosition: LATEST\n"
    )


def plan_of(resources: str, sam: bool = True) -> AzurePlan:
    head = "Transform: AWS::Serverless-2016-10-31\n" if sam else ""
    return map_graph(parse_document(load_text(head + "Resources:\n" + resources, "t.yaml")))


DDB = "{Type: DynamoDB, Properties: {Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}}"
KINESIS = "{Type: Kinesis, Properties: {Stream: !GetAtt Clicks.Arn, StartingPosition: LATEST}}"


def bindings(plan: AzurePlan, key: str) -> dict[str, Any]:
    """Azure function name -> the value of one binding setting, for every trigger of the plan."""
    return {t.function_name: t.binding.get(key) for fn in plan.functions for t in fn.triggers}


# (template resources, SAM transform, Azure function name -> expected leaseContainerPrefix)
LEASE_CASES: list[tuple[str, bool, dict[str, str]]] = [
    # the user's review: two SAM functions on one table's stream
    (TABLE + sam_function("A", {"S": DDB}) + sam_function("B", {"S": DDB}), True, {"A": "A.", "B": "B."}),
    # one function with two events on the table: an Azure function per event, each with its own leases
    (TABLE + sam_function("Fn", {"One": DDB, "Two": DDB}), True, {"FnOne": "FnOne.", "FnTwo": "FnTwo."}),
    # plain CloudFormation: two event source mappings on the table's StreamArn
    (
        TABLE
        + cfn_function("Audit")
        + cfn_function("Index")
        + mapping("AuditMapping", "Audit", "!GetAtt Table.StreamArn")
        + mapping("IndexMapping", "Index", "!GetAtt Table.StreamArn"),
        False,
        {"Audit": "Audit.", "Index": "Index."},
    ),
    # a single consumer gets a prefix too: adding a second one later does not move the first one's leases
    (TABLE + sam_function("Only", {"S": DDB}), True, {"Only": "Only."}),
    # names that come out the same ("A" + event "B" and function "AB") get a number
    (
        TABLE + sam_function("A", {"B": DDB, "C": DDB}) + sam_function("AB", {"S": DDB}),
        True,
        {"AB": "AB2.", "AC": "AC."},
    ),
]


@pytest.mark.parametrize(("resources", "sam", "prefixes"), LEASE_CASES)
def test_each_change_feed_trigger_has_its_own_lease_prefix(
    resources: str, sam: bool, prefixes: dict[str, str]
) -> None:
    plan = plan_of(resources, sam)
    for function, prefix in prefixes.items():
        assert bindings(plan, "leaseContainerPrefix")[function] == prefix
    # all of them share the one lease container
    assert set(bindings(plan, "leaseContainerName").values()) == {"leases"}
    containers = of_type(plan, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
    assert sorted(c.body["name"] for c in containers).count("leases") == 1


def test_the_lease_prefix_of_the_first_function_stays_when_a_same_named_one_comes_later() -> None:
    # the function processed first keeps its plain name; only the later one is numbered
    plan = plan_of(TABLE + sam_function("A", {"B": DDB, "C": DDB}) + sam_function("AB", {"S": DDB}))
    assert {t.function_name: t.binding["leaseContainerPrefix"] for t in plan.functions[1].triggers} == {
        "AB": "AB2."
    }


def test_the_lease_prefix_reaches_the_reports() -> None:
    plan = plan_of(TABLE + sam_function("A", {"S": DDB}) + sam_function("B", {"S": DDB}))
    files = render(plan)
    report = json.loads(files["migration-report.json"])
    found = {
        t["azureFunction"]: t["binding"]["leaseContainerPrefix"]
        for f in report["functions"]
        for t in f["triggers"]
    }
    assert found == {"A": "A.", "B": "B."}
    markdown = files["migration-report.md"]
    assert "leaseContainerName: leases, leaseContainerPrefix: A., connection: CosmosDBConnection" in markdown
    assert "leaseContainerName: leases, leaseContainerPrefix: B., connection: CosmosDBConnection" in markdown


# (template resources, SAM transform, Azure function name -> expected consumer group)
CONSUMER_GROUP_CASES: list[tuple[str, bool, dict[str, str]]] = [
    (
        STREAM + sam_function("A", {"K": KINESIS}) + sam_function("B", {"K": KINESIS}),
        True,
        {"A": "A", "B": "B"},
    ),
    (
        STREAM
        + cfn_function("Audit")
        + cfn_function("Index")
        + mapping("AuditMapping", "Audit", "!GetAtt Clicks.Arn")
        + mapping("IndexMapping", "Index", "!GetAtt Clicks.Arn"),
        False,
        {"Audit": "Audit", "Index": "Index"},
    ),
    (
        STREAM + sam_function("Fn", {"One": KINESIS, "Two": KINESIS}),
        True,
        {"FnOne": "FnOne", "FnTwo": "FnTwo"},
    ),
    # longer than the 50 characters a consumer group name may have: cut, with a hash of the whole name
    (
        STREAM + sam_function("P" * 60, {"K": KINESIS}),
        True,
        {"P" * 60: "P" * 41 + "-" + hashlib.sha256(b"P" * 60).hexdigest()[:8]},
    ),
]


@pytest.mark.parametrize(("resources", "sam", "groups"), CONSUMER_GROUP_CASES)
def test_each_event_hubs_trigger_reads_from_its_own_consumer_group(
    resources: str, sam: bool, groups: dict[str, str]
) -> None:
    plan = plan_of(resources, sam)
    assert bindings(plan, "consumerGroup") == groups
    hub = one(plan, "Microsoft.EventHub/namespaces/eventhubs")
    made = of_type(plan, "Microsoft.EventHub/namespaces/eventhubs/consumergroups")
    assert sorted(r.body["name"] for r in made) == sorted(groups.values())
    for resource in made:
        assert resource.body["parent"] == Ident(hub.symbol)
        assert 1 <= len(resource.body["name"]) <= 50
        assert resource.api_version == "2024-01-01"


def test_consumer_groups_are_in_the_bicep() -> None:
    plan = plan_of(STREAM + sam_function("A", {"K": KINESIS}) + sam_function("B", {"K": KINESIS}))
    bicep = render(plan)["infra/main.bicep"]
    hub = one(plan, "Microsoft.EventHub/namespaces/eventhubs").symbol
    for name in ("A", "B"):
        block = bicep.split("'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {")
        assert any(f"parent: {hub}\n  name: '{name}'\n" in part for part in block[1:]), name
