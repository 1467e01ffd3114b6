"""What the services named by a function's resource policy send it: the other half of a push trigger.

A policy statement only says that S3, SNS or EventBridge may invoke the function. The bucket's
notification configuration says for which events and keys, the SNS subscription carries the filter
policy, and the EventBridge rule is either a schedule (a timer trigger on Azure) or an event pattern.
Each is read from the service that owns it; a failed read is a gap and the statement alone is used.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from translator.discover.gaps import UNKNOWN, Gaps


def _source_arn(statement: dict[str, Any]) -> str | None:
    for block in (statement.get("Condition") or {}).values():
        if isinstance(block, dict):
            for key, value in block.items():
                if key.lower() == "aws:sourcearn":
                    return str(value[0] if isinstance(value, list) and value else value)
    return None


def _service(statement: dict[str, Any]) -> str | None:
    principal = statement.get("Principal")
    service = principal.get("Service") if isinstance(principal, dict) else None
    return service if isinstance(service, str) else None


def _targets(endpoint: str, arn: str) -> bool:
    """An S3 or SNS target names this function, or one of its aliases or versions."""
    return endpoint == arn or endpoint.startswith(arn + ":")


class PushSources:
    def __init__(self, client: Callable[[str], Any], gaps: Gaps, region: str) -> None:
        self.client = client
        self.gaps = gaps
        self.region = region

    def read(self, arn: str, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for statement in statements:
            source = _source_arn(statement)
            service = _service(statement)
            if source is None or statement.get("Effect") != "Allow":
                continue
            entry: dict[str, Any] | None = None
            if service == "events.amazonaws.com":
                entry = self._rule(arn, source)
            elif service == "s3.amazonaws.com":
                entry = self._bucket(arn, source)
            elif service == "sns.amazonaws.com":
                entry = self._subscription(arn, source)
            if entry is not None:
                found.append({"sid": str(statement.get("Sid") or ""), "sourceArn": source, **entry})
        return found

    def _rule(self, arn: str, source: str) -> dict[str, Any] | None:
        # arn:aws:events:REGION:ACCOUNT:rule/NAME (default bus) or rule/BUS/NAME
        parts = source.split(":", 5)[-1].split("/")
        if len(parts) < 2 or parts[0] != "rule":
            return None
        bus, name = (parts[1], parts[2]) if len(parts) == 3 else ("default", parts[1])
        events = self.client("events")
        rule = self.gaps.call(
            self.region, arn, "events:DescribeRule", lambda: events.describe_rule(Name=name, EventBusName=bus)
        )
        if rule is UNKNOWN:
            return None  # a gap: the statement alone is used
        if rule is None:
            return {"service": "events"}  # the rule is gone: it sends nothing
        details: dict[str, Any] = {"name": name, "eventBusName": bus, "state": rule.get("State")}
        if rule.get("ScheduleExpression"):
            details["scheduleExpression"] = rule["ScheduleExpression"]
        if rule.get("EventPattern"):
            details["eventPattern"] = rule["EventPattern"]  # JSON text, as EventBridge keeps it
        return {"service": "events", "rule": details}

    def _bucket(self, arn: str, source: str) -> dict[str, Any] | None:
        bucket = source.rsplit(":", 1)[-1]
        s3 = self.client("s3")
        config = self.gaps.call(
            self.region,
            arn,
            "s3:GetBucketNotificationConfiguration",
            lambda: s3.get_bucket_notification_configuration(Bucket=bucket),
        )
        if config is UNKNOWN:
            return None
        if config is None:
            return {"service": "s3", "bucket": bucket, "notifications": []}  # the bucket is gone
        notifications = [
            {
                "events": [str(e) for e in c.get("Events", [])],
                "filterRules": [
                    {"name": str(r["Name"]).lower(), "value": str(r["Value"])}
                    for r in (c.get("Filter") or {}).get("Key", {}).get("FilterRules", [])
                ],
            }
            for c in config.get("LambdaFunctionConfigurations", [])
            if _targets(str(c.get("LambdaFunctionArn", "")), arn)
        ]
        return {"service": "s3", "bucket": bucket, "notifications": notifications}

    def _subscription(self, arn: str, source: str) -> dict[str, Any] | None:
        sns = self.client("sns")
        paginator = sns.get_paginator("list_subscriptions_by_topic")
        subscriptions = self.gaps.call(
            self.region,
            arn,
            "sns:ListSubscriptionsByTopic",
            lambda: [s for page in paginator.paginate(TopicArn=source) for s in page["Subscriptions"]],
        )
        if subscriptions is UNKNOWN:
            return None
        if subscriptions is None:
            return {"service": "sns", "subscriptions": []}  # the topic is gone
        mine = [
            s
            for s in subscriptions
            if s.get("Protocol") == "lambda" and _targets(str(s.get("Endpoint", "")), arn)
        ]
        found: list[dict[str, Any]] = []
        for subscription in mine:
            sub_arn = str(subscription["SubscriptionArn"])
            attributes = self.gaps.call(
                self.region,
                arn,
                "sns:GetSubscriptionAttributes",
                lambda sub_arn=sub_arn: sns.get_subscription_attributes(SubscriptionArn=sub_arn),
            )
            values = attributes.get("Attributes", {}) if isinstance(attributes, dict) else {}
            item: dict[str, Any] = {"subscriptionArn": sub_arn}
            if values.get("FilterPolicy"):
                item["filterPolicy"] = values["FilterPolicy"]
                item["filterPolicyScope"] = values.get("FilterPolicyScope") or "MessageAttributes"
            found.append(item)
        return {"service": "sns", "subscriptions": found}


def parse_json_text(text: Any) -> Any:
    """An event pattern or filter policy as data; None when it is not JSON."""
    try:
        return json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return None
