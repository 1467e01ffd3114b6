"""migration-report.sarif: the findings as SARIF 2.1.0, for code scanning in CI.

Like cfn-lint's formatter it reads only findings and rule metadata: one result per finding, and
``tool.driver.rules`` lists only the rules that fired. Unlike it, the rules are sorted by id (cfn-lint
builds them from a set, so their order could change between runs). Findings of ignored rules are left
out: SARIF consumers such as GitHub code scanning would otherwise open alerts for them; the Markdown and
JSON reports keep them, marked as suppressed. No timestamps or absolute paths of our own are written,
so the same input gives the same bytes.

>>> from pathlib import Path
>>> from translator.api import convert
>>> sarif = sarif_data([convert(Path("samples/orders-api/template.yaml")).plan])
>>> sarif["version"], sarif["runs"][0]["results"][0]["level"]
('2.1.0', 'note')
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from translator import __version__
from translator.config import is_ignored
from translator.findings import Finding
from translator.plan import AzurePlan
from translator.rules import RULES

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: partialFingerprints key; the suffix is bumped if Finding.fingerprint ever changes meaning
FINGERPRINT_KEY = "lambda2func/v1"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """The path as given, as a URI reference: forward slashes, reserved characters escaped."""
    return quote(path.replace("\\", "/"), safe="/")


def _rule(rule_id: str) -> dict[str, Any]:
    rule = RULES[rule_id]
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {"text": rule.suggestion},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
    }


def _result(finding: Finding, source_file: str, rule_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(finding.loc.file if finding.loc else source_file)}
    }
    if finding.loc is not None and finding.loc.line >= 1:
        physical["region"] = {"startLine": finding.loc.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.resource:
        # no kind: the name may be a resource, a parameter, an output or a serverless.yml function
        location["logicalLocations"] = [{"name": finding.resource}]
    message = finding.message
    if finding.suggestion and finding.suggestion != RULES[finding.rule].suggestion:
        # the rule's own suggestion is its help text; a finding-specific one would otherwise be lost
        message += f"\n\nSuggestion: {finding.suggestion}"
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity.value],
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }


def sarif_data(plans: Sequence[AzurePlan], ignore: Sequence[str] = ()) -> dict[str, Any]:
    """One run over every template; results in template order, each template's findings in its order."""
    active = [
        (finding, plan.source_file)
        for plan in plans
        for finding in plan.findings
        if not is_ignored(finding.rule, ignore)
    ]
    fired = sorted({finding.rule for finding, _ in active})
    index = {rule_id: i for i, rule_id in enumerate(fired)}
    driver = {
        "name": "lambda2func",
        "version": __version__,
        "rules": [_rule(rule_id) for rule_id in fired],
    }
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "results": [_result(f, source, index[f.rule]) for f, source in active],
            }
        ],
    }


def render_sarif(plans: Sequence[AzurePlan], ignore: Sequence[str] = ()) -> str:
    return json.dumps(sarif_data(plans, ignore), indent=2, ensure_ascii=False) + "\n"
