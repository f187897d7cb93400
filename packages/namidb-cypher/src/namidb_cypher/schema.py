"""The graph schema: constraints and indexes, the DDL that changes them and the checks they impose.

A :class:`Schema` is an immutable value read from the snapshot (the client
stores every constraint and stand-alone index as a node of a reserved
partition, so schema changes are WAL'd, committed, flushed, compacted and
recovered exactly like data). This module only decides:

* what a DDL command does to a schema (:func:`apply_ddl` — names, duplicates,
  ``IF [NOT] EXISTS``, checking existing data before a constraint is added);
* what ``SHOW CONSTRAINTS`` / ``SHOW INDEXES`` return;
* whether a statement's writes keep every constraint (:func:`check_constraints`),
  checked before anything is staged, so a violation writes nothing.

Indexes are *derived*, never stored: the lookup structure behind an index is a
hash map built lazily from the base graph (see
:meth:`namidb_cypher.graph.ArrowGraph.value_index`), so it is exact for the
snapshot it was built from. A UNIQUE or NODE KEY constraint owns an implied
index on its properties that carries the constraint's name (as in Neo4j).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np

from namidb_cypher import semantics as sem
from namidb_cypher.ast import nodes as ast
from namidb_cypher.errors import ConstraintVerificationError, CypherSemanticError
from namidb_cypher.graph.arrowgraph import value_index
from namidb_cypher.graph.base import BaseGraph
from namidb_cypher.graph.txgraph import TxGraph

__all__ = [
    "CONSTRAINT_COLUMNS",
    "INDEX_COLUMNS",
    "SCHEMA_PARTITION",
    "Constraint",
    "Index",
    "Schema",
    "SchemaChange",
    "apply_ddl",
    "check_constraints",
    "show_rows",
]

#: The reserved storage partition holding schema objects (never shown as a label).
SCHEMA_PARTITION = "__schema"

ConstraintType = Literal["UNIQUENESS", "NODE_PROPERTY_EXISTENCE", "NODE_KEY"]
_KIND_TO_TYPE: dict[str, ConstraintType] = {
    "unique": "UNIQUENESS",
    "not_null": "NODE_PROPERTY_EXISTENCE",
    "node_key": "NODE_KEY",
}
_TYPE_SUFFIX = {"UNIQUENESS": "unique", "NODE_PROPERTY_EXISTENCE": "not_null", "NODE_KEY": "node_key"}

#: Columns of ``SHOW CONSTRAINTS`` and ``SHOW INDEXES``.
CONSTRAINT_COLUMNS = ["id", "name", "type", "entityType", "labelsOrTypes", "properties", "ownedIndex"]
INDEX_COLUMNS = [
    "id",
    "name",
    "state",
    "type",
    "entityType",
    "labelsOrTypes",
    "properties",
    "owningConstraint",
]


@dataclass(frozen=True)
class Constraint:
    """A node constraint on ``label``: UNIQUENESS, NODE_PROPERTY_EXISTENCE (NOT NULL) or NODE_KEY."""

    name: str
    type: ConstraintType
    label: str
    properties: tuple[str, ...]

    @property
    def unique(self) -> bool:
        """Whether the constraint requires distinct values (and so owns an index)."""
        return self.type in ("UNIQUENESS", "NODE_KEY")

    @property
    def not_null(self) -> bool:
        """Whether the constraint requires every property to be present."""
        return self.type in ("NODE_PROPERTY_EXISTENCE", "NODE_KEY")

    def to_properties(self) -> dict[str, Any]:
        """The stored form (the properties of its node in :data:`SCHEMA_PARTITION`)."""
        return {
            "object": "constraint",
            "name": self.name,
            "type": self.type,
            "label": self.label,
            "properties": list(self.properties),
        }


@dataclass(frozen=True)
class Index:
    """A RANGE index on ``label``'s ``properties``; ``owner`` names the constraint that implies it."""

    name: str
    label: str
    properties: tuple[str, ...]
    owner: str | None = None

    def to_properties(self) -> dict[str, Any]:
        """The stored form (only stand-alone indexes are stored)."""
        return {
            "object": "index",
            "name": self.name,
            "label": self.label,
            "properties": list(self.properties),
        }


SchemaObject = Constraint | Index


@dataclass(frozen=True)
class SchemaChange:
    """One stored schema object to create or drop (the client stages it)."""

    op: Literal["create", "drop"]
    obj: SchemaObject


@dataclass(frozen=True)
class Schema:
    """The constraints and stand-alone indexes of a graph (an immutable value)."""

    constraints: tuple[Constraint, ...] = ()
    standalone_indexes: tuple[Index, ...] = ()
    _seekable: frozenset[tuple[str, str]] = field(default=frozenset(), init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        pairs = {(i.label, p) for i in self.indexes for p in i.properties}
        object.__setattr__(self, "_seekable", frozenset(pairs))

    @classmethod
    def from_stored(cls, rows: Iterable[Mapping[str, Any]]) -> Schema:
        """The schema from the stored rows (property maps); malformed rows are ignored."""
        constraints: list[Constraint] = []
        indexes: list[Index] = []
        for row in rows:
            name, label, props = row.get("name"), row.get("label"), row.get("properties")
            if not isinstance(name, str) or not isinstance(label, str) or not isinstance(props, list):
                continue
            if not props or not all(isinstance(p, str) for p in props):
                continue
            if row.get("object") == "constraint" and row.get("type") in _TYPE_SUFFIX:
                constraints.append(Constraint(name, row["type"], label, tuple(props)))
            elif row.get("object") == "index":
                indexes.append(Index(name, label, tuple(props)))
        return cls(
            tuple(sorted(constraints, key=lambda c: c.name)), tuple(sorted(indexes, key=lambda i: i.name))
        )

    @cached_property
    def indexes(self) -> tuple[Index, ...]:
        """Every index: stand-alone ones plus those owned by UNIQUE / NODE KEY constraints, by name."""
        owned = [Index(c.name, c.label, c.properties, c.name) for c in self.constraints if c.unique]
        return tuple(sorted([*self.standalone_indexes, *owned], key=lambda i: i.name))

    def __bool__(self) -> bool:
        return bool(self.constraints or self.standalone_indexes)

    def has_index(self, label: str, key: str) -> bool:
        """Whether an index covers ``key`` on ``label`` (so equality lookups on it may seek)."""
        return (label, key) in self._seekable

    def find(self, name: str) -> SchemaObject | None:
        """The constraint or index called ``name`` (owned indexes share their constraint's name)."""
        for c in self.constraints:
            if c.name == name:
                return c
        for i in self.standalone_indexes:
            if i.name == name:
                return i
        return None

    def with_changes(self, changes: Sequence[SchemaChange]) -> Schema:
        """The schema after ``changes``."""
        constraints = {c.name: c for c in self.constraints}
        indexes = {i.name: i for i in self.standalone_indexes}
        for ch in changes:
            target: dict[str, Any] = constraints if isinstance(ch.obj, Constraint) else indexes
            if ch.op == "create":
                target[ch.obj.name] = ch.obj
            else:
                target.pop(ch.obj.name, None)
        return Schema(
            tuple(sorted(constraints.values(), key=lambda c: c.name)),
            tuple(sorted(indexes.values(), key=lambda i: i.name)),
        )


# -- DDL ---------------------------------------------------------------------------------------------


def _default_name(prefix: str, label: str, props: Sequence[str], suffix: str = "") -> str:
    parts = [prefix, label, *props] + ([suffix] if suffix else [])
    return "_".join(parts)


def _describe(label: str, props: Sequence[str]) -> str:
    return f"(:{label} {{{', '.join(props)}}})"


def apply_ddl(command: ast.SchemaCommand, schema: Schema, base: BaseGraph) -> list[SchemaChange]:
    """What a CREATE/DROP command changes (empty for an ``IF [NOT] EXISTS`` no-op).

    Raises:
        CypherSemanticError: a name or definition already exists, or an unknown name is dropped.
        ConstraintVerificationError: existing data violates a constraint being created.
    """
    if isinstance(command, ast.CreateConstraint):
        return _create_constraint(command, schema, base)
    if isinstance(command, ast.CreateIndex):
        return _create_index(command, schema)
    if isinstance(command, ast.DropConstraint):
        found = schema.find(command.name)
        if isinstance(found, Constraint):
            return [SchemaChange("drop", found)]
        if command.if_exists:
            return []
        raise CypherSemanticError(
            f"there is no constraint called {command.name!r}", code="ConstraintNotFound", phase="runtime"
        )
    if isinstance(command, ast.DropIndex):
        found = schema.find(command.name)
        if isinstance(found, Index):
            return [SchemaChange("drop", found)]
        if isinstance(found, Constraint) and found.unique:
            raise CypherSemanticError(
                f"index {command.name!r} belongs to a constraint; drop the constraint instead",
                code="IndexBelongsToConstraint",
                phase="runtime",
            )
        if command.if_exists:
            return []
        raise CypherSemanticError(
            f"there is no index called {command.name!r}", code="IndexNotFound", phase="runtime"
        )
    raise TypeError(f"not a DDL command: {type(command).__name__}")


def _name_taken(schema: Schema, name: str) -> CypherSemanticError | None:
    found = schema.find(name)
    if found is None:
        return None
    what, code = ("a constraint", "ConstraintAlreadyExists")
    if isinstance(found, Index):
        what, code = ("an index", "IndexAlreadyExists")
    return CypherSemanticError(f"there already exists {what} called {name!r}", code=code, phase="runtime")


def _clash(
    schema: Schema, what: str, same: Constraint | Index | None, name: str
) -> CypherSemanticError | None:
    """Why a new schema rule cannot be created: an equivalent ``same`` exists, or ``name`` is taken."""
    if same is not None:
        return CypherSemanticError(
            f"an equivalent {what} already exists: {same.name!r}",
            code="EquivalentSchemaRuleAlreadyExists",
            phase="runtime",
        )
    return _name_taken(schema, name)


def _create_constraint(command: ast.CreateConstraint, schema: Schema, base: BaseGraph) -> list[SchemaChange]:
    ctype = _KIND_TO_TYPE[command.kind]
    props = tuple(command.properties)
    if len(set(props)) != len(props):
        raise CypherSemanticError(
            "a constraint cannot name the same property twice", code="InvalidConstraint", phase="runtime"
        )
    name = command.name or _default_name("constraint", command.label, props, _TYPE_SUFFIX[ctype])
    new = Constraint(name, ctype, command.label, props)
    same = next(
        (c for c in schema.constraints if (c.type, c.label, c.properties) == (ctype, command.label, props)),
        None,
    )
    clash = _clash(schema, "constraint", same, name)
    if clash is not None:
        if command.if_not_exists:
            return []
        raise clash
    if new.unique:
        index = next((i for i in schema.indexes if (i.label, i.properties) == (command.label, props)), None)
        if index is not None:
            raise CypherSemanticError(
                f"there already exists an index {_describe(command.label, props)} ({index.name!r}); "
                "a uniqueness constraint cannot be created until it is dropped",
                code="IndexAlreadyExists",
                phase="runtime",
            )
    _verify_existing(new, base)
    return [SchemaChange("create", new)]


def _create_index(command: ast.CreateIndex, schema: Schema) -> list[SchemaChange]:
    props = tuple(command.properties)
    name = command.name or _default_name("index", command.label, props)
    same = next((i for i in schema.indexes if (i.label, i.properties) == (command.label, props)), None)
    clash = _clash(schema, "index", same, name)
    if clash is not None:
        if command.if_not_exists:
            return []
        raise clash
    return [SchemaChange("create", Index(name, command.label, props))]


# -- SHOW ------------------------------------------------------------------------------------------


def show_rows(command: ast.ShowConstraints | ast.ShowIndexes, schema: Schema) -> list[tuple[Any, ...]]:
    """The rows of ``SHOW CONSTRAINTS`` / ``SHOW INDEXES`` (columns :data:`CONSTRAINT_COLUMNS` /
    :data:`INDEX_COLUMNS`), ordered by name."""
    if isinstance(command, ast.ShowConstraints):
        return [
            (i, c.name, c.type, "NODE", [c.label], list(c.properties), c.name if c.unique else None)
            for i, c in enumerate(schema.constraints, start=1)
        ]
    return [
        (i, x.name, "ONLINE", "RANGE", "NODE", [x.label], list(x.properties), x.owner)
        for i, x in enumerate(schema.indexes, start=1)
    ]


# -- checks ----------------------------------------------------------------------------------------


def _violation(c: Constraint, detail: str) -> ConstraintVerificationError:
    kind = {"UNIQUENESS": "IS UNIQUE", "NODE_PROPERTY_EXISTENCE": "IS NOT NULL", "NODE_KEY": "IS NODE KEY"}
    return ConstraintVerificationError(
        f"constraint {c.name!r} ({_describe(c.label, c.properties)} {kind[c.type]}) violated: {detail}",
        code="ConstraintValidationFailed",
        phase="runtime",
    )


def _values_text(c: Constraint, values: Sequence[Any]) -> str:
    return ", ".join(f"{p} = {v!r}" for p, v in zip(c.properties, values, strict=True))


def _verify_existing(c: Constraint, base: BaseGraph) -> None:
    """Raise if the nodes already in ``base`` violate ``c`` (so the constraint is not created)."""
    ids = base.scan_nodes(c.label)
    if not len(ids):
        return
    if c.not_null:
        for p in c.properties:
            col = base.node_property(ids, p)
            missing = np.flatnonzero(_null_mask(col))
            if len(missing):
                node = base.node_key(int(ids[missing[0]]))
                raise _violation(c, f"node {node} with label {c.label!r} has no property {p!r}")
    if c.unique:
        index = value_index(base, c.label, c.properties)
        for _key, found in index.groups():
            if len(found) > 1:
                values = [base.node_property(found[:1], p) for p in c.properties]
                shown = [v[0] if isinstance(v, np.ndarray) else v[0].as_py() for v in values]
                raise _violation(
                    c,
                    f"nodes {base.node_key(int(found[0]))} and {base.node_key(int(found[1]))} "
                    f"both have {_values_text(c, shown)}",
                )


def _null_mask(col: Any) -> np.ndarray[Any, np.dtype[np.bool_]]:
    if isinstance(col, np.ndarray):
        return np.fromiter((v is None for v in col), dtype=bool, count=len(col))
    return np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def check_constraints(graph: TxGraph, schema: Schema) -> None:
    """Raise if the statement's writes in ``graph`` break a constraint of ``schema``.

    Only nodes the statement created or changed are checked: each NOT NULL
    property must be present, and each UNIQUE value (tuple, for a composite
    constraint) must not be held by another live node — neither one the
    statement also wrote nor an untouched node of the base snapshot (found
    through the base's derived value index, so the check costs a hash lookup
    per written node, not a scan). Values are compared by Cypher equivalence
    (``1`` and ``1.0`` collide); a node missing any of the properties is exempt
    from uniqueness.
    """
    if not schema.constraints or not graph.dirty:
        return
    changed = graph.changed_nodes()
    if not changed:
        return
    touched = graph.touched_node_ids()
    for c in schema.constraints:
        rows = [(node_id, props) for node_id, labels, props in changed if c.label in labels]
        if not rows:
            continue
        if c.not_null:
            for node_id, props in rows:
                for p in c.properties:
                    if props.get(p) is None:
                        raise _violation(
                            c,
                            f"node {graph.node_key(node_id)} with label {c.label!r} must have property {p!r}",
                        )
        if not c.unique:
            continue
        index = value_index(graph.base, c.label, c.properties)
        seen: dict[Any, int] = {}
        for node_id, props in rows:
            values = [props.get(p) for p in c.properties]
            if any(v is None for v in values):
                continue
            key = tuple(sem.group_key(v) for v in values)
            other = seen.get(key)
            if other is None:
                hits = index.lookup(key)
                live = hits[~np.isin(hits, touched)] if len(hits) else hits
                if len(live):
                    other = int(live[0])
            if other is not None:
                raise _violation(
                    c,
                    f"node {graph.node_key(other)} already has label {c.label!r} and "
                    f"{_values_text(c, values)}",
                )
            seen[key] = node_id
