"""The storage engine: WAL, manifests and commits, memtable, SSTs, compaction and cache.

:class:`Engine` is the one entry point the client wraps; :class:`Snapshot` is
the pinned read view the Cypher executor works against.
"""

from namidb_core.storage.cache import Cache
from namidb_core.storage.engine import Engine
from namidb_core.storage.snapshot import Snapshot

__all__ = ["Cache", "Engine", "Snapshot"]
