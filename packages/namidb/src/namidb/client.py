"""``namidb.Client``: one namespace of a graph, opened from a store URI."""

from __future__ import annotations

import datetime
import json
import threading
from types import TracebackType
from typing import Any, Literal

from namidb.__about__ import __version__
from namidb.result import QueryResult
from namidb_core.errors import (
    AlreadyExistsError,
    ClientClosedError,
    InvalidArgumentError,
)
from namidb_core.objectstore import ObjectStore
from namidb_core.plugins import get_registry
from namidb_core.uri import StoreURI, parse_uri

__all__ = ["Client"]

#: The namespace descriptor, written create-only when a namespace is first opened for writing.
NAMESPACE_FILE = "namespace.json"
FORMAT_VERSION = 1


class Client:
    """A connection to one namespace of a namidb graph.

    Args:
        uri: where the graph lives, e.g. ``"memory://demo"``,
            ``"file:///data/graphs?ns=prod"`` or ``"s3://bucket/prefix?ns=prod"``
            (the full grammar is in the README). Each ``memory://`` client has
            its own private store.
        mode: ``"w"`` (default) opens the namespace for writing (creating it if
            needed); ``"r"`` opens it read-only.
        cache_bytes: the byte budget of the client's SST cache.

    Raises:
        ValueError: (an ``InvalidURIError``) the URI is malformed, names an
            unknown scheme, or lacks a valid namespace.
        RuntimeError: (a ``BackendError``) the backend cannot be opened, e.g.
            its plugin is not installed.

    Use it as a context manager, or call :meth:`close` when done.
    """

    def __init__(self, uri: str, *, mode: Literal["w", "r"] = "w", cache_bytes: int = 256 << 20) -> None:
        if mode not in ("w", "r"):
            raise InvalidArgumentError(f"mode must be 'w' (read-write) or 'r' (read-only), got {mode!r}")
        if not isinstance(cache_bytes, int) or isinstance(cache_bytes, bool) or cache_bytes < 0:
            raise InvalidArgumentError(f"cache_bytes must be a non-negative int, got {cache_bytes!r}")
        self._uri: StoreURI = parse_uri(uri)
        self._mode = mode
        self._cache_bytes = cache_bytes
        self._lock = threading.RLock()
        self._closed = False
        self._store: ObjectStore = get_registry().open(self._uri)
        try:
            if mode == "w":
                self._ensure_namespace()
        except BaseException:
            self._store.close()
            raise

    # -- lifecycle ---------------------------------------------------------------
    def _ensure_namespace(self) -> None:
        """Create the namespace descriptor on first write-open (create-only, so races are harmless)."""
        descriptor = {
            "format": "namidb",
            "format_version": FORMAT_VERSION,
            "namespace": self._uri.namespace,
            "created_by": f"namidb {__version__}",
            "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        }
        try:
            self._store.put_if_absent(
                self.namespace_prefix() + NAMESPACE_FILE, json.dumps(descriptor, sort_keys=True).encode()
            )
        except AlreadyExistsError:
            pass

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError(f"this namidb Client ({self.store_repr()}) is closed")

    def close(self) -> None:
        """Release the client's resources. Calling it twice is fine; any other call after it raises."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._store.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> Client:
        self._check_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- introspection -----------------------------------------------------------
    @property
    def uri(self) -> StoreURI:
        """The parsed store URI."""
        return self._uri

    @property
    def mode(self) -> str:
        """``"w"`` or ``"r"``."""
        return self._mode

    def namespace_prefix(self) -> str:
        """The key prefix of this namespace inside the store root, e.g. ``"prod/"``."""
        return self._uri.namespace_prefix

    def store_repr(self) -> str:
        """A description of the store and namespace without secrets, e.g. ``file:///data?ns=prod``."""
        return self._uri.redacted()

    def __repr__(self) -> str:
        state = "closed" if self._closed else self._mode
        return f"<namidb.Client {self.store_repr()} ({state})>"

    # -- queries -----------------------------------------------------------------
    def cypher(self, query: str, params: dict[str, Any] | None = None) -> QueryResult:
        """Run one Cypher statement and return its rows; writes are durable before it returns."""
        self._check_open()
        raise NotImplementedError("Cypher execution is not implemented yet in this build of namidb")
