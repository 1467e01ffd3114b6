"""Undefined names (LF4002), dependency cycles (LF4015) and settings that are not numbers (LF4018).

CloudFormation rejects a template whose Ref, Fn::GetAtt, Fn::Sub variable, DependsOn or condition name
names nothing, and one whose resources depend on each other in a cycle, wherever that is written. So each
case pins the rule and the line of the reference itself, once per mistake: the mapper that later turns
such a value into a Bicep parameter does not report it again. Names that SAM or the Serverless Framework
generate (MyFunctionRole, MyFunction.Version, ServerlessRestApi, HelloLambdaFunction ...) are defined.
"""

from __future__ import annotations

import textwrap

import pytest

from translator.findings import Finding
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.serverless import parse_serverless
from translator.parsers.template import parse_document

#: a SAM function; the case's lines start at line 14, indented as properties of Fn
SAM = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {{Type: String, Default: dev}}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Queue: {{Type: AWS::SQS::Queue}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
{props}
"""


def sam(props: str) -> str:
    return SAM.format(props=textwrap.indent(textwrap.dedent(props), "      "))


def all_findings(text: str, name: str = "t.yaml") -> list[Finding]:
    """Every finding of parse and mapping, as the user sees them."""
    return list(map_graph(parse_document(load_text(text, name))).findings)


def pinned(
    findings: list[Finding], rules: tuple[str, ...] = ("LF4002", "LF4015", "LF4018")
) -> list[tuple[str, int]]:
    return sorted((f.rule, f.loc.line if f.loc else 0) for f in findings if f.rule in rules)


# ---- LF4002: undefined names, wherever they are ------------------------------------------------------
#: (id, properties of Fn, expected (rule, line) findings, text the first finding says)
UNDEFINED = [
    ("role", "Role: !GetAtt Missing.Arn", [("LF4002", 14)], "Fn::GetAtt on 'Missing'"),
    ("memory", "MemorySize: !Ref Nope", [("LF4002", 14)], "Fn.MemorySize: Ref to 'Nope'"),
    ("timeout", "Timeout: !Ref Nope", [("LF4002", 14)], "Fn.Timeout: Ref to 'Nope'"),
    ("layers", "Layers: [!Ref Nope]", [("LF4002", 14)], "Fn.Layers[0]: Ref to 'Nope'"),
    (
        "policy-template",
        "Policies:\n  - SQSSendMessagePolicy:\n      QueueName: !GetAtt Nope.QueueName",
        [("LF4002", 16)],
        "Fn.Policies[0].SQSSendMessagePolicy.QueueName: Fn::GetAtt on 'Nope'",
    ),
    (
        "sqs-event",
        "Events:\n  Q:\n    Type: SQS\n    Properties:\n      Queue: !GetAtt Nope.Arn",
        [("LF4002", 18)],
        "Fn.Events.Q.Properties.Queue: Fn::GetAtt on 'Nope'",
    ),
    (
        "kinesis-event",
        "Events:\n  K:\n    Type: Kinesis\n    Properties:\n      StartingPosition: LATEST\n"
        "      Stream: !GetAtt Nope.Arn",
        [("LF4002", 19)],
        "Fn.Events.K.Properties.Stream: Fn::GetAtt on 'Nope'",
    ),
    (
        "s3-event",
        "Events:\n  S:\n    Type: S3\n    Properties:\n      Events: s3:ObjectCreated:*\n      Bucket: !Ref Nope",
        [("LF4002", 19)],
        "Fn.Events.S.Properties.Bucket: Ref to 'Nope'",
    ),
    # an environment variable: once (the parse), although the mapper also makes it a parameter
    (
        "env-ref",
        "Environment:\n  Variables:\n    A: !Ref Nope",
        [("LF4002", 16)],
        "Variables.A: Ref to 'Nope'",
    ),
    ("env-sub", "Environment:\n  Variables:\n    A: !Sub '${Nope}-x'", [("LF4002", 16)], "Ref to 'Nope'"),
    (
        "env-sub-attr",
        "Environment:\n  Variables:\n    A: !Sub '${Nope.Arn}'",
        [("LF4002", 16)],
        "GetAtt on 'Nope'",
    ),
    ("env-if", "Environment:\n  Variables:\n    A: !If [Nope, a, b]", [("LF4002", 16)], "condition 'Nope'"),
    ("typo-pseudo", "Description: !Ref AWS::Regoin", [("LF4002", 14)], "did you mean 'AWS::Region'?"),
    ("typo-resource", "Description: !GetAtt Queu.Arn", [("LF4002", 14)], "did you mean 'Queue'?"),
    ("getatt-parameter", "Description: !GetAtt Stage.Arn", [("LF4002", 14)], "'Stage', which is a parameter"),
    ("condition-ref", "Description: !If [IsProd, a, !If [Nope, b, c]]", [("LF4002", 14)], "condition 'Nope'"),
]


@pytest.mark.parametrize(
    ("props", "expected", "says"), [c[1:] for c in UNDEFINED], ids=[c[0] for c in UNDEFINED]
)
def test_undefined_name_is_lf4002_at_its_line(props: str, expected: list[tuple[str, int]], says: str) -> None:
    findings = all_findings(sam(props))
    assert pinned(findings) == expected
    (first,) = [f for f in findings if f.rule == "LF4002"]
    assert says in first.message
    assert first.resource == "Fn"


#: references that are defined: by the template, by AWS, or by what SAM generates for Fn
DEFINED = [
    ("parameter", "Description: !Ref Stage"),
    ("pseudo", "Description: !Sub '${AWS::Region}-${AWS::AccountId}'"),
    ("resource", "Description: !GetAtt Queue.Arn"),
    ("condition", "Description: !If [IsProd, a, b]"),
    ("sub-literal-and-map", "Description: !Sub ['${!Literal}-${X}', {X: !Ref Stage}]"),
    ("sam-role", "Description: !GetAtt FnRole.Arn"),
    ("sam-version", "Description: !Ref Fn.Version"),
    ("sam-alias", "AutoPublishAlias: live\nDescription: !Ref Fn.Alias"),
    ("sam-implicit-api", "Description: !Sub 'https://${ServerlessRestApi}.execute-api.example'"),
    ("no-value", "Description: !Ref AWS::NoValue"),
]


@pytest.mark.parametrize("props", [c[1] for c in DEFINED], ids=[c[0] for c in DEFINED])
def test_defined_or_generated_name_is_not_reported(props: str) -> None:
    assert pinned(all_findings(sam(props))) == []


def test_references_outside_functions() -> None:
    text = textwrap.dedent(
        """\
        Transform: AWS::Serverless-2016-10-31
        Conditions:
          IsProd: !Equals [!Ref Stage, prod]
        Globals:
          Function:
            Tracing: !Ref GlobalNope
        Resources:
          Q:
            Type: AWS::SQS::Queue
            DependsOn: [NotThere]
            Condition: NoCondition
        Outputs:
          O:
            Value: !GetAtt OutNope.Arn
          P:
            Condition: NoCondition2
            Value: x
        """
    )
    findings = all_findings(text)
    assert pinned(findings) == [
        ("LF4002", 3),  # Conditions: Ref Stage, no such parameter
        ("LF4002", 6),  # Globals
        ("LF4002", 10),  # DependsOn
        ("LF4002", 11),  # a resource's Condition
        ("LF4002", 14),  # an output's value
        ("LF4002", 16),  # an output's Condition
    ]
    by_line = {f.loc.line: f.message for f in findings if f.rule == "LF4002"}
    assert by_line[10] == "Q.DependsOn: DependsOn 'NotThere', which is not a resource of the template"
    assert by_line[16] == "Outputs.P: condition 'NoCondition2' is not defined in Conditions"


def test_a_macro_template_is_not_checked() -> None:
    # a macro other than SAM may add any name: nothing is reported as undefined
    text = "Transform: [AWS::Serverless-2016-10-31, MyMacro]\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n"
    text += "    DependsOn: MadeByTheMacro\n"
    assert pinned(all_findings(text)) == []


# ---- serverless.yml ---------------------------------------------------------------------------------
SERVERLESS = """\
service: shop
provider:
  name: aws
  runtime: python3.12
  environment:
    TABLE: ${{self:custom.table}}
    ROLE: !GetAtt IamRoleLambdaExecution.Arn
custom:
  table: orders
functions:
  hello:
    handler: app.handler
    role: {role}
    events:
      - sqs: {{arn: !GetAtt Jobs.Arn}}
resources:
  Resources:
    Jobs: {{Type: AWS::SQS::Queue}}
    Alarm:
      Type: AWS::CloudWatch::Alarm
      Properties:
        AlarmActions: [!Ref HelloLambdaFunction, !Ref ApiGatewayRestApi, !Ref HelloLogGroup]
        Dimensions: [!GetAtt Missing.Arn]
"""


def test_serverless_framework_names_are_defined_and_a_missing_one_is_lf4002() -> None:
    text = SERVERLESS.format(role="!GetAtt Nope.Arn")
    graph = parse_serverless(load_text(text, "serverless.yml"))
    findings = list(map_graph(graph).findings)
    # ${self:...}, the framework's role, function, API and log group ids are not reported; 'Nope' (the
    # function's role) and 'Missing' are
    assert pinned(findings) == [("LF4002", 13), ("LF4002", 23)]


# ---- LF4015: cycles ------------------------------------------------------------------------------------
CYCLES = [
    (
        "depends-on",
        "  A: {Type: AWS::SQS::Queue, DependsOn: B}\n  B: {Type: AWS::SQS::Queue, DependsOn: [A]}\n",
        [("LF4015", 3)],
        "'A' is part of the cycle A -> B -> A (DependsOn B)",
    ),
    (
        "getatt-and-sub",
        "  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: {deadLetterTargetArn: !GetAtt B.Arn}\n"
        "  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub '${A.QueueName}-dlq'\n",
        [("LF4015", 6)],
        "cycle A -> B -> A (Fn::GetAtt B)",
    ),
    (
        "self",
        "  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !GetAtt T.TopicName\n",
        [("LF4015", 6)],
        "'T' refers to itself (Fn::GetAtt T)",
    ),
    (
        "function-env-self",
        "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n"
        "      Handler: app.handler\n      CodeUri: src/\n      Environment: {Variables: {ME: !Ref Fn}}\n",
        [("LF4015", 9)],
        "'Fn' refers to itself (Ref Fn)",
    ),
]


@pytest.mark.parametrize(
    ("resources", "expected", "says"), [c[1:] for c in CYCLES], ids=[c[0] for c in CYCLES]
)
def test_cycle_is_lf4015_once(resources: str, expected: list[tuple[str, int]], says: str) -> None:
    text = "Transform: AWS::Serverless-2016-10-31\nResources:\n" + resources
    findings = all_findings(text)
    assert pinned(findings) == expected
    (finding,) = [f for f in findings if f.rule == "LF4015"]
    assert says in finding.message


def test_events_of_a_sam_function_close_no_cycle() -> None:
    # SAM compiles Events into other resources: the queue's policy naming the function and the function's
    # SQS event naming the queue are no cycle for CloudFormation
    text = sam(
        "Events:\n  Q:\n    Type: SQS\n    Properties:\n      Queue: !GetAtt Jobs.Arn\n"
    ) + textwrap.indent(
        "Jobs:\n  Type: AWS::SQS::Queue\n  Properties:\n    Tags: [{Key: fn, Value: !GetAtt Fn.Arn}]\n", "  "
    )
    assert pinned(all_findings(text)) == []


def test_a_long_cycle_is_found_without_recursion() -> None:
    # 3000 resources that depend on the next one, the last on the first: one finding, no RecursionError
    n = 3000
    lines = ["Resources:"] + [
        f"  R{i}: {{Type: AWS::SQS::Queue, DependsOn: R{(i + 1) % n}}}" for i in range(n)
    ]
    findings = all_findings("\n".join(lines) + "\n")
    (finding,) = [f for f in findings if f.rule == "LF4015"]
    assert finding.loc.line == 2
    assert finding.message.startswith("R0.DependsOn: 'R0' is part of the cycle R0 -> R1 -> ")
    assert "(3000 resources)" in finding.message


# ---- LF4018: a setting that takes a number has something else ----------------------------------------
NUMBERS = [
    ("memory-text", "MemorySize: big", ("LF4018", 14), "MemorySize 'big' is not a whole number of MB"),
    ("timeout-text", 'Timeout: "abc"', ("LF4018", 14), "Timeout 'abc' is not a whole number of seconds"),
    ("timeout-bool", "Timeout: true", ("LF4018", 14), "Timeout true is not a whole number of seconds"),
    ("timeout-list", "Timeout: [3]", ("LF4018", 14), "Timeout (a list) is not a whole number of seconds"),
    ("reserved-text", "ReservedConcurrentExecutions: lots", ("LF4018", 14), "'lots' is not a whole number"),
    ("ephemeral", "EphemeralStorage: {Size: huge}", ("LF4018", 14), "EphemeralStorage.Size 'huge' is not"),
    # an expression is only unknown offline: not a literal (LF2009), not a wrong value
    ("timeout-ref", "Timeout: !Ref Stage", ("LF2009", 14), "Timeout is not a literal"),
]


@pytest.mark.parametrize(("props", "expected", "says"), [c[1:] for c in NUMBERS], ids=[c[0] for c in NUMBERS])
def test_setting_that_is_not_a_number(props: str, expected: tuple[str, int], says: str) -> None:
    findings = all_findings(sam(props))
    found = [(f.rule, f.loc.line, f.message) for f in findings if f.rule in ("LF2009", "LF4018")]
    assert [(rule, line) for rule, line, _ in found] == [expected]
    assert says in found[0][2]
