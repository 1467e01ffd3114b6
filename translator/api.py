"""The library under the CLI: convert a template without starting a process.

>>> from pathlib import Path
>>> result = convert(Path("samples/orders-api/template.yaml"))
>>> sorted(result.files)[:2]
['azure.yaml', 'infra/main.bicep']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.config import FAIL_LEVELS, is_ignored
from translator.discover.document import looks_like_inventory
from translator.findings import Finding, Severity
from translator.graph import ResourceGraph
from translator.load import Document, load_file
from translator.mapping.context import Options
from translator.mapping.core import map_graph
from translator.mapping.tables import Tables
from translator.parsers.serverless import is_serverless, parse_serverless
from translator.parsers.template import parse_document
from translator.plan import AzurePlan

__all__ = ["FAIL_LEVELS", "Result", "convert", "exit_code", "parse", "parse_loaded", "plan", "render"]


@dataclass(frozen=True)
class Result:
    graph: ResourceGraph
    plan: AzurePlan
    files: dict[str, str]  # relative path -> text
    ignore: tuple[str, ...] = ()  # rule ids / prefixes whose findings are suppressed

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.plan.findings

    def exit_code(self, fail_on: str = "never") -> int:
        """0, or 1 when a finding that is not suppressed is at or above ``fail_on``."""
        return exit_code(self.findings, fail_on, self.ignore)


def exit_code(findings: Sequence[Finding], fail_on: str = "never", ignore: Sequence[str] = ()) -> int:
    """The exit policy: 1 when a finding of a rule that is not ignored is at or above ``fail_on``."""
    if fail_on == "never":
        return 0
    threshold = Severity(fail_on).rank
    counted = (f for f in findings if not is_ignored(f.rule, ignore))
    return 1 if any(f.severity.rank >= threshold for f in counted) else 0


def parse(
    path: Path, display_name: str | None = None, stage: str | None = None, region: str | None = None
) -> ResourceGraph:
    """Read a SAM/CloudFormation template or a Serverless Framework service (``stage``/``region``: its
    ``--stage``/``--region`` options; None means the framework's defaults)."""
    return parse_loaded(load_file(path, display_name), path, stage, region)


def parse_loaded(
    doc: Document, path: Path, stage: str | None = None, region: str | None = None
) -> ResourceGraph:
    """``parse`` for a document already loaded from ``path`` (assess loads once to classify files)."""
    if looks_like_inventory(doc.data):
        from translator.parsers.inventory import parse_inventory

        return parse_inventory(doc)
    if is_serverless(path, doc.data):
        return parse_serverless(doc, base_dir=path.parent, stage=stage, region=region)
    return parse_document(doc)


def plan(graph: ResourceGraph, options: Options | None = None, tables: Tables | None = None) -> AzurePlan:
    return map_graph(graph, tables, options)


def render(plan: AzurePlan, ignore: Sequence[str] = ()) -> dict[str, str]:
    """Every output file of a plan, by relative path (``ignore``: rules whose findings are suppressed)."""
    from translator.emit.azd import render_azure_yaml
    from translator.emit.bicep import render_main, render_parameters
    from translator.emit.hostjson import render_host_json
    from translator.emit.html import render_html
    from translator.emit.report import render_json, render_markdown
    from translator.emit.sarif import render_sarif

    files = {
        "azure.yaml": render_azure_yaml(plan),
        "infra/main.bicep": render_main(plan),
        "infra/main.parameters.json": render_parameters(plan),
        "migration-report.html": render_html([plan], ignore),
        "migration-report.md": render_markdown(plan, ignore),
        "migration-report.json": render_json(plan, ignore),
        "migration-report.sarif": render_sarif([plan], ignore),
    }
    for app in plan.apps:
        files[f"src/{app.name}/host.json"] = render_host_json(app)
    return dict(sorted(files.items()))


def convert(
    path: Path,
    options: Options | None = None,
    tables: Tables | None = None,
    display_name: str | None = None,
    stage: str | None = None,
    region: str | None = None,
    ignore: Sequence[str] = (),
) -> Result:
    graph = parse(path, display_name, stage, region)
    azure = plan(graph, options, tables)
    return Result(graph, azure, render(azure, ignore), tuple(ignore))
