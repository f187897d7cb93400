"""``namidb.uuid7()`` follows RFC 9562 and sorts in creation order."""

from __future__ import annotations

import time
import uuid

import namidb


def test_version_and_variant():
    u = namidb.uuid7()
    assert isinstance(u, uuid.UUID)
    assert u.version == 7
    assert u.variant == uuid.RFC_4122


def test_timestamp_is_now():
    before = time.time_ns() // 1_000_000
    u = namidb.uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= u.int >> 80 <= after + 1


def test_strictly_increasing_within_a_millisecond():
    ids = [namidb.uuid7() for _ in range(20_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_string_form_is_a_uuid():
    s = str(namidb.uuid7())
    assert uuid.UUID(s).version == 7
