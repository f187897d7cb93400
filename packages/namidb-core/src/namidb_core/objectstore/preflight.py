"""Preflight checks a deployment runs before trusting a store with commits.

namidb's commit protocol is only as safe as the store's create-only write:
an S3-compatible service that ignores ``If-None-Match: *`` (some older MinIO,
Ceph or proxy setups do) would let two writers both "win" a manifest pointer
and silently fork the database. :func:`verify_create_only` proves, against the
real service, that a second create-only write of one key is refused.
"""

from __future__ import annotations

import uuid

from namidb_core.errors import AlreadyExistsError, BackendError, PreconditionFailedError
from namidb_core.objectstore.base import ObjectStore

__all__ = ["verify_create_only"]


def verify_create_only(store: ObjectStore, key_prefix: str = "_preflight/") -> None:
    """Check that ``store`` refuses a second ``put_if_absent`` of the same key.

    Writes a fresh probe key under ``key_prefix`` twice, checks the second write
    was refused and the first one's bytes survived, then deletes the probe.

    Raises:
        BackendError: the store accepted the second write (it does not enforce
            create-only, so it cannot host a namidb database), or lost the
            first write's bytes.
    """
    if key_prefix and not key_prefix.endswith("/"):
        key_prefix += "/"
    key = f"{key_prefix}create-only-probe-{uuid.uuid4().hex}"
    first, second = b"namidb preflight: first writer", b"namidb preflight: second writer"
    store.put_if_absent(key, first)
    try:
        try:
            store.put_if_absent(key, second)
        except AlreadyExistsError:
            pass
        except PreconditionFailedError as e:
            raise BackendError(
                f"{store.describe()} refused a repeated create-only write with {type(e).__name__}, "
                "not AlreadyExistsError: its backend maps precondition failures wrongly"
            ) from e
        else:
            raise BackendError(
                f"{store.describe()} does not enforce create-only writes: a second put_if_absent of "
                f"{key!r} succeeded. namidb's commits rely on it; use a service that honours "
                "conditional writes (S3 If-None-Match, GCS ifGenerationMatch=0, Azure If-None-Match)"
            )
        if store.get(key) != first:
            raise BackendError(
                f"{store.describe()} refused the second create-only write of {key!r} but the object "
                "no longer holds the first writer's bytes"
            )
    finally:
        store.delete(key)
