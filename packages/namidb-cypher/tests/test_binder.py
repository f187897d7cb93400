"""The binder: scopes, variable kinds, static types and the TCK's compile-time errors."""

from __future__ import annotations

import pytest

from namidb_cypher.ast import nodes as n
from namidb_cypher.binder import ProcedureSignature, bind
from namidb_cypher.binder.types import (
    ANY,
    BOOLEAN,
    FLOAT,
    INTEGER,
    NODE,
    NUMBER,
    PATH,
    RELATIONSHIP,
    STRING,
    list_of,
    parse_type_name,
)
from namidb_cypher.errors import CypherError
from namidb_cypher.parser import parse

PROCS = {
    "test.my.proc": ProcedureSignature(
        "test.my.proc", (("name", STRING), ("in", INTEGER)), (("city", STRING), ("out", INTEGER))
    ),
    "test.labels": ProcedureSignature("test.labels", (), (("label", STRING),)),
}


def compile_(query: str, **kwargs):
    return bind(parse(query), **kwargs)


def error_of(query: str, **kwargs) -> tuple[str, str]:
    with pytest.raises(CypherError) as info:
        compile_(query, **kwargs)
    assert info.value.phase == "compile time"
    return info.value.tck_name, info.value.code


# ---------------------------------------------------------------------------------------------- scopes


def test_scopes_track_kinds_and_types():
    bound = compile_("MATCH p = (a:A)-[r:T]->(b), (a)-[rs*]->(c) WITH a, r, p, rs, 1 AS one RETURN *")
    match, with_, ret = bound.query.parts[0].clauses
    scope = match.scope_out
    assert [scope[x].kind for x in ("a", "r", "p", "b")] == ["node", "relationship", "path", "node"]
    assert scope["rs"].type == list_of(RELATIONSHIP)
    assert scope["rs"].kind == "value"
    assert list(with_.scope_out) == ["a", "r", "p", "rs", "one"]
    assert with_.scope_out["one"].type == INTEGER
    assert bound.columns == ("a", "one", "p", "r", "rs")  # RETURN * lists columns by name
    assert ret.scope_in == with_.scope_out


def test_statement_columns_and_parameters():
    bound = compile_("MATCH (n) WHERE n.x = $x RETURN n.name, count(*) AS c ORDER BY c LIMIT $lim")
    assert bound.columns == ("n.name", "c")
    assert bound.parameters == frozenset({"x", "lim"})
    assert bound.query.parts[0].clauses[-1].aggregating


def test_unwind_and_comprehension_types():
    bound = compile_("UNWIND ['a'] AS s WITH s, [x IN [1, 2] | x * 1.5] AS fs RETURN s, fs")
    scope = bound.query.parts[0].clauses[1].scope_out
    assert scope["s"].type == STRING
    assert scope["fs"].type == list_of(FLOAT)


def test_schema_commands_bind_without_a_query():
    bound = compile_("CREATE INDEX FOR (n:L) ON (n.p)")
    assert bound.query is None
    assert bound.columns == ()


def test_type_helpers():
    assert parse_type_name("INTEGER?") == INTEGER
    assert parse_type_name("LIST? OF STRING?") == list_of(STRING)
    assert parse_type_name("whatever") == ANY
    assert NUMBER.accepts(INTEGER)
    assert FLOAT.accepts(INTEGER)
    assert not INTEGER.accepts(FLOAT)
    assert not BOOLEAN.accepts(STRING)
    assert BOOLEAN.accepts(ANY)
    assert NODE != PATH


# ---------------------------------------------------------------------------------------------- valid


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (a) MATCH (a)-->(b) RETURN b",
        "MATCH ()-[r]->() MATCH ()-[r]->() RETURN r",
        "MATCH (a) WITH a.name2 AS name WHERE a.name2 = 'B' RETURN *",
        "MATCH (a) CREATE (a)-[:T]->(b:B {x: a.x}) RETURN b",
        "MATCH (a) MERGE (a)-[:T]->(b) ON CREATE SET b.x = 1",
        "WITH [1, 2] AS l RETURN [x IN l WHERE x > 1 | x] AS y, any(x IN l WHERE x = 2) AS z",
        "MATCH (n) RETURN [(n)-->(m) | m.name] AS names",
        "MATCH (n) WHERE EXISTS { MATCH (n)-->(m) WHERE m.x = 1 } RETURN n",
        "MATCH (n) RETURN n.x AS x, count(*) AS c ORDER BY x, c",
        "MATCH (me)--(you) RETURN me.age, me.age + count(you.age) AS c",
        "UNWIND [1] AS x CALL { WITH x RETURN x + 1 AS y } RETURN x, y",
        "MATCH (n) FOREACH (x IN [1] | SET n.x = x)",
        "MATCH p = (a)-->(b) DELETE p",
        "CREATE (n $props) RETURN n",
        "CALL test.labels() YIELD label RETURN label",
        "CALL test.labels",
    ],
)
def test_valid_queries_bind(query):
    bound = compile_(query, procedures=PROCS)
    assert bound.query is not None


# ---------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # scope
        ("MATCH () RETURN foo", ("SyntaxError", "UndefinedVariable")),
        ("MATCH (n) WHERE (n)-[r]->() RETURN n", ("SyntaxError", "UndefinedVariable")),
        ("MERGE (n) ON MATCH SET x.num = 1", ("SyntaxError", "UndefinedVariable")),
        ("WITH 1 AS a WITH a WITH a ORDER BY c RETURN a", ("SyntaxError", "UndefinedVariable")),
        ("MATCH (a) CREATE (a {name: 'foo'})", ("SyntaxError", "VariableAlreadyBound")),
        ("MATCH (a) MERGE (a)", ("SyntaxError", "VariableAlreadyBound")),
        ("MATCH ()-[r]->() CREATE ()-[r]->()", ("SyntaxError", "VariableAlreadyBound")),
        ("MATCH p = (p)-->() RETURN p", ("SyntaxError", "VariableAlreadyBound")),
        ("WITH 123 AS p MATCH p = ()-->() RETURN p", ("SyntaxError", "VariableAlreadyBound")),
        ("CREATE (n:Foo)-[:T]->(), (n:Bar)-[:T]->()", ("SyntaxError", "VariableAlreadyBound")),
        ("WITH 'foo' AS n MATCH (n) RETURN n", ("SyntaxError", "VariableTypeConflict")),
        ("MATCH ()-[r]-(r) RETURN r", ("SyntaxError", "VariableTypeConflict")),
        ("MATCH r = ()-->() MATCH ()-[r]-() RETURN r", ("SyntaxError", "VariableTypeConflict")),
        ("MATCH (n) WITH [n] AS users MATCH (users)-->(m) RETURN m", ("SyntaxError", "VariableTypeConflict")),
        ("MATCH (a)-[r]->()-[r]->(a) RETURN r", ("SyntaxError", "RelationshipUniquenessViolation")),
        # patterns in write clauses
        ("CREATE ()-->()", ("SyntaxError", "NoSingleRelationshipType")),
        ("CREATE ()-[:A|:B]->()", ("SyntaxError", "NoSingleRelationshipType")),
        ("MATCH (a), (b) MERGE (a)-[NO_COLON]->(b)", ("SyntaxError", "NoSingleRelationshipType")),
        ("CREATE (a)-[:FOO]-(b)", ("SyntaxError", "RequiresDirectedRelationship")),
        ("CREATE (a)<-[:FOO]->(b)", ("SyntaxError", "RequiresDirectedRelationship")),
        ("CREATE ()-[:FOO*2]->()", ("SyntaxError", "CreatingVarLength")),
        ("MATCH (n $param) RETURN n", ("SyntaxError", "InvalidParameterUse")),
        ("MERGE (a)-[r:FOO $param]->(b) RETURN r", ("SyntaxError", "InvalidParameterUse")),
        ("MATCH (n) DELETE n:Person", ("SyntaxError", "InvalidDelete")),
        ("MATCH () DELETE 1 + 1", ("SyntaxError", "InvalidArgumentType")),
        # projections
        ("MATCH () RETURN *", ("SyntaxError", "NoVariablesInScope")),
        ("RETURN 1 AS a, 2 AS a", ("SyntaxError", "ColumnNameConflict")),
        ("MATCH (a) WITH a, count(*) RETURN a", ("SyntaxError", "NoExpressionAlias")),
        ("RETURN 1 AS a UNION RETURN 2 AS b", ("SyntaxError", "DifferentColumnsInUnion")),
        (
            "RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a",
            ("SyntaxError", "InvalidClauseComposition"),
        ),
        (
            "MATCH (n) WHERE exists { MATCH (n)-->(m) SET m.x = 1 } RETURN n",
            ("SyntaxError", "InvalidClauseComposition"),
        ),
        ("RETURN 1 AS a MATCH (n) RETURN n", ("SyntaxError", "InvalidClauseComposition")),
        ("MATCH (n)", ("SyntaxError", "InvalidClauseComposition")),
        ("MATCH (n) RETURN n SKIP n.count", ("SyntaxError", "NonConstantExpression")),
        ("MATCH (n) RETURN n LIMIT -1", ("SyntaxError", "NegativeIntegerArgument")),
        ("MATCH (n) RETURN n LIMIT 1.5", ("SyntaxError", "InvalidArgumentType")),
        # aggregation
        ("MATCH (a) WHERE count(a) > 10 RETURN a", ("SyntaxError", "InvalidAggregation")),
        ("MATCH (n) RETURN [x IN [1, 2] | count(*)]", ("SyntaxError", "InvalidAggregation")),
        ("MATCH (n) WITH n.a AS foo ORDER BY max(n.b) RETURN foo", ("SyntaxError", "InvalidAggregation")),
        ("RETURN count(count(*))", ("SyntaxError", "NestedAggregation")),
        ("RETURN count(rand())", ("SyntaxError", "NonConstantExpression")),
        (
            "MATCH (me)--(you) RETURN me.age + count(you.age)",
            ("SyntaxError", "AmbiguousAggregationExpression"),
        ),
        (
            "MATCH (me)--(you) RETURN me.age + you.age, me.age + you.age + count(*)",
            ("SyntaxError", "AmbiguousAggregationExpression"),
        ),
        # functions and types
        ("MATCH (a) RETURN foo(a)", ("SyntaxError", "UnknownFunction")),
        ("RETURN toUpper()", ("SyntaxError", "InvalidNumberOfArguments")),
        ("RETURN 'foo' OR true", ("SyntaxError", "InvalidArgumentType")),
        ("RETURN NOT 0", ("SyntaxError", "InvalidArgumentType")),
        ("RETURN 1 IN 'foo'", ("SyntaxError", "InvalidArgumentType")),
        ("RETURN any(x IN ['a'] WHERE x % 2 = 0)", ("SyntaxError", "InvalidArgumentType")),
        ("MATCH (n) RETURN length(n)", ("SyntaxError", "InvalidArgumentType")),
        ("MATCH (r) RETURN type(r)", ("SyntaxError", "InvalidArgumentType")),
        ("MATCH (n) WHERE (n) RETURN n", ("SyntaxError", "InvalidArgumentType")),
        ("MATCH p = (n)-->() WHERE p.name = 'x' RETURN p", ("SyntaxError", "InvalidArgumentType")),
        ("WITH 123 AS x RETURN x.num", ("TypeError", "InvalidArgumentType")),
        ("MATCH (n) RETURN (n)-->()", ("SyntaxError", "UnexpectedSyntax")),
        ("MATCH (a) RETURN size((a)-->())", ("SyntaxError", "UnexpectedSyntax")),
    ],
)
def test_compile_time_errors(query, expected):
    assert error_of(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("CALL test.nope()", ("ProcedureError", "ProcedureNotFound")),
        ("CALL test.my.proc('x')", ("SyntaxError", "InvalidNumberOfArguments")),
        ("CALL test.my.proc(true, 1)", ("SyntaxError", "InvalidArgumentType")),
        ("CALL test.my.proc YIELD out RETURN out", ("SyntaxError", "InvalidArgumentPassingMode")),
        ("CALL test.my.proc('x', 1) RETURN out", ("SyntaxError", "UndefinedVariable")),
        (
            "CALL test.my.proc('x', 1) YIELD city AS c, out AS c RETURN c",
            ("SyntaxError", "VariableAlreadyBound"),
        ),
        ("WITH 1 AS label CALL test.labels() YIELD label RETURN *", ("SyntaxError", "VariableAlreadyBound")),
        ("CALL test.my.proc('x', 1) YIELD * RETURN city", ("SyntaxError", "UnexpectedSyntax")),
        (
            "MATCH (n) CALL test.my.proc('x', count(n)) YIELD out RETURN out",
            ("SyntaxError", "InvalidAggregation"),
        ),
    ],
)
def test_procedure_errors(query, expected):
    assert error_of(query, procedures=PROCS) == expected


def test_missing_parameters():
    assert error_of("CALL test.my.proc", procedures=PROCS, parameters={"name": "x"}) == (
        "ParameterMissing",
        "MissingParameter",
    )
    assert compile_("CALL test.my.proc", procedures=PROCS, parameters={"name": "x", "in": 1}).columns == (
        "city",
        "out",
    )
    assert error_of("RETURN $p", parameters=()) == ("ParameterMissing", "MissingParameter")
    # Without a parameter list the binder does not check (plans are cached by text, values come later).
    assert compile_("RETURN $p").parameters == {"p"}


def test_error_points_at_the_offending_text():
    with pytest.raises(CypherError) as info:
        compile_("MATCH (a)\nRETURN a, b")
    span = info.value.span
    assert span is not None
    assert (span.line, span.column) == (2, 11)
    assert "line 2, column 11" in str(info.value)


def test_bound_statement_keeps_the_ast():
    st = parse("MATCH (n) RETURN n")
    bound = bind(st)
    assert bound.statement is st
    assert isinstance(bound.query.parts[0].clauses[0].clause, n.Match)


def test_long_operator_chains_bind_without_deep_recursion():
    terms = 3000
    query = (
        "MATCH (n) WHERE "
        + " OR ".join(["n.x = 1"] * terms)
        + " RETURN "
        + " + ".join(["1"] * terms)
        + " AS s"
    )
    bound = compile_(query)
    assert bound.query.parts[0].clauses[-1].scope_out["s"].type == INTEGER


def test_too_deep_nesting_is_a_clean_error():
    assert error_of("RETURN " + "[" * 3000 + "]" * 3000) == ("SyntaxError", "NestingTooDeep")


def test_functions_resolve_against_the_executor_registry(monkeypatch):
    from namidb_cypher.binder import binder as binder_module

    sig = binder_module.function_signature("toUpper")
    assert sig is not None
    assert sig.result == STRING  # static type from the binder's table, arity from the registry
    assert binder_module.function_signature("noSuchFunction") is None
    # Without the registry (e.g. a trimmed install) the binder's own table stands in.
    monkeypatch.setattr(binder_module, "_registry", lambda: None)
    assert binder_module.function_signature("point") is not None
    assert error_of("RETURN nope(1)") == ("SyntaxError", "UnknownFunction")
