"""Frames: the batches of columns that flow between operators.

A :class:`Frame` is a set of named, equally long :class:`Column`\\ s. Entity
columns (``node``, ``rel``) hold dense int64 ids with ``-1`` for null (an
OPTIONAL MATCH that found nothing); ``path`` and ``rels`` columns hold small
tuples of ids; ``value`` columns hold a typed pyarrow array when every value
shares one type, else a numpy object array of Python values. Operators move
whole columns with ``take``/``filter``/``repeat`` — never a dict per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from namidb_cypher.graph.txgraph import make_column

__all__ = ["Column", "Frame", "Kind", "constant", "values_column"]

Kind = Literal["node", "rel", "value", "path", "rels"]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its kind and its data (see the module docstring)."""

    kind: Kind
    data: Any  # np.ndarray (entities, object values) or pa.Array (typed values)

    def __len__(self) -> int:
        return len(self.data)

    def take(self, index: IntArray) -> Column:
        """Rows ``index`` of the column (``-1`` in ``index`` gives null)."""
        if self.kind in ("node", "rel"):
            if len(index) and index.min() < 0:
                out = np.full(len(index), -1, dtype=np.int64)
                ok = index >= 0
                out[ok] = self.data[index[ok]]
                return Column(self.kind, out)
            return Column(self.kind, self.data[index])
        if isinstance(self.data, pa.Array):
            if len(index) and index.min() < 0:
                idx = pa.array(index, mask=index < 0)
                return Column(self.kind, self.data.take(idx))
            return Column(self.kind, self.data.take(pa.array(index, type=pa.int64())))
        out_obj = np.empty(len(index), dtype=object)
        if len(index):
            ok = index >= 0
            out_obj[ok] = self.data[index[ok]]
        return Column(self.kind, out_obj)

    def to_list(self) -> list[Any]:
        """The column as Python values (entity columns: ids, with None for null)."""
        if self.kind in ("node", "rel"):
            return [None if i < 0 else i for i in self.data.tolist()]
        if isinstance(self.data, pa.Array):
            values: list[Any] = self.data.to_pylist()
            return values
        return list(self.data)

    def null_mask(self) -> npt.NDArray[np.bool_]:
        """True where the value is null."""
        if self.kind in ("node", "rel"):
            return np.asarray(self.data < 0)
        if isinstance(self.data, pa.Array):
            return np.asarray(self.data.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        return np.fromiter((v is None for v in self.data), dtype=bool, count=len(self.data))


def values_column(values: Sequence[Any]) -> Column:
    """A value column from Python values."""
    return Column("value", make_column(values))


def constant(value: Any, n: int) -> Column:
    """A value column repeating one value ``n`` times."""
    if value is None:
        return Column("value", pa.nulls(n))
    if isinstance(value, (bool, int, float, str)):
        try:
            return Column("value", pa.array([value] * n) if n < 64 else pa.repeat(value, n))
        except (AttributeError, pa.ArrowException, OverflowError):
            pass
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = value
    return Column("value", out)


class Frame:
    """Named columns of one length; column order is the order they were bound."""

    __slots__ = ("columns", "n")

    def __init__(self, columns: Mapping[str, Column], n: int) -> None:
        self.columns: dict[str, Column] = dict(columns)
        self.n = n

    @classmethod
    def unit(cls) -> Frame:
        """One row, no columns: where a query starts."""
        return cls({}, 1)

    def __len__(self) -> int:
        return self.n

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __getitem__(self, name: str) -> Column:
        return self.columns[name]

    def with_column(self, name: str, column: Column) -> Frame:
        """A frame with ``name`` added or replaced."""
        cols = dict(self.columns)
        cols[name] = column
        return Frame(cols, self.n)

    def take(self, index: IntArray) -> Frame:
        """Rows ``index`` of every column."""
        return Frame({k: c.take(index) for k, c in self.columns.items()}, len(index))

    def filter(self, mask: npt.NDArray[np.bool_]) -> Frame:
        """The rows where ``mask`` is true."""
        if mask.all():
            return self
        return self.take(np.flatnonzero(mask).astype(np.int64))

    def select(self, names: Sequence[str]) -> Frame:
        """Only ``names``, in that order."""
        return Frame({k: self.columns[k] for k in names}, self.n)

    @staticmethod
    def concat(frames: Sequence[Frame], names: Sequence[str]) -> Frame:
        """Stack frames with the same columns."""
        n = sum(f.n for f in frames)
        cols: dict[str, Column] = {}
        for name in names:
            parts = [f.columns[name] for f in frames]
            # A part that is all null (an OPTIONAL MATCH miss, an empty aggregate) takes any kind.
            kinds = {p.kind for p in parts if not (p.kind == "value" and p.null_mask().all())}
            kind = kinds.pop() if len(kinds) == 1 else ("value" if kinds else parts[0].kind)
            if kind in ("node", "rel", "path", "rels"):
                parts = [p if p.kind == kind else _null_column(kind, len(p)) for p in parts]
            if kind in ("node", "rel"):
                cols[name] = Column(
                    kind, np.concatenate([p.data for p in parts]) if parts else np.empty(0, np.int64)
                )
            elif kind == "value" and (typed := _concat_typed(parts)) is not None:
                cols[name] = Column(kind, typed)  # one Arrow concatenation, no Python per row
            else:
                values: list[Any] = []
                for p in parts:
                    values.extend(p.to_list())
                cols[name] = Column(kind, make_column(values) if kind == "value" else _objects(values))
        return Frame(cols, n)


def _concat_typed(parts: Sequence[Column]) -> pa.Array | None:
    """The parts as one Arrow array when they share one type (all-null parts take it), else None."""
    arrays = [p.data for p in parts]
    if not arrays or not all(isinstance(a, pa.Array) for a in arrays):
        return None
    types = {a.type for a in arrays if not pa.types.is_null(a.type)}
    if len(types) > 1:
        return None
    target = types.pop() if types else pa.null()
    return pa.concat_arrays([a if a.type == target else pa.nulls(len(a), target) for a in arrays])


def _null_column(kind: Kind, n: int) -> Column:
    if kind in ("node", "rel"):
        return Column(kind, np.full(n, -1, dtype=np.int64))
    return Column(kind, np.full(n, None, dtype=object))


def _objects(values: Sequence[Any]) -> npt.NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values) if values else []
    return out
