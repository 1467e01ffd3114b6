"""The migration plan: waves of functions that move together, their effort, and what to set up first.

Microsoft's guidance asks for an iterative, detailed migration plan in the assess stage. This module
derives one from the ResourceGraph (who uses what) and the AzurePlan under construction (what each
function and store becomes), so every line of it names real functions and Azure resources.

**Grouping.** Two functions belong to the same wave when they share a *store*, or when one invokes the
other. A store is a queue, table, topic, bucket, stream or event bus (the resource types the service
table maps to an Azure service) or an explicit API (one host name is cut over once). A function *uses* a
store when one of its events has the store as ``source_id`` (it *consumes* it), or when its properties
(environment, policies; SAM Globals already merged) or the graph's edges from it reference the store (it
*produces* into it), or when its resolved IAM statements (its policies, its execution role and the policies
attached to it, shared or not; ``grants.py``) give it a role on the store: whatever it is allowed to use
after the move, it needs in its wave. Beyond the resolved statements, an IAM role's references count as
the function's own only when no other function uses the role. A function invokes another when its
properties (or its own role) reference the other function. The functions one Step Functions state machine
invokes (``state_machines.py``) are coupled through its workflow, which becomes one orchestration: they
move together too. Waves are the connected components of this
relation. A wave's provisioning list is closed under dependencies: a resource comes with its parents and
with the resources its role assignments are scoped to. The first wave also provisions the shared
infrastructure (the resources no template resource became: Log Analytics, Application Insights, the host
storage, Key Vault, namespaces and accounts ...), which every app needs from its first deployment.

**Order.** Producers and shared stores move before or with their consumers. Because everything that
shares a store is in one wave, that rule orders the functions *inside* a wave: the stores are
provisioned first (the deploy step), then functions in topological order of the relation "writes into a
store that the other consumes" or "invokes the other" (producers before consumers, callers before the
functions they invoke; ties and cycles are broken by name). Waves share nothing with each other, so
they are free to move in any order; they are listed smallest effort first (the first wave is the pilot
that proves the landing zone), then by their first function's name. Same input, same plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from translator.bicep import identifiers
from translator.findings import Disposition, Finding, Severity
from translator.graph import ResourceGraph, references
from translator.mapping.state_machines import StateMachine
from translator.mapping.tables import Tables
from translator.plan import (
    AppPlan,
    AppQuota,
    AzureResource,
    ChecklistItem,
    FunctionEffort,
    FunctionPlan,
    MigrationPlan,
    Prerequisites,
    QuotaCheck,
    Wave,
)

#: Flex Consumption: 250 cores = 512,000 MB per region per subscription, across all Flex apps
REGIONAL_QUOTA_MB = 512_000
_API_TYPES = frozenset(
    {
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGatewayV2::Api",
    }
)
_ROLE_TYPES = frozenset({"AWS::IAM::Role"})
_POLICY_TYPES = frozenset({"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"})
#: registered in every subscription; nothing to do for them
_BUILT_IN_PROVIDERS = frozenset({"Microsoft.Authorization", "Microsoft.Resources"})

# The effort formula's weights, in points (one point ~ one focused engineer-day is a good start).
BASE, WARNING, ERROR, NO_TRIGGER, MANUAL_TRIGGER, CUSTOM_RUNTIME = 1.0, 0.5, 2.0, 3.0, 1.0, 1.0
EFFORT_FORMULA = (
    f"{BASE:g} (base: adapt, deploy and test the handler) + {WARNING:g} per warning finding + "
    f"{ERROR:g} per error finding + {NO_TRIGGER:g} per event source without an Azure trigger + "
    f"{MANUAL_TRIGGER:g} per trigger left manual + {CUSTOM_RUNTIME:g} for a custom-handler runtime or a "
    "runtime still to choose (findings of the function itself, suppressed ones included: they are "
    "still work)"
)
ORDERING_RULE = (
    "Functions that share a queue, table, topic, bucket, stream, event bus or API, that invoke each "
    "other or that one state machine invokes, move in the same wave. Inside a wave, stores are provisioned first, then producers and "
    "callers move before the consumers and functions they feed. Waves share nothing, so they are "
    "ordered by effort (the smallest first, as the pilot), then by name."
)


class _Uses:
    """Who uses which store, and who invokes whom, read once from the graph."""

    def __init__(
        self,
        graph: ResourceGraph,
        tables: Tables,
        machines: Sequence[StateMachine],
        granted: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.graph = graph
        services = tables.services["services"]
        self.functions = [fn.logical_id for fn in graph.functions]
        function_ids = set(self.functions)
        self.store_types: dict[str, str] = {}
        for r in graph.resources:
            handler = (services.get(r.type) or {}).get("handler")
            if r.logical_id not in function_ids and (
                (handler and handler != "function") or r.type in _API_TYPES
            ):
                self.store_types[r.logical_id] = r.type
        self.out: dict[str, set[str]] = {}  # resource -> what it references (edges and properties)
        for e in graph.edges:
            if e.kind != "depends_on":
                self.out.setdefault(e.source, set()).add(e.target)
        for fn in graph.functions:
            for key, value in fn.properties.items():
                if key != "Events":
                    self.out.setdefault(fn.logical_id, set()).update(t for _, t in references(value))
        role_users: dict[str, set[str]] = {}
        for fn in self.functions:
            for target in self.out.get(fn, ()):
                if self._type(target) in _ROLE_TYPES:
                    role_users.setdefault(target, set()).add(fn)
        policies_of: dict[str, set[str]] = {}  # role -> IAM policies attached to it
        for r in graph.resources:
            if r.type in _POLICY_TYPES:
                for target in self.out.get(r.logical_id, ()):
                    policies_of.setdefault(target, set()).add(r.logical_id)

        self.consumes: dict[str, set[str]] = {f: set() for f in self.functions}
        self.produces: dict[str, set[str]] = {f: set() for f in self.functions}
        self.invokes: dict[str, set[str]] = {f: set() for f in self.functions}
        for fn in graph.functions:
            for event in fn.events:
                if event.source_id in self.store_types:
                    self.consumes[fn.logical_id].add(event.source_id)
        # state machine -> the functions it invokes: they become the activities of one orchestration
        self.orchestrated: dict[str, tuple[str, ...]] = {
            m.logical_id: m.functions for m in machines if m.functions
        }
        for fn in self.functions:
            reached = set(self.out.get(fn, ()))
            # the roles its IAM statements give it: only stores (a grant on a function app's site
            # would name every function of the app)
            reached |= {t for t in (granted or {}).get(fn, ()) if t in self.store_types}
            for role in sorted(reached & set(role_users)):
                if role_users[role] == {fn}:  # its own role: what the role grants, the function uses
                    reached |= self.out.get(role, set())
                    for policy in policies_of.get(role, ()):
                        reached |= self.out.get(policy, set())
            for target in reached - {fn}:
                if target in self.store_types and target not in self.consumes[fn]:
                    self.produces[fn].add(target)
                elif target in function_ids:
                    self.invokes[fn].add(target)

    def _type(self, logical_id: str) -> str | None:
        resource = self.graph.resource(logical_id)
        return resource.type if resource else None

    def stores(self, fn: str) -> set[str]:
        return self.consumes[fn] | self.produces[fn]

    def feeds(self, a: str, b: str) -> bool:
        """a must move no later than b: a writes into a store b consumes, or a invokes b."""
        return bool(self.produces[a] & self.consumes[b]) or b in self.invokes[a]


def _components(uses: _Uses) -> list[list[str]]:
    parent = {f: f for f in uses.functions}

    def find(f: str) -> str:
        while parent[f] != f:
            parent[f] = parent[parent[f]]
            f = parent[f]
        return f

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_store: dict[str, str] = {}
    for fn in sorted(uses.functions):
        for store in sorted(uses.stores(fn)):
            union(fn, by_store.setdefault(store, fn))
        for callee in uses.invokes[fn]:
            union(fn, callee)
    for members in uses.orchestrated.values():
        for fn in members[1:]:
            union(members[0], fn)
    groups: dict[str, list[str]] = {}
    for fn in sorted(uses.functions):
        groups.setdefault(find(fn), []).append(fn)
    return list(groups.values())


def cutover_order(members: Sequence[str], feeds: dict[tuple[str, str], bool]) -> list[str]:
    """Topological order of ``members`` by ``feeds[(a, b)]`` (a before b); ties and cycles by name.

    >>> cutover_order(["consumer", "producer"], {("producer", "consumer"): True})
    ['producer', 'consumer']
    >>> cutover_order(["b", "a"], {("a", "b"): True, ("b", "a"): True})
    ['a', 'b']
    """
    left = sorted(members)
    order: list[str] = []
    while left:
        ready = [f for f in left if not any(feeds.get((g, f)) for g in left if g != f)]
        chosen = ready[0] if ready else left[0]  # a cycle: the first by name goes first
        order.append(chosen)
        left.remove(chosen)
    return order


def function_effort(fn: FunctionPlan, findings: Iterable[Finding]) -> FunctionEffort:
    """The documented formula (``EFFORT_FORMULA``), term by term; terms that add nothing are left out."""
    own = [f for f in findings if f.resource == fn.logical_id]
    warnings = sum(1 for f in own if f.severity is Severity.WARNING)
    errors = sum(1 for f in own if f.severity is Severity.ERROR)
    untriggered = sum(
        1 for t in fn.triggers if t.azure_trigger is None or t.disposition is Disposition.UNSUPPORTED
    )
    manual = sum(
        1 for t in fn.triggers if t.azure_trigger is not None and t.disposition is Disposition.MANUAL
    )
    custom = fn.runtime is None or fn.runtime.split(" ")[0] == "custom"
    terms = [
        ("base", BASE),
        (f"{warnings} warning finding(s) x {WARNING:g}", warnings * WARNING),
        (f"{errors} error finding(s) x {ERROR:g}", errors * ERROR),
        (
            f"{untriggered} event source(s) without an Azure trigger x {NO_TRIGGER:g}",
            untriggered * NO_TRIGGER,
        ),
        (f"{manual} manual trigger(s) x {MANUAL_TRIGGER:g}", manual * MANUAL_TRIGGER),
        ("custom handler or runtime to choose", CUSTOM_RUNTIME if custom else 0.0),
    ]
    breakdown = tuple((label, points) for label, points in terms if points)
    return FunctionEffort(fn.logical_id, sum(p for _, p in breakdown), breakdown)


def _azure_names(fn: FunctionPlan) -> list[str]:
    return [t.function_name for t in fn.triggers if t.function_name] or [fn.azure_name]


class _WaveWriter:
    """The reason and checklist of one wave, in concrete lines."""

    def __init__(
        self,
        uses: _Uses,
        resources: Sequence[AzureResource],
        apps: Sequence[AppPlan],
        functions: dict[str, FunctionPlan],
        findings: Mapping[str | None, Sequence[Finding]],
    ) -> None:
        """``findings``: by the logical id of the resource they are about."""
        self.uses = uses
        self.resources = resources
        self.symbols = {r.symbol: r for r in resources}
        self.apps = apps
        self.functions = functions
        self.findings = findings
        self.started: set[str] = set()  # apps a wave (called in order) has already published
        self.vaults: set[str] = set()  # Key Vaults whose teardown note an earlier wave gave
        self.by_source: dict[str, list[AzureResource]] = {}
        for r in resources:
            for source in dict.fromkeys(r.sources):
                self.by_source.setdefault(source, []).append(r)
        self.order = {r.symbol: i for i, r in enumerate(resources)}

    def azure_of(self, logical_id: str) -> list[AzureResource]:
        return self.by_source.get(logical_id, [])

    def main_target(self, store: str) -> str | None:
        """The Azure resource a store became (its first non-role resource), as its Bicep symbol."""
        for r in self.azure_of(store):
            if "roleAssignments" not in r.type:
                return r.symbol
        return None

    def related_stores(self, stores: set[str]) -> set[str]:
        """Stores reached from the wave's stores (a queue's dead-letter queue moves with the queue)."""
        found, todo = set(stores), list(stores)
        while todo:
            for target in self.uses.out.get(todo.pop(), ()):
                if target in self.uses.store_types and target not in found:
                    found.add(target)
                    todo.append(target)
        return found

    def shared_infrastructure(self) -> set[str]:
        """What no one template resource became and every app relies on: Log Analytics, Application
        Insights, the host storage account, the Key Vault, a Service Bus namespace, a Cosmos DB account
        and its leases container ..."""
        return {r.symbol for r in self.resources if not r.sources}

    def wave_resources(
        self, members: Sequence[str], stores: set[str], shared: Iterable[str] = ()
    ) -> tuple[str, ...]:
        chosen = {r.symbol for key in (*members, *stores) for r in self.azure_of(key)} | set(shared)
        # closed under dependencies: parents (a namespace, an account, a database) and the resources a
        # role assignment is scoped to are provisioned with it
        todo = list(chosen)
        while todo:
            for needed in self._prerequisites(self.symbols[todo.pop()]) - chosen:
                chosen.add(needed)
                todo.append(needed)
        return tuple(sorted(chosen, key=self.order.__getitem__))

    def _prerequisites(self, resource: AzureResource) -> set[str]:
        """The resources that must exist before ``resource``: its parent and its scope (a Cosmos DB
        data-plane assignment names its container and database in ``properties.scope``)."""
        body = resource.body
        roots = [body.get("parent"), body.get("scope")]
        if resource.type.endswith("sqlRoleAssignments"):
            roots.append((body.get("properties") or {}).get("scope"))
        return {name for root in roots for name in identifiers(root) if name in self.symbols}

    def reason(self, members: Sequence[str]) -> str:
        uses = self.uses
        if len(members) == 1:
            own = sorted(uses.stores(members[0]))
            alone = f"uses {', '.join(own)} alone; " if own else ""
            return (
                f"{alone}shares no queue, table, topic, bucket, stream, API or function with another function"
            )
        parts = []
        for store in sorted({s for f in members for s in uses.stores(f)}):
            users = [f for f in members if store in uses.stores(f)]
            if len(users) > 1:
                parts.append(f"{', '.join(users)} share {store} ({uses.store_types[store]})")
        for fn in members:
            for callee in sorted(uses.invokes[fn]):
                parts.append(f"{fn} invokes {callee}")
        for machine, invoked in sorted(uses.orchestrated.items()):
            inside = [f for f in invoked if f in members]
            if len(inside) > 1:
                parts.append(f"state machine {machine} invokes {', '.join(inside)}")
        return "; ".join(parts)

    def checklist(
        self, members: Sequence[str], stores: set[str], azure: Sequence[str], apps: Sequence[str]
    ) -> tuple[ChecklistItem, ...]:
        uses = self.uses
        items: list[ChecklistItem] = []

        def add(step: str, text: str) -> None:
            items.append(ChecklistItem(step, text))

        types = {self.symbols[s].type for s in azure}
        add("deploy", f"Provision the Azure resources of this wave ({', '.join(azure)}): `azd provision`.")
        for symbol in azure:
            vault = self.symbols[symbol]
            if vault.type == "Microsoft.KeyVault/vaults" and symbol not in self.vaults:
                self.vaults.add(symbol)
                # soft delete keeps a deleted vault's name for the retention period
                days = (vault.body.get("properties") or {}).get("softDeleteRetentionInDays", 90)
                add(
                    "deploy",
                    "Take a trial environment down with `azd down --purge`: the Key Vault "
                    f"({symbol} in main.bicep) keeps its name for {days} days after it is deleted (soft "
                    "delete), and provisioning the same environment again fails until it is purged.",
                )
        for app in self.apps:
            if app.name not in apps:
                continue
            moving = [f for f in app.functions if f in members]
            add("deploy", f"Publish {', '.join(moving)} to function app {app.name}: `azd deploy {app.name}`.")
            # `azd deploy` publishes every function of the app: the app's first wave turns the others off
            # and each later wave turns its own back on (linear in the app's size, not quadratic)
            if app.name not in self.started:
                self.started.add(app.name)
                later = [
                    n for f in app.functions if f not in members for n in _azure_names(self.functions[f])
                ]
                if later:
                    add(
                        "deploy",
                        f"In {app.name}, keep the functions of later waves off until their wave: app settings "
                        + ", ".join(f"AzureWebJobs.{n}.Disabled=true" for n in later)
                        + ".",
                    )
            else:
                names = [n for f in moving for n in _azure_names(self.functions[f])]
                add(
                    "deploy",
                    f"In {app.name}, turn this wave's functions on: give the app settings "
                    + ", ".join(f"AzureWebJobs.{n}.Disabled" for n in names)
                    + " back the value main.bicep sets (remove those it does not set).",
                )
        if "Microsoft.EventGrid/systemTopics/eventSubscriptions" in types or any(
            t.endswith("eventSubscriptions") for t in types
        ):
            add(
                "deploy",
                "After the code is published, create the Event Grid subscriptions: azd env set "
                "DEPLOY_EVENT_SUBSCRIPTIONS true && azd provision (deployEventSubscriptions=true; Event Grid "
                "validates the function endpoint).",
            )
        for fn in members:
            plan = self.functions[fn]
            rules = sorted(
                {
                    f.rule
                    for f in self.findings.get(fn, ())
                    if f.severity in (Severity.WARNING, Severity.ERROR)
                }
            )
            if rules:
                add("test", f"Resolve the findings of {fn} ({', '.join(rules)}) before testing it.")
            for t in plan.triggers:
                if t.azure_trigger is None:
                    add(
                        "test",
                        f"{t.function_name}: event {t.event} ({t.aws_type}) has no Azure trigger; "
                        "rebuild it by hand and test it.",
                    )
                else:
                    add(
                        "test",
                        f"Test {t.function_name} through its {t.azure_trigger} "
                        f"({t.azure_target or t.kind}) and compare the result with the Lambda's.",
                    )
            if not plan.triggers:
                add("test", f"Invoke {fn} as its callers do and compare the result with the Lambda's.")
        for store in sorted(stores):
            target = self.main_target(store)
            kind = uses.store_types[store]
            if not target:
                continue
            if kind in ("AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"):
                add(
                    "cutover",
                    f"Copy the items of {store} into Cosmos DB {target} (export and import, or "
                    "Azure Data Factory), then keep them in sync until the cut-over.",
                )
            elif kind == "AWS::S3::Bucket":
                add(
                    "cutover",
                    f"Copy the objects of {store} into blob storage {target} (`azcopy copy` "
                    "reads S3 directly).",
                )
        for fn in cutover_order(members, {(a, b): uses.feeds(a, b) for a in members for b in members}):
            plan = self.functions[fn]
            produced = sorted(uses.produces[fn])
            if produced:
                shown = ", ".join(
                    f"{s} -> {self.main_target(s) or 'its Azure counterpart'}" for s in produced
                )
                add("cutover", f"Switch {fn} to Azure (it uses {shown}).")
            for t in plan.triggers:
                if t.kind in ("api", "httpapi", "http") or t.azure_trigger == "httpTrigger":
                    add(
                        "cutover",
                        f"Route the clients of {t.function_name} to function app {plan.app} "
                        "(DNS or gateway), then retire the API Gateway route.",
                    )
                elif t.azure_trigger is not None:
                    queues = sorted(q for q in uses.consumes[fn] if uses.store_types[q] == "AWS::SQS::Queue")
                    drained = f" and {', '.join(queues)} is drained on AWS" if queues else ""
                    add(
                        "cutover",
                        f"Disable the AWS event source {t.event} of {fn} ({t.aws_type}) once "
                        f"{t.function_name} runs on Azure{drained}.",
                    )
            if not produced and not plan.triggers:
                add("cutover", f"Switch the callers of {fn} to the Azure function.")
        for app in apps:
            add(
                "monitor",
                f"Watch failures, duration and throttling of {app} in Application Insights "
                "(live metrics and the Failures view) for at least one business cycle.",
            )
        if any(t.startswith("Microsoft.ServiceBus") for t in types):
            add(
                "monitor",
                "Alert on dead-lettered messages of the Service Bus queues "
                f"({', '.join(sorted(s for s in azure if self.symbols[s].type.endswith('/queues')))}).",
            )
        add(
            "monitor",
            f"Keep {', '.join(members)} deployable on AWS until the wave is signed off, so it can "
            "roll back; then delete the Lambda resources.",
        )
        return tuple(items)


def _prerequisites(
    resources: Sequence[AzureResource], apps: Sequence[AppPlan], tables: Tables
) -> Prerequisites:
    counts: dict[str, int] = {}
    for r in resources:
        counts[r.type] = counts.get(r.type, 0) + 1
    providers = {r.type.split("/")[0] for r in resources} - _BUILT_IN_PROVIDERS
    vnet = any(
        r.type.startswith("Microsoft.Network/virtualNetworks")
        or "virtualNetworkSubnetId" in (r.body.get("properties") or {})
        for r in resources
    )
    if vnet:  # Flex Consumption delegates its subnet to Microsoft.App/environments
        providers.add("Microsoft.App")
    quota = QuotaCheck(
        REGIONAL_QUOTA_MB,
        tuple(AppQuota(a.name, a.instance_memory_mb, a.maximum_instance_count) for a in apps),
    )
    flex = tables.settings["flex"]
    ready = sum(
        entry.get("instanceCount", 0)
        for r in resources
        if r.type == "Microsoft.Web/sites"
        for entry in (r.body.get("properties") or {})
        .get("functionAppConfig", {})
        .get("scaleAndConcurrency", {})
        .get("alwaysReady", [])
    )
    notes = [
        "Choose a region that offers Flex Consumption (`az functionapp list-flexconsumption-locations`).",
        f"maximumInstanceCount is between 1 and 1000 per app (generated default {flex['maximum_instance_count']}); "
        "instance memory is 512, 2048 or 4096 MB; one function app per Flex Consumption plan.",
        f"Regional quota: {quota.total_mb:,} MB of {REGIONAL_QUOTA_MB:,} MB if every app scales to its "
        "maximum at once"
        + (
            "."
            if quota.within
            else "; lower maximumInstanceCount or request a quota increase (support ticket) before deploying."
        ),
        "Always-ready instances count against the quota and are billed; the generated apps use "
        + (f"{ready} (from provisioned concurrency)." if ready else "none."),
    ]
    if providers:
        notes.append(
            "Register the resource providers: "
            + " ".join(f"`az provider register -n {p}`" for p in sorted(providers))
        )
    return Prerequisites(tuple(sorted(counts.items())), tuple(sorted(providers)), quota, tuple(notes))


def plan_migration(
    graph: ResourceGraph,
    tables: Tables,
    resources: Sequence[AzureResource],
    apps: Sequence[AppPlan],
    functions: Sequence[FunctionPlan],
    findings: Sequence[Finding],
    machines: Sequence[StateMachine],
    granted: Mapping[str, Iterable[str]] | None = None,
) -> MigrationPlan:
    """``machines``: the template's state machines (state_machines.py, read once by the mapper);
    ``granted``: function id -> the template resources its IAM statements give it a role on."""
    uses = _Uses(graph, tables, machines, granted)
    by_id = {f.logical_id: f for f in functions}
    by_resource: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_resource.setdefault(finding.resource, []).append(finding)
    efforts = {f.logical_id: function_effort(f, by_resource.get(f.logical_id, [])) for f in functions}
    writer = _WaveWriter(uses, resources, apps, by_id, by_resource)
    drafts = []
    for members in _components(uses):
        members = [m for m in members if m in by_id]
        if not members:
            continue
        effort = sum(efforts[m].points for m in members)
        drafts.append((effort, members[0], members))
    app_of = {fn: a.name for a in apps for fn in a.functions}
    waves = []
    for number, (effort, _, members) in enumerate(sorted(drafts, key=lambda d: (d[0], d[1])), start=1):
        order = cutover_order(members, {(a, b): uses.feeds(a, b) for a in members for b in members})
        stores = writer.related_stores({s for m in members for s in uses.stores(m)})
        in_wave = {app_of[m] for m in members if m in app_of}
        app_names = tuple(a.name for a in apps if a.name in in_wave)
        # the first wave also provisions the shared infrastructure, whether or not its functions name it
        azure = writer.wave_resources(members, stores, writer.shared_infrastructure() if number == 1 else ())
        waves.append(
            Wave(
                number=number,
                functions=tuple(order),
                reason=writer.reason(order),
                checklist=writer.checklist(order, stores, azure, app_names),
                shared=tuple(sorted(stores)),
                apps=app_names,
                azure_resources=azure,
                effort=effort,
            )
        )
    return MigrationPlan(
        waves=tuple(waves),
        prerequisites=_prerequisites(resources, apps, tables),
        effort=tuple(efforts[f.logical_id] for f in functions),
        effort_formula=EFFORT_FORMULA,
        ordering_rule=ORDERING_RULE,
        dependencies=_dependencies(uses),
    )


def _dependencies(uses: _Uses) -> tuple[tuple[str, str, str], ...]:
    links = set()
    for fn in uses.functions:
        links |= {(store, fn, "triggers") for store in uses.consumes[fn]}
        links |= {(fn, store, "uses") for store in uses.produces[fn]}
        links |= {(fn, callee, "invokes") for callee in uses.invokes[fn]}
    return tuple(sorted(links))
