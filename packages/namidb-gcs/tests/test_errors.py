"""How GCS failures surface: namidb's own error classes, raised from the library's."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    ObjectNotFoundError,
    PreconditionFailedError,
    TransientStoreError,
)
from namidb_core.objectstore.preflight import verify_create_only
from namidb_core.testing.emulators import CountingProxy, Emulator, free_port
from namidb_gcs import GCSStore

pytestmark = [
    pytest.mark.gcs,
    pytest.mark.filterwarnings("ignore:Sending a large body directly:ResourceWarning"),
]


class _InstantAsyncio:
    """Stands in for gcsfs.retry's ``asyncio``: its backoff sleeps return at once."""

    @staticmethod
    async def sleep(_: float) -> None:
        await asyncio.sleep(0)


def test_closed_port_is_transient(monkeypatch: pytest.MonkeyPatch) -> None:
    import gcsfs.retry

    # gcsfs retries connection errors 6 times with 1-16 s backoff; skip the waiting.
    monkeypatch.setattr(gcsfs.retry, "asyncio", _InstantAsyncio)
    store = GCSStore("b", "p", endpoint=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(TransientStoreError) as info:
        store.get("k")
    assert info.value.__cause__ is not None
    with pytest.raises(TransientStoreError):
        store.put_if_absent("k", b"v")
    store.close()


def test_missing_bucket_is_a_backend_error_on_write(gcs_server: Emulator) -> None:
    name = f"missing-{uuid.uuid4().hex[:12]}"
    store = GCSStore(name, "p", endpoint=gcs_server.endpoint)
    with pytest.raises(BackendError, match=name):
        store.put("k", b"v")
    with pytest.raises(BackendError, match=name):
        store.put_if_absent("k", b"v")
    store.close()


def test_conditional_failures(gcs_store: GCSStore) -> None:
    meta = gcs_store.put_if_absent("k", b"one")
    assert meta.version
    assert meta.version.isdigit()
    with pytest.raises(AlreadyExistsError) as info:
        gcs_store.put_if_absent("k", b"two")
    assert isinstance(info.value.__cause__, FileExistsError)
    with pytest.raises(PreconditionFailedError) as stale:
        gcs_store.put_if_match("k", b"three", "1")
    assert not isinstance(stale.value, AlreadyExistsError)
    with pytest.raises(ObjectNotFoundError):  # GCS answers 412 here; the store tells it apart
        gcs_store.put_if_match("absent", b"x", meta.version)
    assert gcs_store.get("k") == b"one"


def test_preflight_passes_on_fake_gcs_server(gcs_store: GCSStore) -> None:
    verify_create_only(gcs_store)
    assert list(gcs_store.list()) == []


def test_get_range_is_a_ranged_get(gcs_server: Emulator) -> None:
    with CountingProxy(gcs_server.port) as proxy:
        store = GCSStore("namidb-test", f"t/{uuid.uuid4().hex}", endpoint=f"http://127.0.0.1:{proxy.port}")
        data = bytes(range(256)) * 8192  # 2 MiB
        store.put("big", data)
        proxy.reset()
        assert store.get_range("big", 1_000_000, 100) == data[1_000_000:1_000_100]
        assert proxy.received < 8_000  # headers + 100 bytes, not 2 MiB
        proxy.reset()
        assert store.get("big") == data
        assert proxy.received > len(data)
        store.close()
