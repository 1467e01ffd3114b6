"""Serverless Framework variables: ``${source:address, fallback, ...}`` resolved offline.

Sources that are known before deployment are resolved here: ``self:`` (the service file), ``opt:stage``
and ``opt:region`` (the ``--stage``/``--region`` options), ``sls:stage``, ``aws:region``, ``env:`` (only
from an environment the caller passes in), ``param:`` (from ``params``/``stages`` in the file),
``file(path)`` (inside the service directory only; a missing file without a fallback becomes a parameter)
and ``strToBool(...)``. ``aws:region`` (and ``self:provider.region``), ``aws:accountId`` and ``aws:partition``
become the CloudFormation pseudo parameters AWS::Region, AWS::AccountId and AWS::Partition, which the mapper
renders for Azure (the region as the deployment's location); ``opt:region`` is the --region option's text.

Every other source (``ssm``, ``cf``, ``s3``, plugin and resolver sources) is only known at deploy time:
its value becomes ``OtherIntrinsic(name="Serverless::<source>")``, which the mapper turns into a Bicep
parameter, plus a finding here. A literal ``${ssm:...}`` string never reaches the output.

Resolution walks the dependency graph depth first: each document path is resolved once (memoised) and
a path met again while it is still being resolved is a cycle, reported with the chain that forms it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.findings import Finding
from translator.load import InputError, load_file
from translator.mapping.secrets_detect import secret_name, secret_value
from translator.values import Arr, GetAtt, Intrinsic, Loc, Obj, OtherIntrinsic, Ref, Str, Sub

DEFAULT_STAGE = "dev"
DEFAULT_REGION = "us-east-1"

PathKey = tuple[Any, ...]

#: ``source:``, ``source(params):`` or ``source(params)`` at the start of a variable
_SOURCE = re.compile(r"(?P<src>[A-Za-z][\w-]*)(?:\((?P<param>.*)\))?(?::(?P<addr>.*))?\Z", re.S)
_NUMBER = re.compile(r"-?\d+(\.\d+)?\Z")
#: sources whose value exists only at deploy time (or needs code to run): always a parameter
_DEFERRED_NOTE = {
    "ssm": "an SSM parameter",
    "cf": "a CloudFormation stack output",
    "s3": "an S3 object",
    "git": "the git checkout",
    "secrets": "a secrets plugin",
    "construct": "a lift construct",
    "output": "a Serverless Compose output",
    "file": "a JavaScript/TypeScript file (never run here) or a file that is not beside the service",
    "env": "an environment variable",
    "param": "a stage parameter",
}
_CODE_FILES = (".js", ".ts", ".mjs", ".cjs")


#: the stage and region: the --stage and --region options choose them, not a deploy-time parameter
#: (``${opt:stage, env:STAGE, 'dev'}`` without --stage is the fallback 'dev')
_OPTION_SOURCES = frozenset({"opt:stage", "sls:stage", "opt:region"})


class _Missing:
    """No value: the next fallback is tried."""


MISSING = _Missing()


@dataclass(frozen=True)
class _Unknown:
    """A value that may exist but is not known offline (unset env, undefined param, absent file).

    Later fallbacks are tried first; if none gives a value, this becomes the parameter.
    """

    node: OtherIntrinsic
    reason: str


@dataclass(frozen=True)
class _Piece:
    """One ``${...}`` occurrence inside a string (``text`` is what is between the braces)."""

    text: str


def is_variable(inner: str) -> bool:
    """True when the text between ``${`` and ``}`` is a serverless variable, not CloudFormation's.

    >>> is_variable("self:custom.x"), is_variable("opt:stage, 'dev'"), is_variable("file(./a.yml):k")
    (True, True, True)
    >>> is_variable("AWS::Region"), is_variable("MyBucket.Arn"), is_variable("stageVariables.x")
    (False, False, False)
    """
    first = split_top(inner, ",")[0].strip()
    if first[:1] in ("'", '"'):
        return True
    match = _SOURCE.match(first)
    if not match or (match.group("param") is None and match.group("addr") is None):
        return False
    return not (match.group("addr") or "").startswith(":")  # 'AWS::Region' is a pseudo parameter


def split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside quotes, parentheses and nested ``${...}``.

    >>> split_top("opt:stage, self:provider.stage, 'a,b'", ",")
    ['opt:stage', ' self:provider.stage', " 'a,b'"]
    """
    parts, depth, quote, start = [], 0, "", 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in ("'", '"'):
            quote = ch
        elif ch in "({":
            depth += 1
        elif ch in ")}":
            depth = max(depth - 1, 0)
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def split_template(text: str) -> list[str | _Piece] | None:
    """Literal text and ``${...}`` pieces of a string; None when a ``${`` is never closed.

    >>> split_template("a-${opt:stage}-${self:x.${sls:stage}}")
    ['a-', _Piece(text='opt:stage'), '-', _Piece(text='self:x.${sls:stage}')]
    """
    out: list[str | _Piece] = []
    pos = 0
    while True:
        start = text.find("${", pos)
        if start < 0:
            break
        end = _closing(text, start + 2)
        if end < 0:
            return None
        if start > pos:
            out.append(text[pos:start])
        out.append(_Piece(text[start + 2 : end]))
        pos = end + 1
    if pos < len(text):
        out.append(text[pos:])
    return out


def _closing(text: str, i: int) -> int:
    depth, quote = 0, ""
    while i < len(text):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in ("'", '"'):
            quote = ch
        elif text.startswith("${", i):
            depth += 1
            i += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def _resource_of(path: PathKey) -> str | None:
    """The function or resource a document path belongs to, for attributing findings."""
    if len(path) >= 2 and path[0] == "functions":
        return str(path[1])
    if len(path) >= 3 and path[:2] == ("resources", "Resources"):
        return str(path[2])
    return None


def _dotted(path: PathKey) -> str:
    return ".".join(str(p) for p in path) or "(the whole file)"


class VariableResolver:
    """Resolves the variables of one serverless.yml document."""

    def __init__(
        self,
        root: Obj,
        file_name: str,
        base_dir: Path | None = None,
        stage: str | None = None,
        region: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.root = root
        self.file_name = file_name
        self.base_dir = base_dir
        self.options: dict[str, str] = {k: v for k, v in (("stage", stage), ("region", region)) if v}
        self.env = env
        self.findings: list[Finding] = []
        self._done: dict[PathKey, Any] = {}
        self._active: dict[PathKey, None] = {}  # insertion-ordered: the chain, for cycle messages
        self._files: dict[Path, Any] = {}
        self._including: list[Path] = []
        self._stage: str | None = None
        self._region: str | None = None

    # ---- public ---------------------------------------------------------------------------------
    def resolve_at(self, path: PathKey) -> Any:
        """The resolved value at a document path (MISSING when there is none)."""
        if path in self._done:
            return self._done[path]
        if path in self._active:
            chain = [*list(self._active)[list(self._active).index(path) :], path]
            raise InputError(
                "variable cycle: " + " -> ".join(_dotted(p) for p in chain),
                self._loc_at(path),
            )
        self._active[path] = None
        try:
            raw, resolved = self._lookup(path)
            value = raw if resolved or raw is MISSING else self._resolve(raw, path, path)
        except RecursionError:
            raise InputError(
                "variables refer to each other too deeply to resolve", self._loc_at(path)
            ) from None
        finally:
            self._active.pop(path, None)
        self._done[path] = value
        return value

    def resolve_value(self, value: Any, origin: PathKey) -> Any:
        """Resolve a tree that is not at a document path (a file's content, an intrinsic's argument)."""
        return self._resolve(value, None, origin)

    @property
    def stage(self) -> str:
        """The effective stage: --stage, else provider.stage, else the framework default (dev)."""
        if self._stage is None:
            if ("provider", "stage") in self._active:  # provider.stage itself asks for the stage
                return self.options.get("stage") or DEFAULT_STAGE
            self._stage = self.options.get("stage") or self._provider_text("stage") or DEFAULT_STAGE
        return self._stage

    @property
    def region(self) -> str:
        """The effective region: --region, else provider.region, else the framework default (us-east-1)."""
        if self._region is None:
            if ("provider", "region") in self._active:
                return self.options.get("region") or DEFAULT_REGION
            self._region = self.options.get("region") or self._provider_text("region") or DEFAULT_REGION
        return self._region

    # ---- walking the document -------------------------------------------------------------------
    def _provider_text(self, key: str) -> str | None:
        if not isinstance(self.root.get("provider"), Obj):
            return None
        value = self.resolve_at(("provider", key))
        return str(value) if isinstance(value, str) and str(value) else None

    def _lookup(self, path: PathKey) -> tuple[Any, bool]:
        """The raw node at ``path`` and whether it is already resolved.

        A prefix whose raw value is a variable (``custom: ${file(x.yml)}``) is resolved first and the
        rest of the path is looked up in its (resolved) value.
        """
        node: Any = self.root
        for i, key in enumerate(path):
            if isinstance(node, str) and "${" in node:
                return _index(self.resolve_at(path[:i]), path[i:]), True
            node = _step(node, key)
            if node is MISSING:
                return MISSING, False
        return node, False

    def _loc_at(self, path: PathKey) -> Loc:
        node: Any = self.root
        loc = Loc(self.file_name, 1)
        for key in path:
            if isinstance(node, Obj) and isinstance(key, str) and key in node:
                loc = node.loc_of(key) or loc
            node = _step(node, key)
            if node is MISSING:
                break
        return loc

    def _resolve(self, value: Any, path: PathKey | None, origin: PathKey) -> Any:
        """Resolve every variable inside ``value``; ``path`` is set when it sits at that document path."""
        if isinstance(value, Obj):
            items = {
                k: self.resolve_at((*path, k)) if path is not None else self._resolve(v, None, origin)
                for k, v in value.items()
            }
            return value.with_items({k: v for k, v in items.items() if v is not MISSING})
        if isinstance(value, Arr):
            items = [
                self.resolve_at((*path, i)) if path is not None else self._resolve(v, None, origin)
                for i, v in enumerate(value)
            ]
            return Arr([v for v in items if v is not MISSING], value.loc)
        if isinstance(value, str):
            return self._string(value, origin)
        if isinstance(value, Intrinsic):
            return self._intrinsic(value, origin)
        return value

    def _intrinsic(self, node: Intrinsic, origin: PathKey) -> Any:
        if isinstance(node, Sub):
            return self._sub(node, origin)
        changes = {}
        for f in dataclasses.fields(node):
            if f.name == "loc":
                continue
            current = getattr(node, f.name)
            if isinstance(current, tuple) and not isinstance(current, Arr):
                new: Any = tuple(self._resolve(v, None, origin) for v in current)
            else:
                new = self._resolve(current, None, origin)
            if isinstance(current, str) and not isinstance(new, str):
                self._finding(
                    "LF0009",
                    f"'{current}' in {node.fn_name} must resolve to a name, not to a computed value",
                    node.loc,
                    origin,
                )
                new = current
            changes[f.name] = new
        return dataclasses.replace(node, **changes)

    def _sub(self, node: Sub, origin: PathKey) -> Any:
        """Fn::Sub: serverless variables in it are replaced first; ${AWS::Region}-style parts stay."""
        parts: list[Any] = []
        for part in node.parts:
            text = _placeholder_text(part)
            if text is not None and is_variable(text):
                value = self._evaluate(text, node.loc, origin)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    value = str(value)
                if isinstance(value, Obj | Arr):
                    self._finding(
                        "LF0009",
                        f"'${{{text}}}' is not a string but is used inside Fn::Sub",
                        node.loc,
                        origin,
                    )
                    value = OtherIntrinsic("Serverless::invalid", text, loc=node.loc)
                part = value
            elif not isinstance(part, str):
                part = self._resolve(part, None, origin)
            parts.append(part)
        return Sub(_merge_text(parts), loc=node.loc)

    # ---- strings --------------------------------------------------------------------------------
    def _string(self, value: str, origin: PathKey) -> Any:
        if "${" not in value:
            return value
        loc = getattr(value, "loc", None)
        pieces = split_template(str(value))
        if pieces is None:
            if any(is_variable(value[i + 2 :]) for i in _starts(str(value))):
                self._finding("LF0009", f"'{value}' has a '${{' that is never closed", loc, origin)
                return OtherIntrinsic("Serverless::invalid", str(value), loc=loc)
            return value
        parts: list[Any] = []
        for piece in pieces:
            if isinstance(piece, _Piece) and is_variable(piece.text):
                parts.append(self._evaluate(piece.text, loc, origin))
            elif isinstance(piece, _Piece):
                parts.append("${" + piece.text + "}")  # CloudFormation's or API Gateway's, not ours
            else:
                parts.append(piece)
        if len(parts) == 1 and isinstance(pieces[0], _Piece):
            result = parts[0]
            # a whole-value variable keeps the location where it is used, not where the value came from
            return Str(str(result), loc) if isinstance(result, str) else result
        text_parts = []
        for part in parts:
            if isinstance(part, bool):
                part = "true" if part else "false"
            elif isinstance(part, (int, float)):
                part = str(part)
            elif part is None:
                part = ""
            elif isinstance(part, Obj | Arr):
                self._finding(
                    "LF0009", f"'{value}' interpolates a list or mapping into a string", loc, origin
                )
                part = OtherIntrinsic("Serverless::invalid", str(value), loc=loc)
            text_parts.append(part)
        merged = _merge_text(text_parts)
        if len(merged) == 1 and isinstance(merged[0], str):
            return Str(merged[0], loc)
        return Sub(merged, loc=loc)

    def _evaluate(self, expression: str, loc: Loc | None, origin: PathKey) -> Any:
        """The value of one ``${...}``: the first alternative with a value, else a parameter."""
        alternatives = [a.strip() for a in split_top(expression, ",")]
        unknown: _Unknown | None = None
        for alternative in alternatives:
            result = self._alternative(alternative, loc, origin)
            if isinstance(result, _Unknown):
                unknown = unknown or result
                continue
            if result is MISSING or result is None:  # a null value counts as missing, as in the framework
                continue
            if (
                unknown is not None
                and unknown.node.name == "Serverless::env"
                and self.env is None
                and alternatives[0] not in _OPTION_SOURCES
            ):
                return self._env_fallback(expression, unknown, alternatives, result, loc, origin)
            if isinstance(result, OtherIntrinsic) and result.name.startswith("Serverless::"):
                self._deferred_finding(expression, result, alternatives, loc, origin)
            return result
        if unknown is not None:
            self._finding(
                "LF0008",
                f"'${{{expression}}}': {unknown.reason}; it becomes a Bicep parameter",
                loc,
                origin,
            )
            return unknown.node
        first = alternatives[0]
        if first in ("opt:stage", "sls:stage"):
            return self.stage  # the framework's default stage when no option is given
        if first == "opt:region":
            return self.region
        self._finding(
            "LF0009",
            f"'${{{expression}}}' has no value and no fallback; it becomes a Bicep parameter",
            loc,
            origin,
        )
        return OtherIntrinsic("Serverless::" + _source_name(first), expression, loc=loc)

    def _env_fallback(
        self,
        expression: str,
        unknown: _Unknown,
        alternatives: list[str],
        fallback: Any,
        loc: Loc | None,
        origin: PathKey,
    ) -> Any:
        """An unread environment variable with a fallback: the shell that deploys may set the variable, so
        a text fallback is only the default of its parameter. A number or true/false fallback is used as the
        value, because a parameter would not be a literal where the template needs one (memorySize ...);
        a fallback that is not known offline either stays what it is (a parameter of its own)."""
        shown = _shown(expression, alternatives, origin)
        if isinstance(fallback, str):
            self._finding(
                "LF0008",
                f"'${{{shown}}}': {unknown.reason}; it becomes a Bicep parameter whose default is the fallback",
                loc,
                origin,
            )
            return dataclasses.replace(unknown.node, default=fallback)
        if isinstance(fallback, (bool, int, float)):
            self._finding(
                "LF0008",
                f"'${{{shown}}}': {unknown.reason}; the fallback is used as the value (a number or true/false "
                "stays a literal); set it in the file if the deployment's environment sets another value",
                loc,
                origin,
            )
        return fallback

    def _deferred_finding(
        self, expression: str, node: OtherIntrinsic, alternatives: list[str], loc: Loc | None, origin: PathKey
    ) -> None:
        source = node.name.removeprefix("Serverless::")
        what = _DEFERRED_NOTE.get(source, f"the '{source}' source (a plugin or resolver)")
        extra = " (its fallback applies only at deploy time)" if len(alternatives) > 1 else ""
        self._finding(
            "LF0008",
            f"'${{{_shown(expression, alternatives, origin)}}}' reads {what}, which is not known offline{extra}; "
            "it becomes a Bicep parameter",
            loc,
            origin,
        )

    def _alternative(self, text: str, loc: Loc | None, origin: PathKey) -> Any:
        if "${" in text:
            inner = self._string(Str(text, loc), origin)
            if not isinstance(inner, str):
                return OtherIntrinsic("Serverless::" + _source_name(text), text, loc=loc)
            text = str(inner)
        if text[:1] in ("'", '"'):
            return text[1:-1] if len(text) >= 2 and text[-1] == text[0] else text[1:]
        if _NUMBER.match(text):
            return float(text) if "." in text else int(text)
        if text in ("true", "false"):
            return text == "true"
        if text in ("null", "~", ""):
            return MISSING
        match = _SOURCE.match(text)
        if not match or (match.group("param") is None and match.group("addr") is None):
            return text  # a bare word: taken literally
        source, param, address = match.group("src"), match.group("param"), match.group("addr")
        handler = getattr(self, f"_src_{source.replace('-', '_')}", None)
        if handler is None or (param is not None and source not in ("file", "strToBool")):
            return OtherIntrinsic(f"Serverless::{source}", text, loc=loc)
        return handler(param, address or "", text, loc, origin)

    # ---- sources --------------------------------------------------------------------------------
    def _src_self(self, _param: str | None, address: str, _text: str, loc: Loc | None, _o: PathKey) -> Any:
        path = _address_path(address)
        if path == ("provider", "region"):
            return Ref("AWS::Region", loc=loc)  # the deployment's region, as ${aws:region}
        return self.resolve_at(path)

    def _src_opt(self, _param: str | None, address: str, _text: str, _loc: Loc | None, _o: PathKey) -> Any:
        if not address:
            return Obj(self.options)
        return self.options.get(address, MISSING)

    def _src_sls(self, _param: str | None, address: str, text: str, loc: Loc | None, _o: PathKey) -> Any:
        if address == "stage":
            return self.stage
        if address == "instanceId":
            return OtherIntrinsic("Serverless::sls", text, loc=loc)  # random per deployment
        return MISSING

    def _src_aws(self, _param: str | None, address: str, text: str, loc: Loc | None, _o: PathKey) -> Any:
        if address == "region":
            return Ref("AWS::Region", loc=loc)  # like CloudFormation's: the Azure deployment's location
        if address == "accountId":
            return Ref("AWS::AccountId", loc=loc)
        if address == "partition":
            return Ref("AWS::Partition", loc=loc)
        return OtherIntrinsic("Serverless::aws", text, loc=loc)  # v4 aws:ssm:, aws:cf:, aws:s3:

    def _src_env(self, _param: str | None, address: str, text: str, loc: Loc | None, _o: PathKey) -> Any:
        if self.env is None:
            return _Unknown(
                OtherIntrinsic("Serverless::env", text, loc=loc), "environment variables are not read"
            )
        if address in self.env:
            return self.env[address]
        return _Unknown(
            OtherIntrinsic("Serverless::env", text, loc=loc), f"environment variable '{address}' is not set"
        )

    def _src_param(self, _param: str | None, address: str, text: str, loc: Loc | None, _o: PathKey) -> Any:
        for path in (
            ("params", self.stage, address),
            ("stages", self.stage, "params", address),
            ("params", "default", address),
            ("stages", "default", "params", address),
        ):
            value = self.resolve_at(path) if _step(self.root, path[0]) is not MISSING else MISSING
            if value is not MISSING:
                return value
        return _Unknown(
            OtherIntrinsic("Serverless::param", text, loc=loc),
            f"parameter '{address}' is not defined in the file for stage '{self.stage}' "
            "(a Dashboard parameter?)",
        )

    def _src_strToBool(self, param: str | None, _address: str, text: str, loc: Loc | None, o: PathKey) -> Any:
        inner = (param or "").strip()
        if inner[:1] in ("'", '"'):
            inner = inner[1:-1]
        if inner.lower() in ("true", "1"):
            return True
        if inner.lower() in ("false", "0", ""):
            return False
        self._finding("LF0009", f"strToBool cannot read '{inner}' as true or false", loc, o)
        return OtherIntrinsic("Serverless::strToBool", text, loc=loc)

    def _src_file(self, param: str | None, address: str, text: str, loc: Loc | None, origin: PathKey) -> Any:
        relative = (param or "").strip().strip("'\"")
        node = OtherIntrinsic("Serverless::file", text, loc=loc)
        if not relative:
            self._finding("LF0009", "file() needs a path", loc, origin)
            return node
        if self.base_dir is None:
            return _Unknown(node, f"file '{relative}' is not available")
        base = self.base_dir.resolve()
        target = (base / relative).resolve()
        if Path(relative).is_absolute() or not target.is_relative_to(base):
            raise InputError(f"${{file({relative})}} points outside the service directory {base}", loc)
        if target.suffix in _CODE_FILES:
            return node  # JavaScript/TypeScript is never run: its value is a parameter
        if not target.is_file():
            return _Unknown(node, f"no such file {relative} (resolved relative to {base})")
        content = self._file_content(target, relative, loc, origin)
        return _index(content, _address_path(address)) if address else content

    def _file_content(self, target: Path, relative: str, loc: Loc | None, origin: PathKey) -> Any:
        if target in self._files:
            return self._files[target]
        if target in self._including:
            chain = " -> ".join(p.name for p in [*self._including, target])
            raise InputError(f"file() includes form a cycle: {chain}", loc)
        display = str(Path(self.file_name).parent / relative)
        if target.suffix in (".yml", ".yaml", ".json"):
            doc = load_file(target, display)
            self.findings.extend(doc.findings)
            data = doc.data
        else:
            data = Str(target.read_text(encoding="utf-8", errors="replace"), Loc(display, 1))
        self._including.append(target)
        try:
            resolved = self._resolve(data, None, origin)
        finally:
            self._including.pop()
        self._files[target] = resolved
        return resolved

    # ---- findings -------------------------------------------------------------------------------
    def _finding(self, rule: str, message: str, loc: Loc | None, origin: PathKey) -> None:
        self.findings.append(Finding.of(rule, message, loc, _resource_of(origin)))


def _shown(expression: str, alternatives: list[str], origin: PathKey) -> str:
    """The variable as a finding quotes it: without its fallbacks when one looks like a credential or the
    key it is the value of has a secret name (``DB_PASSWORD: ${env:DB_PASSWORD, 'devpass'}``).

    >>> _shown("env:A, 'info'", ["env:A", "'info'"], ("LEVEL",)), _shown("env:P, 'pw=x1'", ["env:P", "'pw=x1'"], ())
    ("env:A, 'info'", 'env:P, ...')
    >>> _shown("env:P, 'dev'", ["env:P", "'dev'"], ("provider", "environment", "DB_PASSWORD"))
    'env:P, ...'
    """
    secret_key = bool(origin) and secret_name(str(origin[-1])) is not None
    if len(alternatives) > 1 and (secret_key or any(secret_value(a.strip("'\"")) for a in alternatives[1:])):
        return f"{alternatives[0]}, ..."
    return expression


def _source_name(alternative: str) -> str:
    match = _SOURCE.match(alternative.strip())
    return match.group("src") if match else "invalid"


def _starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\$\{", text)]


def _placeholder_text(part: Any) -> str | None:
    """The ``${...}`` text the loader turned into a Ref/GetAtt part of a Fn::Sub."""
    if isinstance(part, Ref):
        return part.target
    if isinstance(part, GetAtt) and isinstance(part.attribute, str):
        return f"{part.resource}.{part.attribute}"
    return None


def _merge_text(parts: list[Any]) -> tuple[Any, ...]:
    """Adjacent literal strings joined, empty ones dropped."""
    out: list[Any] = []
    for part in parts:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] = str(out[-1]) + str(part)
        elif not (isinstance(part, str) and not part):
            out.append(str(part) if isinstance(part, str) else part)
    return tuple(out)


def _address_path(address: str) -> PathKey:
    """``custom.list.0`` -> ('custom', 'list', 0); an empty address is the whole document."""
    if not address:
        return ()
    return tuple(int(p) if p.isdigit() else p for p in address.split("."))


def _step(node: Any, key: Any) -> Any:
    if isinstance(node, Obj):
        return node.get(str(key), MISSING) if str(key) in node else MISSING
    if isinstance(node, Arr) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return MISSING


def _index(value: Any, path: PathKey) -> Any:
    for i, key in enumerate(path):
        if value is MISSING:
            return MISSING
        if isinstance(value, OtherIntrinsic) and value.name.startswith("Serverless::"):
            # inside a value known only at deploy time: the part is not known either
            rest = ".".join(str(p) for p in path[i:])
            return OtherIntrinsic(value.name, f"{value.args}:{rest}", loc=value.loc)
        value = _step(value, key)
    return value
