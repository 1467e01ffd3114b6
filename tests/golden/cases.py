"""The golden cases: sample apps whose whole output is pinned, and bad inputs whose error is pinned.

Paths are relative to the project root, so that the source paths written into the output are stable.
``python tests/golden/regenerate.py`` rewrites the expected files; read every changed line before
committing them.
"""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent

#: case name -> template path (relative to the project root)
CONVERT_CASES = {
    "orders-api": "samples/orders-api/template.yaml",
    "image-pipeline": "samples/image-pipeline/template.json",
    "todo-serverless": "samples/todo-serverless/serverless.yml",
}


def error_cases() -> dict[str, str]:
    """case name -> input path, for every tests/golden/error_*/input.* file."""
    cases = {}
    for folder in sorted(GOLDEN.glob("error_*")):
        inputs = sorted(folder.glob("input.*"))
        if inputs:
            cases[folder.name] = str(inputs[0].relative_to(PROJECT))
    return cases
