"""The Azure error mapping on synthetic azure-core errors (no emulator needed)."""

from __future__ import annotations

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
    ServiceRequestError,
)

from namidb_azure.errors import is_range_error, map_azure_error
from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    ObjectNotFoundError,
    PreconditionFailedError,
    TransientStoreError,
)


def with_status(error: HttpResponseError, status: int, code: str = "") -> HttpResponseError:
    error.status_code = status
    error.error_code = code
    return error


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: ResourceExistsError("exists"), AlreadyExistsError),
        (lambda: ResourceModifiedError("moved"), PreconditionFailedError),
        (lambda: ResourceNotFoundError("gone"), ObjectNotFoundError),
        (lambda: with_status(ResourceNotFoundError("gone"), 404, "ContainerNotFound"), BackendError),
        (lambda: ClientAuthenticationError("bad key"), BackendError),
        (lambda: ServiceRequestError("refused"), TransientStoreError),
        (lambda: with_status(HttpResponseError("busy"), 503, "ServerBusy"), TransientStoreError),
        (lambda: FileNotFoundError("k"), ObjectNotFoundError),
        (lambda: FileExistsError("k"), AlreadyExistsError),
    ],
)
def test_error_mapping(make, expected: type[Exception]) -> None:
    assert type(map_azure_error(make(), "k", "container")) is expected


def test_builtin_wins_over_an_unrelated_context() -> None:
    # adlfs raises FileNotFoundError inside an except block; a stale 412 in the
    # context must not turn "absent" into "precondition failed".
    e = FileNotFoundError("k")
    e.__context__ = ResourceModifiedError("earlier")
    assert type(map_azure_error(e, "k", "c")) is ObjectNotFoundError


def test_container_not_found_behind_a_builtin() -> None:
    e = FileNotFoundError("k")
    e.__context__ = with_status(ResourceNotFoundError("no container"), 404, "ContainerNotFound")
    mapped = map_azure_error(e, "k", "c0ntainer")
    assert type(mapped) is BackendError
    assert "c0ntainer" in str(mapped)


def test_range_errors_are_recognised() -> None:
    assert is_range_error(with_status(HttpResponseError("range"), 416, "InvalidRange"))
    assert not is_range_error(ResourceNotFoundError("gone"))
