"""Python :mod:`datetime` values to Cypher temporal values (query parameters, property writes)."""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from typing import Any

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.types import Date, DateTime, Duration, LocalDateTime, LocalTime, Temporal, Time

__all__ = ["from_python"]

_NS = cal.NANOS_PER_SECOND


def _nano_of_day(value: _dt.time | _dt.datetime) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * _NS + value.microsecond * 1000


def _offset(value: _dt.time | _dt.datetime) -> int | None:
    delta = value.utcoffset()
    return None if delta is None else int(delta.total_seconds())


def from_python(value: Any) -> Temporal | None:
    """The Cypher value for a :mod:`datetime` object, or ``None`` if ``value`` is not one.

    ``datetime`` (aware) -> DateTime (keeping a :class:`zoneinfo.ZoneInfo` region),
    naive ``datetime`` -> LocalDateTime, ``date`` -> Date, ``time`` -> LocalTime / Time,
    ``timedelta`` -> Duration.
    """
    if isinstance(value, _dt.datetime):
        day = cal.days_from_civil(value.year, value.month, value.day)
        offset = _offset(value)
        if offset is None:
            return LocalDateTime(day, _nano_of_day(value))
        region = value.tzinfo.key if isinstance(value.tzinfo, zoneinfo.ZoneInfo) else None
        return DateTime(day, _nano_of_day(value), offset, region)
    if isinstance(value, _dt.date):
        return Date(cal.days_from_civil(value.year, value.month, value.day))
    if isinstance(value, _dt.time):
        offset = _offset(value)
        nanos = _nano_of_day(value)
        return LocalTime(nanos) if offset is None else Time(nanos, offset)
    if isinstance(value, _dt.timedelta):
        # timedelta normalizes -1s to "-1 day + 86399s"; Cypher keeps signs per component, so split |value|.
        micros = value // _dt.timedelta(microseconds=1)
        sign = -1 if micros < 0 else 1
        days, rest = divmod(abs(micros), cal.SECONDS_PER_DAY * 1_000_000)
        return Duration.of(0, sign * days, 0, sign * rest * 1000)
    return None
