"""namidb: an embedded property-graph database whose source of truth is an object-store bucket.

    import namidb
    client = namidb.Client("memory://demo")

The public API is what ``__all__`` lists: :class:`Client`, :class:`QueryResult`,
:func:`uuid7` and the error classes (also in :mod:`namidb.errors`).
"""

from namidb import errors
from namidb.__about__ import __version__
from namidb.client import Client
from namidb.errors import (
    BackendError,
    BackendNotInstalledError,
    ClientClosedError,
    CommitConflictError,
    CorruptedArtifactError,
    InvalidArgumentError,
    InvalidURIError,
    NamiDBError,
    ReadOnlyError,
    StorageError,
    WriterFencedError,
)
from namidb.result import QueryResult
from namidb_core.ids import uuid7

__all__ = [
    "BackendError",
    "BackendNotInstalledError",
    "Client",
    "ClientClosedError",
    "CommitConflictError",
    "CorruptedArtifactError",
    "InvalidArgumentError",
    "InvalidURIError",
    "NamiDBError",
    "QueryResult",
    "ReadOnlyError",
    "StorageError",
    "WriterFencedError",
    "__version__",
    "errors",
    "uuid7",
]
