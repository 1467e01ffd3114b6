"""Load YAML and JSON templates into located, immutable value trees.

- Every mapping, list and string carries its file and line (``translator.values``).
- CloudFormation short tags (``!Ref``, ``!GetAtt``, ``!Sub`` ...) and their long forms
  (``{"Fn::Sub": ...}``) become typed intrinsic nodes here, in one place.
- Duplicate keys, malformed or unknown intrinsics and unrendered placeholders are findings.
- libyaml's C parser is used when PyYAML was built with it.
- Size, node count and nesting are capped, so hostile input fails fast with a clear message.

JSON is read by the same YAML parser (JSON is YAML 1.2 flow syntax), which keeps the lines; tabs, legal
as JSON whitespace but not as YAML indentation, are turned into spaces first. A raw tab cannot occur inside
a JSON string. A file named ``*.json`` must be strict JSON: it is checked with the json module first, so a
trailing comma or a comment YAML would accept is ``FILE:LINE:COL: invalid JSON: reason``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from translator.findings import Finding
from translator.values import (
    And,
    Arr,
    BadIntrinsic,
    Base64,
    Cidr,
    ConditionRef,
    Equals,
    FindInMap,
    GetAtt,
    GetAZs,
    If,
    ImportValue,
    Intrinsic,
    Join,
    Loc,
    Not,
    Obj,
    Or,
    OtherIntrinsic,
    Ref,
    Select,
    Split,
    Str,
    Sub,
    Transform,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 200

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
USING_LIBYAML = _BaseLoader is not yaml.SafeLoader


class InputError(Exception):
    """Bad input: reported as ``error: FILE:LINE: message`` with exit code 2."""

    def __init__(self, message: str, loc: Loc | None = None, where: str = "line") -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        #: how much of ``loc`` the message shows: "file" (the whole file is wrong: missing, a directory),
        #: "line", or "column" (FILE:LINE:COL, where the column is exact: a JSON syntax error)
        self.where = where

    def __str__(self) -> str:
        if self.loc is None:
            return self.message
        if self.where == "file":
            return f"{self.loc.file}: {self.message}"
        if self.where == "column":
            return f"{self.loc}:{self.loc.col}: {self.message}"
        return f"{self.loc}: {self.message}"


@dataclass(frozen=True)
class Document:
    path: str
    data: Any
    findings: tuple[Finding, ...]
    text: str


# Known functions that this tool keeps as opaque nodes (no finding at load; mapping reports them).
_KNOWN_UNMODELLED = frozenset({"Fn::Length", "Fn::ToJsonString", "Fn::ForEach"})
_JINJA_STATEMENT = re.compile(r"\{%-?\s*(if|for|set|raw|endif|endfor|else|elif|macro|include)\b")
# {{ name }} or {{ name | filter }}; CloudFormation's own {{resolve:...}} has a colon and never matches
_PLACEHOLDER = re.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*(\|[^}]*)?\}\}")


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str, filename: str) -> None:
        super().__init__(stream)
        self.filename = filename
        self.findings: list[Finding] = []

    def loc(self, node: yaml.Node) -> Loc:
        mark = node.start_mark
        return Loc(self.filename, mark.line + 1, mark.column + 1)


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> Str:
    return Str(loader.construct_scalar(node), loader.loc(node))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Str:
    # AWSTemplateFormatVersion: 2010-09-09 unquoted would be a date; templates mean the string.
    return Str(loader.construct_scalar(node), loader.loc(node))


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> Arr:
    return Arr((loader.construct_object(child, deep=True) for child in node.value), loader.loc(node))


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Any:
    own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own  # flatten_mapping puts the pairs of '<<' merges first
    items: dict[str, Any] = {}
    key_locs: dict[str, Loc] = {}
    first_locs: dict[str, Loc] = {}  # where each key was first written in this mapping (not merged in)
    for index, (key_node, value_node) in enumerate(node.value):
        key_loc = loader.loc(key_node)
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.tag == "tag:yaml.org,2002:null" and key_node.value in (
                "",
                "~",
                "null",
                "Null",
                "NULL",
            ):
                raise InputError("a mapping key is empty (null)", key_loc)
            key = key_node.value
        else:
            raise InputError("a mapping key must be a plain string, not a list or mapping", key_loc)
        if index >= merged and key in first_locs:
            first = first_locs[key]
            loader.findings.append(
                Finding.of(
                    "LF0001",
                    f"key '{key}' appears at line {first.line} and again at line {key_loc.line}; "
                    "the later value is used",
                    key_loc,
                )
            )
        items[key] = loader.construct_object(value_node, deep=True)
        key_locs[key] = key_loc
        if index >= merged:
            first_locs.setdefault(key, key_loc)
    loc = loader.loc(node)
    if len(items) == 1:
        (key,) = items
        if key == "Ref" or (key.startswith("Fn::") and not key.startswith("Fn::ForEach::")):
            return _intrinsic(loader, key, items[key], loc)
        if key == "Condition" and isinstance(items[key], str):
            # the long form of !Condition, as JSON templates write it inside Fn::And / Fn::Or / Fn::Not
            return _intrinsic(loader, key, items[key], loc)
    return Obj(items, loc, key_locs)


def _construct_short_tag(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        arg: Any = Str(node.value, loader.loc(node))
    elif isinstance(node, yaml.SequenceNode):
        arg = _construct_seq(loader, node)
    else:
        arg = _construct_map(loader, node)
    name = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    return _intrinsic(loader, name, arg, loader.loc(node))


_Builder = Callable[[Any, Loc], Intrinsic]


def _pair(args: Any, n: int) -> bool:
    return isinstance(args, Arr) and len(args) == n


def _build_ref(args: Any, loc: Loc) -> Intrinsic:
    if isinstance(args, str) and args:
        return Ref(str(args), loc=loc)
    raise _Shape("Ref takes the name of a parameter, resource or pseudo parameter")


def _build_getatt(args: Any, loc: Loc) -> Intrinsic:
    if isinstance(args, str) and "." in args:
        resource, attribute = args.split(".", 1)
        if resource and attribute:
            return GetAtt(resource, attribute, loc=loc)
    if _pair(args, 2) and isinstance(args[0], str):
        attribute = str(args[1]) if isinstance(args[1], str) else args[1]
        return GetAtt(str(args[0]), attribute, loc=loc)
    raise _Shape("Fn::GetAtt takes 'Resource.Attribute' or [Resource, Attribute]")


_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def parse_sub(template: str, variables: Obj | None, loc: Loc) -> Sub:
    """Split a Fn::Sub template into literal text and the values it interpolates.

    >>> parse_sub("arn:${AWS::Partition}:s3:::${Bucket}/*", None, Loc("t", 1)).parts
    ('arn:', Ref(target='AWS::Partition'), ':s3:::', Ref(target='Bucket'), '/*')
    >>> parse_sub("${!Literal}-${Fn.Arn}", None, Loc("t", 1)).parts
    ('${Literal}-', GetAtt(resource='Fn', attribute='Arn'))
    """
    parts: list[Any] = []
    text: list[str] = []
    pos = 0
    for match in _SUB_VAR.finditer(template):
        text.append(template[pos : match.start()])
        pos = match.end()
        name = match.group(1)
        if name.startswith("!"):
            text.append("${" + name[1:] + "}")
            continue
        name = name.strip()
        if not name:
            raise _Shape("Fn::Sub has an empty ${} placeholder")
        if "".join(text):
            parts.append("".join(text))
        text = []
        if variables is not None and name in variables:
            parts.append(variables[name])
        elif "." in name and not name.startswith("AWS::"):
            resource, attribute = name.split(".", 1)
            parts.append(GetAtt(resource, attribute, loc=loc))
        else:
            parts.append(Ref(name, loc=loc))
    text.append(template[pos:])
    if "".join(text):
        parts.append("".join(text))
    return Sub(tuple(parts), loc=loc)


def _build_sub(args: Any, loc: Loc) -> Intrinsic:
    if isinstance(args, str):
        return parse_sub(str(args), None, loc)
    if _pair(args, 2) and isinstance(args[0], str) and isinstance(args[1], Obj):
        return parse_sub(str(args[0]), args[1], loc)
    raise _Shape("Fn::Sub takes a string, or [string, {Name: value, ...}]")


def _build_join(args: Any, loc: Loc) -> Intrinsic:
    if _pair(args, 2) and isinstance(args[1], (Arr, Intrinsic)):
        return Join(args[0], args[1], loc=loc)
    raise _Shape("Fn::Join takes [delimiter, [values...]]")


def _build_select(args: Any, loc: Loc) -> Intrinsic:
    if _pair(args, 2):
        return Select(args[0], args[1], loc=loc)
    raise _Shape("Fn::Select takes [index, list]")


def _build_split(args: Any, loc: Loc) -> Intrinsic:
    if _pair(args, 2):
        return Split(args[0], args[1], loc=loc)
    raise _Shape("Fn::Split takes [delimiter, string]")


def _build_if(args: Any, loc: Loc) -> Intrinsic:
    if _pair(args, 3) and isinstance(args[0], str):
        return If(str(args[0]), args[1], args[2], loc=loc)
    raise _Shape("Fn::If takes [ConditionName, value if true, value if false]")


def _build_equals(args: Any, loc: Loc) -> Intrinsic:
    if _pair(args, 2):
        return Equals(args[0], args[1], loc=loc)
    raise _Shape("Fn::Equals takes [value, value]")


def _build_and(args: Any, loc: Loc) -> Intrinsic:
    if isinstance(args, Arr) and 2 <= len(args) <= 10:
        return And(tuple(args), loc=loc)
    raise _Shape("Fn::And takes a list of 2 to 10 conditions")


def _build_or(args: Any, loc: Loc) -> Intrinsic:
    if isinstance(args, Arr) and 2 <= len(args) <= 10:
        return Or(tuple(args), loc=loc)
    raise _Shape("Fn::Or takes a list of 2 to 10 conditions")


def _build_not(args: Any, loc: Loc) -> Intrinsic:
    if _pair(args, 1):
        return Not(args[0], loc=loc)
    raise _Shape("Fn::Not takes a list of one condition")


def _build_condition(args: Any, loc: Loc) -> Intrinsic:
    if isinstance(args, str):
        return ConditionRef(str(args), loc=loc)
    raise _Shape("Condition takes a condition name")


def _build_findinmap(args: Any, loc: Loc) -> Intrinsic:
    if _pair(args, 3):
        return FindInMap(args[0], args[1], args[2], loc=loc)
    if _pair(args, 4) and isinstance(args[3], Obj) and "DefaultValue" in args[3]:
        return FindInMap(args[0], args[1], args[2], args[3]["DefaultValue"], loc=loc)
    raise _Shape("Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]")


def _build_cidr(args: Any, loc: Loc) -> Intrinsic:
    if _pair(args, 3):
        return Cidr(args[0], args[1], args[2], loc=loc)
    raise _Shape("Fn::Cidr takes [ipBlock, count, cidrBits]")


def _build_transform(args: Any, loc: Loc) -> Intrinsic:
    if isinstance(args, Obj) and "Name" in args:
        return Transform(args["Name"], args.get("Parameters"), loc=loc)
    raise _Shape("Fn::Transform takes {Name: ..., Parameters: {...}}")


_BUILDERS: dict[str, _Builder] = {
    "Ref": _build_ref,
    "Condition": _build_condition,
    "Fn::GetAtt": _build_getatt,
    "Fn::Sub": _build_sub,
    "Fn::Join": _build_join,
    "Fn::Select": _build_select,
    "Fn::Split": _build_split,
    "Fn::If": _build_if,
    "Fn::Equals": _build_equals,
    "Fn::And": _build_and,
    "Fn::Or": _build_or,
    "Fn::Not": _build_not,
    "Fn::FindInMap": _build_findinmap,
    "Fn::Base64": lambda a, loc: Base64(a, loc=loc),
    "Fn::GetAZs": lambda a, loc: GetAZs(a, loc=loc),
    "Fn::Cidr": _build_cidr,
    "Fn::ImportValue": lambda a, loc: ImportValue(a, loc=loc),
    "Fn::Transform": _build_transform,
}


class _Shape(Exception):
    pass


def _intrinsic(loader: _Loader, name: str, args: Any, loc: Loc) -> Intrinsic:
    builder = _BUILDERS.get(name)
    if builder is None:
        if name not in _KNOWN_UNMODELLED:
            tag = name.removeprefix("Fn::")
            loader.findings.append(
                Finding.of(
                    "LF0004",
                    f"'{name}' (!{tag}) is not a CloudFormation intrinsic function",
                    loc,
                )
            )
        return OtherIntrinsic(name, args, loc=loc)
    try:
        return builder(args, loc)
    except _Shape as exc:
        loader.findings.append(Finding.of("LF0003", f"{name}: {exc}", loc))
        return BadIntrinsic(name, args, str(exc), loc=loc)


_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_multi_constructor("!", _construct_short_tag)


def _guarded(construct: Callable[[Any, yaml.Node], Any]) -> Callable[[Any, yaml.Node], Any]:
    """Turn the ValueError/KeyError of PyYAML's int/float/bool constructors ('0x_') into a marked error."""

    def wrapped(loader: Any, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, KeyError):
            kind = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r} as {kind}", node.start_mark
            ) from None

    return wrapped


for _kind in ("int", "float", "bool"):
    _tag = f"tag:yaml.org,2002:{_kind}"
    _Loader.add_constructor(_tag, _guarded(_BaseLoader.yaml_constructors[_tag]))


def _collection_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _check_size(node: yaml.Node, filename: str) -> None:
    """Cap depth and expanded node count before constructing: a node reached through N aliases counts N times.

    Sizes are memoised per node (post-order, explicit stack), so an alias bomb is measured without being
    expanded, and scalars (most nodes) are counted by their parent without a visit of their own.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # on the current path: meeting one again means a recursive alias
    stack: list[tuple[yaml.Node, bool, int]] = [(node, False, 1)]
    while stack:
        current, done, depth = stack.pop()
        key = id(current)
        children = _collection_children(current)
        if done:
            open_nodes.discard(key)
            total = 1 + sum(sizes.get(id(child), 1) for child in children)
            if total > MAX_NODES:
                raise InputError(f"the document expands to more than {MAX_NODES:,} nodes", Loc(filename, 1))
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise InputError(
                "an alias refers to a node that contains it", Loc(filename, current.start_mark.line + 1)
            )
        if depth > MAX_DEPTH:
            raise InputError(
                f"nesting is deeper than {MAX_DEPTH} levels", Loc(filename, current.start_mark.line + 1)
            )
        open_nodes.add(key)
        stack.append((current, True, depth))
        stack.extend(
            (c, False, depth + 1)
            for c in children
            if not isinstance(c, yaml.ScalarNode) and id(c) not in sizes
        )


# libyaml's composer recurses in C with no depth check: some 30,000 nested collections overflow the
# stack and kill the process. Below this bound on the possible depth, that cannot happen.
_C_SAFE_DEPTH = 1_000


def _check_depth(source: str, filename: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before the (recursive) composer sees it.

    Each level needs an opening bracket or, for block collections, a deeper column (at most two levels a
    column), so ordinary files are let through on a cheap bound; others are measured on the parser's
    event stream, which is read without recursion.
    """
    longest = max(map(len, source.splitlines()), default=0)
    if 2 * (longest + 1) + source.count("[") + source.count("{") <= _C_SAFE_DEPTH:
        return
    depth = 0
    for event in yaml.parse(source, Loader=_BaseLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(
                    f"nesting is deeper than {MAX_DEPTH} levels", Loc(filename, event.start_mark.line + 1)
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _jinja_line(text: str) -> int | None:
    """The first line with a Jinja statement, else the first with a placeholder, if any."""
    lines = text.splitlines()
    for pattern in (_JINJA_STATEMENT, _PLACEHOLDER):
        for number, line in enumerate(lines, 1):
            if pattern.search(line):
                return number
    return None


def _unrendered(text: str, filename: str) -> InputError | None:
    line = _jinja_line(text)
    if line is None:
        return None
    return InputError(
        "this looks like an unrendered Jinja/cookiecutter template ('{%' statements or '{{ name }}' "
        "placeholders) and is not valid YAML; render it first (for example with 'sam init' or cookiecutter)",
        Loc(filename, line),
    )


def load_text(text: str, filename: str) -> Document:
    """Parse ``text`` (YAML or JSON) into a Document; raise InputError for unreadable input."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:  # a lone surrogate, e.g. from a bad decode upstream
        line = text.count("\n", 0, exc.start) + 1
        raise InputError("the text holds a lone surrogate, not valid Unicode", Loc(filename, line)) from None
    if size > MAX_BYTES:
        raise InputError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB", Loc(filename, 1))
    stripped = text.lstrip()
    source = text.replace("\t", " ") if stripped.startswith(("{", "[")) else text
    loader = _Loader(source, filename)
    try:
        _check_depth(source, filename)
        node = loader.get_single_node()
        if node is None:
            raise InputError("the file is empty", Loc(filename, 1))
        _check_size(node, filename)
        data = loader.construct_document(node)
    except InputError:
        unrendered = _unrendered(text, filename)
        if unrendered is not None:
            raise unrendered from None
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            # an unterminated quote or bracket: where it starts says more than the end of the file
            mark = exc.context_mark
        line = (mark.line + 1) if mark else 1
        unrendered = _unrendered(text, filename)
        if unrendered is not None:
            raise unrendered from None
        if "nesting depth" in (exc.problem or ""):
            # newer libyaml builds stop at their own nesting limit; say it the same way as ours
            raise InputError(f"nesting is deeper than {MAX_DEPTH} levels", Loc(filename, line)) from None
        problem = exc.problem or "invalid syntax"
        context = f" ({exc.context})" if exc.context else ""
        raise InputError(f"not valid YAML or JSON: {problem}{context}", Loc(filename, line)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML or JSON: {exc}", Loc(filename, 1)) from None
    except RecursionError:
        raise InputError("nesting is too deep to read", Loc(filename, 1)) from None
    finally:
        loader.dispose()
    findings = list(loader.findings)
    for number, line in enumerate(text.splitlines(), 1):
        match = _PLACEHOLDER.search(line)
        if match:
            findings.append(
                Finding.of(
                    "LF0002",
                    f"unrendered placeholder '{match.group(0)}' is kept as text",
                    Loc(filename, number),
                )
            )
    return Document(filename, data, tuple(findings), text)


def load_file(path: Path, display_name: str | None = None) -> Document:
    """Read and parse a template file. ``display_name`` is the path used in messages."""
    name = display_name or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", Loc(name, 1), "file") from None
    except IsADirectoryError:
        raise InputError("is a directory; give a template file", Loc(name, 1), "file") from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", Loc(name, 1), "file") from None
    if b"\x00" in raw[:8192]:
        raise InputError("this is a binary file, not a YAML or JSON template", Loc(name, 1))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError("the file is not UTF-8 text", Loc(name, line)) from None
    if path.suffix.lower() == ".json" and len(raw) <= MAX_BYTES:
        check_json(text, name)
    return load_text(text, name)


def check_json(text: str, filename: str) -> None:
    """Raise InputError (``FILE:LINE:COL: invalid JSON: reason``) unless ``text`` is strict JSON.

    >>> check_json('{"Resources": {"Q": {"Type": "AWS::SQS::Queue"},}}', "t.json")
    Traceback (most recent call last):
    ...
    translator.load.InputError: t.json:1:49: invalid JSON: Expecting property name enclosed in double quotes
    """
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        unrendered = _unrendered(text, filename)
        if unrendered is not None:
            raise unrendered from None
        raise InputError(f"invalid JSON: {exc.msg}", Loc(filename, exc.lineno, exc.colno), "column") from None
    except RecursionError:
        raise InputError("nesting is too deep to read", Loc(filename, 1)) from None
