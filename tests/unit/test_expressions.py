"""CloudFormation values (literals and intrinsics) -> Bicep expressions (translator/mapping/expressions.py).

Each value is put into a function's ``Environment.Variables.X`` (or into an output) of a tiny SAM
template; the whole pipeline runs (load, parse, map) and the app setting or output is rendered with
``translator.bicep.render``. Expected texts follow CloudFormation semantics:

- ``Ref`` to a parameter is the parameter; to a pseudo parameter the nearest Azure value (region ->
  ``location``, account -> subscription id, stack name -> azd environment name); ``AWS::NoValue``
  removes the property.
- ``Fn::Sub``/``Fn::Join`` are string interpolation; ``${!Literal}`` is the literal text ``${Literal}``
  (which Bicep must escape as ``\\${``).
- Conditions are named booleans (Bicep ``var``); ``Fn::If`` is a ternary on them.
- Mapped resources render as their Azure counterparts: SQS queue URL -> Service Bus queue URL
  ``https://<namespace>.servicebus.windows.net/<queue>``, queue name/ARN -> name/resource id; DynamoDB
  table name -> Cosmos DB container name; S3 bucket name -> blob container name; SNS topic ARN (its
  ``Ref``) -> Event Grid topic resource id.
- Anything else becomes a Bicep parameter with finding LF4001 (LF4002 for undefined names, LF4005 for
  condition cycles), never text pasted into the output.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from translator.bicep import Ident, render
from translator.findings import Finding
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan, BicepParam

PARAMETERS = """
Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
    Description: Deployment stage
  Size:
    Type: Number
    Default: 5
    MinValue: 1
    MaxValue: 10
  Names:
    Type: CommaDelimitedList
    Default: a,b
  Secret:
    Type: String
    NoEcho: true
    Default: hunter2
  Short:
    Type: String
    MinLength: 2
    MaxLength: 8
  Unused:
    Type: String
    Default: never-referenced
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  ProdOrDev: !Or [!Condition IsProd, !Equals [!Ref Stage, dev]]
  ProdAndBig: !And [!Condition IsProd, !Equals [!Ref Size, 5]]
  LoopA: !Condition LoopB
  LoopB: !Condition LoopA
Mappings:
  Sizes:
    dev: {mem: "128"}
    prod: {mem: "1024"}
"""

RESOURCES = """
  OrdersQueue:
    Type: AWS::SQS::Queue
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
  UploadsBucket:
    Type: AWS::S3::Bucket
  AlertsTopic:
    Type: AWS::SNS::Topic
  WorkerRole:
    Type: AWS::IAM::Role
"""


def build(value: str | None = None, outputs: str = "", variables: dict[str, str] | None = None) -> AzurePlan:
    """Map a SAM template whose one function has ``Environment.Variables.X: <value>`` (and ``variables``)."""
    env_vars = dict(variables or {})
    if value is not None:
        env_vars["X"] = value
    env = ""
    if env_vars:
        env = "      Environment:\n        Variables:\n" + "".join(
            f"          {k}: {v}\n" for k, v in env_vars.items()
        )
    text = (
        "Transform: AWS::Serverless-2016-10-31\n"
        + textwrap.dedent(PARAMETERS).strip("\n")
        + "\nResources:"
        + RESOURCES
        + "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        + "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
        + env
        + outputs
    )
    return map_graph(parse_document(load_text(text, "t.yaml")))


def app_settings(plan: AzurePlan) -> dict:
    (config,) = [r for r in plan.resources if r.type == "Microsoft.Web/sites/config"]
    return config.body["properties"]


def setting(value: str) -> tuple[str, AzurePlan]:
    plan = build(value)
    return render(app_settings(plan)["X"]), plan


def semantic(text: str) -> str:
    """The value inside an app setting's ``string(...)`` conversion.

    App settings are strings, so ``Expressions.string`` wraps every value it cannot prove to be a string
    in ``string()``; for a string value that is the same text. The tables state the value itself; the
    conversions that matter (int parameters) are pinned exactly in their own tests.
    """
    if text.startswith("string(") and text.endswith(")"):
        return text[len("string(") : -1]
    return text


def rules(plan: AzurePlan) -> set[str]:
    return {f.rule for f in plan.findings}


def param(plan: AzurePlan, name: str) -> BicepParam:
    found = [p for p in plan.params if p.name == name]
    assert found, f"param {name} not declared: {[p.name for p in plan.params]}"
    return found[0]


def variables(plan: AzurePlan) -> dict[str, str]:
    return {v.name: render(v.value) for v in plan.variables}


QUEUE_URL = "'https://${serviceBus.name}.servicebus.windows.net/${ordersQueue.name}'"

# (CloudFormation value as YAML, expected Bicep text of the app setting)
CASES: list[tuple[str, str]] = [
    # literals (always strings in app settings; Bicep escaping of ' and ${)
    ("plain", "'plain'"),
    ("42", "'42'"),
    ("true", "'true'"),
    ('"it\'s ${notAnExpression}"', "'it\\'s \\${notAnExpression}'"),
    # Ref to template parameters
    ("!Ref Stage", "stage"),
    ("!Ref Size", "size"),
    ("!Join [',', !Ref Names]", "join(names, ',')"),
    # pseudo parameters
    ("!Ref AWS::Region", "location"),
    ("!Ref AWS::AccountId", "subscription().subscriptionId"),
    ("!Ref AWS::StackName", "environmentName"),
    # Fn::Sub: short form, long form with variables, ${!Literal}, no placeholder at all
    ("!Sub '${AWS::Region}-${Stage}'", "'${location}-${stage}'"),
    ("!Sub ['${Name}-x', {Name: !Ref Stage}]", "'${stage}-x'"),
    ("!Sub '${!Literal}-${Stage}'", "'\\${Literal}-${stage}'"),
    ("!Sub 'no-placeholders'", "'no-placeholders'"),
    ("!Sub 'https://${OrdersQueue.QueueName}/x'", "'https://${ordersQueue.name}/x'"),
    # Fn::Join of literals and references: one interpolation
    ("!Join ['-', [a, !Ref Stage, b]]", "'a-${stage}-b'"),
    ("!Join ['', [a, b, c]]", "'abc'"),
    (
        "!Join [':', [!Ref AWS::Region, !Ref AWS::AccountId]]",
        "'${location}:${subscription().subscriptionId}'",
    ),
    ("!Join ['-', [!Ref Size, x]]", "'${size}-x'"),
    # Fn::Select / Fn::Split
    ("!Select [1, [a, b, c]]", "'b'"),
    ("!Select ['2', [a, b, c]]", "'c'"),
    ("!Select [0, !Split [',', 'x,y']]", "'x'"),
    ("!Select [1, !Split [',', !Ref Stage]]", "split(stage, ',')[1]"),
    ("!Select [0, !Ref Names]", "names[0]"),
    # Fn::If with conditions (declared as vars)
    ("!If [IsProd, big, small]", "(isProd ? 'big' : 'small')"),
    ("!If [IsDev, !Ref Stage, fixed]", "(isDev ? stage : 'fixed')"),
    # Fn::FindInMap: literal keys resolve at conversion time; a Ref key indexes a map variable
    ("!FindInMap [Sizes, prod, mem]", "'1024'"),
    ("!FindInMap [Sizes, !Ref Stage, mem]", "sizesMap[stage]['mem']"),
    # LanguageExtensions DefaultValue applies to a missing key, so the lookup must not fail first
    ("!FindInMap [Sizes, !Ref Stage, mem, {DefaultValue: '512'}]", "(sizesMap[?stage][?'mem'] ?? '512')"),
    # Fn::Base64
    ("!Base64 abc", "base64('abc')"),
    ("!Base64 {'Fn::Sub': '${Stage}-x'}", "base64('${stage}-x')"),
    # Ref / GetAtt on mapped resources
    ("!Ref OrdersQueue", QUEUE_URL),
    ("!GetAtt OrdersQueue.QueueUrl", QUEUE_URL),
    ("!GetAtt OrdersQueue.QueueName", "ordersQueue.name"),
    ("!GetAtt OrdersQueue.Arn", "ordersQueue.id"),
    ("!Ref OrdersTable", "ordersTable.name"),
    ("!GetAtt OrdersTable.Arn", "ordersTable.id"),
    ("!Ref UploadsBucket", "uploadsBucket.name"),
    ("!GetAtt UploadsBucket.Arn", "uploadsBucket.id"),
    ("!Ref AlertsTopic", "alertsTopic.id"),
    ("!GetAtt AlertsTopic.TopicName", "alertsTopic.name"),
    # the AWS partition's own values stay (they address AWS), with LF4016
    ("!Ref AWS::URLSuffix", "'amazonaws.com'"),
    ("!Sub 'arn:${AWS::Partition}:s3:::x'", "'arn:aws:s3:::x'"),
    # Fn::Cidr of literals is computed at conversion: 4 blocks of 2^8 addresses in 10.0.0.0/16
    ("!Select [0, !Cidr ['10.0.0.0/16', 4, 8]]", "'10.0.0.0/24'"),
    ("!Select [3, !Cidr ['10.0.0.0/16', 4, 8]]", "'10.0.3.0/24'"),
]


@pytest.fixture(scope="module")
def table_plan() -> AzurePlan:
    """One template holding every table value as its own variable (one mapping run keeps the tests fast).

    Findings name the variable they are about (``Fn.Environment.<name>: ...``), so each case still
    sees only its own findings.
    """
    variables = {f"V{i}": value for i, (value, _) in enumerate(CASES)}
    variables.update({f"U{i}": value for i, (value, _) in enumerate(UNTRANSLATABLE)})
    return build(variables=variables)


def findings_about(plan: AzurePlan, variable: str) -> list[Finding]:
    # the mapper names the setting Fn.Environment.X; the parse's reference check the path as written
    prefixes = (f"Fn.Environment.{variable}:", f"Fn.Environment.Variables.{variable}:")
    return [f for f in plan.findings if f.message.startswith(prefixes)]


@pytest.mark.parametrize(
    ("index", "expected"), [(i, c[1]) for i, c in enumerate(CASES)], ids=[c[0] for c in CASES]
)
def test_value_renders(table_plan: AzurePlan, index: int, expected: str) -> None:
    rendered = render(app_settings(table_plan)[f"V{index}"])
    assert semantic(rendered) == expected
    assert not {f.rule for f in findings_about(table_plan, f"V{index}")} & {
        "LF4001",
        "LF4002",
        "LF4003",
        "LF4005",
    }


def test_one_value_alone_renders_the_same_as_in_the_table() -> None:
    # the shared template must not change what a value renders to
    rendered, plan = setting("!If [IsProd, big, small]")
    assert rendered == "(isProd ? 'big' : 'small')"
    assert not rules(plan) & {"LF4001", "LF4002", "LF4003", "LF4005"}


# Values with no Bicep rendering: the app setting is a new string parameter, and a finding names why.
UNTRANSLATABLE: list[tuple[str, str]] = [
    ("!Ref AWS::NotificationARNs", "LF4001"),
    ("!ImportValue SharedVpcId", "LF4008"),
    ("!Sub '${AWS::Region}-${!Literal}-${Unknown}'", "LF4002"),
    ("{'Fn::Transform': {Name: 'AWS::Include', Parameters: {Location: 's3://b/k'}}}", "LF4009"),
    ("!Ref WorkerRole", "LF4001"),  # a resource with no Azure counterpart
    ("!Ref NotDefinedAnywhere", "LF4002"),
    ("!GetAtt NotDefinedAnywhere.Arn", "LF4002"),
    ("!GetAtt OrdersQueue.NoSuchAttribute", "LF4001"),
    ("!If [NoSuchCondition, a, b]", "LF4002"),
    ("!If [LoopA, a, b]", "LF4005"),
    ("!Select [5, [a, b]]", "LF4002"),
]


@pytest.mark.parametrize(
    ("index", "rule"), [(i, c[1]) for i, c in enumerate(UNTRANSLATABLE)], ids=[c[0] for c in UNTRANSLATABLE]
)
def test_untranslatable_value_becomes_parameter(table_plan: AzurePlan, index: int, rule: str) -> None:
    result = app_settings(table_plan)[f"U{index}"]
    assert isinstance(result, Ident), render(result)
    declared = param(table_plan, result.name)
    assert declared.type == "string"
    assert not declared.has_default
    (finding,) = [f for f in findings_about(table_plan, f"U{index}") if f.rule == rule]
    if UNTRANSLATABLE[index][0] in UNDEFINED_NAMES:
        # reported once, by the parse, where the name is written; the parameter adds no second finding
        assert finding.message.startswith(f"Fn.Environment.Variables.U{index}:")
    else:
        assert result.name in finding.message


#: the values above that name something the template does not define (LF4002 from the parse)
UNDEFINED_NAMES = {
    "!Sub '${AWS::Region}-${!Literal}-${Unknown}'",
    "!Ref NotDefinedAnywhere",
    "!GetAtt NotDefinedAnywhere.Arn",
    "!If [NoSuchCondition, a, b]",
}


def test_one_untranslatable_value_alone() -> None:
    plan = build("!Ref AWS::NotificationARNs")
    result = app_settings(plan)["X"]
    assert isinstance(result, Ident)
    assert param(plan, result.name).type == "string"
    assert "LF4001" in rules(plan)


def test_no_value_omits_the_setting() -> None:
    plan = build("!Ref AWS::NoValue")
    assert "X" not in app_settings(plan)
    assert not rules(plan) & {"LF4001", "LF4002"}


def test_if_with_no_value_on_both_sides_omits_the_setting() -> None:
    plan = build("!If [IsProd, !Ref AWS::NoValue, !Ref AWS::NoValue]")
    assert "X" not in app_settings(plan)


def test_stack_name_is_reported() -> None:
    _, plan = setting("!Ref AWS::StackName")
    assert "LF4004" in rules(plan)


def test_region_and_account_are_not_reported() -> None:
    _, plan = setting("!Sub '${AWS::Region}:${AWS::AccountId}'")
    assert not rules(plan) & {"LF4001", "LF4004"}


# ---- parameters ----------------------------------------------------------------------------------


def test_string_parameter_with_default_allowed_values_and_description() -> None:
    _, plan = setting("!Ref Stage")
    stage = param(plan, "stage")
    assert stage.type == "string"
    assert stage.has_default and stage.default == "dev"
    assert stage.allowed == ("dev", "prod")
    assert stage.description == "Deployment stage"
    assert not stage.secure


def test_number_parameter_is_int_with_bounds() -> None:
    _, plan = setting("!Ref Size")
    size = param(plan, "size")
    assert size.type == "int"
    assert size.has_default and size.default == 5
    assert (size.min_value, size.max_value) == (1, 10)


def test_comma_delimited_list_is_array() -> None:
    _, plan = setting("!Join [',', !Ref Names]")
    names = param(plan, "names")
    assert names.type == "array"
    assert names.has_default and names.default == ["a", "b"]


def test_string_length_bounds() -> None:
    _, plan = setting("!Ref Short")
    short = param(plan, "short")
    assert (short.min_length, short.max_length) == (2, 8)
    assert not short.has_default


def vault_secret_values(plan: AzurePlan) -> list[str]:
    return [
        render(r.body["properties"]["value"]) for r in plan.resources if r.type.endswith("vaults/secrets")
    ]


def test_no_echo_parameter_is_secure_without_default() -> None:
    rendered, plan = setting("!Ref Secret")
    # a secure value reaches the app through Key Vault (LF5021): the secret holds the parameter
    assert rendered.startswith("'@Microsoft.KeyVault(SecretUri=")
    assert vault_secret_values(plan) == ["secret"]
    secret = param(plan, "secret")
    assert secret.secure
    assert not secret.has_default
    assert secret.default != "hunter2"
    assert "LF5001" in rules(plan)
    assert all("hunter2" not in render(p.default) for p in plan.params if p.has_default)


def test_int_parameter_in_app_setting_is_converted_to_string() -> None:
    # app settings are strings; Bicep rejects an int where the site config expects a string
    rendered, _ = setting("!Ref Size")
    assert rendered == "string(size)"


NO_ECHO_TEMPLATE = """
Parameters:
  Pin: {Type: Number, NoEcho: true, Default: 1234, MinValue: 1}
  Keys: {Type: CommaDelimitedList, NoEcho: true}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          PIN: !Ref Pin
          FIRST_KEY: !Select [0, !Ref Keys]
"""


def test_no_echo_number_and_list_are_secure_strings() -> None:
    # Bicep allows @secure() on string and object parameters only. CloudFormation passes a Number
    # parameter to Ref as a string, and a list parameter is read back from its comma-separated text.
    plan = map_graph(parse_document(load_text(NO_ECHO_TEMPLATE, "t.yaml")))
    for name in ("pin", "keys"):
        declared = param(plan, name)
        assert declared.secure
        assert declared.type == "string"
        assert not declared.has_default and declared.default is None
    settings = app_settings(plan)
    assert render(settings["PIN"]).startswith("'@Microsoft.KeyVault(SecretUri=")  # LF5021
    assert sorted(semantic(v) for v in vault_secret_values(plan)) == ["pin", "split(keys, ',')[0]"]
    assert [f.resource for f in plan.findings if f.rule == "LF5001"].count("Pin") == 1


def test_ssm_parameter_has_no_default() -> None:
    # CloudFormation resolves an SSM parameter type at deployment; its Default is the SSM parameter's name
    text = (
        "Parameters:\n  DbHost:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /app/db/host\n"
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
        "      Environment:\n        Variables:\n          DB_HOST: !Ref DbHost\n"
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    assert render(app_settings(plan)["DB_HOST"]) == "dbHost"
    declared = param(plan, "dbHost")
    assert declared.type == "string"
    assert not declared.has_default
    assert declared.default is None
    assert [f for f in plan.findings if f.rule == "LF4001" and f.resource == "DbHost"]


def test_parameters_are_declared_only_when_used() -> None:
    _, plan = setting("!Ref Stage")
    names = {p.name for p in plan.params}
    assert "stage" in names
    assert not names & {"unused", "size", "names", "secret", "short"}


def test_parameter_is_declared_once_when_used_twice() -> None:
    _, plan = setting("!Join ['-', [!Ref Stage, !Ref Stage]]")
    assert [p.name for p in plan.params].count("stage") == 1


# ---- conditions and mappings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "expected_vars"),
    [
        ("IsProd", {"isProd": "(stage == 'prod')"}),
        ("IsDev", {"isProd": "(stage == 'prod')", "isDev": "!(isProd)"}),
        ("ProdOrDev", {"isProd": "(stage == 'prod')", "prodOrDev": "(isProd || (stage == 'dev'))"}),
        (
            "ProdAndBig",
            # Fn::Equals compares text: Ref gives a Number parameter as a string
            {"isProd": "(stage == 'prod')", "prodAndBig": "(isProd && (string(size) == '5'))"},
        ),
    ],
)
def test_condition_becomes_var_and_ternary(condition: str, expected_vars: dict[str, str]) -> None:
    rendered, plan = setting(f"!If [{condition}, 'on', 'off']")
    symbol = list(expected_vars)[-1]
    assert rendered == f"({symbol} ? 'on' : 'off')"
    declared = variables(plan)
    for name, body in expected_vars.items():
        assert declared[name] == body
    # only the conditions that are used are declared
    assert not {"loopA", "loopB"} & set(declared)


JSON_CONDITIONS = {
    "Parameters": {"Stage": {"Type": "String"}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
        "IsEu": {"Fn::Equals": [{"Ref": "AWS::Region"}, "westeurope"]},
        "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "IsEu"}]},
        "Either": {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "Stage"}, "qa"]}]},
        "Neither": {"Fn::Not": [{"Condition": "Either"}]},
    },
    "Resources": {
        "Fn": {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "Runtime": "python3.12",
                "Handler": "app.handler",
                "CodeUri": "src/",
                "Environment": {
                    "Variables": {
                        "B": {"Fn::If": ["Both", "y", "n"]},
                        "N": {"Fn::If": ["Neither", "y", "n"]},
                    }
                },
            },
        }
    },
}


def test_json_condition_operands_name_conditions() -> None:
    # in JSON templates a condition inside Fn::And/Or/Not is written {"Condition": "Name"}
    plan = map_graph(parse_document(load_text(json.dumps(JSON_CONDITIONS), "t.json")))
    declared = variables(plan)
    assert declared["isProd"] == "(stage == 'prod')"
    assert declared["isEu"] == "(location == 'westeurope')"
    assert declared["both"] == "(isProd && isEu)"
    assert declared["either"] == "(isProd || (stage == 'qa'))"
    assert declared["neither"] == "!(either)"
    assert render(app_settings(plan)["B"]) == "(both ? 'y' : 'n')"
    assert render(app_settings(plan)["N"]) == "(neither ? 'y' : 'n')"
    assert all("Condition" not in text for text in declared.values())


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("!Equals [!Ref Size, '5']", "(string(size) == '5')"),
        ("!Equals [!Ref Size, 5]", "(string(size) == '5')"),
        ("!Equals [!Ref Stage, true]", "(stage == 'true')"),
        ("!Equals [!Ref AWS::Region, !Ref Stage]", "(location == stage)"),
        ("!Equals [!Select [0, !Ref Names], a]", "(string(names[0]) == 'a')"),
    ],
)
def test_equals_compares_text(condition: str, expected: str) -> None:
    # CloudFormation compares strings; Bicep rejects == between an int or bool and a string
    text = (
        "Parameters:\n  Size: {Type: Number}\n  Stage: {Type: String}\n  Names: {Type: CommaDelimitedList}\n"
        f"Conditions:\n  C: {condition}\n"
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
        "      Environment:\n        Variables:\n          X: !If [C, a, b]\n"
    )
    plan = map_graph(parse_document(load_text(text, "t.yaml")))
    assert variables(plan)["c"] == expected


def test_condition_used_twice_is_declared_once() -> None:
    _, plan = setting("!Join ['', [!If [IsProd, a, b], !If [IsProd, c, d]]]")
    assert [v.name for v in plan.variables].count("isProd") == 1


def test_condition_cycle_is_reported_not_looped() -> None:
    plan = build("!If [LoopB, a, b]")
    assert "LF4005" in rules(plan)
    assert not {"loopA", "loopB"} & {v.name for v in plan.variables}


def test_find_in_map_with_ref_key_declares_the_map() -> None:
    _, plan = setting("!FindInMap [Sizes, !Ref Stage, mem]")
    assert variables(plan)["sizesMap"] == render({"dev": {"mem": "128"}, "prod": {"mem": "1024"}})


def test_find_in_map_with_literal_keys_declares_nothing() -> None:
    _, plan = setting("!FindInMap [Sizes, dev, mem]")
    assert "sizesMap" not in variables(plan)


# ---- outputs -------------------------------------------------------------------------------------

OUTPUTS = """
Outputs:
  StageOut:
    Value: !Ref Stage
  SizeOut:
    Description: the size
    Value: !Ref Size
  QueueUrl:
    Value: !GetAtt OrdersQueue.QueueUrl
  TopicArn:
    Value: !Ref AlertsTopic
  ProdOnly:
    Condition: IsProd
    Value: !Sub '${AWS::Region}-prod'
  Imported:
    Value: !ImportValue SomethingElse
  Undefined:
    Value: !Ref NotDefinedAnywhere
  ApiUrl:
    Value: !Sub 'https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/'
"""


@pytest.fixture(scope="module")
def output_plan() -> AzurePlan:
    return build("plain", OUTPUTS)


@pytest.mark.parametrize(
    ("name", "type_", "expected"),
    [
        ("StageOut", "string", "stage"),
        ("SizeOut", "int", "size"),
        ("QueueUrl", "string", QUEUE_URL),
        ("TopicArn", "string", "alertsTopic.id"),
        ("ProdOnly", "string", "'${location}-prod'"),
    ],
)
def test_output_renders(output_plan: AzurePlan, name: str, type_: str, expected: str) -> None:
    outputs = {o.name: o for o in output_plan.outputs}
    assert outputs[name].type == type_
    assert render(outputs[name].value) == expected


def test_output_keeps_description_and_condition(output_plan: AzurePlan) -> None:
    outputs = {o.name: o for o in output_plan.outputs}
    assert outputs["SizeOut"].description == "the size"
    assert outputs["ProdOnly"].condition == Ident("isProd")
    assert outputs["StageOut"].condition is None


@pytest.mark.parametrize("name", ["Imported", "Undefined", "ApiUrl"])
def test_unrenderable_output_is_dropped_with_finding(output_plan: AzurePlan, name: str) -> None:
    assert name not in {o.name for o in output_plan.outputs}
    assert [f for f in output_plan.findings if f.rule == "LF4003" and f.resource == name]


def test_account_id_output() -> None:
    plan = build("plain", "Outputs:\n  Account:\n    Value: !Ref AWS::AccountId\n")
    outputs = {o.name: o for o in plan.outputs}
    assert render(outputs["Account"].value) == "subscription().subscriptionId"
    assert outputs["Account"].type == "string"


def test_outputs_never_become_parameters(output_plan: AzurePlan) -> None:
    # an output is a value the deployment reports; asking the user for it would be meaningless
    assert not [
        f for f in output_plan.findings if f.rule == "LF4001" and f.resource in {"Imported", "ApiUrl"}
    ]


# ---- nothing untranslatable leaks as text --------------------------------------------------------

LEAKY = [
    "!ImportValue SharedVpcId",
    "!Sub '${AWS::NotificationARNs}/${Stage}'",
    "!Join ['', [!GetAZs '', x]]",
    "!Select [0, !Cidr ['10.0.0.0/16', x, 8]]",
    "{'Fn::ForEach': [x, [a], {}]}",
    "!If [LoopA, a, b]",
    "!Ref AWS::NotificationARNs",
]


@pytest.mark.parametrize("value", LEAKY)
def test_untranslatable_never_pasted_as_text(value: str) -> None:
    plan = build(value, OUTPUTS)
    texts = [render(r.body) for r in plan.resources]
    texts += [render(v.value) for v in plan.variables]
    texts += [render(o.value) for o in plan.outputs]
    texts += [render(p.default) for p in plan.params if p.has_default]
    for text in texts:
        assert "Fn::" not in text
        assert "AWS::" not in text
        assert "Ref(" not in text and "GetAtt(" not in text and "Intrinsic" not in text
    assert rules(plan) & {"LF4001", "LF4002", "LF4005", "LF4008", "LF4018"}
