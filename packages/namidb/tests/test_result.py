"""QueryResult's shapes: rows, first, len, repr, Arrow, pandas, polars."""

from __future__ import annotations

import builtins
import datetime
import json

import pyarrow as pa
import pytest

from namidb import QueryResult

NODE = {"_kind": "node", "id": "0190-a", "label": "Person", "labels": ["Person"], "properties": {"name": "A"}}


def test_rows_first_len_columns():
    r = QueryResult(["name", "age"], [("Alice", 30), ("Bob", None)])
    assert r.columns == ["name", "age"]
    assert len(r) == 2
    assert r.first() == {"name": "Alice", "age": 30}
    assert r.rows() == [{"name": "Alice", "age": 30}, {"name": "Bob", "age": None}]
    assert list(r) == r.rows()
    assert repr(r) == "<QueryResult 2 rows columns=['name', 'age']>"


def test_empty_result_keeps_columns():
    r = QueryResult(["name", "age"])
    assert r.columns == ["name", "age"]
    assert len(r) == 0
    assert r.first() is None
    assert not r
    assert r.to_arrow().column_names == ["name", "age"]
    assert r.to_arrow().num_rows == 0


def test_row_width_is_checked():
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        QueryResult(["a"], [(1, 2)])


def test_to_arrow_typed_columns():
    day = datetime.date(2024, 1, 2)
    ts = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    r = QueryResult(["i", "f", "s", "b", "d", "t", "v"], [(1, 1.5, "x", b"\x00", day, ts, [0.5, 1.0])])
    t = r.to_arrow()
    assert t.schema.field("i").type == pa.int64()
    assert t.schema.field("f").type == pa.float64()
    assert t.schema.field("s").type == pa.string()
    assert t.schema.field("b").type == pa.binary()
    assert t.schema.field("d").type == pa.date32()
    assert pa.types.is_timestamp(t.schema.field("t").type)
    assert t.column("v").to_pylist() == [[0.5, 1.0]]


def test_to_arrow_mixed_columns_become_json_text():
    r = QueryResult(["x"], [([1, "a"],), (2,), (None,), (b"\xff",)])
    t = r.to_arrow()
    field = t.schema.field("x")
    assert field.type == pa.string()
    assert field.metadata == {b"namidb.encoding": b"json"}
    assert [json.loads(v) if v is not None else None for v in t.column("x").to_pylist()] == [
        [1, "a"],
        2,
        None,
        "/w==",
    ]


def test_to_arrow_nodes_are_structs():
    t = QueryResult(["n"], [(NODE,)]).to_arrow()
    assert pa.types.is_struct(t.schema.field("n").type)
    assert t.column("n").to_pylist()[0]["properties"] == {"name": "A"}


def test_from_arrow_round_trip():
    table = pa.table({"a": [1, 2], "b": ["x", None]})
    r = QueryResult.from_arrow(table)
    assert r.rows() == [{"a": 1, "b": "x"}, {"a": 2, "b": None}]


def test_to_pandas_and_polars():
    r = QueryResult(["name", "age"], [("Alice", 30)])
    df = r.to_pandas()
    assert list(df.columns) == ["name", "age"]
    assert df.iloc[0]["age"] == 30
    pl_df = r.to_polars()
    assert pl_df.columns == ["name", "age"]
    assert pl_df.row(0) == ("Alice", 30)


@pytest.mark.parametrize(
    ("method", "extra"), [("to_pandas", "namidb[pandas]"), ("to_polars", "namidb[polars]")]
)
def test_missing_extra_names_install_command(monkeypatch, method, extra):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name in ("pandas", "polars"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=rf"pip install '{extra}'".replace("[", r"\[").replace("]", r"\]")):
        getattr(QueryResult(["a"], [(1,)]), method)()


def test_to_arrow_never_fails_on_temporal_values():
    """Durations (which Arrow cannot infer) take the lossless struct; a mix of kinds becomes Cypher text."""
    import namidb

    client = namidb.Client("memory://results")
    r = client.cypher(
        "RETURN duration('P1M2DT3.5S') AS d, [localtime('12:00'), duration('P1D'), 1] AS mixed, "
        "date('-0005-01-01') AS ancient"
    )
    t = r.to_arrow()
    assert t.column("d").to_pylist() == [{"months": 1, "days": 2, "seconds": 3, "nanos": 500_000_000}]
    assert json.loads(t.column("mixed")[0].as_py()) == ["12:00", "P1D", 1]
    assert t.schema.field("mixed").metadata == {b"namidb.encoding": b"json"}
    assert t.schema.field("ancient").type == pa.date32()  # beyond Python's years: the Cypher value's days
    # Days since 1970: 0001-01-01 is day -719162; years -5..0 add 6 x 365 days + 2 leap days (-4, 0).
    assert t.column("ancient").cast(pa.int32()).to_pylist() == [-719162 - (6 * 365 + 2)]
    client.close()
