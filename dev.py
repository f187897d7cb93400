#!/usr/bin/env python3
"""Set up the workspace and run namidb's everyday jobs; needs only Python >= 3.10 and pip.

    python dev.py demo     create .venv, install namidb from packages/, run the demo
    python dev.py test     create .venv, install everything the suite needs, run
                           ruff, mypy and the whole pytest suite (extra args go to pytest)
    python dev.py bench    run the benchmark harness (see bench/README.md)

Every install comes from this checkout's local paths (the public index also has
a distribution named ``namidb``: a compiled engine that is not this one). A stamp
of the project files' hash skips the install when nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PACKAGES = ["namidb-core", "namidb-cypher", "namidb-s3", "namidb-gcs", "namidb-azure", "namidb"]
# Test-only distributions that live under tests/ (a third-party storage plugin).
TEST_DISTS = ["tests/plugins/namidb-sqlite-store"]


def _python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True, env=env)


def _stamp(kind: str) -> str:
    digest = hashlib.sha256(kind.encode())
    files = [ROOT / "dev.py", *sorted((ROOT / "requirements").glob("*.txt"))]
    files += [ROOT / "packages" / p / "pyproject.toml" for p in PACKAGES]
    files += [ROOT / d / "pyproject.toml" for d in TEST_DISTS]
    for f in files:
        if f.exists():
            digest.update(f.read_bytes())
    return digest.hexdigest()


def ensure_venv(kind: str) -> None:
    """Create .venv and install the packages for ``kind`` (demo or test) if stale."""
    stamp_file = VENV / f".namidb-{kind}-stamp"
    want = _stamp(kind)
    if stamp_file.exists() and stamp_file.read_text() == want and _python().exists():
        return
    if not _python().exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        _run(_python(), "-m", "pip", "install", "-q", "--upgrade", "pip")
    args: list[str | Path] = [_python(), "-m", "pip", "install", "-q"]
    # Every first-party distribution is installed from its local path in one
    # resolver run, so pip never reaches for same-named releases on the index.
    extras = "[pandas,polars]" if kind == "test" else ""
    for pkg in PACKAGES:
        args += ["-e", f"{ROOT / 'packages' / pkg}{extras if pkg == 'namidb' else ''}"]
    if kind == "test":
        for dist in TEST_DISTS:
            args += ["-e", str(ROOT / dist)]
        args += ["-r", str(ROOT / "requirements" / "test.txt")]
        args += ["-r", str(ROOT / "requirements" / "bench.txt")]  # bench/tests run in the suite too
    _run(*args)
    stamp_file.write_text(want)


def _ensure_emulators() -> None:
    """Install the cloud emulators the backend tests start (Azurite via npm)."""
    script = ROOT / "tools" / "install_emulators.py"
    if script.exists():
        _run(_python(), script)


def demo(_: list[str]) -> int:
    ensure_venv("demo")
    _run(_python(), ROOT / "examples" / "demo.py")
    return 0


def test(extra: list[str]) -> int:
    ensure_venv("test")
    _ensure_emulators()
    py = str(_python())
    _run(py, "-m", "ruff", "check", ".")
    _run(py, "-m", "ruff", "format", "--check", ".")
    _run(py, "-m", "mypy")
    env = dict(os.environ)
    env.setdefault("PYTHONFAULTHANDLER", "1")
    cmd = [py, "-m", "pytest", *extra]
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def bench(extra: list[str]) -> int:
    ensure_venv("test")
    cmd = [str(_python()), str(ROOT / "bench" / "run.py"), *extra]
    return subprocess.run(cmd, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    jobs = {"demo": demo, "test": test, "bench": bench}
    if not argv or argv[0] not in jobs:
        print(__doc__)
        return 2
    return jobs[argv[0]](argv[1:])


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as e:
        print(f"dev.py: step failed with exit code {e.returncode}", file=sys.stderr)
        sys.exit(e.returncode or 1)
