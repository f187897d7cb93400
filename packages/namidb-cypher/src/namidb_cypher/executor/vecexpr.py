"""Vectorized expression evaluation: an expression over a whole frame at once.

:class:`Evaluator` computes an expression for every row of a
:class:`~namidb_cypher.executor.frame.Frame` and returns a column. The common
shapes run as columnar kernels — variables, literals and parameters are
columns already; ``n.prop`` is one gather from the graph; comparisons,
arithmetic, ``AND``/``OR``/``NOT`` and ``IS NULL`` over typed arrays are
``pyarrow.compute`` calls (checked arithmetic, so int64 overflow raises, and
Kleene logic for nulls). Anything else — or typed kernels meeting values they
do not cover — falls back to the per-row closures of
:mod:`~namidb_cypher.executor.rowexpr`, compiled once and cached per
expression, fed only the variables the expression uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from namidb_cypher.ast import nodes as ast
from namidb_cypher.errors import CypherArithmeticError, CypherTypeError, ParameterMissingError
from namidb_cypher.executor.context import ExecContext
from namidb_cypher.executor.frame import Column, Frame, constant
from namidb_cypher.executor.rowexpr import Env, RowCompiler, RowFn

__all__ = ["Evaluator", "free_variables", "truth_mask"]

_NUMERIC = (pa.types.is_integer, pa.types.is_floating)
_PC_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": pc.equal,
    "<>": pc.not_equal,
    "<": pc.less,
    "<=": pc.less_equal,
    ">": pc.greater,
    ">=": pc.greater_equal,
}
_PC_STRING: dict[str, Callable[..., Any]] = {
    "STARTS WITH": pc.starts_with,
    "ENDS WITH": pc.ends_with,
    "CONTAINS": pc.match_substring,
}
_PC_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": pc.add_checked,
    "-": pc.subtract_checked,
    "*": pc.multiply_checked,
}


def free_variables(e: ast.Node) -> set[str]:
    """Every variable name the expression mentions (a superset of what it reads from outside)."""
    names: set[str] = set()
    stack: list[object] = [e]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Variable):
            names.add(item.name)
        elif isinstance(item, ast.Node):
            stack.extend(getattr(item, f) for f in item.__dataclass_fields__ if f != "span")
        elif isinstance(item, tuple):
            stack.extend(item)
    return names


def _is_numeric(t: pa.DataType) -> bool:
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t))


def _comparable(a: pa.Array, b: pa.Array) -> bool:
    ta, tb = a.type, b.type
    if pa.types.is_null(ta) or pa.types.is_null(tb):
        return True
    if _is_numeric(ta) and _is_numeric(tb):
        return True
    if pa.types.is_string(ta) and pa.types.is_string(tb):
        return True
    return bool(pa.types.is_boolean(ta) and pa.types.is_boolean(tb))


def truth_mask(column: Column) -> npt.NDArray[np.bool_]:
    """Rows where a predicate column is exactly true (null and false drop the row)."""
    data = column.data
    if isinstance(data, pa.Array):
        if pa.types.is_boolean(data.type):
            return np.asarray(data.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        if pa.types.is_null(data.type):
            return np.zeros(len(data), dtype=bool)
        values = data.to_pylist()
    else:
        values = list(data)
    out = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if v is True:
            out[i] = True
        elif v is not None and v is not False:
            raise CypherTypeError(
                f"expected a BOOLEAN predicate, got {type(v).__name__}",
                code="InvalidArgumentType",
                phase="runtime",
            )
    return out


class Evaluator:
    """Evaluates expressions over frames for one statement (see the module docstring)."""

    def __init__(self, ctx: ExecContext, rows: RowCompiler) -> None:
        self.ctx = ctx
        self.rows = rows
        # Keyed by id(); the entry holds the expression itself, so the id cannot be reused meanwhile.
        self._compiled: dict[int, tuple[ast.Expression, RowFn, tuple[str, ...]]] = {}

    # -- the fallback -----------------------------------------------------------------
    def row_fn(self, e: ast.Expression) -> tuple[RowFn, tuple[str, ...]]:
        """The per-row closure of ``e`` and the variables it reads (cached per expression)."""
        hit = self._compiled.get(id(e))
        if hit is None or hit[0] is not e:
            hit = (e, self.rows.compile(e), tuple(sorted(free_variables(e))))
            self._compiled[id(e)] = hit
        return hit[1], hit[2]

    def envs(self, frame: Frame, names: tuple[str, ...]) -> list[Env]:
        """One environment per row holding the named variables as Python values."""
        present = [n for n in names if n in frame.columns]
        columns = [self.ctx.to_python(frame.columns[n]) for n in present]
        return (
            [dict(zip(present, row, strict=True)) for row in zip(*columns, strict=True)]
            if present
            else [{} for _ in range(frame.n)]
        )

    def per_row(self, e: ast.Expression, frame: Frame, extra: tuple[str, ...] = ()) -> list[Any]:
        """``e`` evaluated row by row with its compiled closure (``extra``: hidden columns it reads)."""
        fn, names = self.row_fn(e)
        return [fn(env) for env in self.envs(frame, names + extra)]

    # -- vectorized ---------------------------------------------------------------------
    def column(self, e: ast.Expression, frame: Frame) -> Column:
        """``e`` evaluated for every row of ``frame``."""
        fast = self._vector(e, frame)
        if fast is not None:
            return fast
        return self.ctx.from_python(self.per_row(e, frame))

    def predicate(self, e: ast.Expression, frame: Frame) -> npt.NDArray[np.bool_]:
        """The rows of ``frame`` where predicate ``e`` is true."""
        if frame.n == 0:
            return np.zeros(0, dtype=bool)
        return truth_mask(self.column(e, frame))

    def _typed(self, e: ast.Expression, frame: Frame) -> pa.Array | None:
        col = self._vector(e, frame)
        if col is None or col.kind != "value" or not isinstance(col.data, pa.Array):
            return None
        return col.data

    def _vector(self, e: ast.Expression, frame: Frame) -> Column | None:
        n = frame.n
        if isinstance(e, ast.Variable):
            return frame.columns.get(e.name)
        if isinstance(e, ast.Literal_):
            return constant(e.value, n)
        if isinstance(e, ast.Parameter):
            if e.name not in self.ctx.params:
                raise ParameterMissingError(f"expected a parameter named ${e.name}", code="MissingParameter")
            return constant(self.ctx.params[e.name], n)
        if isinstance(e, ast.Property) and isinstance(e.subject, ast.Variable):
            subject = frame.columns.get(e.subject.name)
            if subject is None or subject.kind not in ("node", "rel"):
                return None
            g = self.ctx.graph
            ids = subject.data
            if g.dirty:
                deleted = g.node_deleted if subject.kind == "node" else g.rel_deleted
                for i in ids.tolist():
                    if i >= 0 and deleted(i):
                        (self.ctx.check_live_node if subject.kind == "node" else self.ctx.check_live_rel)(i)
            data = g.node_property(ids, e.key) if subject.kind == "node" else g.rel_property(ids, e.key)
            return Column("value", data)
        if isinstance(e, ast.IsNull):
            inner = self._vector(e.operand, frame)
            if inner is None:
                return None
            mask = inner.null_mask()
            return Column("value", pa.array(~mask if e.negated else mask, type=pa.bool_()))
        if isinstance(e, ast.Comparison) and len(e.ops) == 1:
            a = self._typed(e.operands[0], frame)
            b = self._typed(e.operands[1], frame)
            if a is None or b is None or not _comparable(a, b):
                return None
            if pa.types.is_floating(a.type) or pa.types.is_floating(b.type):
                return None  # NaN rules differ from IEEE in pyarrow's kernels; keep them exact
            if pa.types.is_null(a.type) or pa.types.is_null(b.type):
                return Column("value", pa.nulls(n, pa.bool_()))
            return Column("value", _PC_COMPARE[e.ops[0]](a, b))
        if isinstance(e, ast.Binary) and e.op in ("AND", "OR", "XOR"):
            a = self._typed(e.left, frame)
            b = self._typed(e.right, frame)
            if a is None or b is None:
                return None
            if not all(pa.types.is_boolean(x.type) or pa.types.is_null(x.type) for x in (a, b)):
                return None
            a, b = a.cast(pa.bool_()), b.cast(pa.bool_())
            fn = {"AND": pc.and_kleene, "OR": pc.or_kleene, "XOR": pc.xor}[e.op]
            return Column("value", fn(a, b))
        if isinstance(e, ast.Unary) and e.op == "NOT":
            a = self._typed(e.operand, frame)
            if a is None or not (pa.types.is_boolean(a.type) or pa.types.is_null(a.type)):
                return None
            return Column("value", pc.invert(a.cast(pa.bool_())))
        if isinstance(e, ast.Binary) and e.op in _PC_STRING:
            # `s STARTS WITH 'x'` over a string column against one pattern: one kernel call.
            a = self._typed(e.left, frame)
            if a is None or not (pa.types.is_string(a.type) or pa.types.is_large_string(a.type)):
                return None
            if isinstance(e.right, ast.Literal_):
                pattern = e.right.value
            elif isinstance(e.right, ast.Parameter) and e.right.name in self.ctx.params:
                pattern = self.ctx.params[e.right.name]
            else:
                return None
            if pattern is None:
                return Column("value", pa.nulls(n, pa.bool_()))
            if not isinstance(pattern, str):
                return None  # non-string operand: null per row, the fallback says so
            return Column("value", _PC_STRING[e.op](a, pattern=pattern))
        if isinstance(e, ast.Binary) and e.op in _PC_ARITH:
            a = self._typed(e.left, frame)
            b = self._typed(e.right, frame)
            if a is None or b is None or not (pa.types.is_integer(a.type) and pa.types.is_integer(b.type)):
                return None
            try:
                return Column("value", _PC_ARITH[e.op](a, b))
            except pa.ArrowInvalid as err:
                raise CypherArithmeticError(
                    f"integer overflow in {e.op}", code="IntegerOverflow", phase="runtime"
                ) from err
        return None
