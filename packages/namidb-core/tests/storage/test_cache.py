import threading
import uuid

from namidb_core.objectstore.memory import MemoryStore
from namidb_core.storage import Cache, Engine


def test_lru_eviction_by_bytes():
    c = Cache(100)
    c.put("a", 1, 40)
    c.put("b", 2, 40)
    assert c.get("a") == 1  # a is now most recent
    c.put("c", 3, 40)  # evicts b
    assert c.get("b") is None
    assert c.get("a") == 1
    assert c.get("c") == 3
    st = c.stats()
    assert st["evict"] == 1
    assert st["insert"] == 3
    assert st["bytes"] == 80
    assert st["capacity_bytes"] == 100
    assert st["hit"] == 3
    assert st["miss"] == 1


def test_oversized_entry_not_kept_and_replace_accounts_bytes():
    c = Cache(10)
    c.put("big", 1, 11)
    assert c.get("big") is None
    c.put("k", 1, 5)
    c.put("k", 2, 7)
    assert c.stats()["bytes"] == 7
    assert c.get("k") == 2


def test_get_or_load_loads_once_and_is_thread_safe():
    c = Cache(1 << 20)
    calls = []

    def load():
        calls.append(1)
        return "v", 10

    threads = [threading.Thread(target=lambda: c.get_or_load("x", load)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert c.get("x") == "v"
    assert 1 <= len(calls) <= 8
    assert c.stats()["bytes"] == 10


def test_engine_shares_adjacency_through_the_cache():
    e = Engine.open(MemoryStore(), "ns", cache_bytes=64 << 20)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    e.merge_nodes("P", [{"id": a}, {"id": b}])
    e.upsert_edge("R", a, b, {})
    e.commit()
    e.flush()
    before = e.cache_stats()["bytes"]
    indptr, nbr, _ = e.snapshot().csr("R")
    assert e.cache_stats()["bytes"] > before
    hits = e.cache_stats()["hit"]
    again = e.snapshot().csr("R")  # a new snapshot of the same version reuses it
    assert again[0] is indptr
    assert e.cache_stats()["hit"] > hits
    assert nbr.tolist() == [1] or nbr.tolist() == [0]


def test_tiny_cache_still_correct():
    e = Engine.open(MemoryStore(), "ns", cache_bytes=1)
    ids = [str(uuid.uuid4()) for _ in range(50)]
    e.merge_nodes("P", [{"id": i, "v": k} for k, i in enumerate(ids)])
    e.commit()
    e.flush()
    assert e.lookup_node("P", ids[7])["properties"] == {"v": 7}
    assert e.scan_label_arrow("P").num_rows == 50
    assert e.cache_stats()["bytes"] == 0
