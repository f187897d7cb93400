"""The fault-injecting wrapper the engine's protocol tests rely on."""

from __future__ import annotations

import pytest

from namidb_core.errors import ObjectNotFoundError, TransientStoreError
from namidb_core.objectstore import FaultyStore, InjectedFault, MemoryStore


def test_forwards_and_records_calls():
    store = FaultyStore(MemoryStore())
    store.put("a", b"1")
    assert store.get("a") == b"1"
    assert store.calls == [("put", "a"), ("get", "a")]
    assert store.count("put") == 1


def test_fail_call_happens_before_the_call():
    store = FaultyStore(MemoryStore())
    store.fail_call(2, ops=["put_if_absent"])
    store.put_if_absent("a", b"1")
    with pytest.raises(InjectedFault):
        store.put_if_absent("b", b"2")
    with pytest.raises(ObjectNotFoundError):
        store.get("b")  # nothing happened
    store.put_if_absent("c", b"3")  # a fault fires once
    assert store.fired == 1


def test_lose_response_happens_after_the_call():
    store = FaultyStore(MemoryStore())
    store.lose_response(1, ops=["put"])
    with pytest.raises(TransientStoreError, match="lost response"):
        store.put("a", b"1")
    assert store.get("a") == b"1"  # the write happened


def test_fault_filters_by_key_prefix():
    store = FaultyStore(MemoryStore())
    store.fail_call(1, ops=["put"], key_prefix="wal/")
    store.put("manifest/x", b"")
    with pytest.raises(InjectedFault):
        store.put("wal/1", b"")


def test_custom_error_class():
    store = FaultyStore(MemoryStore())
    store.fail_call(1, ops=["get"], error=OSError)
    with pytest.raises(OSError, match="injected"):
        store.get("x")


def test_lagging_list_hides_new_keys_until_settled():
    store = FaultyStore(MemoryStore())
    store.put("old", b"")
    store.lag_list()
    store.put("new", b"")
    assert [m.key for m in store.list()] == ["old"]
    assert store.get("new") == b""  # reads are not lagging
    store.settle()
    assert [m.key for m in store.list()] == ["new", "old"]


def test_bad_arming_is_rejected():
    store = FaultyStore(MemoryStore())
    with pytest.raises(ValueError, match="bad fault"):
        store.fail_call(0)
    with pytest.raises(ValueError, match="bad fault"):
        store.fail_call(1, ops=["frobnicate"])
