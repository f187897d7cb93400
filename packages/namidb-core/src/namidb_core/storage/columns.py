"""Property columns: Python rows → typed Arrow columns, and back.

A property key whose non-null values share one type across a batch becomes a
typed Arrow column (int64, double, bool, string, binary, date32,
timestamp[us, UTC], or a list of one of int64/double/string). Anything else
(mixed types, maps, nested or mixed lists) becomes a ``binary`` column of
:mod:`namidb_core.values` codec bytes whose field carries the metadata
``namidb.encoding = value``. The same convention holds in the memtable, in WAL
batch records and in SST Parquet files, so one set of helpers serves all.

Type detection runs per column with ``map(type, ...)`` (C speed), never a
Python loop per row; only codec columns encode row by row.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from namidb_core.errors import InvalidArgumentError
from namidb_core.values import (
    INT64_MAX,
    INT64_MIN,
    decode_value,
    encode_value,
    one_chunk,
    parse_id_text,
    parse_ids,
    validate_value,
)

__all__ = [
    "ENCODING_KEY",
    "RESERVED_PREFIX",
    "TS_UTC",
    "arrow_column_to_python",
    "cell_to_python",
    "check_property_key",
    "codec_field",
    "column_values",
    "id_column",
    "id_columns",
    "is_codec_field",
    "normalise_arrow_column",
    "rows_to_columns",
    "unify_columns",
    "values_to_arrow",
]

ENCODING_KEY = b"namidb.encoding"
RESERVED_PREFIX = "__"
TS_UTC = pa.timestamp("us", tz="UTC")

_SCALAR_TYPES: dict[type, pa.DataType] = {
    int: pa.int64(),
    float: pa.float64(),
    str: pa.string(),
    bool: pa.bool_(),
    bytes: pa.binary(),
    _dt.date: pa.date32(),
}
_LIST_ELEMENT_TYPES: dict[type, pa.DataType] = {int: pa.int64(), float: pa.float64(), str: pa.string()}
_NONE = type(None)


def check_property_key(key: Any, where: str) -> str:
    """Validate a property key: a non-empty str not starting with ``__`` (reserved)."""
    if not isinstance(key, str) or not key:
        raise InvalidArgumentError(f"{where}: property keys must be non-empty strings, got {key!r}")
    if key.startswith(RESERVED_PREFIX):
        raise InvalidArgumentError(
            f"{where}: property key {key!r} is reserved (keys may not start with '__')"
        )
    return key


def codec_field(name: str) -> pa.Field:
    """A binary field marked as holding codec-encoded values."""
    return pa.field(name, pa.binary(), metadata={ENCODING_KEY: b"value"})


def is_codec_field(field: pa.Field) -> bool:
    """Whether ``field`` holds codec-encoded values."""
    return bool(field.metadata) and field.metadata.get(ENCODING_KEY) == b"value"


def _codec_array(values: Sequence[Any], key: str, row_offset: int) -> pa.Array:
    encoded = [
        None if v is None else encode_value(v, f"row {row_offset + i}, property {key!r}")
        for i, v in enumerate(values)
    ]
    return pa.array(encoded, type=pa.binary())


def _dense_column(kind: type, values: list[Any]) -> pa.Array | None:
    """A null-free column of one scalar kind built through numpy, or None when that does not apply.

    Equal to ``pa.array(values, type=...)`` but it never calls ``pa.array``:
    that makes pyarrow import pandas on its first use in a process (0.2-0.5 s),
    which a bulk load of plain ints/floats/bools/ASCII strings need not pay.
    A None, an out-of-range int or a non-ASCII string returns None (the
    general path then builds or reports it).
    """
    n = len(values)
    try:
        if kind is int:
            ints = np.fromiter(values, dtype=np.int64, count=n)
            return pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(ints)])
        if kind is float:
            floats = np.fromiter(values, dtype=np.float64, count=n)
            return pa.Array.from_buffers(pa.float64(), n, [None, pa.py_buffer(floats)])
        if kind is bool:
            bits = np.packbits(np.fromiter(values, dtype=np.bool_, count=n), bitorder="little")
            return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bits)])
        if kind is str:
            data = "".join(values).encode("ascii")  # ASCII: one byte per character
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=n), out=offsets[1:])
            if offsets[-1] != len(data) or offsets[-1] >= 1 << 31:
                return None
            buffers = [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)]
            return pa.Array.from_buffers(pa.string(), n, buffers)
    except (TypeError, ValueError, OverflowError, UnicodeEncodeError):
        return None
    return None


def _column(values: list[Any], key: str, row_offset: int) -> tuple[pa.Field, pa.Array]:
    """Build one property column from Python values (None = absent)."""
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    if not kinds:
        return pa.field(key, pa.null()), pa.nulls(len(values))
    if len(kinds) == 1:
        (kind,) = kinds
        dense = _dense_column(kind, values) if len(values) >= 64 else None
        if dense is not None:
            return pa.field(key, _SCALAR_TYPES[kind]), dense
        if kind is int:
            try:
                return pa.field(key, pa.int64()), pa.array(values, type=pa.int64())
            except OverflowError:
                bad = next(
                    i for i, v in enumerate(values) if v is not None and not INT64_MIN <= v <= INT64_MAX
                )
                raise InvalidArgumentError(
                    f"row {row_offset + bad}, property {key!r}: integer {values[bad]} does not fit in int64"
                ) from None
        if kind is _dt.datetime:
            for i, v in enumerate(values):
                if v is not None and v.utcoffset() is None:
                    validate_value(v, f"row {row_offset + i}, property {key!r}")
            return pa.field(key, TS_UTC), pa.array(values, type=TS_UTC)
        scalar = _SCALAR_TYPES.get(kind)
        if scalar is not None:
            return pa.field(key, scalar), pa.array(values, type=scalar)
        if kind is list:
            elem_kinds = set(map(type, itertools.chain.from_iterable(v for v in values if v is not None)))
            if len(elem_kinds) == 1:
                (ek,) = elem_kinds
                et = _LIST_ELEMENT_TYPES.get(ek)
                if et is not None:
                    try:
                        return pa.field(key, pa.list_(et)), pa.array(values, type=pa.list_(et))
                    except OverflowError:
                        pass  # an out-of-range int: the codec path names the row
    return codec_field(key), _codec_array(values, key, row_offset)


def column_values(rows: Sequence[dict[str, Any]], key: str) -> list[Any]:
    """``[row.get(key) for row in rows]``, at C speed when every row has the key."""
    try:
        return list(map(itemgetter(key), rows))
    except KeyError:
        return [r.get(key) for r in rows]


#: Rows per slice when ids are parsed from dicts: the slice's text buffers (~1 MiB) are
#: reused from one slice to the next instead of faulting in fresh pages for the whole column.
ID_SLICE_ROWS = 32_768
#: Rows per ``str.join`` within a slice: its second pass (the copy) then finds the strings
#: its first pass (the lengths) brought into the core's cache (~350 KiB; ~8% faster here),
#: and the next key finds the same rows' dicts there.
_JOIN_ROWS = 4_096


def id_column(rows: Sequence[dict[str, Any]], key: str) -> np.ndarray:
    """``parse_ids(column_values(rows, key), key)``, reading each row's string once."""
    return id_columns(rows, (key,))[0]


def id_columns(
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    on_slice: Callable[[int, tuple[np.ndarray, ...]], None] | None = None,
) -> tuple[np.ndarray, ...]:
    """The id columns ``keys`` of ``rows``, parsed a slice of rows at a time.

    The strings are joined straight from the rows (no intermediate list) into
    one output array per key. ``on_slice(start, ids)``, when given, receives
    each slice's columns as soon as they are parsed (every row exactly once,
    in order), so sorting can start while later slices are parsed. A row
    without a key, a non-string or a malformed id falls back to the general
    path, which names the offending row.
    """
    n = len(rows)
    out = tuple(np.empty((n, 16), dtype=np.uint8) for _ in keys)
    start = 0
    while start < n:
        part = rows[start : start + ID_SLICE_ROWS]
        parsed = _fast_ids(part, keys)
        if parsed is None:
            return _general_ids(rows, keys, start, on_slice)
        for column, fast in zip(out, parsed, strict=True):
            column[start : start + len(part)] = fast
        if on_slice is not None:
            on_slice(start, tuple(parsed))
        start += len(part)
    for column in out:
        column.flags.writeable = False  # numpy_to_fixed16 may wrap it without a copy
    return out


def _general_ids(
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
    start: int,
    on_slice: Callable[[int, tuple[np.ndarray, ...]], None] | None,
) -> tuple[np.ndarray, ...]:
    """:func:`id_columns` the slow way (naming any offending row), from the slice at ``start`` on."""
    out = tuple(parse_ids(column_values(rows, key), key) for key in keys)
    if on_slice is not None:
        on_slice(start, tuple(column[start:] for column in out))
    return out


def _fast_ids(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[np.ndarray] | None:
    """Canonical UUID strings under ``keys`` → ``(n, 16)`` bytes each, else None (the general path decides).

    The keys are read a few thousand rows at a time, all keys of those rows
    together: the second key then finds the rows' dicts still in the core's
    cache (measured 25% faster than a whole slice per key).
    """
    getters = [itemgetter(key) for key in keys]
    pieces: list[list[str]] = [[] for _ in keys]
    try:
        for i in range(0, len(rows), _JOIN_ROWS):
            sub = rows[i : i + _JOIN_ROWS]
            for get, texts in zip(getters, pieces, strict=True):
                texts.append("\n".join(map(get, sub)))
    except (KeyError, TypeError):
        return None
    out = []
    for texts in pieces:
        fast = parse_id_text("\n".join(texts), len(rows))
        if fast is None:
            return None
        out.append(fast)
    return out


def rows_to_columns(
    rows: Sequence[dict[str, Any]],
    skip: Iterable[str] = (),
    *,
    row_offset: int = 0,
    key_counts: set[int] | None = None,
) -> tuple[list[pa.Field], list[pa.Array]]:
    """Turn the property part of ``rows`` into typed Arrow columns.

    ``skip`` names keys that are not properties (``id``, ``src``, ``dst``).
    A key missing from a row, or ``None``, is an absent property. Raises
    InvalidArgumentError naming the row and key of the first invalid value.
    ``key_counts``, when the caller has it, is ``set(map(len, rows))``.
    """
    skipped = set(skip)
    if not rows:
        return [], []
    # Usually every row has the same keys: then the first row's keys, a length
    # check and C-level itemgetter columns suffice. Otherwise fall back to the
    # union of keys and .get (a missing key is an absent property).
    first = list(rows[0])
    uniform = (set(map(len, rows)) if key_counts is None else key_counts) == {len(first)}
    columns: dict[str, list[Any]] = {}
    if uniform:
        try:
            for key in first:
                if key not in skipped:
                    columns[key] = list(map(itemgetter(key), rows))
        except KeyError:
            uniform = False
    if not uniform:
        keys: dict[str, None] = {}
        for shape in set(map(tuple, rows)):
            keys.update(dict.fromkeys(shape))
        columns = {key: [r.get(key) for r in rows] for key in keys if key not in skipped}
    fields: list[pa.Field] = []
    arrays: list[pa.Array] = []
    for key, values in columns.items():
        check_property_key(key, "property")
        field, arr = _column(values, key, row_offset)
        fields.append(field)
        arrays.append(arr)
    return fields, arrays


def normalise_arrow_column(field: pa.Field, arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Field, pa.Array]:
    """Bring a user-supplied Arrow column onto the stored type set.

    Small ints widen to int64, float32 to double, large/view strings to string,
    aware timestamps to ``timestamp[us, UTC]``; naive timestamps, unsigned
    64-bit values beyond int64 and other types raise InvalidArgumentError.
    """
    arr = one_chunk(arr)
    check_property_key(field.name, "column")
    t = arr.type
    name = field.name
    if is_codec_field(field):
        return codec_field(name), arr
    if pa.types.is_null(t):
        return pa.field(name, pa.null()), arr
    if pa.types.is_integer(t):
        if t == pa.uint64() and len(arr) and (pc.max(arr).as_py() or 0) > INT64_MAX:
            raise InvalidArgumentError(f"column {name!r}: unsigned values exceed int64")
        return pa.field(name, pa.int64()), arr.cast(pa.int64())
    if pa.types.is_floating(t):
        return pa.field(name, pa.float64()), arr.cast(pa.float64())
    if pa.types.is_boolean(t):
        return pa.field(name, t), arr
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return pa.field(name, pa.string()), arr.cast(pa.string())
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return pa.field(name, pa.binary()), arr.cast(pa.binary())
    if pa.types.is_date(t):
        return pa.field(name, pa.date32()), arr.cast(pa.date32())
    if pa.types.is_timestamp(t):
        if t.tz is None:
            raise InvalidArgumentError(
                f"column {name!r}: naive timestamps have no timezone; use an aware type "
                "(e.g. pa.timestamp('us', tz='UTC'))"
            )
        return pa.field(name, TS_UTC), arr.cast(TS_UTC)
    # lists, structs, maps...: round-trip through Python and the row builder.
    f, a = _column(arr.to_pylist(), name, 0)
    return f, a


def arrow_column_to_python(field: pa.Field, arr: pa.Array | pa.ChunkedArray) -> list[Any]:
    """Decode a stored column to Python values (codec columns decoded)."""
    values: list[Any] = arr.to_pylist()
    if is_codec_field(field):
        return [None if v is None else decode_value(v) for v in values]
    if pa.types.is_timestamp(field.type):
        return [None if v is None else v.replace(tzinfo=_dt.timezone.utc) for v in values]
    return values


def cell_to_python(field: pa.Field, arr: pa.Array | pa.ChunkedArray, row: int) -> Any:
    """One stored cell as a Python value (codec decoded, timestamps with ``timezone.utc``)."""
    v = arr[row].as_py()
    if v is None:
        return None
    if is_codec_field(field):
        return decode_value(v)
    if isinstance(v, _dt.datetime):
        return v.replace(tzinfo=_dt.timezone.utc)
    return v


def _to_codec(field: pa.Field, arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    arr = one_chunk(arr)
    if is_codec_field(field):
        return arr
    values = arrow_column_to_python(field, arr)
    return _codec_array(values, field.name, 0)


def unify_columns(
    parts: Sequence[tuple[pa.Field | None, pa.Array | pa.ChunkedArray | None, int]],
) -> tuple[pa.Field, pa.ChunkedArray]:
    """Concatenate one property's column across several tables.

    Each part is ``(field, array, length)``; a ``None`` field means the part
    lacks the property (all absent). Parts of one type concatenate as is; a
    type mix falls back to a codec column so no value is ever coerced.
    """
    name = next(f.name for f, _, _ in parts if f is not None)
    types = {
        f.type
        for f, _, _ in parts
        if f is not None and not pa.types.is_null(f.type) and not is_codec_field(f)
    }
    codec = any(f is not None and is_codec_field(f) for f, _, _ in parts)
    if not codec and len(types) <= 1:
        t = next(iter(types)) if types else pa.null()
        chunks = [pa.nulls(n, t) if a is None else a.cast(t) if a.type != t else a for _, a, n in parts]
        flat = [c for ch in chunks for c in (ch.chunks if isinstance(ch, pa.ChunkedArray) else [ch])]
        return pa.field(name, t), pa.chunked_array(flat, type=t)
    chunks2 = [pa.nulls(n, pa.binary()) if f is None or a is None else _to_codec(f, a) for f, a, n in parts]
    return codec_field(name), pa.chunked_array(chunks2, type=pa.binary())


def values_to_arrow(values: list[Any]) -> pa.Array:
    """Python values → the most faithful Arrow array.

    One type (plus None) gives a typed array; a mix gives a dense union with
    one child per Python type, so an int stays an int next to a float.
    """
    _, arr = _column(values, "value", 0)
    kinds = set(map(type, values)) - {_NONE}
    if not pa.types.is_binary(arr.type) or len(kinds) <= 1:
        return arr  # typed, or one complex type (maps, mixed lists) kept as codec bytes
    groups: dict[type, list[Any]] = {}
    type_ids = []
    offsets = []
    order: list[type] = []
    for v in values:
        t = type(v)
        if t not in groups:
            groups[t] = []
            order.append(t)
        type_ids.append(order.index(t))
        offsets.append(len(groups[t]))
        groups[t].append(v)
    children = []
    for t in order:
        vals = groups[t]
        try:
            children.append(pa.array(vals) if t is not int else pa.array(vals, type=pa.int64()))
        except (pa.ArrowException, OverflowError, TypeError):
            children.append(_codec_array(vals, "value", 0))
    names = [t.__name__ for t in order]
    return pa.UnionArray.from_dense(
        pa.array(type_ids, type=pa.int8()), pa.array(offsets, type=pa.int32()), children, names
    )
