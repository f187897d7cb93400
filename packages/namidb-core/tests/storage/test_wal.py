import hashlib
import os

import pyarrow as pa
import pytest

from namidb_core.errors import CorruptedArtifactError
from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage.manifest.model import WalSegmentRef
from namidb_core.storage.wal import RecordKind, WalRecord, decode_segment, encode_segment, plan_segments
from namidb_core.storage.wal.replay import replay_segments
from namidb_core.storage.wal.writer import split_rows


def _rec(lsn, n, name="Person"):
    t = pa.table({"__id": pa.array([os.urandom(16) for _ in range(n)], pa.binary(16)), "x": list(range(n))})
    return WalRecord(lsn, RecordKind.NODES, name, t)


def test_segment_round_trip():
    recs = [_rec(1, 3), _rec(4, 2, "Café"), WalRecord(6, RecordKind.EDGES, "KNOWS", pa.table({"a": [1]}))]
    out = decode_segment("k", encode_segment(recs))
    assert [(r.lsn, r.kind, r.name, r.count) for r in out] == [
        (1, RecordKind.NODES, "Person", 3),
        (4, RecordKind.NODES, "Café", 2),
        (6, RecordKind.EDGES, "KNOWS", 1),
    ]
    assert out[0].table.equals(recs[0].table)
    assert out[0].last_lsn == 3


def test_every_single_byte_flip_is_detected():
    data = encode_segment([_rec(1, 2), _rec(3, 1)])
    for i in range(len(data)):
        damaged = bytearray(data)
        damaged[i] ^= 0x41
        with pytest.raises(CorruptedArtifactError) as info:
            decode_segment("ns/wal/x.wal", bytes(damaged))
        assert info.value.path == "ns/wal/x.wal"


@pytest.mark.parametrize("cut", [0, 5, 20, -1, -9])
def test_truncation_detected(cut):
    data = encode_segment([_rec(1, 2)])
    with pytest.raises(CorruptedArtifactError):
        decode_segment("k", data[:cut])


def test_non_increasing_lsns_rejected():
    data = encode_segment([_rec(5, 2), _rec(6, 1)])  # 5..6 then 6: overlap
    with pytest.raises(CorruptedArtifactError, match="LSN"):
        decode_segment("k", data)


def test_plan_segments_splits_under_limit():
    recs = [_rec(1 + 10 * i, 10) for i in range(20)]
    segs = plan_segments(recs, max_bytes=4000)
    assert len(segs) > 1
    assert all(len(s.data) <= 4000 for s in segs)
    got = [r for s in segs for r in decode_segment("k", s.data)]
    assert [r.lsn for r in got] == [r.lsn for r in recs]
    assert segs[0].first_lsn == 1
    assert segs[-1].last_lsn == 200


def test_split_rows_keeps_every_row():
    t = pa.table({"x": list(range(10_000))})
    parts = split_rows(t, max_bytes=8_000)
    assert len(parts) > 1
    assert sum(p.num_rows for p in parts) == 10_000
    assert pa.concat_tables(parts).equals(t)


def _store_segments(store, recs_per_seg):
    refs = []
    for i, recs in enumerate(recs_per_seg):
        data = encode_segment(recs)
        key = f"wal/{i:016x}.wal"
        store.put_if_absent("ns/" + key, data)
        refs.append(
            WalSegmentRef(key, hashlib.sha256(data).hexdigest(), recs[0].lsn, recs[-1].last_lsn, len(data))
        )
    return refs


def test_replay_checks_hash_order_and_presence():
    store = MemoryStore()
    refs = _store_segments(store, [[_rec(1, 2)], [_rec(3, 2)], [_rec(5, 1)], [_rec(6, 1)]])
    assert [r.lsn for r in replay_segments(store, "ns/", refs)] == [1, 3, 5, 6]
    with pytest.raises(CorruptedArtifactError, match="LSN"):
        replay_segments(store, "ns/", [refs[1], refs[0]])
    store.delete("ns/" + refs[2].key)
    with pytest.raises(CorruptedArtifactError, match="missing") as info:
        replay_segments(store, "ns/", refs)
    assert info.value.path == "ns/" + refs[2].key
    store.put("ns/" + refs[2].key, encode_segment([_rec(5, 1)]))  # valid frame, different bytes
    with pytest.raises(CorruptedArtifactError, match="SHA-256"):
        replay_segments(store, "ns/", refs)
