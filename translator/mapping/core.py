"""map_graph: ResourceGraph -> AzurePlan.

Order of work: shared infrastructure (monitoring, host storage), the Azure counterpart of every AWS
resource that has one, then function apps (grouped by runtime and instance size) with their triggers,
outputs, and finally the inventory that accounts for every input resource.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any

from translator.bicep import BinOp, Call, Ident, Prop, identifiers, interp, render
from translator.findings import Disposition, Finding, Severity, sorted_findings
from translator.graph import Resource, ResourceGraph
from translator.mapping import http_routes, names
from translator.mapping.context import Builder, Options, Target
from translator.mapping.dispositions import setting_plans
from translator.mapping.expressions import NO_VALUE, Expressions, Untranslatable, settings_object
from translator.mapping.functions import (
    FunctionMapper,
    FunctionSettings,
    always_ready,
    file_mounts,
    host_timeout,
    log_levels,
)
from translator.mapping.grants import grant_policies, serialize_cosmos_assignments
from translator.mapping.quotas import check_child_limits
from translator.mapping.rule_targets import route_rule_targets
from translator.mapping.secrets_detect import literal_secret
from translator.mapping.services import Services, kebab, storage_account_body
from translator.mapping.state_machines import (
    StateMachine,
    api_links,
    event_message,
    function_routes,
    policy_messages,
    state_machines,
)
from translator.mapping.tables import Tables
from translator.mapping.tags import app_tags
from translator.mapping.triggers import AppContext, Triggers, raw_function_name
from translator.mapping.waves import plan_migration
from translator.plan import (
    AppPlan,
    AzurePlan,
    AzureResource,
    BicepOutput,
    BicepParam,
    FunctionPlan,
    InventoryEntry,
    TriggerPlan,
)
from translator.values import Loc, Obj

_STORAGE = "Microsoft.Storage/storageAccounts"


def project_name(path: str) -> str:
    """A short project name from the template path (the folder for template.yaml-like names).

    >>> project_name("apps/orders-api/template.yaml"), project_name("image-pipeline.json")
    ('orders-api', 'image-pipeline')
    """
    parts = re.split(r"[\\/]", path)
    stem = re.sub(r"\.(ya?ml|json|template)$", "", parts[-1], flags=re.I)
    if (
        stem.lower() in ("template", "serverless", "main", "cloudformation", "stack", "sam")
        and len(parts) > 1
    ):
        stem = parts[-2]
    return kebab(stem, 24) or "app"


def map_graph(
    graph: ResourceGraph,
    tables: Tables | None = None,
    options: Options | None = None,
    name: str | None = None,
) -> AzurePlan:
    tables = tables or Tables.load()
    options = options or Options()
    name = name or (kebab(graph.name, 24) if graph.name else project_name(graph.file))
    b = Builder(graph, tables, options, name)
    x = Expressions(b)
    services = Services(b, x)
    _infrastructure(b)

    for resource in graph.resources:
        spec = tables.services["services"].get(resource.type)
        if spec and spec.get("handler") in services.handlers:
            services.handlers[spec["handler"]](resource)

    mapper = FunctionMapper(b, x)
    settings = [mapper.settings_for(fn) for fn in graph.functions]
    groups = _group(settings, b)
    triggers = Triggers(b, x, services)
    triggers.queue_subscriptions()  # SNS -> SQS subscriptions, once every topic and queue exists
    route_rule_targets(triggers)  # EventBridge rules' targets that are not functions
    apps: list[AppPlan] = []
    function_plans: list[FunctionPlan] = []
    sites = {app_name: _register_functions(b, app_name, members) for app_name, members, _ in groups}
    host_ids = names.host_id_keys([app_name for app_name, _, _ in groups])
    http_routes.register_implicit_apis(
        b, {fs.fn.logical_id: sites[app_name] for app_name, members, _ in groups for fs in members}
    )
    app_conditions: dict[str, Any] = {}
    for app_name, members, reason in groups:
        # before the app: its findings count in the functions' dispositions
        condition = _function_condition(b, x, app_name, members)
        first = len(b.resources)
        app, plans = _function_app(
            b, x, mapper, triggers, app_name, members, reason, sites[app_name], host_ids[app_name]
        )
        if condition is not None:
            _make_conditional(b, {fs.fn.logical_id for fs in members}, condition, first)
            app = dataclasses.replace(app, condition=render(condition))
        app_conditions[app_name] = condition
        apps.append(app)
        function_plans += plans
    function_plans = grant_policies(b, function_plans)
    # reports list functions as the template does (they were planned app by app)
    source_order = {fn.logical_id: fn.loc.line if fn.loc else 0 for fn in graph.functions}
    function_plans.sort(key=lambda p: (source_order.get(p.logical_id, 0), p.logical_id))

    _inherit_conditions(b, x)
    serialize_cosmos_assignments(b)
    check_child_limits(b)
    outputs = _outputs(b, x, apps, app_conditions)
    machines = state_machines(graph)
    _state_machine_findings(b, machines)
    inventory = _inventory(b, function_plans, machines)
    findings = sorted_findings(list(graph.findings) + b.findings)
    resources = tuple(_frozen(r) for r in b.resources)
    migration = plan_migration(graph, tables, resources, apps, function_plans, findings, machines, b.granted)
    return AzurePlan(
        name=name,
        source_file=graph.file,
        source_format=graph.format,
        description=graph.description,
        params=_standard_params(b, bool(apps)) + tuple(b.params.values()),
        variables=tuple(b.variables.values()),
        resources=resources,
        outputs=outputs,
        apps=tuple(apps),
        functions=tuple(function_plans),
        inventory=inventory,
        findings=findings,
        migration=migration,
        provenance=graph.provenance,
    )


def _frozen(resource: AzureResource) -> AzureResource:
    # the body dicts were filled in place while triggers ran; hand emitters their own copy
    return AzureResource(
        resource.symbol,
        resource.type,
        resource.api_version,
        copy.deepcopy(resource.body),
        resource.condition,
        resource.sources,
        resource.comment,
    )


def _standard_params(b: Builder, has_apps: bool) -> tuple[BicepParam, ...]:
    params = [
        BicepParam(
            "environmentName",
            "string",
            "Name of the environment (azd AZURE_ENV_NAME); seeds resource names.",
            min_length=1,
            max_length=64,
            parameters_file_value="${AZURE_ENV_NAME}",
        ),
        BicepParam(
            "location",
            "string",
            "Azure region of every resource. Flex Consumption is not offered in every region.",
            default=Prop(Call("resourceGroup"), ("location",)),
            has_default=True,
            parameters_file_value="${AZURE_LOCATION}",
        ),
    ]
    if any(r.type.endswith("eventSubscriptions") for r in b.resources):
        params.append(
            BicepParam(
                "deployEventSubscriptions",
                "bool",
                "Create the Event Grid subscriptions. Event Grid validates the function endpoint, so deploy "
                "once, publish the function code, then deploy again with true (azd: azd env set "
                "DEPLOY_EVENT_SUBSCRIPTIONS true && azd provision).",
                default=False,
                has_default=True,
                # azd substitutes the environment value (default false) and turns the string into a bool
                parameters_file_value="${DEPLOY_EVENT_SUBSCRIPTIONS=false}",
            )
        )
    if has_apps:
        params.append(
            BicepParam(
                "maximumInstanceCount",
                "int",
                "Upper bound of instances per function app (Flex Consumption allows up to 1000).",
                default=b.tables.settings["flex"]["maximum_instance_count"],
                has_default=True,
                min_value=1,
                max_value=1000,
            )
        )
    return tuple(params)


def _infrastructure(b: Builder) -> None:
    """Monitoring and the host storage account every function app uses."""
    b.variables["resourceToken"] = _var(
        "resourceToken",
        Call(
            "toLower",
            (
                Call(
                    "uniqueString",
                    (
                        Prop(Call("subscription"), ("id",)),
                        Prop(Call("resourceGroup"), ("id",)),
                        Ident("environmentName"),
                    ),
                ),
            ),
        ),
        "Stable suffix that makes global resource names unique",
    )
    b.variables["tags"] = _var("tags", {"azd-env-name": Ident("environmentName")}, "Tags on every resource")
    if not b.graph.functions:
        return
    logs = "Microsoft.OperationalInsights/workspaces"
    b.add(
        AzureResource(
            "logAnalytics",
            logs,
            b.tables.api_version(logs),
            {
                "name": interp(b.tables.prefix(logs), Ident("resourceToken")),
                "location": Ident("location"),
                "tags": Ident("tags"),
                "properties": {"sku": {"name": "PerGB2018"}, "retentionInDays": 30},
            },
            comment="Log Analytics workspace behind Application Insights (replaces CloudWatch Logs)",
        )
    )
    insights = "Microsoft.Insights/components"
    b.add(
        AzureResource(
            "appInsights",
            insights,
            b.tables.api_version(insights),
            {
                "name": interp(b.tables.prefix(insights), Ident("resourceToken")),
                "location": Ident("location"),
                "tags": Ident("tags"),
                "kind": "web",
                "properties": {
                    "Application_Type": "web",
                    "WorkspaceResourceId": Prop(Ident("logAnalytics"), ("id",)),
                    "DisableLocalAuth": True,
                },
            },
            comment="Application Insights with Entra ID authentication only (replaces CloudWatch and X-Ray)",
        )
    )
    b.add(
        AzureResource(
            "storage",
            _STORAGE,
            b.tables.api_version(_STORAGE),
            storage_account_body(interp(b.tables.prefix(_STORAGE), Ident("resourceToken"))),
            comment="Host storage (AzureWebJobsStorage) and deployment packages; identity access only",
        )
    )
    blob = f"{_STORAGE}/blobServices"
    b.add(
        AzureResource(
            "storageBlobService",
            blob,
            b.tables.api_version(blob),
            {
                "parent": Ident("storage"),
                "name": "default",
            },
        )
    )


def _var(name: str, value: Any, description: str) -> Any:
    from translator.plan import BicepVar

    return BicepVar(name, value, description)


_RUNTIME_LABELS = {
    "python": "py",
    "node": "node",
    "java": "java",
    "dotnet-isolated": "dotnet",
    "powershell": "pwsh",
    "custom": "custom",
}


def _group(settings: list[FunctionSettings], b: Builder) -> list[tuple[str, list[FunctionSettings], str]]:
    """Functions that agree on everything app-wide on Flex share one app; the others get their own.

    App-wide: runtime stack and version, instance memory, the network (VNet integration), the architecture
    the code was built for, the scale limit (reserved concurrency gives a function its own app) and the
    Condition (functions deploy with their app, so a function's Condition applies to an app of its own).
    App names are the project name, plus what tells the apps apart.
    """
    project = b.graph_name
    if b.options.app_per_function:
        return _unique(
            [
                (kebab(fs.fn.logical_id, 30), [fs], "each function has its own app (--app-per-function)")
                for fs in settings
            ]
        )
    groups: dict[tuple[str, str, int, str, str, str, str], list[FunctionSettings]] = {}
    for fs in settings:
        # a custom-handler app runs one executable, and a reserved-concurrency cap is app-wide: own apps
        own = fs.fn.logical_id if fs.runtime_name == "custom" or fs.reserved_concurrency else ""
        condition = fs.fn.condition or ""
        key = (
            fs.runtime_name,
            fs.runtime_version,
            fs.instance_memory_mb,
            own,
            fs.network,
            fs.architecture,
            condition,
        )
        groups.setdefault(key, []).append(fs)
    runtimes = {(k[0], k[1]) for k in groups}
    memories = {k[2] for k in groups}
    networks = {k[4] for k in groups}
    architectures = {k[5] for k in groups}
    result: list[tuple[str, list[FunctionSettings], str]] = []
    #: (index in result, index of the group's first app, variable, function it differs from, first function)
    splits: list[tuple[int, int, str, FunctionSettings, FunctionSettings]] = []
    for key in sorted(groups):
        runtime, version, memory, own, network, architecture, condition = key
        members = groups[key]
        label = f"{runtime} {version}".strip() or "runtime to choose"
        if own and members[0].reserved_concurrency:
            reason = (
                f"ReservedConcurrentExecutions {members[0].reserved_concurrency} caps the app's scale-out "
                f"(maximumInstanceCount {members[0].maximum_instances}), which would cap every function of a "
                "shared app"
            )
        elif own:
            reason = "a custom handler runs one executable per app"
        else:
            reason = f"same runtime ({label}), instance memory ({memory} MB)"
            reason += f", network ({network or 'no VPC'}) and architecture ({architecture})"
        if condition:
            reason += f", deployed under condition {condition}"
        parts = [project]
        if own:
            parts.append(own)
        else:
            if len(runtimes) > 1:
                parts.append(f"{_RUNTIME_LABELS.get(runtime, 'app')}{version.replace('.', '')}")
            if len(memories) > 1:
                parts.append(str(memory))
            if len(networks) > 1 and network:
                parts.append("vnet")
            if len(architectures) > 1 and architecture != "x86_64":
                parts.append(architecture)
        if condition:
            parts.append(kebab(condition, 16))
        first_index = len(result)
        for part, conflict in _app_wide_partition(members, b):
            if conflict is None:
                result.append((kebab("-".join(parts), 40), part, reason))
                continue
            variable, other = conflict
            first = part[0].fn.logical_id
            split = f"{reason}; not with '{other.fn.logical_id}': {_differs(variable, other.fn.logical_id, first)}"
            split += " (CORS is app-wide)" if variable == _CORS else " (app settings are app-wide)"
            splits.append((len(result), first_index, variable, other, part[0]))
            result.append((kebab("-".join([*parts, first]), 40), part, split))
    named = _unique(result)
    for index, first_index, variable, other, first in splits:
        lid = first.fn.logical_id
        shared = f"which would otherwise share the app '{named[first_index][0]}'"
        if variable == _CORS:
            b.finding(
                "LF2031",
                f"{_differs(variable, other.fn.logical_id, lid)} ({http_routes.describe_cors(_cors(other, b))} "
                f"vs {http_routes.describe_cors(_cors(first, b))}), {shared}; siteConfig.cors is app-wide, so "
                f"'{lid}' runs in the app '{named[index][0]}'",
                first.fn.loc,
                lid,
            )
            continue
        b.finding(
            "LF2013",
            f"{_differs(variable, other.fn.logical_id, lid)}, {shared}; app settings are app-wide, so "
            f"'{lid}' runs in the app '{named[index][0]}'",
            _variable_loc(first, variable),
            lid,
        )
    return named


#: the partition key of a function's CORS among its environment variable names (not a valid variable name)
_CORS = " cors"


def _differs(variable: str, other: str, first: str) -> str:
    what = "CORS" if variable == _CORS else f"environment variable '{variable}'"
    return f"{what} differs between '{other}' and '{first}'"


def _cors(fs: FunctionSettings, b: Builder) -> frozenset[Any]:
    # HTTP events without CORS conflict with nothing, like an unset variable (LF3040 names what they get)
    return (http_routes.function_cors(b, fs.fn.events) or frozenset()) - {((), False)}


def _environment(fs: FunctionSettings, reserved: set[str]) -> dict[str, Any]:
    """The function's environment variables as written (Globals included), by the value they map from.

    Literal scalars compare as the app setting text they become (8080 and '8080' are one value);
    intrinsics compare structurally. Reserved names are not emitted (LF2011), so they never conflict.
    """
    variables = _variables(fs)
    if variables is None:
        return {}
    result: dict[str, Any] = {}
    for key, value in variables.items():
        if key in reserved or key.startswith("AzureWebJobs"):
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (int, float, str)):
            value = str(value)
        result[str(key)] = value
    return result


def _app_wide_partition(
    members: list[FunctionSettings], b: Builder
) -> list[tuple[list[FunctionSettings], tuple[str, FunctionSettings] | None]]:
    """Split functions that could share an app so that no two in one part differ in an app-wide setting.

    App-wide: each environment variable (app settings), and the CORS of the HTTP events (siteConfig.cors,
    under the key ``_CORS``; a function without HTTP events or without CORS on them has none). First fit in template order: a
    function joins the first part it agrees with, else starts a new one; a new part says which setting set
    it apart from which function of the first part.
    """
    reserved = set(b.tables.settings["reserved_app_settings"])
    parts: list[tuple[list[FunctionSettings], dict[str, tuple[Any, FunctionSettings]]]] = []
    conflicts: list[tuple[str, FunctionSettings] | None] = []
    for fs in members:
        env = _environment(fs, reserved)
        cors = _cors(fs, b)
        if cors:
            env[_CORS] = cors
        for part, seen in parts:
            if all(seen[k][0] == v for k, v in env.items() if k in seen):
                part.append(fs)
                for k, v in env.items():
                    seen.setdefault(k, (v, fs))
                break
        else:
            conflict = None
            if parts:
                seen = parts[0][1]
                variable = next(k for k, v in env.items() if k in seen and seen[k][0] != v)
                conflict = (variable, seen[variable][1])
            parts.append(([fs], {k: (v, fs) for k, v in env.items()}))
            conflicts.append(conflict)
    return [(part, conflict) for (part, _), conflict in zip(parts, conflicts, strict=True)]


def _variables(fs: FunctionSettings) -> Obj | None:
    """The function's Environment.Variables as written (Globals included), if it has any."""
    env = fs.fn.properties.get("Environment")
    variables = env.get("Variables") if isinstance(env, Obj) else None
    return variables if isinstance(variables, Obj) else None


def _variable_loc(fs: FunctionSettings, variable: str) -> Loc | None:
    variables = _variables(fs)
    return variables.loc_of(variable) if variables is not None else fs.fn.properties.loc_of("Environment")


def _unique(
    groups: list[tuple[str, list[FunctionSettings], str]],
) -> list[tuple[str, list[FunctionSettings], str]]:
    """App names double as azd service names and output names: keep them distinct."""
    seen: set[str] = set()
    result = []
    for name, members, reason in groups:
        candidate, n = name, 2
        while candidate.replace("-", "_") in seen:
            candidate = f"{name[:36]}-{n}"
            n += 1
        seen.add(candidate.replace("-", "_"))
        result.append((candidate, members, reason))
    return result


def _register_functions(b: Builder, app_name: str, members: list[FunctionSettings]) -> str:
    """Allocate the app's site symbol and make its functions referable (mappings/attributes.yaml says how)."""
    site = b.symbol(f"{app_name.replace('-', ' ')} app")
    for fs in members:
        name = fs.fn.logical_id
        b.targets[name] = Target(site, "Microsoft.Web/sites", f"function {name} of app {app_name}")
    return site


def _function_app(
    b: Builder,
    x: Expressions,
    mapper: FunctionMapper,
    triggers: Triggers,
    app_name: str,
    members: list[FunctionSettings],
    reason: str,
    site_symbol: str,
    host_id_key: str,
) -> tuple[AppPlan, list[FunctionPlan]]:
    tables = b.tables
    sources = tuple(fs.fn.logical_id for fs in members)
    base = re.sub(r"-", " ", app_name)
    identity = b.new_resource(
        f"{base} identity",
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        {
            "name": interp(
                tables.prefix("Microsoft.ManagedIdentity/userAssignedIdentities"),
                f"{app_name}-",
                Ident("resourceToken"),
            ),
            "location": Ident("location"),
            "tags": Ident("tags"),
        },
        sources=sources,
        comment=f"identity of function app {app_name} (replaces the Lambda execution roles)",
    ).symbol
    container_name = f"app-package-{app_name}"[:63].rstrip("-")
    container = b.new_resource(
        f"{base} package container",
        f"{_STORAGE}/blobServices/containers",
        {
            "parent": Ident("storageBlobService"),
            "name": container_name,
            "properties": {"publicAccess": "None"},
        },
        sources=sources,
        comment="deployment packages of the app (one deploy)",
    ).symbol
    plan_symbol = b.new_resource(
        f"{base} plan",
        "Microsoft.Web/serverfarms",
        {
            "name": interp(
                tables.prefix("Microsoft.Web/serverfarms"), f"{app_name}-", Ident("resourceToken")
            ),
            "location": Ident("location"),
            "tags": Ident("tags"),
            "kind": "functionapp",
            "sku": {"name": "FC1", "tier": "FlexConsumption"},
            "properties": {"reserved": True},
        },
        sources=sources,
        comment="Flex Consumption plan (one app per plan)",
    ).symbol
    settings: dict[str, Any] = {}
    runtime_name, runtime_version = members[0].runtime_name, members[0].runtime_version
    ctx = AppContext(app_name, runtime_name, site_symbol, identity, settings)
    ctx.cors_events = frozenset().union(*(http_routes.function_cors(b, fs.fn.events) or () for fs in members))

    mapped: list[tuple[FunctionSettings, tuple[TriggerPlan, ...]]] = []
    function_tags = app_tags(b, x, app_name, members)  # before the plans: their Tags outcome
    env: dict[str, tuple[Any, str]] = {}
    member_timeouts = [fs.timeout_seconds for fs in members if fs.timeout_seconds]
    app_timeout = max(member_timeouts) if member_timeouts else None
    flex = tables.settings["flex"]
    if app_timeout:
        ctx.timeout_seconds = min(app_timeout, flex["max_function_timeout_seconds"])
    else:
        ctx.timeout_seconds = flex["default_function_timeout_seconds"]
        ctx.timeout_text = "no functionTimeout: the Flex default"
    for fs in members:
        fs.app = app_name
        mapper.environment(fs)
        for key, value in fs.environment.items():
            # _group kept functions whose variables differ apart: a second rendering of the same value
            # (an equal Key Vault secret made twice) reads the same, so the first one is kept
            env.setdefault(key, (value, fs.fn.logical_id))
        _function_names(b, fs)
        trigger_plans = tuple(triggers.map(ctx, fs, event) for event in fs.fn.events)
        if len(trigger_plans) > 1:
            names = ", ".join(t.function_name for t in trigger_plans)
            b.finding(
                "LF3012",
                f"the Lambda has {len(trigger_plans)} event sources; Azure functions have one trigger each, "
                f"so it becomes the functions {names}",
                fs.fn.loc,
                fs.fn.logical_id,
            )
        _function_switches(b, fs, trigger_plans, settings)
        mapped.append((fs, trigger_plans))
    triggers.finish_app(ctx)  # app-wide trigger checks, before the plans read their findings
    function_plans = [_function_plan(b, fs, plans, app_timeout) for fs, plans in mapped]

    runtime_params = not runtime_name
    if runtime_params:
        runtime_name_value: Any = b.value_param(
            f"{base} runtime name", f"Runtime stack of function app {app_name}"
        )
        runtime_version_value: Any = b.value_param(
            f"{base} runtime version", f"Runtime version of function app {app_name}"
        )
    else:
        runtime_name_value, runtime_version_value = runtime_name, runtime_version
    memory = members[0].instance_memory_mb
    client_id = Prop(Ident(identity), ("properties", "clientId"))
    base_settings: dict[str, Any] = {
        "AzureWebJobsStorage__credential": "managedidentity",
        "AzureWebJobsStorage__clientId": client_id,
        "AzureWebJobsStorage__blobServiceUri": Prop(
            Ident("storage"), ("properties", "primaryEndpoints", "blob")
        ),
    }
    if ctx.needs_host_queues:
        base_settings["AzureWebJobsStorage__queueServiceUri"] = Prop(
            Ident("storage"), ("properties", "primaryEndpoints", "queue")
        )
    # the apps share the host storage: an ID of its own per app, not the first 32 characters of its name
    base_settings["AzureFunctionsWebHost__hostid"] = interp(f"{host_id_key}-", Ident("resourceToken"))
    base_settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = Prop(
        Ident("appInsights"), ("properties", "ConnectionString")
    )
    base_settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = interp(
        "ClientId=", client_id, ";Authorization=AAD"
    )
    base_settings["AZURE_CLIENT_ID"] = client_id
    all_settings = {**base_settings, **dict(sorted(settings.items()))}
    for key, (value, _) in sorted(env.items()):
        if key in all_settings:
            b.finding(
                "LF2011", f"environment variable '{key}' collides with a generated app setting", None, _
            )
            continue
        all_settings[key] = value

    scale: dict[str, Any] = {
        "maximumInstanceCount": members[0].maximum_instances or Ident("maximumInstanceCount"),
        "instanceMemoryMB": memory,
    }
    ready = always_ready(b, members, function_plans, members[0].maximum_instances)
    if ready:
        scale["alwaysReady"] = ready
    if members[0].http_per_instance_concurrency:
        scale["triggers"] = {"http": {"perInstanceConcurrency": members[0].http_per_instance_concurrency}}
    site_properties: dict[str, Any] = {
        "serverFarmId": Prop(Ident(plan_symbol), ("id",)),
        "httpsOnly": True,
        "siteConfig": {"minTlsVersion": "1.2", **({"cors": ctx.cors} if ctx.cors else {})},
    }
    if members[0].network:
        subnet = mapper.network.subnet_for(app_name, sources)
        if subnet is None:
            b.finding(
                "LF2022",
                f"app '{app_name}' gets no VNet integration: the generated virtual network has no /24 subnet left; "
                "integrate it with a subnet of your own",
                members[0].fn.properties.loc_of("VpcConfig"),
                sources[0],
            )
        else:
            site_properties["virtualNetworkSubnetId"] = subnet
    if any(fs.uses_key_vault for fs in members):
        # a user-assigned identity resolves Key Vault references only when the site names it
        site_properties["keyVaultReferenceIdentity"] = Prop(Ident(identity), ("id",))
        mapper.vault.grant(identity, sources)
    b.add(
        AzureResource(
            site_symbol,
            "Microsoft.Web/sites",
            tables.api_version("Microsoft.Web/sites"),
            {
                "name": interp(tables.prefix("Microsoft.Web/sites"), f"{app_name}-", Ident("resourceToken")),
                "location": Ident("location"),
                # azd finds the app by azd-service-name: it comes last so no function tag replaces it
                "tags": Call(
                    "union",
                    (
                        Ident("tags"),
                        *([function_tags] if function_tags else []),
                        {"azd-service-name": app_name},
                    ),
                ),
                "kind": "functionapp,linux",
                "identity": {
                    "type": "UserAssigned",
                    "userAssignedIdentities": {interp(Prop(Ident(identity), ("id",))): {}},
                },
                "properties": {
                    **site_properties,
                    "functionAppConfig": {
                        "deployment": {
                            "storage": {
                                "type": "blobContainer",
                                "value": interp(
                                    Prop(Ident("storage"), ("properties", "primaryEndpoints", "blob")),
                                    container_name,
                                ),
                                "authentication": {
                                    "type": "UserAssignedIdentity",
                                    "userAssignedIdentityResourceId": Prop(Ident(identity), ("id",)),
                                },
                            }
                        },
                        "scaleAndConcurrency": scale,
                        "runtime": {"name": runtime_name_value, "version": runtime_version_value},
                    },
                },
            },
            sources=sources,
            comment=f"function app {app_name}: {', '.join(sources)}",
        )
    )
    b.add(
        AzureResource(
            b.symbol(f"{base} settings"),
            "Microsoft.Web/sites/config",
            tables.api_version("Microsoft.Web/sites/config"),
            {
                "parent": Ident(site_symbol),
                "name": "appsettings",
                "properties": settings_object(all_settings),
            },
            sources=sources,
            comment="app settings (Lambda environment variables and trigger connections)",
        )
    )
    del container
    mounts = file_mounts(mapper.network, members)
    if mounts:
        mapper.network.mount(site_symbol, mounts, sources)
    b.role_assignment("storage", "Storage Blob Data Owner", identity, sources)
    if ctx.needs_host_queues:
        b.role_assignment("storage", "Storage Queue Data Contributor", identity, sources)
    b.role_assignment("appInsights", "Monitoring Metrics Publisher", identity, sources)

    if len(members) > 1:
        b.finding(
            "LF2012",
            f"functions {', '.join(sources)} share app '{app_name}': {reason}",
            members[0].fn.loc,
            sources[0],
        )
    timeouts = [fs.timeout_seconds for fs in members if fs.timeout_seconds]
    host = _host_json(tables, runtime_name, max(timeouts) if timeouts else None, ctx)
    levels = log_levels(members, function_plans)
    if levels:
        host["logging"]["logLevel"] = levels
    if runtime_name == "custom":
        host["customHandler"] = {
            "description": _custom_handler(members[0]),
            "enableForwardingHttpRequest": False,
        }
    if len(set(timeouts)) > 1:
        b.finding(
            "LF2008",
            f"app '{app_name}' uses functionTimeout {host['functionTimeout']} (the largest of {sorted(set(timeouts))} s)",
            members[0].fn.loc,
            sources[0],
        )
    stacks = tables.runtimes["stacks"]
    app = AppPlan(
        name=app_name,
        site_symbol=site_symbol,
        runtime_name=runtime_name,
        runtime_version=runtime_version,
        instance_memory_mb=memory,
        maximum_instance_count=members[0].maximum_instances
        or tables.settings["flex"]["maximum_instance_count"],
        functions=sources,
        host_json=host,
        azd_language=stacks.get(runtime_name, {}).get("azd_language", "custom"),
        grouping_reason=reason,
    )
    return app, function_plans


def _function_condition(b: Builder, x: Expressions, app_name: str, members: list[FunctionSettings]) -> Any:
    """The functions' Condition as a Bicep bool (the functions of an app share it, see _group): the app
    and what is made for it are then deployed only when it holds."""
    name = members[0].fn.condition
    if not name:
        return None
    try:
        condition = x.condition(str(name), members[0].fn.loc)
    except Untranslatable as exc:
        for fs in members:
            if exc.reported:
                break  # the undefined condition name is reported where it is written (LF4002)
            b.finding(
                exc.rule,
                f"Condition: {exc.reason}; the function is always deployed",
                fs.fn.loc,
                fs.fn.logical_id,
            )
        return None
    for fs in members:
        b.finding(
            "LF4011",
            f"Condition '{name}': function app '{app_name}' and the resources made for it are deployed only "
            "when it holds",
            fs.fn.loc,
            fs.fn.logical_id,
        )
    b.finding(
        "LF4021",
        f"azd service '{app_name}' (azure.yaml): when Condition '{name}' is false the app is not deployed, "
        f"and azd up or azd deploy stops at this service (no resource tagged azd-service-name: {app_name})",
        members[0].fn.loc,
        members[0].fn.logical_id,
    )
    return condition


def _inherit_conditions(b: Builder, x: Expressions) -> None:
    """A resource made from a conditional AWS resource, or whose parent or scope is conditional, exists only
    under that condition too (a role assignment on a conditional queue, the subscription of a conditional
    bucket): deploying it alone would fail or point at nothing."""
    source_conditions: dict[str, Any] = {}
    functions = {f.logical_id for f in b.graph.functions}  # their conditions apply per app (LF4011)
    for resource in b.graph.resources:
        if resource.condition and resource.logical_id not in functions:
            try:
                source_conditions[resource.logical_id] = x.condition(resource.condition, resource.loc)
            except Untranslatable:
                continue  # reported where the counterpart itself was made
    changed = True
    while changed:  # a chain (grandchild of a conditional resource) settles in a few passes
        changed = False
        for resource in list(b.resources):
            required = [source_conditions[s] for s in resource.sources if s in source_conditions]
            for key in ("parent", "scope"):
                owner_ref = resource.body.get(key)
                owner = b.resource(owner_ref.name) if isinstance(owner_ref, Ident) else None
                if owner is not None and owner.condition is not None:
                    required.append(owner.condition)
            for condition in required:
                if _implies(resource.condition, condition):
                    continue
                combined = (
                    condition if resource.condition is None else BinOp("&&", resource.condition, condition)
                )
                resource = dataclasses.replace(resource, condition=combined)
                b.replace(resource)
                changed = True


def _implies(condition: Any, required: Any) -> bool:
    """True when ``condition`` already contains ``required`` as one of its && terms."""
    if condition is None:
        return False
    if condition == required:
        return True
    return (
        isinstance(condition, BinOp)
        and condition.op == "&&"
        and (_implies(condition.left, required) or _implies(condition.right, required))
    )


def _make_conditional(b: Builder, function_ids: set[str], condition: Any, first: int) -> None:
    """Resources added since ``first`` that were made for these functions get the condition too."""
    for resource in list(b.resources[first:]):
        if function_ids & set(resource.sources):
            combined = condition if resource.condition is None else BinOp("&&", resource.condition, condition)
            b.replace(dataclasses.replace(resource, condition=combined))


def _function_switches(
    b: Builder, fs: FunctionSettings, triggers: tuple[TriggerPlan, ...], settings: dict[str, Any]
) -> None:
    """ReservedConcurrentExecutions 0: every Azure function of the Lambda is disabled by app setting."""
    if fs.disabled:
        for trigger in triggers:
            if trigger.azure_trigger:
                settings[f"AzureWebJobs.{trigger.function_name}.Disabled"] = "true"


def _custom_handler(fs: FunctionSettings) -> dict[str, Any]:
    """host.json customHandler.description: the executable Lambda would have started."""
    runtime = fs.aws_runtime or ""
    handler = fs.handler or ""
    if runtime.startswith("ruby"):
        # Lambda's 'file.method' handler: the script is file.rb, run by the Ruby interpreter
        return {"defaultExecutablePath": "ruby", "arguments": [f"{handler.rsplit('.', 1)[0] or 'app'}.rb"]}
    if runtime == "go1.x" and handler:
        return {"defaultExecutablePath": handler}
    return {"defaultExecutablePath": "bootstrap"}  # provided.*: Lambda runs the 'bootstrap' file


def _host_json(tables: Tables, runtime_name: str, timeout: int | None, ctx: AppContext) -> dict[str, Any]:
    cfg = tables.settings["host_json"]
    host: dict[str, Any] = {"version": "2.0"}
    if runtime_name != "dotnet-isolated":
        # .NET isolated apps reference extensions as NuGet packages instead of the bundle
        host["extensionBundle"] = {
            "id": cfg["extension_bundle_id"],
            "version": cfg["extension_bundle_version"],
        }
    if timeout:
        host["functionTimeout"] = host_timeout(timeout)
    host["logging"] = {
        "applicationInsights": {"samplingSettings": {"isEnabled": True, "excludedTypes": "Request"}}
    }
    extensions: dict[str, Any] = {"http": {"routePrefix": cfg["http_route_prefix"]}}
    for section, values in sorted(ctx.host_extensions.items()):
        extensions[section] = dict(sorted(values.items()))
    host["extensions"] = extensions
    return host


def _function_names(b: Builder, fs: FunctionSettings) -> None:
    """LF1018 when the Azure functions of a Lambda cannot take the names the template gives them.

    An event that another resource declares (an OpenAPI route, an event source mapping) has a name the
    parser made up; characters Azure does not take in it are replaced without a finding.
    """
    lid = fs.fn.logical_id
    renamed = []
    for event in dict.fromkeys(fs.fn.events or (None,)):
        raw = raw_function_name(fs, event)
        made_up = event is not None and event.declared_by is not None and raw != lid
        if made_up and names.function_name(lid) == lid and len(raw) <= 128:
            continue
        found = names.rename(names.FUNCTION, raw)[1]
        if found is not None:
            renamed.append(found)
    if not renamed:
        return
    # one finding for the Lambda: the functions of its events share its logical id
    why = "; ".join(dict.fromkeys(r.why for r in renamed))
    text = "; ".join(f"'{r.old}' becomes '{r.new}'" for r in renamed)
    suggestion = (
        names.suggestion(renamed[0])
        if len(renamed) == 1
        else "Update the code, configuration and scripts that use the old function names."
    )
    b.finding("LF1018", f"{text}: {why}", fs.fn.loc, lid, suggestion)


def _function_plan(
    b: Builder, fs: FunctionSettings, triggers: tuple[TriggerPlan, ...], app_timeout: int | None
) -> FunctionPlan:
    lid = fs.fn.logical_id
    disposition = b.disposition_floor.get(lid, Disposition.CONVERTED)
    for finding in b.findings_of(lid):
        disposition = _max(disposition, _from_severity(finding.severity))
    runtime = f"{fs.runtime_name} {fs.runtime_version}" if fs.runtime_name else None
    return FunctionPlan(
        logical_id=lid,
        azure_name=names.function_name(lid),
        app=fs.app,
        aws_runtime=fs.aws_runtime,
        runtime=runtime,
        handler=fs.handler,
        memory_mb=fs.memory_mb,
        instance_memory_mb=fs.instance_memory_mb,
        timeout_seconds=fs.timeout_seconds,
        triggers=triggers,
        disposition=disposition,
        loc=fs.fn.loc,
        code_uri=fs.code_uri,
        settings=setting_plans(fs, b.tables, app_timeout, b.findings_of(lid)),
    )


def _from_severity(severity: Severity) -> Disposition:
    return {
        Severity.INFO: Disposition.CONVERTED,
        Severity.WARNING: Disposition.APPROXIMATED,
        Severity.ERROR: Disposition.MANUAL,
    }[severity]


def _max(a: Disposition, c: Disposition) -> Disposition:
    return a if a.rank >= c.rank else c


def _output_type(value: Any, b: Builder, x: Expressions) -> str | None:
    """The Bicep type of an output value, when it is known; None means the output is reported instead."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, Call) and value.fn in _ARRAY_FUNCTIONS:
        return "array"
    if x.stringy(value):
        return "string"
    if isinstance(value, Ident) and value.name in b.params:
        return b.params[value.name].type
    return None


#: Bicep functions the expressions emit whose result is an array (Fn::Cidr, Fn::GetAZs, Fn::Split ...)
_ARRAY_FUNCTIONS = frozenset({"concat", "map", "pickZones", "split", "range", "filter"})


def _reads_secure(b: Builder, value: Any) -> bool:
    """Whether a value reads a @secure() parameter, directly or through variables."""
    seen: set[str] = set()
    todo = list(identifiers(value))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        param = b.params.get(name)
        if param is not None and param.secure:
            return True
        var = b.variables.get(name)
        if var is not None:
            todo.extend(identifiers(var.value))
    return False


def _secret_output_param(b: Builder, name: str, reason: str, loc: Any) -> Ident:
    """A new @secure() parameter in place of an output value whose literal text looks like a credential."""
    param = b.value_param(
        f"{name} output value",
        f"Value of the output {name} (its literal text looks like a credential in the template). Not written "
        "to any output file.",
        secure=True,
    )
    b.finding(
        "LF5023",
        f"output '{name}' looks secret ({reason}): its value becomes the @secure() parameter '{param.name}' and "
        "the output is @secure(); the value is not copied",
        loc,
        name,
    )
    return param


def _outputs(
    b: Builder, x: Expressions, apps: list[AppPlan], app_conditions: dict[str, Any]
) -> tuple[BicepOutput, ...]:
    outputs = [
        BicepOutput("AZURE_LOCATION", "string", Ident("location"), "Region of the deployment (azd)"),
        BicepOutput(
            "AZURE_TENANT_ID", "string", Prop(Call("tenant"), ("tenantId",)), "Tenant of the deployment (azd)"
        ),
    ]
    for app in apps:
        outputs.append(
            BicepOutput(
                f"SERVICE_{re.sub(r'[^A-Z0-9]', '_', app.name.upper())}_NAME",
                "string",
                Prop(Ident(app.site_symbol), ("name",)),
                f"Name of function app {app.name} (azd service)",
                condition=app_conditions.get(app.name),
            )
        )
    taken = {o.name.lower() for o in outputs}
    for output in b.graph.outputs:
        literal = literal_secret(output.value)
        try:
            value = (
                _secret_output_param(b, output.name, literal, output.loc)
                if literal
                else x._value(output.value, f"Outputs.{output.name}")
            )
        except Untranslatable as exc:
            b.finding("LF4003", f"output '{output.name}': {exc.reason}", output.loc, output.name)
            continue
        out_type = _output_type(value, b, x)
        if value is NO_VALUE or out_type is None:
            b.finding(
                "LF4003", f"output '{output.name}' has no value of a known type", output.loc, output.name
            )
            continue
        name = output.name if output.name.lower() not in taken else f"{output.name}Output"
        taken.add(name.lower())
        try:
            condition = x.condition(output.condition, output.loc) if output.condition else None
        except Untranslatable as exc:
            if not exc.reported:  # else reported where the condition name is written (LF4002)
                b.finding(exc.rule, f"output '{output.name}': {exc.reason}", output.loc, output.name)
            continue
        secure = _reads_secure(b, value)
        if secure and not literal:  # LF5023 said so
            b.finding(
                "LF4025",
                f"output '{output.name}' reads a @secure() parameter: it becomes a @secure() output, which "
                "the deployment does not show",
                output.loc,
                output.name,
            )
        outputs.append(BicepOutput(name, out_type, value, output.description, condition, secure))
        if output.export is not None:
            export = output.export if isinstance(output.export, str) else "a computed name"
            b.finding(
                "LF4014",
                f"output '{output.name}' is exported as '{export}'; the Bicep output '{name}' holds the value, "
                "but Azure deployments have no exports to import by name",
                output.loc,
                output.name,
            )
    return tuple(outputs)


def _state_machine_findings(b: Builder, machines: list[StateMachine]) -> None:
    """LF1020 for each event that starts a state machine, LF1021 for each of its policies."""
    function_ids = {f.logical_id for f in b.graph.functions}
    for machine in machines:
        for event in machine.events:
            message, advice = event_message(machine, event)
            b.finding("LF1020", message, event.loc, machine.logical_id, advice)
        resource = b.graph.resource(machine.logical_id)
        assert resource is not None
        for message, loc, advice in policy_messages(resource, function_ids):
            b.finding("LF1021", message, loc, machine.logical_id, advice)


def _service_finding(
    b: Builder,
    resource: Resource,
    spec: dict[str, Any],
    machines: dict[str, StateMachine],
    links: dict[str, tuple[str, str]],
) -> Finding:
    """The finding of a resource the service table maps (LF1003, LF1007 ...), told about its uses."""
    lid = resource.logical_id
    if lid in machines:
        return Finding.of(spec["rule"], machines[lid].summary(), resource.loc, lid)
    if lid in links and not function_routes(b.graph, resource):
        machine, how = links[lid]
        return Finding.of(
            "LF1020",
            f"{resource.type} '{lid}' starts state machine '{machine}' ({how}) and no function of this "
            "template is behind its routes: its routes go to the state machine and are not translated",
            resource.loc,
            lid,
            "Add HTTP triggered functions on those routes that start the orchestration (a Durable Functions "
            "client) or the Logic App that replaces the state machine.",
        )
    note = f": {spec['note']}" if spec.get("note") else ""
    return Finding.of(spec["rule"], f"{resource.type}{note}", resource.loc, lid)


def _inventory(
    b: Builder, functions: list[FunctionPlan], machine_list: list[StateMachine]
) -> tuple[InventoryEntry, ...]:
    services = b.tables.services["services"]
    machines = {m.logical_id: m for m in machine_list}
    links = api_links(b.graph, machine_list)
    fn_plans = {f.logical_id: f for f in functions}
    by_resource: dict[str, list[Finding]] = {}
    for finding in b.findings + list(b.graph.findings):
        if finding.resource:
            by_resource.setdefault(finding.resource, []).append(finding)
    entries = []
    for resource in b.graph.resources:
        lid = resource.logical_id
        spec = services.get(resource.type)
        findings = list(by_resource.get(lid, []))
        targets = tuple(_describe(b, symbol) for symbol in b.made_from.get(lid, []))
        if lid in fn_plans:
            disposition = fn_plans[lid].disposition
        elif spec and "handler" in spec:
            disposition = b.disposition_floor.get(lid, Disposition.CONVERTED)
        elif spec:
            disposition = _max(
                Disposition(spec["disposition"]), b.disposition_floor.get(lid, Disposition.CONVERTED)
            )
            found = _service_finding(b, resource, spec, machines, links)
            b.add_finding(found)
            findings.append(found)
        elif resource.type == "Unknown" and findings:
            disposition = Disposition.UNSUPPORTED  # unreadable: its own finding says why (LF0007, LF0008)
        else:
            disposition = Disposition.UNSUPPORTED
            found = Finding.of(
                "LF1001", f"{resource.type} has no Azure counterpart in this version", resource.loc, lid
            )
            b.add_finding(found)
            findings.append(found)
        for finding in findings:
            disposition = _max(disposition, _from_severity(finding.severity))
        statements = b.iam_statements.get(lid, ())
        entries.append(
            InventoryEntry(
                lid, resource.type, resource.loc, disposition, targets, sorted_findings(findings), statements
            )
        )
    return tuple(entries)


def _describe(b: Builder, symbol: str) -> str:
    resource = b.resource(symbol)
    return f"{resource.type} {symbol}" if resource else symbol


__all__ = ["Options", "map_graph", "project_name"]
