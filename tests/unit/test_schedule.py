"""Tests for translator.mapping.schedule: AWS rate/cron/at expressions -> Azure Functions NCRONTAB.

Expected values were worked out by hand from the EventBridge cron reference (day-of-week 1-7 = SUN-SAT,
Quartz-style ranges and steps) and the NCRONTAB rules used by Azure Functions (day-of-week 0-6 =
Sun-Sat; ``a/n`` means ``a`` to the field maximum in steps of ``n``; reversed ranges have their ends
swapped).
"""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translator.mapping import schedule
from translator.mapping.schedule import ScheduleConversion, convert_schedule

# (AWS expression, expected NCRONTAB or None, expected exact)
CASES: list[tuple[str, str | None, bool]] = [
    # --- rate(): minutes
    ("rate(5 minutes)", "0 */5 * * * *", True),
    ("rate(1 minute)", "0 * * * * *", True),
    ("rate(15 minutes)", "0 */15 * * * *", True),
    ("rate(30 minutes)", "0 */30 * * * *", True),
    ("rate(7 minutes)", "0 */7 * * * *", False),  # 0,7,...,56 then 0: last gap 4 minutes
    ("rate(45 minutes)", "0 */45 * * * *", False),  # fires at :00 and :45 only
    ("rate(60 minutes)", "0 0 * * * *", True),  # normalised to 1 hour
    ("rate(120 minutes)", "0 0 */2 * * *", True),  # normalised to 2 hours
    ("rate(90 minutes)", None, False),  # not whole hours, longer than an hour
    # --- rate(): hours
    ("rate(1 hour)", "0 0 * * * *", True),
    ("rate(6 hours)", "0 0 */6 * * *", True),
    ("rate(12 hours)", "0 0 */12 * * *", True),
    ("rate(5 hours)", "0 0 */5 * * *", False),  # 0,5,...,20 then 0: last gap 4 hours
    ("rate(24 hours)", "0 0 0 * * *", True),  # normalised to 1 day
    ("rate(48 hours)", "0 0 0 */2 * *", False),  # normalised to 2 days
    ("rate(36 hours)", None, False),
    # --- rate(): days
    ("rate(1 day)", "0 0 0 * * *", True),
    ("rate(3 days)", "0 0 0 */3 * *", False),  # restarts on the 1st of every month
    ("rate(7 days)", "0 0 0 * * 0", True),  # weekly has exactly the 7-day cadence
    ("rate(31 days)", "0 0 0 */31 * *", False),
    ("rate(40 days)", None, False),
    # --- rate(): lenient units, whitespace and case
    ("rate(5 minute)", "0 */5 * * * *", True),
    ("rate(1 hours)", "0 0 * * * *", True),
    ("  RATE( 10   Minutes )  ", "0 */10 * * * *", True),
    ("Rate(2 Hours)", "0 0 */2 * * *", True),
    # --- rate(): invalid
    ("rate(0 minutes)", None, False),
    ("rate(-5 minutes)", None, False),
    ("rate(1.5 hours)", None, False),
    ("rate(five minutes)", None, False),
    ("rate(5 weeks)", None, False),
    ("rate(30 seconds)", None, False),
    ("rate(5)", None, False),
    ("rate()", None, False),
    ("rate(99999999999999999999 minutes)", None, False),
    # --- cron(): plain conversions
    ("cron(0 12 * * ? *)", "0 0 12 * * *", True),
    ("cron(15 10 * * ? *)", "0 15 10 * * *", True),
    ("cron(0 8 1 * ? *)", "0 0 8 1 * *", True),
    ("cron(0/15 * * * ? *)", "0 0/15 * * * *", True),
    ("cron(*/5 * * * ? *)", "0 */5 * * * *", True),
    ("cron(5,35 14 * * ? *)", "0 5,35 14 * * *", True),
    ("cron(0 9-17 ? * * *)", "0 0 9-17 * * *", True),
    ("cron(0 12 * 2-11/3 ? *)", "0 0 12 * 2-11/3 *", True),
    ("cron(0 0 1/10 * ? *)", "0 0 0 1/10 * *", True),
    (" CRON( 0  12  *  *  ?  * ) ", "0 0 12 * * *", True),
    # --- cron(): day-of-week numbering 1-7 (SUN-SAT) -> 0-6 (Sun-Sat)
    ("cron(0 9 ? * 2-6 *)", "0 0 9 * * 1-5", True),  # MON-FRI
    ("cron(0 9 ? * 1,7 *)", "0 0 9 * * 0,6", True),  # SUN,SAT
    ("cron(0 9 ? * 7 *)", "0 0 9 * * 6", True),  # SAT
    ("cron(0 9 ? * 1 *)", "0 0 9 * * 0", True),  # SUN
    ("cron(0 9 ? * */2 *)", "0 0 9 * * */2", True),  # SUN,TUE,THU,SAT in both numberings
    ("cron(0 9 ? * 2/2 *)", "0 0 9 * * 1/2", True),  # MON,WED,FRI
    ("cron(0 9 ? * 2-6/2 *)", "0 0 9 * * 1-5/2", True),  # MON,WED,FRI
    ("cron(0 9 ? * 1,3-5 *)", "0 0 9 * * 0,2-4", True),
    # --- cron(): names normalised to NCRONTAB capitalisation
    ("cron(0 18 ? * MON-FRI *)", "0 0 18 * * Mon-Fri", True),
    ("cron(0/10 * ? * MON-FRI *)", "0 0/10 * * * Mon-Fri", True),
    ("cron(0 9 ? * mon,wed,fri *)", "0 0 9 * * Mon,Wed,Fri", True),
    ("cron(0 12 ? * sun *)", "0 0 12 * * Sun", True),
    ("cron(0 9 ? JAN-MAR MON *)", "0 0 9 * Jan-Mar Mon", True),
    ("cron(0 9 1 jan,jul ? *)", "0 0 9 1 Jan,Jul *", True),
    ("cron(0 9 ? * 2-FRI *)", "0 0 9 * * 1-Fri", True),  # mixed number and name
    # --- cron(): wrap-around ranges are spelled out (NCRONTAB would swap the ends)
    ("cron(0 9 ? * FRI-MON *)", "0 0 9 * * Fri-Sat,Sun-Mon", True),
    ("cron(0 9 ? * 6-2 *)", "0 0 9 * * 5-6,0-1", True),  # FRI..SAT, SUN..MON
    ("cron(0 22-2 * * ? *)", "0 0 22-23,0-2 * * *", True),
    ("cron(0 22-2/2 * * ? *)", "0 0 0,2,22 * * *", True),  # 22, 24->0, 26->2
    ("cron(0 9 1 NOV-FEB ? *)", "0 0 9 1 Nov-Dec,Jan-Feb *", True),
    # --- cron(): year field dropped
    ("cron(0 9 * * ? 2027)", "0 0 9 * * *", False),
    ("cron(0 9 * * ? 2026-2028)", "0 0 9 * * *", False),
    ("cron(30 6 ? * MON 2026,2028)", "0 30 6 * * Mon", False),
    # --- cron(): L, W and # specials
    ("cron(0 0 L * ? *)", None, False),
    ("cron(0 0 LW * ? *)", None, False),
    ("cron(0 0 15W * ? *)", None, False),
    ("cron(0 0 L-3 * ? *)", None, False),
    ("cron(0 10 ? * 3#2 *)", None, False),
    ("cron(0 10 ? * FRI#1 *)", None, False),
    ("cron(0 10 ? * 5L *)", None, False),
    ("cron(0 10 ? * L *)", None, False),
    ("cron(15 10 ? * 6L 2019-2022)", None, False),
    # --- cron(): malformed
    ("cron(0 12 * * *)", None, False),  # 5 fields
    ("cron(0 12 * * ? * *)", None, False),  # 7 fields
    ("cron()", None, False),
    ("cron(0 12 * * * *)", None, False),  # no '?'
    ("cron(0 12 ? * ? *)", None, False),  # two '?'
    ("cron(60 12 * * ? *)", None, False),
    ("cron(0 24 * * ? *)", None, False),
    ("cron(0 12 32 * ? *)", None, False),
    ("cron(0 12 ? * 0 *)", None, False),  # AWS has no day-of-week 0
    ("cron(0 12 ? * 8 *)", None, False),
    ("cron(0 12 * FOO ? *)", None, False),
    ("cron(*/0 * * * ? *)", None, False),
    ("cron(0 12 * * ? 1969)", None, False),
    ("cron(0 12 * * ? 2028-2026)", None, False),
    ("cron(0 12 ?,1 * * *)", None, False),
    ("cron(0 12 1,,2 * ? *)", None, False),
    ("cron(0 12 * * ? *", None, False),  # unclosed
    ("cron(0 12 * 13 ? *)", None, False),
    ("cron(0 1L * * ? *)", None, False),  # L is not allowed in hours
    # --- at() and other input
    ("at(2026-03-01T09:30:00)", None, False),
    ("at(2026-02-30T09:30:00)", None, False),
    ("at(tomorrow)", None, False),
    ("", None, False),
    ("hello", None, False),
    ("every(5 minutes)", None, False),
]


@pytest.mark.parametrize(("expression", "expected", "exact"), CASES)
def test_conversion_table(expression: str, expected: str | None, exact: bool) -> None:
    result = convert_schedule(expression)
    assert isinstance(result, ScheduleConversion)
    assert result.ncrontab == expected
    assert result.exact is exact
    assert isinstance(result.notes, tuple)
    assert all(isinstance(note, str) and note for note in result.notes)
    if result.ncrontab is None or not result.exact:
        # Every approximation or failure must explain itself.
        assert result.notes
    if result.ncrontab is not None:
        assert len(result.ncrontab.split(" ")) == 6


def test_enough_table_cases() -> None:
    assert len(CASES) >= 30


def test_result_is_frozen() -> None:
    result = convert_schedule("rate(5 minutes)")
    with pytest.raises(AttributeError):
        result.exact = False  # type: ignore[misc]


def _weekdays(numbers: set[int], first_is_sunday_as: int) -> set[str]:
    names = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
    return {names[n - first_is_sunday_as] for n in numbers}


@pytest.mark.parametrize("step", [2, 3, 4, 6])
def test_day_of_week_star_step_selects_same_weekdays(step: int) -> None:
    # AWS '*/n' counts from 1 (SUN) over 1-7; NCRONTAB '*/n' counts from 0 (Sun) over 0-6.
    aws = set(range(1, 8, step))
    azure = set(range(0, 7, step))
    assert _weekdays(aws, 1) == _weekdays(azure, 0)
    if step == 2:
        assert _weekdays(aws, 1) == {"SUN", "TUE", "THU", "SAT"}
    result = convert_schedule(f"cron(0 9 ? * */{step} *)")
    assert result.ncrontab == f"0 0 9 * * */{step}"
    assert result.exact is True


def test_exact_cron_has_no_notes() -> None:
    assert convert_schedule("cron(0 18 ? * MON-FRI *)").notes == ()


def test_lenient_unit_is_noted() -> None:
    result = convert_schedule("rate(5 minute)")
    assert any("5 minutes" in note for note in result.notes)


def test_approximate_rate_explains_reset_and_exact_alternative() -> None:
    (note,) = convert_schedule("rate(7 minutes)").notes
    assert "every hour" in note
    assert "4 minutes" in note  # gap between minute 56 and the next minute 0
    assert "Unix epoch" in note


def test_impossible_rate_suggests_coarser_timer() -> None:
    (note,) = convert_schedule("rate(90 minutes)").notes
    assert "0 */30 * * * *" in note  # gcd(90, 60) = 30
    assert "multiple of 90" in note


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("rate(0 minutes)", "0"),
        ("rate(-5 minutes)", "negative"),
        ("rate(1.5 hours)", "whole number"),
        ("rate(five minutes)", "not a number"),
        ("rate(5 weeks)", "weeks"),
    ],
)
def test_bad_rate_notes_name_the_problem(expression: str, fragment: str) -> None:
    (note,) = convert_schedule(expression).notes
    assert fragment in note


def test_day_rates_mention_time_of_day() -> None:
    assert any("00:00 UTC" in note for note in convert_schedule("rate(1 day)").notes)
    assert any("Sunday" in note for note in convert_schedule("rate(7 days)").notes)


def test_year_restriction_note() -> None:
    (note,) = convert_schedule("cron(0 9 * * ? 2026-2028)").notes
    assert "2026-2028" in note
    assert "every year" in note


def test_wrap_around_range_note() -> None:
    (note,) = convert_schedule("cron(0 9 ? * FRI-MON *)").notes
    assert "FRI-MON" in note
    assert "Fri-Sat,Sun-Mon" in note


@pytest.mark.parametrize(
    ("expression", "fragments"),
    [
        ("cron(30 9 L * ? *)", ["last day of the month", "'0 30 9 * * *'", "daily"]),
        ("cron(0 9 LW * ? *)", ["last weekday", "'0 0 9 * * *'"]),
        ("cron(0 9 15W JAN ? *)", ["nearest day 15", "'0 0 9 * Jan *'"]),
        ("cron(0 10 ? * 3#2 *)", ["second Tuesday", "'0 0 10 * * Tue'", "between 8 and 14"]),
        ("cron(0 10 ? * 6L *)", ["last Friday", "'0 0 10 * * Fri'", "last 7 days"]),
        ("cron(0 10 ? * L *)", ["Saturday", "'0 0 10 * * Sat'"]),
    ],
)
def test_special_notes_suggest_alternative(expression: str, fragments: list[str]) -> None:
    result = convert_schedule(expression)
    assert result.ncrontab is None
    (note,) = result.notes
    for fragment in fragments:
        assert fragment in note


def test_at_note_explains_one_time_schedule() -> None:
    (note,) = convert_schedule("at(2026-03-01T09:30:00)").notes
    assert "one-time" in note
    assert "'0 30 9 1 3 *'" in note


def test_malformed_cron_lists_every_problem() -> None:
    result = convert_schedule("cron(61 25 * * ? *)")
    assert result.ncrontab is None
    assert len(result.notes) == 2


def test_field_count_note() -> None:
    (note,) = convert_schedule("cron(0 12 * * *)").notes
    assert "5 field" in note


@pytest.mark.parametrize("value", [None, 5, b"rate(5 minutes)", ["cron(0 12 * * ? *)"]])
def test_non_string_input_does_not_raise(value: object) -> None:
    result = convert_schedule(value)  # type: ignore[arg-type]
    assert result.ncrontab is None
    assert result.notes


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(schedule, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0
    assert failures == 0


# --------------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------------

_CRON_ALPHABET = "0123456789*?/-,#LW MONFRISATJADEC\t()"


def _check_invariants(result: ScheduleConversion) -> None:
    assert isinstance(result, ScheduleConversion)
    assert isinstance(result.notes, tuple)
    if result.ncrontab is None:
        assert result.exact is False
        assert result.notes
    else:
        assert len(result.ncrontab.split(" ")) == 6
        if not result.exact:
            assert result.notes


@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    _check_invariants(convert_schedule(text))


@given(st.sampled_from(["cron", "CRON", "rate", "at"]), st.text(alphabet=_CRON_ALPHABET + ".minutesday"))
def test_never_raises_on_near_miss_expressions(keyword: str, body: str) -> None:
    _check_invariants(convert_schedule(f"{keyword}({body})"))


# Independent evaluators of the two syntaxes, used to check that conversions select the same values.

_AWS_LIMITS = [(0, 59), (0, 23), (1, 31), (1, 12), (1, 7)]  # minutes hours dom month dow
_AWS_NAMES = {
    3: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
    4: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
}
_NC_LIMITS = [(0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]  # second minute hour day month dow
_NC_NAMES = {
    4: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    5: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
}


def _aws_values(text: str, index: int) -> set[int]:
    """Quartz/EventBridge semantics: a/n runs to the maximum; reversed ranges wrap around."""
    low, high = _AWS_LIMITS[index]
    size = high - low + 1

    def value(token: str) -> int:
        return int(token) if token.isdigit() else _AWS_NAMES[index].index(token.upper()) + low

    result: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            first, last = low, high
        elif "-" in base:
            first, last = (value(token) for token in base.split("-"))
            if last < first:
                last += size
        else:
            first = value(base)
            last = high if step_text else first
        result.update(low + (v - low) % size for v in range(first, last + 1, step))
    return result


def _ncrontab_values(text: str, index: int) -> set[int]:
    """NCRONTAB semantics: a/n runs to the maximum; reversed range ends are swapped; names match by prefix."""
    low, high = _NC_LIMITS[index]

    def value(token: str) -> int:
        if token.isdigit():
            return int(token)
        matches = [i for i, name in enumerate(_NC_NAMES[index]) if name.lower().startswith(token.lower())]
        return matches[0] + low

    result: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            first, last = low, high
        elif "-" in base:
            first, last = sorted(value(token) for token in base.split("-"))
        else:
            first = value(base)
            last = high if step_text else first
        assert low <= first <= last <= high
        result.update(range(first, last + 1, step))
    return result


@st.composite
def _aws_field(draw: st.DrawFn, index: int) -> str:
    low, high = _AWS_LIMITS[index]
    names = _AWS_NAMES.get(index, [])

    def value() -> str:
        number = draw(st.integers(low, high))
        if names and draw(st.booleans()):
            name = names[number - low]
            return name if draw(st.booleans()) else name.lower()
        return str(number)

    def step() -> str:
        return str(draw(st.integers(1, high - low + 2)))

    shapes = {
        "*": lambda: "*",
        "*/s": lambda: f"*/{step()}",
        "v": value,
        "v/s": lambda: f"{value()}/{step()}",
        "a-b": lambda: f"{value()}-{value()}",  # may be reversed: a wrap-around range
        "a-b/s": lambda: f"{value()}-{value()}/{step()}",
    }
    count = draw(st.integers(1, 3))
    return ",".join(shapes[draw(st.sampled_from(sorted(shapes)))]() for _ in range(count))


@st.composite
def _aws_cron(draw: st.DrawFn) -> tuple[str, list[str]]:
    fields = [draw(_aws_field(index)) for index in range(5)]
    if draw(st.booleans()):
        fields[2] = "?"
    else:
        fields[4] = "?"
    return f"cron({' '.join(fields)} *)", fields


@settings(max_examples=300)
@given(_aws_cron())
def test_simple_cron_converts_to_equivalent_six_fields(case: tuple[str, list[str]]) -> None:
    expression, aws_fields = case
    result = convert_schedule(expression)
    assert result.ncrontab is not None, result.notes
    assert result.exact is True
    azure_fields = result.ncrontab.split(" ")
    assert len(azure_fields) == 6
    assert azure_fields[0] == "0"
    for index, aws_text in enumerate(aws_fields):
        low, high = _AWS_LIMITS[index]
        aws = set(range(low, high + 1)) if aws_text == "?" else _aws_values(aws_text, index)
        azure = _ncrontab_values(azure_fields[index + 1], index + 1)
        if index == 4:  # day-of-week: AWS SUN=1 .. SAT=7, NCRONTAB Sun=0 .. Sat=6
            aws = {v - 1 for v in aws}
        assert aws == azure, (expression, result.ncrontab, index)
