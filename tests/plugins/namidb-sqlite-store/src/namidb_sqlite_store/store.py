"""``sqlitestore://``: objects as rows of one SQLite table.

SQLite's primary-key constraint makes ``put_if_absent`` atomic across threads
and processes, which is all the conformance suite asks of a backend.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

from namidb_core.errors import (
    AlreadyExistsError,
    BackendError,
    InvalidArgumentError,
    ObjectNotFoundError,
    PreconditionFailedError,
    TransientStoreError,
)
from namidb_core.objectstore import ObjectMeta, ObjectStore, validate_key
from namidb_core.uri import StoreURI

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, data BLOB NOT NULL, version INTEGER NOT NULL)"
)


class SQLiteStore(ObjectStore):
    """A store in one SQLite file; one connection per thread."""

    schemes = ("sqlitestore",)

    def __init__(self, path: str) -> None:
        self._path = path
        self._local = threading.local()
        try:
            self._conn().execute(_SCHEMA)
        except sqlite3.Error as e:
            raise BackendError(f"cannot open SQLite store {path!r}: {e}") from e

    @classmethod
    def from_uri(cls, uri: StoreURI) -> SQLiteStore:
        """``sqlitestore:///abs/file.db?ns=...`` → the file ``/abs/file.db``."""
        if uri.location:
            raise BackendError("sqlitestore URIs take no host: sqlitestore:///abs/file.db?ns=<ns>")
        return cls("/" + uri.prefix)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._path, timeout=60, isolation_level=None)
            self._local.conn = conn
        return conn

    def _exec(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        try:
            return self._conn().execute(sql, args).fetchall()
        except sqlite3.OperationalError as e:
            raise TransientStoreError(f"SQLite store {self._path!r}: {e}") from e

    @property
    def identity(self) -> str:
        return f"sqlitestore://{self._path}"

    def _row(self, key: str) -> tuple[bytes, int]:
        rows = self._exec("SELECT data, version FROM objects WHERE key = ?", (validate_key(key),))
        if not rows:
            raise ObjectNotFoundError(f"no object at {key!r}")
        data, version = rows[0]
        if not isinstance(data, bytes) or not isinstance(version, int):
            raise TransientStoreError(f"SQLite store {self._path!r}: unexpected row for {key!r}")
        return data, version

    def head(self, key: str) -> ObjectMeta:
        data, version = self._row(key)
        return ObjectMeta(key, len(data), str(version))

    def get(self, key: str) -> bytes:
        return self._row(key)[0]

    def get_range(self, key: str, start: int, length: int) -> bytes:
        if start < 0 or length < 0:
            raise InvalidArgumentError(f"range start and length must be >= 0, got {start}, {length}")
        return self._row(key)[0][start : start + length]

    def list(self, prefix: str = "") -> Iterator[ObjectMeta]:
        rows = self._exec(
            "SELECT key, length(data), version FROM objects WHERE substr(key, 1, ?) = ? ORDER BY key",
            (len(prefix), prefix),
        )
        return iter([ObjectMeta(str(k), int(str(n)), str(v)) for k, n, v in rows])

    def put(self, key: str, data: bytes) -> ObjectMeta:
        validate_key(key)
        self._exec(
            "INSERT INTO objects VALUES (?, ?, 1) "
            "ON CONFLICT(key) DO UPDATE SET data = excluded.data, version = version + 1",
            (key, bytes(data)),
        )
        return self.head(key)

    def put_if_absent(self, key: str, data: bytes) -> ObjectMeta:
        validate_key(key)
        try:
            self._conn().execute("INSERT INTO objects VALUES (?, ?, 1)", (key, bytes(data)))
        except sqlite3.IntegrityError:
            raise AlreadyExistsError(f"object {key!r} already exists") from None
        except sqlite3.OperationalError as e:
            raise TransientStoreError(f"SQLite store {self._path!r}: {e}") from e
        return ObjectMeta(key, len(data), "1")

    def put_if_match(self, key: str, data: bytes, version: str) -> ObjectMeta:
        validate_key(key)
        conn = self._conn()
        cur = conn.execute(
            "UPDATE objects SET data = ?, version = version + 1 WHERE key = ? AND version = ?",
            (bytes(data), key, int(version)),
        )
        if cur.rowcount == 0:
            self._row(key)  # raises ObjectNotFoundError when absent
            raise PreconditionFailedError(f"object {key!r} moved past version {version}")
        return self.head(key)

    def delete(self, key: str) -> None:
        self._exec("DELETE FROM objects WHERE key = ?", (validate_key(key),))

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def __reduce__(self) -> tuple[type[SQLiteStore], tuple[str]]:
        return (SQLiteStore, (self._path,))
