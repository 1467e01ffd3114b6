"""Corpus sweep: real public templates convert without a crash, and what comes out is valid.

For every template in the acceptance folders (issue 3: all of sam-translator, the SAM and plain
CloudFormation folders of serverless-patterns, cfn-lint and aws-cfn-templates): the exit code is 0 or 2
(never a traceback or an internal error), at least 98% convert, every emitted main.bicep parses with
tree-sitter-bicep and passes the type check against the Bicep type data, every host.json validates
against the host.json schema, and every input resource appears in migration-report.json. Folders of
deliberately wrong templates (``*-bad``, ``sam-translator-errors``) must exit 2 or report findings for
each template (corpus README: "warn, don't crash"). Counts and disposition totals (resources, functions, settings,
triggers) are printed; run with -s to see them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.corpus.checks import finding_severities, summary, sweep
from translator.api import Result
from translator.validate.bicep import TypeData

#: folder -> minimum share of templates that must convert (exit 0)
FOLDERS = {
    "sam/sam-translator": 0.98,
    "sam/serverless-patterns": 0.98,
    "sam/cfn-lint": 0.98,
    "sam/aws-cfn-templates": 0.98,
    "cfn/aws-cfn-templates": 0.98,
    "cfn/cfn-lint": 0.98,
    "cfn/serverless-patterns": 0.98,
}
#: folders of semantically wrong templates: each one exits 2 or says what is wrong in a finding
BAD_FOLDERS = ("sam/cfn-lint-bad", "cfn/cfn-lint-bad", "sam/sam-translator-errors")


def _templates(shared: Path, folder: str) -> list[Path]:
    return sorted(p for p in (shared / "corpus" / folder).iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def _silent_on_bad_input(path: Path, result: Result) -> list[str]:
    if sum(finding_severities(result).values()):
        return []
    return [f"{path.name}: a deliberately wrong template converted without any finding"]


def _run(
    folder: str,
    shared_dir: Path,
    bicep_types_dir: Path,
    host_json_schema_path: Path,
    extra: Callable[[Path, Result], list[str]] | None = None,
) -> tuple[int, float]:
    types = TypeData.load(bicep_types_dir)
    host_schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    counts, failures = sweep(_templates(shared_dir, folder), types, host_schema, extra)
    total = sum(v for k, v in counts.items() if k.startswith("exit"))
    print(f"\n{folder}: {total} templates; {summary(counts)}")
    assert total > 0
    assert not failures, "\n".join(failures[:40])
    return total, counts["exit 0 (converted)"] / total


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_corpus_folder(
    folder: str, shared_dir: Path, bicep_types_dir: Path, host_json_schema_path: Path
) -> None:
    _, converted = _run(folder, shared_dir, bicep_types_dir, host_json_schema_path)
    assert converted >= FOLDERS[folder], f"only {converted:.1%} of {folder} converted"


@pytest.mark.parametrize("folder", BAD_FOLDERS)
def test_bad_corpus_folder_fails_cleanly_or_warns(
    folder: str, shared_dir: Path, bicep_types_dir: Path, host_json_schema_path: Path
) -> None:
    _run(folder, shared_dir, bicep_types_dir, host_json_schema_path, _silent_on_bad_input)


def test_sam_translator_folder_is_complete(shared_dir: Path) -> None:
    # the acceptance names 544 templates: a partial copy of the corpus must not pass silently
    assert len(_templates(shared_dir, "sam/sam-translator")) == 544
