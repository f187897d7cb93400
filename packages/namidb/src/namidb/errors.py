"""Every error class namidb raises, in one place (``namidb.errors``).

The classes are defined by the distribution that raises them (storage errors
in namidb-core, Cypher errors in namidb-cypher) and re-exported here.
"""

from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    BackendNotInstalledError,
    ClientClosedError,
    CommitConflictError,
    CommitStateUnknownError,
    CorruptedArtifactError,
    InvalidArgumentError,
    InvalidURIError,
    NamiDBError,
    ObjectNotFoundError,
    PluginConflictError,
    PreconditionFailedError,
    ReadOnlyError,
    StorageError,
    TransientStoreError,
    UnknownSchemeError,
    UnsupportedOperationError,
    WriterFencedError,
)

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
