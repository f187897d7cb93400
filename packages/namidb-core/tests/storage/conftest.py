import pytest

from namidb_core.objectstore.local import LocalStore
from namidb_core.objectstore.memory import MemoryStore


@pytest.fixture(params=["memory", "file"])
def store(request, tmp_path):
    """A fresh store of each built-in kind."""
    if request.param == "memory":
        return MemoryStore()
    return LocalStore(tmp_path / "bucket")
