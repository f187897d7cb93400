"""The executor's view of a graph: dense ids, columnar reads, statement-local writes."""

from namidb_cypher.graph.arrowgraph import ArrowGraph, NodeBlock, RelBlock
from namidb_cypher.graph.base import BaseGraph, Direction, GraphView, IdArray, PropertyColumn
from namidb_cypher.graph.txgraph import ChangeSet, EmptyGraph, NodeChange, RelChange, TxGraph, make_column

__all__ = [
    "ArrowGraph",
    "BaseGraph",
    "ChangeSet",
    "Direction",
    "EmptyGraph",
    "GraphView",
    "IdArray",
    "NodeBlock",
    "NodeChange",
    "PropertyColumn",
    "RelBlock",
    "RelChange",
    "TxGraph",
    "make_column",
]
