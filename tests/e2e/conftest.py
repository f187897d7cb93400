"""Fixtures of the end-to-end suite: one emulator per cloud backend per session, fresh URIs per test.

``backend`` is parametrized over every backend (``memory``, ``file``, ``s3``, ``gcs``,
``azure``); ``durable_backend`` leaves out ``memory``, whose clients each have a
private store, for the tests where a second client or a second process must see
the data. Both yield a :class:`~.backends.Backend`: call it for a fresh URI.

Emulators start on first use and live for the session (``namidb_core.testing.emulators``:
a missing emulator skips its tests, or fails them under ``NAMIDB_REQUIRE_EMULATORS=1``).
Credentials go through ``os.environ`` like the backend packages' conftests do, so the
child processes the tests spawn inherit them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from namidb_core.testing.emulators import (
    S3_TEST_CREDENTIALS,
    Emulator,
    azure_emulator,
    create_azure_container,
    create_gcs_bucket,
    create_s3_bucket,
    emulator_or_skip,
    gcs_emulator,
    s3_emulator,
)

from .backends import ALL_BACKENDS, BUCKET, DURABLE_BACKENDS, Backend, backend_params, resolve_backend


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Emulator]:
    """moto_server with the test credentials in the environment and the e2e bucket."""
    with pytest.MonkeyPatch.context() as mp:
        # The AWS chain reads these; child processes inherit them.
        for name, value in S3_TEST_CREDENTIALS.items():
            mp.setenv(name, value)
        mp.delenv("AWS_PROFILE", raising=False)
        with emulator_or_skip(s3_emulator) as emulator:
            create_s3_bucket(emulator.endpoint, BUCKET)
            yield emulator


@pytest.fixture(scope="session")
def gcs_server() -> Iterator[Emulator]:
    """fake-gcs-server (in memory) with the e2e bucket."""
    with pytest.MonkeyPatch.context() as mp:
        # The URIs name their endpoint; a stray emulator variable must not redirect them.
        mp.delenv("STORAGE_EMULATOR_HOST", raising=False)
        with emulator_or_skip(gcs_emulator) as emulator:
            create_gcs_bucket(emulator.endpoint, BUCKET)
            yield emulator


@pytest.fixture(scope="session")
def azure_server() -> Iterator[Emulator]:
    """Azurite's blob service (in memory) with the e2e container.

    The URIs' ``use_emulator=true`` supplies Azurite's public development key, so
    no secret needs to travel through the environment.
    """
    with emulator_or_skip(azure_emulator) as emulator:
        create_azure_container(emulator.endpoint, BUCKET)
        yield emulator


@pytest.fixture(scope="session")
def file_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every ``file://`` URI of the session lives under."""
    return tmp_path_factory.mktemp("e2e-file")


@pytest.fixture(params=backend_params(ALL_BACKENDS))
def backend(request: pytest.FixtureRequest) -> Backend:
    """Every backend, memory included (for tests where one client does everything)."""
    return resolve_backend(request, request.param)


@pytest.fixture(params=backend_params(DURABLE_BACKENDS))
def durable_backend(request: pytest.FixtureRequest) -> Backend:
    """Every backend a second client or process can share: file, s3, gcs, azure."""
    return resolve_backend(request, request.param)
