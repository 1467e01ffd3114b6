"""discover against a real moto server: the inventory holds exactly what the estate was built with, and
converting it gives Bicep that parses and type-checks."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.corpus.checks import output_problems
from tests.discover.account import ACCOUNT, EAST, SECRET_VALUE, WEST, Estate
from translator.api import convert
from translator.cli import main
from translator.discover.document import schema_errors
from translator.discover.run import DiscoverOptions, discover
from translator.emit.report import report_schema
from translator.validate.bicep import TypeData, check_bicep_text

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def inventory(moto_endpoint: str, estate: Estate) -> dict[str, Any]:
    options = DiscoverOptions(
        regions=(EAST, WEST), endpoint_url=moto_endpoint, include_env_values=True, now=NOW
    )
    return discover(options).document


def _fn(inventory: dict[str, Any], region: str, name: str) -> dict[str, Any]:
    (found,) = [f for f in inventory["functions"] if f["region"] == region and f["name"] == name]
    return found


def test_every_function_of_both_regions_is_there(inventory: dict[str, Any], estate: Estate) -> None:
    found = {(f["region"], f["name"]) for f in inventory["functions"]}
    assert found == set(estate.functions)
    assert len(found) == 25
    assert inventory["source"]["account"] == ACCOUNT
    assert inventory["source"]["regions"] == [EAST, WEST]
    assert inventory["source"]["discoveredAt"] == "2026-12-01T12:00:00Z"
    assert schema_errors(inventory) == []


def test_configuration_matches_what_was_created(inventory: dict[str, Any], estate: Estate) -> None:
    for (region, name), args in estate.functions.items():
        entry = _fn(inventory, region, name)
        assert entry["arn"] == f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"
        assert entry["runtime"] == args["Runtime"]
        assert entry["handler"] == args["Handler"]
        assert entry["memoryMB"] == args.get("MemorySize", 128)  # Lambda's default
        assert entry["timeoutSeconds"] == args.get("Timeout", 3)
        assert entry["architectures"] == args.get("Architectures", ["x86_64"])
        assert entry["packageType"] == "Zip"


def test_orders_api_in_full(inventory: dict[str, Any]) -> None:
    entry = _fn(inventory, EAST, "orders-api")
    # values kept (--include-env-values) except the secret one, whose value is nowhere in the document
    assert entry["environment"] == [
        {"name": "DB_PASSWORD", "redacted": "the name mentions PASSWORD"},
        {"name": "LOG_LEVEL", "value": "INFO"},
        {"name": "TABLE_NAME", "value": "orders"},
    ]
    assert SECRET_VALUE not in json.dumps(inventory)
    assert entry["reservedConcurrency"] == 25
    assert entry["aliases"] == [{"name": "live", "functionVersion": "1"}]
    assert entry["versions"] == [{"version": "1", "description": ""}]
    assert entry["functionUrl"]["authType"] == "NONE"
    assert entry["functionUrl"]["url"].endswith(".lambda-url.us-east-1.on.aws")
    assert entry["tags"]["team"] == "orders"
    assert entry["stack"] == {"name": "orders-stack", "logicalId": "OrdersApi"}
    assert entry["resourcePolicy"] == []
    assert entry["eventSourceMappings"] == []
    assert entry["eventInvokeConfig"] is None


def test_event_source_mappings(inventory: dict[str, Any], estate: Estate) -> None:
    (sqs,) = _fn(inventory, EAST, "orders-worker")["eventSourceMappings"]
    assert (sqs["EventSourceArn"], sqs["BatchSize"], sqs["State"]) == (estate.queue_arn, 5, "Enabled")
    (kinesis,) = _fn(inventory, EAST, "clicks-consumer")["eventSourceMappings"]
    assert (kinesis["EventSourceArn"], kinesis["BatchSize"], kinesis["StartingPosition"]) == (
        estate.stream_arn,
        100,
        "LATEST",
    )
    (stream,) = _fn(inventory, EAST, "orders-audit")["eventSourceMappings"]
    assert (stream["EventSourceArn"], stream["BatchSize"], stream["StartingPosition"]) == (
        estate.table_stream_arn,
        50,
        "TRIM_HORIZON",
    )
    (west,) = _fn(inventory, WEST, "reporting")["eventSourceMappings"]
    assert west["EventSourceArn"] == estate.west_queue_arn
    assert _fn(inventory, WEST, "reporting")["reservedConcurrency"] == 2


def test_resource_policies(inventory: dict[str, Any], estate: Estate) -> None:
    (s3,) = _fn(inventory, EAST, "thumbnails")["resourcePolicy"]
    assert s3["Sid"] == "s3-invoke"
    assert s3["Principal"] == {"Service": "s3.amazonaws.com"}
    assert s3["Condition"]["ArnLike"]["AWS:SourceArn"] == f"arn:aws:s3:::{estate.bucket}"
    (sns,) = _fn(inventory, EAST, "notifier")["resourcePolicy"]
    assert sns["Principal"] == {"Service": "sns.amazonaws.com"}
    assert sns["Condition"]["ArnLike"]["AWS:SourceArn"] == estate.topic_arn


def test_push_sources_from_the_services(inventory: dict[str, Any], estate: Estate) -> None:
    """The bucket's notification, the SNS subscription's filter and the rules, read from S3, SNS, EventBridge."""
    (s3,) = _fn(inventory, EAST, "thumbnails")["pushSources"]
    assert s3 == {
        "sid": "s3-invoke",
        "sourceArn": f"arn:aws:s3:::{estate.bucket}",
        "service": "s3",
        "bucket": estate.bucket,
        "notifications": [
            {
                "events": ["s3:ObjectCreated:*"],
                "filterRules": [{"name": "prefix", "value": "uploads/"}, {"name": "suffix", "value": ".jpg"}],
            }
        ],
    }
    (sns,) = _fn(inventory, EAST, "notifier")["pushSources"]
    (subscription,) = sns["subscriptions"]
    assert json.loads(subscription["filterPolicy"]) == {"severity": ["high", "critical"]}
    assert subscription["filterPolicyScope"] == "MessageAttributes"
    (nightly,) = _fn(inventory, EAST, "nightly-report")["pushSources"]
    assert nightly["rule"] == {
        "name": "nightly-report-rule",
        "eventBusName": "default",
        "state": "ENABLED",
        "scheduleExpression": "rate(1 day)",
    }
    assert nightly["sourceArn"] == estate.rules["nightly-report"]
    (pattern,) = _fn(inventory, EAST, "order-events")["pushSources"]
    assert json.loads(pattern["rule"]["eventPattern"]) == {"source": ["shop.orders"]}


def test_unsupported_calls_are_gaps_not_crashes(inventory: dict[str, Any]) -> None:
    """moto has no provisioned-concurrency API (it answers 404): one gap per function, nothing else."""
    kinds = {(g["operation"], g["kind"]) for g in inventory["gaps"]}
    assert kinds == {("lambda:ListProvisionedConcurrencyConfigs", "unsupported")}
    assert len(inventory["gaps"]) == 25
    for entry in inventory["functions"]:
        assert entry["unknown"] == ["provisionedConcurrency"]
        assert entry["provisionedConcurrency"] is None
        # moto answers GetMetricData with no data points: nothing ran
        assert entry["metrics"] == {
            "days": 14,
            "invocations": 0,
            "errors": 0,
            "throttles": 0,
            "durationP95Ms": None,
            "peakConcurrentExecutions": None,
        }


def test_names_only_without_include_env_values(moto_endpoint: str, estate: Estate) -> None:
    options = DiscoverOptions(
        regions=(EAST,), endpoint_url=moto_endpoint, functions=("orders-api",), metrics=False
    )
    document = discover(options).document
    (entry,) = document["functions"]
    assert entry["environment"] == [{"name": "DB_PASSWORD"}, {"name": "LOG_LEVEL"}, {"name": "TABLE_NAME"}]
    assert entry["metrics"] is None
    assert document["source"]["metricsDays"] is None


def test_convert_the_inventory(
    inventory: dict[str, Any],
    estate: Estate,
    tmp_path: Path,
    bicep_types_dir: Path,
    host_json_schema_path: Path,
) -> None:
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(inventory, indent=2), encoding="utf-8")
    result = convert(path)
    graph = result.graph
    assert graph.format == "inventory"
    assert len(graph.functions) == 25
    # the same name in two regions: two functions, told apart by region
    ids = {f.logical_id for f in graph.functions}
    assert {"OrdersApiUsEast1", "OrdersApiEuWest1", "OrdersWorker", "Thumbnails"} <= ids
    kinds = {(f.logical_id, e.kind) for f in graph.functions for e in f.events}
    assert {
        ("OrdersWorker", "sqs"),
        ("ClicksConsumer", "kinesis"),
        ("OrdersAudit", "dynamodb"),
        ("Thumbnails", "s3"),
        ("Notifier", "sns"),
        ("NightlyReport", "schedule"),
        ("OrderEvents", "eventbridge"),
        ("OrdersApiUsEast1", "url"),
        ("Reporting", "sqs"),
    } == kinds
    events = {(f.logical_id, e.kind): e for f in graph.functions for e in f.events}
    s3 = events[("Thumbnails", "s3")].properties
    assert (s3["Bucket"], list(s3["Events"])) == (estate.bucket, ["s3:ObjectCreated:*"])
    assert [dict(r) for r in s3["Filter"]["S3Key"]["Rules"]] == [
        {"Name": "prefix", "Value": "uploads/"},
        {"Name": "suffix", "Value": ".jpg"},
    ]
    assert events[("Notifier", "sns")].properties["FilterPolicy"] == {"severity": ("high", "critical")}
    assert events[("NightlyReport", "schedule")].properties["Schedule"] == "rate(1 day)"
    assert events[("OrderEvents", "eventbridge")].properties["Pattern"] == {"source": ("shop.orders",)}
    # every ESM, statement, alias and version is a resource the report accounts for
    types = sorted(r.type for r in graph.resources)
    assert types.count("AWS::Lambda::EventSourceMapping") == 4
    assert types.count("AWS::Lambda::Permission") == 4
    assert types.count("AWS::Lambda::Alias") == 1
    assert types.count("AWS::Lambda::Version") == 1

    diagnostics = check_bicep_text(
        result.files["infra/main.bicep"], "main.bicep", TypeData.load(bicep_types_dir)
    )
    assert [d for d in diagnostics if d.severity == "error"] == []
    # the corpus sweep's checks: Bicep types, host.json schema, every resource and function reported
    host_schema = json.loads(host_json_schema_path.read_text(encoding="utf-8"))
    assert (
        output_problems("inventory.json", result, TypeData.load(bicep_types_dir), host_schema, Counter())
        == []
    )
    bicep = result.files["infra/main.bicep"]
    assert "Microsoft.ServiceBus/namespaces/queues" in bicep
    assert "Microsoft.EventHub/namespaces/eventhubs" in bicep

    report = json.loads(result.files["migration-report.json"])
    jsonschema.Draft7Validator(report_schema()).validate(report)
    assert report["source"]["format"] == "inventory"
    assert report["provenance"] == {
        "source": "live-aws-account",
        "account": ACCOUNT,
        "regions": [EAST, WEST],
        "discoveredAt": "2026-12-01T12:00:00Z",
        "gaps": 25,
    }
    worker = next(f for f in report["functions"] if f["logicalId"] == "OrdersWorker")
    assert worker["provenance"]["arn"] == f"arn:aws:lambda:{EAST}:{ACCOUNT}:function:orders-worker"
    assert worker["memoryMB"] == 256 and worker["timeoutSeconds"] == 60
    live = "Source: live AWS account 123456789012, regions us-east-1, eu-west-1, discovered at 2026-12-01T12:00:00Z"
    assert live in result.files["migration-report.md"]
    assert live in result.files["migration-report.html"]
    # the redacted password is a secure parameter, not a value
    assert "@secure()" in bicep
    assert SECRET_VALUE not in "".join(result.files.values())


def test_cli_discover_then_convert(
    moto_endpoint: str, estate: Estate, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "inventory.json"
    code = main(
        [
            "discover",
            "--endpoint-url",
            moto_endpoint,
            "--region",
            EAST,
            "--region",
            WEST,
            "--include-env-values",
            "--no-metrics",
            "-o",
            str(target),
        ]
    )
    out = capsys.readouterr()
    assert code == 0
    assert "discovered 25 functions in account 123456789012 (us-east-1, eu-west-1)" in out.out
    # one line for the 25 functions (moto has no provisioned concurrency API): three named, the others counted
    assert (
        "warning: LF6001 lambda:ListProvisionedConcurrencyConfigs failed (unsupported, 404) for eu-worker-01, "
        "eu-worker-02, eu-worker-03 (and 22 more)\n" in out.out
    )
    assert SECRET_VALUE not in out.out + out.err
    assert json.loads(target.read_text())["kind"] == "lambda2func.inventory"
    assert main(["convert", str(target), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert (tmp_path / "out" / "infra" / "main.bicep").is_file()
    # gaps are warnings: --fail-on warning turns them into exit 1
    code = main(
        [
            "discover",
            "--endpoint-url",
            moto_endpoint,
            "--region",
            WEST,
            "--no-metrics",
            "-q",
            "--fail-on",
            "warning",
            "-o",
            str(tmp_path / "again.json"),
        ]
    )
    assert code == 1


def test_cli_discover_needs_a_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["discover", "-o", str(tmp_path / "i.json")]) == 2
    assert "no AWS region" in capsys.readouterr().err
    assert not (tmp_path / "i.json").exists()


def test_assess_reads_an_inventory(inventory: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(inventory), encoding="utf-8")
    (tmp_path / "package.json").write_text("{}", encoding="utf-8")
    assert main(["assess", str(tmp_path), "-f", "json", "-o", str(tmp_path / "report.json"), "-q"]) == 0
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["source"]["format"] == "inventory"
    assert report["summary"]["functions"] == 25


def test_all_regions(moto_endpoint: str, estate: Estate) -> None:
    """--all-regions asks EC2 for the account's regions and reads each of them."""
    options = DiscoverOptions(
        all_regions=True, endpoint_url=moto_endpoint, functions=("orders-api",), metrics=False
    )
    document = discover(options).document
    assert {EAST, WEST} <= set(document["source"]["regions"])
    assert len(document["source"]["regions"]) > 10
    assert sorted(f["region"] for f in document["functions"]) == [WEST, EAST]  # eu-west-1 sorts first
