"""Building :class:`DateTime` values from a local time or an instant in a zone."""

from __future__ import annotations

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.types import DateTime
from namidb_cypher.temporal.zones import offset_at_instant, resolve_local

__all__ = ["datetime_at_local", "datetime_at_instant", "with_zone_same_instant"]

_NS = cal.NANOS_PER_SECOND
_DAY_NS = cal.NANOS_PER_DAY


def datetime_at_local(
    epoch_day: int, nano_of_day: int, offset: int | None, zone: str | None, preferred: int | None = None
) -> DateTime:
    """The datetime showing this local time: at fixed ``offset``, or in region ``zone`` (one is given).

    In a named zone a local time inside a DST gap moves later by the gap;
    in an overlap the ``preferred`` offset wins when valid.
    """
    if zone is None:
        assert offset is not None
        return DateTime(epoch_day, nano_of_day, offset, None)
    local_second = epoch_day * cal.SECONDS_PER_DAY + nano_of_day // _NS
    shift, resolved = resolve_local(zone, local_second, preferred)
    if shift:
        total = epoch_day * _DAY_NS + nano_of_day + shift * _NS
        epoch_day, nano_of_day = divmod(total, _DAY_NS)
    return DateTime(epoch_day, nano_of_day, resolved, zone)


def datetime_at_instant(epoch_nanos: int, offset: int | None, zone: str | None) -> DateTime:
    """The datetime for an instant (nanoseconds since the epoch) seen in a fixed offset or a region."""
    if zone is not None:
        offset = offset_at_instant(zone, epoch_nanos // _NS)
    assert offset is not None
    epoch_day, nano_of_day = divmod(epoch_nanos + offset * _NS, _DAY_NS)
    return DateTime(epoch_day, nano_of_day, offset, zone)


def with_zone_same_instant(value: DateTime, offset: int | None, zone: str | None) -> DateTime:
    """The same instant shown in another zone."""
    return datetime_at_instant(value.epoch_nanos, offset, zone)
