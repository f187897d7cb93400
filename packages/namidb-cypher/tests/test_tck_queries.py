"""The frontend's TCK sweep: every query of every openCypher TCK scenario, parsed and bound.

* A scenario that expects no compile-time error: all its queries (setup and under test) parse and bind,
  and the result columns of the query under test are those of the scenario's expected result table.
* A scenario that expects a compile-time error: its setup parses and binds, and the query under test
  raises a ``CypherError`` with the expected ``tck_name`` and ``code``.

Scenarios the frontend cannot handle yet are listed, one per line with a reason, in
``tck_frontend_expected_failures.txt``; they run as strict xfails, so a fixed one must leave the list.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from namidb_cypher.binder import ProcedureSignature, bind
from namidb_cypher.binder.types import parse_type_name
from namidb_cypher.errors import CypherError
from namidb_cypher.parser import parse

HERE = Path(__file__).resolve().parent
EXPECTED_FAILURES = HERE / "tck_frontend_expected_failures.txt"


def _load_corpus() -> ModuleType:
    # pytest runs in importlib mode, so sibling modules are loaded by path, not imported by name.
    name = "namidb_cypher_tests_tck_corpus"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "tck_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()
SCENARIOS = corpus.load_scenarios() if corpus.TCK_FEATURES.is_dir() else []


def _expected_failures() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in EXPECTED_FAILURES.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            sid, _, reason = line.partition(" ")
            out[sid] = reason.strip(" #") or "no reason given"
    return out


XFAIL = _expected_failures()


def _procedures(scenario: object) -> dict[str, ProcedureSignature]:
    procs = {}
    for p in scenario.procedures:  # type: ignore[attr-defined]
        inputs = tuple((name, parse_type_name(t)) for name, t in p.inputs)
        outputs = tuple((name, parse_type_name(t)) for name, t in p.outputs)
        procs[p.name] = ProcedureSignature(p.name, inputs, outputs)
    return procs


def _params() -> list[object]:
    out = []
    for sc in SCENARIOS:
        marks = [pytest.mark.tck]
        if sc.id in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[sc.id]))
        out.append(pytest.param(sc, id=sc.id, marks=marks))
    return out


def _compile(query: str, scenario: object) -> tuple[str, ...]:
    procedures = _procedures(scenario)
    bound = bind(parse(query), parameters=scenario.parameters, procedures=procedures)  # type: ignore[attr-defined]
    return bound.columns


@pytest.mark.parametrize("scenario", _params())
def test_tck_scenario_compiles(scenario):
    queries = scenario.setup + scenario.queries
    expected = scenario.compile_error
    for query in queries[:-1]:
        _compile(query, scenario)
    if expected is None:
        columns = _compile(queries[-1], scenario)
        if scenario.columns is not None:
            # Result columns are named as the TCK's tables name them (source text, aliases, `*`).
            assert columns == scenario.columns
        return
    with pytest.raises(CypherError) as info:
        _compile(queries[-1], scenario)
    assert (info.value.tck_name, info.value.code) == expected
    assert info.value.phase == "compile time"


def test_corpus_is_complete():
    if not SCENARIOS:
        pytest.fail(f"TCK features not found at {corpus.TCK_FEATURES}")
    # Outlines are expanded: every Examples row is a scenario of its own, with a unique id.
    assert len({sc.id for sc in SCENARIOS}) == len(SCENARIOS)
    assert len(SCENARIOS) > 3000
    assert sum(1 for sc in SCENARIOS if sc.compile_error) > 500


def test_expected_failures_name_real_scenarios():
    ids = {sc.id for sc in SCENARIOS}
    assert set(XFAIL) <= ids, sorted(set(XFAIL) - ids)


def test_every_node_has_a_span_inside_its_query():
    # Spans drive column names and error positions; check them on a third of the TCK's queries.
    from namidb_cypher.ast import nodes as n

    queries = sorted({q for sc in SCENARIOS if not sc.compile_error for q in sc.setup + sc.queries})[::3]
    assert len(queries) > 1000
    for query in queries:
        statement = parse(query)
        for node in n.walk(statement):
            span = node.span
            assert 0 <= span.start < span.end <= len(query), (query, node)
            text = statement.text_of(node)
            assert text == text.strip(), (query, node)
