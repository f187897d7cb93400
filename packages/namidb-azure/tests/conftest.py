"""Fixtures of the Azure backend tests: one Azurite per session, one container."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from namidb_azure import AzureStore
from namidb_core.testing.emulators import (
    AZURITE_ACCOUNT,
    Emulator,
    azure_emulator,
    create_azure_container,
    emulator_or_skip,
)

CONTAINER = "namidb-test"


@pytest.fixture(scope="session")
def azure_server() -> Iterator[Emulator]:
    """Azurite's blob service (in memory) on 127.0.0.1 with one container."""
    with emulator_or_skip(azure_emulator) as emulator:
        create_azure_container(emulator.endpoint, CONTAINER)
        yield emulator


@pytest.fixture
def azure_store(azure_server: Emulator) -> Iterator[AzureStore]:
    """A store rooted at a fresh prefix of the test container."""
    store = AzureStore(
        AZURITE_ACCOUNT,
        CONTAINER,
        f"t/{uuid.uuid4().hex}",
        endpoint=azure_server.endpoint,
        allow_http=True,
        use_emulator=True,
    )
    yield store
    store.close()
