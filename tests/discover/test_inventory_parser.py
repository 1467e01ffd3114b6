"""Reading inventory.json: checked against its schema, and turned into the graph templates give."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from translator.api import convert, parse
from translator.cli import main

ARN = "arn:aws:lambda:us-east-1:111122223333:function:"


def _function(name: str, **fields: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": name,
        "arn": ARN + name,
        "region": "us-east-1",
        "runtime": "python3.12",
        "handler": "app.handler",
        "memoryMB": 128,
        "timeoutSeconds": 3,
        "architectures": ["x86_64"],
        "packageType": "Zip",
        "environment": [],
        "tags": {},
        "aliases": [],
        "versions": [],
        "reservedConcurrency": None,
        "provisionedConcurrency": [],
        "eventSourceMappings": [],
        "resourcePolicy": [],
        "functionUrl": None,
        "eventInvokeConfig": None,
        "stack": None,
        "metrics": None,
        "unknown": [],
    }
    entry.update(fields)
    return entry


def _document(*functions: dict[str, Any], gaps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "kind": "lambda2func.inventory",
        "schemaVersion": "1.0",
        "tool": {"name": "lambda2func", "version": "0.1.0"},
        "source": {
            "account": "111122223333",
            "partition": "aws",
            "regions": ["us-east-1"],
            "discoveredAt": "2026-11-30T08:00:00Z",
            "includeEnvValues": False,
        },
        "functions": list(functions),
        "gaps": gaps or [],
    }


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _allow(sid: str, service: str | None, source_arn: str | None, principal: Any = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": principal or {"Service": service},
        "Action": "lambda:InvokeFunction",
        "Resource": ARN + "f",
    }
    if source_arn:
        statement["Condition"] = {"ArnLike": {"AWS:SourceArn": source_arn}}
    return statement


def test_push_triggers_from_the_resource_policy(tmp_path: Path) -> None:
    policy = [
        _allow(
            "rule", "events.amazonaws.com", "arn:aws:events:us-east-1:111122223333:rule/orders-bus/on-order"
        ),
        _allow(
            "api",
            "apigateway.amazonaws.com",
            "arn:aws:execute-api:us-east-1:111122223333:a1b2c3/*/POST/orders",
        ),
        _allow("partner", None, None, principal={"AWS": "arn:aws:iam::444455556666:root"}),
        {  # the function URL's own statement is not a trigger of its own (the URL is)
            "Sid": "FunctionURLAllowPublicAccess",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "lambda:InvokeFunctionUrl",
            "Resource": ARN + "f",
            "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
        },
    ]
    url = {"url": "https://x.lambda-url.us-east-1.on.aws/", "authType": "AWS_IAM", "invokeMode": "BUFFERED"}
    graph = parse(_write(tmp_path, _document(_function("f", resourcePolicy=policy, functionUrl=url))))
    (fn,) = graph.functions
    events = {e.kind: e for e in fn.events}
    assert sorted(events) == ["api", "eventbridge", "url"]
    assert events["eventbridge"].properties["EventBusName"] == "orders-bus"
    assert (events["api"].properties["Method"], events["api"].properties["Path"]) == ("post", "/orders")
    assert events["url"].properties["AuthType"] == "AWS_IAM"
    assert [f.rule for f in graph.findings if f.rule == "LF6007"] == ["LF6007"]
    assert "arn:aws:iam::444455556666:root" in next(f.message for f in graph.findings if f.rule == "LF6007")
    assert sum(r.type == "AWS::Lambda::Permission" for r in graph.resources) == 4


def test_mappings_keep_only_settings_that_differ_from_lambdas_defaults(tmp_path: Path) -> None:
    mapping = {
        "UUID": "1",
        "EventSourceArn": "arn:aws:sqs:us-east-1:111122223333:jobs",
        "BatchSize": 10,
        "MaximumBatchingWindowInSeconds": 0,
        "FunctionResponseTypes": [],
        "State": "Disabled",
    }
    graph = parse(_write(tmp_path, _document(_function("f", eventSourceMappings=[mapping]))))
    (event,) = graph.functions[0].events
    assert event.kind == "sqs"
    assert dict(event.properties) == {
        "Queue": "arn:aws:sqs:us-east-1:111122223333:jobs",
        "BatchSize": 10,
        "Enabled": False,
    }


def test_environment_names_become_parameters(tmp_path: Path) -> None:
    env = [{"name": "API_TOKEN"}, {"name": "LOG_LEVEL"}, {"name": "PLAIN", "value": "yes"}]
    result = convert(_write(tmp_path, _document(_function("f", environment=env))))
    params = {p.name: p for p in result.graph.parameters}
    assert set(params) == {"FApiToken", "FLogLevel"}
    assert params["FApiToken"].no_echo and not params["FLogLevel"].no_echo
    bicep = result.files["infra/main.bicep"]
    # a secret-looking name: a secure parameter that feeds a Key Vault secret; the other a plain one
    assert "@secure()\nparam fApiToken string" in bicep
    assert "\nparam fLogLevel string" in bicep and "@secure()\nparam fLogLevel" not in bicep
    assert "    value: fApiToken" in bicep
    (finding,) = [f for f in result.findings if f.rule == "LF6002"]
    assert "API_TOKEN, LOG_LEVEL" in finding.message


def test_the_live_execution_role_is_named_as_such(tmp_path: Path) -> None:
    role = "arn:aws:iam::111122223333:role/x"
    result = convert(_write(tmp_path, _document(_function("f", role=role))))
    assert [f.message for f in result.findings if f.rule == "LF5010"] == [
        f"Role {role} is the live function's execution role, and discover does not read IAM policies; its "
        "permissions are not translated"
    ]


def test_provisioned_concurrency_and_aliases(tmp_path: Path) -> None:
    fn = _function(
        "f",
        aliases=[{"name": "live", "functionVersion": "3"}],
        versions=[{"version": "3", "description": "release"}],
        provisionedConcurrency=[{"qualifier": "live", "requested": 5, "allocated": 5, "status": "READY"}],
    )
    graph = parse(_write(tmp_path, _document(fn)))
    alias = next(r for r in graph.resources if r.type == "AWS::Lambda::Alias")
    assert alias.properties["ProvisionedConcurrencyConfig"]["ProvisionedConcurrentExecutions"] == 5
    (finding,) = [f for f in graph.findings if f.rule == "LF6005"]
    assert finding.message.startswith("'live' has provisioned concurrency 5")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("functions"), "at /: 'functions' is a required property"),
        (lambda d: d.update(schemaVersion="9.9"), "schemaVersion '9.9' is not supported"),
        (
            lambda d: d["functions"][0].update(memoryMB="lots"),
            "at /functions/0/memoryMB: 'lots' is not of type",
        ),
    ],
)
def test_a_broken_inventory_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, expected: str
) -> None:
    document = copy.deepcopy(_document(_function("f")))
    change(document)
    path = _write(tmp_path, document)
    assert main(["convert", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}:")
    assert expected in err
    assert not (tmp_path / "out").exists()


def test_the_line_of_a_schema_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = _document(_function("f", memoryMB="lots"))
    path = _write(tmp_path, document)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if '"memoryMB": "lots"' in text)
    assert main(["convert", str(path), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {path}:{line}: not a valid lambda2func inventory")


def test_a_permission_whose_source_sends_nothing(tmp_path: Path) -> None:
    """The bucket no longer notifies the function (or is gone): no trigger, and a finding says why."""
    bucket = "arn:aws:s3:::old-bucket"
    fn = _function(
        "f",
        resourcePolicy=[_allow("s3", "s3.amazonaws.com", bucket)],
        pushSources=[
            {"sid": "s3", "sourceArn": bucket, "service": "s3", "bucket": "old-bucket", "notifications": []}
        ],
    )
    graph = parse(_write(tmp_path, _document(fn)))
    assert graph.functions[0].events == ()
    (finding,) = [f for f in graph.findings if f.rule == "LF6007"]
    assert "arn:aws:s3:::old-bucket sends it nothing" in finding.message


def test_a_disabled_schedule(tmp_path: Path) -> None:
    rule_arn = "arn:aws:events:us-east-1:111122223333:rule/hourly"
    rule = {
        "name": "hourly",
        "eventBusName": "default",
        "state": "DISABLED",
        "scheduleExpression": "rate(1 hour)",
    }
    fn = _function(
        "f",
        resourcePolicy=[_allow("ev", "events.amazonaws.com", rule_arn)],
        pushSources=[{"sid": "ev", "sourceArn": rule_arn, "service": "events", "rule": rule}],
    )
    result = convert(_write(tmp_path, _document(fn)))
    (event,) = result.graph.functions[0].events
    assert (event.kind, event.properties["Schedule"], event.properties["State"]) == (
        "schedule",
        "rate(1 hour)",
        "DISABLED",
    )
    assert any(f.rule == "LF3009" for f in result.findings)  # the timer is disabled with an app setting
