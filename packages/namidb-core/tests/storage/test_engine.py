import datetime as dt
import uuid

import pyarrow as pa
import pytest

from namidb_core.errors import ClientClosedError, InvalidArgumentError, ReadOnlyError
from namidb_core.objectstore.local import LocalStore
from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage import Engine, columns, merge

UTC = dt.timezone.utc


def _peer(store):
    return store.peer() if isinstance(store, MemoryStore) else LocalStore(store.root)


def uid():
    return str(uuid.uuid4())


def test_stage_commit_lookup_and_reopen(store):
    e = Engine.open(store, "ns")
    a, b = uid(), uid()
    props = {
        "name": "Alice",
        "age": 30,
        "ok": True,
        "score": 1.5,
        "blob": b"\x00\x01",
        "born": dt.date(1990, 5, 1),
        "at": dt.datetime(2024, 1, 1, 12, tzinfo=UTC),
        "vec": [0.5, 1.5],
        "tags": ["x", "y"],
        "meta": {"k": [1, "two"]},
    }
    e.upsert_node("Person", a, props)
    e.upsert_node("Person", b, {"name": "Bob"})
    e.upsert_edge("KNOWS", a, b, {"since": 2020})
    assert e.commit() == 3
    got = e.lookup_node("Person", a)
    assert got["id"] == a
    assert got["label"] == "Person"
    assert got["lsn"] == 1
    assert got["labels"] == ["Person"]
    assert got["schema_version"] == 0
    assert got["properties"] == props
    assert type(got["properties"]["ok"]) is bool
    assert got["properties"]["at"].tzinfo is UTC
    r = Engine.open(_peer(store), "ns", mode="r")
    assert r.lookup_node("Person", a)["properties"] == props
    assert [x["dst"] for x in r.out_edges("KNOWS", a)] == [b]
    assert [x["src"] for x in r.in_edges("KNOWS", b)] == [a]
    assert r.lookup_node("Person", uid()) is None
    assert r.lookup_node("Company", a) is None


def test_commit_with_nothing_staged_returns_none(store):
    e = Engine.open(store, "ns")
    assert e.commit() is None


def test_staged_batch_visible_only_to_writer_and_rollback(store):
    e = Engine.open(store, "ns")
    r = Engine.open(_peer(store), "ns", mode="r")
    a = uid()
    e.upsert_node("Person", a, {"v": 1})
    assert e.lookup_node("Person", a)["properties"] == {"v": 1}
    assert len(e.scan_label("Person")) == 1
    r.refresh()
    assert r.lookup_node("Person", a) is None
    e.rollback()
    assert e.lookup_node("Person", a) is None
    assert e.commit() is None


def test_last_write_wins_and_tombstones(store):
    e = Engine.open(store, "ns")
    a = uid()
    e.upsert_node("Person", a, {"v": 1})
    e.upsert_node("Person", a, {"v": 2, "w": "x"})
    e.commit()
    assert e.lookup_node("Person", a)["properties"] == {"v": 2, "w": "x"}
    e.flush()
    e.upsert_node("Person", a, {"v": 3})
    e.commit()
    assert e.lookup_node("Person", a)["properties"] == {"v": 3}
    e.tombstone_node("Person", a)
    e.commit()
    assert e.lookup_node("Person", a) is None
    e.flush()
    assert e.lookup_node("Person", a) is None
    assert e.scan_label("Person") == []
    e.upsert_node("Person", a, {"v": 4})
    e.commit()
    assert e.scan_label("Person")[0]["properties"] == {"v": 4}


def test_edge_identity_default_key_and_wildcard_tombstone(store):
    e = Engine.open(store, "ns")
    a, b = uid(), uid()
    e.upsert_edge("KNOWS", a, b, {"w": 1})
    e.upsert_edge("KNOWS", a, b, {"w": 2})  # same default edge: updated
    k1, k2 = uuid.uuid4().bytes, uuid.uuid4().bytes
    e.upsert_edge("KNOWS", a, b, {"w": 3}, edge_key=k1)
    e.upsert_edge("KNOWS", a, b, {"w": 4}, edge_key=k2)
    e.commit()
    assert sorted(x["properties"]["w"] for x in e.out_edges("KNOWS", a)) == [2, 3, 4]
    e.flush()
    e.tombstone_edge("KNOWS", a, b, edge_key=k1)
    e.commit()
    assert sorted(x["properties"]["w"] for x in e.scan_edge_type("KNOWS")) == [2, 4]
    e.tombstone_edge("KNOWS", a, b)
    e.upsert_edge("KNOWS", b, a, {"w": 9})
    e.commit()
    assert e.out_edges("KNOWS", a) == []
    assert [x["properties"]["w"] for x in e.scan_edge_type("KNOWS")] == [9]
    e.upsert_edge("KNOWS", a, b, {"w": 10})  # a new edge after the tombstone lives
    e.commit()
    e.flush()
    assert sorted(x["properties"]["w"] for x in e.scan_edge_type("KNOWS")) == [9, 10]
    e.compact()
    assert sorted(x["properties"]["w"] for x in e.scan_edge_type("KNOWS")) == [9, 10]


def test_merge_nodes_and_edges_bulk(store):
    e = Engine.open(store, "ns")
    ids = [uid() for _ in range(3000)]
    n = e.merge_nodes("Person", [{"id": i, "name": f"p{k}", "age": k} for k, i in enumerate(ids)])
    assert n == 3000
    m = e.merge_edges("KNOWS", [{"src": ids[k], "dst": ids[k + 1], "since": k} for k in range(2999)])
    assert m == 2999
    last = e.commit()
    assert last == 5999
    t = e.scan_label_arrow("Person")
    assert t.num_rows == 3000
    assert t.column_names[:5] == ["id", "label", "labels", "lsn", "schema_version"]
    assert set(t.column_names[5:]) == {"name", "age"}
    assert e.lookup_node("Person", ids[1234])["properties"] == {"name": "p1234", "age": 1234}
    e.flush()
    assert e.lookup_node("Person", ids[1234])["properties"] == {"name": "p1234", "age": 1234}
    assert [x["dst"] for x in e.out_edges("KNOWS", ids[10])] == [ids[11]]
    assert [x["src"] for x in e.in_edges("KNOWS", ids[10])] == [ids[9]]
    r = Engine.open(_peer(store), "ns", mode="r")
    assert r.scan_label_arrow("Person").num_rows == 3000


def test_merge_from_arrow_tables(store):
    e = Engine.open(store, "ns")
    ids = [uid() for _ in range(5)]
    e.merge_nodes("P", pa.table({"id": ids, "x": pa.array([1, 2, 3, 4, 5], pa.int32()), "f": [0.5] * 5}))
    e.merge_edges("R", pa.table({"src": ids[:4], "dst": ids[1:], "w": ["a", "b", "c", "d"]}))
    e.commit()
    assert e.lookup_node("P", ids[2])["properties"] == {"x": 3, "f": 0.5}
    assert len(e.scan_edge_type("R")) == 4
    with pytest.raises(InvalidArgumentError, match="naive"):
        e.merge_nodes(
            "P", pa.table({"id": ids[:1], "t": pa.array([dt.datetime(2024, 1, 1)], pa.timestamp("us"))})
        )


def test_invalid_rows_name_the_row(store):
    e = Engine.open(store, "ns")
    good = uid()
    with pytest.raises(InvalidArgumentError, match="row 1"):
        e.merge_nodes("P", [{"id": good}, {"id": "nope"}])
    with pytest.raises(InvalidArgumentError, match="row 2"):
        e.merge_nodes("P", [{"id": uid(), "x": 1}, {"id": uid(), "x": 2}, {"id": uid(), "x": 2**64}])
    with pytest.raises(InvalidArgumentError, match="timezone"):
        e.upsert_node("P", good, {"at": dt.datetime(2024, 1, 1)})
    with pytest.raises(InvalidArgumentError, match="reserved"):
        e.upsert_node("P", good, {"__id": 1})
    with pytest.raises(InvalidArgumentError):
        e.upsert_node("P", "not-an-id", {})
    assert e.commit() is None  # nothing half-staged


def test_mixed_types_never_coerced(store):
    e = Engine.open(store, "ns")
    a, b, c = uid(), uid(), uid()
    e.merge_nodes("P", [{"id": a, "v": 1}, {"id": b, "v": 2.5}, {"id": c, "v": "x"}])
    e.commit()
    e.flush()
    got = {r["id"]: r["properties"]["v"] for r in e.scan_label("P")}
    assert got == {a: 1, b: 2.5, c: "x"}
    assert type(got[a]) is int
    vals = dict(zip(*[e.scan_label_arrow("P").column(k).to_pylist() for k in ("id", "v")], strict=True))
    assert vals == {a: 1, b: 2.5, c: "x"}


def test_secondary_labels(store):
    e = Engine.open(store, "ns")
    a = uid()
    e.upsert_node("Person", a, {"n": 1}, labels=["Person", "Admin"])
    e.commit()
    assert e.lookup_node("Person", a)["labels"] == ["Person", "Admin"]
    assert e.lookup_node("Admin", a)["label"] == "Person"  # found through its secondary label
    assert e.lookup_node("Admin", uid()) is None
    assert [r["id"] for r in e.scan_label("Admin")] == [a]
    assert e.scan_label_arrow("Admin").column("label").to_pylist() == ["Person"]
    assert e.snapshot().labels() == ["Admin", "Person"]
    e.flush()
    assert e.lookup_node("Admin", a)["properties"] == {"n": 1}


def test_read_only_refresh_and_errors(store):
    w = Engine.open(store, "ns")
    r = Engine.open(_peer(store), "ns", mode="r")
    v0 = r.version
    a = uid()
    w.upsert_node("P", a, {"x": 1})
    w.commit()
    assert r.lookup_node("P", a) is None
    assert r.refresh() == w.version > v0
    assert r.lookup_node("P", a)["properties"] == {"x": 1}
    w.flush()
    r.refresh()
    assert r.lookup_node("P", a)["properties"] == {"x": 1}
    with pytest.raises(ReadOnlyError):
        r.upsert_node("P", a, {})
    with pytest.raises(ReadOnlyError):
        r.commit()
    r.close()
    with pytest.raises(ClientClosedError):
        r.scan_label("P")


def test_read_only_on_empty_namespace(store):
    r = Engine.open(store, "empty", mode="r")
    assert r.version == 0
    assert r.scan_label("P") == []
    assert r.scan_label_arrow("P").num_rows == 0


def test_snapshot_isolation(store):
    e = Engine.open(store, "ns")
    a, b = uid(), uid()
    e.upsert_node("P", a, {"v": 1})
    e.commit()
    snap = e.snapshot()
    e.upsert_node("P", a, {"v": 2})
    e.upsert_node("P", b, {"v": 3})
    e.commit()
    assert snap.lookup_node("P", a)["properties"] == {"v": 1}
    assert snap.lookup_node("P", b) is None
    assert snap.scan_label_arrow("P").num_rows == 1
    e.flush()
    e.compact()
    assert snap.lookup_node("P", a)["properties"] == {"v": 1}  # its files are still there (grace)
    assert e.lookup_node("P", a)["properties"] == {"v": 2}


def test_flush_and_compact_reports(store):
    e = Engine.open(store, "ns")
    ids = [uid() for _ in range(10)]
    for k in range(3):
        e.merge_nodes("P", [{"id": i, "k": k} for i in ids])
        e.upsert_edge("R", ids[0], ids[k + 1], {})
        e.commit()
        rep = e.flush()
        assert rep["flushed"]
        assert rep["ssts_written"] == 3
    e.tombstone_node("P", ids[0])
    e.commit()
    e.flush()
    assert e.flush()["flushed"] is False
    before = e.version
    rep = e.compact()
    assert rep["applied"] is True
    assert rep["version_before"] == before
    assert rep["version_after"] == before + 1
    assert rep["l0_before"] == 10
    assert rep["l0_after"] == 0
    assert rep["ssts_removed"] == 10
    assert rep["ssts_written"] == 3
    assert all(d.level == 1 for d in e.manifest.ssts)
    assert sum(d.tombstones for d in e.manifest.ssts) == 0  # dropped at the deepest level
    assert {r["properties"]["k"] for r in e.scan_label("P")} == {2}
    assert len(e.scan_label("P")) == 9
    assert len(e.out_edges("R", ids[0])) == 3
    r = Engine.open(_peer(store), "ns", mode="r")
    assert len(r.scan_label("P")) == 9
    assert e.compact()["applied"] is False  # nothing left to merge


def test_sweep_deletes_garbage_after_grace(store):
    e = Engine.open(store, "ns", grace_seconds=0)
    a = uid()
    e.upsert_node("P", a, {"v": 1})
    e.commit()
    wal_keys = [w.key for w in e.manifest.wal]
    e.flush()
    e.upsert_node("P", a, {"v": 2})
    e.commit()
    e.flush()
    rep = e.compact()
    assert rep["swept"] >= 3
    listed = {m.key[len("ns/") :] for m in store.list("ns/")}
    assert not set(wal_keys) & listed
    live = {d.key for d in e.manifest.ssts}
    assert {k for k in listed if k.startswith("sst/")} == live
    assert e.manifest.garbage == ()
    assert Engine.open(_peer(store), "ns", mode="r").lookup_node("P", a)["properties"] == {"v": 2}


def test_auto_flush_bounds_reopen_replay(store):
    e = Engine.open(store, "ns", max_wal_segments=8)
    ids = [uid() for _ in range(30)]
    for i in ids:
        e.upsert_node("P", i, {"x": 1})
        e.commit()
    assert len(e.manifest.wal) < 8
    assert any(d.level == 0 for d in e.manifest.ssts)
    r = Engine.open(_peer(store), "ns", mode="r")
    assert len(r.scan_label("P")) == 30


def test_huge_batch_splits_wal_segments(store):
    e = Engine.open(store, "ns")
    ids = [uid() for _ in range(30_000)]
    e.merge_nodes("P", [{"id": i, "pad": "x" * 200} for i in ids])
    e.commit()
    assert len(e.manifest.wal) >= 2
    assert all(w.size < 4 * 1024 * 1024 for w in e.manifest.wal)
    r = Engine.open(_peer(store), "ns", mode="r")
    assert r.scan_label_arrow("P").num_rows == 30_000


def test_snapshot_dense_ids_and_csr(store):
    e = Engine.open(store, "ns")
    p = [uid() for _ in range(4)]
    c = uid()
    e.merge_nodes("Person", [{"id": i, "n": k} for k, i in enumerate(p)])
    e.upsert_node("City", c, {"name": "X"})
    e.merge_edges(
        "KNOWS", [{"src": p[0], "dst": p[1]}, {"src": p[0], "dst": p[2]}, {"src": p[3], "dst": p[0]}]
    )
    e.upsert_edge("LIVES_IN", p[0], c, {})
    e.commit()
    s = e.snapshot()
    assert s.labels() == ["City", "Person"]
    assert s.edge_types() == ["KNOWS", "LIVES_IN"]
    assert s.node_count == 5
    nt = s.node_table("Person")
    dense = dict(zip(nt.column("id").to_pylist(), nt.column("__dense").to_pylist(), strict=True))
    assert sorted(dense.values()) == sorted(set(dense.values()))
    assert s.dense_of([p[0], uid()]).tolist() == [dense[p[0]], -1]
    indptr, nbr, rows = s.csr("KNOWS", "out")
    d0 = dense[p[0]]
    assert sorted(nbr[indptr[d0] : indptr[d0 + 1]].tolist()) == sorted([dense[p[1]], dense[p[2]]])
    et = s.edge_table("KNOWS")
    assert {et.column("dst")[int(r)].as_py() for r in rows[indptr[d0] : indptr[d0 + 1]]} == {p[1], p[2]}
    indptr_in, nbr_in, _ = s.csr("KNOWS", "in")
    assert nbr_in[indptr_in[d0] : indptr_in[d0 + 1]].tolist() == [dense[p[3]]]
    label, row = s.node_at(d0)
    assert label == "Person"
    assert s.partition_nodes("Person").num_rows > row


def test_cache_stats_shape(store):
    e = Engine.open(store, "ns", cache_bytes=1 << 20)
    a = uid()
    e.upsert_node("P", a, {"v": 1})
    e.commit()
    e.flush()
    r = Engine.open(_peer(store), "ns", mode="r", cache_bytes=1 << 20)
    r.lookup_node("P", a)
    r.lookup_node("P", a)
    st = r.cache_stats()
    assert {"hit", "miss", "evict", "insert", "bytes", "capacity_bytes"} <= set(st)
    assert st["capacity_bytes"] == 1 << 20
    assert st["miss"] >= 1
    assert st["hit"] >= 1
    assert st["bytes"] > 0


def test_compaction_refuses_when_inputs_moved(store, monkeypatch):
    from namidb_core.storage import engine as engine_mod

    e = Engine.open(store, "ns")
    a = uid()
    for v in range(2):
        e.upsert_node("P", a, {"v": v})
        e.commit()
        e.flush()
    real = engine_mod.build_outputs

    def racing(*args, **kwargs):
        out = real(*args, **kwargs)
        monkeypatch.setattr(engine_mod, "build_outputs", real)
        assert e.compact()["applied"] is True  # another compaction installs first
        return out

    monkeypatch.setattr(engine_mod, "build_outputs", racing)
    version = e.version
    rep = e.compact()
    assert rep["applied"] is False
    assert rep["version_before"] == version
    assert e.lookup_node("P", a)["properties"] == {"v": 1}
    assert len([d for d in e.manifest.ssts if d.kind == "nodes"]) == 1


def test_flush_during_compaction_keeps_new_l0(store, monkeypatch):
    from namidb_core.storage import engine as engine_mod

    e = Engine.open(store, "ns")
    a, b = uid(), uid()
    e.upsert_node("P", a, {"v": 1})
    e.commit()
    e.flush()
    real = engine_mod.build_outputs

    def with_flush(*args, **kwargs):
        out = real(*args, **kwargs)
        e.upsert_node("P", a, {"v": 2})
        e.upsert_node("P", b, {"v": 3})
        e.commit()
        e.flush()
        return out

    monkeypatch.setattr(engine_mod, "build_outputs", with_flush)
    assert e.compact()["applied"] is True
    assert {d.level for d in e.manifest.ssts} == {0, 1}
    assert e.lookup_node("P", a)["properties"] == {"v": 2}
    assert e.lookup_node("P", b)["properties"] == {"v": 3}


def test_auto_compaction_after_auto_flush(store):
    e = Engine.open(store, "ns", max_wal_segments=2, max_l0_files=3)
    ids = [uid() for _ in range(20)]
    for k, i in enumerate(ids):
        e.upsert_node("P", i, {"k": k})
        e.commit()
    levels = [d.level for d in e.manifest.ssts]
    assert 1 in levels
    assert levels.count(0) < 3
    assert {r["properties"]["k"] for r in e.scan_label("P")} == set(range(20))


def test_failed_auto_flush_does_not_fail_the_commit():
    from namidb_core.objectstore.faulty import FaultyStore

    inner = MemoryStore()
    fs = FaultyStore(inner)
    e = Engine.open(fs, "ns", max_wal_segments=1)
    a = uid()
    e.upsert_node("P", a, {"v": 1})
    for _ in range(8):
        fs.fail_call(1, ("put",), key_prefix="ns/sst/")  # every SST write of the auto flush fails
    assert e.commit() is not None  # durable and acknowledged regardless
    fs.settle()
    assert len(e.manifest.wal) == 1  # the flush did not happen
    assert Engine.open(inner.peer(), "ns", mode="r").lookup_node("P", a)["properties"] == {"v": 1}
    e.upsert_node("P", uid(), {})
    e.commit()  # the next commit flushes
    assert e.manifest.wal == ()


def test_bulk_commit_goes_straight_to_l0_with_the_memtable(store):
    e = Engine.open(store, "ns", bulk_commit_bytes=64 << 10)
    a, b, c = uid(), uid(), uid()
    e.upsert_node("P", a, {"v": "wal"})
    e.upsert_node("P", b, {"v": "wal"})
    e.upsert_edge("R", a, b, {"w": 1})
    e.commit()
    assert len(e.manifest.wal) == 1
    assert not e.manifest.ssts
    many = [uid() for _ in range(3000)]
    e.merge_nodes("P", [{"id": i, "v": "bulk"} for i in many] + [{"id": a, "v": "bulk"}])
    e.merge_edges("R", [{"src": a, "dst": b, "w": 2}, {"src": b, "dst": c, "w": 3}])
    last = e.commit()
    m = e.manifest
    assert m.wal == ()
    assert m.next_lsn == last + 1
    # the WAL batch and the bulk batch merged into one L0 set; the newer value wins
    assert {d.kind for d in m.ssts} == {"nodes", "edges_fwd", "edges_inv"}
    assert e.flush()["flushed"] is False  # nothing left in the memtable
    e.upsert_node("P", b, {"v": "after"})  # a later small commit: WAL again, newer than the SSTs
    e.commit()
    r = Engine.open(_peer(store), "ns", mode="r")
    assert r.lookup_node("P", a)["properties"] == {"v": "bulk"}
    assert r.lookup_node("P", b)["properties"] == {"v": "after"}
    assert r.scan_label_arrow("P").num_rows == 3002
    assert {(x["src"], x["properties"]["w"]) for x in r.out_edges("R", a)} == {(a, 2)}
    assert [x["src"] for x in r.in_edges("R", c)] == [b]
    assert [x["lsn"] for x in r.scan_label("P") if x["id"] == many[0]] == [4]


@pytest.mark.parametrize("sliced", [False, True])
def test_presorted_runs_flush_like_a_full_sort(store, monkeypatch, sliced):
    """A bulk run sorts itself in the background; the SSTs must equal those of a plain sort."""
    if sliced:  # ids parsed, and sorted, in several slices that do not line up
        monkeypatch.setattr(columns, "ID_SLICE_ROWS", 3_000)
        monkeypatch.setattr(merge, "SORT_SLICE_ROWS", 7_000)
    rows = 20_000  # above merge.PRESORT_MIN_ROWS
    ids = [uid() for _ in range(rows // 4)]
    edges = [{"src": ids[i % len(ids)], "dst": ids[(i * 7) % len(ids)], "w": i} for i in range(rows)]
    nodes = [{"id": ids[i % len(ids)], "v": i} for i in range(rows)]  # every id four times: newest wins
    results = []
    for presorted in (True, False):
        e = Engine.open(store, f"ns{presorted}")
        e.merge_nodes("P", nodes)
        e.merge_edges("R", edges)
        if not presorted:
            e._staged.tables = [(k, n, t, None) for k, n, t, _ in e._staged.tables]
        assert all((o is not None) == presorted for *_, o in e._staged.tables)
        e.commit()
        e.flush()
        results.append(
            (
                e.scan_label_arrow("P").drop_columns(["lsn"]).to_pylist(),
                e.scan_edge_type("R"),
                [e.in_edges("R", i) for i in ids[:50]],
            )
        )
    assert results[0] == results[1]
    assert len(results[0][0]) == len(ids)
    assert len(results[0][1]) == len({(x["src"], x["dst"]) for x in edges})


def test_auto_compaction_merges_a_small_l0_alone(store):
    """Small flushes over a big label merge among themselves; L1 is rewritten only by compact()."""
    e = Engine.open(store, "ns", max_wal_segments=1, max_l0_files=3)
    big = [uid() for _ in range(4000)]
    e.merge_nodes("P", [{"id": i, "v": 0} for i in big])
    e.merge_edges("R", [{"src": big[i], "dst": big[i + 1]} for i in range(3999)])
    e.commit()
    e.compact()
    l1 = {d.key for d in e.manifest.ssts}
    assert {d.level for d in e.manifest.ssts} == {1}
    for k in range(7):  # each commit flushes (max_wal_segments=1): one small L0 run per commit
        e.upsert_node("P", big[k], {"v": k + 1})
        e.upsert_edge("R", big[k], big[k + 2], {})
        if k == 3:
            e.tombstone_node("P", big[100])  # must keep shadowing L1 after the L0 merge
            e.tombstone_edge("R", big[100], big[101])
        e.commit()
    ssts = e.manifest.ssts
    assert l1 <= {d.key for d in ssts}  # L1 untouched
    assert max(sum(d.level == 0 and d.name == n and d.kind != "edges_inv" for d in ssts) for n in "PR") < 3
    assert any(d.level == 0 and d.min_lsn < d.max_lsn - 2 for d in ssts)  # a merged L0 file
    assert sum(1 for d in ssts if d.level == 0 and d.kind == "edges_fwd") == sum(
        1 for d in ssts if d.level == 0 and d.kind == "edges_inv"
    )

    def state(engine):
        nodes = {r["id"]: r["properties"]["v"] for r in engine.scan_label("P")}
        edges = {(x["src"], x["dst"]) for x in engine.scan_edge_type("R")}
        ins = {x["src"] for x in engine.in_edges("R", big[2])}
        return nodes, edges, ins

    nodes, edges, ins = state(Engine.open(_peer(store), "ns", mode="r"))
    assert big[100] not in nodes
    assert len(nodes) == 3999
    assert [nodes[big[k]] for k in range(7)] == [1, 2, 3, 4, 5, 6, 7]
    assert (big[100], big[101]) not in edges
    assert (big[0], big[2]) in edges
    assert ins == {big[0], big[1]}
    report = e.compact()
    assert report["applied"]
    assert {d.level for d in e.manifest.ssts} == {1}
    assert state(Engine.open(_peer(store), "ns", mode="r")) == (nodes, edges, ins)
    assert sum(d.tombstones for d in e.manifest.ssts) == 0


def test_a_flush_drops_its_wal_segments_as_one_garbage_entry(store):
    from namidb_core.storage.compaction import sweep
    from namidb_core.storage.manifest import paths

    e = Engine.open(store, "ns")
    segments, bounds = [], []
    for _ in range(2):
        for k in range(5):
            e.upsert_node("P", uid(), {"k": k})
            e.commit()
        segments.append([w.key for w in e.manifest.wal])
        bounds.append(e.manifest.next_lsn)
        e.flush()
    assert [k for k, _ in e.manifest.garbage] == [paths.wal_below(b) for b in bounds]

    def listed():
        return {m.key[len("ns/") :] for m in store.list("ns/wal/")}

    assert set(segments[0] + segments[1]) <= listed()
    # the first flush's entry has expired, the second's has not (grace 10 s, "now" = 150)
    m = e.manifest.successor(
        garbage=((paths.wal_below(bounds[0]), 100.0), (paths.wal_below(bounds[1]), 200.0))
    )
    deleted, removed = sweep(store, "ns/", m, 10.0, now=150.0)
    assert deleted == [paths.wal_below(bounds[0])]
    assert removed == 5
    assert not set(segments[0]) & listed()
    assert set(segments[1]) <= listed()  # old keys, but dropped within the grace period
    deleted, removed = sweep(store, "ns/", m, 10.0, now=300.0)
    assert deleted == [paths.wal_below(b) for b in bounds]  # both have expired now
    assert not listed()
    # the engine's own sweep commits the shorter garbage list
    e.grace_seconds = 0
    e.compact()
    assert e.manifest.garbage == ()
