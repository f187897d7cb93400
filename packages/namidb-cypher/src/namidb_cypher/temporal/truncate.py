"""``<type>.truncate(unit, value[, map])``: cut a temporal value down to a unit, then adjust it.

Date units (``millennium`` .. ``day``) reset everything below them (the time
to midnight); time units (``hour`` .. ``microsecond``) cut the time of day.
The optional map then overrides fields as in selection, except that finer
sub-second fields *refine* what the unit kept (``millisecond`` + ``{nanosecond:
2}`` gives ``.645000002``), and ``timezone`` replaces the zone without moving
the clock.
"""

from __future__ import annotations

from typing import Any

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.construct import Zone, default_zone, fixed_offset, reject, zone_arg
from namidb_cypher.temporal.errors import argument_error, type_error
from namidb_cypher.temporal.fields import (
    DATE_FIELDS,
    TIME_FIELDS,
    date_of,
    date_part,
    normalize_map,
    time_of,
    time_part,
    zone_of,
)
from namidb_cypher.temporal.types import Date, Duration, LocalDateTime, LocalTime, Temporal, Time
from namidb_cypher.temporal.zoned import datetime_at_local

__all__ = ["truncate", "DATE_UNITS", "TIME_UNITS"]

_NS = cal.NANOS_PER_SECOND


DATE_UNITS = ("millennium", "century", "decade", "year", "weekyear", "quarter", "month", "week", "day")
TIME_UNITS = {
    "hour": 3600 * _NS,
    "minute": 60 * _NS,
    "second": _NS,
    "millisecond": 1_000_000,
    "microsecond": 1000,
}


def _truncate_day(day: int, unit: str) -> int:
    year, month, _ = cal.civil_from_days(day)
    if unit == "millennium":
        return cal.days_from_civil(year // 1000 * 1000, 1, 1)
    if unit == "century":
        return cal.days_from_civil(year // 100 * 100, 1, 1)
    if unit == "decade":
        return cal.days_from_civil(year // 10 * 10, 1, 1)
    if unit == "year":
        return cal.days_from_civil(year, 1, 1)
    if unit == "weekyear":
        return cal.days_from_week_date(cal.iso_week(day)[0], 1, 1)
    if unit == "quarter":
        return cal.days_from_civil(year, (month - 1) // 3 * 3 + 1, 1)
    if unit == "month":
        return cal.days_from_civil(year, month, 1)
    if unit == "week":
        return day - cal.day_of_week(day) + 1
    return day


def truncate(kind: str, unit: Any, value: Any, overrides: Any = None) -> Temporal | None:
    """``<kind>.truncate(unit, value[, map])``: cut ``value`` down to ``unit``, then apply the map."""
    if value is None or unit is None:
        return None
    if not isinstance(unit, str):
        raise type_error(f"truncation unit must be a string, got {unit!r}")
    if not isinstance(value, Temporal) or isinstance(value, Duration):
        raise type_error(f"cannot truncate {value!r}")
    unit_name = unit.lower()
    if unit_name not in DATE_UNITS and unit_name not in TIME_UNITS:
        raise argument_error(f"unknown truncation unit {unit!r}")
    has_date = kind in ("date", "localdatetime", "datetime")
    has_time = kind != "date"
    day, nanos, zone = date_of(value), time_of(value), zone_of(value)
    if unit_name in DATE_UNITS:
        if unit_name != "day" and not has_date:
            raise argument_error(f"cannot truncate a {kind} to {unit}")
        if day is None and has_date:
            raise type_error(f"cannot truncate {value} to a {kind}: it has no date")
        day = _truncate_day(day, unit_name) if day is not None else None
        nanos = 0
    else:
        if not has_time:
            raise argument_error(f"cannot truncate a date to {unit}")
        if day is None and has_date:
            raise type_error(f"cannot truncate {value} to a {kind}: it has no date")
        step = TIME_UNITS[unit_name]
        nanos = 0 if nanos is None else nanos // step * step
    fields = normalize_map(overrides) if overrides is not None else {}
    target = zone_arg(fields.pop("timezone")) if "timezone" in fields else None
    allowed = (DATE_FIELDS if has_date else frozenset()) | (TIME_FIELDS if has_time else frozenset())
    reject(fields, allowed, f"{kind}.truncate")
    if has_date:
        day = date_part(fields, day)
    if has_time:
        nanos = time_part(fields, nanos, keep_coarser=True)
    assert nanos is not None
    if kind == "date":
        assert day is not None
        return Date(day)
    if kind == "localtime":
        return LocalTime(nanos)
    if kind == "localdatetime":
        assert day is not None
        return LocalDateTime(day, nanos)
    chosen: Zone = target or (zone if zone is not None else default_zone())
    if kind == "time":
        return Time(nanos, fixed_offset(chosen))
    assert day is not None
    preferred = zone[0] if zone is not None else None
    return datetime_at_local(day, nanos, chosen[0], chosen[1], preferred=preferred)
