"""A small live estate built in a moto server through boto3: what the discover tests read back."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import boto3

ACCOUNT = "123456789012"  # moto's default account
EAST, WEST = "us-east-1", "eu-west-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SECRET_VALUE = "s3cr3t-Pa55w0rd-never-printed"


def code_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def client(endpoint: str, service: str, region: str) -> Any:
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **CREDENTIALS)


@dataclass
class Estate:
    """What was created, for the tests to compare the inventory with."""

    functions: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (region, name) -> args
    queue_arn: str = ""
    west_queue_arn: str = ""
    stream_arn: str = ""
    table_stream_arn: str = ""
    topic_arn: str = ""
    bucket: str = "images-upload-bucket"
    rules: dict[str, str] = field(default_factory=dict)  # function name -> ARN of the rule invoking it


def build(endpoint: str) -> Estate:
    estate = Estate()
    zipped = code_zip()
    role = client(endpoint, "iam", EAST).create_role(RoleName="lambda-exec", AssumeRolePolicyDocument="{}")[
        "Role"
    ]["Arn"]

    def create(region: str, name: str, **args: Any) -> str:
        args = {"Runtime": "python3.12", "Handler": "app.handler", **args}
        arn = client(endpoint, "lambda", region).create_function(
            FunctionName=name, Role=role, Code={"ZipFile": zipped}, **args
        )["FunctionArn"]
        estate.functions[(region, name)] = args
        return arn

    lam = client(endpoint, "lambda", EAST)
    create(
        EAST,
        "orders-api",
        MemorySize=512,
        Timeout=30,
        Environment={"Variables": {"LOG_LEVEL": "INFO", "TABLE_NAME": "orders", "DB_PASSWORD": SECRET_VALUE}},
        Tags={
            "team": "orders",
            "aws:cloudformation:stack-name": "orders-stack",
            "aws:cloudformation:logical-id": "OrdersApi",
        },
        Publish=True,
    )
    lam.create_function_url_config(FunctionName="orders-api", AuthType="NONE")
    lam.create_alias(FunctionName="orders-api", Name="live", FunctionVersion="1")
    lam.put_function_concurrency(FunctionName="orders-api", ReservedConcurrentExecutions=25)

    sqs = client(endpoint, "sqs", EAST)
    url = sqs.create_queue(QueueName="orders-queue")["QueueUrl"]
    estate.queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    create(EAST, "orders-worker", MemorySize=256, Timeout=60)
    lam.create_event_source_mapping(
        FunctionName="orders-worker", EventSourceArn=estate.queue_arn, BatchSize=5
    )

    kinesis = client(endpoint, "kinesis", EAST)
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    estate.stream_arn = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["StreamARN"]
    create(EAST, "clicks-consumer", Runtime="nodejs20.x", Handler="index.handler")
    lam.create_event_source_mapping(
        FunctionName="clicks-consumer",
        EventSourceArn=estate.stream_arn,
        BatchSize=100,
        StartingPosition="LATEST",
    )

    dynamodb = client(endpoint, "dynamodb", EAST)
    table = dynamodb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]
    estate.table_stream_arn = table["LatestStreamArn"]
    create(EAST, "orders-audit")
    lam.create_event_source_mapping(
        FunctionName="orders-audit",
        EventSourceArn=estate.table_stream_arn,
        BatchSize=50,
        StartingPosition="TRIM_HORIZON",
    )

    create(EAST, "thumbnails", MemorySize=1024)
    lam.add_permission(
        FunctionName="thumbnails",
        StatementId="s3-invoke",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::{estate.bucket}",
        SourceAccount=ACCOUNT,
    )
    s3 = client(endpoint, "s3", EAST)
    s3.create_bucket(Bucket=estate.bucket)
    s3.put_bucket_notification_configuration(
        Bucket=estate.bucket,
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {
                    "LambdaFunctionArn": f"arn:aws:lambda:{EAST}:{ACCOUNT}:function:thumbnails",
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {
                        "Key": {
                            "FilterRules": [
                                {"Name": "prefix", "Value": "uploads/"},
                                {"Name": "suffix", "Value": ".jpg"},
                            ]
                        }
                    },
                }
            ]
        },
    )
    sns = client(endpoint, "sns", EAST)
    estate.topic_arn = sns.create_topic(Name="alerts")["TopicArn"]
    notifier = create(EAST, "notifier")
    lam.add_permission(
        FunctionName="notifier",
        StatementId="sns-invoke",
        Action="lambda:InvokeFunction",
        Principal="sns.amazonaws.com",
        SourceArn=estate.topic_arn,
    )
    sns.subscribe(
        TopicArn=estate.topic_arn,
        Protocol="lambda",
        Endpoint=notifier,
        Attributes={"FilterPolicy": json.dumps({"severity": ["high", "critical"]})},
    )
    events = client(endpoint, "events", EAST)
    for name, rule in (
        ("nightly-report", {"ScheduleExpression": "rate(1 day)"}),
        ("order-events", {"EventPattern": json.dumps({"source": ["shop.orders"]})}),
    ):
        function_arn = create(EAST, name)
        rule_arn = events.put_rule(Name=f"{name}-rule", **rule)["RuleArn"]
        events.put_targets(Rule=f"{name}-rule", Targets=[{"Id": "fn", "Arn": function_arn}])
        lam.add_permission(
            FunctionName=name,
            StatementId="events-invoke",
            Action="lambda:InvokeFunction",
            Principal="events.amazonaws.com",
            SourceArn=rule_arn,
        )
        estate.rules[name] = rule_arn
    for i in range(1, 10):
        create(EAST, f"worker-{i:02d}", Runtime="nodejs20.x", Handler="index.handler", MemorySize=128)

    west = client(endpoint, "lambda", WEST)
    create(WEST, "orders-api", MemorySize=512, Timeout=30)
    wsqs = client(endpoint, "sqs", WEST)
    wurl = wsqs.create_queue(QueueName="reports-queue")["QueueUrl"]
    estate.west_queue_arn = wsqs.get_queue_attributes(QueueUrl=wurl, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    create(WEST, "reporting", Runtime="python3.11", Architectures=["arm64"], MemorySize=2048, Timeout=300)
    west.create_event_source_mapping(
        FunctionName="reporting", EventSourceArn=estate.west_queue_arn, BatchSize=10
    )
    west.put_function_concurrency(FunctionName="reporting", ReservedConcurrentExecutions=2)
    for i in range(1, 7):
        create(WEST, f"eu-worker-{i:02d}", MemorySize=256)
    return estate
