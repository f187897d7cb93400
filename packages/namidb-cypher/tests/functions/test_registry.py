"""The function registry: lookups, arities, flags, and that every function honours its flags."""

from __future__ import annotations

import pytest

from namidb_cypher.functions import FunctionDef, all_functions, lookup, register
from namidb_cypher.functions.aggregate import Accumulator

OPENCYPHER_SCALARS = [
    "id", "elementId", "labels", "type", "startNode", "endNode", "nodes", "relationships", "length",
    "keys", "properties", "size", "reverse", "coalesce", "head", "last", "tail", "range", "timestamp",
    "randomUUID", "toUpper", "toLower", "trim", "lTrim", "rTrim", "replace", "substring", "left",
    "right", "split", "toString", "toInteger", "toFloat", "toBoolean", "abs", "ceil", "floor", "round",
    "sign", "sqrt", "exp", "log", "log10", "e", "pi", "rand", "sin", "cos", "tan", "cot", "asin",
    "acos", "atan", "atan2", "degrees", "radians", "haversin", "exists",
]  # fmt: skip
AGGREGATES = [
    "count", "sum", "avg", "min", "max", "collect", "stDev", "stDevP", "percentileCont", "percentileDisc",
]  # fmt: skip


@pytest.mark.parametrize("name", OPENCYPHER_SCALARS)
def test_scalar_functions_are_registered(name):
    definition = lookup(name)
    assert definition is not None
    assert definition.name.lower() == name.lower()
    assert not definition.aggregate


@pytest.mark.parametrize("name", AGGREGATES)
def test_aggregates_are_registered(name):
    definition = lookup(name)
    assert definition is not None
    assert definition.aggregate
    assert isinstance(definition.impl(), Accumulator)
    assert not definition.null_in_null_out


def test_lookup_ignores_case_and_allows_dots():
    assert lookup("TOUPPER") is lookup("toUpper") is lookup("toupper")
    assert lookup("Vector.Similarity.Cosine") is not None
    assert lookup("noSuchFunction") is None
    assert lookup("vector.similarity") is None


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("toUpper", [1], [0, 2]),
        ("substring", [2, 3], [1, 4]),
        ("range", [2, 3], [1, 4]),
        ("round", [1, 2, 3], [0, 4]),
        ("pi", [0], [1]),
        ("coalesce", [1, 2, 50], [0]),
        ("percentileDisc", [2], [1, 3]),
    ],
)
def test_arity(name, good, bad):
    definition = lookup(name)
    assert definition is not None
    assert all(definition.accepts(n) for n in good)
    assert not any(definition.accepts(n) for n in bad)


def test_non_deterministic_functions_are_flagged():
    for name in ("rand", "randomUUID", "timestamp"):
        assert not lookup(name).deterministic
    for name in ("toUpper", "abs", "range", "count"):
        assert lookup(name).deterministic


def test_entity_end_functions_take_a_resolver():
    assert lookup("startNode").needs_node_lookup
    assert lookup("endNode").needs_node_lookup
    assert not lookup("labels").needs_node_lookup


def test_null_in_null_out_is_honest():
    # Every function that claims it gives null when any argument is null — checked before any
    # type check, so the other arguments may be anything.
    checked = 0
    for definition in all_functions():
        if definition.aggregate or not definition.null_in_null_out or definition.needs_node_lookup:
            continue
        max_args = definition.max_args if definition.max_args is not None else definition.min_args + 1
        for arity in range(max(definition.min_args, 1), max_args + 1):
            for position in range(arity):
                args = ["a"] * arity
                args[position] = None
                assert definition.impl(*args) is None, (definition.name, args)
                checked += 1
    assert checked > 60


def test_register_rejects_duplicates_but_allows_replacement():
    custom = FunctionDef("namidbTestOnly", 1, 1, lambda x: x)
    register(custom)
    assert lookup("NAMIDBTESTONLY") is custom
    with pytest.raises(ValueError, match="already registered"):
        register(FunctionDef("namidbTestOnly", 1, 1, lambda x: x))
    replacement = FunctionDef("namidbTestOnly", 1, 2, lambda x, y=None: x)
    register(replacement, replace=True)
    assert lookup("namidbtestonly") is replacement


def test_all_functions_is_sorted_and_complete():
    names = [d.name.lower() for d in all_functions()]
    assert names == sorted(names)
    assert {n.lower() for n in OPENCYPHER_SCALARS + AGGREGATES} <= set(names)
