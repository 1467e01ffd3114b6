"""Every function setting and every IAM policy statement gets its own disposition in the report."""

from __future__ import annotations

import json
from pathlib import Path

from tests.golden.cases import PROJECT
from translator.api import convert
from translator.findings import Disposition
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs18.x
      Handler: index.handler
      MemorySize: 2048
      Timeout: 30
      Layers: [arn:aws:lambda:us-east-1:123456789012:layer:shared:3]
      Policies:
        - AWSLambdaBasicExecutionRole
        - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
        - Statement:
            - Effect: Allow
              Action: [s3:GetObject, s3:PutObject]
              Resource: !Sub 'arn:aws:s3:::${AWS::StackName}-data/*'
"""


def _plan():  # type: ignore[no-untyped-def]
    return map_graph(parse_document(load_text(TEMPLATE, "t.yaml")))


def test_every_setting_has_one_disposition_in_template_order() -> None:
    (fn,) = _plan().functions
    got = {s.name: s.disposition for s in fn.settings}
    assert list(got) == ["Runtime", "Handler", "MemorySize", "Timeout", "Layers", "Policies"]
    assert got["Runtime"] is Disposition.APPROXIMATED  # nodejs18.x runs on Node 20 (LF2001)
    assert got["Handler"] is Disposition.MANUAL  # the handler signature must be adapted
    assert got["MemorySize"] is Disposition.CONVERTED  # 2048 MB is a Flex instance size
    assert got["Timeout"] is Disposition.CONVERTED  # the only function: the app-wide timeout is its own
    assert got["Layers"] is Disposition.MANUAL  # layer contents go into the app's package (LF2020)
    # the s3 statement names a bucket outside the template (LF5004): nothing can be granted for it
    assert got["Policies"] is Disposition.MANUAL
    rules = {s.name: s.rule for s in fn.settings}
    assert rules == {
        "Runtime": "LF2001",
        "Handler": None,
        "MemorySize": None,
        "Timeout": None,
        "Layers": "LF2020",
        "Policies": "LF5004",
    }
    runtime = next(s for s in fn.settings if s.name == "Runtime")
    assert runtime.azure_target == "functionAppConfig.runtime node 20"
    assert runtime.loc is not None and runtime.loc.line == 8


def test_function_policies_are_itemised() -> None:
    (fn,) = _plan().functions
    assert [p.summary for p in fn.policies] == [
        "managed policy AWSLambdaBasicExecutionRole (Application Insights and Log Analytics collect the logs)",
        "SAM policy template SQSSendMessagePolicy {QueueName: Queue.QueueName}",
        "Allow s3:GetObject, s3:PutObject on arn:aws:s3:::${AWS::StackName}-data/*",
    ]
    assert [p.disposition for p in fn.policies] == [
        Disposition.CONVERTED,
        Disposition.CONVERTED,
        Disposition.MANUAL,
    ]
    assert [p.rule for p in fn.policies] == ["LF1002", "LF1002", "LF5004"]


def test_iam_role_statements_are_listed_on_the_role() -> None:
    result = convert(PROJECT / "samples" / "image-pipeline" / "template.json")
    (role,) = [e for e in result.plan.inventory if e.type == "AWS::IAM::Role"]
    assert [s.summary for s in role.statements] == [
        "Allow s3:GetObject, s3:PutObject, s3:DeleteObject on arn:aws:s3:::${UploadBucketName}/*",
        "Allow sns:Publish on ThumbnailsReadyTopic",
        "managed policy AWSLambdaBasicExecutionRole (Application Insights and Log Analytics collect the logs)",
    ]
    report = json.loads(result.files["migration-report.json"])
    (entry,) = [r for r in report["resources"] if r["logicalId"] == "PipelineRole"]
    # the bucket is UploadBucket (its BucketName is the same parameter); the Contributor also lists blobs
    assert [s["disposition"] for s in entry["statements"]] == ["approximated", "converted", "converted"]
    functions = {f["logicalId"]: f for f in report["functions"]}
    assert {s["name"] for s in functions["ThumbnailFunction"]["settings"]} >= {
        "Runtime",
        "Role",
        "Environment",
    }


def test_markdown_lists_settings_and_statements(tmp_path: Path) -> None:
    text = convert(PROJECT / "samples" / "image-pipeline" / "template.json").files["migration-report.md"]
    assert "| Setting | Azure counterpart | Disposition | Rule |" in text
    assert "## IAM policy statements" in text
    assert "| PipelineRole | Allow sns:Publish on ThumbnailsReadyTopic |" in text
