"""--stack: every setting where a live function differs from its stack's template is a drift finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.discover.account import client
from translator.api import convert
from translator.cli import main
from translator.discover.run import DiscoverOptions, discover
from translator.parsers.inventory import identifier

REGION = "us-west-2"  # a region of its own: the other tests count the functions of theirs
STACK = "shop"
SECRET = "drift-secret-value-not-printed"


@pytest.fixture(scope="module")
def stack(moto_endpoint: str) -> dict[str, str]:
    """A stack deployed from a template, then changed by hand: memory, timeout, variables, concurrency."""
    role = client(moto_endpoint, "iam", REGION).create_role(
        RoleName="shop-exec", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    template = {
        "Resources": {
            "Api": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "app.handler",
                    "MemorySize": 256,
                    "Timeout": 10,
                    "Role": role,
                    "Code": {"ZipFile": "def handler(event, context):\n    return event\n"},
                    "Environment": {"Variables": {"STAGE": "prod", "TABLE": "orders"}},
                },
            },
            "Worker": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "worker.handler",
                    "Role": role,
                    "Code": {"ZipFile": "def handler(event, context):\n    return event\n"},
                },
            },
        }
    }
    cfn = client(moto_endpoint, "cloudformation", REGION)
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(template))
    physical = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    }
    lam = client(moto_endpoint, "lambda", REGION)
    lam.update_function_configuration(
        FunctionName=physical["Api"],
        MemorySize=1024,
        Timeout=20,
        Environment={"Variables": {"STAGE": "prod", "API_SECRET": SECRET}},
    )
    lam.put_function_concurrency(FunctionName=physical["Worker"], ReservedConcurrentExecutions=3)
    return physical


def _differences(document: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {
        (d["logicalId"], d["setting"], json.dumps(d["template"]), json.dumps(d["live"]))
        for d in document["drift"]["differences"]
    }


def test_drift_against_the_stacks_original_template(moto_endpoint: str, stack: dict[str, str]) -> None:
    options = DiscoverOptions(regions=(REGION,), endpoint_url=moto_endpoint, stack=STACK, metrics=False)
    document = discover(options).document
    assert document["drift"]["stack"] == STACK
    assert document["drift"]["region"] == REGION
    assert document["drift"]["template"] == f"original template of stack {STACK}"
    assert _differences(document) == {
        ("Api", "MemorySize", "256", "1024"),
        ("Api", "Timeout", "10", "20"),
        ("Api", "Environment", '["STAGE", "TABLE"]', '["API_SECRET", "STAGE"]'),
        ("Worker", "ReservedConcurrentExecutions", "null", "3"),
    }
    assert document["drift"]["unmatched"] == []
    assert SECRET not in json.dumps(document)


def test_drift_against_a_template_on_disk(
    moto_endpoint: str, stack: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A SAM template (Globals merged) with a function the stack does not run."""
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Globals:\n  Function:\n    Runtime: python3.12\n    Timeout: 10\n"
        "Resources:\n"
        "  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n"
        "      MemorySize: 256\n      CodeUri: src/\n"
        "      Environment:\n        Variables:\n          STAGE: prod\n          TABLE: orders\n"
        "  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: worker.handler\n"
        "      CodeUri: src/\n"
        "  Reports:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: r.handler\n"
        "      CodeUri: src/\n",
        encoding="utf-8",
    )
    inventory = tmp_path / "inventory.json"
    code = main(
        [
            "discover",
            "--endpoint-url",
            moto_endpoint,
            "--region",
            REGION,
            "--stack",
            STACK,
            "--template",
            str(template),
            "--no-metrics",
            "-o",
            str(inventory),
        ]
    )
    out = capsys.readouterr()
    assert code == 0
    assert "warning: LF6003 Api: MemorySize differs from the template" in out.out
    assert "warning: LF6004 Reports: in the template but not running" in out.out
    assert SECRET not in out.out + out.err
    document = json.loads(inventory.read_text(encoding="utf-8"))
    assert document["drift"]["template"] == str(template)
    assert _differences(document) == {
        ("Api", "MemorySize", "256", "1024"),
        ("Api", "Timeout", "10", "20"),
        ("Api", "Environment", '["STAGE", "TABLE"]', '["API_SECRET", "STAGE"]'),
        ("Worker", "Timeout", "10", "3"),  # Globals says 10; CloudFormation's template gave the default
        ("Worker", "ReservedConcurrentExecutions", "null", "3"),
    }
    assert document["drift"]["unmatched"] == [
        {"logicalId": "Reports", "function": None, "reason": "in the template but not running"}
    ]

    result = convert(inventory)
    drift = sorted((f.resource, f.message) for f in result.findings if f.rule == "LF6003")
    api = identifier(stack["Api"])  # the live function's logical id in the inventory's graph
    assert api.startswith("ShopApi")
    assert (
        api,
        f"MemorySize of 'Api' in stack {STACK}: the template says 256, the live function has 1024",
    ) in drift
    assert len(drift) == 5
    assert [f.message for f in result.findings if f.rule == "LF6004"] == [
        f"'Reports' of stack {STACK}: in the template but not running"
    ]
    assert all(
        f.loc is not None and f.loc.file == str(inventory) for f in result.findings if f.rule == "LF6003"
    )


def test_unknown_stack_is_bad_input(
    moto_endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "discover",
            "--endpoint-url",
            moto_endpoint,
            "--region",
            REGION,
            "--stack",
            "nope",
            "--no-metrics",
            "-o",
            str(tmp_path / "i.json"),
        ]
    )
    assert code == 2
    assert "stack 'nope' is in none of the regions us-west-2" in capsys.readouterr().err
    assert not (tmp_path / "i.json").exists()


def test_a_broken_template_stops_before_any_call(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "template.yaml"
    template.write_text("Resources: [not, a, mapping]\n", encoding="utf-8")
    # no endpoint is reachable on port 1: had discovery started, the error would be about AWS
    code = main(
        [
            "discover",
            "--endpoint-url",
            "http://127.0.0.1:1",
            "--region",
            REGION,
            "--stack",
            STACK,
            "--template",
            str(template),
            "-o",
            str(tmp_path / "i.json"),
        ]
    )
    assert code == 2
    assert f"error: {template}:1: Resources must be a mapping" in capsys.readouterr().err


def test_drift_of_one_function(moto_endpoint: str, stack: dict[str, str]) -> None:
    """With --function, the stack's other functions are not reported as missing."""
    options = DiscoverOptions(
        regions=(REGION,),
        endpoint_url=moto_endpoint,
        stack=STACK,
        functions=(stack["Worker"],),
        metrics=False,
    )
    document = discover(options).document
    assert [f["name"] for f in document["functions"]] == [stack["Worker"]]
    assert _differences(document) == {("Worker", "ReservedConcurrentExecutions", "null", "3")}
    assert document["drift"]["unmatched"] == []
