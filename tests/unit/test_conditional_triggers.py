"""Event sources that are on only under a template condition (translator/mapping/triggers.py ``_switch``).

Facts the expected values rest on:

- CloudFormation creates a resource with a ``Condition`` only when the condition holds; an event source
  (an AWS::Events::Rule, an AWS::Lambda::EventSourceMapping, an AWS::SNS::Subscription ...) that is not
  created never invokes the function.
- SAM copies a function's ``Condition`` to every resource it generates for the function's events; a SAM
  event has no Condition of its own (SAM developer guide, "Resource attributes supported by AWS SAM").
  Such functions get their own conditional app (LF4011), so only a Condition that differs from the
  function's needs the switch below.
- Azure Functions turns one function off with the app setting ``AzureWebJobs.<function>.Disabled`` set
  to ``true`` (research/azure-target.md); Bicep's ``string()`` of a bool gives ``'true'``/``'false'``.
- An event source mapping's ``Enabled`` is a Boolean and an EventBridge rule's ``State`` is ENABLED,
  DISABLED or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; both may be written with Fn::If or Ref.
- host.json is a static file, so its ``functionTimeout`` cannot follow a condition; the Flex instance
  size is one value per app.
"""

from __future__ import annotations

import textwrap
from typing import Any

from translator.bicep import render
from translator.emit.bicep import render_main
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan, AzureResource, SettingPlan, TriggerPlan

DISABLED = "app setting AzureWebJobs.<function>.Disabled"

CFN_HEAD = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  OnOff: {Type: String, AllowedValues: ['true', 'false'], Default: 'true'}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsEu: !Equals [!Ref 'AWS::Region', eu-west-1]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
  Q:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
  Fn:
    Type: AWS::Lambda::Function
    {condition}Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: {{ZipFile: "def handler(e, c): pass"}}
{props}"""


def cfn(resources: str, fn_condition: str | None = None, fn_props: str = "") -> AzurePlan:
    """Map a CloudFormation template with one function ``Fn`` and the given resources."""
    head = CFN_HEAD.replace("{{", "{").replace("}}", "}")
    head = head.replace("{condition}", f"Condition: {fn_condition}\n    " if fn_condition else "")
    head = head.replace("{props}", textwrap.indent(textwrap.dedent(fn_props).strip("\n"), "      ") + "\n")
    text = head.rstrip("\n") + "\n" + textwrap.indent(textwrap.dedent(resources).strip("\n"), "  ") + "\n"
    return map_graph(parse_document(load_text(text, "t.yaml")))


def sam(events: str) -> AzurePlan:
    text = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Parameters:\n"
        "  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}\n"
        "  OnOff: {Type: String, AllowedValues: ['true', 'false'], Default: 'true'}\n"
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
        "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: a.h\n      CodeUri: src/\n      Events:\n"
        + textwrap.indent(textwrap.dedent(events).strip("\n"), "        ")
        + "\n"
    )
    return map_graph(parse_document(load_text(text, "t.yaml")))


def app_settings(plan: AzurePlan) -> dict[str, Any]:
    (config,) = [r for r in plan.resources if r.type == "Microsoft.Web/sites/config"]
    return config.body["properties"]


def disabled(plan: AzurePlan, name: str) -> str | None:
    value = app_settings(plan).get(f"AzureWebJobs.{name}.Disabled")
    return value if value is None or isinstance(value, str) else render(value)


def triggers(plan: AzurePlan) -> dict[str, TriggerPlan]:
    return {t.event: t for fn in plan.functions for t in fn.triggers}


def setting(trigger: TriggerPlan, name: str) -> SettingPlan:
    (found,) = [s for s in trigger.settings if s.name == name]
    return found


def resource(plan: AzurePlan, azure_type: str) -> AzureResource:
    (found,) = [r for r in plan.resources if r.type == azure_type]
    return found


def rules(plan: AzurePlan) -> list[str]:
    return sorted(f.rule for f in plan.findings)


# ---- Condition on the resource that declares the event ------------------------------------------------
def test_conditional_schedule_rule_is_a_timer_off_unless_the_condition_holds() -> None:
    # /tmp/ur3 repro conditional-schedule-rule.yaml: the rule and its permission exist only in prod
    plan = cfn(
        """
        Nightly:
          Type: AWS::Events::Rule
          Condition: IsProd
          Properties:
            ScheduleExpression: rate(1 hour)
            Targets: [{Arn: !GetAtt Fn.Arn, Id: t1}]
        Perm:
          Type: AWS::Lambda::Permission
          Condition: IsProd
          Properties:
            FunctionName: !Ref Fn
            Action: lambda:InvokeFunction
            Principal: events.amazonaws.com
            SourceArn: !GetAtt Nightly.Arn
        """
    )
    tick = triggers(plan)["Nightly"]
    assert tick.azure_trigger == "timerTrigger"
    assert disabled(plan, tick.function_name) == "string(!(isProd))"
    assert {v.name: render(v.value) for v in plan.variables}["isProd"] == "(env == 'prod')"
    condition = setting(tick, "Condition")
    assert (condition.disposition, condition.azure_target, condition.rule) == (
        Disposition.CONVERTED,
        DISABLED,
        None,
    )
    assert condition.loc is not None and condition.loc.line == 25  # the Nightly resource
    # the app is not conditional: the function is deployed in every environment, only its trigger is off
    assert resource(plan, "Microsoft.Web/sites").condition is None
    assert "LF3009" not in rules(plan)  # not disabled in the template, only outside prod
    assert f"    'AzureWebJobs.{tick.function_name}.Disabled': string(!(isProd))\n" in render_main(plan)


def test_conditional_sqs_mapping_is_a_service_bus_trigger_off_unless_the_condition_holds() -> None:
    # /tmp/ur3 repro conditional-sqs-mapping.yaml
    plan = cfn(
        """
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Condition: IsProd
          Properties:
            FunctionName: !Ref Fn
            EventSourceArn: !GetAtt Q.Arn
        """
    )
    found = triggers(plan)["Mapping"]
    assert found.azure_trigger == "serviceBusTrigger"
    assert disabled(plan, found.function_name) == "string(!(isProd))"
    assert setting(found, "Condition").disposition is Disposition.CONVERTED
    # the queue itself is unconditional: it and the role on it stay
    assert [r.condition for r in plan.resources if r.type == "Microsoft.ServiceBus/namespaces/queues"] == [
        None
    ]


def test_condition_and_computed_enabled_both_turn_the_trigger_off() -> None:
    plan = cfn(
        """
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Condition: IsProd
          Properties:
            FunctionName: !Ref Fn
            EventSourceArn: !GetAtt Q.Arn
            Enabled: !Ref OnOff
        """
    )
    found = triggers(plan)["Mapping"]
    # a String parameter: CloudFormation reads 'false' as the Boolean false
    assert disabled(plan, found.function_name) == "string(((toLower(onOff) == 'false') || !(isProd)))"
    assert setting(found, "Enabled").disposition is Disposition.CONVERTED
    assert setting(found, "Condition").disposition is Disposition.CONVERTED


def test_literal_disabled_wins_over_the_condition() -> None:
    plan = cfn(
        """
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Condition: IsProd
          Properties:
            FunctionName: !Ref Fn
            EventSourceArn: !GetAtt Q.Arn
            Enabled: false
        """
    )
    found = triggers(plan)["Mapping"]
    assert disabled(plan, found.function_name) == "true"
    assert "LF3009" in rules(plan)


def test_condition_the_function_shares_needs_no_switch() -> None:
    # the whole app is deployed only under IsProd (LF4011); inside it the mapping always exists
    plan = cfn(
        """
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Condition: IsProd
          Properties:
            FunctionName: !Ref Fn
            EventSourceArn: !GetAtt Q.Arn
        """,
        fn_condition="IsProd",
    )
    found = triggers(plan)["Mapping"]
    assert disabled(plan, found.function_name) is None
    assert [s.name for s in found.settings if s.name == "Condition"] == []
    assert render(resource(plan, "Microsoft.Web/sites").condition) == "isProd"


def test_condition_other_than_the_functions_is_a_switch_inside_the_conditional_app() -> None:
    plan = cfn(
        """
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Condition: IsEu
          Properties:
            FunctionName: !Ref Fn
            EventSourceArn: !GetAtt Q.Arn
        """,
        fn_condition="IsProd",
    )
    found = triggers(plan)["Mapping"]
    assert disabled(plan, found.function_name) == "string(!(isEu))"
    assert render(resource(plan, "Microsoft.Web/sites").condition) == "isProd"


def test_conditional_eventbridge_rule_and_sns_subscription_also_condition_their_event_grid_subscriptions() -> (
    None
):
    plan = cfn(
        """
        Sub:
          Type: AWS::SNS::Subscription
          Condition: IsProd
          Properties:
            TopicArn: !Ref Topic
            Protocol: lambda
            Endpoint: !GetAtt Fn.Arn
        Orders:
          Type: AWS::Events::Rule
          Condition: IsEu
          Properties:
            EventPattern: {source: [my.app]}
            Targets: [{Arn: !GetAtt Fn.Arn, Id: t1}]
        """
    )
    found = triggers(plan)
    assert disabled(plan, found["Sub"].function_name) == "string(!(isProd))"
    assert disabled(plan, found["Orders"].function_name) == "string(!(isEu))"
    subscriptions = {
        r.symbol: render(r.condition)
        for r in plan.resources
        if r.type == "Microsoft.EventGrid/topics/eventSubscriptions"
    }
    # Event Grid checks the endpoint when the subscription is made: deployEventSubscriptions, and the
    # subscription exists only where the AWS one would
    assert subscriptions == {
        "fnSubSubscription": "(deployEventSubscriptions && isProd)",
        "fnOrdersSubscription": "(deployEventSubscriptions && isEu)",
    }


def test_undefined_condition_on_the_event_source_leaves_the_trigger_on_and_says_so() -> None:
    plan = cfn(
        """
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Condition: Missing
          Properties:
            FunctionName: !Ref Fn
            EventSourceArn: !GetAtt Q.Arn
        """
    )
    found = triggers(plan)["Mapping"]
    assert disabled(plan, found.function_name) is None
    condition = setting(found, "Condition")
    assert (condition.disposition, condition.rule) == (Disposition.MANUAL, "LF4002")
    # reported once, where the name is written (the parse's reference check)
    assert rules(plan).count("LF4002") == 1
    assert found.disposition is Disposition.MANUAL


# ---- Enabled / State written with Fn::If or Ref -------------------------------------------------------
def test_enabled_if_on_schedule_and_sqs_events_becomes_the_setting_expression() -> None:
    # /tmp/ur3 repro schedule-enabled-if.yaml
    plan = sam(
        """
        Tick:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
            Enabled: !If [IsProd, true, false]
        Q:
          Type: SQS
          Properties:
            Queue: !GetAtt Q.Arn
            Enabled: !If [IsProd, true, false]
        """
    )
    found = triggers(plan)
    # Enabled is true exactly when IsProd holds: the trigger is off when it does not
    assert disabled(plan, found["Tick"].function_name) == "string(!(isProd))"
    assert disabled(plan, found["Q"].function_name) == "string(!(isProd))"
    for name in ("Tick", "Q"):
        enabled = setting(found[name], "Enabled")
        assert (enabled.disposition, enabled.azure_target) == (Disposition.CONVERTED, DISABLED)
        assert [s.name for s in found[name].settings if s.name == "Condition"] == []
    assert "LF3009" not in rules(plan)


def test_enabled_if_with_equal_branches_folds() -> None:
    plan = sam(
        """
        Tick:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
            Enabled: !If [IsProd, false, false]
        """
    )
    assert disabled(plan, triggers(plan)["Tick"].function_name) == "true"


def test_enabled_if_on_in_every_branch_needs_no_setting() -> None:
    plan = sam(
        """
        Tick:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
            Enabled: !If [IsProd, true, !Ref 'AWS::NoValue']
        """
    )
    found = triggers(plan)["Tick"]
    assert disabled(plan, found.function_name) is None
    assert setting(found, "Enabled").disposition is Disposition.CONVERTED


def test_unrenderable_enabled_on_a_conditional_mapping_keeps_the_condition() -> None:
    plan = cfn(
        """
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Condition: IsProd
          Properties:
            FunctionName: !Ref Fn
            EventSourceArn: !GetAtt Q.Arn
            Enabled: !If [IsEu, true, maybe]
        """
    )
    found = triggers(plan)["Mapping"]
    assert disabled(plan, found.function_name) == "string(!(isProd))"
    assert setting(found, "Enabled").disposition is Disposition.MANUAL
    assert setting(found, "Condition").disposition is Disposition.CONVERTED
    assert found.disposition is Disposition.MANUAL


def test_state_if_on_a_rule_becomes_the_setting_expression() -> None:
    plan = cfn(
        """
        Sched:
          Type: AWS::Events::Rule
          Properties:
            State: !If [IsProd, DISABLED, ENABLED]
            ScheduleExpression: rate(1 hour)
            Targets: [{Arn: !GetAtt Fn.Arn, Id: t1}]
        Other:
          Type: AWS::Events::Rule
          Properties:
            State: !If [IsProd, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, DISABLED]
            EventPattern: {source: [my.app]}
            Targets: [{Arn: !GetAtt Fn.Arn, Id: t2}]
        """
    )
    found = triggers(plan)
    assert disabled(plan, found["Sched"].function_name) == "string(isProd)"
    assert disabled(plan, found["Other"].function_name) == "string(!(isProd))"
    assert setting(found["Sched"], "State").disposition is Disposition.CONVERTED


def test_state_from_a_parameter_is_compared_without_case() -> None:
    plan = cfn(
        """
        Sched:
          Type: AWS::Events::Rule
          Properties:
            State: !Ref Env
            ScheduleExpression: rate(1 hour)
            Targets: [{Arn: !GetAtt Fn.Arn, Id: t1}]
        """
    )
    assert disabled(plan, triggers(plan)["Sched"].function_name) == "string((toUpper(env) == 'DISABLED'))"


def test_enabled_branch_that_is_no_boolean_is_an_error_and_left_to_the_user() -> None:
    plan = sam(
        """
        Q:
          Type: SQS
          Properties:
            Queue: !GetAtt Q.Arn
            Enabled: !If [IsProd, true, sometimes]
        """
    )
    found = triggers(plan)["Q"]
    assert disabled(plan, found.function_name) is None
    enabled = setting(found, "Enabled")
    assert (enabled.disposition, enabled.rule) == (Disposition.MANUAL, "LF4018")
    (finding,) = [f for f in plan.findings if f.rule == "LF4018"]
    assert finding.loc is not None and finding.loc.line == 21
    assert found.disposition is Disposition.MANUAL
    assert plan.functions[0].disposition is Disposition.MANUAL


def test_enabled_with_an_untranslatable_intrinsic_is_left_to_the_user() -> None:
    plan = sam(
        """
        Q:
          Type: SQS
          Properties:
            Queue: !GetAtt Q.Arn
            Enabled: !ImportValue SharedSwitch
        """
    )
    found = triggers(plan)["Q"]
    assert disabled(plan, found.function_name) is None
    enabled = setting(found, "Enabled")
    assert enabled.disposition is Disposition.MANUAL
    assert enabled.rule in {f.rule for f in plan.findings}


# ---- app-wide numbers written with Fn::If --------------------------------------------------------------
def test_timeout_if_uses_the_largest_branch() -> None:
    # /tmp/ur3 report: Timeout !If [IsProd, 60, 30] left the app at the 30-minute Flex default
    plan = cfn("", fn_props="Timeout: !If [IsProd, 60, 30]")
    (app,) = plan.apps
    assert app.host_json["functionTimeout"] == "00:01:00"
    (finding,) = [f for f in plan.findings if f.rule == "LF2009" and "Timeout" in f.message]
    assert finding.severity.value == "warning"
    assert finding.message == (
        "Timeout depends on condition IsProd (60 or 30 seconds); host.json functionTimeout is one static value "
        "for the app, so the largest, 60 seconds, is used"
    )


def test_nested_timeout_if_with_no_value_counts_the_lambda_default() -> None:
    plan = cfn("", fn_props="Timeout: !If [IsProd, 20, !If [IsEu, !Ref 'AWS::NoValue', 10]]")
    (app,) = plan.apps
    # AWS::NoValue leaves Lambda's default, 3 seconds; the largest of 20, 3 and 10 is 20
    assert app.host_json["functionTimeout"] == "00:00:20"
    (finding,) = [f for f in plan.findings if f.rule == "LF2009" and "Timeout" in f.message]
    assert "condition IsProd, IsEu (20 or 3 or 10 seconds)" in finding.message


def test_timeout_if_with_a_computed_branch_is_still_not_translated() -> None:
    plan = cfn("", fn_props="Timeout: !If [IsProd, !Ref Env, 30]")
    (app,) = plan.apps
    assert "functionTimeout" not in app.host_json
    assert [f.message for f in plan.findings if f.rule == "LF2009" and "Timeout" in f.message] == [
        "Timeout is not a literal; the app keeps the Flex default (30 minutes)"
    ]


def test_memory_if_uses_the_largest_branch() -> None:
    plan = cfn("", fn_props="MemorySize: !If [IsProd, 3008, 1024]")
    body = resource(plan, "Microsoft.Web/sites").body
    # 3008 MB runs on the 4096 MB Flex instance (the smallest at least as large)
    assert body["properties"]["functionAppConfig"]["scaleAndConcurrency"]["instanceMemoryMB"] == 4096
    messages = [f.message for f in plan.findings if "MemorySize" in f.message]
    assert (
        "MemorySize depends on condition IsProd (3008 or 1024 MB); the Flex instance size is app-wide, so the "
        "largest, 3008 MB, is used"
    ) in messages
    assert "MemorySize 3008 MB runs on 4096 MB Flex instances" in messages
