"""The S3 error mapping and the 409 retry, on synthetic library errors (no emulator needed)."""

from __future__ import annotations

from typing import Any

import pytest

from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    ClientClosedError,
    ObjectNotFoundError,
    PreconditionFailedError,
    StorageError,
    TransientStoreError,
)
from namidb_s3 import S3Store
from namidb_s3.errors import ConditionalRequestConflictError, is_range_error, map_s3_error


class FakeClientError(Exception):
    """Shaped like botocore's ClientError: a ``response`` dict."""

    def __init__(self, code: str, status: int, condition: str | None = None) -> None:
        super().__init__(code)
        error: dict[str, Any] = {"Code": code, "Message": f"{code} happened"}
        if condition:
            error["Condition"] = condition
        self.response = {"Error": error, "ResponseMetadata": {"HTTPStatusCode": status}}


def translated(
    code: str, status: int, builtin: type[OSError] = OSError, condition: str | None = None
) -> OSError:
    """What s3fs raises: a builtin whose __cause__ is the ClientError."""
    e = builtin(code)
    e.__cause__ = FakeClientError(code, status, condition)
    return e


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (translated("NoSuchKey", 404, FileNotFoundError), ObjectNotFoundError),
        (translated("NoSuchBucket", 404, FileNotFoundError), BackendError),
        (translated("PreconditionFailed", 412, FileExistsError, "If-None-Match"), AlreadyExistsError),
        (translated("PreconditionFailed", 412), PreconditionFailedError),
        (translated("ConditionalRequestConflict", 409), ConditionalRequestConflictError),
        (translated("SlowDown", 503), TransientStoreError),
        (translated("InternalError", 500), TransientStoreError),
        (translated("AccessDenied", 403, PermissionError), BackendError),
        (translated("WeirdThing", 400), StorageError),
        (ConnectionResetError("reset"), TransientStoreError),
    ],
)
def test_error_mapping(error: BaseException, expected: type[Exception]) -> None:
    mapped = map_s3_error(error, "k", "bucket")
    assert type(mapped) is expected
    assert "k" in str(mapped) or "bucket" in str(mapped)


def test_outer_namidb_errors_do_not_leak_into_the_mapping() -> None:
    outer = PreconditionFailedError("the caller's own failure")
    inner = FileNotFoundError("k")
    inner.__context__ = outer  # raised while the caller handled its own error
    assert type(map_s3_error(inner, "k", "b")) is ObjectNotFoundError


def test_range_errors_are_recognised() -> None:
    assert is_range_error(translated("InvalidRange", 416))
    assert not is_range_error(translated("NoSuchKey", 404))


class FlakyFilesystem:
    """pipe_file answers 409 ConditionalRequestConflict ``conflicts`` times, then succeeds."""

    def __init__(self, conflicts: int, then_exists: bool = False) -> None:
        self.conflicts = conflicts
        self.then_exists = then_exists
        self.calls = 0

    def pipe_file(self, path: str, data: bytes, **kwargs: Any) -> dict[str, str]:
        self.calls += 1
        if self.calls <= self.conflicts:
            raise translated("ConditionalRequestConflict", 409)
        if self.then_exists:
            raise translated("PreconditionFailed", 412, FileExistsError, "If-None-Match")
        return {"ETag": '"abc"'}

    def info(self, path: str) -> dict[str, Any]:
        return {"type": "file", "size": 1, "ETag": '"abc"'}


class StubbedS3Store(S3Store):
    def __init__(self, fs: FlakyFilesystem) -> None:
        super().__init__("bucket", "p")
        self.stub = fs

    def _open_filesystem(self) -> Any:
        return self.stub


def test_conditional_conflict_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("namidb_s3.store.time.sleep", lambda _: None)
    fs = FlakyFilesystem(conflicts=2)
    meta = StubbedS3Store(fs).put_if_absent("k", b"v")
    assert meta.version == '"abc"'
    assert fs.calls == 3


def test_conditional_conflict_then_winner_is_already_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("namidb_s3.store.time.sleep", lambda _: None)
    fs = FlakyFilesystem(conflicts=1, then_exists=True)
    with pytest.raises(AlreadyExistsError):
        StubbedS3Store(fs).put_if_absent("k", b"v")
    assert fs.calls == 2


def test_endless_conflicts_recheck_who_won(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("namidb_s3.store.time.sleep", lambda _: None)
    fs = FlakyFilesystem(conflicts=100)
    with pytest.raises(AlreadyExistsError, match="concurrent writer"):  # info() says the key exists
        StubbedS3Store(fs).put_if_absent("k", b"v")
    assert fs.calls == 5


def test_closed_store_refuses_calls() -> None:
    store = StubbedS3Store(FlakyFilesystem(conflicts=0))
    store.close()
    with pytest.raises(ClientClosedError):
        store.put("k", b"v")
