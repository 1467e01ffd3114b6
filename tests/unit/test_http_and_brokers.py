"""HTTP triggers from API Gateway APIs and function URLs, and Kafka / Amazon MQ event sources.

Expected values: the HTTP trigger's ``authLevel`` anonymous|function and ``methods``; App Service CORS
(``siteConfig.cors.allowedOrigins``/``supportCredentials``, which refuses credentials with '*'); the
Kafka trigger's function.json names (brokerList, topic, consumerGroup, protocol saslSsl,
authenticationMode plain|scramSha256|scramSha512, username, password); the RabbitMQ trigger is not
available on Flex Consumption (Microsoft Learn, RabbitMQ trigger overview).
"""

from __future__ import annotations

import textwrap
from typing import Any

from tests.unit.test_triggers import app_settings, one, sam, trigger
from translator.bicep import Ident, render
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan


def rules(plan: AzurePlan, rule: str) -> list[str]:
    return [f.message for f in plan.findings if f.rule == rule]


def site_config(plan: AzurePlan) -> dict[str, Any]:
    return one(plan, "Microsoft.Web/sites").body["properties"]["siteConfig"]


# ---- API Gateway


def test_api_default_authorizer_protects_routes_and_none_opts_out() -> None:
    plan = sam(
        """
        Open:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /public, Method: get, Auth: {Authorizer: NONE}}
        Closed:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /private, Method: get}
        """,
        resources="""
        Api:
          Type: AWS::Serverless::Api
          Properties:
            StageName: prod
            Auth:
              DefaultAuthorizer: Jwt
              Authorizers: {Jwt: {UserPoolArn: arn:aws:cognito-idp:us-east-1:1:userpool/p}}
        """,
    )
    levels = {t.event: t.binding["authLevel"] for t in plan.functions[0].triggers}
    assert levels == {"Open": "anonymous", "Closed": "function"}
    assert len(rules(plan, "LF3013")) == 1
    # the stage name is reported once for the API, not once per route
    assert [m for m in rules(plan, "LF3032") if "StageName" in m] == [
        "API 'Api' StageName: the stage name is not part of the Azure URL: routes are served at "
        "https://<app host>/<path> (host.json extensions.http.routePrefix is empty)"
    ]


def test_api_key_required_by_the_api_needs_a_function_key() -> None:
    plan = sam(
        "Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get}}",
        resources="Api: {Type: AWS::Serverless::Api, Properties: {StageName: p, Auth: {ApiKeyRequired: true}}}",
    )
    assert trigger(plan).binding["authLevel"] == "function"


def test_rest_cors_header_value_becomes_site_cors() -> None:
    plan = sam(
        "Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get}}",
        resources="Api: {Type: AWS::Serverless::Api, Properties: {StageName: p, Cors: \"'https://example.com'\"}}",
    )
    assert site_config(plan)["cors"] == {"allowedOrigins": ["https://example.com"]}


def test_http_api_cors_with_credentials() -> None:
    plan = sam(
        "Get: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /x, Method: get}}",
        resources="""
        Api:
          Type: AWS::Serverless::HttpApi
          Properties:
            CorsConfiguration: {AllowOrigins: [https://a.example, https://b.example], AllowCredentials: true}
        """,
    )
    assert site_config(plan)["cors"] == {
        "allowedOrigins": ["https://a.example", "https://b.example"],
        "supportCredentials": True,
    }


def test_cors_credentials_with_any_origin_are_dropped() -> None:
    plan = sam(
        "Get: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /x, Method: get}}",
        resources="""
        Api:
          Type: AWS::Serverless::HttpApi
          Properties: {CorsConfiguration: {AllowOrigins: ['*'], AllowCredentials: true}}
        """,
    )
    assert site_config(plan)["cors"] == {"allowedOrigins": ["*"]}
    assert rules(plan, "LF3040") == [
        "event 'Get': App Service CORS (siteConfig.cors) is wider than the CORS of API 'Api': credentials are "
        "not allowed: App Service refuses supportCredentials with the origin '*'"
    ]
    assert trigger(plan).disposition is Disposition.APPROXIMATED


def test_routes_methods_and_duplicates() -> None:
    plan = sam(
        """
        Any: {Type: Api, Properties: {Path: '/items/{proxy+}', Method: ANY}}
        Get: {Type: Api, Properties: {Path: '/items/{id}', Method: GET}}
        Again: {Type: Api, Properties: {Path: '/items/{id}', Method: get}}
        Root: {Type: HttpApi}
        """
    )
    bindings = {t.event: t.binding for t in plan.functions[0].triggers}
    assert bindings["Any"] == {"route": "items/{*proxy}", "authLevel": "anonymous"}
    assert bindings["Get"] == {"route": "items/{id}", "authLevel": "anonymous", "methods": ["get"]}
    assert bindings["Root"] == {"route": "{*path}", "authLevel": "anonymous"}
    assert rules(plan, "LF3033") == [
        "event 'Again': the route '/items/{id}' (GET) is already served by another function of this app; "
        "the Functions host rejects or shadows one of them"
    ]


def test_implicit_api_output_is_the_app_url() -> None:
    text = textwrap.dedent(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              CodeUri: src/
              Events:
                Get: {Type: Api, Properties: {Path: /hello, Method: get}}
        Outputs:
          Url:
            Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/hello/"
          Id:
            Value: !Ref ServerlessRestApi
        """
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    outputs = {o.name: render(o.value) for o in plan.outputs}
    site = one(plan, "Microsoft.Web/sites").symbol
    assert outputs["Url"] == f"'https://${{{site}.properties.defaultHostName}}/hello/'"
    assert outputs["Id"] == f"'${{{site}.properties.defaultHostName}}'"
    assert not rules(plan, "LF4003") and not rules(plan, "LF4001")


# ---- function URLs


def test_function_url_auth_none_is_anonymous_with_cors() -> None:
    plan = sam(
        "",
        props="""
        FunctionUrlConfig:
          AuthType: NONE
          Cors: {AllowOrigins: [https://example.com]}
        """,
    )
    found = trigger(plan)
    assert found.binding == {"route": "Fn/{*path}", "authLevel": "anonymous"}
    assert site_config(plan)["cors"] == {"allowedOrigins": ["https://example.com"]}


def test_function_url_iam_needs_a_function_key() -> None:
    plan = sam("", props="FunctionUrlConfig: {AuthType: AWS_IAM}")
    assert trigger(plan).binding["authLevel"] == "function"
    assert rules(plan, "LF3013") == [
        "function URL with AWS_IAM auth becomes a function-key protected HTTP trigger"
    ]


def test_cloudformation_function_url() -> None:
    text = textwrap.dedent(
        """\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Handler: app.handler, Runtime: python3.12, Code: {ZipFile: x}, Role: arn:aws:iam::1:role/r}
          Url:
            Type: AWS::Lambda::Url
            Properties: {TargetFunctionArn: !GetAtt Fn.Arn, AuthType: NONE}
          UrlPermission:
            Type: AWS::Lambda::Permission
            Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunctionUrl, Principal: '*', FunctionUrlAuthType: NONE}
        """
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    found = trigger(plan)
    assert (found.kind, found.binding["authLevel"]) == ("url", "anonymous")
    assert not rules(plan, "LF3010")


# ---- Kafka and Amazon MQ


def test_self_managed_kafka_with_scram_credentials() -> None:
    plan = sam(
        """
        Stream:
          Type: SelfManagedKafka
          Properties:
            KafkaBootstrapServers: ['b1.example:9096', 'b2.example:9096']
            Topics: [orders]
            ConsumerGroupId: billing
            SourceAccessConfigurations:
              - {Type: SASL_SCRAM_512_AUTH, URI: arn:aws:secretsmanager:us-east-1:1:secret:kafka}
        """
    )
    found = trigger(plan)
    assert (found.azure_trigger, found.disposition) == ("kafkaTrigger", Disposition.APPROXIMATED)
    assert found.binding == {
        "brokerList": "%FN_STREAM_KAFKA_BROKERS%",
        "cardinality": "many",
        "dataType": "string",
        "topic": "orders",
        "consumerGroup": "billing",
        "protocol": "saslSsl",
        "authenticationMode": "scramSha512",
        "username": "%FN_STREAM_KAFKA_USERNAME%",
        "password": "%FN_STREAM_KAFKA_PASSWORD%",
    }
    settings = app_settings(plan)
    assert settings["FN_STREAM_KAFKA_BROKERS"] == "b1.example:9096,b2.example:9096"
    assert settings["FN_STREAM_KAFKA_PASSWORD"] == Ident("fnStreamKafkaPassword")
    assert plan_param(plan, "fnStreamKafkaPassword").secure


def plan_param(plan: AzurePlan, name: str) -> Any:
    (found,) = [p for p in plan.params if p.name == name]
    return found


def test_amazon_mq_is_reported_with_service_bus_advice() -> None:
    plan = sam("Mq: {Type: MQ, Properties: {Broker: arn:aws:mq:us-east-1:1:broker:b:id, Queues: [q]}}")
    found = trigger(plan)
    assert (found.kind, found.azure_trigger, found.disposition) == ("mq", None, Disposition.UNSUPPORTED)
    assert [m for m in rules(plan, "LF3001") if "not supported on Flex Consumption" in m]


def test_globals_api_reach_the_implicit_api() -> None:
    text = textwrap.dedent(
        """\
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Api:
            Cors: "'https://example.com'"
            Auth: {ApiKeyRequired: true}
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              CodeUri: src/
              Events:
                Get: {Type: Api, Properties: {Path: /hello, Method: get}}
        """
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    assert trigger(plan).binding["authLevel"] == "function"
    assert site_config(plan)["cors"] == {"allowedOrigins": ["https://example.com"]}


def test_event_shadowed_by_an_existing_integration_is_dropped() -> None:
    # SAM keeps an integration the DefinitionBody already has for the event's route (LF3034)
    text = textwrap.dedent(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Api:
            Type: AWS::Serverless::HttpApi
            Properties:
              DefinitionBody:
                openapi: 3.0.1
                paths:
                  /basic:
                    post:
                      x-amazon-apigateway-integration:
                        type: aws_proxy
                        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Other.Arn}/invocations
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              CodeUri: src/
              Events:
                Shadowed: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /basic, Method: post}}
                Own: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /own, Method: get}}
        """
    )
    graph = parse_document(load_text(text, "t.yaml"))
    (fn,) = graph.functions
    assert [e.name for e in fn.events] == ["Own"]
    # the integration's function 'Other' is not in the template: LF4002 at its line
    assert sorted((f.rule, f.loc.line) for f in graph.findings) == [("LF3034", 21), ("LF4002", 13)]


def test_api_settings_without_a_trigger_counterpart_are_reported_once() -> None:
    plan = sam(
        """
        A: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /a, Method: get}}
        B: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /b, Method: get}}
        """,
        resources="""
        Api:
          Type: AWS::Serverless::Api
          Properties:
            StageName: prod
            BinaryMediaTypes: [image~1png]
            Domain: {DomainName: api.example.com, CertificateArn: arn:aws:acm:us-east-1:1:certificate/c}
            Auth:
              ResourcePolicy: {IpRangeWhitelist: [10.0.0.0/8]}
              UsagePlan: {CreateUsagePlan: PER_API}
        """,
    )
    topics = [m.split(":")[0] for m in rules(plan, "LF3032")]
    assert sorted(topics) == [
        "API 'Api' BinaryMediaTypes",
        "API 'Api' Domain",
        "API 'Api' StageName",
        "API 'Api' resource policy",
        "API 'Api' usage plan",
    ]


def test_root_path_is_served_at_the_site_root() -> None:
    # an empty route falls back to no root route (azure-functions-host #4638); an optional parameter limited
    # to length 0 matches only the root when host.json routePrefix is ''
    plan = sam("Root: {Type: Api, Properties: {Path: /, Method: get}}")
    assert trigger(plan).binding["route"] == "{root:maxlength(0)?}"


def test_implicit_api_served_by_two_apps_is_reported() -> None:
    text = textwrap.dedent(
        """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Small:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              CodeUri: src/
              MemorySize: 128
              Events: {Get: {Type: Api, Properties: {Path: /a, Method: get}}}
          Large:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              CodeUri: src/
              MemorySize: 3000
              Events: {Get: {Type: Api, Properties: {Path: /b, Method: get}}}
        """
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    assert len(plan.apps) == 2
    assert [m for m in rules(plan, "LF3032") if "served by 2 function apps" in m]
