"""Run the openCypher TCK and rewrite ``expected_failures.txt`` from what actually happened.

    .venv/bin/python tests/tck/update_expected_failures.py [--refresh-reasons] [pytest args: -n 2, -k Match]

Scenarios run without their xfail marks (``NAMIDB_TCK_NO_XFAIL=1``). Of the scenarios that ran,
the failing ones are listed (an entry already listed keeps its reason, a new one gets the first
line of its failure message) and the passing ones drop out. Scenarios that did not run (deselected
with ``-k`` or a node id) keep their entries; ids that are no longer TCK scenarios drop out. The
file is written in TCK order and the script prints what changed. ``--refresh-reasons`` replaces the
reasons of the scenarios that ran with their current failure messages.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
SUITE = HERE / "openCypher.tck"
REPO = HERE.parents[1]


class _Collector:
    """A pytest plugin keeping each TCK item's record (from the controller's reports under xdist)."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        for key, value in report.user_properties:
            if key == "tck" and isinstance(value, dict):
                self.records[value["id"]] = value


def main(argv: list[str]) -> int:
    """Run the TCK, rewrite the file, print a short account; return the process exit code."""
    # Import this folder as the package "tck", the name pytest gives it under --import-mode=importlib.
    if str(HERE.parent) not in sys.path:
        sys.path.insert(0, str(HERE.parent))
    from tck.tck_expected import EXPECTED_FAILURES, merge_results, read_expected, write_expected
    from tck.tck_features import iter_feature_files, load_feature, tck_root

    refresh = "--refresh-reasons" in argv
    argv = [arg for arg in argv if arg != "--refresh-reasons"]
    features = tck_root() / "features"
    if not features.is_dir():
        print(f"openCypher TCK not found at {features.parent} (set NAMIDB_TCK_DIR)")
        return 1
    all_ids = [s.tck_id for path in iter_feature_files(features) for s in load_feature(path, features)]

    os.environ["NAMIDB_TCK_NO_XFAIL"] = "1"
    collector = _Collector()
    # -rN and --tb=no: thousands of failures need no per-item report here.
    args = [str(SUITE), "-q", "-rN", "--tb=no", "-p", "no:cacheprovider", *argv]
    os.chdir(REPO)  # so the repository's pytest.toml (import mode, markers) applies
    code = pytest.main(args, plugins=[collector])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        print(f"pytest did not complete (exit code {code}); {EXPECTED_FAILURES.name} left unchanged")
        return int(code)

    previous = read_expected()
    old = previous
    if refresh:
        old = {tck_id: reason for tck_id, reason in previous.items() if tck_id not in collector.records}
    entries = merge_results(all_ids, old, collector.records)
    write_expected(entries)
    now = {tck_id for tck_id, _ in entries}
    print(
        f"{EXPECTED_FAILURES.name}: {len(entries)} expected failures ({len(now - set(previous))} new, "
        f"{len(set(previous) - now)} removed); {len(collector.records)} of {len(all_ids)} scenarios ran"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
