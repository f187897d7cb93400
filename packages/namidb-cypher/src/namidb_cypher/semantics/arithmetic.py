"""Cypher arithmetic operators on single values: ``+ - * / % ^`` and unary minus.

Rules (the TCK's ``expressions/mathematical``, ``precedence`` and ``list`` features,
and Neo4j's behaviour where the TCK is silent):

- null on either side gives null — even for ``[1] + null``.
- INTEGER op INTEGER stays INTEGER and is exact: a result outside the signed 64-bit
  range raises ``ArithmeticError: IntegerOverflow`` (it never wraps and never turns
  into a float). ``/`` truncates toward zero (``-7 / 2 = -3``) and ``%`` takes the
  sign of the dividend (``-7 % 2 = -1``), as in Java. Integer ``/`` or ``%`` by zero
  raises ``ArithmeticError: DivisionByZero``.
- If either number is a FLOAT the result is a FLOAT with IEEE semantics: division by
  zero gives ``±Infinity`` or ``NaN``, ``%`` is ``fmod``.
- ``^`` always returns a FLOAT (``2 ^ 3 = 8.0``), as Java's ``Math.pow``: overflow
  gives ``±Infinity``, a negative base with a fractional exponent gives ``NaN``.
- ``+`` also concatenates: LIST + LIST concatenates, LIST + x appends and x + LIST
  prepends (list rules come first, so ``'a' + [1]`` is ``['a', 1]``); STRING + STRING
  concatenates, and STRING + a number, boolean or temporal value (either order)
  concatenates its string form (``'a' + 1.5 = 'a1.5'``).
- Temporal operands go through hooks on the value: ``__cypher_add__``,
  ``__cypher_sub__``, ``__cypher_mul__``, ``__cypher_div__`` (and, optionally,
  ``__cypher_neg__``). A hook returns ``NotImplemented`` for operands it does not
  support; ``+`` and ``*`` then try the right operand's hook with the operands
  swapped (``duration + date``, ``2 * duration``).
- Anything else raises ``TypeError: InvalidArgumentType``.
"""

from __future__ import annotations

import math
from typing import Any, Final

from namidb_cypher.errors import RUNTIME, CypherArithmeticError
from namidb_cypher.semantics.types import (
    INT64_MAX,
    INT64_MIN,
    check_int64,
    format_float,
    invalid_argument_type,
    is_bool,
    is_float,
    is_int,
    is_list,
    is_number,
    is_string,
    is_temporal,
    type_name,
)

__all__ = ["add", "div", "mod", "mul", "neg", "pos", "pow", "sub", "to_concat_string"]

_PY_INT: Final = int


def _both_ints(a: Any, b: Any) -> bool:
    return is_int(a) and is_int(b)


def _type_error(operator: str, a: Any, b: Any) -> Exception:
    return invalid_argument_type(
        f"cannot apply {operator} to {type_name(a)} and {type_name(b)}",
    )


def _temporal(hook: str, a: Any, b: Any, *, commutative: bool) -> Any:
    """Try ``a.<hook>(b)``, then ``b.<hook>(a)`` when the operator commutes; NotImplemented if neither."""
    if is_temporal(a):
        result = getattr(a, hook)(b) if hasattr(a, hook) else NotImplemented
        if result is not NotImplemented:
            return result
    if commutative and is_temporal(b) and hasattr(b, hook):
        return getattr(b, hook)(a)
    return NotImplemented


def to_concat_string(value: Any) -> str | None:
    """The text ``+`` appends for a non-string operand of a string concatenation, or None if it has none."""
    if is_string(value):
        return str(value)
    if is_bool(value):
        return "true" if value else "false"
    if is_int(value):
        return str(int(value))
    if is_float(value):
        return format_float(value)
    if is_temporal(value):
        return str(value)
    return None


def add(a: Any, b: Any) -> Any:
    """Cypher ``a + b`` (numbers, string and list concatenation, temporal arithmetic)."""
    if a is None or b is None:
        return None
    ta = type(a)
    if ta is type(b):
        if ta is _PY_INT:
            result = a + b
            return result if INT64_MIN <= result <= INT64_MAX else check_int64(result, "addition")
        if ta is float or ta is str or ta is list:
            return a + b
    if is_number(a) and is_number(b):
        if _both_ints(a, b):
            return check_int64(int(a) + int(b), "addition")
        return float(a) + float(b)
    if is_list(a):
        return [*a, *b] if is_list(b) else [*a, b]
    if is_list(b):
        return [a, *b]
    if is_string(a) or is_string(b):
        left, right = to_concat_string(a), to_concat_string(b)
        if left is None or right is None:
            raise _type_error("+", a, b)
        return left + right
    result = _temporal("__cypher_add__", a, b, commutative=True)
    if result is NotImplemented:
        raise _type_error("+", a, b)
    return result


def sub(a: Any, b: Any) -> Any:
    """Cypher ``a - b`` (numbers, temporal arithmetic)."""
    if a is None or b is None:
        return None
    if type(a) is _PY_INT and type(b) is _PY_INT:
        result = a - b
        return result if INT64_MIN <= result <= INT64_MAX else check_int64(result, "subtraction")
    if is_number(a) and is_number(b):
        if _both_ints(a, b):
            return check_int64(int(a) - int(b), "subtraction")
        return float(a) - float(b)
    result = _temporal("__cypher_sub__", a, b, commutative=False)
    if result is NotImplemented:
        raise _type_error("-", a, b)
    return result


def mul(a: Any, b: Any) -> Any:
    """Cypher ``a * b`` (numbers; duration times number either way round)."""
    if a is None or b is None:
        return None
    if is_number(a) and is_number(b):
        if _both_ints(a, b):
            return check_int64(int(a) * int(b), "multiplication")
        return float(a) * float(b)
    result = _temporal("__cypher_mul__", a, b, commutative=True)
    if result is NotImplemented:
        raise _type_error("*", a, b)
    return result


def _division_by_zero(operator: str) -> CypherArithmeticError:
    return CypherArithmeticError(f"integer {operator} by zero", code="DivisionByZero", phase=RUNTIME)


def div(a: Any, b: Any) -> Any:
    """Cypher ``a / b``: integer division truncates toward zero; float division follows IEEE 754."""
    if a is None or b is None:
        return None
    if is_number(a) and is_number(b):
        if _both_ints(a, b):
            x, y = int(a), int(b)
            if y == 0:
                raise _division_by_zero("division")
            quotient = abs(x) // abs(y)
            return check_int64(quotient if (x < 0) == (y < 0) else -quotient, "division")
        return _float_div(float(a), float(b))
    result = _temporal("__cypher_div__", a, b, commutative=False)
    if result is NotImplemented:
        raise _type_error("/", a, b)
    return result


def _float_div(x: float, y: float) -> float:
    if y != 0.0:
        return x / y
    if x == 0.0 or math.isnan(x):
        return math.nan
    # The sign of a zero divisor matters in IEEE 754: 1.0 / -0.0 is -Infinity.
    negative = (x < 0) != (math.copysign(1.0, y) < 0)
    return -math.inf if negative else math.inf


def mod(a: Any, b: Any) -> Any:
    """Cypher ``a % b``: the remainder takes the sign of the dividend (Java semantics)."""
    if a is None or b is None:
        return None
    if not (is_number(a) and is_number(b)):
        raise _type_error("%", a, b)
    if _both_ints(a, b):
        x, y = int(a), int(b)
        if y == 0:
            raise _division_by_zero("modulo")
        remainder = abs(x) % abs(y)
        return -remainder if x < 0 else remainder
    x_f, y_f = float(a), float(b)
    if y_f == 0.0 or math.isinf(x_f) or math.isnan(x_f) or math.isnan(y_f):
        return math.nan
    return math.fmod(x_f, y_f)


def pow(a: Any, b: Any) -> Any:
    """Cypher ``a ^ b``: always a FLOAT, with Java ``Math.pow`` edge cases."""
    if a is None or b is None:
        return None
    if not (is_number(a) and is_number(b)):
        raise _type_error("^", a, b)
    base, exponent = float(a), float(b)
    try:
        return math.pow(base, exponent)
    except OverflowError:
        negative = base < 0 and _is_odd_integer(exponent)
        return -math.inf if negative else math.inf
    except ValueError:
        if base == 0.0:  # zero to a negative power
            negative = math.copysign(1.0, base) < 0 and _is_odd_integer(exponent)
            return -math.inf if negative else math.inf
        return math.nan  # negative base, fractional exponent


def _is_odd_integer(value: float) -> bool:
    return value.is_integer() and int(value) % 2 == 1


def neg(a: Any) -> Any:
    """Cypher unary ``-a``."""
    if a is None:
        return None
    if is_int(a):
        return check_int64(-int(a), "negation")
    if is_float(a):
        return -float(a)
    if is_temporal(a):
        hook = getattr(a, "__cypher_neg__", None)
        if hook is not None:
            return hook()
        result = _temporal("__cypher_mul__", a, -1, commutative=False)
        if result is not NotImplemented:
            return result
    raise invalid_argument_type(f"cannot negate {type_name(a)}")


def pos(a: Any) -> Any:
    """Cypher unary ``+a``: the number itself (type-checked)."""
    if a is None or is_number(a) or is_temporal(a):
        return a
    raise invalid_argument_type(f"cannot apply unary + to {type_name(a)}")
