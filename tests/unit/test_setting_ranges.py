"""Whole-number event source settings that Lambda rejects are errors, and never reach the Azure trigger.

The ranges are Lambda's (API reference CreateEventSourceMapping / EventSourceMappingConfiguration, "Valid
Range"; Lambda developer guide, parameters for DynamoDB and Kinesis mappings; CloudFormation
AWS::Lambda::EventSourceMapping ScalingConfig):

- BatchSize 1-10000 for every source, at most 10 for an SQS FIFO queue;
- MaximumBatchingWindowInSeconds 0-300; ParallelizationFactor 1-10; TumblingWindowInSeconds 0-900;
- MaximumRetryAttempts -1 (until the record expires) to 10000;
- MaximumRecordAgeInSeconds -1 (no limit) or 60-604800 ("values less than 60 and greater than -1 fall
  within the parameter's absolute range, they are not allowed");
- ScalingConfig.MaximumConcurrency 2-1000.

A value that is not a whole number is LF4018 and one outside the range LF3038 (errors), at the value's
line; the trigger is then built as if the setting were not there (Lambda's default batch size, no wait
time, no retry policy ...), the setting is itemised as manual with that rule, and the trigger is manual.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from tests.unit.test_trigger_semantics import FIFO_QUEUE
from tests.unit.test_triggers import SQS_IN_TEMPLATE, STREAM, TABLE, extensions, trigger
from translator.findings import Disposition, Severity
from translator.load import load_text
from translator.mapping.core import map_graph
from translator.parsers.serverless import parse_serverless
from translator.parsers.template import parse_document
from translator.plan import AzurePlan

SOURCES = {
    "sqs": ("Type: SQS", "Queue: !GetAtt OrdersQueue.Arn", SQS_IN_TEMPLATE),
    "fifo": ("Type: SQS", "Queue: !GetAtt OrdersQueue.Arn", FIFO_QUEUE),
    "kinesis": ("Type: Kinesis", "Stream: !GetAtt ClicksStream.Arn\n    StartingPosition: LATEST", STREAM),
    "dynamodb": (
        "Type: DynamoDB",
        "Stream: !GetAtt OrdersTable.StreamArn\n    StartingPosition: LATEST",
        TABLE,
    ),
}


def event_plan(source: str, setting: str) -> tuple[AzurePlan, int]:
    """A SAM function with one event, and the line of the template the (last) setting is written on."""
    kind, source_props, resources = SOURCES[source]
    events = f"E:\n  {kind}\n  Properties:\n    {source_props}\n" + textwrap.indent(setting, "    ") + "\n"
    text = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        + textwrap.indent(textwrap.dedent(resources).strip("\n"), "  ")
        + "\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        + "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n      Events:\n"
        + textwrap.indent(events, "        ")
    )
    last = setting.splitlines()[-1]
    line = next(n for n, written in enumerate(text.splitlines(), 1) if written.strip() == last.strip())
    return map_graph(parse_document(load_text(text, "t.yaml"))), line


def findings(plan: AzurePlan, *rules: str) -> list[Any]:
    return [f for f in plan.findings if f.rule in rules]


# (source, setting as written, rule, message fragment, what the trigger must not contain)
REJECTED: list[tuple[str, str, str, str, Any]] = [
    # the user's review: a DynamoDB BatchSize of -5 became maxItemsPerInvocation -5
    (
        "dynamodb",
        "BatchSize: -5",
        "LF3038",
        "BatchSize -5 is outside the range Lambda accepts (1 to 10000)",
        None,
    ),
    (
        "dynamodb",
        "BatchSize: 10001",
        "LF3038",
        "BatchSize 10001 is outside the range Lambda accepts (1 to 10000)",
        None,
    ),
    # ... and an SQS BatchSize of 'ten' was only "not translated"
    ("sqs", "BatchSize: ten", "LF4018", "BatchSize 'ten' is not a whole number", None),
    ("sqs", "BatchSize: 2.5", "LF4018", "BatchSize 2.5 is not a whole number", None),
    ("sqs", "BatchSize: true", "LF4018", "BatchSize true is not a whole number", None),
    ("sqs", "BatchSize: 0", "LF3038", "BatchSize 0 is outside the range Lambda accepts (1 to 10000)", None),
    (
        "fifo",
        "BatchSize: 11",
        "LF3038",
        "BatchSize 11 is outside the range Lambda accepts (1 to 10 for a FIFO queue)",
        None,
    ),
    (
        "sqs",
        "MaximumBatchingWindowInSeconds: 301",
        "LF3038",
        "MaximumBatchingWindowInSeconds 301 is outside the range Lambda accepts (0 to 300)",
        ("serviceBus", "maxBatchWaitTime"),
    ),
    (
        "sqs",
        "BatchSize: 1\nScalingConfig: {MaximumConcurrency: 1}",
        "LF3038",
        "ScalingConfig.MaximumConcurrency 1 is outside the range Lambda accepts (2 to 1000)",
        ("serviceBus", "maxConcurrentCalls"),
    ),
    (
        "sqs",
        "BatchSize: 1\nScalingConfig: {MaximumConcurrency: lots}",
        "LF4018",
        "ScalingConfig.MaximumConcurrency 'lots' is not a whole number",
        ("serviceBus", "maxConcurrentCalls"),
    ),
    (
        "kinesis",
        "ParallelizationFactor: 11",
        "LF3038",
        "ParallelizationFactor 11 is outside the range Lambda accepts (1 to 10)",
        None,
    ),
    (
        "kinesis",
        "MaximumRetryAttempts: -2",
        "LF3038",
        "MaximumRetryAttempts -2 is outside the range Lambda accepts (-1 to 10000)",
        "retry",
    ),
    (
        "kinesis",
        "MaximumRetryAttempts: three",
        "LF4018",
        "MaximumRetryAttempts 'three' is not a whole number",
        "retry",
    ),
    (
        "kinesis",
        "MaximumRecordAgeInSeconds: 30",
        "LF3038",
        "MaximumRecordAgeInSeconds 30 is outside the range Lambda accepts (-1, or 60 to 604800)",
        None,
    ),
    (
        "kinesis",
        "BatchSize: [10]",
        "LF4018",
        "BatchSize (a list) is not a whole number",
        None,
    ),
    (
        "dynamodb",
        "TumblingWindowInSeconds: 901",
        "LF3038",
        "TumblingWindowInSeconds 901 is outside the range Lambda accepts (0 to 900)",
        None,
    ),
    (
        "dynamodb",
        "MaximumRetryAttempts: 10001",
        "LF3038",
        "MaximumRetryAttempts 10001 is outside the range Lambda accepts (-1 to 10000)",
        "retry",
    ),
]


@pytest.mark.parametrize(("source", "setting", "rule", "fragment", "absent"), REJECTED)
def test_a_setting_lambda_rejects_is_an_error_at_its_line(
    source: str, setting: str, rule: str, fragment: str, absent: Any
) -> None:
    plan, line = event_plan(source, setting)
    (found,) = findings(plan, "LF3038", "LF4018")
    assert (found.rule, found.severity, found.loc.line) == (rule, Severity.ERROR, line)
    assert found.message == f"event 'E': {fragment}; it is left out, as if it were not set"
    assert found.loc.file == "t.yaml"
    key = setting.splitlines()[-1].split(":")[0]
    # reported once, as an error: never also as "not translated"
    assert not [f for f in plan.findings if f.rule == "LF3007" and key in f.message]
    made = trigger(plan)
    assert made.disposition is Disposition.MANUAL
    (itemised,) = [s for s in made.settings if s.name == key]
    assert (itemised.disposition, itemised.rule) == (Disposition.MANUAL, rule)
    if isinstance(absent, tuple):
        assert absent[1] not in extensions(plan).get(absent[0], {})
    elif absent:
        assert absent not in made.binding


# a rejected batch size leaves Lambda's default in its place (SQS 10, Kinesis and DynamoDB 100)
@pytest.mark.parametrize(
    ("source", "setting", "where", "value"),
    [
        ("dynamodb", "BatchSize: -5", ("binding", "maxItemsPerInvocation"), 100),
        ("sqs", "BatchSize: ten", ("serviceBus", "maxMessageBatchSize"), 10),
        ("fifo", "BatchSize: 11", ("serviceBus", "maxMessageBatchSize"), 10),
        ("kinesis", "BatchSize: 0", ("eventHubs", "maxEventBatchSize"), 100),
    ],
)
def test_a_rejected_batch_size_is_as_if_it_were_not_set(
    source: str, setting: str, where: tuple[str, str], value: int
) -> None:
    plan, _ = event_plan(source, setting)
    section, key = where
    if section == "binding":
        assert trigger(plan).binding[key] == value
    else:
        assert extensions(plan)[section][key] == value


# values Lambda accepts, including the ends of each range, go through without an LF3038/LF4018
ACCEPTED: list[tuple[str, str]] = [
    ("sqs", "BatchSize: 10000\nMaximumBatchingWindowInSeconds: 300"),
    ("sqs", "BatchSize: '25'"),
    ("sqs", "BatchSize: 1\nScalingConfig: {MaximumConcurrency: 2}"),
    ("sqs", "BatchSize: 1\nScalingConfig: {MaximumConcurrency: 1000}"),
    ("fifo", "BatchSize: 10"),
    ("kinesis", "BatchSize: 1\nParallelizationFactor: 10"),
    ("kinesis", "MaximumRetryAttempts: -1\nMaximumRecordAgeInSeconds: -1"),
    ("kinesis", "MaximumRetryAttempts: '-1'"),
    ("kinesis", "MaximumRecordAgeInSeconds: 60"),
    ("kinesis", "MaximumRecordAgeInSeconds: 604800"),
    ("dynamodb", "BatchSize: 10000\nMaximumRetryAttempts: 10000"),
    ("dynamodb", "TumblingWindowInSeconds: 0"),
    # a value the template computes is not known offline: not judged
    ("kinesis", "BatchSize: !Ref AWS::NoValue"),
]


@pytest.mark.parametrize(("source", "setting"), ACCEPTED)
def test_a_value_in_range_is_not_reported(source: str, setting: str) -> None:
    plan, _ = event_plan(source, setting)
    assert findings(plan, "LF3038", "LF4018") == []


def test_text_holding_a_whole_number_is_read_as_one() -> None:
    # "-1" was "not a literal" before: MaximumRetryAttempts '-1' is retry until the record expires
    plan, _ = event_plan("kinesis", "MaximumRetryAttempts: '-1'\nMaximumRecordAgeInSeconds: '-1'")
    assert trigger(plan).binding["retry"]["maxRetryCount"] == -1
    assert not findings(plan, "LF3007")


def test_an_event_source_mapping_is_checked_the_same_way() -> None:
    text = textwrap.dedent(
        """\
        Resources:
          OrdersQueue:
            Type: AWS::SQS::Queue
          Worker:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.12
              Handler: index.handler
              Role: arn:aws:iam::123456789012:role/r
              Code: {ZipFile: "def handler(e, c): pass"}
          WorkerMapping:
            Type: AWS::Lambda::EventSourceMapping
            Properties:
              FunctionName: !Ref Worker
              EventSourceArn: !GetAtt OrdersQueue.Arn
              BatchSize: 20000
        """
    )
    plan = map_graph(parse_document(load_text(text, "cfn.yaml")))
    (found,) = findings(plan, "LF3038")
    assert (found.loc.file, found.loc.line) == ("cfn.yaml", 16)
    assert "BatchSize 20000 is outside the range Lambda accepts (1 to 10000)" in found.message
    assert extensions(plan)["serviceBus"]["maxMessageBatchSize"] == 10


def test_the_cfn_lint_fifo_example_is_caught() -> None:
    # cfn-lint E3705: an SQS FIFO event source mapping with BatchSize above 10
    text = textwrap.dedent(
        """\
        Resources:
          Fifo:
            Type: AWS::SQS::Queue
            Properties: {FifoQueue: true, QueueName: events.fifo}
          Worker:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.12
              Handler: index.handler
              Role: arn:aws:iam::123456789012:role/r
              Code: {ZipFile: "def handler(e, c): pass"}
          Mapping:
            Type: AWS::Lambda::EventSourceMapping
            Properties: {EventSourceArn: !GetAtt Fifo.Arn, FunctionName: !Ref Worker, BatchSize: 15}
        """
    )
    plan = map_graph(parse_document(load_text(text, "cfn.yaml")))
    (found,) = findings(plan, "LF3038")
    assert found.loc.line == 14
    assert "(1 to 10 for a FIFO queue)" in found.message


@pytest.mark.parametrize(
    ("event", "line", "fragment"),
    [
        (
            "- sqs: {arn: arn:aws:sqs:eu-west-1:123456789012:orders, batchSize: 0}",
            9,
            "BatchSize 0 is outside",
        ),
        (
            "- sqs:\n    arn: arn:aws:sqs:eu-west-1:123456789012:orders\n    batchSize: 1\n"
            "    maximumConcurrency: 1",
            12,
            "ScalingConfig.MaximumConcurrency 1 is outside the range Lambda accepts (2 to 1000)",
        ),
        (
            "- stream:\n    arn: arn:aws:kinesis:eu-west-1:123456789012:stream/clicks\n"
            "    parallelizationFactor: 20",
            11,
            "ParallelizationFactor 20 is outside the range Lambda accepts (1 to 10)",
        ),
    ],
)
def test_serverless_event_sources_are_checked_the_same_way(event: str, line: int, fragment: str) -> None:
    text = (
        "service: shop\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  worker:\n"
        "    handler: h.main\n    events:\n" + textwrap.indent(event, "      ") + "\n"
    )
    plan = map_graph(parse_serverless(load_text(text, "serverless.yml")))
    (found,) = findings(plan, "LF3038", "LF4018")
    assert (found.loc.file, found.loc.line) == ("serverless.yml", line)
    assert fragment in found.message
