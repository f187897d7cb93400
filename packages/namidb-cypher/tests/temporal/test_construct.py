"""Constructors beyond the TCK tables: invalid input, zones and DST, clocks, null handling."""

from __future__ import annotations

import pytest

from namidb_cypher.errors import CypherArgumentError, CypherTypeError
from namidb_cypher.temporal import FUNCTIONS, Date, DateTime, pinned_clock, temporal_property

F = FUNCTIONS


@pytest.mark.parametrize(
    ("name", "arg"),
    [
        ("date", "2015-13-01"),
        ("date", "2015-02-29"),
        ("date", "2015-W54"),
        ("date", "2015-366"),
        ("date", "15-07-21"),
        ("date", "not a date"),
        ("localtime", "24:00"),
        ("localtime", "12:60"),
        ("localtime", "12:4"),
        ("localtime", "21:4032"),
        ("localtime", "21:40+01:00"),
        ("localdatetime", "2015-07-21T21:40Z"),
        ("time", "12:00+19:00"),
        ("datetime", "2015-07-21T12:00[Mars/Olympus]"),
        ("duration", "P"),
        ("duration", "PT"),
        ("duration", "1Y"),
        ("duration", "PT1.0000000001S"),
        ("date", {"year": 2015, "month": 2, "day": 29}),
        ("date", {"year": 2015, "day": 3}),
        ("date", {"month": 3}),
        ("date", {"year": 2015, "week": 54}),
        ("date", {"year": 2015, "month": 2, "week": 3}),
        ("date", {"year": 2015, "dayOfWeek": 3}),
        ("date", {"year": 2015, "quarter": 5}),
        ("date", {"year": 2015, "hour": 5}),
        ("date", {"year": 2015, "mnth": 5}),
        ("localtime", {"minute": 5}),
        ("localtime", {"hour": 5, "second": 5}),
        ("localtime", {"hour": 5, "minute": 1, "millisecond": 5}),
        ("localtime", {"hour": 5, "minute": 1, "second": 1, "millisecond": 5, "microsecond": 1000}),
        ("time", {"hour": 5, "timezone": "Nowhere/Special"}),
        ("datetime", {"year": 2015, "day": 3}),
        ("datetime", {"timezone": "+25:00"}),
    ],
)
def test_invalid_values_raise_argument_error(name: str, arg: object) -> None:
    with pytest.raises(CypherArgumentError) as info:
        F[name](arg)
    assert info.value.code == "InvalidArgumentValue"
    assert info.value.phase == "runtime"


@pytest.mark.parametrize(
    ("name", "arg"),
    [
        ("date", 20150721),
        ("date", F["localtime"]("12:00")),
        ("localtime", F["date"]("2015-07-21")),
        ("date", {"year": "2015"}),
        ("date", {"year": 2015.0}),
        ("date", {"date": "2015-07-21"}),
        ("duration", {"days": "1"}),
        ("duration", F["date"]("2015-07-21")),
    ],
)
def test_wrong_types_raise_type_error(name: str, arg: object) -> None:
    with pytest.raises(CypherTypeError):
        F[name](arg)


@pytest.mark.parametrize("name", ["date", "localtime", "time", "localdatetime", "datetime", "duration"])
def test_null_gives_null(name: str) -> None:
    assert F[name](None) is None
    assert F[f"{name}.truncate" if name != "duration" else "duration.between"](None, None) is None


def test_field_names_are_case_insensitive() -> None:
    assert F["date"]({"YEAR": 2015, "Week": 30, "DAYOFWEEK": 2}) == Date.of(2015, 7, 21)


def test_spring_forward_gap_moves_later() -> None:
    # 02:30 does not exist in Stockholm on 2017-03-26: Java (and Cypher) shift it by the gap.
    value = F["datetime"]({"year": 2017, "month": 3, "day": 26, "hour": 2, "minute": 30,
                           "timezone": "Europe/Stockholm"})  # fmt: skip
    assert str(value) == "2017-03-26T03:30+02:00[Europe/Stockholm]"


def test_fall_back_overlap_takes_earlier_offset_unless_told() -> None:
    first = F["datetime"]("2017-10-29T02:30[Europe/Stockholm]")
    second = F["datetime"]("2017-10-29T02:30+01:00[Europe/Stockholm]")
    assert str(first) == "2017-10-29T02:30+02:00[Europe/Stockholm]"
    assert str(second) == "2017-10-29T02:30+01:00[Europe/Stockholm]"
    assert second.epoch_nanos - first.epoch_nanos == 3600 * 10**9


def test_adding_a_day_across_dst_keeps_wall_clock_but_hours_do_not() -> None:
    start = F["datetime"]("2017-10-28T12:00[Europe/Stockholm]")
    assert str(start.__cypher_add__(F["duration"]("P1D"))) == "2017-10-29T12:00+01:00[Europe/Stockholm]"
    assert str(start.__cypher_add__(F["duration"]("PT24H"))) == "2017-10-29T11:00+01:00[Europe/Stockholm]"


def test_epoch_constructors() -> None:
    assert str(F["datetime"]({"epochSeconds": 0, "nanosecond": 5})) == "1970-01-01T00:00:00.000000005Z"
    assert str(F["datetime"]({"epochMillis": -1})) == "1969-12-31T23:59:59.999Z"
    assert str(F["datetime"]({"epochSeconds": 0, "timezone": "+02:00"})) == "1970-01-01T02:00+02:00"
    assert temporal_property(F["datetime.fromepoch"](-1, 5), "epochSeconds") == -1
    assert F["datetime.fromepochmillis"](None) is None


def test_clock_functions_follow_the_pinned_clock() -> None:
    noon = 1_437_480_000 * 10**9  # 2015-07-21T12:00Z
    with pinned_clock(noon):
        assert str(F["date"]()) == "2015-07-21"
        assert str(F["datetime.statement"]()) == "2015-07-21T12:00Z"
        assert (
            str(F["datetime.transaction"]("Europe/Stockholm")) == "2015-07-21T14:00+02:00[Europe/Stockholm]"
        )
        assert str(F["localtime"]({"timezone": "-01:00"})) == "11:00"
        assert str(F["time.statement"]({"timezone": "+01:00"})) == "13:00+01:00"
        assert F["date.realtime"]() != Date.of(2015, 7, 21)
        assert F["localdatetime.transaction"](None) is None
    assert isinstance(F["datetime.realtime"](), DateTime)


def test_year_range_is_nine_digits() -> None:
    assert str(F["date"]({"year": 999_999_999, "month": 12, "day": 31})) == "+999999999-12-31"
    with pytest.raises(CypherArgumentError):
        F["date"]({"year": 1_000_000_000})
