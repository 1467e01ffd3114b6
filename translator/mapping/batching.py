"""Batch, wait-time and retry values shared by the queue and stream triggers.

Lambda event source mappings and the Azure Functions host express the same ideas with different units
and limits; these helpers hold the conversions and the documented limits so the trigger mappers stay
short. Sources: the host.json reference (research/azure-target.md §4.2) and the Service Bus and Event
Hubs extension options (5.x).
"""

from __future__ import annotations

import re
from typing import Any

#: Lambda's BatchSize when the event source mapping does not set one
LAMBDA_DEFAULT_BATCH = {"sqs": 10, "kinesis": 100, "dynamodb": 100}

#: longest maxBatchWaitTime the Service Bus extension accepts (half of the 5-minute maximum lock)
SERVICE_BUS_MAX_WAIT_SECONDS = 150
#: a queue's lockDuration when none is set (Service Bus default), and the longest one Service Bus allows
SERVICE_BUS_DEFAULT_LOCK_SECONDS = 60
SERVICE_BUS_MAX_LOCK_SECONDS = 300
#: host.json serviceBus.maxAutoLockRenewalDuration default (extension 5.x): single-message functions only
SERVICE_BUS_DEFAULT_LOCK_RENEWAL_SECONDS = 300
#: longest maxWaitTime the Event Hubs extension accepts
EVENT_HUBS_MAX_WAIT_SECONDS = 600
#: host.json defaults of the Service Bus extension 5.x (per instance)
SERVICE_BUS_DEFAULT_CONCURRENT_CALLS = 16
SERVICE_BUS_DEFAULT_CONCURRENT_SESSIONS = 8


def hms(seconds: int) -> str:
    """host.json time span text (``hh:mm:ss``) for whole seconds under a day.

    >>> hms(0), hms(30), hms(150), hms(3725)
    ('00:00:00', '00:00:30', '00:02:30', '01:02:05')
    """
    seconds = max(0, min(seconds, 86399))
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def iso_seconds(value: Any) -> int | None:
    """Whole seconds of an ISO 8601 time span such as ``PT300S`` or ``PT1M30S``; None when unreadable.

    >>> iso_seconds("PT300S"), iso_seconds("PT1M"), iso_seconds("PT1H2M3S"), iso_seconds("P1D")
    (300, 60, 3723, None)
    """
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", value) if isinstance(value, str) else None
    if match is None or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def lock_seconds(queue_properties: dict[str, Any]) -> int:
    """The message lock of a generated Service Bus queue: its lockDuration, else the 1-minute default.

    >>> lock_seconds({"lockDuration": "PT300S"}), lock_seconds({})
    (300, 60)
    """
    seconds = iso_seconds(queue_properties.get("lockDuration"))
    return SERVICE_BUS_DEFAULT_LOCK_SECONDS if seconds is None else seconds


def service_bus_wait_cap(lock: int) -> int:
    """Longest maxBatchWaitTime for a queue with this lock: half of it, and never above 150 s.

    The extension documents the longest wait as 50% of the entity's message lock duration; a longer
    wait risks lock-lost errors on messages already pulled into the batch.

    >>> service_bus_wait_cap(60), service_bus_wait_cap(300), service_bus_wait_cap(45)
    (30, 150, 22)
    """
    return min(SERVICE_BUS_MAX_WAIT_SECONDS, lock // 2)


def retry_policy(attempts: int) -> dict[str, Any]:
    """A function retry policy for Lambda's MaximumRetryAttempts (-1: retry until it succeeds).

    Lambda retries a failed stream batch at once and with growing delays; exponential backoff from one
    second up to one minute is the closest Azure strategy.

    >>> retry_policy(3)["maxRetryCount"], retry_policy(-1)["maxRetryCount"]
    (3, -1)
    """
    return {
        "strategy": "exponentialBackoff",
        "maxRetryCount": attempts,
        "minimumInterval": "00:00:01",
        "maximumInterval": "00:01:00",
    }


def response_types(value: Any) -> list[str]:
    """The FunctionResponseTypes named literally.

    >>> response_types(["ReportBatchItemFailures"]), response_types(None)
    (['ReportBatchItemFailures'], [])
    """
    items = value if isinstance(value, (list, tuple)) else [value]
    return [str(v) for v in items if isinstance(v, str)]
