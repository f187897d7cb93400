"""Behaviour of core's memory and file stores beyond the shared conformance suite."""

from __future__ import annotations

import os
import pickle

import pytest

from namidb_core.errors import BackendError, InvalidArgumentError, ObjectNotFoundError
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
