"""Lines of keys in a YAML or JSON text, for messages about documents read without a line-keeping loader."""

from __future__ import annotations

import re
from typing import Any

import yaml


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line of every mapping key and list item by its path (empty when YAML cannot read it).

    >>> key_lines('{\\n  "a": {"b": 1},\\n  "c": [1,\\n 2]\\n}')
    {('a',): 2, ('a', 'b'): 2, ('c',): 3, ('c', '0'): 3, ('c', '1'): 4}
    >>> key_lines('{\\n\\t"a": {\\n\\t\\t"b": 1\\n\\t}\\n}')
    {('a',): 2, ('a', 'b'): 3}
    """
    if text.lstrip().startswith(("{", "[")):
        # JSON allows tabs as whitespace, YAML not as indentation; a raw tab cannot be inside a JSON string
        text = text.replace("\t", " ")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # not YAML (nor JSON): messages then lack lines
        return {}
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                lines.setdefault(child, key.start_mark.line + 1)
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                lines.setdefault((*path, str(index)), value.start_mark.line + 1)
                walk(value, (*path, str(index)))

    walk(root, ())
    return lines


def toml_table_key_lines(text: str, table: str) -> dict[str, int]:
    """The 1-based line of each ``key = value`` of one TOML table (``[tool.lambda2func]``), by key.

    TOML parsers keep no positions; a line scan is enough for the flat tables settings files use.

    >>> toml_table_key_lines('[project]\\nname = "x"\\n[tool.lambda2func]\\nfail-on = "error"\\n"ignore" = []\\n', "tool.lambda2func")
    {'fail-on': 4, 'ignore': 5}
    """
    lines: dict[str, int] = {}
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        header = _TOML_HEADER.match(line)
        if header:
            inside = re.sub(r"\s+", "", header.group(1)) == table
            continue
        key = _TOML_KEY.match(line) if inside else None
        if key:
            lines.setdefault(key.group(2), number)
    return lines


_TOML_HEADER = re.compile(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")
_TOML_KEY = re.compile(r"""^\s*(["']?)([A-Za-z0-9_-]+)\1\s*=""")


def nearest_line(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    """The line of `path`, else of its nearest ancestor that has one."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
