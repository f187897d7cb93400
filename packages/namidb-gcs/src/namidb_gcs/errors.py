"""Translate gcsfs / aiohttp / google-auth exceptions into :mod:`namidb_core.errors`.

gcsfs raises ``FileNotFoundError`` for 404, ``FileExistsError`` for *every*
412 (a failed ``ifGenerationMatch``, whatever the generation), ``OSError``
("Forbidden") for 403, ``ValueError`` ("Bad Request") for some 400s and
``gcsfs.retry.HttpError`` (with ``.code``) for the rest, after its own
retries of 5xx / 429 / connection errors.
"""

from __future__ import annotations

from namidb_core.errors import (
    BackendError,
    NamiDBError,
    PreconditionFailedError,
    StorageError,
    TransientStoreError,
)
from namidb_core.objectstore.fsspec_store import exception_chain, map_builtin_error

__all__ = ["is_range_error", "map_gcs_error"]

_TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})
# aiohttp / requests classes gcsfs lets through after its own retries.
_CONNECTION_ERRORS = frozenset(
    {"ClientError", "ClientConnectorError", "ServerDisconnectedError", "ProxyError", "TimeoutError"}
)


def _chain(e: BaseException) -> list[BaseException]:
    # gcsfs raises its errors directly (no implicit re-raise), so __cause__ is enough.
    return exception_chain(e)


def _status(e: BaseException) -> int | None:
    code = getattr(e, "code", None)
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.isdigit():
        return int(code)
    status = getattr(e, "status", None)  # aiohttp.ClientResponseError
    return status if isinstance(status, int) else None


def is_range_error(e: BaseException) -> bool:
    """Whether ``e`` is a 416 (a ranged read starting at or past the end)."""
    return any(_status(x) == 416 for x in _chain(e))


def map_gcs_error(e: BaseException, key: str, bucket: str, *, create_only: bool = False) -> NamiDBError:
    """Map an exception raised by gcsfs for an operation on ``key`` in ``bucket``.

    Args:
        create_only: the call was a create-only write, so a 412 means the key exists.
    """
    if isinstance(e, NamiDBError):
        return e
    if isinstance(e, FileExistsError):
        # gcsfs turns every 412 into FileExistsError; only a create-only write
        # (ifGenerationMatch=0) makes that "already exists".
        if create_only:
            return map_builtin_error(e, key)
        return PreconditionFailedError(f"generation precondition failed on {key!r}")
    names = {c.__name__ for x in _chain(e) for c in type(x).__mro__}
    if "RefreshError" in names or "DefaultCredentialsError" in names:
        return BackendError(f"Google Cloud credentials for bucket {bucket!r} failed: {e}")
    for x in _chain(e):
        status = _status(x)
        if status in _TRANSIENT_STATUS:
            return TransientStoreError(f"GCS {status} on {key!r}: {x}")
        if status in (401, 403):
            return BackendError(f"GCS refused access to bucket {bucket!r} ({status}): {x}")
    if isinstance(e, OSError) and str(e).startswith("Forbidden"):
        return BackendError(f"GCS refused access to bucket {bucket!r}: {e}")
    if names & _CONNECTION_ERRORS:
        return TransientStoreError(f"GCS connection error on {key!r}: {e}")
    if isinstance(e, ValueError):
        return StorageError(f"GCS rejected the request on {key!r}: {e}")
    return map_builtin_error(e, key)
