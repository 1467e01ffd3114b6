"""Assess templates without generating Bicep: find them, map them, and render the reports.

An INPUT is a file or a directory. A directory is searched recursively (hidden directories such as
``.git`` or ``.aws-sam`` and ``node_modules`` are passed over, since they hold copies and build output)
for ``*.yaml``, ``*.yml``, ``*.json`` and ``*.template`` files. A file is assessed when it is a
SAM/CloudFormation template (a mapping with ``Resources`` or ``AWSTemplateFormatVersion``), an AWS
Serverless Framework service or an inventory.json from ``lambda2func discover``; any other file is
skipped with a note, so a repository's workflows, manifests and package.json do not stop the run (and a
pre-commit hook can hand over every changed YAML).

A file that fails to load is skipped too, unless it looks like a template (a conventional template
name, or ``AWS::`` / ``AWSTemplateFormatVersion`` in its text): a broken template must fail CI, not pass
it quietly. Every such error is collected before the run fails (exit 2), and nothing is written.

One template gives the single-template report (the same bytes ``convert`` writes); several give the
``templates`` list under one summary.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from translator.api import exit_code, parse_loaded
from translator.api import plan as make_plan
from translator.discover.document import looks_like_inventory
from translator.load import Document, InputError, load_file
from translator.mapping.context import Options
from translator.mapping.tables import Tables
from translator.output import OutputError, file_mode
from translator.parsers.serverless import FILE_NAMES, is_serverless
from translator.plan import AzurePlan
from translator.values import Loc, Obj

SUFFIXES = (".yaml", ".yml", ".json", ".template")
FORMATS = ("md", "html", "json", "sarif")
_PASSED_OVER = ("node_modules",)
_TEMPLATE_NAMES = ("template.yaml", "template.yml", "template.json", *FILE_NAMES)
_TEMPLATE_MARKS = ("AWSTemplateFormatVersion", "AWS::")


class TemplateErrors(InputError):
    """Templates that could not be read; each is reported, then the run exits 2."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        super().__init__(f"{len(errors)} templates could not be read")
        self.errors = tuple(errors)


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class Assessment:
    plans: tuple[AzurePlan, ...]
    skipped: tuple[Skipped, ...]
    ignore: tuple[str, ...] = ()

    def exit_code(self, fail_on: str) -> int:
        return exit_code([f for plan in self.plans for f in plan.findings], fail_on, self.ignore)

    def render(self, fmt: str) -> str:
        """The report in one format (md, html, json or sarif)."""
        from translator.emit.html import render_html
        from translator.emit.report import (
            render_json,
            render_json_many,
            render_markdown,
            render_markdown_many,
        )
        from translator.emit.sarif import render_sarif

        if fmt == "sarif":
            return render_sarif(self.plans, self.ignore)
        if fmt == "html":
            return render_html(self.plans, self.ignore)
        single = len(self.plans) == 1
        if fmt == "json":
            return (
                render_json(self.plans[0], self.ignore)
                if single
                else render_json_many(self.plans, self.ignore)
            )
        if fmt == "md":
            return (
                render_markdown(self.plans[0], self.ignore)
                if single
                else render_markdown_many(self.plans, self.ignore)
            )
        raise ValueError(f"no renderer for format {fmt!r}")


def _walk(directory: Path) -> list[Path]:
    """Candidate files under ``directory``, sorted by path (as ``find | sort`` would list them)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _PASSED_OVER]
        found += [Path(root) / name for name in files if name.endswith(SUFFIXES)]
    return sorted(found, key=lambda path: path.parts)


def candidate_files(inputs: Sequence[Path]) -> list[Path]:
    """Files named on the command line (whatever their suffix) and those found in directories.

    A file reached twice (named and inside a named directory) is assessed once.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for given in inputs:
        if given.is_dir():
            paths = _walk(given)
        elif given.is_file():
            paths = [given]
        else:
            raise InputError("no such file or directory", Loc(str(given), 1), "file")
        for path in paths:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(path)
    return found


def _looks_like_template(path: Path) -> bool:
    if path.name in _TEMPLATE_NAMES or path.suffix == ".template":
        return True
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(mark in text for mark in _TEMPLATE_MARKS)


def _provider_name(data: Obj) -> str | None:
    provider = data.get("provider")
    name = provider.get("name") if isinstance(provider, Obj) else provider
    return str(name) if isinstance(name, str) else None


def _skip_reason(path: Path, doc: Document) -> str | None:
    """Why a loaded document is not assessed, or None when it is a template."""
    data = doc.data
    if is_serverless(path, data):
        name = _provider_name(data) if isinstance(data, Obj) else None
        # a literal non-AWS provider is another cloud's service, not a broken AWS one
        if name is not None and name != "aws" and "${" not in name:
            return f"a Serverless Framework service for provider '{name}', not AWS"
        return None
    if isinstance(data, Obj) and ("Resources" in data or "AWSTemplateFormatVersion" in data):
        return None
    if looks_like_inventory(data):  # inventory.json from 'lambda2func discover'
        return None
    return "not a SAM/CloudFormation template or serverless.yml"


def assess(
    inputs: Sequence[Path],
    tables: Tables | None = None,
    options: Options | None = None,
    stage: str | None = None,
    region: str | None = None,
    ignore: Sequence[str] = (),
) -> Assessment:
    """Map every template among ``inputs``. Raises TemplateErrors (all of them) for unreadable templates
    and InputError when no template is found."""
    plans: list[AzurePlan] = []
    skipped: list[Skipped] = []
    errors: list[InputError] = []
    for path in candidate_files(inputs):
        try:
            doc = load_file(path, str(path))
        except InputError as exc:
            if _looks_like_template(path):
                errors.append(exc)
            else:
                skipped.append(Skipped(str(path), f"not YAML or JSON ({exc.message})"))
            continue
        reason = _skip_reason(path, doc)
        if reason is not None:
            skipped.append(Skipped(str(path), reason))
            continue
        try:
            graph = parse_loaded(doc, path, stage, region)
        except InputError as exc:
            errors.append(exc)
            continue
        plans.append(make_plan(graph, options, tables))
    if errors:
        raise TemplateErrors(errors)
    if not plans:
        shown = ", ".join(str(p) for p in inputs)
        raise InputError(
            f"no SAM/CloudFormation template or serverless.yml found in {shown} "
            f"(looked at {', '.join('*' + s for s in SUFFIXES)} files)"
        )
    return Assessment(tuple(plans), tuple(skipped), tuple(ignore))


def report_targets(formats: Sequence[str], output: Path | None) -> dict[str, Path]:
    """Where each format goes: ``output`` itself for one format (inside it when it is a directory),
    ``output/migration-report.<ext>`` for several. No ``output``: nothing (stdout)."""
    if output is None:
        return {}
    if len(formats) == 1 and not output.is_dir():
        return {formats[0]: output}
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} is not a directory; several formats are written into a directory")
    return {fmt: output / f"migration-report.{fmt}" for fmt in formats}


def write_reports(files: Mapping[Path, str]) -> None:
    """Write every report or none: each goes to a temporary file beside it, then all are renamed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged.append((Path(temp), target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            os.chmod(temp, file_mode())
        for temp, target in staged:
            os.replace(temp, target)
    except OSError as exc:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {exc.filename or 'the reports'}: {exc.strerror}") from None
