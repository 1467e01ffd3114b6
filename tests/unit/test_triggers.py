"""Lambda event sources -> Azure Functions triggers (translator/mapping/triggers.py).

One tiny SAM template per trigger family; the expected values come from the Azure facts in
research/azure-target.md:

- §1.3 trigger mapping: API Gateway -> httpTrigger, SQS -> Service Bus, S3 -> blob trigger with the
  Event Grid source (§2.9: the only blob source on Flex), SNS/EventBridge -> Event Grid, schedules ->
  timer (NCRONTAB, UTC), DynamoDB streams -> Cosmos DB change feed, Kinesis -> Event Hubs.
- §2.7 identity-based connections: ``<Conn>__fullyQualifiedNamespace`` (Service Bus, Event Hubs),
  ``__accountEndpoint`` (Cosmos DB), ``__blobServiceUri``/``__queueServiceUri`` (blobs), always with
  ``__credential=managedidentity`` and ``__clientId`` of the user-assigned identity.
- §4.2 host.json: routePrefix '' keeps API Gateway paths, serviceBus.maxMessageBatchSize,
  eventHubs.maxEventBatchSize and initialOffsetOptions.type fromStart|fromEnd.
- §5 role ids: the per-binding roles (Service Bus Data Receiver, Event Hubs Data Receiver, Blob Data
  Owner + Queue Data Contributor for blob triggers, Cosmos DB Built-in Data Contributor).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from translator.bicep import Call, Ident, Prop, render
from translator.emit.bicep import render_parameters
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan, AzureResource, TriggerPlan
from translator.validate.hostjson import host_json_problems

# research/azure-target.md §5
SERVICE_BUS_DATA_RECEIVER = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"
EVENT_HUBS_DATA_RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"
STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
STORAGE_QUEUE_DATA_CONTRIBUTOR = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb"
COSMOS_DATA_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002"


def sam(events: str, resources: str = "", props: str = "") -> AzurePlan:
    """Map a SAM template with one python3.12 function ``Fn`` and the given events."""
    text = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        + textwrap.indent(textwrap.dedent(resources).strip("\n"), "  ")
        + "\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        + "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
        + (textwrap.indent(textwrap.dedent(props).strip("\n"), "      ") + "\n" if props else "")
        + "      Events:\n"
        + textwrap.indent(textwrap.dedent(events).strip("\n"), "        ")
        + "\n"
    )
    return map_graph(parse_document(load_text(text, "t.yaml")))


def trigger(plan: AzurePlan) -> TriggerPlan:
    (fn,) = plan.functions
    (found,) = fn.triggers
    return found


def of_type(plan: AzurePlan, azure_type: str) -> list[AzureResource]:
    return [r for r in plan.resources if r.type == azure_type]


def one(plan: AzurePlan, azure_type: str) -> AzureResource:
    found = of_type(plan, azure_type)
    assert len(found) == 1, [r.symbol for r in found]
    return found[0]


def identity(plan: AzurePlan) -> str:
    return one(plan, "Microsoft.ManagedIdentity/userAssignedIdentities").symbol


def app_settings(plan: AzurePlan) -> dict[str, Any]:
    return one(plan, "Microsoft.Web/sites/config").body["properties"]


def role_assignments(plan: AzurePlan) -> set[tuple[str, str, str]]:
    """(scope symbol, role definition guid, identity symbol) of every role assignment."""
    found = set()
    for r in of_type(plan, "Microsoft.Authorization/roleAssignments"):
        definition = r.body["properties"]["roleDefinitionId"]
        assert isinstance(definition, Call) and definition.fn == "subscriptionResourceId"
        assert definition.args[0] == "Microsoft.Authorization/roleDefinitions"
        principal = r.body["properties"]["principalId"]
        assert isinstance(principal, Prop) and principal.path == ("properties", "principalId")
        assert r.body["properties"]["principalType"] == "ServicePrincipal"
        found.add((r.body["scope"].name, definition.args[1], principal.target.name))
    return found


def rules(plan: AzurePlan) -> set[str]:
    return {f.rule for f in plan.findings}


def extensions(plan: AzurePlan) -> dict[str, Any]:
    (app,) = plan.apps
    return app.host_json["extensions"]


def assert_identity_connection(plan: AzurePlan, prefix: str, **expected: str) -> None:
    settings = app_settings(plan)
    for key, value in expected.items():
        assert render(settings[f"{prefix}__{key}"]) == value
    assert settings[f"{prefix}__credential"] == "managedidentity"
    assert render(settings[f"{prefix}__clientId"]) == f"{identity(plan)}.properties.clientId"
    # connection strings and keys are never generated
    assert not [
        k for k in settings if k.startswith(prefix) and k.lower().endswith(("connectionstring", "key"))
    ]


def binding_setting(plan: AzurePlan, reference: str) -> str:
    """The Bicep value of the app setting a ``%NAME%`` binding reference points at."""
    assert reference.startswith("%") and reference.endswith("%"), reference
    return render(app_settings(plan)[reference.strip("%")])


# ---- HTTP ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "path", "method", "route", "methods"),
    [
        ("Api", "/orders/{proxy+}", "post", "orders/{*proxy}", ["post"]),
        ("Api", "/{proxy+}", "ANY", "{*proxy}", None),
        ("Api", "/orders/{id}", "GET", "orders/{id}", ["get"]),
        ("Api", "/a/{b}/c/{rest+}", "delete", "a/{b}/c/{*rest}", ["delete"]),
        ("HttpApi", "/items", "put", "items", ["put"]),
        ("HttpApi", None, None, "{*path}", None),  # the catch-all default route
    ],
)
def test_http_trigger(
    event_type: str, path: str | None, method: str | None, route: str, methods: Any
) -> None:
    props = ""
    if path is not None:
        props = f"\n  Properties:\n    Path: {path}\n    Method: {method}"
    plan = sam(f"Web:\n  Type: {event_type}{props}")
    found = trigger(plan)
    assert found.azure_trigger == "httpTrigger"
    assert found.binding["route"] == route
    assert found.binding["authLevel"] == "anonymous"
    assert found.binding.get("methods") == methods
    assert found.disposition is Disposition.CONVERTED
    # API Gateway paths have no /api prefix: routePrefix '' keeps the same URLs (§4.2)
    assert extensions(plan)["http"] == {"routePrefix": ""}
    # an HTTP trigger needs no Azure resource beyond the app
    assert not of_type(plan, "Microsoft.ServiceBus/namespaces")
    assert not [r for r in plan.resources if r.type.startswith("Microsoft.EventGrid/")]


def test_http_auth_is_reported() -> None:
    plan = sam(
        """
        Web:
          Type: Api
          Properties:
            Path: /x
            Method: get
            Auth: {Authorizer: AWS_IAM}
        """
    )
    # a protected route is never published anonymously: function keys until real auth is added
    assert "LF3013" in rules(plan)
    assert trigger(plan).binding["authLevel"] == "function"
    assert trigger(plan).disposition is Disposition.APPROXIMATED


@pytest.mark.parametrize(("auth", "level"), [("NONE", "anonymous"), ("AWS_IAM", "function")])
def test_function_url(auth: str, level: str) -> None:
    plan = sam("{}", props=f"FunctionUrlConfig:\n  AuthType: {auth}")
    found = trigger(plan)
    assert found.kind == "url"
    assert found.azure_trigger == "httpTrigger"
    assert found.binding["authLevel"] == level
    # a function URL serves every path of the function
    assert found.binding["route"].startswith("Fn/")
    assert found.binding["route"].endswith("{*path}")
    assert "methods" not in found.binding
    assert "LF3008" in rules(plan)
    assert found.disposition is Disposition.APPROXIMATED


# ---- SQS -> Service Bus --------------------------------------------------------------------------

SQS_IN_TEMPLATE = """
OrdersQueue:
  Type: AWS::SQS::Queue
  Properties:
    QueueName: orders
"""


def test_sqs_queue_in_template() -> None:
    plan = sam(
        """
        Orders:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
            BatchSize: 10
        """,
        SQS_IN_TEMPLATE,
    )
    found = trigger(plan)
    assert found.azure_trigger == "serviceBusTrigger"
    assert found.disposition is Disposition.CONVERTED
    namespace = one(plan, "Microsoft.ServiceBus/namespaces")
    assert namespace.body["properties"]["disableLocalAuth"] is True
    queue = one(plan, "Microsoft.ServiceBus/namespaces/queues")
    assert queue.body["parent"] == Ident(namespace.symbol)
    assert queue.body["name"] == "orders"
    assert queue.sources == ("OrdersQueue",)
    # binding: queue name through an app setting, identity connection
    assert found.binding["connection"] == "ServiceBusConnection"
    assert binding_setting(plan, found.binding["queueName"]) == f"{queue.symbol}.name"
    assert_identity_connection(
        plan,
        "ServiceBusConnection",
        fullyQualifiedNamespace=f"'${{{namespace.symbol}.name}}.servicebus.windows.net'",
    )
    # Service Bus Data Receiver on the queue (§5)
    assert (queue.symbol, SERVICE_BUS_DATA_RECEIVER, identity(plan)) in role_assignments(plan)
    # BatchSize > 1: the function receives a batch (§4.2 serviceBus.maxMessageBatchSize)
    assert found.binding["cardinality"] == "many"
    assert extensions(plan)["serviceBus"] == {"maxMessageBatchSize": 10}
    assert not rules(plan) & {"LF3002", "LF3007", "LF3009"}
    # no Event Grid subscription: no deployEventSubscriptions parameter for azd to fill
    assert set(json.loads(render_parameters(plan))["parameters"]) == {"environmentName", "location"}


def test_sqs_external_queue_arn() -> None:
    plan = sam(
        """
        Orders:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:external-orders
        """
    )
    found = trigger(plan)
    assert found.azure_trigger == "serviceBusTrigger"
    queue = one(plan, "Microsoft.ServiceBus/namespaces/queues")
    assert queue.body["name"] == "external-orders"
    assert binding_setting(plan, found.binding["queueName"]) == f"{queue.symbol}.name"
    assert (queue.symbol, SERVICE_BUS_DATA_RECEIVER, identity(plan)) in role_assignments(plan)
    assert [f for f in plan.findings if f.rule == "LF3002" and "external-orders" in f.message]


def test_events_on_one_external_queue_share_its_stand_in() -> None:
    # two Azure resources with one name in one namespace would fail the deployment
    plan = sam(
        """
        First:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:external-orders
        Second:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:us-east-1:123456789012:external-orders
            BatchSize: 5
        """
    )
    queue = one(plan, "Microsoft.ServiceBus/namespaces/queues")
    (fn,) = plan.functions
    assert [binding_setting(plan, t.binding["queueName"]) for t in fn.triggers] == [
        f"{queue.symbol}.name"
    ] * 2
    assert len(of_type(plan, "Microsoft.Authorization/roleAssignments")) == len(role_assignments(plan))
    assert [f.rule for f in plan.findings].count("LF3002") == 2  # each event still says so


def test_sqs_single_message_batch_has_no_batch_setting() -> None:
    plan = sam(
        """
        Orders:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
            BatchSize: 1
        """,
        SQS_IN_TEMPLATE,
    )
    assert "cardinality" not in trigger(plan).binding
    assert "serviceBus" not in extensions(plan)


def test_sqs_disabled() -> None:
    plan = sam(
        """
        Orders:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
            Enabled: false
        """,
        SQS_IN_TEMPLATE,
    )
    assert trigger(plan).azure_trigger == "serviceBusTrigger"
    assert app_settings(plan)["AzureWebJobs.Fn.Disabled"] == "true"
    assert "LF3009" in rules(plan)


def test_sqs_untranslated_setting_is_reported() -> None:
    plan = sam(
        """
        Orders:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
            MetricsConfig: {Metrics: [EventCount]}
        """,
        SQS_IN_TEMPLATE,
    )
    assert [f for f in plan.findings if f.rule == "LF3007" and "MetricsConfig" in f.message]
    assert trigger(plan).disposition is Disposition.APPROXIMATED


# ---- S3 -> blob trigger (Event Grid source) ------------------------------------------------------

BUCKET = """
UploadsBucket:
  Type: AWS::S3::Bucket
"""


def s3(events: str = "s3:ObjectCreated:*", rules_yaml: str = "") -> AzurePlan:
    filter_yaml = f"\n    Filter:\n      S3Key:\n        Rules:\n{rules_yaml}" if rules_yaml else ""
    return sam(
        f"""
Upload:
  Type: S3
  Properties:
    Bucket: !Ref UploadsBucket
    Events: {events}{filter_yaml}
""",
        BUCKET,
    )


def test_s3_blob_trigger() -> None:
    plan = s3(
        rules_yaml="          - {Name: prefix, Value: incoming/}\n          - {Name: suffix, Value: .jpg}"
    )
    found = trigger(plan)
    assert found.azure_trigger == "blobTrigger"
    assert found.binding["source"] == "EventGrid"  # the only blob trigger source on Flex (§2.9)
    assert found.binding["connection"] == "DataStorage"
    path = found.binding["path"]
    reference, rest = path.split("/", 1)
    assert rest == "incoming/{name}.jpg"
    # the host storage account (symbol 'storage') is not the account that replaces the buckets
    data = [r for r in of_type(plan, "Microsoft.Storage/storageAccounts") if r.symbol != "storage"]
    assert len(data) == 1
    data_account = data[0]
    assert data_account.body["properties"]["allowSharedKeyAccess"] is False
    assert data_account.body["properties"]["allowBlobPublicAccess"] is False
    containers = [
        r
        for r in of_type(plan, "Microsoft.Storage/storageAccounts/blobServices/containers")
        if "UploadsBucket" in r.sources
    ]
    (container,) = containers
    assert container.body["properties"]["publicAccess"] == "None"
    assert binding_setting(plan, reference) == f"{container.symbol}.name"
    endpoints = f"{data_account.symbol}.properties.primaryEndpoints"
    assert_identity_connection(
        plan, "DataStorage", blobServiceUri=f"{endpoints}.blob", queueServiceUri=f"{endpoints}.queue"
    )
    # blob triggers keep receipts in host storage queues
    assert "AzureWebJobsStorage__queueServiceUri" in app_settings(plan)
    # roles (§5): Blob Data Owner + Queue Data Contributor on the data account
    assigned = role_assignments(plan)
    me = identity(plan)
    assert (data_account.symbol, STORAGE_BLOB_DATA_OWNER, me) in assigned
    assert (data_account.symbol, STORAGE_QUEUE_DATA_CONTRIBUTOR, me) in assigned
    assert ("storage", STORAGE_QUEUE_DATA_CONTRIBUTOR, me) in assigned
    # Event Grid system topic on the data account, and a subscription gated by deployEventSubscriptions
    topic = one(plan, "Microsoft.EventGrid/systemTopics")
    assert topic.body["properties"]["topicType"] == "Microsoft.Storage.StorageAccounts"
    assert render(topic.body["properties"]["source"]) == f"{data_account.symbol}.id"
    subscription = one(plan, "Microsoft.EventGrid/systemTopics/eventSubscriptions")
    assert subscription.body["parent"] == Ident(topic.symbol)
    assert subscription.condition == Ident("deployEventSubscriptions")
    gate = [p for p in plan.params if p.name == "deployEventSubscriptions"]
    assert gate and gate[0].type == "bool" and gate[0].default is False
    # azd fills it from DEPLOY_EVENT_SUBSCRIPTIONS (default false); azd turns the string into the bool
    parameters = json.loads(render_parameters(plan))["parameters"]
    assert parameters["deployEventSubscriptions"] == {"value": "${DEPLOY_EVENT_SUBSCRIPTIONS=false}"}
    assert "LF3006" in rules(plan)
    props = subscription.body["properties"]
    event_filter = props["filter"]
    assert event_filter["includedEventTypes"] == ["Microsoft.Storage.BlobCreated"]
    assert render(event_filter["subjectBeginsWith"]) == (
        f"'/blobServices/default/containers/${{{container.symbol}.name}}/blobs/incoming/'"
    )
    assert event_filter["subjectEndsWith"] == ".jpg"
    destination = props["destination"]
    assert destination["endpointType"] == "WebHook"
    url = render(destination["properties"]["endpointUrl"])
    # list*() runs even in a resource whose condition is false: the call itself is guarded
    assert url.startswith("(deployEventSubscriptions ? 'https://${")
    assert url.endswith(" : '')")
    assert "/runtime/webhooks/blobs?functionName=Host.Functions.Fn&code=" in url
    assert "systemKeys.blobs_extension" in url
    assert found.disposition is Disposition.CONVERTED
    assert "LF3003" not in rules(plan)


def test_s3_without_filter_subscribes_to_the_whole_container() -> None:
    plan = s3()
    found = trigger(plan)
    assert found.binding["path"].endswith("%/{name}")
    event_filter = one(plan, "Microsoft.EventGrid/systemTopics/eventSubscriptions").body["properties"][
        "filter"
    ]
    assert render(event_filter["subjectBeginsWith"]).endswith("/blobs/'")
    assert "subjectEndsWith" not in event_filter


def test_a_one_letter_bucket_id_still_gives_a_valid_container_name() -> None:
    # container names need 3-63 characters; the logical id "B" alone would be rejected by ARM
    plan = sam(
        "Up:\n  Type: S3\n  Properties:\n    Bucket: !Ref B\n    Events: s3:ObjectCreated:*",
        "B:\n  Type: AWS::S3::Bucket",
    )
    (container,) = [
        r
        for r in of_type(plan, "Microsoft.Storage/storageAccounts/blobServices/containers")
        if "B" in r.sources
    ]
    assert container.body["name"] == "b-bucket"


@pytest.mark.parametrize(
    ("events", "types"),
    [
        (
            "[s3:ObjectCreated:*, s3:ObjectRemoved:*]",
            ["Microsoft.Storage.BlobCreated", "Microsoft.Storage.BlobDeleted"],
        ),
        ("s3:ObjectRemoved:Delete", ["Microsoft.Storage.BlobDeleted"]),
    ],
)
def test_s3_object_removed_needs_the_event_grid_trigger(events: str, types: list[str]) -> None:
    # the blob trigger fires only for created blobs: deletions come through an Event Grid trigger
    plan = s3(events)
    found = trigger(plan)
    assert found.azure_trigger == "eventGridTrigger"
    subscription = one(plan, "Microsoft.EventGrid/systemTopics/eventSubscriptions")
    assert subscription.body["properties"]["destination"]["endpointType"] == "AzureFunction"
    assert subscription.body["properties"]["filter"]["includedEventTypes"] == types
    assert found.disposition is Disposition.CONVERTED
    # no blob-trigger connection for an Event Grid trigger
    assert not [k for k in app_settings(plan) if k.startswith("DataStorage__")]


def test_two_blob_triggers_share_one_system_topic() -> None:
    plan = sam(
        """
        A:
          Type: S3
          Properties: {Bucket: !Ref UploadsBucket, Events: 's3:ObjectCreated:*'}
        B:
          Type: S3
          Properties: {Bucket: !Ref UploadsBucket, Events: 's3:ObjectCreated:Put'}
        """,
        BUCKET,
    )
    assert len(of_type(plan, "Microsoft.EventGrid/systemTopics")) == 1
    subscriptions = of_type(plan, "Microsoft.EventGrid/systemTopics/eventSubscriptions")
    assert len(subscriptions) == 2
    assert len({s.body["name"] for s in subscriptions}) == 2


# ---- SNS and EventBridge -> Event Grid -----------------------------------------------------------


def assert_function_subscription(plan: AzurePlan, topic_symbol: str) -> None:
    subscription = one(plan, "Microsoft.EventGrid/topics/eventSubscriptions")
    assert subscription.body["parent"] == Ident(topic_symbol)
    assert subscription.condition == Ident("deployEventSubscriptions")
    destination = subscription.body["properties"]["destination"]
    assert destination["endpointType"] == "AzureFunction"
    site = one(plan, "Microsoft.Web/sites").symbol
    assert render(destination["properties"]["resourceId"]) == f"'${{{site}.id}}/functions/Fn'"
    assert "LF3006" in rules(plan)


def test_sns_topic() -> None:
    plan = sam(
        """
        Alerts:
          Type: SNS
          Properties:
            Topic: !Ref AlertsTopic
        """,
        "AlertsTopic:\n  Type: AWS::SNS::Topic\n",
    )
    found = trigger(plan)
    assert found.azure_trigger == "eventGridTrigger"
    topic = one(plan, "Microsoft.EventGrid/topics")
    assert topic.sources == ("AlertsTopic",)
    assert topic.body["properties"]["disableLocalAuth"] is True
    assert_function_subscription(plan, topic.symbol)
    assert found.disposition is Disposition.CONVERTED
    assert "LF3003" not in rules(plan)


def test_sns_filter_policy_becomes_an_advanced_filter() -> None:
    plan = sam(
        """
        Alerts:
          Type: SNS
          Properties:
            Topic: !Ref AlertsTopic
            FilterPolicy: {severity: [high]}
        """,
        "AlertsTopic:\n  Type: AWS::SNS::Topic\n",
    )
    subscription = one(plan, "Microsoft.EventGrid/topics/eventSubscriptions")
    assert subscription.body["properties"]["filter"] == {
        "advancedFilters": [{"operatorType": "StringIn", "key": "severity", "values": ["high"]}],
        "enableAdvancedFilteringOnArrays": True,
    }
    assert [f for f in plan.findings if f.rule == "LF3023" and "'severity'" in f.message]
    assert "LF3003" not in rules(plan)
    assert trigger(plan).disposition is Disposition.CONVERTED


def test_sns_external_topic() -> None:
    plan = sam(
        "Alerts:\n  Type: SNS\n  Properties:\n    Topic: arn:aws:sns:us-east-1:123456789012:ops-alerts\n"
    )
    topic = one(plan, "Microsoft.EventGrid/topics")
    assert_function_subscription(plan, topic.symbol)
    assert "LF3002" in rules(plan)


def test_eventbridge_rule_on_default_bus() -> None:
    plan = sam(
        """
        Orders:
          Type: EventBridgeRule
          Properties:
            Pattern:
              source: [my.orders]
        """
    )
    found = trigger(plan)
    assert found.azure_trigger == "eventGridTrigger"
    topic = one(plan, "Microsoft.EventGrid/topics")
    assert "default" in render(topic.body["name"])
    assert_function_subscription(plan, topic.symbol)
    # the pattern's source becomes an advanced filter on the CloudEvents source
    subscription = one(plan, "Microsoft.EventGrid/topics/eventSubscriptions")
    assert subscription.body["properties"]["filter"]["advancedFilters"] == [
        {"operatorType": "StringIn", "key": "source", "values": ["my.orders"]}
    ]
    assert "LF3023" in rules(plan)
    assert found.disposition is Disposition.CONVERTED
    assert "LF3002" not in rules(plan)


def test_eventbridge_rule_on_custom_bus_in_template() -> None:
    plan = sam(
        """
        Orders:
          Type: EventBridgeRule
          Properties:
            EventBusName: !Ref OrdersBus
            Pattern: {source: [my.orders]}
        """,
        "OrdersBus:\n  Type: AWS::Events::EventBus\n  Properties:\n    Name: orders\n",
    )
    topic = one(plan, "Microsoft.EventGrid/topics")
    assert topic.sources == ("OrdersBus",)
    assert_function_subscription(plan, topic.symbol)


# ---- schedules -> timer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "ncrontab"),
    [
        ("rate(5 minutes)", "0 */5 * * * *"),
        ("rate(1 hour)", "0 0 * * * *"),
        ("rate(1 day)", "0 0 0 * * *"),
        ("cron(0 12 * * ? *)", "0 0 12 * * *"),
        ("cron(30 6 ? * 2 *)", "0 30 6 * * 1"),  # AWS day-of-week 2 = Monday; NCRONTAB Monday = 1
    ],
)
def test_schedule(expression: str, ncrontab: str) -> None:
    plan = sam(f"Tick:\n  Type: Schedule\n  Properties:\n    Schedule: {expression}\n")
    found = trigger(plan)
    assert found.azure_trigger == "timerTrigger"
    assert found.binding == {"schedule": ncrontab}
    assert found.disposition is Disposition.CONVERTED
    assert not rules(plan) & {"LF3004", "LF3005"}


def test_schedule_with_last_day_of_month_is_not_translatable() -> None:
    plan = sam("Tick:\n  Type: Schedule\n  Properties:\n    Schedule: cron(0 0 L * ? *)\n")
    found = trigger(plan)
    assert "LF3005" in rules(plan)
    assert "schedule" not in found.binding
    assert found.disposition is Disposition.MANUAL
    assert plan.functions[0].disposition is Disposition.MANUAL


def test_schedule_v2_with_timezone() -> None:
    plan = sam(
        """
        Tick:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 8 * * ? *)
            ScheduleExpressionTimezone: Europe/Berlin
        """
    )
    found = trigger(plan)
    assert found.binding == {"schedule": "0 0 8 * * *"}
    # Flex Consumption has no WEBSITE_TIME_ZONE (§2.6): the timer runs in UTC, a different hour: a warning
    assert [f for f in plan.findings if f.rule == "LF3014" and "ScheduleExpressionTimezone" in f.message]
    assert found.disposition is Disposition.APPROXIMATED
    assert "WEBSITE_TIME_ZONE" not in app_settings(plan)


def test_schedule_disabled() -> None:
    plan = sam("Tick:\n  Type: Schedule\n  Properties:\n    Schedule: rate(1 hour)\n    Enabled: false\n")
    assert app_settings(plan)["AzureWebJobs.Fn.Disabled"] == "true"
    assert "LF3009" in rules(plan)


# ---- DynamoDB streams -> Cosmos DB change feed ---------------------------------------------------

TABLE = """
OrdersTable:
  Type: AWS::DynamoDB::Table
  Properties:
    TableName: orders
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    BillingMode: PAY_PER_REQUEST
    StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
"""


def test_dynamodb_stream() -> None:
    plan = sam(
        """
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt OrdersTable.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 50
        """,
        TABLE,
    )
    found = trigger(plan)
    assert found.azure_trigger == "cosmosDBTrigger"
    account = one(plan, "Microsoft.DocumentDB/databaseAccounts")
    assert account.body["properties"]["disableLocalAuth"] is True
    database = one(plan, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases")
    assert database.body["parent"] == Ident(account.symbol)
    containers = {
        r.body["name"]: r
        for r in of_type(plan, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
    }
    assert set(containers) == {"orders", "leases"}
    table = containers["orders"]
    assert table.body["parent"] == Ident(database.symbol)
    assert table.body["properties"]["resource"]["partitionKey"]["paths"] == ["/pk"]
    # binding
    assert found.binding["connection"] == "CosmosDBConnection"
    assert found.binding["leaseContainerName"] == "leases"
    assert found.binding["startFromBeginning"] is True
    assert found.binding["maxItemsPerInvocation"] == 50
    assert binding_setting(plan, found.binding["containerName"]) == f"{table.symbol}.name"
    assert binding_setting(plan, found.binding["databaseName"]) == f"{database.symbol}.name"
    assert_identity_connection(
        plan, "CosmosDBConnection", accountEndpoint=f"{account.symbol}.properties.documentEndpoint"
    )
    # data-plane role: a Cosmos sqlRoleAssignment with the built-in Data Contributor (§5)
    assignment = one(plan, "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
    assert assignment.body["parent"] == Ident(account.symbol)
    props = assignment.body["properties"]
    assert (
        render(props["roleDefinitionId"])
        == f"'${{{account.symbol}.id}}/sqlRoleDefinitions/{COSMOS_DATA_CONTRIBUTOR}'"
    )
    assert render(props["principalId"]) == f"{identity(plan)}.properties.principalId"
    assert render(props["scope"]) == f"{account.symbol}.id"
    assert found.disposition is Disposition.CONVERTED


def test_dynamodb_latest_does_not_start_from_beginning() -> None:
    plan = sam(
        """
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt OrdersTable.StreamArn
            StartingPosition: LATEST
        """,
        TABLE,
    )
    assert "startFromBeginning" not in trigger(plan).binding


# ---- Kinesis -> Event Hubs -----------------------------------------------------------------------

STREAM = """
ClicksStream:
  Type: AWS::Kinesis::Stream
  Properties:
    Name: clicks
    ShardCount: 4
"""


@pytest.mark.parametrize(("position", "offset"), [("TRIM_HORIZON", "fromStart"), ("LATEST", "fromEnd")])
def test_kinesis_stream(position: str, offset: str) -> None:
    plan = sam(
        f"""
Clicks:
  Type: Kinesis
  Properties:
    Stream: !GetAtt ClicksStream.Arn
    StartingPosition: {position}
    BatchSize: 100
""",
        STREAM,
    )
    found = trigger(plan)
    assert found.azure_trigger == "eventHubTrigger"
    namespace = one(plan, "Microsoft.EventHub/namespaces")
    assert namespace.body["properties"]["disableLocalAuth"] is True
    hub = one(plan, "Microsoft.EventHub/namespaces/eventhubs")
    assert hub.body["parent"] == Ident(namespace.symbol)
    assert hub.body["name"] == "clicks"
    assert hub.body["properties"]["partitionCount"] == 4  # one partition per shard
    assert found.binding["connection"] == "EventHubConnection"
    assert found.binding["cardinality"] == "many"
    assert binding_setting(plan, found.binding["eventHubName"]) == f"{hub.symbol}.name"
    assert_identity_connection(
        plan,
        "EventHubConnection",
        fullyQualifiedNamespace=f"'${{{namespace.symbol}.name}}.servicebus.windows.net'",
    )
    assert (hub.symbol, EVENT_HUBS_DATA_RECEIVER, identity(plan)) in role_assignments(plan)
    assert extensions(plan)["eventHubs"] == {
        "initialOffsetOptions": {"type": offset},
        "maxEventBatchSize": 100,
    }
    assert found.disposition is Disposition.CONVERTED


def test_kinesis_at_timestamp() -> None:
    # SAM's StartingPositionTimestamp is Unix seconds; host.json wants a date and time (§4.2)
    plan = sam(
        """
        Clicks:
          Type: Kinesis
          Properties:
            Stream: !GetAtt ClicksStream.Arn
            StartingPosition: AT_TIMESTAMP
            StartingPositionTimestamp: 1700000000
        """,
        STREAM,
    )
    assert extensions(plan)["eventHubs"] == {
        "initialOffsetOptions": {"type": "fromEnqueuedTime", "enqueuedTimeUtc": "2023-11-14T22:13:20Z"},
        "maxEventBatchSize": 100,  # Lambda's default batch size for Kinesis
    }
    assert trigger(plan).disposition is Disposition.CONVERTED


def test_kinesis_at_timestamp_without_literal_time_is_reported() -> None:
    plan = sam(
        """
        Clicks:
          Type: Kinesis
          Properties:
            Stream: !GetAtt ClicksStream.Arn
            StartingPosition: AT_TIMESTAMP
            StartingPositionTimestamp: !Ref AWS::NoValue
        """,
        STREAM,
    )
    # fromEnqueuedTime without enqueuedTimeUtc would stop the host; nothing is pasted as text either
    assert "initialOffsetOptions" not in extensions(plan)["eventHubs"]
    assert [f for f in plan.findings if f.rule == "LF3007" and "StartingPosition" in f.message]
    assert trigger(plan).disposition is Disposition.APPROXIMATED


def test_kinesis_external_stream() -> None:
    plan = sam(
        """
        Clicks:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
            StartingPosition: LATEST
        """
    )
    hub = one(plan, "Microsoft.EventHub/namespaces/eventhubs")
    assert hub.body["name"] == "clicks"
    assert "LF3002" in rules(plan)
    # no BatchSize: Lambda's default of 100 records, not the Event Hubs default of 10
    assert extensions(plan)["eventHubs"] == {
        "initialOffsetOptions": {"type": "fromEnd"},
        "maxEventBatchSize": 100,
    }


def test_dynamodb_external_table() -> None:
    plan = sam(
        """
        Changes:
          Type: DynamoDB
          Properties:
            Stream: arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000
            StartingPosition: LATEST
        """
    )
    names = {
        r.body["name"] for r in of_type(plan, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
    }
    assert names == {"orders", "leases"}
    assert "LF3002" in rules(plan)


HOST_JSON_CASES = {
    "sqs batch": (
        "Q:\n  Type: SQS\n  Properties:\n    Queue: !GetAtt OrdersQueue.Arn\n    BatchSize: 10\n",
        SQS_IN_TEMPLATE,
    ),
    "kinesis latest": (
        "K:\n  Type: Kinesis\n  Properties:\n    Stream: !GetAtt ClicksStream.Arn\n"
        "    StartingPosition: LATEST\n",
        STREAM,
    ),
    "kinesis trim horizon": (
        "K:\n  Type: Kinesis\n  Properties:\n    Stream: !GetAtt ClicksStream.Arn\n"
        "    StartingPosition: TRIM_HORIZON\n    BatchSize: 500\n",
        STREAM,
    ),
    "kinesis timestamp": (
        "K:\n  Type: Kinesis\n  Properties:\n    Stream: !GetAtt ClicksStream.Arn\n"
        "    StartingPosition: AT_TIMESTAMP\n    StartingPositionTimestamp: 1700000000\n",
        STREAM,
    ),
    "blob": (
        "U:\n  Type: S3\n  Properties:\n    Bucket: !Ref UploadsBucket\n    Events: s3:ObjectCreated:*\n",
        BUCKET,
    ),
    "dynamodb": (
        "D:\n  Type: DynamoDB\n  Properties:\n    Stream: !GetAtt OrdersTable.StreamArn\n"
        "    StartingPosition: LATEST\n",
        TABLE,
    ),
}


@pytest.mark.parametrize("case", sorted(HOST_JSON_CASES))
def test_host_json_matches_the_schema(case: str, host_json_schema_path: Path) -> None:
    # §4.1: the SchemaStore host.json schema; its extension sections are oneOf several shapes
    events, resources = HOST_JSON_CASES[case]
    plan = sam(events, resources)
    schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    (app,) = plan.apps
    assert host_json_problems(app.host_json, schema) == []


# ---- not supported -------------------------------------------------------------------------------


def test_msk_becomes_a_kafka_trigger() -> None:
    # research/azure-target.md §1.3: MSK -> Apache Kafka trigger; the cluster's brokers are not in the
    # template, so they become a parameter the user sets (LF3031)
    plan = sam(
        """
        Kafka:
          Type: MSK
          Properties:
            Stream: arn:aws:kafka:us-east-1:123456789012:cluster/orders/abc
            Topics: [orders]
            StartingPosition: LATEST
        """
    )
    found = trigger(plan)
    assert (found.kind, found.azure_trigger) == ("msk", "kafkaTrigger")
    assert found.binding["brokerList"] == "%FN_KAFKA_KAFKA_BROKERS%"
    assert found.binding["topic"] == "orders"
    assert app_settings(plan)["FN_KAFKA_KAFKA_BROKERS"] == Ident("fnKafkaKafkaBrokers")
    assert [f.rule for f in plan.findings if f.rule == "LF3031"] == ["LF3031", "LF3031"]  # IAM auth, brokers
    # nothing is created for it
    assert not [
        r for r in plan.resources if r.type.startswith(("Microsoft.EventHub", "Microsoft.ServiceBus"))
    ]


def test_unknown_event_type() -> None:
    plan = sam("Odd:\n  Type: SomethingNew\n")
    found = trigger(plan)
    assert found.kind == "unknown"
    assert found.azure_trigger is None
    assert "LF3001" in rules(plan)


# ---- always ---------------------------------------------------------------------------------------


def test_app_identity_gets_host_roles() -> None:
    plan = sam("Web:\n  Type: HttpApi\n")
    assigned = role_assignments(plan)
    me = identity(plan)
    assert ("storage", STORAGE_BLOB_DATA_OWNER, me) in assigned
    assert ("appInsights", MONITORING_METRICS_PUBLISHER, me) in assigned


def test_one_azure_function_per_event_source() -> None:
    from translator.load import load_text
    from translator.mapping.core import map_graph
    from translator.parsers.template import parse_document

    template = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Events:
        Hourly:
          Type: Schedule
          Properties: {Schedule: rate(1 hour), Enabled: false}
        Notified:
          Type: SNS
          Properties: {Topic: !Ref Topic}
"""
    plan = map_graph(parse_document(load_text(template, "t.yaml")))
    (fn,) = plan.functions
    assert [t.function_name for t in fn.triggers] == ["WorkerHourly", "WorkerNotified"]
    assert [f for f in plan.findings if f.rule == "LF3012"]
    settings = next(r for r in plan.resources if r.type == "Microsoft.Web/sites/config").body["properties"]
    # only the disabled event's function is disabled
    assert settings.get("AzureWebJobs.WorkerHourly.Disabled") == "true"
    assert "AzureWebJobs.WorkerNotified.Disabled" not in settings
    subscription = next(
        r for r in plan.resources if r.type == "Microsoft.EventGrid/topics/eventSubscriptions"
    )
    resource_id = subscription.body["properties"]["destination"]["properties"]["resourceId"]
    assert render(resource_id).endswith("/functions/WorkerNotified'")


def _map(template: str) -> Any:
    from translator.load import load_text
    from translator.mapping.core import map_graph
    from translator.parsers.template import parse_document

    return map_graph(parse_document(load_text(template, "t.yaml")))


def test_fifo_queue_trigger_receives_sessions() -> None:
    plan = _map(
        """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true, QueueName: orders.fifo}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Events:
        Queued: {Type: SQS, Properties: {Queue: !GetAtt Orders.Arn}}
"""
    )
    queue = next(r for r in plan.resources if r.type == "Microsoft.ServiceBus/namespaces/queues")
    assert queue.body["properties"]["requiresSession"] is True
    # a receiver without sessions cannot read a session-enabled queue
    assert plan.functions[0].triggers[0].binding["isSessionsEnabled"] is True


def test_custom_handlers_get_their_own_app_and_host_json_section() -> None:
    plan = _map(
        """\
Transform: AWS::Serverless-2016-10-31
Resources:
  GoFn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: provided.al2023, Handler: bootstrap, CodeUri: go/}
  RubyFn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: ruby3.3, Handler: app.lambda_handler, CodeUri: rb/}
"""
    )
    apps = {app.functions: app for app in plan.apps}
    assert set(apps) == {("GoFn",), ("RubyFn",)}
    assert apps[("GoFn",)].host_json["customHandler"]["description"] == {"defaultExecutablePath": "bootstrap"}
    assert apps[("RubyFn",)].host_json["customHandler"]["description"] == {
        "defaultExecutablePath": "ruby",
        "arguments": ["app.rb"],
    }
