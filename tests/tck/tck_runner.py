"""Run one TCK scenario against ``namidb`` through its public API only.

Every scenario gets a fresh ``namidb.Client("memory://tck")``. Steps run in order; a ``When`` step
stores the query's result (or the error it raised) and the ``Then`` steps after it check that.
Side effects are measured the way the TCK README defines them: the graph is read through Cypher
before and after the query under test, and nodes, relationships, properties (entity, key, value)
and distinct labels are diffed.

A scenario that does not hold raises :class:`ScenarioFailure` naming the step. What the runner
learned about an expected error (class right? code right?) is written to a :class:`Record`, so the
pytest plugin can report it even for scenarios that fail or are expected to fail.
"""

from __future__ import annotations

import importlib
import json
import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .tck_features import Scenario, Step
from .tck_values import node_labels, parse_value, rows_match, to_python

__all__ = ["ScenarioFailure", "Record", "GraphState", "open_client", "run_scenario", "snapshot", "freeze"]

CLIENT_URI = "memory://tck"
# A detail code of "*" (used with "any time") accepts any code.
_ERROR_STEP = re.compile(r"an? (\w+) should be raised at (compile time|runtime|any time): (\w+|\*)")
_RESULT_STEP = re.compile(
    r"the result should be(, in (?:any )?order)?(?: ?\(ignoring element order for lists\))?:"
)
_SIDE_EFFECT_KEYS = (
    "+nodes",
    "-nodes",
    "+relationships",
    "-relationships",
    "+labels",
    "-labels",
    "+properties",
    "-properties",
)


class ScenarioFailure(AssertionError):
    """A scenario did not behave as its feature file says; ``step`` is the step that failed."""

    def __init__(self, step: str, detail: str, query: str | None = None) -> None:
        super().__init__(f"{step}: {detail}")
        self.step = step
        self.detail = detail
        self.query = query  # the query whose outcome the failing step checked, if any


@dataclass
class Record:
    """What one run established, kept even when the scenario fails.

    ``error_match`` is set for scenarios that expect an error: "exact" (class, phase and code),
    "class" (the TCK class is right but the phase or code differs), "wrong" (another class or a
    non-namidb exception) or "none" (the query did not raise).
    """

    error_match: str | None = None
    notes: list[str] = field(default_factory=list)


# --- graph snapshots for side effects -----------------------------------------------------------


def freeze(value: Any) -> Hashable:
    """A hashable, type-tagged form of a property value (1, 1.0 and True stay distinct; NaN == NaN)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", "NaN" if math.isnan(value) else value)
    if isinstance(value, list | tuple):
        return ("list", tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, freeze(v)) for k, v in value.items())))
    return (type(value).__name__, repr(value))


@dataclass(frozen=True)
class GraphState:
    """The observable graph as the TCK counts it: ids, (entity, key, value) triples, label names."""

    nodes: frozenset[Hashable]
    relationships: frozenset[Hashable]
    properties: frozenset[Hashable]
    labels: frozenset[str]

    def diff(self, after: GraphState) -> dict[str, int]:
        """The side effects that turn this state into ``after``, keyed like the TCK's table."""
        counts = {}
        for name in ("nodes", "relationships", "properties", "labels"):
            before_set, after_set = getattr(self, name), getattr(after, name)
            counts[f"+{name}"] = len(after_set - before_set)
            counts[f"-{name}"] = len(before_set - after_set)
        return counts


def _rel_key(rel: dict[str, Any]) -> Hashable:
    rel_id = rel.get("id")
    return rel_id if rel_id is not None else (rel.get("edge_type"), rel.get("src"), rel.get("dst"))


def snapshot(client: Any) -> GraphState:
    """Read the whole graph through Cypher (the README's observability queries, simplified)."""
    nodes = [row["n"] for row in client.cypher("MATCH (n) RETURN n").rows()]
    rels = [row["r"] for row in client.cypher("MATCH ()-[r]->() RETURN r").rows()]
    properties: set[Hashable] = set()
    labels: set[str] = set()
    for node in nodes:
        labels.update(node_labels(node))
        for key, value in (node.get("properties") or {}).items():
            properties.add(("node", node["id"], key, freeze(value)))
    for rel in rels:
        for key, value in (rel.get("properties") or {}).items():
            properties.add(("rel", _rel_key(rel), key, freeze(value)))
    return GraphState(
        frozenset(node["id"] for node in nodes),
        frozenset(_rel_key(rel) for rel in rels),
        frozenset(properties),
        frozenset(labels),
    )


# --- the scenario run ----------------------------------------------------------------------------


def _describe(exc: BaseException) -> str:
    fields = [
        f"{name}={getattr(exc, name)!r}" for name in ("tck_name", "phase", "code") if hasattr(exc, name)
    ]
    extra = f" [{', '.join(fields)}]" if fields else ""
    return f"{type(exc).__name__}: {exc}{extra}"


def _format_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], cell: Callable[[Any], str] = repr, limit: int = 20
) -> str:
    lines = [f"  | {' | '.join(columns)} |"]
    lines += [f"  | {' | '.join(cell(value) for value in row)} |" for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"  ... {len(rows) - limit} more rows")
    return "\n".join(lines)


def open_client() -> Any:
    """A fresh client on an in-memory store; failures become scenario failures, not errors."""
    try:
        namidb = importlib.import_module("namidb")
        client_class = namidb.Client
    except (ImportError, AttributeError) as exc:
        raise ScenarioFailure("Given", f"namidb.Client is not available ({_describe(exc)})") from exc
    return client_class(CLIENT_URI)


@dataclass
class _Outcome:
    """The latest ``When`` step: its columns and rows, or the error it raised."""

    query: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    error: BaseException | None = None
    before: GraphState | None = None
    after: GraphState | None = None
    snapshot_failure: str | None = None  # why before/after could not be read, reported by the Then step


class _Run:
    """Mutable state of one scenario run; one method per step kind."""

    def __init__(
        self, scenario: Scenario, graphs_dir: Path, record: Record, client_factory: Callable[[], Any]
    ) -> None:
        self.scenario = scenario
        self.client_factory = client_factory
        self.graphs_dir = graphs_dir
        self.record = record
        self._client: Any = None
        self.params: dict[str, Any] = {}
        self.outcome: _Outcome | None = None  # the latest When step
        self.measured: _Outcome | None = None  # the latest "executing query" (not control) step
        # Side effects are measured only when a step checks them (errors imply "no side effects").
        self.track_effects = scenario.expects_error or any("side effects" in s.text for s in scenario.steps)

    @property
    def client(self) -> Any:
        if self._client is None:
            raise ScenarioFailure("Given", "the scenario uses the graph before a Given step")
        return self._client

    # Given ...
    def graph(self, step: Step, name: str | None = None) -> None:
        self._client = self.client_factory()
        if name is None:
            return
        meta_file = self.graphs_dir / name / f"{name}.json"
        scripts = json.loads(meta_file.read_text())["scripts"] if meta_file.exists() else [name]
        for script in scripts:
            text = (self.graphs_dir / name / f"{script}.cypher").read_text(encoding="utf-8")
            for statement in re.split(r";\s*(?:\n|$)", text):
                if statement.strip():
                    self.setup_query(step, statement.strip())

    def setup_query(self, step: Step, query: str) -> None:
        try:
            self.client.cypher(query).rows()
        except Exception as exc:
            raise ScenarioFailure(step.text, f"setup query failed: {_describe(exc)}", query) from exc

    def parameters(self, step: Step) -> None:
        for row in step.table or ():
            self.params[row[0]] = to_python(parse_value(row[1]))

    def procedure(self, step: Step, signature: str) -> None:
        register = getattr(self.client, "register_procedure", None)
        if register is None:
            raise ScenarioFailure(step.text, "the client has no register_procedure(signature, columns, rows)")
        header, *body = step.table or ((),)
        columns = list(header)
        rows = [{c: to_python(parse_value(v)) for c, v in zip(columns, row, strict=True)} for row in body]
        register(signature, columns, rows)

    # When ...
    def execute(self, step: Step, *, control: bool) -> None:
        client = self.client  # outside the try below: a missing Given is the scenario's fault
        query = step.doc or ""
        outcome = _Outcome(query)
        track = self.track_effects and not control
        if track:
            outcome.before = self._snapshot(outcome, "before")
        try:
            result = client.cypher(query, params=dict(self.params))
            columns = list(result.columns)
            outcome.columns = columns
            # Reading the rows is part of the query: a lazy engine may raise only here.
            outcome.rows = [[row[c] for c in columns] for row in result.rows()]
        except Exception as exc:
            outcome.error = exc
            outcome.columns, outcome.rows = [], []
        if track:
            outcome.after = self._snapshot(outcome, "after")
        self.outcome = outcome
        if not control:
            self.measured = outcome

    def _snapshot(self, outcome: _Outcome, when: str) -> GraphState | None:
        # A failed snapshot is reported by the side-effects check, so that an error scenario
        # still records whether the query raised the right error.
        try:
            return snapshot(self.client)
        except Exception as exc:
            if outcome.snapshot_failure is None:
                outcome.snapshot_failure = f"reading the graph {when} the query failed: {_describe(exc)}"
            return None

    # Then ...
    def fail(self, step: Step, detail: str) -> ScenarioFailure:
        """A failure of ``step``, naming the query whose outcome it checked."""
        return ScenarioFailure(step.text, detail, self.outcome.query if self.outcome else None)

    def _current(self, step: Step) -> _Outcome:
        if self.outcome is None:
            raise self.fail(step, "no query was executed before this step")
        return self.outcome

    def result(self, step: Step, ordered: bool, unordered_lists: bool) -> None:
        outcome = self._current(step)
        if outcome.error is not None:
            raise self.fail(step, f"the query raised {_describe(outcome.error)}") from outcome.error
        header, *body = step.table or ((),)
        if outcome.columns != list(header):
            raise self.fail(step, f"columns {outcome.columns} != expected {list(header)}")
        expected = [[parse_value(cell) for cell in row] for row in body]
        if not rows_match(expected, outcome.rows, ordered=ordered, unordered_lists=unordered_lists):
            raise self.fail(
                step,
                "rows differ\nexpected:\n"
                + _format_rows(header, body, cell=str)
                + "\nactual:\n"
                + _format_rows(outcome.columns, outcome.rows),
            )

    def empty(self, step: Step) -> None:
        outcome = self._current(step)
        if outcome.error is not None:
            raise self.fail(step, f"the query raised {_describe(outcome.error)}") from outcome.error
        if outcome.rows:
            raise self.fail(step, "expected no rows, got\n" + _format_rows(outcome.columns, outcome.rows))

    def error(self, step: Step, tck_name: str, phase: str, code: str) -> None:
        outcome = self._current(step)
        exc = outcome.error
        wanted = f"{tck_name} at {phase}: {code}"
        if exc is None:
            self.record.error_match = "none"
            raise self.fail(step, f"expected {wanted}, but the query succeeded")
        got_name = getattr(exc, "tck_name", None)
        if got_name != tck_name:
            self.record.error_match = "wrong"
            raise self.fail(step, f"expected {wanted}, got {_describe(exc)}") from exc
        phase_ok = phase == "any time" or getattr(exc, "phase", None) == phase
        if not phase_ok or (code != "*" and getattr(exc, "code", None) != code):
            self.record.error_match = "class"
            raise self.fail(step, f"right class, but expected {wanted}, got {_describe(exc)}")
        self.record.error_match = "exact"
        self.side_effects(step, {})  # an error must leave the graph as it was

    def side_effects(self, step: Step, expected: dict[str, int]) -> None:
        # Side effects belong to the last query under test, even after a control query.
        outcome = self.measured or self._current(step)
        if outcome.before is None or outcome.after is None:
            raise self.fail(step, outcome.snapshot_failure or "side effects were not measured")
        actual = outcome.before.diff(outcome.after)
        unknown = set(expected) - set(_SIDE_EFFECT_KEYS)
        if unknown:
            raise self.fail(step, f"unknown side effect kinds {sorted(unknown)}")
        wrong = {k: (expected.get(k, 0), n) for k, n in actual.items() if expected.get(k, 0) != n}
        if wrong:
            detail = ", ".join(f"{k}: expected {e}, got {n}" for k, (e, n) in sorted(wrong.items()))
            raise self.fail(step, f"side effects differ ({detail})")

    def close(self) -> None:
        close = getattr(self._client, "close", None)
        if callable(close):
            close()


# Step text -> handler. Patterns are tried in order; the first full match wins.
_Handler = Callable[[_Run, Step, "re.Match[str]"], None]
_STEPS: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(r"an empty graph|any graph"), lambda r, s, m: r.graph(s)),
    (re.compile(r"the (\S+) graph"), lambda r, s, m: r.graph(s, m.group(1))),
    (re.compile(r"having executed:"), lambda r, s, m: r.setup_query(s, s.doc or "")),
    (re.compile(r"parameters are:"), lambda r, s, m: r.parameters(s)),
    (re.compile(r"there exists a procedure (.+?)\s*:"), lambda r, s, m: r.procedure(s, m.group(1))),
    (re.compile(r"executing query:"), lambda r, s, m: r.execute(s, control=False)),
    (re.compile(r"executing control query:"), lambda r, s, m: r.execute(s, control=True)),
    (re.compile(r"the result should be empty"), lambda r, s, m: r.empty(s)),
    (
        _RESULT_STEP,
        lambda r, s, m: r.result(s, ordered=m.group(1) == ", in order", unordered_lists="ignoring" in s.text),
    ),
    (_ERROR_STEP, lambda r, s, m: r.error(s, *m.groups())),
    (re.compile(r"no side effects"), lambda r, s, m: r.side_effects(s, {})),
    (
        re.compile(r"the side effects should be:"),
        lambda r, s, m: r.side_effects(s, {row[0]: int(row[1]) for row in s.table or ()}),
    ),
]


def run_scenario(
    scenario: Scenario,
    graphs_dir: Path,
    record: Record | None = None,
    client_factory: Callable[[], Any] = open_client,
) -> None:
    """Run every step of ``scenario``; raise :class:`ScenarioFailure` at the first that does not hold.

    ``client_factory`` opens the client for the ``Given`` step; the runner's own tests pass a fake.
    """
    run = _Run(scenario, graphs_dir, record if record is not None else Record(), client_factory)
    completed = False
    try:
        for step in scenario.steps:
            for pattern, handler in _STEPS:
                match = pattern.fullmatch(step.text)
                if match is not None:
                    try:
                        handler(run, step, match)
                    except ScenarioFailure:
                        raise
                    except Exception as exc:
                        raise ScenarioFailure(step.text, f"the step crashed: {_describe(exc)}") from exc
                    break
            else:
                raise ScenarioFailure(step.text, "the runner does not know this step")
        completed = True
    finally:
        try:
            run.close()
        except Exception as exc:
            if completed:  # never hide the scenario's own failure behind a failing close()
                raise ScenarioFailure("close", f"Client.close() failed: {_describe(exc)}") from exc
