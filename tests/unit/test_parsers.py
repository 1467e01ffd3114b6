"""Tests for translator.parsers: SAM Globals and events, CloudFormation event wiring.

Expected values follow the AWS documentation: SAM Globals merge (primitives replaced by the resource,
maps merged key by key with the resource winning, lists concatenated globals first, an intrinsic
treated as a primitive; ``IgnoreGlobals``), the SAM event source types, and the CloudFormation
resources that connect an event source to a Lambda function (``AWS::Lambda::EventSourceMapping``,
``AWS::Events::Rule`` targets, S3 ``NotificationConfiguration``, SNS subscriptions,
``AWS::Lambda::Permission``). An execute-api SourceArn is ``arn:...:api-id/stage/METHOD/path``.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from translator.graph import Event, Function, ResourceGraph
from translator.load import load_text
from translator.parsers.template import parse_document
from translator.values import GetAtt, If, Obj, Ref, Sub, plain


def graph(text: str) -> ResourceGraph:
    return parse_document(load_text(textwrap.dedent(text), "t.yaml"))


def function(g: ResourceGraph, logical_id: str) -> Function:
    (fn,) = [f for f in g.functions if f.logical_id == logical_id]
    return fn


def only_event(g: ResourceGraph, logical_id: str = "Fn") -> Event:
    (event,) = function(g, logical_id).events
    return event


def found(g: ResourceGraph) -> list[tuple[str, int]]:
    return [(f.rule, f.loc.line if f.loc else 0) for f in g.findings]


def indent(block: str, spaces: int) -> str:
    return textwrap.indent(textwrap.dedent(block).strip("\n"), " " * spaces)


# --------------------------------------------------------------------------------------------------
# SAM Globals


def sam(globals_function: str, properties: str, attributes: str = "") -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Parameters:\n  LayerArns: {Type: CommaDelimitedList}\n"
        "Conditions:\n  IsProd: !Equals [a, b]\n"
        "Globals:\n  Function:\n"
        f"{indent(globals_function, 4)}\n"
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        f"{indent(attributes, 4) + chr(10) if attributes else ''}"
        "    Properties:\n"
        "      Handler: app.handler\n"
        f"{indent(properties, 6)}\n"
    )


# (id, Globals.Function body, function Properties, IgnoreGlobals attribute, property, expected plain value)
GLOBALS: list[tuple[str, str, str, str, str, Any]] = [
    ("scalar-replaced", "Timeout: 10", "Timeout: 30", "", "Timeout", 30),
    ("scalar-inherited", "Runtime: python3.12", "MemorySize: 256", "", "Runtime", "python3.12"),
    ("local-only", "Runtime: python3.12", "MemorySize: 256", "", "MemorySize", 256),
    (
        "environment-union",
        "Environment:\n  Variables: {A: g, B: g}",
        "Environment:\n  Variables: {B: l, C: l}",
        "",
        "Environment",
        {"Variables": {"A": "g", "B": "l", "C": "l"}},
    ),
    ("tags-merge", "Tags: {team: core}", "Tags: {app: api}", "", "Tags", {"team": "core", "app": "api"}),
    (
        "layers-concatenate",
        "Layers: [arn:aws:lambda:us-east-1:1:layer:g:1]",
        "Layers: [arn:aws:lambda:us-east-1:1:layer:l:1]",
        "",
        "Layers",
        ["arn:aws:lambda:us-east-1:1:layer:g:1", "arn:aws:lambda:us-east-1:1:layer:l:1"],
    ),
    (
        "nested-list-in-map-concatenates",
        "VpcConfig: {SecurityGroupIds: [sg-g], SubnetIds: [s-1]}",
        "VpcConfig: {SecurityGroupIds: [sg-l]}",
        "",
        "VpcConfig",
        {"SecurityGroupIds": ["sg-g", "sg-l"], "SubnetIds": ["s-1"]},
    ),
    (
        "intrinsic-global-replaced-by-local-map",
        "Environment: !If [IsProd, {Variables: {A: '1'}}, !Ref AWS::NoValue]",
        "Environment:\n  Variables: {B: '2'}",
        "",
        "Environment",
        {"Variables": {"B": "2"}},
    ),
    (
        "local-intrinsic-replaces-global-map",
        "Environment:\n  Variables: {A: '1'}",
        "Environment: !If [IsProd, {Variables: {B: '2'}}, !Ref AWS::NoValue]",
        "",
        "Environment",
        If("IsProd", {"Variables": {"B": "2"}}, Ref("AWS::NoValue")),
    ),
    (
        "local-intrinsic-replaces-global-list",
        "Layers: [arn:g]",
        "Layers: !Ref LayerArns",
        "",
        "Layers",
        Ref("LayerArns"),
    ),
    (
        "list-and-map-do-not-merge",
        "Architectures: [arm64]",
        "Architectures: {bad: shape}",
        "",
        "Architectures",
        {"bad": "shape"},
    ),
    ("ignore-all", "Timeout: 10", "MemorySize: 256", "IgnoreGlobals: '*'", "Timeout", None),
    (
        "ignore-listed",
        "Timeout: 10\nRuntime: go1.x",
        "MemorySize: 256",
        "IgnoreGlobals: [Timeout]",
        "Timeout",
        None,
    ),
    (
        "ignore-listed-keeps-others",
        "Timeout: 10\nRuntime: nodejs20.x",
        "MemorySize: 256",
        "IgnoreGlobals: [Timeout]",
        "Runtime",
        "nodejs20.x",
    ),
    ("ignore-listed-list", "Layers: [g]", "Layers: [l]", "IgnoreGlobals: [Layers]", "Layers", ["l"]),
    ("ignore-other-key", "Layers: [g]", "Layers: [l]", "IgnoreGlobals: [Timeout]", "Layers", ["g", "l"]),
]


@pytest.mark.parametrize(
    ("globals_function", "properties", "attributes", "key", "expected"),
    [c[1:] for c in GLOBALS],
    ids=[c[0] for c in GLOBALS],
)
def test_globals_merge(
    globals_function: str, properties: str, attributes: str, key: str, expected: Any
) -> None:
    g = graph(sam(globals_function, properties, attributes))
    fn = function(g, "Fn")
    assert plain(fn.prop(key)) == expected
    assert fn.prop("Handler") == "app.handler"
    assert g.format == "sam"
    assert [f for f in g.findings if f.rule == "LF0006"] == []


def test_globals_merge_does_not_change_the_resource() -> None:
    g = graph(sam("Environment:\n  Variables: {A: g}", "Environment:\n  Variables: {B: l}"))
    resource = g.resource("Fn")
    assert plain(resource.properties["Environment"]) == {"Variables": {"B": "l"}}


def test_merged_property_keeps_the_line_it_came_from() -> None:
    text = sam("Timeout: 10\nRuntime: python3.12", "MemorySize: 256")
    g = graph(text)
    lines = text.splitlines()
    fn = function(g, "Fn")
    assert lines[fn.properties.loc_of("Runtime").line - 1].strip() == "Runtime: python3.12"
    assert lines[fn.properties.loc_of("MemorySize").line - 1].strip() == "MemorySize: 256"


@pytest.mark.parametrize(
    ("key", "value"),
    [("Role", "arn:aws:iam::1:role/r"), ("Policies", "[AWSLambdaBasicExecutionRole]"), ("FunctionName", "f")],
)
def test_globals_key_that_sam_forbids_is_lf0006_and_not_merged(key: str, value: str) -> None:
    text = sam(f"Timeout: 10\n{key}: {value}", "MemorySize: 256")
    g = graph(text)
    assert function(g, "Fn").prop(key) is None
    assert function(g, "Fn").prop("Timeout") == 10
    (finding,) = [f for f in g.findings if f.rule == "LF0006"]
    assert f"Globals.Function.{key}" in finding.message
    assert text.splitlines()[finding.loc.line - 1].strip().startswith(f"{key}:")


def test_unknown_globals_section_is_lf0006() -> None:
    text = (
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Functions:\n    Timeout: 3\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
    )
    g = graph(text)
    assert found(g) == [("LF0006", 3)]
    assert function(g, "Fn").prop("Timeout") is None


def test_globals_apply_only_to_serverless_functions() -> None:
    text = """\
    Transform: AWS::Serverless-2016-10-31
    Globals:
      Function: {Timeout: 9}
    Resources:
      Sam:
        Type: AWS::Serverless::Function
      Plain:
        Type: AWS::Lambda::Function
        Properties: {Handler: x}
    """
    g = graph(text)
    assert function(g, "Sam").prop("Timeout") == 9
    assert function(g, "Plain").prop("Timeout") is None
    assert function(g, "Plain").aws_type == "AWS::Lambda::Function"


# --------------------------------------------------------------------------------------------------
# SAM events

# (SAM event Type, event Properties, expected kind, expected source_id)
SAM_EVENTS: list[tuple[str, str, str, str | None]] = [
    ("Api", "{Path: /pets, Method: get, RestApiId: !Ref Api}", "api", "Api"),
    ("HttpApi", "{Path: /pets, Method: GET}", "httpapi", None),
    ("SQS", "{Queue: !GetAtt Queue.Arn, BatchSize: 5}", "sqs", "Queue"),
    ("S3", "{Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}", "s3", "Bucket"),
    ("SNS", "{Topic: !Ref Topic}", "sns", "Topic"),
    ("Schedule", "{Schedule: rate(5 minutes)}", "schedule", None),
    ("ScheduleV2", "{ScheduleExpression: rate(1 hour)}", "schedule", None),
    ("EventBridgeRule", "{Pattern: {source: [aws.ec2]}}", "eventbridge", None),
    ("CloudWatchEvent", "{Pattern: {source: [aws.ec2]}}", "eventbridge", None),
    ("DynamoDB", "{Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}", "dynamodb", "Table"),
    ("Kinesis", "{Stream: !GetAtt Stream.Arn, StartingPosition: LATEST}", "kinesis", "Stream"),
    ("CloudWatchLogs", "{LogGroupName: g, FilterPattern: ''}", "cloudwatchlogs", None),
    ("IoTRule", "{Sql: SELECT * FROM 'a'}", "iotrule", None),
    ("AlexaSkill", "{SkillId: amzn1.ask.skill.1}", "alexaskill", None),
    ("Cognito", "{UserPool: !Ref Pool, Trigger: PreSignUp}", "cognito", "Pool"),
    ("MSK", "{Stream: arn:aws:kafka:us-east-1:1:cluster/c/1, Topics: [t]}", "msk", None),
    ("MQ", "{Broker: 'arn:aws:mq:us-east-1:123456789012:broker:b:b-1', Queues: [q]}", "mq", None),
    ("SelfManagedKafka", "{Topics: [t]}", "selfmanagedkafka", None),
    ("DocumentDB", "{Cluster: arn:aws:rds:us-east-1:1:cluster:c}", "documentdb", None),
    ("NotAnEvent", "{}", "unknown", None),
]

SAM_EVENT_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api: {{Type: AWS::Serverless::Api, Properties: {{StageName: prod}}}}
  Queue: {{Type: AWS::SQS::Queue}}
  Bucket: {{Type: AWS::S3::Bucket}}
  Topic: {{Type: AWS::SNS::Topic}}
  Table: {{Type: AWS::DynamoDB::Table}}
  Stream: {{Type: AWS::Kinesis::Stream}}
  Pool: {{Type: AWS::Cognito::UserPool}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Trigger:
          Type: {event_type}
          Properties: {properties}
"""


@pytest.mark.parametrize(
    ("event_type", "properties", "kind", "source_id"), SAM_EVENTS, ids=[c[0] for c in SAM_EVENTS]
)
def test_sam_event_kind(event_type: str, properties: str, kind: str, source_id: str | None) -> None:
    g = graph(SAM_EVENT_TEMPLATE.format(event_type=event_type, properties=properties))
    event = only_event(g)
    assert (event.name, event.kind, event.aws_type, event.function) == ("Trigger", kind, event_type, "Fn")
    assert event.source_id == source_id
    assert isinstance(event.properties, Obj)
    assert event.loc.line in (15, 16)  # the event's name or its body
    assert found(g) == []


def test_sam_event_properties_are_kept() -> None:
    g = graph(
        SAM_EVENT_TEMPLATE.format(event_type="SQS", properties="{Queue: !GetAtt Queue.Arn, BatchSize: 5}")
    )
    event = only_event(g)
    assert event.source == GetAtt("Queue", "Arn")
    assert plain(event.properties) == {"Queue": GetAtt("Queue", "Arn"), "BatchSize": 5}


def test_function_url_config_is_a_url_event() -> None:
    text = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          FunctionUrlConfig:
            AuthType: NONE
    """
    event = only_event(graph(text))
    assert (event.kind, event.aws_type, event.function) == ("url", "FunctionUrlConfig", "Fn")
    assert plain(event.properties) == {"AuthType": "NONE"}
    assert event.loc.line == 7  # the FunctionUrlConfig key


def test_function_url_config_from_globals() -> None:
    g = graph(sam("FunctionUrlConfig: {AuthType: AWS_IAM}", "MemorySize: 128"))
    event = only_event(g)
    assert event.kind == "url"
    assert plain(event.properties) == {"AuthType": "AWS_IAM"}


def test_events_from_globals_are_not_merged() -> None:
    # Events is not a Globals property; it is reported and ignored
    g = graph(sam("Events:\n  E: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}", "MemorySize: 128"))
    assert function(g, "Fn").events == ()
    assert [f.rule for f in g.findings] == ["LF0006"]


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ("Events: [a, b]", "Events must be a mapping"),
        ("Events:\n  E: {Properties: {}}", "has no literal Type"),
        ("Events:\n  E: {Type: !Ref AWS::Region}", "has no literal Type"),
        ("Events:\n  E: {Type: SQS, Properties: [x]}", "is not a mapping"),
    ],
    ids=["events-list", "no-type", "intrinsic-type", "properties-list"],
)
def test_malformed_events_are_lf0007(events: str, message: str) -> None:
    g = graph(sam("Timeout: 3", events))
    (finding,) = g.findings
    assert finding.rule == "LF0007"
    assert message in finding.message
    assert finding.resource == "Fn"


def test_several_events_keep_their_order_and_names() -> None:
    text = """\
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Second: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}
            First: {Type: SNS, Properties: {Topic: arn:aws:sns:us-east-1:1:t}}
    """
    g = graph(text)
    assert g.format == "sam"  # a Serverless resource makes it SAM even without the Transform
    assert [(e.name, e.kind) for e in function(g, "Fn").events] == [("Second", "schedule"), ("First", "sns")]


# --------------------------------------------------------------------------------------------------
# CloudFormation wiring

CFN_FUNCTION = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders-fn
      Handler: index.handler
      Runtime: python3.12
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: 'def handler(e, c): pass'}
"""


def cfn(resources: str) -> ResourceGraph:
    return graph(CFN_FUNCTION + indent(resources, 2) + "\n")


def test_plain_lambda_function() -> None:
    g = cfn("Other: {Type: AWS::S3::Bucket}")
    fn = function(g, "Fn")
    assert (fn.aws_type, fn.loc.line, fn.events) == ("AWS::Lambda::Function", 2, ())
    assert g.format == "cloudformation"
    assert found(g) == []


# (id, source resources, EventSourceArn, expected kind, SAM-style property, expected source_id)
MAPPINGS: list[tuple[str, str, str, str, str, str | None]] = [
    ("sqs-resource", "Queue: {Type: AWS::SQS::Queue}", "!GetAtt Queue.Arn", "sqs", "Queue", "Queue"),
    ("kinesis-resource", "S: {Type: AWS::Kinesis::Stream}", "!GetAtt S.Arn", "kinesis", "Stream", "S"),
    (
        "dynamodb-resource",
        "T: {Type: AWS::DynamoDB::Table}",
        "!GetAtt T.StreamArn",
        "dynamodb",
        "Stream",
        "T",
    ),
    ("msk-resource", "K: {Type: AWS::MSK::Cluster}", "!Ref K", "msk", "Stream", "K"),
    ("mq-resource", "B: {Type: AWS::AmazonMQ::Broker}", "!GetAtt B.Arn", "mq", "Broker", "B"),
    ("docdb-resource", "D: {Type: AWS::DocDB::DBCluster}", "!Ref D", "documentdb", "Cluster", "D"),
    ("sqs-literal-arn", "", "arn:aws:sqs:us-east-1:123456789012:orders", "sqs", "Queue", None),
    ("kinesis-literal-arn", "", "arn:aws:kinesis:us-east-1:123456789012:stream/s", "kinesis", "Stream", None),
    ("kafka-literal-arn", "", "arn:aws:kafka:us-east-1:123456789012:cluster/c/1", "msk", "Stream", None),
    (
        "dynamodb-sub-arn",
        "",
        "!Sub arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/T/stream/2024",
        "dynamodb",
        "Stream",
        None,
    ),
    ("unknown-import", "", "!ImportValue shared-queue-arn", "unknown", "EventSourceArn", None),
]


@pytest.mark.parametrize(
    ("sources", "arn", "kind", "prop", "source_id"), [c[1:] for c in MAPPINGS], ids=[c[0] for c in MAPPINGS]
)
def test_event_source_mapping_kind(
    sources: str, arn: str, kind: str, prop: str, source_id: str | None
) -> None:
    resources = f"""\
    {sources}
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !Ref Fn
        EventSourceArn: {arn}
        BatchSize: 10
    """
    g = cfn(resources)
    event = only_event(g)
    assert (event.kind, event.aws_type, event.name, event.declared_by) == (
        kind,
        "AWS::Lambda::EventSourceMapping",
        "Mapping",
        "Mapping",
    )
    assert event.source_id == source_id
    assert set(event.properties) == {prop, "BatchSize"}
    assert event.properties[prop] == event.source
    assert event.properties["BatchSize"] == 10


def test_self_managed_kafka_mapping() -> None:
    resources = """\
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: !GetAtt Fn.Arn
        Topics: [orders]
        SelfManagedEventSource: {Endpoints: {KafkaBootstrapServers: ['b-1:9092']}}
    """
    event = only_event(cfn(resources))
    assert event.kind == "selfmanagedkafka"
    assert event.source is None


@pytest.mark.parametrize(
    "function_name",
    ["orders-fn", "arn:aws:lambda:us-east-1:123456789012:function:orders-fn", "!Ref Live"],
    ids=["by-name", "by-arn", "by-alias"],
)
def test_mapping_finds_the_function_by_name_arn_or_alias(function_name: str) -> None:
    resources = f"""\
    Live:
      Type: AWS::Lambda::Alias
      Properties: {{FunctionName: !Ref Fn, FunctionVersion: '1', Name: live}}
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        FunctionName: {function_name}
        EventSourceArn: arn:aws:sqs:us-east-1:123456789012:q
    """
    assert only_event(cfn(resources)).kind == "sqs"


def test_mapping_to_a_function_outside_the_template_adds_no_event() -> None:
    resources = """\
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties: {FunctionName: someone-else, EventSourceArn: 'arn:aws:sqs:us-east-1:1:q'}
    """
    assert function(cfn(resources), "Fn").events == ()


def test_events_rule_with_schedule() -> None:
    resources = """\
    Nightly:
      Type: AWS::Events::Rule
      Properties:
        ScheduleExpression: cron(0 2 * * ? *)
        State: ENABLED
        Targets:
          - Arn: !GetAtt Fn.Arn
            Id: fn
            Input: '{"mode": "full"}'
    """
    event = only_event(cfn(resources))
    assert (event.kind, event.aws_type, event.name, event.source_id) == (
        "schedule",
        "AWS::Events::Rule",
        "Nightly",
        "Nightly",
    )
    assert event.source == Ref("Nightly")
    assert plain(event.properties) == {
        "Schedule": "cron(0 2 * * ? *)",
        "State": "ENABLED",
        "Input": '{"mode": "full"}',
    }
    assert event.loc.line == 10


def test_events_rule_with_pattern() -> None:
    resources = """\
    OnEc2:
      Type: AWS::Events::Rule
      Properties:
        EventBusName: custom-bus
        EventPattern:
          source: [aws.ec2]
          detail-type: [EC2 Instance State-change Notification]
        Targets:
          - {Arn: !GetAtt Fn.Arn, Id: fn}
          - {Arn: arn:aws:sqs:us-east-1:1:elsewhere, Id: queue}
    """
    event = only_event(cfn(resources))
    assert event.kind == "eventbridge"
    assert plain(event.properties) == {
        "Pattern": {"source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"]},
        "EventBusName": "custom-bus",
    }


S3_WIRING = """\
Uploads:
  Type: AWS::S3::Bucket
  Properties:
    NotificationConfiguration:
      LambdaConfigurations:
        - Event: s3:ObjectCreated:*
          Function: !GetAtt Fn.Arn
          Filter:
            S3Key:
              Rules:
                - {Name: prefix, Value: incoming/}
                - {Name: suffix, Value: .csv}
UploadsPermission:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Fn
    Action: lambda:InvokeFunction
    Principal: s3.amazonaws.com
    SourceAccount: !Ref AWS::AccountId
    SourceArn: arn:aws:s3:::uploads-bucket
"""


def test_s3_notification_with_filter() -> None:
    g = cfn(S3_WIRING)
    event = only_event(g)  # the permission that goes with it adds no second event
    assert (event.kind, event.name, event.source_id, event.declared_by) == (
        "s3",
        "Uploads",
        "Uploads",
        "Uploads",
    )
    assert plain(event.properties) == {
        "Bucket": Ref("Uploads"),
        "Events": "s3:ObjectCreated:*",
        "Filter": {
            "S3Key": {
                "Rules": [{"Name": "prefix", "Value": "incoming/"}, {"Name": "suffix", "Value": ".csv"}]
            }
        },
    }
    assert found(g) == []


def test_s3_notifications_of_one_function_and_filter_are_one_event() -> None:
    # SAM writes one LambdaConfiguration per event type of one S3 event: reading them back gives that event
    resources = """\
    Uploads:
      Type: AWS::S3::Bucket
      Properties:
        NotificationConfiguration:
          LambdaConfigurations:
            - {Event: 's3:ObjectCreated:*', Function: !GetAtt Fn.Arn}
            - {Event: 's3:ObjectRemoved:*', Function: !GetAtt Fn.Arn}
    """
    events = function(cfn(resources), "Fn").events
    assert [(e.name, e.kind, plain(e.properties["Events"])) for e in events] == [
        ("Uploads", "s3", ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]),
    ]


def test_s3_notifications_with_different_filters_are_numbered() -> None:
    resources = """\
    Uploads:
      Type: AWS::S3::Bucket
      Properties:
        NotificationConfiguration:
          LambdaConfigurations:
            - Event: 's3:ObjectCreated:*'
              Function: !GetAtt Fn.Arn
              Filter: {S3Key: {Rules: [{Name: prefix, Value: a/}]}}
            - Event: 's3:ObjectCreated:*'
              Function: !GetAtt Fn.Arn
              Filter: {S3Key: {Rules: [{Name: prefix, Value: b/}]}}
    """
    events = function(cfn(resources), "Fn").events
    assert [(e.name, e.kind) for e in events] == [("Uploads1", "s3"), ("Uploads2", "s3")]


def test_sns_subscription_resource() -> None:
    resources = """\
    Topic: {Type: AWS::SNS::Topic}
    Sub:
      Type: AWS::SNS::Subscription
      Properties:
        Protocol: lambda
        TopicArn: !Ref Topic
        Endpoint: !GetAtt Fn.Arn
        FilterPolicy: {kind: [order]}
    Email:
      Type: AWS::SNS::Subscription
      Properties: {Protocol: email, TopicArn: !Ref Topic, Endpoint: a@example.com}
    Perm:
      Type: AWS::Lambda::Permission
      Properties: {FunctionName: !Ref Fn, Action: 'lambda:InvokeFunction', Principal: sns.amazonaws.com,
                   SourceArn: !Ref Topic}
    """
    g = cfn(resources)
    event = only_event(g)
    assert (event.kind, event.name, event.source_id, event.aws_type) == (
        "sns",
        "Sub",
        "Topic",
        "AWS::SNS::Subscription",
    )
    assert plain(event.properties) == {"Topic": Ref("Topic"), "FilterPolicy": {"kind": ["order"]}}
    # the email subscription is not translated, and says so (line 20 is the Email resource's Properties)
    assert found(g) == [("LF1005", 20)]
    assert [f.resource for f in g.findings if f.rule == "LF1005"] == ["Email"]


def test_sns_topic_inline_subscription() -> None:
    resources = """\
    Topic:
      Type: AWS::SNS::Topic
      Properties:
        Subscription:
          - {Protocol: email, Endpoint: a@example.com}
          - {Protocol: lambda, Endpoint: !GetAtt Fn.Arn}
    """
    event = only_event(cfn(resources))
    assert (event.kind, event.name, event.source_id, event.aws_type) == (
        "sns",
        "Topic",
        "Topic",
        "AWS::SNS::Topic",
    )
    assert event.source == Ref("Topic")
    assert event.loc.line == 15  # the lambda subscription's own line


API_ARN = "!Sub arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}"


@pytest.mark.parametrize(
    ("source_arn", "method", "path"),
    [
        (f"{API_ARN}/*/GET/pets", "get", "/pets"),
        (f"{API_ARN}/prod/POST/users/{{id}}", "post", "/users/{id}"),
        (f"{API_ARN}/*/*/*", "any", "/{proxy+}"),
        (f"{API_ARN}/*", "any", "/{proxy+}"),
        (f"{API_ARN}/*/$default", "any", "/{proxy+}"),
        ("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/items", "delete", "/items"),
    ],
    ids=["get-pets", "post-nested", "any-any", "api-only", "http-default-route", "literal-arn"],
)
def test_api_gateway_permission_route(source_arn: str, method: str, path: str) -> None:
    resources = f"""\
    Api: {{Type: AWS::ApiGateway::RestApi}}
    ApiPermission:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt Fn.Arn
        Action: lambda:InvokeFunction
        Principal: apigateway.amazonaws.com
        SourceArn: {source_arn}
    """
    g = cfn(resources)
    event = only_event(g)
    assert (event.kind, event.aws_type, event.name) == ("api", "AWS::Lambda::Permission", "ApiPermission")
    assert (event.properties["Method"], event.properties["Path"]) == (method, path)
    assert event.properties["Principal"] == "apigateway.amazonaws.com"
    assert found(g) == []


def test_api_permission_source_points_at_the_api() -> None:
    resources = f"""\
    Api: {{Type: AWS::ApiGateway::RestApi}}
    ApiPermission:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref Fn
        Action: lambda:InvokeFunction
        Principal: apigateway.amazonaws.com
        SourceArn: {API_ARN}/*/GET/pets
    """
    event = only_event(cfn(resources))
    assert isinstance(event.source, Sub)
    assert event.source_id == "Api"


@pytest.mark.parametrize(
    ("principal", "kind"),
    [
        ("logs.amazonaws.com", "cloudwatchlogs"),
        ("iot.amazonaws.com", "iotrule"),
        ("cognito-idp.amazonaws.com", "cognito"),
        ("alexa-appkit.amazon.com", "alexaskill"),
        ("elasticloadbalancing.amazonaws.com", "alb"),
        ("states.amazonaws.com", "unknown"),
    ],
)
def test_permission_for_other_principals(principal: str, kind: str) -> None:
    resources = f"""\
    Perm:
      Type: AWS::Lambda::Permission
      Properties: {{FunctionName: !Ref Fn, Action: 'lambda:InvokeFunction', Principal: {principal}}}
    """
    g = cfn(resources)
    event = only_event(g)
    assert (event.kind, event.declared_by) == (kind, "Perm")
    assert "Method" not in event.properties
    assert found(g) == []


ORPHAN = """\
Perm:
  Type: AWS::Lambda::Permission
  Properties:
    FunctionName: !Ref Fn
    Action: lambda:InvokeFunction
    Principal: {principal}
    SourceAccount: !Ref AWS::AccountId
"""


@pytest.mark.parametrize(
    ("principal", "service"),
    [("s3.amazonaws.com", "s3"), ("sns.amazonaws.com", "sns"), ("events.amazonaws.com", "eventbridge")],
)
def test_orphan_push_permission_is_lf3010(principal: str, service: str) -> None:
    g = cfn(ORPHAN.format(principal=principal))
    assert function(g, "Fn").events == ()
    (finding,) = g.findings
    assert (finding.rule, finding.loc.line, finding.resource) == ("LF3010", 10, "Perm")
    assert f"no matching {service} configuration" in finding.message


def test_orphan_s3_permission_next_to_a_rule_is_still_lf3010() -> None:
    # a wired EventBridge rule says nothing about S3
    resources = (
        ORPHAN.format(principal="s3.amazonaws.com")
        + "Rule:\n  Type: AWS::Events::Rule\n"
        + "  Properties: {ScheduleExpression: rate(1 hour), Targets: [{Arn: !GetAtt Fn.Arn, Id: f}]}\n"
    )
    g = cfn(resources)
    assert [e.kind for e in function(g, "Fn").events] == ["schedule"]
    assert [(f.rule, f.resource) for f in g.findings] == [("LF3010", "Perm")]


def test_s3_permission_pointing_at_an_unwired_bucket_is_lf3010() -> None:
    resources = """\
    Quiet: {Type: AWS::S3::Bucket}
    Perm:
      Type: AWS::Lambda::Permission
      Properties: {FunctionName: !Ref Fn, Action: 'lambda:InvokeFunction', Principal: s3.amazonaws.com,
                   SourceArn: !GetAtt Quiet.Arn}
    """
    g = cfn(S3_WIRING + textwrap.dedent(resources))
    assert [e.name for e in function(g, "Fn").events] == ["Uploads"]
    assert [(f.rule, f.resource) for f in g.findings] == [("LF3010", "Perm")]


def test_events_permission_with_its_rule_is_quiet() -> None:
    resources = """\
    Rule:
      Type: AWS::Events::Rule
      Properties: {EventPattern: {source: [app]}, Targets: [{Arn: !GetAtt Fn.Arn, Id: f}]}
    Perm:
      Type: AWS::Lambda::Permission
      Properties: {FunctionName: !Ref Fn, Action: 'lambda:InvokeFunction', Principal: events.amazonaws.com,
                   SourceArn: !GetAtt Rule.Arn}
    """
    g = cfn(resources)
    assert [e.kind for e in function(g, "Fn").events] == ["eventbridge"]
    assert found(g) == []


# --------------------------------------------------------------------------------------------------
# template sections


def test_sections_parameters_outputs_and_edges() -> None:
    text = """\
    AWSTemplateFormatVersion: '2010-09-09'
    Description: '  demo  '
    Parameters:
      Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
      Secret: {Type: String, NoEcho: true}
    Resources:
      Queue: {Type: AWS::SQS::Queue}
      Fn:
        Type: AWS::Lambda::Function
        DependsOn: Queue
        Properties:
          Handler: x
          Environment: {Variables: {Q: !Ref Queue, S: !Sub '${Queue.Arn}-x'}}
    Outputs:
      FnArn: {Value: !GetAtt Fn.Arn, Description: the arn}
      Broken: {Description: no value}
    Unknown: 1
    """
    g = graph(text)
    assert g.description == "demo"
    stage = g.parameter("Stage")
    assert (stage.default, stage.has_default, stage.allowed_values) == ("dev", True, ("dev", "prod"))
    assert g.parameter("Secret").no_echo is True
    assert [(o.name, o.value) for o in g.outputs] == [("FnArn", GetAtt("Fn", "Arn"))]
    assert [(e.kind, e.target) for e in g.edges] == [
        ("depends_on", "Queue"),
        ("ref", "Queue"),
        ("sub", "Queue"),
    ]
    assert sorted((f.rule, f.loc.line) for f in g.findings) == [("LF0006", 17), ("LF4003", 16)]


def test_transform_list_and_other_transforms() -> None:
    text = """\
    Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
    Resources:
      B: {Type: AWS::S3::Bucket}
    """
    g = graph(text)
    assert g.format == "sam"
    assert g.transforms == ("AWS::LanguageExtensions", "AWS::Serverless-2016-10-31")
    assert [(f.rule, f.loc.line) for f in g.findings] == [("LF0005", 1)]


def test_custom_macro_is_a_warning_that_says_how_to_get_the_processed_template() -> None:
    text = """\
    Transform: [AWS::Serverless-2016-10-31, AcmeMacro]
    Resources:
      Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.b, CodeUri: src/}}
    """
    g = graph(text)
    (finding,) = g.findings
    assert (finding.rule, finding.severity.value, finding.loc.line) == ("LF0015", "warning", 1)
    assert finding.message == (
        "transform 'AcmeMacro' is a macro that CloudFormation runs at deployment and that may rewrite the whole "
        "template; it is not expanded, so the output may not match what is deployed. Convert the processed "
        "template of a deployed stack instead (aws cloudformation get-template --stack-name STACK "
        "--template-stage Processed)"
    )


def test_serverless_resources_without_the_transform_are_a_warning_at_the_first() -> None:
    text = """\
    Resources:
      Bucket: {Type: AWS::S3::Bucket}
      Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.b, CodeUri: src/}}
      Other: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.c, CodeUri: src/}}
    """
    g = graph(text)
    assert [(f.rule, f.severity.value, f.loc.line, f.resource) for f in g.findings] == [
        ("LF0016", "warning", 3, "Fn")
    ]
    assert g.findings[0].message == (
        "the template has AWS::Serverless resources (AWS::Serverless::Function 'Fn' is the first) but no "
        "'Transform: AWS::Serverless-2016-10-31'; CloudFormation rejects it. The resources are converted as SAM "
        "resources"
    )
    assert [f.logical_id for f in g.functions] == ["Fn", "Other"]  # still converted


def test_no_transform_warning_with_the_transform_or_without_serverless_resources() -> None:
    with_transform = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn: {Type: AWS::Serverless::SimpleTable}\n"
    )
    plain = "Resources:\n  B: {Type: AWS::S3::Bucket}\n"
    for text in (with_transform, plain):
        assert "LF0016" not in [f.rule for f in graph(text).findings]


def test_resource_without_literal_type_is_lf0007() -> None:
    g = graph("Resources:\n  A: {Type: !Ref T}\n  B: [x]\n")
    assert [(r.logical_id, r.type) for r in g.resources] == [("A", "Unknown"), ("B", "Unknown")]
    assert [(f.rule, f.resource) for f in g.findings] == [("LF0007", "A"), ("LF0007", "B")]


def test_parsing_is_repeatable() -> None:
    doc = load_text(
        textwrap.dedent(SAM_EVENT_TEMPLATE.format(event_type="SQS", properties="{Queue: x}")), "t.yaml"
    )
    assert parse_document(doc) == parse_document(doc)
