"""Mapping tables are data validated by JSON Schema, and they agree with the code and the type data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from translator.mapping.core import map_graph
from translator.mapping.services import Services
from translator.mapping.tables import TABLE_NAMES, MappingTableError, Tables, data_dir
from translator.mapping.triggers import Triggers


def test_builtin_tables_validate() -> None:
    tables = Tables.load()
    assert set(tables.runtimes["runtimes"]) >= {
        "python3.12",
        "nodejs20.x",
        "java21",
        "dotnet8",
        "provided.al2023",
    }


def test_every_table_has_a_schema() -> None:
    for name in TABLE_NAMES:
        schema = json.loads((data_dir() / "schemas" / f"{name}.schema.json").read_text())
        assert schema["$schema"].startswith("http://json-schema.org/draft-07")


@pytest.mark.parametrize(
    ("override", "where"),
    [
        (
            "triggers:\n  triggers:\n    sqs: {azure_target: x, handler: nosuch, azure_trigger: t}\n",
            "triggers/sqs/handler",
        ),
        ("settings:\n  flex: {maximum_instance_count: 5000}\n", "settings"),
        ("roles:\n  roles: {Reader: not-a-guid}\n", "roles/Reader"),
        ("azure:\n  api_versions: {Microsoft.Web/sites: 'latest'}\n", "api_versions/Microsoft.Web/sites"),
        ("servces: {}\n", "keys among"),
    ],
)
def test_bad_overrides_are_refused(tmp_path: Path, override: str, where: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(override)
    with pytest.raises(MappingTableError, match=where.split("/")[0]):
        Tables.load(path)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "# ours\ntriggers:\n  triggers:\n    sqs: {azure_target: x, handler: nosuch, azure_trigger: t}\n",
            ":4: triggers/triggers/sqs/handler: 'nosuch' is not one of",
        ),
        (
            "settings:\n  flex:\n    maximum_instance_count: 5000\n",
            ":3: settings/flex/maximum_instance_count: 5000",
        ),
        ("runtimes: {}\n\nservces: {}\n", ":3: the overrides must be a mapping with keys among"),
    ],
)
def test_bad_overrides_name_the_line_in_the_users_file(tmp_path: Path, override: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(override)
    with pytest.raises(MappingTableError) as caught:
        Tables.load(path)
    assert str(caught.value).startswith(f"{path}{message}")
    if "servces" in override:
        assert "('servces' is not one; did you mean 'services'?)" in str(caught.value)


def test_every_schema_error_of_an_override_is_counted(tmp_path: Path) -> None:
    """The first error at its line, then how many others: 7 in all (3.11: 2, 3.12: 1, 3.13: 2 required + 1, 3.99: 1)."""
    path = tmp_path / "m.yaml"
    path.write_text(
        "runtimes:\n  runtimes:\n"
        "    python3.12: {name: python, version: '3.12', status: bogus, reason: x}\n"
        "    python3.11: {name: 7, version: '3.11', status: wrong}\n"
        "    python3.13: {status: nope}\n"
        "    python3.99: {name: python, version: 3, status: same}\n"
    )
    with pytest.raises(MappingTableError) as caught:
        Tables.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:4: runtimes/runtimes/python3.11/name: 7 is not one of ")
    assert message.endswith(" (and 6 more)")


def test_handlers_named_in_data_exist_in_code() -> None:
    tables = Tables.load()
    trigger_handlers = {spec["handler"] for spec in tables.triggers["triggers"].values() if "handler" in spec}
    service_handlers = {spec["handler"] for spec in tables.services["services"].values() if "handler" in spec}

    class _Stub:
        tables = Tables.load()

    assert trigger_handlers <= set(Triggers(_Stub(), None, None).handlers)  # type: ignore[arg-type]
    assert service_handlers - {"function"} <= set(Services(_Stub(), None).handlers)  # type: ignore[arg-type]


def test_trigger_roles_exist() -> None:
    tables = Tables.load()
    for spec in tables.triggers["triggers"].values():
        for role in spec.get("roles", []):
            assert role in tables.roles["roles"]


def test_pinned_api_versions_have_type_data(bicep_types_dir: Path) -> None:
    index = json.loads((bicep_types_dir / "index.json").read_text())["resources"]
    tables = Tables.load()
    missing = [f"{t}@{v}" for t, v in tables.azure["api_versions"].items() if f"{t}@{v}" not in index]
    assert missing == []


def test_role_ids_match_the_research_table(shared_dir: Path) -> None:
    """Every role GUID in roles.yaml appears next to its role name in research/azure-target.md."""
    text = (shared_dir / "research" / "azure-target.md").read_text()
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 2:
            rows[cells[0]] = cells[1]
    tables = Tables.load()
    for name, guid in {**tables.roles["roles"], **tables.roles["cosmos_roles"]}.items():
        assert guid in rows.get(name, "") or guid in text, name


def test_emitted_types_are_all_pinned() -> None:
    from tests.golden.cases import CONVERT_CASES, PROJECT
    from translator.api import parse

    tables = Tables.load()
    for template in CONVERT_CASES.values():
        plan = map_graph(parse(PROJECT / template))
        for resource in plan.resources:
            assert resource.api_version == tables.azure["api_versions"][resource.type]


def test_yaml_files_parse_as_plain_yaml() -> None:
    for name in TABLE_NAMES:
        assert isinstance(yaml.safe_load((data_dir() / f"{name}.yaml").read_text()), dict)
