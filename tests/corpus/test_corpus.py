"""Corpus sweep: real public templates convert without a crash, and what comes out is valid.

For every template in the acceptance folders: the exit code is 0, 1 or 2 (never a traceback or an
internal error), every emitted main.bicep parses with tree-sitter-bicep and passes the type check
against the Bicep type data, every host.json validates against the host.json schema, and every input
resource appears in migration-report.json. Counts are printed (run with -s to see them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus.checks import sweep
from translator.validate.bicep import TypeData

#: folder -> minimum share of templates that must convert (exit 0)
FOLDERS = {
    "sam/serverless-patterns": 0.95,
    "cfn/aws-cfn-templates": 0.95,
    "sam/sam-translator-errors": 0.0,
}


def _templates(shared: Path, folder: str) -> list[Path]:
    return sorted(p for p in (shared / "corpus" / folder).iterdir() if p.suffix in (".yaml", ".yml", ".json"))


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_corpus_folder(
    folder: str, shared_dir: Path, bicep_types_dir: Path, host_json_schema_path: Path
) -> None:
    types = TypeData.load(bicep_types_dir)
    host_schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    counts, failures = sweep(_templates(shared_dir, folder), types, host_schema)
    total = sum(v for k, v in counts.items() if k.startswith("exit"))
    print(f"\n{folder}: {total} templates; " + "; ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    assert total > 0
    assert not failures, "\n".join(failures[:40])
    converted = counts["exit 0 (converted)"] / total
    assert converted >= FOLDERS[folder], f"only {converted:.1%} of {folder} converted"
