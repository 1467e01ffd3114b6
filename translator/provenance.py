"""Where a graph's facts came from when they were read from a live account rather than a template.

Parsers of templates leave it unset. The inventory parser sets it, the mapper copies it into the
AzurePlan unchanged, and the reports say which facts came from the live account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FunctionOrigin:
    logical_id: str
    arn: str
    region: str
    usage: dict[str, Any] | None = None  # CloudWatch usage over the discovery window, when read


@dataclass(frozen=True)
class Provenance:
    kind: str  # live-aws-account
    account: str | None
    regions: tuple[str, ...]
    discovered_at: str  # ISO 8601, as the inventory says
    functions: tuple[FunctionOrigin, ...] = ()
    gaps: int = 0  # calls that failed during discovery

    def origin(self, logical_id: str) -> FunctionOrigin | None:
        return next((f for f in self.functions if f.logical_id == logical_id), None)

    def __hash__(self) -> int:  # usage dicts are not hashable; identity is enough for a frozen record
        return id(self)
