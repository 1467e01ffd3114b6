"""Settings files and --fail-on/--ignore: precedence, validation and the exit codes they lead to.

The samples' findings (migration-report.json in tests/golden/*/expected) decide the expected codes:
orders-api has no errors, 2 warnings (LF1005, LF5012) and 13 infos; MINIMAL with the
runtime cobol85 has one error, LF2002 (runtime not supported).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.cases import PROJECT
from translator.cli import main
from translator.config import Config, ConfigError, check_ignore, is_ignored, load_config, resolve

SAMPLE = str(PROJECT / "samples" / "orders-api" / "template.yaml")

MINIMAL = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: cobol85
      Handler: app.handler
      CodeUri: src/
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings are read from the current directory: run every test in an empty one."""
    monkeypatch.chdir(tmp_path)


def _assess(*args: str) -> int:
    return main(["assess", SAMPLE, "-f", "json", "-o", "report.json", "-q", *args])


def _error_template(tmp_path: Path) -> str:
    path = tmp_path / "error" / "template.yaml"
    path.parent.mkdir()
    path.write_text(MINIMAL, encoding="utf-8")
    return str(path)


# ---- --fail-on and --ignore on the command line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], 0),  # the default is never
        (["--fail-on", "never"], 0),
        (["--fail-on", "error"], 0),  # no errors in the sample
        (["--fail-on", "warning"], 1),
        (["--fail-on", "info"], 1),
        (["--fail-on", "warning", "--ignore", "LF1"], 1),  # LF5012 is still a warning
        (["--fail-on", "warning", "--ignore", "LF1", "--ignore", "LF5012"], 0),
        (["--fail-on", "info", "--ignore", "LF1", "--ignore", "LF5012"], 1),  # the infos remain
        (["--fail-on", "info", "--ignore", "LF"], 0),  # every rule
        (["--fail-on", "warning", "--ignore", "lf5012", "--ignore", "LF1005", "--ignore", "LF4"], 0),
    ],
)
def test_fail_on_and_ignore(args: list[str], expected: int) -> None:
    assert _assess(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--fail-on", "error"], 1),
        (["--fail-on", "error", "--ignore", "LF2002"], 0),
        (["--fail-on", "error", "--ignore", "LF2"], 0),
        (["--fail-on", "error", "--ignore", "LF3"], 1),  # another family: the error still counts
        (["--fail-on", "never"], 0),
    ],
)
def test_an_error_finding_and_its_suppression(tmp_path: Path, args: list[str], expected: int) -> None:
    assert main(["assess", _error_template(tmp_path), "-f", "json", "-o", "r.json", "-q", *args]) == expected
    errors = [f for f in json.loads(Path("r.json").read_text())["findings"] if f["severity"] == "error"]
    assert [(f["rule"], f["suppressed"]) for f in errors] == [("LF2002", "LF2" in " ".join(args))]


def test_convert_takes_ignore_too(tmp_path: Path) -> None:
    template = _error_template(tmp_path)
    assert main(["convert", template, "-o", "a", "-q", "--fail-on", "error"]) == 1
    assert main(["convert", template, "-o", "b", "-q", "--fail-on", "error", "--ignore", "LF2002"]) == 0
    report = json.loads(Path("b/migration-report.json").read_text())
    assert [f["suppressed"] for f in report["findings"] if f["rule"] == "LF2002"] == [True]
    sarif = json.loads(Path("b/migration-report.sarif").read_text())
    assert "LF2002" not in {r["ruleId"] for r in sarif["runs"][0]["results"]}


def test_unknown_ignore_rule_is_bad_input_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert _assess("--ignore", "LF3O06") == 2  # a letter O for a zero
    err = capsys.readouterr().err
    assert err.startswith("error: --ignore: unknown rule 'LF3O06' (did you mean 'LF3006'?)")
    assert not Path("report.json").exists()


# ---- the settings file


def test_yaml_settings_apply(tmp_path: Path) -> None:
    Path(".lambda2func.yaml").write_text("fail-on: warning\n", encoding="utf-8")
    assert _assess() == 1
    Path(".lambda2func.yaml").write_text("fail-on: warning\nignore: [LF1, LF5012]\n", encoding="utf-8")
    assert _assess() == 0


def test_command_line_wins_over_the_file() -> None:
    Path(".lambda2func.yaml").write_text("fail-on: warning\nignore: [LF1, LF5012]\n", encoding="utf-8")
    assert _assess("--fail-on", "never", "--ignore", "LF9") == 2  # an unknown id is still refused
    assert _assess("--fail-on", "info") == 1  # the file's ignore stays; its infos count now
    # --ignore replaces the file's list: LF1005 and LF5012 count again
    assert _assess("--ignore", "LF1002") == 1
    assert _assess("--fail-on", "never") == 0


def test_pyproject_settings_apply() -> None:
    Path("pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.lambda2func]\nfail-on = "warning"\nignore = ["LF1"]\n',
        encoding="utf-8",
    )
    assert load_config() == Config(
        fail_on="warning", ignore=("LF1",), source="pyproject.toml [tool.lambda2func]"
    )
    assert _assess() == 1  # LF5012
    assert _assess("--ignore", "LF1", "--ignore", "LF5012") == 0


def test_yaml_file_is_read_before_pyproject() -> None:
    Path("pyproject.toml").write_text('[tool.lambda2func]\nfail-on = "never"\n', encoding="utf-8")
    Path(".lambda2func.yaml").write_text("fail-on: warning\n", encoding="utf-8")
    assert load_config().fail_on == "warning"


def test_pyproject_without_the_section_is_no_settings() -> None:
    Path("pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_config() == Config()


def test_mappings_path_is_relative_to_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "ours.yaml").write_text(
        "runtimes:\n  runtimes:\n    python3.12: {name: python, version: '3.11', status: changed, reason: ours}\n",
        encoding="utf-8",
    )
    Path(".lambda2func.yaml").write_text("mappings: conf/ours.yaml\n", encoding="utf-8")
    assert load_config().mappings == Path("conf/ours.yaml")
    assert _assess() == 0
    report = json.loads(Path("report.json").read_text())
    assert {app["runtime"]["version"] for app in report["functionApps"]} == {"3.11"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "fail-on: error\nfail_on: warning\n",
            "error: .lambda2func.yaml:2: unknown key 'fail_on' (did you mean 'fail-on'?)",
        ),
        (
            "ignore:\n  - LF1002\n  - LF3O06\n",
            "error: .lambda2func.yaml:3: ignore: unknown rule 'LF3O06' (did you mean 'LF3006'?)",
        ),
        (
            "fail-on: warn\n",
            "error: .lambda2func.yaml:1: fail-on must be one of error, warning, info, never, "
            "not 'warn' (did you mean 'warning'?)",
        ),
        ("ignore: {LF1002: true}\n", "error: .lambda2func.yaml:1: ignore must be a list"),
        ("- LF1002\n", "error: .lambda2func.yaml:1: the settings must be a mapping"),
        # the loader points at the end of the file, where the list should have been closed
        ("fail-on: [\n", "error: .lambda2func.yaml:2: not valid YAML or JSON"),
    ],
)
def test_bad_yaml_settings_exit_2_naming_file_and_key(
    text: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path(".lambda2func.yaml").write_text(text, encoding="utf-8")
    assert _assess() == 2
    assert capsys.readouterr().err.startswith(expected)
    assert not Path("report.json").exists()


def test_missing_mappings_file_names_the_settings_line_and_directory(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path(".lambda2func.yaml").write_text("fail-on: error\nmappings: nope.yaml\n", encoding="utf-8")
    assert _assess() == 2
    assert capsys.readouterr().err == (
        f"error: .lambda2func.yaml:2: mappings: no such file nope.yaml (resolved relative to {Path.cwd()})\n"
    )
    assert not Path("report.json").exists()


def test_pyproject_errors_name_the_line_of_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    Path("pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.lambda2func]\nfail-on = "error"\nignore = ["LF1002", "LF3O06"]\n',
        encoding="utf-8",
    )
    assert _assess() == 2
    assert capsys.readouterr().err.startswith(
        "error: pyproject.toml:6: ignore: unknown rule 'LF3O06' (did you mean 'LF3006'?)"
    )


def test_bad_pyproject_settings_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    Path("pyproject.toml").write_text(
        '[tool.lambda2func]\nfail-on = "error"\nignores = ["LF1"]\n', encoding="utf-8"
    )
    assert _assess() == 2
    assert capsys.readouterr().err.startswith(
        "error: pyproject.toml:3: unknown key 'ignores' (did you mean 'ignore'?)"
    )
    Path("pyproject.toml").write_text("[tool.lambda2func\n", encoding="utf-8")
    assert _assess() == 2
    assert capsys.readouterr().err.startswith("error: pyproject.toml: not valid TOML")


def test_empty_settings_file_sets_nothing() -> None:
    Path(".lambda2func.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_config() == Config(source=".lambda2func.yaml")


# ---- the helpers


def test_check_ignore_normalises_and_deduplicates() -> None:
    assert check_ignore(["lf3006", "LF3006", " LF1 "], "x") == ("LF3006", "LF1")
    with pytest.raises(ConfigError, match=r"x: unknown rule ''"):
        check_ignore([""], "x")
    with pytest.raises(ConfigError, match=r"unknown rule 'LF30061'"):
        check_ignore(["LF30061"], "x")  # longer than any id: matches nothing


def test_is_ignored_by_id_or_prefix() -> None:
    assert is_ignored("LF3006", ("LF3006",))
    assert is_ignored("LF3006", ("LF3",))
    assert not is_ignored("LF3006", ("LF2", "LF3007"))
    assert not is_ignored("LF3006", ())


def test_resolve_precedence() -> None:
    file = Config(fail_on="warning", ignore=("LF1",), mappings=Path("m.yaml"), source="f")
    assert resolve(file, None, (), None) == resolve(file, None, [], None)
    settings = resolve(file, None, (), None)
    assert (settings.fail_on, settings.ignore, settings.mappings) == ("warning", ("LF1",), Path("m.yaml"))
    settings = resolve(file, "error", ("LF2",), Path("n.yaml"))
    assert (settings.fail_on, settings.ignore, settings.mappings) == ("error", ("LF2",), Path("n.yaml"))
    settings = resolve(Config(), None, (), None)
    assert (settings.fail_on, settings.ignore, settings.mappings) == ("never", (), None)
