"""AWS::Region and AWS::AccountId inside text that addresses AWS (LF4022).

They become the Azure location and the subscription id (README, intrinsics), which is right for names
and wrong inside an ARN or an amazonaws.com endpoint: the result names neither cloud's resource.
"""

from __future__ import annotations

import pytest

from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.template import parse_document

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          VALUE: {value}
"""


def _lf4022(value: str) -> list[tuple[int | None, str]]:
    plan = map_graph(parse_document(load_text(TEMPLATE.format(value=value), "t.yaml")))
    return [(f.loc.line if f.loc else None, f.message) for f in plan.findings if f.rule == "LF4022"]


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("!Sub https://dynamodb.${AWS::Region}.amazonaws.com", "AWS::Region becomes the Azure location"),
        (
            "!Sub arn:aws:sns:${AWS::Region}:${AWS::AccountId}:external-topic",
            "AWS::AccountId and AWS::Region become the Azure subscription id and location",
        ),
        ("!Sub https://sqs.${AWS::Region}.${AWS::URLSuffix}/q", "AWS::Region becomes the Azure location"),
        (
            "!Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x",
            "AWS::AccountId becomes the Azure subscription id",
        ),
        (
            "!Sub https://console.aws.amazon.com/?region=${AWS::Region}",
            "AWS::Region becomes the Azure location",
        ),
    ],
)
def test_region_or_account_inside_an_aws_address(value: str, names: str) -> None:
    assert _lf4022(value) == [
        (
            11,
            f"Fn.Environment.VALUE: {names} inside text that addresses AWS (an ARN or an AWS "
            "endpoint), which then names neither",
        )
    ]


@pytest.mark.parametrize(
    "value",
    [
        "!Sub ${AWS::Region}-reports",  # a name: the location is the right counterpart
        "!Sub ${AWS::AccountId}",
        "!Sub https://example.com/${AWS::Region}",
        "!Sub arn:aws:sns:us-east-1:123456789012:t",  # no pseudo parameter: nothing became Azure text
    ],
)
def test_names_and_other_text_are_not_reported(value: str) -> None:
    assert _lf4022(value) == []
