"""Golden tests: the samples' whole output, byte for byte, and the exact error for bad inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.golden.cases import CONVERT_CASES, GOLDEN, PROJECT, error_cases
from translator.api import convert
from translator.cli import main


@pytest.fixture(autouse=True)
def _project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT)


def _expected_files(case: str) -> dict[str, str]:
    root = GOLDEN / case / "expected"
    return {
        str(p.relative_to(root)).replace(os.sep, "/"): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("case", sorted(CONVERT_CASES))
def test_output_matches_golden(case: str) -> None:
    template = CONVERT_CASES[case]
    result = convert(Path(template), display_name=template)
    expected = _expected_files(case)
    assert sorted(result.files) == sorted(expected)
    for relative, text in expected.items():
        assert result.files[relative] == text, f"{case}/{relative} differs (regenerate, then review the diff)"


@pytest.mark.parametrize("case", sorted(CONVERT_CASES))
def test_conversion_is_deterministic_and_has_no_side_effects(case: str) -> None:
    template = CONVERT_CASES[case]
    first = convert(Path(template), display_name=template).files
    others = [convert(Path(t), display_name=t) for t in CONVERT_CASES.values()]
    again = convert(Path(template), display_name=template).files
    assert others and first == again


@pytest.mark.parametrize("case", sorted(error_cases()))
def test_bad_input_error(case: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = main(["convert", error_cases()[case], "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == (GOLDEN / case / "expected-error.txt").read_text(encoding="utf-8")
    assert not out.exists(), "nothing may be written for bad input"


@pytest.mark.parametrize("case", sorted(CONVERT_CASES))
def test_golden_output_passes_the_validators(
    case: str, bicep_types_dir: Path, host_json_schema_path: Path
) -> None:
    import json

    from translator.validate.bicep import TypeData, check_bicep_text
    from translator.validate.hostjson import host_json_problems

    files = _expected_files(case)
    diagnostics = check_bicep_text(files["infra/main.bicep"], "main.bicep", TypeData.load(bicep_types_dir))
    assert [str(d) for d in diagnostics] == []
    schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    hosts = [path for path in files if path.endswith("host.json")]
    assert hosts
    for path in hosts:
        assert host_json_problems(json.loads(files[path]), schema, path) == []
