"""An adapter from an fsspec filesystem to core's narrow :class:`ObjectStore`.

The S3, GCS and Azure backends (``namidb-s3``, ``namidb-gcs``,
``namidb-azure``) subclass :class:`FsspecStore`; each supplies

* how to build its filesystem (``_open_filesystem``), always with
  ``skip_instance_cache=True, use_listings_cache=False``: fsspec's instance
  cache would share one client between stores, and its listings cache made a
  key written by another instance invisible (measured, DESIGN §4);
* the one listing call of its service (``_list_objects``), because fsspec's
  ``find`` differs between backends (extra ``info`` calls, directory markers,
  a bare list instead of details when the path is a file);
* the compare-and-swap upload (``_put_if_match_raw``) its service offers;
* how to turn its library's exceptions into :mod:`namidb_core.errors`
  (``_map_error``), applied at this edge only.

What is common lives here: key validation, rooting every key under
``<container>/<prefix>``, ranged reads as true ranged GETs, the create-only
write (``pipe_file(mode="create")``, which each service enforces server side),
idempotent delete, lexical listing, pickling by constructor arguments, and a
lazily built filesystem so an unpickled store in another process opens its own
connections.

fsspec itself is never imported here: the filesystem is duck-typed.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    ClientClosedError,
    InvalidArgumentError,
    NamiDBError,
    ObjectNotFoundError,
    PreconditionFailedError,
    StorageError,
)
from namidb_core.objectstore.base import ObjectMeta, ObjectStore, validate_key

__all__ = ["FsspecStore", "ListedObject", "exception_chain", "map_builtin_error"]

#: ``(name relative to the container, size, version)`` as a backend lists it.
ListedObject = tuple[str, int, str | None]


def exception_chain(e: BaseException, *, follow_context: bool = False) -> list[BaseException]:
    """``e`` and the exceptions it was raised from, outermost first.

    Follows ``__cause__`` (explicit ``raise ... from``); ``__context__`` only
    when ``follow_context`` is set, for libraries that re-raise inside an
    ``except`` block without ``from``. Stops at a namidb error: one of ours in
    the chain belongs to the caller's handling, not to the library's failure.
    """
    out: list[BaseException] = []
    cur: BaseException | None = e
    while cur is not None and all(cur is not seen for seen in out):
        out.append(cur)
        nxt = cur.__cause__
        if nxt is None and follow_context and not cur.__suppress_context__:
            nxt = cur.__context__
        if isinstance(nxt, NamiDBError):
            break
        cur = nxt
    return out


def map_builtin_error(e: BaseException, key: str) -> NamiDBError:
    """Map the builtin exceptions fsspec libraries raise to namidb's errors.

    Backends call this last, after recognising their own library's errors.
    """
    from namidb_core.errors import TransientStoreError

    if isinstance(e, NamiDBError):
        return e
    if isinstance(e, FileNotFoundError):
        return ObjectNotFoundError(f"no object at {key!r}")
    if isinstance(e, FileExistsError):
        return AlreadyExistsError(f"object {key!r} already exists")
    if isinstance(e, PermissionError):
        return BackendError(f"access to {key!r} was denied: {e}")
    if isinstance(e, (TimeoutError, ConnectionError)):
        return TransientStoreError(f"{type(e).__name__} on {key!r}: {e}")
    return StorageError(f"{type(e).__name__} on {key!r}: {e}")


class FsspecStore(ObjectStore):
    """Base class of the object stores built on an fsspec filesystem.

    Args:
        container: the bucket (S3, GCS) or container (Azure).
        prefix: the root inside the container; keys are relative to it.
    """

    def __init__(self, container: str, prefix: str = "") -> None:
        self._container = container
        self._prefix = prefix.strip("/")
        self._root = f"{container}/{self._prefix}" if self._prefix else container
        self._lock = threading.Lock()
        self._fs: Any = None
        self._closed = False

    # -- what a backend provides ----------------------------------------------
    @abc.abstractmethod
    def _open_filesystem(self) -> Any:
        """Build this store's own filesystem (no instance or listings cache)."""

    @abc.abstractmethod
    def _map_error(self, e: BaseException, key: str) -> NamiDBError:
        """Translate one of the library's exceptions for an operation on ``key``."""

    @abc.abstractmethod
    def _list_objects(self, name_prefix: str) -> Iterable[ListedObject]:
        """Every object in the container whose name starts with ``name_prefix``."""

    @abc.abstractmethod
    def _version_of(self, info: Mapping[str, Any]) -> str | None:
        """The version token (etag, generation) in an ``info`` or upload result."""

    @abc.abstractmethod
    def _init_args(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Constructor arguments that reopen this store (for pickling)."""

    def _put_if_match_raw(self, path: str, data: bytes, version: str) -> Any:
        """Upload ``data`` to ``path`` only if its version is ``version``; return the result."""
        return ObjectStore.put_if_match(self, path, data, version)

    def _is_range_error(self, e: BaseException) -> bool:
        """Whether ``e`` says a ranged read started at or past the end (HTTP 416)."""
        return False

    def _close_filesystem(self, fs: Any) -> None:
        """Release the filesystem's connections (best effort)."""

    # -- plumbing ---------------------------------------------------------------
    @property
    def container(self) -> str:
        """The bucket or container this store lives in."""
        return self._container

    @property
    def prefix(self) -> str:
        """The root inside the container (no slashes at either end)."""
        return self._prefix

    @property
    def fs(self) -> Any:
        """The fsspec filesystem, built on first use (also after unpickling)."""
        fs = self._fs
        if fs is None:
            with self._lock:
                if self._closed:
                    raise ClientClosedError(f"{self.describe()} is closed")
                if self._fs is None:
                    self._fs = self._open_filesystem()
                fs = self._fs
        return fs

    def _path(self, key: str) -> str:
        validate_key(key)
        return f"{self._root}/{key}"

    def _name_prefix(self) -> str:
        """The object-name prefix (inside the container) of every key."""
        return f"{self._prefix}/" if self._prefix else ""

    def _write_error(self, e: BaseException, key: str) -> NamiDBError:
        """Map a failed write: a "not found" there can only mean the container is missing."""
        error = self._map_error(e, key)
        if isinstance(error, ObjectNotFoundError):
            return BackendError(f"{self.describe()}: the container {self._container!r} does not exist")
        return error

    def _meta(self, key: str, size: int, result: Any) -> ObjectMeta:
        version = self._version_of(result) if isinstance(result, Mapping) else None
        if version is None:
            return self.head(key)
        return ObjectMeta(key, size, version)

    # -- reads ------------------------------------------------------------------
    def head(self, key: str) -> ObjectMeta:
        path = self._path(key)
        try:
            info = self.fs.info(path)
        except Exception as e:
            raise self._map_error(e, key) from e
        if info.get("type") != "file":  # a "directory" made of longer keys
            raise ObjectNotFoundError(f"no object at {key!r}")
        return ObjectMeta(key, int(info["size"]), self._version_of(info))

    def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return bytes(self.fs.cat_file(path))
        except Exception as e:
            raise self._map_error(e, key) from e

    def get_range(self, key: str, start: int, length: int) -> bytes:
        if start < 0 or length < 0:
            raise InvalidArgumentError(f"range start and length must be >= 0, got {start}, {length}")
        path = self._path(key)
        if length == 0:
            self.head(key)  # still report a missing key
            return b""
        try:
            # One GET with "Range: bytes=start-(start+length-1)": only the bytes asked for travel.
            return bytes(self.fs.cat_file(path, start=start, end=start + length))
        except Exception as e:
            if not self._is_range_error(e):
                raise self._map_error(e, key) from e
        # 416: the range starts at or past the end; the contract says "empty".
        if self.head(key).size <= start:
            return b""
        raise StorageError(f"ranged read of {key!r} at {start} was refused although the object is larger")

    def list(self, prefix: str = "") -> Iterator[ObjectMeta]:
        base = self._name_prefix()
        try:
            found = [
                ObjectMeta(name[len(base) :], size, version)
                for name, size, version in self._list_objects(base + prefix)
                # skip "folder" placeholders some tools create (names ending in "/")
                if name.startswith(base) and not name.endswith("/")
            ]
        except Exception as e:
            raise self._map_error(e, prefix or "/") from e
        # The services list in UTF-8 byte order, which for str is code-point
        # order; sort anyway so the contract holds for any backend.
        found.sort(key=lambda m: m.key)
        return iter(found)

    # -- writes -----------------------------------------------------------------
    def put(self, key: str, data: bytes) -> ObjectMeta:
        path = self._path(key)
        try:
            result = self.fs.pipe_file(path, bytes(data))
        except Exception as e:
            raise self._write_error(e, key) from e
        return self._meta(key, len(data), result)

    def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
        path = self._path(key)
        try:
            # mode="create": a server-side precondition (If-None-Match: * /
            # ifGenerationMatch=0), never an fsspec check-then-write.
            result = self.fs.pipe_file(path, bytes(data), mode="create")
        except Exception as e:
            error = self._write_error(e, key)
            if isinstance(error, PreconditionFailedError) and not isinstance(error, AlreadyExistsError):
                # The only precondition of this write is "absent": a 412 means it exists.
                error = AlreadyExistsError(f"object {key!r} already exists")
            raise error from e
        return self._meta(key, len(data), result)

    def put_if_match(self, key: str, data: bytes, version: str) -> ObjectMeta:
        path = self._path(key)
        try:
            result = self._put_if_match_raw(path, bytes(data), version)
        except Exception as e:
            error = self._map_error(e, key)
            if not isinstance(error, PreconditionFailedError):
                raise error from e
            refused: Exception = e
        else:
            return self._meta(key, len(data), result)
        # Some services answer 412 for an absent key too: tell them apart (outside
        # the except block, so the 412 does not become the context of head's error).
        self.head(key)
        raise PreconditionFailedError(f"object {key!r} is no longer at version {version}") from refused

    def put_stream(self, key: str, chunks: Iterable[bytes]) -> ObjectMeta:
        path = self._path(key)
        try:
            # The library's file object uploads in parts (multipart / resumable /
            # staged blocks), so a large object is never held whole in memory.
            with self.fs.open(path, "wb") as f:
                for chunk in chunks:
                    f.write(chunk)
        except Exception as e:
            raise self._write_error(e, key) from e
        return self.head(key)

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            self.fs.rm_file(path)
        except Exception as e:
            error = self._map_error(e, key)
            if not isinstance(error, ObjectNotFoundError):
                raise error from e

    # -- lifecycle --------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            fs, self._fs, self._closed = self._fs, None, True
        if fs is not None:
            try:
                self._close_filesystem(fs)
            except Exception:  # closing is best effort; the library's finalizer retries
                pass

    def __reduce__(self) -> tuple[Any, ...]:
        args, kwargs = self._init_args()
        return (_reopen, (type(self), args, kwargs))


def _reopen(cls: type[FsspecStore], args: tuple[Any, ...], kwargs: dict[str, Any]) -> FsspecStore:
    """Rebuild a pickled store from its constructor arguments (keyword arguments included)."""
    return cls(*args, **kwargs)
