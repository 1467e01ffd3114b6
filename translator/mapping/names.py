"""Azure names from the names a template gives: what each Azure resource kind allows, and the finding
(LF1018) that says so when an explicit name had to change.

Each kind lists the Azure rules as (test, text) pairs and a function that makes any name follow them;
:func:`rename` reports the rules the template's name broke. Sources: Azure's resource name rules
(Microsoft.Storage containers, Microsoft.ServiceBus queues, Microsoft.EventHub event hubs,
Microsoft.EventGrid topics), the Cosmos DB container id limits, and the Functions host's function name
check (``^[a-z][a-z0-9_-]{0,127}$``, case-insensitive, and not ``host``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from translator.mapping.context import Builder
from translator.values import Loc


def kebab(text: str, limit: int = 63) -> str:
    """A lower-case, hyphenated resource name made from a logical id.

    >>> kebab("OrdersQueue")
    'orders-queue'
    >>> kebab("S3Bucket_images")
    's3-bucket-images'
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text)
    name = re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")
    return (name or "x")[:limit].strip("-")


def container_name(text: str) -> str:
    """A blob container name (3-63 lower-case letters, digits and single hyphens) from a bucket name or id.

    >>> container_name("my.images.bucket"), container_name("B")
    ('my-images-bucket', 'b-bucket')
    """
    name = kebab(text.replace(".", "-"), 63)
    return name if len(name) >= 3 else f"{name}-bucket"


def _entity_name(limit: int, allowed: str) -> Callable[[str], str]:
    """Service Bus queue / event hub names: ``allowed`` characters, letter or digit at both ends."""

    def fix(text: str) -> str:
        name = re.sub(f"[^{allowed}]+", "-", text)[:limit]
        return re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", name)

    return fix


def cosmos_container_id(text: str) -> str:
    """A Cosmos DB container id: no '/', '\\\\', '#' or '?', no trailing space, at most 255 characters.

    >>> cosmos_container_id("orders/2024#eu? ")
    'orders-2024-eu-'
    """
    return re.sub(r"[/\\#?]", "-", text)[:255].rstrip(" ")


def function_name(text: str) -> str:
    """An Azure function name: starts with a letter; letters, digits, '_' and '-'; at most 128; not 'host'.

    A name cut to length ends with a hash of the whole name, so two long names stay two names.

    >>> function_name("hello.world"), function_name("1st"), function_name("host")
    ('hello-world', 'fn-1st', 'host-fn')
    >>> len(function_name("F" * 200))
    128
    """
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", text)
    if not re.match(r"[A-Za-z]", name):
        name = f"fn-{name}"
    if len(name) > 128:
        name = f"{name[:119]}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    return "host-fn" if name.lower() == "host" else name


#: The Functions host takes its host ID from the first 32 characters of the app name unless the app setting
#: AzureFunctionsWebHost__hostid gives one; apps whose IDs collide on one host storage account stop (AZFD0004).
#: A host ID has 1-32 lower-case letters, digits and single hyphens, a letter or digit at both ends.
HOST_ID_LENGTH = 32
#: the resourceToken (uniqueString, 13 characters) follows the app's key and a hyphen
HOST_ID_KEY_LENGTH = HOST_ID_LENGTH - 13 - 1
HOST_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def host_id_keys(app_names: list[str]) -> dict[str, str]:
    """A distinct host ID key (at most 18 characters) for each app, in the order given.

    The host ID is ``<key>-<resourceToken>``: the apps of one deployment share the token, so the keys alone
    keep their IDs apart. A name too long for the key keeps its start and gets a hash of the whole name,
    so the key does not depend on the other apps; a key already taken (equal cut names and hashes) gets
    ``-2``, ``-3`` ...

    >>> host_id_keys(["orders-api", "order-processing-worker-function", "order-processing-worker-funct-2"])
    {'orders-api': 'orders-api', 'order-processing-worker-function': 'order-proce-ab88ba', 'order-processing-worker-funct-2': 'order-proce-249299'}
    """
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for name in app_names:
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "app"
        key = base
        if len(base) > HOST_ID_KEY_LENGTH:
            digest = hashlib.sha256(name.encode()).hexdigest()[:6]
            key = f"{base[: HOST_ID_KEY_LENGTH - 7].rstrip('-')}-{digest}"
        n = 2
        while key in taken:
            suffix = f"-{n}"
            key = f"{base[: HOST_ID_KEY_LENGTH - len(suffix)].rstrip('-')}{suffix}"
            n += 1
        taken.add(key)
        keys[name] = key
    return keys


@dataclass(frozen=True)
class NameKind:
    """What Azure allows for one kind of name, as rules a name can break, and how to make a name follow them."""

    what: str  # "blob container names"
    rules: tuple[tuple[Callable[[str], bool], str], ...]  # (broken by the name?, what the rule says)
    fix: Callable[[str], str]
    convention: str = ""  # said when the name follows every rule but the generated form differs


def _has(pattern: str) -> Callable[[str], bool]:
    return lambda name: re.search(pattern, name) is not None


def _longer(limit: int) -> Callable[[str], bool]:
    return lambda name: len(name) > limit


_EDGES = "start and end with a letter or digit"

BLOB_CONTAINER = NameKind(
    "blob container names",
    (
        (_has(r"[^a-z0-9-]"), "have only lower-case letters, digits and hyphens"),
        (_has(r"^-|-$|--"), f"{_EDGES}, without two hyphens in a row"),
        (lambda name: len(name) < 3, "are at least 3 characters long"),
        (_longer(63), "are at most 63 characters long"),
    ),
    container_name,
)
SERVICE_BUS_QUEUE = NameKind(
    "Service Bus queue names",
    (
        (_has(r"[^A-Za-z0-9._/-]"), "have only letters, digits, periods, hyphens, underscores and slashes"),
        (_has(r"^[^A-Za-z0-9]|[^A-Za-z0-9]$"), _EDGES),
        (_longer(260), "are at most 260 characters long"),
    ),
    _entity_name(260, "A-Za-z0-9._/-"),
)
EVENT_HUB = NameKind(
    "event hub names",
    (
        (_has(r"[^A-Za-z0-9._-]"), "have only letters, digits, periods, hyphens and underscores"),
        (_has(r"^[^A-Za-z0-9]|[^A-Za-z0-9]$"), _EDGES),
        (_longer(256), "are at most 256 characters long"),
    ),
    _entity_name(256, "A-Za-z0-9._-"),
)
COSMOS_CONTAINER = NameKind(
    "Cosmos DB container ids",
    (
        (_has(r"[/\\#?]"), "have no '/', '\\', '#' or '?'"),
        (_has(r" $"), "do not end with a space"),
        (_longer(255), "are at most 255 characters long"),
    ),
    cosmos_container_id,
)
EVENT_GRID_TOPIC = NameKind(
    "Event Grid topic names",
    (
        (_has(r"[^A-Za-z0-9-]"), "have only letters, digits and hyphens"),
        (
            _longer(24),
            "are at most 50 characters long, which leaves 24 between the prefix and the resourceToken",
        ),
    ),
    lambda text: kebab(text, 24),
    "the tool writes Event Grid topic names in lower case, with hyphens between words",
)
FUNCTION = NameKind(
    "Azure function names",
    (
        (_has(r"[^A-Za-z0-9_-]"), "have only letters, digits, '_' and '-'"),
        (lambda name: not re.match(r"[A-Za-z]", name), "start with a letter"),
        (_longer(128), "are at most 128 characters long"),
        (lambda name: name.lower() == "host", "are not 'host'"),
    ),
    function_name,
)


@dataclass(frozen=True)
class Renamed:
    """An explicit name that Azure takes in another form."""

    old: str
    new: str
    why: str  # the rules the old name broke, e.g. "blob container names have only lower-case letters, ..."

    def message(self) -> str:
        return f"'{self.old}' becomes '{self.new}': {self.why}"


def rename(kind: NameKind, name: str, fallback: str = "") -> tuple[str, Renamed | None]:
    """The Azure name for ``name``, and what changed it (None when Azure takes it as written).

    ``fallback`` (a name made from the logical id) stands in when nothing of ``name`` is left.

    >>> rename(BLOB_CONTAINER, "My.Bucket_Name")[1].message()
    "'My.Bucket_Name' becomes 'my-bucket-name': blob container names have only lower-case letters, digits and hyphens"
    >>> rename(BLOB_CONTAINER, "orders")
    ('orders', None)
    """
    new = kind.fix(name) or fallback or kind.fix("x")
    if new == name:
        return new, None
    broken = [text for test, text in kind.rules if test(name)]
    why = f"{kind.what} {'; '.join(broken)}" if broken else kind.convention or kind.what
    return new, Renamed(name, new, why)


def suggestion(renamed: Renamed) -> str:
    """The finding's suggestion, naming the old and the new name."""
    return (
        f"Update the code, configuration and scripts that use the name '{renamed.old}' to use "
        f"'{renamed.new}', or read the name from the app setting that carries it."
    )


def azure_name(
    b: Builder,
    kind: NameKind,
    name: str,
    loc: Loc | None,
    resource: str | None,
    fallback: str = "",
    shown: Callable[[str], str] | None = None,
) -> str:
    """The Azure name for an explicit ``name`` of the template, with an LF1018 finding when it changed.

    ``shown``: the whole Azure name from the new one, when ``name`` becomes only a part of it (Event Grid
    topics).
    """
    new, renamed = rename(kind, name, fallback)
    if renamed is not None:
        if shown is not None:
            renamed = Renamed(renamed.old, shown(new), renamed.why)
        b.finding("LF1018", renamed.message(), loc, resource, suggestion(renamed))
    return new


__all__ = [
    "BLOB_CONTAINER",
    "COSMOS_CONTAINER",
    "EVENT_GRID_TOPIC",
    "EVENT_HUB",
    "FUNCTION",
    "SERVICE_BUS_QUEUE",
    "NameKind",
    "Renamed",
    "azure_name",
    "container_name",
    "kebab",
    "rename",
    "suggestion",
]
