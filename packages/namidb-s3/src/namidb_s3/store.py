"""``s3://``: namidb's object store on Amazon S3 and S3-compatible services, over s3fs.

* ``put_if_absent`` sends ``If-None-Match: *`` (s3fs ``pipe_file(mode="create")``):
  S3 itself refuses the second writer with 412, so the create-only race has
  exactly one winner across hosts. A 409 ``ConditionalRequestConflict`` (two
  conditional writes in flight at once) is retried with backoff here.
* ``put_if_match`` sends ``If-Match: <etag>``.
* Credentials come from the standard AWS chain (environment, profile, SSO,
  instance role); the URI never carries secrets.

s3fs is imported on first use, so importing this module (and the plugin) is cheap.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from namidb_core.errors import (
    AlreadyExistsError,
    InvalidURIError,
    NamiDBError,
    ObjectNotFoundError,
    TransientStoreError,
)
from namidb_core.objectstore.base import ObjectMeta
from namidb_core.objectstore.fsspec_store import FsspecStore, ListedObject
from namidb_s3.errors import ConditionalRequestConflictError, is_range_error, map_s3_error

if TYPE_CHECKING:
    from namidb_core.uri import StoreURI

__all__ = ["S3Store"]

#: Attempts of a create-only write that S3 answers with 409 ConditionalRequestConflict.
CONFLICT_ATTEMPTS = 5


class S3Store(FsspecStore):
    """Objects under ``s3://<bucket>/<prefix>/``.

    Args:
        bucket: the bucket name.
        prefix: the root inside the bucket; keys are relative to it.
        region: the AWS region (else the AWS chain's default).
        endpoint: an S3-compatible endpoint URL (MinIO, R2, moto...).
        allow_http: permit a plain ``http://`` endpoint.
        max_attempts: botocore's attempts per request (``None``: the AWS
            chain's setting, e.g. ``AWS_MAX_ATTEMPTS``).
    """

    schemes = ("s3",)

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        region: str | None = None,
        endpoint: str | None = None,
        allow_http: bool = False,
        max_attempts: int | None = None,
    ) -> None:
        if endpoint is not None and endpoint.startswith("http://") and not allow_http:
            raise InvalidURIError(
                f"S3 endpoint {endpoint!r} is plain HTTP; add allow_http=true to the URI to permit it"
            )
        super().__init__(bucket, prefix)
        self._region = region
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self._allow_http = allow_http
        self._max_attempts = max_attempts

    @classmethod
    def from_uri(cls, uri: StoreURI) -> S3Store:
        """Open ``s3://<bucket>[/<prefix>]?ns=..[&region=][&endpoint=][&allow_http=true]``."""
        return cls(
            uri.location,
            uri.prefix,
            region=uri.options.get("region"),
            endpoint=uri.options.get("endpoint"),
            allow_http=uri.option_bool("allow_http"),
        )

    # -- FsspecStore hooks ------------------------------------------------------
    def _open_filesystem(self) -> Any:
        import s3fs

        client_kwargs: dict[str, Any] = {}
        if self._region:
            client_kwargs["region_name"] = self._region
        config_kwargs: dict[str, Any] = {}
        if self._max_attempts is not None:
            config_kwargs["retries"] = {"max_attempts": self._max_attempts, "mode": "standard"}
        return s3fs.S3FileSystem(
            endpoint_url=self._endpoint,
            use_ssl=not (self._endpoint or "").startswith("http://"),
            client_kwargs=client_kwargs,
            config_kwargs=config_kwargs,
            skip_instance_cache=True,
            use_listings_cache=False,
        )

    def _map_error(self, e: BaseException, key: str) -> NamiDBError:
        return map_s3_error(e, key, self.container)

    def _is_range_error(self, e: BaseException) -> bool:
        return is_range_error(e)

    def _version_of(self, info: Mapping[str, Any]) -> str | None:
        etag = info.get("ETag") or info.get("etag")
        return str(etag) if etag else None

    def _list_objects(self, name_prefix: str) -> Iterable[ListedObject]:
        fs = self.fs
        found: list[ListedObject] = []
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": self.container, "Prefix": name_prefix, "MaxKeys": 1000}
            if token:
                kwargs["ContinuationToken"] = token
            page = fs.call_s3("list_objects_v2", **kwargs)
            found.extend((o["Key"], int(o["Size"]), o.get("ETag")) for o in page.get("Contents", ()))
            if not page.get("IsTruncated"):
                return found
            token = page["NextContinuationToken"]

    def _put_if_match_raw(self, path: str, data: bytes, version: str) -> Any:
        return self.fs.pipe_file(path, data, IfMatch=version)

    def _close_filesystem(self, fs: Any) -> None:
        creator = getattr(fs, "_s3creator", None)
        if creator is not None:
            fs.close_session(fs.loop, creator)

    def _init_args(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return (self.container, self.prefix), {
            "region": self._region,
            "endpoint": self._endpoint,
            "allow_http": self._allow_http,
            "max_attempts": self._max_attempts,
        }

    # -- S3 specifics -------------------------------------------------------------
    def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
        """Create ``key`` only if absent (``If-None-Match: *``).

        A 409 ``ConditionalRequestConflict`` means another conditional write to
        the key was in flight and ours did not take effect: retry with jittered
        backoff; the retry then either creates the key or meets the winner's 412.
        """
        delay = 0.05
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                return super().put_if_absent(key, data)
            except ConditionalRequestConflictError:
                if attempt == CONFLICT_ATTEMPTS - 1:
                    break
                time.sleep(delay * (1 + random.random()))
                delay *= 2
        # Still conflicting: if someone's write landed meanwhile, we lost to it.
        try:
            self.head(key)
        except ObjectNotFoundError:
            raise TransientStoreError(
                f"create-only write of {key!r} kept conflicting with concurrent writes; retry later"
            ) from None
        raise AlreadyExistsError(f"object {key!r} already exists (created by a concurrent writer)")

    @property
    def identity(self) -> str:
        root = f"s3://{self._root}"
        return f"{root}@{self._endpoint}" if self._endpoint else root

    def describe(self) -> str:
        return self.identity
