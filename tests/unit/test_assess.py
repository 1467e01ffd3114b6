"""lambda2func assess: finding templates, reports without Bicep, outputs, exit codes; the CI wrappers.

One template's reports are byte for byte the ones convert writes (tests/golden/*/expected), so they are
compared with the golden files rather than pinned again. Sample facts used below (from those reports):
orders-api: 8 resources, 5 functions, 2 apps, 32 Azure resources, 2 warnings, 19 infos;
todo-serverless: 11 resources, 6 functions, 2 apps, 32 Azure resources, 0 warnings, 11 infos.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.golden.cases import GOLDEN, PROJECT
from translator.assess import assess, candidate_files
from translator.cli import main

ORDERS = "samples/orders-api/template.yaml"
TODO = "samples/todo-serverless/serverless.yml"


def _golden(case: str, name: str) -> str:
    return (GOLDEN / case / "expected" / name).read_text(encoding="utf-8")


@pytest.fixture
def in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)


@pytest.fixture
def mixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository-like folder: two templates among files that are not templates."""
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT / "samples" / "orders-api", repo / "orders-api")
    shutil.copytree(PROJECT / "samples" / "todo-serverless", repo / "todo-serverless")
    (repo / "README.md").write_text("# not a template\n", encoding="utf-8")
    (repo / "workflows").mkdir()
    (repo / "workflows" / "ci.yml").write_text("name: ci\non: push\njobs: {}\n", encoding="utf-8")
    (repo / "package.json").write_text('{"name": "x", "version": "1.0.0"}\n', encoding="utf-8")
    (repo / "chart.yaml").write_text("a: [\n", encoding="utf-8")  # not YAML, and not template-like
    (repo / "gcp").mkdir()
    (repo / "gcp" / "serverless.yml").write_text(
        "service: other\nprovider: {name: google}\nfunctions: {}\n", encoding="utf-8"
    )
    # build output and dependencies hold copies of templates; they are passed over
    (repo / ".aws-sam" / "build").mkdir(parents=True)
    shutil.copy(PROJECT / ORDERS, repo / ".aws-sam" / "build" / "template.yaml")
    (repo / "node_modules" / "pkg").mkdir(parents=True)
    shutil.copy(PROJECT / ORDERS, repo / "node_modules" / "pkg" / "template.yaml")
    monkeypatch.chdir(tmp_path)
    return Path("repo")


# ---- finding templates


def test_directory_finds_templates_and_notes_the_rest(
    mixed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", str(mixed), "-f", "json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert [t["source"]["file"] for t in report["templates"]] == [
        "repo/orders-api/template.yaml",
        "repo/todo-serverless/serverless.yml",
    ]
    assert captured.err.splitlines() == [
        "note: repo/chart.yaml: skipped: not YAML or JSON (not valid YAML or JSON: did not find expected node "
        "content (while parsing a flow node))",
        "note: repo/gcp/serverless.yml: skipped: a Serverless Framework service for provider 'google', not AWS",
        "note: repo/package.json: skipped: not a SAM/CloudFormation template or serverless.yml",
        # the service's ${file()} settings are YAML files too
        "note: repo/todo-serverless/config/dev.yml: skipped: not a SAM/CloudFormation template or serverless.yml",
        "note: repo/todo-serverless/config/prod.yml: skipped: not a SAM/CloudFormation template or serverless.yml",
        "note: repo/workflows/ci.yml: skipped: not a SAM/CloudFormation template or serverless.yml",
    ]
    assert main(["assess", str(mixed), "-f", "json", "-q"]) == 0
    quiet = capsys.readouterr()
    assert quiet.err == "" and json.loads(quiet.out) == report  # --quiet: only errors on stderr
    summary = report["summary"]
    assert summary == {
        "templates": 2,
        "resources": 19,
        "functions": 11,
        "functionApps": 4,
        "azureResources": 68,
        # todo-serverless: RemindersQueue has no RedrivePolicy (LF1005), and listTodos and createTodo get
        # getTodo's CORS in their shared app (LF3040): approximated, one warning each
        "dispositions": {"converted": 13, "approximated": 6, "manual": 0, "unsupported": 0},
        "findings": {"error": 0, "warning": 5, "info": 30, "suppressed": 0},
    }


def test_candidates_are_sorted_deduplicated_and_named_files_kept(mixed: Path) -> None:
    named = mixed / "README.md"
    found = candidate_files([mixed / "todo-serverless", mixed, named])
    assert [str(p) for p in found] == [
        "repo/todo-serverless/config/dev.yml",
        "repo/todo-serverless/config/prod.yml",
        "repo/todo-serverless/serverless.yml",
        "repo/chart.yaml",
        "repo/gcp/serverless.yml",
        "repo/orders-api/template.yaml",
        "repo/package.json",
        "repo/workflows/ci.yml",
        "repo/README.md",  # named on the command line: looked at whatever its suffix
    ]


def test_a_broken_template_fails_the_run(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mixed / "orders-api" / "template.yaml").write_text("Resources:\n  A: [\n", encoding="utf-8")
    (mixed / "stack.json").write_text('{"AWSTemplateFormatVersion": "2010-09-09"}\n', encoding="utf-8")
    out = Path("out")
    assert main(["assess", str(mixed), "-f", "md", "-f", "json", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    # every broken template is reported, then nothing is written
    assert "error: repo/orders-api/template.yaml:3: not valid YAML or JSON" in err
    assert (
        "error: repo/stack.json:1: not a CloudFormation or SAM template: there is no Resources section" in err
    )
    assert not out.exists()


def test_no_template_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ci.yml").write_text("name: ci\n", encoding="utf-8")
    assert main(["assess", str(tmp_path)]) == 2
    assert "error: no SAM/CloudFormation template or serverless.yml found in" in capsys.readouterr().err
    assert main(["assess", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'missing'}: no such file or directory\n"


def test_library_call(in_project: None) -> None:
    result = assess([Path(ORDERS), Path(TODO)], ignore=("LF1002",))
    assert [p.source_file for p in result.plans] == [ORDERS, TODO]
    assert result.exit_code("warning") == 1  # LF1005, LF5012 remain
    assert assess([Path(ORDERS)], ignore=("LF1", "LF5012")).exit_code("warning") == 0


# ---- outputs


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [("md", "migration-report.md"), ("json", "migration-report.json"), ("sarif", "migration-report.sarif")],
)
def test_one_template_to_stdout_matches_convert(
    in_project: None, fmt: str, golden: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assess", ORDERS, "-f", fmt]) == 0
    captured = capsys.readouterr()
    assert captured.out == _golden("orders-api", golden)
    assert captured.err == ""


def test_default_format_is_markdown(in_project: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", TODO]) == 0
    assert capsys.readouterr().out == _golden("todo-serverless", "migration-report.md")


def test_output_file_for_one_format(
    in_project: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "reports" / "orders.json"
    assert main(["assess", ORDERS, "-f", "json", "-f", "json", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == _golden("orders-api", "migration-report.json")
    assert [p.name for p in target.parent.iterdir()] == ["orders.json"]
    out = capsys.readouterr().out
    assert "5 functions in 2 function apps; findings: 0 error, 2 warning, 19 info" in out
    assert out.endswith(f"wrote {target}\n")


def test_output_directory_for_one_format_when_it_exists(in_project: None, tmp_path: Path) -> None:
    assert main(["assess", ORDERS, "-f", "sarif", "-o", str(tmp_path), "-q"]) == 0
    assert (tmp_path / "migration-report.sarif").read_text() == _golden(
        "orders-api", "migration-report.sarif"
    )


def test_output_directory_for_several_formats(in_project: None, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["assess", ORDERS, "-f", "md", "-f", "json", "-f", "sarif", "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "migration-report.json",
        "migration-report.md",
        "migration-report.sarif",
    ]
    for name in ("migration-report.md", "migration-report.json", "migration-report.sarif"):
        assert (out / name).read_text(encoding="utf-8") == _golden("orders-api", name)
    # a second run replaces the reports (CI re-runs) and leaves no temporary files
    assert main(["assess", ORDERS, "-f", "md", "-f", "json", "-f", "sarif", "-o", str(out), "-q"]) == 0
    assert len(list(out.iterdir())) == 3


def test_output_usage_errors(in_project: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", ORDERS, "-f", "md", "-f", "json"]) == 2
    assert "several formats need -o DIRECTORY" in capsys.readouterr().err
    a_file = tmp_path / "taken"
    a_file.write_text("mine", encoding="utf-8")
    assert main(["assess", ORDERS, "-f", "md", "-f", "json", "-o", str(a_file)]) == 2
    assert f"error: {a_file} is not a directory" in capsys.readouterr().err
    assert a_file.read_text() == "mine"
    assert main(["assess", ORDERS, "-f", "pdf"]) == 2


def test_html_matches_convert(in_project: None, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["assess", ORDERS, "-f", "md", "-f", "html", "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["migration-report.html", "migration-report.md"]
    assert (out / "migration-report.html").read_text(encoding="utf-8") == _golden(
        "orders-api", "migration-report.html"
    )


def test_html_several_templates_one_page(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(mixed / "orders-api"), str(mixed / "todo-serverless"), "-f", "html"]) == 0
    page = capsys.readouterr().out
    assert page.count("<section id=") == 2
    assert '<a href="#t1">orders-api</a>' in page


def test_several_templates_markdown(mixed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["assess", str(mixed / "orders-api"), str(mixed / "todo-serverless"), "--ignore", "LF5012"]) == 0
    )
    md = capsys.readouterr().out
    assert md.startswith("# Migration assessment: 2 templates\n")
    assert "| Templates | 2 |" in md
    assert "| `repo/orders-api/template.yaml` | sam | 8 | 5 | 2 | 0 | 1 | 19 | 1 |" in md
    assert "| `repo/todo-serverless/serverless.yml` | serverless | 11 | 6 | 2 | 0 | 3 | 11 | 0 |" in md
    # each template's report, one heading level down
    assert "\n## Migration report: orders-api\n" in md and "\n### Summary\n" in md
    assert "\n#### CreateOrderFunction (approximated)\n" in md
    # the suppressed finding is still listed, marked, after the ones that count
    rows = [line for line in md.splitlines() if line.startswith("| LF")]
    suppressed = [r for r in rows if "suppressed" in r]
    assert len(suppressed) == 1 and suppressed[0].startswith("| LF5012 | warning, suppressed |")
    assert rows.index(suppressed[0]) == 20  # the last of orders-api's 21 findings


def test_suppressed_findings_stay_in_reports(in_project: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", ORDERS, "-f", "json", "--ignore", "LF5012", "--fail-on", "warning"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["suppressed"]) for f in report["findings"] if f["suppressed"]] == [("LF5012", True)]
    assert len(report["findings"]) == 21
    assert report["summary"]["findings"] == {"error": 0, "warning": 1, "info": 19, "suppressed": 1}
    assert main(["assess", ORDERS, "--ignore", "LF5012"]) == 0
    md = capsys.readouterr().out
    assert "| Findings: warning | 1 |" in md and "| Findings suppressed (ignored rules) | 1 |" in md
    assert "| LF5012 | warning, suppressed | samples/orders-api/template.yaml:61 |" in md


def test_stage_and_region_reach_serverless(in_project: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", TODO, "-f", "json", "--stage", "prod", "--region", "eu-west-1"]) == 0
    prod = capsys.readouterr().out
    assert main(["assess", TODO, "-f", "json"]) == 0
    assert prod != capsys.readouterr().out


def test_reports_are_deterministic(mixed: Path, tmp_path: Path) -> None:
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        assert (
            main(["assess", str(mixed), "-f", "md", "-f", "json", "-f", "sarif", "-o", str(out), "-q"]) == 0
        )
        runs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert runs[0] == runs[1]
    assert b"Utc" not in runs[0]["migration-report.sarif"]


# ---- convert writes SARIF beside the other reports


def test_convert_writes_sarif(in_project: None, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["convert", ORDERS, "-o", str(out), "-q"]) == 0
    assert (out / "migration-report.sarif").read_text() == _golden("orders-api", "migration-report.sarif")


# ---- the GitHub Action and the pre-commit hook


def _action() -> dict:
    return yaml.safe_load((PROJECT / "action.yml").read_text(encoding="utf-8"))


def test_action_shape() -> None:
    action = _action()
    assert set(action["inputs"]) >= {"command", "path", "fail-on", "args"}
    assert action["inputs"]["command"]["default"] == "assess"
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    install = next(step for step in steps if step.get("name") == "Install lambda2func")
    assert (
        "pip install" in install["run"] and install["env"]["L2F_ACTION_PATH"] == "${{ github.action_path }}"
    )
    upload = next(
        step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")
    )
    assert upload["with"]["sarif_file"] == "${{ steps.run.outputs.sarif }}"
    assert "always()" in upload["if"]
    # inputs go through env, never straight into a script
    for step in steps:
        assert "${{ inputs." not in step.get("run", ""), step.get("name")
    # the upload comes before the step that fails the job, so findings still reach code scanning
    assert uses.index(upload["uses"]) < len(steps) - 1
    assert steps[-1]["if"] == "${{ steps.run.outputs.exit-code != '0' }}"


def _run_action_script(tmp_path: Path, env: dict[str, str]) -> tuple[int, dict[str, str]]:
    """Run the action's main step as GitHub would (bash -e), with `lambda2func` from this checkout."""
    script = next(step for step in _action()["runs"]["steps"] if step.get("id") == "run")["run"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "lambda2func"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m translator.cli "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    outputs = tmp_path / "github_output"
    outputs.write_text("", encoding="utf-8")
    full_env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(PROJECT),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "L2F_FAIL_ON": "",
        "L2F_ARGS": "",
        **env,
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=PROJECT,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return done.returncode, values


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_action_script_assesses_and_keeps_the_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, values = _run_action_script(
        tmp_path,
        {
            "L2F_COMMAND": "assess",
            "L2F_PATH": f"{ORDERS} {TODO}",
            "L2F_FAIL_ON": "warning",
            "L2F_ARGS": "--ignore LF2005",
            "L2F_OUTPUT": str(out),
        },
    )
    assert code == 0, "the step itself succeeds so that the SARIF upload runs"
    assert values == {"sarif": f"{out}/migration-report.sarif", "exit-code": "1"}
    sarif = json.loads((out / "migration-report.sarif").read_text())
    assert "LF2005" not in {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert (tmp_path / "summary.md").read_text().startswith("# Migration assessment: 2 templates")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_action_script_converts_and_reports_bad_usage(tmp_path: Path) -> None:
    out = tmp_path / "project"
    code, values = _run_action_script(
        tmp_path, {"L2F_COMMAND": "convert", "L2F_PATH": ORDERS, "L2F_OUTPUT": str(out)}
    )
    assert (code, values) == (0, {"sarif": f"{out}/migration-report.sarif", "exit-code": "0"})
    assert (out / "infra" / "main.bicep").is_file()
    code, values = _run_action_script(
        tmp_path,
        {"L2F_COMMAND": "convert", "L2F_PATH": f"{ORDERS} {TODO}", "L2F_OUTPUT": str(tmp_path / "x")},
    )
    assert (code, values) == (0, {"exit-code": "2"})


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "lambda2func-assess")
    assert hook["language"] == "python"
    assert hook["entry"].split() == ["lambda2func", "assess", "--fail-on", "error"]
    files = re.compile(hook["files"])
    for name in (
        "template.yaml",
        "app/template.yml",
        "serverless.yml",
        "svc/serverless.json",
        "stack.template",
    ):
        assert files.search(name), name
    for name in (".github/workflows/ci.yml", "mytemplate.yaml", "package.json", "template.yaml.bak"):
        assert not files.search(name), name


def test_pre_commit_entry_runs(in_project: None, capsys: pytest.CaptureFixture[str]) -> None:
    hook = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    args = hook["entry"].split()[1:]
    assert main([*args, ORDERS, TODO]) == 0  # no error findings in the samples
    assert capsys.readouterr().out.startswith("# Migration assessment: 2 templates")


def test_reports_are_readable_like_any_new_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # written through a temporary file (mkstemp makes it 0o600), then given the mode open() would give
    old = os.umask(0o022)
    try:
        monkeypatch.chdir(tmp_path)
        assert main(["assess", str(PROJECT / ORDERS), "-f", "md", "-f", "json", "-o", "reports"]) == 0
        assert main(["assess", str(PROJECT / ORDERS), "-f", "sarif", "-o", "one.sarif"]) == 0
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [*Path("reports").iterdir(), Path("one.sarif")]}
    assert modes == {"migration-report.md": 0o644, "migration-report.json": 0o644, "one.sarif": 0o644}
