"""Running ``child.py`` in a fresh interpreter, and killing it, from the e2e tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

#: The script the cross-process tests run with ``sys.executable``.
CHILD = Path(__file__).with_name("child.py")
#: Seconds a child process may take before the test gives up on it (start-up on a loaded
#: two-core machine takes a few seconds: pyarrow, lark and the backend library import).
CHILD_TIMEOUT = 120.0


def child_command(*args: str) -> list[str]:
    """The argv that runs ``child.py`` with ``args``."""
    return [sys.executable, str(CHILD), *args]


def child_env() -> dict[str, str]:
    """A child's environment: ours (so emulator credentials are inherited), unbuffered."""
    return dict(os.environ, PYTHONUNBUFFERED="1")


def run_child(*args: str) -> str:
    """Run ``child.py`` to completion and return its stdout; fail the test with its stderr if it fails."""
    proc = subprocess.run(
        child_command(*args), capture_output=True, text=True, env=child_env(), timeout=CHILD_TIMEOUT
    )
    if proc.returncode != 0:
        pytest.fail(f"child {args[0]} exited with {proc.returncode}:\n{proc.stderr[-4000:]}")
    return proc.stdout


def start_child(stderr_path: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``child.py`` with stdout piped and stderr to ``stderr_path``.

    stderr goes to a file: with two pipes, ``communicate()`` would bypass the
    stdout buffer ``readline()`` already filled and lose lines.
    """
    with open(stderr_path, "wb") as err:
        return subprocess.Popen(child_command(*args), stdout=subprocess.PIPE, stderr=err, env=child_env())


def kill(proc: subprocess.Popen[bytes]) -> bytes:
    """SIGKILL a child we started (through its own handle); return the rest of its stdout.

    The rest is read from ``proc.stdout`` itself, not with ``communicate(timeout=...)``,
    which reads the raw pipe and would drop lines ``readline()`` had already buffered.
    """
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    out = proc.stdout.read() if proc.stdout is not None and not proc.stdout.closed else b""
    proc.wait(timeout=CHILD_TIMEOUT)
    if proc.stdout is not None:
        proc.stdout.close()
    return out or b""
