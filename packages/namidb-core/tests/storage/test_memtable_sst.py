import datetime as dt
import os

import pyarrow as pa
import pytest

from namidb_core.errors import CorruptedArtifactError
from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage.cache import Cache
from namidb_core.storage.columns import codec_field, is_codec_field, rows_to_columns, unify_columns
from namidb_core.storage.layout import LSN, WILDCARD_EKEY
from namidb_core.storage.memtable import Memtable, Run, StagedBatch, id_key
from namidb_core.storage.merge import concat_tables, drop_tombstones, latest_edges, latest_nodes
from namidb_core.storage.sst import NODES, SstReader, write_sst
from namidb_core.storage.wal.record import RecordKind


def _ids(n):
    return [os.urandom(15) + bytes([i]) for i in range(n)]


def test_rows_to_columns_types():
    rows = [
        {"i": 1, "f": 1.5, "s": "a", "b": True, "d": dt.date(2020, 1, 1), "v": [0.5], "m": {"k": 1}, "x": 1},
        {"i": None, "f": 2.5, "s": "b", "b": False, "d": None, "v": [1.5, 2.5], "m": None, "x": "one"},
    ]
    fields, arrays = rows_to_columns(rows)
    types = {f.name: f for f in fields}
    assert types["i"].type == pa.int64()
    assert types["f"].type == pa.float64()
    assert types["s"].type == pa.string()
    assert types["b"].type == pa.bool_()
    assert types["d"].type == pa.date32()
    assert types["v"].type == pa.list_(pa.float64())
    assert is_codec_field(types["m"])
    assert is_codec_field(types["x"])  # int and str in one column: never coerced
    assert arrays[0].to_pylist() == [1, None]


def test_rows_with_different_keys():
    fields, arrays = rows_to_columns([{"a": 1}, {"b": "x"}, {"a": 2, "b": "y"}])
    got = {f.name: a.to_pylist() for f, a in zip(fields, arrays, strict=True)}
    assert got == {"a": [1, None, 2], "b": [None, "x", "y"]}


def test_unify_columns_falls_back_to_codec():
    f1, a1 = pa.field("v", pa.int64()), pa.array([1, 2])
    f2, a2 = pa.field("v", pa.float64()), pa.array([0.5])
    field, col = unify_columns([(f1, a1, 2), (f2, a2, 1), (None, None, 1)])
    assert is_codec_field(field)
    assert len(col) == 4
    field, col = unify_columns([(f1, a1, 2), (None, None, 2)])
    assert field.type == pa.int64()
    assert col.to_pylist() == [1, 2, None, None]
    field, _ = unify_columns([(codec_field("v"), pa.array([b"\x00"]), 1), (f1, a1, 2)])
    assert is_codec_field(field)


def test_latest_nodes_keeps_newest_per_id():
    ids = _ids(3)
    t = pa.table(
        {
            "__id": pa.array([ids[1], ids[0], ids[1], ids[2]], pa.binary(16)),
            "__tomb": [False, False, False, True],
            "v": [1, 2, 3, 4],
            LSN: [1, 2, 3, 4],
        }
    )
    out = latest_nodes(t)
    assert sorted(out.column("v").to_pylist()) == [2, 3, 4]
    assert out.column("__id").to_pylist() == sorted(ids)
    assert sorted(drop_tombstones(out).column("v").to_pylist()) == [2, 3]


def test_latest_edges_wildcard_tombstone():
    s, d = os.urandom(16), os.urandom(16)
    k1 = os.urandom(16)
    zero = bytes(16)
    t = pa.table(
        {
            "__src": pa.array([s, s, s, s], pa.binary(16)),
            "__dst": pa.array([d, d, d, d], pa.binary(16)),
            "__ekey": pa.array([zero, k1, WILDCARD_EKEY, k1], pa.binary(16)),
            "__tomb": [False, False, True, False],
            "w": [1, 2, None, 3],
            LSN: [1, 2, 3, 4],
        }
    )
    out = latest_edges(t)
    live = drop_tombstones(out)
    assert live.column("w").to_pylist() == [3]  # only the edge written after the tombstone
    assert out.num_rows == 2  # the wildcard tombstone stays to shadow older files


def test_memtable_lookup_and_snapshot_pin():
    ids = _ids(2)
    m = Memtable()
    t1 = pa.table(
        {
            "__id": pa.array(ids, pa.binary(16)),
            "__tomb": [False, False],
            "__labels": pa.nulls(2, pa.list_(pa.string())),
            "v": [1, 2],
        }
    )
    m.add(Run(RecordKind.NODES, "P", t1, 1))
    pin = m.pin()
    t2 = pa.table(
        {
            "__id": pa.array(ids[:1], pa.binary(16)),
            "__tomb": [False],
            "__labels": pa.nulls(1, pa.list_(pa.string())),
            "v": [9],
        }
    )
    m.add(Run(RecordKind.NODES, "P", t2, 3))
    run, row = m.lookup_node("P", id_key(ids[0]), None)
    assert run.decoded(row, "P")["properties"] == {"v": 9}
    run, row = m.lookup_node("P", id_key(ids[0]), pin[(RecordKind.NODES, "P")])
    assert run.decoded(row, "P")["properties"] == {"v": 1}
    assert m.max_lsn == 3
    assert m.lookup_node("Q", id_key(ids[0]), None) is None


def test_staged_batch_keeps_call_order():
    ids = _ids(1)
    b = StagedBatch()
    b.add_node("P", ids[0], False, None, {"v": 1})
    b.add_table(
        RecordKind.NODES,
        "P",
        pa.table(
            {
                "__id": pa.array(ids, pa.binary(16)),
                "__tomb": [False],
                "__labels": pa.nulls(1, pa.list_(pa.string())),
                "v": [2],
            }
        ),
    )
    b.add_node("P", ids[0], True, None, {})
    runs = b.runs(10)
    assert [r.lsn for r in runs] == [10, 11, 12]
    merged = latest_nodes(concat_tables([r.with_lsn() for r in runs], []))
    assert merged.column("__tomb").to_pylist() == [True]


def test_sst_round_trip_descriptor_and_search():
    store = MemoryStore()
    ids = sorted(_ids(100))
    t = pa.table(
        {
            "__id": pa.array(ids, pa.binary(16)),
            "__tomb": [False] * 100,
            "__labels": pa.nulls(100, pa.list_(pa.string())),
            "age": list(range(100)),
            "name": [f"n{i}" for i in range(100)],
            LSN: list(range(1, 101)),
        }
    )
    desc = write_sst(store, "ns/", NODES, "Person", 0, t)
    assert desc.rows == 100
    assert desc.min_key == ids[0].hex()
    assert desc.max_key == ids[-1].hex()
    assert (desc.min_lsn, desc.max_lsn) == (1, 100)
    assert desc.props["age"] == {"type": "int64", "nulls": 0, "min": 0, "max": 99}
    assert desc.labels == ("Person",)
    reader = SstReader(store, "ns/", Cache(1 << 20))
    assert reader.table(desc).column("name").to_pylist()[5] == "n5"
    assert reader.find(desc, ids[42]) == (42, 43)
    assert reader.find(desc, b"\x00" * 16) == (0, 0)
    data = bytearray(store.get("ns/" + desc.key))
    data[len(data) // 2] ^= 1
    store.put("ns/" + desc.key, bytes(data))
    with pytest.raises(CorruptedArtifactError):
        SstReader(store, "ns/", Cache(1 << 20)).table(desc)
