"""Step Functions state machines: what they invoke, what starts them, their policies and their waves."""

from __future__ import annotations

from pathlib import Path

from translator.api import convert, plan
from translator.findings import Finding
from translator.load import load_text
from translator.parsers.template import parse_document
from translator.plan import AzurePlan

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Validate:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: v.handler, CodeUri: src/}
  Charge:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: c.handler, CodeUri: src/}
  Alone:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: a.handler, CodeUri: src/}
  OrderFlow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: STANDARD
      Definition:
        StartAt: Validate
        States:
          Validate:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters: {FunctionName: "${ValidateArn}"}
            Next: Charge
          Charge: {Type: Task, Resource: "${ChargeArn}", End: true}
      DefinitionSubstitutions:
        ValidateArn: !GetAtt Validate.Arn
        ChargeArn: !GetAtt Charge.Arn
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Validate
        - CloudWatchPutMetricPolicy: {}
      Events:
        Start:
          Type: Api
          Properties:
            Path: /orders
            Method: post
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
"""


def _plan(text: str) -> AzurePlan:
    return plan(parse_document(load_text(text, "template.yaml")))


def _findings(p: AzurePlan, rule: str) -> list[Finding]:
    return [f for f in p.findings if f.rule == rule]


def test_lf1007_says_what_the_state_machine_invokes_and_what_starts_it() -> None:
    [found] = _findings(_plan(SAM), "LF1007")
    assert found.message == (
        "AWS::Serverless::StateMachine 'OrderFlow' (STANDARD) invokes Charge, Validate; started by Api POST "
        "/orders, Schedule rate(1 day); not translated: rewrite it as a Durable Functions orchestration with "
        "Charge, Validate as its activity functions in one function app (Microsoft's guidance for "
        "Lambda-centric workflows), or a Logic App that calls them"
    )
    assert found.loc is not None and found.loc.line == 12


def test_each_event_that_starts_a_state_machine_is_a_warning_at_its_line() -> None:
    found = _findings(_plan(SAM), "LF1020")
    assert [(f.loc.line if f.loc else 0, f.severity.value, f.resource) for f in found] == [
        (33, "warning", "OrderFlow"),
        (38, "warning", "OrderFlow"),
    ]
    assert found[0].message == (
        "event 'Start' (Api POST /orders) starts state machine 'OrderFlow', which has no Azure counterpart "
        "here: the route is not translated and is lost unless something starts what replaces the state "
        "machine: an HTTP triggered function on that route that starts the orchestration (a Durable "
        "Functions client), or the Logic App's Request trigger"
    )
    assert "the schedule is not translated" in found[1].message
    assert "a timer triggered function on that schedule" in found[1].message


def test_each_policy_of_a_state_machine_is_reported() -> None:
    found = _findings(_plan(SAM), "LF1021")
    assert [f.loc.line if f.loc else 0 for f in found] == [29, 31]
    assert found[0].message.startswith(
        "policy LambdaInvokePolicy of state machine 'OrderFlow' lets it invoke Validate: an orchestration "
        "calls its activity functions inside the function app"
    )
    assert found[1].message == (
        "policy CloudWatchPutMetricPolicy of state machine 'OrderFlow' is not translated: give what replaces "
        "the state machine the same access on Azure"
    )


def test_functions_one_state_machine_invokes_move_in_one_wave() -> None:
    waves = _plan(SAM).migration.waves
    by_functions = {w.functions: w for w in waves}
    assert set(by_functions) == {("Alone",), ("Charge", "Validate")}
    assert by_functions[("Charge", "Validate")].reason == "state machine OrderFlow invokes Charge, Validate"


def test_cloudformation_state_machine_reaches_functions_through_definition_string_and_role() -> None:
    text = """\
Resources:
  A:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: a.h, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}}
  B:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: b.h, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}}
  C:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: c.h, Role: arn:aws:iam::1:role/x, Code: {ZipFile: x}}
  MachineRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: states.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: invoke
          PolicyDocument:
            Statement: [{Effect: Allow, Action: lambda:InvokeFunction, Resource: !GetAtt B.Arn}]
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: !GetAtt MachineRole.Arn
      DefinitionString: !Sub '{"StartAt":"a","States":{"a":{"Type":"Task","Resource":"${A.Arn}","End":true}}}'
"""
    p = _plan(text)
    [found] = _findings(p, "LF1007")
    assert found.message.startswith("AWS::StepFunctions::StateMachine 'Machine' invokes A, B; not translated")
    assert {w.functions for w in p.migration.waves} == {("A", "B"), ("C",)}


def test_api_whose_routes_start_a_state_machine_is_a_warning_not_http_triggers() -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/flow.asl.json
      Type: EXPRESS
  Api:
    Type: AWS::Serverless::HttpApi
  ApiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: [apigateway.amazonaws.com]}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: start
          PolicyDocument:
            Statement: [{Effect: Allow, Action: states:StartSyncExecution, Resource: !GetAtt Flow.Arn}]
"""
    p = _plan(text)
    assert not [f for f in _findings(p, "LF1003") if f.resource == "Api"]
    [found] = [f for f in _findings(p, "LF1020") if f.resource == "Api"]
    assert found.message == (
        "AWS::Serverless::HttpApi 'Api' starts state machine 'Flow' (role 'ApiRole' that API Gateway assumes "
        "to start it) and no function of this template is behind its routes: its routes go to the state "
        "machine and are not translated"
    )
    [machine] = _findings(p, "LF1007")
    assert machine.message == (
        "AWS::Serverless::StateMachine 'Flow' (EXPRESS) invokes no function of this template (its definition "
        "is in statemachine/flow.asl.json); not translated: rewrite it as a Durable Functions orchestration "
        "(Microsoft's guidance for Lambda-centric workflows) or a Logic App"
    )


def test_api_with_a_function_route_keeps_lf1003() -> None:
    text = SAM.replace(
        "        Start:\n          Type: Api\n          Properties:\n",
        "        Start:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Gw\n",
    ) + (
        "  Gw:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: prod}\n"
        "  Front:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.12\n      Handler: f.h\n      CodeUri: src/\n"
        "      Events:\n        Get: {Type: Api, Properties: {RestApiId: !Ref Gw, Path: /x, Method: get}}\n"
    )
    p = _plan(text)
    assert [f.resource for f in _findings(p, "LF1003")] == ["Gw"]
    assert "Gw" not in {f.resource for f in _findings(p, "LF1020")}


def test_serverless_step_functions_state_machine_is_reported_and_joins_its_functions(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(
        """\
service: shop
provider: {name: aws, runtime: python3.12}
plugins: [serverless-step-functions]
functions:
  check: {handler: h.check}
  redact: {handler: h.redact}
  other: {handler: h.other}
stepFunctions:
  stateMachines:
    review:
      events:
        - http:
            path: comments/add
            method: POST
        - schedule: rate(1 hour)
      definition:
        StartAt: Check
        States:
          Check: {Type: Task, Resource: {Fn::GetAtt: [check, Arn]}, Next: Redact}
          Redact: {Type: Task, Resource: {Fn::GetAtt: [redact, Arn]}, End: true}
""",
        encoding="utf-8",
    )
    p = convert(path).plan
    machine = [
        f for f in p.findings if f.rule == "LF1007" and f.resource == "ReviewStepFunctionsStateMachine"
    ]
    assert [f.message for f in machine] == [
        "AWS::StepFunctions::StateMachine 'ReviewStepFunctionsStateMachine' invokes check, redact; started by "
        "Api POST /comments/add, Schedule rate(1 hour); not translated: rewrite it as a Durable Functions "
        "orchestration with check, redact as its activity functions in one function app (Microsoft's "
        "guidance for Lambda-centric workflows), or a Logic App that calls them"
    ]
    assert machine[0].loc is not None and machine[0].loc.line == 10
    assert [f.loc.line if f.loc else 0 for f in p.findings if f.rule == "LF1020"] == [12, 15]
    assert {w.functions for w in p.migration.waves} == {("check", "redact"), ("other",)}
