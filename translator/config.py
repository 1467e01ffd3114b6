"""Project settings for CI: which findings fail the run and which rules are ignored.

Settings come from ``.lambda2func.yaml`` in the current directory or, when that file is absent, from
``[tool.lambda2func]`` in ``./pyproject.toml``. Keys: ``fail-on`` (error | warning | info | never),
``ignore`` (rule ids or id prefixes such as ``LF3``) and ``mappings`` (a mapping-overrides YAML, relative
to the settings file). Command-line options win over the file: an option that is given replaces the
file's value, lists included, so a command line always says exactly what applies.

Ignoring a rule suppresses its findings, it does not hide them: they no longer decide the exit code and
are left out of SARIF, but the Markdown and JSON reports keep them, marked as suppressed (checkov's
"suppressions stay visible").

Every problem in a settings file is bad input (exit 2) naming the file and the line (YAML keeps the
lines; for pyproject.toml, whose parser keeps none, the keys of the table are found by a line scan). A
``mappings`` file that does not exist is reported at that key, with the directory it is relative to.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.load import InputError
from translator.values import Loc, Obj

YAML_FILE = ".lambda2func.yaml"
PYPROJECT_FILE = "pyproject.toml"
FAIL_LEVELS = ("error", "warning", "info", "never")
KEYS = ("fail-on", "ignore", "mappings")


class ConfigError(InputError):
    """A settings file or an --ignore value that cannot be used (exit code 2)."""


@dataclass(frozen=True)
class Config:
    """What a settings file says; None means the file does not set it."""

    fail_on: str | None = None
    ignore: tuple[str, ...] | None = None
    mappings: Path | None = None
    source: str | None = None  # the file the settings came from, for messages


@dataclass(frozen=True)
class Settings:
    """The settings in force for one run, after the command line has been applied over the file."""

    fail_on: str = "never"
    ignore: tuple[str, ...] = ()
    mappings: Path | None = None


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    options = list(choices)
    digits = word.upper().replace("O", "0")  # the commonest slip: a letter O for a zero
    close = [digits] if digits in options else difflib.get_close_matches(word, options, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_ignore(patterns: Iterable[str], where: str, loc: Loc | None = None) -> tuple[str, ...]:
    """Normalise rule ids or id prefixes (``LF3`` ignores every LF3xxx rule); refuse ones naming no rule.

    A pattern that matches nothing is almost always a typo, and silently ignoring nothing would let a
    CI gate pass or fail for the wrong reason, so it is an error with the closest id as a hint.
    """
    from translator.rules import RULES

    checked: list[str] = []
    for raw in patterns:
        pattern = str(raw).strip().upper()
        if not pattern or not any(rule.startswith(pattern) for rule in RULES):
            raise ConfigError(
                f"{where}: unknown rule '{raw}'{_did_you_mean(pattern, RULES)}; "
                "give a rule id such as LF3006 or an id prefix such as LF3",
                getattr(raw, "loc", None) or loc,
            )
        if pattern not in checked:
            checked.append(pattern)
    return tuple(checked)


def is_ignored(rule: str, patterns: Iterable[str]) -> bool:
    return any(rule.startswith(p) for p in patterns)


class _Where:
    """How a settings file names a place: ``FILE:LINE`` where YAML knows the line, else the file."""

    def __init__(self, source: str, locs: Any = None) -> None:
        self.source = source
        self.locs = locs  # key -> Loc: Obj.loc_of for YAML, a line scan of the table for TOML

    def error(self, message: str, key: str) -> ConfigError:
        loc = self.locs(key) if self.locs else None
        return ConfigError(message, loc) if loc else ConfigError(f"{self.source}: {message}")

    def prefix(self, key: str) -> str:
        """What check_ignore puts before its message: the key, and the file when there is no line."""
        return key if self.locs and self.locs(key) else f"{self.source}: {key}"


def _config_from(data: dict[str, Any], where: _Where, base: Path) -> Config:
    """Check the keys and values of a settings mapping (from YAML or TOML) and build the Config."""
    for key in data:
        if key not in KEYS:
            raise where.error(
                f"unknown key '{key}'{_did_you_mean(str(key), KEYS)}; the keys are {', '.join(KEYS)}", key
            )
    fail_on = data.get("fail-on")
    if fail_on is not None and (not isinstance(fail_on, str) or fail_on not in FAIL_LEVELS):
        raise where.error(
            f"fail-on must be one of {', '.join(FAIL_LEVELS)}, not {str(fail_on)!r}"
            f"{_did_you_mean(str(fail_on), FAIL_LEVELS)}",
            "fail-on",
        )
    ignore = data.get("ignore")
    if isinstance(ignore, str):
        ignore = [ignore]
    if ignore is not None and (
        not isinstance(ignore, (list, tuple)) or not all(isinstance(i, str) for i in ignore)
    ):
        raise where.error("ignore must be a list of rule ids or id prefixes", "ignore")
    mappings = data.get("mappings")
    if mappings is not None and not isinstance(mappings, str):
        raise where.error("mappings must be the path of a mapping-overrides YAML file", "mappings")
    if mappings and not (base / mappings).is_file():
        raise where.error(
            f"mappings: no such file {mappings} (resolved relative to {base.resolve()})", "mappings"
        )
    if ignore is not None:
        loc = where.locs("ignore") if where.locs else None
        ignore = check_ignore(ignore, where.prefix("ignore"), loc)
    return Config(
        fail_on=str(fail_on) if fail_on is not None else None,
        ignore=ignore,
        # relative to the settings file, so the file means the same whatever the working directory
        mappings=(base / mappings) if mappings else None,
        source=where.source,
    )


def _read_yaml(path: Path) -> Config:
    import yaml

    from translator.load import load_file

    name = str(path)
    try:
        # a file of comments only (or nothing) sets nothing; the loader would call it an empty document
        if yaml.safe_load(path.read_text(encoding="utf-8")) is None:
            return Config(source=name)
    except (yaml.YAMLError, UnicodeDecodeError):
        pass  # load_file below reports it with the file and line
    data = load_file(path, name).data
    if not isinstance(data, Obj):
        raise ConfigError(f"the settings must be a mapping of {', '.join(KEYS)}", Loc(name, 1))
    return _config_from(dict(data), _Where(name, data.loc_of), path.parent)


def _read_pyproject(path: Path) -> Config | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised only on Python 3.10
        import tomli as tomllib

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    section = document.get("tool", {}).get("lambda2func")
    if section is None:
        return None
    source = f"{path} [tool.lambda2func]"
    if not isinstance(section, dict):
        raise ConfigError(f"{source}: must be a table of {', '.join(KEYS)}")
    from translator.keylines import toml_table_key_lines

    lines = toml_table_key_lines(path.read_text(encoding="utf-8"), "tool.lambda2func")

    def loc_of(key: str) -> Loc | None:
        return Loc(str(path), lines[key]) if key in lines else None

    return _config_from(section, _Where(source, loc_of), path.parent)


def load_config(directory: Path | None = None) -> Config:
    """The settings file of ``directory`` (default: the current directory), or an empty Config."""
    # relative names for the current directory, so that messages say '.lambda2func.yaml:3'
    yaml_file = Path(YAML_FILE) if directory is None else directory / YAML_FILE
    if yaml_file.is_file():
        return _read_yaml(yaml_file)
    pyproject = Path(PYPROJECT_FILE) if directory is None else directory / PYPROJECT_FILE
    if pyproject.is_file():
        found = _read_pyproject(pyproject)
        if found is not None:
            return found
    return Config()


def resolve(config: Config, fail_on: str | None, ignore: Iterable[str], mappings: Path | None) -> Settings:
    """Apply command-line values over the file's: any option given replaces the file's value."""
    ignore = tuple(ignore)
    return Settings(
        fail_on=fail_on or config.fail_on or "never",
        ignore=check_ignore(ignore, "--ignore") if ignore else (config.ignore or ()),
        mappings=mappings or config.mappings,
    )
