"""IAM policies become least-privilege Azure role assignments of the app identity, statement by statement.

Role ids are those of research/azure-target.md §5: Service Bus Data Sender 69a216fc-..., Receiver
4f6d3b9b-..., Event Hubs Data Sender 2b629674-..., Receiver a638d3c7-..., EventGrid Data Sender d5a91429-...,
Storage Blob Data Reader 2a2b9908-..., Contributor ba92f5b4-..., Owner b7e6dc6d-...; the Cosmos DB
built-in data roles are ...0001 (Reader) and ...0002 (Contributor).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from translator.api import Result, convert, render
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.mapping.tables import Tables
from translator.parsers.template import parse_document
from translator.plan import AzurePlan, StatementPlan

SB_SENDER = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"
SB_RECEIVER = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"
EH_SENDER = "2b629674-e913-4c01-ae53-ef4638d8f975"
EH_RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"
EG_SENDER = "d5a91429-5739-47e2-a06b-3470a27159e7"
BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
BLOB_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
COSMOS_READER = "00000000-0000-0000-0000-000000000001"
COSMOS_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002"

RESOURCES = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  BucketParam: {Type: String}
Resources:
  Queue: {Type: AWS::SQS::Queue}
  NamedQueue:
    Type: AWS::SQS::Queue
    Properties: {QueueName: jobs}
  Topic: {Type: AWS::SNS::Topic}
  Bus:
    Type: AWS::Events::EventBus
    Properties: {Name: orders-bus}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {BucketName: !Ref BucketParam}
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: {Name: clicks, ShardCount: 1}
  Secret: {Type: AWS::SecretsManager::Secret}
"""


def _template(policy: str, extra: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(policy).strip("\n"), " " * 8)
    return (
        RESOURCES
        + extra
        + f"""\
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
{body}
"""
    )


def _convert(text: str) -> Result:
    graph = parse_document(load_text(text, "template.yaml"))
    plan = map_graph(graph)
    return Result(graph, plan, render(plan))


def _grants(statement: StatementPlan) -> list[tuple[str, str, str]]:
    return [(g.role, g.role_definition_id, g.scope) for g in statement.grants]


def _findings(plan: AzurePlan, rule: str) -> list[str]:
    return [f.message for f in plan.findings if f.rule == rule]


# (Policies item, disposition, rule, [(role, role id, scope symbol)], (finding rule, text in its message) or None)
CASES: list[tuple[str, str, str, list[tuple[str, str, str]], tuple[str, str] | None]] = [
    # ---- SAM policy templates
    (
        "- SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}",
        "converted",
        "LF1002",
        [("Azure Service Bus Data Sender", SB_SENDER, "queue")],
        None,
    ),
    (
        "- SQSPollerPolicy: {QueueName: !GetAtt Queue.QueueName}",
        "converted",
        "LF1002",
        [("Azure Service Bus Data Receiver", SB_RECEIVER, "queue")],
        None,
    ),
    (
        "- SQSPollerPolicy: {QueueName: jobs}",  # a literal name: the queue named 'jobs'
        "converted",
        "LF1002",
        [("Azure Service Bus Data Receiver", SB_RECEIVER, "namedQueue")],
        None,
    ),
    (
        "- DynamoDBCrudPolicy: {TableName: !Ref Table}",
        "converted",
        "LF1002",
        [("Cosmos DB Built-in Data Contributor", COSMOS_CONTRIBUTOR, "table")],
        None,
    ),
    (
        "- DynamoDBReadPolicy: {TableName: !Ref Table}",
        "converted",
        "LF1002",
        [("Cosmos DB Built-in Data Reader", COSMOS_READER, "table")],
        None,
    ),
    (
        # PutItem, UpdateItem, BatchWriteItem: no DeleteItem, no reads
        "- DynamoDBWritePolicy: {TableName: !Ref Table}",
        "approximated",
        "LF5005",
        [("Cosmos DB Built-in Data Contributor", COSMOS_CONTRIBUTOR, "table")],
        (
            "LF5005",
            "Cosmos DB Built-in Data Contributor on Table also allows: delete items, query items, read items",
        ),
    ),
    (
        # GetLifecycleConfiguration is the account's management policy: not granted
        "- S3ReadPolicy: {BucketName: !Ref Bucket}",
        "approximated",
        "LF5016",
        [("Storage Blob Data Reader", BLOB_READER, "bucket")],
        (
            "LF5016",
            "s3:GetLifecycleConfiguration: lifecycle rules are the storage account's management policy",
        ),
    ),
    (
        "- S3CrudPolicy: {BucketName: !Ref Bucket}",
        "approximated",
        "LF5016",
        [("Storage Blob Data Contributor", BLOB_CONTRIBUTOR, "bucket")],
        ("LF5016", "s3:PutObjectAcl: blobs have no per-object ACL"),
    ),
    (
        "- SNSPublishMessagePolicy: {TopicName: !GetAtt Topic.TopicName}",
        "converted",
        "LF1002",
        [("EventGrid Data Sender", EG_SENDER, "topic")],
        None,
    ),
    (
        "- EventBridgePutEventsPolicy: {EventBusName: orders-bus}",
        "converted",
        "LF1002",
        [("EventGrid Data Sender", EG_SENDER, "bus")],
        None,
    ),
    (
        # DescribeLimits on stream/* needs no data role; listing event hubs needs Reader on the namespace
        "- KinesisStreamReadPolicy: {StreamName: !Ref Stream}",
        "approximated",
        "LF5016",
        [("Azure Event Hubs Data Receiver", EH_RECEIVER, "stream")],
        ("LF5016", "kinesis:ListStreams: listing event hubs needs Reader on the Event Hubs namespace"),
    ),
    (
        "- AWSSecretsManagerGetSecretValuePolicy: {SecretArn: !Ref Secret}",
        "manual",
        "LF5011",
        [],
        (
            "LF5011",
            "Secret (AWS::SecretsManager::Secret) has no Azure counterpart in this translation; it needs "
            "Key Vault Secrets User",
        ),
    ),
    (
        "- NoSuchPolicy: {QueueName: x}",
        "manual",
        "LF5015",
        [],
        ("LF5015", "'NoSuchPolicy' is not a SAM policy"),
    ),
    ("- SQSPollerPolicy: {}", "manual", "LF5015", [], ("LF5015", "parameter QueueName is missing")),
    # ---- inline statements
    (
        """\
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !GetAtt Queue.Arn
        """,
        "converted",
        "LF1002",
        [("Azure Service Bus Data Sender", SB_SENDER, "queue")],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: [s3:GetObject]
              Resource: !Sub "${Bucket.Arn}/*"
        """,
        "approximated",
        "LF5005",
        [("Storage Blob Data Reader", BLOB_READER, "bucket")],
        ("LF5005", "Storage Blob Data Reader on Bucket also allows: list blobs"),
    ),
    (
        # the bucket named by the same parameter as the Bucket resource
        """\
        - Statement:
            - Effect: Allow
              Action: [s3:GetObject, s3:ListBucket]
              Resource: [!Sub "arn:aws:s3:::${BucketParam}", !Sub "arn:aws:s3:::${BucketParam}/*"]
        """,
        "converted",
        "LF1002",
        [("Storage Blob Data Reader", BLOB_READER, "bucket")],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: [s3:PutObject, s3:DeleteObject, s3:GetObject, s3:ListBucket]
              Resource: !Join ["", [!GetAtt Bucket.Arn, "/*"]]
        """,
        "converted",
        "LF1002",
        [("Storage Blob Data Contributor", BLOB_CONTRIBUTOR, "bucket")],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: dynamodb:PutItem
              Resource: !GetAtt Table.Arn
        """,
        "approximated",
        "LF5005",
        [("Cosmos DB Built-in Data Contributor", COSMOS_CONTRIBUTOR, "table")],
        (
            "LF5005",
            "Cosmos DB Built-in Data Contributor on Table also allows: delete items, query items, read items",
        ),
    ),
    (
        # a Join of pseudo parameters and the stream's literal name
        """\
        - Statement:
            - Effect: Allow
              Action: [kinesis:PutRecord, kinesis:PutRecords]
              Resource: !Join ["", ["arn:aws:kinesis:", !Ref "AWS::Region", ":", !Ref "AWS::AccountId", ":stream/clicks"]]
        """,
        "converted",
        "LF1002",
        [("Azure Event Hubs Data Sender", EH_SENDER, "stream")],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]
              Resource: arn:aws:sqs:us-east-1:123456789012:jobs
        """,
        "converted",
        "LF1002",
        [("Azure Service Bus Data Receiver", SB_RECEIVER, "namedQueue")],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: sns:Publish
              Resource: !Ref Topic
        """,
        "converted",
        "LF1002",
        [("EventGrid Data Sender", EG_SENDER, "topic")],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: events:PutEvents
              Resource: !GetAtt Bus.Arn
        """,
        "converted",
        "LF1002",
        [("EventGrid Data Sender", EG_SENDER, "bus")],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: "*"
        """,
        "manual",
        "LF5003",
        [],
        ("LF5003", "* is not granted (it would need Azure Service Bus Data Sender)"),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: dynamodb:GetItem
              Resource: arn:aws:dynamodb:*:*:table/*
        """,
        "manual",
        "LF5003",
        [],
        (
            "LF5003",
            "arn:aws:dynamodb:*:*:table/* is not granted (it would need Cosmos DB Built-in Data Reader)",
        ),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: arn:aws:sqs:us-east-1:123456789012:elsewhere
        """,
        "manual",
        "LF5004",
        [],
        (
            "LF5004",
            "arn:aws:sqs:us-east-1:123456789012:elsewhere is not a resource of this template; grant "
            "Azure Service Bus Data Sender on its Azure counterpart",
        ),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: rekognition:DetectLabels
              Resource: "*"
        """,
        "manual",
        "LF5002",
        [],
        ("LF5002", "rekognition:DetectLabels: Azure AI Vision"),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: [mq:DescribeBroker, mq:ListBrokers, qldb:SendCommand, xray:PutTraceSegments]
              Resource: "*"
        """,
        "manual",
        "LF5002",
        [],
        (
            "LF5002",
            "mq:DescribeBroker, mq:ListBrokers: no Azure counterpart in this translation; "
            "qldb:SendCommand: no Azure counterpart in this translation",
        ),
    ),
    (
        "- LambdaInvokePolicy: {FunctionName: other-function}",
        "manual",
        "LF5002",
        [],
        ("LF5002", "lambda:InvokeFunction: Lambda API calls have no Azure role"),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: sqs:CreateQueue
              Resource: "*"
        """,
        "manual",
        "LF5002",
        [],
        ("LF5002", "sqs:CreateQueue: queues are created by the Bicep"),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: [logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents]
              Resource: arn:aws:logs:*:*:*
        """,
        "converted",
        "LF1002",
        [],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Deny
              Action: sqs:DeleteQueue
              Resource: !GetAtt Queue.Arn
        """,
        "manual",
        "LF5007",
        [],
        ("LF5007", "a Deny statement cannot be expressed with Azure role assignments"),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              NotAction: iam:*
              Resource: "*"
        """,
        "manual",
        "LF5007",
        [],
        ("LF5007", "NotAction/Resource cannot be expressed"),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !GetAtt Queue.Arn
              Condition: {Bool: {aws:SecureTransport: true}}
        """,
        "approximated",
        "LF5008",
        [("Azure Service Bus Data Sender", SB_SENDER, "queue")],
        ("LF5008", "its Condition is not applied"),
    ),
    (
        # s3:* asks for every blob capability: the Owner, and the management actions it covers are named
        """\
        - Statement:
            - Effect: Allow
              Action: s3:*
              Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]
        """,
        "approximated",
        "LF5016",
        [("Storage Blob Data Owner", BLOB_OWNER, "bucket")],
        ("LF5016", "s3:* also covers management actions that get no role: CreateBucket, DeleteBucket"),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
        """,
        "manual",
        "LF5003",
        [],
        ("LF5003", "* is not granted (it would need every action (administrator access))"),
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: ["sqs:Receive*", "sqs:DeleteMessage"]
              Resource: !GetAtt Queue.Arn
        """,
        "converted",
        "LF1002",
        [("Azure Service Bus Data Receiver", SB_RECEIVER, "queue")],
        None,
    ),
    (
        """\
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !ImportValue other-stack-queue-arn
        """,
        "manual",
        "LF5004",
        [],
        ("LF5004", "<Fn::ImportValue> is not a resource of this template"),
    ),
    (
        # an invalid tag (LF0004 at load) is shown as written, not as an anonymous <Fn::?>
        """\
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: !Fn::ImportValue other-stack-queue-arn
        """,
        "manual",
        "LF5004",
        [],
        (
            "LF5004",
            "Allow sqs:SendMessage on <!Fn::ImportValue other-stack-queue-arn>: <!Fn::ImportValue "
            "other-stack-queue-arn> is not a resource of this template",
        ),
    ),
    # ---- AWS managed policies
    ("- AWSLambdaBasicExecutionRole", "converted", "LF1002", [], None),
    (
        "- arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
        "converted",
        "LF1002",
        [],
        None,
    ),
    (
        "- AmazonS3FullAccess",
        "manual",
        "LF5006",
        [],
        ("LF5006", "AWS managed policy AmazonS3FullAccess grants on whole services"),
    ),
    (
        '- !Sub "arn:${AWS::Partition}:iam::aws:policy/AmazonDynamoDBFullAccess"',
        "manual",
        "LF5006",
        [],
        ("LF5006", "AWS managed policy AmazonDynamoDBFullAccess"),
    ),
]


@pytest.mark.parametrize(("policy", "disposition", "rule", "grants", "finding"), CASES)
def test_policy_item(
    policy: str,
    disposition: str,
    rule: str,
    grants: list[tuple[str, str, str]],
    finding: tuple[str, str] | None,
) -> None:
    result = _convert(_template(policy))
    (fn,) = result.plan.functions
    (statement,) = fn.policies
    assert (statement.disposition.value, statement.rule) == (disposition, rule)
    assert _grants(statement) == grants
    if finding is not None:
        rule_id, text = finding
        assert any(text in message for message in _findings(result.plan, rule_id)), _findings(
            result.plan, rule_id
        )
    bicep = result.files["infra/main.bicep"]
    for role, role_id, scope in grants:
        if role.startswith("Cosmos"):
            assert f"scope: '${{cosmos.id}}/dbs/${{cosmosDatabase.name}}/colls/${{{scope}.name}}'" in bicep
            assert f"roleDefinitionId: '${{cosmos.id}}/sqlRoleDefinitions/{role_id}'" in bicep
        else:
            assert f"scope: {scope}\n" in bicep
            assert f"'Microsoft.Authorization/roleDefinitions', '{role_id}')" in bicep
    # nothing is ever granted on the resource group or subscription
    assert "scope: resourceGroup()" not in bicep and "scope: subscription()" not in bicep


def test_setting_takes_the_worst_statement() -> None:
    result = _convert(
        _template(
            """\
            - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
            - AmazonS3FullAccess
            """
        )
    )
    (fn,) = result.plan.functions
    policies = next(s for s in fn.settings if s.name == "Policies")
    assert (policies.disposition, policies.rule) == (Disposition.MANUAL, "LF5006")
    assert fn.disposition is Disposition.APPROXIMATED  # the LF5006 warning


def test_one_lf1002_per_app_and_none_per_statement() -> None:
    result = _convert(_template("- SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}"))
    assert _findings(result.plan, "LF1002") == [
        "function app 'template' runs as one managed identity; the IAM permissions of Fn become its role "
        "assignments"
    ]
    assert result.plan.functions[0].disposition is Disposition.CONVERTED


ROLE_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Topic: {Type: AWS::SNS::Topic}
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - !Ref Shared
      Policies:
        - PolicyName: queue
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref Role]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: sns:Publish
            Resource: !Ref Topic
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [dynamodb:GetItem, dynamodb:Query, dynamodb:Scan, dynamodb:BatchGetItem]
            Resource: !GetAtt Table.Arn
  Unused:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: apigw
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "logs:*", Resource: "*"}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: !GetAtt Role.Arn
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Code: {ZipFile: "def handler(e, c): pass"}
      Role: arn:aws:iam::123456789012:role/elsewhere
"""


def test_iam_role_with_attached_policies() -> None:
    result = _convert(ROLE_TEMPLATE)
    inventory = {e.logical_id: e for e in result.plan.inventory}
    role = inventory["Role"]
    assert [(s.summary, s.disposition.value, _grants(s)) for s in role.statements] == [
        (
            "Allow sqs:SendMessage on Queue.Arn",
            "converted",
            [("Azure Service Bus Data Sender", SB_SENDER, "queue")],
        ),
        (
            "managed policy AWSLambdaBasicExecutionRole (Application Insights and Log Analytics collect the logs)",
            "converted",
            [],
        ),
    ]
    assert [_grants(s) for s in inventory["Extra"].statements] == [
        [("EventGrid Data Sender", EG_SENDER, "topic")]
    ]
    assert [_grants(s) for s in inventory["Shared"].statements] == [
        [("Cosmos DB Built-in Data Reader", COSMOS_READER, "table")]
    ]
    assert role.disposition is Disposition.CONVERTED
    # the role is the app's identity's: three assignments, each scoped to its resource
    bicep = result.files["infra/main.bicep"]
    assert "scope: queue\n" in bicep and "scope: topic\n" in bicep
    assert "scope: '${cosmos.id}/dbs/${cosmosDatabase.name}/colls/${table.name}'" in bicep
    assert any(
        "PermissionsBoundary arn:aws:iam::123456789012:policy/boundary is ignored" in m
        for m in _findings(result.plan, "LF5009")
    )
    assert _findings(result.plan, "LF5013") == [
        "AWS::IAM::Role Unused is not the execution role of a function (or attached to one); its statements are "
        "not translated"
    ]
    assert [s.rule for s in inventory["Unused"].statements] == ["LF5013"]
    other = next(f for f in result.plan.functions if f.logical_id == "Other")
    role_setting = next(s for s in other.settings if s.name == "Role")
    assert (role_setting.disposition, role_setting.rule) == (Disposition.MANUAL, "LF5010")
    assert _findings(result.plan, "LF5010") == [
        "Role arn:aws:iam::123456789012:role/elsewhere is not a role of this template; its permissions are not "
        "translated"
    ]


def test_trigger_roles_are_not_duplicated_and_broader_roles_win() -> None:
    """The SQS trigger already grants the Receiver; a Reader is dropped where the Contributor is granted."""
    text = _template(
        "- SQSPollerPolicy: {QueueName: !GetAtt Queue.QueueName}\n- DynamoDBReadPolicy: {TableName: !Ref Table}",
        extra="""\
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies: [{DynamoDBCrudPolicy: {TableName: !Ref Table}}]
""",
    ).replace(
        "      Policies:\n        - SQSPollerPolicy",
        "      Events:\n        Q: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}\n"
        "      Policies:\n        - SQSPollerPolicy",
    )
    result = _convert(text)
    bicep = result.files["infra/main.bicep"]
    assert bicep.count(f"guid(queue.id, templateIdentity.id, '{SB_RECEIVER}')") == 1
    assert bicep.count("sqlRoleAssignments@") == 1
    assert f"guid(table.id, templateIdentity.id, '{COSMOS_CONTRIBUTOR}')" in bicep
    assert any("share the identity of app" in m for m in _findings(result.plan, "LF5012"))
    # the Reader got no assignment of its own: its statement names what covers it instead of claiming it
    fn = next(f for f in result.plan.functions if f.logical_id == "Fn")
    reader = next(s for s in fn.policies if "DynamoDBReadPolicy" in s.summary)
    (grant,) = reader.grants
    assert (grant.role, grant.covered_by) == (
        "Cosmos DB Built-in Data Reader",
        "Cosmos DB Built-in Data Contributor on table",
    )
    writer = next(f for f in result.plan.functions if f.logical_id == "Writer")
    assert [g.covered_by for g in writer.policies[0].grants] == [None]  # the one that is assigned
    poller = next(s for s in fn.policies if "SQSPollerPolicy" in s.summary)
    # the very assignment the poller needs exists (made for the SQS trigger): nothing to qualify
    assert [(g.role, g.covered_by) for g in poller.grants] == [("Azure Service Bus Data Receiver", None)]
    report = json.loads(result.files["migration-report.json"])
    (row,) = [
        s
        for f in report["functions"]
        if f["logicalId"] == "Fn"
        for s in f["policies"]
        if "Read" in s["summary"]
    ]
    assert row["roleAssignments"][0]["coveredBy"] == "Cosmos DB Built-in Data Contributor on table"
    assert (
        "Cosmos DB Built-in Data Reader on table (not assigned: covered by the broader assignment Cosmos DB "
        "Built-in Data Contributor on table of the same identity)" in result.files["migration-report.md"]
    )


def test_blob_trigger_owner_on_the_account_covers_the_container() -> None:
    text = _template("- S3CrudPolicy: {BucketName: !Ref Bucket}").replace(
        "      Policies:",
        "      Events:\n        Up: {Type: S3, Properties: {Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}}\n"
        "      Policies:",
    )
    result = _convert(text)
    (fn,) = result.plan.functions
    assert _grants(fn.policies[0]) == [("Storage Blob Data Contributor", BLOB_CONTRIBUTOR, "bucket")]
    assert fn.policies[0].grants[0].covered_by == "Storage Blob Data Owner on dataStorage"
    scopes = [r.body["scope"].name for r in result.plan.resources if r.type.endswith("/roleAssignments")]
    assert "bucket" not in scopes and "dataStorage" in scopes


def test_serverless_role_statements_become_role_assignments(tmp_path: Path) -> None:
    text = """\
service: shop
provider:
  name: aws
  runtime: python3.12
  iam:
    role:
      statements:
        - Effect: Allow
          Action: [sqs:SendMessage]
          Resource: !GetAtt Jobs.Arn
functions:
  hello:
    handler: app.handler
resources:
  Resources:
    Jobs: {Type: AWS::SQS::Queue}
"""
    path = tmp_path / "shop" / "serverless.yml"
    path.parent.mkdir()
    path.write_text(text)
    result = convert(path)
    (role,) = [e for e in result.plan.inventory if e.type == "AWS::IAM::Role"]
    assert [_grants(s) for s in role.statements] == [[("Azure Service Bus Data Sender", SB_SENDER, "jobs")]]
    assert "scope: jobs\n" in result.files["infra/main.bicep"]


def test_report_json_carries_role_and_scope() -> None:
    result = _convert(_template("- SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}"))
    report = json.loads(result.files["migration-report.json"])
    (fn,) = report["functions"]
    assert fn["policies"][0]["roleAssignments"] == [
        {
            "role": "Azure Service Bus Data Sender",
            "roleDefinitionId": SB_SENDER,
            "scope": "queue",
            "kind": "azureRbac",
        }
    ]
    assert (
        "| SAM policy template SQSSendMessagePolicy {QueueName: Queue.QueueName} | Azure Service Bus Data "
        "Sender on queue | converted | LF1002 |" in result.files["migration-report.md"]
    )


def test_end_to_end_bicep_type_checks(bicep_types_dir: Path) -> None:
    from translator.validate.bicep import TypeData, check_bicep_text

    result = _convert(
        _template(
            """\
            - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
            - DynamoDBCrudPolicy: {TableName: !Ref Table}
            - S3ReadPolicy: {BucketName: !Ref Bucket}
            - SNSPublishMessagePolicy: {TopicName: !GetAtt Topic.TopicName}
            - Statement:
                - {Effect: Allow, Action: kinesis:PutRecords, Resource: !GetAtt Stream.Arn}
            """
        )
    )
    bicep = result.files["infra/main.bicep"]
    expected = {
        "queue": SB_SENDER,
        "bucket": BLOB_READER,
        "topic": EG_SENDER,
        "stream": EH_SENDER,
    }
    for scope, role_id in expected.items():
        block = f"guid({scope}.id, templateIdentity.id, '{role_id}')"
        assert block in bicep, scope
        assert (
            f"  scope: {scope}\n  properties: {{\n    roleDefinitionId: subscriptionResourceId("
            f"'Microsoft.Authorization/roleDefinitions', '{role_id}')" in bicep
        )
    assert "scope: '${cosmos.id}/dbs/${cosmosDatabase.name}/colls/${table.name}'" in bicep
    errors = [
        d
        for d in check_bicep_text(bicep, "main.bicep", TypeData.load(bicep_types_dir))
        if d.severity == "error"
    ]
    assert errors == []


# ---- the tables ---------------------------------------------------------------------------------------


def test_every_iam_role_has_an_id() -> None:
    tables = Tables.load()
    for service in tables.iam["services"].values():
        for entry in service["roles"]:
            known = tables.roles["cosmos_roles"] if entry.get("cosmos") else tables.roles["roles"]
            assert entry["role"] in known, entry["role"]
    for role, included in tables.iam["role_includes"].items():
        for name in [role, *included]:
            assert name in tables.roles["roles"] or name in tables.roles["cosmos_roles"], name


def test_no_action_is_listed_twice_for_a_service() -> None:
    for name, service in Tables.load().iam["services"].items():
        seen: list[str] = []
        for entry in service["roles"]:
            seen += [a for names in entry.get("grants", {}).values() for a in names] + entry.get(
                "metadata", []
            )
        seen += list(service.get("not_granted", {}))
        assert len(seen) == len({a.lower() for a in seen}), name


def test_sam_policy_templates_match_the_reference(shared_dir: Path) -> None:
    """mappings/sam_policy_templates.yaml says what aws-sam-translator's policy_templates.json says."""
    reference = json.loads(
        (shared_dir / "corpus" / "reference" / "sam-policy-templates" / "policy_templates.json").read_text()
    )
    table = Tables.load().sam_policy_templates
    assert table["version"] == reference["Version"]
    assert set(table["templates"]) == set(reference["Templates"])
    for name, spec in reference["Templates"].items():
        ours = table["templates"][name]
        assert ours["parameters"] == sorted(spec.get("Parameters", {})), name
        statements = spec["Definition"]["Statement"]
        assert len(ours["statements"]) == len(statements), name
        for mine, theirs in zip(ours["statements"], statements, strict=True):
            actions = theirs["Action"] if isinstance(theirs["Action"], list) else [theirs["Action"]]
            assert mine["actions"] == actions, name
            resources = theirs["Resource"] if isinstance(theirs["Resource"], list) else [theirs["Resource"]]
            assert [_reference_arn(r) for r in resources] == mine["resources"], name
            assert mine.get("conditional", False) == ("Condition" in theirs), name


def _reference_arn(resource: Any) -> str:
    """The reference's resource as the table writes it: Fn::Sub locals replaced by ${Parameter}."""
    if isinstance(resource, str):
        return resource
    sub = resource["Fn::Sub"]
    if isinstance(sub, str):
        return sub
    text, local = sub
    for variable, value in local.items():
        text = text.replace("${" + variable + "}", "${" + value["Ref"] + "}")
    return text


def test_tables_parse_as_yaml() -> None:
    from translator.mapping.tables import data_dir

    assert isinstance(yaml.safe_load((data_dir() / "iam.yaml").read_text()), dict)


CONNECTORS = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
  Topic: {Type: AWS::SNS::Topic}
  Fn:
    Type: AWS::Serverless::Function
    Connectors:
      ToTopic:
        Properties:
          Destination: {Id: Topic}
          Permissions: [Write]
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
  FnToTable:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Fn}
      Destination: {Id: Table}
      Permissions: [Read, Write]
"""


def test_sam_connectors_become_role_assignments() -> None:
    """Read and Write on a table ask for every item capability: the Contributor, exactly; Write on a topic
    is sns:Publish, the EventGrid Data Sender."""
    result = _convert(CONNECTORS)
    (fn,) = result.plan.functions
    assert [(s.summary, s.disposition.value, _grants(s)) for s in fn.policies] == [
        ("connector FnToTopic: Write on Topic", "converted", [("EventGrid Data Sender", EG_SENDER, "topic")])
    ]
    (connector,) = [e for e in result.plan.inventory if e.logical_id == "FnToTable"]
    assert [(s.disposition.value, _grants(s)) for s in connector.statements] == [
        ("converted", [("Cosmos DB Built-in Data Contributor", COSMOS_CONTRIBUTOR, "table")])
    ]
    bicep = result.files["infra/main.bicep"]
    assert "scope: topic\n" in bicep
    assert "scope: '${cosmos.id}/dbs/${cosmosDatabase.name}/colls/${table.name}'" in bicep


def test_change_feed_trigger_role_on_the_account_covers_the_container() -> None:
    """The DynamoDB stream trigger grants the Data Contributor on the whole Cosmos DB account; a CRUD
    policy on the table adds no container-scoped assignment next to it."""
    text = _template("- DynamoDBCrudPolicy: {TableName: !Ref Table}").replace(
        "      Policies:",
        "      Events:\n        Changes: {Type: DynamoDB, Properties: {Stream: !GetAtt Table.StreamArn, "
        "StartingPosition: LATEST}}\n      Policies:",
    )
    result = _convert(text)
    (fn,) = result.plan.functions
    assert _grants(fn.policies[0]) == [("Cosmos DB Built-in Data Contributor", COSMOS_CONTRIBUTOR, "table")]
    bicep = result.files["infra/main.bicep"]
    assert bicep.count("sqlRoleAssignments@") == 1
    assert "scope: cosmos.id\n" in bicep and "/colls/" not in bicep
