"""Rule ids are stable, unique and documented; every rule is reachable from the code."""

from __future__ import annotations

import re

import pytest

from tests.golden.cases import PROJECT
from translator.rules import RULES, DuplicateRuleError, Rule, _catalogue, rules_markdown


def test_ids_are_shaped_and_sorted() -> None:
    assert all(re.fullmatch(r"LF\d{4}", rule_id) for rule_id in RULES)
    assert list(RULES) == sorted(RULES)
    assert all(rule.id == rule_id for rule_id, rule in RULES.items())


def test_duplicates_and_bad_ids_are_refused() -> None:
    rule = Rule("LF9999", "info", "t", "d", "s")
    with pytest.raises(DuplicateRuleError):
        _catalogue(rule, rule)
    with pytest.raises(ValueError):
        _catalogue(Rule("X1", "info", "t", "d", "s"))
    with pytest.raises(ValueError):
        _catalogue(Rule("LF0100", "fatal", "t", "d", "s"))


def test_docs_rules_md_is_current() -> None:
    path = PROJECT / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_markdown(), (
        "run: lambda2func rules --markdown > docs/rules.md"
    )


def test_every_rule_is_used_by_the_code_or_data() -> None:
    sources = "\n".join(
        p.read_text(encoding="utf-8")
        for folder in ("translator", "mappings")
        for p in (PROJECT / folder).rglob("*")
        if p.suffix in (".py", ".yaml") and p.name != "rules.py"
    )
    unused = [
        rule_id
        for rule_id, rule in RULES.items()
        if not rule.retired and f'"{rule_id}"' not in sources and f"rule: {rule_id}" not in sources
    ]
    assert unused == []


def test_every_rule_has_text() -> None:
    for rule in RULES.values():
        assert rule.title and rule.description.endswith(".") and rule.suggestion.endswith(".")


def test_markdown_lists_every_rule() -> None:
    text = rules_markdown()
    for rule_id in RULES:
        assert f"## {rule_id}" in text
