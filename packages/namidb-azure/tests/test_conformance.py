"""The core conformance suite (8-thread and 8-process create-only races included) on Azurite."""

from __future__ import annotations

import pytest

from namidb_azure import AzureStore
from namidb_core.testing import CrossProcessConformance, ObjectStoreConformance

pytestmark = [
    pytest.mark.azure,
    pytest.mark.filterwarnings("ignore:Sending a large body directly:ResourceWarning"),
]


class TestAzureConformance(ObjectStoreConformance, CrossProcessConformance):
    @pytest.fixture
    def store(self, azure_store: AzureStore) -> AzureStore:
        return azure_store
