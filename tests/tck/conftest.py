"""Collect the openCypher TCK as pytest items: one item per scenario, outlines expanded per row.

The feature files live outside the repository (``shared/tck`` beside it, or ``$NAMIDB_TCK_DIR``),
where this conftest's hooks cannot reach, so ``pytest_collect_file`` claims the marker file
``openCypher.tck`` in this folder and its collector walks the TCK's ``features/`` tree:

    tests/tck/openCypher.tck                                    TckSuite (pytest.File)
      ::clauses/match/Match1.feature                            FeatureCollector
        ::[1] Match non-existent nodes returns empty            TckItem (tck id: file::name)

Scenarios listed in ``expected_failures.txt`` are marked ``xfail(strict=True)``; set
``NAMIDB_TCK_NO_XFAIL=1`` to run them plain (``update_expected_failures.py`` does). At the end of a
run that included TCK items, the terminal summary shows pass counts per category.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .tck_expected import read_expected
from .tck_features import Scenario, iter_feature_files, load_feature, tck_root
from .tck_runner import Record, ScenarioFailure, run_scenario
from .tck_summary import summarize

SUITE_SUFFIX = ".tck"
USER_PROPERTY = "tck"  # key of the per-item record in report.user_properties
REPORT_PLUGIN = "namidb-tck-report"


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Claim ``openCypher.tck``: its collector yields the TCK's feature files."""
    if file_path.suffix == SUITE_SUFFIX:
        return TckSuite.from_parent(parent, path=file_path)
    return None


class TckSuite(pytest.File):
    """The whole TCK, one child collector per feature file."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        root = tck_root()
        features = root / "features"
        if not features.is_dir():
            yield MissingTck.from_parent(self, name="missing", root=root)
            return
        expected = {} if os.environ.get("NAMIDB_TCK_NO_XFAIL") else read_expected()
        # Parse every file up front (under a second) so stale expected_failures.txt lines show up
        # even when only part of the TCK is selected.
        parsed = {path: load_feature(path, features) for path in iter_feature_files(features)}
        stale = set(expected) - {s.tck_id for scenarios in parsed.values() for s in scenarios}
        if stale:
            yield StaleExpectedFailures.from_parent(self, name="expected_failures.txt", stale=sorted(stale))
        for path, scenarios in parsed.items():
            yield FeatureCollector.from_parent(
                self,
                name=path.relative_to(features).as_posix(),
                path=path,
                scenarios=scenarios,
                graphs_dir=root / "graphs",
                expected=expected,
            )


class FeatureCollector(pytest.Collector):
    """One ``.feature`` file; its items are the file's scenarios."""

    def __init__(
        self, *, scenarios: list[Scenario], graphs_dir: Path, expected: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.scenarios = scenarios
        self.graphs_dir = graphs_dir
        self.expected = expected

    def collect(self) -> Iterator[pytest.Item]:
        for scenario in self.scenarios:
            item = TckItem.from_parent(
                self, name=scenario.name, scenario=scenario, graphs_dir=self.graphs_dir
            )
            item.add_marker(pytest.mark.tck)
            reason = self.expected.get(scenario.tck_id)
            if reason is not None:
                item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
            yield item


class TckItem(pytest.Item):
    """One TCK scenario, run through ``namidb``'s public API."""

    def __init__(self, *, scenario: Scenario, graphs_dir: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.graphs_dir = graphs_dir

    def runtest(self) -> None:
        record = Record()
        passed = False
        reason = ""
        try:
            run_scenario(self.scenario, self.graphs_dir, record)
            passed = True
        except ScenarioFailure as failure:
            reason = failure.detail.splitlines()[0] if failure.detail else failure.step
            raise
        finally:
            # Plain builtins only: reports (and these properties) cross process borders under xdist.
            self.user_properties.append(
                (
                    USER_PROPERTY,
                    {
                        "id": self.scenario.tck_id,
                        "category": self.scenario.category,
                        "passed": passed,
                        "expects_error": self.scenario.expects_error,
                        "error_match": record.error_match,
                        "listed": self.get_closest_marker("xfail") is not None,
                        "reason": reason,
                    },
                )
            )

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        """A short report: scenario, failing step, detail, and the cause's traceback if it crashed."""
        exc = excinfo.value
        if not isinstance(exc, ScenarioFailure):
            return str(super().repr_failure(excinfo, style=style))
        lines = [f"TCK {self.scenario.tck_id} (line {self.scenario.line})", f"step: {exc.step}"]
        if exc.query is not None:
            lines.append("query:\n" + "\n".join(f"  {line}" for line in exc.query.splitlines()))
        lines.append(exc.detail)
        cause = exc.__cause__
        if cause is not None and not hasattr(cause, "tck_name"):
            lines.append("".join(traceback.format_exception(cause, limit=-8)).rstrip())
        return "\n".join(lines)

    def reportinfo(self) -> tuple[Path, int, str]:
        """Point at the scenario in its feature file."""
        return self.path, self.scenario.line - 1, f"TCK {self.scenario.tck_id}"


class StaleExpectedFailures(pytest.Item):
    """Fails while expected_failures.txt lists ids the TCK does not have (renamed or removed)."""

    def __init__(self, *, stale: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stale = stale

    def runtest(self) -> None:
        shown = "\n".join(self.stale[:20])
        more = f"\n... {len(self.stale) - 20} more" if len(self.stale) > 20 else ""
        pytest.fail(
            f"expected_failures.txt lists {len(self.stale)} ids that are not TCK scenarios "
            f"(run tests/tck/update_expected_failures.py):\n{shown}{more}",
            pytrace=False,
        )

    def reportinfo(self) -> tuple[Path, int, str]:
        """Name the check in reports."""
        return self.path, 0, "expected_failures.txt lists only TCK scenarios"


class MissingTck(pytest.Item):
    """Stands in for the TCK when its folder is missing, so the run says why nothing was collected."""

    def __init__(self, *, root: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.root = root

    def runtest(self) -> None:
        pytest.skip(f"openCypher TCK not found at {self.root} (set NAMIDB_TCK_DIR)")


# --- the summary -----------------------------------------------------------------------------


class TckReport:
    """Collects each TCK item's record from its call report and prints the summary."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the record riding on the call report (it survives xdist's process border)."""
        if report.when != "call":
            return
        for key, value in report.user_properties:
            if key == USER_PROPERTY and isinstance(value, dict):
                self.records[value["id"]] = value

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the TCK pass counts when the run included TCK items."""
        if not self.records:
            return
        terminalreporter.section("openCypher TCK")
        for line in summarize(self.records):
            terminalreporter.write_line(line)


def pytest_configure(config: pytest.Config) -> None:
    """Register the summary plugin (once, even if this conftest is loaded late)."""
    if not config.pluginmanager.has_plugin(REPORT_PLUGIN):
        config.pluginmanager.register(TckReport(), REPORT_PLUGIN)
