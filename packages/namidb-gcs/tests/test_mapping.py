"""The GCS error mapping on synthetic gcsfs errors (no emulator needed)."""

from __future__ import annotations

import pytest

from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    ObjectNotFoundError,
    PreconditionFailedError,
    StorageError,
    TransientStoreError,
)
from namidb_gcs.errors import is_range_error, map_gcs_error


def http_error(code: int) -> Exception:
    from gcsfs.retry import HttpError

    return HttpError({"code": code, "message": f"status {code}"})


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: FileNotFoundError("b/o/k"), ObjectNotFoundError),
        (lambda: FileExistsError("b/o"), PreconditionFailedError),  # a 412 outside create-only
        (lambda: http_error(503), TransientStoreError),
        (lambda: http_error(429), TransientStoreError),
        (lambda: http_error(401), BackendError),
        (lambda: OSError("Forbidden: b/o\nno access"), BackendError),
        (lambda: ValueError("Bad Request: invalid name"), StorageError),
    ],
)
def test_error_mapping(make, expected: type[Exception]) -> None:
    mapped = map_gcs_error(make(), "k", "bucket")
    assert type(mapped) is expected


def test_412_of_a_create_only_write_is_already_exists() -> None:
    assert type(map_gcs_error(FileExistsError("b/o"), "k", "b", create_only=True)) is AlreadyExistsError


def test_connection_errors_are_transient() -> None:
    import aiohttp

    assert type(map_gcs_error(aiohttp.ClientConnectionError("refused"), "k", "b")) is TransientStoreError


def test_range_errors_are_recognised() -> None:
    assert is_range_error(http_error(416))
    assert not is_range_error(http_error(404))
