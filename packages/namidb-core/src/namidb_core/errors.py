"""The error classes every namidb package raises.

One hierarchy for the whole project, rooted at :class:`NamiDBError`, so a
caller can catch everything namidb raises with one ``except``. Classes inherit
from a Python builtin only where the user-facing contract promises it: a
malformed URI is a ``ValueError`` and a backend that cannot be opened is a
``RuntimeError`` (see ``shared/spec/python-api.md``). Storage errors are
namidb's own, so a lost compare-and-swap looks the same on every backend.
"""

from __future__ import annotations

__all__ = [
    "AlreadyExistsError",
    "BackendError",
    "BackendNotInstalledError",
    "ClientClosedError",
    "CommitConflictError",
    "CommitStateUnknownError",
    "CorruptedArtifactError",
    "InvalidArgumentError",
    "InvalidURIError",
    "NamiDBError",
    "ObjectNotFoundError",
    "PluginConflictError",
    "PreconditionFailedError",
    "ReadOnlyError",
    "StorageError",
    "TransientStoreError",
    "UnknownSchemeError",
    "UnsupportedOperationError",
    "WriterFencedError",
]


class NamiDBError(Exception):
    """Base class of every error namidb raises on purpose."""


class InvalidArgumentError(NamiDBError, ValueError):
    """A public function was given a value it cannot accept.

    The message names the argument (or the offending row) and what was expected.
    """


class InvalidURIError(InvalidArgumentError):
    """A store URI is malformed, lacks its namespace, or has a bad parameter."""


class UnknownSchemeError(InvalidURIError):
    """No first-party form and no installed plugin knows the URI's scheme."""


class BackendError(NamiDBError, RuntimeError):
    """A backend could not be opened (bad credentials, unreachable endpoint, ...)."""


class BackendNotInstalledError(BackendError):
    """The URI names a known backend whose distribution is not installed.

    The message carries the install command, e.g. ``pip install 'namidb[s3]'``.
    """


class PluginConflictError(BackendError):
    """Two installed plugins claim the same URI scheme."""


class ClientClosedError(NamiDBError, RuntimeError):
    """A client (or engine) was used after ``close()``."""


class ReadOnlyError(NamiDBError, RuntimeError):
    """A write was attempted through a client opened with ``mode="r"``."""


class StorageError(NamiDBError):
    """Base class of object-store and storage-engine failures."""


class ObjectNotFoundError(StorageError, KeyError):
    """The object (key) does not exist in the store."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep messages readable
        return str(self.args[0]) if self.args else ""


class PreconditionFailedError(StorageError):
    """A conditional write was refused because its precondition did not hold."""


class AlreadyExistsError(PreconditionFailedError):
    """A create-only write (``put_if_absent``) found the key already present."""


class TransientStoreError(StorageError):
    """A store call failed in a way that may succeed if retried (throttling, 5xx)."""


class UnsupportedOperationError(StorageError):
    """The store does not offer this optional operation (e.g. ``put_if_match``)."""


class CommitConflictError(StorageError):
    """Another commit won the manifest compare-and-swap: reload, then retry."""


class CommitStateUnknownError(StorageError):
    """A commit's outcome is unknown (response lost): re-read before any retry."""


class WriterFencedError(StorageError):
    """A newer writer claimed the namespace; this writer may no longer commit."""


class CorruptedArtifactError(StorageError):
    """A stored object failed its checksum or structural check.

    Attributes:
        path: the object's key in the store.
        detail: what was wrong with it.
    """

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"corrupted artifact {path!r}: {detail}")
        self.path = path
        self.detail = detail
