import json

import pytest

from namidb_core.errors import CommitConflictError, CorruptedArtifactError, WriterFencedError
from namidb_core.objectstore.faulty import FaultyStore
from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage.manifest import ManifestLog, paths
from namidb_core.storage.manifest.model import Manifest, Pointer, SstDescriptor, WalSegmentRef


def _manifest(version=1, epoch=1, writer="w1"):
    return Manifest(
        version=version,
        epoch=epoch,
        writer=writer,
        next_lsn=10,
        wal=(WalSegmentRef("wal/a.wal", "ab" * 32, 1, 9, 100),),
        ssts=(
            SstDescriptor(
                "sst/level0/x.parquet",
                "nodes",
                "Person",
                0,
                "00",
                "ff",
                1,
                5,
                5,
                100,
                "cd" * 32,
                labels=("Person",),
                props={"age": {"type": "int64", "min": 1, "max": 9, "nulls": 0}},
            ),
        ),
        schema={"labels": {"Person": {"age": ["int64"]}}},
        garbage=(("wal/old.wal", 12.5),),
        created_at=1.0,
        nonce=f"n{version}",
    )


def test_body_round_trip_and_checksum():
    m = _manifest()
    data = m.to_bytes()
    assert Manifest.from_bytes("k", data) == m
    assert json.loads(data)["checksum"]


def test_every_byte_flip_in_body_detected():
    data = _manifest().to_bytes()
    for i in range(0, len(data), 7):
        damaged = bytearray(data)
        damaged[i] = (damaged[i] + 1) % 256
        with pytest.raises(CorruptedArtifactError) as info:
            Manifest.from_bytes("ns/manifest/v1.json", bytes(damaged))
        assert info.value.path == "ns/manifest/v1.json"


def test_pointer_round_trip():
    p = Pointer(3, "manifest/v3.json", "ab", 2, "w")
    assert Pointer.from_bytes("k", p.to_bytes()) == p
    with pytest.raises(CorruptedArtifactError):
        Pointer.from_bytes("k", b"{nope")


def test_paths_are_lexically_ordered_and_parse():
    assert paths.pointer_key(255) < paths.pointer_key(256)
    assert paths.pointer_version(paths.pointer_key(77)) == 77
    assert paths.pointer_version("manifest/v0000000000000001.json") is None
    assert paths.key_time(paths.wal_key(1, 1)) == pytest.approx(__import__("time").time(), abs=5)
    k = paths.sst_key(0, "nodes", "Per/son ü")
    assert "/" not in k.split("level0/")[1]


def test_commit_and_latest_with_lagging_list():
    store = FaultyStore(MemoryStore())
    log = ManifestLog(store, "ns/")
    assert log.load_latest() is None
    log.commit(_manifest(1))
    store.lag_list()
    log.commit(_manifest(2))
    log.commit(_manifest(3))
    assert log.latest_version() == 3  # LIST lags; forward HEAD probes find 2 and 3
    assert log.load(3).nonce == "n3"


def test_conflict_vs_fenced():
    store = MemoryStore()
    log = ManifestLog(store, "")
    log.commit(_manifest(1, epoch=1, writer="a"))
    log.commit(_manifest(2, epoch=2, writer="b"))
    with pytest.raises(WriterFencedError):
        log.commit(_manifest(2, epoch=1, writer="a"))
    log.commit(_manifest(3, epoch=2, writer="b"))
    other = _manifest(3, epoch=2, writer="b")
    other = Manifest(**{**other.__dict__, "nonce": "different"})
    with pytest.raises(CommitConflictError):
        log.commit(other)


def test_retried_commit_with_identical_body_is_idempotent():
    store = MemoryStore()
    log = ManifestLog(store, "")
    m = _manifest(1)
    log.commit(m)
    log.commit(m)  # a retry after a lost response: same bytes, no error
    assert log.latest_version() == 1


def test_foreign_body_without_pointer_does_not_block():
    """The slot trap: a stale writer's body took v2 but its pointer never landed."""
    store = MemoryStore()
    log = ManifestLog(store, "")
    log.commit(_manifest(1, epoch=1, writer="old"))
    store.put_if_absent(paths.body_key(2), _manifest(2, epoch=1, writer="old").to_bytes())
    live = _manifest(2, epoch=2, writer="new")
    log.commit(live)
    got = log.load(2)
    assert got.writer == "new"
    assert log.read_pointer(2).body != paths.body_key(2)
    # the stale writer now tries to finish: its pointer slot is taken, and it is fenced
    with pytest.raises(WriterFencedError):
        log.commit(_manifest(2, epoch=1, writer="old"))
    assert log.load(2).writer == "new"


def test_damaged_body_named_in_error():
    store = MemoryStore()
    log = ManifestLog(store, "ns/")
    log.commit(_manifest(1))
    key = "ns/" + paths.body_key(1)
    data = bytearray(store.get(key))
    data[10] ^= 1
    store.put(key, bytes(data))
    with pytest.raises(CorruptedArtifactError) as info:
        log.load(1)
    assert info.value.path == key
