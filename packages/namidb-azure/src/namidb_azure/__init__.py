"""namidb storage backend for Azure (over adlfs), registered through the ``namidb.storage`` entry point."""

from namidb_azure.__about__ import __version__

__all__ = ["__version__"]
