"""The narrow object-store interface the storage engine is written against.

namidb keeps its whole database in an object store, and correctness rests on
one primitive: :meth:`ObjectStore.put_if_absent`, a create-only write that
exactly one of any number of concurrent writers wins. Everything else (plain
put, ranged get, list, idempotent delete) is ordinary.

The interface is deliberately small (pyiceberg's ``FileIO`` rather than
fsspec's wide ``AbstractFileSystem``): every backend maps its library's
exceptions to :mod:`namidb_core.errors` at its own edge, so a lost
create-only race looks the same on memory, a local folder, S3, GCS or Azure.

Keys are ``/``-separated relative paths without a leading slash, e.g.
``tenants/prod/manifest/v0000000000000001.json``.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from namidb_core.errors import InvalidArgumentError, UnsupportedOperationError

if TYPE_CHECKING:
    from namidb_core.uri import StoreURI

__all__ = ["ObjectMeta", "ObjectStore", "validate_key"]


@dataclass(frozen=True, slots=True)
class ObjectMeta:
    """What a store knows about one object.

    Attributes:
        key: the object's key.
        size: its length in bytes.
        version: an opaque token for :meth:`ObjectStore.put_if_match`
            (etag, generation, mtime+inode...); ``None`` when the store has none.
    """

    key: str
    size: int
    version: str | None = None


def validate_key(key: str) -> str:
    """Return ``key`` if it is a well-formed object key, else raise.

    A key is a non-empty ``/``-separated path with no empty, ``.`` or ``..``
    segment and no leading slash; this keeps keys portable across backends and
    makes path traversal out of a local root impossible.
    """
    if not isinstance(key, str) or not key:
        raise InvalidArgumentError(f"object key must be a non-empty string, got {key!r}")
    if key.startswith("/") or "\\" in key or "\x00" in key:
        raise InvalidArgumentError(f"object key {key!r} must be relative and use '/' separators")
    for part in key.split("/"):
        if part in ("", ".", ".."):
            raise InvalidArgumentError(f"object key {key!r} has an empty, '.' or '..' segment")
    return key


class ObjectStore(abc.ABC):
    """A key → bytes store with a race-free create-only write.

    Subclasses declare the URI schemes they serve in :attr:`schemes` and build
    themselves from a parsed URI in :meth:`from_uri`. Instances are safe to
    use from several threads. A store that can be reopened in another process
    (everything but ``memory://``) must pickle to something that reopens the
    same data; the conformance suite's cross-process race relies on it.
    """

    #: URI schemes this class serves (lower case, without ``://``).
    schemes: ClassVar[tuple[str, ...]] = ()

    @classmethod
    @abc.abstractmethod
    def from_uri(cls, uri: StoreURI) -> ObjectStore:
        """Open the store rooted where ``uri`` points (its bucket and prefix).

        Raises:
            BackendError: the backend cannot be opened (credentials, endpoint...).
        """

    # -- reads ---------------------------------------------------------------
    @abc.abstractmethod
    def head(self, key: str) -> ObjectMeta:
        """Return the object's metadata. Raises ObjectNotFoundError if absent."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes:
        """Return the object's bytes. Raises ObjectNotFoundError if absent."""

    @abc.abstractmethod
    def get_range(self, key: str, start: int, length: int) -> bytes:
        """Return up to ``length`` bytes from offset ``start``.

        Reading past the end returns the bytes that exist (possibly none).
        Raises ObjectNotFoundError if absent and InvalidArgumentError for a
        negative ``start`` or ``length``.
        """

    @abc.abstractmethod
    def list(self, prefix: str = "") -> Iterator[ObjectMeta]:
        """Yield every object whose key starts with ``prefix``, in lexical key order.

        Listing is recursive, never served from a cache, and sees every object
        whose write has returned, from any instance or process.
        """

    # -- writes --------------------------------------------------------------
    @abc.abstractmethod
    def put(self, key: str, data: bytes) -> ObjectMeta:
        """Write ``data`` at ``key``, replacing any object there, atomically."""

    @abc.abstractmethod
    def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
        """Create ``key`` with ``data`` only if no object exists there.

        Of any number of concurrent callers on one key, across threads,
        processes and hosts, exactly one succeeds; every other one raises
        :class:`~namidb_core.errors.AlreadyExistsError` and the object holds the
        winner's bytes, never a mix. This is the primitive the commit protocol
        rests on; there is deliberately no check-then-write default.
        """

    def put_if_match(self, key: str, data: bytes, version: str) -> ObjectMeta:
        """Replace ``key`` only if its current version is ``version`` (compare-and-swap).

        Optional. Raises PreconditionFailedError when the version moved,
        ObjectNotFoundError when the key is absent, and
        UnsupportedOperationError on stores that do not offer it.
        """
        raise UnsupportedOperationError(f"{type(self).__name__} does not support put_if_match")

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> ObjectMeta:
        """Write a large object from ``chunks``, unconditionally.

        The default joins the chunks and calls :meth:`put`; cloud backends
        override it with a multipart upload.
        """
        return self.put(key, b"".join(chunks))

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Delete ``key``. Deleting a missing key is not an error."""

    # -- identity ------------------------------------------------------------
    @property
    @abc.abstractmethod
    def identity(self) -> str:
        """A string naming the stored data (not this instance), for cache keys.

        Two instances over the same data return the same identity.
        """

    def describe(self) -> str:
        """A short human-readable description, e.g. ``file:///data/db``."""
        return self.identity

    def close(self) -> None:  # noqa: B027 - optional hook with nothing to do by default
        """Release resources held by the store (connections, file handles)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"
