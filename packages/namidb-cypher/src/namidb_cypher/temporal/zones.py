"""Time zones: fixed UTC offsets and IANA region names (via :mod:`zoneinfo`).

A zone is represented by ``(offset_seconds, name)``: ``name`` is ``None`` for a
fixed offset. Named zones are resolved with the IANA database; years outside
what :mod:`datetime` can represent (1..9999) are clamped to its edges, where the
zone's rules are constant anyway (local mean time before, the last rule after).
"""

from __future__ import annotations

import datetime as _dt
import re
import zoneinfo
from functools import lru_cache

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.errors import argument_error

__all__ = [
    "format_offset",
    "parse_offset",
    "parse_zone",
    "zone",
    "offset_at_local",
    "offset_at_instant",
    "resolve_local",
]

_OFFSET = re.compile(r"^(?:(?P<z>[Zz])|(?P<sign>[+-])(?P<h>\d{2})(?::?(?P<m>\d{2})(?::?(?P<s>\d{2}))?)?)$")
_MAX_OFFSET = 18 * 3600
_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_MIN_LOCAL = -719162 * cal.SECONDS_PER_DAY  # 0001-01-01T00:00 in epoch seconds
_MAX_LOCAL = 2932896 * cal.SECONDS_PER_DAY - 1  # 9999-12-31T23:59:59


def format_offset(seconds: int) -> str:
    """``Z``, ``+hh:mm`` or ``+hh:mm:ss`` (Java's ``ZoneOffset`` id)."""
    if seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    h, rest = divmod(abs(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def parse_offset(text: str) -> int | None:
    """Seconds of ``Z`` / ``±hh`` / ``±hh:mm`` / ``±hhmm`` / ``±hh:mm:ss``; ``None`` if not an offset."""
    match = _OFFSET.match(text)
    if match is None:
        return None
    if match["z"]:
        return 0
    h, m, s = int(match["h"]), int(match["m"] or 0), int(match["s"] or 0)
    if m > 59 or s > 59:
        raise argument_error(f"invalid UTC offset {text!r}")
    seconds = h * 3600 + m * 60 + s
    if seconds > _MAX_OFFSET:
        raise argument_error(f"UTC offset {text!r} is out of range (max ±18:00)")
    return -seconds if match["sign"] == "-" else seconds


def _from_tzdata_package(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        import importlib.resources

        resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/"))
        with resource.open("rb") as data:
            return zoneinfo.ZoneInfo.from_file(data, key=name)
    except (ImportError, OSError, ValueError):
        return None


@lru_cache(maxsize=512)
def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone ``name``; an ArgumentError if it is unknown.

    The ``tzdata`` package (a pinned dependency) is read first, so every
    machine computes the same offsets whatever its OS ships; distributions
    also differ in building "backzone" history (``Europe/Stockholm`` in 1818
    is +00:53:28 in the canonical data, +01:12:12 with backzone).
    """
    if not name or ".." in name or name.startswith("/"):
        raise argument_error(f"unknown time zone {name!r}")
    found = _from_tzdata_package(name)
    if found is not None:
        return found
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise argument_error(f"unknown time zone {name!r}") from None


def parse_zone(text: str) -> tuple[int | None, str | None]:
    """``(offset, None)`` for an offset string, ``(None, name)`` for a region name (validated)."""
    offset = parse_offset(text)
    if offset is not None:
        return offset, None
    zone(text)
    return None, text


def _utcoffset(value: _dt.datetime) -> int:
    delta = value.utcoffset()
    assert delta is not None  # an aware datetime always has one
    return int(delta.total_seconds())


def offset_at_instant(name: str, epoch_second: int) -> int:
    """Offset (seconds) of zone ``name`` at the instant ``epoch_second``."""
    clamped = min(max(epoch_second, _MIN_LOCAL + _MAX_OFFSET), _MAX_LOCAL - _MAX_OFFSET)
    return _utcoffset((_EPOCH + _dt.timedelta(seconds=clamped)).astimezone(zone(name)))


def offset_at_local(name: str, local_second: int) -> int:
    """Offset of zone ``name`` at a wall-clock time (the earlier one in overlaps, pre-gap in gaps)."""
    clamped = min(max(local_second, _MIN_LOCAL), _MAX_LOCAL)
    naive = _dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=clamped)
    return _utcoffset(naive.replace(tzinfo=zone(name), fold=0))


def resolve_local(name: str, local_second: int, preferred: int | None = None) -> tuple[int, int]:
    """Place a local time in zone ``name``: ``(shift, offset)``.

    ``shift`` is added to the local time: it is non-zero only in a gap (spring
    forward), where the time moves later by the gap's length, as Java's
    ``ZonedDateTime.ofLocal`` does. In an overlap ``preferred`` (an offset the
    value had before) wins when it is valid, otherwise the earlier offset.
    """
    offset = offset_at_local(name, local_second)
    valid_preferred = preferred is not None and offset_at_instant(name, local_second - preferred) == preferred
    if preferred is not None and preferred != offset and valid_preferred:
        return 0, preferred
    actual = offset_at_instant(name, local_second - offset)
    if actual == offset:
        return 0, offset
    # A gap: the instant local-offset is already past the transition; re-express it in the new offset.
    return actual - offset, actual
