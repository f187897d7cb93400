"""The emulator fixtures: start on 127.0.0.1, stop through their handle, skip or fail when missing."""

from __future__ import annotations

import contextlib
import urllib.request
from collections.abc import Iterator

import pytest

from namidb_core.testing import emulators
from namidb_core.testing.emulators import Emulator, EmulatorUnavailable, emulator_or_skip


@contextlib.contextmanager
def _missing() -> Iterator[Emulator]:
    raise EmulatorUnavailable("nothing here; install it: python tools/install_emulators.py")
    yield  # pragma: no cover - makes this a generator


def test_unavailable_emulator_skips_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(emulators.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="install_emulators"), emulator_or_skip(_missing):
        pass


def test_unavailable_emulator_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(emulators.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="install_emulators"), emulator_or_skip(_missing):
        pass


def test_missing_program_names_the_install_step(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("NAMIDB_AZURITE_BLOB", str(tmp_path / "no-such-azurite"))
    with pytest.raises(EmulatorUnavailable, match=r"tools/install_emulators\.py"), emulators.azure_emulator():
        pass


def test_moto_starts_on_loopback_and_stops() -> None:
    with emulators.s3_emulator() as emu:
        assert emu.endpoint == f"http://127.0.0.1:{emu.port}"
        with urllib.request.urlopen(f"{emu.endpoint}/moto-api/", timeout=10) as resp:
            assert resp.status == 200
        process = emu.process
    assert process.poll() is not None  # terminated through its own handle


def test_counting_proxy_counts_downstream_bytes() -> None:
    with emulators.s3_emulator() as emu, emulators.CountingProxy(emu.port) as proxy:
        with urllib.request.urlopen(f"http://127.0.0.1:{proxy.port}/moto-api/", timeout=10) as resp:
            body = resp.read()
        assert proxy.received > len(body) > 0
        proxy.reset()
        assert proxy.received == 0
