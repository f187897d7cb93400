"""Fixtures of the S3 backend tests: one moto_server per session, one bucket."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from namidb_core.testing.emulators import (
    S3_TEST_CREDENTIALS,
    Emulator,
    create_s3_bucket,
    emulator_or_skip,
    s3_emulator,
)
from namidb_s3 import S3Store

BUCKET = "namidb-test"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Emulator]:
    """A moto_server on 127.0.0.1 with credentials in the environment and one bucket."""
    with pytest.MonkeyPatch.context() as mp:
        # The AWS chain reads these; spawned race processes inherit them.
        for name, value in S3_TEST_CREDENTIALS.items():
            mp.setenv(name, value)
        mp.delenv("AWS_PROFILE", raising=False)
        with emulator_or_skip(s3_emulator) as emulator:
            create_s3_bucket(emulator.endpoint, BUCKET)
            yield emulator


@pytest.fixture
def s3_store(s3_server: Emulator) -> Iterator[S3Store]:
    """A store rooted at a fresh prefix of the test bucket."""
    store = S3Store(
        BUCKET, f"t/{uuid.uuid4().hex}", region="us-east-1", endpoint=s3_server.endpoint, allow_http=True
    )
    yield store
    store.close()
