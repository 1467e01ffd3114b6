"""Differential test: the SAM reading and the CloudFormation reading of one application agree.

For every pair ``corpus/sam/sam-translator/sam-translator__X.yaml`` (a SAM template) and
``corpus/reference/sam-translator-output/X.json`` (the CloudFormation that AWS's own SAM translator
expanded it into), both readings must find the same functions (logical ids) and, per function, the
same multiset of trigger kinds. Differences are printed (run with -s); the few that cannot be
resolved are listed below with the reason.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from translator.load import InputError, load_file
from translator.parsers.template import parse_document

PREFIX = "sam-translator__"

#: pairs whose readings differ for a reason the SAM template alone cannot settle
ALLOWED = {
    # a function named ServerlessRestApi collides with SAM's implicit API id; SAM's output replaces the
    # function with the API, so the expanded template no longer has it
    "implicit_api_with_serverless_rest_api_resource",
    # RestApiId is a literal string, not a Ref: SAM adds neither a route nor a permission for the event
    "explicit_api_with_invalid_events_config",
    # ApiId is a literal string: the expanded Permission names an API id that does not say whether the
    # API is a REST or an HTTP API, so the CloudFormation reading cannot tell the event's kind
    "http_api_def_uri",
    # the expanded Body lacks the event's '/any/lambda-request' route although its Permission exists
    "api_with_swagger_authorizer_none",
}


def _triggers(path: Path) -> dict[str, Counter[str]] | str:
    try:
        graph = parse_document(load_file(path))
    except InputError as exc:
        return f"input error: {exc}"
    return {fn.logical_id: Counter(e.kind for e in fn.events) for fn in graph.functions}


def _difference(sam: dict[str, Counter[str]] | str, cfn: dict[str, Counter[str]] | str) -> str | None:
    if isinstance(sam, str) or isinstance(cfn, str):
        return None if sam == cfn else f"SAM: {sam}; CloudFormation: {cfn}"
    reasons = []
    for fn in sorted(set(sam) | set(cfn)):
        if fn not in cfn:
            reasons.append(f"{fn} only in the SAM reading")
        elif fn not in sam:
            reasons.append(f"{fn} only in the CloudFormation reading")
        elif sam[fn] != cfn[fn]:
            reasons.append(
                f"{fn}: SAM {dict(sorted(sam[fn].items()))} != CloudFormation {dict(sorted(cfn[fn].items()))}"
            )
    return "; ".join(reasons) or None


def _pairs(shared: Path) -> list[tuple[str, Path, Path]]:
    sam_dir = shared / "corpus" / "sam" / "sam-translator"
    ref_dir = shared / "corpus" / "reference" / "sam-translator-output"
    pairs = []
    for sam in sorted(sam_dir.glob(f"{PREFIX}*.yaml")):
        name = sam.name[len(PREFIX) : -len(".yaml")]
        if (ref_dir / f"{name}.json").is_file():
            pairs.append((name, sam, ref_dir / f"{name}.json"))
    return pairs


def test_sam_and_expanded_cloudformation_find_the_same_triggers(shared_dir: Path) -> None:
    pairs = _pairs(shared_dir)
    assert len(pairs) > 500  # the corpus holds 543 pairs: a wrong glob must not pass vacuously
    differ = {}
    for name, sam, cfn in pairs:
        reason = _difference(_triggers(sam), _triggers(cfn))
        if reason:
            differ[name] = reason
    agree = len(pairs) - len(differ)
    print(f"\ndifferential: {agree}/{len(pairs)} pairs agree; {len(differ)} differ")
    for name, reason in sorted(differ.items()):
        print(f"  {name}{' (allowed)' if name in ALLOWED else ''}: {reason}")
    unexpected = {n: r for n, r in differ.items() if n not in ALLOWED}
    assert not unexpected, "\n".join(f"{n}: {r}" for n, r in sorted(unexpected.items()))
    stale = sorted(ALLOWED - set(differ))
    assert not stale, f"allow-listed pairs that now agree (remove them from ALLOWED): {stale}"


def test_difference_reports_kind_counts() -> None:
    assert _difference({"F": Counter({"api": 2})}, {"F": Counter({"api": 2})}) is None
    assert _difference({"F": Counter({"api": 1})}, {"F": Counter({"api": 2})}) == (
        "F: SAM {'api': 1} != CloudFormation {'api': 2}"
    )
    assert _difference({"F": Counter()}, {}) == "F only in the SAM reading"


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_allowed_pairs_exist(name: str, shared_dir: Path) -> None:
    assert name in {n for n, _, _ in _pairs(shared_dir)}
