"""Render an AzurePlan as main.bicep and main.parameters.json.

The Jinja2 template (``bicep_templates/main.bicep.j2``) lays out the file; every value in it passes
through a filter backed by ``translator.bicep.render``. The environment's ``finalize`` rejects any
value that reaches the output without one of those filters, so unescaped text cannot slip in.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from translator import bicep
from translator.plan import AzurePlan

_TYPES = frozenset({"string", "int", "bool", "array", "object"})
_EMPTY = {"string": "''", "int": "0", "bool": "false", "array": "[]", "object": "{}"}


class _Safe(str):
    """Text produced by a filter; the only kind of value finalize lets through."""


def templates_dir() -> Path:
    checkout = Path(__file__).resolve().parents[2] / "bicep_templates"
    if (checkout / "main.bicep.j2").is_file():
        return checkout
    return Path(str(resources.files("translator._bicep_templates")))


def _finalize(value: Any) -> str:
    if isinstance(value, _Safe):
        return value
    raise bicep.RenderError(f"template printed {value!r} without a Bicep filter")


def _ident(name: str) -> _Safe:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise bicep.RenderError(f"invalid Bicep identifier {name!r}")
    return _Safe(name)


def _typename(name: str) -> _Safe:
    if name not in _TYPES:
        raise bicep.RenderError(f"unknown Bicep type {name!r}")
    return _Safe(name)


def _condition(expr: Any) -> _Safe:
    return _Safe("" if expr is None else f"if ({bicep.render(expr)}) ")


@lru_cache(maxsize=1)
def _environment() -> Any:
    import jinja2  # deferred: only the convert path renders templates

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        bicep=lambda v: _Safe(bicep.render(v)),
        ident=_ident,
        typename=_typename,
        comment=lambda v: _Safe(bicep.comment_text(v)),
        condition=_condition,
        emptyvalue=lambda t: _Safe(_EMPTY[t]),
    )
    return env


def render_main(plan: AzurePlan) -> str:
    text = _environment().get_template("main.bicep.j2").render(plan=plan)
    # collapse the blank lines left by empty sections, for a stable, readable layout
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def render_parameters(plan: AzurePlan) -> str:
    """main.parameters.json in the azd form (``${AZURE_ENV_NAME}`` is substituted by azd)."""
    values = {
        p.name: {"value": p.parameters_file_value} for p in plan.params if p.parameters_file_value is not None
    }
    document = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "contentVersion": "1.0.0.0",
        "parameters": values,
    }
    return json.dumps(document, indent=2) + "\n"
