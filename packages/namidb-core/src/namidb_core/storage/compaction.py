"""Compaction and the sweep of unreferenced objects.

Leveled, with two levels: L0 holds flush outputs (one file per label/type per
flush, overlapping), L1 — the deepest level — one merged file per label
(``nodes``) or per edge type (an ``edges_fwd`` + ``edges_inv`` pair). A
compaction merges, per label / edge type, every L0 and L1 file into a new L1
file: newest row per key wins, edge wildcard tombstones are applied, and
tombstones are dropped because nothing older than L1 exists to shadow.

*Automatic* compaction (the engine's, after flushes) is tiered on top: a group
whose L0 files together hold less than :data:`L0_MERGE_RATIO` of its L1 bytes
only merges those L0 files into one L0 file (tombstones kept: L1 may still
hold what they shadow). Many small flushes of a large label thus cost what
they wrote, not a rewrite of the label each time; L1 is rewritten once L0 has
grown to a fair share of it. ``compact()`` called by the user always merges
into L1.

It is *prepared* off the writer lock from a pinned manifest (reads and writes
of SSTs only) and *installed* under the lock with a manifest commit that
refuses (``applied: False``) when any input file left the manifest meanwhile.
L0 files flushed during the preparation hold only newer LSNs, so they stay.

Sweep: objects dropped by flush (WAL segments: one ``wal/<LSN`` entry per
flush stands for all it dropped, so manifests do not grow by a key per
segment) or compaction (SSTs) are kept in the manifest's ``garbage`` list
with their drop time, and deleted once
older than the grace period (default 10 minutes); objects no manifest ever
listed (a failed or fenced writer's leftovers) are deleted once the uuid7 in
their key is older than the grace. A reader pinned to an old version must
``refresh()`` within the grace period: we chose a time-based grace over reader
lease objects because read-only clients may lack write credentials to the
bucket, and a lease that cannot be written protects nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from namidb_core.errors import TransientStoreError
from namidb_core.objectstore.base import ObjectStore
from namidb_core.storage.flush import EDGE_FIELDS, NODE_FIELDS, merge_edge_pair
from namidb_core.storage.manifest import paths
from namidb_core.storage.manifest.model import Manifest, SstDescriptor
from namidb_core.storage.merge import concat_tables, drop_tombstones, latest_nodes
from namidb_core.storage.retry import retrying
from namidb_core.storage.sst.layout import EDGES_INV, NODES
from namidb_core.storage.sst.reader import SstReader
from namidb_core.storage.sst.writer import BuiltSst, build_sst, store_ssts

__all__ = [
    "DEEPEST_LEVEL",
    "L0_MERGE_RATIO",
    "CompactionPlan",
    "build_outputs",
    "l0_runs",
    "plan_compaction",
    "sweep",
]

DEEPEST_LEVEL = 1
#: Automatic compaction merges L0 alone while L0 holds less than this share of L1's bytes.
L0_MERGE_RATIO = 0.25


@dataclass
class CompactionPlan:
    """Which files a compaction merges, grouped by (kind family, name), and the level each group goes to."""

    inputs: list[SstDescriptor] = field(default_factory=list)
    groups: dict[tuple[str, str], list[SstDescriptor]] = field(default_factory=dict)
    levels: dict[tuple[str, str], int] = field(default_factory=dict)


def _groups(manifest: Manifest) -> dict[tuple[str, str], list[SstDescriptor]]:
    """Files by (family, name); an edge group lists its forward files (inverse twins follow them)."""
    by: dict[tuple[str, str], list[SstDescriptor]] = {}
    for d in manifest.ssts:
        if d.kind != EDGES_INV:
            by.setdefault(("nodes" if d.kind == NODES else "edges", d.name), []).append(d)
    return by


def l0_runs(manifest: Manifest) -> int:
    """The most L0 runs any one label / edge type has (a forward + inverse pair is one run)."""
    return max((sum(1 for d in files if d.level == 0) for files in _groups(manifest).values()), default=0)


def plan_compaction(manifest: Manifest, *, min_l0: int = 1, auto: bool = False) -> CompactionPlan:
    """Every label/type that has at least ``min_l0`` L0 files (or more than one file) gets merged.

    With ``auto``, a group whose L0 is small next to its L1 merges only its
    L0 files, into level 0 (see the module docstring).
    """
    plan = CompactionPlan()
    twins: dict[str, list[SstDescriptor]] = {}
    for d in manifest.ssts:
        if d.kind == EDGES_INV:
            twins.setdefault(d.name, []).append(d)
    for key, files in sorted(_groups(manifest).items()):
        l0 = [d for d in files if d.level == 0]
        if len(l0) < min_l0 or not (l0 or len(files) > 1):
            continue
        level = DEEPEST_LEVEL
        l1_bytes = sum(d.size for d in files if d.level == DEEPEST_LEVEL)
        if auto and len(l0) > 1 and sum(d.size for d in l0) < L0_MERGE_RATIO * l1_bytes:
            files, level = l0, 0
        plan.groups[key] = files
        plan.levels[key] = level
        plan.inputs.extend(files)
        if key[0] == "edges":  # the inverse files of the same levels
            plan.inputs.extend(t for t in twins.get(key[1], []) if level == DEEPEST_LEVEL or t.level == 0)
    return plan


def build_outputs(
    store: ObjectStore, prefix: str, reader: SstReader, plan: CompactionPlan, epoch: int
) -> list[SstDescriptor]:
    """Merge each group into a file of its plan level; return their descriptors.

    Tombstones are dropped only at the deepest level.
    """
    out: list[BuiltSst] = []
    for (fam, name), files in plan.groups.items():
        level = plan.levels.get((fam, name), DEEPEST_LEVEL)
        deepest = level == DEEPEST_LEVEL
        # oldest first (deepest level, then by LSN): the merge keeps the last row per key
        tables = [reader.table(d) for d in sorted(files, key=lambda d: (-d.level, d.max_lsn))]
        if fam == "nodes":
            merged = latest_nodes(concat_tables(tables, NODE_FIELDS))
            merged = drop_tombstones(merged) if deepest else merged
            if merged.num_rows:
                out.append(build_sst(NODES, name, level, merged))
        else:
            out.extend(merge_edge_pair(name, level, concat_tables(tables, EDGE_FIELDS), drop_tombs=deepest))
    store_ssts(store, prefix, out)
    return [b.descriptor for b in out]


def sweep(
    store: ObjectStore, prefix: str, manifest: Manifest, grace_seconds: float, now: float | None = None
) -> tuple[list[str], int]:
    """Delete expired garbage and old orphans; return (garbage entries done with, orphans deleted).

    Only objects under ``wal/`` and ``sst/`` are considered; manifests and
    pointers are never deleted (they are small, and a missing pointer would
    reopen its version slot to a stale writer). A ``wal/<LSN`` entry
    (:func:`~namidb_core.storage.manifest.paths.wal_below`) stands for every
    unlisted WAL segment whose first LSN is below it; until it expires, the
    segments it covers are kept even when their own key is old.
    """
    now = time.time() if now is None else now
    live = {w.key for w in manifest.wal} | {s.key for s in manifest.ssts}
    expired = [k for k, dropped in manifest.garbage if dropped + grace_seconds <= now]
    pending = [k for k, dropped in manifest.garbage if dropped + grace_seconds > now]
    bounds = [b for k in expired if (b := paths.wal_below_bound(k)) is not None]
    delete_below = max(bounds, default=-1)  # WAL segments below this are expired garbage
    keep_below = max((b for k in pending if (b := paths.wal_below_bound(k)) is not None), default=-1)
    garbage = {k for k, _ in manifest.garbage}
    deleted: list[str] = []
    failed = False

    def delete(key: str) -> bool:
        nonlocal failed
        try:
            retrying(lambda: store.delete(prefix + key))
            return True
        except TransientStoreError:
            failed = True  # retried by the next sweep
            return False

    for key in expired:
        if paths.wal_below_bound(key) is None and key not in live and delete(key):
            deleted.append(key)
    orphans = 0
    cut = len(prefix)
    for top in (paths.WAL_PREFIX, paths.SST_PREFIX):
        for meta in retrying(lambda t=top: list(store.list(prefix + t))):  # type: ignore[misc]
            key = meta.key[cut:]
            if key in live or key in garbage:
                continue
            # Entries come in time order with rising bounds, so a segment was dropped by the
            # first entry above its LSN: expired if any expired entry is above it.
            first = paths.wal_first_lsn(key)
            if first is not None and first < delete_below:
                orphans += delete(key)  # dropped by a flush, and its grace is over
                continue
            if first is not None and first < keep_below:
                continue  # dropped by a flush still within its grace
            born = paths.key_time(key)
            if born is not None and born + grace_seconds <= now:
                orphans += delete(key)
    if bounds and not failed:
        deleted.extend(k for k in expired if paths.wal_below_bound(k) is not None)
    return deleted, orphans
