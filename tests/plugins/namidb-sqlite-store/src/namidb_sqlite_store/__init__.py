"""A third-party namidb storage plugin over SQLite, for namidb's tests."""
