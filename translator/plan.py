"""The AzurePlan: everything the emitters need, and nothing from the input format.

Mappers build it from a ResourceGraph; emitters (Bicep, host.json, azd, reports) read only this.
Values inside are Python literals and ``translator.bicep`` expression nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.findings import Disposition, Finding
from translator.provenance import Provenance
from translator.values import Loc


@dataclass(frozen=True)
class BicepParam:
    name: str
    type: str  # string | int | bool | array | object
    description: str | None = None
    default: Any = None
    has_default: bool = False
    secure: bool = False
    allowed: tuple[Any, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    #: value for main.parameters.json (azd substitutes ${VAR}); None = leave to the default or a prompt
    parameters_file_value: Any = None


@dataclass(frozen=True)
class BicepVar:
    name: str
    value: Any
    description: str | None = None


@dataclass(frozen=True)
class AzureResource:
    symbol: str
    type: str
    api_version: str
    body: dict[str, Any]  # name, location, parent, scope, kind, sku, identity, tags, properties ...
    condition: Any = None  # a Bicep expression; the resource is deployed only when it is true
    sources: tuple[str, ...] = ()  # AWS logical ids this resource was made from
    comment: str | None = None

    @property
    def type_ref(self) -> str:
        return f"{self.type}@{self.api_version}"


@dataclass(frozen=True)
class BicepOutput:
    name: str
    type: str
    value: Any
    description: str | None = None
    condition: Any = None
    secure: bool = False  # it reads a @secure() parameter: the deployment must not show it


@dataclass(frozen=True)
class TriggerPlan:
    event: str
    kind: str
    aws_type: str
    azure_trigger: str | None  # httpTrigger, serviceBusTrigger ... or None when not translated
    azure_target: str | None  # human description of the Azure counterpart
    disposition: Disposition
    binding: dict[str, Any]  # binding settings an adapter or function.json would use
    loc: Loc | None
    function_name: str = ""  # the Azure function that holds this trigger (one trigger per function)
    settings: tuple[SettingPlan, ...] = ()  # what became of each property of the event source


@dataclass(frozen=True)
class SettingPlan:
    """What became of one Lambda function setting."""

    name: str
    disposition: Disposition
    azure_target: str | None
    loc: Loc | None
    rule: str | None = None  # the finding rule that explains a disposition other than 'converted'


@dataclass(frozen=True)
class RoleGrantPlan:
    """An Azure role that a policy statement became: granted to the app identity on one resource."""

    role: str  # e.g. "Azure Service Bus Data Sender"
    role_definition_id: str  # the built-in role's GUID (Cosmos DB: the account's sqlRoleDefinitions name)
    scope: str  # Bicep symbol of the Azure resource the role is scoped to
    cosmos: bool = False  # a Cosmos DB data-plane role, assigned with sqlRoleAssignments
    #: set when no assignment was made for this role because the identity holds a broader one, e.g.
    #: "Cosmos DB Built-in Data Contributor on ordersTable"
    covered_by: str | None = None


@dataclass(frozen=True)
class StatementPlan:
    """One IAM policy statement, managed policy or SAM policy template, and what became of it."""

    summary: str  # e.g. "Allow sqs:SendMessage on OrdersQueue", "managed policy AWSLambdaBasicExecutionRole"
    disposition: Disposition
    rule: str
    loc: Loc | None
    grants: tuple[RoleGrantPlan, ...] = ()


@dataclass(frozen=True)
class FunctionPlan:
    logical_id: str
    azure_name: str
    app: str
    aws_runtime: str | None
    runtime: str | None  # e.g. "python 3.12"
    handler: str | None
    memory_mb: int | None
    instance_memory_mb: int
    timeout_seconds: int | None
    triggers: tuple[TriggerPlan, ...]
    disposition: Disposition
    loc: Loc | None
    code_uri: str | None = None
    settings: tuple[SettingPlan, ...] = ()
    policies: tuple[StatementPlan, ...] = ()


@dataclass(frozen=True)
class AppPlan:
    name: str  # also the azd service name and the src/<name> folder
    site_symbol: str
    runtime_name: str
    runtime_version: str
    instance_memory_mb: int
    maximum_instance_count: int
    functions: tuple[str, ...]
    host_json: dict[str, Any]
    azd_language: str
    grouping_reason: str
    #: the Bicep bool the app is deployed under (its functions' Condition), None when always deployed
    condition: str | None = None


@dataclass(frozen=True)
class InventoryEntry:
    """One input resource and what became of it."""

    logical_id: str
    type: str
    loc: Loc | None
    disposition: Disposition
    targets: tuple[str, ...]
    findings: tuple[Finding, ...]
    statements: tuple[StatementPlan, ...] = ()  # IAM roles and policies: their statements


@dataclass(frozen=True)
class AzurePlan:
    name: str
    source_file: str
    source_format: str
    description: str | None
    params: tuple[BicepParam, ...]
    variables: tuple[BicepVar, ...]
    resources: tuple[AzureResource, ...]
    outputs: tuple[BicepOutput, ...]
    apps: tuple[AppPlan, ...]
    functions: tuple[FunctionPlan, ...]
    inventory: tuple[InventoryEntry, ...]
    findings: tuple[Finding, ...]
    #: the wave plan; None only for plans built by hand (map_graph always sets it)
    migration: MigrationPlan | None = None
    #: the live account the input was discovered from (an inventory); None for templates
    provenance: Provenance | None = None


@dataclass(frozen=True)
class FunctionEffort:
    """Estimated migration effort of one function, in points, with the terms that add up to it."""

    function: str
    points: float
    breakdown: tuple[tuple[str, float], ...]  # (term, points), in the order of the formula


@dataclass(frozen=True)
class ChecklistItem:
    step: str  # deploy | test | cutover | monitor
    text: str


@dataclass(frozen=True)
class Wave:
    """Functions that move to Azure together, with what they share and the steps to move them."""

    number: int
    functions: tuple[str, ...]  # in cut-over order: producers before consumers
    reason: str
    checklist: tuple[ChecklistItem, ...]
    shared: tuple[str, ...] = ()  # AWS logical ids of the queues, tables, topics ... they use
    apps: tuple[str, ...] = ()  # the function apps that hold them
    azure_resources: tuple[str, ...] = ()  # Bicep symbols of the Azure resources the wave relies on
    effort: float = 0.0


@dataclass(frozen=True)
class AppQuota:
    app: str
    instance_memory_mb: int
    maximum_instance_count: int

    @property
    def memory_mb(self) -> int:
        return self.instance_memory_mb * self.maximum_instance_count


@dataclass(frozen=True)
class QuotaCheck:
    """Flex Consumption regional quota: instance memory x maximum instances, summed over the apps."""

    limit_mb: int
    apps: tuple[AppQuota, ...]

    @property
    def total_mb(self) -> int:
        return sum(a.memory_mb for a in self.apps)

    @property
    def within(self) -> bool:
        return self.total_mb <= self.limit_mb


@dataclass(frozen=True)
class Prerequisites:
    resource_types: tuple[tuple[str, int], ...]  # (Azure resource type, how many), sorted by type
    providers: tuple[str, ...]  # resource providers to register in the subscription
    quota: QuotaCheck
    notes: tuple[str, ...]  # instance limits and other checks before the first wave


@dataclass(frozen=True)
class MigrationPlan:
    waves: tuple[Wave, ...]
    prerequisites: Prerequisites
    effort: tuple[FunctionEffort, ...]
    effort_formula: str
    ordering_rule: str
    #: (from, to, kind) in the direction data flows: store -> consumer ("triggers"), function -> store
    #: ("uses"), caller -> callee ("invokes"); sorted
    dependencies: tuple[tuple[str, str, str], ...] = ()
