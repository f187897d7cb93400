"""Version of the namidb-gcs distribution."""

__version__ = "0.1.0"
