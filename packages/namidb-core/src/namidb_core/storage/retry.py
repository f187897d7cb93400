"""Small retry helpers around object-store calls.

Transient errors (throttling, 5xx, an injected fault) are retried a few times
with a short backoff. Create-only writes are made idempotent: when a retried
``put_if_absent`` finds the key present, the stored bytes are compared with
ours; identical bytes mean our earlier attempt landed (its response was lost).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from namidb_core.errors import AlreadyExistsError, ObjectNotFoundError, TransientStoreError
from namidb_core.objectstore.base import ObjectStore

__all__ = ["ATTEMPTS", "get_or_none", "put_create", "retrying"]

ATTEMPTS = 4
T = TypeVar("T")


def retrying(fn: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Call ``fn``; retry TransientStoreError up to ``attempts`` times in all."""
    for i in range(attempts):
        try:
            return fn()
        except TransientStoreError:
            if i == attempts - 1:
                raise
            time.sleep(0.001 * (2**i))
    raise AssertionError("unreachable")  # pragma: no cover


def get_or_none(store: ObjectStore, key: str) -> bytes | None:
    """GET ``key`` with retries; None when it does not exist."""
    try:
        return retrying(lambda: store.get(key))
    except ObjectNotFoundError:
        return None


def put_create(store: ObjectStore, key: str, data: bytes) -> bool:
    """Create ``key`` with ``data`` (retrying transient errors).

    Returns True when the object now holds ``data`` (created by this call or
    an earlier attempt whose response was lost); False when the key holds
    different bytes (someone else's object).
    """
    for i in range(ATTEMPTS):
        try:
            store.put_if_absent(key, data)
            return True
        except AlreadyExistsError:
            return get_or_none(store, key) == data
        except TransientStoreError:
            if i == ATTEMPTS - 1:
                raise
            time.sleep(0.001 * (2**i))
    raise AssertionError("unreachable")  # pragma: no cover
