"""Fault injection over every storage call of commit, flush and compaction.

``bulk`` is a commit large enough to go straight to L0 SSTs (the engine's
threshold lowered to one byte), with the previous batch still in the WAL;
``flush_early`` a flush that stores each SST as soon as it is encoded.

For each operation we first count its store calls, then for every call index
inject (a) a failure before the call and (b) a lost response after a
successful write. After each run: the data is all-or-nothing, the engine
either continued or raised a namidb error, it can carry on once the store
recovers, and a fresh engine always opens and sees exactly the committed data.
"""

import uuid

import pytest

from namidb_core.errors import NamiDBError
from namidb_core.objectstore.faulty import OPERATIONS, WRITE_OPERATIONS, FaultyStore
from namidb_core.objectstore.local import LocalStore
from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage import Engine
from namidb_core.storage import flush as flush_mod

BASE = [str(uuid.UUID(int=i + 1)) for i in range(20)]
NEW = [str(uuid.UUID(int=1000 + i)) for i in range(5)]


def _inner(kind, tmp_path):
    return MemoryStore() if kind == "memory" else LocalStore(tmp_path / "bucket")


def _peer(inner):
    return inner.peer() if isinstance(inner, MemoryStore) else LocalStore(inner.root)


def _setup(op, kind="memory", tmp_path=None):
    inner = _inner(kind, tmp_path)
    fs = FaultyStore(inner)
    e = Engine.open(fs, "ns", grace_seconds=0)
    e.merge_nodes("P", [{"id": i, "v": 0} for i in BASE])
    e.commit()  # small: it stays in the WAL
    if op == "bulk":
        e.bulk_commit_bytes = 1
    if op == "compact":
        e.flush()
        e.merge_nodes("P", [{"id": i, "v": 1} for i in BASE[:10]])
        e.tombstone_node("P", BASE[19])
        e.upsert_edge("R", BASE[0], BASE[1], {"w": 1})
        e.commit()
        e.flush()
    if op in ("commit", "bulk"):
        e.merge_nodes("P", [{"id": i, "v": 9} for i in NEW])
        e.upsert_node("P", BASE[0], {"v": 9})
        e.upsert_edge("R", NEW[0], NEW[1], {"w": 2})
    return inner, fs, e


def _state(inner):
    r = Engine.open(_peer(inner), "ns", mode="r")
    nodes = {x["id"]: x["properties"]["v"] for x in r.scan_label("P")}
    edges = {(x["src"], x["dst"]) for x in r.scan_edge_type("R")}
    return nodes, edges


def _expected(op, applied):
    nodes = {i: 0 for i in BASE}
    edges = set()
    if op == "compact":
        nodes.update({i: 1 for i in BASE[:10]})
        del nodes[BASE[19]]
        edges.add((BASE[0], BASE[1]))
    if op in ("commit", "bulk") and applied:
        nodes.update({i: 9 for i in NEW})
        nodes[BASE[0]] = 9
        edges.add((NEW[0], NEW[1]))
    return nodes, edges


def _run(e, op):
    if op == "bulk":
        return e.commit()
    if op == "flush_early":  # every SST stored as soon as it is encoded, from the encoding thread
        saved, flush_mod.STORE_EARLY_BYTES = flush_mod.STORE_EARLY_BYTES, 0
        try:
            return e.flush()
        finally:
            flush_mod.STORE_EARLY_BYTES = saved
    return getattr(e, op)()


def _count_calls(op):
    _, fs, e = _setup(op)
    start = len(fs.calls)
    _run(e, op)
    return len(fs.calls) - start


CASES = [
    (op, mode, i)
    for op in ("commit", "bulk", "flush", "flush_early", "compact")
    for mode in ("fail", "lose")
    for i in range(1, _count_calls(op) + 1)
]


@pytest.mark.parametrize("kind", ["memory", "file"])
@pytest.mark.parametrize(("op", "mode", "nth"), CASES)
def test_fault_at_each_call(op, mode, nth, kind, tmp_path):
    inner, fs, e = _setup(op, kind, tmp_path)
    if mode == "fail":
        fs.fail_call(nth, OPERATIONS)
    else:
        fs.lose_response(nth, WRITE_OPERATIONS)
    try:
        _run(e, op)
        raised = None
    except NamiDBError as exc:  # a clear namidb error, never a bare crash
        raised = exc
    fs.settle()
    nodes, edges = _state(inner)
    if op in ("commit", "bulk"):
        applied = nodes == _expected(op, True)[0]
        assert (nodes, edges) in (_expected(op, True), _expected(op, False)), "half-applied commit"
        if raised is None:
            assert applied
    else:
        assert (nodes, edges) == _expected(op, False)
    # the engine carries on once the store behaves
    _run(e, op)
    assert _state(inner) == _expected(op, True)
    e.upsert_node("P", BASE[5], {"v": 42})
    e.commit()
    assert _state(inner)[0][BASE[5]] == 42
    # and a fresh writer opens (fencing this one) and sees everything
    fresh = Engine.open(_peer(inner), "ns")
    assert fresh.lookup_node("P", BASE[5])["properties"] == {"v": 42}


def test_repeated_failures_raise_clear_error_and_recover():
    inner, fs, e = _setup("commit")
    for _ in range(8):
        fs.fail_call(1, ("put_if_absent",))
    with pytest.raises(NamiDBError):
        e.commit()
    fs.settle()
    assert _state(inner) == _expected("commit", False)
    assert e.commit() is not None
    assert _state(inner) == _expected("commit", True)


def _commit_lands_unseen():
    """A commit whose pointer lands while every retry and the read-back fail: it raises
    CommitStateUnknownError; then the store settles. Returns (inner store, engine)."""
    from namidb_core.errors import CommitStateUnknownError

    inner, fs, e = _setup("commit")
    fs.lose_response(1, ("put_if_absent",), key_prefix="ns/manifest/pointer/")
    for _ in range(8):
        fs.fail_call(1, ("put_if_absent", "get"), key_prefix="ns/manifest/pointer/")
    with pytest.raises(CommitStateUnknownError):
        e.commit()
    fs.settle()
    return inner, e


def test_pointer_outcome_unknown_is_resolved():
    inner, e = _commit_lands_unseen()
    assert _state(inner) == _expected("commit", True)  # it did land
    assert e.commit() is None  # resolved: the batch was applied, nothing left staged
    assert e.lookup_node("P", NEW[0])["properties"] == {"v": 9}


def test_rows_staged_after_an_unknown_commit_survive_its_resolution():
    inner, e = _commit_lands_unseen()
    late = str(uuid.UUID(int=5000))
    e.upsert_node("P", late, {"v": 7})  # staged before the outcome is known
    assert e.commit() is not None  # settles the first commit (it landed), then commits this one
    nodes, edges = _state(inner)
    expected_nodes, expected_edges = _expected("commit", True)
    assert (nodes, edges) == ({**expected_nodes, late: 7}, expected_edges)
