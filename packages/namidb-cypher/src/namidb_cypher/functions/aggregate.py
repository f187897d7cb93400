"""Aggregating functions as accumulators, with vectorized fast paths.

Each aggregate is a small class: create one per group, call ``update(*args)`` once
per row, then ``result()``. Nulls are ignored (``count(x)`` counts non-null values;
``collect`` drops them). ``make_accumulator(name, distinct=True)`` wraps one so that
values equivalent under :func:`~namidb_cypher.semantics.compare.group_key` are
aggregated once (``count(DISTINCT x)``; ``1`` and ``1.0`` are the same value).

=================  ==========================================================
``count``          non-null values (:class:`CountStar` counts rows for ``count(*)``)
``sum``            0 for no values; INTEGER while all are integers (exact, and a total
                   outside the 64-bit range raises ``ArithmeticError: IntegerOverflow``
                   regardless of row order), FLOAT once a float takes part; durations
                   add through :func:`~namidb_cypher.semantics.arithmetic.add`
``avg``            FLOAT mean (null for no values); durations average too
``min``/``max``    by Cypher's global order, so mixed types work (TCK Aggregation2:
                   ``max([1, 'a', [1, 2], 0.2, 'b'])`` is 1, ``min`` is ``[1, 2]``);
                   NaN sorts above every number
``collect``        the non-null values as a list, in arrival order
``stDev``          sample standard deviation (0.0 for fewer than two values)
``stDevP``         population standard deviation (0.0 for no values)
``percentileDisc`` the value at the percentile, nearest-rank (Neo4j's definition)
``percentileCont`` linear interpolation between the closest ranks, as a FLOAT
=================  ==========================================================

The percentile argument must be a number in [0, 1] (else ``ArgumentError:
NumberOutOfRange``, TCK Aggregation6); it is checked on every row.

``vectorized`` functions take one pyarrow array (or chunked array) and return the
same result as feeding its values to the accumulator — or ``NotImplemented`` for an
array type they do not cover, in which case the caller uses the accumulator.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from namidb_cypher.errors import RUNTIME, CypherArgumentError
from namidb_cypher.functions.registry import FunctionDef, lookup
from namidb_cypher.semantics.arithmetic import add, div
from namidb_cypher.semantics.compare import group_key, order_key
from namidb_cypher.semantics.types import (
    INT64_MAX,
    check_int64,
    invalid_argument_type,
    is_float,
    is_int,
    is_number,
    is_temporal,
    type_name,
)

__all__ = [
    "FUNCTIONS",
    "Accumulator",
    "Avg",
    "Collect",
    "Count",
    "CountStar",
    "Distinct",
    "Max",
    "Min",
    "PercentileCont",
    "PercentileDisc",
    "StDev",
    "StDevP",
    "Sum",
    "avg_vectorized",
    "collect_vectorized",
    "count_vectorized",
    "make_accumulator",
    "max_vectorized",
    "min_vectorized",
    "stdev_vectorized",
    "stdevp_vectorized",
    "sum_vectorized",
]


class Accumulator(ABC):
    """State of one aggregate over one group."""

    __slots__ = ()

    @abstractmethod
    def update(self, *args: Any) -> None:
        """Fold in one row's argument values."""

    @abstractmethod
    def result(self) -> Any:
        """The aggregate's value for the rows seen so far."""


class CountStar(Accumulator):
    """``count(*)``: the number of rows."""

    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0

    def update(self, *args: Any) -> None:
        """Count one row."""
        self.n += 1

    def result(self) -> int:
        """The row count."""
        return self.n


class Count(Accumulator):
    """``count(x)``: the number of non-null values."""

    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0

    def update(self, value: Any = None, *rest: Any) -> None:
        """Count ``value`` unless it is null."""
        if value is not None:
            self.n += 1

    def result(self) -> int:
        """The count."""
        return self.n


class _NumericTotal:
    """Exact integer part plus float part, or a temporal (duration) total — never both."""

    __slots__ = ("float_total", "function", "has_float", "int_total", "n", "other")

    def __init__(self, function: str) -> None:
        self.function = function
        self.int_total = 0
        self.float_total = 0.0
        self.has_float = False
        self.other: Any = None
        self.n = 0

    def add(self, value: Any) -> None:
        if is_int(value):
            self._no_temporal(value)
            self.int_total += int(value)
        elif is_float(value):
            self._no_temporal(value)
            self.float_total += float(value)
            self.has_float = True
        elif is_temporal(value):
            if self.n > 0 and self.other is None:
                raise self._mixed(value)
            self.other = value if self.other is None else add(self.other, value)
        else:
            raise invalid_argument_type(
                f"{self.function}() expects numbers or durations, got {type_name(value)}"
            )
        self.n += 1

    def _no_temporal(self, value: Any) -> None:
        if self.other is not None:
            raise self._mixed(value)

    def _mixed(self, value: Any) -> Exception:
        return invalid_argument_type(
            f"{self.function}() cannot mix numbers and durations ({type_name(value)})"
        )

    def total(self) -> Any:
        if self.other is not None:
            return self.other
        if self.has_float:
            return float(self.int_total) + self.float_total
        return check_int64(self.int_total, f"{self.function}()")


class Sum(Accumulator):
    """``sum(x)`` (see the module docstring)."""

    __slots__ = ("_total",)

    def __init__(self) -> None:
        self._total = _NumericTotal("sum")

    def update(self, value: Any = None, *rest: Any) -> None:
        """Add ``value`` unless it is null."""
        if value is not None:
            self._total.add(value)

    def result(self) -> Any:
        """The sum: 0 when no values were seen."""
        return self._total.total()


class Avg(Accumulator):
    """``avg(x)``: the mean as a FLOAT (or a duration), null for no values."""

    __slots__ = ("_total",)

    def __init__(self) -> None:
        self._total = _NumericTotal("avg")

    def update(self, value: Any = None, *rest: Any) -> None:
        """Add ``value`` unless it is null."""
        if value is not None:
            self._total.add(value)

    def result(self) -> Any:
        """The mean."""
        t = self._total
        if t.n == 0:
            return None
        if t.other is not None:
            return div(t.other, t.n)
        if t.has_float:
            return (float(t.int_total) + t.float_total) / t.n
        return t.int_total / t.n  # int / int true division is correctly rounded, even past 2**53


class _Extreme(Accumulator):
    __slots__ = ("best", "best_key")
    _want_smaller: bool = True

    def __init__(self) -> None:
        self.best: Any = None
        self.best_key: tuple[Any, ...] | None = None

    def update(self, value: Any = None, *rest: Any) -> None:
        """Keep ``value`` if it beats the current best (nulls are ignored)."""
        if value is None:
            return
        key = order_key(value)
        if self.best_key is None or (key < self.best_key if self._want_smaller else key > self.best_key):
            self.best, self.best_key = value, key

    def result(self) -> Any:
        """The extreme value, or null for no values."""
        return self.best


class Min(_Extreme):
    """``min(x)``: the smallest value by Cypher's global order."""

    __slots__ = ()
    _want_smaller = True


class Max(_Extreme):
    """``max(x)``: the largest value by Cypher's global order."""

    __slots__ = ()
    _want_smaller = False


class Collect(Accumulator):
    """``collect(x)``: the non-null values as a list."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: list[Any] = []

    def update(self, value: Any = None, *rest: Any) -> None:
        """Append ``value`` unless it is null."""
        if value is not None:
            self.values.append(value)

    def result(self) -> list[Any]:
        """A copy of the collected list."""
        return list(self.values)


def _number(value: Any, function: str) -> float:
    if not is_number(value):
        raise invalid_argument_type(f"{function}() expects numbers, got {type_name(value)}")
    return float(value)


class _Deviation(Accumulator):
    """Welford's online algorithm: numerically stable in one pass."""

    __slots__ = ("m2", "mean", "n")
    _function: str = "stDev"

    def __init__(self) -> None:
        self.n = 0
        self.mean = 0.0
        self.m2 = 0.0

    def update(self, value: Any = None, *rest: Any) -> None:
        """Fold in ``value`` unless it is null."""
        if value is None:
            return
        x = _number(value, self._function)
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)

    def _deviation(self, divisor: int) -> float:
        return math.sqrt(self.m2 / divisor) if divisor > 0 else 0.0


class StDev(_Deviation):
    """``stDev(x)``: sample standard deviation (divides by n - 1); 0.0 for fewer than two values."""

    __slots__ = ()
    _function = "stDev"

    def result(self) -> float:
        """The sample standard deviation."""
        return self._deviation(self.n - 1)


class StDevP(_Deviation):
    """``stDevP(x)``: population standard deviation (divides by n); 0.0 for no values."""

    __slots__ = ()
    _function = "stDevP"

    def result(self) -> float:
        """The population standard deviation."""
        return self._deviation(self.n)


def _check_percentile(percentile: Any, function: str) -> float:
    if not is_number(percentile):
        raise invalid_argument_type(f"{function}() expects a numeric percentile, got {type_name(percentile)}")
    p = float(percentile)
    if not 0.0 <= p <= 1.0:
        raise CypherArgumentError(
            f"{function}() percentile must be between 0.0 and 1.0, got {percentile}",
            code="NumberOutOfRange",
            phase=RUNTIME,
        )
    return p


class _Percentile(Accumulator):
    __slots__ = ("percentile", "values")
    _function: str = "percentile"

    def __init__(self) -> None:
        self.values: list[int | float] = []
        self.percentile: float | None = None

    def update(self, value: Any = None, percentile: Any = None, *rest: Any) -> None:
        """Fold in ``value`` (unless null) and check ``percentile``."""
        self.percentile = _check_percentile(percentile, self._function)
        if value is None:
            return
        if not is_number(value):
            raise invalid_argument_type(f"{self._function}() expects numbers, got {type_name(value)}")
        self.values.append(int(value) if is_int(value) else float(value))

    def _sorted(self) -> tuple[list[int | float], float] | None:
        if not self.values or self.percentile is None:
            return None
        return sorted(self.values), self.percentile


class PercentileDisc(_Percentile):
    """``percentileDisc(x, p)``: the smallest value with at least ``p`` of the values at or below it."""

    __slots__ = ()
    _function = "percentileDisc"

    def result(self) -> int | float | None:
        """The value at the percentile, or null for no values."""
        state = self._sorted()
        if state is None:
            return None
        values, p = state
        n = len(values)
        if p == 1.0:
            return values[-1]
        position = p * n
        index = int(position)
        # Neo4j: an exact rank k (position == k >= 1) is the k-th value, i.e. index k - 1.
        if position == index and index > 0:
            index -= 1
        return values[index]


class PercentileCont(_Percentile):
    """``percentileCont(x, p)``: linear interpolation between the two closest ranks."""

    __slots__ = ()
    _function = "percentileCont"

    def result(self) -> float | None:
        """The interpolated percentile, or null for no values."""
        state = self._sorted()
        if state is None:
            return None
        values, p = state
        position = p * (len(values) - 1)
        lower, upper = math.floor(position), math.ceil(position)
        if lower == upper:
            return float(values[lower])
        fraction = position - lower
        return float(values[lower]) * (1.0 - fraction) + float(values[upper]) * fraction


class Distinct(Accumulator):
    """Feeds ``inner`` each equivalence class of the first argument once (``agg(DISTINCT x)``)."""

    __slots__ = ("inner", "seen")

    def __init__(self, inner: Accumulator) -> None:
        self.inner = inner
        self.seen: set[Any] = set()

    def update(self, value: Any = None, *rest: Any) -> None:
        """Forward ``value`` the first time its equivalence class is seen."""
        if value is None:
            # Still forward: percentile checks its argument on every row, and null is ignored anyway.
            self.inner.update(value, *rest)
            return
        key = group_key(value)
        if key in self.seen:
            return
        self.seen.add(key)
        self.inner.update(value, *rest)

    def result(self) -> Any:
        """The inner aggregate's result."""
        return self.inner.result()


def make_accumulator(name: str, *, distinct: bool = False) -> Accumulator:
    """A fresh accumulator for the aggregate function ``name`` (case-insensitive)."""
    definition = lookup(name)
    if definition is None or not definition.aggregate:
        raise ValueError(f"{name!r} is not an aggregate function")
    accumulator: Accumulator = definition.impl()
    return Distinct(accumulator) if distinct else accumulator


# ---------------------------------------------------------------------------------------------
# Vectorized fast paths over pyarrow arrays
# ---------------------------------------------------------------------------------------------

_ArrowArray = Any  # pa.Array | pa.ChunkedArray; pyarrow ships no type information


def _values_of(array: _ArrowArray) -> list[Any]:
    return [v for v in array.to_pylist() if v is not None]


def count_vectorized(array: _ArrowArray) -> int:
    """``count(x)`` over an array: its non-null values."""
    count: int = len(array) - array.null_count
    return count


def _exact_int_sum(array: _ArrowArray) -> int:
    """Sum of an integer array as an exact Python int (pyarrow's sum wraps on overflow)."""
    n = len(array) - array.null_count
    if n == 0:
        return 0
    bounds = pc.min_max(array)
    bound = max(abs(bounds["min"].as_py()), abs(bounds["max"].as_py()))
    if bound * n <= INT64_MAX:
        total: int = pc.sum(array).as_py()
        return total
    return sum(_values_of(array))


def sum_vectorized(array: _ArrowArray) -> Any:
    """``sum(x)`` over an integer or floating-point array."""
    kind = array.type
    if pa.types.is_integer(kind):
        return check_int64(_exact_int_sum(array), "sum()")
    if pa.types.is_floating(kind):
        total = pc.sum(array).as_py()
        return 0 if total is None else float(total)
    if pa.types.is_null(kind):
        return 0
    return NotImplemented


def avg_vectorized(array: _ArrowArray) -> Any:
    """``avg(x)`` over an integer or floating-point array."""
    kind = array.type
    n = len(array) - array.null_count
    if pa.types.is_null(kind) or ((pa.types.is_integer(kind) or pa.types.is_floating(kind)) and n == 0):
        return None
    if pa.types.is_integer(kind):
        return _exact_int_sum(array) / n
    if pa.types.is_floating(kind):
        return float(pc.mean(array).as_py())
    return NotImplemented


def _has_nan(array: _ArrowArray) -> bool:
    return bool(pc.any(pc.is_nan(array)).as_py())


def _extreme_vectorized(array: _ArrowArray, which: str) -> Any:
    kind = array.type
    if pa.types.is_null(kind):
        return None
    if not (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_boolean(kind)
        or pa.types.is_string(kind)
        or pa.types.is_large_string(kind)
    ):
        return NotImplemented
    if pa.types.is_floating(kind) and len(array) > array.null_count and _has_nan(array):
        # Cypher orders NaN above every number; pyarrow's min_max skips NaN.
        if which == "max":
            return math.nan
        finite = pc.filter(array, pc.invert(pc.is_nan(array)))
        if len(finite) == finite.null_count:
            return math.nan
        array = finite
    value = pc.min_max(array)[which].as_py()
    return float(value) if pa.types.is_floating(kind) and value is not None else value


def min_vectorized(array: _ArrowArray) -> Any:
    """``min(x)`` over a numeric, boolean or string array."""
    return _extreme_vectorized(array, "min")


def max_vectorized(array: _ArrowArray) -> Any:
    """``max(x)`` over a numeric, boolean or string array."""
    return _extreme_vectorized(array, "max")


def collect_vectorized(array: _ArrowArray) -> list[Any]:
    """``collect(x)`` over any array: its non-null values as Python values."""
    return _values_of(array)


def _stdev_vectorized(array: _ArrowArray, ddof: int) -> Any:
    kind = array.type
    if pa.types.is_null(kind):
        return 0.0
    if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        return NotImplemented
    n = len(array) - array.null_count
    if n - ddof <= 0:
        return 0.0
    return float(pc.stddev(array, ddof=ddof).as_py())


def stdev_vectorized(array: _ArrowArray) -> Any:
    """``stDev(x)`` over a numeric array."""
    return _stdev_vectorized(array, 1)


def stdevp_vectorized(array: _ArrowArray) -> Any:
    """``stDevP(x)`` over a numeric array."""
    return _stdev_vectorized(array, 0)


def _aggregate(
    name: str,
    factory: Callable[[], Accumulator],
    vectorized: Callable[[Any], Any] | None = None,
    n_args: int = 1,
) -> FunctionDef:
    return FunctionDef(
        name, n_args, n_args, factory, aggregate=True, null_in_null_out=False, vectorized=vectorized
    )


FUNCTIONS: Final[tuple[FunctionDef, ...]] = (
    _aggregate("count", Count, count_vectorized),
    _aggregate("sum", Sum, sum_vectorized),
    _aggregate("avg", Avg, avg_vectorized),
    _aggregate("min", Min, min_vectorized),
    _aggregate("max", Max, max_vectorized),
    _aggregate("collect", Collect, collect_vectorized),
    _aggregate("stDev", StDev, stdev_vectorized),
    _aggregate("stDevP", StDevP, stdevp_vectorized),
    _aggregate("percentileDisc", PercentileDisc, n_args=2),
    _aggregate("percentileCont", PercentileCont, n_args=2),
)
