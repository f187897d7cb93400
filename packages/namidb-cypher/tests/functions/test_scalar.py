"""Entity and general scalar functions on the values.py objects (TCK Graph3, Graph4, Graph6, Graph9)."""

from __future__ import annotations

import re
import time

import pytest

from namidb_cypher.errors import CypherTypeError
from namidb_cypher.functions import lookup
from namidb_cypher.functions.predicates import exists, is_empty
from namidb_cypher.functions.scalar import (
    element_id,
    end_node,
    entity_id,
    keys,
    labels,
    length,
    nodes,
    properties,
    random_uuid,
    relationship_type,
    relationships,
    start_node,
    timestamp,
)
from namidb_cypher.values import Node, Path, Relationship

A = Node(0, ("Foo", "Bar"), {"name": "Popeye", "level": 9001}, key="0000-a")
B = Node(1, ())
R = Relationship(5, "T", 0, 1, {"status": "x", "year": 1988}, key="0000-r")
P = Path((A, B), (R,))


def test_labels():
    # Graph3 [2], [5], [7]
    assert labels(A) == ["Foo", "Bar"]
    assert labels(B) == []
    assert labels(None) is None


@pytest.mark.parametrize("invalid", [R, 0, 1.0, True, "", [], P])
def test_labels_invalid(invalid):
    # Graph3 [9] `labels()` failing on invalid arguments
    with pytest.raises(CypherTypeError) as info:
        labels(invalid)
    assert info.value.code == "InvalidArgumentValue"


def test_type():
    # Graph4 [1]-[5]
    assert relationship_type(R) == "T"
    assert relationship_type(None) is None


@pytest.mark.parametrize("invalid", [0, 1.0, True, "", [], A])
def test_type_invalid(invalid):
    # Graph4 [6] `type()` failing on invalid arguments
    with pytest.raises(CypherTypeError) as info:
        relationship_type(invalid)
    assert info.value.code == "InvalidArgumentValue"


def test_ids():
    assert entity_id(A) == 0
    assert entity_id(R) == 5
    assert entity_id(None) is None
    assert element_id(A) == "0000-a"
    assert element_id(B) == "1"
    with pytest.raises(CypherTypeError):
        entity_id("x")


def test_keys_and_properties():
    # Graph6 [1], [5]; Graph9 [1]-[4]
    assert sorted(keys(A)) == ["level", "name"]
    assert sorted(keys(R)) == ["status", "year"]
    assert keys(B) == []
    assert keys(None) is None
    assert keys({"a": 1, "b": None}) == ["a", "b"]
    assert properties(A) == {"name": "Popeye", "level": 9001}
    assert properties(R) == {"status": "x", "year": 1988}
    assert properties({"name": "Popeye", "level": 9001}) == {"name": "Popeye", "level": 9001}
    assert properties(None) is None
    for invalid in (1, "Cypher", [True, False]):
        # Graph9 [5]-[7]
        with pytest.raises(CypherTypeError):
            properties(invalid)
    # Graph6 [8] 'exists' IN keys(n)
    assert "level" in keys(A)
    assert "missing" not in keys(A)


def test_path_functions():
    # List12 [4] head(nodes(x)); ReturnOrderBy2 [12] length(p)
    assert nodes(P) == [A, B]
    assert relationships(P) == [R]
    assert length(P) == 1
    assert length(Path((A,), ())) == 0
    assert nodes(None) is None
    with pytest.raises(CypherTypeError):
        nodes([A, B])
    with pytest.raises(CypherTypeError):
        length("abc")


def test_start_and_end_node_use_the_resolver():
    graph = {0: A, 1: B}
    assert start_node(graph.__getitem__, R) is A
    assert end_node(graph.__getitem__, R) is B
    assert start_node(graph.__getitem__, None) is None
    with pytest.raises(CypherTypeError):
        end_node(graph.__getitem__, A)


def test_timestamp_and_uuid():
    before = int(time.time() * 1000)
    stamp = timestamp()
    assert isinstance(stamp, int)
    assert before - 5 <= stamp <= int(time.time() * 1000) + 5
    first, second = random_uuid(), random_uuid()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)
    assert first != second
    assert lookup("randomUUID").impl() != first


def test_predicates():
    assert exists(1) is True
    assert exists(None) is False
    assert exists([]) is True
    assert lookup("exists").null_in_null_out is False
    assert is_empty([]) is True
    assert is_empty("") is True
    assert is_empty({}) is True
    assert is_empty([None]) is False
    assert is_empty("a") is False
    assert is_empty(None) is None
    for invalid in (1, A, P):
        with pytest.raises(CypherTypeError):
            is_empty(invalid)


def test_null_if():
    null_if = lookup("nullIf").impl
    assert null_if(1, 1.0) is None
    assert null_if(1, 2) == 1
    assert null_if("a", None) == "a"  # a = null is null, not true
    assert null_if(None, 1) is None
    assert null_if([1, None], [1, None]) == [1, None]
