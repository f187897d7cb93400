"""The logical plan of a MATCH: an ordered list of steps the matcher executes.

A pattern part becomes: one step that binds its start node (a label scan, all
nodes, or a variable bound earlier), then one expansion per relationship —
rightwards from the start, then leftwards (walking relationships backwards) —
and, for a named path, a step that assembles it. The WHERE clause is a
``Filter`` step. Which node starts a part and where each WHERE conjunct sits
are decided by the optimizer's rules (:mod:`namidb_cypher.optimizer`), not
here; this module only builds a correct, naive plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from namidb_cypher.ast import nodes as ast

__all__ = [
    "BindNode",
    "Expand",
    "Filter",
    "IndexSeek",
    "MatchPlan",
    "PartPlan",
    "PathBind",
    "ScanNodes",
    "ShortestPath",
    "Step",
    "build_match_plan",
    "describe",
]

#: Estimated node count for a label (None: all nodes); feeds the cost-based rules.
Cardinality = Callable[[str | None], int]


@dataclass(frozen=True)
class ScanNodes:
    """Bind a new node variable to every node (of ``label``), crossed with the input rows."""

    var: str
    node: ast.NodePattern
    label: str | None


@dataclass(frozen=True)
class IndexSeek:
    """Bind a new node variable to the nodes of ``label`` whose ``key`` equals ``value`` (per input row).

    Put in place of a :class:`ScanNodes` by the index-lookup rule. ``value``
    never reads ``var``. ``predicate`` is the WHERE conjunct the seek absorbed
    (None when the equality came from the pattern's inline property map); the
    executor applies it whenever it has to fall back to a scan.
    """

    var: str
    node: ast.NodePattern
    label: str
    key: str
    value: ast.Expression
    predicate: ast.Expression | None = None


@dataclass(frozen=True)
class BindNode:
    """Start from a node variable bound by an earlier clause or part (drop rows where it is null)."""

    var: str
    node: ast.NodePattern


@dataclass(frozen=True)
class Expand:
    """Follow ``rel`` from ``from_var`` to ``to_var`` (``backwards``: walking the pattern right to left)."""

    from_var: str
    rel: ast.RelationshipPattern
    rel_var: str
    to_node: ast.NodePattern
    to_var: str
    direction: str
    backwards: bool = False


@dataclass(frozen=True)
class PathBind:
    """Assemble the named path ``var`` from the part's node and relationship variables."""

    var: str
    node_vars: tuple[str, ...]
    rel_vars: tuple[str, ...]


@dataclass(frozen=True)
class ShortestPath:
    """``shortestPath`` / ``allShortestPaths`` of one part (a breadth-first search per row)."""

    part: ast.PatternPart


@dataclass(frozen=True)
class Filter:
    """Keep the rows where ``predicate`` is true; ``variables`` are the ones it reads."""

    predicate: ast.Expression
    variables: frozenset[str] = frozenset()


Step = ScanNodes | IndexSeek | BindNode | Expand | PathBind | ShortestPath | Filter


@dataclass(frozen=True)
class PartPlan:
    """One pattern part: its node/relationship variables (anonymous ones named ``__…``) and start node."""

    part: ast.PatternPart
    node_vars: tuple[str, ...]
    rel_vars: tuple[str, ...]
    start: int = 0


@dataclass(frozen=True)
class MatchPlan:
    """The steps of one MATCH, the variables bound before it, and the parts it came from."""

    parts: tuple[PartPlan, ...]
    where: ast.Expression | None
    bound: frozenset[str]
    steps: tuple[Step, ...] = ()
    filters: tuple[Filter, ...] = field(default=())


def build_match_plan(pattern: ast.Pattern, where: ast.Expression | None, bound: frozenset[str]) -> MatchPlan:
    """The naive plan: each part starts at its leftmost node; WHERE runs last."""
    parts: list[PartPlan] = []
    counter = 0
    for part in pattern.parts:
        nodes: list[str] = []
        for n in part.element.nodes:
            if n.variable is None:
                counter += 1
                nodes.append(f"__n{counter}")
            else:
                nodes.append(n.variable.name)
        rels: list[str] = []
        for r in part.element.relationships:
            if r.variable is None:
                counter += 1
                rels.append(f"__r{counter}")
            else:
                rels.append(r.variable.name)
        parts.append(PartPlan(part, tuple(nodes), tuple(rels)))
    filters = (Filter(where, frozenset()),) if where is not None else ()
    return MatchPlan(tuple(parts), where, bound, filters=filters)


def part_steps(plan: PartPlan, bound: frozenset[str]) -> list[Step]:
    """The steps of one part, from its chosen start node."""
    element = plan.part.element
    if element.shortest is not None:
        return [ShortestPath(plan.part)]
    s = plan.start
    steps: list[Step] = []
    start_var = plan.node_vars[s]
    node = element.nodes[s]
    if start_var in bound:
        steps.append(BindNode(start_var, node))
    else:
        label = node.labels[0][0] if node.labels and len(node.labels[0]) == 1 else None
        steps.append(ScanNodes(start_var, node, label))
    for i in range(s, len(element.relationships)):
        rel = element.relationships[i]
        steps.append(
            Expand(
                plan.node_vars[i],
                rel,
                plan.rel_vars[i],
                element.nodes[i + 1],
                plan.node_vars[i + 1],
                rel.direction,
            )
        )
    for i in range(s - 1, -1, -1):
        rel = element.relationships[i]
        reverse = {"out": "in", "in": "out", "both": "both"}[rel.direction]
        steps.append(
            Expand(
                plan.node_vars[i + 1],
                rel,
                plan.rel_vars[i],
                element.nodes[i],
                plan.node_vars[i],
                reverse,
                True,
            )
        )
    if plan.part.variable is not None:
        steps.append(PathBind(plan.part.variable.name, plan.node_vars, plan.rel_vars))
    return steps


def assemble(plan: MatchPlan) -> MatchPlan:
    """Lay out the steps: every part's steps in order, then the filters that no rule placed earlier."""
    steps: list[Step] = []
    bound = set(plan.bound)
    for part in plan.parts:
        steps.extend(part_steps(part, frozenset(bound)))
        bound.update(part.node_vars)
        bound.update(part.rel_vars)
        if part.part.variable is not None:
            bound.add(part.part.variable.name)
    steps.extend(plan.filters)
    return replace(plan, steps=tuple(steps))


def describe(step: Step, text: Callable[[ast.Node], str]) -> tuple[str, str]:
    """(operator name, details) of a step, for EXPLAIN and PROFILE."""
    if isinstance(step, ScanNodes):
        return (
            "NodeByLabelScan" if step.label else "AllNodesScan"
        ), f"({step.var}{':' + step.label if step.label else ''})"
    if isinstance(step, IndexSeek):
        return "NodeIndexSeek", f"({step.var}:{step.label} {{{step.key}: {text(step.value)}}})"
    if isinstance(step, BindNode):
        return "Argument", f"({step.var})"
    if isinstance(step, Expand):
        length = "VarLengthExpand" if step.rel.length is not None else "Expand"
        types = "|".join(step.rel.types)
        arrow = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}[step.direction]
        return (
            length,
            f"({step.from_var}){arrow[0]}[{step.rel_var}{':' + types if types else ''}]{arrow[1]}"
            f"({step.to_var})",
        )
    if isinstance(step, PathBind):
        return "ProjectPath", step.var
    if isinstance(step, ShortestPath):
        return "ShortestPath", text(step.part)
    return "Filter", text(step.predicate)


def conjuncts(e: ast.Expression) -> list[ast.Expression]:
    """``a AND b AND c`` as ``[a, b, c]``."""
    if isinstance(e, ast.Binary) and e.op == "AND":
        return conjuncts(e.left) + conjuncts(e.right)
    return [e]


def step_binds(step: Step) -> Sequence[str]:
    """The variables a step adds to the rows."""
    if isinstance(step, (ScanNodes, IndexSeek)):
        return (step.var,)
    if isinstance(step, Expand):
        return (step.rel_var, step.to_var)
    if isinstance(step, PathBind):
        return (step.var,)
    if isinstance(step, ShortestPath):
        names = [n.variable.name for n in step.part.element.nodes if n.variable is not None]
        names += [r.variable.name for r in step.part.element.relationships if r.variable is not None]
        if step.part.variable is not None:
            names.append(step.part.variable.name)
        return names
    return ()
