"""Fixtures of the GCS backend tests: one fake-gcs-server per session, one bucket."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from namidb_core.testing.emulators import Emulator, create_gcs_bucket, emulator_or_skip, gcs_emulator
from namidb_gcs import GCSStore

BUCKET = "namidb-test"


@pytest.fixture(scope="session")
def gcs_server() -> Iterator[Emulator]:
    """A fake-gcs-server (in memory) on 127.0.0.1 with one bucket."""
    with pytest.MonkeyPatch.context() as mp:
        # Tests name their endpoint explicitly; a stray emulator variable must not leak in.
        mp.delenv("STORAGE_EMULATOR_HOST", raising=False)
        with emulator_or_skip(gcs_emulator) as emulator:
            create_gcs_bucket(emulator.endpoint, BUCKET)
            yield emulator


@pytest.fixture
def gcs_store(gcs_server: Emulator) -> Iterator[GCSStore]:
    """A store rooted at a fresh prefix of the test bucket."""
    store = GCSStore(BUCKET, f"t/{uuid.uuid4().hex}", endpoint=gcs_server.endpoint)
    yield store
    store.close()
