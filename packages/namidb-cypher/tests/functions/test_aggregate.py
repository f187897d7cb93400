"""Aggregate accumulators (TCK Aggregation1-8) and their vectorized fast paths."""

from __future__ import annotations

import math
import random

import pyarrow as pa
import pytest

from namidb_cypher.errors import CypherArgumentError, CypherArithmeticError, CypherTypeError
from namidb_cypher.functions import CountStar, lookup, make_accumulator
from namidb_cypher.semantics.compare import equivalent
from namidb_cypher.semantics.types import INT64_MAX
from namidb_cypher.values import Node

NAN = math.nan


def aggregate(name, values, *, distinct=False, extra=()):
    accumulator = make_accumulator(name, distinct=distinct)
    for value in values:
        accumulator.update(value, *extra)
    return accumulator.result()


def same(actual, expected):
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return type(actual) is type(expected) and actual == expected


class FakeDuration:
    cypher_type_name = "DURATION"

    def __init__(self, seconds):
        self.seconds = seconds

    def __cypher_add__(self, other):
        return (
            FakeDuration(self.seconds + other.seconds) if isinstance(other, FakeDuration) else NotImplemented
        )

    def __cypher_div__(self, other):
        return FakeDuration(self.seconds / other) if isinstance(other, int) else NotImplemented

    def __eq__(self, other):
        return isinstance(other, FakeDuration) and other.seconds == self.seconds

    def __hash__(self):
        return hash(self.seconds)


# --- count ---------------------------------------------------------------------------------


def test_count():
    # Aggregation1 [1] Count only non-null values
    assert aggregate("count", [33, None]) == 1
    assert aggregate("count", []) == 0
    star = CountStar()
    for _ in range(3):
        star.update()
    assert star.result() == 3


def test_count_distinct():
    # Aggregation8 [1] / [2]
    assert aggregate("count", [None], distinct=True) == 0
    assert aggregate("count", [1, 1.0, 2, None, "1", True, NAN, NAN], distinct=True) == 5
    n = Node(1, ())
    assert aggregate("count", [n, Node(1, ()), Node(2, ())], distinct=True) == 2


# --- min / max -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        # Aggregation2 [1]-[12]
        ("max", [1, 2, 0, None, -1], 2),
        ("min", [1, 2, 0, None, -1], -1),
        ("max", [1.0, 2.0, 0.5, None], 2.0),
        ("min", [1.0, 2.0, 0.5, None], 0.5),
        ("max", [1, 2.0, 5, None, 3.2, 0.1], 5),
        ("min", [1, 2.0, 5, None, 3.2, 0.1], 0.1),
        ("max", ["a", "b", "B", None, "abc", "abc1"], "b"),
        ("min", ["a", "b", "B", None, "abc", "abc1"], "B"),
        ("max", [[1], [2], [2, 1]], [2, 1]),
        ("min", [[1], [2], [2, 1]], [1]),
        ("max", [1, "a", None, [1, 2], 0.2, "b"], 1),
        ("min", [1, "a", None, [1, 2], 0.2, "b"], [1, 2]),
        ("max", [None, None], None),
        ("min", [], None),
        ("max", [1, NAN, 2], NAN),
        ("min", [1, NAN, 2], 1),
    ],
)
def test_min_max(name, values, expected):
    assert same(aggregate(name, values), expected)


# --- sum / avg -----------------------------------------------------------------------------


def test_sum():
    # Aggregation3 [1] Sum only non-null values
    assert same(aggregate("sum", [33, None, 42]), 75)
    # Aggregation3 [2] No overflow during summation
    assert same(aggregate("sum", range(1000000, 1003000)), 3004498500)
    assert same(aggregate("sum", []), 0)
    assert same(aggregate("sum", [1, 2.5]), 3.5)
    assert same(aggregate("sum", [1, 1, 1], distinct=True), 1)


def test_sum_overflow_is_an_error_regardless_of_order():
    with pytest.raises(CypherArithmeticError) as info:
        aggregate("sum", [INT64_MAX, 1])
    assert info.value.code == "IntegerOverflow"
    # an intermediate excursion that comes back into range is fine (exact arithmetic)
    assert aggregate("sum", [INT64_MAX, 1, -1]) == INT64_MAX


def test_sum_and_avg_type_errors():
    for name in ("sum", "avg"):
        with pytest.raises(CypherTypeError):
            aggregate(name, [1, "2"])
        with pytest.raises(CypherTypeError):
            aggregate(name, [1, FakeDuration(1)])
        with pytest.raises(CypherTypeError):
            aggregate(name, [True])


def test_avg():
    assert aggregate("avg", []) is None
    assert aggregate("avg", [None]) is None
    assert same(aggregate("avg", [1, 2]), 1.5)
    assert same(aggregate("avg", [1, 2, 3]), 2.0)
    assert same(aggregate("avg", [1.0, None, 2]), 1.5)
    assert aggregate("avg", [INT64_MAX, INT64_MAX]) == float(INT64_MAX)


def test_durations_sum_and_average():
    assert aggregate("sum", [FakeDuration(1), None, FakeDuration(2)]) == FakeDuration(3)
    assert aggregate("avg", [FakeDuration(1), FakeDuration(2)]) == FakeDuration(1.5)


# --- collect -------------------------------------------------------------------------------


def test_collect():
    # Aggregation5 [1] `collect()` filtering nulls; [2] collect(DISTINCT ...)
    assert aggregate("collect", [None]) == []
    assert aggregate("collect", [42, 43, 44], distinct=True) == [42, 43, 44]
    assert aggregate("collect", [None], distinct=True) == []
    # Aggregation8 [3] / [4]
    assert aggregate("collect", [None, None], distinct=True) == []
    assert aggregate("collect", [None, 1, None], distinct=True) == [1]
    assert aggregate("collect", [1, 1.0, [1], [1.0], "1"], distinct=True) == [1, [1], "1"]


def test_collect_result_is_a_copy():
    accumulator = make_accumulator("collect")
    accumulator.update(1)
    accumulator.result().append(2)
    assert accumulator.result() == [1]


# --- standard deviation --------------------------------------------------------------------


def test_standard_deviation():
    values = [2, 4, 4, 4, 5, 5, 7, 9]
    assert aggregate("stDevP", values) == pytest.approx(2.0)
    assert aggregate("stDev", values) == pytest.approx(math.sqrt(32 / 7))
    assert same(aggregate("stDev", [1]), 0.0)
    assert same(aggregate("stDev", []), 0.0)
    assert same(aggregate("stDevP", []), 0.0)
    assert same(aggregate("stDevP", [3, None]), 0.0)
    with pytest.raises(CypherTypeError):
        aggregate("stDev", ["a"])


# --- percentiles ---------------------------------------------------------------------------


@pytest.mark.parametrize(("p", "expected"), [(0.0, 10.0), (0.5, 20.0), (1.0, 30.0)])
def test_percentile_disc(p, expected):
    # Aggregation6 [1] `percentileDisc()`
    assert same(aggregate("percentileDisc", [10.0, 20.0, 30.0], extra=(p,)), expected)


@pytest.mark.parametrize(("p", "expected"), [(0.0, 10.0), (0.5, 20.0), (1.0, 30.0)])
def test_percentile_cont(p, expected):
    # Aggregation6 [2] `percentileCont()`
    assert same(aggregate("percentileCont", [10.0, 20.0, 30.0], extra=(p,)), expected)


def test_percentile_details():
    assert same(aggregate("percentileCont", [1, 2, 3, 4], extra=(0.5,)), 2.5)
    assert same(aggregate("percentileCont", [1, 2, 3, 4], extra=(0.25,)), 1.75)
    assert same(aggregate("percentileDisc", [1, 2, 3, 4], extra=(0.5,)), 2)
    assert same(aggregate("percentileDisc", [1, 2, 3, 4], extra=(0.51,)), 3)
    assert same(aggregate("percentileDisc", [4, 1, 3, 2], extra=(0.25,)), 1)
    assert aggregate("percentileDisc", [], extra=(0.5,)) is None
    assert aggregate("percentileCont", [None], extra=(0.5,)) is None
    assert same(aggregate("percentileDisc", [1, 1, 2], extra=(0.5,), distinct=True), 1)


@pytest.mark.parametrize("name", ["percentileCont", "percentileDisc"])
@pytest.mark.parametrize("percentile", [1000, -1, 1.1])
def test_percentile_out_of_range(name, percentile):
    # Aggregation6 [3] / [4] failing on bad arguments
    with pytest.raises(CypherArgumentError) as info:
        aggregate(name, [10.0], extra=(percentile,))
    assert info.value.code == "NumberOutOfRange"
    assert info.value.phase == "runtime"


def test_percentile_argument_checked_on_every_row():
    # Aggregation6 [5]: percentileDisc(0.90, deg) with deg > 2 fails
    with pytest.raises(CypherArgumentError):
        aggregate("percentileDisc", [0.9, 0.9], extra=(3,))
    with pytest.raises(CypherTypeError):
        aggregate("percentileCont", [1.0], extra=("0.5",))
    with pytest.raises(CypherTypeError):
        aggregate("percentileCont", ["a"], extra=(0.5,))


def test_make_accumulator_rejects_scalars():
    with pytest.raises(ValueError, match="not an aggregate"):
        make_accumulator("toUpper")
    assert make_accumulator("COUNT").result() == 0


# --- vectorized fast paths -----------------------------------------------------------------

VECTORIZED = ["count", "sum", "avg", "min", "max", "collect", "stDev", "stDevP"]


def _arrays():
    rng = random.Random(11)
    ints = [rng.randint(-1000, 1000) if rng.random() > 0.2 else None for _ in range(200)]
    floats = [rng.uniform(-5, 5) if rng.random() > 0.2 else None for _ in range(200)]
    return {
        "ints": pa.array(ints, pa.int64()),
        "int32": pa.array(ints, pa.int32()),
        "floats": pa.array(floats, pa.float64()),
        "floats-nan": pa.array([*floats[:50], NAN, None], pa.float64()),
        "only-nan": pa.array([NAN, None], pa.float64()),
        "empty-int": pa.array([], pa.int64()),
        "all-null-float": pa.array([None, None], pa.float64()),
        "nulls": pa.array([None, None]),
        "single": pa.array([3], pa.int64()),
        "strings": pa.array(["a", "b", "B", None, "abc", "abc1", "é"]),
        "bools": pa.array([True, None, False]),
        "big-ints": pa.array([INT64_MAX // 2, INT64_MAX // 2, -5], pa.int64()),
        "chunked": pa.chunked_array([[1, 2, None], [3]], pa.int64()),
    }


@pytest.mark.parametrize("name", VECTORIZED)
@pytest.mark.parametrize("array_name", list(_arrays()))
def test_vectorized_matches_accumulator(name, array_name):
    array = _arrays()[array_name]
    definition = lookup(name)
    assert definition.vectorized is not None
    fast = definition.vectorized(array)
    if fast is NotImplemented:
        assert name in {"sum", "avg", "stDev", "stDevP"}
        assert array_name in {"strings", "bools"}
        return
    slow = aggregate(name, array.to_pylist())
    if isinstance(slow, float) and not math.isnan(slow):
        assert type(fast) is float
        assert fast == pytest.approx(slow, rel=1e-9, abs=1e-12)
    elif isinstance(slow, list):
        assert equivalent(fast, slow)  # element-wise, NaN matching NaN
    else:
        assert same(fast, slow)


def test_vectorized_sum_overflow():
    array = pa.array([INT64_MAX, 1], pa.int64())
    with pytest.raises(CypherArithmeticError):
        lookup("sum").vectorized(array)
    # pyarrow alone would wrap around here; the exact path keeps the right answer
    assert lookup("sum").vectorized(pa.array([INT64_MAX, 1, -2], pa.int64())) == INT64_MAX - 1


def test_vectorized_unsupported_types_decline():
    nested = pa.array([[1], [2]])
    assert lookup("sum").vectorized(nested) is NotImplemented
    assert lookup("min").vectorized(nested) is NotImplemented
    assert lookup("count").vectorized(nested) == 2
