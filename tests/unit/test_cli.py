"""The command line: exit codes, messages, atomic output, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.golden.cases import PROJECT
from translator.cli import main

SAMPLE = str(PROJECT / "samples" / "orders-api" / "template.yaml")

MINIMAL = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Get:
          Type: Api
          Properties: {Path: /hello, Method: get}
"""


def _write(tmp_path: Path, text: str, name: str = "template.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_convert_writes_the_azd_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["convert", SAMPLE, "-o", str(out)]) == 0
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == [
        "azure.yaml",
        "infra/main.bicep",
        "infra/main.parameters.json",
        "migration-report.html",
        "migration-report.json",
        "migration-report.md",
        "migration-report.sarif",
        "src/orders-api-2048/host.json",
        "src/orders-api-512/host.json",
    ]
    stdout = capsys.readouterr().out
    assert "5 functions in 2 function apps" in stdout


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("never", 0), ("error", 0), ("warning", 1), ("info", 1)],
)
def test_fail_on_thresholds(tmp_path: Path, fail_on: str, expected: int) -> None:
    # the sample has warnings (LF1002, LF1005, LF4003) and no errors
    assert main(["convert", SAMPLE, "-o", str(tmp_path / "out"), "--fail-on", fail_on, "-q"]) == expected


def test_fail_on_error_exits_1_when_an_error_finding_exists(tmp_path: Path) -> None:
    template = _write(tmp_path, MINIMAL.replace("python3.12", "cobol85"))
    assert main(["convert", template, "-o", str(tmp_path / "out"), "--fail-on", "error", "-q"]) == 1
    report = json.loads((tmp_path / "out" / "migration-report.json").read_text())
    assert [f["rule"] for f in report["findings"] if f["severity"] == "error"] == ["LF2002"]


def test_bad_input_exit_2_with_file_and_line_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = _write(tmp_path, "Resources:\n  A:\n    Type: [unclosed\n")
    out = tmp_path / "out"
    assert main(["convert", template, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {template}:")
    assert "Traceback" not in err
    assert not out.exists()


def test_missing_file_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "nope.yaml")
    assert main(["convert", missing, "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"error: {missing}: no such file\n"  # a missing file has no line
    assert not (tmp_path / "out").exists()


def test_json_template_must_be_strict_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A trailing comma YAML would accept: a .json file is read as JSON, FILE:LINE:COL, exit 2, nothing written."""
    template = tmp_path / "t.json"
    template.write_text('{"Resources": {\n  "Q": {"Type": "AWS::SQS::Queue"},\n}}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["convert", str(template), "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"error: {template}:3:1: invalid JSON: Expecting property name enclosed in double quotes\n"
    )
    assert not out.exists()
    # the same text under a YAML name is read as YAML, which accepts it
    yaml_template = tmp_path / "t.yaml"
    yaml_template.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["convert", str(yaml_template), "-o", str(out)]) == 0


def test_json_inventory_must_be_strict_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inventory = tmp_path / "inventory.json"
    inventory.write_text('{"schemaVersion": "1.0", "functions": [],}\n', encoding="utf-8")
    assert main(["convert", str(inventory), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"error: {inventory}:1:42: invalid JSON: Expecting property name enclosed in double quotes\n"
    )
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert"]) == 2
    assert main(["convrt"]) == 2
    assert "Did you mean 'convert'?" in capsys.readouterr().err


def test_non_empty_output_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["convert", SAMPLE, "-o", str(out), "-q"]) == 0
    (out / "keep.txt").write_text("mine")
    assert main(["convert", SAMPLE, "-o", str(out), "-q"]) == 2
    assert "not empty; use --force" in capsys.readouterr().err
    assert (out / "keep.txt").read_text() == "mine"
    assert main(["convert", SAMPLE, "-o", str(out), "-q", "--force"]) == 0
    assert not (out / "keep.txt").exists()
    assert (out / "infra" / "main.bicep").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "no staging directories are left behind"


def test_force_never_replaces_a_folder_lambda2func_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "project"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["convert", SAMPLE, "-o", str(out), "-q", "--force"]) == 2
    assert "was not written by lambda2func" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "mine"


def test_output_may_not_contain_the_template_or_the_working_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    template = project / "template.yaml"
    template.write_text(MINIMAL)
    assert main(["convert", str(template), "-o", str(project), "--force", "-q"]) == 2
    assert "contains" in capsys.readouterr().err
    assert template.read_text() == MINIMAL
    monkeypatch.chdir(project)
    assert main(["convert", SAMPLE, "-o", str(tmp_path), "--force", "-q"]) == 2
    assert "the current directory" in capsys.readouterr().err


def test_internal_errors_are_reported_without_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("translator.api.render", boom)
    assert main(["convert", SAMPLE, "-o", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated bug" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_mappings_override_is_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(
        tmp_path,
        "runtimes:\n  runtimes:\n    python3.12: {name: pyhton, version: '3.12', status: same}\n",
        "m.yaml",
    )
    assert main(["convert", SAMPLE, "-o", str(tmp_path / "out"), "--mappings", bad]) == 2
    assert "runtimes/python3.12/name" in capsys.readouterr().err


def test_mappings_override_changes_the_output(tmp_path: Path) -> None:
    override = _write(
        tmp_path,
        "runtimes:\n  runtimes:\n    python3.12: {name: python, version: '3.11', status: changed, reason: pinned by us}\n",
        "m.yaml",
    )
    out = tmp_path / "out"
    assert main(["convert", SAMPLE, "-o", str(out), "--mappings", override, "-q"]) == 0
    assert "version: '3.11'" in (out / "infra" / "main.bicep").read_text()


def test_rules_and_mappings_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert "LF0001" in capsys.readouterr().out
    assert main(["mappings", "runtimes"]) == 0
    assert "python3.12" in capsys.readouterr().out
    tables = "runtimes, settings, roles, azure, triggers, services, attributes, iam, sam_policy_templates"
    assert main(["mappings", "runtime"]) == 2
    assert capsys.readouterr().err.endswith(
        f"Error: no mapping table 'runtime'; the tables are {tables}; the closest is 'runtimes'\n"
    )
    assert main(["mappings", "IAM"]) == 2  # names are lower case; the closest is found in any case
    assert f"the tables are {tables}; the closest is 'iam'\n" in capsys.readouterr().err
    assert main(["mappings", "nope"]) == 2  # nothing near: still the nearest by spelling
    assert "Error: no mapping table 'nope'; the tables are " in capsys.readouterr().err


def test_validate_command(tmp_path: Path, bicep_types_dir: Path, host_json_schema_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["convert", SAMPLE, "-o", str(out), "-q"]) == 0
    args = [
        "validate",
        str(out),
        "--types",
        str(bicep_types_dir),
        "--host-schema",
        str(host_json_schema_path),
    ]
    assert main(args) == 0
    bicep = out / "infra" / "main.bicep"
    bicep.write_text(bicep.read_text().replace("functionAppConfig", "functionAppConfg"))
    assert main(args) == 1


def test_validate_shows_a_value_outside_an_open_enum(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bicep_types_dir: Path
) -> None:
    """Storage kind is a union of five literals and string in the type data (open, modelAsString): a
    value outside them is legal, so a warning that is shown but not counted as a problem."""
    out = tmp_path / "out"
    assert main(["convert", SAMPLE, "-o", str(out), "-q"]) == 0
    bicep = out / "infra" / "main.bicep"
    text = bicep.read_text(encoding="utf-8")
    line = text[: text.index("kind: 'StorageV2'")].count("\n") + 1
    bicep.write_text(text.replace("kind: 'StorageV2'", "kind: 'StorageV9'", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(out), "--types", str(bicep_types_dir)]) == 0
    assert capsys.readouterr().out == (
        f"{bicep}:{line}:9: warning: ENUM Microsoft.Storage/storageAccounts@2024-01-01: 'kind' value 'StorageV9' "
        "is not a known value ('Storage', 'StorageV2', 'BlobStorage', 'FileStorage', 'BlockBlobStorage'); "
        "did you mean 'StorageV2'?\n"
        f"{out}: 0 problems, 1 warning\n"
    )


def test_cli_import_is_lazy() -> None:
    code = (
        "import sys, translator.cli\n"
        "from translator.cli import main\n"
        "main(['rules'])\n"
        "heavy = [m for m in ('jinja2', 'boto3', 'jsonschema', 'tree_sitter') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="


def test_a_resource_defined_twice_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = _write(tmp_path, MINIMAL + "  Hello:\n    Type: AWS::SQS::Queue\n")
    assert main(["convert", template, "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"error: {template}:13: a resource is defined twice: key 'Hello' appears at line 3 and again at line 13; "
        "CloudFormation rejects such a template, so nothing is converted\n"
    )
    assert not (tmp_path / "out").exists()


def test_finding_ids_do_not_depend_on_the_path_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from translator.api import convert as run

    monkeypatch.chdir(PROJECT)
    relative = run(Path("samples/orders-api/template.yaml")).findings
    absolute = run(Path(SAMPLE)).findings
    assert [f.fingerprint for f in relative] == [f.fingerprint for f in absolute]


def test_debug_is_accepted_after_the_command(tmp_path: Path) -> None:
    assert main(["convert", SAMPLE, "-o", str(tmp_path / "out"), "-q", "--debug"]) == 0


def test_validate_reports_a_wrong_types_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["convert", SAMPLE, "-o", str(out), "-q"]) == 0
    assert main(["validate", str(out), "--types", str(tmp_path)]) == 2
    assert "has no index.json" in capsys.readouterr().err


def test_a_globals_finding_is_printed_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Globals give both functions the arm64 setting: two findings (one per function, both in the
    # report) at one line with one text, so the console shows it once, with the count the summary adds up
    template = tmp_path / "t.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Architectures: [arm64]\n"
        "Resources:\n"
        "  A: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: a.h, CodeUri: s/}}\n"
        "  B: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, Handler: b.h, CodeUri: s/}}\n"
    )
    assert main(["convert", str(template), "-o", str(tmp_path / "out")]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "LF2017" in line]
    assert lines == [
        f"{template}:4: warning: LF2017 Architectures arm64: Flex Consumption runs on x64 Linux; rebuild native "
        "dependencies and binaries for linux-x64 (x2)"
    ]
    report = json.loads((tmp_path / "out" / "migration-report.json").read_text())
    assert sorted(f["resource"] for f in report["findings"] if f["rule"] == "LF2017") == ["A", "B"]
