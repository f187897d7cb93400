"""Component access: ``d.year``, ``t.offsetMinutes``, ``dur.minutesOfHour`` ...

:func:`temporal_property` is what the executor calls for ``value.name`` when
``value`` is temporal. Names are matched case-insensitively. Duration
components follow Cypher: ``years``/``months``/``days``/``hours``/... are the
whole duration in that unit (from the months, days or seconds group they
belong to), ``...Of...`` are the remainders within the next larger unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.errors import argument_error
from namidb_cypher.temporal.fields import date_of, time_of
from namidb_cypher.temporal.types import DateTime, Duration, Temporal, Time
from namidb_cypher.temporal.zones import format_offset

__all__ = ["temporal_property", "TEMPORAL_PROPERTIES", "DURATION_PROPERTIES"]

_NS = cal.NANOS_PER_SECOND


def _tdiv(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _tmod(a: int, b: int) -> int:
    return a - b * _tdiv(a, b)


def _ymd(day: int) -> tuple[int, int, int]:
    return cal.civil_from_days(day)


def _day_of_quarter(day: int) -> int:
    year, month, _ = _ymd(day)
    return day - cal.days_from_civil(year, (month - 1) // 3 * 3 + 1, 1) + 1


_DATE_PROPS: dict[str, Callable[[int], int]] = {
    "year": lambda d: _ymd(d)[0],
    "quarter": lambda d: (_ymd(d)[1] - 1) // 3 + 1,
    "month": lambda d: _ymd(d)[1],
    "week": lambda d: cal.iso_week(d)[1],
    "weekyear": lambda d: cal.iso_week(d)[0],
    "dayofquarter": _day_of_quarter,
    "quarterday": _day_of_quarter,
    "day": lambda d: _ymd(d)[2],
    "ordinalday": lambda d: d - cal.days_from_civil(_ymd(d)[0], 1, 1) + 1,
    "dayofweek": cal.day_of_week,
    "weekday": cal.day_of_week,
}

_TIME_PROPS: dict[str, Callable[[int], int]] = {
    "hour": lambda n: n // (3600 * _NS),
    "minute": lambda n: n // (60 * _NS) % 60,
    "second": lambda n: n // _NS % 60,
    "millisecond": lambda n: n % _NS // 1_000_000,
    "microsecond": lambda n: n % _NS // 1000,
    "nanosecond": lambda n: n % _NS,
}

_ZONE_PROPS: dict[str, Callable[[Any], Any]] = {
    "timezone": lambda v: v.timezone_name() if isinstance(v, DateTime) else format_offset(v.offset),
    "offset": lambda v: format_offset(v.offset),
    "offsetminutes": lambda v: _tdiv(v.offset, 60),
    "offsetseconds": lambda v: v.offset,
}

_INSTANT_PROPS: dict[str, Callable[[DateTime], int]] = {
    "epochseconds": lambda v: v.epoch_nanos // _NS,
    "epochmillis": lambda v: v.epoch_nanos // 1_000_000,
}

_DURATION_PROPS: dict[str, Callable[[Duration], int]] = {
    "years": lambda d: _tdiv(d.months, 12),
    "quarters": lambda d: _tdiv(d.months, 3),
    "months": lambda d: d.months,
    "weeks": lambda d: _tdiv(d.days, 7),
    "days": lambda d: d.days,
    "hours": lambda d: _tdiv(d.seconds, 3600),
    "minutes": lambda d: _tdiv(d.seconds, 60),
    "seconds": lambda d: d.seconds,
    "milliseconds": lambda d: d.seconds * 1000 + d.nanos // 1_000_000,
    "microseconds": lambda d: d.seconds * 1_000_000 + d.nanos // 1000,
    "nanoseconds": lambda d: d.seconds * _NS + d.nanos,
    "quartersofyear": lambda d: _tmod(_tdiv(d.months, 3), 4),
    "monthsofquarter": lambda d: _tmod(d.months, 3),
    "monthsofyear": lambda d: _tmod(d.months, 12),
    "daysofweek": lambda d: _tmod(d.days, 7),
    "hoursofday": lambda d: _tmod(_tdiv(d.seconds, 3600), 24),
    "minutesofhour": lambda d: _tmod(_tdiv(d.seconds, 60), 60),
    "secondsofminute": lambda d: _tmod(d.seconds, 60),
    "millisecondsofsecond": lambda d: d.nanos // 1_000_000,
    "microsecondsofsecond": lambda d: d.nanos // 1000,
    "nanosecondsofsecond": lambda d: d.nanos,
}

TEMPORAL_PROPERTIES = (
    frozenset(_DATE_PROPS) | frozenset(_TIME_PROPS) | frozenset(_ZONE_PROPS) | frozenset(_INSTANT_PROPS)
)
DURATION_PROPERTIES = frozenset(_DURATION_PROPS)


def temporal_property(value: Temporal, name: str) -> Any:
    """``value.name`` for a temporal value; an ArgumentError when the type has no such component."""
    key = name.lower()
    if isinstance(value, Duration):
        duration_getter = _DURATION_PROPS.get(key)
        if duration_getter is not None:
            return duration_getter(value)
    else:
        day = date_of(value)
        if day is not None and key in _DATE_PROPS:
            return _DATE_PROPS[key](day)
        nanos = time_of(value)
        if nanos is not None and key in _TIME_PROPS:
            return _TIME_PROPS[key](nanos)
        if isinstance(value, (Time, DateTime)) and key in _ZONE_PROPS:
            return _ZONE_PROPS[key](value)
        if isinstance(value, DateTime) and key in _INSTANT_PROPS:
            return _INSTANT_PROPS[key](value)
    raise argument_error(f"{value.cypher_type_name} has no component {name!r}")
