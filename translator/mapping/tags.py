"""A Lambda function's ``Tags`` become tags on the function app that hosts it.

SAM gives a map, CloudFormation a list of ``{Key, Value}``. Functions that share an app share its tags:
the first function (in template order) that sets a key wins, and a different value elsewhere is reported.
Azure tag names cannot hold ``< > % & \\ ? /`` and are at most 512 characters, values at most 256
(Azure Resource Manager tag limits), so such tags are reported instead of emitted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from translator.findings import Disposition
from translator.mapping.context import Builder
from translator.mapping.expressions import Expressions
from translator.mapping.functions import FunctionSettings
from translator.mapping.secrets_detect import literal_secret
from translator.values import Arr, Obj

_FORBIDDEN = re.compile(r"[<>%&\\?/]")
MAX_NAME, MAX_VALUE = 512, 256


def app_tags(
    b: Builder, x: Expressions, app_name: str, members: Sequence[FunctionSettings]
) -> dict[str, Any]:
    """The tags the members' ``Tags`` give their app; each member's outcome is recorded for the report."""
    merged: dict[str, tuple[Any, str]] = {}
    for fs in members:
        props = fs.fn.properties
        if "Tags" not in props:
            continue
        lid, loc = fs.fn.logical_id, props.loc_of("Tags")
        pairs = _pairs(props["Tags"])
        if pairs is None:
            b.finding(
                "LF2009", "Tags is neither a map nor a list of Key/Value pairs; not translated", loc, lid
            )
            fs.outcomes["Tags"] = (Disposition.UNSUPPORTED, "LF2009")
            continue
        problems: list[str] = []
        secret_dropped = False
        for key, value in pairs:
            if not isinstance(key, str) or not key or _FORBIDDEN.search(key) or len(key) > MAX_NAME:
                problems.append(
                    f"tag '{key}' is not a valid Azure tag name (no < > % & \\ ? /, 1-512 characters)"
                )
                continue
            looks = literal_secret(value)
            if looks:
                # a tag is plain metadata anyone with read access sees: a credential has no place there
                b.finding(
                    "LF5023",
                    f"tag '{key}' of {lid} looks secret ({looks}): it is not set on the app; the value is not "
                    "copied",
                    loc,
                    lid,
                )
                secret_dropped = True
                continue
            rendered = x.string(value, f"{lid}.Tags.{key}", lid, loc)
            if isinstance(rendered, str) and len(rendered) > MAX_VALUE:
                problems.append(f"tag '{key}' has a value longer than Azure's {MAX_VALUE} characters")
                continue
            if key in merged and merged[key][0] != rendered:
                problems.append(
                    f"tag '{key}' differs from the value '{merged[key][1]}' gives app '{app_name}'"
                )
                continue
            merged.setdefault(key, (rendered, lid))
        for problem in problems:
            b.finding("LF2030", f"{problem}; not set on the app", loc, lid)
        if problems:
            fs.outcomes["Tags"] = (Disposition.APPROXIMATED, "LF2030")
        elif secret_dropped:
            fs.outcomes["Tags"] = (Disposition.APPROXIMATED, "LF5023")
        else:
            fs.outcomes["Tags"] = (Disposition.CONVERTED, None)
    return {key: value for key, (value, _) in merged.items()}


def _pairs(tags: Any) -> list[tuple[Any, Any]] | None:
    if isinstance(tags, Obj):
        return list(tags.items())
    if isinstance(tags, Arr) and all(isinstance(t, Obj) and "Key" in t for t in tags):
        return [(t["Key"], t.get("Value", "")) for t in tags]
    return None
