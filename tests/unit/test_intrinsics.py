"""Intrinsics beyond the basic table of test_expressions.py: each case pins the exact Bicep text.

The values run through the whole pipeline (load, parse, map) inside the template of test_expressions.py
and are rendered with ``translator.bicep.render``. Expected texts follow CloudFormation semantics and the
Bicep function reference (cidrSubnet(network, newCIDR, subnetIndex); pickZones(providerNamespace,
resourceType, location, numberOfZones)); the companion settings follow mappings/attributes.yaml.
"""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml

from tests.unit.test_expressions import app_settings, build, param, rules, semantic, variables
from translator.bicep import Ident, render
from translator.emit.azd import render_azure_yaml
from translator.emit.bicep import render_main
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan


def rendered_setting(value: str, name: str = "X") -> tuple[str, AzurePlan]:
    plan = build(value)
    return semantic(render(app_settings(plan)[name])), plan


def plan_of(text: str) -> AzurePlan:
    return map_graph(parse_document(load_text(textwrap.dedent(text), "t.yaml")))


def one_line(text: str) -> str:
    """Rendered Bicep on one line: multi-line lists and objects joined with ', ' (for readable expectations)."""
    text = re.sub(r"\n\s*([\]}])", r"\1", text)  # closing brackets
    text = re.sub(r"([\[{])\n\s*", r"\1", text)  # opening brackets
    return re.sub(r"\n\s*", ", ", text)


ENV_TEMPLATE = """
Conditions:
  Bad: !And [a, b]
  NotACondition: !Ref AWS::NoValue
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: {ZipFile: x}
      Environment:
        Variables:
          X: %s
"""
X_LINE = 15  # the line of 'X:' in ENV_TEMPLATE (its first line is empty)


def env_plan(value: str) -> AzurePlan:
    return plan_of(ENV_TEMPLATE % value)


def findings(plan: AzurePlan, rule: str) -> list:
    return [f for f in plan.findings if f.rule == rule]


# ---- Fn::Cidr, Fn::GetAZs ------------------------------------------------------------------------

CIDR_CASES = [
    # literal block: computed at conversion (10.0.0.0/16 split into /24 blocks: 8 host bits)
    ("!Join [',', !Cidr ['10.0.0.0/16', 3, 8]]", "'10.0.0.0/24,10.0.1.0/24,10.0.2.0/24'"),
    ("!Select [1, !Cidr ['192.168.0.0/24', 4, 6]]", "'192.168.0.64/26'"),
    # IPv6: 64 host bits of 128 -> /64 subnets
    ("!Select [2, !Cidr ['2001:db8::/56', 4, 64]]", "'2001:db8:0:2::/64'"),
    # a computed block: one cidrSubnet() whose new prefix is the address width minus cidrBits
    (
        "!Select [2, !Cidr [!Ref Stage, 4, 8]]",
        "cidrSubnet(stage, ((contains(stage, ':') ? 128 : 32) - 8), 2)",
    ),
    # the whole list of a computed block: map over the indexes
    (
        "!Join [',', !Cidr [!Ref Stage, 2, 8]]",
        "join(map(range(0, 2), i => cidrSubnet(stage, ((contains(stage, ':') ? 128 : 32) - 8), i)), ',')",
    ),
]


@pytest.mark.parametrize(("value", "expected"), CIDR_CASES, ids=[c[0] for c in CIDR_CASES])
def test_cidr(value: str, expected: str) -> None:
    text, plan = rendered_setting(value)
    assert text == expected
    assert not rules(plan) & {"LF4001", "LF4002", "LF4018"}


def test_get_azs_becomes_pick_zones_with_a_finding() -> None:
    text, _ = rendered_setting("!Select [0, !GetAZs '']")
    assert text == "pickZones('Microsoft.Compute', 'virtualMachines', location, 3)[0]"
    plan = env_plan("!Select [0, !GetAZs '']")
    (found,) = findings(plan, "LF4007")
    assert "Fn.Environment.X" in found.message and str(found.loc) == f"t.yaml:{X_LINE}"


def test_get_azs_of_the_stack_region_is_the_same() -> None:
    text, _ = rendered_setting("!Select [1, !GetAZs {Ref: 'AWS::Region'}]")
    assert text == "pickZones('Microsoft.Compute', 'virtualMachines', location, 3)[1]"


# ---- LanguageExtensions: Fn::Length, Fn::ToJsonString ----------------------------------------------

# (value, the exact app setting: an int is converted with string(), Bicep's string() of an object is JSON)
LANGUAGE_EXTENSIONS = [
    ("{'Fn::Length': [a, b, c]}", "'3'"),
    ("{'Fn::Length': !Ref Names}", "string(length(names))"),
    ("{'Fn::Length': !Split [',', !Ref Stage]}", "string(length(split(stage, ',')))"),
    ("{'Fn::ToJsonString': {a: b, n: [1, true]}}", """'{"a":"b","n":[1,true]}'"""),
    ("{'Fn::ToJsonString': {stage: !Ref Stage}}", "string({stage: stage})"),
]


@pytest.mark.parametrize(("value", "expected"), LANGUAGE_EXTENSIONS, ids=[c[0] for c in LANGUAGE_EXTENSIONS])
def test_language_extensions(value: str, expected: str) -> None:
    plan = build(value)
    assert one_line(render(app_settings(plan)["X"])) == expected
    assert not rules(plan) & {"LF4001", "LF4002", "LF4018"}


# ---- pseudo parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("!Ref AWS::Partition", "'aws'"),
        ("!Sub 'lambda.${AWS::URLSuffix}'", "'lambda.amazonaws.com'"),
        ("!Ref AWS::StackId", "resourceGroup().id"),
    ],
)
def test_pseudo_parameters(value: str, expected: str) -> None:
    text, plan = rendered_setting(value)
    assert text == expected
    assert findings(plan, "LF4016") or findings(plan, "LF4004")


# ---- AWS::NoValue inside Fn::If -----------------------------------------------------------------


def test_no_value_in_a_list_drops_the_item_under_the_condition() -> None:
    text, _ = rendered_setting("!Join [',', [a, !If [IsProd, b, !Ref AWS::NoValue], c]]")
    assert one_line(text) == "join(concat(['a'], (isProd ? ['b'] : []), ['c']), ',')"


def test_no_value_in_an_app_setting_omits_the_setting_when_absent() -> None:
    plan = build(variables={"X": "!If [IsProd, big, !Ref AWS::NoValue]", "Y": "plain"})
    (config,) = [r for r in plan.resources if r.type == "Microsoft.Web/sites/config"]
    properties = render(config.body["properties"])
    assert properties.startswith("union({")
    assert properties.endswith("}, (isProd ? {\n  X: 'big'\n} : {}))")
    assert "  Y: 'plain'\n" in properties
    assert "null" not in properties


def test_no_value_on_the_true_side_keeps_the_false_value() -> None:
    plan = build(variables={"X": "!If [IsProd, !Ref AWS::NoValue, !Ref Size]"})
    (config,) = [r for r in plan.resources if r.type == "Microsoft.Web/sites/config"]
    # the int parameter is an app setting string on the side where it exists
    assert render(config.body["properties"]).endswith("}, (isProd ? {} : {\n  X: string(size)\n}))")


# ---- dynamic references ----------------------------------------------------------------------------


def test_ssm_dynamic_reference_is_a_parameter() -> None:
    text, plan = rendered_setting("'{{resolve:ssm:/app/db-host}}'")
    assert text == "ssmAppDbHost"
    assert not param(plan, "ssmAppDbHost").secure
    (found,) = findings(env_plan("'{{resolve:ssm:/app/db-host}}'"), "LF4010")
    assert "ssm:/app/db-host" in found.message and str(found.loc) == f"t.yaml:{X_LINE}"


def test_secure_dynamic_references_are_secure_parameters_inside_text() -> None:
    text, plan = rendered_setting(
        "'user={{resolve:secretsmanager:prod/db:SecretString:user}};pw={{resolve:ssm-secure:/db/pw:3}}'"
    )
    # a value holding secure parameters reaches the app through Key Vault (LF5021)
    assert text.startswith("'@Microsoft.KeyVault(SecretUri=")
    (secret,) = [r for r in plan.resources if r.type == "Microsoft.KeyVault/vaults/secrets"]
    assert semantic(render(secret.body["properties"]["value"])) == "'user=${secretProdDb};pw=${ssmDbPw}'"
    assert param(plan, "secretProdDb").secure and param(plan, "ssmDbPw").secure
    assert len(findings(plan, "LF4010")) == 2
    # the secret's reference text is not put in the parameter description
    assert "SecretString" not in (param(plan, "secretProdDb").description or "")


def test_one_dynamic_reference_used_twice_is_one_parameter() -> None:
    plan = build(variables={"A": "'{{resolve:ssm:/x}}'", "B": "!Sub '{{resolve:ssm:/x}}-${Stage}'"})
    settings = app_settings(plan)
    assert render(settings["A"]) == "ssmX"
    assert render(settings["B"]) == "'${ssmX}-${stage}'"
    assert [p.name for p in plan.params].count("ssmX") == 1


# ---- companion settings (mappings/attributes.yaml) -------------------------------------------------

COMPANIONS = [
    (
        "!Ref OrdersQueue",
        {
            "X": "'https://${serviceBus.name}.servicebus.windows.net/${ordersQueue.name}'",
            "X__fullyQualifiedNamespace": "'${serviceBus.name}.servicebus.windows.net'",
            "X__queueName": "ordersQueue.name",
        },
    ),
    (
        "!Ref OrdersTable",
        {
            "X": "ordersTable.name",
            "X__accountEndpoint": "cosmos.properties.documentEndpoint",
            "X__databaseName": "cosmosDatabase.name",
            "X__containerName": "ordersTable.name",
        },
    ),
    (
        "!Ref UploadsBucket",
        {
            "X": "uploadsBucket.name",
            "X__blobServiceUri": "dataStorage.properties.primaryEndpoints.blob",
            "X__containerName": "uploadsBucket.name",
        },
    ),
    (
        "!GetAtt AlertsTopic.TopicName",
        {"X": "alertsTopic.name", "X__topicEndpoint": "alertsTopic.properties.endpoint"},
    ),
    (
        "!GetAtt Fn.Arn",
        {
            "X": "'${tApp.id}/functions/Fn'",
            "X__hostName": "tApp.properties.defaultHostName",
            "X__functionName": "'Fn'",
        },
    ),
]


@pytest.mark.parametrize(("value", "expected"), COMPANIONS, ids=[c[0] for c in COMPANIONS])
def test_reference_to_a_mapped_resource_adds_connection_settings(value: str, expected: dict) -> None:
    plan = build(value)
    settings = app_settings(plan)
    assert {k: render(v) for k, v in settings.items() if k == "X" or k.startswith("X__")} == expected
    (found,) = findings(plan, "LF4017")
    assert all(name in found.message for name in expected if name != "X")


def test_reference_inside_text_adds_no_connection_settings() -> None:
    plan = build("!Sub '${OrdersQueue.QueueName}-x'")
    assert not [k for k in app_settings(plan) if k.startswith("X__")]
    assert not findings(plan, "LF4017")


def test_a_variable_of_the_same_name_wins_over_a_connection_setting() -> None:
    plan = build(variables={"X": "!Ref OrdersQueue", "X__queueName": "mine"})
    assert render(app_settings(plan)["X__queueName"]) == "'mine'"


# ---- conditional resources ---------------------------------------------------------------------

CONDITIONAL = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  AuditQueue:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          GUARDED: !If [IsProd, !GetAtt AuditQueue.QueueName, none]
          BARE: !GetAtt AuditQueue.QueueName
"""


def test_conditional_resource_is_deployed_only_under_its_condition() -> None:
    plan = plan_of(CONDITIONAL)
    (queue,) = [r for r in plan.resources if r.symbol == "auditQueue"]
    assert queue.condition == Ident("isProd")
    assert "resource auditQueue 'Microsoft.ServiceBus/namespaces/queues@" in render_main(plan)
    assert "= if (isProd) {" in render_main(plan).split("resource auditQueue")[1].splitlines()[0]


def test_reference_to_a_conditional_resource_is_guarded_by_its_condition() -> None:
    settings = app_settings(plan_of(CONDITIONAL))
    # inside Fn::If on the same condition: as written
    assert render(settings["GUARDED"]) == "(isProd ? auditQueue.name : 'none')"
    # outside: empty when the queue is not deployed (CloudFormation would fail the stack instead)
    assert render(settings["BARE"]) == "(isProd ? auditQueue.name : '')"
    (found,) = [f for f in plan_of(CONDITIONAL).findings if f.rule == "LF4019"]
    assert "Fn.Environment.BARE" in found.message and str(found.loc) == "t.yaml:20"


# ---- function conditions -------------------------------------------------------------------------

FUNCTION_CONDITION = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Nightly:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      MemorySize: 4096
      Events:
        Timer: {Type: Schedule, Properties: {Schedule: rate(1 day)}}
  Always:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
"""


def test_an_app_whose_functions_share_a_condition_is_conditional() -> None:
    plan = plan_of(FUNCTION_CONDITION)
    (nightly_app,) = [a for a in plan.apps if a.functions == ("Nightly",)]
    made_for_nightly = [r for r in plan.resources if "Nightly" in r.sources]
    assert {r.type for r in made_for_nightly} >= {
        "Microsoft.Web/sites",
        "Microsoft.Web/sites/config",
        "Microsoft.Web/serverfarms",
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "Microsoft.Authorization/roleAssignments",
    }
    assert all(r.condition == Ident("isProd") for r in made_for_nightly)
    assert all(r.condition is None for r in plan.resources if "Always" in r.sources)
    output = next(
        o for o in plan.outputs if o.name == f"SERVICE_{nightly_app.name.upper().replace('-', '_')}_NAME"
    )
    assert output.condition == Ident("isProd")
    assert [f.resource for f in findings(plan, "LF4011")] == ["Nightly"]
    # azd deploy finds an app by its azd-service-name tag: it fails for the app when isProd is false
    assert nightly_app.condition == "isProd"
    (azd,) = findings(plan, "LF4021")
    assert azd.resource == "Nightly" and azd.severity.value == "warning"
    assert azd.message == (
        f"azd service '{nightly_app.name}' (azure.yaml): when Condition 'IsProd' is false the app is not "
        f"deployed, and azd up or azd deploy stops at this service (no resource tagged azd-service-name: "
        f"{nightly_app.name})"
    )
    (always_app,) = [a for a in plan.apps if a.functions == ("Always",)]
    assert always_app.condition is None
    # azure.yaml says so by the service, and still lists both services as before
    text = render_azure_yaml(plan)
    note = (
        "  # LF4021: deployed only when isProd (infra/main.bicep) is true. When it is false, azd up and\n"
        "  # azd deploy stop at this service (no resource tagged azd-service-name: "
        f"{nightly_app.name}); run\n"
        "  # azd provision, then azd deploy <service> for each deployed service.\n"
        f"  {nightly_app.name}:\n"
    )
    assert note in text
    assert text.count("# LF4021") == 1
    services = yaml.safe_load(text)["services"]
    assert set(services) == {nightly_app.name, always_app.name}
    assert services[nightly_app.name] == {
        "project": f"./src/{nightly_app.name}",
        "language": "python",
        "host": "function",
    }


def test_functions_with_different_conditions_get_apps_of_their_own() -> None:
    # same runtime and memory: without the condition they would share one app
    plan = plan_of(FUNCTION_CONDITION.replace("      MemorySize: 4096\n", ""))
    apps = {a.functions: a for a in plan.apps}
    assert set(apps) == {("Nightly",), ("Always",)}
    assert apps[("Nightly",)].name == "t-is-prod"
    assert "deployed under condition IsProd" in apps[("Nightly",)].grouping_reason
    sites = {r.sources: r.condition for r in plan.resources if r.type == "Microsoft.Web/sites"}
    assert sites == {("Nightly",): Ident("isProd"), ("Always",): None}


def test_undefined_function_condition_is_reported_and_the_app_deployed() -> None:
    plan = plan_of(FUNCTION_CONDITION.replace("    Condition: IsProd\n", "    Condition: Nope\n"))
    found = [f for f in plan.findings if f.rule == "LF4002" and f.resource == "Nightly"]
    # once, at the line of 'Condition: Nope' (not again by the mapper that deploys the app unconditionally)
    assert [str(f.loc) for f in found] == ["t.yaml:10"]
    assert all(r.condition is None for r in plan.resources if r.type == "Microsoft.Web/sites")


# ---- parameters and outputs ------------------------------------------------------------------------

PARAMS = """
Parameters:
  Code:
    Type: String
    AllowedPattern: '^[a-z]+$'
    Description: A code
  Vpc:
    Type: AWS::EC2::VPC::Id
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
  Ports:
    Type: List<Number>
    Default: '80,443'
  Hosts:
    Type: AWS::SSM::Parameter::Value<List<String>>
    Default: /app/hosts
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: {ZipFile: x}
      Environment:
        Variables:
          CODE: !Ref Code
          VPC: !Ref Vpc
          SUBNETS: !Join [',', !Ref Subnets]
          PORTS: !Join [',', !Ref Ports]
          HOSTS: !Join [',', !Ref Hosts]
Outputs:
  FnArn:
    Value: !GetAtt Fn.Arn
    Export: {Name: !Sub '${AWS::StackName}-fn'}
"""


def test_allowed_pattern_is_kept_in_the_description() -> None:
    plan = plan_of(PARAMS)
    assert param(plan, "code").description == "A code (pattern: ^[a-z]+$)"
    (found,) = findings(plan, "LF4012")
    assert found.resource == "Code" and str(found.loc) == "t.yaml:3"


def test_aws_specific_parameter_types_are_reported() -> None:
    plan = plan_of(PARAMS)
    assert param(plan, "vpc").type == "string" and param(plan, "subnets").type == "array"
    assert {f.resource for f in findings(plan, "LF4013")} == {"Vpc", "Subnets"}


def test_list_of_numbers_is_an_array_with_its_default() -> None:
    plan = plan_of(PARAMS)
    ports = param(plan, "ports")
    assert (ports.type, ports.default) == ("array", ["80", "443"])


def test_ssm_list_parameter_is_an_array_without_the_ssm_name_as_default() -> None:
    plan = plan_of(PARAMS)
    hosts = param(plan, "hosts")
    assert (hosts.type, hosts.has_default) == ("array", False)
    assert render(app_settings(plan)["HOSTS"]) == "join(hosts, ',')"
    assert [f for f in plan.findings if f.rule == "LF4001" and f.resource == "Hosts"]


def test_exported_output_is_kept_and_reported() -> None:
    plan = plan_of(PARAMS)
    output = next(o for o in plan.outputs if o.name == "FnArn")
    assert render(output.value) == "'${tApp.id}/functions/Fn'"
    (found,) = findings(plan, "LF4014")
    assert found.resource == "FnArn" and "a computed name" in found.message


def test_output_with_an_undefined_condition_is_reported_not_crashed() -> None:
    plan = build("plain", "Outputs:\n  O:\n    Condition: Nope\n    Value: x\n")
    assert "O" not in {o.name for o in plan.outputs}
    assert [f for f in plan.findings if f.rule == "LF4002" and f.resource == "O"]


def test_an_output_of_a_secure_parameter_is_a_secure_output() -> None:
    plan = plan_of(
        """
        Parameters:
          DbPassword: {Type: String, NoEcho: true}
          Plain: {Type: String, Default: x}
        Mappings:
          Hosts: {eu: {db: host}}
        Resources:
          Q: {Type: AWS::SQS::Queue}
        Outputs:
          Conn: {Value: !Sub "Server=${Db};Password=${DbPassword}", Description: db}
          Other: {Value: !Ref Plain}
          Indirect: {Value: !Join ["", [!FindInMap [Hosts, eu, db], !Ref DbPassword]]}
        """.replace("${Db}", "db")
    )
    outputs = {o.name: o for o in plan.outputs}
    assert (outputs["Conn"].secure, outputs["Other"].secure, outputs["Indirect"].secure) == (
        True,
        False,
        True,
    )
    bicep = render_main(plan)
    # the decorator stands right above the output, after its description
    assert "@description('db')\n@secure()\noutput Conn string = 'Server=db;Password=${dbPassword}'" in bicep
    assert "@secure()\noutput Other" not in bicep
    assert sorted(f.resource for f in findings(plan, "LF4025")) == ["Conn", "Indirect"]


# ---- circular and undefined references ---------------------------------------------------------


def test_self_reference_is_a_circular_reference() -> None:
    plan = plan_of(
        """
        Resources:
          Q:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub '${Q.QueueName}-x'
        """
    )
    (found,) = findings(plan, "LF4015")
    assert found.resource == "Q" and str(found.loc) == "t.yaml:6"
    (queue,) = [r for r in plan.resources if r.symbol == "q"]
    assert isinstance(queue.body["name"], Ident)  # a parameter, never the unresolved text


def test_find_in_map_with_a_missing_literal_key_is_an_undefined_reference() -> None:
    _, plan = rendered_setting("!FindInMap [Sizes, staging, mem]")
    assert [f for f in plan.findings if f.rule == "LF4002" and "[staging][mem]" in f.message]
    assert "sizesMap" not in variables(plan)


def test_find_in_map_default_applies_to_a_missing_literal_key() -> None:
    text, _ = rendered_setting("!FindInMap [Sizes, staging, mem, {DefaultValue: '256'}]")
    assert text == "'256'"


# ---- malformed intrinsics: a finding with file:line and a parameter, never a crash --------------------

MALFORMED: list[tuple[str, str]] = [
    # wrong shapes, reported by the loader (LF0003), then taken as a parameter
    ("!Ref [a, b]", "LF0003"),
    ("!Ref ''", "LF0003"),
    ("!GetAtt [Fn]", "LF0003"),
    ("!GetAtt NoDot", "LF0003"),
    ("!Sub [a, b, c]", "LF0003"),
    ("!Sub 'x-${}'", "LF0003"),
    ("!Join [',']", "LF0003"),
    ("!Join [',', abc]", "LF0003"),
    ("!Select [1]", "LF0003"),
    ("!Split [',']", "LF0003"),
    ("!If [C, a]", "LF0003"),
    ("!If [[C], a, b]", "LF0003"),
    ("!Equals [a]", "LF0003"),
    ("!And [a]", "LF0003"),
    ("!Or {a: b}", "LF0003"),
    ("!Not [a, b]", "LF0003"),
    ("!Condition [x]", "LF0003"),
    ("!FindInMap [A, B]", "LF0003"),
    ("!Cidr ['10.0.0.0/16', 4]", "LF0003"),
    ("!Transform just-a-name", "LF0003"),
    # the right shape with arguments CloudFormation rejects (LF4018)
    ("!Select [a, [x, y]]", "LF4018"),
    ("!Select [-1, [x, y]]", "LF4018"),
    ("!Select [0, abc]", "LF4018"),
    ("!Select [0, {a: b}]", "LF4018"),
    ("!Join [[x], [a, b]]", "LF4018"),
    ("!Join ['', [a, [b]]]", "LF4018"),
    ("!Split [',', [a, b]]", "LF4018"),
    ("!Split [[x], abc]", "LF4018"),
    ("!Base64 [a]", "LF4018"),
    ("!Sub ['${A}', {A: [1, 2]}]", "LF4018"),
    ("!Cidr [nonsense, 2, 8]", "LF4018"),
    ("!Join [',', !Cidr ['10.0.0.0/16', x, 8]]", "LF4018"),
    ("!Join [',', !Cidr ['10.0.0.0/30', 4, 8]]", "LF4018"),
    ("!Join [',', !Cidr ['10.0.0.0/24', 300, 4]]", "LF4018"),
    ("!GetAZs {a: b}", "LF4018"),
    ("{'Fn::Length': abc}", "LF4018"),
    ("{'Fn::ToJsonString': abc}", "LF4018"),
    ("!If [Bad, a, b]", "LF4018"),
    ("!If [NotACondition, a, b]", "LF4018"),
    # names that do not exist (LF4002)
    ("!If [NoSuchCondition, a, b]", "LF4002"),
    ("!FindInMap [NoSuchMap, a, b]", "LF4002"),
    ("!Sub '${NoSuchThing}'", "LF4002"),
    ("!GetAtt NoSuchResource.Arn", "LF4002"),
    # computed arguments that have no static rendering (LF4001)
    ("!GetAtt [Fn, !Ref AWS::Region]", "LF4001"),
    ("{'Fn::GetAZs': {'Fn::Sub': '${AWS::Region}x'}}", "LF4001"),
]


@pytest.mark.parametrize(("value", "rule"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_intrinsic_is_a_finding_and_a_parameter(value: str, rule: str) -> None:
    plan = env_plan(value)
    result = app_settings(plan)["X"]
    assert isinstance(result, Ident), render(result)
    assert param(plan, result.name).type == "string"
    located = [f for f in plan.findings if f.rule == rule and str(f.loc) == f"t.yaml:{X_LINE}"]
    assert located, [(f.rule, str(f.loc), f.message) for f in plan.findings]


TRIGGERED_BY_CONDITIONAL = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: IsProd
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        S: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
"""


def test_what_is_made_for_a_conditional_resource_shares_its_condition() -> None:
    plan = plan_of(TRIGGERED_BY_CONDITIONAL)
    by_symbol = {r.symbol: r for r in plan.resources}
    # the role assignment on the queue cannot exist without the queue
    scoped = [r for r in plan.resources if r.body.get("scope") == Ident("q")]
    assert scoped and all(r.condition == Ident("isProd") for r in scoped)
    # the function app does not depend on the queue existing
    assert all(r.condition is None for r in plan.resources if r.type == "Microsoft.Web/sites")
    assert by_symbol["serviceBus"].condition is None


def test_list_valued_outputs_are_arrays() -> None:
    plan = build(
        "plain",
        "Outputs:\n  Zones:\n    Value: !GetAZs ''\n  Subnets:\n    Value: !Cidr [!Ref Stage, 2, 8]\n"
        "  Parts:\n    Value: !Split [',', !Ref Stage]\n",
    )
    outputs = {o.name: o for o in plan.outputs}
    assert {name: outputs[name].type for name in ("Zones", "Subnets", "Parts")} == dict.fromkeys(
        ("Zones", "Subnets", "Parts"), "array"
    )
    assert render(outputs["Parts"].value) == "split(stage, ',')"


FUNCTION_URLS = """
Transform: AWS::Serverless-2016-10-31
Resources:
  MyFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      FunctionUrlConfig: {AuthType: NONE}
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: {ZipFile: x}
  OtherUrl:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: !GetAtt Other.Arn
  Orphan:
    Type: AWS::Lambda::Url
    Properties:
      AuthType: NONE
      TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:elsewhere
Outputs:
  Implicit:
    Value: !GetAtt MyFunctionUrl.FunctionUrl
  Explicit:
    Value: !GetAtt OtherUrl.FunctionUrl
  ExplicitArn:
    Value: !GetAtt OtherUrl.FunctionArn
  Outside:
    Value: !GetAtt Orphan.FunctionUrl
"""


def test_function_urls_are_the_function_route_on_the_app_host() -> None:
    # the HTTP trigger of a function URL is the route /<function>/{*path} (triggers.py)
    plan = plan_of(FUNCTION_URLS)
    outputs = {o.name: render(o.value) for o in plan.outputs}
    assert outputs["Implicit"] == "'https://${tApp.properties.defaultHostName}/MyFunction/'"
    assert outputs["Explicit"] == "'https://${tApp.properties.defaultHostName}/Other/'"
    assert outputs["ExplicitArn"] == "'${tApp.id}/functions/Other'"
    assert "Outside" not in outputs
    assert [f for f in plan.findings if f.rule == "LF4003" and f.resource == "Outside"]


def test_find_in_map_by_region_is_reported() -> None:
    plan = plan_of(
        """
        Mappings:
          RegionMap:
            us-east-1: {layer: a}
            eu-west-1: {layer: b}
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.12
              Handler: app.handler
              Role: arn:aws:iam::123456789012:role/x
              Code: {ZipFile: x}
              Environment:
                Variables:
                  LAYER: !FindInMap [RegionMap, !Ref AWS::Region, layer]
        """
    )
    assert render(app_settings(plan)["LAYER"]) == "string(regionMapMap[location]['layer'])"
    (found,) = findings(plan, "LF4020")
    assert "us-east-1, eu-west-1" in found.message and str(found.loc) == "t.yaml:16"
