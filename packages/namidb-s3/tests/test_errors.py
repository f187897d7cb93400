"""How S3 failures surface: namidb's own error classes, raised from the library's."""

from __future__ import annotations

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
from namidb_core.testing.emulators import S3_TEST_CREDENTIALS, CountingProxy, Emulator, free_port
from namidb_s3 import S3Store

pytestmark = pytest.mark.s3


@pytest.fixture
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in S3_TEST_CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("fake_credentials")
def test_closed_port_is_transient() -> None:
    # max_attempts=1 keeps the test fast; with botocore's default retries it takes ~7 s.
    endpoint = f"http://127.0.0.1:{free_port()}"
    store = S3Store("b", "p", region="us-east-1", endpoint=endpoint, allow_http=True, max_attempts=1)
    with pytest.raises(TransientStoreError) as info:
        store.get("k")
    assert info.value.__cause__ is not None  # raised from the library's error
    with pytest.raises(TransientStoreError):
        store.put_if_absent("k", b"v")
    store.close()


def test_missing_credentials_are_a_backend_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-role lookup
    store = S3Store("b", "p", region="us-east-1", endpoint=f"http://127.0.0.1:{free_port()}", allow_http=True)
    with pytest.raises(BackendError, match="no AWS credentials"):
        store.get("k")
    store.close()


def test_missing_bucket_is_a_backend_error(s3_server: Emulator) -> None:
    name = f"missing-{uuid.uuid4().hex[:12]}"
    store = S3Store(name, "p", region="us-east-1", endpoint=s3_server.endpoint, allow_http=True)
    with pytest.raises(BackendError, match=name):
        store.put("k", b"v")
    with pytest.raises(BackendError, match=name):
        list(store.list())
    store.close()


def test_conditional_failures(s3_store: S3Store) -> None:
    meta = s3_store.put_if_absent("k", b"one")
    assert meta.version
    assert meta.version.startswith('"')
    with pytest.raises(AlreadyExistsError) as info:
        s3_store.put_if_absent("k", b"two")
    assert isinstance(info.value.__cause__, FileExistsError)
    with pytest.raises(PreconditionFailedError) as stale:
        s3_store.put_if_match("k", b"three", '"0123456789abcdef0123456789abcdef"')
    assert not isinstance(stale.value, AlreadyExistsError)
    with pytest.raises(ObjectNotFoundError):
        s3_store.put_if_match("absent", b"x", meta.version)
    assert s3_store.get("k") == b"one"


def test_preflight_passes_on_moto(s3_store: S3Store) -> None:
    verify_create_only(s3_store)
    assert list(s3_store.list()) == []


def test_get_range_is_a_ranged_get(s3_server: Emulator) -> None:
    with CountingProxy(s3_server.port) as proxy:
        store = S3Store(
            "namidb-test",
            f"t/{uuid.uuid4().hex}",
            region="us-east-1",
            endpoint=f"http://127.0.0.1:{proxy.port}",
            allow_http=True,
        )
        data = bytes(range(256)) * 8192  # 2 MiB
        store.put("big", data)
        proxy.reset()
        assert store.get_range("big", 1_000_000, 100) == data[1_000_000:1_000_100]
        assert proxy.received < 8_000  # headers + 100 bytes, not 2 MiB
        proxy.reset()
        assert store.get("big") == data
        assert proxy.received > len(data)  # the counter does see whole bodies
        store.close()
