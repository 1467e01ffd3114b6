"""host.json checks: the SchemaStore schema (its version-2 definition) plus the extension bundle."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

BUNDLE_ID = "Microsoft.Azure.Functions.ExtensionBundle"
_RANGE = re.compile(r"^[\[(]\s*\d+(\.(\d+|\*))*\s*,\s*\d+(\.\d+)*\s*[\])]$")


def host_json_problems(document: Any, schema: dict[str, Any], name: str = "host.json") -> list[str]:
    """Messages for everything wrong with one host.json document (empty when it is valid)."""
    import jsonschema

    # validating against definitions/version-2 directly gives readable messages (the root is a oneOf)
    target = {"$ref": "#/definitions/version-2", "definitions": schema.get("definitions", {})}
    validator = jsonschema.Draft7Validator(target)
    problems = [
        f"{name}: {'/'.join(str(p) for p in error.absolute_path) or '(top level)'}: {_short(error)}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]
    bundle = document.get("extensionBundle") if isinstance(document, dict) else None
    if isinstance(bundle, dict):
        if bundle.get("id") != BUNDLE_ID:
            problems.append(f"{name}: extensionBundle/id: expected {BUNDLE_ID!r}, found {bundle.get('id')!r}")
        if not isinstance(bundle.get("version"), str) or not _RANGE.match(bundle["version"]):
            problems.append(
                f"{name}: extensionBundle/version: {bundle.get('version')!r} is not a version range"
            )
    return problems


def _short(error: Any) -> str:
    # oneOf/anyOf messages embed whole sub-schemas; say what failed instead
    if error.validator in ("oneOf", "anyOf"):
        matched = "more than one" if error.validator == "oneOf" and not error.context else "none"
        return f"matches {matched} of the allowed shapes ({error.validator})"
    message = str(error.message)
    return message if len(message) <= 300 else message[:297] + "..."


def check_host_json(path: Path, schema_path: Path) -> list[str]:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{path}:{exc.lineno}: not valid JSON: {exc.msg}"]
    return host_json_problems(document, schema, str(path))
