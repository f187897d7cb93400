"""Grammar and AST builder: clauses, expressions, literals, spans and syntax errors."""

from __future__ import annotations

import pickle

import pytest

from namidb_cypher.ast import nodes as n
from namidb_cypher.errors import CypherSyntaxError
from namidb_cypher.parser import parse


def clauses(text: str) -> tuple[n.Clause, ...]:
    return parse(text).query.parts[0].clauses


def ret(text: str) -> n.Expression:
    """The first RETURN item's expression of ``RETURN <text>``."""
    clause = clauses(f"RETURN {text}")[-1]
    assert isinstance(clause, n.Return)
    return clause.projection.items[0].expression


def v(name: str) -> n.Variable:
    return n.Variable(name)


def lit(value: object) -> n.Literal_:
    return n.Literal_(value)


# ---------------------------------------------------------------------------------------------- precedence


def test_arithmetic_precedence_and_associativity():
    assert ret("1 + 2 * 3 ^ 2") == n.Binary("+", lit(1), n.Binary("*", lit(2), n.Binary("^", lit(3), lit(2))))
    assert ret("1 - 2 - 3") == n.Binary("-", n.Binary("-", lit(1), lit(2)), lit(3))
    assert ret("2 ^ 3 ^ 2") == n.Binary("^", n.Binary("^", lit(2), lit(3)), lit(2))
    assert ret("6 / 2 % 4") == n.Binary("%", n.Binary("/", lit(6), lit(2)), lit(4))


def test_unary_minus_binds_tighter_than_power():
    # TCK Precedence2 [4]: -3 ^ 2 = 9.0
    assert ret("-3 ^ 2") == n.Binary("^", lit(-3), lit(2))
    assert ret("-(3 ^ 2)") == n.Unary("-", n.Binary("^", lit(3), lit(2)))
    assert ret("-x") == n.Unary("-", v("x"))


def test_boolean_precedence():
    assert ret("a OR b XOR c AND NOT d") == n.Binary(
        "OR", v("a"), n.Binary("XOR", v("b"), n.Binary("AND", v("c"), n.Unary("NOT", v("d"))))
    )
    assert ret("NOT a = b") == n.Unary("NOT", n.Comparison(("=",), (v("a"), v("b"))))
    assert ret("NOT NOT a") == n.Unary("NOT", n.Unary("NOT", v("a")))


def test_comparison_chain_and_predicates():
    assert ret("a < b <= c <> d") == n.Comparison(("<", "<=", "<>"), (v("a"), v("b"), v("c"), v("d")))
    assert ret("1 IN [1] = true") == n.Comparison(
        ("=",), (n.Binary("IN", lit(1), n.ListLiteral((lit(1),))), lit(True))
    )
    assert ret("a STARTS WITH 'x'") == n.Binary("STARTS WITH", v("a"), lit("x"))
    assert ret("a ends with 'x'") == n.Binary("ENDS WITH", v("a"), lit("x"))
    assert ret("a CONTAINS b") == n.Binary("CONTAINS", v("a"), v("b"))
    assert ret("a =~ 'x.*'") == n.Binary("=~", v("a"), lit("x.*"))
    assert ret("a IS NULL") == n.IsNull(v("a"))
    assert ret("a.b IS NOT NULL") == n.IsNull(n.Property(v("a"), "b"), negated=True)
    assert ret("a + 1 IN b") == n.Binary("IN", n.Binary("+", v("a"), lit(1)), v("b"))


def test_postfix_operators():
    assert ret("a.b.c[0][1..2]") == n.Slice(
        n.Index(n.Property(n.Property(v("a"), "b"), "c"), lit(0)), lit(1), lit(2)
    )
    assert ret("x[..1]") == n.Slice(v("x"), None, lit(1))
    assert ret("x[1..]") == n.Slice(v("x"), lit(1), None)
    assert ret("n:A:B") == n.HasLabels(v("n"), ("A", "B"))
    assert ret("$p") == n.Parameter("p")
    assert ret("$0") == n.Parameter("0")


# ---------------------------------------------------------------------------------------------- literals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("9223372036854775807", 2**63 - 1),
        ("-9223372036854775808", -(2**63)),
        ("0x1F", 31),
        ("-0x8000000000000000", -(2**63)),
        ("0o17", 15),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("1.5E-2", 0.015),
        ("-.1e-5", -0.000001),
        ("true", True),
        ("FALSE", False),
        ("null", None),
        ("'it''s'", None),  # placeholder replaced below; two adjacent strings are not one literal
    ],
)
def test_number_and_constant_literals(text, value):
    if text == "'it''s'":
        with pytest.raises(CypherSyntaxError):
            parse(f"RETURN {text}")
        return
    assert ret(text) == lit(value)


def test_string_escapes():
    assert ret(r"'a\tb\nc\\d\'e\"f'") == lit("a\tb\nc\\d'e\"f")
    assert ret(r'"\u01FF\U0001F600"') == lit("\u01ff\U0001f600")
    assert ret("'🧐🍌'") == lit("🧐🍌")
    assert ret(r"'a\\bcn5t\'\"\\//\\\"\''") == lit("a\\bcn5t'\"\\//\\\"'")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("RETURN 9223372036854775808", "IntegerOverflow"),
        ("RETURN -9223372036854775809", "IntegerOverflow"),
        ("RETURN 0x8000000000000000", "IntegerOverflow"),
        ("RETURN 0o1000000000000000000000", "IntegerOverflow"),
        ("RETURN 9223372h54775808", "InvalidNumberLiteral"),
        ("RETURN 0x", "InvalidNumberLiteral"),
        ("RETURN 0x1A2b3j4D5E6f7", "InvalidNumberLiteral"),
        ("RETURN 1.34E999", "FloatingPointOverflow"),
        ("RETURN '\\uH'", "InvalidUnicodeLiteral"),
        ("RETURN 42 \u2014 41", "InvalidUnicodeCharacter"),
        ("RETURN 9223372#54775808", "UnexpectedSyntax"),
        ("RETURN [, ]", "UnexpectedSyntax"),
        ("RETURN {k1.k: 1}", "UnexpectedSyntax"),
        ("RETURN {1}", "UnexpectedSyntax"),
        ("MATCH (a)-[:LIKES..]->(c) RETURN c", "InvalidRelationshipPattern"),
        ("MATCH (a)-[:LIKES*-2]->(c) RETURN c", "InvalidRelationshipPattern"),
        ("RETURN ()", "UnexpectedSyntax"),
        ("RETURN (:A)", "UnexpectedSyntax"),
    ],
)
def test_literal_and_syntax_errors(query, code):
    with pytest.raises(CypherSyntaxError) as info:
        parse(query)
    assert info.value.code == code
    assert info.value.phase == "compile time"
    assert info.value.tck_name == "SyntaxError"


def test_list_and_map_literals():
    assert ret("[1, 'a', [], {}]") == n.ListLiteral((lit(1), lit("a"), n.ListLiteral(()), n.MapLiteral(())))
    assert ret("{a: 1, `b c`: 2, match: 3}") == n.MapLiteral(
        (("a", lit(1)), ("b c", lit(2)), ("match", lit(3)))
    )


# ---------------------------------------------------------------------------------------------- expressions


def test_case_forms():
    assert ret("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END") == n.Case(
        v("x"), ((lit(1), lit("a")), (lit(2), lit("b"))), lit("c")
    )
    assert ret("CASE WHEN a THEN 1 END") == n.Case(None, ((v("a"), lit(1)),), None)


def test_comprehensions_quantifiers_reduce():
    assert ret("[x IN l WHERE x > 1 | x * 2]") == n.ListComprehension(
        v("x"), v("l"), n.Comparison((">",), (v("x"), lit(1))), n.Binary("*", v("x"), lit(2))
    )
    assert ret("[x IN l | x]") == n.ListComprehension(v("x"), v("l"), None, v("x"))
    assert ret("[x IN l]") == n.ListComprehension(v("x"), v("l"), None, None)
    assert ret("[x IN l, 2]") == n.ListLiteral((n.Binary("IN", v("x"), v("l")), lit(2)))
    for kind in ("all", "any", "none", "single"):
        assert ret(f"{kind}(x IN l WHERE x)") == n.Quantifier(kind, v("x"), v("l"), v("x"))
    assert ret("reduce(acc = 0, x IN l | acc + x)") == n.Reduce(
        v("acc"), lit(0), v("x"), v("l"), n.Binary("+", v("acc"), v("x"))
    )


def test_pattern_comprehension_and_predicates():
    e = ret("[p = (a)-[:T]->(b:B {k: 1}) WHERE b.x | p]")
    assert isinstance(e, n.PatternComprehension)
    assert e.variable == v("p")
    assert e.element.nodes[1] == n.NodePattern(v("b"), (("B",),), n.MapLiteral((("k", lit(1)),)))
    assert e.element.relationships[0].types == ("T",)
    where = clauses("MATCH (n) WHERE (n)-->(:L) AND NOT (n)<-[:R]-() RETURN n")[0].where
    assert isinstance(where, n.Binary)
    assert isinstance(where.left, n.PatternExpression)
    assert where.left.element.nodes[1] == n.NodePattern(None, (("L",),))


def test_arithmetic_on_parentheses_is_not_a_pattern():
    assert ret("(a) - (b)") == n.Binary("-", v("a"), v("b"))
    assert ret("(a) < 1") == n.Comparison(("<",), (v("a"), lit(1)))
    assert ret("(a) - -1") == n.Binary("-", v("a"), lit(-1))
    assert ret("(a) - [1]") == n.Binary("-", v("a"), n.ListLiteral((lit(1),)))


def test_function_calls():
    assert ret("count(*)") == n.CountStar()
    assert ret("count(DISTINCT x)") == n.FunctionCall("count", (v("x"),), distinct=True)
    assert ret("toUpper('a')") == n.FunctionCall("toUpper", (lit("a"),))
    assert ret("date.truncate('day', d)") == n.FunctionCall("date.truncate", (lit("day"), v("d")))
    assert ret("exists(n.p)") == n.FunctionCall("exists", (n.Property(v("n"), "p"),))


def test_subqueries_and_map_projection():
    e = ret("EXISTS { MATCH (n)-->(m) WHERE m.x = 1 }")
    assert isinstance(e, n.ExistsSubquery)
    assert e.query is not None
    assert e.pattern is None
    e = ret("COUNT { (n)-->() WHERE n.x }")
    assert isinstance(e, n.CountSubquery)
    assert e.pattern is not None
    assert e.predicate == n.Property(v("n"), "x")
    assert ret("n{.name, .*, k: 1, v}") == n.MapProjection(
        v("n"),
        (
            n.MapProjectionItem("property", "name", None),
            n.MapProjectionItem("all", None, None),
            n.MapProjectionItem("literal", "k", lit(1)),
            n.MapProjectionItem("variable", "v", v("v")),
        ),
    )


# ---------------------------------------------------------------------------------------------- patterns


def _rels(text: str) -> tuple[n.RelationshipPattern, ...]:
    match = clauses(f"MATCH {text} RETURN 1")[0]
    assert isinstance(match, n.Match)
    return match.pattern.parts[0].element.relationships


@pytest.mark.parametrize(
    ("arrow", "direction"),
    [
        ("-->", "out"),
        ("<--", "in"),
        ("--", "both"),
        ("<-->", "both"),
        ("-[r]->", "out"),
        ("<-[r]-", "in"),
        ("-[r]-", "both"),
        ("<-[r]->", "both"),
        ("-[r] - >", "out"),
        ("<- [r] -", "in"),
    ],
)
def test_relationship_directions(arrow, direction):
    assert _rels(f"(a){arrow}(b)")[0].direction == direction


@pytest.mark.parametrize(
    ("spec", "low", "high"),
    [("*", None, None), ("*2", 2, 2), ("*1..3", 1, 3), ("*..3", None, 3), ("*2..", 2, None), ("*0..0", 0, 0)],
)
def test_variable_length(spec, low, high):
    length = _rels(f"(a)-[:T{spec}]->(b)")[0].length
    assert length is not None
    assert length.min == (None if low is None else lit(low))
    assert length.max == (None if high is None else lit(high))


def test_variable_length_with_parameters():
    length = _rels("(a)-[*$lo..$hi]->(b)")[0].length
    assert length == n.VarLength(n.Parameter("lo"), n.Parameter("hi"))


def test_labels_types_properties_paths():
    m = clauses("MATCH p = (a:A:B {x: 1})-[r:T|:U|V {y: $y}]->(b:C|D), shortestPath((a)-[*]-(c)) RETURN p")[0]
    assert isinstance(m, n.Match)
    first, second = m.pattern.parts
    assert first.variable == v("p")
    assert first.element.nodes[0].labels == (("A",), ("B",))
    assert first.element.nodes[1].labels == (("C", "D"),)
    rel = first.element.relationships[0]
    assert rel.types == ("T", "U", "V")
    assert rel.properties == n.MapLiteral((("y", n.Parameter("y")),))
    assert second.element.shortest == "shortest"
    all_short = clauses("MATCH p = allShortestPaths((a)-[*]-(b)) RETURN p")[0]
    assert isinstance(all_short, n.Match)
    assert all_short.pattern.parts[0].element.shortest == "all_shortest"


# ---------------------------------------------------------------------------------------------- clauses


def test_projection_clauses():
    m, w, r = clauses(
        "OPTIONAL MATCH (n) WITH DISTINCT n, n.x AS x ORDER BY x DESC, n ASC SKIP 1 LIMIT $l WHERE x > 1 "
        "RETURN *, x + 1"
    )
    assert isinstance(m, n.Match)
    assert m.optional
    assert isinstance(w, n.With)
    assert w.projection.distinct
    assert [s.descending for s in w.projection.order_by] == [True, False]
    assert w.projection.skip == lit(1)
    assert w.projection.limit == n.Parameter("l")
    assert w.where == n.Comparison((">",), (v("x"), lit(1)))
    assert isinstance(r, n.Return)
    assert r.projection.star
    assert [i.name for i in r.projection.items] == ["x + 1"]


def test_update_clauses():
    create, merge, set_, remove, delete = clauses(
        "CREATE (a:A {x: 1})-[:T]->(b) "
        "MERGE (a)-[r:R]->(b) ON CREATE SET r.x = 1 ON MATCH SET r += {y: 2}, a:L "
        "SET a = {z: 3}, a.w = 4 "
        "REMOVE a:L, a.w "
        "DETACH DELETE a, b"
    )
    assert isinstance(create, n.Create)
    assert isinstance(merge, n.Merge)
    assert merge.on_create == (n.SetProperty(n.Property(v("r"), "x"), lit(1)),)
    assert merge.on_match == (
        n.SetVariable(v("r"), n.MapLiteral((("y", lit(2)),)), merge=True),
        n.SetLabels(v("a"), ("L",)),
    )
    assert isinstance(set_, n.Set)
    assert set_.items[0] == n.SetVariable(v("a"), n.MapLiteral((("z", lit(3)),)))
    assert remove == n.Remove((n.RemoveLabels(v("a"), ("L",)), n.RemoveProperty(n.Property(v("a"), "w"))))
    assert delete == n.Delete((v("a"), v("b")), detach=True)


def test_unwind_call_foreach_union():
    q = parse(
        "UNWIND [1, 2] AS x CALL db.labels() YIELD label AS l WHERE l <> 'A' "
        "CALL { WITH x RETURN x * 2 AS y } "
        "FOREACH (i IN [1] | CREATE ({v: i})) RETURN x UNION ALL RETURN 1 AS x"
    ).query
    unwind, call, sub, foreach, _ = q.parts[0].clauses
    assert unwind == n.Unwind(n.ListLiteral((lit(1), lit(2))), v("x"))
    assert isinstance(call, n.CallProcedure)
    assert call.name == "db.labels"
    assert call.args == ()
    assert call.yield_items == (n.YieldItem("label", v("l")),)
    assert isinstance(sub, n.CallSubquery)
    assert isinstance(foreach, n.Foreach)
    assert isinstance(foreach.clauses[0], n.Create)
    assert q.union_all == (True,)
    implicit = clauses("CALL test.proc")[0]
    assert isinstance(implicit, n.CallProcedure)
    assert implicit.args is None


def test_schema_commands_and_prefixes():
    c = parse("CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE").body
    assert c == n.CreateConstraint("person_id", "Person", ("id",), "unique", if_not_exists=True)
    c = parse("CREATE CONSTRAINT FOR (p:Person) REQUIRE (p.a, p.b) IS UNIQUE").body
    assert c == n.CreateConstraint(None, "Person", ("a", "b"), "unique")
    c = parse("CREATE CONSTRAINT FOR (p:Person) REQUIRE p.name IS NOT NULL").body
    assert c == n.CreateConstraint(None, "Person", ("name",), "not_null")
    assert parse("CREATE INDEX idx FOR (p:Person) ON (p.a, p.b)").body == n.CreateIndex(
        "idx", "Person", ("a", "b")
    )
    assert parse("CREATE INDEX IF NOT EXISTS FOR (p:P) ON (p.if_not_exists)").body == n.CreateIndex(
        None, "P", ("if_not_exists",), if_not_exists=True
    )
    assert parse("DROP CONSTRAINT person_id IF EXISTS").body == n.DropConstraint("person_id", if_exists=True)
    assert parse("DROP INDEX idx").body == n.DropIndex("idx")
    assert parse("SHOW CONSTRAINTS").body == n.ShowConstraints()
    assert parse("show indexes").body == n.ShowIndexes()
    assert parse("EXPLAIN MATCH (n) RETURN n").mode == "explain"
    assert parse("PROFILE RETURN 1").mode == "profile"
    assert parse("RETURN 1").mode == "run"
    assert parse("RETURN 1;").query == parse("RETURN 1").query  # an optional trailing semicolon
    assert parse("SHOW CONSTRAINTS ;").body == n.ShowConstraints()


# ---------------------------------------------------------------------------------------------- identifiers


def test_keywords_are_case_insensitive_and_usable_as_names():
    assert len(clauses("match (n) where n.x = 1 return distinct n order by n.x desc skip 1 limit 2")) == 2
    r = clauses("MATCH (count:Match:Return) RETURN count.end, {match: 1}.match AS `return`")[-1]
    assert isinstance(r, n.Return)
    assert [i.name for i in r.projection.items] == ["count.end", "return"]
    assert ret("`weird ``name```") == v("weird `name`")


def test_comments_are_ignored():
    assert ret("1 // line comment\n + /* block\n comment */ 2") == n.Binary("+", lit(1), lit(2))


# ---------------------------------------------------------------------------------------------- spans


def test_column_names_keep_the_source_text():
    r = clauses("MATCH (a) RETURN a.b + 1, (a.b+ 2) * 3, count( * ), `a`, a")[-1]
    assert isinstance(r, n.Return)
    assert [i.name for i in r.projection.items] == ["a.b + 1", "(a.b+ 2) * 3", "count( * )", "a", "a"]


def test_spans_point_into_the_text():
    text = "MATCH (a)\nRETURN a.b + 1 AS x"
    st = parse(text)
    r = st.query.parts[0].clauses[1]
    assert isinstance(r, n.Return)
    expr = r.projection.items[0].expression
    assert st.text_of(expr) == "a.b + 1"
    assert (expr.span.line, expr.span.column) == (2, 8)
    assert st.text_of(r) == "RETURN a.b + 1 AS x"
    call = parse("CALL db.labels() YIELD label").query.parts[0].clauses[0]
    assert call.span.end == len("CALL db.labels() YIELD label")
    implicit = parse("CALL db.labels").query.parts[0].clauses[0]
    assert implicit.span.end == len("CALL db.labels")
    assert n.walk(st)[0] is st


def test_syntax_error_names_line_column_and_context():
    with pytest.raises(CypherSyntaxError) as info:
        parse("MATCH (n)\nRETURN n +\n) LIMIT 1")
    err = info.value
    assert err.code == "UnexpectedSyntax"
    assert "line 3, column 1" in str(err)
    assert ") LIMIT 1\n^" in str(err)
    assert err.span is not None
    assert err.span.line == 3
    with pytest.raises(CypherSyntaxError, match="end of query"):
        parse("MATCH (n")


def test_parse_errors_pickle():
    with pytest.raises(CypherSyntaxError) as info:
        parse("RETURN 0x")
    again = pickle.loads(pickle.dumps(info.value))
    assert (type(again), again.code, str(again)) == (
        CypherSyntaxError,
        "InvalidNumberLiteral",
        str(info.value),
    )


def test_mangled_queries_only_raise_cypher_errors():
    # Token-level mutations of valid queries: the parser may reject them, but only with a CypherError
    # (never an IndexError, StopIteration or lark exception escaping the builder).
    import random

    from namidb_cypher.binder import bind
    from namidb_cypher.errors import CypherError

    seeds = [
        "MATCH (a:A {x: 1})-[r:T*1..2]->(b) WHERE a.x > $p AND (a)-->() RETURN a, count(*) AS c ORDER BY c",
        "UNWIND [1, 2] AS x WITH x, [y IN range(0, x) WHERE y > 0 | y * 2] AS l RETURN l[0..1], {k: x}",
        "MERGE (a:L {k: 1}) ON CREATE SET a += {v: 2} WITH a CALL { WITH a RETURN a.k AS k } RETURN k",
        "MATCH p = shortestPath((a)-[*]-(b)) RETURN CASE WHEN a.x THEN 1 END, reduce(s = 0, x IN [1] | s)",
    ]
    pieces = [
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "-",
        "->",
        "<-",
        ":",
        ",",
        ".",
        "..",
        "*",
        "|",
        "$x",
        "WHERE",
        "AS",
    ]
    rnd = random.Random(7)
    rejected = 0
    for _ in range(600):
        toks = rnd.choice(seeds).split(" ")
        j = rnd.randrange(len(toks))
        choice = rnd.random()
        if choice < 0.33:
            del toks[j]
        elif choice < 0.66:
            toks.insert(j, rnd.choice(pieces))
        else:
            toks[j] = rnd.choice(pieces)
        try:
            bind(parse(" ".join(toks)))
        except CypherError:
            rejected += 1
    assert rejected > 100  # the mutations do break queries; each break was a CypherError


@pytest.mark.parametrize(
    ("query", "columns"),
    [
        ("WITH 1 AS order RETURN order", ("order",)),
        ("WITH 1 AS skip, 2 AS limit RETURN skip, limit ORDER BY skip", ("skip", "limit")),
        ("MATCH (end)-[match]->(return) RETURN end, match, return", ("end", "match", "return")),
        ("WITH 1 AS any, 2 AS none RETURN any + none", ("any + none",)),
    ],
)
def test_reserved_words_where_the_grammar_expects_a_name(query, columns):
    # The contextual lexer only produces a keyword where the parser can accept it.
    from namidb_cypher.binder import bind

    assert bind(parse(query)).columns == columns


def test_grammar_conflicts_are_the_known_ones():
    # Every shift/reduce conflict is a deliberate choice documented at the top of grammar.lark; a grammar
    # edit that adds one must be looked at (lark would silently resolve it as a shift).
    import io
    import logging
    from importlib import resources

    import lark

    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    old_level = lark.logger.level
    lark.logger.addHandler(handler)
    lark.logger.setLevel(logging.DEBUG)
    try:
        grammar = resources.files("namidb_cypher").joinpath("grammar.lark").read_text("utf-8")
        lark.Lark(grammar, parser="lalr", debug=True, keep_all_tokens=True)
    finally:
        lark.logger.removeHandler(handler)
        lark.logger.setLevel(old_level)
    lines = [line.strip() for line in buf.getvalue().splitlines() if line.strip()]
    conflicts = {
        (head.split("terminal ")[1].split(":")[0], rule.lstrip("* "))
        for head, rule in zip(lines[0::2], lines[1::2], strict=True)
        if head.startswith("Shift/Reduce")
    }
    assert not any(line.startswith("Reduce/Reduce") for line in lines)
    keyword_calls = {
        ("LPAR", f"<symbolic_name : {kw}>")
        for kw in ("ALLSHORTESTPATHS", "ANY", "COUNT", "EXISTS", "NONE", "REDUCE", "SHORTESTPATH", "SINGLE")
    }
    assert conflicts == keyword_calls | {
        ("LBRACE", "<symbolic_name : COUNT>"),
        ("LBRACE", "<symbolic_name : EXISTS>"),
        ("LBRACE", "<atom : variable>"),
        ("RPAR", "<atom : PARAM>"),
        ("RPAR", "<literal : map_literal>"),
        ("PARAM", "<rel_range : STAR>"),
        ("PARAM", "<rel_range : DOTDOT>"),
        ("PARAM", "<rel_range : STAR DOTDOT>"),
        ("PARAM", "<rel_range : STAR range_bound DOTDOT>"),
    }


def test_unicode_names_and_whitespace():
    st = parse("MATCH\u00a0(ä:Ünïcode)\u3000RETURN ä.名前")
    node = st.query.parts[0].clauses[0].pattern.parts[0].element.nodes[0]
    assert node == n.NodePattern(v("ä"), (("Ünïcode",),))
    assert st.query.parts[0].clauses[1].projection.items[0].name == "ä.名前"


def test_empty_query_is_a_syntax_error():
    with pytest.raises(CypherSyntaxError, match="end of query"):
        parse("  // nothing but a comment\n")


def test_parsing_is_thread_safe():
    # One shared LALR parser; the query text each parse reads is per thread (a context variable).
    from concurrent.futures import ThreadPoolExecutor

    queries = [f"MATCH (n:L{i}) WHERE n.x = {i} RETURN n.x + {i} AS c{i}" for i in range(200)]

    def names(q: str) -> tuple[str, ...]:
        ret_ = parse(q).query.parts[0].clauses[-1]
        return (*tuple(i.name for i in ret_.projection.items), ret_.projection.items[0].text)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(names, queries))
    assert results == [(f"c{i}", f"n.x + {i}") for i in range(200)]
