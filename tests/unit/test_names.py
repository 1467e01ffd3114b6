"""Explicit names that Azure takes in another form (translator/mapping/names.py, LF1018).

Expected names follow Azure's resource name rules: blob containers 3-63 lower-case letters, digits and
hyphens, starting with a letter or digit, no two hyphens in a row; Service Bus queues 1-260 letters,
digits, '.', '-', '_' and '/', starting and ending with a letter or digit; event hubs 1-256 letters,
digits, '.', '-' and '_', starting and ending with a letter or digit; Event Grid topics 3-50 letters,
digits and hyphens; Cosmos DB container ids without '/', '\\', '#', '?' or a trailing space, at most 255;
Azure function names as the Functions host checks them (``^[a-z][a-z0-9_-]{0,127}$`` ignoring case,
and not 'host').
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translator.bicep import render
from translator.findings import Finding
from translator.load import load_text
from translator.mapping import names
from translator.mapping.context import Options
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan

_FUNCTION = re.compile(r"^[a-z][a-z0-9_-]{0,127}$", re.IGNORECASE)


def convert(resources: str) -> AzurePlan:
    text = "Transform: AWS::Serverless-2016-10-31\nResources:\n" + resources
    return map_graph(parse_document(load_text(text, "t.yaml")))


def renames(plan: AzurePlan) -> list[Finding]:
    return [f for f in plan.findings if f.rule == "LF1018"]


def azure_name(plan: AzurePlan, symbol: str) -> Any:
    (resource,) = [r for r in plan.resources if r.symbol == symbol]
    return resource.body["name"]


# (resource type, name property, name in the template, Azure name, the rules the name broke)
RESOURCE_CASES = [
    (
        "AWS::S3::Bucket",
        "BucketName",
        "My.Bucket_Name",
        "my-bucket-name",
        "blob container names have only lower-case letters, digits and hyphens",
    ),
    (
        "AWS::S3::Bucket",
        "BucketName",
        "ab",
        "ab-bucket",
        "blob container names are at least 3 characters long",
    ),
    (
        "AWS::S3::Bucket",
        "BucketName",
        "logs--2024",
        "logs-2024",
        "blob container names start and end with a letter or digit, without two hyphens in a row",
    ),
    (
        "AWS::SQS::Queue",
        "QueueName",
        "_jobs-",
        "jobs",
        "Service Bus queue names start and end with a letter or digit",
    ),
    (
        "AWS::DynamoDB::Table",
        "TableName",
        "a/b#c?d ",
        "a-b-c-d",
        "Cosmos DB container ids have no '/', '\\', '#' or '?'; do not end with a space",
    ),
    (
        "AWS::DynamoDB::Table",
        "TableName",
        "back\\slash",
        "back-slash",
        "Cosmos DB container ids have no '/', '\\', '#' or '?'",
    ),
    (
        "AWS::Serverless::SimpleTable",
        "TableName",
        "orders ",
        "orders",
        "Cosmos DB container ids do not end with a space",
    ),
    (
        "AWS::Kinesis::Stream",
        "Name",
        "-clicks.",
        "clicks",
        "event hub names start and end with a letter or digit",
    ),
]

# names Azure takes as written: no finding, the same name
KEPT_CASES = [
    ("AWS::S3::Bucket", "BucketName", "orders-2024"),
    ("AWS::SQS::Queue", "QueueName", "orders_queue.fifo"),
    ("AWS::DynamoDB::Table", "TableName", "Orders.2024_v1"),
    ("AWS::Kinesis::Stream", "Name", "click_stream.v2"),
]

_EXTRA = {
    "AWS::DynamoDB::Table": "\n      KeySchema: [{AttributeName: id, KeyType: HASH}]"
    "\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]",
    "AWS::Kinesis::Stream": "\n      ShardCount: 1",
}


def resource(aws_type: str, prop: str, name: str) -> str:
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'  R:\n    Type: {aws_type}\n    Properties:\n      {prop}: "{quoted}"{_EXTRA.get(aws_type, "")}\n'
    )


@pytest.mark.parametrize(("aws_type", "prop", "old", "new", "why"), RESOURCE_CASES)
def test_explicit_name_changed_for_azure(aws_type: str, prop: str, old: str, new: str, why: str) -> None:
    plan = convert(resource(aws_type, prop, old))
    assert azure_name(plan, "r") == new
    (finding,) = renames(plan)
    assert finding.message == f"'{old}' becomes '{new}': {why}"
    assert finding.severity.value == "info"
    assert (finding.resource, finding.loc and finding.loc.line) == ("R", 6)  # the name property's line
    assert f"'{old}'" in finding.suggestion and f"'{new}'" in finding.suggestion


@pytest.mark.parametrize(("aws_type", "prop", "name"), KEPT_CASES)
def test_name_azure_accepts_is_kept(aws_type: str, prop: str, name: str) -> None:
    plan = convert(resource(aws_type, prop, name))
    assert azure_name(plan, "r") == name
    assert renames(plan) == []


@pytest.mark.parametrize(
    ("aws_type", "prop", "old", "whole", "why"),
    [
        (
            "AWS::SNS::Topic",
            "TopicName",
            "Alerts_Topic",
            "evgt-alerts-topic-${resourceToken}",
            "Event Grid topic names have only letters, digits and hyphens",
        ),
        (
            "AWS::Events::EventBus",
            "Name",
            "PetEventBus",
            "evgt-pet-event-bus-${resourceToken}",
            "the tool writes Event Grid topic names in lower case, with hyphens between words",
        ),
        (
            "AWS::SNS::Topic",
            "TopicName",
            "order-and-payment-notifications",
            "evgt-order-and-payment-notifi-${resourceToken}",
            "Event Grid topic names are at most 50 characters long, which leaves 24 between the prefix and the "
            "resourceToken",
        ),
    ],
)
def test_topic_name_is_part_of_the_azure_name(
    aws_type: str, prop: str, old: str, whole: str, why: str
) -> None:
    plan = convert(resource(aws_type, prop, old))
    (finding,) = renames(plan)
    assert finding.message == f"'{old}' becomes '{whole}': {why}"
    middle = whole.removeprefix("evgt-").removesuffix("-${resourceToken}")
    assert middle + "-" in str(azure_name(plan, "r").parts)  # the Bicep interpolation's literal text


def test_topic_name_in_kebab_case_is_not_reported() -> None:
    assert renames(convert(resource("AWS::SNS::Topic", "TopicName", "alerts"))) == []


@pytest.mark.parametrize(
    "resources",
    [
        "  B:\n    Type: AWS::S3::Bucket\n",  # generated from the logical id
        "  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub '${AWS::StackName}-x'\n",
        "  Q:\n    Type: AWS::SQS::Queue\n",
        "  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${AWS::StackName}_q'\n",
    ],
)
def test_generated_or_expression_names_are_not_reported(resources: str) -> None:
    assert renames(convert(resources)) == []


def function(logical_id: str, events: str = "") -> str:
    text = (
        f"  {logical_id}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: a.handler\n      CodeUri: src/\n"
    )
    return text + (f"      Events:\n{events}" if events else "")


def test_long_function_name_is_cut_with_a_hash() -> None:
    lid = "Process" + "Orders" * 22  # 139 letters: CloudFormation allows 255, Azure 128
    plan = convert(function(lid))
    (fn,) = plan.functions
    assert len(fn.azure_name) == 128 and _FUNCTION.match(fn.azure_name)
    assert fn.azure_name.startswith(lid[:119] + "-")
    assert fn.azure_name == names.function_name(lid)
    (finding,) = renames(plan)
    assert (
        finding.message
        == f"'{lid}' becomes '{fn.azure_name}': Azure function names are at most 128 characters long"
    )
    assert finding.loc is not None and finding.loc.line == 3  # the logical id


def test_event_functions_of_a_long_name_in_one_finding() -> None:
    lid = "F" * 128  # a valid name on its own: the event names make it too long
    events = (
        "        A: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}\n"
        "        B: {Type: Schedule, Properties: {Schedule: rate(2 hours)}}\n"
    )
    plan = convert(function(lid, events))
    (fn,) = plan.functions
    new = [t.function_name for t in fn.triggers]
    assert all(len(n) == 128 and _FUNCTION.match(n) for n in new) and len(set(new)) == 2
    (finding,) = renames(plan)
    assert finding.message == (
        f"'{lid}A' becomes '{new[0]}'; '{lid}B' becomes '{new[1]}': Azure function names are at most 128 "
        "characters long"
    )


def test_route_event_names_made_up_by_the_parser_are_fixed_without_a_finding() -> None:
    resources = (
        "  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n"
        "      DefinitionBody:\n        swagger: '2.0'\n        info: {title: t, version: '1'}\n"
        "        paths:\n          /test:\n            post:\n              x-amazon-apigateway-integration:\n"
        "                httpMethod: POST\n                type: aws_proxy\n"
        '                uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/'
        '${Fn.Arn}/invocations"\n'
    ) + function("Fn", "        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get}}\n")
    plan = convert(resources)
    (fn,) = plan.functions
    assert sorted(t.function_name for t in fn.triggers) == ["FnApiPost-test", "FnGet"]
    assert renames(plan) == []


@pytest.mark.parametrize(
    ("kind", "old", "new"),
    [
        (names.BLOB_CONTAINER, "Images.Prod", "images-prod"),
        (names.BLOB_CONTAINER, "x", "x-bucket"),
        (names.SERVICE_BUS_QUEUE, "__q__", "q"),
        (names.SERVICE_BUS_QUEUE, "a" * 261, "a" * 260),
        (names.EVENT_HUB, "hub/one", "hub-one"),
        (names.COSMOS_CONTAINER, "t?", "t-"),
        (names.COSMOS_CONTAINER, "t" * 300, "t" * 255),
        (names.EVENT_GRID_TOPIC, "My.Topic", "my-topic"),
        (names.FUNCTION, "hello.world", "hello-world"),
        (names.FUNCTION, "1st", "fn-1st"),
        (names.FUNCTION, "host", "host-fn"),
        (names.FUNCTION, "HOST", "host-fn"),
    ],
)
def test_rename_table(kind: names.NameKind, old: str, new: str) -> None:
    result, renamed = names.rename(kind, old)
    assert result == new
    assert renamed is not None and (renamed.old, renamed.new) == (old, new)


def test_nothing_left_of_a_name_takes_the_fallback() -> None:
    assert names.rename(names.SERVICE_BUS_QUEUE, "___", "orders-queue")[0] == "orders-queue"
    assert names.rename(names.COSMOS_CONTAINER, "   ", "Orders")[0] == "Orders"


# ---- host IDs (AzureFunctionsWebHost__hostid)
# The Functions host takes the first 32 characters of the app name as its host ID unless the app setting
# AzureFunctionsWebHost__hostid sets one; two apps with one ID on the same storage account stop the host
# (Functions v4, AZFD0004). A host ID is 1-32 lower-case letters, digits and single hyphens, with a letter
# or digit at both ends (the WebJobs SDK's host ID check).
_HOST_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TOKEN = "q3vx7d2kzm4ha"  # a resourceToken: uniqueString() returns 13 lower-case letters and digits


def sha6(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def host_ids(plan: AzurePlan) -> dict[str, str]:
    """Each app's host ID setting, rendered, and with a sample resourceToken."""
    result = {}
    for app in plan.apps:
        (settings,) = [
            r
            for r in plan.resources
            if r.type == "Microsoft.Web/sites/config" and r.body["parent"].name == app.site_symbol
        ]
        value = render(settings.body["properties"]["AzureFunctionsWebHost__hostid"])
        result[app.name] = value.strip("'").replace("${resourceToken}", _TOKEN)
    return result


def test_apps_with_a_long_common_prefix_get_different_host_ids() -> None:
    text = "Transform: AWS::Serverless-2016-10-31\nResources:\n" + "".join(
        function(lid) for lid in ("OrderProcessingWorkerFunction", "OrderProcessingWorkerFunctionTwo")
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")), options=Options(app_per_function=True))
    apps = [app.name for app in plan.apps]
    assert apps == ["order-processing-worker-functi", "order-processing-worker-functi-2"]
    # without the setting both hosts would take the same ID from their site names
    sites = [f"func-{app}-{_TOKEN}" for app in apps]
    assert sites[0][:32] == sites[1][:32] == "func-order-processing-worker-fun"
    ids = host_ids(plan)
    # 18 characters for the key: the start of the name and a hash of all of it, then the token
    assert ids == {app: f"order-proce-{sha6(app)}-{_TOKEN}" for app in apps}
    assert ids[apps[0]] != ids[apps[1]]
    for value in ids.values():
        assert len(value) == 32 and _HOST_ID.match(value)


def test_short_app_name_is_its_host_id_key() -> None:
    plan = convert(function("Fn"))
    (app,) = plan.apps
    assert host_ids(plan) == {app.name: f"{app.name}-{_TOKEN}"}


def test_host_id_key_of_a_long_name_keeps_its_start_and_hashes_the_whole_name() -> None:
    name = "order-processing-worker-function"
    assert names.host_id_keys([name]) == {name: f"order-proce-{sha6(name)}"}


def test_host_id_keys_that_would_be_equal_get_a_number() -> None:
    # names that read the same in lower case (the apps' names never do; the keys must differ anyway)
    assert names.host_id_keys(["Orders", "orders", "ORDERS"]) == {
        "Orders": "orders",
        "orders": "orders-2",
        "ORDERS": "orders-3",
    }


@given(
    st.lists(
        st.text(alphabet="abcdefghij0123456789-_", min_size=1, max_size=45).filter(
            lambda n: n.strip("-_") != ""
        ),
        unique=True,
        max_size=30,
    ).map(lambda tail: ["shared-project-name-prefix-" + t for t in tail] + tail)
)
def test_host_id_keys_are_distinct_and_valid(app_names: list[str]) -> None:
    keys = names.host_id_keys(app_names)
    assert len(set(keys.values())) == len(app_names)
    for key in keys.values():
        value = f"{key}-{_TOKEN}"
        assert len(value) <= 32 and _HOST_ID.match(value), value
