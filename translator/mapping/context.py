"""The builder the mappers share while turning one ResourceGraph into an AzurePlan.

It is the only mutable object of the mapping stage and never escapes it: ``core.map_graph`` freezes
what it collected into an AzurePlan. It allocates unique Bicep symbols, records the Azure target of
every AWS resource (so that references can be rendered), and collects findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from translator.bicep import Call, Ident, Prop, identifier
from translator.findings import Disposition, Finding
from translator.graph import ResourceGraph
from translator.mapping.tables import Tables
from translator.plan import AzureResource, BicepOutput, BicepParam, BicepVar, StatementPlan
from translator.values import Loc

#: Symbols the generated main.bicep declares itself, or that Bicep reserves.
RESERVED_SYMBOLS = frozenset(
    {
        "environmentName",
        "location",
        "resourceToken",
        "tags",
        "deployEventSubscriptions",
        "maximumInstanceCount",
        "logAnalytics",
        "appInsights",
        "storage",
        "storageBlobService",
        # Bicep keywords and namespaces
        "az",
        "sys",
        "resource",
        "param",
        "var",
        "output",
        "module",
        "existing",
        "true",
        "false",
        "null",
        "if",
        "for",
        "in",
        "import",
        "type",
        "func",
        "metadata",
        "targetScope",
    }
)


@dataclass
class Target:
    """The Azure counterpart of one AWS resource: its Bicep symbol and how its attributes render."""

    symbol: str
    azure_type: str
    description: str
    #: AWS attribute name ('Ref' for Ref) -> Bicep value
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Options:
    app_per_function: bool = False


class Builder:
    def __init__(self, graph: ResourceGraph, tables: Tables, options: Options, name: str) -> None:
        self.graph = graph
        self.graph_name = name
        self.tables = tables
        self.options = options
        self._symbols: set[str] = {s.lower() for s in RESERVED_SYMBOLS}
        self.params: dict[str, BicepParam] = {}
        self.variables: dict[str, BicepVar] = {}
        self.resources: list[AzureResource] = []
        self._resource_index: dict[str, AzureResource] = {}
        self.outputs: list[BicepOutput] = []
        self.findings: list[Finding] = []
        #: the same findings by the logical id they are about (kept by add_finding: plans read it per function)
        self._findings_by_resource: dict[str, list[Finding]] = {}
        self.targets: dict[str, Target] = {}
        #: AWS logical id -> Azure resource symbols made from it, and the weakest disposition seen
        self.made_from: dict[str, list[str]] = {}
        self.disposition_floor: dict[str, Disposition] = {}
        self._roles: set[tuple[str, str, str]] = set()
        #: IAM role and policy logical id -> what became of its statements (translator/mapping/grants.py)
        self.iam_statements: dict[str, tuple[StatementPlan, ...]] = {}
        #: function logical id -> template resources its IAM statements grant it a role on (grants.py)
        self.granted: dict[str, set[str]] = {}

    # ---- symbols ------------------------------------------------------------------------------
    def symbol(self, base: str) -> str:
        """A unique Bicep identifier built from ``base`` (case-insensitive uniqueness)."""
        name = identifier(base)
        candidate = name
        n = 2
        while candidate.lower() in self._symbols:
            candidate = f"{name}{n}"
            n += 1
        self._symbols.add(candidate.lower())
        return candidate

    # ---- findings -----------------------------------------------------------------------------
    def finding(
        self,
        rule: str,
        message: str,
        loc: Loc | None,
        resource: str | None = None,
        suggestion: str | None = None,
    ) -> Finding:
        return self.add_finding(Finding.of(rule, message, loc, resource, suggestion))

    def add_finding(self, found: Finding) -> Finding:
        self.findings.append(found)
        if found.resource:
            self._findings_by_resource.setdefault(found.resource, []).append(found)
        return found

    def findings_of(self, logical_id: str) -> list[Finding]:
        """The findings made so far about one template resource (a function, a queue ...)."""
        return self._findings_by_resource.get(logical_id, [])

    def lower_disposition(self, logical_id: str, disposition: Disposition) -> None:
        current = self.disposition_floor.get(logical_id, Disposition.CONVERTED)
        if disposition.rank > current.rank:
            self.disposition_floor[logical_id] = disposition

    # ---- resources ----------------------------------------------------------------------------
    def add(self, resource: AzureResource) -> AzureResource:
        if resource.symbol in self._resource_index:
            raise ValueError(f"symbol {resource.symbol} is declared twice")
        self.resources.append(resource)
        self._resource_index[resource.symbol] = resource
        for source in resource.sources:
            self.made_from.setdefault(source, []).append(resource.symbol)
        return resource

    def replace(self, resource: AzureResource) -> None:
        """Swap in a changed version of a resource already added (same symbol, e.g. with a condition)."""
        index = next(i for i, r in enumerate(self.resources) if r.symbol == resource.symbol)
        self.resources[index] = resource
        self._resource_index[resource.symbol] = resource

    def resource(self, symbol: str) -> AzureResource | None:
        return self._resource_index.get(symbol)

    def new_resource(
        self,
        symbol_base: str,
        azure_type: str,
        body: dict[str, Any],
        sources: tuple[str, ...] = (),
        condition: Any = None,
        comment: str | None = None,
    ) -> AzureResource:
        symbol = self.symbol(symbol_base)
        return self.add(
            AzureResource(
                symbol=symbol,
                type=azure_type,
                api_version=self.tables.api_version(azure_type),
                body=body,
                condition=condition,
                sources=sources,
                comment=comment,
            )
        )

    def granted_roles(self, identity_symbol: str) -> list[tuple[str, str]]:
        """(scope symbol, role) of every role assignment made so far for one identity."""
        return sorted((scope, role) for scope, role, identity in self._roles if identity == identity_symbol)

    def role_assignment(
        self,
        scope_symbol: str,
        role: str,
        identity_symbol: str,
        sources: tuple[str, ...] = (),
        condition: Any = None,
    ) -> None:
        """Grant ``role`` on the resource ``scope_symbol`` to a user-assigned identity (once)."""
        key = (scope_symbol, role, identity_symbol)
        if key in self._roles:
            return
        self._roles.add(key)
        role_id = self.tables.role_id(role)
        scope = Ident(scope_symbol)
        identity = Ident(identity_symbol)
        self.new_resource(
            f"{scope_symbol} {role} {identity_symbol}",
            "Microsoft.Authorization/roleAssignments",
            {
                "name": Call("guid", (Prop(scope, ("id",)), Prop(identity, ("id",)), role_id)),
                "scope": scope,
                "properties": {
                    "roleDefinitionId": Call(
                        "subscriptionResourceId", ("Microsoft.Authorization/roleDefinitions", role_id)
                    ),
                    "principalId": Prop(identity, ("properties", "principalId")),
                    "principalType": "ServicePrincipal",
                },
            },
            sources=sources,
            condition=condition,
            comment=f"{role} for {identity_symbol}",
        )

    # ---- params -------------------------------------------------------------------------------
    def add_param(self, param: BicepParam) -> str:
        self.params[param.name] = param
        return param.name

    def value_param(self, base: str, description: str, type_: str = "string", secure: bool = False) -> Ident:
        """A parameter standing in for a value that could not be rendered."""
        name = self.symbol(base)
        self.add_param(BicepParam(name=name, type=type_, description=description, secure=secure))
        return Ident(name)
