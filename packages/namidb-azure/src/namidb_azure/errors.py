"""Translate adlfs / azure-core exceptions into :mod:`namidb_core.errors`.

adlfs re-raises some Azure errors as builtins (``FileNotFoundError``,
``FileExistsError``) and lets others through; the ``azure.core.exceptions``
class (and its ``error_code`` / ``status_code``) anywhere in the cause chain
decides the mapping here.
"""

from __future__ import annotations

from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    NamiDBError,
    ObjectNotFoundError,
    PreconditionFailedError,
    TransientStoreError,
)
from namidb_core.objectstore.fsspec_store import exception_chain, map_builtin_error

__all__ = ["is_range_error", "map_azure_error"]

_TRANSIENT_STATUS = frozenset({408, 429, 500, 502, 503, 504})


def _chain(e: BaseException) -> list[BaseException]:
    # adlfs re-raises inside ``except`` blocks without ``from``: follow __context__ too.
    return exception_chain(e, follow_context=True)


def _names(e: BaseException) -> set[str]:
    return {c.__name__ for c in type(e).__mro__}


def is_range_error(e: BaseException) -> bool:
    """Whether ``e`` is a 416 ``InvalidRange`` (a ranged read starting at or past the end)."""
    return any(
        getattr(x, "status_code", None) == 416 or str(getattr(x, "error_code", "")) == "InvalidRange"
        for x in _chain(e)
    )


def map_azure_error(e: BaseException, key: str, container: str) -> NamiDBError:
    """Map an exception raised by adlfs for an operation on ``key`` in ``container``."""
    if isinstance(e, NamiDBError):
        return e
    chain = _chain(e)
    if any(str(getattr(x, "error_code", "") or "") == "ContainerNotFound" for x in chain):
        return BackendError(f"Azure container {container!r} does not exist (while accessing {key!r})")
    # A builtin adlfs raised says what happened; its __context__ may be unrelated.
    if isinstance(e, (FileNotFoundError, FileExistsError)):
        return map_builtin_error(e, key)
    for x in chain:
        names = _names(x)
        status = getattr(x, "status_code", None)
        if "ResourceExistsError" in names:
            return AlreadyExistsError(f"object {key!r} already exists")
        if "ResourceModifiedError" in names or status == 412:
            return PreconditionFailedError(f"etag precondition failed on {key!r}")
        if "ResourceNotFoundError" in names:
            return ObjectNotFoundError(f"no object at {key!r}")
        if "ClientAuthenticationError" in names or status in (401, 403):
            return BackendError(f"Azure refused access to container {container!r}: {x}")
        if "ServiceRequestError" in names or "ServiceResponseError" in names:
            return TransientStoreError(f"Azure connection error on {key!r}: {x}")
        if status in _TRANSIENT_STATUS:
            return TransientStoreError(f"Azure {status} on {key!r}: {x}")
    return map_builtin_error(e, key)
