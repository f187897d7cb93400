"""The ``namidb`` we import is this repository's, not the same-named compiled engine on the index."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import namidb

REPO = Path(__file__).resolve().parents[3]


def test_imported_namidb_is_this_repo():
    assert Path(namidb.__file__).resolve().is_relative_to(REPO / "packages" / "namidb" / "src")


def test_installed_distribution_is_this_repo():
    dist = metadata.distribution("namidb")
    assert dist.version == namidb.__version__
    requires = dist.requires or []
    assert any(r.startswith("namidb-core") for r in requires)  # the compiled engine has no such split


def test_public_api():
    for name in ("Client", "QueryResult", "uuid7", "NamiDBError", "InvalidURIError", "BackendError"):
        assert name in namidb.__all__
        assert hasattr(namidb, name)
    assert issubclass(namidb.InvalidURIError, ValueError)
    assert issubclass(namidb.BackendError, RuntimeError)
