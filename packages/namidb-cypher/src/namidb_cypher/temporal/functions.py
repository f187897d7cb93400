"""``FUNCTIONS``: the temporal function library, keyed by lower-case Cypher name.

``date``, ``localtime``, ``time``, ``localdatetime``, ``datetime`` and
``duration`` construct; ``<type>.transaction`` / ``.statement`` /
``.realtime`` read a clock (optionally in a zone); ``<type>.truncate``
truncates; ``datetime.fromepoch`` / ``fromepochmillis`` convert epoch counts;
``duration.between`` / ``inMonths`` / ``inDays`` / ``inSeconds`` measure.
Every function returns ``None`` for a ``null`` argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from namidb_cypher.temporal.between import between, in_days, in_months, in_seconds
from namidb_cypher.temporal.construct import (
    MISSING,
    current,
    datetime_from_epoch,
    datetime_from_epoch_millis,
    make_date,
    make_datetime,
    make_duration,
    make_localdatetime,
    make_localtime,
    make_time,
)
from namidb_cypher.temporal.truncate import truncate

__all__ = ["FUNCTIONS"]


def _clock(kind: str, clock: str) -> Callable[..., Any]:
    def read(timezone: Any = MISSING) -> Any:
        return current(kind, clock, timezone)

    read.__name__ = f"{kind}_{clock}"
    read.__doc__ = f"``{kind}.{clock}([timezone])``: the current {kind} on the {clock} clock."
    return read


def _truncate(kind: str) -> Callable[..., Any]:
    def cut(unit: Any, value: Any, overrides: Any = None) -> Any:
        return truncate(kind, unit, value, overrides)

    cut.__name__ = f"{kind}_truncate"
    cut.__doc__ = f"``{kind}.truncate(unit, value[, map])``."
    return cut


_CONSTRUCTORS: dict[str, Callable[..., Any]] = {
    "date": make_date,
    "localtime": make_localtime,
    "time": make_time,
    "localdatetime": make_localdatetime,
    "datetime": make_datetime,
}

FUNCTIONS: dict[str, Callable[..., Any]] = {
    **_CONSTRUCTORS,
    "duration": make_duration,
    "datetime.fromepoch": datetime_from_epoch,
    "datetime.fromepochmillis": datetime_from_epoch_millis,
    "duration.between": between,
    "duration.inmonths": in_months,
    "duration.indays": in_days,
    "duration.inseconds": in_seconds,
}
for _kind in _CONSTRUCTORS:
    for _clock_name in ("transaction", "statement", "realtime"):
        FUNCTIONS[f"{_kind}.{_clock_name}"] = _clock(_kind, _clock_name)
    FUNCTIONS[f"{_kind}.truncate"] = _truncate(_kind)
del _kind, _clock_name
