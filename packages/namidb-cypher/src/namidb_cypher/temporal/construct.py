"""The constructors: ``date``, ``localtime``, ``time``, ``localdatetime``, ``datetime``, ``duration``.

Each accepts nothing (now, on the statement clock), ``null`` (gives null), a
string (ISO form), a map (fields, optionally selecting from other temporal
values: ``{date: d, time: t, day: 28, timezone: 'Europe/Paris'}``) or another
temporal value (converted). The clock readers (``date.statement()`` ...) and
``datetime.fromepoch`` / ``fromepochmillis`` live here as well; truncation is in
:mod:`namidb_cypher.temporal.truncate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.arithmetic import approximate
from namidb_cypher.temporal.clock import DEFAULT_TIMEZONE, now_nanos
from namidb_cypher.temporal.errors import argument_error, type_error
from namidb_cypher.temporal.fields import (
    DATE_FIELDS,
    TIME_FIELDS,
    date_of,
    date_part,
    int_field,
    normalize_map,
    time_of,
    time_part,
    zone_of,
)
from namidb_cypher.temporal.parse import (
    ParsedTime,
    parse_date,
    parse_datetime,
    parse_duration_parts,
    parse_time,
)
from namidb_cypher.temporal.types import Date, DateTime, Duration, LocalDateTime, LocalTime, Temporal, Time
from namidb_cypher.temporal.zoned import datetime_at_instant, datetime_at_local, with_zone_same_instant
from namidb_cypher.temporal.zones import offset_at_instant, parse_zone

__all__ = [
    "MISSING",
    "make_date",
    "make_localtime",
    "make_time",
    "make_localdatetime",
    "make_datetime",
    "make_duration",
    "current",
    "default_zone",
    "fixed_offset",
    "zone_arg",
    "reject",
    "datetime_from_epoch",
    "datetime_from_epoch_millis",
]

_NS = cal.NANOS_PER_SECOND
_DAY_NS = cal.NANOS_PER_DAY
MISSING: Any = object()  # "no argument given", distinct from null (None)
Zone = tuple[int | None, str | None]


# ---------------------------------------------------------------- zones and "now"


def zone_arg(value: Any) -> Zone:
    """``(offset, None)`` or ``(None, region)`` from a timezone argument."""
    if not isinstance(value, str):
        raise type_error(f"timezone must be a string, got {value!r}")
    return parse_zone(value)


def default_zone() -> Zone:
    """The zone of values built without one (UTC)."""
    return parse_zone(DEFAULT_TIMEZONE)


def fixed_offset(zone: Zone, at_nanos: int | None = None) -> int:
    """A single offset for a zone: its own, or a bare region's offset at ``at_nanos`` (default: now)."""
    offset, region = zone
    if offset is not None:
        return offset
    assert region is not None
    instant = now_nanos() if at_nanos is None else at_nanos
    return offset_at_instant(region, instant // _NS)


def current(kind: str, clock: str = "statement", timezone: Any = MISSING) -> Temporal | None:
    """The current ``kind`` (``date``, ``localtime`` ...) on ``clock``, seen in ``timezone`` (default UTC).

    ``timezone`` may be a zone string or a map ``{timezone: ...}``; ``null`` gives null.
    """
    if timezone is None:
        return None
    if isinstance(timezone, Mapping):
        fields = normalize_map(timezone, frozenset({"timezone"}))
        timezone = fields.get("timezone", MISSING)
    zone = default_zone() if timezone is MISSING else zone_arg(timezone)
    now = datetime_at_instant(now_nanos(clock), *zone)
    return _convert(kind, now)


def _convert(kind: str, value: DateTime) -> Temporal:
    if kind == "date":
        return Date(value.epoch_day)
    if kind == "localtime":
        return LocalTime(value.nano_of_day)
    if kind == "time":
        return Time(value.nano_of_day, value.offset)
    if kind == "localdatetime":
        return LocalDateTime(value.epoch_day, value.nano_of_day)
    return value


def _only_timezone(fields: Mapping[str, Any]) -> bool:
    return set(fields) == {"timezone"}


def _pop_source(fields: dict[str, Any], key: str) -> Any:
    source = fields.pop(key, None)
    if source is not None and not isinstance(source, Temporal):
        raise type_error(f"{key} must be a temporal value, got {source!r}")
    return source


def reject(fields: Mapping[str, Any], allowed: frozenset[str], kind: str) -> None:
    """An ArgumentError naming the fields ``kind`` does not take."""
    extra = set(fields) - allowed
    if extra:
        raise argument_error(f"{kind}() does not take {sorted(extra)}")


def _single(args: tuple[Any, ...], name: str) -> Any:
    if len(args) > 1:
        raise argument_error(f"{name}() takes at most one argument")
    return args[0] if args else MISSING


def _no_zone_in_local(parsed: ParsedTime, text: str) -> None:
    # A local value has no zone: silently dropping "+01:00" would change the meaning of the text.
    if parsed.offset is not None or parsed.zone is not None:
        raise argument_error(f"a local time cannot have a time zone: {text!r}")


# ---------------------------------------------------------------- date


def make_date(*args: Any) -> Date | None:
    """``date()``, ``date(string)``, ``date(map)``, ``date(temporal)``."""
    arg = _single(args, "date")
    if arg is MISSING:
        return current("date")  # type: ignore[return-value]
    if arg is None:
        return None
    if isinstance(arg, str):
        return Date(parse_date(arg))
    if isinstance(arg, Mapping):
        fields = normalize_map(arg)
        if not fields or _only_timezone(fields):
            return current("date", timezone=fields)  # type: ignore[return-value]
        base = None
        if "date" in fields:
            source = _pop_source(fields, "date")
            base = date_of(source)
            if base is None:
                raise type_error(f"cannot select a date from {source}")
        reject(fields, DATE_FIELDS, "date")
        day = date_part(fields, base)
        assert day is not None
        return Date(day)
    day = date_of(arg)
    if day is None:
        raise type_error(f"cannot construct a date from {arg!r}")
    return Date(day)


# ---------------------------------------------------------------- local time / time


def make_localtime(*args: Any) -> LocalTime | None:
    """``localtime()``, ``localtime(string)``, ``localtime(map)``, ``localtime(temporal)``."""
    arg = _single(args, "localtime")
    if arg is MISSING:
        return current("localtime")  # type: ignore[return-value]
    if arg is None:
        return None
    if isinstance(arg, str):
        parsed = parse_time(arg)
        _no_zone_in_local(parsed, arg)
        return LocalTime(parsed.nano_of_day)
    if isinstance(arg, Mapping):
        fields = normalize_map(arg)
        if not fields or _only_timezone(fields):
            return current("localtime", timezone=fields)  # type: ignore[return-value]
        base = None
        if "time" in fields:
            source = _pop_source(fields, "time")
            base = time_of(source)
            if base is None:
                raise type_error(f"cannot select a time from {source}")
        reject(fields, TIME_FIELDS, "localtime")
        nanos = time_part(fields, base)
        assert nanos is not None
        return LocalTime(nanos)
    nanos = time_of(arg)
    if nanos is None:
        raise type_error(f"cannot construct a local time from {arg!r}")
    return LocalTime(nanos)


def make_time(*args: Any) -> Time | None:
    """``time()``, ``time(string)``, ``time(map)``, ``time(temporal)``; no zone means UTC."""
    arg = _single(args, "time")
    if arg is MISSING:
        return current("time")  # type: ignore[return-value]
    if arg is None:
        return None
    if isinstance(arg, str):
        parsed = parse_time(arg)
        if parsed.offset is not None:
            return Time(parsed.nano_of_day, parsed.offset)
        zone = (None, parsed.zone) if parsed.zone is not None else default_zone()
        return Time(parsed.nano_of_day, fixed_offset(zone))
    if isinstance(arg, Mapping):
        fields = normalize_map(arg)
        if not fields or _only_timezone(fields):
            return current("time", timezone=fields)  # type: ignore[return-value]
        base, base_zone = None, None
        if "time" in fields:
            source = _pop_source(fields, "time")
            base, base_zone = time_of(source), zone_of(source)
            if base is None:
                raise type_error(f"cannot select a time from {source}")
        target = zone_arg(fields.pop("timezone")) if "timezone" in fields else None
        reject(fields, TIME_FIELDS, "time")
        nanos = time_part(fields, base)
        assert nanos is not None
        if target is None:
            return Time(nanos, base_zone[0] if base_zone is not None else fixed_offset(default_zone()))
        offset = fixed_offset(target)
        if base_zone is not None:  # a zoned source keeps its instant: convert the clock reading
            nanos = (nanos + (offset - base_zone[0]) * _NS) % _DAY_NS
        return Time(nanos, offset)
    nanos = time_of(arg)
    if nanos is None:
        raise type_error(f"cannot construct a time from {arg!r}")
    source_zone = zone_of(arg)
    return Time(nanos, source_zone[0] if source_zone is not None else fixed_offset(default_zone()))


# ---------------------------------------------------------------- local datetime / datetime


def _date_and_time(fields: dict[str, Any]) -> tuple[int, int, tuple[int, str | None] | None]:
    """Epoch day, nanosecond of day and the source zone from a (local)datetime map."""
    base_day, base_time, base_zone = None, None, None
    if "datetime" in fields:
        source = _pop_source(fields, "datetime")
        base_day, base_time, base_zone = date_of(source), time_of(source), zone_of(source)
        if base_day is None:
            raise type_error(f"cannot select a datetime from {source}")
    if "date" in fields:
        source = _pop_source(fields, "date")
        base_day = date_of(source)
        if base_day is None:
            raise type_error(f"cannot select a date from {source}")
    if "time" in fields:
        source = _pop_source(fields, "time")
        base_time, base_zone = time_of(source), zone_of(source)
        if base_time is None:
            raise type_error(f"cannot select a time from {source}")
    day = date_part(fields, base_day)
    if day is None:
        raise argument_error("year must be specified")
    nanos = time_part(fields, base_time)
    return day, 0 if nanos is None else nanos, base_zone


def make_localdatetime(*args: Any) -> LocalDateTime | None:
    """``localdatetime()``, ``(string)``, ``(map)``, ``(temporal)``."""
    arg = _single(args, "localdatetime")
    if arg is MISSING:
        return current("localdatetime")  # type: ignore[return-value]
    if arg is None:
        return None
    if isinstance(arg, str):
        day, parsed = parse_datetime(arg)
        _no_zone_in_local(parsed, arg)
        return LocalDateTime(day, parsed.nano_of_day)
    if isinstance(arg, Mapping):
        fields = normalize_map(arg)
        if not fields or _only_timezone(fields):
            return current("localdatetime", timezone=fields)  # type: ignore[return-value]
        reject(fields, DATE_FIELDS | TIME_FIELDS | {"date", "time", "datetime"}, "localdatetime")
        day, nanos, _ = _date_and_time(fields)
        return LocalDateTime(day, nanos)
    source_day = date_of(arg)
    if source_day is None:
        raise type_error(f"cannot construct a local datetime from {arg!r}")
    return LocalDateTime(source_day, time_of(arg) or 0)


def _subsecond_nanos(fields: Mapping[str, Any]) -> int:
    total = 0
    for name, scale, high in (
        ("millisecond", 1_000_000, 999),
        ("microsecond", 1000, 999_999),
        ("nanosecond", 1, 999_999_999),
    ):
        if name in fields:
            total += int_field(fields, name, 0, high) * scale
    return total


def _from_epoch_fields(fields: dict[str, Any], zone: Zone) -> DateTime:
    limit = 2**63 - 1
    if "epochseconds" in fields:
        if "epochmillis" in fields:
            raise argument_error("give epochSeconds or epochMillis, not both")
        base = int_field(fields, "epochseconds", -limit, limit) * _NS
    else:
        base = int_field(fields, "epochmillis", -limit, limit) * 1_000_000
    reject(
        fields,
        frozenset({"epochseconds", "epochmillis"}) | TIME_FIELDS - {"hour", "minute", "second"},
        "datetime",
    )
    return datetime_at_instant(base + _subsecond_nanos(fields), *zone)


def make_datetime(*args: Any) -> DateTime | None:
    """``datetime()``, ``(string)``, ``(map)``, ``(temporal)``; values without a zone are placed in UTC."""
    arg = _single(args, "datetime")
    if arg is MISSING:
        return current("datetime")  # type: ignore[return-value]
    if arg is None:
        return None
    if isinstance(arg, str):
        day, parsed = parse_datetime(arg)
        if parsed.zone is not None:
            return datetime_at_local(day, parsed.nano_of_day, None, parsed.zone, preferred=parsed.offset)
        offset = parsed.offset
        if offset is None:
            return datetime_at_local(day, parsed.nano_of_day, *default_zone())
        return DateTime(day, parsed.nano_of_day, offset, None)
    if isinstance(arg, Mapping):
        fields = normalize_map(arg)
        if not fields or _only_timezone(fields):
            return current("datetime", timezone=fields)  # type: ignore[return-value]
        target = zone_arg(fields.pop("timezone")) if "timezone" in fields else None
        if "epochseconds" in fields or "epochmillis" in fields:
            return _from_epoch_fields(fields, target or default_zone())
        reject(fields, DATE_FIELDS | TIME_FIELDS | {"date", "time", "datetime"}, "datetime")
        day, nanos, base_zone = _date_and_time(fields)
        if base_zone is None:
            return datetime_at_local(day, nanos, *(target or default_zone()))
        value = datetime_at_local(day, nanos, base_zone[0], base_zone[1], preferred=base_zone[0])
        return value if target is None else with_zone_same_instant(value, *target)
    if isinstance(arg, DateTime):
        return arg
    source_day = date_of(arg)
    if source_day is None:
        raise type_error(f"cannot construct a datetime from {arg!r}")
    return datetime_at_local(source_day, time_of(arg) or 0, *default_zone())


def datetime_from_epoch(seconds: Any, nanos: Any = 0) -> DateTime | None:
    """``datetime.fromepoch(seconds, nanoseconds)``, in UTC."""
    if seconds is None or nanos is None:
        return None
    for value in (seconds, nanos):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise type_error(f"datetime.fromepoch expects numbers, got {value!r}")
    return datetime_at_instant(int(seconds) * _NS + int(nanos), *default_zone())


def datetime_from_epoch_millis(millis: Any) -> DateTime | None:
    """``datetime.fromepochmillis(milliseconds)``, in UTC."""
    if millis is None:
        return None
    if isinstance(millis, bool) or not isinstance(millis, (int, float)):
        raise type_error(f"datetime.fromepochmillis expects a number, got {millis!r}")
    return datetime_at_instant(int(millis) * 1_000_000, *default_zone())


# ---------------------------------------------------------------- duration

_DURATION_FIELDS = frozenset(
    {
        "years",
        "quarters",
        "months",
        "weeks",
        "days",
        "hours",
        "minutes",
        "seconds",
        "milliseconds",
        "microseconds",
        "nanoseconds",
    }
)


def _duration_from_fields(raw: Mapping[Any, Any]) -> Duration:
    fields = normalize_map(raw, _DURATION_FIELDS)
    for name, value in fields.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise type_error(f"duration field {name} must be a number, got {value!r}")
    g = {name: fields.get(name, 0) for name in _DURATION_FIELDS}
    months = g["years"] * 12 + g["quarters"] * 3 + g["months"]
    days = g["weeks"] * 7 + g["days"]
    seconds = g["hours"] * 3600 + g["minutes"] * 60 + g["seconds"]
    nanos = g["milliseconds"] * 1_000_000 + g["microseconds"] * 1000 + g["nanoseconds"]
    if all(isinstance(v, int) for v in (months, days, seconds, nanos)):
        return Duration.of(months, days, seconds, nanos)
    return approximate(float(months), float(days), float(seconds), float(nanos))


def make_duration(*args: Any) -> Duration | None:
    """``duration(string)``, ``duration(map)`` or ``duration(duration)``."""
    arg = _single(args, "duration")
    if arg is MISSING:
        raise argument_error("duration() needs an argument")
    if arg is None:
        return None
    if isinstance(arg, str):
        return _duration_from_fields(parse_duration_parts(arg))
    if isinstance(arg, Mapping):
        return _duration_from_fields(arg)
    if isinstance(arg, Duration):
        return arg
    raise type_error(f"cannot construct a duration from {arg!r}")
