"""Integer calendar math against Python's own (proleptic Gregorian, years 1..9999) and at the extremes."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from namidb_cypher.temporal import calendar as cal

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _sample_days(n: int = 300) -> list[int]:
    rng = random.Random(7)
    low, high = dt.date.min.toordinal() - _EPOCH_ORDINAL, dt.date.max.toordinal() - _EPOCH_ORDINAL
    return [low, high, 0, -1, 59, 60, *(rng.randint(low, high) for _ in range(n))]


@pytest.mark.parametrize("epoch_day", _sample_days())
def test_civil_round_trip_matches_python(epoch_day: int) -> None:
    expected = dt.date.fromordinal(epoch_day + _EPOCH_ORDINAL)
    assert cal.civil_from_days(epoch_day) == (expected.year, expected.month, expected.day)
    assert cal.days_from_civil(expected.year, expected.month, expected.day) == epoch_day
    iso = expected.isocalendar()
    assert cal.iso_week(epoch_day) == (iso.year, iso.week)
    assert cal.day_of_week(epoch_day) == iso.weekday
    assert cal.days_from_week_date(iso.year, iso.week, iso.weekday) == epoch_day


def test_extreme_years_round_trip() -> None:
    for year, month, day in ((cal.MIN_YEAR, 1, 1), (cal.MAX_YEAR, 12, 31), (-4, 2, 29), (0, 2, 29)):
        assert cal.civil_from_days(cal.days_from_civil(year, month, day)) == (year, month, day)


def test_weeks_in_week_year() -> None:
    assert cal.weeks_in_week_year(2015) == 53
    assert cal.weeks_in_week_year(2016) == 52
    assert cal.weeks_in_week_year(1818) == 53


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ((2016, 1, 31), 1, (2016, 2, 29)),  # clamped to the month's end
        ((2015, 1, 31), 1, (2015, 2, 28)),
        ((2016, 3, 31), -1, (2016, 2, 29)),
        ((1984, 10, 11), 155, (1997, 9, 11)),
        ((1984, 10, 11), -155, (1971, 11, 11)),
    ],
)
def test_plus_months_clamps_like_java(
    start: tuple[int, int, int], months: int, expected: tuple[int, int, int]
) -> None:
    assert cal.civil_from_days(cal.plus_months(cal.days_from_civil(*start), months)) == expected
