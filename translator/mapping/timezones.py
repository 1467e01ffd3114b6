"""Schedule time zones: Flex Consumption timers run in UTC, so a zoned AWS schedule is shifted or explained.

EventBridge Scheduler (``ScheduleV2``) evaluates a cron expression in ``ScheduleExpressionTimezone``;
Flex Consumption supports neither ``WEBSITE_TIME_ZONE`` nor ``TZ`` (research/azure-target.md §1.5).
A zone whose UTC offset never changes (``Asia/Tokyo``, ``Etc/GMT-3``) has an exact UTC schedule when the
offset is whole hours and the shifted hours fit the day fields; a zone with daylight saving time has two
offsets a year, which one NCRONTAB expression cannot follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["ZonedSchedule", "utc_schedule", "zone_offsets"]

_DAY_NAMES = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
#: a year with the current rules of most zones; offsets are sampled on the 1st and 15th of every month
_SAMPLE_YEAR = 2026


@dataclass(frozen=True)
class ZonedSchedule:
    ncrontab: str | None  # the UTC schedule when it can be written exactly, else None
    note: str  # what to tell the user


def zone_offsets(zone: str) -> list[timedelta] | None:
    """The distinct UTC offsets of a zone during a year, smallest first; None for an unknown zone.

    >>> zone_offsets("Asia/Tokyo"), len(zone_offsets("Europe/Berlin")), zone_offsets("Mars/Base")
    ([datetime.timedelta(seconds=32400)], 2, None)
    """
    try:
        info = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    found = {
        datetime(_SAMPLE_YEAR, month, day, 12, tzinfo=info).utcoffset()
        for month in range(1, 13)
        for day in (1, 15)
    }
    return sorted(o for o in found if o is not None)


def utc_schedule(ncrontab: str, zone: str) -> ZonedSchedule:
    """The UTC equivalent of a six-field NCRONTAB schedule written for ``zone``.

    >>> utc_schedule("0 0 9 * * Mon-Fri", "Asia/Tokyo").ncrontab
    '0 0 0 * * Mon-Fri'
    >>> utc_schedule("0 0 2 * * Mon", "Asia/Tokyo").ncrontab
    '0 0 17 * * 0'
    >>> utc_schedule("0 0 9 * * *", "America/New_York").ncrontab is None
    True
    """
    _, _, hours, dom, _, dow = ncrontab.split()
    if hours == "*" and dom == "*" and dow == "*":
        return ZonedSchedule(ncrontab, f"'{ncrontab}' fires at the same instants in every time zone.")
    offsets = zone_offsets(zone)
    if offsets is None:
        return ZonedSchedule(
            None,
            f"'{zone}' is not a known IANA time zone; the schedule was kept as written and runs in UTC.",
        )
    if len(offsets) > 1:
        described = " and ".join(_offset_text(o) for o in offsets)
        return ZonedSchedule(
            None,
            f"{zone} observes daylight saving time (UTC offsets {described}), so no single UTC schedule "
            f"matches all year; '{ncrontab}' now fires at those hours UTC. Schedule every UTC hour the "
            "local times map to and return early in code unless the local time in "
            f"{zone} (zoneinfo) is the wanted one.",
        )
    offset = offsets[0]
    shifted = _shift(ncrontab, offset) if offset else ncrontab
    if shifted is None:
        return ZonedSchedule(
            None,
            f"{zone} is always {_offset_text(offset)}, but the hours of '{ncrontab}' cannot be shifted to "
            f"UTC in NCRONTAB (not whole hours, or the shift crosses a day boundary the day fields cannot "
            f"follow); subtract {_offset_text(offset)[3:]} from the local times by hand. The schedule "
            "runs in UTC as written.",
        )
    return ZonedSchedule(
        shifted,
        f"{zone} is always {_offset_text(offset)}, so the schedule becomes '{shifted}' in UTC.",
    )


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _shift(ncrontab: str, offset: timedelta) -> str | None:
    """Move a schedule's hours (and, when all move across midnight together, its weekdays) to UTC."""
    seconds, minutes, hours, dom, month, dow = ncrontab.split()
    total = int(offset.total_seconds())
    if total % 3600:
        return None
    delta_hours = total // 3600
    if hours == "*" and dom == "*" and dow == "*":
        return ncrontab  # every hour of every day is every hour of every day in any zone
    local = _expand(hours, 0, 23, ())
    if local is None:
        return None
    moved = {h: h - delta_hours for h in local}
    days = {utc // 24 for utc in moved.values()}  # -1, 0 or 1: the day the UTC time falls on
    utc_hours = _compress(sorted(utc % 24 for utc in moved.values()))
    if days == {0} or (dom == "*" and dow == "*"):
        return " ".join((seconds, minutes, utc_hours, dom, month, dow))
    if len(days) != 1 or dom != "*" or month != "*":
        return None  # hours land on different days, or a day of month would have to move
    weekdays = _expand(dow, 0, 6, _DAY_NAMES)
    if weekdays is None:
        return None
    (day,) = days
    utc_days = _compress(sorted((d + day) % 7 for d in weekdays))
    return " ".join((seconds, minutes, utc_hours, dom, month, utc_days))


def _expand(field: str, low: int, high: int, names: tuple[str, ...]) -> list[int] | None:
    """The values an NCRONTAB field selects, or None for a field this module does not read."""
    values: set[int] = set()
    for item in field.split(","):
        body, _, step_text = item.partition("/")
        step = int(step_text) if step_text.isdigit() else 1
        if step_text and not step_text.isdigit():
            return None
        if body == "*":
            first, last = low, high
        elif "-" in body:
            a, _, b = body.partition("-")
            first, last = _value(a, names), _value(b, names)
        else:
            first = _value(body, names)
            last = high if step_text else first
        if first is None or last is None or not low <= first <= last <= high:
            return None
        values.update(range(first, last + 1, step))
    return sorted(values)


def _value(text: str, names: tuple[str, ...]) -> int | None:
    if text.isdigit():
        return int(text)
    upper = text.upper()
    return names.index(upper) if upper in names else None


def _compress(values: list[int]) -> str:
    """Comma-separated values with runs of three or more written as ranges."""
    parts: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        if j - i >= 2:
            parts.append(f"{values[i]}-{values[j]}")
        else:
            parts.extend(str(v) for v in values[i : j + 1])
        i = j + 1
    return ",".join(parts)
