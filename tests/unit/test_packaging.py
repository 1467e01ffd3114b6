"""The installed package carries its data: every package directory is importable and every data file
matches a package-data pattern (a non-editable install once lost mappings/ this way)."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

import pytest

from tests.golden.cases import PROJECT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")


def _setuptools() -> dict:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _directory(package: str, package_dir: dict[str, str]) -> Path:
    if package in package_dir:
        return PROJECT / package_dir[package]
    parent, _, leaf = package.rpartition(".")
    return _directory(parent, package_dir) / leaf


def test_every_listed_package_is_a_regular_package() -> None:
    config = _setuptools()
    for package in config["packages"]:
        directory = _directory(package, config.get("package-dir", {}))
        assert (directory / "__init__.py").is_file(), (
            f"{directory} needs an __init__.py to install as {package}"
        )


def test_every_subpackage_of_translator_is_listed() -> None:
    listed = set(_setuptools()["packages"])
    for init in (PROJECT / "translator").rglob("__init__.py"):
        package = ".".join(init.parent.relative_to(PROJECT).parts)
        assert package in listed, f"{package} is missing from [tool.setuptools] packages"


@pytest.mark.parametrize(
    ("package", "folder", "suffixes"),
    [
        ("translator._mappings", "mappings", (".yaml", ".json")),
        ("translator._bicep_templates", "bicep_templates", (".j2",)),
        ("translator", "translator/schemas", (".json",)),
    ],
)
def test_data_files_match_package_data(package: str, folder: str, suffixes: tuple[str, ...]) -> None:
    config = _setuptools()
    patterns = config["package-data"][package]
    root = _directory(package, config.get("package-dir", {}))
    files = [p for p in (PROJECT / folder).rglob("*") if p.suffix in suffixes]
    assert files
    for path in files:
        relative = path.relative_to(root).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), (
            f"{relative} would not be installed"
        )
