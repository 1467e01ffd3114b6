"""Zoned AWS schedules -> UTC NCRONTAB (translator/mapping/timezones.py).

Offsets are IANA facts: Asia/Tokyo is UTC+9 all year, Asia/Kolkata UTC+5:30, the POSIX-style
Etc/GMT+5 is UTC-5 (the sign is inverted), Europe/Berlin UTC+1/UTC+2 and America/New_York UTC-5/UTC-4
with daylight saving time. Each expected schedule was worked out by subtracting the offset by hand.
"""

from __future__ import annotations

import doctest

import pytest

from tests.unit.test_triggers import rules, sam, trigger
from translator.findings import Disposition
from translator.mapping import timezones
from translator.mapping.timezones import utc_schedule

# (local NCRONTAB, zone, UTC NCRONTAB or None when it cannot be written exactly)
CASES: list[tuple[str, str, str | None]] = [
    ("0 0 9 * * Mon-Fri", "Asia/Tokyo", "0 0 0 * * Mon-Fri"),  # 09:00 JST = 00:00 UTC, same day
    ("0 0 2 * * Mon", "Asia/Tokyo", "0 0 17 * * 0"),  # Monday 02:00 JST = Sunday 17:00 UTC
    ("0 0 3 * * 0,6", "Asia/Tokyo", "0 0 18 * * 5,6"),  # Sat/Sun 03:00 JST = Fri/Sat 18:00 UTC
    ("0 0 */6 * * *", "Asia/Tokyo", "0 0 3,9,15,21 * * *"),  # 0,6,12,18 JST
    ("0 */5 * * * *", "Asia/Tokyo", "0 */5 * * * *"),  # every 5 minutes is zone-free
    ("0 15 10 * * *", "Asia/Tokyo", "0 15 1 * * *"),
    ("0 0 12 * * *", "Etc/GMT+5", "0 0 17 * * *"),  # Etc/GMT+5 is UTC-5
    ("0 0 22 * * Fri", "Etc/GMT+3", "0 0 1 * * 6"),  # Friday 22:00 UTC-3 = Saturday 01:00 UTC
    ("0 0 20-23 * * *", "Etc/GMT+2", "0 0 0,1,22,23 * * *"),  # crosses midnight, every day
    ("0 0 9-17 * * 1-5", "Etc/GMT-1", "0 0 8-16 * * 1-5"),
    ("0 0 0 * * *", "UTC", "0 0 0 * * *"),
    ("0 30 8 * * *", "Asia/Kolkata", None),  # UTC+5:30 is not whole hours
    ("0 0 1 15 * *", "Asia/Tokyo", None),  # day 15 01:00 JST is day 14 in UTC
    ("0 0 1,12 * * Mon", "Asia/Tokyo", None),  # 01:00 moves to Sunday, 12:00 stays Monday
    ("0 0 9 * * *", "Europe/Berlin", None),  # daylight saving time
    ("0 0 9 * * *", "America/New_York", None),
    ("0 0 9 * * *", "Mars/Olympus_Mons", None),  # not a zone
    ("0 */10 * * * *", "Europe/Berlin", "0 */10 * * * *"),  # every 10 minutes: daylight saving is moot
]


@pytest.mark.parametrize(("local", "zone", "utc"), CASES)
def test_utc_schedule(local: str, zone: str, utc: str | None) -> None:
    result = utc_schedule(local, zone)
    assert result.ncrontab == utc
    assert result.note


def test_daylight_saving_note_gives_both_offsets() -> None:
    assert "UTC+1 and UTC+2" in utc_schedule("0 0 9 * * *", "Europe/Berlin").note
    assert "UTC-5 and UTC-4" in utc_schedule("0 0 9 * * *", "America/New_York").note


def test_fixed_offset_note_names_the_offset() -> None:
    assert "UTC+5:30" in utc_schedule("0 30 8 * * *", "Asia/Kolkata").note


def test_doctests() -> None:
    assert doctest.testmod(timezones).failed == 0


def zoned(expression: str, zone: str) -> object:
    return sam(
        f"Tick:\n  Type: ScheduleV2\n  Properties:\n    ScheduleExpression: {expression}\n"
        f"    ScheduleExpressionTimezone: {zone}\n"
    )


def test_schedule_v2_in_a_fixed_offset_zone_is_shifted() -> None:
    plan = zoned("cron(0 9 ? * MON-FRI *)", "Asia/Tokyo")
    found = trigger(plan)
    assert found.binding == {"schedule": "0 0 0 * * Mon-Fri"}
    assert "LF3027" in rules(plan) and "LF3014" not in rules(plan)
    assert found.disposition is Disposition.CONVERTED


def test_schedule_v2_in_a_daylight_saving_zone_keeps_the_hours_and_warns() -> None:
    plan = zoned("cron(0 9 ? * MON-FRI *)", "Europe/Berlin")
    found = trigger(plan)
    assert found.binding == {"schedule": "0 0 9 * * Mon-Fri"}
    assert "LF3014" in rules(plan)
    assert found.disposition is Disposition.APPROXIMATED


def test_rate_schedule_ignores_the_time_zone() -> None:
    plan = zoned("rate(1 day)", "America/New_York")
    assert trigger(plan).binding == {"schedule": "0 0 0 * * *"}
    assert not rules(plan) & {"LF3014", "LF3027"}


def test_schedule_v2_in_utc_needs_no_finding() -> None:
    plan = zoned("cron(0 9 * * ? *)", "UTC")
    assert trigger(plan).binding == {"schedule": "0 0 9 * * *"}
    assert not rules(plan) & {"LF3014", "LF3027", "LF3007"}


@pytest.mark.parametrize(("state", "enabled"), [("State: DISABLED", None), (None, "Enabled: false")])
def test_disabled_schedule_stays_disabled(state: str | None, enabled: str | None) -> None:
    extra = state or enabled
    plan = sam(
        f"Tick:\n  Type: ScheduleV2\n  Properties:\n    ScheduleExpression: rate(5 minutes)\n    {extra}\n"
    )
    config = next(r for r in plan.resources if r.type == "Microsoft.Web/sites/config")
    assert config.body["properties"]["AzureWebJobs.Fn.Disabled"] == "true"
    assert "LF3009" in rules(plan)
