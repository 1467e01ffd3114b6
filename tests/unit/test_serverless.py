"""Serverless Framework services read into the ResourceGraph.

Expected values follow the Serverless Framework documentation (research/input-formats.md §9): functions
default to 1024 MB and 6 s; provider settings are function defaults that a function overrides; the
deployed function name is ``<service>-<stage>-<function>``; generated resources have the framework's
logical ids (``SNSTopic<Name>``, ``S3Bucket<Name>``, ``ApiGatewayRestApi``, ``HttpApi``,
``IamRoleLambdaExecution``, ``<Name>LambdaLayer``;
function ``hello-world`` is ``HelloDashworldLambdaFunction``);
an ``s3`` event listens for ``s3:ObjectCreated:*`` unless told otherwise and creates its bucket unless
``existing: true``; ``- http: GET users/{id}`` is a GET on ``/users/{id}``; ``httpApi: '*'`` is the
catch-all route. Only ``provider.name: aws`` is read.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from translator.api import convert
from translator.cli import main
from translator.graph import Event, Function, ResourceGraph
from translator.load import InputError, load_text
from translator.parsers.serverless import is_serverless, parse_serverless
from translator.parsers.serverless_events import normalize_function_name
from translator.values import GetAtt, Obj, Ref, Sub, plain

HEAD = "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\n"


def graph(text: str, **kwargs: Any) -> ResourceGraph:
    return parse_serverless(load_text(textwrap.dedent(text), "serverless.yml"), **kwargs)


def fn(g: ResourceGraph, name: str) -> Function:
    (found,) = [f for f in g.functions if f.logical_id == name]
    return found


def events(text: str, function: str = "f") -> list[Event]:
    return list(fn(graph(text), function).events)


def one_event(event_yaml: str, extra: str = "") -> Event:
    text = (
        HEAD
        + extra
        + "functions:\n  f:\n    handler: h.main\n    events:\n"
        + textwrap.indent(textwrap.dedent(event_yaml).strip("\n"), "      ")
        + "\n"
    )
    (event,) = events(text)
    return event


def rules(g: ResourceGraph) -> list[str]:
    return sorted(f.rule for f in g.findings)


# --------------------------------------------------------------------------------------------------
# recognising a service, providers


def test_recognised_by_name_or_by_content() -> None:
    assert is_serverless("dir/serverless.yml", None) and is_serverless("serverless.json", None)
    assert is_serverless("x.yml", Obj({"service": "a", "provider": "aws"}))
    assert not is_serverless("template.yaml", Obj({"Resources": Obj()}))


@pytest.mark.parametrize("provider", ["azure", "google", "openwhisk"])
def test_other_providers_are_refused_naming_them(provider: str) -> None:
    with pytest.raises(InputError, match=f"provider '{provider}' is not supported"):
        graph(f"service: s\nprovider:\n  name: {provider}\n  runtime: nodejs12\n")


def test_provider_short_form() -> None:
    assert graph("service: s\nprovider: aws\nfunctions:\n  f: {handler: h.main}\n").format == "serverless"
    with pytest.raises(InputError, match="provider 'google' is not supported"):
        graph("service: s\nprovider: google\n")


def test_a_service_without_provider_is_bad_input() -> None:
    with pytest.raises(InputError, match="no provider"):
        graph("service: s\nfunctions: {}\n")


# --------------------------------------------------------------------------------------------------
# functions and provider defaults


def test_functions_keep_their_names_and_framework_defaults() -> None:
    g = graph(HEAD + "functions:\n  get-user:\n    handler: users.get\n")
    f = fn(g, "get-user")
    assert f.aws_type == "AWS::Lambda::Function"
    assert f.prop("MemorySize") == 1024 and f.prop("Timeout") == 6
    assert f.prop("Runtime") == "python3.12" and f.prop("Handler") == "users.get"
    assert f.prop("FunctionName") == "shop-dev-get-user"
    assert [r.logical_id for r in g.resources] == ["get-user"]


def test_function_name_uses_the_stage_option() -> None:
    g = graph(HEAD + "functions:\n  f: {handler: h.main}\n", stage="prod")
    assert fn(g, "f").prop("FunctionName") == "shop-prod-f"


def test_function_settings_override_provider_defaults() -> None:
    text = """
        service: shop
        provider:
          name: aws
          runtime: nodejs20.x
          memorySize: 512
          timeout: 20
          architecture: arm64
          environment: {A: provider, B: provider}
          tags: {team: core}
          tracing: {lambda: true}
        functions:
          f:
            handler: h.main
            runtime: python3.12
            memorySize: 2048
            environment: {B: function}
            tags: {tier: web}
          g:
            handler: h.other
    """
    g = graph(text)
    f, other = fn(g, "f"), fn(g, "g")
    assert (f.prop("Runtime"), f.prop("MemorySize"), f.prop("Timeout")) == ("python3.12", 2048, 20)
    assert plain(f.prop("Environment")) == {"Variables": {"A": "provider", "B": "function"}}
    assert plain(f.prop("Tags")) == {"team": "core", "tier": "web"}
    assert plain(f.prop("Architectures")) == ["arm64"] and f.prop("Tracing") == "Active"
    assert (other.prop("Runtime"), other.prop("MemorySize")) == ("nodejs20.x", 512)


def test_vpc_from_the_provider_and_the_function_opt_out() -> None:
    text = HEAD + (
        "  vpc: {securityGroupIds: [sg-1], subnetIds: [subnet-1]}\n"
        "functions:\n  inside: {handler: h.a}\n  outside: {handler: h.b, vpc: ~}\n"
    )
    g = graph(text)
    assert plain(fn(g, "inside").prop("VpcConfig")) == {
        "SecurityGroupIds": ["sg-1"],
        "SubnetIds": ["subnet-1"],
    }
    assert fn(g, "outside").prop("VpcConfig") is None


def test_functions_given_as_a_list_of_mappings() -> None:
    g = graph(HEAD + "functions:\n  - a: {handler: h.a}\n  - b: {handler: h.b}\n")
    assert [f.logical_id for f in g.functions] == ["a", "b"]


def test_service_object_form() -> None:
    g = graph("service: {name: legacy}\nprovider: {name: aws}\nfunctions:\n  f: {handler: h.main}\n")
    assert fn(g, "f").prop("FunctionName") == "legacy-dev-f"


def test_function_settings_with_cloudformation_names() -> None:
    text = HEAD + (
        "functions:\n  f:\n    handler: h.main\n    reservedConcurrency: 5\n    provisionedConcurrency: 2\n"
        "    ephemeralStorageSize: 1024\n    onError: arn:aws:sns:us-east-1:1:dlq\n"
        "    layers: [arn:aws:lambda:l:1]\n"
    )
    f = fn(graph(text), "f")
    assert f.prop("ReservedConcurrentExecutions") == 5
    assert plain(f.prop("ProvisionedConcurrencyConfig")) == {"ProvisionedConcurrentExecutions": 2}
    assert plain(f.prop("EphemeralStorage")) == {"Size": 1024}
    assert plain(f.prop("DeadLetterConfig")) == {"TargetArn": "arn:aws:sns:us-east-1:1:dlq"}
    assert plain(f.prop("Layers")) == ["arn:aws:lambda:l:1"]


def test_unknown_function_keys_are_reported() -> None:
    g = graph(HEAD + "functions:\n  f: {handler: h.main, cors: true}\n")
    assert "LF0011" in rules(g)


def test_normalized_function_name() -> None:
    assert normalize_function_name("hello-world") == "HelloDashworld"
    assert normalize_function_name("get_user") == "GetUnderscoreuser"


# --------------------------------------------------------------------------------------------------
# IAM


def test_iam_statements_become_the_shared_role() -> None:
    text = HEAD + (
        "  iam:\n    role:\n      statements:\n"
        "        - {Effect: Allow, Action: [s3:GetObject], Resource: '*'}\n"
        "functions:\n  f: {handler: h.main}\n"
    )
    g = graph(text)
    role = g.resource("IamRoleLambdaExecution")
    assert role is not None and role.type == "AWS::IAM::Role"
    statement = role.properties["Policies"][0]["PolicyDocument"]["Statement"]
    assert plain(statement) == [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]
    assert fn(g, "f").prop("Role") == GetAtt("IamRoleLambdaExecution", "Arn")


def test_legacy_iam_role_statements() -> None:
    text = (
        HEAD + "  iamRoleStatements:\n    - {Effect: Allow, Action: ['sqs:*'], Resource: '*'}\n"
        "functions:\n  f: {handler: h.main}\n"
    )
    assert graph(text).resource("IamRoleLambdaExecution") is not None


def test_a_role_given_by_logical_name_is_its_arn() -> None:
    g = graph(HEAD + "functions:\n  f: {handler: h.main, role: MyRole}\n")
    assert fn(g, "f").prop("Role") == GetAtt("MyRole", "Arn")


# --------------------------------------------------------------------------------------------------
# HTTP events


def test_http_string_shorthand() -> None:
    event = one_event("- http: GET users/{id}")
    assert (event.kind, event.properties["Method"], event.properties["Path"]) == ("api", "get", "/users/{id}")
    assert event.source_id == "ApiGatewayRestApi"


def test_http_object_with_cors_authorizer_and_private() -> None:
    event = one_event("- http: {path: /orders, method: post, cors: true, authorizer: aws_iam, private: true}")
    props = event.properties
    assert (props["Path"], props["Method"], props["Cors"]) == ("/orders", "post", True)
    assert plain(props["Auth"]) == {"Authorizer": "aws_iam", "ApiKeyRequired": True}


def test_http_any_method() -> None:
    assert one_event("- http: {path: '{proxy+}', method: any}").properties["Method"] == "any"


def test_http_events_generate_the_rest_api() -> None:
    g = graph(HEAD + "functions:\n  f:\n    handler: h.main\n    events:\n      - http: GET a\n")
    api = g.resource("ApiGatewayRestApi")
    assert api is not None and api.type == "AWS::ApiGateway::RestApi"


@pytest.mark.parametrize(
    ("route", "method", "path"),
    [("'*'", "any", "/{proxy+}"), ("'GET /items/{id}'", "get", "/items/{id}"), ("'* /any'", "any", "/any")],
)
def test_http_api_shorthands(route: str, method: str, path: str) -> None:
    event = one_event(f"- httpApi: {route}")
    assert (event.kind, event.properties["Method"], event.properties["Path"]) == ("httpapi", method, path)
    assert event.source_id == "HttpApi"


def test_http_api_object_form() -> None:
    event = one_event("- httpApi: {method: POST, path: /things}")
    assert (event.properties["Method"], event.properties["Path"]) == ("post", "/things")


def test_function_url() -> None:
    g = graph(HEAD + "functions:\n  f: {handler: h.main, url: {authorizer: aws_iam}}\n")
    (event,) = fn(g, "f").events
    assert (event.kind, event.properties["AuthType"]) == ("url", "AWS_IAM")


# --------------------------------------------------------------------------------------------------
# queues, topics, buckets


def test_sqs_with_a_queue_in_resources() -> None:
    extra = ""
    text = (
        HEAD
        + extra
        + (
            "functions:\n  f:\n    handler: h.main\n    events:\n"
            "      - sqs: {arn: !GetAtt Jobs.Arn, batchSize: 5, maximumBatchingWindow: 10}\n"
            "resources:\n  Resources:\n    Jobs: {Type: AWS::SQS::Queue}\n"
        )
    )
    (event,) = events(text)
    assert (event.kind, event.source_id, event.properties["BatchSize"]) == ("sqs", "Jobs", 5)
    assert event.properties["MaximumBatchingWindowInSeconds"] == 10


def test_sqs_arn_string() -> None:
    event = one_event("- sqs: arn:aws:sqs:us-east-1:123456789012:jobs")
    assert event.properties["Queue"] == "arn:aws:sqs:us-east-1:123456789012:jobs" and event.source_id is None


def test_sqs_maximum_concurrency_is_the_mappings_scaling_config() -> None:
    # the framework compiles maximumConcurrency to the mapping's ScalingConfig.MaximumConcurrency
    event = one_event("- sqs:\n    arn: arn:aws:sqs:us-east-1:123456789012:jobs\n    maximumConcurrency: 5")
    scaling = event.properties["ScalingConfig"]
    assert plain(scaling) == {"MaximumConcurrency": 5}
    assert scaling.loc_of("MaximumConcurrency").line == 11


def test_stream_settings_keep_their_lines() -> None:
    event = one_event(
        "- stream:\n    arn: arn:aws:kinesis:us-east-1:123456789012:stream/clicks\n    batchSize: 50\n"
        "    parallelizationFactor: 2"
    )
    assert event.properties.loc_of("BatchSize").line == 11
    assert event.properties.loc_of("ParallelizationFactor").line == 12


def test_sns_topic_name_creates_the_topic() -> None:
    text = HEAD + "functions:\n  f:\n    handler: h.main\n    events:\n      - sns: order-events\n"
    g = graph(text)
    topic = g.resource("SNSTopicOrderevents")
    assert (
        topic is not None
        and topic.type == "AWS::SNS::Topic"
        and topic.properties["TopicName"] == "order-events"
    )
    (event,) = fn(g, "f").events
    assert (event.kind, event.source_id, event.properties["Topic"]) == (
        "sns",
        "SNSTopicOrderevents",
        Ref("SNSTopicOrderevents"),
    )


def test_two_functions_on_one_topic_share_it() -> None:
    body = (
        "    handler: h.main\n    events:\n      - sns: {topicName: alerts, filterPolicy: {level: [high]}}\n"
    )
    g = graph(HEAD + "functions:\n  a:\n" + body + "  b:\n" + body)
    assert [r.logical_id for r in g.resources].count("SNSTopicAlerts") == 1
    assert plain(fn(g, "a").events[0].properties["FilterPolicy"]) == {"level": ["high"]}


def test_sns_arn_is_an_outside_topic() -> None:
    event = one_event("- sns: arn:aws:sns:us-east-1:123456789012:external")
    assert (
        event.properties["Topic"] == "arn:aws:sns:us-east-1:123456789012:external" and event.source_id is None
    )


def test_s3_event_creates_its_bucket_with_the_default_event() -> None:
    text = HEAD + "functions:\n  f:\n    handler: h.main\n    events:\n      - s3: photos\n"
    g = graph(text)
    bucket = g.resource("S3BucketPhotos")
    assert bucket is not None and bucket.properties["BucketName"] == "photos"
    (event,) = fn(g, "f").events
    assert event.kind == "s3" and event.source_id == "S3BucketPhotos"
    assert plain(event.properties["Events"]) == ["s3:ObjectCreated:*"]


def test_s3_rules_become_the_key_filter() -> None:
    event = one_event(
        "- s3:\n    bucket: uploads\n    event: s3:ObjectRemoved:*\n"
        "    rules:\n      - prefix: img/\n      - suffix: .jpg\n"
    )
    assert plain(event.properties["Events"]) == ["s3:ObjectRemoved:*"]
    assert plain(event.properties["Filter"]) == {
        "S3Key": {"Rules": [{"Name": "prefix", "Value": "img/"}, {"Name": "suffix", "Value": ".jpg"}]}
    }


def test_existing_s3_bucket_is_not_created() -> None:
    text = (
        HEAD
        + "functions:\n  f:\n    handler: h.main\n    events:\n      - s3: {bucket: legacy, existing: true}\n"
    )
    g = graph(text)
    assert g.resource("S3BucketLegacy") is None
    (event,) = fn(g, "f").events
    assert event.source_id is None and event.properties["Bucket"] == "arn:aws:s3:::legacy"


def test_a_raw_resource_with_the_generated_id_replaces_it() -> None:
    text = HEAD + (
        "functions:\n  f:\n    handler: h.main\n    events:\n      - s3: photos\n"
        "resources:\n  Resources:\n    S3BucketPhotos:\n      Type: AWS::S3::Bucket\n"
        "      Properties: {VersioningConfiguration: {Status: Enabled}}\n"
    )
    g = graph(text)
    (bucket,) = [r for r in g.resources if r.logical_id == "S3BucketPhotos"]
    assert "VersioningConfiguration" in bucket.properties


# --------------------------------------------------------------------------------------------------
# schedules, streams, event buses


def test_schedule_shorthand_and_object() -> None:
    assert one_event("- schedule: rate(10 minutes)").properties["Schedule"] == "rate(10 minutes)"
    event = one_event("- schedule: {rate: cron(0 12 * * ? *), enabled: false, input: {k: v}}")
    assert (event.kind, event.properties["Enabled"]) == ("schedule", False)
    assert plain(event.properties["Input"]) == {"k": "v"}


def test_schedule_with_several_rates_is_one_event_each() -> None:
    text = (
        HEAD + "functions:\n  f:\n    handler: h.main\n    events:\n"
        "      - schedule: {rate: [rate(1 hour), rate(2 hours)]}\n"
    )
    assert [e.properties["Schedule"] for e in events(text)] == ["rate(1 hour)", "rate(2 hours)"]


def test_dynamodb_stream_by_arn_defaults_to_trim_horizon() -> None:
    event = one_event("- stream: arn:aws:dynamodb:us-east-1:1:table/T/stream/2020")
    assert (event.kind, event.properties["StartingPosition"]) == ("dynamodb", "TRIM_HORIZON")


def test_stream_with_type_and_settings() -> None:
    event = one_event(
        "- stream: {arn: !GetAtt Clicks.Arn, type: kinesis, batchSize: 50"
        ", startingPosition: LATEST, filterPatterns: [{a: [1]}]}",
    )
    assert (event.kind, event.properties["BatchSize"], event.properties["StartingPosition"]) == (
        "kinesis",
        50,
        "LATEST",
    )
    assert "FilterCriteria" in event.properties


def test_dynamodb_stream_of_a_table_in_resources() -> None:
    text = HEAD + (
        "functions:\n  f:\n    handler: h.main\n    events:\n"
        "      - stream: {arn: !GetAtt Orders.StreamArn}\n"
        "resources:\n  Resources:\n    Orders: {Type: AWS::DynamoDB::Table}\n"
    )
    (event,) = events(text)
    assert (event.kind, event.source_id) == ("dynamodb", "Orders")


def test_event_bridge_pattern_on_a_named_bus() -> None:
    text = HEAD + (
        "functions:\n  f:\n    handler: h.main\n    events:\n"
        "      - eventBridge: {eventBus: orders, pattern: {source: [shop.orders]}}\n"
    )
    g = graph(text)
    (event,) = fn(g, "f").events
    assert event.kind == "eventbridge" and plain(event.properties["Pattern"]) == {"source": ["shop.orders"]}
    assert event.source_id == "EventBridgeEventBusOrders"
    bus = g.resource("EventBridgeEventBusOrders")
    assert bus is not None and bus.type == "AWS::Events::EventBus"


def test_event_bridge_schedule_is_a_schedule() -> None:
    assert one_event("- eventBridge: {schedule: rate(5 minutes)}").kind == "schedule"


@pytest.mark.parametrize(
    ("event_yaml", "kind"),
    [
        ("- alb: {listenerArn: arn:aws:x, priority: 1, conditions: {path: /a}}", "alb"),
        ("- websocket: $connect", "websocket"),
        ("- cloudwatchLog: /aws/lambda/other", "cloudwatchlogs"),
        ("- cognitoUserPool: {pool: users, trigger: PreSignUp}", "cognito"),
        ("- iot: {sql: \"SELECT * FROM 'topic'\"}", "iotrule"),
        ("- alexaSkill: amzn1.ask.skill.xx", "alexaskill"),
        ("- alexaSkill", "alexaskill"),
        ("- kafka: {bootstrapServers: [b:9092], topic: t}", "selfmanagedkafka"),
        ("- msk: {arn: arn:aws:kafka:x, topic: t}", "msk"),
        ("- activemq: {arn: arn:aws:mq:x, queue: q}", "mq"),
        ("- rabbitmq: {arn: arn:aws:mq:x, queue: q}", "mq"),
        ("- cloudwatchEvent: {event: {source: [aws.ec2]}}", "eventbridge"),
    ],
)
def test_other_events_keep_their_kind(event_yaml: str, kind: str) -> None:
    assert one_event(event_yaml).kind == kind


def test_an_event_with_two_keys_is_reported() -> None:
    g = graph(
        HEAD + "functions:\n  f:\n    handler: h.main\n    events:\n"
        "      - {http: GET a, sqs: arn:aws:sqs:x:1:q}\n"
    )
    assert fn(g, "f").events == () and "LF0007" in rules(g)


# --------------------------------------------------------------------------------------------------
# raw CloudFormation, extensions, plugins, layers


def test_raw_resources_and_outputs_are_read_and_function_ids_renamed() -> None:
    text = HEAD + (
        "functions:\n  hello-world: {handler: h.main}\n"
        "resources:\n  Resources:\n"
        "    Perm:\n      Type: AWS::Lambda::Permission\n      Properties:\n"
        "        FunctionName: !GetAtt HelloDashworldLambdaFunction.Arn\n"
        "        Principal: s3.amazonaws.com\n"
        "  Outputs:\n    FnArn: {Value: !GetAtt HelloDashworldLambdaFunction.Arn}\n"
    )
    g = graph(text)
    perm = g.resource("Perm")
    assert perm is not None and perm.properties["FunctionName"] == GetAtt("hello-world", "Arn")
    assert g.outputs[0].value == GetAtt("hello-world", "Arn")


def test_fn_sub_keeps_cloudformation_placeholders() -> None:
    text = HEAD + (
        "custom: {prefix: app}\nfunctions:\n  f:\n    handler: h.main\n"
        "    environment:\n"
        "      ARN: !Sub 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${self:custom.prefix}-q'\n"
    )
    value = fn(graph(text), "f").prop("Environment")["Variables"]["ARN"]
    assert isinstance(value, Sub)
    assert value.parts == ("arn:aws:sqs:", Ref("AWS::Region"), ":", Ref("AWS::AccountId"), ":app-q")


def test_resources_given_as_a_list_of_fragments() -> None:
    text = (
        HEAD + "resources:\n  - Resources:\n      A: {Type: AWS::SQS::Queue}\n"
        "  - Resources:\n      B: {Type: AWS::SNS::Topic}\n"
    )
    assert [r.logical_id for r in graph(text).resources] == ["A", "B"]


def test_extensions_patch_generated_resources() -> None:
    text = HEAD + (
        "functions:\n  f:\n    handler: h.main\n    events:\n      - s3: photos\n"
        "resources:\n  extensions:\n    S3BucketPhotos:\n"
        "      Properties: {VersioningConfiguration: {Status: Enabled}}\n"
        "    FLogGroup:\n      Properties: {RetentionInDays: 7}\n"
    )
    g = graph(text)
    bucket = g.resource("S3BucketPhotos")
    assert bucket is not None and plain(bucket.properties["VersioningConfiguration"]) == {"Status": "Enabled"}
    assert "LF1010" in rules(g)  # the log group is not generated here


def test_extensions_patch_functions_by_their_framework_id() -> None:
    text = (
        HEAD + "functions:\n  f: {handler: h.main}\nresources:\n  extensions:\n"
        "    FLambdaFunction:\n      Properties: {MemorySize: 256}\n"
    )
    assert fn(graph(text), "f").prop("MemorySize") == 256


def test_layers_become_layer_versions() -> None:
    text = (
        HEAD + "layers:\n  ffmpeg: {path: layer}\nfunctions:\n"
        "  f: {handler: h.main, layers: [{Ref: FfmpegLambdaLayer}]}\n"
    )
    g = graph(text)
    layer = g.resource("FfmpegLambdaLayer")
    assert layer is not None and layer.type == "AWS::Lambda::LayerVersion"
    assert plain(fn(g, "f").prop("Layers")) == [Ref("FfmpegLambdaLayer")]


@pytest.mark.parametrize(
    ("plugin", "rule"),
    [
        ("serverless-step-functions", "LF1007"),
        ("serverless-python-requirements", "LF1008"),
        ("serverless-offline", "LF1008"),
        ("serverless-domain-manager", "LF1009"),
        ("serverless-something-custom", "LF1009"),
    ],
)
def test_plugins_are_reported(plugin: str, rule: str) -> None:
    assert rules(graph(HEAD + f"plugins:\n  - {plugin}\n")) == [rule]


def test_lift_constructs_and_state_machines_are_findings() -> None:
    text = HEAD + (
        "constructs:\n  uploads: {type: storage}\n"
        "stepFunctions:\n  stateMachines:\n    checkout: {definition: {}}\n"
    )
    g = graph(text)
    assert ("LF1009", "uploads") in [(f.rule, f.resource) for f in g.findings]
    # the state machine is the resource the plugin generates; the mapper reports it (LF1007)
    machine = g.resource("CheckoutStepFunctionsStateMachine")
    assert machine is not None and machine.type == "AWS::StepFunctions::StateMachine"


def test_deployment_only_settings_are_info() -> None:
    g = graph(
        HEAD + "  deploymentBucket: {name: my-bucket}\n  stackName: custom\n"
        "package: {patterns: ['!node_modules/**']}\n"
    )
    assert rules(g) == ["LF0010", "LF0010", "LF0010"]


def test_wrong_case_provider_key_is_reported() -> None:
    assert rules(graph("service: s\nprovider:\n  name: aws\n  Runtime: python3.12\n")) == ["LF0011"]


def test_unresolved_variables_carry_the_function_they_belong_to() -> None:
    g = graph(HEAD + "functions:\n  f:\n    handler: h.main\n    environment: {DB: '${ssm:/db/url}'}\n")
    assert [(f.rule, f.resource) for f in g.findings] == [("LF0008", "f")]


# --------------------------------------------------------------------------------------------------
# end to end: api.convert and the CLI


SERVICE = """\
service: shop
provider:
  name: aws
  runtime: python3.12
  stage: ${opt:stage, 'dev'}
  environment:
    TABLE: orders-${sls:stage}
    SECRET: ${ssm:/shop/secret}
functions:
  list-orders:
    handler: orders.list
    events:
      - http: GET orders
resources:
  Resources:
    Orders:
      Type: AWS::DynamoDB::Table
      Properties:
        KeySchema: [{AttributeName: id, KeyType: HASH}]
"""


def test_convert_reports_functions_under_their_serverless_names(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE, encoding="utf-8")
    result = convert(path, stage="prod")
    report = json.loads(result.files["migration-report.json"])
    assert report["source"]["format"] == "serverless"
    assert [f["logicalId"] for f in report["functions"]] == ["list-orders"]
    assert {r["logicalId"] for r in report["resources"]} == {"list-orders", "Orders", "ApiGatewayRestApi"}
    bicep = result.files["infra/main.bicep"]
    assert "'orders-prod'" in bicep and "${ssm" not in bicep
    assert "LF0008" in {f["rule"] for f in report["findings"]}


def test_cli_stage_and_region_options(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE.replace("SECRET: ${ssm:/shop/secret}", "REGION: ${aws:region}"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(path), "-o", str(out), "-q", "--stage", "qa", "--region", "eu-west-1"]) == 0
    bicep = (out / "infra" / "main.bicep").read_text(encoding="utf-8")
    assert "'orders-qa'" in bicep
    # ${aws:region} is the deployment's location, as CloudFormation's AWS::Region, not the AWS region's name
    assert "    REGION: location\n" in bicep and "'eu-west-1'" not in bicep  # (the header names the region)


def test_cli_non_aws_provider_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text("service: s\nprovider:\n  name: azure\n", encoding="utf-8")
    assert main(["convert", str(path), "-o", str(tmp_path / "out")]) == 2
    assert "provider 'azure' is not supported" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cli_file_outside_the_service_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = tmp_path / "svc"
    service.mkdir()
    (tmp_path / "secret.yml").write_text("k: v\n", encoding="utf-8")
    path = service / "serverless.yml"
    path.write_text(
        "service: s\nprovider: {name: aws}\ncustom: {k: '${file(../secret.yml):k}'}\n"
        "functions:\n  f: {handler: h.main, environment: {K: '${self:custom.k}'}}\n",
        encoding="utf-8",
    )
    assert main(["convert", str(path), "-o", str(tmp_path / "out")]) == 2
    assert "outside the service directory" in capsys.readouterr().err


def test_cli_variable_cycle_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: s\nprovider: {name: aws}\nfunctions:\n"
        "  f:\n    handler: h.main\n    environment:\n"
        "      A: ${self:functions.f.environment.B}\n      B: ${self:functions.f.environment.A}\n",
        encoding="utf-8",
    )
    assert main(["convert", str(path), "-o", str(tmp_path / "out")]) == 2
    assert "variable cycle" in capsys.readouterr().err


SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "todo-serverless" / "serverless.yml"


@pytest.mark.parametrize(
    ("stage", "level", "table"), [(None, "DEBUG", "todos-dev"), ("prod", "WARNING", "todos-prod")]
)
def test_the_sample_reads_its_stage_config_file(stage: str | None, level: str, table: str) -> None:
    # custom.settings is ${file(./config/${sls:stage}.yml)}: dev.yml sets DEBUG, prod.yml WARNING
    result = convert(SAMPLE, stage=stage)
    bicep = result.files["infra/main.bicep"]
    assert f"LOG_LEVEL: '{level}'" in bicep and f"'{table}'" in bicep
    assert {f.logical_id for f in result.graph.functions} == {
        "listTodos",
        "getTodo",
        "createTodo",
        "sendReminder",
        "purgeDone",
        "scanAttachment",
    }
    assert result.graph.resource(
        "S3BucketTodoattachmentsdev" if stage is None else "S3BucketTodoattachmentsprod"
    )


def test_one_deploy_time_value_is_one_secure_parameter() -> None:
    from translator.mapping.core import map_graph

    text = """\
service: shop
provider:
  name: aws
  runtime: python3.12
  environment:
    DB_PASSWORD: ${ssm:/shop/db-password}
functions:
  a:
    handler: a.handler
  b:
    handler: b.handler
"""
    plan = map_graph(graph(text))
    params = [p for p in plan.params if p.description and "DB_PASSWORD" in p.description]
    assert len(params) == 1
    assert params[0].secure and not params[0].has_default
    # both functions read the same parameter, so they agree and share the app
    assert "LF2013" not in [f.rule for f in plan.findings]
    settings = next(r for r in plan.resources if r.type == "Microsoft.Web/sites/config").body["properties"]
    # a secure value reaches the app through Key Vault (LF5021)
    (secret,) = [r for r in plan.resources if r.type == "Microsoft.KeyVault/vaults/secrets"]
    assert secret.body["properties"]["value"].name == params[0].name
    assert "SecretUri" in str(settings["DB_PASSWORD"])


def test_private_http_route_is_reported_at_the_private_key(tmp_path: Path) -> None:
    text = HEAD + textwrap.dedent(
        """\
        functions:
          f:
            handler: h.main
            events:
              - http:
                  path: payments
                  method: post
                  cors: true
                  private: true
        """
    )
    path = tmp_path / "serverless.yml"
    path.write_text(text, encoding="utf-8")
    found = [f for f in convert(path).plan.findings if f.rule == "LF3013"]
    assert [(f.loc.line if f.loc else 0) for f in found] == [13]  # private: true, not path:
    event = one_event("- http:\n    path: x\n    method: get\n    authorizer: aws_iam\n")
    assert event.properties.loc_of("Auth") is not None and event.properties.loc_of("Auth").line == 12
    assert event.properties.loc_of("Path") is not None and event.properties.loc_of("Path").line == 10


def test_env_fallbacks_become_parameter_defaults(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(
        textwrap.dedent(
            """\
            service: fb
            provider:
              name: aws
              runtime: python3.12
              environment:
                LOG_LEVEL: ${env:LOG_LEVEL, 'info'}
                PREFIX: app-${env:STAGE_NAME, 'dev'}-x
                DB_PASSWORD: ${env:DB_PASSWORD, 'devpass'}
            functions:
              a:
                handler: h.a
            """
        ),
        encoding="utf-8",
    )
    result = convert(path)
    bicep = result.files["infra/main.bicep"]
    assert "param aEnvironmentLogLevel string = 'info'\n" in bicep
    assert "    LOG_LEVEL: aEnvironmentLogLevel\n" in bicep
    assert "param aEnvironmentPrefix string = 'app-dev-x'\n" in bicep
    # a fallback under a secret name is no default: the parameter is @secure() and feeds Key Vault
    assert "@secure()\nparam aEnvironmentDbPassword string\n" in bicep
    assert "devpass" not in "\n".join(result.files.values())
    assert [f.rule for f in result.findings if f.rule == "LF0008"] == ["LF0008"] * 3


def test_a_resource_whose_include_is_missing_is_reported_once(tmp_path: Path) -> None:
    # the whole resource is a ${file()} that did not come with the service: one finding saying it is listed
    # but not converted, not also "it becomes a Bicep parameter" (no parameter stands in for a resource)
    # nor LF1001 about a type nobody wrote
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: s\nprovider: {name: aws, runtime: python3.12}\n"
        "functions:\n  f: {handler: h.main}\n"
        "resources:\n  Resources:\n    Role: ${file(./resource/Role.yml)}\n",
        encoding="utf-8",
    )
    result = convert(path)
    about_role = [
        (f.rule, f.loc.line if f.loc else None, f.message)
        for f in result.plan.findings
        if f.resource == "Role"
    ]
    assert about_role == [
        (
            "LF0008",
            7,
            "resource 'Role' is defined by '${file(./resource/Role.yml)}', which is not available; "
            "it is listed but not converted",
        )
    ]
    assert not [f for f in result.plan.findings if f.rule == "LF0008" and f.resource != "Role"]
    (entry,) = [e for e in result.plan.inventory if e.logical_id == "Role"]
    assert entry.disposition.value == "unsupported"
