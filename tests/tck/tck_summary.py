"""The TCK lines of the pytest terminal summary, computed from the per-scenario records.

A record is the plain dict each TCK item attaches to its report (see ``conftest.TckItem.runtest``):
``id``, ``category``, ``passed``, ``listed`` (in expected_failures.txt), ``expects_error``,
``error_match`` ("exact", "class", "wrong", "none" or None) and ``reason``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

__all__ = ["summarize"]


def summarize(records: dict[str, dict[str, Any]]) -> list[str]:
    """The summary lines: totals, error-scenario matches, then pass counts per category."""
    values = list(records.values())
    passed = sum(r["passed"] for r in values)
    xfailed = sum(1 for r in values if r["listed"] and not r["passed"])
    still_listed = sum(1 for r in values if r["listed"] and r["passed"])
    lines = [
        f"scenarios: {passed}/{len(values)} pass; {xfailed} expected failures; "
        f"{len(values) - passed - xfailed} unexpected failures; "
        f"{still_listed} pass but are still listed in expected_failures.txt",
    ]
    errors = [r for r in values if r["expects_error"]]
    if errors:
        matches = Counter(r["error_match"] for r in errors)
        lines.append(
            f"error scenarios: {sum(r['passed'] for r in errors)}/{len(errors)} pass; "
            f"right error class {matches['exact'] + matches['class']} "
            f"(phase and code right too {matches['exact']}, phase or code differs {matches['class']}); "
            f"wrong class {matches['wrong']}; no error raised {matches['none']}; "
            f"error step not reached {matches[None]}"
        )
    per_category: dict[str, list[int]] = {}
    for record in values:
        category = record["category"]
        for name in {category.split("/")[0], category}:
            counts = per_category.setdefault(name, [0, 0])
            counts[0] += record["passed"]
            counts[1] += 1
    width = max(len(name) for name in per_category) + 2
    for name in sorted(per_category):
        indent = "  " if "/" in name else ""
        passed_here, total_here = per_category[name]
        lines.append(f"{indent}{name:<{width}}{passed_here:>5}/{total_here}")
    return lines
