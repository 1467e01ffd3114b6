"""Per-setting dispositions of event sources (translator/mapping/trigger_settings.py).

Each case maps one event and pins what became of each of its properties: converted when the Azure
trigger, host.json or Bicep carries it exactly; approximated or manual with the rule that explains it.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.test_triggers import SQS_IN_TEMPLATE, STREAM, sam, trigger
from translator.findings import Disposition

C, A, M = Disposition.CONVERTED, Disposition.APPROXIMATED, Disposition.MANUAL

# (events yaml, resources yaml, expected {setting: (disposition, rule)})
CASES: list[tuple[str, str, dict[str, tuple[Disposition, str | None]]]] = [
    (
        "Q:\n  Type: SQS\n  Properties:\n    Queue: !GetAtt OrdersQueue.Arn\n    BatchSize: 20\n"
        "    MaximumBatchingWindowInSeconds: 5\n    FunctionResponseTypes: [ReportBatchItemFailures]\n"
        "    MetricsConfig: {Metrics: [EventCount]}\n",
        SQS_IN_TEMPLATE,
        {
            "Queue": (C, None),
            "BatchSize": (C, None),
            "MaximumBatchingWindowInSeconds": (A, "LF3026"),
            "FunctionResponseTypes": (M, "LF3016"),
            "MetricsConfig": (M, "LF3007"),
        },
    ),
    (
        "S:\n  Type: Kinesis\n  Properties:\n    Stream: !GetAtt ClicksStream.Arn\n    StartingPosition: LATEST\n"
        "    MaximumRetryAttempts: 2\n    ParallelizationFactor: 1\n    BisectBatchOnFunctionError: true\n",
        STREAM,
        {
            "Stream": (C, None),
            "StartingPosition": (C, None),
            "MaximumRetryAttempts": (A, "LF3017"),
            "ParallelizationFactor": (C, None),
            "BisectBatchOnFunctionError": (A, "LF3017"),
        },
    ),
    (
        "T:\n  Type: ScheduleV2\n  Properties:\n    ScheduleExpression: cron(0 9 ? * MON *)\n"
        "    ScheduleExpressionTimezone: Asia/Tokyo\n",
        "",
        {"ScheduleExpression": (C, None), "ScheduleExpressionTimezone": (C, "LF3027")},
    ),
    (
        "T:\n  Type: ScheduleV2\n  Properties:\n    ScheduleExpression: cron(0 9 * * ? 2027)\n"
        "    ScheduleExpressionTimezone: Europe/Paris\n",
        "",
        {"ScheduleExpression": (A, "LF3004"), "ScheduleExpressionTimezone": (A, "LF3014")},
    ),
    (
        "T:\n  Type: Schedule\n  Properties:\n    Schedule: cron(0 0 L * ? *)\n",
        "",
        {"Schedule": (M, "LF3005")},
    ),
    (
        "N:\n  Type: SNS\n  Properties:\n    Topic: !Ref T\n    FilterPolicy: {a: [x], ip: [{cidr: 10.0.0.0/8}]}\n",
        "T:\n  Type: AWS::SNS::Topic\n",
        {"Topic": (C, None), "FilterPolicy": (A, "LF3003")},
    ),
    (
        "N:\n  Type: SNS\n  Properties:\n    Topic: !Ref T\n    FilterPolicy: {a: [x]}\n",
        "T:\n  Type: AWS::SNS::Topic\n",
        {"Topic": (C, None), "FilterPolicy": (C, "LF3023")},
    ),
    (
        "E:\n  Type: EventBridgeRule\n  Properties:\n    Pattern: {source: [aws.ec2]}\n    InputPath: $.detail\n",
        "",
        {"Pattern": (M, "LF3025"), "InputPath": (M, "LF3024")},
    ),
    (
        "U:\n  Type: S3\n  Properties:\n    Bucket: !Ref B\n    Events: s3:ObjectCreated:Put\n",
        "B:\n  Type: AWS::S3::Bucket\n",
        {"Bucket": (C, None), "Events": (A, "LF3022")},
    ),
    (
        "U:\n  Type: S3\n  Properties:\n    Bucket: !Ref B\n    Events: s3:ObjectTagging:*\n",
        "B:\n  Type: AWS::S3::Bucket\n",
        {"Bucket": (C, None), "Events": (M, "LF3022")},
    ),
]


@pytest.mark.parametrize(("events", "resources", "expected"), CASES)
def test_setting_dispositions(
    events: str, resources: str, expected: dict[str, tuple[Disposition, str | None]]
) -> None:
    found = trigger(sam(events, resources))
    got = {st.name: (st.disposition, st.rule) for st in found.settings}
    assert got == expected


def test_settings_name_their_azure_counterpart() -> None:
    found = trigger(
        sam("Q:\n  Type: SQS\n  Properties:\n    Queue: !GetAtt OrdersQueue.Arn\n", SQS_IN_TEMPLATE)
    )
    (queue,) = found.settings
    assert queue.azure_target == "Service Bus queue (binding queueName)"


def test_unsupported_event_settings_are_unsupported() -> None:
    found: Any = trigger(
        sam(
            "M:\n  Type: MQ\n  Properties:\n    Broker: arn:aws:mq:us-east-1:1:broker:b:id\n    Queues: [q]\n"
        )
    )
    assert {st.name: (st.disposition, st.rule) for st in found.settings} == {
        "Broker": (Disposition.UNSUPPORTED, "LF3001"),
        "Queues": (Disposition.UNSUPPORTED, "LF3001"),
    }
