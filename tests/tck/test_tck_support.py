"""Tests of the TCK runner's own parts: literal parser, comparator, feature loader, step runner."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from .tck_expected import merge_results, read_expected, write_expected
from .tck_features import load_feature, tck_root
from .tck_runner import GraphState, Record, ScenarioFailure, run_scenario
from .tck_summary import summarize
from .tck_values import (
    LiteralError,
    TckNode,
    TckPath,
    TckRel,
    parse_value,
    rows_match,
    to_python,
    values_match,
)

# --- literal parser ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("null", None),
        ("true", True),
        ("false", False),
        ("0", 0),
        ("-12", -12),
        ("0x1F", 31),
        ("-0x1F", -31),
        ("0o17", 15),
        ("1.0", 1.0),
        ("1e-305", 1e-305),
        ("-1.2635418652381264e305", -1.2635418652381264e305),
        (".5", 0.5),
        ("Inf", math.inf),
        ("-Inf", -math.inf),
        ("''", ""),
        ("'a b'", "a b"),
        (r"'it\'s'", "it's"),
        (r"'back\\slash'", "back\\slash"),
        (r"'\u00e9'", "é"),
        ("'tab\\there'", "tab\there"),
        ("[]", []),
        ("{}", {}),
        ("[1, 'a', [null]]", [1, "a", [None]]),
        ("{a: 1, b: {c: [true]}}", {"a": 1, "b": {"c": [True]}}),
        ("{``: 0}", {"": 0}),
        ("{`a b`: 1}", {"a b": 1}),
        ("  [ 1 ,2 ]  ", [1, 2]),
    ],
)
def test_parse_plain_values(text, value):
    parsed = parse_value(text)
    assert parsed == value
    assert type(parsed) is type(value)


def test_parse_negative_zero_keeps_its_sign():
    assert math.copysign(1.0, parse_value("-0.0")) == -1.0


def test_parse_nan():
    assert math.isnan(parse_value("NaN"))


def test_parse_tck_string_with_mixed_escapes():
    # The TCK's Literals feature, after Gherkin has unescaped the table cell.
    assert parse_value(r"""'a\\bcn5t\'"\\//\\"\''""") == "a\\bcn5t'\"\\//\\\"'"


def test_parse_graph_elements():
    assert parse_value("()") == TckNode()
    assert parse_value("(:B:A {name: 'x', n: 1})") == TckNode(frozenset({"A", "B"}), {"name": "x", "n": 1})
    assert parse_value("[:T]") == TckRel("T")
    assert parse_value("[:KNOWS {since: 2020}]") == TckRel("KNOWS", {"since": 2020})


def test_parse_path_with_both_directions():
    path = parse_value("<(:A)-[:T]->(:B {k: 1})<-[:S]-()>")
    assert path == TckPath(
        (TckNode(frozenset({"A"})), TckNode(frozenset({"B"}), {"k": 1}), TckNode()),
        (TckRel("T"), TckRel("S")),
        (True, False),
    )
    assert parse_value("<()>") == TckPath((TckNode(),))
    assert parse_value("[<(:A)-[:T]->(:B)>]")[0].forward == (True,)


@pytest.mark.parametrize(
    "text", ["'open", "[1,", "1 2", "{a 1}", "(:A", "<(:A)-[:T]-(:B)>", "", "nul", "[:]"]
)
def test_parse_rejects_malformed_literals(text):
    with pytest.raises(LiteralError):
        parse_value(text)


def test_every_cell_of_the_tck_parses():
    root = tck_root() / "features"
    if not root.is_dir():
        pytest.skip(f"openCypher TCK not found at {root}")
    cells = 0
    for path in sorted(root.rglob("*.feature")):
        for scenario in load_feature(path, root):
            for step in scenario.steps:
                if step.table is None or "side effects" in step.text:
                    continue
                rows = step.table if "parameters" in step.text else step.table[1:]
                for row in rows:
                    for cell in row[1:] if "parameters" in step.text else row:
                        parse_value(cell)
                        cells += 1
    assert cells > 6000


def test_to_python_refuses_graph_elements():
    assert to_python([1, {"a": [None]}]) == [1, {"a": [None]}]
    with pytest.raises(ValueError, match="graph element"):
        to_python([TckNode()])


# --- comparator ------------------------------------------------------------------------------------


def node(node_id: str, *labels: str, **properties: Any) -> dict[str, Any]:
    return {
        "_kind": "node",
        "id": node_id,
        "label": labels[0] if labels else None,
        "labels": list(labels),
        "properties": properties,
    }


def rel(rel_id: str, edge_type: str, src: str, dst: str, **properties: Any) -> dict[str, Any]:
    return {
        "_kind": "rel",
        "id": rel_id,
        "edge_type": edge_type,
        "src": src,
        "dst": dst,
        "properties": properties,
    }


@pytest.mark.parametrize(
    ("text", "actual", "equal"),
    [
        ("1", 1, True),
        ("1", 1.0, False),
        ("1.0", 1, False),
        ("1", True, False),
        ("true", 1, False),
        ("0.0", -0.0, True),
        ("NaN", math.nan, True),
        ("NaN", 1.0, False),
        ("1.5", 1.5, True),
        ("'a'", "a", True),
        ("'1'", 1, False),
        ("null", None, True),
        ("null", 0, False),
        ("[1, 2]", [1, 2], True),
        ("[1, 2]", (1, 2), True),
        ("[1, 2]", [2, 1], False),
        ("[1]", [1, 2], False),
        ("{a: 1}", {"a": 1}, True),
        ("{a: 1}", {"a": 1, "b": None}, False),
        ("{a: [1.0]}", {"a": [1]}, False),
        ("'1984-10-11'", dt.date(1984, 10, 11), True),
        (
            "'2015-07-21T21:40:32.142Z'",
            dt.datetime(2015, 7, 21, 21, 40, 32, 142000, tzinfo=dt.timezone.utc),
            True,
        ),
        ("'2015-07-21T21:40:32Z'", dt.datetime(2015, 7, 21, 21, 40, 32, tzinfo=dt.timezone.utc), True),
    ],
)
def test_values_match_primitives_and_containers(text, actual, equal):
    assert values_match(parse_value(text), actual) is equal


def test_nodes_compare_by_label_set_and_properties():
    actual = node("n1", "A", "B", name="x")
    assert values_match(parse_value("(:B:A {name: 'x'})"), actual)
    assert not values_match(parse_value("(:A {name: 'x'})"), actual)
    assert not values_match(parse_value("(:A:B)"), actual)
    assert not values_match(parse_value("(:A:B {name: 'y'})"), actual)
    assert not values_match(parse_value("{name: 'x'}"), actual)
    primary_only = {"_kind": "node", "id": "n2", "label": "A", "properties": {}}
    assert values_match(parse_value("(:A)"), primary_only)


def test_relationships_compare_by_type_and_properties():
    actual = rel("r1", "T", "a", "b", k=1)
    assert values_match(parse_value("[:T {k: 1}]"), actual)
    assert not values_match(parse_value("[:S {k: 1}]"), actual)
    assert not values_match(parse_value("[:T]"), actual)
    assert not values_match(parse_value("(:T {k: 1})"), actual)


def test_paths_compare_element_wise_with_direction():
    a, b, c = node("a", "A"), node("b", "B"), node("c")
    forward, backward = rel("r1", "T", "a", "b"), rel("r2", "S", "c", "b")
    actual = [a, forward, b, backward, c]
    assert values_match(parse_value("<(:A)-[:T]->(:B)<-[:S]-()>"), actual)
    assert not values_match(parse_value("<(:A)<-[:T]-(:B)<-[:S]-()>"), actual)
    assert not values_match(parse_value("<(:A)-[:T]->(:B)-[:S]->()>"), actual)
    assert not values_match(parse_value("<(:A)-[:T]->(:B)>"), actual)
    assert values_match(parse_value("<(:A)>"), [a])
    assert values_match(parse_value("[(:A)]"), [a])


def test_rows_in_any_order_are_a_multiset():
    expected = [[parse_value("1")], [parse_value("1")], [parse_value("2")]]
    assert rows_match(expected, [[2], [1], [1]], ordered=False)
    assert not rows_match(expected, [[1], [2], [2]], ordered=False)
    assert not rows_match(expected, [[1], [1]], ordered=False)
    assert not rows_match(expected, [[2], [1], [1]], ordered=True)
    assert rows_match(expected, [[1], [1], [2]], ordered=True)


def test_rows_of_nodes_match_in_any_order():
    expected = [[parse_value("(:A {v: 1})")], [parse_value("(:A {v: 2})")]]
    actual = [[node("x", "A", v=2)], [node("y", "A", v=1)]]
    assert rows_match(expected, actual, ordered=False)
    assert not rows_match(expected, [[node("x", "A", v=2)], [node("y", "A", v=2)]], ordered=False)


def test_ignoring_element_order_for_lists():
    expected = [[parse_value("[1, [2, 3], 3]"), parse_value("'a'")]]
    assert rows_match(expected, [[[3, 1, [3, 2]], "a"]], ordered=False, unordered_lists=True)
    assert not rows_match(expected, [[[3, 1, [3, 2]], "a"]], ordered=False)
    assert not rows_match(expected, [[[3, 1, [3, 3]], "a"]], ordered=False, unordered_lists=True)
    # The cells of a row stay positional even then.
    assert not rows_match([[1, 2]], [[2, 1]], ordered=False, unordered_lists=True)


# --- feature files -------------------------------------------------------------------------------

FEATURE = """\
Feature: Demo

  Background:
    Given an empty graph

  Scenario: [1] Plain
    When executing query:
      \"\"\"
      RETURN 1 AS x
      \"\"\"
    Then the result should be, in any order:
      | x |
      | 1 |

  Scenario Outline: [2] Outline <v>
    When executing query:
      \"\"\"
      RETURN <v> AS x
      \"\"\"
    Then the result should be, in order:
      | x   |
      | <v> |

    Examples:
      | v |
      | 1 |
      | 2 |

    Examples:
      | v |
      | 3 |
"""


def test_load_feature_expands_outlines_and_background(tmp_path):
    features = tmp_path / "features"
    path = features / "clauses" / "demo" / "Demo1.feature"
    path.parent.mkdir(parents=True)
    path.write_text(FEATURE)
    scenarios = load_feature(path, features)
    assert [s.tck_id for s in scenarios] == [
        "clauses/demo/Demo1.feature::[1] Plain",
        "clauses/demo/Demo1.feature::[2] Outline 1[1]",
        "clauses/demo/Demo1.feature::[2] Outline 2[2]",
        "clauses/demo/Demo1.feature::[2] Outline 3[3]",
    ]
    assert scenarios[0].category == "clauses/demo"
    last = scenarios[3]
    assert last.steps[0].text == "an empty graph"
    assert last.steps[1].doc == "RETURN 3 AS x"
    assert last.steps[2].table == (("x",), ("3",))
    assert last.line == 31
    assert not last.expects_error


# --- the step runner against a fake client -------------------------------------------------------


class FakeError(Exception):
    def __init__(self, tck_name: str, phase: str, code: str) -> None:
        super().__init__(f"{tck_name}: {code}")
        self.tck_name, self.phase, self.code = tck_name, phase, code


class FakeResult:
    def __init__(self, columns: list[str], rows: list[dict[str, Any]]) -> None:
        self.columns = columns
        self._rows = rows

    def rows(self) -> list[dict[str, Any]]:
        return self._rows


class FakeClient:
    """Answers the snapshot queries from its own graph and scripted queries from ``script``."""

    def __init__(self, script: dict[str, Any]) -> None:
        self.script = script
        self.nodes: dict[str, dict[str, Any]] = {}
        self.rels: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, dict[str, Any] | None]] = []
        self.closed = False

    def cypher(self, query: str, params: dict[str, Any] | None = None) -> FakeResult:
        self.calls.append((query, params))
        if query == "MATCH (n) RETURN n":
            return FakeResult(["n"], [{"n": n} for n in self.nodes.values()])
        if query == "MATCH ()-[r]->() RETURN r":
            return FakeResult(["r"], [{"r": r} for r in self.rels.values()])
        answer = self.script[query]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            answer = answer(self, params)
        return FakeResult(*answer)

    def close(self) -> None:
        self.closed = True


class ProcedureClient(FakeClient):
    def __init__(self, script: dict[str, Any]) -> None:
        super().__init__(script)
        self.procedures: list[tuple[str, list[str], list[dict[str, Any]]]] = []

    def register_procedure(self, signature: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
        self.procedures.append((signature, columns, rows))


def scenario_from(tmp_path: Path, body: str) -> Any:
    features = tmp_path / "features"
    path = features / "demo" / "Demo.feature"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Feature: Demo\n\n  Scenario: s\n" + body)
    (scenario,) = load_feature(path, features)
    return scenario


def run(tmp_path: Path, body: str, client: FakeClient) -> Record:
    record = Record()
    run_scenario(scenario_from(tmp_path, body), tmp_path / "graphs", record, lambda: client)
    return record


QUERY_STEP = '    When executing query:\n      """\n      Q\n      """\n'


def test_runner_passes_a_matching_scenario_and_closes_the_client(tmp_path):
    client = FakeClient({"SETUP": ([], []), "Q": (["a", "b"], [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])})
    body = (
        '    Given an empty graph\n    And having executed:\n      """\n      SETUP\n      """\n'
        + QUERY_STEP
        + "    Then the result should be, in any order:\n"
        + "      | a | b   |\n      | 2 | 'y' |\n      | 1 | 'x' |\n"
        + "    And no side effects\n"
    )
    run(tmp_path, body, client)
    assert [query for query, _ in client.calls].count("SETUP") == 1
    assert client.closed


def test_runner_reports_rows_and_columns_that_differ(tmp_path):
    client = FakeClient({"Q": (["a"], [{"a": 1}])})
    with pytest.raises(ScenarioFailure, match="rows differ"):
        run(
            tmp_path,
            "    Given any graph\n" + QUERY_STEP + "    Then the result should be, in order:\n"
            "      | a |\n      | 2 |\n",
            client,
        )
    with pytest.raises(ScenarioFailure, match=r"columns \['a'\] != expected \['b'\]"):
        run(
            tmp_path,
            "    Given any graph\n" + QUERY_STEP + "    Then the result should be, in order:\n"
            "      | b |\n      | 1 |\n",
            FakeClient({"Q": (["a"], [{"a": 1}])}),
        )
    with pytest.raises(ScenarioFailure, match="expected no rows"):
        run(
            tmp_path,
            "    Given any graph\n" + QUERY_STEP + "    Then the result should be empty\n",
            FakeClient({"Q": (["a"], [{"a": 1}])}),
        )


def test_runner_passes_parameters(tmp_path):
    client = FakeClient({"Q": lambda c, params: (["x"], [{"x": params["p"]}])})
    body = (
        "    Given any graph\n    And parameters are:\n      | p | [1, {k: 'v'}] |\n"
        + QUERY_STEP
        + "    Then the result should be, in any order:\n      | x |\n      | [1, {k: 'v'}] |\n"
    )
    run(tmp_path, body, client)
    assert client.calls[-1][1] == {"p": [1, {"k": "v"}]}


ERROR_STEP = "    Then a SyntaxError should be raised at compile time: UndefinedVariable\n"


@pytest.mark.parametrize(
    ("raised", "match", "outcome"),
    [
        (FakeError("SyntaxError", "compile time", "UndefinedVariable"), None, "exact"),
        (FakeError("SyntaxError", "compile time", "VariableAlreadyBound"), "right class", "class"),
        (FakeError("SyntaxError", "runtime", "UndefinedVariable"), "right class", "class"),
        (FakeError("TypeError", "compile time", "UndefinedVariable"), "expected SyntaxError", "wrong"),
        (NotImplementedError("later"), "NotImplementedError: later", "wrong"),
        (None, "the query succeeded", "none"),
    ],
)
def test_runner_checks_expected_errors(tmp_path, raised, match, outcome):
    client = FakeClient({"Q": raised if raised is not None else ([], [])})
    body = "    Given any graph\n" + QUERY_STEP + ERROR_STEP
    record = Record()
    scenario = scenario_from(tmp_path, body)
    assert scenario.expects_error
    if match is None:
        run_scenario(scenario, tmp_path, record, lambda: client)
    else:
        with pytest.raises(ScenarioFailure, match=match):
            run_scenario(scenario, tmp_path, record, lambda: client)
    assert record.error_match == outcome


def test_runner_accepts_any_code_for_a_star(tmp_path):
    client = FakeClient({"Q": FakeError("TypeError", "compile time", "InvalidArgumentType")})
    body = "    Given any graph\n" + QUERY_STEP + "    Then a TypeError should be raised at any time: *\n"
    assert run(tmp_path, body, client).error_match == "exact"
    client = FakeClient({"Q": FakeError("SyntaxError", "compile time", "InvalidArgumentType")})
    with pytest.raises(ScenarioFailure, match="expected TypeError at any time: \\*"):
        run(tmp_path, body, client)


def test_runner_accepts_any_phase_for_any_time(tmp_path):
    client = FakeClient({"Q": FakeError("TypeError", "runtime", "InvalidArgumentValue")})
    body = (
        "    Given any graph\n"
        + QUERY_STEP
        + "    Then a TypeError should be raised at any time: InvalidArgumentValue\n"
    )
    assert run(tmp_path, body, client).error_match == "exact"


def create_node(client: FakeClient, params: Any) -> tuple[list[str], list[dict[str, Any]]]:
    client.nodes["n1"] = {"_kind": "node", "id": "n1", "labels": ["A"], "properties": {"a": 1, "b": "x"}}
    return [], []


def test_runner_counts_side_effects(tmp_path):
    body = (
        "    Given an empty graph\n" + QUERY_STEP + "    Then the result should be empty\n"
        "    And the side effects should be:\n"
        "      | +nodes | 1 |\n      | +properties | 2 |\n      | +labels | 1 |\n"
    )
    run(tmp_path, body, FakeClient({"Q": create_node}))
    with pytest.raises(ScenarioFailure, match=r"\+nodes: expected 0, got 1"):
        run(
            tmp_path,
            "    Given an empty graph\n" + QUERY_STEP + "    And no side effects\n",
            FakeClient({"Q": create_node}),
        )


def test_graph_state_diff_follows_the_tck_counting_rules():
    before = GraphState(
        frozenset({"n1", "n2"}),
        frozenset({"r1"}),
        frozenset({("node", "n1", "k", ("int", 1)), ("rel", "r1", "w", "x")}),
        frozenset({"A", "B"}),
    )
    after = GraphState(
        frozenset({"n1", "n3"}),
        frozenset({"r1"}),
        frozenset({("node", "n1", "k", ("int", 2)), ("rel", "r1", "w", "x")}),
        frozenset({"A", "C"}),
    )
    assert before.diff(after) == {
        "+nodes": 1,
        "-nodes": 1,
        "+relationships": 0,
        "-relationships": 0,
        "+properties": 1,  # a changed value is one removal plus one addition
        "-properties": 1,
        "+labels": 1,
        "-labels": 1,
    }


def test_runner_registers_procedures_or_fails_clearly(tmp_path):
    body = (
        "    Given an empty graph\n"
        "    And there exists a procedure test.my.proc(in :: INTEGER?) :: (out :: STRING?):\n"
        "      | in   | out   |\n      | null | 'nix' |\n"
    )
    client = ProcedureClient({})
    run(tmp_path, body, client)
    assert client.procedures == [
        ("test.my.proc(in :: INTEGER?) :: (out :: STRING?)", ["in", "out"], [{"in": None, "out": "nix"}])
    ]
    with pytest.raises(ScenarioFailure, match="no register_procedure"):
        run(tmp_path, body, FakeClient({}))


def test_runner_rejects_unknown_steps_and_missing_given(tmp_path):
    with pytest.raises(ScenarioFailure, match="does not know this step"):
        run(tmp_path, "    Given a graph with unicorns\n", FakeClient({}))
    with pytest.raises(ScenarioFailure, match="before a Given step"):
        run(tmp_path, QUERY_STEP, FakeClient({"Q": ([], [])}))


def test_runner_loads_named_graphs(tmp_path):
    graph = tmp_path / "graphs" / "tiny"
    graph.mkdir(parents=True)
    (graph / "tiny.json").write_text('{"name": "tiny", "scripts": ["tiny"]}')
    (graph / "tiny.cypher").write_text("CREATE (:A);\nCREATE (:B);\n")
    client = FakeClient({"CREATE (:A)": ([], []), "CREATE (:B)": ([], [])})
    run(tmp_path, "    Given the tiny graph\n", client)
    assert [q for q, _ in client.calls] == ["CREATE (:A)", "CREATE (:B)"]


# --- expected failures file and summary ------------------------------------------------------------


def test_expected_failures_round_trip(tmp_path):
    path = tmp_path / "expected.txt"
    entries = [
        ("a/B.feature::[1] x #Example: y[2]", "reason with  spaces\nand a newline"),
        ("a/B.feature::[2] z", ""),
    ]
    write_expected(entries, path)
    assert read_expected(path) == {
        "a/B.feature::[1] x #Example: y[2]": "reason with spaces and a newline",
        "a/B.feature::[2] z": "not supported yet",
    }
    assert read_expected(tmp_path / "missing.txt") == {}
    with pytest.raises(ValueError, match="cannot contain"):
        write_expected([("a # b", "r")], path)


def test_merge_results_keeps_reasons_and_unrun_entries():
    all_ids = ["a", "b", "c", "d", "e"]
    old = {"a": "old a", "b": "old b", "d": "old d", "gone": "old"}
    records = {
        "a": {"passed": False, "reason": "new a"},  # still failing: keeps its reason
        "b": {"passed": True, "reason": ""},  # passes now: drops out
        "c": {"passed": False, "reason": "new c"},  # newly failing: first line of its failure
        "e": {"passed": True, "reason": ""},
    }
    assert merge_results(all_ids, old, records) == [("a", "old a"), ("c", "new c"), ("d", "old d")]


def test_summary_counts_per_category_and_error_matches():
    def record(tck_id, category, passed, listed=False, expects_error=False, error_match=None):
        return {
            "id": tck_id,
            "category": category,
            "passed": passed,
            "listed": listed,
            "expects_error": expects_error,
            "error_match": error_match,
            "reason": "",
        }

    records = [
        record("1", "clauses/match", True),
        record("2", "clauses/match", False, listed=True),
        record("3", "clauses/create", True, listed=True),
        record("4", "expressions/list", False, expects_error=True, error_match="class"),
        record("5", "expressions/list", True, expects_error=True, error_match="exact"),
    ]
    lines = summarize({r["id"]: r for r in records})
    assert lines[0].startswith("scenarios: 3/5 pass; 1 expected failures; 1 unexpected failures; 1 pass but")
    assert lines[1].startswith(
        "error scenarios: 1/2 pass; right error class 2 (phase and code right too 1, phase"
    )
    table = {line.split()[0]: line.split()[1] for line in lines[2:]}
    assert table == {
        "clauses": "2/3",
        "clauses/create": "1/1",
        "clauses/match": "1/2",
        "expressions": "1/2",
        "expressions/list": "1/2",
    }


# --- the whole TCK against an oracle ----------------------------------------------------------------


class Oracle(ProcedureClient):
    """A perfect engine for one scenario: it answers each query under test with what the feature
    file expects (rows reversed where order is free, lists reversed where their order is ignored)
    and changes its graph by exactly the expected side effects. If the runner passes every TCK
    scenario against it, the runner reads the feature files the way they are meant."""

    def __init__(self, scenario: Any) -> None:
        super().__init__({})
        self.ids = iter(range(1_000_000))
        self.pending: list[dict[str, Any]] = []
        for step in scenario.steps:
            if step.text.startswith("executing"):
                self.pending.append({"query": step.doc, "columns": [], "rows": [], "effects": {}})
            elif self.pending:
                self.expect(self.pending[-1], step)
        removals: Counter[str] = Counter()
        for outcome in self.pending:
            removals.update({k: v for k, v in outcome["effects"].items() if k.startswith("-")})
        self.keeper = self.add_node(
            labels=[f"Old{i}" for i in range(removals["-labels"])],
            properties={f"old{i}": i for i in range(removals["-properties"])},
        )
        self.plain_nodes = [self.add_node() for _ in range(removals["-nodes"])]
        self.plain_rels = [self.add_rel() for _ in range(removals["-relationships"])]

    def fresh(self) -> str:
        return f"id{next(self.ids)}"

    def add_node(self, labels: list[str] | None = None, properties: dict[str, Any] | None = None) -> str:
        node_id = self.fresh()
        self.nodes[node_id] = node(node_id, *(labels or []), **(properties or {}))
        return node_id

    def add_rel(self) -> str:
        rel_id = self.fresh()
        self.rels[rel_id] = rel(rel_id, "T", "k", "k")
        return rel_id

    def expect(self, outcome: dict[str, Any], step: Any) -> None:
        text = step.text
        if text.startswith("the result should be") and step.table is not None:
            unordered_lists = "ignoring" in text
            header, *body = step.table
            rows = [[self.actual(parse_value(cell), unordered_lists) for cell in row] for row in body]
            outcome["columns"] = list(header)
            outcome["rows"] = rows if ", in order" in text else rows[::-1]
        elif " should be raised at " in text:
            name, rest = text.split(" ", 1)[1].split(" should be raised at ")
            phase, code = rest.split(": ")
            outcome["error"] = FakeError(name, "runtime" if phase == "any time" else phase, code)
        elif text == "the side effects should be:":
            outcome["effects"] = {row[0]: int(row[1]) for row in step.table}

    def actual(self, value: Any, unordered_lists: bool) -> Any:
        if isinstance(value, TckNode):
            return node(self.fresh(), *sorted(value.labels), **self.actual(value.properties, unordered_lists))
        if isinstance(value, TckRel):
            properties = self.actual(value.properties, unordered_lists)
            return rel(self.fresh(), value.type, self.fresh(), self.fresh(), **properties)
        if isinstance(value, TckPath):
            nodes = [self.actual(n, unordered_lists) for n in value.nodes]
            path = [nodes[0]]
            for i, (r, forward) in enumerate(zip(value.rels, value.forward, strict=True)):
                ends = (nodes[i]["id"], nodes[i + 1]["id"])
                src, dst = ends if forward else ends[::-1]
                path += [rel(self.fresh(), r.type, src, dst, **dict(r.properties)), nodes[i + 1]]
            return path
        if isinstance(value, list):
            items = [self.actual(v, unordered_lists) for v in value]
            return items[::-1] if unordered_lists else items
        if isinstance(value, dict):
            return {k: self.actual(v, unordered_lists) for k, v in value.items()}
        return value

    def apply(self, effects: dict[str, int]) -> None:
        keeper = self.nodes[self.keeper]
        for _ in range(effects.get("-nodes", 0)):
            del self.nodes[self.plain_nodes.pop()]
        for _ in range(effects.get("-relationships", 0)):
            del self.rels[self.plain_rels.pop()]
        for _ in range(effects.get("-properties", 0)):
            del keeper["properties"][next(k for k in keeper["properties"] if k.startswith("old"))]
        for _ in range(effects.get("-labels", 0)):
            keeper["labels"].remove(next(label for label in keeper["labels"] if label.startswith("Old")))
        for _ in range(effects.get("+nodes", 0)):
            self.add_node()
        for _ in range(effects.get("+relationships", 0)):
            self.add_rel()
        for _ in range(effects.get("+properties", 0)):
            keeper["properties"][self.fresh()] = 1
        for _ in range(effects.get("+labels", 0)):
            keeper["labels"].append(self.fresh())

    def cypher(self, query: str, params: dict[str, Any] | None = None) -> FakeResult:
        if query in ("MATCH (n) RETURN n", "MATCH ()-[r]->() RETURN r"):
            return super().cypher(query, params)
        if not self.pending or query != self.pending[0]["query"]:
            return FakeResult([], [])  # a setup query
        outcome = self.pending.pop(0)
        self.apply(outcome["effects"])
        if "error" in outcome:
            raise outcome["error"]
        columns = outcome["columns"]
        return FakeResult(columns, [dict(zip(columns, row, strict=True)) for row in outcome["rows"]])


def test_every_tck_scenario_passes_against_an_oracle():
    root = tck_root()
    if not (root / "features").is_dir():
        pytest.skip(f"openCypher TCK not found at {root}")
    failures, count = [], 0
    for path in sorted((root / "features").rglob("*.feature")):
        for scenario in load_feature(path, root / "features"):
            count += 1
            try:
                run_scenario(scenario, root / "graphs", Record(), partial(Oracle, scenario))
            except ScenarioFailure as failure:
                failures.append(f"{scenario.tck_id}: {failure}")
    assert count == 3897
    assert failures == [], "\n".join(failures[:10])
