"""The AzurePlan: everything the emitters need, and nothing from the input format.

Mappers build it from a ResourceGraph; emitters (Bicep, host.json, azd, reports) read only this.
Values inside are Python literals and ``translator.bicep`` expression nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from translator.findings import Disposition, Finding
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


@dataclass(frozen=True)
class InventoryEntry:
    """One input resource and what became of it."""

    logical_id: str
    type: str
    loc: Loc | None
    disposition: Disposition
    targets: tuple[str, ...]
    findings: tuple[Finding, ...]


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
