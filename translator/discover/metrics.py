"""Usage from CloudWatch over the last days: what the migration guidance asks to weigh.

One GetMetricData call covers up to 100 functions (five queries each, 500 a call), with a single period
spanning the whole window, so each query answers one aggregate: total invocations, errors and
throttles, p95 duration and peak concurrent executions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from translator.discover.gaps import UNKNOWN, Gaps

DAYS = 14
#: (key in the inventory, CloudWatch metric, statistic)
QUERIES = (
    ("invocations", "Invocations", "Sum"),
    ("errors", "Errors", "Sum"),
    ("throttles", "Throttles", "Sum"),
    ("durationP95Ms", "Duration", "p95"),
    ("peakConcurrentExecutions", "ConcurrentExecutions", "Maximum"),
)
_PER_CALL = 500 // len(QUERIES)


def read_metrics(
    cloudwatch: Any, gaps: Gaps, region: str, names: list[str], now: datetime, days: int = DAYS
) -> dict[str, Any]:
    """Function name -> its usage, or UNKNOWN when CloudWatch could not be read for it."""
    result: dict[str, Any] = {}
    for start in range(0, len(names), _PER_CALL):
        batch = names[start : start + _PER_CALL]
        queries = [
            {
                "Id": f"m{i}_{j}",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/Lambda",
                        "MetricName": metric,
                        "Dimensions": [{"Name": "FunctionName", "Value": name}],
                    },
                    "Period": days * 86400,
                    "Stat": stat,
                },
                "ReturnData": True,
            }
            for i, name in enumerate(batch)
            for j, (_, metric, stat) in enumerate(QUERIES)
        ]

        def send(queries: list[dict[str, Any]] = queries) -> list[dict[str, Any]]:
            paginator = cloudwatch.get_paginator("get_metric_data")
            pages = paginator.paginate(
                MetricDataQueries=queries, StartTime=now - timedelta(days=days), EndTime=now
            )
            return [r for page in pages for r in page["MetricDataResults"]]

        answer = gaps.call(region, None, "cloudwatch:GetMetricData", send)
        if answer is UNKNOWN:
            result.update({name: UNKNOWN for name in batch})
            continue
        values: dict[str, list[float]] = {}
        for item in answer:
            values.setdefault(item["Id"], []).extend(float(v) for v in item.get("Values", []))
        for i, name in enumerate(batch):
            usage: dict[str, Any] = {"days": days}
            for j, (key, _, stat) in enumerate(QUERIES):
                points = values.get(f"m{i}_{j}", [])
                if stat == "Sum":
                    usage[key] = int(sum(points))  # no data points: nothing happened
                else:
                    usage[key] = round(max(points), 3) if points else None
            result[name] = usage
    return result
