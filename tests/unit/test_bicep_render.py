"""The one renderer: literals escape structurally, expressions render as expressions, nothing else passes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator import bicep as b

tree_sitter = pytest.importorskip("tree_sitter")
tree_sitter_bicep = pytest.importorskip("tree_sitter_bicep")

_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bicep.language()))
_ESCAPES = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "$": "$"}


def _unescape(body: str) -> str:
    """Bicep's string escapes, decoded independently of the renderer under test."""
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            nxt = body[i + 1]
            if nxt == "u":
                end = body.index("}", i)
                out.append(chr(int(body[i + 3 : end], 16)))
                i = end + 1
                continue
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        out.append(body[i])
        i += 1
    return "".join(out)


def _parse_string_var(literal: str) -> tuple[str, list[str]]:
    """Parse `var x = <literal>`; return the decoded value and the types of problem nodes."""
    source = f"var x = {literal}\n".encode()
    tree = _PARSER.parse(source)
    problems = []
    strings = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            problems.append(node.type)
        if node.type == "interpolation":
            problems.append("interpolation")
        if node.type == "string":
            strings.append(node)
        stack.extend(node.children)
    assert len(strings) == 1, strings
    raw = strings[0].text.decode()
    return _unescape(raw[1:-1]), problems


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "it's",
        "back\\slash",
        "${evil}",
        "'${evil}",
        "line one\nline two",
        "tab\there\r\n",
        "all of them: ' \\ ${x} \n end",
        "\\${already escaped}",
        "bell\x07 and del\x7f",
        "unicode é ✓ 🙂",
        "",
    ],
)
def test_literal_parses_back_to_the_same_text(text: str) -> None:
    value, problems = _parse_string_var(b.string_literal(text))
    assert problems == []
    assert value == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_round_trips(text: str) -> None:
    value, problems = _parse_string_var(b.render(text))
    assert problems == []
    assert value == text


def test_interpolation_escapes_literal_parts_only() -> None:
    node = b.interp("a'${b}", b.Ident("token"), "\n")
    assert b.render(node) == "'a\\'\\${b}${token}\\n'"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (42, "42"),
        (2.0, "2"),
        (1.5, "json('1.5')"),
        ([], "[]"),
        ({}, "{}"),
        (b.Prop(b.Call("resourceGroup"), ("location",)), "resourceGroup().location"),
        (b.Prop(b.Ident("site"), ("properties", "default-host")), "site.properties['default-host']"),
        (b.Index(b.Ident("map"), "k"), "map['k']"),
        (b.Ternary(b.Ident("c"), "a", None), "(c ? 'a' : null)"),
        (b.BinOp("==", b.Ident("stage"), "prod"), "(stage == 'prod')"),
        (b.Not(b.Ident("c")), "!(c)"),
        (b.Call("guid", (b.Prop(b.Ident("s"), ("id",)), "x")), "guid(s.id, 'x')"),
    ],
)
def test_values_render(value: object, expected: str) -> None:
    assert b.render(value) == expected


def test_objects_quote_keys_that_are_not_identifiers() -> None:
    text = b.render({"plain": 1, "with-dash": 2, "resource": 3, b.interp(b.Prop(b.Ident("i"), ("id",))): {}})
    assert text == "{\n  plain: 1\n  'with-dash': 2\n  'resource': 3\n  '${i.id}': {}\n}"


@pytest.mark.parametrize(
    "bad", [object(), {1: "int key"}, b.Ident("not valid"), b.BinOp("<>", 1, 2), b.Call("x y")]
)
def test_unknown_values_are_hard_errors(bad: object) -> None:
    with pytest.raises(b.RenderError):
        b.render(bad)


def test_comment_text_cannot_end_the_line() -> None:
    text = b.comment_text("first\nresource evil 'x' = {}\r\x00 end")
    assert "\n" not in text and "\r" not in text and "\x00" not in text
    assert text == "first resource evil 'x' = {} end"


def test_identifier_is_lower_camel_and_valid() -> None:
    for raw in ["Orders-Queue", "9lives", "a b c", "___", "ÄÖ"]:
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", b.identifier(raw))


def test_safe_index_renders_and_parses() -> None:
    text = b.render(b.BinOp("??", b.Index(b.Index(b.Ident("m"), "a", safe=True), "b", safe=True), "d"))
    assert text == "(m[?'a'][?'b'] ?? 'd')"
    tree = _PARSER.parse(f"var m = {{}}\nvar x = {text}\n".encode())
    assert not tree.root_node.has_error
