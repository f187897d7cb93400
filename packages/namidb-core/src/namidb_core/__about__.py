"""Version of the namidb-core distribution."""

__version__ = "0.1.0"
