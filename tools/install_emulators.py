#!/usr/bin/env python3
"""Install the cloud emulators the backend tests need that pip cannot install.

moto (S3) and fake-gcs-server (GCS) come from PyPI through ``requirements/test.txt``.
Azurite (Azure Blob) is an npm package; this script installs the pinned
version into ``<repo>/.tools/`` with ``npm install --prefix .tools``.

Idempotent and quiet: when the pinned version is already installed it prints
nothing and exits 0. ``dev.py test`` calls it before pytest, on a fresh CI
machine too. Without npm it explains how to get it and exits 1 when
``NAMIDB_REQUIRE_EMULATORS=1`` (CI), else 0 so the Azure tests skip.

    python tools/install_emulators.py [--force]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
AZURITE_VERSION = "3.37.0"
AZURITE_BIN = TOOLS / "node_modules" / ".bin" / "azurite-blob"


def _installed_azurite_version() -> str | None:
    manifest = TOOLS / "node_modules" / "azurite" / "package.json"
    if not AZURITE_BIN.exists() or not manifest.exists():
        return None
    try:
        return str(json.loads(manifest.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def install_azurite(force: bool = False) -> bool:
    """Install Azurite into ``.tools``; return True when it is usable afterwards."""
    if not force and _installed_azurite_version() == AZURITE_VERSION:
        return True
    npm = shutil.which("npm")
    if npm is None:
        print(
            "install_emulators: npm not found; install Node.js >= 18 (with npm) to run the "
            f"Azure backend tests, then rerun: python {Path(__file__).relative_to(ROOT)}",
            file=sys.stderr,
        )
        return False
    TOOLS.mkdir(exist_ok=True)
    print(f"install_emulators: installing azurite@{AZURITE_VERSION} into {TOOLS}", flush=True)
    cmd = [
        npm,
        "install",
        "--prefix",
        str(TOOLS),
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        f"azurite@{AZURITE_VERSION}",
    ]
    result = subprocess.run(cmd, cwd=ROOT, check=False)
    if result.returncode != 0:
        print(f"install_emulators: npm install failed (exit {result.returncode})", file=sys.stderr)
        return False
    return _installed_azurite_version() == AZURITE_VERSION


def main(argv: list[str]) -> int:
    ok = install_azurite(force="--force" in argv)
    if ok:
        return 0
    return 1 if os.environ.get("NAMIDB_REQUIRE_EMULATORS") == "1" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
