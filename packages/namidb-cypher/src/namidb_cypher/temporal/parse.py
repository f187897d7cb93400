"""Parsing the ISO-8601 string forms Cypher accepts for each temporal type.

Dates: calendar (``2015-07-21``, ``20150721``, ``2015-07``, ``201507``), week
(``2015-W30-2``, ``2015W302``, ``2015-W30``), ordinal (``2015-202``,
``2015202``), quarter (``2015-Q3``, ``2015-Q3-45``) and year only (``2015``),
with a signed year of up to nine digits (``+999999999-12-31``). Times:
``21:40:32.142`` or basic ``214032.142``, minutes and seconds optional, with an
optional offset (``Z``, ``+01``, ``+0100``, ``+01:00``, ``+01:00:30``) and, for
datetimes, a region in brackets (``[Europe/Stockholm]``). Durations:
``P1Y2M3W4DT5H6M7.8S`` (any component signed or fractional) and the
alternative form ``P2012-02-02T14:37:21.545``.

The parsers return plain integers (epoch days, nanoseconds of day, offsets);
:mod:`namidb_cypher.temporal.construct` turns them into values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from namidb_cypher.temporal import calendar as cal
from namidb_cypher.temporal.errors import argument_error
from namidb_cypher.temporal.zones import parse_offset, zone

__all__ = ["ParsedTime", "parse_date", "parse_time", "parse_datetime", "parse_duration_parts"]

_YEAR = r"(?P<year>[0-9]{4}|[+-][0-9]{1,9})"
_DATE = (
    _YEAR + r"(?:"
    r"-(?P<month>[0-9]{1,2})(?:-(?P<day>[0-9]{1,2}))?"
    r"|(?P<bmonth>[0-9]{2})(?P<bday>[0-9]{2})?"
    r"|-?W(?P<week>[0-9]{2})(?:-?(?P<dow>[0-9]))?"
    r"|-?Q(?P<quarter>[0-9])(?:-?(?P<doq>[0-9]{1,2}))?"
    r"|-?(?P<ordinal>[0-9]{3})"
    r")?"
)
_TIME = (
    r"(?P<hour>[0-9]{2})(?:(?P<colon>:)?(?P<minute>[0-9]{2})"
    r"(?:(?(colon):)(?P<second>[0-9]{2})(?:[.,](?P<frac>[0-9]{1,9}))?)?)?"
)
_ZONE = r"(?P<offset>[Zz]|[+-][0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2})?)?)?(?:\[(?P<zone>[^\]]+)\])?"

_DATE_RE = re.compile(_DATE)
_TIME_RE = re.compile(_TIME + _ZONE)
_DATETIME_RE = re.compile(_DATE + r"(?:[Tt](?P<time>.+))?")


@dataclass(frozen=True, slots=True)
class ParsedTime:
    """A parsed time of day with what zone information the text carried."""

    nano_of_day: int
    offset: int | None
    zone: str | None


def _field(value: int, low: int, high: int, name: str, text: str) -> int:
    if not low <= value <= high:
        raise argument_error(f"invalid value {value} for {name} in {text!r}")
    return value


def parse_date(text: str) -> int:
    """Epoch day of an ISO date string."""
    match = _DATE_RE.fullmatch(text.strip())
    if match is None:
        raise argument_error(f"text cannot be parsed to a date: {text!r}")
    return _date_from_match(match, text)


def _date_from_match(m: re.Match[str], text: str) -> int:
    year = _field(int(m["year"]), cal.MIN_YEAR, cal.MAX_YEAR, "year", text)
    if m["week"] is not None:
        week = _field(int(m["week"]), 1, cal.weeks_in_week_year(year), "week", text)
        dow = _field(int(m["dow"] or 1), 1, 7, "dayOfWeek", text)
        return cal.days_from_week_date(year, week, dow)
    if m["ordinal"] is not None:
        ordinal = _field(int(m["ordinal"]), 1, cal.days_in_year(year), "ordinalDay", text)
        return cal.days_from_ordinal(year, ordinal)
    if m["quarter"] is not None:
        quarter = _field(int(m["quarter"]), 1, 4, "quarter", text)
        start = cal.days_from_civil(year, cal.quarter_start_month(quarter), 1)
        length = cal.plus_months(start, 3) - start
        return start + _field(int(m["doq"] or 1), 1, length, "dayOfQuarter", text) - 1
    month_text = m["month"] or m["bmonth"]
    day_text = m["day"] or m["bday"]
    month = _field(int(month_text or 1), 1, 12, "month", text)
    day = _field(int(day_text or 1), 1, cal.days_in_month(year, month), "day", text)
    return cal.days_from_civil(year, month, day)


def _time_from_match(m: re.Match[str], text: str) -> ParsedTime:
    hour = _field(int(m["hour"]), 0, 23, "hour", text)
    minute = _field(int(m["minute"] or 0), 0, 59, "minute", text)
    second = _field(int(m["second"] or 0), 0, 59, "second", text)
    frac = m["frac"] or ""
    nanos = int(frac.ljust(9, "0")) if frac else 0
    nano_of_day = ((hour * 60 + minute) * 60 + second) * cal.NANOS_PER_SECOND + nanos
    offset = parse_offset(m["offset"]) if m["offset"] else None
    region = m["zone"]
    if region is not None:
        zone(region)  # validates the name
    return ParsedTime(nano_of_day, offset, region)


def parse_time(text: str) -> ParsedTime:
    """A time of day, with the offset / region the text names (``None`` when absent)."""
    match = _TIME_RE.fullmatch(text.strip())
    if match is None:
        raise argument_error(f"text cannot be parsed to a time: {text!r}")
    return _time_from_match(match, text)


def parse_datetime(text: str) -> tuple[int, ParsedTime]:
    """``(epoch_day, time)`` of ``<date>[T<time>]``; without a time part the time is midnight."""
    match = _DATETIME_RE.fullmatch(text.strip())
    if match is None:
        raise argument_error(f"text cannot be parsed to a datetime: {text!r}")
    epoch_day = _date_from_match(match, text)
    if match["time"] is None:
        return epoch_day, ParsedTime(0, None, None)
    time_match = _TIME_RE.fullmatch(match["time"])
    if time_match is None:
        raise argument_error(f"text cannot be parsed to a datetime: {text!r}")
    return epoch_day, _time_from_match(time_match, text)


_NUM = r"[-+]?[0-9]+(?:[.,][0-9]+)?"
_DURATION_RE = re.compile(
    rf"(?P<sign>[-+]?)P(?:(?P<years>{_NUM})Y)?(?:(?P<months>{_NUM})M)?(?:(?P<weeks>{_NUM})W)?(?:(?P<days>{_NUM})D)?"
    rf"(?:T(?:(?P<hours>{_NUM})H)?(?:(?P<minutes>{_NUM})M)?(?:(?P<seconds>{_NUM})S)?)?",
    re.IGNORECASE,
)
_DURATION_ALT_RE = re.compile(
    r"(?P<sign>[-+]?)P(?P<years>[0-9]{4})-?(?P<months>[0-9]{2})-?(?P<days>[0-9]{2})"
    r"T(?P<hours>[0-9]{2}):?(?P<minutes>[0-9]{2}):?(?P<seconds>[0-9]{2}(?:[.,][0-9]{1,9})?)",
    re.IGNORECASE,
)


def _number(text: str) -> int | float:
    text = text.replace(",", ".")
    return float(text) if "." in text else int(text)


def parse_duration_parts(text: str) -> dict[str, int | float]:
    """The components of an ISO duration, as a ``duration({...})`` map would give them.

    Seconds keep their fraction exactly: ``seconds`` is the integer part and
    ``nanoseconds`` the (signed) fraction, so ``PT-0.001S`` loses nothing.
    """
    stripped = text.strip()
    match = _DURATION_RE.fullmatch(stripped) or _DURATION_ALT_RE.fullmatch(stripped)
    if match is None or stripped.upper() in ("P", "PT", "-P", "+P") or stripped.upper().endswith("T"):
        raise argument_error(f"text cannot be parsed to a duration: {text!r}")
    negate = match["sign"] == "-"
    parts: dict[str, int | float] = {}
    for name in ("years", "months", "weeks", "days", "hours", "minutes"):
        raw = match.groupdict().get(name)
        if raw is not None:
            value = _number(raw)
            parts[name] = -value if negate else value
    raw_seconds = match["seconds"]
    if raw_seconds is not None:
        raw_seconds = raw_seconds.replace(",", ".")
        sign = -1 if raw_seconds.startswith("-") else 1
        whole, _, frac = raw_seconds.lstrip("+-").partition(".")
        if len(frac) > 9:
            raise argument_error(f"duration seconds have more than nanosecond precision: {text!r}")
        if negate:
            sign = -sign
        parts["seconds"] = sign * int(whole)
        if frac:
            parts["nanoseconds"] = sign * int(frac.ljust(9, "0"))
    return parts
