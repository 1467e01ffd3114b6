"""Rewrite the golden expectations from the current code. Review the diff line by line afterwards."""

from __future__ import annotations

import io
import os
import shutil
import sys
from contextlib import redirect_stderr
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import CONVERT_CASES, GOLDEN, PROJECT, error_cases

from translator.api import convert
from translator.cli import main


def regenerate() -> None:
    os.chdir(PROJECT)
    for name, template in CONVERT_CASES.items():
        result = convert(Path(template), display_name=template)
        expected = GOLDEN / name / "expected"
        shutil.rmtree(expected, ignore_errors=True)
        for relative, text in result.files.items():
            target = expected / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        print(f"{name}: {len(result.files)} files")
    for name, source in error_cases().items():
        err = io.StringIO()
        with redirect_stderr(err):
            code = main(["convert", source, "-o", str(GOLDEN / name / "never-written")])
        (GOLDEN / name / "expected-error.txt").write_text(err.getvalue(), encoding="utf-8")
        print(f"{name}: exit {code}")


if __name__ == "__main__":
    regenerate()
