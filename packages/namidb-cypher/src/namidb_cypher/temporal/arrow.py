"""Temporal columns as pyarrow arrays, losslessly (nanoseconds, offsets and zone names kept).

One Arrow type per Cypher type, built from Arrow's own temporal types where
they fit so other tools read the columns naturally:

=================  ==================================================================
DATE               ``date32`` (days since the epoch; ±5.8 million years)
LOCAL TIME         ``time64[ns]``
TIME               ``struct<time: time64[ns], offset: int32>`` (offset in seconds)
LOCAL DATETIME     ``struct<date: date32, time: time64[ns]>``
DATETIME           ``struct<date: date32, time: time64[ns], offset: int32, zone: string>``
DURATION           ``struct<months: int64, days: int64, seconds: int64, nanos: int32>``
=================  ==================================================================

Local date and time are stored (not the instant) so a value comes back exactly
as it went in, named zone included. Nulls stay nulls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from namidb_core.values import one_chunk
from namidb_cypher.temporal.errors import argument_error, type_error
from namidb_cypher.temporal.types import (
    TYPE_BY_NAME,
    Date,
    Duration,
    LocalTime,
    Temporal,
)

__all__ = ["ARROW_TYPES", "to_arrow", "from_arrow"]

_TIME_NS = pa.time64("ns")
ARROW_TYPES: dict[str, pa.DataType] = {
    "DATE": pa.date32(),
    "LOCAL TIME": _TIME_NS,
    "TIME": pa.struct([("time", _TIME_NS), ("offset", pa.int32())]),
    "LOCAL DATETIME": pa.struct([("date", pa.date32()), ("time", _TIME_NS)]),
    "DATETIME": pa.struct(
        [("date", pa.date32()), ("time", _TIME_NS), ("offset", pa.int32()), ("zone", pa.string())]
    ),
    "DURATION": pa.struct(
        [("months", pa.int64()), ("days", pa.int64()), ("seconds", pa.int64()), ("nanos", pa.int32())]
    ),
}
_BY_TYPE = {str(arrow_type): name for name, arrow_type in ARROW_TYPES.items()}


def _kind_of(values: Sequence[Temporal | None]) -> str:
    kinds = {v.cypher_type_name for v in values if v is not None}
    if len(kinds) > 1:
        raise type_error(f"a temporal column holds one type, got {sorted(kinds)}")
    if not kinds:
        raise argument_error("cannot infer the type of an all-null temporal column; pass kind=")
    return kinds.pop()


def to_arrow(values: Sequence[Temporal | None], kind: str | None = None) -> pa.Array:
    """An Arrow array of temporal values of one type (``kind`` is its ``cypher_type_name``)."""
    kind = kind or _kind_of(values)
    cls = TYPE_BY_NAME.get(kind)
    if cls is None:
        raise argument_error(f"unknown temporal type {kind!r}")
    for v in values:
        if v is not None and type(v) is not cls:
            raise type_error(f"expected {kind}, got {v.cypher_type_name}")
    arrow_type = ARROW_TYPES[kind]
    mask = pa.array([v is None for v in values], pa.bool_())

    def column(attr: str, typ: pa.DataType) -> pa.Array:
        return pa.array([getattr(v, attr) if v is not None else None for v in values], typ)

    try:
        if kind == "DATE":
            return column("epoch_day", arrow_type)
        if kind == "LOCAL TIME":
            return column("nano_of_day", arrow_type)
        if kind == "TIME":
            fields = [column("nano_of_day", _TIME_NS), column("offset", pa.int32())]
        elif kind == "LOCAL DATETIME":
            fields = [column("epoch_day", pa.date32()), column("nano_of_day", _TIME_NS)]
        elif kind == "DATETIME":
            fields = [
                column("epoch_day", pa.date32()),
                column("nano_of_day", _TIME_NS),
                column("offset", pa.int32()),
                column("zone", pa.string()),
            ]
        else:
            fields = [
                column("months", pa.int64()),
                column("days", pa.int64()),
                column("seconds", pa.int64()),
                column("nanos", pa.int32()),
            ]
    except (pa.ArrowInvalid, OverflowError) as exc:
        raise argument_error(f"{kind} value out of the column's range: {exc}") from None
    return pa.StructArray.from_arrays(fields, fields=list(arrow_type), mask=mask)


def from_arrow(array: pa.Array | pa.ChunkedArray) -> list[Any]:
    """The temporal values (``None`` for nulls) of an array made by :func:`to_arrow`."""
    array = one_chunk(array)
    kind = _BY_TYPE.get(str(array.type))
    if kind is None:
        raise type_error(f"not a temporal column: {array.type}")
    valid = array.is_valid().to_pylist()
    if kind in ("DATE", "LOCAL TIME"):
        raw = array.cast(pa.int32() if kind == "DATE" else pa.int64()).to_pylist()
        simple: type[Date] | type[LocalTime] = Date if kind == "DATE" else LocalTime
        return [simple(r) if ok else None for r, ok in zip(raw, valid, strict=True)]
    columns = []
    for i, field in enumerate(array.type):
        child = array.field(i)
        if pa.types.is_date32(field.type):
            child = child.cast(pa.int32())
        elif pa.types.is_time64(field.type):
            child = child.cast(pa.int64())
        columns.append(child.to_pylist())
    rows = zip(*columns, strict=True)
    cls = TYPE_BY_NAME[kind]
    if kind == "DURATION":
        return [Duration.of(*row) if ok else None for row, ok in zip(rows, valid, strict=True)]
    return [cls(*row) if ok else None for row, ok in zip(rows, valid, strict=True)]
