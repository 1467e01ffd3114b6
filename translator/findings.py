"""Findings: immutable records of what was approximated, left manual or not translated, with stable ids.

A finding names a rule from ``translator.rules``; its severity, title and default suggestion come from
that rule, so documentation, SARIF metadata and the Markdown report all read one catalogue.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum

from translator.rules import RULES, Rule
from translator.values import Loc


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Disposition(str, Enum):
    """What became of one input resource, event or setting."""

    CONVERTED = "converted"
    APPROXIMATED = "approximated"
    MANUAL = "manual"
    UNSUPPORTED = "unsupported"

    @property
    def rank(self) -> int:
        return {"converted": 0, "approximated": 1, "manual": 2, "unsupported": 3}[self.value]


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    loc: Loc | None = None
    resource: str | None = None
    suggestion: str | None = None
    severity: Severity = field(default=Severity.INFO)

    @staticmethod
    def of(
        rule_id: str,
        message: str,
        loc: Loc | None = None,
        resource: str | None = None,
        suggestion: str | None = None,
    ) -> Finding:
        """Build a finding whose severity and default suggestion come from the rule catalogue."""
        rule = RULES[rule_id]
        return Finding(
            rule=rule_id,
            message=message,
            loc=loc,
            resource=resource,
            suggestion=suggestion if suggestion is not None else rule.suggestion,
            severity=Severity(rule.severity),
        )

    @property
    def rule_info(self) -> Rule:
        return RULES[self.rule]

    @property
    def fingerprint(self) -> str:
        """Stable across runs and machines: depends only on content, not on order or time."""
        # the file's name, not its path: the same template converted from another directory or through
        # an absolute path keeps its ids
        file = self.loc.file.replace("\\", "/").rsplit("/", 1)[-1] if self.loc else ""
        key = "\x1f".join([self.rule, self.resource or "", self.message, file])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, str, str, str]:
        loc = self.loc
        return (loc.file if loc else "", loc.line if loc else 0, self.rule, self.resource or "", self.message)


def sorted_findings(findings: list[Finding] | tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Deduplicated and in a defined order (file, line, rule, resource, message)."""
    return tuple(sorted(set(findings), key=Finding.sort_key))
