"""The mapping report: migration-report.json for tools, migration-report.md for people.

Both are made from the same AzurePlan and list every input resource with its disposition, the Azure
resources made from it and its findings, then every finding with its rule, location and suggestion.
Findings of ignored rules (``ignore``: rule ids or id prefixes) stay in both reports, marked as
suppressed, and are left out of the summary's severity counts, which are what the exit code reads.

``report_data_many`` / ``render_markdown_many`` assess several templates at once: the single-template
report of each, in a ``templates`` list, under one summary. The JSON shapes are pinned by
``translator/schemas/report-1.0.schema.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from translator import __version__
from translator.config import is_ignored
from translator.findings import Disposition, Finding
from translator.plan import AzurePlan, MigrationPlan, RoleGrantPlan, StatementPlan
from translator.provenance import Provenance
from translator.rules import RULES
from translator.values import Loc

REPORT_SCHEMA_VERSION = "1.0"
#: the JSON Schema of migration-report.json, shipped in the package (translator/schemas/)
REPORT_SCHEMA_FILE = f"report-{REPORT_SCHEMA_VERSION}.schema.json"
_DISPOSITIONS = [d.value for d in Disposition]
_SEVERITIES = ["error", "warning", "info"]


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) that every migration-report.json of this schemaVersion matches."""
    from importlib import resources

    text = resources.files("translator").joinpath("schemas", REPORT_SCHEMA_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


def _loc(loc: Loc | None) -> dict[str, Any] | None:
    return {"file": loc.file, "line": loc.line} if loc else None


def _finding(f: Finding, ignore: Sequence[str]) -> dict[str, Any]:
    return {
        "id": f.fingerprint,
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "location": _loc(f.loc),
        "resource": f.resource,
        "suggestion": f.suggestion,
        "suppressed": is_ignored(f.rule, ignore),
    }


def _finding_counts(findings: Sequence[Finding], ignore: Sequence[str]) -> dict[str, int]:
    """Active findings by severity (what --fail-on reads), then how many were suppressed."""
    active = [f for f in findings if not is_ignored(f.rule, ignore)]
    severities = Counter(f.severity.value for f in active)
    counts = {s: severities.get(s, 0) for s in _SEVERITIES}
    counts["suppressed"] = len(findings) - len(active)
    return counts


def _rules(fired: set[str]) -> dict[str, Any]:
    return {
        rule: {
            "title": RULES[rule].title,
            "severity": RULES[rule].severity,
            "suggestion": RULES[rule].suggestion,
        }
        for rule in sorted(fired)
    }


def migration_data(migration: MigrationPlan) -> dict[str, Any]:
    """The migration plan (waves, effort, prerequisites) as JSON: ``migrationPlan`` in the schema."""
    pre = migration.prerequisites
    return {
        "orderingRule": migration.ordering_rule,
        "effortFormula": migration.effort_formula,
        "prerequisites": {
            "resourceTypes": [{"type": t, "count": n} for t, n in pre.resource_types],
            "providers": list(pre.providers),
            "quota": {
                "limitMB": pre.quota.limit_mb,
                "totalMB": pre.quota.total_mb,
                "within": pre.quota.within,
                "apps": [
                    {
                        "app": a.app,
                        "instanceMemoryMB": a.instance_memory_mb,
                        "maximumInstanceCount": a.maximum_instance_count,
                        "memoryMB": a.memory_mb,
                    }
                    for a in pre.quota.apps
                ],
            },
            "notes": list(pre.notes),
        },
        "waves": [
            {
                "number": w.number,
                "functions": list(w.functions),
                "reason": w.reason,
                "shared": list(w.shared),
                "apps": list(w.apps),
                "azureResources": list(w.azure_resources),
                "effort": w.effort,
                "checklist": [{"step": c.step, "text": c.text} for c in w.checklist],
            }
            for w in migration.waves
        ],
        "effort": [
            {
                "function": e.function,
                "points": e.points,
                "breakdown": [{"term": term, "points": points} for term, points in e.breakdown],
            }
            for e in migration.effort
        ],
        "dependencies": [{"from": a, "to": b, "kind": kind} for a, b, kind in migration.dependencies],
    }


def report_data(plan: AzurePlan, ignore: Sequence[str] = ()) -> dict[str, Any]:
    dispositions = Counter(e.disposition.value for e in plan.inventory)
    data = _report_data(plan, ignore, dispositions)
    if plan.migration is not None:
        data["migrationPlan"] = migration_data(plan.migration)
    if plan.provenance is not None:
        _mark_live(data, plan.provenance)
    return data


def _mark_live(data: dict[str, Any], provenance: Provenance) -> None:
    """Say which facts were read from a live account (an inventory from 'lambda2func discover')."""
    data["provenance"] = {
        "source": provenance.kind,
        "account": provenance.account,
        "regions": list(provenance.regions),
        "discoveredAt": provenance.discovered_at,
        "gaps": provenance.gaps,
    }
    for fn in data["functions"]:
        origin = provenance.origin(fn["logicalId"])
        if origin is not None:
            fn["provenance"] = {
                "source": provenance.kind,
                "arn": origin.arn,
                "region": origin.region,
                "usage": origin.usage,
            }


def live_source_line(provenance: Provenance) -> str:
    return (
        f"Source: live AWS account {provenance.account or 'unknown'}, regions "
        f"{', '.join(provenance.regions)}, discovered at {provenance.discovered_at}"
        + (f" ({provenance.gaps} calls failed: see LF6001)" if provenance.gaps else "")
        + ". Every function fact below was read from the account, not from a template."
    )


def _report_data(plan: AzurePlan, ignore: Sequence[str], dispositions: Counter[str]) -> dict[str, Any]:
    return {
        "schemaVersion": REPORT_SCHEMA_VERSION,
        "tool": {"name": "lambda2func", "version": __version__},
        "source": {"file": plan.source_file, "format": plan.source_format},
        "summary": {
            "resources": len(plan.inventory),
            "functions": len(plan.functions),
            "functionApps": len(plan.apps),
            "azureResources": len(plan.resources),
            "dispositions": {d: dispositions.get(d, 0) for d in _DISPOSITIONS},
            "findings": _finding_counts(plan.findings, ignore),
        },
        "resources": [
            {
                "logicalId": e.logical_id,
                "type": e.type,
                "source": _loc(e.loc),
                "disposition": e.disposition.value,
                "targets": list(e.targets),
                "findings": [f.fingerprint for f in e.findings],
                "statements": [_statement(st) for st in e.statements],
            }
            for e in plan.inventory
        ],
        "functions": [
            {
                "logicalId": fn.logical_id,
                "app": fn.app,
                "source": _loc(fn.loc),
                "awsRuntime": fn.aws_runtime,
                "runtime": fn.runtime,
                "handler": fn.handler,
                "memoryMB": fn.memory_mb,
                "instanceMemoryMB": fn.instance_memory_mb,
                "timeoutSeconds": fn.timeout_seconds,
                "disposition": fn.disposition.value,
                "triggers": [
                    {
                        "event": t.event,
                        "azureFunction": t.function_name,
                        "awsType": t.aws_type,
                        "kind": t.kind,
                        "azureTrigger": t.azure_trigger,
                        "azureTarget": t.azure_target,
                        "disposition": t.disposition.value,
                        "binding": t.binding,
                        "source": _loc(t.loc),
                        "settings": [
                            {
                                "name": st.name,
                                "disposition": st.disposition.value,
                                "azureTarget": st.azure_target,
                                "rule": st.rule,
                                "source": _loc(st.loc),
                            }
                            for st in t.settings
                        ],
                    }
                    for t in fn.triggers
                ],
                "settings": [
                    {
                        "name": st.name,
                        "disposition": st.disposition.value,
                        "azureTarget": st.azure_target,
                        "rule": st.rule,
                        "source": _loc(st.loc),
                    }
                    for st in fn.settings
                ],
                "policies": [_statement(st) for st in fn.policies],
            }
            for fn in plan.functions
        ],
        "functionApps": [
            {
                "name": app.name,
                "runtime": {"name": app.runtime_name, "version": app.runtime_version},
                "instanceMemoryMB": app.instance_memory_mb,
                "functions": list(app.functions),
                "groupingReason": app.grouping_reason,
            }
            for app in plan.apps
        ],
        "findings": [_finding(f, ignore) for f in plan.findings],
        "rules": _rules({f.rule for f in plan.findings}),
    }


_TOTALS = ("resources", "functions", "functionApps", "azureResources")


def report_data_many(plans: Sequence[AzurePlan], ignore: Sequence[str] = ()) -> dict[str, Any]:
    """Several templates: each one's report unchanged (so it can be read on its own), one summary."""
    reports = [report_data(plan, ignore) for plan in plans]
    summary: dict[str, Any] = {"templates": len(reports)}
    for key in _TOTALS:
        summary[key] = sum(r["summary"][key] for r in reports)
    for key, names in (("dispositions", _DISPOSITIONS), ("findings", [*_SEVERITIES, "suppressed"])):
        summary[key] = {name: sum(r["summary"][key][name] for r in reports) for name in names}
    return {
        "schemaVersion": REPORT_SCHEMA_VERSION,
        "tool": {"name": "lambda2func", "version": __version__},
        "summary": summary,
        "templates": reports,
        "rules": _rules({f.rule for plan in plans for f in plan.findings}),
    }


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_json(plan: AzurePlan, ignore: Sequence[str] = ()) -> str:
    return _json_text(report_data(plan, ignore))


def render_json_many(plans: Sequence[AzurePlan], ignore: Sequence[str] = ()) -> str:
    return _json_text(report_data_many(plans, ignore))


def _statement(st: StatementPlan) -> dict[str, Any]:
    data: dict[str, Any] = {
        "summary": st.summary,
        "disposition": st.disposition.value,
        "rule": st.rule,
        "source": _loc(st.loc),
    }
    if st.grants:
        data["roleAssignments"] = [
            {
                "role": g.role,
                "roleDefinitionId": g.role_definition_id,
                "scope": g.scope,
                "kind": "cosmosSql" if g.cosmos else "azureRbac",
                **({"coveredBy": g.covered_by} if g.covered_by else {}),
            }
            for g in st.grants
        ]
    return data


def _grants_text(st: StatementPlan) -> str:
    """The Azure roles of a statement, e.g. 'Azure Service Bus Data Sender on ordersQueue'."""
    return "; ".join(_grant_text(g) for g in st.grants) or "none"


def _grant_text(g: RoleGrantPlan) -> str:
    if g.covered_by:  # no assignment of its own: the report must not claim one
        return (
            f"{g.role} on {g.scope} (not assigned: covered by the broader assignment {g.covered_by} "
            "of the same identity)"
        )
    return f"{g.role} on {g.scope}"


def _binding_text(value: Any) -> str:
    """A binding value as function.json would spell it (lists and booleans in JSON, not Python)."""
    return value if isinstance(value, str) else json.dumps(value)


def _cell(value: Any) -> str:
    """Markdown table cell text: pipes escaped, newlines folded."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def _where(loc: Loc | None) -> str:
    return f"{loc.file}:{loc.line}" if loc else ""


def _h(depth: int, level: int, text: str) -> str:
    """A heading ``level`` deep, pushed down ``depth`` levels when the report is part of a larger one."""
    return f"{'#' * (level + depth)} {text}"


def _severity(f: Finding, ignore: Sequence[str]) -> str:
    return f"{f.severity.value}, suppressed" if is_ignored(f.rule, ignore) else f.severity.value


def _summary_rows(summary: dict[str, Any]) -> list[str]:
    lines = [
        "| | Count |",
        "|---|---|",
    ]
    if "templates" in summary:
        lines.append(f"| Templates | {summary['templates']} |")
    lines += [
        f"| Input resources | {summary['resources']} |",
        f"| Functions | {summary['functions']} |",
        f"| Function apps (Flex Consumption) | {summary['functionApps']} |",
        f"| Azure resources generated | {summary['azureResources']} |",
    ]
    for disposition in _DISPOSITIONS:
        lines.append(f"| Resources {disposition} | {summary['dispositions'][disposition]} |")
    for severity in _SEVERITIES:
        lines.append(f"| Findings: {severity} | {summary['findings'][severity]} |")
    lines.append(f"| Findings suppressed (ignored rules) | {summary['findings']['suppressed']} |")
    return lines


def _markdown_body(plan: AzurePlan, ignore: Sequence[str], depth: int) -> list[str]:
    """One template's report from its title on, without the closing note."""
    summary = report_data(plan, ignore)["summary"]
    lines = [
        _h(depth, 1, f"Migration report: {_cell(plan.name)}"),
        "",
        f"Source: `{_cell(plan.source_file)}` ({plan.source_format}). Generated by lambda2func {__version__}.",
        "",
        *([_cell(live_source_line(plan.provenance)), ""] if plan.provenance else []),
        _h(depth, 2, "Summary"),
        "",
        *_summary_rows(summary),
    ]
    if plan.migration is not None:
        lines += _migration_markdown(plan.migration, depth)

    if plan.apps:
        lines += [
            "",
            _h(depth, 2, "Function apps"),
            "",
            "| App | Runtime | Instance memory | Functions | Why grouped |",
            "|---|---|---|---|---|",
        ]
        for app in plan.apps:
            runtime = f"{app.runtime_name} {app.runtime_version}".strip() or "to choose (parameter)"
            lines.append(
                f"| {_cell(app.name)} | {_cell(runtime)} | {app.instance_memory_mb} MB | "
                f"{_cell(', '.join(app.functions))} | {_cell(app.grouping_reason)} |"
            )

    findings_by_resource: dict[str, list[Finding]] = {}
    for f in plan.findings:
        if f.resource:
            findings_by_resource.setdefault(f.resource, []).append(f)

    if plan.functions:
        lines += ["", _h(depth, 2, "Functions")]
        for fn in plan.functions:
            lines += [
                "",
                _h(depth, 3, f"{_cell(fn.logical_id)} ({fn.disposition.value})"),
                "",
                f"- Source: `{_cell(_where(fn.loc))}`",
                *_live_function_lines(plan.provenance, fn.logical_id),
                f"- App: `{_cell(fn.app)}`",
                f"- Runtime: {_cell(fn.aws_runtime or 'not set')} → {_cell(fn.runtime or 'to choose')}",
                f"- Memory: {_cell(fn.memory_mb if fn.memory_mb is not None else 'not literal')} MB → "
                f"{fn.instance_memory_mb} MB instances",
                f"- Timeout: {_cell(fn.timeout_seconds if fn.timeout_seconds is not None else 'not literal')} s",
                f"- Handler: `{_cell(fn.handler or '')}`",
            ]
            if fn.triggers:
                lines += [
                    "",
                    "| Event | AWS source | Azure function | Azure trigger | Azure counterpart | Binding | Disposition |",
                    "|---|---|---|---|---|---|---|",
                ]
                for t in fn.triggers:
                    binding = ", ".join(f"{k}: {_binding_text(v)}" for k, v in t.binding.items())
                    lines.append(
                        f"| {_cell(t.event)} | {_cell(t.aws_type)} | {_cell(t.function_name)} | "
                        f"{_cell(t.azure_trigger or 'none')} | "
                        f"{_cell(t.azure_target)} | {_cell(binding)} | {t.disposition.value} |"
                    )
                event_settings = [(t.event, st) for t in fn.triggers for st in t.settings]
                if event_settings:
                    lines += [
                        "",
                        "| Event | Event setting | Azure counterpart | Disposition | Rule |",
                        "|---|---|---|---|---|",
                    ]
                    lines += [
                        f"| {_cell(name)} | {_cell(st.name)} | {_cell(st.azure_target or 'none')} | "
                        f"{st.disposition.value} | {st.rule or ''} |"
                        for name, st in event_settings
                    ]
            if fn.settings:
                lines += ["", "| Setting | Azure counterpart | Disposition | Rule |", "|---|---|---|---|"]
                lines += [
                    f"| {_cell(st.name)} | {_cell(st.azure_target or 'none')} | {st.disposition.value} | "
                    f"{st.rule or ''} |"
                    for st in fn.settings
                ]
            if fn.policies:
                lines += ["", "| Policy statement | Azure roles of the app identity | Disposition | Rule |"]
                lines += ["|---|---|---|---|"]
                lines += [
                    f"| {_cell(st.summary)} | {_cell(_grants_text(st))} | {st.disposition.value} | {st.rule} |"
                    for st in fn.policies
                ]
            own = findings_by_resource.get(fn.logical_id, [])
            if own:
                lines += [""]
                lines += [f"- **{f.rule}** ({_severity(f, ignore)}) {_cell(f.message)}" for f in own]

    lines += [
        "",
        _h(depth, 2, "Resources"),
        "",
        "| Logical id | Type | Source | Disposition | Azure resources | Findings |",
        "|---|---|---|---|---|---|",
    ]
    for e in plan.inventory:
        rules = ", ".join(sorted({f.rule for f in e.findings}))
        lines.append(
            f"| {_cell(e.logical_id)} | {_cell(e.type)} | {_cell(_where(e.loc))} | {e.disposition.value} | "
            f"{_cell(', '.join(e.targets))} | {_cell(rules)} |"
        )
    with_statements = [e for e in plan.inventory if e.statements]
    if with_statements:
        lines += ["", _h(depth, 2, "IAM policy statements"), ""]
        lines += [
            "| Resource | Statement | Source | Azure roles of the app identities | Disposition | Rule |",
            "|---|---|---|---|---|---|",
        ]
        for e in with_statements:
            lines += [
                f"| {_cell(e.logical_id)} | {_cell(st.summary)} | {_cell(_where(st.loc))} | "
                f"{_cell(_grants_text(st))} | {st.disposition.value} | {st.rule} |"
                for st in e.statements
            ]

    lines += ["", _h(depth, 2, "Findings"), ""]
    if not plan.findings:
        lines.append("None.")
    else:
        lines += [
            "| Rule | Severity | Location | Resource | Message | Suggestion |",
            "|---|---|---|---|---|---|",
        ]
        order = {s: i for i, s in enumerate(_SEVERITIES)}
        # suppressed findings last: still listed (nothing is hidden), but after the ones that count
        for f in sorted(
            plan.findings,
            key=lambda f: (is_ignored(f.rule, ignore), order[f.severity.value], f.sort_key()),
        ):
            lines.append(
                f"| {f.rule} | {_severity(f, ignore)} | {_cell(_where(f.loc))} | {_cell(f.resource)} | "
                f"{_cell(f.message)} | {_cell(f.suggestion)} |"
            )
    return lines


def _live_function_lines(provenance: Provenance | None, logical_id: str) -> list[str]:
    origin = provenance.origin(logical_id) if provenance else None
    if origin is None:
        return []
    lines = [f"- Live function: `{_cell(origin.arn)}` (read from the account)"]
    usage = origin.usage
    if usage:
        p95, peak = usage.get("durationP95Ms"), usage.get("peakConcurrentExecutions")
        lines.append(
            f"- Usage, last {usage['days']} days: {usage['invocations']} invocations, {usage['errors']} errors, "
            f"{usage['throttles']} throttles, p95 duration {'n/a' if p95 is None else f'{p95:g} ms'}, "
            f"peak concurrency {'n/a' if peak is None else f'{peak:g}'}"
        )
    return lines


_STEPS = {"deploy": "Deploy", "test": "Test", "cutover": "Cut over", "monitor": "Monitor"}


def _points(value: float) -> str:
    return f"{value:g}"


def _migration_markdown(migration: MigrationPlan, depth: int) -> list[str]:
    """The wave plan right after the summary: what to set up, then each wave's checklist, then effort."""
    pre = migration.prerequisites
    lines = ["", _h(depth, 2, "Migration plan"), "", _cell(migration.ordering_rule), ""]
    lines += [_h(depth, 3, "Prerequisites"), ""]
    lines += [f"- {_cell(note)}" for note in pre.notes]
    lines += ["", "| App | Instance memory | Maximum instances | Memory at maximum |", "|---|---|---|---|"]
    for a in pre.quota.apps:
        lines.append(
            f"| {_cell(a.app)} | {a.instance_memory_mb} MB | {a.maximum_instance_count} | {a.memory_mb:,} MB |"
        )
    verdict = "within" if pre.quota.within else "**over**"
    lines.append(
        f"| Total (regional quota {pre.quota.limit_mb:,} MB: {verdict}) | | | {pre.quota.total_mb:,} MB |"
    )
    lines += ["", "| Azure resource type to provision | Count |", "|---|---|"]
    lines += [f"| {_cell(t)} | {n} |" for t, n in pre.resource_types]
    for wave in migration.waves:
        lines += [
            "",
            _h(
                depth,
                3,
                f"Wave {wave.number}: {_cell(', '.join(wave.functions))} ({_points(wave.effort)} points)",
            ),
            "",
            f"Why together: {_cell(wave.reason)}.",
        ]
        if wave.shared:
            lines.append(f"Shared AWS resources: {_cell(', '.join(wave.shared))}.")
        lines.append(f"Function apps: {_cell(', '.join(wave.apps))}.")
        lines.append("")
        lines += [f"- [ ] **{_STEPS[c.step]}**: {_cell(c.text)}" for c in wave.checklist]
    lines += [
        "",
        _h(depth, 3, "Effort"),
        "",
        f"Points per function = {_cell(migration.effort_formula)}.",
        "",
        "| Function | Points | Breakdown |",
        "|---|---|---|",
    ]
    for e in migration.effort:
        terms = ", ".join(f"{term}: {_points(points)}" for term, points in e.breakdown)
        lines.append(f"| {_cell(e.function)} | {_points(e.points)} | {_cell(terms)} |")
    return lines


_FOOTER = "Rule descriptions: docs/rules.md in the lambda2func repository (`lambda2func rules`)."


def render_markdown(plan: AzurePlan, ignore: Sequence[str] = ()) -> str:
    lines = [*_markdown_body(plan, ignore, depth=0), "", _FOOTER]
    return "\n".join(lines) + "\n"


def render_markdown_many(plans: Sequence[AzurePlan], ignore: Sequence[str] = ()) -> str:
    """An overall summary and a table of templates, then each template's own report one level down."""
    data = report_data_many(plans, ignore)
    lines = [
        f"# Migration assessment: {len(plans)} templates",
        "",
        f"Generated by lambda2func {__version__}.",
        "",
        "## Summary",
        "",
        *_summary_rows(data["summary"]),
        "",
        "## Templates",
        "",
        "| Template | Format | Resources | Functions | Function apps | Errors | Warnings | Info | Suppressed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for report in data["templates"]:
        s, n = report["summary"], report["summary"]["findings"]
        lines.append(
            f"| `{_cell(report['source']['file'])}` | {report['source']['format']} | {s['resources']} | "
            f"{s['functions']} | {s['functionApps']} | {n['error']} | {n['warning']} | {n['info']} | "
            f"{n['suppressed']} |"
        )
    for plan in plans:
        lines += ["", *_markdown_body(plan, ignore, depth=1)]
    lines += ["", _FOOTER]
    return "\n".join(lines) + "\n"
