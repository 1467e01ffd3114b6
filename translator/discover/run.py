"""Discovery from start to end: regions, then functions (concurrently), usage, stack drift, the document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from translator import __version__
from translator.discover import document
from translator.discover.gaps import UNKNOWN, Gaps
from translator.discover.lambda_inventory import FunctionReader
from translator.discover.metrics import DAYS, read_metrics
from translator.discover.pool import DEFAULT_WORKERS, run_all
from translator.discover.progress import Progress
from translator.discover.session import MAX_ATTEMPTS, Clients
from translator.load import InputError


@dataclass(frozen=True)
class DiscoverOptions:
    regions: tuple[str, ...] = ()
    all_regions: bool = False
    profile: str | None = None
    endpoint_url: str | None = None
    functions: tuple[str, ...] = ()  # names or ARNs; empty = every function
    stack: str | None = None
    template: Path | None = None  # compare with this file instead of the stack's original template
    include_env_values: bool = False
    metrics: bool = True
    workers: int = DEFAULT_WORKERS
    max_attempts: int = MAX_ATTEMPTS  # per call, under botocore's adaptive retry mode
    now: datetime | None = None  # fixed in tests; the clock otherwise


@dataclass
class Discovery:
    """The document and what the command line tells the user about it."""

    document: dict[str, Any]
    gaps: list[dict[str, Any]] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # --function names found in no region


def discover(options: DiscoverOptions, progress: Progress | None = None) -> Discovery:
    progress = progress or Progress("discovering", enabled=False)
    clients = Clients(
        options.profile,
        options.endpoint_url,
        max_pool_connections=max(10, options.workers + 2),
        max_attempts=options.max_attempts,
    )
    gaps = Gaps()
    now = options.now or datetime.now(timezone.utc)
    # a template on disk is read first: a broken one stops the run before any call is made
    on_disk = _template_graph(options.template, None, str(options.stack)) if options.template else None
    regions = _regions(options, clients, gaps)
    account = _account(clients, gaps, regions[0])

    # 1. what runs in each region (one listing a region, regions in parallel)
    listings = run_all(
        regions, lambda region: _list(clients, gaps, region, options.functions), options.workers
    )
    work = [
        (region, name, listed)
        for region, found in zip(regions, listings, strict=True)
        for name, listed in found
    ]

    # 2. every function, all regions at once
    progress.start(len(work), "reading functions")

    def read(item: tuple[str, str, dict[str, Any] | None]) -> dict[str, Any] | None:
        region, name, listed = item
        reader = FunctionReader(
            clients.client("lambda", region),
            gaps,
            region,
            options.include_env_values,
            lambda service: clients.client(service, region),
        )
        return reader.read(name, listed)

    entries = [e for e in run_all(work, read, options.workers, progress.advance) if e is not None]
    progress.finish()

    # 3. usage, one batched CloudWatch read a region
    if options.metrics:
        per_region: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            per_region.setdefault(entry["region"], []).append(entry)

        def usage(region: str) -> dict[str, Any]:
            names = [e["name"] for e in per_region[region]]
            return read_metrics(clients.client("cloudwatch", region), gaps, region, names, now)

        for region, found in zip(per_region, run_all(list(per_region), usage, options.workers), strict=True):
            for entry in per_region[region]:
                value = found.get(entry["name"], UNKNOWN)
                if value is UNKNOWN:
                    entry["unknown"].append("metrics")
                else:
                    entry["metrics"] = value

    entries.sort(key=lambda e: (e["region"], e["name"]))
    for entry in entries:
        entry["unknown"] = sorted(entry["unknown"])  # in a stable order, not the order calls failed in
    if account is None:
        account = next((e["arn"].split(":")[4] for e in entries), None)
    doc: dict[str, Any] = {
        "kind": document.KIND,
        "schemaVersion": document.SCHEMA_VERSION,
        "tool": {"name": "lambda2func", "version": __version__},
        "source": {
            "account": account,
            "partition": next((e["arn"].split(":")[1] for e in entries), "aws"),
            "regions": list(regions),
            "discoveredAt": now.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "endpointUrl": options.endpoint_url,
            "profile": options.profile,
            "functionFilter": list(options.functions),
            "includeEnvValues": options.include_env_values,
            "metricsDays": DAYS if options.metrics else None,
        },
        "functions": entries,
        "gaps": [],
    }
    if options.stack:
        doc["drift"] = _drift(options, clients, gaps, regions, entries, on_disk)
    doc["gaps"] = [g.as_json() for g in gaps.items]
    problems = document.schema_errors(doc)
    if problems:  # a bug, not bad input: the document we built must match our own schema
        path, message = problems[0]
        raise AssertionError(f"inventory does not match its schema at {'/'.join(map(str, path))}: {message}")
    found_names = {e["name"] for e in entries} | {e["arn"] for e in entries}
    missing = [n for n in options.functions if n not in found_names and _name_of(n) not in found_names]
    return Discovery(doc, doc["gaps"], missing)


def _name_of(name_or_arn: str) -> str:
    return name_or_arn.split(":function:", 1)[-1].split(":", 1)[0]


def _regions(options: DiscoverOptions, clients: Clients, gaps: Gaps) -> list[str]:
    if options.regions:
        return list(dict.fromkeys(options.regions))
    home = clients.default_region
    if options.all_regions:
        if home is None:
            home = "us-east-1"
        ec2 = clients.client("ec2", home)
        answer = gaps.call(home, None, "ec2:DescribeRegions", lambda: ec2.describe_regions(AllRegions=False))
        if isinstance(answer, dict) and answer.get("Regions"):
            return sorted(str(r["RegionName"]) for r in answer["Regions"])
        raise InputError(
            "--all-regions needs ec2:DescribeRegions to list the account's regions; it failed. Give the "
            "regions with --region instead"
        )
    if home is None:
        raise InputError("no AWS region: give --region (repeatable) or --all-regions, or set AWS_REGION")
    return [home]


def _account(clients: Clients, gaps: Gaps, region: str) -> str | None:
    sts = clients.client("sts", region)
    answer = gaps.call(region, None, "sts:GetCallerIdentity", sts.get_caller_identity)
    return str(answer["Account"]) if isinstance(answer, dict) else None


def _list(
    clients: Clients, gaps: Gaps, region: str, wanted: tuple[str, ...]
) -> list[tuple[str, dict[str, Any] | None]]:
    """(name, listed configuration) of the region's functions, filtered by ``wanted`` names or ARNs."""
    lam = clients.client("lambda", region)
    paginator = lam.get_paginator("list_functions")
    listed = gaps.call(
        region,
        None,
        "lambda:ListFunctions",
        lambda: [f for page in paginator.paginate() for f in page["Functions"]],
    )
    if listed is UNKNOWN or listed is None:
        # without the listing, only the functions named on the command line can be read
        return [(_name_of(n), None) for n in dict.fromkeys(wanted)]
    names = {_name_of(n) for n in wanted}
    return [
        (str(f["FunctionName"]), f)
        for f in sorted(listed, key=lambda f: str(f["FunctionName"]))
        if not wanted or str(f["FunctionName"]) in names
    ]


def _drift(
    options: DiscoverOptions,
    clients: Clients,
    gaps: Gaps,
    regions: list[str],
    entries: list[dict[str, Any]],
    on_disk: Any,
) -> dict[str, Any]:
    from translator.discover.drift import compare
    from translator.discover.stacks import read_stack

    name = str(options.stack)
    stack = read_stack(clients, gaps, regions, name)
    if stack is None and options.template is None:
        raise InputError(f"stack '{name}' is in none of the regions {', '.join(regions)}")
    graph = on_disk if on_disk is not None else _template_graph(None, stack, name)
    owned = [e for e in entries if stack is None or e["region"] == stack.region]
    only = {_name_of(n) for n in options.functions} if options.functions else None
    differences, unmatched = compare(graph, name, stack.functions if stack else {}, owned, only)
    return {
        "stack": name,
        "region": stack.region if stack else "",
        "template": str(options.template) if options.template else f"original template of stack {name}",
        "differences": differences,
        "unmatched": unmatched,
    }


def _template_graph(path: Path | None, stack: Any, name: str) -> Any:
    from translator.api import parse, parse_loaded
    from translator.load import load_text

    if path is not None:
        if not path.is_file():
            raise InputError(f"{path}: the --template file does not exist")
        return parse(path)
    if stack is None or stack.template_text is None:
        raise InputError(
            f"the original template of stack '{name}' could not be read (see the gaps); give it with --template"
        )
    label = f"stack {name} (original template)"
    return parse_loaded(load_text(stack.template_text, label), Path(label))
