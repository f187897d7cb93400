"""The commit protocol: advancing a namespace from version v to v+1.

Commit (the caller has already written the WAL segments and SSTs it lists):

1. write the body of v+1 create-only at ``manifest/v<v+1>.json``. If that slot
   holds identical bytes, an earlier attempt of ours landed: continue. If it
   holds a foreign body, look for the pointer p(v+1): present means someone
   committed v+1 (go to 4); absent means a writer died or was fenced between
   body and pointer, so write our body to an alternate slot instead;
2. create the pointer p(v+1) naming our body's key and SHA-256: the
   linearization point. Identical bytes already there: ours (lost response);
3. overwrite the advisory hint ``manifest/current.json`` (best effort);
4. on a foreign pointer at v+1, load that version: a higher epoch than ours
   means this writer is fenced (WriterFencedError), otherwise a plain
   CommitConflictError (reload and retry).

When the pointer write fails with transient errors after retries and a read
cannot tell whether it landed, CommitStateUnknownError is raised; the engine
resolves it by reading p(v+1) before doing anything else.

On a :class:`~namidb_core.objectstore.local.LocalStore` (file://) the same
steps cost two sequential fsync rounds instead of four or more: the WAL
segments and the body are linked and then, in one parallel round, their data,
their folders and the pointer's temporary file are fsynced (``create_many``);
once that group is durable the pointer is linked and its folder fsynced
(``PreparedCreate.publish``). The pointer still only becomes visible, and
durable, after everything it names is. The hint is written without fsync.

The current version is the highest pointer found by LIST, then confirmed with
forward HEAD probes because a LIST may lag behind recent writes. Pointers are
contiguous (p(v+1) is only written by someone who saw p(v)), so probing
forward from any present pointer finds the newest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from namidb_core.errors import (
    AlreadyExistsError,
    CommitConflictError,
    CommitStateUnknownError,
    CorruptedArtifactError,
    ObjectNotFoundError,
    StorageError,
    TransientStoreError,
    WriterFencedError,
)
from namidb_core.objectstore.base import ObjectStore
from namidb_core.objectstore.local import LocalStore, PreparedCreate
from namidb_core.storage.manifest import paths
from namidb_core.storage.manifest.model import Manifest, Pointer
from namidb_core.storage.retry import get_or_none, put_create, retrying

__all__ = ["ManifestLog"]

# Object-store writes are latency-bound (network, or fsync on file://) and
# release the GIL, so a commit's WAL segments and body go out concurrently.
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="namidb-commit")


class ManifestLog:
    """Reads and commits the manifest versions of one namespace.

    ``prefix`` is the namespace prefix including its trailing ``/`` (or empty).
    """

    def __init__(self, store: ObjectStore, prefix: str) -> None:
        self.store = store
        self.prefix = prefix

    # -- reading ---------------------------------------------------------------
    def _exists(self, key: str) -> bool:
        try:
            retrying(lambda: self.store.head(self.prefix + key))
            return True
        except ObjectNotFoundError:
            return False

    def latest_version(self) -> int:
        """The newest committed version (0 when the namespace is empty)."""
        hinted = 0
        hint = get_or_none(self.store, self.prefix + paths.HINT)
        if hint is not None:
            try:
                hinted = int(json.loads(hint)["version"])
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                hinted = 0  # advisory only: a damaged (e.g. torn) hint is ignored
        metas = retrying(lambda: list(self.store.list(self.prefix + paths.POINTER_PREFIX)))
        cut = len(self.prefix)
        best = 0
        for meta in metas:
            v = paths.pointer_version(meta.key[cut:])
            if v is not None and v > best:
                best = v
        # A hint ahead of the (possibly lagging) LIST is used only if its pointer exists.
        if hinted > best and self._exists(paths.pointer_key(hinted)):
            best = hinted
        while self._exists(paths.pointer_key(best + 1)):
            best += 1
        return best

    def read_pointer(self, version: int) -> Pointer | None:
        """The pointer of ``version``, or None if it was never committed."""
        key = paths.pointer_key(version)
        data = get_or_none(self.store, self.prefix + key)
        return None if data is None else Pointer.from_bytes(self.prefix + key, data)

    def load(self, version: int) -> Manifest:
        """Load and verify the committed manifest of ``version``."""
        pointer = self.read_pointer(version)
        if pointer is None:
            raise ObjectNotFoundError(f"manifest version {version} is not committed")
        return self.load_body(pointer)

    def load_body(self, pointer: Pointer) -> Manifest:
        """Load the body a pointer names and check it against the pointer."""
        key = self.prefix + pointer.body
        data = get_or_none(self.store, key)
        if data is None:
            raise CorruptedArtifactError(key, f"manifest body of version {pointer.version} is missing")
        if hashlib.sha256(data).hexdigest() != pointer.sha256:
            raise CorruptedArtifactError(key, "manifest body SHA-256 does not match its pointer")
        manifest = Manifest.from_bytes(key, data)
        if manifest.version != pointer.version:
            raise CorruptedArtifactError(
                key, f"body says version {manifest.version}, pointer {pointer.version}"
            )
        return manifest

    def load_latest(self) -> Manifest | None:
        """The newest committed manifest, or None for an empty namespace."""
        v = self.latest_version()
        return self.load(v) if v else None

    # -- committing --------------------------------------------------------------
    def _reject(self, version: int, ours: Manifest) -> None:
        """Someone else committed ``version``: raise fenced or conflict."""
        theirs = self.load(version)
        if theirs.epoch > ours.epoch:
            raise WriterFencedError(
                f"writer {ours.writer} (epoch {ours.epoch}) was fenced by writer {theirs.writer} "
                f"(epoch {theirs.epoch}) at version {version}"
            )
        raise CommitConflictError(
            f"version {version} was committed by another commit (writer {theirs.writer})"
        )

    def _write_side_and_body(self, side: Sequence[tuple[str, bytes]], body_key: str, body: bytes) -> bool:
        """Create the side objects (WAL segments) and the body, in parallel; True if the body is ours."""
        if not side:
            return put_create(self.store, self.prefix + body_key, body)
        jobs = [(k, d) for k, d in side] + [(body_key, body)]
        results = list(_POOL.map(lambda kd: put_create(self.store, self.prefix + kd[0], kd[1]), jobs))
        for (key, _), ok in zip(side, results, strict=False):
            if not ok:
                raise CommitConflictError(f"object {key!r} already exists with other contents")
        return results[-1]

    def _fast_side_and_body(
        self, side: Sequence[tuple[str, bytes]], body_key: str, body: bytes, pointer: bytes, v: int
    ) -> tuple[bool, PreparedCreate | None]:
        """file:// only: side objects + body as one durable group, the pointer's temp file alongside.

        Returns (the body is ours, the prepared pointer).
        """
        assert isinstance(self.store, LocalStore)
        store = self.store
        items = [(self.prefix + k, d) for k, d in side] + [(self.prefix + body_key, body)]
        prepare = [(self.prefix + paths.pointer_key(v), pointer)]
        results, (prepared,) = retrying(lambda: store.create_many(items, prepare=prepare))
        for (key, _), ok in zip(side, results, strict=False):
            if not ok:
                prepared.discard()
                raise CommitConflictError(f"object {key!r} already exists with other contents")
        return results[-1], prepared

    def _put_pointer(self, v: int, pointer: bytes, prepared: PreparedCreate | None) -> bool:
        """Create p(v); True if it holds our bytes. CommitStateUnknownError if that cannot be told."""
        key = self.prefix + paths.pointer_key(v)
        try:
            if prepared is not None:
                try:
                    prepared.publish()
                    return True
                except AlreadyExistsError:
                    return get_or_none(self.store, key) == pointer
                except TransientStoreError:
                    pass  # fall back to the generic, retrying write (idempotent on our bytes)
            return put_create(self.store, key, pointer)
        except TransientStoreError as e:
            try:
                existing = get_or_none(self.store, key)
            except TransientStoreError:
                raise CommitStateUnknownError(f"commit of version {v}: pointer write outcome unknown") from e
            if existing is None:
                raise CommitStateUnknownError(f"commit of version {v}: pointer write failed") from e
            return existing == pointer

    def commit(self, manifest: Manifest, side: Sequence[tuple[str, bytes]] = ()) -> Manifest:
        """Commit ``manifest`` as its version (which must be the current version + 1).

        ``side`` lists create-only objects (WAL segments) written together with
        the body, in parallel, before the pointer.
        """
        v = manifest.version
        body = manifest.to_bytes()
        digest = hashlib.sha256(body).hexdigest()
        body_key = paths.body_key(v)
        prepared: PreparedCreate | None = None
        if isinstance(self.store, LocalStore):
            pointer = Pointer(v, body_key, digest, manifest.epoch, manifest.writer).to_bytes()
            ours, prepared = self._fast_side_and_body(side, body_key, body, pointer, v)
        else:
            ours = self._write_side_and_body(side, body_key, body)
        if not ours:
            if prepared is not None:
                prepared.discard()  # it names the primary slot, which is not ours
                prepared = None
            if self.read_pointer(v) is not None:
                self._reject(v, manifest)
            # A foreign body without a pointer: a writer died (or was fenced)
            # between its body and its pointer. Take the alternate slot.
            body_key = paths.alt_body_key(v, manifest.writer, manifest.nonce)
            if not put_create(self.store, self.prefix + body_key, body):
                raise CommitConflictError(f"alternate manifest slot {body_key!r} is taken")
        pointer = Pointer(v, body_key, digest, manifest.epoch, manifest.writer).to_bytes()
        if not self._put_pointer(v, pointer, prepared):
            self._reject(v, manifest)
        if v % 8 == 0 or manifest.wal == ():
            self.write_hint(v)
        return manifest

    def write_hint(self, version: int) -> None:
        """Best-effort overwrite of the advisory hint (failures are harmless).

        On file:// it is not fsynced: a hint lost, stale or torn by a power cut
        is ignored or corrected by :meth:`latest_version`.
        """
        data = json.dumps({"version": version}).encode()
        try:
            if isinstance(self.store, LocalStore):
                self.store.put_unsynced(self.prefix + paths.HINT, data)
            else:
                self.store.put(self.prefix + paths.HINT, data)
        except StorageError:
            pass  # the commit has landed: a failed hint must not make it look failed
