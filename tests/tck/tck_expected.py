"""Read and write ``expected_failures.txt``: one ``<tck id> # <reason>`` line per failing scenario.

Blank lines and lines starting with ``#`` are comments. The file only shrinks as the engine grows:
the runner marks each listed scenario ``xfail(strict=True)``, so a scenario that starts to pass
fails the run until its line is removed (``update_expected_failures.py`` does that).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["EXPECTED_FAILURES", "SEPARATOR", "read_expected", "write_expected", "merge_results"]

EXPECTED_FAILURES = Path(__file__).resolve().parent / "expected_failures.txt"
SEPARATOR = " # "  # TCK ids contain "#Example" but never " # "
_HEADER = """\
# openCypher TCK scenarios that namidb does not pass yet: "<tck id> # <reason>".
# Each is run as xfail(strict=True): a scenario that starts passing fails the run until it is
# removed here. Regenerate with: .venv/bin/python tests/tck/update_expected_failures.py
"""


def read_expected(path: Path = EXPECTED_FAILURES) -> dict[str, str]:
    """Map each listed scenario id to its reason (an empty file or a missing one lists nothing)."""
    if not path.exists():
        return {}
    expected: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tck_id, _, reason = line.partition(SEPARATOR)
        expected[tck_id.strip()] = reason.strip() or "not supported yet"
    return expected


def write_expected(entries: Iterable[tuple[str, str]], path: Path = EXPECTED_FAILURES) -> None:
    """Write ``(tck id, reason)`` pairs in the given order, reasons squeezed onto one line."""
    lines = [_HEADER]
    for tck_id, reason in entries:
        if SEPARATOR in tck_id:
            raise ValueError(f"a TCK id cannot contain {SEPARATOR!r}: {tck_id}")
        one_line = " ".join(reason.split()) or "not supported yet"
        lines.append(f"{tck_id}{SEPARATOR}{one_line}\n")
    path.write_text("".join(lines), encoding="utf-8")


def merge_results(
    all_ids: Sequence[str], old: Mapping[str, str], records: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, str]]:
    """The new file's entries, in TCK order, from the old entries and this run's records.

    A scenario that ran is listed iff it failed (keeping its old reason, else the first line of
    its failure); one that did not run keeps its old entry; ids outside ``all_ids`` drop out.
    """
    entries = []
    for tck_id in all_ids:
        record = records.get(tck_id)
        if record is None:
            if tck_id in old:
                entries.append((tck_id, old[tck_id]))
        elif not record["passed"]:
            entries.append((tck_id, old.get(tck_id) or record.get("reason") or "failed"))
    return entries
