"""How Azure failures surface: namidb's own error classes, raised from the library's."""

from __future__ import annotations

import uuid

import pytest

from namidb_azure import AzureStore
from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    ObjectNotFoundError,
    PreconditionFailedError,
    TransientStoreError,
)
from namidb_core.objectstore.preflight import verify_create_only
from namidb_core.testing.emulators import AZURITE_ACCOUNT, CountingProxy, Emulator, free_port

pytestmark = [
    pytest.mark.azure,
    # aiohttp warns (ResourceWarning, ignored by Python's default filters) when
    # the SDK hands it a body over 1 MiB as bytes; pytest.toml turns warnings into errors.
    pytest.mark.filterwarnings("ignore:Sending a large body directly:ResourceWarning"),
]


def _store(endpoint: str, container: str = "namidb-test", retry_total: int = 3) -> AzureStore:
    return AzureStore(
        AZURITE_ACCOUNT,
        container,
        f"t/{uuid.uuid4().hex}",
        endpoint=endpoint,
        allow_http=True,
        use_emulator=True,
        retry_total=retry_total,
    )


def test_closed_port_is_transient() -> None:
    store = _store(f"http://127.0.0.1:{free_port()}/{AZURITE_ACCOUNT}", retry_total=0)
    with pytest.raises(TransientStoreError) as info:
        store.get("k")
    assert info.value.__cause__ is not None
    store.close()


def test_missing_container_is_a_backend_error(azure_server: Emulator) -> None:
    name = f"missing-{uuid.uuid4().hex[:12]}"
    store = _store(azure_server.endpoint, name)
    with pytest.raises(BackendError, match=name):
        store.put("k", b"v")
    with pytest.raises(BackendError, match=name):
        store.put_if_absent("k", b"v")
    store.close()


def test_conditional_failures(azure_store: AzureStore) -> None:
    meta = azure_store.put_if_absent("k", b"one")
    assert meta.version
    assert meta.version.startswith('"0x')
    with pytest.raises(AlreadyExistsError) as info:
        azure_store.put_if_absent("k", b"two")
    assert info.value.__cause__ is not None
    with pytest.raises(PreconditionFailedError) as stale:
        azure_store.put_if_match("k", b"three", '"0x8D0000000000000"')
    assert not isinstance(stale.value, AlreadyExistsError)
    with pytest.raises(ObjectNotFoundError):
        azure_store.put_if_match("absent", b"x", meta.version)
    assert azure_store.get("k") == b"one"


def test_preflight_passes_on_azurite(azure_store: AzureStore) -> None:
    verify_create_only(azure_store)
    assert list(azure_store.list()) == []


def test_get_range_is_a_ranged_get(azure_server: Emulator) -> None:
    with CountingProxy(azure_server.port) as proxy:
        store = _store(f"http://127.0.0.1:{proxy.port}/{AZURITE_ACCOUNT}")
        data = bytes(range(256)) * 8192  # 2 MiB
        store.put("big", data)
        proxy.reset()
        assert store.get_range("big", 1_000_000, 100) == data[1_000_000:1_000_100]
        assert proxy.received < 8_000  # headers + 100 bytes, not 2 MiB
        proxy.reset()
        assert store.get("big") == data
        assert proxy.received > len(data)
        store.close()
