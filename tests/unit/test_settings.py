"""Function settings beyond runtime, memory and timeout (translator/mapping/functions.py, network.py).

Expected values come from research/azure-target.md:

- §2.4 scale: maximumInstanceCount 1..1000 (default 100); concurrency = instances x per-instance
  concurrency; default HTTP per-instance concurrency 4 / 16 / 32 for 512 / 2048 / 4096 MB, 1 for Python;
  always-ready groups 'http', 'blob', 'durable' and 'function:<name>' for every other trigger.
- §2.10 VNet integration needs a subnet delegated to Microsoft.App/environments and the site property
  virtualNetworkSubnetId; Azure Files mounts are SMB with the account key.
- §2.11 temporary storage on Flex is 0.8 GB.
- §4.2 host.json logging.logLevel levels: Trace, Debug, Information, Warning, Error, Critical, None.
- disable-function doc: an app setting AzureWebJobs.<FUNCTION_NAME>.Disabled = true disables a function.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.test_functions import (
    app_settings,
    convert,
    findings_for,
    flex_config,
    function,
    of_type,
    rules,
    site,
)
from translator.bicep import Ident, render
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.context import Options
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document
from translator.plan import AzurePlan

HTTP = "Web:\n  Type: HttpApi\n  Properties:\n    Path: /x\n    Method: get\n"
SQS = "Jobs:\n  Type: SQS\n  Properties:\n    Queue: !GetAtt Q.Arn\n"
S3 = "Up:\n  Type: S3\n  Properties:\n    Bucket: !Ref Uploads\n    Events: s3:ObjectCreated:*\n"
QUEUE = "  Q:\n    Type: AWS::SQS::Queue\n"
BUCKET = "  Uploads:\n    Type: AWS::S3::Bucket\n"


def setting(plan: AzurePlan, name: str, fn: str = "Fn") -> Any:
    (found,) = [s for f in plan.functions if f.logical_id == fn for s in f.settings if s.name == name]
    return found


def app_of(plan: AzurePlan, fn: str) -> Any:
    (found,) = [a for a in plan.apps if fn in a.functions]
    return found


def site_of(plan: AzurePlan, fn: str) -> Any:
    symbol = app_of(plan, fn).site_symbol
    (found,) = [r for r in plan.resources if r.symbol == symbol]
    return found


# ---- reserved concurrency ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("runtime", "memory", "events", "reserved", "instances", "per_instance"),
    [
        # HTTP, node 2048 MB: 16 per instance (§2.4) -> floor(reserved / 16) instances
        ("nodejs20.x", 1024, HTTP, 40, 2, None),
        ("nodejs20.x", 1024, HTTP, 160, 10, None),
        # fewer than one instance's worth: one instance whose HTTP concurrency is the reservation
        ("nodejs20.x", 1024, HTTP, 5, 1, 5),
        # 512 MB: 4 per instance; 4096 MB: 32 per instance
        ("nodejs20.x", 128, HTTP, 40, 10, None),
        ("nodejs20.x", 4096, HTTP, 64, 2, None),
        # Python: 1 per instance at every size
        ("python3.12", 1024, HTTP, 40, 40, None),
        # not HTTP: one instance a reserved execution, capped at Flex's 1000
        ("nodejs20.x", 1024, SQS, 25, 25, None),
        ("nodejs20.x", 1024, SQS, 3000, 1000, None),
    ],
)
def test_reserved_concurrency_caps_an_app_of_its_own(
    runtime: str, memory: int, events: str, reserved: int, instances: int, per_instance: int | None
) -> None:
    plan = convert(
        function(
            "Fn", Runtime=runtime, MemorySize=memory, Events=events, ReservedConcurrentExecutions=reserved
        ),
        function("Other", Runtime=runtime, MemorySize=memory, Events=events),
        QUEUE,
    )
    assert app_of(plan, "Fn").functions == ("Fn",)  # never shares: the cap is app-wide
    assert app_of(plan, "Other").functions == ("Other",)
    scale = site_of(plan, "Fn").body["properties"]["functionAppConfig"]["scaleAndConcurrency"]
    assert scale["maximumInstanceCount"] == instances
    assert app_of(plan, "Fn").maximum_instance_count == instances
    if per_instance is None:
        assert "triggers" not in scale
    else:
        assert scale["triggers"] == {"http": {"perInstanceConcurrency": per_instance}}
    # the other app keeps the deployment-wide parameter
    other = site_of(plan, "Other").body["properties"]["functionAppConfig"]["scaleAndConcurrency"]
    assert other["maximumInstanceCount"] == Ident("maximumInstanceCount")
    (message,) = findings_for(plan, "LF2014")
    assert f"maximumInstanceCount {instances}" in message
    assert ("lowest maximumInstanceCount" in message) == (instances < 40)  # §6.1: 1 now, 40 in older docs
    assert "per-instance concurrency" in message
    assert "ReservedConcurrentExecutions" in app_of(plan, "Fn").grouping_reason
    found = setting(plan, "ReservedConcurrentExecutions")
    assert (found.disposition, found.rule) == (Disposition.APPROXIMATED, "LF2014")


def test_reserved_concurrency_zero_disables_the_function() -> None:
    plan = convert(function("Fn", Events=SQS + HTTP, ReservedConcurrentExecutions=0), QUEUE)
    settings = app_settings(plan)
    # two events: two Azure functions, both disabled
    assert settings["AzureWebJobs.FnJobs.Disabled"] == "true"
    assert settings["AzureWebJobs.FnWeb.Disabled"] == "true"
    assert findings_for(plan, "LF2015")
    assert "LF2014" not in rules(plan)
    assert flex_config(plan)["scaleAndConcurrency"]["maximumInstanceCount"] == Ident("maximumInstanceCount")
    assert setting(plan, "ReservedConcurrentExecutions").rule == "LF2015"


def test_reserved_concurrency_from_a_parameter_is_reported() -> None:
    head = "Parameters:\n  Cap:\n    Type: Number\n    Default: 5\n"
    plan = convert(function(ReservedConcurrentExecutions="!Ref Cap"), head=head)
    assert [m for m in findings_for(plan, "LF2009") if "ReservedConcurrentExecutions" in m]
    assert setting(plan, "ReservedConcurrentExecutions").disposition is Disposition.UNSUPPORTED


# ---- provisioned concurrency -> alwaysReady ------------------------------------------------------


@pytest.mark.parametrize(
    ("runtime", "memory", "events", "extra", "provisioned", "ready"),
    [
        # HTTP group: ceil(provisioned / per-instance concurrency)
        ("nodejs20.x", 1024, HTTP, "", 5, [{"name": "http", "instanceCount": 1}]),
        ("nodejs20.x", 1024, HTTP, "", 40, [{"name": "http", "instanceCount": 3}]),
        ("python3.12", 1024, HTTP, "", 3, [{"name": "http", "instanceCount": 3}]),
        # Event Grid blob trigger: the 'blob' group
        ("nodejs20.x", 1024, S3, BUCKET, 2, [{"name": "blob", "instanceCount": 2}]),
        # every other trigger scales per function
        ("nodejs20.x", 1024, SQS, QUEUE, 4, [{"name": "function:Fn", "instanceCount": 4}]),
    ],
)
def test_provisioned_concurrency_becomes_always_ready(
    runtime: str, memory: int, events: str, extra: str, provisioned: int, ready: list[dict[str, Any]]
) -> None:
    config = f"{{ProvisionedConcurrentExecutions: {provisioned}}}"
    plan = convert(
        function(Runtime=runtime, MemorySize=memory, Events=events, ProvisionedConcurrencyConfig=config),
        extra,
    )
    assert flex_config(plan)["scaleAndConcurrency"]["alwaysReady"] == ready
    assert len(findings_for(plan, "LF2016")) == 1
    assert setting(plan, "ProvisionedConcurrencyConfig").rule == "LF2016"


def test_without_provisioned_concurrency_there_is_no_always_ready() -> None:
    assert "alwaysReady" not in flex_config(convert(function(Events=HTTP)))["scaleAndConcurrency"]


def test_always_ready_http_group_takes_the_largest_need() -> None:
    plan = convert(
        function(
            "A",
            Runtime="nodejs20.x",
            MemorySize=1024,
            Events=HTTP,
            ProvisionedConcurrencyConfig="{ProvisionedConcurrentExecutions: 40}",
        ),
        function(
            "B",
            Runtime="nodejs20.x",
            MemorySize=1024,
            Events=HTTP.replace("/x", "/y"),
            ProvisionedConcurrencyConfig="{ProvisionedConcurrentExecutions: 8}",
        ),
    )
    assert len(plan.apps) == 1
    # A: ceil(40 / 16) = 3, B: ceil(8 / 16) = 1; the group keeps the larger need
    assert flex_config(plan)["scaleAndConcurrency"]["alwaysReady"] == [{"name": "http", "instanceCount": 3}]


# ---- one finding per setting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "rule", "disposition"),
    [
        ("Architectures", "[arm64]", "LF2017", Disposition.APPROXIMATED),
        ("EphemeralStorage", "{Size: 10240}", "LF2018", Disposition.APPROXIMATED),
        ("SnapStart", "{ApplyOn: PublishedVersions}", "LF2019", Disposition.UNSUPPORTED),
        ("Layers", "[arn:aws:lambda:us-east-1:1:layer:deps:3]", "LF2020", Disposition.MANUAL),
        ("KmsKeyArn", "arn:aws:kms:us-east-1:1:key/k", "LF2024", Disposition.APPROXIMATED),
        ("SourceKMSKeyArn", "arn:aws:kms:us-east-1:1:key/k", "LF2024", Disposition.APPROXIMATED),
        (
            "CodeSigningConfigArn",
            "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1",
            "LF2025",
            Disposition.UNSUPPORTED,
        ),
        ("RuntimeManagementConfig", "{UpdateRuntimeOn: Auto}", "LF2026", Disposition.APPROXIMATED),
        ("RecursiveLoop", "Allow", "LF2027", Disposition.UNSUPPORTED),
        ("TenancyConfig", "{TenantIsolationMode: PER_TENANT}", "LF2027", Disposition.UNSUPPORTED),
        ("DurableConfig", "{ExecutionTimeout: 3600}", "LF2027", Disposition.MANUAL),
        (
            "CapacityProviderConfig",
            "{LambdaManagedInstancesCapacityProviderConfig: {CapacityProviderArn: arn}}",
            "LF2027",
            Disposition.UNSUPPORTED,
        ),
        ("AutoPublishAlias", "live", "LF2027", Disposition.UNSUPPORTED),
        ("DeploymentPreference", "{Type: Canary10Percent5Minutes}", "LF2027", Disposition.UNSUPPORTED),
        (
            "DeadLetterQueue",
            "Type: SQS\nTargetArn: arn:aws:sqs:us-east-1:1:dlq",
            "LF2029",
            Disposition.MANUAL,
        ),
        ("Tracing", "Active", "LF2028", Disposition.CONVERTED),
        ("Layers", "[!Ref MyLayer]", "LF2020", Disposition.MANUAL),
        ("RolePath", "/service/", "LF2027", Disposition.UNSUPPORTED),
        ("PermissionsBoundary", "arn:aws:iam::1:policy/boundary", "LF5009", Disposition.UNSUPPORTED),
    ],
)
def test_setting_finding_and_disposition(key: str, value: str, rule: str, disposition: Disposition) -> None:
    plan = convert(function(**{key: value}))
    assert len(findings_for(plan, rule)) == 1, rules(plan)
    assert "LF2009" not in rules(plan)  # every one of these is known, not "not translated"
    found = setting(plan, key)
    assert (found.disposition, found.rule) == (disposition, rule)


@pytest.mark.parametrize(("size", "warned"), [(512, False), (800, False), (801, True), (10240, True)])
def test_ephemeral_storage_limit(size: int, warned: bool) -> None:
    plan = convert(function(EphemeralStorage=f"{{Size: {size}}}"))
    assert bool(findings_for(plan, "LF2018")) == warned  # §2.11: 0.8 GB temporary storage


def test_layers_are_listed() -> None:
    plan = convert(function(Layers="[arn:aws:lambda:us-east-1:1:layer:deps:3, !Ref Shared]"))
    (message,) = findings_for(plan, "LF2020")
    assert "arn:aws:lambda:us-east-1:1:layer:deps:3" in message and "Shared" in message


def test_x86_architecture_is_silent() -> None:
    plan = convert(function(Architectures="[x86_64]"))
    assert "LF2017" not in rules(plan)
    assert setting(plan, "Architectures").disposition is Disposition.CONVERTED


def test_pass_through_tracing_is_silent() -> None:
    assert "LF2028" not in rules(convert(function(Tracing="PassThrough")))


def test_container_image_function_suggests_premium_or_container_apps() -> None:
    plan = convert(function(Runtime=None, Handler=None, CodeUri=None, PackageType="Image", ImageUri="r:t"))
    (message,) = findings_for(plan, "LF2010")
    assert "Premium" in message and "Container Apps" in message


# ---- logging -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "host_level"),
    [
        ("TRACE", "Trace"),
        ("DEBUG", "Debug"),
        ("INFO", "Information"),
        ("WARN", "Warning"),
        ("ERROR", "Error"),
        ("FATAL", "Critical"),
    ],
)
def test_application_log_level_becomes_host_json(level: str, host_level: str) -> None:
    plan = convert(function(LoggingConfig=f"{{ApplicationLogLevel: {level}}}", Events=HTTP))
    assert plan.apps[0].host_json["logging"]["logLevel"] == {"Function.Fn": host_level}
    assert setting(plan, "LoggingConfig").disposition is Disposition.CONVERTED


def test_log_format_and_group_are_reported() -> None:
    plan = convert(function(LoggingConfig="LogFormat: JSON\nLogGroup: /aws/custom"))
    (message,) = findings_for(plan, "LF2023")
    assert "LogFormat" in message and "LogGroup" in message
    assert "logLevel" not in plan.apps[0].host_json["logging"]
    assert setting(plan, "LoggingConfig").disposition is Disposition.APPROXIMATED


# ---- VPC and EFS ---------------------------------------------------------------------------------

VPC = "SubnetIds: [subnet-a, subnet-b]\nSecurityGroupIds: [sg-1]"


def test_vpc_becomes_a_delegated_subnet() -> None:
    plan = convert(function(VpcConfig=VPC))
    (vnet,) = of_type(plan, "Microsoft.Network/virtualNetworks")
    (subnet,) = vnet.body["properties"]["subnets"]
    assert subnet["properties"]["delegations"] == [
        {"name": "flex-consumption", "properties": {"serviceName": "Microsoft.App/environments"}}
    ]
    assert render(site(plan).body["properties"]["virtualNetworkSubnetId"]) == (
        f"'${{{vnet.symbol}.id}}/subnets/{subnet['name']}'"
    )
    (message,) = findings_for(plan, "LF2022")
    assert "subnet-a" in message and "sg-1" in message


def test_no_vpc_means_no_network() -> None:
    plan = convert(function(VpcConfig="SubnetIds: []\nSecurityGroupIds: []"))
    assert not of_type(plan, "Microsoft.Network/virtualNetworks")
    assert "virtualNetworkSubnetId" not in site(plan).body["properties"]


def test_each_vpc_app_gets_its_own_subnet() -> None:
    plan = convert(
        function("A", VpcConfig=VPC),
        function("B", VpcConfig="{SubnetIds: [subnet-c]}"),
        function("C"),
    )
    assert len(plan.apps) == 3  # different networks never share an app
    (vnet,) = of_type(plan, "Microsoft.Network/virtualNetworks")
    prefixes = [s["properties"]["addressPrefix"] for s in vnet.body["properties"]["subnets"]]
    assert prefixes == ["10.0.1.0/24", "10.0.2.0/24"]
    assert "virtualNetworkSubnetId" not in site_of(plan, "C").body["properties"]


def test_efs_becomes_an_azure_files_mount() -> None:
    efs = "- Arn: !GetAtt AccessPoint.Arn\n  LocalMountPath: /mnt/data"
    plan = convert(function(FileSystemConfigs=efs))
    (mounts,) = [
        r for r in of_type(plan, "Microsoft.Web/sites/config") if r.body["name"] == "azurestorageaccounts"
    ]
    ((name, mount),) = mounts.body["properties"].items()
    assert name == "accesspoint"  # named after the EFS access point
    assert mount["type"] == "AzureFiles" and mount["protocol"] == "Smb"
    assert mount["mountPath"] == "/mnt/data"
    (share,) = of_type(plan, "Microsoft.Storage/storageAccounts/fileServices/shares")
    assert render(mount["shareName"]) == f"{share.symbol}.name"
    assert render(mount["accessKey"]).endswith(".listKeys().keys[0].value")
    accounts = {r.symbol: r for r in of_type(plan, "Microsoft.Storage/storageAccounts")}
    # the host account stays keyless; the shares' account allows the key SMB mounts need
    assert accounts["storage"].body["properties"]["allowSharedKeyAccess"] is False
    assert render(mount["accountName"]).removesuffix(".name") in accounts
    files = accounts[render(mount["accountName"]).removesuffix(".name")]
    assert files.body["properties"]["allowSharedKeyAccess"] is True
    assert findings_for(plan, "LF2021")


# ---- grouping ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ({}, {}, True),
        ({"MemorySize": 128}, {"MemorySize": 256}, True),  # both 512 MB instances
        ({"MemorySize": 128}, {"MemorySize": 1024}, False),
        ({"Runtime": "python3.12"}, {"Runtime": "python3.11"}, False),
        ({"VpcConfig": VPC}, {"VpcConfig": VPC}, True),
        ({"VpcConfig": VPC}, {}, False),
        ({"Architectures": "[arm64]"}, {"Architectures": "[arm64]"}, True),
        ({"Architectures": "[arm64]"}, {}, False),
        ({"ReservedConcurrentExecutions": 10}, {}, False),
        ({"ReservedConcurrentExecutions": 10}, {"ReservedConcurrentExecutions": 10}, False),
        ({"ReservedConcurrentExecutions": 0}, {}, True),  # disabled, not capped
        ({"ProvisionedConcurrencyConfig": "{ProvisionedConcurrentExecutions: 2}"}, {}, True),
    ],
)
def test_grouping(a: dict[str, Any], b: dict[str, Any], shared: bool) -> None:
    plan = convert(function("A", **a), function("B", **b))
    assert (len(plan.apps) == 1) == shared
    if shared:
        (message,) = [f.message for f in plan.findings if f.rule == "LF2012"]
        assert plan.apps[0].grouping_reason in message


def test_grouping_reason_names_what_is_shared() -> None:
    plan = convert(function("A", VpcConfig=VPC), function("B", VpcConfig=VPC))
    (app,) = plan.apps
    assert app.grouping_reason == (
        "same runtime (python 3.12), instance memory (512 MB), network (subnets subnet-a, subnet-b; "
        "security groups sg-1) and architecture (x86_64)"
    )


def test_app_per_function_overrides_grouping() -> None:
    plan = convert(function("A"), function("B"), options=Options(app_per_function=True))
    assert len(plan.apps) == 2
    assert {a.grouping_reason for a in plan.apps} == {"each function has its own app (--app-per-function)"}


# ---- everything at once passes the Bicep and host.json validators --------------------------------

EVERY_SETTING = (
    function(
        "Capped",
        Runtime="nodejs20.x",
        MemorySize=1024,
        Events=HTTP,
        ReservedConcurrentExecutions=40,
        ProvisionedConcurrencyConfig="{ProvisionedConcurrentExecutions: 20}",
        VpcConfig=VPC,
        FileSystemConfigs="- Arn: !GetAtt AccessPoint.Arn\n  LocalMountPath: /mnt/data",
        LoggingConfig="{ApplicationLogLevel: DEBUG, LogFormat: JSON}",
        Environment="Variables:\n  DB_PASSWORD: not-a-real-password\n  TABLE: orders\n",
        Architectures="[arm64]",
        Layers="[arn:aws:lambda:us-east-1:1:layer:deps:3]",
    )
    + function("Off", Events=SQS, ReservedConcurrentExecutions=0)
    + function("Warm", Events=S3, ProvisionedConcurrencyConfig="{ProvisionedConcurrentExecutions: 2}")
    + QUEUE
    + BUCKET
    + "  AccessPoint:\n    Type: AWS::EFS::AccessPoint\n    Properties:\n      FileSystemId: fs-1\n"
)


def test_every_setting_passes_the_validators(bicep_types_dir: Any, host_json_schema_path: Any) -> None:
    import json

    from translator.api import render as render_files
    from translator.validate.bicep import TypeData, check_bicep_text
    from translator.validate.hostjson import host_json_problems

    plan = convert(EVERY_SETTING)
    files = render_files(plan)
    diagnostics = check_bicep_text(files["infra/main.bicep"], "main.bicep", TypeData.load(bicep_types_dir))
    assert [str(d) for d in diagnostics] == []
    schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    for path in (p for p in files if p.endswith("host.json")):
        assert host_json_problems(json.loads(files[path]), schema, path) == []
    assert "not-a-real-password" not in "".join(files.values())
    # what the template asked for is all there
    bicep = files["infra/main.bicep"]
    for text in (
        "Microsoft.App/environments",
        "azurestorageaccounts",
        "@Microsoft.KeyVault(SecretUri=",
        "alwaysReady",
        "'AzureWebJobs.Off.Disabled': 'true'",
    ):
        assert text in bicep


def test_subnets_run_out_after_255_apps() -> None:
    from translator.load import load_text
    from translator.mapping.context import Builder
    from translator.mapping.network import Network
    from translator.mapping.tables import Tables
    from translator.parsers.template import parse_document

    graph = parse_document(load_text("Resources: {}\n", "t.yaml"))
    network = Network(Builder(graph, Tables.load(), Options(), "t"))
    ids = [network.subnet_for(f"app{i}", ()) for i in range(255)]
    assert None not in ids
    (vnet,) = network.b.resources
    prefixes = [s["properties"]["addressPrefix"] for s in vnet.body["properties"]["subnets"]]
    # a /16 holds the /24 subnets 10.0.1.0 ... 10.0.255.0 (10.0.0.0/24 is left free)
    assert prefixes[0] == "10.0.1.0/24" and prefixes[-1] == "10.0.255.0/24"
    assert len(set(prefixes)) == 255
    assert network.subnet_for("one-too-many", ()) is None


def test_app_per_function_on_the_command_line(tmp_path: Any) -> None:
    from translator.cli import main

    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n" + function("A") + function("B"),
        encoding="utf-8",
    )
    for flag, apps in (([], 1), (["--app-per-function"], 2)):
        out = tmp_path / f"out{len(flag)}"
        assert main(["convert", str(template), "--output", str(out), "-q", *flag]) == 0
        assert len([p for p in (out / "src").iterdir() if (p / "host.json").is_file()]) == apps


def test_the_settings_table_is_consistent() -> None:
    from translator.mapping.functions import _HANDLED
    from translator.mapping.tables import Tables
    from translator.rules import RULES

    table = Tables.load().settings["function_settings"]
    for key, spec in table.items():
        if "rule" in spec:
            assert spec["rule"] in RULES, key
        else:
            # a listed setting without a rule is translated by code, never reported as "not translated"
            assert key in _HANDLED or key == "InlineCode", key


def test_metrics_config_is_silent_and_converted() -> None:
    plan = convert(function(MetricsConfig="{Metrics: [EventCount]}"))
    assert "LF2009" not in rules(plan)
    assert setting(plan, "MetricsConfig").disposition is Disposition.CONVERTED


# ---- tags ----------------------------------------------------------------------------------------


def test_function_tags_become_the_apps_tags_and_azd_keeps_its_own() -> None:
    plan = convert(
        function("Fn", Tags="{team: payments, cost-center: 42, azd-service-name: mine}"),
        function("Other", Tags="{team: payments, tier: gold}"),
    )
    tags = site_of(plan, "Fn").body["tags"]
    # one app: its tags are the union, and azd-service-name (how azd finds the app) comes last, so wins
    assert tags.fn == "union"
    assert tags.args == (
        Ident("tags"),
        {"team": "payments", "cost-center": "42", "azd-service-name": "mine", "tier": "gold"},
        {"azd-service-name": app_of(plan, "Fn").name},
    )
    assert (setting(plan, "Tags").disposition, setting(plan, "Tags").rule) == (Disposition.CONVERTED, None)
    assert "LF2030" not in rules(plan)


def test_cloudformation_tag_lists_and_tags_azure_cannot_take() -> None:
    long_value = "v" * 257
    plan = convert(
        function("Fn", Tags=f"{{team: a, 'a/b': x, long: {long_value}}}"),
        function("Other", Tags="{team: b}"),
    )
    tags = site_of(plan, "Fn").body["tags"]
    assert tags.args[1] == {"team": "a"}
    assert sorted(findings_for(plan, "LF2030", "Fn")) == [
        "tag 'a/b' is not a valid Azure tag name (no < > % & \\ ? /, 1-512 characters); not set on the app",
        "tag 'long' has a value longer than Azure's 256 characters; not set on the app",
    ]
    assert findings_for(plan, "LF2030", "Other") == [
        "tag 'team' differs from the value 'Fn' gives app 't'; not set on the app"
    ]
    assert setting(plan, "Tags", "Other").disposition is Disposition.APPROXIMATED
    text = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
        "    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      Role: arn:aws:iam::1:role/r\n"
        "      Code: {ZipFile: x}\n      Tags: [{Key: team, Value: a}, {Key: owner, Value: !Ref AWS::StackName}]\n"
    )
    cfn = map_graph(parse_document(load_text(text, "t.yaml")))
    (app,) = [r for r in cfn.resources if r.type == "Microsoft.Web/sites"]
    assert render(app.body["tags"].args[1]).splitlines()[1:3] == ["  team: 'a'", "  owner: environmentName"]
