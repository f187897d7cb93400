"""namidb storage backend for S3 (over s3fs), registered through the ``namidb.storage`` entry point."""

from namidb_s3.__about__ import __version__

__all__ = ["__version__"]
