"""``duration.between``, ``duration.inMonths``, ``duration.inDays``, ``duration.inSeconds``.

The two operands may be of different types. The missing parts of one are
borrowed from the other before measuring: a date gets midnight when the other
side has a time, a time gets the other side's date, a local value gets the
other side's zone. Months and days are only counted when both operands
originally had a date. Calendar units are counted on the wall clock of the
first operand's zone (complete months, then complete days), the remainder
exactly, on the instant line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.arithmetic import plus_duration
from namidb_cypher.temporal.errors import type_error
from namidb_cypher.temporal.fields import date_of, time_of, zone_of
from namidb_cypher.temporal.types import DateTime, Duration, Temporal
from namidb_cypher.temporal.zoned import datetime_at_local, with_zone_same_instant

__all__ = ["between", "in_months", "in_days", "in_seconds"]

_DAY_NS = cal.NANOS_PER_DAY
_NS = cal.NANOS_PER_SECOND


@dataclass
class _Point:
    day: int | None
    nanos: int | None
    zone: tuple[int, str | None] | None


def _point(value: Any) -> _Point:
    if not isinstance(value, Temporal) or isinstance(value, Duration):
        raise type_error(f"duration.between expects two temporal values, got {value!r}")
    return _Point(date_of(value), time_of(value), zone_of(value))


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _end_day(start: tuple[int, int], end: tuple[int, int]) -> int:
    # A date-based count only includes a day once its time of day has been reached (LocalDateTime.until).
    day = end[0]
    if day > start[0] and end[1] < start[1]:
        return day - 1
    if day < start[0] and end[1] > start[1]:
        return day + 1
    return day


def _months_until(start: tuple[int, int], end: tuple[int, int]) -> int:
    sy, sm, sd = cal.civil_from_days(start[0])
    ey, em, ed = cal.civil_from_days(_end_day(start, end))
    packed_start = cal.proleptic_month(sy, sm) * 32 + sd
    packed_end = cal.proleptic_month(ey, em) * 32 + ed
    return _trunc_div(packed_end - packed_start, 32)


def _days_until(start: tuple[int, int], end: tuple[int, int]) -> int:
    return _end_day(start, end) - start[0]


def _local(value: DateTime) -> tuple[int, int]:
    return value.epoch_day, value.nano_of_day


def _measure(lhs: Any, rhs: Any, unit: str | None) -> Duration | None:
    if lhs is None or rhs is None:
        return None
    a, b = _point(lhs), _point(rhs)
    both_dates = a.day is not None and b.day is not None
    if unit in ("months", "days") and not both_dates:
        return Duration.of()
    if unit == "seconds":
        a.nanos = 0 if a.nanos is None else a.nanos
        b.nanos = 0 if b.nanos is None else b.nanos
    elif a.nanos is not None and b.nanos is None:
        b.nanos = 0
    elif b.nanos is not None and a.nanos is None:
        a.nanos = 0
    if a.day is not None and b.day is None:
        b.day = a.day
    elif b.day is not None and a.day is None:
        a.day = b.day
    if a.zone is not None and b.zone is None:
        b.zone = a.zone
    elif b.zone is not None and a.zone is None:
        a.zone = b.zone
    a_nanos = 0 if a.nanos is None else a.nanos
    b_nanos = 0 if b.nanos is None else b.nanos

    if a.day is None or b.day is None:  # two times of day
        a_off = a.zone[0] if a.zone is not None else 0
        b_off = b.zone[0] if b.zone is not None else 0
        return Duration.of(nanos=(b_nanos - b_off * _NS) - (a_nanos - a_off * _NS))

    if a.zone is not None and b.zone is not None:
        start = datetime_at_local(a.day, a_nanos, a.zone[0], a.zone[1], preferred=a.zone[0])
        end = datetime_at_local(b.day, b_nanos, b.zone[0], b.zone[1], preferred=b.zone[0])
        end_local = _local(with_zone_same_instant(end, start.offset, start.zone))
        if unit == "months":
            return Duration.of(_months_until(_local(start), end_local))
        if unit == "days":
            return Duration.of(0, _days_until(_local(start), end_local))
        if unit == "seconds":
            return Duration.of(nanos=end.epoch_nanos - start.epoch_nanos)
        months = _months_until(_local(start), end_local)
        moved = plus_duration(start, Duration.of(months))
        assert isinstance(moved, DateTime)
        days = _days_until(_local(moved), _local(with_zone_same_instant(end, moved.offset, moved.zone)))
        moved2 = plus_duration(moved, Duration.of(0, days))
        assert isinstance(moved2, DateTime)
        return Duration.of(months, days, 0, end.epoch_nanos - moved2.epoch_nanos)

    start_l, end_l = (a.day, a_nanos), (b.day, b_nanos)
    if unit == "months":
        return Duration.of(_months_until(start_l, end_l))
    if unit == "days":
        return Duration.of(0, _days_until(start_l, end_l))
    if unit == "seconds":
        return Duration.of(nanos=(end_l[0] - start_l[0]) * _DAY_NS + end_l[1] - start_l[1])
    months = _months_until(start_l, end_l)
    day = cal.plus_months(start_l[0], months)
    days = _days_until((day, a_nanos), end_l)
    day += days
    return Duration.of(months, days, 0, (end_l[0] - day) * _DAY_NS + end_l[1] - a_nanos)


def between(lhs: Any, rhs: Any) -> Duration | None:
    """``duration.between(a, b)``: months, then days, then the exact remainder from ``a`` to ``b``."""
    return _measure(lhs, rhs, None)


def in_months(lhs: Any, rhs: Any) -> Duration | None:
    """``duration.inMonths(a, b)``: whole months only."""
    return _measure(lhs, rhs, "months")


def in_days(lhs: Any, rhs: Any) -> Duration | None:
    """``duration.inDays(a, b)``: whole days only."""
    return _measure(lhs, rhs, "days")


def in_seconds(lhs: Any, rhs: Any) -> Duration | None:
    """``duration.inSeconds(a, b)``: the exact time between them (seconds and nanoseconds)."""
    return _measure(lhs, rhs, "seconds")
