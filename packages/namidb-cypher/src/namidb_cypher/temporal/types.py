"""The six Cypher temporal value types: immutable, hashable, nanosecond precise.

Each stores a few integers (an epoch day, a nanosecond of the day, an offset
in seconds, an optional IANA zone name; a duration's months, days, seconds and
nanoseconds) so values are cheap to hash, compare and keep in columns.

Equality (``==``) is structural, as in Cypher: two datetimes at the same
instant but in different zones are *not* equal, yet they order by instant.
The executor's operator library calls the ``__cypher_*__`` hooks:

* ``__cypher_add__(other)`` / ``__cypher_sub__(other)``: temporal ± duration,
  duration ± duration (and duration + temporal);
* ``__cypher_mul__(number)`` / ``__cypher_div__(number)`` / ``__cypher_neg__()``: durations only;
* ``__cypher_compare__(other) -> int | None``: ``None`` when incomparable
  (different types, or two unequal durations).

A hook returns ``NotImplemented`` when the operand's type does not combine,
so the caller can raise its own TypeError.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, ClassVar

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.format import format_date, format_duration, format_time
from namidb_cypher.temporal.zones import format_offset

__all__ = [
    "Temporal",
    "Date",
    "LocalTime",
    "Time",
    "LocalDateTime",
    "DateTime",
    "Duration",
    "TEMPORAL_TYPES",
    "TYPE_BY_NAME",
]

_NS = cal.NANOS_PER_SECOND
_DAY_NS = cal.NANOS_PER_DAY


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


class Temporal:
    """Common base of the six types (for ``isinstance`` checks and the shared hooks)."""

    __slots__ = ()
    cypher_type_name: ClassVar[str] = ""

    def order_key(self) -> tuple[Any, ...]:
        """A key that sorts values of this type in Cypher's order (ORDER BY, min/max)."""
        raise NotImplementedError

    def __cypher_compare__(self, other: object) -> int | None:
        """-1 / 0 / 1 against a value of the same type; ``None`` when they are not comparable."""
        if type(other) is not type(self):
            return None
        a, b = self.order_key(), other.order_key()
        return (a > b) - (a < b)

    def __cypher_add__(self, other: object) -> Any:
        """``self + other``: shift a point in time by a duration."""
        from namidb_cypher.temporal.arithmetic import add

        return add(self, other)

    def __cypher_sub__(self, other: object) -> Any:
        """``self - other``: shift a point in time back by a duration."""
        from namidb_cypher.temporal.arithmetic import subtract

        return subtract(self, other)

    def __cypher_mul__(self, other: object) -> Any:
        """Only durations multiply."""
        return NotImplemented

    def __cypher_div__(self, other: object) -> Any:
        """Only durations divide."""
        return NotImplemented

    def to_python(self) -> Any:
        """The nearest :mod:`datetime` value (microsecond precision)."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Date(Temporal):
    """A calendar date; ``epoch_day`` counts days from 1970-01-01."""

    epoch_day: int
    cypher_type_name: ClassVar[str] = "DATE"

    @classmethod
    def of(cls, year: int, month: int, day: int) -> Date:
        """The date ``year-month-day`` (fields must be valid)."""
        return cls(cal.days_from_civil(year, month, day))

    @property
    def ymd(self) -> tuple[int, int, int]:
        """``(year, month, day)``."""
        return cal.civil_from_days(self.epoch_day)

    def order_key(self) -> tuple[Any, ...]:
        """By day."""
        return (self.epoch_day,)

    def __str__(self) -> str:
        return format_date(self.epoch_day)

    def to_python(self) -> _dt.date:
        """A :class:`datetime.date` (ValueError outside years 1..9999)."""
        return _dt.date(*self.ymd)


@dataclass(frozen=True, slots=True)
class LocalTime(Temporal):
    """A wall-clock time without zone; ``nano_of_day`` in ``[0, 86400e9)``."""

    nano_of_day: int
    cypher_type_name: ClassVar[str] = "LOCAL TIME"

    def order_key(self) -> tuple[Any, ...]:
        """By time of day."""
        return (self.nano_of_day,)

    def __str__(self) -> str:
        return format_time(self.nano_of_day)

    def to_python(self) -> _dt.time:
        """A naive :class:`datetime.time` (nanoseconds truncated to microseconds)."""
        return _py_time(self.nano_of_day)


@dataclass(frozen=True, slots=True)
class Time(Temporal):
    """A time of day at a fixed UTC ``offset`` (seconds east of UTC)."""

    nano_of_day: int
    offset: int
    cypher_type_name: ClassVar[str] = "TIME"

    def order_key(self) -> tuple[Any, ...]:
        """By the UTC time (not wrapped around midnight, like Java's OffsetTime), then offset."""
        return (self.nano_of_day - self.offset * _NS, self.offset)

    def __str__(self) -> str:
        return format_time(self.nano_of_day) + format_offset(self.offset)

    def to_python(self) -> _dt.time:
        """An aware :class:`datetime.time` with a fixed-offset tzinfo."""
        return _py_time(self.nano_of_day).replace(tzinfo=_dt.timezone(_dt.timedelta(seconds=self.offset)))


@dataclass(frozen=True, slots=True)
class LocalDateTime(Temporal):
    """A date and wall-clock time without zone."""

    epoch_day: int
    nano_of_day: int
    cypher_type_name: ClassVar[str] = "LOCAL DATETIME"

    def order_key(self) -> tuple[Any, ...]:
        """By date, then time."""
        return (self.epoch_day, self.nano_of_day)

    def __str__(self) -> str:
        return f"{format_date(self.epoch_day)}T{format_time(self.nano_of_day)}"

    def to_python(self) -> _dt.datetime:
        """A naive :class:`datetime.datetime`."""
        return _dt.datetime.combine(
            _dt.date(*cal.civil_from_days(self.epoch_day)), _py_time(self.nano_of_day)
        )


@dataclass(frozen=True, slots=True)
class DateTime(Temporal):
    """A point in time: local date and time, the UTC ``offset`` in force there, and optionally the zone.

    ``zone`` is an IANA region name (``Europe/Stockholm``) or ``None`` for a
    plain offset; ``offset`` is always the offset valid at this local time.
    """

    epoch_day: int
    nano_of_day: int
    offset: int
    zone: str | None = None
    cypher_type_name: ClassVar[str] = "DATETIME"

    @property
    def epoch_nanos(self) -> int:
        """Nanoseconds since 1970-01-01T00:00Z."""
        return self.epoch_day * _DAY_NS + self.nano_of_day - self.offset * _NS

    @property
    def epoch_seconds(self) -> int:
        """Whole seconds since the epoch (floored)."""
        return self.epoch_nanos // _NS

    def order_key(self) -> tuple[Any, ...]:
        """By instant, then local time, then zone (so distinct values never tie)."""
        return (self.epoch_nanos, self.epoch_day, self.nano_of_day, self.zone or "")

    def timezone_name(self) -> str:
        """The zone name, or the offset text for a fixed offset (``.timezone``)."""
        return self.zone if self.zone is not None else format_offset(self.offset)

    def __str__(self) -> str:
        text = f"{format_date(self.epoch_day)}T{format_time(self.nano_of_day)}{format_offset(self.offset)}"
        return text + f"[{self.zone}]" if self.zone is not None else text

    def to_python(self) -> _dt.datetime:
        """An aware :class:`datetime.datetime` in UTC (the Client's type mapping)."""
        seconds, nanos = divmod(self.epoch_nanos, _NS)
        epoch = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
        return epoch + _dt.timedelta(seconds=seconds, microseconds=nanos // 1000)


@dataclass(frozen=True, slots=True)
class Duration(Temporal):
    """A duration in four independent components: ``months``, ``days``, ``seconds``, ``nanos``.

    Months and days are calendar units (their length depends on where the
    duration is applied); seconds and nanoseconds are exact, normalized so
    ``0 <= nanos < 1e9`` (``seconds`` carries the sign). Build one with
    :meth:`of`, which normalizes.
    """

    months: int
    days: int
    seconds: int
    nanos: int
    cypher_type_name: ClassVar[str] = "DURATION"

    def __post_init__(self) -> None:
        if not 0 <= self.nanos < _NS:
            raise ValueError("Duration.nanos must be in [0, 1e9); use Duration.of")

    @classmethod
    def of(cls, months: int = 0, days: int = 0, seconds: int = 0, nanos: int = 0) -> Duration:
        """A duration from any integers (nanoseconds carry into seconds)."""
        carry, nanos = divmod(nanos, _NS)
        return cls(months, days, seconds + carry, nanos)

    @property
    def total_nanos(self) -> int:
        """``seconds`` and ``nanos`` as one nanosecond count."""
        return self.seconds * _NS + self.nanos

    def order_key(self) -> tuple[Any, ...]:
        """By approximate length (a month is 30.436875 days), then by components."""
        approx = (self.months * 2_629_746 + self.days * cal.SECONDS_PER_DAY + self.seconds) * _NS + self.nanos
        return (approx, self.months, self.days, self.seconds, self.nanos)

    def __cypher_compare__(self, other: object) -> int | None:
        """0 when equal, otherwise ``None``: Cypher does not order durations."""
        return 0 if other == self else None

    def __cypher_add__(self, other: object) -> Any:
        """``duration + duration`` or ``duration + temporal``."""
        from namidb_cypher.temporal.arithmetic import add

        return add(self, other)

    def __cypher_neg__(self) -> Duration:
        """``-duration``: every component negated."""
        return Duration.of(-self.months, -self.days, -self.seconds, -self.nanos)

    def __cypher_mul__(self, other: object) -> Any:
        """``duration * number``."""
        from namidb_cypher.temporal.arithmetic import multiply

        return multiply(self, other)

    def __cypher_div__(self, other: object) -> Any:
        """``duration / number``."""
        from namidb_cypher.temporal.arithmetic import divide

        return divide(self, other)

    def __str__(self) -> str:
        return format_duration(self.months, self.days, self.seconds, self.nanos)

    def to_python(self) -> Any:
        """A :class:`datetime.timedelta` if there are no months (of no fixed length), else ``self``."""
        if self.months:
            return self
        return _dt.timedelta(days=self.days, seconds=self.seconds, microseconds=self.nanos // 1000)


TEMPORAL_TYPES: tuple[type[Temporal], ...] = (Date, LocalTime, Time, LocalDateTime, DateTime, Duration)
#: Each temporal class by its ``cypher_type_name``.
TYPE_BY_NAME: dict[str, type[Temporal]] = {cls.cypher_type_name: cls for cls in TEMPORAL_TYPES}


def _py_time(nano_of_day: int) -> _dt.time:
    seconds, nanos = divmod(nano_of_day, _NS)
    hour, rest = divmod(seconds, 3600)
    return _dt.time(hour, rest // 60, rest % 60, nanos // 1000)
