"""Proleptic Gregorian calendar arithmetic on plain integers.

Cypher dates span years -999,999,999 .. +999,999,999, far beyond what
:mod:`datetime` can hold, so every date is an *epoch day* (days since
1970-01-01) and the conversions below are exact integer formulas (Howard
Hinnant's ``days_from_civil``) valid for any year.
"""

from __future__ import annotations

__all__ = [
    "MIN_YEAR",
    "MAX_YEAR",
    "NANOS_PER_SECOND",
    "NANOS_PER_DAY",
    "SECONDS_PER_DAY",
    "is_leap",
    "days_in_month",
    "days_in_year",
    "days_from_civil",
    "civil_from_days",
    "day_of_week",
    "iso_week",
    "weeks_in_week_year",
    "days_from_week_date",
    "days_from_ordinal",
    "quarter_start_month",
    "days_from_quarter",
    "proleptic_month",
    "plus_months",
]

MIN_YEAR = -999_999_999
MAX_YEAR = 999_999_999
NANOS_PER_SECOND = 1_000_000_000
SECONDS_PER_DAY = 86_400
NANOS_PER_DAY = SECONDS_PER_DAY * NANOS_PER_SECOND

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int) -> bool:
    """Whether ``year`` is a Gregorian leap year."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Number of days of ``month`` (1-12) in ``year``."""
    if month == 2 and is_leap(year):
        return 29
    return _MONTH_DAYS[month - 1]


def days_in_year(year: int) -> int:
    """365 or 366."""
    return 366 if is_leap(year) else 365


def days_from_civil(year: int, month: int, day: int) -> int:
    """Epoch day (days since 1970-01-01) of a valid calendar date."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """``(year, month, day)`` of an epoch day."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def day_of_week(days: int) -> int:
    """ISO day of week of an epoch day: Monday = 1 .. Sunday = 7 (1970-01-01 was a Thursday)."""
    return (days + 3) % 7 + 1


def iso_week(days: int) -> tuple[int, int]:
    """``(week_year, week)`` of an epoch day (ISO-8601: weeks start Monday, week 1 holds January 4)."""
    thursday = days - day_of_week(days) + 4
    week_year = civil_from_days(thursday)[0]
    return week_year, (thursday - days_from_civil(week_year, 1, 1)) // 7 + 1


def _week_one_monday(week_year: int) -> int:
    jan4 = days_from_civil(week_year, 1, 4)
    return jan4 - day_of_week(jan4) + 1


def weeks_in_week_year(week_year: int) -> int:
    """52 or 53."""
    return iso_week(days_from_civil(week_year, 12, 28))[1]


def days_from_week_date(week_year: int, week: int, dow: int) -> int:
    """Epoch day of ISO week date ``week_year``-W``week``-``dow`` (caller validates the ranges)."""
    return _week_one_monday(week_year) + (week - 1) * 7 + (dow - 1)


def days_from_ordinal(year: int, ordinal_day: int) -> int:
    """Epoch day of the ``ordinal_day``-th day (1-based) of ``year``."""
    return days_from_civil(year, 1, 1) + ordinal_day - 1


def quarter_start_month(quarter: int) -> int:
    """First month (1, 4, 7, 10) of ``quarter`` (1-4)."""
    return (quarter - 1) * 3 + 1


def days_from_quarter(year: int, quarter: int, day_of_quarter: int) -> int:
    """Epoch day of the ``day_of_quarter``-th day (1-based) of ``quarter`` in ``year``."""
    return days_from_civil(year, quarter_start_month(quarter), 1) + day_of_quarter - 1


def proleptic_month(year: int, month: int) -> int:
    """Months since year 0, January (so month differences are plain subtraction)."""
    return year * 12 + month - 1


def plus_months(days: int, months: int) -> int:
    """Add calendar months to an epoch day, clamping the day to the target month's length (like Java)."""
    if months == 0:
        return days
    year, month, day = civil_from_days(days)
    total = proleptic_month(year, month) + months
    year, month = divmod(total, 12)
    month += 1
    return days_from_civil(year, month, min(day, days_in_month(year, month)))
