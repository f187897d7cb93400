"""The backend matrix of the e2e suite: which backends, their pytest params, and fresh URIs.

A :class:`Backend` is what the ``backend`` fixtures yield: call it for a fresh URI
(its own namespace, under its own folder for ``file``) in the form users write::

    s3://namidb-e2e/data?ns=<ns>&region=us-east-1&endpoint=http://127.0.0.1:P&allow_http=true
    gs://namidb-e2e/data?ns=<ns>&endpoint=http://127.0.0.1:P
    az://devstoreaccount1/namidb-e2e/data?ns=<ns>&use_emulator=true&endpoint=http://127.0.0.1:P/devstoreaccount1&allow_http=true
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from namidb_core.testing.emulators import Emulator

#: The bucket (S3, GCS) or container (Azure) every e2e test writes under.
BUCKET = "namidb-e2e"
#: The prefix inside it; each URI gets its own namespace below it.
PREFIX = "data"

ALL_BACKENDS = ("memory", "file", "s3", "gcs", "azure")
#: The backends a second client or process can share (each memory:// client has a private store).
DURABLE_BACKENDS = ("file", "s3", "gcs", "azure")

_CLOUD_MARKS = {"s3": pytest.mark.s3, "gcs": pytest.mark.gcs, "azure": pytest.mark.azure}
#: The session fixture that runs each cloud backend's emulator (defined in conftest.py).
_SERVER_FIXTURE = {"s3": "s3_server", "gcs": "gcs_server", "azure": "azure_server"}


def backend_params(names: tuple[str, ...]) -> list[Any]:
    """``pytest.param``s of ``names``, cloud ones carrying their ``s3``/``gcs``/``azure`` marker."""
    return [pytest.param(n, marks=_CLOUD_MARKS[n]) if n in _CLOUD_MARKS else n for n in names]


@dataclass(frozen=True)
class Backend:
    """One storage backend of the matrix; calling it makes a fresh URI.

    Attributes:
        name: ``memory``, ``file``, ``s3``, ``gcs`` or ``azure``.
        root: the folder ``file`` URIs live under (None for the others).
        emulator: the running emulator of a cloud backend (None for the others).
    """

    name: str
    root: Path | None = None
    emulator: Emulator | None = None

    def __call__(self) -> str:
        """A URI of a namespace nobody has used yet."""
        return self.uri(f"t{uuid.uuid4().hex[:12]}")

    def uri(self, ns: str, *, port: int | None = None) -> str:
        """The URI of namespace ``ns``; ``port`` reroutes a cloud URI (e.g. through a proxy)."""
        if self.name == "memory":
            return f"memory://{ns}"
        if self.name == "file":
            assert self.root is not None
            folder = self.root / ns  # a folder per namespace: nothing shared between tests
            folder.mkdir(parents=True, exist_ok=True)
            return f"file://{folder}?ns={ns}"
        assert self.emulator is not None
        host = f"http://127.0.0.1:{port if port is not None else self.emulator.port}"
        if self.name == "s3":
            return f"s3://{BUCKET}/{PREFIX}?ns={ns}&region=us-east-1&endpoint={host}&allow_http=true"
        if self.name == "gcs":
            return f"gs://{BUCKET}/{PREFIX}?ns={ns}&endpoint={host}"
        return (
            f"az://devstoreaccount1/{BUCKET}/{PREFIX}?ns={ns}&use_emulator=true"
            f"&endpoint={host}/devstoreaccount1&allow_http=true"
        )


def resolve_backend(request: pytest.FixtureRequest, name: str) -> Backend:
    """The :class:`Backend` called ``name``, starting its emulator (session-scoped) on first use."""
    if name in _SERVER_FIXTURE:
        return Backend(name, emulator=request.getfixturevalue(_SERVER_FIXTURE[name]))
    if name == "file":
        return Backend(name, root=request.getfixturevalue("file_root"))
    return Backend(name)
