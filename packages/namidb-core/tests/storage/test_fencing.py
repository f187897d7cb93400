"""Writers and fencing: one live writer per namespace; a stale one can never publish."""

import uuid

import pytest

from namidb_core.errors import WriterFencedError
from namidb_core.objectstore.local import LocalStore
from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage import Engine
from namidb_core.storage.manifest import paths


def _peer(store):
    return store.peer() if isinstance(store, MemoryStore) else LocalStore(store.root)


def uid():
    return str(uuid.uuid4())


def test_second_writer_fences_first(store):
    w1 = Engine.open(store, "ns")
    a = uid()
    w1.upsert_node("P", a, {"by": "w1"})
    w1.commit()
    w2 = Engine.open(_peer(store), "ns")
    assert w2.epoch == w1.epoch + 1
    assert w2.lookup_node("P", a)["properties"] == {"by": "w1"}
    b = uid()
    w1.upsert_node("P", b, {"by": "stale"})
    with pytest.raises(WriterFencedError, match="fenced"):
        w1.commit()
    with pytest.raises(WriterFencedError):  # and it stays fenced
        w1.upsert_node("P", b, {})
    with pytest.raises(WriterFencedError):
        w1.flush()
    w2.upsert_node("P", uid(), {"by": "w2"})
    w2.commit()
    r = Engine.open(_peer(store), "ns", mode="r")
    assert r.lookup_node("P", b) is None
    assert sorted(x["properties"]["by"] for x in r.scan_label("P")) == ["w1", "w2"]


def test_stale_leftovers_never_visible_or_blocking(store):
    """The slot trap: the stale writer's WAL segment and body for the next version exist, unpointed."""
    w1 = Engine.open(store, "ns")
    w1.upsert_node("P", uid(), {"by": "w1"})
    w1.commit()
    w2 = Engine.open(_peer(store), "ns")
    # w1 (stale) gets as far as its WAL segment and body for w2.version + 1, then dies before the pointer.
    stale_id = uid()
    w1._manifest = w2.manifest.__class__(
        **{**w2.manifest.__dict__, "epoch": w1.epoch, "writer": w1.writer_id}
    )
    w1.upsert_node("P", stale_id, {"by": "stale"})
    orig_commit = w1.log.commit

    def die_before_pointer(manifest, side=()):
        w1.log._write_side_and_body(side, paths.body_key(manifest.version), manifest.to_bytes())
        raise RuntimeError("process died")

    w1.log.commit = die_before_pointer
    with pytest.raises(RuntimeError):
        w1.commit()
    w1.log.commit = orig_commit
    slot = "ns/" + paths.body_key(w2.version + 1)
    assert store.head(slot)  # the stale body took the slot
    # the live writer commits regardless, through the alternate slot
    live = uid()
    w2.upsert_node("P", live, {"by": "w2"})
    w2.commit()
    assert w2.log.read_pointer(w2.version).body != paths.body_key(w2.version)
    r = Engine.open(_peer(store), "ns", mode="r")
    assert r.lookup_node("P", stale_id) is None
    assert r.lookup_node("P", live)["properties"] == {"by": "w2"}
    # and the stale writer, retrying, is fenced rather than published
    with pytest.raises(WriterFencedError):
        w1.commit()
    r.refresh()
    assert r.lookup_node("P", stale_id) is None


def test_writer_reopen_keeps_committed_data(store):
    w1 = Engine.open(store, "ns")
    ids = [uid() for _ in range(5)]
    for i in ids:
        w1.upsert_node("P", i, {})
        w1.commit()
    w1.close()
    w2 = Engine.open(_peer(store), "ns")
    assert len(w2.scan_label("P")) == 5
    w2.upsert_node("P", uid(), {})
    assert w2.commit() == 6  # LSNs continue


def test_stale_writer_orphans_are_swept(store):
    w1 = Engine.open(store, "ns", grace_seconds=0)
    w2 = Engine.open(_peer(store), "ns", grace_seconds=0)
    w1.upsert_node("P", uid(), {})
    with pytest.raises(WriterFencedError):
        w1.commit()
    orphan_wal = [m.key for m in store.list("ns/wal/")]
    assert orphan_wal  # the fenced writer's segment is there, unreferenced
    w2.upsert_node("P", uid(), {})
    w2.commit()
    w2.flush()
    w2.compact()
    assert not [m.key for m in store.list("ns/wal/")]
