"""``gs://``: namidb's object store on Google Cloud Storage, over gcsfs.

* ``put_if_absent`` uploads with ``ifGenerationMatch=0`` (gcsfs
  ``pipe_file(mode="create")``): GCS refuses the second writer with 412.
* ``put_if_match`` uploads with ``ifGenerationMatch=<generation>``; the
  version token of an object is its generation.
* Credentials: ``service_account=<key file>``, else Google's default chain.
  With an emulator (``STORAGE_EMULATOR_HOST``, or a plain ``http://`` endpoint)
  the store is anonymous and never asks a cloud metadata server for a token.

gcsfs reads ``GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT`` when it is imported; unless
the user set it, it is set to ``false`` first (with the experimental
zonal-bucket support on, every call stalls ~60 s against emulators), and the
plain ``gcsfs.core.GCSFileSystem`` is used either way.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from namidb_core.errors import BackendError, NamiDBError
from namidb_core.objectstore.fsspec_store import FsspecStore, ListedObject
from namidb_gcs.errors import is_range_error, map_gcs_error

if TYPE_CHECKING:
    from namidb_core.uri import StoreURI

__all__ = ["GCSStore", "emulator_host"]

_HNS_ENV = "GCSFS_EXPERIMENTAL_ZB_HNS_SUPPORT"
_EMULATOR_ENV = "STORAGE_EMULATOR_HOST"
# The multipart/related body of a one-request upload (what gcsfs's simple upload sends).
_BOUNDARY = "==namidb=="


def emulator_host() -> str | None:
    """``STORAGE_EMULATOR_HOST`` as an ``http(s)://`` URL, or ``None`` if unset."""
    host = os.environ.get(_EMULATOR_ENV, "").strip()
    if host in ("", "default"):
        return None
    return host if host.startswith(("http://", "https://")) else f"http://{host}"


def _check_service_account(path: str) -> str:
    """Return ``path`` if it is a readable JSON key file, else raise BackendError naming it."""
    try:
        with open(path, encoding="utf-8") as f:
            info = json.load(f)
    except OSError as e:
        raise BackendError(f"GCS service_account file {path!r} cannot be read: {e.strerror or e}") from e
    except ValueError as e:
        raise BackendError(f"GCS service_account file {path!r} is not a JSON key file: {e}") from e
    if not isinstance(info, dict) or "type" not in info:
        raise BackendError(f"GCS service_account file {path!r} is not a Google credentials JSON file")
    return path


def _import_filesystem_class() -> Any:
    # Must happen before gcsfs is first imported: it reads the variable at import.
    os.environ.setdefault(_HNS_ENV, "false")
    from gcsfs.core import GCSFileSystem

    return GCSFileSystem


class GCSStore(FsspecStore):
    """Objects under ``gs://<bucket>/<prefix>/``.

    Args:
        bucket: the bucket name.
        prefix: the root inside the bucket; keys are relative to it.
        endpoint: the JSON API endpoint, e.g. an emulator's (fake-gcs-server);
            defaults to ``STORAGE_EMULATOR_HOST`` when that is set. An emulator
            (that variable, or a plain ``http://`` endpoint) is used anonymously.
        service_account: a service-account JSON key file.
        anonymous: send no credentials (``None``: only for an emulator).
    """

    schemes = ("gs",)

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint: str | None = None,
        service_account: str | None = None,
        anonymous: bool | None = None,
    ) -> None:
        super().__init__(bucket, prefix)
        from_env = endpoint is None and emulator_host() is not None
        self._endpoint = (endpoint or emulator_host() or "").rstrip("/") or None
        self._service_account = _check_service_account(service_account) if service_account else None
        # Emulators speak plain HTTP (real GCS and its private endpoints need TLS):
        # they get anonymous access, so no metadata server is ever asked for a token.
        if anonymous is None:
            anonymous = self._service_account is None and (
                from_env or (self._endpoint or "").startswith("http://")
            )
        self._anonymous = anonymous

    @classmethod
    def from_uri(cls, uri: StoreURI) -> GCSStore:
        """Open ``gs://<bucket>[/<prefix>]?ns=..[&service_account=<path>][&endpoint=]``."""
        return cls(
            uri.location,
            uri.prefix,
            endpoint=uri.options.get("endpoint"),
            service_account=uri.options.get("service_account"),
        )

    # -- FsspecStore hooks ------------------------------------------------------
    def _open_filesystem(self) -> Any:
        filesystem = _import_filesystem_class()
        token: Any
        if self._service_account:
            token = self._service_account
        elif self._anonymous:
            token = "anon"  # an emulator: never look for cloud credentials
        else:
            token = None  # Google's default chain
        return filesystem(
            token=token,
            endpoint_url=self._endpoint,
            skip_instance_cache=True,
            use_listings_cache=False,
        )

    def _map_error(self, e: BaseException, key: str) -> NamiDBError:
        return map_gcs_error(e, key, self.container)

    def _is_range_error(self, e: BaseException) -> bool:
        return is_range_error(e)

    def _version_of(self, info: Mapping[str, Any]) -> str | None:
        generation = info.get("generation")
        return str(generation) if generation else None

    def _list_objects(self, name_prefix: str) -> Iterable[ListedObject]:
        fs = self.fs
        found: list[ListedObject] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {"prefix": name_prefix, "maxResults": 1000}
            if token:
                params["pageToken"] = token
            page = fs.call("GET", "b/{}/o", self.container, json_out=True, **params)
            found.extend(
                (o["name"], int(o.get("size", 0)), str(o["generation"]) if "generation" in o else None)
                for o in page.get("items", ())
            )
            token = page.get("nextPageToken")
            if not token:
                return found

    def _put_if_match_raw(self, path: str, data: bytes, version: str) -> Any:
        # gcsfs's uploads only know ifGenerationMatch=0; send the same one-request
        # multipart upload with the caller's generation instead.
        fs = self.fs
        name = path[len(self.container) + 1 :]
        head = (
            f"--{_BOUNDARY}\nContent-Type: application/json; charset=UTF-8\n\n"
            f"{json.dumps({'name': name})}\n--{_BOUNDARY}\n"
            "Content-Type: application/octet-stream\n\n"
        ).encode()
        body = head + data + f"\n--{_BOUNDARY}--".encode()
        return fs.call(
            "POST",
            f"{fs._location}/upload/storage/v1/b/{self.container}/o",
            uploadType="multipart",
            ifGenerationMatch=version,
            headers={"Content-Type": f'multipart/related; boundary="{_BOUNDARY}"'},
            data=body,
            json_out=True,
        )

    def _close_filesystem(self, fs: Any) -> None:
        session = getattr(fs, "_session", None)
        if session is not None:
            fs.close_session(fs.loop, session)

    def _init_args(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return (self.container, self.prefix), {
            "endpoint": self._endpoint,
            "service_account": self._service_account,
            "anonymous": self._anonymous,
        }

    @property
    def identity(self) -> str:
        root = f"gs://{self._root}"
        return f"{root}@{self._endpoint}" if self._endpoint else root
