"""Immutable value trees read from templates: located literals and CloudFormation intrinsics.

The loader builds these and nothing downstream mutates them. Strings, mappings and lists carry the
source location of the node that produced them; numbers and booleans are plain Python values whose
location is the key that holds them (``Obj.loc_of``). Intrinsic functions are typed nodes, never
one-key dicts, so no later stage has to guess what ``{"Ref": ...}`` means.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A position in an input file (1-based line and column)."""

    file: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Str(str):
    """A string that remembers where it was written."""

    loc: Loc | None

    def __new__(cls, value: str, loc: Loc | None = None) -> Str:
        obj = super().__new__(cls, value)
        obj.loc = loc
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Str, (str(self), self.loc))


class Arr(tuple):
    """An immutable list that remembers where it was written."""

    loc: Loc | None

    def __new__(cls, items: Any = (), loc: Loc | None = None) -> Arr:
        obj = super().__new__(cls, items)
        obj.loc = loc
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Arr, (tuple(self), self.loc))


class Obj(Mapping[str, Any]):
    """An immutable, insertion-ordered mapping with the location of itself and of each key."""

    __slots__ = ("_hash", "_items", "_key_locs", "loc")

    def __init__(
        self,
        items: Mapping[str, Any] | None = None,
        loc: Loc | None = None,
        key_locs: Mapping[str, Loc] | None = None,
    ) -> None:
        self._items: dict[str, Any] = dict(items or {})
        self._key_locs: dict[str, Loc] = dict(key_locs or {})
        self._hash: int | None = None
        self.loc = loc

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple((k, _hashable(v)) for k, v in self._items.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"Obj({self._items!r})"

    def loc_of(self, key: str) -> Loc | None:
        """Where ``key`` was written, falling back to the mapping itself."""
        return self._key_locs.get(key, self.loc)

    def with_items(self, items: Mapping[str, Any]) -> Obj:
        """A new Obj with ``items`` replacing this one's, keeping known key locations."""
        return Obj(items, self.loc, {k: v for k, v in self._key_locs.items() if k in items})


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _hashable(v)) for k, v in value.items())
    return value


# --------------------------------------------------------------------------------------------------
# Intrinsic functions


@dataclass(frozen=True)
class Intrinsic:
    """Base of every CloudFormation intrinsic node. ``loc`` is not part of equality."""

    loc: Loc | None = field(default=None, compare=False, repr=False, kw_only=True)

    #: the CloudFormation name, for messages
    fn_name = "Intrinsic"


@dataclass(frozen=True)
class Ref(Intrinsic):
    target: str
    fn_name = "Ref"


@dataclass(frozen=True)
class GetAtt(Intrinsic):
    resource: str
    attribute: Any  # a str, or an intrinsic in the list form
    fn_name = "Fn::GetAtt"


@dataclass(frozen=True)
class Sub(Intrinsic):
    """``Fn::Sub`` already split into literal text and the references it interpolates.

    ``${!Literal}`` escapes are resolved at load time into literal text; local variables from the
    two-argument form are substituted by their value trees.
    """

    parts: tuple[Any, ...]
    fn_name = "Fn::Sub"


@dataclass(frozen=True)
class Join(Intrinsic):
    delimiter: Any
    items: Any
    fn_name = "Fn::Join"


@dataclass(frozen=True)
class Select(Intrinsic):
    index: Any
    items: Any
    fn_name = "Fn::Select"


@dataclass(frozen=True)
class Split(Intrinsic):
    delimiter: Any
    source: Any
    fn_name = "Fn::Split"


@dataclass(frozen=True)
class If(Intrinsic):
    condition: str
    if_true: Any
    if_false: Any
    fn_name = "Fn::If"


@dataclass(frozen=True)
class Equals(Intrinsic):
    left: Any
    right: Any
    fn_name = "Fn::Equals"


@dataclass(frozen=True)
class And(Intrinsic):
    items: tuple[Any, ...]
    fn_name = "Fn::And"


@dataclass(frozen=True)
class Or(Intrinsic):
    items: tuple[Any, ...]
    fn_name = "Fn::Or"


@dataclass(frozen=True)
class Not(Intrinsic):
    item: Any
    fn_name = "Fn::Not"


@dataclass(frozen=True)
class ConditionRef(Intrinsic):
    name: str
    fn_name = "Condition"


@dataclass(frozen=True)
class FindInMap(Intrinsic):
    map_name: Any
    top_key: Any
    second_key: Any
    default: Any = None
    fn_name = "Fn::FindInMap"


@dataclass(frozen=True)
class Base64(Intrinsic):
    value: Any
    fn_name = "Fn::Base64"


@dataclass(frozen=True)
class GetAZs(Intrinsic):
    region: Any
    fn_name = "Fn::GetAZs"


@dataclass(frozen=True)
class Cidr(Intrinsic):
    block: Any
    count: Any
    bits: Any
    fn_name = "Fn::Cidr"


@dataclass(frozen=True)
class ImportValue(Intrinsic):
    name: Any
    fn_name = "Fn::ImportValue"


@dataclass(frozen=True)
class Transform(Intrinsic):
    name: Any
    parameters: Any
    fn_name = "Fn::Transform"


@dataclass(frozen=True)
class OtherIntrinsic(Intrinsic):
    """An ``Fn::*`` we know by name but do not model (Length, ToJsonString, Rain::*, ...)."""

    name: str
    args: Any
    #: a Serverless variable's fallback that is the default of its parameter (``${env:X, 'info'}``)
    default: Any = None
    fn_name = "Fn::?"


@dataclass(frozen=True)
class BadIntrinsic(Intrinsic):
    """An intrinsic whose arguments have the wrong shape; the loader reported it already."""

    name: str
    args: Any
    reason: str
    fn_name = "Fn::?"


def intrinsic_label(node: Intrinsic) -> str:
    """How a message shows an intrinsic: its name, or as written when it is one we do not model.

    >>> intrinsic_label(OtherIntrinsic("Fn::Fn::ImportValue", "shared-QueueArn"))
    '!Fn::ImportValue shared-QueueArn'
    >>> intrinsic_label(OtherIntrinsic("Fn::Length", Arr([1, 2])))
    '!Length'
    >>> intrinsic_label(OtherIntrinsic("Serverless::ssm", "ssm:/app/key"))
    '${ssm:/app/key}'
    """
    if not isinstance(node, (OtherIntrinsic, BadIntrinsic)):
        return node.fn_name
    if node.name.startswith("Serverless::"):
        return "${" + node.args + "}" if isinstance(node.args, str) else node.name
    tag = "!" + node.name.removeprefix("Fn::")
    return f"{tag} {node.args}" if isinstance(node.args, str) else tag


Value = Union[str, int, float, bool, None, Obj, Arr, Intrinsic]  # noqa: UP007 - a runtime alias on 3.10

PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)


def loc_of(value: Any, default: Loc | None = None) -> Loc | None:
    """The location carried by ``value``, or ``default``."""
    loc = getattr(value, "loc", None)
    return loc if isinstance(loc, Loc) else default


def walk(value: Any) -> Iterator[Any]:
    """Every node of a value tree, depth first, with an explicit stack (deep input is no problem)."""
    stack = [value]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Obj):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, (Arr, tuple, list)):
            stack.extend(reversed(list(node)))
        elif isinstance(node, Intrinsic):
            stack.extend(reversed(list(intrinsic_children(node))))


def intrinsic_children(node: Intrinsic) -> tuple[Any, ...]:
    """The argument values of an intrinsic node."""
    if isinstance(node, Sub):
        return node.parts
    if isinstance(node, (And, Or)):
        return node.items
    values = []
    for name in node.__dataclass_fields__:
        if name == "loc":
            continue
        values.append(getattr(node, name))
    return tuple(values)


def literal_int(value: Any) -> int | None:
    """An integer written literally (``60``, ``"60"``, ``60.0``); None for expressions and booleans.

    >>> literal_int(Str("60")), literal_int(60.0), literal_int(True), literal_int(Ref("X"))
    (60, 60, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and str(value).strip().isdigit():
        return int(str(value))
    return None


def plain(value: Any) -> Any:
    """A JSON-like Python copy of a literal tree (``Str`` → ``str``, ``Obj`` → ``dict``)."""
    if isinstance(value, Obj):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (Arr, list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Str):
        return str(value)
    return value
