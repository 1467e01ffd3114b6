"""Function settings and grouping into Flex Consumption apps (translator/mapping/functions.py, core.py).

Expected values come from research/azure-target.md:

- §2.2 Flex runtimes: python 3.10-3.13, node 20/22, java 11/17/21, dotnet-isolated 8.0/9.0/10.0,
  powershell 7.4, custom 1.0; no containers (§2.1), so PackageType Image cannot run.
- §2.3 instance memory: 512, 2048 or 4096 MB; the smallest size that holds the Lambda memory.
- §2.5/§4.1 functionTimeout is app-wide hh:mm:ss; an HTTP response must start within 230 s.
- §2.1 one function app per Flex plan; runtime, memory and functionTimeout are app-wide, so functions
  that differ in them need separate apps.
- §2.6 app settings Flex rejects (FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION,
  WEBSITE_RUN_FROM_PACKAGE, WEBSITE_TIME_ZONE ...) must never be emitted.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from translator.bicep import Ident, render
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.context import Options
from translator.mapping.core import map_graph
from translator.mapping.tables import Tables
from translator.parsers.template import parse_document
from translator.plan import AzurePlan, AzureResource

# research/azure-target.md §2.2 (name, version) pairs Flex Consumption runs
FLEX_STACKS = {
    ("python", "3.10"),
    ("python", "3.11"),
    ("python", "3.12"),
    ("python", "3.13"),
    ("node", "20"),
    ("node", "22"),
    ("java", "11"),
    ("java", "17"),
    ("java", "21"),
    ("dotnet-isolated", "8.0"),
    ("dotnet-isolated", "9.0"),
    ("dotnet-isolated", "10.0"),
    ("powershell", "7.4"),
    ("custom", "1.0"),
}

# research/azure-target.md §2.6: must not be emitted as app settings on Flex Consumption
DEPRECATED_SETTINGS = {
    "FUNCTIONS_WORKER_RUNTIME",
    "FUNCTIONS_WORKER_RUNTIME_VERSION",
    "FUNCTIONS_EXTENSION_VERSION",
    "FUNCTIONS_MAX_HTTP_CONCURRENCY",
    "FUNCTIONS_WORKER_PROCESS_COUNT",
    "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
    "ENABLE_ORYX_BUILD",
    "SCM_DO_BUILD_DURING_DEPLOYMENT",
    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_CONTENTSHARE",
    "WEBSITE_SKIP_CONTENTSHARE_VALIDATION",
    "WEBSITE_RUN_FROM_PACKAGE",
    "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
    "WEBSITE_NODE_DEFAULT_VERSION",
    "WEBSITE_CONTENTOVERVNET",
    "WEBSITE_VNET_ROUTE_ALL",
    "WEBSITE_DNS_SERVER",
    "WEBSITE_TIME_ZONE",
    "TZ",
    "APPINSIGHTS_INSTRUMENTATIONKEY",
}

RUNTIMES: dict[str, dict[str, Any]] = Tables.load().runtimes["runtimes"]


def function(name: str = "Fn", **props: Any) -> str:
    """YAML for one AWS::Serverless::Function; ``props`` values are YAML snippets (None drops a default)."""
    values: dict[str, Any] = {"Runtime": "python3.12", "Handler": "app.handler", "CodeUri": "src/"}
    values.update(props)
    lines = [f"  {name}:", "    Type: AWS::Serverless::Function", "    Properties:"]
    for key, value in values.items():
        if value is None:
            continue
        text = textwrap.dedent(value).strip("\n") if isinstance(value, str) else str(value)
        if "\n" in text:
            lines.append(f"      {key}:")
            lines.append(textwrap.indent(text, "        "))
        else:
            lines.append(f"      {key}: {text}")
    return "\n".join(lines) + "\n"


def convert(*functions: str, options: Options | None = None, head: str = "") -> AzurePlan:
    text = "Transform: AWS::Serverless-2016-10-31\n" + head + "Resources:\n" + "".join(functions)
    return map_graph(parse_document(load_text(text, "t.yaml")), options=options)


def of_type(plan: AzurePlan, azure_type: str) -> list[AzureResource]:
    return [r for r in plan.resources if r.type == azure_type]


def site(plan: AzurePlan) -> AzureResource:
    (found,) = of_type(plan, "Microsoft.Web/sites")
    return found


def flex_config(plan: AzurePlan) -> dict[str, Any]:
    return site(plan).body["properties"]["functionAppConfig"]


def app_settings(plan: AzurePlan) -> dict[str, Any]:
    (config,) = of_type(plan, "Microsoft.Web/sites/config")
    return config.body["properties"]


def rules(plan: AzurePlan) -> list[str]:
    return [f.rule for f in plan.findings]


def findings_for(plan: AzurePlan, rule: str, resource: str = "Fn") -> list[str]:
    return [f.message for f in plan.findings if f.rule == rule and f.resource == resource]


# ---- runtimes ------------------------------------------------------------------------------------


RUNTIME_IDS = {runtime: f"R{i}" for i, runtime in enumerate(sorted(RUNTIMES))}


@pytest.fixture(scope="module")
def runtime_plan() -> AzurePlan:
    """Every runtime of the table in one template, one app per function (one mapping run, fast)."""
    functions = [function(lid, Runtime=runtime) for runtime, lid in RUNTIME_IDS.items()]
    return convert(*functions, options=Options(app_per_function=True))


@pytest.mark.parametrize("aws_runtime", sorted(RUNTIMES))
def test_runtime_table(runtime_plan: AzurePlan, aws_runtime: str) -> None:
    entry = RUNTIMES[aws_runtime]
    lid = RUNTIME_IDS[aws_runtime]
    plan = runtime_plan
    (fn,) = [f for f in plan.functions if f.logical_id == lid]
    (app,) = [a for a in plan.apps if lid in a.functions]
    (app_site,) = [r for r in plan.resources if r.symbol == app.site_symbol]
    status = entry["status"]
    if status == "unsupported":
        assert findings_for(plan, "LF2002", lid)
        assert fn.disposition is Disposition.MANUAL
        return
    stack = (entry["name"], str(entry["version"]))
    # every target of the table is a stack Flex Consumption offers (§2.2)
    assert stack in FLEX_STACKS
    assert app_site.body["properties"]["functionAppConfig"]["runtime"] == {
        "name": stack[0],
        "version": stack[1],
    }
    assert (app.runtime_name, app.runtime_version) == stack
    assert fn.runtime == f"{stack[0]} {stack[1]}"
    assert fn.aws_runtime == aws_runtime
    expected_rule = {"same": None, "changed": "LF2001", "custom": "LF2003"}[status]
    for rule in ("LF2001", "LF2002", "LF2003"):
        assert bool(findings_for(plan, rule, lid)) == (rule == expected_rule), rule
    if status == "same":
        # the same language and version: the version is part of the Lambda runtime name
        assert stack[1].removesuffix(".0") in aws_runtime
        assert fn.disposition is not Disposition.MANUAL
    if status == "custom":
        assert stack == ("custom", "1.0")
        assert fn.disposition is Disposition.MANUAL


@pytest.mark.parametrize(
    ("aws_runtime", "stack"),
    [
        ("python3.12", ("python", "3.12")),
        ("nodejs20.x", ("node", "20")),
        ("nodejs22.x", ("node", "22")),
        ("java21", ("java", "21")),
        ("dotnet8", ("dotnet-isolated", "8.0")),
        ("python3.9", ("python", "3.11")),
        ("nodejs18.x", ("node", "20")),
        ("provided.al2023", ("custom", "1.0")),
        ("go1.x", ("custom", "1.0")),
    ],
)
def test_well_known_runtimes(aws_runtime: str, stack: tuple[str, str]) -> None:
    plan = convert(function(Runtime=aws_runtime))
    assert flex_config(plan)["runtime"] == {"name": stack[0], "version": stack[1]}


def test_extension_bundle_except_for_dotnet() -> None:
    # non-C# apps need the extension bundle [4.*, 5.0.0) (§2.9, §4.2); .NET isolated apps use NuGet packages
    python = convert(function(Runtime="python3.12")).apps[0].host_json
    assert python["extensionBundle"] == {
        "id": "Microsoft.Azure.Functions.ExtensionBundle",
        "version": "[4.*, 5.0.0)",
    }
    assert python["version"] == "2.0"
    dotnet = convert(function(Runtime="dotnet8", Handler="Orders::Orders.Function::Handle")).apps[0].host_json
    assert "extensionBundle" not in dotnet


def test_unknown_runtime() -> None:
    plan = convert(function(Runtime="cobol1"))
    assert findings_for(plan, "LF2002")
    assert plan.functions[0].disposition is Disposition.MANUAL
    assert_runtime_params(plan)


def assert_runtime_params(plan: AzurePlan) -> None:
    runtime = flex_config(plan)["runtime"]
    declared = {p.name: p for p in plan.params}
    for key in ("name", "version"):
        value = runtime[key]
        assert isinstance(value, Ident), render(value)
        assert declared[value.name].type == "string"
        assert not declared[value.name].has_default
    assert runtime["name"] != runtime["version"]


def test_package_type_image() -> None:
    plan = convert(
        function(Runtime=None, Handler=None, CodeUri=None, PackageType="Image", ImageUri="repo:tag")
    )
    assert findings_for(plan, "LF2010")
    assert plan.functions[0].disposition is Disposition.MANUAL
    assert_runtime_params(plan)


def test_missing_runtime() -> None:
    plan = convert(function(Runtime=None))
    assert findings_for(plan, "LF2004")
    assert plan.functions[0].runtime is None
    assert_runtime_params(plan)


def test_runtime_from_globals() -> None:
    head = "Globals:\n  Function:\n    Runtime: nodejs22.x\n"
    plan = convert(function(Runtime=None), head=head)
    assert flex_config(plan)["runtime"] == {"name": "node", "version": "22"}
    assert "LF2004" not in rules(plan)


# ---- memory --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("memory", "instance", "rule"),
    [
        (128, 512, "LF2005"),
        (512, 512, None),
        (513, 2048, "LF2005"),
        (1024, 2048, "LF2005"),
        (2048, 2048, None),
        (2049, 4096, "LF2005"),
        (3008, 4096, "LF2005"),
        (4096, 4096, None),
        (10240, 4096, "LF2006"),
        (None, 512, "LF2005"),  # Lambda's default is 128 MB
    ],
)
def test_memory_tiers(memory: int | None, instance: int, rule: str | None) -> None:
    plan = convert(function(MemorySize=memory))
    assert flex_config(plan)["scaleAndConcurrency"]["instanceMemoryMB"] == instance
    assert plan.apps[0].instance_memory_mb == instance
    (fn,) = plan.functions
    assert fn.instance_memory_mb == instance
    assert fn.memory_mb == (memory or 128)
    for candidate in ("LF2005", "LF2006"):
        assert bool(findings_for(plan, candidate)) == (candidate == rule), candidate


def test_memory_from_a_parameter_uses_the_default_instance() -> None:
    head = "Parameters:\n  Mem:\n    Type: Number\n    Default: 256\n"
    plan = convert(function(MemorySize="!Ref Mem"), head=head)
    assert flex_config(plan)["scaleAndConcurrency"]["instanceMemoryMB"] == 2048
    assert findings_for(plan, "LF2009")


def test_maximum_instance_count_is_a_parameter() -> None:
    plan = convert(function())
    assert flex_config(plan)["scaleAndConcurrency"]["maximumInstanceCount"] == Ident("maximumInstanceCount")
    (param,) = [p for p in plan.params if p.name == "maximumInstanceCount"]
    assert param.type == "int" and param.default == 100  # §2.4 default
    assert (param.min_value, param.max_value) == (1, 1000)  # §2.4 maximum 1000


# ---- timeout -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timeout", "text"),
    [(3, "00:00:03"), (60, "00:01:00"), (61, "00:01:01"), (900, "00:15:00"), (None, "00:00:03")],
)
def test_timeout_becomes_function_timeout(timeout: int | None, text: str) -> None:
    plan = convert(function(Timeout=timeout))
    assert plan.apps[0].host_json["functionTimeout"] == text
    assert plan.functions[0].timeout_seconds == (timeout or 3)


@pytest.mark.parametrize(("timeout", "warned"), [(300, True), (231, True), (230, False), (30, False)])
def test_http_timeout_above_response_limit(timeout: int, warned: bool) -> None:
    events = "Web:\n  Type: HttpApi\n  Properties:\n    Path: /x\n    Method: get\n"
    plan = convert(function(Timeout=timeout, Events=events))
    assert bool(findings_for(plan, "LF2007")) == warned


def test_long_timeout_without_http_is_fine() -> None:
    events = "Tick:\n  Type: Schedule\n  Properties:\n    Schedule: rate(1 hour)\n"
    plan = convert(function(Timeout=900, Events=events))
    assert "LF2007" not in rules(plan)


def test_grouped_functions_use_the_largest_timeout() -> None:
    plan = convert(function("A", Timeout=30), function("B", Timeout=600))
    (app,) = plan.apps
    assert app.host_json["functionTimeout"] == "00:10:00"
    assert "LF2008" in rules(plan)


# ---- grouping ------------------------------------------------------------------------------------


def apps_by_function(plan: AzurePlan) -> dict[str, str]:
    return {f.logical_id: f.app for f in plan.functions}


def assert_one_plan_per_app(plan: AzurePlan) -> None:
    # §2.1: only one function app per Flex Consumption plan
    farms = of_type(plan, "Microsoft.Web/serverfarms")
    assert len(farms) == len(plan.apps) == len(of_type(plan, "Microsoft.Web/sites"))
    for farm in farms:
        assert farm.body["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
    assert len(
        {render(s.body["properties"]["serverFarmId"]) for s in of_type(plan, "Microsoft.Web/sites")}
    ) == len(farms)


def test_same_runtime_and_instance_size_share_an_app() -> None:
    plan = convert(function("A", MemorySize=128), function("B", MemorySize=256))  # both run on 512 MB
    (app,) = plan.apps
    assert set(app.functions) == {"A", "B"}
    assert set(apps_by_function(plan).values()) == {app.name}
    assert "LF2012" in rules(plan)
    assert_one_plan_per_app(plan)


def test_different_instance_sizes_get_two_apps() -> None:
    plan = convert(function("A", MemorySize=128), function("B", MemorySize=1024))
    assert len(plan.apps) == 2
    by_memory = {a.instance_memory_mb: a for a in plan.apps}
    assert set(by_memory) == {512, 2048}
    assert by_memory[512].functions == ("A",)
    assert by_memory[2048].functions == ("B",)
    assert apps_by_function(plan) == {"A": by_memory[512].name, "B": by_memory[2048].name}
    assert "LF2012" not in rules(plan)
    assert_one_plan_per_app(plan)


def test_different_runtimes_get_two_apps() -> None:
    plan = convert(function("A", Runtime="python3.12"), function("B", Runtime="nodejs20.x"))
    runtimes = {a.runtime_name: a.functions for a in plan.apps}
    assert runtimes == {"python": ("A",), "node": ("B",)}
    assert len({a.name for a in plan.apps}) == 2
    assert_one_plan_per_app(plan)


def test_app_per_function_option() -> None:
    plan = convert(function("A"), function("B"), options=Options(app_per_function=True))
    assert sorted(a.functions for a in plan.apps) == [("A",), ("B",)]
    assert len(set(apps_by_function(plan).values())) == 2
    assert "LF2012" not in rules(plan)
    assert_one_plan_per_app(plan)


def test_each_app_has_its_own_identity() -> None:
    plan = convert(function("A", MemorySize=128), function("B", MemorySize=1024))
    identities = of_type(plan, "Microsoft.ManagedIdentity/userAssignedIdentities")
    assert len(identities) == 2
    used = set()
    for app_site in of_type(plan, "Microsoft.Web/sites"):
        assert app_site.body["identity"]["type"] == "UserAssigned"
        (key,) = app_site.body["identity"]["userAssignedIdentities"]
        used.add(render(key))
    assert used == {f"'${{{i.symbol}.id}}'" for i in identities}


# ---- environment and app settings ----------------------------------------------------------------


def test_environment_variables_become_app_settings() -> None:
    env = "Variables:\n  TABLE: orders\n  LIMIT: 10\n  DEBUG: false\n"
    settings = app_settings(convert(function(Environment=env)))
    assert settings["TABLE"] == "orders"
    assert settings["LIMIT"] == "10"  # app settings are strings
    assert settings["DEBUG"] == "false"


def settings_by_app(plan: AzurePlan) -> dict[str, dict[str, Any]]:
    """App name -> its app settings."""
    configs = {
        r.body["parent"].name: r.body["properties"] for r in of_type(plan, "Microsoft.Web/sites/config")
    }
    return {app.name: configs[app.site_symbol] for app in plan.apps}


def test_differing_environment_splits_the_app() -> None:
    plan = convert(
        function("A", Environment="Variables:\n  MODE: fast\n  SHARED: same\n"),
        function("B", Environment="Variables:\n  MODE: slow\n  SHARED: same\n  ONLY_B: b\n"),
        function("C", Environment="Variables:\n  MODE: fast\n  ONLY_C: c\n"),
    )
    # first fit in template order: C agrees with A, B does not; the extra app is named after B
    assert [(app.name, app.functions) for app in plan.apps] == [("t", ("A", "C")), ("t-b", ("B",))]
    settings = settings_by_app(plan)
    assert (settings["t"]["MODE"], settings["t"]["SHARED"], settings["t"]["ONLY_C"]) == ("fast", "same", "c")
    assert "ONLY_B" not in settings["t"]
    assert (settings["t-b"]["MODE"], settings["t-b"]["SHARED"], settings["t-b"]["ONLY_B"]) == (
        "slow",
        "same",
        "b",
    )
    (split,) = [f for f in plan.findings if f.rule == "LF2013"]
    assert split.severity.value == "info"
    assert split.resource == "B"
    assert split.loc is not None and split.loc.line == 21  # B's MODE
    assert split.message == (
        "environment variable 'MODE' differs between 'A' and 'B', which would otherwise share the app 't'; "
        "app settings are app-wide, so 'B' runs in the app 't-b'"
    )
    reasons = {app.name: app.grouping_reason for app in plan.apps}
    assert "MODE" not in reasons["t"]
    assert reasons["t-b"].endswith(
        "; not with 'A': environment variable 'MODE' differs between 'A' and 'B' (app settings are app-wide)"
    )
    # each function reads its own value: the environment is translated, not approximated
    environment = {
        fn.logical_id: next(s for s in fn.settings if s.name == "Environment") for fn in plan.functions
    }
    assert {lid: s.disposition for lid, s in environment.items()} == dict.fromkeys(
        "ABC", Disposition.CONVERTED
    )


def test_environment_split_uses_the_fewest_apps() -> None:
    plan = convert(
        function("A", Environment="Variables:\n  X: '1'\n"),
        function("B", Environment="Variables:\n  X: '2'\n"),
        function("C", Environment="Variables:\n  X: '2'\n  Y: c\n"),
        function("D", Environment="Variables:\n  X: '1'\n"),
        function("E", Environment="Variables:\n  X: '3'\n"),
    )
    assert [(app.name, app.functions) for app in plan.apps] == [
        ("t", ("A", "D")),
        ("t-b", ("B", "C")),
        ("t-e", ("E",)),
    ]
    assert [(f.resource, "'X'" in f.message) for f in plan.findings if f.rule == "LF2013"] == [
        ("B", True),
        ("E", True),
    ]


@pytest.mark.parametrize(
    ("a", "b", "apps"),
    [
        ("X: a", "Y: b", 1),  # set by one function, absent in the other: no conflict
        ("PORT: 8080", "PORT: '8080'", 1),  # both become the app setting '8080'
        ("FLAG: true", "FLAG: 'true'", 1),
        ("T: !Ref P1", "T: !Ref P1", 1),
        ("T: !Ref P1", "T: !Ref P2", 2),
        ("T: !Sub '${P1}-x'", "T: !Sub '${P1}-y'", 2),
        ("FUNCTIONS_WORKER_RUNTIME: python", "FUNCTIONS_WORKER_RUNTIME: node", 1),  # reserved: not emitted
    ],
)
def test_environment_conflict_compares_template_values(a: str, b: str, apps: int) -> None:
    head = "Parameters:\n  P1: {Type: String}\n  P2: {Type: String}\n"
    plan = convert(
        function("A", Environment=f"Variables:\n  {a}\n"),
        function("B", Environment=f"Variables:\n  {b}\n"),
        head=head,
    )
    assert len(plan.apps) == apps
    assert rules(plan).count("LF2013") == apps - 1


def test_globals_variables_never_split_but_an_override_does() -> None:
    head = (
        "Globals:\n  Function:\n    Environment:\n      Variables:\n        STAGE: prod\n        LOG: info\n"
    )
    same = convert(function("A"), function("B", Environment="Variables:\n  OWN: b\n"), head=head)
    assert len(same.apps) == 1 and "LF2013" not in rules(same)
    assert app_settings(same)["STAGE"] == "prod"
    override = convert(function("A"), function("B", Environment="Variables:\n  LOG: debug\n"), head=head)
    assert [app.functions for app in override.apps] == [("A",), ("B",)]
    assert {name: s["LOG"] for name, s in settings_by_app(override).items()} == {"t": "info", "t-b": "debug"}
    assert [f.message.split(",")[0] for f in override.findings if f.rule == "LF2013"] == [
        "environment variable 'LOG' differs between 'A' and 'B'"
    ]


def test_differing_environment_in_separate_apps_is_fine() -> None:
    plan = convert(
        function("A", Environment="Variables:\n  MODE: fast\n"),
        function("B", Environment="Variables:\n  MODE: slow\n"),
        options=Options(app_per_function=True),
    )
    assert "LF2013" not in rules(plan)


@pytest.mark.parametrize(
    "name",
    [
        "FUNCTIONS_WORKER_RUNTIME",
        "FUNCTIONS_EXTENSION_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_TIME_ZONE",
        "TZ",
        "AzureWebJobsStorage",
        "AzureWebJobsFeatureFlags",
    ],
)
def test_reserved_environment_variable(name: str) -> None:
    plan = convert(function(Environment=f"Variables:\n  {name}: user-value\n  KEPT: yes-kept\n"))
    settings = app_settings(plan)
    assert name not in settings
    assert settings["KEPT"] == "yes-kept"
    assert [m for m in findings_for(plan, "LF2011") if name in m]
    assert "user-value" not in {v for v in settings.values() if isinstance(v, str)}


def test_environment_cannot_replace_a_generated_setting() -> None:
    plan = convert(function(Environment="Variables:\n  APPLICATIONINSIGHTS_CONNECTION_STRING: mine\n"))
    settings = app_settings(plan)
    assert (
        render(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]) == "appInsights.properties.ConnectionString"
    )
    assert "LF2011" in rules(plan)


@pytest.mark.parametrize(
    "runtime",
    ["python3.12", "nodejs22.x", "java21", "dotnet8", "provided.al2023", "cobol1", None],
)
def test_app_settings_never_hold_settings_flex_rejects(runtime: str | None) -> None:
    events = "Web:\n  Type: Api\n  Properties:\n    Path: /x\n    Method: get\n"
    plan = convert(function(Runtime=runtime, Events=events))
    settings = app_settings(plan)
    assert not set(settings) & DEPRECATED_SETTINGS
    # the host uses identity-based storage, never a connection string (§2.7)
    assert "AzureWebJobsStorage" not in settings
    assert settings["AzureWebJobsStorage__credential"] == "managedidentity"
    site_props = site(plan).body["properties"]
    assert "alwaysOn" not in site_props.get("siteConfig", {})
    assert not {"linuxFxVersion", "LinuxFxVersion", "functionAppScaleLimit"} & set(
        site_props.get("siteConfig", {})
    )
