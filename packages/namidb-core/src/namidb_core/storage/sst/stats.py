"""Per-property statistics for SST descriptors (min/max/null count where orderable)."""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from namidb_core.storage.columns import is_codec_field

__all__ = ["column_stats", "table_stats"]


def _jsonable(v: Any) -> Any:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def column_stats(field: pa.Field, col: pa.ChunkedArray | pa.Array) -> dict[str, Any]:
    """``{"type", "nulls"}`` plus ``min``/``max`` for orderable typed columns."""
    out: dict[str, Any] = {
        "type": "value" if is_codec_field(field) else str(field.type),
        "nulls": col.null_count,
    }
    t = field.type
    orderable = (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_string(t)
        or pa.types.is_date(t)
        or pa.types.is_timestamp(t)
        or pa.types.is_boolean(t)
    )
    if orderable and not is_codec_field(field) and col.null_count < len(col):
        mm = pc.min_max(col)
        out["min"] = _jsonable(mm["min"].as_py())
        out["max"] = _jsonable(mm["max"].as_py())
    return out


def table_stats(table: pa.Table) -> dict[str, dict[str, Any]]:
    """Stats of every property (non-system) column."""
    return {
        f.name: column_stats(f, table.column(i))
        for i, f in enumerate(table.schema)
        if not f.name.startswith("__")
    }
