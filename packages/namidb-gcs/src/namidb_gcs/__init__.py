"""namidb storage backend for GCS (over gcsfs), registered through the ``namidb.storage`` entry point."""

from namidb_gcs.__about__ import __version__

__all__ = ["__version__"]
