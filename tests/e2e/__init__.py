"""End-to-end engine suite: ``namidb.Client`` on every storage backend (memory, file, S3, GCS, Azure)."""
