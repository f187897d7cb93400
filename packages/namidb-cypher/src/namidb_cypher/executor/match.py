"""Pattern matching over frames: scans, CSR expansion, variable-length paths.

:class:`Matcher` extends a frame with the variables of a pattern. Every step
works on whole columns: a node scan is one id array crossed with the input
rows (``repeat``/``tile``), one hop is one :meth:`GraphView.expand` over the
column of current nodes, and filters (labels, inline properties, relationship
uniqueness, a bound endpoint) are boolean masks. Variable-length hops expand
level by level, keeping per path the tuple of relationships it used, so a
path never repeats a relationship.

A MATCH keeps Cypher's relationship-isomorphism rule: within one MATCH, two
relationship variables never bind the same relationship.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from namidb_cypher import semantics as sem
from namidb_cypher.ast import nodes as ast
from namidb_cypher.errors import CypherArgumentError, CypherSemanticError, CypherTypeError
from namidb_cypher.executor.frame import Column, Frame, IntArray
from namidb_cypher.executor.vecexpr import Evaluator
from namidb_cypher.graph.base import Direction
from namidb_cypher.optimizer import optimize_match
from namidb_cypher.planner.match_plan import (
    BindNode,
    Expand,
    IndexSeek,
    MatchPlan,
    PathBind,
    ScanNodes,
    ShortestPath,
    Step,
    build_match_plan,
)

__all__ = ["ROW", "Matcher"]

#: Hidden column holding each row's position in the input of a MATCH (for OPTIONAL MATCH).
ROW = "__row"
_DIRECTIONS = {"out": Direction.OUT, "in": Direction.IN, "both": Direction.BOTH}
_REVERSED = {"out": "in", "in": "out", "both": "both"}


def _ids(frame: Frame, name: str, kind: str) -> IntArray:
    """The dense ids of an entity column; an all-null value column counts as all null."""
    col = frame.columns[name]
    if col.kind == kind:
        return np.asarray(col.data, dtype=np.int64)
    if col.kind == "value" and col.null_mask().all():
        return np.full(frame.n, -1, dtype=np.int64)
    raise CypherTypeError(
        f"variable {name!r} is not a {'node' if kind == 'node' else 'relationship'}",
        code="VariableTypeConflict",
        phase="runtime",
    )


def _anon(prefix: str, counter: list[int]) -> str:
    counter[0] += 1
    return f"__{prefix}{counter[0]}"


class Matcher:
    """Matches patterns for one statement."""

    def __init__(self, evaluator: Evaluator) -> None:
        self.ev = evaluator
        self.ctx = evaluator.ctx
        self._counter = [0]
        # Keyed by id()s; each entry holds the pattern and WHERE themselves so the ids cannot be reused.
        self._plans: dict[tuple[int, int, frozenset[str]], tuple[object, object, MatchPlan]] = {}

    # -- MATCH ---------------------------------------------------------------------------
    def plan(self, pattern: ast.Pattern, where: ast.Expression | None, bound: frozenset[str]) -> MatchPlan:
        """The optimized plan of a MATCH given the variables already bound (cached per statement)."""
        key = (id(pattern), id(where), bound)
        hit = self._plans.get(key)
        if hit is not None and hit[0] is pattern and hit[1] is where:
            return hit[2]
        graph = self.ctx.graph
        plan = optimize_match(
            build_match_plan(pattern, where, bound),
            graph.estimate_nodes,
            enabled=self.ctx.optimize,
            schema=self.ctx.schema,
        )
        self._plans[key] = (pattern, where, plan)
        return plan

    def match(
        self, frame: Frame, pattern: ast.Pattern, where: ast.Expression | None, optional: bool
    ) -> Frame:
        """``[OPTIONAL] MATCH pattern [WHERE where]`` applied to every row of ``frame``."""
        before = list(frame.columns)
        bound = frozenset(k for k in before if not k.startswith("__"))
        plan = self.plan(pattern, where, bound)
        cur = frame.with_column(ROW, Column("value", pa.array(np.arange(frame.n, dtype=np.int64))))
        rel_columns: list[str] = []
        for step in plan.steps:
            started = time.perf_counter()
            cur = self._run_step(cur, step, rel_columns)
            self.ctx.record(step, cur.n, time.perf_counter() - started)
        if optional:
            cur = self._null_extend(frame, cur, before)
        hidden = [k for k in cur.columns if k.startswith("__") and k not in before]
        keep = [k for k in cur.columns if k not in hidden]
        return cur.select(keep)

    def _run_step(self, frame: Frame, step: Step, rel_columns: list[str]) -> Frame:
        if isinstance(step, (ScanNodes, BindNode)):
            return self._bind_node(frame, step.node, step.var)
        if isinstance(step, IndexSeek):
            return self._seek(frame, step)
        if isinstance(step, Expand):
            frame = self._hop(
                frame,
                step.from_var,
                step.rel,
                step.rel_var,
                step.to_node,
                step.to_var,
                step.direction,
                rel_columns,
            )
            col = frame.columns[step.rel_var]
            if step.backwards and col.kind == "rels":
                # Walked right to left: keep the relationships in the pattern's left-to-right order.
                flipped = np.empty(len(col.data), dtype=object)
                flipped[:] = [None if v is None else tuple(reversed(v)) for v in col.data]
                frame = frame.with_column(step.rel_var, Column("rels", flipped))
            return frame
        if isinstance(step, PathBind):
            return frame.with_column(
                step.var, self._path_column(frame, list(step.node_vars), list(step.rel_vars))
            )
        if isinstance(step, ShortestPath):
            return self._shortest(frame, step.part, rel_columns)
        if frame.n == 0:
            return frame
        return frame.filter(self.ev.predicate(step.predicate, frame))

    def _null_extend(self, frame: Frame, matched: Frame, before: list[str]) -> Frame:
        rows = np.asarray(matched.columns[ROW].data.to_numpy(zero_copy_only=False), dtype=np.int64)
        missing = np.setdiff1d(np.arange(frame.n, dtype=np.int64), rows)
        if not len(missing):
            return matched
        # Build the null rows: input columns from the frame, new columns null.
        nulls = np.full(len(missing), -1, dtype=np.int64)
        cols: dict[str, Column] = {}
        for name, col in matched.columns.items():
            if name in before:
                cols[name] = frame.columns[name].take(missing)
            elif name == ROW:
                cols[name] = Column("value", pa.array(missing))
            else:
                cols[name] = col.take(nulls)
        extra = Frame(cols, len(missing))
        both = Frame.concat([matched, extra], list(matched.columns))
        order = np.argsort(
            np.asarray(both.columns[ROW].data.to_numpy(zero_copy_only=False), dtype=np.int64), kind="stable"
        )
        return both.take(order.astype(np.int64))

    def _path_column(self, frame: Frame, node_names: list[str], rel_names: list[str]) -> Column:
        n = frame.n
        node_cols = [frame.columns[x].data for x in node_names]
        paths = np.empty(n, dtype=object)
        for row in range(n):
            nodes: list[int] = [int(node_cols[0][row])]
            rels: list[int] = []
            for i, rname in enumerate(rel_names):
                col = frame.columns[rname]
                if col.kind == "rels":
                    hop_rels = tuple(col.data[row] or ())
                    # Walk the variable-length hop to list its intermediate nodes.
                    current = nodes[-1]
                    for r in hop_rels:
                        _, src, dst = self.ctx.graph.rel_info(np.array([r], dtype=np.int64))
                        current = int(dst[0]) if int(src[0]) == current else int(src[0])
                        rels.append(r)
                        nodes.append(current)
                else:
                    rels.append(int(col.data[row]))
                    nodes.append(int(node_cols[i + 1][row]))
            paths[row] = None if any(x < 0 for x in nodes) else (tuple(nodes), tuple(rels))
        return Column("path", paths)

    # -- nodes ---------------------------------------------------------------------------
    def _bind_node(self, frame: Frame, node: ast.NodePattern, name: str) -> Frame:
        if name in frame.columns:
            ids = _ids(frame, name, "node")
            frame = frame.filter(ids >= 0)
            if frame.columns[name].kind != "node":
                frame = frame.with_column(name, Column("node", np.zeros(0, dtype=np.int64)))
            return self._node_filters(frame, node, name)
        label = node.labels[0][0] if node.labels and len(node.labels[0]) == 1 else None
        ids = self._lookup_candidates(frame, node, label)
        n = frame.n
        rows = np.repeat(np.arange(n, dtype=np.int64), len(ids))
        out = frame.take(rows)
        out = out.with_column(name, Column("node", np.tile(ids, n)))
        return self._node_filters(out, node, name, scanned=label)

    def _seek(self, frame: Frame, step: IndexSeek) -> Frame:
        """Bind ``step.var`` through the graph's index: one lookup per input row, crossed with the row."""
        if frame.n == 0:
            return self._scan_fallback(frame, step)
        g = self.ctx.graph
        values = self.ctx.to_python(self.ev.column(step.value, frame))
        found: list[IntArray] = []
        for v in values:
            ids = g.find_nodes(step.label, step.key, v)
            if ids is None:
                # No index answer (the statement wrote already, or the value needs Cypher's full `=`).
                return self._scan_fallback(frame, step)
            found.append(ids)
        counts = np.fromiter((len(x) for x in found), dtype=np.int64, count=len(found))
        rows = np.repeat(np.arange(frame.n, dtype=np.int64), counts)
        ids = np.concatenate(found).astype(np.int64, copy=False)
        out = frame.take(rows).with_column(step.var, Column("node", ids))
        out = self._node_filters(out, step.node, step.var)
        if step.predicate is not None and out.n:
            # Cheap on the few rows a seek yields, and keeps the seek exactly the filter it replaced.
            out = out.filter(self.ev.predicate(step.predicate, out))
        return out

    def _scan_fallback(self, frame: Frame, step: IndexSeek) -> Frame:
        """What the seek replaced: the label scan, then the WHERE conjunct it absorbed."""
        out = self._bind_node(frame, step.node, step.var)
        if step.predicate is not None and out.n:
            out = out.filter(self.ev.predicate(step.predicate, out))
        return out

    def _lookup_candidates(self, frame: Frame, node: ast.NodePattern, label: str | None) -> IntArray:
        return self.ctx.graph.scan_nodes(label)

    def _node_filters(
        self, frame: Frame, node: ast.NodePattern, name: str, scanned: str | None = None
    ) -> Frame:
        """Keep rows whose node has the pattern's labels and inline properties.

        Label tests are set membership against each label's (cached, sorted) id
        array, one ``np.isin`` per label; the label a scan came from is not
        tested again.
        """
        if frame.n == 0:
            return frame
        groups = [g for g in node.labels if not (scanned is not None and g == (scanned,))]
        if groups:
            ids = frame.columns[name].data
            mask = np.ones(len(ids), dtype=bool)
            for group in groups:
                hit = np.zeros(len(ids), dtype=bool)
                for label in group:
                    hit |= self.ctx.graph.has_label(ids, label)
                mask &= hit
            frame = frame.filter(mask)
        if node.properties is not None and frame.n:
            frame = self._property_filter(frame, name, node.properties, "node")
        return frame

    def _property_filter(self, frame: Frame, name: str, props: ast.Expression, kind: str) -> Frame:
        g = self.ctx.graph
        if isinstance(props, ast.MapLiteral):
            for key, value_expr in props.items:
                if frame.n == 0:
                    break
                ids = frame.columns[name].data
                have = g.node_property(ids, key) if kind == "node" else g.rel_property(ids, key)
                want = self.ev.column(value_expr, frame)
                frame = frame.filter(_equal_mask(have, want.data))
            return frame
        # A parameter (or other map expression): compare key by key per row.
        maps = self.ev.column(props, frame).to_list()
        keep = np.zeros(frame.n, dtype=bool)
        ids = frame.columns[name].data
        for row, m in enumerate(maps):
            if m is None:
                continue
            if not isinstance(m, dict):
                raise CypherTypeError(
                    "property map must be a MAP", code="InvalidArgumentType", phase="runtime"
                )
            have = g.node_properties(int(ids[row])) if kind == "node" else g.rel_properties(int(ids[row]))
            keep[row] = all(sem.equals(have.get(k), v) is True for k, v in m.items())
        return frame.filter(keep)

    # -- relationships ---------------------------------------------------------------------
    def _hop(
        self,
        frame: Frame,
        from_name: str,
        rel: ast.RelationshipPattern,
        rel_name: str,
        to_node: ast.NodePattern,
        to_name: str,
        direction: str,
        rel_columns: list[str],
    ) -> Frame:
        if rel.length is not None:
            return self._var_hop(frame, from_name, rel, rel_name, to_node, to_name, direction, rel_columns)
        g = self.ctx.graph
        frame = frame.filter(_ids(frame, from_name, "node") >= 0)
        src = _ids(frame, from_name, "node")
        types = rel.types or None
        row, rels, other = g.expand(src, types, _DIRECTIONS[direction])
        out = frame.take(row)
        if rel_name in frame.columns:  # a relationship bound by an earlier clause
            keep = _ids(out, rel_name, "rel") == rels
            out, rels, other = out.filter(keep), rels[keep], other[keep]
        else:
            out = out.with_column(rel_name, Column("rel", rels))
        for earlier in rel_columns:  # relationship isomorphism within one MATCH
            if out.n == 0:
                break
            col = out.columns[earlier]
            if col.kind == "rel":
                keep = col.data != out.columns[rel_name].data
            else:
                current = out.columns[rel_name].data
                keep = np.fromiter(
                    (int(current[i]) not in (v or ()) for i, v in enumerate(col.data)),
                    dtype=bool,
                    count=out.n,
                )
            out, other = out.filter(keep), other[keep]
        rel_columns.append(rel_name)
        if rel.properties is not None and out.n:
            before = out.n
            marker = np.arange(before, dtype=np.int64)
            out = out.with_column("__hop", Column("value", pa.array(marker)))
            out = self._property_filter(out, rel_name, rel.properties, "rel")
            kept = np.asarray(out.columns["__hop"].data.to_numpy(zero_copy_only=False), dtype=np.int64)
            other = other[kept]
            out = out.select([k for k in out.columns if k != "__hop"])
        return self._bind_target(out, other, to_node, to_name)

    def _bind_target(self, out: Frame, other: IntArray, to_node: ast.NodePattern, to_name: str) -> Frame:
        if to_name in out.columns:
            out = out.filter(_ids(out, to_name, "node") == other)
        else:
            out = out.with_column(to_name, Column("node", other))
        return self._node_filters(out, to_node, to_name)

    def _length_bounds(self, rel: ast.RelationshipPattern) -> tuple[int, int | None]:
        assert rel.length is not None

        def bound(e: ast.Expression | None) -> int | None:
            if e is None:
                return None
            value = self.ev.rows.compile(e)({})
            if not sem.is_int(value) or value < 0:
                raise CypherArgumentError(
                    f"variable-length bound must be a non-negative INTEGER, got {value!r}",
                    code="InvalidArgumentType",
                    phase="runtime",
                )
            return int(value)

        lo = bound(rel.length.min)
        hi = bound(rel.length.max)
        return (1 if lo is None else lo), hi

    def _var_hop(
        self,
        frame: Frame,
        from_name: str,
        rel: ast.RelationshipPattern,
        rel_name: str,
        to_node: ast.NodePattern,
        to_name: str,
        direction: str,
        rel_columns: list[str],
    ) -> Frame:
        g = self.ctx.graph
        lo, hi = self._length_bounds(rel)
        frame = frame.filter(_ids(frame, from_name, "node") >= 0)
        src = _ids(frame, from_name, "node")
        types = rel.types or None
        dirn = _DIRECTIONS[direction]
        limit = hi if hi is not None else max(g.rel_capacity, 1)
        # Frontier: parallel arrays of (input row, current node, rels used so far).
        rows = np.arange(frame.n, dtype=np.int64)
        nodes = src.copy()
        paths: list[tuple[int, ...]] = [() for _ in range(frame.n)]
        out_rows: list[IntArray] = []
        out_nodes: list[IntArray] = []
        out_paths: list[tuple[int, ...]] = []
        if lo == 0:
            out_rows.append(rows)
            out_nodes.append(nodes)
            out_paths.extend(paths)
        depth = 0
        while len(rows) and depth < limit:
            depth += 1
            r, e, o = g.expand(nodes, types, dirn)
            new_paths = [paths[i] + (int(x),) for i, x in zip(r.tolist(), e.tolist(), strict=True)]
            keep = np.fromiter((p[-1] not in p[:-1] for p in new_paths), dtype=bool, count=len(new_paths))
            if rel.properties is not None and len(e):
                keep &= self._rel_props_ok(e, rel.properties)
            idx = np.flatnonzero(keep)
            rows, nodes = rows[r[idx]], o[idx]
            paths = [new_paths[i] for i in idx.tolist()]
            if depth >= lo:
                out_rows.append(rows)
                out_nodes.append(nodes)
                out_paths.extend(paths)
        all_rows = np.concatenate(out_rows) if out_rows else np.empty(0, dtype=np.int64)
        all_nodes = np.concatenate(out_nodes) if out_nodes else np.empty(0, dtype=np.int64)
        order = np.argsort(all_rows, kind="stable")
        all_rows, all_nodes = all_rows[order], all_nodes[order]
        rel_lists = np.empty(len(order), dtype=object)
        for j, i in enumerate(order.tolist()):
            rel_lists[j] = out_paths[i]
        out = frame.take(all_rows)
        if rel_name in out.columns:
            bound = out.columns[rel_name].to_list()
            keep = np.fromiter(
                (_same_rel_list(self.ctx, b, p) for b, p in zip(bound, rel_lists, strict=True)),
                dtype=bool,
                count=out.n,
            )
            out, all_nodes = out.filter(keep), all_nodes[keep]
        else:
            out = out.with_column(rel_name, Column("rels", rel_lists))
        for earlier in rel_columns:
            if out.n == 0:
                break
            col, mine = out.columns[earlier], out.columns[rel_name].data
            if col.kind == "rel":
                keep = np.fromiter(
                    (int(col.data[i]) not in (mine[i] or ()) for i in range(out.n)), dtype=bool, count=out.n
                )
            else:
                keep = np.fromiter(
                    (not set(col.data[i] or ()) & set(mine[i] or ()) for i in range(out.n)),
                    dtype=bool,
                    count=out.n,
                )
            out, all_nodes = out.filter(keep), all_nodes[keep]
        rel_columns.append(rel_name)
        return self._bind_target(out, all_nodes, to_node, to_name)

    def _rel_props_ok(self, rels: IntArray, props: ast.Expression) -> npt.NDArray[np.bool_]:
        wanted = self.ev.rows.compile(props)({})
        if not isinstance(wanted, dict):
            raise CypherTypeError("property map must be a MAP", code="InvalidArgumentType", phase="runtime")
        ok = np.ones(len(rels), dtype=bool)
        g = self.ctx.graph
        for key, value in wanted.items():
            have = g.rel_property(rels, key)
            ok &= _equal_mask(have, _broadcast(value, len(rels)))
        return ok

    # -- shortest paths ----------------------------------------------------------------------
    def _shortest(self, frame: Frame, part: ast.PatternPart, rel_columns: list[str]) -> Frame:
        element = part.element
        if len(element.relationships) != 1:
            raise CypherSemanticError(
                "shortestPath needs a pattern with exactly one relationship",
                code="InvalidArgumentPassingMode",
            )
        a, b = element.nodes
        rel = element.relationships[0]
        names = [x.variable.name if x.variable is not None else _anon("n", self._counter) for x in (a, b)]
        for node, name in zip((a, b), names, strict=True):
            frame = self._bind_node(frame, node, name)
        lo, hi = self._length_bounds(rel) if rel.length is not None else (1, 1)
        g = self.ctx.graph
        types = rel.types or None
        dirn = _DIRECTIONS[rel.direction]
        all_paths = element.shortest == "all_shortest"
        rows: list[int] = []
        found_paths: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        starts, ends = frame.columns[names[0]].data, frame.columns[names[1]].data
        for row in range(frame.n):
            for p in _bfs(g, int(starts[row]), int(ends[row]), types, dirn, lo, hi, all_paths):
                rows.append(row)
                found_paths.append(p)
        out = frame.take(np.asarray(rows, dtype=np.int64))
        rel_name = rel.variable.name if rel.variable is not None else _anon("r", self._counter)
        rel_lists = np.empty(len(rows), dtype=object)
        paths = np.empty(len(rows), dtype=object)
        for i, p in enumerate(found_paths):
            rel_lists[i] = p[1]
            paths[i] = p
        out = out.with_column(rel_name, Column("rels", rel_lists))
        rel_columns.append(rel_name)
        if part.variable is not None:
            out = out.with_column(part.variable.name, Column("path", paths))
        return out


def _bfs(
    g: Any,
    start: int,
    end: int,
    types: Sequence[str] | None,
    dirn: Direction,
    lo: int,
    hi: int | None,
    all_paths: bool,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Shortest paths from ``start`` to ``end`` by breadth-first search (one or all of them)."""
    if start == end and lo == 0:
        return [((start,), ())]
    frontier: list[tuple[tuple[int, ...], tuple[int, ...]]] = [((start,), ())]
    seen = {start}
    depth = 0
    limit = hi if hi is not None else g.node_capacity + 1
    while frontier and depth < limit:
        depth += 1
        nodes = np.fromiter((p[0][-1] for p in frontier), dtype=np.int64, count=len(frontier))
        r, e, o = g.expand(nodes, types, dirn)
        nxt: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        reached: set[int] = set()
        for i, rel_id, other in zip(r.tolist(), e.tolist(), o.tolist(), strict=True):
            ns, rs = frontier[i]
            if rel_id in rs or (other in seen and other != end):
                continue
            nxt.append(((*ns, other), (*rs, rel_id)))
            reached.add(other)
        hits = [p for p in nxt if p[0][-1] == end and depth >= lo]
        if hits:
            return hits if all_paths else hits[:1]
        seen |= reached
        frontier = [p for p in nxt if p[0][-1] != end]
    return []


def _broadcast(value: Any, n: int) -> Any:
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = value
    return out


def _equal_mask(have: Any, want: Any) -> npt.NDArray[np.bool_]:
    """Rows where the property equals the wanted value (Cypher ``=``, null never matches)."""
    if isinstance(have, pa.Array) and isinstance(want, pa.Array):
        ht, wt = have.type, want.type
        if (
            (pa.types.is_integer(ht) and pa.types.is_integer(wt))
            or (pa.types.is_string(ht) and pa.types.is_string(wt))
            or (pa.types.is_boolean(ht) and pa.types.is_boolean(wt))
        ):
            import pyarrow.compute as pc

            return np.asarray(
                pc.equal(have, want).fill_null(False).to_numpy(zero_copy_only=False), dtype=bool
            )
    hv = have.to_pylist() if isinstance(have, pa.Array) else list(have)
    wv = want.to_pylist() if isinstance(want, pa.Array) else list(want)
    return np.fromiter(
        (sem.equals(a, b) is True for a, b in zip(hv, wv, strict=True)), dtype=bool, count=len(hv)
    )


def _same_rel_list(ctx: Any, bound: Any, path: tuple[int, ...]) -> bool:
    if bound is None:
        return False
    ids = tuple(r.id if hasattr(r, "id") else int(r) for r in bound)
    return ids == tuple(path)
