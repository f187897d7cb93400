"""Read TCK feature files into runnable scenarios with the official Gherkin parser.

Gherkin's pickle compiler does the expansion the TCK relies on: a Scenario Outline becomes one
pickle per Examples row (placeholders substituted in step text, doc strings and tables) and a
Background's steps are prepended to every scenario. This module only adds the naming scheme:
``<category>/<File>.feature::<scenario name>`` plus ``[<row>]`` (1-based, counted over all of an
outline's Examples tables) for outline rows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler, GherkinDocumentWithURI

__all__ = ["Step", "Scenario", "tck_root", "load_feature", "iter_feature_files"]


def tck_root() -> Path:
    """The TCK folder: ``$NAMIDB_TCK_DIR``, else ``shared/tck`` beside the repository checkout."""
    override = os.environ.get("NAMIDB_TCK_DIR")
    if override:
        return Path(override).resolve()
    # tests/tck/<this file> -> parents[2] is the repo root; CI clones shared/ beside it.
    return Path(__file__).resolve().parents[2].parent / "shared" / "tck"


@dataclass(frozen=True)
class Step:
    """One Gherkin step: its text without the keyword, plus its doc string or data table."""

    text: str
    doc: str | None = None
    table: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class Scenario:
    """One runnable TCK scenario (a plain Scenario, or one Examples row of an outline)."""

    feature_path: str  # relative to features/, with "/" separators, e.g. "clauses/match/Match1.feature"
    name: str  # the scenario name, plus "[<row>]" for an outline row
    line: int  # line of the Scenario (or of the Examples row) in the feature file
    steps: tuple[Step, ...]

    @property
    def tck_id(self) -> str:
        """The stable id used in reports and expected_failures.txt."""
        return f"{self.feature_path}::{self.name}"

    @property
    def category(self) -> str:
        """The folder of the feature file, e.g. ``clauses/match``."""
        return self.feature_path.rpartition("/")[0]

    @cached_property
    def expects_error(self) -> bool:
        """True when a step says that an error should be raised."""
        return any(" should be raised at " in step.text for step in self.steps)


def iter_feature_files(features_dir: Path) -> list[Path]:
    """Every ``.feature`` file under ``features_dir``, in a stable order."""
    return sorted(features_dir.rglob("*.feature"))


def _row_labels(feature: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Map each Examples row's AST id to (1-based index within its outline, line)."""
    labels: dict[str, tuple[int, int]] = {}
    children = list(feature.get("children", []))
    while children:
        child = children.pop()
        if "rule" in child:  # Rules nest scenarios one level down
            children.extend(child["rule"].get("children", []))
            continue
        scenario = child.get("scenario")
        if scenario is None:
            continue
        index = 0
        for examples in scenario.get("examples", []):
            for row in examples.get("tableBody", []):
                index += 1
                labels[row["id"]] = (index, row["location"]["line"])
    return labels


def _first_line(pickle: Any) -> int:
    # Pickles carry a location from gherkin 33 on; older ones do not, and the row map fixes outlines.
    location = pickle.get("location") or {}
    return int(location.get("line", 0))


def _step(raw: dict[str, Any]) -> Step:
    argument = raw.get("argument", {})
    doc = argument.get("docString", {}).get("content")
    table = argument.get("dataTable")
    rows = None
    if table is not None:
        rows = tuple(tuple(cell["value"] for cell in row["cells"]) for row in table["rows"])
    return Step(raw["text"], doc, rows)


def load_feature(path: Path, features_dir: Path) -> list[Scenario]:
    """Parse one feature file into its scenarios, outlines expanded."""
    document = Parser().parse(path.read_text(encoding="utf-8"))
    relative = path.relative_to(features_dir).as_posix()
    # Gherkin types its AST as TypedDicts with optional envelopes; walk it as plain dicts.
    rows = _row_labels(cast(dict[str, Any], document).get("feature") or {})
    scenarios = []
    for pickle in Compiler().compile(GherkinDocumentWithURI(**document, uri=relative)):
        name, line = pickle["name"], _first_line(pickle)
        for node_id in pickle["astNodeIds"][1:]:
            if node_id in rows:
                index, line = rows[node_id]
                name = f"{name}[{index}]"
        steps = tuple(_step(cast(dict[str, Any], raw)) for raw in pickle["steps"])
        scenarios.append(Scenario(relative, name, line, steps))
    return scenarios
