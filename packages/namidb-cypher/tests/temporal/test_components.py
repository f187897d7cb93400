"""Component access, truncation errors and duration measurement edge cases."""

from __future__ import annotations

import pytest

from namidb_cypher.errors import CypherArgumentError, CypherTypeError
from namidb_cypher.temporal import FUNCTIONS, temporal_property

F = FUNCTIONS


def test_components_of_a_negative_duration_truncate_toward_zero() -> None:
    d = F["duration"]({"months": -14, "days": -9, "seconds": -3661, "milliseconds": -500})
    assert str(d) == "P-1Y-2M-9DT-1H-1M-1.5S"
    values = {name: temporal_property(d, name) for name in
              ("years", "monthsOfYear", "weeks", "daysOfWeek", "hours", "minutesOfHour", "seconds",
               "nanosecondsOfSecond", "milliseconds")}  # fmt: skip
    assert values == {
        "years": -1,
        "monthsOfYear": -2,
        "weeks": -1,
        "daysOfWeek": -2,
        "hours": -1,
        "minutesOfHour": -1,
        "seconds": -3662,  # seconds are floored: -3661.5 s is -3662 s + 0.5 s
        "nanosecondsOfSecond": 500_000_000,
        "milliseconds": -3661500,
    }


def test_zone_components() -> None:
    value = F["datetime"]("2015-07-21T21:40:32.142-02:30")
    assert temporal_property(value, "timezone") == "-02:30"
    assert temporal_property(value, "offsetMinutes") == -150
    assert temporal_property(value, "epochMillis") == 1437523832142
    assert temporal_property(F["time"]("12:00Z"), "offset") == "Z"


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (F["localtime"]("12:00"), "year"),
        (F["date"]("2015-07-21"), "hour"),
        (F["localdatetime"]("2015-07-21T12:00"), "timezone"),
        (F["localdatetime"]("2015-07-21T12:00"), "epochSeconds"),
        (F["duration"]("P1D"), "year"),
        (F["date"]("2015-07-21"), "nonsense"),
    ],
)
def test_missing_components_raise(value: object, name: str) -> None:
    with pytest.raises(CypherArgumentError):
        temporal_property(value, name)  # type: ignore[arg-type]


def test_truncate_rejects_impossible_units() -> None:
    with pytest.raises(CypherArgumentError):
        F["date.truncate"]("hour", F["date"]("2015-07-21"))
    with pytest.raises(CypherArgumentError):
        F["localtime.truncate"]("month", F["localtime"]("12:00"))
    with pytest.raises(CypherArgumentError):
        F["date.truncate"]("fortnight", F["date"]("2015-07-21"))
    with pytest.raises(CypherTypeError):
        F["date.truncate"]("day", F["localtime"]("12:00"))


def test_truncate_keeps_named_zone() -> None:
    value = F["datetime"]("2017-10-29T12:34[Europe/Stockholm]")
    assert str(F["datetime.truncate"]("month", value)) == "2017-10-01T00:00+02:00[Europe/Stockholm]"
    assert str(F["time.truncate"]("hour", value)) == "12:00+01:00"


def test_between_end_of_month_and_large_spans() -> None:
    assert str(F["duration.between"](F["date"]("2016-01-31"), F["date"]("2016-02-29"))) == "P29D"
    assert str(F["duration.between"](F["date"]("2016-01-31"), F["date"]("2016-03-01"))) == "P1M1D"
    assert str(F["duration.indays"](F["date"]("2016-03-01"), F["date"]("2016-01-31"))) == "P-30D"


def test_between_rejects_durations() -> None:
    with pytest.raises(CypherTypeError):
        F["duration.between"](F["duration"]("P1D"), F["date"]("2016-01-31"))


def test_between_and_add_round_trip() -> None:
    start = F["localdatetime"]("2015-01-31T23:59:59.5")
    for end_text in ("2015-03-01T00:00", "2016-02-29T12:00:00.25", "2014-12-31T00:00:01"):
        end = F["localdatetime"](end_text)
        assert start.__cypher_add__(F["duration.between"](start, end)) == end
