"""Canonical string forms, exactly as Cypher (Java's ``java.time``) prints them."""

from __future__ import annotations

from namidb_cypher.temporal import calendar as cal

__all__ = ["format_year", "format_date", "format_time", "format_duration"]


def format_year(year: int) -> str:
    """Four digits (``0028``, ``-0005``); a ``+`` sign above 9999 (``+10000``)."""
    if abs(year) < 1000:
        return f"-{-year:04d}" if year < 0 else f"{year:04d}"
    return f"+{year}" if year > 9999 else str(year)


def format_date(epoch_day: int) -> str:
    """``yyyy-MM-dd``."""
    year, month, day = cal.civil_from_days(epoch_day)
    return f"{format_year(year)}-{month:02d}-{day:02d}"


def _fraction(nanos: int) -> str:
    # Milli-, micro- or nanosecond precision, whichever is the shortest exact form (LocalTime.toString).
    if nanos % 1_000_000 == 0:
        return f".{nanos // 1_000_000:03d}"
    if nanos % 1000 == 0:
        return f".{nanos // 1000:06d}"
    return f".{nanos:09d}"


def format_time(nano_of_day: int) -> str:
    """``HH:mm``, ``HH:mm:ss`` or ``HH:mm:ss.fff[fff[fff]]`` (seconds shown only when non-zero)."""
    seconds, nanos = divmod(nano_of_day, cal.NANOS_PER_SECOND)
    hour, rest = divmod(seconds, 3600)
    minute, second = divmod(rest, 60)
    text = f"{hour:02d}:{minute:02d}"
    if second or nanos:
        text += f":{second:02d}"
        if nanos:
            text += _fraction(nanos)
    return text


def _java_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _java_mod(a: int, b: int) -> int:
    return a - b * _java_div(a, b)


def _nanos_digits(nanos: int) -> str:
    return "." + f"{abs(nanos):09d}".rstrip("0")


def format_duration(months: int, days: int, seconds: int, nanos: int) -> str:
    """ISO-8601 duration as Cypher prints it: ``P1Y2M3DT4H5M6.7S``, components signed individually.

    ``seconds``/``nanos`` are normalized with ``0 <= nanos < 1e9``; a negative
    time part is printed with its sign on every component (``PT-1M-0.001S``).
    """
    out = ["P"]
    years = _java_div(months, 12)
    if years:
        out.append(f"{years}Y")
    if _java_mod(months, 12):
        out.append(f"{_java_mod(months, 12)}M")
    if days:
        out.append(f"{days}D")
    if seconds or nanos:
        s, n = seconds, nanos
        if s < 0 and n:
            s += 1
            n -= cal.NANOS_PER_SECOND
        out.append("T")
        hours = _java_div(s, 3600)
        if hours:
            out.append(f"{hours}H")
        s = _java_mod(s, 3600)
        minutes = _java_div(s, 60)
        if minutes:
            out.append(f"{minutes}M")
        s = _java_mod(s, 60)
        if s:
            out.append(f"{s}{_nanos_digits(n) if n else ''}S")
        elif n:
            out.append(f"{'-' if n < 0 else ''}0{_nanos_digits(n)}S")
    if len(out) == 1:
        return "PT0S"
    return "".join(out)
