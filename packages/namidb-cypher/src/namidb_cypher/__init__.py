"""namidb's Cypher frontend: grammar, binder, planner, optimizer and vectorized executor."""

from namidb_cypher.__about__ import __version__

__all__ = ["__version__"]
