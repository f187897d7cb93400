"""The core conformance suite (8-thread and 8-process create-only races included) on moto."""

from __future__ import annotations

import pytest

from namidb_core.testing import CrossProcessConformance, ObjectStoreConformance
from namidb_s3 import S3Store

pytestmark = pytest.mark.s3


class TestS3Conformance(ObjectStoreConformance, CrossProcessConformance):
    @pytest.fixture
    def store(self, s3_store: S3Store) -> S3Store:
        return s3_store
