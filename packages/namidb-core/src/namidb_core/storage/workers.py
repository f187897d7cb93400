"""The engine's CPU worker pool.

Sorting keys (numpy), encoding Parquet and hashing (pyarrow, hashlib) release
the GIL, so the engine runs them on these threads: a flush encodes its forward
and inverse SSTs at once, and a large staged run sorts itself while the
caller goes on to commit it (see :mod:`.memtable`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

__all__ = ["POOL"]

POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="namidb-sst")
