"""Role assignments for the function apps' identities, from the functions' IAM policies.

Runs once all apps and triggers exist (so trigger roles are known): every function's ``Policies`` and
execution ``Role`` (with the ``AWS::IAM::Policy``/``ManagedPolicy`` resources attached to it) are read
statement by statement (``iam.py``), the needs of all functions of an app are merged per identity, needs
already covered by an equal or broader role on the same resource or a parent (trigger roles included)
are dropped, and the rest become role assignments scoped to the resource, never to the resource group.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from translator.bicep import BinOp, Call, Ident, Prop, identifiers, interp
from translator.findings import Disposition, Finding
from translator.graph import Function, Resource
from translator.mapping.context import Builder
from translator.mapping.iam import Analysis, IamTranslator, Need, list_text, policy_name, text_of
from translator.parsers.connectors import connectors
from translator.plan import FunctionPlan, SettingPlan, StatementPlan
from translator.values import Arr, GetAtt, If, Join, Obj, Ref, Sub, loc_of

_IDENTITY = "Microsoft.ManagedIdentity/userAssignedIdentities"
_DOCUMENTS = ("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
_COSMOS_TRIGGER_ROLE = "Cosmos DB Built-in Data Contributor"
_SEVERITY_FLOOR = {"warning": Disposition.APPROXIMATED, "error": Disposition.MANUAL}


def grant_policies(b: Builder, functions: list[FunctionPlan]) -> list[FunctionPlan]:
    """Translate the IAM policies of ``functions`` into role assignments; return the updated plans.

    Also records the statements of every IAM role and policy resource in ``b.iam_statements`` for the
    inventory.
    """
    return _Grants(b).run(functions)


class _Grants:
    def __init__(self, b: Builder) -> None:
        self.b = b
        self.iam = IamTranslator(b)
        self.documents: dict[str, list[Analysis]] = {}
        self.attached = _attached_policies(b)
        self.wanted: dict[str, dict[Need, list[str]]] = {}  # identity -> need -> function ids
        self.own: dict[str, list[Analysis]] = {}  # function id -> its own statements
        #: id(analysis) -> the analysis and the identities that hold what it grants
        self.users: dict[int, tuple[Analysis, set[str]]] = {}
        #: (identity, scope, role, cosmos) -> the broader held role that made an assignment unnecessary
        self.covering: dict[tuple[str, str, str, bool], str] = {}
        self.standalone: dict[str, list[Analysis]] = {}  # standalone connector -> its statements
        self._by_symbol: dict[str, str] | None = None
        self.graph_functions = {f.logical_id: f for f in b.graph.functions}

    def run(self, functions: list[FunctionPlan]) -> list[FunctionPlan]:
        self.connected = self._connectors()
        updated = [self._function(plan) for plan in functions]
        for resource in self.b.graph.resources:
            if resource.type in _DOCUMENTS and resource.logical_id not in self.documents:
                self.b.finding(
                    "LF5013",
                    f"{resource.type} {resource.logical_id} is not the execution role of a function (or attached "
                    "to one); its statements are not translated",
                    resource.loc,
                    resource.logical_id,
                )
                self.b.lower_disposition(resource.logical_id, Disposition.APPROXIMATED)
                self.b.iam_statements[resource.logical_id] = tuple(
                    StatementPlan(s, Disposition.MANUAL, "LF5013", loc) for s, loc in _summaries(resource)
                )
        for identity in sorted(self.wanted):
            self._assign(identity, self.wanted[identity])
        self._mark_covered()
        updated = [replace(p, policies=tuple(a.plan for a in self.own[p.logical_id])) for p in updated]
        self._per_app(updated)
        by_resource: dict[str | None, list[Finding]] = {}
        for finding in self.b.findings:
            by_resource.setdefault(finding.resource, []).append(finding)
        return [self._settle(plan, by_resource.get(plan.logical_id, [])) for plan in updated]

    def _target_ids(self) -> dict[str, str]:
        """Bicep symbol -> the logical id mapped to it (built once: targets are complete by now)."""
        if self._by_symbol is None:
            self._by_symbol = {target.symbol: lid for lid, target in self.b.targets.items()}
        return self._by_symbol

    def _settle(self, plan: FunctionPlan, findings: list[Finding]) -> FunctionPlan:
        """The function's disposition, counting its findings (warnings approximate it)."""
        disposition = plan.disposition
        for finding in findings:
            floor = _SEVERITY_FLOOR.get(finding.severity.value, Disposition.CONVERTED)
            if floor.rank > disposition.rank:
                disposition = floor
        return replace(plan, disposition=disposition)

    # ---- one function -----------------------------------------------------------------------------
    def _function(self, plan: FunctionPlan) -> FunctionPlan:
        fn = self.graph_functions[plan.logical_id]
        identity = self._identity(fn.logical_id)
        own = self._policies(fn)
        roles_used: list[Analysis] = []
        role_value = fn.prop("Role")
        role_id = _designated(role_value, self.b, "AWS::IAM::Role")
        if role_value is not None and role_id is None:
            where = (
                "is the live function's execution role, and discover does not read IAM policies"
                if self.b.graph.provenance is not None
                else "is not a role of this template"
            )
            self.b.finding(
                "LF5010",
                f"Role {text_of(role_value)} {where}; its permissions are not translated",
                fn.properties.loc_of("Role"),
                fn.logical_id,
                "Grant the app identity the roles its code needs on the Azure resources it uses.",
            )
        if role_id is not None:
            roles_used = self._role(role_id)
        boundary = fn.prop("PermissionsBoundary")
        if boundary is not None:
            self.b.finding(
                "LF5009",
                f"PermissionsBoundary {text_of(boundary)} is ignored",
                fn.properties.loc_of("PermissionsBoundary"),
                fn.logical_id,
            )
        connected = self.connected.get(fn.logical_id, [])
        roles_used = roles_used + [a for owner, a in connected if owner != fn.logical_id]
        own = own + [a for owner, a in connected if owner == fn.logical_id]  # embedded in the function
        self.own[fn.logical_id] = own
        if identity is not None:
            for analysis in own + roles_used:
                self.users.setdefault(id(analysis), (analysis, set()))[1].add(identity)
                for need in analysis.needs:
                    self.wanted.setdefault(identity, {}).setdefault(need, []).append(fn.logical_id)
        by_symbol = self._target_ids()
        self.b.granted[fn.logical_id] = {
            by_symbol[g.scope] for a in own + roles_used for g in a.plan.grants if g.scope in by_symbol
        }
        statements = [a.plan for a in own]
        worst = _worst([a.plan.disposition for a in own + roles_used])
        settings = tuple(_setting(s, own, roles_used, role_value, role_id) for s in plan.settings)
        disposition = plan.disposition
        if worst.rank > Disposition.CONVERTED.rank and disposition.rank < Disposition.APPROXIMATED.rank:
            disposition = Disposition.APPROXIMATED  # the code may need access the identity lacks
        return replace(plan, policies=tuple(statements), settings=settings, disposition=disposition)

    def _connectors(self) -> dict[str, list[tuple[str, Analysis]]]:
        """Function id -> (owner, analysis) of the SAM connectors whose Source is that function."""
        functions = {f.logical_id for f in self.b.graph.functions}
        found: dict[str, list[tuple[str, Analysis]]] = {}
        for name, props, loc in connectors(self.b.graph.resources):
            source = _endpoint(props.get("Source"))
            if source not in functions:
                continue  # a connector into a function is an invocation path: the trigger covers it
            destination = props.get("Destination")
            target = _endpoint(destination)
            resource = self.b.graph.resource(target) if target else None
            declared = destination.get("Type") if isinstance(destination, Obj) else None
            kind = (
                resource.type
                if resource is not None
                else str(declared)
                if isinstance(declared, str)
                else None
            )
            value = (
                Ref(target) if target else destination.get("Arn") if isinstance(destination, Obj) else None
            )
            standalone = self.b.graph.resource(name) is not None
            owner = name if standalone else str(source)
            analysis = self.iam.connector(name, props.get("Permissions"), value, kind, owner, loc)
            if standalone:
                self.standalone.setdefault(name, []).append(analysis)
                self.b.iam_statements[name] = (*self.b.iam_statements.get(name, ()), analysis.plan)
            found.setdefault(str(source), []).append((owner, analysis))
        return found

    def _identity(self, function_id: str) -> str | None:
        for symbol in self.b.made_from.get(function_id, []):
            resource = self.b.resource(symbol)
            if resource is not None and resource.type == _IDENTITY:
                return symbol
        return None

    def _policies(self, fn: Function) -> list[Analysis]:
        """The items of a SAM function's ``Policies``: managed policies, templates, documents."""
        value = fn.prop("Policies")
        if value is None:
            return []
        default_loc = fn.properties.loc_of("Policies")
        items = value if isinstance(value, Arr) else (value,)
        analyses: list[Analysis] = []
        owner = fn.logical_id
        for item in items:
            loc = loc_of(item, default_loc)
            policy_id = _designated(item, self.b, "AWS::IAM::ManagedPolicy")
            if policy_id is not None:
                analyses += self._document(policy_id)
            elif isinstance(item, (str, Sub, Join)) or (
                isinstance(item, Ref) and item.target != "AWS::NoValue"
            ):
                analyses.append(
                    self.iam.managed_policy(item, owner, loc)
                )  # a Ref: a parameter holding an ARN
            elif isinstance(item, If):
                what = f"a policy chosen by Fn::If on condition {item.condition}"
                analyses.append(self.iam.unreadable(f"policy <Fn::If {item.condition}>", owner, loc, what))
            elif isinstance(item, Obj) and "Statement" in item:
                analyses += self._statements(item["Statement"], owner, loc)
            elif isinstance(item, Obj) and len(item) == 1:
                (name,) = item
                analyses.append(self.iam.template(name, item[name], owner, loc))
            else:
                analyses.append(self.iam.unreadable(f"policy {text_of(item)}", owner, loc))
        return analyses

    def _statements(self, value: Any, owner: str, loc: Any) -> list[Analysis]:
        items = value if isinstance(value, Arr) else (value,) if value is not None else ()
        return [self.iam.statement(statement, owner, loc) for statement in items]

    # ---- IAM resources ------------------------------------------------------------------------------
    def _role(self, role_id: str) -> list[Analysis]:
        analyses = list(self._document(role_id))
        for policy_id in self.attached.get(role_id, ()):
            analyses += self._document(policy_id)
        return analyses

    def _document(self, logical_id: str) -> list[Analysis]:
        """The statements of an IAM role, policy or managed policy resource, read once."""
        if logical_id in self.documents:
            return self.documents[logical_id]
        resource = self.b.graph.resource(logical_id)
        assert resource is not None
        props = resource.properties
        analyses: list[Analysis] = []
        self.documents[logical_id] = analyses  # a role naming itself does not loop
        if resource.type == "AWS::IAM::Role":
            for policy in props.get("Policies") or ():
                document = policy.get("PolicyDocument") if isinstance(policy, Obj) else None
                if isinstance(document, Obj):
                    analyses += self._statements(
                        document.get("Statement"), logical_id, loc_of(policy, resource.loc)
                    )
                else:
                    where = loc_of(policy, resource.loc)
                    analyses.append(self.iam.unreadable(f"policy {text_of(policy)}", logical_id, where))
            managed = props.get("ManagedPolicyArns")
            for arn in managed if isinstance(managed, Arr) else ():
                policy_id = _designated(arn, self.b, "AWS::IAM::ManagedPolicy")
                if policy_id is None:
                    analyses.append(self.iam.managed_policy(arn, logical_id, loc_of(arn, resource.loc)))
            if "PermissionsBoundary" in props:
                self.b.finding(
                    "LF5009",
                    f"PermissionsBoundary {text_of(props['PermissionsBoundary'])} is ignored",
                    props.loc_of("PermissionsBoundary"),
                    logical_id,
                )
        else:
            document = props.get("PolicyDocument")
            if isinstance(document, Obj):
                analyses += self._statements(
                    document.get("Statement"), logical_id, props.loc_of("PolicyDocument")
                )
            else:
                where = props.loc_of("PolicyDocument") or resource.loc
                analyses.append(self.iam.unreadable(f"PolicyDocument {text_of(document)}", logical_id, where))
        self.b.iam_statements[logical_id] = tuple(a.plan for a in analyses)
        self.b.lower_disposition(logical_id, _worst([a.plan.disposition for a in analyses]))
        return analyses

    # ---- role assignments ---------------------------------------------------------------------------
    def _assign(self, identity: str, needs: dict[Need, list[str]]) -> None:
        held = [(scope, role, False) for scope, role in self.b.granted_roles(identity)]
        if f"cosmosRole:{identity}" in self.b.made_from:  # the change feed trigger's account-wide role
            account = next(
                (r.symbol for r in self.b.resources if r.type == "Microsoft.DocumentDB/databaseAccounts"),
                None,
            )
            if account:
                held.append((account, _COSMOS_TRIGGER_ROLE, True))
        candidates = held + [(n.scope, n.role, n.cosmos) for n in needs]
        identity_resource = self.b.resource(identity)
        identity_condition = identity_resource.condition if identity_resource is not None else None
        for need, sources in needs.items():
            covering = self._covered(need, candidates)
            if covering is not None:
                self.covering[(identity, need.scope, need.role, need.cosmos)] = covering
                continue
            if identity_condition is not None:  # a conditional app: its identity may not exist
                condition = (
                    identity_condition
                    if need.condition is None
                    else BinOp("&&", need.condition, identity_condition)
                )
                need = replace(need, condition=condition)
            if need.cosmos:
                self._cosmos_assignment(need, identity, tuple(sorted(set(sources))))
            else:
                self.b.role_assignment(
                    need.scope, need.role, identity, tuple(sorted(set(sources))), need.condition
                )

    def _covered(self, need: Need, candidates: list[tuple[str, str, bool]]) -> str | None:
        """The held or needed role ('<role> on <scope>') that already grants ``need``, if any."""
        ancestors = _ancestors(self.b, need.scope)
        for scope, role, cosmos in candidates:
            if cosmos != need.cosmos or (scope, role) == (need.scope, need.role):
                continue
            same_or_more = role == need.role or need.role in self.iam.includes.get(role, ())
            if same_or_more and (scope == need.scope or scope in ancestors):
                return f"{role} on {scope}"
        return None

    def _mark_covered(self) -> None:
        """A statement's role that got no assignment (a broader one covers it on every identity that
        uses the statement) says so and names that assignment; the inventory is updated with it."""
        for analysis, identities in self.users.values():
            grants = []
            for g in analysis.plan.grants:
                found = {self.covering.get((i, g.scope, g.role, g.cosmos)) for i in identities}
                (covering,) = found if len(found) == 1 else (None,)
                grants.append(replace(g, covered_by=covering) if covering else g)
            analysis.plan = replace(analysis.plan, grants=tuple(grants))
        for logical_id, analyses in self.documents.items():
            self.b.iam_statements[logical_id] = tuple(a.plan for a in analyses)
        for name, analyses in self.standalone.items():
            self.b.iam_statements[name] = tuple(a.plan for a in analyses)

    def _cosmos_assignment(self, need: Need, identity: str, sources: tuple[str, ...]) -> None:
        """A Cosmos DB data-plane role on one container: a sqlRoleAssignments child of the account."""
        chain = [need.scope, *_ancestors(self.b, need.scope)]
        container, database, account = chain[0], chain[1], chain[2]
        role_id = self.b.tables.cosmos_role_id(need.role)
        scope = interp(
            Prop(Ident(account), ("id",)),
            "/dbs/",
            Prop(Ident(database), ("name",)),
            "/colls/",
            Prop(Ident(container), ("name",)),
        )
        self.b.new_resource(
            f"{container} {need.role} {identity}",
            "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments",
            {
                "parent": Ident(account),
                "name": Call(
                    "guid", (Prop(Ident(container), ("id",)), Prop(Ident(identity), ("id",)), role_id)
                ),
                "properties": {
                    "roleDefinitionId": interp(
                        Prop(Ident(account), ("id",)), f"/sqlRoleDefinitions/{role_id}"
                    ),
                    "principalId": Prop(Ident(identity), ("properties", "principalId")),
                    "scope": scope,
                },
            },
            sources=sources,
            condition=need.condition,
            comment=f"{need.role} on container {container} for {identity}",
        )

    # ---- per app ------------------------------------------------------------------------------------
    def _per_app(self, plans: list[FunctionPlan]) -> None:
        apps: dict[str, list[FunctionPlan]] = {}
        for plan in plans:
            apps.setdefault(plan.app, []).append(plan)
        for app, members in apps.items():
            with_iam = [p for p in members if _has_iam(self.b, p.logical_id)]
            if not with_iam:
                continue
            first = with_iam[0]
            names = ", ".join(p.logical_id for p in with_iam)
            self.b.finding(
                "LF1002",
                f"function app '{app}' runs as one managed identity; the IAM permissions of {names} become its "
                "role assignments",
                first.loc,
                first.logical_id,
            )
            identity = self._identity(first.logical_id)
            per_function = {
                p.logical_id: {n for n, s in self.wanted.get(identity or "", {}).items() if p.logical_id in s}
                for p in members
            }
            if len({frozenset(v) for v in per_function.values()}) > 1:
                self.b.finding(
                    "LF5012",
                    f"functions {', '.join(p.logical_id for p in members)} share the identity of app '{app}', "
                    "so each gets the role assignments of all of them",
                    first.loc,
                    first.logical_id,
                )


def _endpoint(endpoint: Any) -> str | None:
    """The logical id a connector Source or Destination names (Id, or a Ref/GetAtt in ResourceId/Arn)."""
    if not isinstance(endpoint, Obj):
        return None
    if isinstance(endpoint.get("Id"), str):
        return str(endpoint["Id"])
    for key in ("ResourceId", "Arn", "Name"):
        value = endpoint.get(key)
        if isinstance(value, Ref):
            return value.target
        if isinstance(value, GetAtt):
            return value.resource
    return None


def _has_iam(b: Builder, function_id: str) -> bool:
    fn = next(f for f in b.graph.functions if f.logical_id == function_id)
    return "Policies" in fn.properties or "Role" in fn.properties


def _setting(
    setting: SettingPlan, own: list[Analysis], roles: list[Analysis], role_value: Any, role_id: str | None
) -> SettingPlan:
    """The Policies and Role settings take the disposition of their worst statement."""
    if setting.name == "Policies":
        plans = [a.plan for a in own]
    elif setting.name == "Role":
        if role_value is not None and role_id is None:
            return replace(setting, disposition=Disposition.MANUAL, rule="LF5010")
        plans = [a.plan for a in roles]
    else:
        return setting
    worst = max(plans, key=lambda p: p.disposition.rank, default=None)
    if worst is None or worst.disposition is Disposition.CONVERTED:
        return replace(setting, disposition=Disposition.CONVERTED, rule=None)
    return replace(setting, disposition=worst.disposition, rule=worst.rule)


def _worst(dispositions: list[Disposition]) -> Disposition:
    return max(dispositions, key=lambda d: d.rank, default=Disposition.CONVERTED)


def _designated(value: Any, b: Builder, resource_type: str) -> str | None:
    """The logical id of a ``resource_type`` resource that a Ref, GetAtt or Sub designates."""
    nodes = list(value.parts) if isinstance(value, Sub) else [value]
    for node in nodes:
        target = node.target if isinstance(node, Ref) else node.resource if isinstance(node, GetAtt) else None
        resource = b.graph.resource(target) if target else None
        if resource is not None and resource.type == resource_type:
            return target
    return None


def _attached_policies(b: Builder) -> dict[str, list[str]]:
    """Role logical id -> the IAM policy resources attached to it (``Roles:`` or ``ManagedPolicyArns``)."""
    attached: dict[str, list[str]] = {}
    for resource in b.graph.resources:
        if resource.type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            roles = resource.properties.get("Roles")
            for role in roles if isinstance(roles, Arr) else ():
                role_id = _designated(role, b, "AWS::IAM::Role")
                if role_id is not None:
                    attached.setdefault(role_id, []).append(resource.logical_id)
        elif resource.type == "AWS::IAM::Role":
            managed = resource.properties.get("ManagedPolicyArns")
            for arn in managed if isinstance(managed, Arr) else ():
                policy_id = _designated(arn, b, "AWS::IAM::ManagedPolicy")
                if policy_id is not None:
                    attached.setdefault(resource.logical_id, []).append(policy_id)
    return {k: list(dict.fromkeys(v)) for k, v in attached.items()}


_COSMOS_ASSIGNMENT = "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"
_COSMOS_CONTAINER = "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"


def serialize_cosmos_assignments(b: Builder) -> None:
    """Deploy the Cosmos DB data-plane role assignments of an account one after the other.

    Cosmos DB answers concurrent sqlRoleAssignments writes on one account with 412 "There is another user
    operation in progress which requires an exclusive lock", and ARM deploys independent resources in
    parallel. So each assignment on an account depends on the previous one (in the order they were
    made), and the first one on the account's containers. A dependency on a resource whose condition is
    false is dropped by ARM, so conditional assignments keep the chain intact.
    """
    containers: dict[str, list[str]] = {}
    assignments: dict[str, list[str]] = {}
    for resource in b.resources:
        if resource.type == _COSMOS_CONTAINER:
            chain = _ancestors(b, resource.symbol)
            if chain:
                containers.setdefault(chain[-1], []).append(resource.symbol)
        elif resource.type == _COSMOS_ASSIGNMENT and isinstance(resource.body.get("parent"), Ident):
            assignments.setdefault(resource.body["parent"].name, []).append(resource.symbol)
    for account, symbols in assignments.items():
        previous: list[str] = containers.get(account, [])
        for symbol in symbols:
            resource = b.resource(symbol)
            if resource is None:
                continue
            named = set(identifiers(resource.body))  # dependencies Bicep already infers
            wanted = [name for name in previous if name not in named]
            if wanted:
                body = {**resource.body, "dependsOn": [Ident(name) for name in wanted]}
                b.replace(replace(resource, body=body))
            previous = [symbol]


def _ancestors(b: Builder, symbol: str) -> list[str]:
    """The parents of a resource (container -> blob service -> account), nearest first."""
    chain = []
    resource = b.resource(symbol)
    while resource is not None and isinstance(resource.body.get("parent"), Ident):
        parent = resource.body["parent"].name
        chain.append(parent)
        resource = b.resource(parent)
    return chain


def _summaries(resource: Resource) -> list[tuple[str, Any]]:
    """Statement summaries of an IAM resource that no function uses (not translated)."""
    props = resource.properties
    documents = []
    if resource.type == "AWS::IAM::Role":
        for policy in props.get("Policies") or ():
            if isinstance(policy, Obj) and isinstance(policy.get("PolicyDocument"), Obj):
                documents.append((policy["PolicyDocument"], loc_of(policy, resource.loc)))
    elif isinstance(props.get("PolicyDocument"), Obj):
        documents.append((props["PolicyDocument"], props.loc_of("PolicyDocument")))
    out: list[tuple[str, Any]] = []
    for document, loc in documents:
        statements = document.get("Statement")
        for statement in statements if isinstance(statements, Arr) else (statements,) if statements else ():
            if isinstance(statement, Obj):
                actions = statement.get("Action", statement.get("NotAction"))
                resources = statement.get("Resource", statement.get("NotResource", "*"))
                out.append(
                    (
                        f"{text_of(statement.get('Effect', 'Allow'))} {list_text(actions)} on {list_text(resources)}",
                        loc_of(statement, loc),
                    )
                )
    managed = props.get("ManagedPolicyArns")
    for arn in managed if isinstance(managed, Arr) else ():
        out.append((f"managed policy {policy_name(arn)}", loc_of(arn, resource.loc)))
    return out or [(f"{resource.type} {resource.logical_id}", resource.loc)]
