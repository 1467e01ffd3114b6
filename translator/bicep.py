"""Bicep expression nodes and the one renderer that turns values into Bicep text.

Every value that reaches a ``.bicep`` file goes through :func:`render`: Python literals become
correctly escaped Bicep literals, expression nodes become expression text, and an unknown node is a
hard error, never guessed text. Text placed in comments goes through :func:`comment_text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any


class BExpr:
    """Base class of Bicep expression nodes (frozen dataclasses below)."""

    __slots__ = ()


@dataclass(frozen=True)
class Ident(BExpr):
    """A param, var, resource symbol or loop variable."""

    name: str


@dataclass(frozen=True)
class Prop(BExpr):
    """Property access ``target.a.b``."""

    target: Any
    path: tuple[str, ...]


@dataclass(frozen=True)
class Index(BExpr):
    """``target[index]``, or ``target[?index]`` (null instead of an error when missing) when safe."""

    target: Any
    index: Any
    safe: bool = False


@dataclass(frozen=True)
class Call(BExpr):
    """A function call ``fn(args...)``."""

    fn: str
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Interp(BExpr):
    """String interpolation ``'text${expr}text'``: parts are literal str or expression values."""

    parts: tuple[Any, ...]


@dataclass(frozen=True)
class Ternary(BExpr):
    cond: Any
    if_true: Any
    if_false: Any


@dataclass(frozen=True)
class BinOp(BExpr):
    op: str  # == != && || < <= > >= + - * / %
    left: Any
    right: Any


@dataclass(frozen=True)
class Not(BExpr):
    operand: Any


@dataclass(frozen=True)
class Lambda(BExpr):
    """A lambda argument of map/filter/reduce: ``x => body`` or ``(a, b) => body``."""

    params: tuple[str, ...]
    body: Any


class OptionalKeysObject(BExpr, MutableMapping):  # type: ignore[misc]
    """An object literal some of whose keys exist only under a condition (Bicep has no conditional keys):
    renders as ``union({fixed...}, (cond ? {key: value} : {}), ...)``. As a mapping it holds every key,
    a conditional one with its :class:`Ternary` value (None on the side where the key is absent), so
    code that inspects an object (``'key' in properties``) reads it like a dict."""

    __slots__ = ("fixed", "optional")

    def __init__(self, fixed: Mapping[str, Any], optional: Mapping[str, Ternary]) -> None:
        self.fixed = dict(fixed)
        self.optional = dict(optional)

    def __getitem__(self, key: str) -> Any:
        return self.optional[key] if key in self.optional else self.fixed[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.optional.pop(key, None)
        self.fixed[key] = value

    def __delitem__(self, key: str) -> None:
        if key in self.optional:
            del self.optional[key]
        else:
            del self.fixed[key]

    def __iter__(self) -> Iterator[str]:
        yield from self.fixed
        yield from self.optional

    def __len__(self) -> int:
        return len(self.fixed) + len(self.optional)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OptionalKeysObject):
            return (self.fixed, self.optional) == (other.fixed, other.optional)
        return NotImplemented

    def __deepcopy__(self, memo: dict[int, Any]) -> OptionalKeysObject:
        import copy

        return OptionalKeysObject(copy.deepcopy(self.fixed, memo), copy.deepcopy(self.optional, memo))

    def as_call(self) -> Call:
        parts: list[Any] = [self.fixed]
        for key, value in self.optional.items():
            if_true = {} if value.if_true is None else {key: value.if_true}
            if_false = {} if value.if_false is None else {key: value.if_false}
            parts.append(Ternary(value.cond, if_true, if_false))
        return Call("union", tuple(parts))


_BINARY_OPS = frozenset({"==", "!=", "&&", "||", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "??"})
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYWORDS = frozenset(
    {"true", "false", "null", "if", "for", "in", "resource", "param", "var", "output", "module", "existing"}
)
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class RenderError(TypeError):
    """A value that has no Bicep rendering (a bug in a mapper, never user input)."""


def escape_text(text: str) -> str:
    """Escape literal text for the inside of a Bicep single-quoted string.

    >>> escape_text("it's ${x}\\\\n")
    "it\\\\'s \\\\${x}\\\\\\\\n"
    """
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "/" and text[i + 1 : i + 2] in ("/", "*") and (i == 0 or not _plain_before(text[i - 1])):
            # tree-sitter-bicep lexes '//' or '/*' at the start of string content (after the quote, an
            # escape, an interpolation or blanks) as a comment; \u{2F} is the same '/' to Bicep
            out.append("\\u{2F}")
            i += 1
            continue
        if ch == "$" and text.startswith("${", i):
            out.append("\\${")
            i += 2
            continue
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):X}}}")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _plain_before(ch: str) -> bool:
    return not ch.isspace() and ch not in _ESCAPES and ord(ch) >= 0x20 and ord(ch) != 0x7F


def string_literal(text: str) -> str:
    """A Bicep string literal whose value is exactly ``text``.

    >>> print(string_literal("a'b"))
    'a\\'b'
    """
    return "'" + escape_text(text) + "'"


def comment_text(text: str, limit: int = 200) -> str:
    """User text made safe for a ``//`` comment: one line, no control characters, bounded length."""
    visible = "".join(ch if ord(ch) >= 0x20 and ord(ch) != 0x7F else " " for ch in str(text))
    flat = " ".join(visible.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def key_text(key: Any) -> str:
    """An object key: bare when it is an identifier, otherwise a (possibly interpolated) string."""
    if isinstance(key, str):
        if _IDENT.match(key) and key not in _KEYWORDS:
            return key
        return string_literal(key)
    if isinstance(key, Interp):
        return render(key)
    raise RenderError(f"an object key must be a string or an interpolation, not {type(key).__name__}")


def render(value: Any, indent: int = 0) -> str:
    """Bicep text for a literal or expression value. ``indent`` is the current indentation level."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Bicep has no decimal literals; json() parses one at deployment
        if value.is_integer():
            return str(int(value))
        return f"json({string_literal(repr(value))})"
    if isinstance(value, str):
        return string_literal(str(value))
    if isinstance(value, BExpr):
        return _render_expr(value, indent)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        pad = "  " * (indent + 1)
        lines = [f"{pad}{key_text(k)}: {render(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + "\n".join(lines) + "\n" + "  " * indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        pad = "  " * (indent + 1)
        lines = [f"{pad}{render(v, indent + 1)}" for v in value]
        if isinstance(value[0], Call):
            # tree-sitter-bicep misreads a call that opens a multi-line array in some contexts
            # ('[\n  f(x)\n  y\n]'); the parenthesised call is the same value to Bicep
            lines[0] = f"{pad}({render(value[0], indent + 1)})"
        return "[\n" + "\n".join(lines) + "\n" + "  " * indent + "]"
    raise RenderError(f"no Bicep rendering for {type(value).__name__}: {value!r}")


def _render_expr(node: BExpr, indent: int) -> str:
    if isinstance(node, OptionalKeysObject):
        return render(node.as_call() if node.optional else node.fixed, indent)
    if isinstance(node, Ident):
        if not _IDENT.match(node.name):
            raise RenderError(f"invalid Bicep identifier {node.name!r}")
        return node.name
    if isinstance(node, Prop):
        base = render(node.target, indent)
        if not isinstance(node.target, (Ident, Prop, Index, Call)):
            base = f"({base})"
        parts = [base]
        for name in node.path:
            parts.append(f".{name}" if _IDENT.match(name) else f"[{string_literal(name)}]")
        return "".join(parts)
    if isinstance(node, Index):
        base = render(node.target, indent)
        if not isinstance(node.target, (Ident, Prop, Index, Call)):
            base = f"({base})"
        return f"{base}[{'?' if node.safe else ''}{render(node.index, indent)}]"
    if isinstance(node, Call):
        if not _IDENT.match(node.fn.replace(".", "_")):
            raise RenderError(f"invalid Bicep function name {node.fn!r}")
        return f"{node.fn}({', '.join(render(a, indent) for a in node.args)})"
    if isinstance(node, Interp):
        out = ["'"]
        for part in node.parts:
            if isinstance(part, str):
                out.append(escape_text(part))
            elif isinstance(part, Interp):
                out.append(render(part, indent)[1:-1])
            else:
                out.append("${" + render(part, indent) + "}")
        out.append("'")
        return "".join(out)
    if isinstance(node, Ternary):
        return f"({render(node.cond, indent)} ? {render(node.if_true, indent)} : {render(node.if_false, indent)})"
    if isinstance(node, BinOp):
        if node.op not in _BINARY_OPS:
            raise RenderError(f"unknown operator {node.op!r}")
        return f"({render(node.left, indent)} {node.op} {render(node.right, indent)})"
    if isinstance(node, Not):
        return f"!({render(node.operand, indent)})"
    if isinstance(node, Lambda):
        if not node.params or not all(_IDENT.match(p) and p not in _KEYWORDS for p in node.params):
            raise RenderError(f"invalid lambda parameters {node.params!r}")
        params = node.params[0] if len(node.params) == 1 else f"({', '.join(node.params)})"
        return f"{params} => {render(node.body, indent)}"
    raise RenderError(f"no Bicep rendering for expression node {type(node).__name__}")


def interp(*parts: Any) -> Any:
    """Build an interpolation, merging adjacent text; plain text stays a plain string.

    >>> interp("st", Ident("token"))
    Interp(parts=('st', Ident(name='token')))
    >>> interp("a", "b")
    'ab'
    """
    merged: list[Any] = []
    for part in parts:
        pieces = part.parts if isinstance(part, Interp) else (part,)
        for piece in pieces:
            if isinstance(piece, str) and merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + piece
            elif not (isinstance(piece, str) and piece == ""):
                merged.append(piece)
    if all(isinstance(p, str) for p in merged):
        return "".join(merged)
    return Interp(tuple(merged))


def identifier(text: str, default: str = "x") -> str:
    """A lower-camel Bicep identifier made from arbitrary text.

    >>> identifier("Orders-Queue_1")
    'ordersQueue1'
    >>> identifier("9lives")
    'x9lives'
    """
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]
    if not words:
        return default
    first = words[0]
    name = first[0].lower() + first[1:] + "".join(w[0].upper() + w[1:] for w in words[1:])
    if not name[0].isalpha():
        name = default + name
    return name


def identifiers(value: Any) -> Iterator[str]:
    """The names of the params, vars and resources a Bicep value tree refers to (object keys too)."""
    if isinstance(value, Ident):
        yield value.name
    elif isinstance(value, Mapping):  # before the dataclass test: an OptionalKeysObject is both
        for key, item in value.items():
            yield from identifiers(key)
            yield from identifiers(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from identifiers(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from identifiers(item)
