"""namidb storage backend for GCS (over gcsfs), registered through the ``namidb.storage`` entry point."""

from namidb_gcs.__about__ import __version__
from namidb_gcs.store import GCSStore

__all__ = ["GCSStore", "__version__"]
