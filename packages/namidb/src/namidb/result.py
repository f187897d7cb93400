"""``QueryResult``: the rows of one Cypher statement, in several shapes.

Values follow the type-mapping table of the Python API page: ``None``, ``bool``,
``int``, ``float``, ``str``, ``bytes``, ``list``, ``dict``, ``datetime.date``,
UTC ``datetime.datetime``; nodes are ``{"_kind": "node", "id", "label",
"labels", "properties"}``, relationships ``{"_kind": "rel", "id", "edge_type",
"src", "dst", "properties"}`` and paths alternating lists of both.

``to_arrow()`` never fails on a value: a column whose values Arrow can type as
one type (including nodes and relationships, as structs) keeps that type; a
column of Cypher durations (or of temporal values beyond Python's years
1-9999) takes the lossless encoding of :mod:`namidb_cypher.temporal.arrow`
(a duration is ``struct<months, days, seconds, nanos>``); a column that mixes
types (``[1, 'a']``, an int beside a string) becomes a string column of each
value's JSON text (temporal values in Cypher's string form), and its field
carries the metadata ``namidb.encoding = json`` so a reader can tell.
"""

from __future__ import annotations

import base64
import datetime
import json
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    import pandas
    import polars

__all__ = ["QueryResult", "arrow_column"]

_JSON_ENCODING = {b"namidb.encoding": b"json"}


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if "namidb_cypher" in sys.modules:
        from namidb_cypher.temporal import Temporal

        if isinstance(getattr(value, "cypher", value), Temporal):
            return str(value)  # a Cypher temporal value, or its datetime form: Cypher's string form
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def arrow_column(name: str, values: list[Any]) -> tuple[pa.Field, pa.Array]:
    """One result column as Arrow: its inferred type, else the fallbacks of the module docstring."""
    try:
        array = pa.array(values)
        return pa.field(name, array.type), array
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        pass
    temporal = _temporal_array(values)
    if temporal is not None:
        return pa.field(name, temporal.type), temporal
    text = [None if v is None else json.dumps(v, default=_json_default, sort_keys=True) for v in values]
    return pa.field(name, pa.string(), metadata=_JSON_ENCODING), pa.array(text, pa.string())


def _temporal_array(values: Sequence[Any]) -> pa.Array | None:
    """Cypher temporal values of one type (user-facing or Cypher form) in the lossless Arrow encoding.

    None when some value is not temporal, the types differ, or every value is
    null (the caller then falls back as the module docstring says).
    """
    if all(v is None for v in values) or "namidb_cypher" not in sys.modules:
        return None  # no temporal value can exist before the Cypher stack is loaded
    from namidb._temporal import from_user
    from namidb_cypher.errors import CypherArgumentError, CypherTypeError
    from namidb_cypher.temporal import Temporal
    from namidb_cypher.temporal.arrow import to_arrow

    cypher = [None if v is None else from_user(v) for v in values]
    if not all(v is None or isinstance(v, Temporal) for v in cypher):
        return None
    try:
        return to_arrow(cypher)
    except (CypherTypeError, CypherArgumentError):  # several temporal types in one column, or out of range
        return None


class QueryResult:
    """The result of one statement: ordered column names and rows.

    Args:
        columns: the column names, in RETURN order (present even with no rows).
        rows: one tuple of values per row, aligned with ``columns``.
    """

    __slots__ = ("_columns", "_rows", "profile")

    def __init__(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]] = (),
        profile: list[dict[str, Any]] | None = None,
    ) -> None:
        #: For ``PROFILE`` statements: one dict per plan operator with ``rows``, ``time_ms`` and ``calls``.
        self.profile = profile
        self._columns = list(columns)
        self._rows = [tuple(r) for r in rows]
        for r in self._rows:
            if len(r) != len(self._columns):
                raise ValueError(f"row {r!r} has {len(r)} values for {len(self._columns)} columns")

    @classmethod
    def from_arrow(cls, table: pa.Table) -> QueryResult:
        """Build a result from a pyarrow Table (column names become the columns)."""
        cols = [c.to_pylist() for c in table.columns]
        return cls(table.column_names, list(zip(*cols, strict=True)) if cols else [])

    @property
    def columns(self) -> list[str]:
        """The column names in RETURN order (a copy)."""
        return list(self._columns)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows())

    def __bool__(self) -> bool:
        return bool(self._rows)

    def first(self) -> dict[str, Any] | None:
        """The first row as a dict, or ``None`` when there are no rows."""
        if not self._rows:
            return None
        return dict(zip(self._columns, self._rows[0], strict=True))

    def rows(self) -> list[dict[str, Any]]:
        """Every row as a ``{column: value}`` dict."""
        cols = self._columns
        return [dict(zip(cols, r, strict=True)) for r in self._rows]

    def values(self) -> list[tuple[Any, ...]]:
        """Every row as a tuple aligned with :attr:`columns`."""
        return list(self._rows)

    def to_arrow(self) -> pa.Table:
        """The rows as a ``pyarrow.Table`` (see the module docstring for mixed-type columns)."""
        fields, arrays = [], []
        for i, name in enumerate(self._columns):
            field, array = arrow_column(name, [r[i] for r in self._rows])
            fields.append(field)
            arrays.append(array)
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a ``pandas.DataFrame`` (needs the ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("QueryResult.to_pandas() needs pandas: pip install 'namidb[pandas]'") from e
        return pd.DataFrame(self.values(), columns=self._columns)

    def to_polars(self) -> polars.DataFrame:
        """The rows as a ``polars.DataFrame`` (needs the ``polars`` extra)."""
        try:
            import polars as pl
        except ImportError as e:
            raise ImportError("QueryResult.to_polars() needs polars: pip install 'namidb[polars]'") from e
        return pl.from_arrow(self.to_arrow())  # type: ignore[return-value]

    def __repr__(self) -> str:
        n = len(self._rows)
        return f"<QueryResult {n} row{'s' if n != 1 else ''} columns={self._columns!r}>"
