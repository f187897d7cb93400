"""``az://``: namidb's object store on Azure Blob Storage, over adlfs.

* ``put_if_absent`` uploads with ``If-None-Match: *`` (adlfs
  ``pipe_file(mode="create")``): Azure refuses the second writer with 409.
* ``put_if_match`` uploads with ``If-Match: <etag>``.
* Credentials are read from the environment when the store connects (so a
  pickled store carries no secret): ``AZURE_STORAGE_CONNECTION_STRING``,
  ``AZURE_STORAGE_ACCOUNT_KEY`` or ``AZURE_STORAGE_SAS_TOKEN``; without them
  adlfs tries its service-principal variables and then anonymous access.
  ``use_emulator=true`` uses Azurite's well-known development key and, without
  an ``endpoint``, Azurite's default ``http://127.0.0.1:10000/<account>``.

adlfs is imported on first use, so importing this module (and the plugin) is cheap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from namidb_azure.errors import is_range_error, map_azure_error
from namidb_core.errors import BackendError, InvalidURIError, NamiDBError
from namidb_core.objectstore.fsspec_store import FsspecStore, ListedObject

if TYPE_CHECKING:
    from namidb_core.uri import StoreURI

__all__ = ["AZURITE_KEY", "AzureStore"]

#: Azurite's well-known development account key (public, documented by Microsoft).
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE_DEFAULT_HOST = "http://127.0.0.1:10000"


class AzureStore(FsspecStore):
    """Objects under ``az://<account>/<container>/<prefix>/``.

    Args:
        account: the storage account name.
        container: the blob container.
        prefix: the root inside the container; keys are relative to it.
        endpoint: the blob service URL (``https://<account>.blob.core.windows.net``
            by default; Azurite's is ``http://127.0.0.1:10000/<account>``).
        allow_http: permit a plain ``http://`` endpoint.
        use_emulator: authenticate with Azurite's development key.
        retry_total: retries of a failed request (backoff 1 s, 3 s, 5 s ...);
            applies when the store connects with a connection string.
    """

    schemes = ("az",)

    def __init__(
        self,
        account: str,
        container: str,
        prefix: str = "",
        *,
        endpoint: str | None = None,
        allow_http: bool = False,
        use_emulator: bool = False,
        retry_total: int = 3,
    ) -> None:
        if use_emulator and endpoint is None:
            endpoint = f"{AZURITE_DEFAULT_HOST}/{account}"
        if endpoint is not None and endpoint.startswith("http://") and not (allow_http or use_emulator):
            raise InvalidURIError(
                f"Azure endpoint {endpoint!r} is plain HTTP; add allow_http=true to the URI to permit it"
            )
        super().__init__(container, prefix)
        self._account = account
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self._allow_http = allow_http
        self._use_emulator = use_emulator
        self._retry_total = retry_total

    @classmethod
    def from_uri(cls, uri: StoreURI) -> AzureStore:
        """Open ``az://<account>/<container>[/<prefix>]?ns=..[&endpoint=][&allow_http=][&use_emulator=]``."""
        assert uri.container is not None  # parse_uri guarantees it for az://
        return cls(
            uri.location,
            uri.container,
            uri.prefix,
            endpoint=uri.options.get("endpoint"),
            allow_http=uri.option_bool("allow_http"),
            use_emulator=uri.option_bool("use_emulator"),
        )

    # -- FsspecStore hooks ------------------------------------------------------
    def _connection_string(self) -> str | None:
        """A connection string for an explicit endpoint, from the key or SAS available."""
        if self._endpoint is None:
            return None
        protocol = "http" if self._endpoint.startswith("http://") else "https"
        key = AZURITE_KEY if self._use_emulator else os.environ.get("AZURE_STORAGE_ACCOUNT_KEY")
        if key:
            return (
                f"DefaultEndpointsProtocol={protocol};AccountName={self._account};"
                f"AccountKey={key};BlobEndpoint={self._endpoint};"
            )
        sas = os.environ.get("AZURE_STORAGE_SAS_TOKEN")
        if sas:
            return f"BlobEndpoint={self._endpoint};SharedAccessSignature={sas.lstrip('?')};"
        raise BackendError(
            f"no credentials for Azure account {self._account!r} at {self._endpoint}: set "
            "AZURE_STORAGE_ACCOUNT_KEY or AZURE_STORAGE_SAS_TOKEN (or use_emulator=true for Azurite)"
        )

    def _open_filesystem(self) -> Any:
        import adlfs

        common: dict[str, Any] = {"skip_instance_cache": True, "use_listings_cache": False}
        conn = self._connection_string()
        try:
            if conn is not None:
                fs = adlfs.AzureBlobFileSystem(connection_string=conn, **common)
            else:
                # adlfs reads AZURE_STORAGE_CONNECTION_STRING / _ACCOUNT_KEY / _SAS_TOKEN itself.
                fs = adlfs.AzureBlobFileSystem(account_name=self._account, **common)
        except ValueError as e:  # adlfs: "unable to connect to account for ..."
            raise BackendError(f"cannot open Azure account {self._account!r}: {e}") from e
        if fs.connection_string:
            # The storage SDK's default retry waits 15 s, then 18 s, then 24 s: an
            # unreachable endpoint would take a minute to report. adlfs offers no
            # retry setting, so swap in a client (not yet connected) with a shorter one.
            from azure.storage.blob.aio import BlobServiceClient, ExponentialRetry

            policy = ExponentialRetry(initial_backoff=1, increment_base=2, retry_total=self._retry_total)
            fs.service_client = BlobServiceClient.from_connection_string(
                fs.connection_string, retry_policy=policy
            )
        return fs

    def _map_error(self, e: BaseException, key: str) -> NamiDBError:
        return map_azure_error(e, key, self.container)

    def _is_range_error(self, e: BaseException) -> bool:
        return is_range_error(e)

    def _version_of(self, info: Mapping[str, Any]) -> str | None:
        etag = info.get("etag")
        return str(etag) if etag else None

    def _list_objects(self, name_prefix: str) -> Iterable[ListedObject]:
        from fsspec.asyn import sync

        fs = self.fs

        async def collect() -> list[ListedObject]:
            async with fs.service_client.get_container_client(self.container) as client:
                return [
                    (b.name, int(b.size), str(b.etag) if b.etag else None)
                    async for b in client.list_blobs(name_starts_with=name_prefix)
                ]

        return sync(fs.loop, collect)  # type: ignore[no-any-return]

    def _put_if_match_raw(self, path: str, data: bytes, version: str) -> Any:
        from azure.core import MatchConditions

        return self.fs.pipe_file(path, data, etag=version, match_condition=MatchConditions.IfNotModified)

    def _close_filesystem(self, fs: Any) -> None:
        from adlfs.spec import close_service_client
        from fsspec.asyn import sync

        sync(fs.loop, close_service_client, fs)

    def _init_args(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return (self._account, self.container, self.prefix), {
            "endpoint": self._endpoint,
            "allow_http": self._allow_http,
            "use_emulator": self._use_emulator,
            "retry_total": self._retry_total,
        }

    @property
    def account(self) -> str:
        """The storage account name."""
        return self._account

    @property
    def identity(self) -> str:
        root = f"az://{self._account}/{self._root}"
        return f"{root}@{self._endpoint}" if self._endpoint else root
