"""List functions and list access operators."""

from __future__ import annotations

import pytest

from namidb_cypher.errors import CypherArgumentError, CypherTypeError
from namidb_cypher.functions import OMITTED, list_slice, subscript
from namidb_cypher.functions.list import cypher_range, head, last, tail
from namidb_cypher.functions.scalar import coalesce, reverse, size
from namidb_cypher.values import Node, Relationship


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # List11 [1] Create list from `range()` with default step
        (-1236, -1234, [-1236, -1235, -1234]),
        (-1234, -1234, [-1234]),
        (-10, -3, [-10, -9, -8, -7, -6, -5, -4, -3]),
        (0, -123, []),
        (0, -1, []),
        (-1, 1, [-1, 0, 1]),
        (0, 0, [0]),
        (0, 10, list(range(11))),
        (1234, 1236, [1234, 1235, 1236]),
    ],
)
def test_range_default_step(start, end, expected):
    assert cypher_range(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "step", "expected"),
    [
        # List11 [2] Create list from `range()` with explicitly given step
        (1381, -3412, -1298, [1381, 83, -1215, -2513]),
        (0, -2000, -1298, [0, -1298]),
        (10, -10, -3, [10, 7, 4, 1, -2, -5, -8]),
        (0, -10, -3, [0, -3, -6, -9]),
        (0, -1, -1, [0, -1]),
        (0, 1, -123, []),
        (0, 1, -1, []),
        (0, -123, 1, []),
        (0, 0, -1, [0]),
        (0, 1, 2, [0]),
        (-10, 10, 3, [-10, -7, -4, -1, 2, 5, 8]),
        (-2000, 0, 1298, [-2000, -702]),
        (-3412, 1381, 1298, [-3412, -2114, -816, 482]),
    ],
)
def test_range_with_step(start, end, step, expected):
    assert cypher_range(start, end, step) == expected


def test_range_is_empty_iff_directions_disagree():
    # List11 [3]
    for stop in [1, 2, 500, 1000, 1500]:
        for step in [-1000, -3, -2, -1, 1, 2, 3, 1000]:
            empty = (stop > 0) != (step > 0)
            assert (len(cypher_range(0, stop, step)) == 0) == empty


@pytest.mark.parametrize(("start", "end"), [(0, 0), (2, 8), (-2, 8), (2, -8)])
def test_range_zero_step(start, end):
    # List11 [4] Fail on invalid arguments for `range()`
    with pytest.raises(CypherArgumentError) as info:
        cypher_range(start, end, 0)
    assert info.value.code == "NumberOutOfRange"
    assert info.value.tck_name == "ArgumentError"


@pytest.mark.parametrize(
    "args",
    [
        # List11 [5] Fail on invalid argument types for `range()`
        (True, 1, 1),
        (0, True, 1),
        (0, 1, True),
        (-1.1, 1, 1),
        (-0.0, 1, 1),
        (0.0, 1, 1),
        (0, 1.1, 1),
        (0, 1, -1.1),
        ("xyz", 1, 1),
        (0, "xyz", 1),
        ([0], 1, 1),
        (0, 1, [1]),
        ({"start": 0}, 1, 1),
        (0, {"end": 1}, 1),
    ],
)
def test_range_argument_types(args):
    with pytest.raises(CypherArgumentError) as info:
        cypher_range(*args)
    assert info.value.code == "InvalidArgumentType"


def test_head_last_tail():
    assert head([1, 2, 3]) == 1
    assert last([1, 2, 3]) == 3
    assert head([]) is None
    assert last([]) is None
    assert tail([1, 2, 3]) == [2, 3]
    assert tail([]) == []
    # List9 [1] tail(tail(n.array))
    assert tail(tail([1, 2, 3, 4, 5])) == [3, 4, 5]
    assert head(None) is None
    with pytest.raises(CypherTypeError):
        head("abc")


def test_size_reverse_coalesce():
    # List6 [1], [3], [4]
    assert size([1, 2, 3]) == 3
    assert size([[], [], []]) == 3
    assert size(None) is None
    assert reverse([1, 2, 3]) == [3, 2, 1]
    assert coalesce(None, None, 3, 4) == 3
    assert coalesce(None) is None
    with pytest.raises(CypherTypeError):
        size(5)


def test_subscript_lists():
    # List1 [1]-[2]
    assert subscript([1, 2, 3], 0) == 1
    assert subscript(subscript([[1]], 0), 0) == 1
    assert subscript([1, 2, 3], -1) == 3
    assert subscript([1, 2, 3], 3) is None
    assert subscript([1, 2, 3], -4) is None
    assert subscript(None, 0) is None
    assert subscript([1], None) is None


@pytest.mark.parametrize("container", [True, 123, 4.7, "1"])
def test_subscript_non_list(container):
    # List1 [6] Fail when indexing a non-list
    with pytest.raises(CypherTypeError) as info:
        subscript(container, 0)
    assert info.value.code == "InvalidArgumentType"


@pytest.mark.parametrize("index", [True, 4.7, "1", [1], {"x": 3}])
def test_subscript_non_integer_index(index):
    # List1 [8] Fail when indexing with a non-integer
    with pytest.raises(CypherTypeError):
        subscript([1, 2, 3, 4, 5], index)


def test_subscript_maps_and_entities():
    # Map2 [1]-[3]: n['nam' + 'e']
    node = Node(1, ("L",), {"name": "Apa"})
    assert subscript(node, "name") == "Apa"
    assert subscript(node, "missing") is None
    assert subscript(Relationship(1, "T", 1, 1, {"k": 2}), "k") == 2
    assert subscript({"a": 1}, "a") == 1
    assert subscript({"a": 1}, "b") is None
    with pytest.raises(CypherTypeError) as info:
        subscript({"a": 1}, 0)
    assert info.value.code == "MapElementAccessByNonString"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # List2 [1]-[8], [10], [11]
        (1, 3, [2, 3]),
        (1, OMITTED, [2, 3]),
        (OMITTED, 2, [1, 2]),
        (0, 1, [1]),
        (0, 0, []),
        (-3, -1, [1, 2]),
        (3, 1, []),
        (-5, 5, [1, 2, 3]),
    ],
)
def test_slices(start, end, expected):
    assert list_slice([1, 2, 3], start, end) == expected


@pytest.mark.parametrize(
    ("start", "end"), [(None, None), (1, None), (None, 3), (OMITTED, None), (None, OMITTED)]
)
def test_slice_with_null_bound_is_null(start, end):
    # List2 [9] List slice with null range
    assert list_slice([1, 2, 3], start, end) is None


def test_slice_errors():
    with pytest.raises(CypherTypeError):
        list_slice("abc", 0, 1)
    with pytest.raises(CypherTypeError):
        list_slice([1], 0.5, 1)
    assert list_slice([1, 2, 3, 4, 5], 1, 3) == [2, 3]
