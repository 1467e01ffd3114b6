"""migration-report.sarif: valid SARIF 2.1.0, one result per finding, only fired rules, stable bytes.

Expected values come from the samples' findings (tests/golden/*/expected/migration-report.json):
orders-api has 21 findings, 2 warnings (LF1005, LF5012) and 19 infos (LF1002, LF2005 x5, LF2008,
LF2012, LF2028 x5, LF4004, LF4017 x3, LF5001, LF5021), and no errors.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from tests.golden.cases import CONVERT_CASES, PROJECT
from translator.api import convert
from translator.emit.sarif import FINGERPRINT_KEY, render_sarif, sarif_data
from translator.findings import Finding
from translator.load import InputError
from translator.rules import RULES
from translator.values import Loc

ORDERS = "samples/orders-api/template.yaml"
CORPUS_FOLDERS = ("sam/serverless-patterns", "cfn/aws-cfn-templates", "serverless/serverless-examples")


@pytest.fixture(autouse=True)
def _project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)


@pytest.fixture(scope="module")
def sarif_validator(shared_dir: Path) -> Any:
    import jsonschema

    schema = json.loads((shared_dir / "schemas" / "sarif-2.1.0.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    return jsonschema.Draft7Validator(schema)


def _errors(validator: Any, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def _corpus_subset(shared: Path, per_folder: int = 8) -> list[Path]:
    picked: list[Path] = []
    for folder in CORPUS_FOLDERS:
        files = sorted((shared / "corpus" / folder).rglob("*"))
        picked += [p for p in files if p.suffix in (".yaml", ".yml", ".json")][:per_folder]
    return picked


@pytest.mark.parametrize("case", sorted(CONVERT_CASES))
def test_samples_validate(case: str, sarif_validator: Any) -> None:
    template = CONVERT_CASES[case]
    sarif = json.loads(convert(Path(template), display_name=template).files["migration-report.sarif"])
    assert _errors(sarif_validator, sarif) == []
    assert {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
    } == {template}


def test_corpus_subset_validates(shared_dir: Path, sarif_validator: Any) -> None:
    checked = 0
    for template in _corpus_subset(shared_dir):
        try:
            result = convert(template)
        except InputError:
            continue
        sarif = json.loads(result.files["migration-report.sarif"])
        assert _errors(sarif_validator, sarif) == [], template
        assert len(sarif["runs"][0]["results"]) == len(result.findings)
        checked += 1
    assert checked >= 12, "the subset should hold a good number of convertible templates"


def test_one_result_per_finding_and_only_fired_rules() -> None:
    result = convert(Path(ORDERS), display_name=ORDERS)
    run = sarif_data([result.plan])["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("lambda2func", "0.1.0")
    assert "informationUri" not in driver
    assert [rule["id"] for rule in driver["rules"]] == [
        "LF1002",
        "LF1005",
        "LF2005",
        "LF2008",
        "LF2012",
        "LF2028",
        "LF4004",
        "LF4017",
        "LF5001",
        "LF5012",
        "LF5021",
    ]
    levels = [r["level"] for r in run["results"]]
    assert (levels.count("warning"), levels.count("note"), levels.count("error")) == (2, 19, 0)
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    # partialFingerprints are the report's finding ids, in the report's order
    report = json.loads(result.files["migration-report.json"])
    assert [r["partialFingerprints"][FINGERPRINT_KEY] for r in run["results"]] == [
        f["id"] for f in report["findings"]
    ]


def test_rule_metadata_comes_from_the_catalogue() -> None:
    driver = sarif_data([convert(Path(ORDERS)).plan])["runs"][0]["tool"]["driver"]
    lf1002 = next(rule for rule in driver["rules"] if rule["id"] == "LF1002")
    assert lf1002 == {
        "id": "LF1002",
        "shortDescription": {"text": "IAM role replaced by a managed identity"},
        "fullDescription": {"text": RULES["LF1002"].description},
        "help": {"text": "Review the role assignments the report lists for each policy statement."},
        "defaultConfiguration": {"level": "note"},
    }
    lf2005 = next(rule for rule in driver["rules"] if rule["id"] == "LF2005")
    assert lf2005["defaultConfiguration"] == {"level": "note"}


def test_result_location_and_message() -> None:
    run = sarif_data([convert(Path(ORDERS), display_name=ORDERS).plan])["runs"][0]
    # the LF5001 finding is the NoEcho parameter PaymentApiKey at line 13 of the template
    secure = next(r for r in run["results"] if r["ruleId"] == "LF5001")
    assert secure["locations"] == [
        {
            "physicalLocation": {"artifactLocation": {"uri": ORDERS}, "region": {"startLine": 13}},
            "logicalLocations": [{"name": "PaymentApiKey"}],
        }
    ]
    # LF1005 on OrdersQueue carries its own suggestion (not the rule's), so the message keeps it
    redrive = next(r for r in run["results"] if r["ruleId"] == "LF1005")
    assert redrive["message"]["text"].endswith(
        "\n\nSuggestion: Read dead-lettered messages from '<queue>/$deadletterqueue'."
    )
    assert "Suggestion" not in secure["message"]["text"]


def test_error_severity_is_level_error(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: cobol85, Handler: a.b, CodeUri: src/}\n",
        encoding="utf-8",
    )
    run = sarif_data([convert(template).plan])["runs"][0]
    assert [(r["ruleId"], r["level"]) for r in run["results"] if r["level"] == "error"] == [
        ("LF2002", "error")
    ]
    lf2002 = next(rule for rule in run["tool"]["driver"]["rules"] if rule["id"] == "LF2002")
    assert lf2002["defaultConfiguration"] == {"level": "error"}


def test_ignored_rules_leave_results_and_rules() -> None:
    plan = convert(Path(ORDERS)).plan
    run = sarif_data([plan], ignore=("LF1",))["runs"][0]
    # 21 findings less LF1002 and LF1005
    assert len(run["results"]) == 19
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [
        "LF2005",
        "LF2008",
        "LF2012",
        "LF2028",
        "LF4004",
        "LF4017",
        "LF5001",
        "LF5012",
        "LF5021",
    ]
    assert all(
        res["ruleId"] == run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] for res in run["results"]
    )


def test_finding_without_location_and_escaped_uri(sarif_validator: Any) -> None:
    plan = convert(Path(ORDERS)).plan
    plan = dataclasses.replace(
        plan,
        source_file="my templates/template.yaml",
        findings=(
            Finding.of("LF4003", "output 'X' is not translated"),
            Finding.of("LF1001", "no mapping", Loc("my templates/nested#1.yaml", 7), "Thing"),
        ),
    )
    sarif = sarif_data([plan])
    assert _errors(sarif_validator, sarif) == []
    first, second = sarif["runs"][0]["results"]
    assert first["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "my%20templates/template.yaml"}}}
    ]
    assert second["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "my%20templates/nested%231.yaml"},
        "region": {"startLine": 7},
    }


def test_several_templates_make_one_run(sarif_validator: Any) -> None:
    plans = [convert(Path(t), display_name=t).plan for t in sorted(CONVERT_CASES.values())]
    sarif = sarif_data(plans)
    assert _errors(sarif_validator, sarif) == []
    assert len(sarif["runs"]) == 1
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
    ]
    # image-pipeline 18 findings (LF1004 on its IndexerSubscription), orders-api 21, todo-serverless 14 (LF1005
    # RemindersQueue, LF3040 on listTodos and createTodo), in the order the plans were given
    assert [uris.count(t) for t in sorted(CONVERT_CASES.values())] == [18, 21, 14]
    assert uris == sorted(uris, key=sorted(CONVERT_CASES.values()).index)
    ids = [rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


def test_bytes_are_deterministic() -> None:
    first = render_sarif([convert(Path(ORDERS)).plan])
    for other in CONVERT_CASES.values():
        convert(Path(other))
    assert render_sarif([convert(Path(ORDERS)).plan]) == first
    assert "Utc" not in first  # SARIF time properties (startTimeUtc, endTimeUtc ...) are never written
