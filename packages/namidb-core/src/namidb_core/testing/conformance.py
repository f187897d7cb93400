"""The object-store conformance suite every backend's tests subclass.

A backend proves itself with a few lines::

    from namidb_core.testing import CrossProcessConformance, ObjectStoreConformance

    class TestMyStore(ObjectStoreConformance, CrossProcessConformance):
        @pytest.fixture
        def store(self):
            s = MyStore(...)          # empty, or rooted at a fresh prefix
            yield s
            s.close()

Capabilities are class attributes (``supports_put_if_match``); a test that a
backend knowingly fails is marked ``xfail(strict=True)`` in the subclass, so
fixing it forces the mark off. Every test writes under its own random prefix,
so one bucket can serve the whole run.

``open_peer`` must return a *second, independent* store instance over the same
data (the default pickles the store, which is also how the cross-process race
ships it to its children); ``memory://`` overrides it.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import uuid
from typing import Any, ClassVar

import pytest

from namidb_core.errors import (
    AlreadyExistsError,
    InvalidArgumentError,
    ObjectNotFoundError,
    PreconditionFailedError,
    UnsupportedOperationError,
)
from namidb_core.objectstore.base import ObjectStore

__all__ = ["CrossProcessConformance", "ObjectStoreConformance"]

RACERS = 8


def _race_in_child(
    store_bytes: bytes, key: str, payload: bytes, barrier: Any, results: Any, index: int
) -> None:
    """One racing process: open the store, wait for the others, try to create ``key``."""
    store: ObjectStore = pickle.loads(store_bytes)
    barrier.wait(timeout=60)
    try:
        store.put_if_absent(key, payload)
        outcome = "won"
    except AlreadyExistsError:
        outcome = "lost"
    except Exception as e:  # report, never hang the parent
        outcome = f"error: {type(e).__name__}: {e}"
    seen = store.get(key)
    results.put((index, outcome, seen))


class ObjectStoreConformance:
    """Behaviour every :class:`~namidb_core.objectstore.ObjectStore` must have."""

    #: Whether the store implements ``put_if_match`` (else it must raise UnsupportedOperationError).
    supports_put_if_match: ClassVar[bool] = True
    #: Rounds of the thread race.
    race_rounds: ClassVar[int] = 5

    @pytest.fixture
    def store(self) -> ObjectStore:
        """An empty store (or one whose other keys do not start with ``conformance/``)."""
        raise NotImplementedError("a conformance subclass must provide a 'store' fixture")

    @pytest.fixture
    def prefix(self) -> str:
        """A fresh key prefix per test, so tests never see each other's objects."""
        return f"conformance/{uuid.uuid4().hex}/"

    def open_peer(self, store: ObjectStore) -> ObjectStore:
        """A second, independent instance over the same data."""
        peer: ObjectStore = pickle.loads(pickle.dumps(store))
        return peer

    # -- round trips -------------------------------------------------------------
    def test_round_trip(self, store: ObjectStore, prefix: str) -> None:
        key = prefix + "a/b/object.bin"
        meta = store.put(key, b"hello")
        assert meta.key == key
        assert meta.size == 5
        assert store.get(key) == b"hello"
        assert store.head(key).size == 5

    def test_put_replaces(self, store: ObjectStore, prefix: str) -> None:
        key = prefix + "obj"
        store.put(key, b"first version")
        store.put(key, b"second")
        assert store.get(key) == b"second"
        assert store.head(key).size == 6

    def test_empty_object(self, store: ObjectStore, prefix: str) -> None:
        store.put(prefix + "empty", b"")
        assert store.get(prefix + "empty") == b""
        assert store.head(prefix + "empty").size == 0

    def test_binary_payload(self, store: ObjectStore, prefix: str) -> None:
        data = bytes(range(256)) * 4096  # 1 MiB, every byte value
        store.put(prefix + "bin", data)
        assert store.get(prefix + "bin") == data

    def test_put_stream(self, store: ObjectStore, prefix: str) -> None:
        chunks = [os.urandom(1000) for _ in range(7)]
        meta = store.put_stream(prefix + "streamed", iter(chunks))
        assert meta.size == 7000
        assert store.get(prefix + "streamed") == b"".join(chunks)

    # -- ranges --------------------------------------------------------------------
    def test_get_range(self, store: ObjectStore, prefix: str) -> None:
        data = bytes(range(200))
        store.put(prefix + "r", data)
        assert store.get_range(prefix + "r", 0, 10) == data[:10]
        assert store.get_range(prefix + "r", 50, 25) == data[50:75]
        assert store.get_range(prefix + "r", 190, 100) == data[190:]
        assert store.get_range(prefix + "r", 199, 1) == data[199:]
        assert store.get_range(prefix + "r", 10, 0) == b""

    def test_get_range_past_end_is_empty(self, store: ObjectStore, prefix: str) -> None:
        store.put(prefix + "r", b"abc")
        assert store.get_range(prefix + "r", 3, 10) == b""
        assert store.get_range(prefix + "r", 100, 10) == b""

    def test_get_range_rejects_negative(self, store: ObjectStore, prefix: str) -> None:
        store.put(prefix + "r", b"abc")
        with pytest.raises(InvalidArgumentError):
            store.get_range(prefix + "r", -1, 2)
        with pytest.raises(InvalidArgumentError):
            store.get_range(prefix + "r", 0, -2)

    # -- missing keys and bad keys ----------------------------------------------------
    def test_missing_key(self, store: ObjectStore, prefix: str) -> None:
        with pytest.raises(ObjectNotFoundError):
            store.get(prefix + "nope")
        with pytest.raises(ObjectNotFoundError):
            store.head(prefix + "nope")
        with pytest.raises(ObjectNotFoundError):
            store.get_range(prefix + "nope", 0, 1)

    @pytest.mark.parametrize("bad", ["", "/abs", "a//b", "a/../b", "./a", "a/"])
    def test_bad_keys_rejected(self, store: ObjectStore, bad: str) -> None:
        with pytest.raises(InvalidArgumentError):
            store.put(bad, b"x")
        with pytest.raises(InvalidArgumentError):
            store.get(bad)

    # -- create-only ----------------------------------------------------------------
    def test_put_if_absent_creates(self, store: ObjectStore, prefix: str) -> None:
        meta = store.put_if_absent(prefix + "new", b"payload")
        assert meta.size == 7
        assert store.get(prefix + "new") == b"payload"

    def test_put_if_absent_conflict_keeps_winner(self, store: ObjectStore, prefix: str) -> None:
        store.put_if_absent(prefix + "k", b"winner")
        with pytest.raises(AlreadyExistsError):
            store.put_if_absent(prefix + "k", b"loser bytes")
        assert store.get(prefix + "k") == b"winner"
        with pytest.raises(PreconditionFailedError):  # AlreadyExists is a PreconditionFailed
            store.put_if_absent(prefix + "k", b"again")

    def test_put_if_absent_after_plain_put(self, store: ObjectStore, prefix: str) -> None:
        store.put(prefix + "k", b"plain")
        with pytest.raises(AlreadyExistsError):
            store.put_if_absent(prefix + "k", b"other")
        assert store.get(prefix + "k") == b"plain"

    def test_put_if_absent_after_delete(self, store: ObjectStore, prefix: str) -> None:
        store.put_if_absent(prefix + "k", b"one")
        store.delete(prefix + "k")
        store.put_if_absent(prefix + "k", b"two")
        assert store.get(prefix + "k") == b"two"

    def test_thread_race(self, store: ObjectStore, prefix: str) -> None:
        for round_ in range(self.race_rounds):
            key = f"{prefix}race-{round_}"
            barrier = threading.Barrier(RACERS)
            outcomes: list[str] = [""] * RACERS

            def racer(
                i: int, key: str = key, barrier: threading.Barrier = barrier, outcomes: list[str] = outcomes
            ) -> None:
                barrier.wait(timeout=60)
                try:
                    store.put_if_absent(key, f"racer-{i}".encode())
                    outcomes[i] = "won"
                except AlreadyExistsError:
                    outcomes[i] = "lost"
                except Exception as e:
                    outcomes[i] = f"error: {type(e).__name__}: {e}"

            threads = [threading.Thread(target=racer, args=(i,)) for i in range(RACERS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            assert sorted(outcomes) == ["lost"] * (RACERS - 1) + ["won"], outcomes
            winner = outcomes.index("won")
            assert store.get(key) == f"racer-{winner}".encode()

    # -- compare-and-swap ---------------------------------------------------------------
    def test_put_if_match(self, store: ObjectStore, prefix: str) -> None:
        key = prefix + "cas"
        first = store.put(key, b"v1")
        if not self.supports_put_if_match:
            with pytest.raises(UnsupportedOperationError):
                store.put_if_match(key, b"v2", first.version or "")
            return
        version = first.version if first.version is not None else store.head(key).version
        assert version is not None
        second = store.put_if_match(key, b"v2", version)
        assert store.get(key) == b"v2"
        with pytest.raises(PreconditionFailedError):
            store.put_if_match(key, b"v3", version)  # stale
        assert store.get(key) == b"v2"
        assert second.version != version
        with pytest.raises(ObjectNotFoundError):
            store.put_if_match(prefix + "absent", b"x", version)

    # -- listing -------------------------------------------------------------------------
    def test_list_lexical_order(self, store: ObjectStore, prefix: str) -> None:
        names = ["b", "a/b", "a-b", "a.b", "a/c/d", "ab", "a0", "A", "z/z/z", "a/b0"]
        for n in names:
            store.put(prefix + n, n.encode())
        listed = [m.key for m in store.list(prefix)]
        assert listed == sorted(prefix + n for n in names)
        assert [m.size for m in store.list(prefix)] == [len(k) - len(prefix) for k in listed]

    def test_list_prefix_filters(self, store: ObjectStore, prefix: str) -> None:
        for n in ["a/1", "a/2", "ab/1", "b/1"]:
            store.put(prefix + n, b"x")
        assert [m.key for m in store.list(prefix + "a/")] == [prefix + "a/1", prefix + "a/2"]
        assert [m.key for m in store.list(prefix + "a")] == [prefix + "a/1", prefix + "a/2", prefix + "ab/1"]
        assert list(store.list(prefix + "missing/")) == []

    def test_list_counts_many(self, store: ObjectStore, prefix: str) -> None:
        keys = [f"{prefix}m/{i:05x}" for i in range(1200)]  # past one S3/GCS page of 1000
        for k in keys:
            store.put(k, b"")
        assert [m.key for m in store.list(prefix + "m/")] == keys

    # -- delete ----------------------------------------------------------------------------
    def test_delete_is_idempotent(self, store: ObjectStore, prefix: str) -> None:
        store.put(prefix + "d", b"x")
        store.delete(prefix + "d")
        store.delete(prefix + "d")
        store.delete(prefix + "never-existed")
        with pytest.raises(ObjectNotFoundError):
            store.get(prefix + "d")
        assert list(store.list(prefix)) == []

    # -- two instances ----------------------------------------------------------------------
    def test_peer_sees_new_keys_at_once(self, store: ObjectStore, prefix: str) -> None:
        peer = self.open_peer(store)
        try:
            assert peer.identity == store.identity
            for i in range(5):
                key = f"{prefix}p/{i}"
                store.put_if_absent(key, f"v{i}".encode())
                assert peer.get(key) == f"v{i}".encode()
                assert [m.key for m in peer.list(prefix + "p/")][-1] == key
                with pytest.raises(AlreadyExistsError):
                    peer.put_if_absent(key, b"peer")
            peer.put(prefix + "from-peer", b"hi")
            assert store.get(prefix + "from-peer") == b"hi"
            peer.delete(prefix + "from-peer")
            with pytest.raises(ObjectNotFoundError):
                store.head(prefix + "from-peer")
        finally:
            peer.close()


class CrossProcessConformance:
    """The create-only race across processes, for stores other processes can open.

    The store is pickled into ``RACERS`` spawned processes; the pickle must
    reopen the same data (``memory://`` cannot, so it does not use this class).
    """

    process_rounds: ClassVar[int] = 3

    def test_process_race(self, store: ObjectStore, prefix: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        blob = pickle.dumps(store)
        for round_ in range(self.process_rounds):
            key = f"{prefix}prace-{round_}"
            barrier = ctx.Barrier(RACERS)
            results = ctx.Queue()
            procs = [
                ctx.Process(
                    target=_race_in_child,
                    args=(blob, key, f"proc-{i}".encode(), barrier, results, i),
                )
                for i in range(RACERS)
            ]
            for p in procs:
                p.start()
            try:
                got = [results.get(timeout=120) for _ in procs]
            finally:
                for p in procs:
                    p.join(timeout=60)
                    if p.is_alive():
                        p.kill()
            outcomes = {i: outcome for i, outcome, _ in got}
            assert sorted(outcomes.values()) == ["lost"] * (RACERS - 1) + ["won"], outcomes
            winner = next(i for i, o in outcomes.items() if o == "won")
            expected = f"proc-{winner}".encode()
            assert all(seen == expected for _, _, seen in got)
            assert store.get(key) == expected
