"""Corpus sweep for serverless.yml: real public services convert without a crash, into valid output.

For every file: no traceback or internal error; at least 95% of the AWS folders convert (exit 0) and
every non-AWS service is refused as bad input (exit 2) with a message naming its provider. Every
emitted main.bicep parses and passes the type check, every host.json validates, every function (under
its serverless name) and every resource (raw CloudFormation under its logical id) is in the JSON
report, and no serverless variable survives as text in the Bicep. Run with -s to see the counts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.corpus.checks import sweep
from translator.api import Result, convert
from translator.load import InputError
from translator.validate.bicep import TypeData

#: folder -> minimum share of files that must convert (exit 0)
FOLDERS = {
    "serverless/serverless-examples": 0.95,
    "serverless/serverless-patterns": 0.95,
}
NON_AWS = "serverless/serverless-examples-nonaws"
#: a serverless variable left as text: ${source:...} with a lower-case source such as ssm, self, opt
_LEFT_VARIABLE = re.compile(r"\$\{(self|opt|env|sls|aws|file|ssm|cf|s3|param|strToBool)[:(]")


def _files(shared: Path, folder: str) -> list[Path]:
    return sorted(p for p in (shared / "corpus" / folder).iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def _raw_resource_ids(text: str) -> set[str]:
    """Logical ids under resources.Resources, read with a plain YAML pass independent of the parser."""
    from translator.load import load_text

    data = load_text(text, "x").data
    resources = data.get("resources") if hasattr(data, "get") else None
    fragments = resources if isinstance(resources, tuple) else [resources]
    ids: set[str] = set()
    for fragment in fragments:
        section = fragment.get("Resources") if hasattr(fragment, "get") else None
        if hasattr(section, "keys"):
            ids |= set(section.keys())
    return ids


def _serverless_problems(path: Path, result: Result) -> list[str]:
    """No serverless variable survives as text, and every raw CloudFormation resource is reported."""
    problems = []
    left = _LEFT_VARIABLE.search(result.files["infra/main.bicep"])
    if left:
        problems.append(f"{path.name}: a serverless variable is left as text: {left.group(0)}")
    report = json.loads(result.files["migration-report.json"])
    missing = _raw_resource_ids(path.read_text("utf-8")) - {r["logicalId"] for r in report["resources"]}
    if missing:
        problems.append(f"{path.name}: raw resources missing from the report: {sorted(missing)}")
    return problems


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_serverless_corpus_folder(
    folder: str, shared_dir: Path, bicep_types_dir: Path, host_json_schema_path: Path
) -> None:
    types = TypeData.load(bicep_types_dir)
    host_schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    counts, failures = sweep(_files(shared_dir, folder), types, host_schema, _serverless_problems)
    total = sum(v for k, v in counts.items() if k.startswith("exit"))
    print(f"\n{folder}: {total} files; " + "; ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    assert total > 0
    assert not failures, "\n".join(failures[:40])
    converted = counts["exit 0 (converted)"] / total
    assert converted >= FOLDERS[folder], f"only {converted:.1%} of {folder} converted"


def test_non_aws_services_are_refused_naming_the_provider(shared_dir: Path) -> None:
    files = _files(shared_dir, NON_AWS)
    assert files
    for path in files:
        with pytest.raises(InputError) as caught:
            convert(path)
        text = path.read_text("utf-8")
        provider = re.search(r"^\s+name:\s*(\w+)", text[text.index("provider:") :], re.M)
        assert provider is not None
        assert f"provider '{provider.group(1)}' is not supported" in caught.value.message, path.name
