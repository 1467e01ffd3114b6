"""Azure quotas on how many children one parent holds: more of them make the deployment fail.

The Bicep type check cannot see these (each resource is valid on its own), so after mapping the children
of each parent are counted against ``child_limits`` in ``mappings/azure.yaml``, e.g. the 20 consumer
groups of an Event Hubs Standard event hub, which one function per Kinesis reader can exceed.
"""

from __future__ import annotations

from collections import defaultdict

from translator.bicep import Ident
from translator.mapping.context import Builder
from translator.values import Loc


def check_child_limits(b: Builder) -> None:
    """LF1019 for each parent with more children of a type than its SKU allows."""
    limits = b.tables.azure.get("child_limits", {})
    children: dict[tuple[str, str], list[str]] = defaultdict(list)
    for resource in b.resources:
        parent = resource.body.get("parent")
        if resource.type in limits and isinstance(parent, Ident):
            children[(resource.type, parent.name)].append(resource.symbol)
    for (azure_type, parent), symbols in children.items():
        limit = limits[azure_type]
        if len(symbols) <= limit["limit"]:
            continue
        sources = _sources(b, symbols)
        first_over = _sources(b, symbols[limit["limit"] :])
        made_from = f" (made from {', '.join(sources)})" if sources else ""
        b.finding(
            "LF1019",
            f"{len(symbols)} {azure_type} under '{parent}' in main.bicep{made_from}, more than the "
            f"{limit['limit']} that "
            f"{limit['parent']} holds: the deployment fails",
            _loc(b, first_over),
            first_over[0] if first_over else None,
            suggestion=limit["instead"][:1].upper() + limit["instead"][1:] + ".",
        )


def _sources(b: Builder, symbols: list[str]) -> list[str]:
    """The template resources the Azure resources were made from, in order, once each."""
    seen: dict[str, None] = {}
    for symbol in symbols:
        resource = b.resource(symbol)
        for source in resource.sources if resource else ():
            seen.setdefault(source, None)
    return list(seen)


def _loc(b: Builder, sources: list[str]) -> Loc | None:
    functions = {fn.logical_id: fn for fn in b.graph.functions}
    for source in sources:
        node = b.graph.resource(source) or functions.get(source)
        if node is not None and node.loc is not None:
            return node.loc
    return None
