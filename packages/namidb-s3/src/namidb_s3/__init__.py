"""namidb storage backend for S3 (over s3fs), registered through the ``namidb.storage`` entry point."""

from namidb_s3.__about__ import __version__
from namidb_s3.errors import ConditionalRequestConflictError
from namidb_s3.store import S3Store

__all__ = ["ConditionalRequestConflictError", "S3Store", "__version__"]
