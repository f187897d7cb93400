"""Cypher's temporal values: ``Date``, ``LocalTime``, ``Time``, ``LocalDateTime``, ``DateTime``, ``Duration``.

A pure-Python library the executor calls into:

* :data:`FUNCTIONS` — the Cypher temporal functions by lower-case name
  (``date``, ``datetime.truncate``, ``duration.between`` ...);
* :func:`temporal_property` — ``value.year``, ``value.offsetMinutes`` ...;
* the value types' ``__cypher_add__`` / ``__cypher_sub__`` / ``__cypher_mul__``
  / ``__cypher_div__`` / ``__cypher_compare__`` hooks, ``order_key()`` and
  ``cypher_type_name``; ``str(value)`` is Cypher's canonical text;
* :func:`pinned_clock` — fix the statement/transaction clocks;
* :func:`from_python` / ``value.to_python()`` — conversion to and from :mod:`datetime`.
"""

from namidb_cypher.temporal.clock import pinned_clock
from namidb_cypher.temporal.components import temporal_property
from namidb_cypher.temporal.functions import FUNCTIONS
from namidb_cypher.temporal.pyconvert import from_python
from namidb_cypher.temporal.types import (
    TEMPORAL_TYPES,
    Date,
    DateTime,
    Duration,
    LocalDateTime,
    LocalTime,
    Temporal,
    Time,
)

__all__ = [
    "FUNCTIONS",
    "temporal_property",
    "pinned_clock",
    "from_python",
    "Temporal",
    "Date",
    "LocalTime",
    "Time",
    "LocalDateTime",
    "DateTime",
    "Duration",
    "TEMPORAL_TYPES",
]
