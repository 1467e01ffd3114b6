"""Event kinds per SAM event type and per CloudFormation wiring resource (both readings agree)."""

from __future__ import annotations

import textwrap

import pytest

from translator.graph import ResourceGraph
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document


def graph(text: str) -> ResourceGraph:
    return parse_document(load_text(textwrap.dedent(text), "t.yaml"))


def kinds(g: ResourceGraph, fn: str = "Fn") -> list[str]:
    return sorted(e.kind for f in g.functions if f.logical_id == fn for e in f.events)


SAM_FN = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Events:
        E:
          Type: {type}
          Properties: {props}
"""

#: SAM event Type and Properties -> the canonical kind of the event it becomes
SAM_EVENTS = [
    ("Api", "{Path: /x, Method: get}", "api"),
    ("HttpApi", "{}", "httpapi"),
    ("SQS", "{Queue: arn:aws:sqs:us-east-1:1:q}", "sqs"),
    ("S3", "{Bucket: b, Events: 's3:ObjectCreated:*'}", "s3"),
    ("SNS", "{Topic: arn:aws:sns:us-east-1:1:t}", "sns"),
    ("SNS", "{Topic: arn:aws:sns:us-east-1:1:t, SqsSubscription: true}", "sqs"),
    ("Kinesis", "{Stream: arn:aws:kinesis:us-east-1:1:stream/s, StartingPosition: LATEST}", "kinesis"),
    (
        "DynamoDB",
        "{Stream: arn:aws:dynamodb:us-east-1:1:table/t/stream/x, StartingPosition: LATEST}",
        "dynamodb",
    ),
    ("Schedule", "{Schedule: rate(1 minute)}", "schedule"),
    ("ScheduleV2", "{ScheduleExpression: rate(1 minute)}", "schedule"),
    ("CloudWatchEvent", "{Pattern: {source: [x]}}", "eventbridge"),
    ("EventBridgeRule", "{Pattern: {source: [x]}}", "eventbridge"),
    ("CloudWatchLogs", "{LogGroupName: g, FilterPattern: ''}", "cloudwatchlogs"),
    ("IoTRule", "{Sql: SELECT * FROM 't'}", "iotrule"),
    ("AlexaSkill", "{}", "alexaskill"),
    ("Cognito", "{UserPool: p, Trigger: PreSignUp}", "cognito"),
    ("MSK", "{Stream: arn:aws:kafka:us-east-1:1:cluster/c/1, Topics: [t], StartingPosition: LATEST}", "msk"),
    ("MQ", "{Broker: arn:aws:mq:us-east-1:1:broker:b, Queues: [q]}", "mq"),
    ("SelfManagedKafka", "{KafkaBootstrapServers: ['h:9092'], Topics: [t]}", "selfmanagedkafka"),
    (
        "DocumentDB",
        "{Cluster: arn:aws:rds:us-east-1:1:cluster:c, DatabaseName: d, CollectionName: c}",
        "documentdb",
    ),
]


@pytest.mark.parametrize(("event_type", "props", "kind"), SAM_EVENTS)
def test_sam_event_kind(event_type: str, props: str, kind: str) -> None:
    assert kinds(graph(SAM_FN.format(type=event_type, props=props))) == [kind]


def test_cognito_trigger_list_is_one_event_per_trigger() -> None:
    g = graph(SAM_FN.format(type="Cognito", props="{UserPool: p, Trigger: [PreSignUp, PostConfirmation]}"))
    events = g.functions[0].events
    assert [(e.name, e.properties["Trigger"]) for e in events] == [
        ("EPreSignUp", "PreSignUp"),
        ("EPostConfirmation", "PostConfirmation"),
    ]


def test_sns_sqs_subscription_reports_the_queue_hop() -> None:
    g = graph(SAM_FN.format(type="SNS", props="{Topic: arn:aws:sns:us-east-1:1:t, SqsSubscription: true}"))
    assert [f.rule for f in g.findings] == ["LF3030"]


CFN_FN = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Handler: app.handler, Runtime: python3.12, Code: {ZipFile: x}, Role: arn:aws:iam::1:role/r}
"""

#: a CloudFormation resource wiring an event to Fn -> the kind the CloudFormation reading gives it
CFN_WIRING = [
    ("Url: {Type: AWS::Lambda::Url, Properties: {TargetFunctionArn: !Ref Fn, AuthType: NONE}}", ["url"]),
    (
        "S: {Type: AWS::Scheduler::Schedule, Properties: {ScheduleExpression: rate(1 minute), "
        "FlexibleTimeWindow: {Mode: 'OFF'}, Target: {Arn: !GetAtt Fn.Arn, RoleArn: r}}}",
        ["schedule"],
    ),
    (
        "M: {Type: AWS::Lambda::EventSourceMapping, Properties: {FunctionName: !Ref Fn, EventSourceArn: "
        "!Join ['', ['arn:aws:kinesis:us-east-1:1:stream/', s]]}}",
        ["kinesis"],
    ),
    (
        "M: {Type: AWS::Lambda::EventSourceMapping, Properties: {FunctionName: !Ref Fn, EventSourceArn: "
        "!Ref P, AmazonManagedKafkaEventSourceConfig: {ConsumerGroupId: g}, Topics: [t]}}",
        ["msk"],
    ),
    (
        "M: {Type: AWS::Lambda::EventSourceMapping, Properties: {FunctionName: !Ref Fn, Topics: [t], "
        "SelfManagedEventSource: {Endpoints: {KafkaBootstrapServers: ['h:9092']}}}}",
        ["selfmanagedkafka"],
    ),
    (
        "M: {Type: AWS::Lambda::EventSourceMapping, Properties: {FunctionName: !Ref Fn, EventSourceArn: "
        "arn:aws:mq:us-east-1:1:broker:b:id, Queues: [q]}}",
        ["mq"],
    ),
    (
        "M: {Type: AWS::Lambda::EventSourceMapping, Properties: {FunctionName: !Ref Fn, EventSourceArn: "
        "arn:aws:rds:us-east-1:1:cluster:c, DocumentDBEventSourceConfig: {DatabaseName: d}}}",
        ["documentdb"],
    ),
    (
        "Pool: {Type: AWS::Cognito::UserPool, Properties: {LambdaConfig: {PreSignUp: !GetAtt Fn.Arn, "
        "PostConfirmation: !GetAtt Fn.Arn}}}\n"
        "  P: {Type: AWS::Lambda::Permission, Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, "
        "Principal: cognito-idp.amazonaws.com, SourceArn: !GetAtt Pool.Arn}}",
        ["cognito", "cognito"],
    ),
    (
        "Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: a, ProtocolType: WEBSOCKET}}\n"
        "  I: {Type: AWS::ApiGatewayV2::Integration, Properties: {ApiId: !Ref Api, IntegrationType: AWS_PROXY, "
        "IntegrationUri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'}}\n"
        "  R: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: !Ref Api, RouteKey: $connect, "
        "Target: !Join [/, [integrations, !Ref I]]}}",
        ["websocket"],
    ),
    (
        "Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: a, ProtocolType: HTTP, Target: !GetAtt Fn.Arn}}\n"
        "  P: {Type: AWS::Lambda::Permission, Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, "
        "Principal: apigateway.amazonaws.com, SourceArn: !Sub 'arn:aws:execute-api:${AWS::Region}:1:${Api}/*'}}",
        ["httpapi"],
    ),
    (
        "Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}\n"
        "  Auth: {Type: AWS::ApiGateway::Authorizer, Properties: {RestApiId: !Ref Api, Name: A, Type: TOKEN, "
        "AuthorizerUri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'}}",
        ["authorizer"],
    ),
]


@pytest.mark.parametrize(("resources", "expected"), CFN_WIRING)
def test_cloudformation_wiring_kind(resources: str, expected: list[str]) -> None:
    assert kinds(graph(CFN_FN + "  " + resources + "\n")) == expected


def test_rest_api_method_route_path_follows_resource_chain() -> None:
    g = graph(
        CFN_FN
        + """\
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}
  Pets: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: pets}}
  Pet: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !Ref Pets, PathPart: '{id}'}}
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Pet
      HttpMethod: GET
      AuthorizationType: NONE
      Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'}
"""
    )
    (event,) = g.functions[0].events
    assert (event.kind, event.properties["Method"], event.properties["Path"]) == ("api", "get", "/pets/{id}")


def test_function_url_permission_without_url_is_reported() -> None:
    g = graph(
        CFN_FN + "  P: {Type: AWS::Lambda::Permission, Properties: {FunctionName: !Ref Fn, "
        "Action: lambda:InvokeFunctionUrl, Principal: '*', FunctionUrlAuthType: NONE}}\n"
    )
    assert kinds(g) == []
    assert [f.rule for f in g.findings] == ["LF3010"]


def test_sam_connector_from_api_stands_for_the_permission() -> None:
    text = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api: {Type: AWS::Serverless::HttpApi}
      Fn: {Type: AWS::Serverless::Function, Properties: {Handler: a.b, Runtime: python3.12, InlineCode: x}}
      C:
        Type: AWS::Serverless::Connector
        Properties: {Source: {Id: Api}, Destination: {Id: Fn}, Permissions: [Write]}
    """
    assert kinds(graph(text)) == ["httpapi"]


def test_sam_authorizer_function_gets_an_authorizer_event() -> None:
    text = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Api:
        Type: AWS::Serverless::Api
        Properties:
          StageName: Prod
          Auth: {Authorizers: {Lambda: {FunctionArn: !GetAtt Auth.Arn}}}
      Auth: {Type: AWS::Serverless::Function, Properties: {Handler: a.b, Runtime: python3.12, InlineCode: x}}
    """
    assert kinds(graph(text), "Auth") == ["authorizer"]


def test_sam_event_on_a_rest_api_is_a_rest_route() -> None:
    # SAM deploys an HttpApi event whose ApiId names a REST API as a REST API route
    text = (
        SAM_FN.format(type="HttpApi", props="{ApiId: !Ref Api}")
        + "  Api: {Type: AWS::Serverless::Api, Properties: {StageName: p}}\n"
    )
    assert kinds(graph(text)) == ["api"]


# ---- what each event kind becomes on Azure (mappings/triggers.yaml) and each resource type's finding

#: SAM event -> (Azure trigger or None, the finding that explains it)
AZURE_TRIGGERS = [
    ("Api", "{Path: /x, Method: get}", "httpTrigger", None),
    ("HttpApi", "{}", "httpTrigger", None),
    ("SQS", "{Queue: arn:aws:sqs:us-east-1:1:q}", "serviceBusTrigger", "LF3002"),
    ("Schedule", "{Schedule: rate(5 minutes)}", "timerTrigger", None),
    (
        "MSK",
        "{Stream: arn:aws:kafka:us-east-1:1:cluster/c/1, Topics: [t], StartingPosition: LATEST}",
        "kafkaTrigger",
        "LF3031",
    ),
    ("SelfManagedKafka", "{KafkaBootstrapServers: ['h:9092'], Topics: [t]}", "kafkaTrigger", None),
    ("MQ", "{Broker: arn:aws:mq:us-east-1:1:broker:b, Queues: [q]}", None, "LF3001"),
    (
        "DocumentDB",
        "{Cluster: arn:aws:rds:us-east-1:1:cluster:c, DatabaseName: d, CollectionName: c}",
        None,
        "LF3001",
    ),
    ("CloudWatchLogs", "{LogGroupName: g, FilterPattern: ''}", None, "LF3001"),
    ("IoTRule", "{Sql: SELECT * FROM 't'}", None, "LF3001"),
    ("AlexaSkill", "{}", None, "LF3001"),
    ("Cognito", "{UserPool: p, Trigger: PreSignUp}", None, "LF3001"),
]


@pytest.mark.parametrize(("event_type", "props", "azure_trigger", "rule"), AZURE_TRIGGERS)
def test_event_type_azure_trigger(
    event_type: str, props: str, azure_trigger: str | None, rule: str | None
) -> None:
    plan = map_graph(graph(SAM_FN.format(type=event_type, props=props)))
    (fn,) = plan.functions
    (found,) = fn.triggers
    assert found.azure_trigger == azure_trigger
    if rule:
        assert rule in {f.rule for f in plan.findings}


#: resource type (with minimal properties) -> the rule of the finding that reports what to do instead
RESOURCE_RULES = [
    ("AWS::Serverless::LayerVersion", "{ContentUri: s3://b/k}", "LF1011"),
    ("AWS::Lambda::LayerVersion", "{Content: {S3Bucket: b, S3Key: k}}", "LF1011"),
    (
        "AWS::Lambda::LayerVersionPermission",
        "{Action: lambda:GetLayerVersion, LayerVersionArn: x, Principal: '*'}",
        "LF1011",
    ),
    ("AWS::Lambda::Version", "{FunctionName: !Ref Fn}", "LF1012"),
    ("AWS::Lambda::Alias", "{FunctionName: !Ref Fn, FunctionVersion: '1', Name: live}", "LF1012"),
    (
        "AWS::Lambda::EventInvokeConfig",
        "{FunctionName: !Ref Fn, Qualifier: $LATEST, MaximumRetryAttempts: 0}",
        "LF1013",
    ),
    (
        "AWS::Serverless::Connector",
        "{Source: {Id: Fn}, Destination: {Type: AWS::SQS::Queue, Arn: x}, Permissions: [Write]}",
        "LF1014",
    ),
    (
        "AWS::Serverless::GraphQLApi",
        "{SchemaInline: 'type Query { a: String }', Auth: {Type: API_KEY}}",
        "LF1015",
    ),
    ("AWS::Serverless::WebSocketApi", "{RouteSelectionExpression: $request.body.action}", "LF1016"),
    ("AWS::Serverless::CapacityProvider", "{VpcConfig: {SubnetIds: [s]}}", "LF1017"),
    ("AWS::Serverless::Application", "{Location: {ApplicationId: a, SemanticVersion: 1.0.0}}", "LF1006"),
    (
        "AWS::Serverless::StateMachine",
        "{Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}",
        "LF1007",
    ),
    ("AWS::Serverless::Api", "{StageName: prod}", "LF1003"),
    ("AWS::Serverless::HttpApi", "{}", "LF1003"),
    ("AWS::Lambda::Url", "{TargetFunctionArn: !Ref Fn, AuthType: NONE}", "LF1004"),
]


@pytest.mark.parametrize(("resource_type", "props", "rule"), RESOURCE_RULES)
def test_resource_type_finding(resource_type: str, props: str, rule: str) -> None:
    text = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  Fn: {Type: AWS::Serverless::Function, Properties: {Handler: a.b, Runtime: python3.12, InlineCode: x}}\n"
        f"  R: {{Type: {resource_type}, Properties: {props}}}\n"
    )
    plan = map_graph(graph(text))
    assert rule in {f.rule for f in plan.findings if f.resource == "R"}


def test_push_sources_declare_their_events_once() -> None:
    # the Permission next to a subscription filter, topic rule or target group is the same invocation path
    resources = """\
  Logs: {Type: AWS::Logs::LogGroup}
  Filter: {Type: AWS::Logs::SubscriptionFilter, Properties: {LogGroupName: !Ref Logs, FilterPattern: '', DestinationArn: !GetAtt Fn.Arn}}
  LogsPermission: {Type: AWS::Lambda::Permission, Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: logs.amazonaws.com, SourceArn: !GetAtt Logs.Arn}}
  Rule: {Type: AWS::IoT::TopicRule, Properties: {TopicRulePayload: {Sql: "SELECT * FROM 't'", Actions: [{Lambda: {FunctionArn: !GetAtt Fn.Arn}}]}}}
  RulePermission: {Type: AWS::Lambda::Permission, Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: iot.amazonaws.com, SourceArn: !GetAtt Rule.Arn}}
  Targets: {Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: {TargetType: lambda, Targets: [{Id: !GetAtt Fn.Arn}]}}
  AlbPermission: {Type: AWS::Lambda::Permission, Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: elasticloadbalancing.amazonaws.com, SourceArn: !Ref Targets}}
"""
    g = graph(CFN_FN + resources)
    assert kinds(g) == ["alb", "cloudwatchlogs", "iotrule"]
    events = {e.kind: e for e in g.functions[0].events}
    assert events["iotrule"].properties["Sql"] == "SELECT * FROM 't'"
