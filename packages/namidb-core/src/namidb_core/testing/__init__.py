"""Test support shipped with namidb-core: the backend conformance suite.

Import needs pytest (the ``namidb-core[testing]`` extra).
"""

from namidb_core.testing.conformance import CrossProcessConformance, ObjectStoreConformance

__all__ = ["CrossProcessConformance", "ObjectStoreConformance"]
