"""Version of the namidb-cypher distribution."""

__version__ = "0.1.0"
