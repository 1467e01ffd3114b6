"""Templates AWS's SAM translator or CloudFormation rejects are reported, with the line to fix.

Expected values follow the SAM specification (the property names of each AWS::Serverless resource and
event type, as in the SAM JSON schema) and the error messages of the SAM translator's own error tests
(corpus reference/sam-translator-output/error_*.json): "property SomeProperty not defined for resource of
type AWS::Serverless::Api", "Property 'DefinitionBody' should be a map", "Unable to add Cors configuration
because 'AllowCredentials' can not be true when 'AllowOrigin' is \"'*'\" or not set", "Logical ids must be
alphanumeric". CloudFormation: a logical id is alphanumeric (A-Za-z0-9); a parameter's Default is a string.
"""

from __future__ import annotations

import textwrap

import pytest

from translator.findings import Finding
from translator.load import load_text
from translator.parsers.template import parse_document


def findings(text: str, *rules: str) -> list[Finding]:
    graph = parse_document(load_text(textwrap.dedent(text), "t.yaml"))
    return [f for f in graph.findings if f.rule in rules]


def api(properties: str, globals_: str = "") -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        + globals_
        + "Resources:\n  MyApi:\n    Type: AWS::Serverless::Api\n    Properties:\n"
        + textwrap.indent(textwrap.dedent(properties).strip("\n"), " " * 6)
        + "\n"
    )


def test_unknown_api_property_is_lf0012_at_its_line() -> None:
    (finding,) = findings(api("StageName: Prod\nSomeProperty: x\n"), "LF0012", "LF4018")
    assert finding.severity.value == "warning"
    assert finding.loc is not None and finding.loc.line == 7
    assert finding.resource == "MyApi"
    assert "'SomeProperty' is not a property SAM defines" in finding.message
    assert "did you mean" not in finding.message


def test_misspelt_property_names_the_right_spelling() -> None:
    text = """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: app.handler
              Runtime: python3.12
              CodeUri: src/
              Events:
                Get:
                  Type: Api
                  Properties:
                    path: /items
                    Method: get
                Web:
                  Type: HttpApi
                  Properties:
                    Path: /x
                    Methd: get
        """
    got = [(f.loc.line if f.loc else 0, f.message) for f in findings(text, "LF0012")]
    assert got == [
        (
            13,
            "event 'Get' (Api) of 'Fn': 'path' is not a property SAM defines (did you mean 'Path'?); "
            "SAM rejects the template",
        ),
        (
            19,
            "event 'Web' (HttpApi) of 'Fn': 'Methd' is not a property SAM defines (did you mean "
            "'Method'?); SAM rejects the template",
        ),
    ]


def test_nested_object_keys_are_checked() -> None:
    # Domain.Route53 is an object SAM checks key by key
    text = api(
        "StageName: Prod\nDomain:\n  DomainName: a.example.com\n  CertificateArn: arn\n"
        "  Route53:\n    HostedZoneId: Z1\n    IpV7: true\n"
    )
    (finding,) = findings(text, "LF0012")
    assert "'Domain.Route53.IpV7' is not a property SAM defines (did you mean 'IpV6'?)" in finding.message
    assert finding.loc is not None and finding.loc.line == 12


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        (
            "StageName: Prod\nDefinitionBody: Hello world",
            "'DefinitionBody' is 'Hello world' where SAM expects a mapping",
        ),
        ("StageName: Prod\nModels: [a, b]", "'Models' is a list where SAM expects a mapping"),
        (
            "StageName: Prod\nAuth:\n  DefaultAuthorizer: [a]",
            "'Auth.DefaultAuthorizer' is a list where SAM expects text",
        ),
        (
            "StageName: Prod\nMergeDefinitions: maybe",
            "'MergeDefinitions' is 'maybe' where SAM expects true or false",
        ),
    ],
)
def test_value_of_the_wrong_kind_is_lf4018(properties: str, message: str) -> None:
    (finding,) = findings(api(properties), "LF4018", "LF0012")
    assert finding.rule == "LF4018" and finding.severity.value == "error"
    assert message in finding.message


@pytest.mark.parametrize(
    "properties",
    [
        "StageName: Prod\nMergeDefinitions: 'true'",  # CloudFormation passes scalars as text
        "StageName: Prod\nEndpointConfiguration: REGIONAL",  # SAM takes the type name as text
        "StageName: !Ref Stage\nDefinitionBody: !Ref Body",  # an intrinsic is known at deployment
        "StageName: Prod\nTags:",  # empty: SAM takes it as not set
    ],
)
def test_values_sam_accepts_are_not_reported(properties: str) -> None:
    assert findings(api(properties), "LF4018", "LF0012") == []


def test_globals_section_property_sam_does_not_take() -> None:
    text = api("StageName: Prod\n", "Globals:\n  Api:\n    StageName: Prod\n    TracingEnabled: true\n")
    (finding,) = findings(text, "LF0012")
    assert finding.message == "Globals.Api.StageName is not a property SAM takes in Globals"
    assert finding.loc is not None and finding.loc.line == 4


@pytest.mark.parametrize(
    ("cors", "globals_", "shown", "line"),
    [
        ("Cors:\n  AllowOrigin: \"'*'\"\n  AllowCredentials: true\n", "", "is '*'", 9),
        ("", "Globals:\n  Api:\n    Cors:\n      AllowCredentials: true\n", "is not set", 5),
    ],
)
def test_cors_credentials_with_any_origin_is_lf3035(cors: str, globals_: str, shown: str, line: int) -> None:
    (finding,) = findings(api("StageName: Prod\n" + cors, globals_), "LF3035")
    assert finding.severity.value == "warning"
    assert f"AllowCredentials is true while AllowOrigin {shown}" in finding.message
    assert finding.loc is not None and finding.loc.line == line


def test_cors_credentials_with_listed_origin_is_fine() -> None:
    text = api("StageName: Prod\nCors:\n  AllowOrigin: \"'https://a.example'\"\n  AllowCredentials: true\n")
    assert findings(text, "LF3035") == []


def test_logical_id_that_is_not_alphanumeric_is_lf0013() -> None:
    text = """\
        Parameters:
          Stage-Name: {Type: String}
        Resources:
          Bad-Function:
            Type: AWS::Lambda::Function
            Properties: {Handler: a.b, Runtime: python3.12, Role: arn, Code: {ZipFile: x}}
          Good1:
            Type: AWS::SQS::Queue
        """
    got = [(f.loc.line if f.loc else 0, f.severity.value, f.message) for f in findings(text, "LF0013")]
    assert got == [
        (
            2,
            "error",
            "parameter logical id 'Stage-Name' is not alphanumeric (A-Z, a-z, 0-9); CloudFormation "
            "rejects the template",
        ),
        (
            4,
            "error",
            "resource logical id 'Bad-Function' is not alphanumeric (A-Z, a-z, 0-9); CloudFormation "
            "rejects the template",
        ),
    ]


def test_sam_property_check_does_not_touch_plain_cloudformation() -> None:
    text = """\
        Resources:
          Q:
            Type: AWS::SQS::Queue
            Properties: {SomeProperty: 1}
        """
    assert findings(text, "LF0012", "LF4018") == []


def test_parameter_default_that_is_a_list_is_lf4018() -> None:
    text = """\
        Parameters:
          Names:
            Type: CommaDelimitedList
            Default:
              - a
              - b
          Good:
            Type: CommaDelimitedList
            Default: a,b
        Resources:
          Q:
            Type: AWS::SQS::Queue
        """
    got = [(f.loc.line if f.loc else 0, f.message) for f in findings(text, "LF4018")]
    assert got == [
        (
            4,
            "parameter 'Names': Default is a list; CloudFormation requires text (a list type takes "
            "comma-separated text) and rejects the template",
        )
    ]


def http_api(properties: str) -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  MyApi:\n    Type: AWS::Serverless::HttpApi\n"
        "    Properties:\n" + textwrap.indent(textwrap.dedent(properties).strip("\n"), " " * 6) + "\n"
    )


def test_http_api_cors_configuration_keys_and_kinds() -> None:
    # SAM: "Invalid key 'AllowOrigin' for 'Cors' property"; CorsConfiguration may also be true
    text = http_api("CorsConfiguration:\n  AllowOrigin: [https://a.example]\n  AllowCredentials: true\n")
    (finding,) = findings(text, "LF0012", "LF4018")
    assert "'CorsConfiguration.AllowOrigin' is not a property SAM defines (did you mean 'AllowOrigins'?)" in (
        finding.message
    )
    assert findings(http_api("CorsConfiguration: true"), "LF0012", "LF4018") == []
    (wrong,) = findings(http_api("RouteSettings: [a]"), "LF4018")
    assert "'RouteSettings' is a list where SAM expects a mapping" in wrong.message


def test_mutual_tls_fields_are_checked() -> None:
    text = http_api(
        "Domain:\n  DomainName: a.example.com\n  CertificateArn: arn\n"
        "  MutualTlsAuthentication:\n    TruststoreUri: s3://b/k\n    TruststoreVersionWrong: 1\n"
    )
    (finding,) = findings(text, "LF0012")
    assert "(did you mean 'TruststoreVersion'?)" in finding.message


@pytest.mark.parametrize(
    ("properties", "message", "line"),
    [
        (
            "StageName: Prod\nDefinitionUri: s3://b/k\nDefinitionBody: {swagger: '2.0'}\n",
            "'DefinitionBody' and 'DefinitionUri' cannot be used together",
            8,
        ),
        (
            "StageName: Prod\nDefinitionUri: s3://b/k\nCors: \"'*'\"\n",
            "Cors works only with an inline DefinitionBody, not with DefinitionUri",
            8,
        ),
        (
            "StageName: Prod\nEndpointConfiguration:\n  Type: PRIVATE\n  VPCEndpointIds: [a]\n"
            "  VpcEndpointIds: [b]\n",
            "'EndpointConfiguration.VPCEndpointIds' and 'EndpointConfiguration.VpcEndpointIds' cannot be used "
            "together",
            10,
        ),
    ],
)
def test_properties_sam_refuses_together_are_lf0014(properties: str, message: str, line: int) -> None:
    (finding,) = findings(api(properties), "LF0014")
    assert finding.severity.value == "warning"
    assert message in finding.message
    assert finding.loc is not None and finding.loc.line == line


def test_definition_uri_alone_with_settings_sam_generates_is_fine() -> None:
    assert findings(api("StageName: Prod\nDefinitionUri: s3://b/k\nTracingEnabled: true\n"), "LF0014") == []
    assert findings(api("StageName: Prod\nCors: \"'*'\"\n"), "LF0014") == []


def test_openapi_parts_that_are_not_mappings_are_lf4018() -> None:
    text = api(
        """\
        StageName: Prod
        DefinitionBody:
          swagger: '2.0'
          securityDefinitions: [a]
          paths:
            /ok:
              get:
                responses:
                  '200':
                    headers: {X-A: {type: string}}
            /empty:
            /text: invalid
            /options:
              options:
                responses: invalid
        """
    )
    got = [(f.loc.line if f.loc else 0, f.message.split(": ", 1)[1]) for f in findings(text, "LF4018")]
    assert got == [
        (9, "securityDefinitions is a list where OpenAPI requires a mapping; SAM rejects the template"),
        (16, "path '/empty' is empty where OpenAPI requires a mapping; SAM rejects the template"),
        (17, "path '/text' is 'invalid' where OpenAPI requires a mapping; SAM rejects the template"),
        (
            20,
            "responses of options /options is 'invalid' where OpenAPI requires a mapping; SAM rejects the template",
        ),
    ]


@pytest.mark.parametrize(
    ("response", "shown"),
    [
        ("StatusCode: 200", "a number"),
        ("DEFAULT_4XX: !Select [0, [{StatusCode: 400}]]", "an intrinsic function"),
    ],
)
def test_gateway_response_that_is_not_a_mapping_is_lf4018(response: str, shown: str) -> None:
    text = api(f"StageName: Prod\nGatewayResponses:\n  DEFAULT_5XX: {{StatusCode: 500}}\n  {response}\n")
    (finding,) = findings(text, "LF4018")
    assert (
        f"'GatewayResponses.{response.split(':')[0]}' is {shown} where SAM expects a mapping"
        in finding.message
    )
    assert finding.loc is not None and finding.loc.line == 9
