"""namidb storage backend for Azure (over adlfs), registered through the ``namidb.storage`` entry point."""

from namidb_azure.__about__ import __version__
from namidb_azure.store import AzureStore

__all__ = ["AzureStore", "__version__"]
