"""The library under the CLI: convert a template without starting a process.

>>> from pathlib import Path
>>> result = convert(Path("samples/orders-api/template.yaml"))
>>> sorted(result.files)[:2]
['azure.yaml', 'infra/main.bicep']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translator.findings import Finding, Severity
from translator.graph import ResourceGraph
from translator.load import load_file
from translator.mapping.context import Options
from translator.mapping.core import map_graph
from translator.mapping.tables import Tables
from translator.parsers.serverless import is_serverless, parse_serverless
from translator.parsers.template import parse_document
from translator.plan import AzurePlan

FAIL_LEVELS = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Result:
    graph: ResourceGraph
    plan: AzurePlan
    files: dict[str, str]  # relative path -> text

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.plan.findings

    def exit_code(self, fail_on: str = "never") -> int:
        """0, or 1 when a finding is at or above ``fail_on``."""
        if fail_on == "never":
            return 0
        threshold = Severity(fail_on).rank
        return 1 if any(f.severity.rank >= threshold for f in self.findings) else 0


def parse(
    path: Path, display_name: str | None = None, stage: str | None = None, region: str | None = None
) -> ResourceGraph:
    """Read a SAM/CloudFormation template or a Serverless Framework service (``stage``/``region``: its
    ``--stage``/``--region`` options; None means the framework's defaults)."""
    doc = load_file(path, display_name)
    if is_serverless(path, doc.data):
        return parse_serverless(doc, base_dir=path.parent, stage=stage, region=region)
    return parse_document(doc)


def plan(graph: ResourceGraph, options: Options | None = None, tables: Tables | None = None) -> AzurePlan:
    return map_graph(graph, tables, options)


def render(plan: AzurePlan) -> dict[str, str]:
    """Every output file of a plan, by relative path."""
    from translator.emit.azd import render_azure_yaml
    from translator.emit.bicep import render_main, render_parameters
    from translator.emit.hostjson import render_host_json
    from translator.emit.report import render_json, render_markdown

    files = {
        "azure.yaml": render_azure_yaml(plan),
        "infra/main.bicep": render_main(plan),
        "infra/main.parameters.json": render_parameters(plan),
        "migration-report.md": render_markdown(plan),
        "migration-report.json": render_json(plan),
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
) -> Result:
    graph = parse(path, display_name, stage, region)
    azure = plan(graph, options, tables)
    return Result(graph, azure, render(azure))
