"""A flipped byte in a WAL segment, a manifest body or an SST is reported, naming the object."""

import uuid

import pytest

from namidb_core.errors import CorruptedArtifactError
from namidb_core.objectstore.local import LocalStore
from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage import Engine
from namidb_core.storage.manifest import paths


def _peer(store):
    return store.peer() if isinstance(store, MemoryStore) else LocalStore(store.root)


def _flip(store, key, offset):
    data = bytearray(store.get(key))
    data[offset % len(data)] ^= 0x20
    store.put(key, bytes(data))


def _build(store, flush):
    e = Engine.open(store, "ns")
    ids = [str(uuid.uuid4()) for _ in range(50)]
    e.merge_nodes("P", [{"id": i, "v": k} for k, i in enumerate(ids)])
    e.upsert_edge("R", ids[0], ids[1], {})
    e.commit()
    if flush:
        e.flush()
    return e, ids


@pytest.mark.parametrize("offset", [0, 9, 40, 200, -3])
def test_wal_byte_flip(store, offset):
    e, _ = _build(store, flush=False)
    key = "ns/" + e.manifest.wal[0].key
    _flip(store, key, offset)
    with pytest.raises(CorruptedArtifactError) as info:
        Engine.open(_peer(store), "ns", mode="r")
    assert info.value.path == key
    assert key in str(info.value)


@pytest.mark.parametrize("offset", [1, 30, 100, -5])
def test_manifest_body_byte_flip(store, offset):
    e, _ = _build(store, flush=True)
    pointer = e.log.read_pointer(e.version)
    key = "ns/" + pointer.body
    _flip(store, key, offset)
    with pytest.raises(CorruptedArtifactError) as info:
        Engine.open(_peer(store), "ns", mode="r")
    assert info.value.path == key


@pytest.mark.parametrize("offset", [4, 100, 500, -20])
def test_sst_byte_flip(store, offset):
    e, ids = _build(store, flush=True)
    desc = next(d for d in e.manifest.ssts if d.kind == "nodes")
    key = "ns/" + desc.key
    _flip(store, key, offset)
    r = Engine.open(_peer(store), "ns", mode="r")  # opening reads no SST
    with pytest.raises(CorruptedArtifactError) as info:
        r.lookup_node("P", ids[3])
    assert info.value.path == key
    with pytest.raises(CorruptedArtifactError):
        r.scan_label_arrow("P")


def test_missing_sst_reported(store):
    e, ids = _build(store, flush=True)
    desc = next(d for d in e.manifest.ssts if d.kind == "edges_fwd")
    store.delete("ns/" + desc.key)
    r = Engine.open(_peer(store), "ns", mode="r")
    with pytest.raises(CorruptedArtifactError, match="missing"):
        r.out_edges("R", ids[0])


def test_damaged_hint_is_ignored(store):
    e, ids = _build(store, flush=True)
    store.put("ns/" + paths.HINT, b"garbage")
    r = Engine.open(_peer(store), "ns", mode="r")
    assert r.version == e.version
    assert r.lookup_node("P", ids[0])["properties"] == {"v": 0}
