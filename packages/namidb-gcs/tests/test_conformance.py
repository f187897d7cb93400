"""The core conformance suite (8-thread and 8-process create-only races included) on fake-gcs-server."""

from __future__ import annotations

import pytest

from namidb_core.testing import CrossProcessConformance, ObjectStoreConformance
from namidb_gcs import GCSStore

pytestmark = [
    pytest.mark.gcs,
    # aiohttp warns (ResourceWarning, ignored by Python's default filters) when
    # gcsfs hands it a body over 1 MiB as bytes; pytest.toml turns warnings into errors.
    pytest.mark.filterwarnings("ignore:Sending a large body directly:ResourceWarning"),
]


class TestGCSConformance(ObjectStoreConformance, CrossProcessConformance):
    @pytest.fixture
    def store(self, gcs_store: GCSStore) -> GCSStore:
        return gcs_store
