"""Write clauses: CREATE, MERGE, SET, REMOVE, DELETE.

Writes go to the statement's :class:`~namidb_cypher.graph.txgraph.TxGraph`
overlay, row by row in input order (a later row must see what an earlier row
created — MERGE depends on it), and are committed as one batch when the
statement ends. Values are evaluated per row with the compiled closures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from namidb_cypher import semantics as sem
from namidb_cypher.ast import nodes as ast
from namidb_cypher.errors import CypherSemanticError, CypherTypeError
from namidb_cypher.executor.frame import Column, Frame
from namidb_cypher.executor.match import Matcher
from namidb_cypher.executor.rowexpr import Env
from namidb_cypher.executor.vecexpr import Evaluator, free_variables
from namidb_cypher.values import Node, Path, Relationship

__all__ = ["Writer"]

_STORABLE = (bool, int, float, str)


def _check_property_value(key: str, value: Any) -> None:
    """Properties hold scalars, temporal values, or homogeneous lists of them (never maps or entities)."""
    if value is None or isinstance(value, _STORABLE) or sem.is_temporal(value):
        return
    if isinstance(value, list):
        kinds = {sem.type_name(v) for v in value if v is not None}
        if (
            all(isinstance(v, _STORABLE) or sem.is_temporal(v) for v in value if v is not None)
            and len(kinds) <= 1
        ):
            if any(v is None for v in value):
                raise CypherTypeError(
                    f"property {key!r} cannot hold a list containing null",
                    code="InvalidPropertyType",
                    phase="runtime",
                )
            return
        if len(kinds) == 2 and kinds <= {"INTEGER", "FLOAT"}:
            return
    raise CypherTypeError(
        f"property {key!r} cannot hold a {sem.type_name(value)}", code="InvalidPropertyType", phase="runtime"
    )


class Writer:
    """Runs write clauses for one statement."""

    def __init__(self, evaluator: Evaluator, matcher: Matcher) -> None:
        self.ev = evaluator
        self.ctx = evaluator.ctx
        self.matcher = matcher

    def _fn(self, e: ast.Expression) -> Any:
        """The compiled closure of ``e`` (compiled once per statement, not per row)."""
        return self.ev.row_fn(e)[0]

    def _props(self, e: ast.Expression | None, env: Env) -> dict[str, Any]:
        if e is None:
            return {}
        value = self._fn(e)(env)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise CypherTypeError("properties must be a MAP", code="InvalidArgumentType", phase="runtime")
        for k, v in value.items():
            _check_property_value(k, v)
        return {k: v for k, v in value.items() if v is not None}

    def _rows(self, frame: Frame) -> list[Env]:
        return self.ev.envs(frame, tuple(frame.columns))

    # -- CREATE ------------------------------------------------------------------------------
    def create(self, frame: Frame, pattern: ast.Pattern, *, merging: bool = False) -> Frame:
        """``CREATE pattern`` once per input row (``merging``: MERGE creating what it did not find)."""
        envs = self._rows(frame)
        new_cols: dict[str, list[Any]] = {}
        for env in envs:
            created = self._create_pattern(pattern.parts, env, merging)
            for name, value in created.items():
                new_cols.setdefault(name, []).append(value)
        self.ctx.wrote()
        out = frame
        for name, values in new_cols.items():
            if name.startswith("__"):
                continue
            out = out.with_column(name, self._entity_column(values))
        return out

    def _entity_column(self, values: list[Any]) -> Column:
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return Column("node", np.asarray(values, dtype=np.int64))
        if all(isinstance(v, tuple) and len(v) == 1 for v in values):
            return Column("rel", np.asarray([v[0] for v in values], dtype=np.int64))
        paths = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            paths[i] = v
        return Column("path", paths)

    def _create_pattern(self, parts: Sequence[ast.PatternPart], env: Env, merging: bool) -> dict[str, Any]:
        g = self.ctx.graph
        created: dict[str, Any] = {}
        for part in parts:
            node_ids: list[int] = []
            rel_ids: list[int] = []
            for node in part.element.nodes:
                name = node.variable.name if node.variable is not None else None
                if name is not None and (name in env or name in created):
                    bound = env.get(name) if name in env else None
                    if name in created:
                        node_ids.append(created[name])
                        continue
                    if not isinstance(bound, Node):
                        raise CypherSemanticError(
                            f"variable {name!r} is not a node", code="VariableTypeConflict", phase="runtime"
                        )
                    if node.labels or node.properties is not None:
                        raise CypherSemanticError(
                            f"variable {name!r} is already bound", code="VariableAlreadyBound"
                        )
                    node_ids.append(bound.id)
                    continue
                labels = [label for group in node.labels for label in group]
                node_id = g.create_node(
                    labels, self._props(node.properties, env | _as_env(created, self.ctx))
                )
                node_ids.append(node_id)
                if name is not None:
                    created[name] = node_id
            for i, rel in enumerate(part.element.relationships):
                if len(rel.types) != 1:
                    raise CypherSemanticError(
                        "CREATE needs exactly one relationship type", code="NoSingleRelationshipType"
                    )
                a, b = node_ids[i], node_ids[i + 1]
                if rel.direction == "in":
                    a, b = b, a
                elif rel.direction == "both" and not merging:  # MERGE creates an undirected one left to right
                    raise CypherSemanticError(
                        "CREATE needs a directed relationship", code="RequiresDirectedRelationship"
                    )
                props = self._props(rel.properties, env | _as_env(created, self.ctx))
                rel_id = g.create_rel(rel.types[0], a, b, props)
                rel_ids.append(rel_id)
                if rel.variable is not None:
                    created[rel.variable.name] = (rel_id,)
            if part.variable is not None:
                created[part.variable.name] = (tuple(node_ids), tuple(rel_ids))
        return created

    # -- MERGE ---------------------------------------------------------------------------------
    def merge(self, frame: Frame, clause: ast.Merge) -> Frame:
        """``MERGE part`` per row: match it, or create it whole; then ON MATCH / ON CREATE."""
        plan = _indexable_merge(clause, frame)
        if plan is not None:
            return self._merge_node_indexed(frame, clause, *plan)
        pattern = ast.Pattern((clause.part,))
        pieces: list[Frame] = []
        for row in range(frame.n):
            one = frame.take(np.array([row], dtype=np.int64))
            self._check_merge_nulls(clause.part, one)
            found = self.matcher.match(one, pattern, None, optional=False)
            if found.n:
                if clause.on_match:
                    found = self.set(found, clause.on_match)
                pieces.append(found)
                continue
            created = self.create(one, pattern, merging=True)
            if clause.on_create:
                created = self.set(created, clause.on_create)
            pieces.append(created)
        if not pieces:
            return frame
        names = list(pieces[0].columns)
        for p in pieces[1:]:
            for k in p.columns:
                if k not in names:
                    names.append(k)
        return Frame.concat([p.select(names) for p in pieces], names)

    def _merge_node_indexed(
        self,
        frame: Frame,
        clause: ast.Merge,
        name: str,
        labels: list[str],
        keys: list[tuple[str, ast.Expression]],
    ) -> Frame:
        """MERGE of one node by label(s) and property equality, through a hash index built once.

        Matching row by row with a scan each would be quadratic; instead the
        candidates' key properties are gathered once into a dict, and nodes the
        clause creates are added to it, so a later row finds what an earlier row
        made — the same result as the row-by-row definition, in linear time.
        """
        g = self.ctx.graph
        ids = g.scan_nodes(labels[0])
        if len(labels) > 1 and len(ids):
            have = g.node_labels(ids)
            ids = ids[np.fromiter((all(x in h for x in labels) for h in have), dtype=bool, count=len(ids))]
        columns = [self.ctx.to_python(Column("value", g.node_property(ids, k))) for k, _ in keys]
        index: dict[tuple[Any, ...], list[int]] = {}
        for pos, node_id in enumerate(ids.tolist()):
            values = [col[pos] for col in columns]
            if any(v is None or v != v for v in values):  # null (and NaN) never equal anything
                continue
            index.setdefault(tuple(sem.group_key(v) for v in values), []).append(node_id)
        fns = [self._fn(e) for _, e in keys]
        names = tuple(sorted(set().union(*(free_variables(e) for _, e in keys)))) if keys else ()
        rows: list[int] = []
        found: list[int] = []
        created_rows: list[int] = []
        for row, env in enumerate(self.ev.envs(frame, names)):
            values = [fn(env) for fn in fns]
            for (key, _), v in zip(keys, values, strict=True):
                if v is None:
                    raise CypherSemanticError(
                        f"cannot MERGE with a null value for property {key!r}",
                        code="MergeReadOwnWrites",
                        phase="runtime",
                    )
                _check_property_value(key, v)
            gk = tuple(sem.group_key(v) for v in values)
            hits = index.get(gk)
            if hits:
                rows.extend([row] * len(hits))
                found.extend(hits)
                continue
            node_id = g.create_node(labels, dict(zip((k for k, _ in keys), values, strict=True)))
            index[gk] = [node_id]
            created_rows.append(len(found))
            rows.append(row)
            found.append(node_id)
        self.ctx.wrote()
        out = frame.take(np.asarray(rows, dtype=np.int64)).with_column(
            name, Column("node", np.asarray(found, dtype=np.int64))
        )
        created = np.zeros(out.n, dtype=bool)
        created[created_rows] = True
        if clause.on_create and created.any():
            self.set(out.filter(created), clause.on_create)
        if clause.on_match and (~created).any():
            self.set(out.filter(~created), clause.on_match)
        return out

    def _check_merge_nulls(self, part: ast.PatternPart, frame: Frame) -> None:
        env = self._rows(frame)[0]
        maps = [p.properties for p in part.element.nodes] + [r.properties for r in part.element.relationships]
        for props in maps:
            if isinstance(props, ast.MapLiteral):
                for key, value_expr in props.items:
                    if self._fn(value_expr)(env) is None:
                        raise CypherSemanticError(
                            f"cannot MERGE with a null value for property {key!r}",
                            code="MergeReadOwnWrites",
                            phase="runtime",
                        )

    # -- SET / REMOVE ---------------------------------------------------------------------------
    def set(self, frame: Frame, items: Sequence[ast.SetItem]) -> Frame:
        """``SET items`` per row."""
        g = self.ctx.graph
        for env in self._rows(frame):
            for item in items:
                if isinstance(item, ast.SetProperty):
                    target = self._fn(item.target.subject)(env)
                    value = self._fn(item.value)(env)
                    self._set_one(target, item.target.key, value)
                elif isinstance(item, ast.SetVariable):
                    target = env.get(item.variable.name)
                    value = self._fn(item.value)(env)
                    self._set_map(target, value, merge=item.merge)
                elif isinstance(item, ast.SetLabels):
                    target = env.get(item.variable.name)
                    if target is None:
                        continue
                    if not isinstance(target, Node):
                        raise CypherTypeError(
                            "labels can only be set on nodes", code="InvalidArgumentType", phase="runtime"
                        )
                    g.add_labels(target.id, item.labels)
            self.ctx.wrote()
        return frame

    def _set_one(self, target: Any, key: str, value: Any) -> None:
        if target is None:
            return
        _check_property_value(key, value)
        g = self.ctx.graph
        if isinstance(target, Node):
            self.ctx.check_live_node(target.id)
            g.set_node_property(target.id, key, value)
        elif isinstance(target, Relationship):
            self.ctx.check_live_rel(target.id)
            g.set_rel_property(target.id, key, value)
        else:
            raise CypherTypeError(
                f"cannot set a property on a {sem.type_name(target)}",
                code="InvalidArgumentType",
                phase="runtime",
            )
        self.ctx.wrote()

    def _set_map(self, target: Any, value: Any, *, merge: bool) -> None:
        if target is None:
            return
        if isinstance(value, (Node, Relationship)):
            value = (
                self.ctx.graph.node_properties(value.id)
                if isinstance(value, Node)
                else self.ctx.graph.rel_properties(value.id)
            )
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise CypherTypeError("SET n = / += needs a MAP", code="InvalidArgumentType", phase="runtime")
        g = self.ctx.graph
        if isinstance(target, Node):
            current = g.node_properties(target.id)
        elif isinstance(target, Relationship):
            current = g.rel_properties(target.id)
        else:
            raise CypherTypeError(
                f"cannot set properties on a {sem.type_name(target)}",
                code="InvalidArgumentType",
                phase="runtime",
            )
        if not merge:
            for key in current:
                if key not in value:
                    self._set_one(target, key, None)
        for key, v in value.items():
            self._set_one(target, key, v)

    def remove(self, frame: Frame, items: Sequence[ast.RemoveItem]) -> Frame:
        """``REMOVE items`` per row."""
        g = self.ctx.graph
        for env in self._rows(frame):
            for item in items:
                if isinstance(item, ast.RemoveProperty):
                    target = self._fn(item.target.subject)(env)
                    self._set_one(target, item.target.key, None)
                elif isinstance(item, ast.RemoveLabels):
                    target = env.get(item.variable.name)
                    if isinstance(target, Node):
                        g.remove_labels(target.id, item.labels)
            self.ctx.wrote()
        return frame

    # -- DELETE ----------------------------------------------------------------------------------
    def delete(self, frame: Frame, clause: ast.Delete) -> Frame:
        """``[DETACH] DELETE expressions`` per row."""
        g = self.ctx.graph
        fns = [self._fn(e) for e in clause.expressions]
        for env in self._rows(frame):
            for fn in fns:
                value = fn(env)
                for entity in _entities(value):
                    if isinstance(entity, Node):
                        if not g.node_deleted(entity.id):
                            g.delete_node(entity.id, detach=clause.detach)
                    elif isinstance(entity, Relationship):
                        if not g.rel_deleted(entity.id):
                            g.delete_rel(entity.id)
                    else:
                        raise CypherTypeError(
                            f"cannot DELETE a {sem.type_name(entity)}",
                            code="InvalidArgumentType",
                            phase="runtime",
                        )
        self.ctx.wrote()
        return frame


def _indexable_merge(
    clause: ast.Merge, frame: Frame
) -> tuple[str, list[str], list[tuple[str, ast.Expression]]] | None:
    """(variable, labels, key expressions) when MERGE can use the hash-index path, else None.

    That is: one new node variable with plain labels and a literal property map,
    and no ON CREATE / ON MATCH item that could change a key property.
    """
    element = clause.part.element
    if clause.part.variable is not None or element.relationships or len(element.nodes) != 1:
        return None
    node = element.nodes[0]
    if node.variable is None or node.variable.name in frame.columns or not node.labels:
        return None
    if any(len(group) != 1 for group in node.labels):
        return None
    if node.properties is not None and not isinstance(node.properties, ast.MapLiteral):
        return None
    keys = list(node.properties.items) if isinstance(node.properties, ast.MapLiteral) else []
    if not keys:
        return None
    key_names = {k for k, _ in keys}
    for item in (*clause.on_create, *clause.on_match):
        if isinstance(item, ast.SetVariable):
            return None
        if isinstance(item, ast.SetProperty) and item.target.key in key_names:
            return None
    return node.variable.name, [group[0] for group in node.labels], keys


def _entities(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, Path):
        return [*value.relationships, *value.nodes]
    if isinstance(value, list):
        out: list[Any] = []
        for v in value:
            out.extend(_entities(v))
        return out
    return [value]


def _as_env(created: dict[str, Any], ctx: Any) -> Env:
    env: Env = {}
    for name, v in created.items():
        if isinstance(v, int):
            env[name] = ctx.node(v)
        elif isinstance(v, tuple) and len(v) == 1:
            env[name] = ctx.rel(v[0])
    return env
