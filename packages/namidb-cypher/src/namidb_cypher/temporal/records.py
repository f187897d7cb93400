"""Temporal values as plain records, for storage layers that only know primitives.

``to_record(value)`` gives ``(cypher_type_name, fields)`` where ``fields`` is a
tuple of ints (plus the zone name, a ``str`` or ``None``, for DATETIME):
exactly the value's defining numbers, so ``from_record`` rebuilds an equal
value. The encoding is stable: field order is the dataclass field order of
:mod:`namidb_cypher.temporal.types` (DATE: epoch_day; LOCAL TIME: nano_of_day;
TIME: nano_of_day, offset; LOCAL DATETIME: epoch_day, nano_of_day; DATETIME:
epoch_day, nano_of_day, offset, zone; DURATION: months, days, seconds, nanos).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.errors import argument_error
from namidb_cypher.temporal.types import (
    TYPE_BY_NAME,
    Date,
    DateTime,
    Duration,
    LocalDateTime,
    LocalTime,
    Temporal,
    Time,
)
from namidb_cypher.temporal.zones import zone

__all__ = ["to_record", "from_record"]

Field = int | str | None


def to_record(value: Temporal) -> tuple[str, tuple[Field, ...]]:
    """``(cypher_type_name, fields)`` of a temporal value."""
    fields = tuple(getattr(value, f.name) for f in dataclasses.fields(value))  # type: ignore[arg-type]
    return value.cypher_type_name, fields


def _check_int(value: Field, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise argument_error(f"corrupt temporal record field {value!r}")
    return value


def from_record(kind: str, fields: Sequence[Field]) -> Temporal:
    """The value :func:`to_record` described (fields are validated: records come from storage)."""
    cls = TYPE_BY_NAME.get(kind)
    if cls is None or len(fields) != len(dataclasses.fields(cls)):  # type: ignore[arg-type]
        raise argument_error(f"corrupt temporal record {kind!r} {tuple(fields)!r}")
    day_limit = cal.days_from_civil(cal.MAX_YEAR, 12, 31)
    nano_limit = cal.NANOS_PER_DAY - 1
    offset_limit = 18 * 3600
    if cls is Date:
        return Date(_check_int(fields[0], -day_limit - 366, day_limit))
    if cls is LocalTime:
        return LocalTime(_check_int(fields[0], 0, nano_limit))
    if cls is Time:
        return Time(_check_int(fields[0], 0, nano_limit), _check_int(fields[1], -offset_limit, offset_limit))
    if cls is LocalDateTime:
        return LocalDateTime(
            _check_int(fields[0], -day_limit - 366, day_limit), _check_int(fields[1], 0, nano_limit)
        )
    if cls is DateTime:
        region = fields[3]
        if region is not None:
            if not isinstance(region, str):
                raise argument_error(f"corrupt temporal record zone {region!r}")
            zone(region)
        return DateTime(
            _check_int(fields[0], -day_limit - 366, day_limit),
            _check_int(fields[1], 0, nano_limit),
            _check_int(fields[2], -offset_limit, offset_limit),
            region,
        )
    big = 2**63
    months, days, seconds = (_check_int(f, -big, big) for f in fields[:3])
    return Duration(months, days, seconds, _check_int(fields[3], 0, cal.NANOS_PER_SECOND - 1))
