"""mappings/attributes.yaml agrees with the services it describes and with the Bicep type data.

Every AWS type in the table is one that lambda2func maps (services.yaml names a handler for it), and
every ``{self|parent|grandparent.<path>}`` placeholder names a property that exists on the Azure
resource type in that role (the type of the counterpart, of its parent, of the parent's parent), read
from the Bicep type data in ../shared/schemas/bicep-types.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from translator.mapping.tables import Tables
from translator.validate.bicep import TypeData

TABLES = Tables.load()
ATTRIBUTES = TABLES.attributes["types"]
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _placeholders() -> list[tuple[str, str, str]]:
    """(AWS type, where in the table, placeholder path) for every placeholder but {logical_id}."""
    found = []
    for aws_type, spec in ATTRIBUTES.items():
        for section in ("attributes", "settings"):
            for key, template in spec.get(section, {}).items():
                for match in _PLACEHOLDER.finditer(template):
                    if match.group(1) != "logical_id":
                        found.append((aws_type, f"{section}.{key}", match.group(1)))
    return found


def _azure_type(aws_type: str) -> str:
    """The Azure type of {self}: the counterpart's, or the function app's for a resource that belongs to a
    function (via)."""
    if "via" in ATTRIBUTES[aws_type]:
        return "Microsoft.Web/sites"
    return TABLES.services["services"][aws_type]["azure"]


def test_every_type_is_one_lambda2func_maps() -> None:
    services = TABLES.services["services"]
    for aws_type, spec in ATTRIBUTES.items():
        if "via" in spec:
            continue  # it resolves through the function it belongs to
        assert services.get(aws_type, {}).get("handler"), aws_type


def _property_exists(types: TypeData, azure_type: str, path: list[str]) -> bool:
    ref = types.resource(azure_type, TABLES.api_version(azure_type))
    assert ref is not None, f"no type data for {azure_type}"
    node: dict[str, Any] = types.node(ref)
    file = ref.file
    if node["$type"] == "ResourceType":
        body = TypeData.ref(file, node["body"])
        node, file = types.node(body), body.file
    for name in path:
        if node.get("$type") != "ObjectType" or name not in node.get("properties", {}):
            return False
        child = TypeData.ref(file, node["properties"][name]["type"])
        node, file = types.node(child), child.file
    return True


@pytest.mark.parametrize(("aws_type", "where", "placeholder"), _placeholders())
def test_placeholder_names_a_property_of_the_azure_type(
    aws_type: str, where: str, placeholder: str, bicep_types_dir: Path
) -> None:
    types = TypeData.load(bicep_types_dir)
    role, *path = placeholder.split(".")
    segments = _azure_type(aws_type).split("/")
    depth = {"self": 0, "parent": 1, "grandparent": 2}[role]
    azure_type = "/".join(segments[: len(segments) - depth])
    assert _property_exists(types, azure_type, path), (
        f"{aws_type} {where}: {azure_type} has no {'.'.join(path)}"
    )
