"""inventory.json: its marker, its JSON Schema (shipped in the package) and the check on write and read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

KIND = "lambda2func.inventory"
SCHEMA_VERSION = "1.0"
SCHEMA_FILE = f"inventory-{SCHEMA_VERSION}.schema.json"


def looks_like_inventory(data: Any) -> bool:
    """``data`` (a mapping) carries the inventory's kind marker.

    >>> looks_like_inventory({"kind": "lambda2func.inventory", "schemaVersion": "1.0"})
    True
    >>> looks_like_inventory({"Resources": {}}), looks_like_inventory([1])
    (False, False)
    """
    return isinstance(data, Mapping) and data.get("kind") == KIND


@lru_cache(maxsize=1)
def inventory_schema() -> dict[str, Any]:
    from importlib import resources

    text = resources.files("translator").joinpath("schemas", SCHEMA_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


def schema_errors(document: Any, limit: int = 5) -> list[tuple[list[Any], str]]:
    """(path, message) of the first problems of ``document`` against the schema; [] when it is valid."""
    import jsonschema

    if isinstance(document, dict) and document.get("schemaVersion") not in (None, SCHEMA_VERSION):
        return [
            (
                ["schemaVersion"],
                f"schemaVersion {document['schemaVersion']!r} is not supported "
                f"(this lambda2func reads {SCHEMA_VERSION})",
            )
        ]
    validator = jsonschema.Draft7Validator(inventory_schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    return [(list(e.absolute_path), e.message) for e in errors[:limit]]


def render(document: dict[str, Any]) -> str:
    """The file's text: stable key order as built, two-space indent, UTF-8, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
