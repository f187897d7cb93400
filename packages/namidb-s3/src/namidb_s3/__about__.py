"""Version of the namidb-s3 distribution."""

__version__ = "0.1.0"
