"""Cypher temporal values as Python :mod:`datetime` objects, without losing anything.

The type table maps Cypher DATE to ``datetime.date`` and DATETIME to an aware
``datetime.datetime``. Cypher's values carry more than those classes do
(nanoseconds, the named zone a datetime was written in), so each result is a
*subclass* of the ``datetime`` class it maps to: it is an ordinary ``date`` /
``datetime`` / ``time`` for every use (comparison, arithmetic, ``isoformat``,
pandas), and it also keeps the exact Cypher value in ``.cypher``, its
``nanosecond``, and prints (``str``) in Cypher's canonical form.

* DATE → :class:`CypherDate` (a ``datetime.date``)
* DATETIME → :class:`CypherDateTime` (an aware ``datetime.datetime`` in the
  value's own zone or offset — the same instant as UTC, which ``astimezone``
  gives when you want it)
* LOCAL DATETIME → :class:`CypherDateTime` without tzinfo
* TIME / LOCAL TIME → :class:`CypherTime` (a ``datetime.time``, with or without tzinfo)
* DURATION → ``namidb_cypher.temporal.Duration`` (Python has no calendar duration)

A value outside Python's years 1-9999 stays the Cypher value itself.
Parameters go the other way: any ``datetime`` value (these subclasses included,
without loss) becomes the matching Cypher value.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any
from zoneinfo import ZoneInfo

from namidb_core.values import decode_value, encode_value, register_value_type
from namidb_cypher.temporal import (
    TEMPORAL_TYPES,
    Date,
    DateTime,
    LocalDateTime,
    LocalTime,
    Temporal,
    Time,
    from_python,
)
from namidb_cypher.temporal.records import from_record, to_record

__all__ = [
    "CypherDate",
    "CypherDateTime",
    "CypherTime",
    "from_user",
    "register_storage",
    "to_user",
    "to_user_deep",
]


class _KeepsCypher:
    """Shared by the subclasses below: print, and pickle, as the Cypher value they carry."""

    cypher: Temporal

    def __str__(self) -> str:
        return str(self.cypher)

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        # The datetime classes define __reduce_ex__ themselves, which would rebuild
        # through our __new__ with their own arguments; rebuild from the Cypher value.
        return (type(self), (self.cypher,))


class CypherDate(_KeepsCypher, _dt.date):
    """A ``datetime.date`` that remembers its Cypher DATE (``.cypher``) and prints like Cypher."""

    cypher: Temporal

    def __new__(cls, value: Date) -> CypherDate:
        y, m, d = value.ymd
        obj = super().__new__(cls, y, m, d)
        obj.cypher = value
        return obj


class CypherDateTime(_KeepsCypher, _dt.datetime):
    """A ``datetime.datetime`` that keeps its Cypher value (nanoseconds, zone name) and prints like Cypher."""

    cypher: Temporal
    nanosecond: int

    def __new__(cls, value: DateTime | LocalDateTime) -> CypherDateTime:
        base: _dt.datetime = value.to_python()
        if isinstance(value, DateTime):
            tz: _dt.tzinfo = (
                ZoneInfo(value.zone) if value.zone else _dt.timezone(_dt.timedelta(seconds=value.offset))
            )
            base = base.astimezone(tz)
        obj = super().__new__(
            cls,
            base.year,
            base.month,
            base.day,
            base.hour,
            base.minute,
            base.second,
            base.microsecond,
            base.tzinfo,
            fold=base.fold,
        )
        obj.cypher = value
        obj.nanosecond = value.nano_of_day % 1_000_000_000 if hasattr(value, "nano_of_day") else 0
        return obj


class CypherTime(_KeepsCypher, _dt.time):
    """A ``datetime.time`` that keeps its Cypher TIME / LOCAL TIME and prints like Cypher."""

    cypher: Temporal
    nanosecond: int

    def __new__(cls, value: Time | LocalTime) -> CypherTime:
        base: _dt.time = value.to_python()
        obj = super().__new__(cls, base.hour, base.minute, base.second, base.microsecond, base.tzinfo)
        obj.cypher = value
        obj.nanosecond = value.nano_of_day % 1_000_000_000
        return obj


def to_user(value: Temporal) -> Any:
    """The user-facing form of a Cypher temporal value (see the module docstring)."""
    try:
        if isinstance(value, Date):
            return CypherDate(value)
        if isinstance(value, (DateTime, LocalDateTime)):
            return CypherDateTime(value)
        if isinstance(value, (Time, LocalTime)):
            return CypherTime(value)
    except (ValueError, OverflowError):
        return value  # outside what datetime can hold
    return value


def to_user_deep(value: Any) -> Any:
    """:func:`to_user` applied inside lists and maps too."""
    if isinstance(value, Temporal):
        return to_user(value)
    if isinstance(value, list):
        return [to_user_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: to_user_deep(v) for k, v in value.items()}
    return value


def from_user(value: Any) -> Any:
    """A parameter value with every ``datetime`` object turned into its Cypher value (recursively)."""
    cypher = getattr(value, "cypher", None)
    if isinstance(cypher, Temporal):
        return cypher
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        converted = from_python(value)
        return converted if converted is not None else value
    if isinstance(value, list):
        return [from_user(v) for v in value]
    if isinstance(value, dict):
        return {k: from_user(v) for k, v in value.items()}
    return value


def _encode(value: Temporal) -> bytes:
    kind, fields = to_record(value)
    return encode_value([kind, *fields])


def _decode(payload: bytes) -> Temporal:
    kind, *fields = decode_value(payload)
    return from_record(kind, fields)


def register_storage() -> None:
    """Let the storage engine keep Cypher temporal values as properties (an idempotent call)."""
    for cls in TEMPORAL_TYPES:
        register_value_type(f"cypher.{cls.__name__}", cls, _encode, _decode)
