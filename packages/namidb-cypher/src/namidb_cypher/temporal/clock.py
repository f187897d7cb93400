"""The clocks behind ``date()``, ``datetime.transaction()``, ``.statement()`` and ``.realtime()``.

Cypher reads "now" from three clocks: the transaction's start, the statement's
start and the real wall clock. The executor pins the first two with
:func:`pinned_clock` for the duration of a statement, so every ``datetime()``
in one statement agrees; unpinned, they fall back to the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["DEFAULT_TIMEZONE", "now_nanos", "pinned_clock"]

DEFAULT_TIMEZONE = "Z"  # the zone of values built without one (Cypher's default is UTC)

_TRANSACTION: ContextVar[int | None] = ContextVar("namidb_cypher_transaction_clock", default=None)
_STATEMENT: ContextVar[int | None] = ContextVar("namidb_cypher_statement_clock", default=None)


def now_nanos(kind: str = "statement") -> int:
    """Nanoseconds since the epoch on clock ``kind``: ``transaction``, ``statement`` or ``realtime``."""
    if kind == "transaction":
        pinned = _TRANSACTION.get()
        if pinned is None:
            pinned = _STATEMENT.get()
    elif kind == "statement":
        pinned = _STATEMENT.get()
    else:
        pinned = None
    return time.time_ns() if pinned is None else pinned


@contextmanager
def pinned_clock(statement_nanos: int | None = None, transaction_nanos: int | None = None) -> Iterator[int]:
    """Fix the statement (and transaction) clocks inside the block; yields the statement time."""
    statement = time.time_ns() if statement_nanos is None else statement_nanos
    transaction = statement if transaction_nanos is None else transaction_nanos
    t1 = _STATEMENT.set(statement)
    t2 = _TRANSACTION.set(transaction)
    try:
        yield statement
    finally:
        _TRANSACTION.reset(t2)
        _STATEMENT.reset(t1)
