"""Behaviour of core's memory and file stores beyond the shared conformance suite."""

from __future__ import annotations

import os
import pickle

import pytest

from namidb_core.errors import AlreadyExistsError, BackendError, InvalidArgumentError, ObjectNotFoundError
from namidb_core.objectstore import LocalStore, MemoryStore
from namidb_core.plugins import open_store


def test_memory_uris_never_share_data():
    a = open_store("memory://acme")
    b = open_store("memory://acme")
    a.put("k", b"a")
    with pytest.raises(ObjectNotFoundError):
        b.get("k")
    assert a.identity != b.identity


def test_memory_peer_shares_data():
    a = MemoryStore()
    a.put("k", b"v")
    assert a.peer().get("k") == b"v"
    assert a.peer().identity == a.identity


def test_file_store_opens_from_uri_without_writing(tmp_path):
    root = tmp_path / "db"
    store = open_store(f"file://{root}?ns=a")
    assert isinstance(store, LocalStore)
    assert store.root == str(root)
    assert not root.exists()  # nothing is created until the first write
    store.put("a/k", b"x")
    assert (root / "a" / "k").read_bytes() == b"x"


def test_file_store_rejects_a_file_as_root(tmp_path):
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(BackendError, match="not a directory"):
        LocalStore(tmp_path / "f")


def test_file_store_hides_and_refuses_temp_names(tmp_path):
    store = LocalStore(tmp_path)
    store.put("a/k", b"x")
    (tmp_path / "a" / "k.123.namidb-tmp").write_bytes(b"half")  # a crash leftover
    assert [m.key for m in store.list("a/")] == ["a/k"]
    with pytest.raises(InvalidArgumentError):
        store.put("a/x.namidb-tmp", b"")


def test_file_put_if_absent_leaves_no_temp_files(tmp_path):
    store = LocalStore(tmp_path)
    store.put_if_absent("k", b"1")
    with pytest.raises(Exception, match="already exists"):
        store.put_if_absent("k", b"2")
    assert sorted(os.listdir(tmp_path)) == ["k"]


def test_file_store_pickles_to_the_same_root(tmp_path):
    store = LocalStore(tmp_path)
    clone = pickle.loads(pickle.dumps(store))
    assert clone.identity == store.identity


def test_file_store_cannot_escape_its_root(tmp_path):
    store = LocalStore(tmp_path / "root")
    for key in ("../x", "a/../../x", "/etc/passwd"):
        with pytest.raises(InvalidArgumentError):
            store.put(key, b"")
    assert not (tmp_path / "x").exists()


# -- the file store's grouped and relaxed writes (used by the storage engine) ------------
@pytest.fixture(params=["anonymous", "named"])
def file_store(request, tmp_path, monkeypatch):
    """A file store using O_TMPFILE temporaries, and one forced onto named temporaries."""
    import namidb_core.objectstore.local as local

    if request.param == "named":
        monkeypatch.setattr(local, "_anonymous_ok", False)
    else:
        monkeypatch.setattr(local, "_anonymous_ok", bool(local._O_TMPFILE))
    return LocalStore(tmp_path)


def _temps(root):
    return [f for _, _, files in os.walk(root) for f in files if f.endswith(".namidb-tmp")]


def test_create_many_creates_compares_and_prepares(file_store):
    store = file_store
    store.put_if_absent("m/same", b"s")
    store.put_if_absent("m/other", b"o")
    results, prepared = store.create_many(
        [("w/a", b"A"), ("m/same", b"s"), ("m/other", b"not o"), ("deep/er/b", b"B" * 100_000)],
        prepare=[("p/ptr", b"P")],
    )
    assert results == [True, True, False, True]
    assert store.get("w/a") == b"A"
    assert store.get("deep/er/b") == b"B" * 100_000
    assert store.get("m/other") == b"o"  # never overwritten
    with pytest.raises(ObjectNotFoundError):
        store.get("p/ptr")  # prepared, not yet visible
    (ptr,) = prepared
    ptr.publish()
    assert store.get("p/ptr") == b"P"
    with pytest.raises(InvalidArgumentError):
        ptr.publish()  # only once
    assert _temps(store.root) == []


def test_prepared_create_is_create_only_and_discardable(file_store):
    store = file_store
    first = store.prepare_create("k", b"1")
    second = store.prepare_create("k", b"2")
    first.publish()
    with pytest.raises(AlreadyExistsError):
        second.publish()
    assert store.get("k") == b"1"
    third = store.prepare_create("j", b"3")
    third.discard()
    third.discard()  # idempotent
    with pytest.raises(ObjectNotFoundError):
        store.get("j")
    assert _temps(store.root) == []


def test_put_unsynced_overwrites(file_store):
    store = file_store
    store.put_unsynced("h/hint", b"1")
    store.put_unsynced("h/hint", b"22")
    assert store.get("h/hint") == b"22"
    assert _temps(store.root) == []


def test_create_many_race_has_one_winner_per_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    stores = [LocalStore(tmp_path) for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda i: stores[i].create_many([("race", bytes([i]))])[0][0], range(8)))
    assert outcomes.count(True) == 1
    assert stores[0].get("race") == bytes([outcomes.index(True)])
