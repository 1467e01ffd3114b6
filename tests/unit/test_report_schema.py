"""translator/schemas/report-1.0.schema.json: the shape of migration-report.json, pinned and shipped."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.golden.cases import CONVERT_CASES, GOLDEN, PROJECT
from translator.api import convert
from translator.emit.report import REPORT_SCHEMA_VERSION, report_data, report_data_many, report_schema
from translator.load import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomli is a dependency on Python 3.10
    import tomli as tomllib

CORPUS_FOLDERS = ("sam/serverless-patterns", "cfn/aws-cfn-templates", "serverless/serverless-examples")


@pytest.fixture(autouse=True)
def _project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = report_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _errors(validator: jsonschema.Draft7Validator, document: Any) -> list[str]:
    best = jsonschema.exceptions.best_match(validator.iter_errors(document))
    return [] if best is None else [f"{list(best.absolute_path)}: {best.message}"]


def _sample_reports() -> dict[str, dict[str, Any]]:
    return {
        case: report_data(convert(Path(template), display_name=template).plan)
        for case, template in sorted(CONVERT_CASES.items())
    }


def test_schema_is_draft_07_and_versioned() -> None:
    schema = report_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"].endswith(f":{REPORT_SCHEMA_VERSION}")
    assert schema["definitions"]["schemaVersion"] == {"const": REPORT_SCHEMA_VERSION}


def test_schema_ships_as_package_data() -> None:
    """The schema is read with importlib.resources, so an installed tool must carry the file."""
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "schemas/*.json" in pyproject["tool"]["setuptools"]["package-data"]["translator"]
    assert (PROJECT / "translator" / "schemas" / "report-1.0.schema.json").is_file()


@pytest.mark.parametrize("case", sorted(CONVERT_CASES))
def test_sample_and_golden_reports_validate(case: str, validator: jsonschema.Draft7Validator) -> None:
    assert _errors(validator, _sample_reports()[case]) == []
    golden = json.loads((GOLDEN / case / "expected" / "migration-report.json").read_text(encoding="utf-8"))
    assert _errors(validator, golden) == []


def test_corpus_subset_validates(shared_dir: Path, validator: jsonschema.Draft7Validator) -> None:
    checked = 0
    for folder in CORPUS_FOLDERS:
        files = sorted(
            p for p in (shared_dir / "corpus" / folder).rglob("*") if p.suffix in (".yaml", ".yml", ".json")
        )
        for template in files[:8]:
            try:
                result = convert(template)
            except InputError:
                continue
            assert _errors(validator, json.loads(result.files["migration-report.json"])) == [], template
            checked += 1
    assert checked >= 12


def test_multi_template_report_validates(validator: jsonschema.Draft7Validator) -> None:
    plans = [convert(Path(t), display_name=t).plan for t in sorted(CONVERT_CASES.values())]
    data = report_data_many(plans, ignore=("LF1002",))
    assert _errors(validator, data) == []
    # image-pipeline 11 (its SNS subscription is a resource of its own) + orders-api 8 + todo-serverless 11
    # resources; 3 + 5 + 6 functions
    assert (data["summary"]["templates"], data["summary"]["resources"], data["summary"]["functions"]) == (
        3,
        30,
        14,
    )
    # LF1002 (the role resource, and once per app with IAM): 3 in image-pipeline, 1 in orders-api, 3 in
    # todo-serverless
    assert data["summary"]["findings"]["suppressed"] == 7


def _mutations() -> list[tuple[str, Any]]:
    def unknown_disposition(r: dict[str, Any]) -> None:
        r["resources"][0]["disposition"] = "translated"

    def missing_logical_id(r: dict[str, Any]) -> None:
        del r["resources"][0]["logicalId"]

    def unknown_severity(r: dict[str, Any]) -> None:
        r["findings"][0]["severity"] = "fatal"

    def missing_suppressed(r: dict[str, Any]) -> None:
        del r["findings"][0]["suppressed"]

    def extra_top_level_key(r: dict[str, Any]) -> None:
        r["generatedAt"] = "2024-01-01T00:00:00Z"

    def other_schema_version(r: dict[str, Any]) -> None:
        r["schemaVersion"] = "2.0"

    def bad_rule_id(r: dict[str, Any]) -> None:
        r["findings"][0]["rule"] = "E3001"

    def trigger_disposition(r: dict[str, Any]) -> None:
        r["functions"][0]["triggers"][0]["disposition"] = "done"

    def summary_without_suppressed(r: dict[str, Any]) -> None:
        del r["summary"]["findings"]["suppressed"]

    def line_zero(r: dict[str, Any]) -> None:
        r["resources"][0]["source"]["line"] = 0

    return [
        (f.__name__, f)
        for f in (
            unknown_disposition,
            missing_logical_id,
            unknown_severity,
            missing_suppressed,
            extra_top_level_key,
            other_schema_version,
            bad_rule_id,
            trigger_disposition,
            summary_without_suppressed,
            line_zero,
        )
    ]


@pytest.mark.parametrize(("name", "mutate"), _mutations())
def test_mutated_report_fails(name: str, mutate: Any, validator: jsonschema.Draft7Validator) -> None:
    report = copy.deepcopy(_sample_reports()["orders-api"])
    assert _errors(validator, report) == []
    mutate(report)
    assert _errors(validator, report) != [], name


def test_mutated_multi_template_report_fails(validator: jsonschema.Draft7Validator) -> None:
    plans = [convert(Path(t), display_name=t).plan for t in sorted(CONVERT_CASES.values())]
    data = report_data_many(plans)
    broken = copy.deepcopy(data)
    broken["templates"][1]["resources"][0]["disposition"] = "translated"
    assert _errors(validator, broken) != []
    broken = copy.deepcopy(data)
    del broken["summary"]["templates"]
    assert _errors(validator, broken) != []
    # a multi-template report holds at least two templates; one template has the single shape
    broken = copy.deepcopy(data)
    broken["templates"] = broken["templates"][:1]
    broken["summary"]["templates"] = 1
    assert _errors(validator, broken) != []
