"""Azure quotas on children per parent (translator/mapping/quotas.py, child_limits in mappings/azure.yaml).

Documented limits (learn.microsoft.com/azure/event-hubs/event-hubs-quotas, Standard tier): 10 event hubs
per namespace and 20 consumer groups per event hub, $Default included. Every Kinesis stream becomes an
event hub in the one Standard namespace the tool emits, and every function that reads a stream gets a
consumer group of its own; past those counts the deployment fails, so LF1019 says so.
"""

from __future__ import annotations

import pytest

from tests.unit.test_stream_readers import KINESIS, STREAM, plan_of, sam_function


def _streams(n: int) -> str:
    return "".join(
        f"  S{i}:\n    Type: AWS::Kinesis::Stream\n    Properties: {{ShardCount: 1}}\n" for i in range(n)
    )


def _event(i: int) -> str:
    return f"{{Type: Kinesis, Properties: {{Stream: !GetAtt S{i}.Arn, StartingPosition: LATEST}}}}"


def _lf1019(resources: str) -> list[tuple[str, int | None, str | None, str]]:
    plan = plan_of(resources)
    return [
        (f.rule, f.loc.line if f.loc else None, f.resource, f.message)
        for f in plan.findings
        if f.rule == "LF1019"
    ]


@pytest.mark.parametrize(("readers", "reported"), [(1, False), (19, False), (20, True), (25, True)])
def test_consumer_groups_per_event_hub(readers: int, reported: bool) -> None:
    # one consumer group per reading function, beside $Default: 19 fit in the 20 of a Standard hub
    resources = STREAM + "".join(sam_function(f"Reader{i:02d}", {"E": KINESIS}) for i in range(readers))
    found = _lf1019(resources)
    if not reported:
        assert found == []
        return
    ((rule, line, resource, message),) = found
    assert rule == "LF1019"
    names = ", ".join(f"Reader{i:02d}" for i in range(readers))
    assert message == (
        f"{readers} Microsoft.EventHub/namespaces/eventhubs/consumergroups under 'clicks' in main.bicep "
        f"(made from {names}), more than the 19 that an Event Hubs "
        "Standard event hub (20 consumer groups, $Default included) holds: the deployment fails"
    )
    # reported at the first function past the limit
    assert resource == "Reader19"
    # Transform, Resources, an empty line and the stream's 3 lines come first; each function takes 8
    assert line == 6 + 8 * 19 + 1


@pytest.mark.parametrize(("streams", "reported"), [(10, False), (11, True)])
def test_event_hubs_per_namespace(streams: int, reported: bool) -> None:
    resources = _streams(streams) + "".join(sam_function(f"F{i}", {"E": _event(i)}) for i in range(streams))
    found = _lf1019(resources)
    assert [r for r, *_ in found] == (["LF1019"] if reported else [])
    if reported:
        ((_, line, resource, message),) = found
        assert resource == "S10"
        assert line == 2 + 3 * 10 + 1  # Transform and Resources, then 3 lines per stream: the 11th's first
        assert message.endswith(
            "more than the 10 that an Event Hubs Standard namespace holds: the deployment fails"
        )
        assert "made from S0, S1, S2" in message
