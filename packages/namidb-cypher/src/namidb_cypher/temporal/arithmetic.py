"""Temporal arithmetic: shifting points in time by durations, and duration algebra.

The rules follow Cypher (and the Java time API it was specified against):
a duration is applied component by component, largest first — months
(clamping the day to the month's end), then days, then the exact seconds and
nanoseconds. A date only takes whole days from the seconds part (truncated
toward zero); a time of day wraps around midnight. In a named zone months and
days move the wall clock while seconds move the instant, so ``+ P1D`` across a
DST change keeps the local time and ``+ PT24H`` does not.
"""

from __future__ import annotations

from typing import Any

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.errors import argument_error
from namidb_cypher.temporal.types import Date, DateTime, Duration, LocalDateTime, LocalTime, Temporal, Time
from namidb_cypher.temporal.zoned import datetime_at_instant, datetime_at_local

__all__ = ["add", "subtract", "multiply", "divide", "plus_duration", "approximate", "AVG_DAYS_PER_MONTH"]

_NS = cal.NANOS_PER_SECOND
_DAY_NS = cal.NANOS_PER_DAY
AVG_DAYS_PER_MONTH = 365.2425 / 12  # 30.436875: the Gregorian average, used for fractional months


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def plus_duration(value: Temporal, duration: Duration, sign: int = 1) -> Temporal:
    """``value + duration`` (``sign=1``) or ``value - duration`` (``sign=-1``) for a non-duration value."""
    months, days = sign * duration.months, sign * duration.days
    exact = sign * duration.total_nanos
    if isinstance(value, Date):
        whole_days = sign * _trunc_div(duration.seconds, cal.SECONDS_PER_DAY)
        return Date(cal.plus_months(value.epoch_day, months) + days + whole_days)
    if isinstance(value, LocalTime):
        return LocalTime((value.nano_of_day + exact) % _DAY_NS)
    if isinstance(value, Time):
        return Time((value.nano_of_day + exact) % _DAY_NS, value.offset)
    if isinstance(value, LocalDateTime):
        day = cal.plus_months(value.epoch_day, months) + days
        carry, nano = divmod(value.nano_of_day + exact, _DAY_NS)
        return LocalDateTime(day + carry, nano)
    if isinstance(value, DateTime):
        shifted = value
        if months or days:
            day = cal.plus_months(value.epoch_day, months) + days
            shifted = datetime_at_local(
                day, value.nano_of_day, value.offset, value.zone, preferred=value.offset
            )
        if exact:
            shifted = datetime_at_instant(shifted.epoch_nanos + exact, shifted.offset, shifted.zone)
        return shifted
    raise TypeError(f"cannot add a duration to {type(value).__name__}")


def add(left: object, right: object) -> Any:
    """``left + right`` where at least one side is a duration; ``NotImplemented`` otherwise."""
    if isinstance(left, Duration):
        if isinstance(right, Duration):
            return Duration.of(
                left.months + right.months,
                left.days + right.days,
                left.seconds + right.seconds,
                left.nanos + right.nanos,
            )
        if isinstance(right, Temporal):
            return plus_duration(right, left)
        return NotImplemented
    if isinstance(left, Temporal) and isinstance(right, Duration):
        return plus_duration(left, right)
    return NotImplemented


def subtract(left: object, right: object) -> Any:
    """``left - right``: duration - duration, or temporal - duration; ``NotImplemented`` otherwise."""
    if isinstance(right, Duration):
        if isinstance(left, Duration):
            return Duration.of(
                left.months - right.months,
                left.days - right.days,
                left.seconds - right.seconds,
                left.nanos - right.nanos,
            )
        if isinstance(left, Temporal):
            return plus_duration(left, right, -1)
    return NotImplemented


def _to_long(value: float) -> int:
    if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 2.0**63:
        raise argument_error(f"duration component {value} is too large to be represented")
    return int(value)  # truncation toward zero, like Java's (long) cast


def approximate(months: float, days: float, seconds: float, nanos: float) -> Duration:
    """A duration from fractional components: each fraction spills into the next smaller unit.

    Deliberately in IEEE doubles, step for step as Cypher's reference
    implementation, so e.g. ``0.3`` seconds is 300,000,000 ns and not one less.
    """
    whole_months = _to_long(months)
    days += (months - whole_months) * AVG_DAYS_PER_MONTH
    whole_days = _to_long(days)
    seconds += (days - whole_days) * cal.SECONDS_PER_DAY
    whole_seconds = _to_long(seconds)
    nanos += (seconds - whole_seconds) * _NS
    return Duration.of(whole_months, whole_days, whole_seconds, _to_long(nanos))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def multiply(duration: Duration, factor: object) -> Any:
    """``duration * factor``: exact for an integer, approximated (with spill-over) for a float."""
    if not _is_number(factor):
        return NotImplemented
    if isinstance(factor, int):
        return Duration.of(
            duration.months * factor,
            duration.days * factor,
            duration.seconds * factor,
            duration.nanos * factor,
        )
    f = float(factor)  # type: ignore[arg-type]
    return approximate(duration.months * f, duration.days * f, duration.seconds * f, duration.nanos * f)


def divide(duration: Duration, divisor: object) -> Any:
    """``duration / divisor`` (always approximated, as Cypher divides in floating point)."""
    if not _is_number(divisor):
        return NotImplemented
    d = float(divisor)  # type: ignore[arg-type]
    if d == 0:
        raise argument_error("cannot divide a duration by zero")
    return approximate(duration.months / d, duration.days / d, duration.seconds / d, duration.nanos / d)
