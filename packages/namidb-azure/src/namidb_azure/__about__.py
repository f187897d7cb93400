"""Version of the namidb-azure distribution."""

__version__ = "0.1.0"
