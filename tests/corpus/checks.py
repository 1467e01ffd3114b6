"""Checks every corpus sweep applies to one converted template's output."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from translator.api import Result, convert
from translator.load import InputError
from translator.mapping import names
from translator.validate.bicep import TypeData, check_bicep_text
from translator.validate.hostjson import host_json_problems


def output_problems(
    name: str, result: Result, types: TypeData, host_schema: dict[str, Any], counts: Counter[str]
) -> list[str]:
    """Bicep errors, host.json problems, and input resources or functions missing from the JSON report."""
    problems = [
        f"{name}: {d}"
        for d in check_bicep_text(result.files["infra/main.bicep"], name, types)
        if d.severity == "error"
    ]
    counts["bicep files checked"] += 1
    for path, text in result.files.items():
        if path.endswith("host.json"):
            counts["host.json files checked"] += 1
            problems += [f"{name}: {p}" for p in host_json_problems(json.loads(text), host_schema, path)]
    problems += [f"{name}: {p}" for p in host_id_problems(result.files["infra/main.bicep"])]
    report = json.loads(result.files["migration-report.json"])
    reported = {r["logicalId"] for r in report["resources"]}
    missing = {r.logical_id for r in result.graph.resources} - reported
    if missing:
        problems.append(f"{name}: resources missing from the report: {sorted(missing)}")
    reported_functions = {f["logicalId"] for f in report["functions"]}
    missing_functions = {f.logical_id for f in result.graph.functions} - reported_functions
    if missing_functions:
        problems.append(f"{name}: functions missing from the report: {sorted(missing_functions)}")
    counts["resources reported"] += len(reported)
    counts["functions reported"] += len(reported_functions)
    counts["findings"] += len(report["findings"])
    count_dispositions(report, counts)
    return problems


#: a value uniqueString() can return (13 lower-case letters and digits), for the resourceToken
SAMPLE_TOKEN = "q3vx7d2kzm4ha"


def host_id_problems(bicep: str) -> list[str]:
    """Every function app sets AzureFunctionsWebHost__hostid, to a valid host ID no other app has.

    Apps share the host storage account, and the Functions host stops an app whose host ID another app
    uses there (by default the first 32 characters of the app name).
    """
    apps = len(re.findall(r"^resource \w+ 'Microsoft\.Web/sites@", bicep, re.M))
    ids = [
        value.replace("${resourceToken}", SAMPLE_TOKEN)
        for value in re.findall(r"^    AzureFunctionsWebHost__hostid: '([^']*)'$", bicep, re.M)
    ]
    problems = [
        f"host ID '{i}' is not 1-32 lower-case letters, digits and single hyphens"
        for i in ids
        if len(i) > names.HOST_ID_LENGTH or not names.HOST_ID.match(i)
    ]
    if len(ids) != apps or len(set(ids)) != len(ids):
        problems.append(f"{apps} function apps but host IDs {sorted(ids)}")
    return problems


#: what the disposition totals count, in the order they are printed
DISPOSITION_ITEMS = ("resources", "functions", "settings", "triggers", "policy statements")
DISPOSITIONS = ("converted", "approximated", "manual", "unsupported")


def count_dispositions(report: dict[str, Any], counts: Counter[str]) -> None:
    """Add the report's dispositions to ``counts`` under 'disposition <item> <disposition>' keys."""
    items: dict[str, list[dict[str, Any]]] = {
        "resources": report["resources"],
        "functions": report["functions"],
        "settings": [s for f in report["functions"] for s in f.get("settings", [])],
        "triggers": [t for f in report["functions"] for t in f["triggers"]],
        # SAM Policies items, and the statements of IAM roles and policies
        "policy statements": [s for f in report["functions"] for s in f.get("policies", [])]
        + [s for r in report["resources"] for s in r.get("statements", [])],
    }
    for item, entries in items.items():
        for entry in entries:
            counts[f"disposition {item} {entry['disposition']}"] += 1


def finding_severities(result: Result) -> Counter[str]:
    """How many findings of each severity the conversion reported."""
    report = json.loads(result.files["migration-report.json"])
    return Counter(f["severity"] for f in report["findings"])


def summary(counts: Counter[str]) -> str:
    """The sweep's counts as printable lines: exit codes and checks, then the disposition totals."""
    plain = "; ".join(f"{k}: {v}" for k, v in sorted(counts.items()) if not k.startswith("disposition "))
    lines = [plain]
    for item in DISPOSITION_ITEMS:
        words = {"converted": "fully converted"} if item == "functions" else {}
        values = [f"{counts[f'disposition {item} {d}']} {words.get(d, d)}" for d in DISPOSITIONS]
        lines.append(f"  {item}: " + ", ".join(values))
    return "\n".join(lines)


def sweep(
    paths: Iterable[Path],
    types: TypeData,
    host_schema: dict[str, Any],
    extra: Callable[[Path, Result], list[str]] | None = None,
) -> tuple[Counter[str], list[str]]:
    """Convert every path: count exits, and collect crashes and output problems (plus ``extra`` ones)."""
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for path in paths:
        name = path.name
        try:
            result = convert(path)
        except InputError:
            counts["exit 2 (bad input)"] += 1
            continue
        except Exception as exc:  # the sweep's purpose is to catch exactly this
            failures.append(f"{name}: crashed with {type(exc).__name__}: {exc}")
            continue
        counts["exit 0 (converted)"] += 1
        failures += output_problems(name, result, types, host_schema, counts)
        if extra is not None:
            failures += extra(path, result)
    return counts, failures
