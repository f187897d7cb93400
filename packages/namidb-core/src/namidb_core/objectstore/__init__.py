"""Object stores: the narrow interface and core's memory, file and fault-injecting stores."""

from namidb_core.objectstore.base import ObjectMeta, ObjectStore, validate_key
from namidb_core.objectstore.faulty import FaultyStore, InjectedFault
from namidb_core.objectstore.local import LocalStore
from namidb_core.objectstore.memory import MemoryStore

__all__ = [
    "FaultyStore",
    "InjectedFault",
    "LocalStore",
    "MemoryStore",
    "ObjectMeta",
    "ObjectStore",
    "validate_key",
]
