"""Numeric functions: ``abs``, ``ceil``, ``floor``, ``round``, ``sign``, ``sqrt``, ``exp``,
``log``, ``log10``, ``e``, ``pi``, ``rand``, ``isNaN``, trigonometry (``sin`` ... ``atan2``,
``cot``, ``haversin``), ``degrees``, ``radians``.

Results follow Java's ``Math`` (as Neo4j does) rather than Python's, which raises
where Java returns a special value: ``sqrt(-1)`` and ``asin(2)`` are NaN, ``log(0)``
is ``-Infinity``, ``exp(1000)`` is ``Infinity``, ``cot(0)`` is ``Infinity``.
``abs`` and ``sign`` return an INTEGER for an INTEGER argument (``sign`` always does);
``ceil``, ``floor`` and ``round`` return a FLOAT. ``round(x)`` rounds half up
(``round(-2.5) = -2.0``, Java's ``Math.round``); ``round(x, precision[, mode])`` rounds
the shortest decimal form of ``x`` with ``mode`` one of ``UP``, ``DOWN``, ``CEILING``,
``FLOOR``, ``HALF_UP`` (the default), ``HALF_DOWN``, ``HALF_EVEN``.

A null argument gives null; a non-number raises ``TypeError: InvalidArgumentType``.
"""

from __future__ import annotations

import decimal
import math
import random
from collections.abc import Callable
from typing import Any, Final

from namidb_cypher.errors import RUNTIME, CypherArgumentError
from namidb_cypher.functions.registry import FunctionDef
from namidb_cypher.semantics.types import check_int64, invalid_argument_type, is_int, is_number, type_name

__all__ = ["FUNCTIONS", "abs_", "ceil", "floor", "round_", "sign", "unary_float_function"]


def _number(value: Any, function: str) -> int | float:
    if not is_number(value):
        raise invalid_argument_type(f"{function}() expects a number, got {type_name(value)}")
    return int(value) if is_int(value) else float(value)


def abs_(value: Any) -> int | float | None:
    """``abs(x)``: INTEGER stays INTEGER (``abs(-2^63)`` overflows), FLOAT stays FLOAT."""
    if value is None:
        return None
    number = _number(value, "abs")
    if isinstance(number, int):
        return check_int64(abs(number), "abs()")
    return abs(number)


def ceil(value: Any) -> float | None:
    """``ceil(x)``: the smallest integral FLOAT not below ``x``."""
    if value is None:
        return None
    number = float(_number(value, "ceil"))
    return number if not math.isfinite(number) else float(math.ceil(number))


def floor(value: Any) -> float | None:
    """``floor(x)``: the largest integral FLOAT not above ``x``."""
    if value is None:
        return None
    number = float(_number(value, "floor"))
    return number if not math.isfinite(number) else float(math.floor(number))


_ROUNDING_MODES: Final[dict[str, str]] = {
    "UP": decimal.ROUND_UP,
    "DOWN": decimal.ROUND_DOWN,
    "CEILING": decimal.ROUND_CEILING,
    "FLOOR": decimal.ROUND_FLOOR,
    "HALF_UP": decimal.ROUND_HALF_UP,
    "HALF_DOWN": decimal.ROUND_HALF_DOWN,
    "HALF_EVEN": decimal.ROUND_HALF_EVEN,
}

_MISSING: Any = object()


def round_(value: Any, precision: Any = _MISSING, mode: Any = _MISSING) -> float | None:
    """``round(x[, precision[, mode]])`` (see the module docstring)."""
    if value is None or precision is None or mode is None:
        return None
    number = _number(value, "round")
    if precision is _MISSING:
        x = float(number)
        if not math.isfinite(x) or abs(x) >= 2.0**52:  # already integral (or special)
            return x
        return float(math.floor(x + 0.5))
    if not is_int(precision):
        raise invalid_argument_type(f"round() expects an INTEGER precision, got {type_name(precision)}")
    rounding = _rounding_mode(mode)
    x = float(number)
    if not math.isfinite(x):
        return x
    exact = decimal.Decimal(repr(x)) if isinstance(number, float) else decimal.Decimal(number)
    context = decimal.Context(prec=1000, rounding=rounding)
    quantum = decimal.Decimal(1).scaleb(-int(precision))
    return float(exact.quantize(quantum, context=context))


def _rounding_mode(mode: Any) -> str:
    if mode is _MISSING:
        return decimal.ROUND_HALF_UP
    if not isinstance(mode, str):
        raise invalid_argument_type(f"round() expects a STRING rounding mode, got {type_name(mode)}")
    try:
        return _ROUNDING_MODES[mode.upper()]
    except KeyError:
        raise CypherArgumentError(
            f"unknown rounding mode {mode!r}; expected one of {', '.join(_ROUNDING_MODES)}",
            code="InvalidArgumentValue",
            phase=RUNTIME,
        ) from None


def sign(value: Any) -> int | None:
    """``sign(x)``: -1, 0 or 1 as an INTEGER (0 for NaN)."""
    if value is None:
        return None
    number = _number(value, "sign")
    return (number > 0) - (number < 0)


def _java_sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 or math.isnan(x) else math.nan


def _java_log(x: float) -> float:
    if x > 0 or math.isnan(x):
        return math.log(x)
    return -math.inf if x == 0 else math.nan


def _java_log10(x: float) -> float:
    if x > 0 or math.isnan(x):
        return math.log10(x)
    return -math.inf if x == 0 else math.nan


def _java_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _domain_guard(fn: Callable[[float], float]) -> Callable[[float], float]:
    """Map Python's ValueError for out-of-domain input (asin(2), sin(inf)) to NaN, as Java does."""

    def guarded(x: float) -> float:
        try:
            return fn(x)
        except ValueError:
            return math.nan

    return guarded


def _cot(x: float) -> float:
    tangent = _domain_guard(math.tan)(x)
    if tangent == 0.0:
        return math.copysign(math.inf, tangent)  # 1.0 / ±0.0 in IEEE 754
    return 1.0 / tangent


def _haversin(x: float) -> float:
    return (1.0 - _domain_guard(math.cos)(x)) / 2.0


def unary_float_function(name: str, fn: Callable[[float], float]) -> Callable[[Any], float | None]:
    """Wrap a float→float function as a Cypher function: null in, null out; numbers only."""

    def impl(value: Any) -> float | None:
        if value is None:
            return None
        return fn(float(_number(value, name)))

    impl.__name__ = name
    impl.__doc__ = f"``{name}(x)`` as a FLOAT."
    return impl


def atan2(y: Any, x: Any) -> float | None:
    """``atan2(y, x)``: the angle of the point (x, y) in radians."""
    if y is None or x is None:
        return None
    return math.atan2(float(_number(y, "atan2")), float(_number(x, "atan2")))


def is_nan(value: Any) -> bool | None:
    """``isNaN(x)``: true for a FLOAT NaN."""
    if value is None:
        return None
    number = _number(value, "isNaN")
    return isinstance(number, float) and math.isnan(number)


def e() -> float:
    """``e()``: Euler's number."""
    return math.e


def pi() -> float:
    """``pi()``: the ratio of a circle's circumference to its diameter."""
    return math.pi


def rand() -> float:
    """``rand()``: a uniformly distributed random FLOAT in [0, 1)."""
    return random.random()


_UNARY: Final[dict[str, Callable[[float], float]]] = {
    "sqrt": _java_sqrt,
    "exp": _java_exp,
    "log": _java_log,
    "log10": _java_log10,
    "sin": _domain_guard(math.sin),
    "cos": _domain_guard(math.cos),
    "tan": _domain_guard(math.tan),
    "cot": _cot,
    "asin": _domain_guard(math.asin),
    "acos": _domain_guard(math.acos),
    "atan": math.atan,
    "degrees": math.degrees,
    "radians": math.radians,
    "haversin": _haversin,
}

FUNCTIONS: tuple[FunctionDef, ...] = (
    FunctionDef("abs", 1, 1, abs_),
    FunctionDef("ceil", 1, 1, ceil),
    FunctionDef("floor", 1, 1, floor),
    FunctionDef("round", 1, 3, round_),
    FunctionDef("sign", 1, 1, sign),
    FunctionDef("atan2", 2, 2, atan2),
    FunctionDef("isNaN", 1, 1, is_nan),
    FunctionDef("e", 0, 0, e),
    FunctionDef("pi", 0, 0, pi),
    FunctionDef("rand", 0, 0, rand, deterministic=False),
    *(FunctionDef(name, 1, 1, unary_float_function(name, fn)) for name, fn in _UNARY.items()),
)
