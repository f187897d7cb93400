"""namidb-core: errors, the URI grammar, storage plugins, object stores and the storage engine.

The public API is what ``__all__`` lists here and in the subpackages'
``__init__`` modules; everything else is importable but not promised.
"""

from namidb_core import errors
from namidb_core.__about__ import __version__
from namidb_core.objectstore import ObjectMeta, ObjectStore
from namidb_core.plugins import open_store
from namidb_core.uri import StoreURI, parse_uri

__all__ = ["ObjectMeta", "ObjectStore", "StoreURI", "__version__", "errors", "open_store", "parse_uri"]
