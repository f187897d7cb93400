"""The value types: string forms, equality and ordering, hooks, Python conversion."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from namidb_cypher.temporal import (
    FUNCTIONS,
    TEMPORAL_TYPES,
    Date,
    DateTime,
    Duration,
    LocalDateTime,
    LocalTime,
    Time,
    from_python,
)

F = FUNCTIONS


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (F["date"]({"year": 28, "month": 1, "day": 2}), "0028-01-02"),
        (F["date"]({"year": -5, "month": 1, "day": 2}), "-0005-01-02"),
        (F["date"]({"year": 12345, "month": 1, "day": 2}), "+12345-01-02"),
        (F["localtime"]({"hour": 1, "minute": 2, "second": 3, "microsecond": 40}), "01:02:03.000040"),
        (F["localtime"]({"hour": 1, "minute": 2, "second": 0, "nanosecond": 5}), "01:02:00.000000005"),
        (F["time"]({"hour": 1, "timezone": "-00:30"}), "01:00-00:30"),
        (F["duration"]({}), "PT0S"),
        (F["duration"]({"months": -20}), "P-1Y-8M"),
        (F["duration"]({"seconds": -0.5}), "PT-0.5S"),
        (F["duration"]({"hours": 25}), "PT25H"),
    ],
)
def test_canonical_strings(value: object, text: str) -> None:
    assert str(value) == text


def test_type_names() -> None:
    names = [t.cypher_type_name for t in TEMPORAL_TYPES]
    assert names == ["DATE", "LOCAL TIME", "TIME", "LOCAL DATETIME", "DATETIME", "DURATION"]


def test_values_are_hashable_and_structurally_equal() -> None:
    a = F["datetime"]("2015-07-21T21:40:32.142+01:00")
    b = F["datetime"]({"year": 2015, "month": 7, "day": 21, "hour": 21, "minute": 40, "second": 32,
                       "millisecond": 142, "timezone": "+01:00"})  # fmt: skip
    assert a == b
    assert len({a, b, F["date"]("2015-07-21")}) == 2


def test_same_instant_in_other_zone_orders_equal_but_is_not_equal() -> None:
    a = F["datetime"]("2015-07-21T21:40+01:00")
    b = F["datetime"]("2015-07-21T20:40Z")
    assert a != b
    assert a.epoch_nanos == b.epoch_nanos
    assert a.__cypher_compare__(b) != 0  # distinct values never tie ...
    assert a.order_key()[0] == b.order_key()[0]  # ... but the instant decides first


def test_compare_across_types_is_none() -> None:
    assert F["date"]("2015-07-21").__cypher_compare__(F["localdatetime"]("2015-07-21")) is None
    assert F["date"]("2015-07-21").__cypher_compare__("2015-07-21") is None


def test_durations_only_compare_for_equality() -> None:
    d1, d2 = F["duration"]("PT1M"), F["duration"]("PT60S")
    assert d1.__cypher_compare__(d2) == 0
    assert F["duration"]("P1D").__cypher_compare__(F["duration"]("PT24H")) is None


def test_time_ordering_is_by_utc_then_offset() -> None:
    # From the TCK's WithOrderBy1 [15]/[16].
    times = [
        F["time"]({"hour": 10, "minute": 35, "timezone": "-08:00"}),
        F["time"]({"hour": 12, "minute": 31, "second": 14, "nanosecond": 645876123, "timezone": "+01:00"}),
        F["time"]({"hour": 12, "minute": 31, "second": 14, "nanosecond": 645876124, "timezone": "+01:00"}),
        F["time"]({"hour": 12, "minute": 35, "second": 15, "timezone": "+05:00"}),
        F["time"]({"hour": 12, "minute": 30, "second": 14, "nanosecond": 645876123, "timezone": "+01:01"}),
    ]
    ordered = [str(t) for t in sorted(times, key=lambda t: t.order_key())]
    assert ordered == [
        "12:35:15+05:00",
        "12:30:14.645876123+01:01",
        "12:31:14.645876123+01:00",
        "12:31:14.645876124+01:00",
        "10:35-08:00",
    ]


def test_hooks_refuse_what_does_not_combine() -> None:
    date = F["date"]("2015-07-21")
    assert date.__cypher_add__(date) is NotImplemented
    assert date.__cypher_sub__(1) is NotImplemented
    assert date.__cypher_mul__(2) is NotImplemented
    assert F["duration"]("P1D").__cypher_mul__("x") is NotImplemented
    assert F["duration"]("P1D").__cypher_div__(True) is NotImplemented


def test_duration_plus_temporal_commutes() -> None:
    date, dur = F["date"]("2015-07-21"), F["duration"]("P1M2D")
    assert dur.__cypher_add__(date) == date.__cypher_add__(dur) == Date.of(2015, 8, 23)


def test_duration_multiplication() -> None:
    dur = F["duration"]("P1M1DT1S")
    assert str(dur.__cypher_mul__(3)) == "P3M3DT3S"
    assert str(dur.__cypher_mul__(-1)) == "P-1M-1DT-1S"
    assert str(F["duration"]("PT1S").__cypher_div__(3)) == "PT0.333333333S"


def test_duration_nanos_are_normalized() -> None:
    assert Duration.of(0, 0, 0, -1) == Duration(0, 0, -1, 999_999_999)
    with pytest.raises(ValueError, match="nanos"):
        Duration(0, 0, 0, -1)


def test_to_python() -> None:
    assert F["date"]("2015-07-21").to_python() == dt.date(2015, 7, 21)
    assert F["localtime"]("12:31:14.645876123").to_python() == dt.time(12, 31, 14, 645876)
    assert F["time"]("12:00+01:00").to_python().utcoffset() == dt.timedelta(hours=1)
    assert F["localdatetime"]("2015-07-21T12:00").to_python() == dt.datetime(2015, 7, 21, 12)
    aware = F["datetime"]("2015-07-21T12:00+02:00[Europe/Stockholm]").to_python()
    assert aware == dt.datetime(2015, 7, 21, 10, tzinfo=dt.timezone.utc)
    assert aware.tzinfo == dt.timezone.utc
    assert F["duration"]("P1DT1.5S").to_python() == dt.timedelta(days=1, seconds=1.5)
    assert isinstance(F["duration"]("P1M").to_python(), Duration)


def test_from_python() -> None:
    assert from_python(dt.date(2015, 7, 21)) == Date.of(2015, 7, 21)
    assert isinstance(from_python(dt.time(12, 0)), LocalTime)
    assert isinstance(from_python(dt.time(12, 0, tzinfo=dt.timezone.utc)), Time)
    assert isinstance(from_python(dt.datetime(2015, 7, 21)), LocalDateTime)
    zoned = from_python(dt.datetime(2015, 7, 21, 12, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm")))
    assert isinstance(zoned, DateTime)
    assert str(zoned) == "2015-07-21T12:00+02:00[Europe/Stockholm]"
    assert from_python(dt.timedelta(seconds=-1)) == Duration.of(seconds=-1)
    assert from_python("2015-07-21") is None


def test_values_pickle() -> None:
    import pickle

    values = [
        F["date"]("2015-07-21"),
        F["localtime"]("12:00:00.000000001"),
        F["time"]("12:00-01:00"),
        F["localdatetime"]("2015-07-21T12:00"),
        F["datetime"]("2015-07-21T12:00[Europe/Stockholm]"),
        F["duration"]("PT-1.5S"),
    ]
    assert [pickle.loads(pickle.dumps(v)) for v in values] == values


def test_duration_negation() -> None:
    assert str(F["duration"]("P1Y2DT3.5S").__cypher_neg__()) == "P-1Y-2DT-3.5S"
    assert F["duration"]("PT0.5S").__cypher_neg__().__cypher_neg__() == F["duration"]("PT0.5S")
