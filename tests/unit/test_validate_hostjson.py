"""host.json checks of `lambda2func validate`: the built-in ones run without --host-schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.cases import PROJECT
from translator.cli import main
from translator.validate.hostjson import builtin_problems, check_host_json

SAMPLE = str(PROJECT / "samples" / "orders-api" / "template.yaml")

VALID = {
    "version": "2.0",
    "extensionBundle": {"id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)"},
    "functionTimeout": "00:10:00",
}


def _host(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "host.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_host_json_has_no_problems(tmp_path: Path) -> None:
    assert check_host_json(_host(tmp_path, json.dumps(VALID, indent=2))) == []


def test_unparseable_json_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = _host(tmp_path, '{\n  "version": "2.0",\n  not json\n}\n')
    (problem,) = check_host_json(path)
    assert problem == f"{path}:3:3: invalid JSON: Expecting property name enclosed in double quotes"


def test_version_must_be_2_0_and_is_reported_at_its_line(tmp_path: Path) -> None:
    text = json.dumps({**VALID, "version": "3.0"}, indent=2)
    path = _host(tmp_path, text)
    line = text.splitlines().index('  "version": "3.0",') + 1
    assert check_host_json(path) == [f"{path}:{line}: version: must be '2.0', found '3.0'"]
    assert builtin_problems({"extensionBundle": VALID["extensionBundle"]}) == [
        'host.json: (top level): \'version\' is missing (host.json needs "version": "2.0")'
    ]


@pytest.mark.parametrize(
    ("timeout", "valid"),
    [
        ("00:00:01", True),
        ("23:59:59", True),
        ("-1", True),  # unbounded, allowed on Flex Consumption
        (None, True),  # null: the host's default
        ("24:00:00", False),  # the schema's pattern stops at 23:59:59
        ("00:60:00", False),
        ("5:00", False),
        (300, False),
    ],
)
def test_function_timeout_follows_the_schema_pattern(timeout: object, valid: bool) -> None:
    problems = builtin_problems({**VALID, "functionTimeout": timeout})
    assert (problems == []) is valid
    if not valid:
        assert problems[0].startswith("host.json: functionTimeout: ")


def test_extension_bundle_needs_id_and_version_range() -> None:
    assert builtin_problems({"version": "2.0", "extensionBundle": {"version": "[4.*, 5.0.0)"}}) == [
        "host.json: extensionBundle/id: expected 'Microsoft.Azure.Functions.ExtensionBundle', found None"
    ]
    assert builtin_problems(
        {"version": "2.0", "extensionBundle": {"id": "Microsoft.Azure.Functions.ExtensionBundle"}}
    ) == ["host.json: extensionBundle/version: None is not a version range such as '[4.*, 5.0.0)'"]
    preview = {"id": "Microsoft.Azure.Functions.ExtensionBundle.Preview", "version": "[4.*, 5.0.0)"}
    assert builtin_problems({"version": "2.0", "extensionBundle": preview}) == []
    assert builtin_problems({"version": "2.0", "extensionBundle": "4"}) == [
        "host.json: extensionBundle: must be an object with id and version, found str"
    ]


def test_schema_check_reports_each_fact_once(tmp_path: Path, host_json_schema_path: Path) -> None:
    schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    text = json.dumps({**VALID, "version": "3.0", "unknownSetting": 1}, indent=2)
    path = _host(tmp_path, text)
    problems = check_host_json(path, schema)
    assert [p for p in problems if "version" in p.split(": ")[1]] == [
        f"{path}:2: version: must be '2.0', found '3.0'"
    ]
    # the schema's additionalProperties: false catches what the built-in checks do not look at, at its key
    line = text.splitlines().index('  "unknownSetting": 1') + 1
    assert (
        f"{path}:{line}: unknownSetting: 'unknownSetting' is not allowed here (additional properties are not allowed)"
        in problems
    )


def test_schema_problems_name_the_line_of_the_offending_key(
    tmp_path: Path, host_json_schema_path: Path
) -> None:
    """Nested unexpected keys at their own line, wrong values at theirs; tabs (JSON whitespace) keep the lines."""
    schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    text = (
        '{\n\t"version": "2.0",\n\t"logging": {\n\t\t"logLevel": {"default": "Loud"}\n\t},\n'
        '\t"aggregator": {\n\t\t"batchSize": "x",\n\t\t"flushTimeout": "00:00:30",\n\t\t"extra": 1,\n\t\t"other": 2\n\t}\n}\n'
    )
    path = _host(tmp_path, text)
    assert check_host_json(path, schema) == [
        f"{path}:9: aggregator/extra: 'extra' is not allowed here (additional properties are not allowed)",
        f"{path}:10: aggregator/other: 'other' is not allowed here (additional properties are not allowed)",
        f"{path}:7: aggregator/batchSize: 'x' is not of type 'integer'",
        f"{path}:4: logging/logLevel/default: 'Loud' is not one of ['Critical', 'Debug', 'Error', 'Information', 'None', 'Trace', 'Warning']",
    ]


def _converted(tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    assert main(["convert", SAMPLE, "-o", str(out), "-q"]) == 0
    return out, sorted((out / "src").glob("*/host.json"))[0]


def test_validate_checks_host_json_without_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, host = _converted(tmp_path)
    assert main(["validate", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.endswith(": 0 problems\n")
    # what was skipped is said, so "0 problems" is not read as a full check
    assert "note: Bicep type check skipped" in captured.err
    assert "give --host-schema FILE for the full schema check" in captured.err

    host.write_text("{not json", encoding="utf-8")
    assert main(["validate", str(out)]) == 1
    assert (
        f"{host}:1:2: invalid JSON: Expecting property name enclosed in double quotes\n"
        in capsys.readouterr().out
    )

    host.write_text(json.dumps({**VALID, "version": "3.0"}), encoding="utf-8")
    assert main(["validate", str(out)]) == 1
    assert f"{host}:1: version: must be '2.0', found '3.0'" in capsys.readouterr().out


def test_validate_with_everything_prints_no_skip_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bicep_types_dir: Path, host_json_schema_path: Path
) -> None:
    out, _ = _converted(tmp_path)
    args = [
        "validate",
        str(out),
        "--types",
        str(bicep_types_dir),
        "--host-schema",
        str(host_json_schema_path),
    ]
    assert main(args) == 0
    assert "note:" not in capsys.readouterr().err
