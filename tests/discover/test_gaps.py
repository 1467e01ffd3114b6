"""Missing permissions and throttling, simulated by a proxy in front of moto: discovery ends with a
complete inventory, the denied facts recorded as gaps, and adaptive retries ride out the throttling."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.discover.account import ACCOUNT, EAST, WEST, Estate
from tests.discover.proxy import FaultProxy, lambda_access_denied, lambda_throttled
from translator.api import convert
from translator.discover.run import DiscoverOptions, discover
from translator.discover.session import Clients


def _fn_arn(region: str, name: str) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"


@pytest.fixture(scope="module")
def proxied(moto_endpoint: str, estate: Estate) -> Iterator[tuple[FaultProxy, dict[str, Any]]]:
    proxy = FaultProxy(moto_endpoint)
    # denied: the S3 function's resource policy, the SQS worker's mappings, a whole region's listing,
    # and GetFunction of one function (its listed configuration stands in)
    proxy.add(
        lambda c: c.method == "GET" and c.path.endswith("/functions/thumbnails/policy"),
        lambda_access_denied("GetPolicy", _fn_arn(EAST, "thumbnails")),
    )
    proxy.add(
        lambda c: (
            c.path.startswith("/2015-03-31/event-source-mappings") and "FunctionName=orders-worker" in c.path
        ),
        lambda_access_denied("ListEventSourceMappings", _fn_arn(EAST, "orders-worker")),
    )
    proxy.add(
        lambda c: (
            (c.region == WEST and c.method == "GET" and c.path.startswith("/2015-03-31/functions?"))
            or (c.region == WEST and c.path in ("/2015-03-31/functions", "/2015-03-31/functions/"))
        ),
        lambda_access_denied("ListFunctions", f"arn:aws:lambda:{WEST}:{ACCOUNT}:function:*"),
    )
    proxy.add(
        lambda c: c.method == "GET" and c.path == "/2015-03-31/functions/worker-03",
        lambda_access_denied("GetFunction", _fn_arn(EAST, "worker-03")),
    )
    # CloudWatch: a bare 403 (its CBOR protocol has no JSON error body to imitate)
    proxy.add(
        lambda c: "GetMetricData" in (c.path, c.operation) or c.path.endswith("/GetMetricData"),
        (403, {}, b""),
    )
    endpoint = proxy.start()
    try:
        yield proxy, discover(DiscoverOptions(regions=(EAST, WEST), endpoint_url=endpoint)).document
    finally:
        proxy.stop()


@pytest.fixture(scope="module")
def throttled(moto_endpoint: str, estate: Estate) -> Iterator[tuple[FaultProxy, dict[str, Any]]]:
    """Two functions only: once throttled, the adaptive client slows all its calls down (as it should)."""
    proxy = FaultProxy(moto_endpoint)
    # throttled twice, then answered: adaptive retries must recover
    proxy.add(
        lambda c: c.method == "GET" and c.path == "/2015-03-31/functions/notifier",
        lambda_throttled(),
        times=2,
    )
    # throttled every time: the attempts run out and it becomes a gap
    proxy.add(
        lambda c: c.method == "GET" and c.path.endswith("/functions/orders-worker/url"), lambda_throttled()
    )
    endpoint = proxy.start()
    try:
        options = DiscoverOptions(
            regions=(EAST,),
            endpoint_url=endpoint,
            functions=("notifier", "orders-worker"),
            max_attempts=3,
            metrics=False,
        )
        yield proxy, discover(options).document
    finally:
        proxy.stop()


def _gaps(document: dict[str, Any]) -> dict[tuple[str | None, str], dict[str, Any]]:
    return {
        (g["function"], g["operation"]): g
        for g in document["gaps"]
        if g["operation"] != "lambda:ListProvisionedConcurrencyConfigs"  # moto has no such API
    }


def _fn(document: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [f for f in document["functions"] if f["name"] == name and f["region"] == EAST]
    return found


def test_denied_calls_are_gaps(proxied: tuple[FaultProxy, dict[str, Any]]) -> None:
    _, document = proxied
    gaps = _gaps(document)
    policy = gaps[(_fn_arn(EAST, "thumbnails"), "lambda:GetPolicy")]
    assert (policy["kind"], policy["code"], policy["region"]) == (
        "access-denied",
        "AccessDeniedException",
        EAST,
    )
    assert "not authorized to perform: lambda:GetPolicy" in policy["message"]
    assert gaps[(_fn_arn(EAST, "orders-worker"), "lambda:ListEventSourceMappings")]["kind"] == "access-denied"
    assert gaps[(None, "lambda:ListFunctions")]["region"] == WEST
    assert gaps[(_fn_arn(EAST, "worker-03"), "lambda:GetFunction")]["kind"] == "access-denied"
    assert set(gaps) == {
        (_fn_arn(EAST, "thumbnails"), "lambda:GetPolicy"),
        (_fn_arn(EAST, "orders-worker"), "lambda:ListEventSourceMappings"),
        (None, "lambda:ListFunctions"),
        (None, "cloudwatch:GetMetricData"),
        (_fn_arn(EAST, "worker-03"), "lambda:GetFunction"),
    }
    metrics = gaps[(None, "cloudwatch:GetMetricData")]
    assert (metrics["kind"], metrics["code"], metrics["region"]) == ("access-denied", "403", EAST)


def test_the_rest_is_complete(proxied: tuple[FaultProxy, dict[str, Any]], estate: Estate) -> None:
    _, document = proxied
    east = {name for region, name in estate.functions if region == EAST}
    assert {f["name"] for f in document["functions"]} == east  # the west could not be listed
    assert _fn(document, "thumbnails")["unknown"] == ["metrics", "provisionedConcurrency", "resourcePolicy"]
    assert _fn(document, "thumbnails")["resourcePolicy"] is None  # unknown, not "none"
    worker = _fn(document, "orders-worker")
    assert worker["unknown"] == ["eventSourceMappings", "metrics", "provisionedConcurrency"]
    assert worker["metrics"] is None
    # GetFunction denied: the listing's configuration stands in, tags come from ListTags
    fallback = _fn(document, "worker-03")
    assert (fallback["runtime"], fallback["memoryMB"], fallback["tags"]) == ("nodejs20.x", 128, {})
    assert _fn(document, "orders-audit")["unknown"] == ["metrics", "provisionedConcurrency"]
    assert (
        _fn(document, "orders-audit")["eventSourceMappings"][0]["EventSourceArn"] == estate.table_stream_arn
    )


def test_adaptive_retries_recover_from_throttling(throttled: tuple[FaultProxy, dict[str, Any]]) -> None:
    proxy, document = throttled
    throttle = next(f for f in proxy.faults if f.times == 2)
    assert throttle.served == 2 and throttle.seen == 3  # two throttled answers, then the real one
    notifier = _fn(document, "notifier")
    assert notifier["runtime"] == "python3.12"
    assert notifier["resourcePolicy"][0]["Principal"] == {"Service": "sns.amazonaws.com"}
    assert not [
        g
        for g in document["gaps"]
        if g["function"] == _fn_arn(EAST, "notifier")
        and g["operation"] != "lambda:ListProvisionedConcurrencyConfigs"
    ]
    forever = next(f for f in proxy.faults if f.times is None)
    assert forever.seen == 3  # max_attempts: the first try and two retries
    gap = _gaps(document)[(_fn_arn(EAST, "orders-worker"), "lambda:GetFunctionUrlConfig")]
    assert (gap["kind"], gap["code"]) == ("throttled", "TooManyRequestsException")
    assert _fn(document, "orders-worker")["unknown"] == ["functionUrl", "provisionedConcurrency"]
    config = Clients(endpoint_url="http://127.0.0.1:1").client("lambda", EAST).meta.config
    assert config.retries["mode"] == "adaptive"


def test_gaps_reach_the_report(proxied: tuple[FaultProxy, dict[str, Any]], tmp_path: Path) -> None:
    _, document = proxied
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    result = convert(path)
    gaps = [f for f in result.findings if f.rule == "LF6001"]
    assert len(gaps) == len(document["gaps"])
    denied = next(f for f in gaps if "GetPolicy" in f.message)
    assert denied.resource == "Thumbnails"
    assert denied.suggestion.startswith("Allow lambda:GetPolicy")
    assert denied.loc is not None and denied.loc.file == str(path) and denied.loc.line > 1
    # no resource policy was read, so no S3 trigger: the function has no events
    thumbnails = next(f for f in result.graph.functions if f.logical_id == "Thumbnails")
    assert thumbnails.events == ()
