"""Load the mapping tables (``mappings/*.yaml``) and validate each against its JSON Schema.

The tables ship inside the installed package as ``translator._mappings``; in a source checkout they are
read from ``mappings/`` at the top of the repository. A user file can extend or override them
(``Tables.load(overrides=...)``): its top-level sections are merged key by key over the built-in ones
and the result is validated by the same schemas.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from translator.keylines import key_lines, nearest_line

TABLE_NAMES = (
    "runtimes",
    "settings",
    "roles",
    "azure",
    "triggers",
    "services",
    "attributes",
    "iam",
    "sam_policy_templates",
)


class MappingTableError(Exception):
    """A mapping table that does not match its schema (exit code 2, like any bad input)."""


def data_dir() -> Path:
    """Where the mapping tables are: the installed package data, or the checkout's mappings/."""
    checkout = Path(__file__).resolve().parents[2] / "mappings"
    if (checkout / "runtimes.yaml").is_file():
        return checkout
    return Path(str(resources.files("translator._mappings")))


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        # libyaml's loader where available: the tables are read on every run
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _validate(name: str, data: Any, source: str, overrides: Path | None = None) -> None:
    """Raise on the first schema error; for a user's overrides file, at the line that caused it."""
    import jsonschema  # deferred: only needed when tables are loaded

    schema = json.loads((data_dir() / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        if overrides is not None:
            # the merged table's path; the nearest key the user's file has is where to look
            lines = key_lines(overrides.read_text(encoding="utf-8"))
            path = (name, *(str(p) for p in first.absolute_path))
            line = nearest_line(lines, path)
            source = f"{overrides}:{line}" if line else str(overrides)
            where = f"{name}/{where}" if first.absolute_path else name
        raise MappingTableError(f"{source}: {where}: {first.message}{more}")


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class Tables:
    runtimes: dict[str, Any]
    settings: dict[str, Any]
    roles: dict[str, Any]
    azure: dict[str, Any]
    triggers: dict[str, Any]
    services: dict[str, Any]
    attributes: dict[str, Any]
    iam: dict[str, Any]
    sam_policy_templates: dict[str, Any]

    @staticmethod
    def load(overrides: Path | None = None) -> Tables:
        if overrides is None:
            return _builtin()
        try:
            extra = _read_yaml(overrides) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise MappingTableError(f"{overrides}: cannot read the mapping overrides: {exc}") from None
        if not isinstance(extra, dict) or not set(extra) <= set(TABLE_NAMES):
            unknown = sorted(set(extra) - set(TABLE_NAMES)) if isinstance(extra, dict) else []
            line = (
                key_lines(overrides.read_text(encoding="utf-8")).get((str(unknown[0]),)) if unknown else None
            )
            where = f"{overrides}:{line}" if line else str(overrides)
            close = difflib.get_close_matches(str(unknown[0]), TABLE_NAMES, n=1) if unknown else []
            hint = f"; did you mean '{close[0]}'?" if close else ""
            found = f" ('{unknown[0]}' is not one{hint})" if unknown else ""
            raise MappingTableError(
                f"{where}: the overrides must be a mapping with keys among {', '.join(TABLE_NAMES)}{found}"
            )
        base = _builtin()
        tables = {}
        for name in TABLE_NAMES:
            data = getattr(base, name)
            if name in extra:
                data = _merge(data, extra[name])
                _validate(name, data, str(overrides), overrides)
            tables[name] = data
        return Tables(**tables)

    # convenient typed views ------------------------------------------------------------------
    def api_version(self, azure_type: str) -> str:
        return str(self.azure["api_versions"][azure_type])

    def prefix(self, azure_type: str) -> str:
        return str(self.azure["abbreviations"].get(azure_type, ""))

    def role_id(self, role: str) -> str:
        return str(self.roles["roles"][role])

    def cosmos_role_id(self, role: str) -> str:
        return str(self.roles["cosmos_roles"][role])


@lru_cache(maxsize=1)
def _builtin() -> Tables:
    directory = data_dir()
    tables = {}
    for name in TABLE_NAMES:
        path = directory / f"{name}.yaml"
        data = _read_yaml(path)
        _validate(name, data, str(path))
        tables[name] = data
    return Tables(**tables)
