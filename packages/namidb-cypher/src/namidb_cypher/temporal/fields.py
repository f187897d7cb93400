"""Turning a constructor map (``{year: 1984, week: 10, dayOfWeek: 3, hour: 12}``) into day and time numbers.

The same code serves construction from scratch and *selection*: with a base
date or time (``{date: other, day: 28}``) every field not given is taken from
the base, in the calendar the given fields speak (week fields keep the base's
day of week, a quarter keeps the month within the quarter and the day, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.errors import argument_error, type_error
from namidb_cypher.temporal.types import Date, DateTime, LocalDateTime, LocalTime, Time

__all__ = [
    "DATE_FIELDS",
    "TIME_FIELDS",
    "normalize_map",
    "date_part",
    "time_part",
    "date_of",
    "time_of",
    "zone_of",
    "int_field",
]

_NS = cal.NANOS_PER_SECOND

_CALENDAR = frozenset({"month", "day"})
_WEEK = frozenset({"week", "dayofweek"})
_ORDINAL = frozenset({"ordinalday"})
_QUARTER = frozenset({"quarter", "dayofquarter"})
DATE_FIELDS = frozenset({"year"}) | _CALENDAR | _WEEK | _ORDINAL | _QUARTER
_SUBSECOND = frozenset({"millisecond", "microsecond", "nanosecond"})
TIME_FIELDS = frozenset({"hour", "minute", "second"}) | _SUBSECOND
_OTHER = frozenset({"timezone", "date", "time", "datetime", "epochseconds", "epochmillis"})
_ALL = DATE_FIELDS | TIME_FIELDS | _OTHER


def normalize_map(value: Mapping[Any, Any], allowed: frozenset[str] = _ALL) -> dict[str, Any]:
    """The map with lower-cased keys (Cypher field names are case-insensitive), unknown keys rejected."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            raise type_error(f"temporal map keys must be strings, got {key!r}")
        name = key.lower()
        if name not in allowed:
            raise argument_error(f"{key!r} is not a valid field here")
        if name in out:
            raise argument_error(f"field {key!r} given twice")
        out[name] = item
    return out


def int_field(fields: Mapping[str, Any], name: str, low: int, high: int) -> int:
    """An integer field, range-checked."""
    value = fields[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise type_error(f"{name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise argument_error(f"invalid value for {name}: {value} (expected {low}..{high})")
    return value


def date_of(value: Any) -> int | None:
    """Epoch day of a value that has a date part, else ``None``."""
    if isinstance(value, (Date, LocalDateTime, DateTime)):
        return value.epoch_day
    return None


def time_of(value: Any) -> int | None:
    """Nanosecond of day of a value that has a time part, else ``None``."""
    if isinstance(value, (LocalTime, Time, LocalDateTime, DateTime)):
        return value.nano_of_day
    return None


def zone_of(value: Any) -> tuple[int, str | None] | None:
    """``(offset, region)`` of a value that has a zone, else ``None``."""
    if isinstance(value, Time):
        return value.offset, None
    if isinstance(value, DateTime):
        return value.offset, value.zone
    return None


def _year(fields: Mapping[str, Any], default: int | None) -> int:
    if "year" in fields:
        return int_field(fields, "year", cal.MIN_YEAR, cal.MAX_YEAR)
    if default is None:
        raise argument_error("year must be specified")
    return default


def date_part(fields: Mapping[str, Any], base: int | None) -> int | None:
    """Epoch day from the date fields (and ``base``); ``None`` when neither says anything."""
    given = fields.keys() & DATE_FIELDS
    if not given:
        return base
    groups = [g for g in (_CALENDAR, _WEEK, _ORDINAL, _QUARTER) if given & g]
    if len(groups) > 1:
        raise argument_error(f"cannot mix date fields {sorted(given)}")
    if groups and groups[0] is _WEEK:
        return _week_date(fields, base)
    by, bm, bd = cal.civil_from_days(base) if base is not None else (None, 1, 1)
    year = _year(fields, by)
    if groups and groups[0] is _ORDINAL:
        return cal.days_from_ordinal(year, int_field(fields, "ordinalday", 1, cal.days_in_year(year)))
    if groups and groups[0] is _QUARTER:
        return _quarter_date(fields, year, base is not None, bm, bd)
    if base is None and "day" in fields and "month" not in fields:
        raise argument_error("day requires month")
    month = int_field(fields, "month", 1, 12) if "month" in fields else bm
    if "day" in fields:
        day = int_field(fields, "day", 1, cal.days_in_month(year, month))
    else:
        day = min(bd, cal.days_in_month(year, month))  # a selected date keeps its day where it fits
    return cal.days_from_civil(year, month, day)


def _week_date(fields: Mapping[str, Any], base: int | None) -> int:
    if base is not None:
        base_year, base_week = cal.iso_week(base)
        base_dow = cal.day_of_week(base)
    elif "week" not in fields:
        raise argument_error("dayOfWeek requires week")
    else:
        base_year, base_week, base_dow = 0, 1, 1
    week_year = _year(fields, base_year if base is not None else None)
    week = int_field(fields, "week", 1, cal.weeks_in_week_year(week_year)) if "week" in fields else base_week
    dow = int_field(fields, "dayofweek", 1, 7) if "dayofweek" in fields else base_dow
    if week > cal.weeks_in_week_year(week_year):
        raise argument_error(f"week {week} does not exist in week year {week_year}")
    return cal.days_from_week_date(week_year, week, dow)


def _quarter_date(
    fields: Mapping[str, Any], year: int, has_base: bool, base_month: int, base_day: int
) -> int:
    base_quarter = (base_month - 1) // 3 + 1
    if "dayofquarter" in fields:
        if not has_base and "quarter" not in fields:
            raise argument_error("dayOfQuarter requires quarter")
        quarter = int_field(fields, "quarter", 1, 4) if "quarter" in fields else base_quarter
        start = cal.days_from_civil(year, cal.quarter_start_month(quarter), 1)
        length = cal.plus_months(start, 3) - start
        return start + int_field(fields, "dayofquarter", 1, length) - 1
    quarter = int_field(fields, "quarter", 1, 4)
    # Moving to another quarter keeps the month within the quarter and the day (clamped), like Java.
    month = cal.quarter_start_month(quarter) + (base_month - 1) % 3
    return cal.days_from_civil(year, month, min(base_day, cal.days_in_month(year, month)))


def _subsecond(fields: Mapping[str, Any], base: int, keep_coarser: bool) -> int:
    has_ms, has_us = "millisecond" in fields, "microsecond" in fields
    ms = int_field(fields, "millisecond", 0, 999) if has_ms else 0
    us = int_field(fields, "microsecond", 0, 999 if has_ms else 999_999) if has_us else 0
    ns_max = 999 if has_us else (999_999 if has_ms else 999_999_999)
    ns = int_field(fields, "nanosecond", 0, ns_max) if "nanosecond" in fields else 0
    if keep_coarser and not has_ms:
        # Truncation: the finer fields refine what the unit kept (millisecond unit + {nanosecond: 2}).
        kept = base // 1_000_000 * 1_000_000 if has_us else base // 1000 * 1000
        total = kept + us * 1000 + ns
        if total >= _NS:
            raise argument_error("sub-second fields exceed one second")
        return total
    return ms * 1_000_000 + us * 1000 + ns


def time_part(fields: Mapping[str, Any], base: int | None, keep_coarser: bool = False) -> int | None:
    """Nanosecond of day from the time fields (and ``base``); ``None`` when neither says anything."""
    given = fields.keys() & TIME_FIELDS
    if not given:
        return base
    if base is None:
        if "hour" not in fields:
            raise argument_error("hour must be specified")
        if "second" in fields and "minute" not in fields:
            raise argument_error("second requires minute")
        if given & _SUBSECOND and "second" not in fields:
            raise argument_error("sub-second fields require second")
        base = 0
    seconds, nanos = divmod(base, _NS)
    hour, rest = divmod(seconds, 3600)
    minute, second = divmod(rest, 60)
    hour = int_field(fields, "hour", 0, 23) if "hour" in fields else hour
    minute = int_field(fields, "minute", 0, 59) if "minute" in fields else minute
    second = int_field(fields, "second", 0, 59) if "second" in fields else second
    if given & _SUBSECOND:
        nanos = _subsecond(fields, nanos, keep_coarser)
    return ((hour * 60 + minute) * 60 + second) * _NS + nanos
