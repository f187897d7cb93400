"""Version of the namidb distribution."""

__version__ = "0.1.0"
