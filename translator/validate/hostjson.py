"""host.json checks.

Always (no schema needed): the file parses as JSON, is an object, ``version`` is "2.0", ``functionTimeout``
has the host.json schema's format, and ``extensionBundle`` names the bundle with a version range. With the
SchemaStore schema (its version-2 definition) every other property is checked too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from translator.keylines import key_lines as _key_lines
from translator.keylines import nearest_line as _nearest_line

BUNDLE_ID = "Microsoft.Azure.Functions.ExtensionBundle"
# the host.json schema's examples name both; the preview bundle is a real, published bundle
BUNDLE_IDS = (BUNDLE_ID, BUNDLE_ID + ".Preview")
_RANGE = re.compile(r"^[\[(]\s*\d+(\.(\d+|\*))*\s*,\s*\d+(\.\d+)*\s*[\])]$")
# the host.json schema's definitions/functionTimeout: -1 (unbounded) or hh:mm:ss up to 23:59:59
_TIMEOUT = re.compile(r"^(-1|(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d)$")


def builtin_problems(document: Any, name: str = "host.json", text: str | None = None) -> list[str]:
    """The structural facts checked without the schema, each as ``name:line: path: what is wrong``.

    >>> builtin_problems({"version": "2.0", "functionTimeout": "00:10:00"})
    []
    >>> builtin_problems({"version": "3.0"})
    ["host.json: version: must be '2.0', found '3.0'"]
    """
    lines = _key_lines(text) if text is not None else {}

    def problem(path: tuple[str, ...], message: str) -> str:
        line = lines.get(path) or lines.get(path[:1])
        where = f"{name}:{line}" if line else name
        return f"{where}: {'/'.join(path) or '(top level)'}: {message}"

    if not isinstance(document, dict):
        return [problem((), f"must be a JSON object, found {type(document).__name__}")]
    problems = []
    if "version" not in document:
        problems.append(problem((), '\'version\' is missing (host.json needs "version": "2.0")'))
    elif document["version"] != "2.0":
        problems.append(problem(("version",), f"must be '2.0', found {document['version']!r}"))
    timeout = document.get("functionTimeout")
    if timeout is not None and not (isinstance(timeout, str) and _TIMEOUT.match(timeout)):
        problems.append(
            problem(("functionTimeout",), f"{timeout!r} is not hh:mm:ss between 00:00:00 and 23:59:59, or -1")
        )
    if "extensionBundle" in document:
        problems += [
            problem(path, message) for path, message in _bundle_problems(document["extensionBundle"])
        ]
    return problems


def _bundle_problems(bundle: Any) -> list[tuple[tuple[str, ...], str]]:
    here = ("extensionBundle",)
    if not isinstance(bundle, dict):
        return [(here, f"must be an object with id and version, found {type(bundle).__name__}")]
    problems = []
    if bundle.get("id") not in BUNDLE_IDS:
        problems.append(((*here, "id"), f"expected {BUNDLE_ID!r}, found {bundle.get('id')!r}"))
    version = bundle.get("version")
    if not isinstance(version, str) or not _RANGE.match(version):
        problems.append(((*here, "version"), f"{version!r} is not a version range such as '[4.*, 5.0.0)'"))
    for key in sorted(set(bundle) - {"id", "version"}):
        problems.append(((*here, key), "is not an extensionBundle property (only id and version are)"))
    return problems


def host_json_problems(
    document: Any, schema: dict[str, Any], name: str = "host.json", text: str | None = None
) -> list[str]:
    """Messages for everything wrong with one host.json document (empty when it is valid)."""
    import jsonschema

    problems = builtin_problems(document, name, text)
    # the schema repeats what the built-in checks say about these keys: report each fact once
    covered = {"version", "functionTimeout", "extensionBundle"} if isinstance(document, dict) else None
    if covered is None:
        return problems
    lines = _key_lines(text) if text is not None else {}
    # validating against definitions/version-2 directly gives readable messages (the root is a oneOf)
    target = {"$ref": "#/definitions/version-2", "definitions": schema.get("definitions", {})}
    validator = jsonschema.Draft7Validator(target)
    for error in sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(str(p) for p in error.absolute_path)
        if (path[:1] and path[0] in covered) or (not path and error.validator == "required"):
            continue
        for where_path, message in _located(error, path):
            line = _nearest_line(lines, where_path)
            where = f"{name}:{line}" if line else name
            problems.append(f"{where}: {'/'.join(where_path) or '(top level)'}: {message}")
    return problems


def _located(error: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    """Where one schema error points: an unexpected property at its own key (one problem each), else the path."""
    if (
        error.validator == "additionalProperties"
        and error.validator_value is False
        and isinstance(error.instance, dict)
    ):
        known = error.schema.get("properties", {})
        patterns = error.schema.get("patternProperties", {})
        extras = [
            str(key)
            for key in error.instance
            if key not in known and not any(re.search(pattern, str(key)) for pattern in patterns)
        ]
        if extras:
            return [
                ((*path, key), f"{key!r} is not allowed here (additional properties are not allowed)")
                for key in extras
            ]
    return [(path, _short(error))]


def _short(error: Any) -> str:
    # oneOf/anyOf messages embed whole sub-schemas; say what failed instead
    if error.validator in ("oneOf", "anyOf"):
        matched = "more than one" if error.validator == "oneOf" and not error.context else "none"
        return f"matches {matched} of the allowed shapes ({error.validator})"
    message = str(error.message)
    return message if len(message) <= 300 else message[:297] + "..."


def check_host_json(path: Path, schema: dict[str, Any] | None = None) -> list[str]:
    """Every problem of one host.json file; without a schema only the built-in checks run."""
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
    except UnicodeDecodeError as exc:
        return [f"{path}: not UTF-8 text ({exc.reason})"]
    except json.JSONDecodeError as exc:
        return [f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"]
    if schema is None:
        return builtin_problems(document, str(path), text)
    return host_json_problems(document, schema, str(path), text)
