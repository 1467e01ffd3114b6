"""Convert AWS schedule expressions to Azure Functions timer-trigger NCRONTAB expressions.

AWS (EventBridge rules, SAM ``Schedule`` / ``ScheduleV2`` events) accepts three forms:

* ``rate(value unit)`` with unit ``minute(s)``, ``hour(s)`` or ``day(s)``;
* ``cron(minutes hours day-of-month month day-of-week year)``, six fields, Quartz-like, with
  day-of-week 1-7 = SUN-SAT, exactly one of day-of-month / day-of-week set to ``?``, and the
  specials ``L``, ``W`` and ``#``;
* ``at(yyyy-mm-ddThh:mm:ss)``, one-time schedules (EventBridge Scheduler / ``ScheduleV2`` only).

The Azure Functions timer trigger takes a six-field NCRONTAB expression
``{second} {minute} {hour} {day} {month} {day-of-week}`` (day-of-week 0-6 = Sunday-Saturday,
no ``?``, ``L``, ``W``, ``#`` and no year field), evaluated in UTC on Flex Consumption.

Only :func:`convert_schedule` and :class:`ScheduleConversion` are public.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from math import gcd

__all__ = ["ScheduleConversion", "convert_schedule"]


@dataclass(frozen=True)
class ScheduleConversion:
    """Result of converting one AWS schedule expression."""

    ncrontab: str | None  # None when the expression cannot be expressed
    exact: bool  # True when the Azure schedule fires at exactly the same instants
    notes: tuple[str, ...]  # human sentences: why approximate or why impossible, and what to do instead


# --------------------------------------------------------------------------------------------------
# Field descriptions
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    label: str  # used in notes
    low: int  # AWS minimum value
    high: int  # AWS maximum value
    names: tuple[str, ...] = ()  # AWS names, upper case, names[0] == low
    shift: int = 0  # NCRONTAB value = AWS value + shift

    def aws_to_azure(self, value: int) -> int:
        return value + self.shift


_MINUTES = _Field("minutes", 0, 59)
_HOURS = _Field("hours", 0, 23)
_DAY_OF_MONTH = _Field("day-of-month", 1, 31)
_MONTH = _Field(
    "month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
)
# AWS numbers Sunday 1 .. Saturday 7, NCRONTAB numbers Sunday 0 .. Saturday 6.
_DAY_OF_WEEK = _Field("day-of-week", 1, 7, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), shift=-1)
_YEAR = _Field("year", 1970, 2199)

_WEEKDAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_ORDINALS = ("first", "second", "third", "fourth", "fifth")

# Plenty for any legal value, and keeps int() away from Python's 4300-digit conversion limit.
_NUMBER = r"[0-9]{1,6}"
_NAME_OR_NUMBER = rf"(?:{_NUMBER}|[A-Z]{{3}})"

_OUTER_RE = re.compile(r"([A-Za-z]+)\s*\((.*)\)", re.DOTALL)
_ITEM_RE = re.compile(rf"(\*|{_NAME_OR_NUMBER})(?:-({_NAME_OR_NUMBER}))?(?:/({_NUMBER}))?")
# Specials, matched on the upper-cased item text.
_DOM_SPECIAL_RE = re.compile(rf"L|LW|L-({_NUMBER})|({_NUMBER})W")
_DOW_SPECIAL_RE = re.compile(rf"L|({_NAME_OR_NUMBER})L|({_NAME_OR_NUMBER})#({_NUMBER})")
_AT_RE = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\s*")


class _Invalid(Exception):
    """Internal: the expression is malformed; the message is a ready-made note."""


@dataclass(frozen=True)
class _Value:
    number: int  # AWS numbering
    is_name: bool  # written as a name (MON, JAN) rather than a number


@dataclass(frozen=True)
class _Item:
    """One comma-separated element of a cron field: ``*``, ``v``, ``a-b``, each with an optional ``/step``."""

    start: _Value | None  # None for the wildcard
    end: _Value | None
    step: int | None


@dataclass(frozen=True)
class _Special:
    """An ``L``/``W``/``#`` item: why it cannot be converted and which runtime check replaces it."""

    token: str
    meaning: str  # e.g. "the last day of the month"
    check: str  # condition the function code must test
    weekday: int | None = None  # AWS day-of-week number when the special pins one weekday


# --------------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------------


def convert_schedule(expression: str) -> ScheduleConversion:
    """Convert an AWS ``rate(...)``, ``cron(...)`` or ``at(...)`` expression to Azure NCRONTAB.

    Never raises for bad input: anything that cannot be converted gives ``ncrontab=None``,
    ``exact=False`` and notes saying why and what to do instead. Keywords and names are
    case-insensitive and any whitespace around and between tokens is accepted.

    ``exact`` compares firing *cadence* in UTC. AWS rate schedules are anchored to the moment the
    rule was created, which no cron syntax can reproduce, so ``rate(5 minutes)`` ->
    ``0 */5 * * * *`` counts as exact; day-based rates get a note because the time of day changes.

    Rate rules (the value is first normalised, so ``rate(120 minutes)`` is treated as 2 hours and
    ``rate(48 hours)`` as 2 days):

    * N minutes, N < 60: ``0 */N * * * *``; exact when 60 % N == 0, otherwise approximate because
      the step restarts every hour. N > 60 and not whole hours: not expressible (None).
    * N hours, N < 24: ``0 0 */N * * *``; exact when 24 % N == 0, otherwise approximate (restarts at
      midnight). N > 24 and not whole days: None.
    * 1 day: ``0 0 0 * * *`` (exact); 7 days: ``0 0 0 * * 0`` (weekly, exact cadence);
      other N <= 31: ``0 0 0 */N * *`` (approximate, restarts on the 1st); N > 31: None.
    * Impossible or approximate cases suggest a coarser timer plus an "intervals since the Unix
      epoch" check in code, which restores the exact cadence.
    * A singular unit with a value other than 1 (or a plural with 1) is accepted with a note; zero,
      negative, fractional or non-numeric values and unknown units give None.

    Cron rules:

    * ``0`` seconds is prepended and ``?`` becomes ``*``; exactly one of day-of-month/day-of-week
      must be ``?`` (as AWS requires), otherwise None.
    * Numeric days of week are shifted down by one (1 -> 0 ... 7 -> 6) everywhere, including range
      ends and step starts. ``*/n`` is left unchanged: AWS counts from 1 (SUN) and NCRONTAB from 0
      (Sun), so both select the same weekdays. ``a/n`` keeps its form (NCRONTAB reads it as
      ``a-max/n`` exactly like AWS).
    * Names are kept with NCRONTAB capitalisation (``MON`` -> ``Mon``, ``jan`` -> ``Jan``).
    * Wrap-around ranges such as ``FRI-MON`` or ``22-2`` (Quartz semantics) are split into
      ``Fri-Sat,Sun-Mon`` / ``22-23,0-2``, or listed value by value when stepped, because NCRONTAB
      silently swaps reversed range ends. Still exact, with a note.
    * ``L``, ``W``, ``#`` (``L``, ``LW``, ``L-n``, ``nW``; ``L``, ``nL``, ``n#k``): None, with a note
      proposing a daily (or weekly) timer plus a date check in code.
    * A year other than ``*`` is validated and dropped: exact=False with a note.
    * Out-of-range values, zero steps, unknown names, wrong field counts: None.

    ``at(...)`` always gives None: one-time schedules have no timer equivalent.

    >>> convert_schedule("rate(5 minutes)")
    ScheduleConversion(ncrontab='0 */5 * * * *', exact=True, notes=())
    >>> convert_schedule("cron(0 12 ? * MON-FRI *)").ncrontab
    '0 0 12 * * Mon-Fri'
    >>> convert_schedule("cron(15 10 ? * 2-6 *)").ncrontab
    '0 15 10 * * 1-5'
    >>> convert_schedule("cron(0 9 * * ? 2027)").exact
    False
    >>> convert_schedule("cron(0 0 L * ? *)").ncrontab is None
    True
    """
    if not isinstance(expression, str):
        return _impossible(f"Expected a schedule expression string, got {type(expression).__name__}.")
    match = _OUTER_RE.fullmatch(expression.strip())
    if match is None:
        return _impossible(
            f"{_quote(expression)} is not an AWS schedule expression: "
            "expected rate(...), cron(...) or at(...)."
        )
    keyword, body = match.group(1).lower(), match.group(2)
    try:
        if keyword == "rate":
            return _convert_rate(body)
        if keyword == "cron":
            return _convert_cron(body)
        if keyword == "at":
            return _convert_at(body)
    except _Invalid as problem:
        return _impossible(str(problem))
    return _impossible(
        f"Unknown schedule keyword {keyword!r} in {_quote(expression)}: "
        "expected rate(...), cron(...) or at(...)."
    )


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _impossible(*notes: str) -> ScheduleConversion:
    return ScheduleConversion(ncrontab=None, exact=False, notes=tuple(notes))


def _quote(text: str, limit: int = 80) -> str:
    # Notes end up in reports; keep arbitrary input short and visibly delimited.
    shown = text.strip()
    if len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return f"'{shown}'"


def _every(n: int) -> str:
    return "*" if n == 1 else f"*/{n}"


# --------------------------------------------------------------------------------------------------
# rate(...)
# --------------------------------------------------------------------------------------------------

_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 1440}


def _convert_rate(body: str) -> ScheduleConversion:
    parts = body.split()
    if len(parts) != 2:
        raise _Invalid(f"rate({body.strip()}) must be 'rate(value unit)', e.g. rate(5 minutes).")
    raw_value, raw_unit = parts
    unit = raw_unit.lower()
    singular = unit[:-1] if unit.endswith("s") else unit
    if singular not in _UNIT_MINUTES:
        raise _Invalid(
            f"Unknown rate unit {raw_unit!r}: AWS accepts minute(s), hour(s) and day(s) only, "
            "so this schedule was not converted."
        )
    value = _parse_rate_value(raw_value)

    notes: list[str] = []
    plural = unit.endswith("s")
    if plural == (value == 1):
        expected = singular if value == 1 else singular + "s"
        notes.append(
            f"AWS expects '{value} {expected}' rather than '{raw_value} {raw_unit}'; read leniently as "
            f"{value} {expected}."
        )

    total = value * _UNIT_MINUTES[singular]  # the whole cadence in minutes
    if total % 1440 == 0:
        return _rate_days(total // 1440, notes)
    if total % 60 == 0:
        return _rate_hours(total // 60, notes)
    return _rate_minutes(total, notes)


def _parse_rate_value(raw: str) -> int:
    if re.fullmatch(r"[0-9]+", raw):
        if len(raw) > 9:
            raise _Invalid(f"Rate value {raw} is far too large to schedule; not converted.")
        value = int(raw)
        if value == 0:
            raise _Invalid("Rate value 0 is invalid: the value must be a positive whole number.")
        return value
    if re.fullmatch(r"-[0-9]+(\.[0-9]*)?", raw):
        raise _Invalid(f"Rate value {raw} is negative: the value must be a positive whole number.")
    if re.fullmatch(r"\+?([0-9]+\.[0-9]*|\.[0-9]+)", raw):
        raise _Invalid(f"Rate value {raw} is not a whole number: the value must be a positive whole number.")
    raise _Invalid(
        f"Rate value {_quote(raw, 20)} is not a number: the value must be a positive whole number."
    )


def _rate_minutes(n: int, notes: list[str]) -> ScheduleConversion:
    hint = _epoch_hint(n, "minute", f"0 {_every(gcd(n, 60))} * * * *")
    if n > 60:
        notes.append(
            f"A {n}-minute cadence does not fit NCRONTAB's minute field (it restarts every hour). {hint}"
        )
        return _impossible(*notes)
    expression = f"0 {_every(n)} * * * *"
    if 60 % n == 0:
        return ScheduleConversion(expression, True, tuple(notes))
    last = (59 // n) * n
    notes.append(
        f"Approximate: '{expression}' restarts its count every hour (minutes 0, {n}, ..., {last}, "
        f"then 0 again), so one gap per hour is {60 - last} minutes instead of {n}. {hint}"
    )
    return ScheduleConversion(expression, False, tuple(notes))


def _rate_hours(n: int, notes: list[str]) -> ScheduleConversion:
    hint = _epoch_hint(n, "hour", f"0 0 {_every(gcd(n, 24))} * * *")
    if n > 24:
        notes.append(f"A {n}-hour cadence does not fit NCRONTAB's hour field (it restarts every day). {hint}")
        return _impossible(*notes)
    expression = f"0 0 {_every(n)} * * *"
    if 24 % n == 0:
        return ScheduleConversion(expression, True, tuple(notes))
    last = (23 // n) * n
    notes.append(
        f"Approximate: '{expression}' restarts its count at midnight UTC (hours 0, {n}, ..., {last}, then 0 "
        f"again), so one gap per day is {24 - last} hours instead of {n}. {hint}"
    )
    return ScheduleConversion(expression, False, tuple(notes))


def _rate_days(n: int, notes: list[str]) -> ScheduleConversion:
    time_of_day = (
        "AWS counts a rate from the moment the rule was created, whereas this timer fires at 00:00 UTC; "
        "change the hour and minute fields if the time of day matters."
    )
    if n == 1:
        return ScheduleConversion("0 0 0 * * *", True, (*notes, time_of_day))
    if n == 7:
        # A weekly cron has exactly the 7-day cadence; only the weekday (phase) is a free choice.
        return ScheduleConversion(
            "0 0 0 * * 0",
            True,
            (*notes, f"Runs weekly on Sunday; change the day-of-week field for another day. {time_of_day}"),
        )
    hint = _epoch_hint(n, "day", "0 0 0 * * *")
    if n > 31:
        notes.append(f"A {n}-day cadence does not fit NCRONTAB's day-of-month field. {hint}")
        return _impossible(*notes)
    notes.append(
        f"Approximate: '0 0 0 */{n} * *' fires on days 1, {1 + n}, ... of each month and restarts "
        f"on the 1st, so the gap across a month end is not {n} days. {hint}"
    )
    return ScheduleConversion(f"0 0 0 */{n} * *", False, tuple(notes))


def _epoch_hint(n: int, unit: str, coarse: str) -> str:
    # Counting whole units since the Unix epoch gives a phase-stable cadence that never resets.
    return (
        f"For an exact {n}-{unit} cadence, schedule '{coarse}' and return early in code unless the number "
        f"of whole {unit}s since the Unix epoch (UTC) is a multiple of {n}."
    )


# --------------------------------------------------------------------------------------------------
# at(...)
# --------------------------------------------------------------------------------------------------


def _convert_at(body: str) -> ScheduleConversion:
    match = _AT_RE.fullmatch(body)
    when: datetime | None = None
    if match is not None:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        try:
            when = datetime(year, month, day, hour, minute, second)
        except ValueError:  # e.g. February 30th
            when = None
    if when is None:
        return _impossible(
            f"at({body.strip()[:40]}) is not a valid one-time schedule (expected at(yyyy-mm-ddThh:mm:ss)), "
            "and one-time schedules have no Azure timer equivalent anyway."
        )
    yearly = f"0 {when.minute} {when.hour} {when.day} {when.month} *"
    return _impossible(
        f"at({when.isoformat()}) is a one-time schedule, which an Azure Functions timer cannot express "
        f"(NCRONTAB has no year). Either schedule '{yearly}' (that date every year, UTC) and return early "
        f"unless the year is {when.year}, then remove the function, or trigger the work once by other means "
        "(a scheduled Service Bus message or a Durable Functions timer)."
    )


# --------------------------------------------------------------------------------------------------
# cron(...)
# --------------------------------------------------------------------------------------------------


def _convert_cron(body: str) -> ScheduleConversion:
    fields = body.split()
    if len(fields) != 6:
        raise _Invalid(
            f"cron({body.strip()[:60]}) has {len(fields)} field(s); AWS cron needs exactly 6: "
            "minutes hours day-of-month month day-of-week year."
        )
    minutes, hours, dom, month, dow, year = (field.upper() for field in fields)

    problems: list[str] = []
    specials: list[_Special] = []
    notes: list[str] = []

    def convert(field: _Field, text: str) -> str:
        # Collect every problem rather than stopping at the first, so one report lists them all.
        try:
            return _convert_field(field, text, specials, notes)
        except _Invalid as problem:
            problems.append(str(problem))
            return ""

    azure_minutes = convert(_MINUTES, minutes)
    azure_hours = convert(_HOURS, hours)
    azure_month = convert(_MONTH, month)
    azure_dom = "*" if dom == "?" else convert(_DAY_OF_MONTH, dom)
    azure_dow = "*" if dow == "?" else convert(_DAY_OF_WEEK, dow)
    if year != "*":
        convert(_YEAR, year)  # validated only: NCRONTAB has no year field

    if dom == "?" and dow == "?":
        problems.append("AWS cron allows '?' in only one of day-of-month and day-of-week, not both.")
    elif dom != "?" and dow != "?":
        problems.append(
            "AWS cron requires '?' in exactly one of day-of-month and day-of-week "
            "(e.g. 'cron(0 12 * * ? *)'); fix the AWS expression first."
        )
    if problems:
        return _impossible(*problems)
    if specials:
        return _impossible(*(_special_note(s, azure_minutes, azure_hours, azure_month) for s in specials))

    exact = True
    if year != "*":
        exact = False
        notes.append(
            f"The AWS year restriction '{fields[5]}' was dropped because NCRONTAB has no year field, so this "
            "timer fires every year; return early in code outside those years or remove the function "
            "when they are over."
        )
    ncrontab = f"0 {azure_minutes} {azure_hours} {azure_dom} {azure_month} {azure_dow}"
    return ScheduleConversion(ncrontab, exact, tuple(notes))


def _convert_field(field: _Field, text: str, specials: list[_Special], notes: list[str]) -> str:
    """Translate one AWS cron field (already upper-cased) to NCRONTAB, recording specials and notes."""
    if "?" in text:
        raise _Invalid(
            f"'?' is only allowed on its own in the day-of-month or day-of-week field, not in {field.label}."
        )
    pieces: list[str] = []
    for raw in text.split(","):
        if not raw:
            raise _Invalid(f"The {field.label} field {_quote(text, 30)} has an empty list element.")
        special = _classify_special(field, raw)
        if special is not None:
            specials.append(special)
            continue
        pieces.append(_emit_item(field, _parse_item(field, raw), raw, notes))
    return ",".join(pieces)


def _parse_item(field: _Field, raw: str) -> _Item:
    match = _ITEM_RE.fullmatch(raw)
    if match is None:
        raise _Invalid(
            f"{_quote(raw, 30)} is not a valid {field.label} element "
            "(expected *, a value, a range a-b, a list a,b or a step */n, a/n, a-b/n)."
        )
    start_text, end_text, step_text = match.groups()
    if start_text == "*" and end_text is not None:
        raise _Invalid(f"{_quote(raw, 30)} is not a valid {field.label} element: '*' cannot start a range.")
    start = None if start_text == "*" else _parse_value(field, start_text)
    end = None if end_text is None else _parse_value(field, end_text)
    step = None
    if step_text is not None:
        step = int(step_text)
        if step == 0:
            raise _Invalid(
                f"The step in {field.label} element {_quote(raw, 30)} is 0; it must be at least 1."
            )
    return _Item(start, end, step)


def _parse_value(field: _Field, text: str) -> _Value:
    if text[0].isdigit():  # the regexes only let ASCII digits through
        number = int(text)
        if not field.low <= number <= field.high:
            hint = " (AWS numbers Sunday as 1 and Saturday as 7)" if field is _DAY_OF_WEEK else ""
            raise _Invalid(
                f"{field.label} value {number} is outside the AWS range {field.low}-{field.high}{hint}."
            )
        return _Value(number, is_name=False)
    if text in field.names:
        return _Value(field.low + field.names.index(text), is_name=True)
    if field.names:
        allowed = f"{field.names[0]}-{field.names[-1]}"
        raise _Invalid(f"{text!r} is not a valid {field.label} name (expected {allowed}).")
    raise _Invalid(f"{text!r} is not a number; the {field.label} field does not accept names.")


def _emit_item(field: _Field, item: _Item, raw: str, notes: list[str]) -> str:
    step = "" if item.step is None else f"/{item.step}"
    if item.start is None:
        # '*/n' needs no day-of-week shift: AWS counts 1,1+n,... from SUN=1, NCRONTAB 0,n,... from Sun=0.
        return "*" + step
    if item.end is None:
        # 'a/n' means a..max step n in both syntaxes, so only the start value is translated.
        return _emit_value(field, item.start.number, item.start.is_name) + step
    first, last = item.start, item.end
    if first.number <= last.number:
        # Always keep both ends: '5-5/2' is {5}, whereas '5/2' would mean 5 up to the maximum.
        begin, end = (
            _emit_value(field, first.number, first.is_name),
            _emit_value(field, last.number, last.is_name),
        )
        return f"{begin}-{end}{step}"
    if field is _YEAR:
        raise _Invalid(f"The year range {_quote(raw, 30)} runs backwards.")
    # Quartz-style wrap-around range (e.g. FRI-MON, 22-2). NCRONTAB would swap the ends and select the
    # complement, so spell it out.
    names = first.is_name or last.is_name
    if item.step is None:
        pieces = [_span(field, first.number, field.high, names), _span(field, field.low, last.number, names)]
    else:
        size = field.high - field.low + 1
        stepped = range(first.number, last.number + size + 1, item.step)
        values = sorted({field.low + (value - field.low) % size for value in stepped})
        pieces = [_emit_value(field, value, names) for value in values]
    result = ",".join(pieces)
    notes.append(
        f"The wrap-around {field.label} range '{raw}' was written as '{result}', because NCRONTAB would read "
        "a reversed range with its ends swapped."
    )
    return result


def _span(field: _Field, first: int, last: int, names: bool) -> str:
    if first == last:
        return _emit_value(field, first, names)
    return f"{_emit_value(field, first, names)}-{_emit_value(field, last, names)}"


def _emit_value(field: _Field, number: int, as_name: bool) -> str:
    if as_name and field.names:
        # NCRONTAB matches names case-insensitively by prefix; its documentation writes 'Mon', 'Jan'.
        return field.names[number - field.low].capitalize()
    return str(field.aws_to_azure(number))


# --------------------------------------------------------------------------------------------------
# L, W and # specials
# --------------------------------------------------------------------------------------------------


def _classify_special(field: _Field, raw: str) -> _Special | None:
    if field is _DAY_OF_MONTH:
        return _classify_dom_special(raw)
    if field is _DAY_OF_WEEK:
        return _classify_dow_special(raw)
    return None


def _classify_dom_special(raw: str) -> _Special | None:
    match = _DOM_SPECIAL_RE.fullmatch(raw)
    if match is None:
        return None
    offset_text, nearest_text = match.groups()
    if raw == "L":
        return _Special(raw, "the last day of the month", "tomorrow is the 1st of a month")
    if raw == "LW":
        return _Special(
            raw,
            "the last weekday (Monday to Friday) of the month",
            "today is a Monday to Friday and no later Monday to Friday remains in the month",
        )
    if offset_text is not None:
        offset = int(offset_text)
        if offset > 30:
            raise _Invalid(f"'L-{offset}' in day-of-month counts back more than 30 days.")
        return _Special(
            raw,
            f"{offset} day(s) before the last day of the month",
            f"today is {offset} day(s) before the last day of the month",
        )
    day = int(nearest_text)
    if not 1 <= day <= 31:
        raise _Invalid(f"'{raw}' in day-of-month names day {day}, outside 1-31.")
    return _Special(
        raw,
        f"the Monday to Friday nearest day {day} of the month",
        f"today is the Monday to Friday nearest day {day} without leaving the month",
    )


def _classify_dow_special(raw: str) -> _Special | None:
    match = _DOW_SPECIAL_RE.fullmatch(raw)
    if match is None:
        return None
    last_of_text, nth_day_text, nth_text = match.groups()
    if raw == "L":
        return _Special(raw, "the last day of the week, Saturday", "", weekday=7)
    if last_of_text is not None:
        weekday = _parse_value(_DAY_OF_WEEK, last_of_text).number
        name = _WEEKDAY_NAMES[weekday - 1]
        return _Special(
            raw, f"the last {name} of the month", "the date is within the last 7 days of its month", weekday
        )
    weekday = _parse_value(_DAY_OF_WEEK, nth_day_text).number
    nth = int(nth_text)
    if not 1 <= nth <= 5:
        raise _Invalid(f"'{raw}' in day-of-week asks for occurrence {nth}; AWS allows 1-5.")
    name = _WEEKDAY_NAMES[weekday - 1]
    return _Special(
        raw,
        f"the {_ORDINALS[nth - 1]} {name} of the month",
        f"the day of the month is between {7 * nth - 6} and {7 * nth}",
        weekday,
    )


def _special_note(special: _Special, minutes: str, hours: str, month: str) -> str:
    where = "day-of-week" if special.weekday is not None else "day-of-month"
    if special.weekday is None:
        coarse = f"0 {minutes} {hours} * {month} *"
        cadence = "daily at the same time"
    else:
        day = _DAY_OF_WEEK.names[special.weekday - 1].capitalize()
        coarse = f"0 {minutes} {hours} * {month} {day}"
        cadence = f"every {_WEEKDAY_NAMES[special.weekday - 1]} at the same time"
    if not special.check:
        return (
            f"AWS '{special.token}' in {where} means {special.meaning}; NCRONTAB has no 'L', so it was not "
            f"converted automatically. If Saturday is what is meant, use '{coarse}'."
        )
    return (
        f"AWS '{special.token}' in {where} ({special.meaning}) has no NCRONTAB equivalent. Schedule "
        f"'{coarse}' ({cadence}) and return early in code unless {special.check}."
    )
