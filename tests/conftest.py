"""Shared fixtures: where ../shared lives, and skipping cleanly where it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: corpus, schemas and type data are read from ../shared")
    return SHARED


@pytest.fixture(scope="session")
def bicep_types_dir(shared_dir: Path) -> Path:
    return shared_dir / "schemas" / "bicep-types"


@pytest.fixture(scope="session")
def host_json_schema_path(shared_dir: Path) -> Path:
    return shared_dir / "schemas" / "host.json.schema.json"
