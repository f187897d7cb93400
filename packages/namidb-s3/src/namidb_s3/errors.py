"""Translate s3fs / botocore / aiohttp exceptions into :mod:`namidb_core.errors`.

s3fs turns botocore's ``ClientError`` into builtin exceptions
(``FileNotFoundError``, ``FileExistsError``, ``OSError(EINVAL)`` ...) and keeps
the original as ``__cause__``; the S3 error code on that cause is what decides
the mapping here, the builtin type is the fallback.
"""

from __future__ import annotations

from typing import Any

from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    NamiDBError,
    ObjectNotFoundError,
    PreconditionFailedError,
    TransientStoreError,
)
from namidb_core.objectstore.fsspec_store import exception_chain, map_builtin_error

__all__ = ["ConditionalRequestConflictError", "is_range_error", "map_s3_error"]

_THROTTLING = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "RequestTimeout",
        "RequestTimeTooSkewed",
        "InternalError",
        "ServiceUnavailable",
    }
)
_AUTH = frozenset(
    {
        "AccessDenied",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "InvalidToken",
        "AuthorizationHeaderMalformed",
        "AllAccessDisabled",
    }
)
_NOT_FOUND = frozenset({"NoSuchKey", "NotFound", "404"})
# botocore / aiohttp classes that mean "the request may not have reached S3, or
# its answer was lost": worth retrying.
_TRANSIENT_CLASS_NAMES = frozenset(
    {
        "EndpointConnectionError",
        "ConnectionClosedError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ProxyConnectionError",
        "HTTPClientError",
        "ResponseStreamingError",
        "IncompleteReadError",
        "ClientConnectorError",
        "ServerDisconnectedError",
        "ClientPayloadError",
        "ClientOSError",
        "ServerTimeoutError",
        "FSTimeoutError",
    }
)


class ConditionalRequestConflictError(TransientStoreError):
    """S3's 409 ``ConditionalRequestConflict``: a concurrent conditional write was in flight.

    Retryable: the request did not take effect.
    """


def _client_error(e: BaseException) -> Any:
    """The botocore ``ClientError`` that s3fs translated (its ``__cause__``), if any."""
    for x in exception_chain(e):
        response = getattr(x, "response", None)
        if isinstance(response, dict) and "Error" in response:
            return x
    return None


def _chain_names(e: BaseException) -> set[str]:
    return {c.__name__ for x in exception_chain(e) for c in type(x).__mro__}


def is_range_error(e: BaseException) -> bool:
    """Whether ``e`` is S3's 416 ``InvalidRange`` (a read starting past the end)."""
    ce = _client_error(e)
    if ce is not None:
        err = ce.response.get("Error", {})
        status = ce.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return bool(err.get("Code") == "InvalidRange" or status == 416)
    return "not satisfiable" in str(e)


def map_s3_error(e: BaseException, key: str, bucket: str) -> NamiDBError:
    """Map an exception raised by s3fs for an operation on ``key`` in ``bucket``."""
    if isinstance(e, NamiDBError):
        return e
    ce = _client_error(e)
    if ce is not None:
        err = ce.response.get("Error", {})
        code = str(err.get("Code", ""))
        status = ce.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        message = err.get("Message") or str(ce)
        if code == "NoSuchBucket":
            return BackendError(f"S3 bucket {bucket!r} does not exist (while accessing {key!r})")
        if code in _NOT_FOUND:
            return ObjectNotFoundError(f"no object at {key!r}")
        if code == "PreconditionFailed" or status == 412:
            if err.get("Condition") == "If-None-Match":
                return AlreadyExistsError(f"object {key!r} already exists")
            return PreconditionFailedError(f"precondition failed on {key!r}: {message}")
        if code == "ConditionalRequestConflict" or (status == 409 and "onditional" in message):
            return ConditionalRequestConflictError(f"conflicting conditional write on {key!r}: {message}")
        if code in _THROTTLING or status >= 500 or status in (408, 429):
            return TransientStoreError(f"S3 {code or status} on {key!r}: {message}")
        if code in _AUTH or status in (401, 403):
            return BackendError(f"S3 refused access to {bucket!r} ({code}): {message}")
    names = _chain_names(e)
    if "NoCredentialsError" in names or "PartialCredentialsError" in names:
        return BackendError(
            f"no AWS credentials found for S3 bucket {bucket!r}: set AWS_ACCESS_KEY_ID / "
            "AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run where an instance role is available"
        )
    if names & _TRANSIENT_CLASS_NAMES:
        return TransientStoreError(f"S3 connection error on {key!r}: {e}")
    if isinstance(e, FileExistsError):
        return AlreadyExistsError(f"object {key!r} already exists")
    return map_builtin_error(e, key)
