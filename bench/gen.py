"""Seeded, deterministic LDBC-SNB-shaped dataset generator.

``python bench/gen.py --scale 0.1`` writes ``bench/data/scale-0.1/``:

- ``nodes/<Label>.parquet``: ``id`` (UUID string), ``_id`` (int business key), properties;
- ``edges/<TYPE>__<SrcLabel>__<DstLabel>.parquet``: ``src``, ``dst`` (UUID strings), properties
  (one file per endpoint-label pair, so engines with typed relationship tables can COPY each);
- ``expected.json``: the parameters and the expected answer of every benchmark query, computed here
  with pandas independently of any engine, so every engine's rows are checked, not just timed;
- ``meta.json``: scale, seed and row counts.

Everything is vectorized numpy/pyarrow; dates are int64 epoch milliseconds so every engine stores
them the same way.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import workload

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_SEED = 20260101

# Base sizes at scale 1.0 (the brief's LDBC-shaped proportions).
BASE = {
    "Person": 10_000,
    "Post": 100_000,
    "Comment": 50_000,
    "KNOWS": 100_000,
    "LIKES": 100_000,
    "REPLY_OF": 30_000,
}

_FIRST_NAMES = (
    "Ada Alan Ana Bea Ben Carl Cleo Dana Dev Eli Emma Eva Finn Gil Hana Ian Ida Ivo Jan Jin Kai Kim "
    "Lea Leo Lin Luz Max Mia Nia Noa Oli Omar Pia Raj Rosa Sam Sara Tao Tim Uma Val Vik Wen Xia Yan "
    "Yara Yuki Zoe Zeno Ola "
)
FIRST_NAMES = np.array(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Abe Bach Bose Chen Cruz Diaz Dube Eze Fox Gray Hale Ito Jain Kato Khan Kim Lee Li Lund Mora Nagy "
    "Nowak Ortiz Park Patel Quin Rao Ross Sato Shah Silva Smith Sousa Tan Ueda Vogel Wang Weber Wu Xu "
    "Yang Yilmaz Zhou Zima "
)
LAST_NAMES = np.array(_LAST_NAMES.split())
_TOPICS = "graph cloud bucket parquet cypher arrow vector index commit flush "
TOPICS = np.array(_TOPICS.split())

MS_2010 = 1_262_304_000_000  # 2010-01-01T00:00:00Z
MS_YEAR = 31_536_000_000


def sizes(scale: float) -> dict[str, int]:
    """Row counts at ``scale`` (at least a handful of each so tiny scales still run every query)."""
    return {k: max(round(v * scale), 8) for k, v in BASE.items()}


def uuids(rng: np.random.Generator, n: int) -> pa.Array:
    """``n`` deterministic version-4 UUID strings, formatted without a per-row Python loop."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = pa.array(np.frombuffer(raw.tobytes().hex().encode(), dtype="S32").astype(str))
    parts = [pc.utf8_slice_codeunits(hexed, a, b) for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))]
    return pc.binary_join_element_wise(*parts, "-")


def unique_pairs(
    rng: np.random.Generator, n: int, n_src: int, n_dst: int, *, no_self: bool
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` distinct (src, dst) index pairs drawn uniformly, in a seeded random order."""
    n = min(n, n_src * n_dst - (min(n_src, n_dst) if no_self else 0))
    src = np.empty(0, dtype=np.int64)
    dst = np.empty(0, dtype=np.int64)
    while len(src) < n:
        draw = int((n - len(src)) * 1.3) + 16
        s = np.concatenate([src, rng.integers(0, n_src, draw)])
        d = np.concatenate([dst, rng.integers(0, n_dst, draw)])
        keep = s != d if no_self else np.ones(len(s), dtype=bool)
        s, d = s[keep], d[keep]
        _, first = np.unique(s * n_dst + d, return_index=True)
        first.sort()  # keep draw order, so the result does not depend on the key order
        src, dst = s[first], d[first]
    return src[:n], dst[:n]


def generate(scale: float, seed: int = DEFAULT_SEED, out: Path | None = None) -> Path:
    """Write the dataset and expected answers for ``scale``; return its directory."""
    out = out or BENCH_DIR / "data" / f"scale-{scale:g}"
    (out / "nodes").mkdir(parents=True, exist_ok=True)
    (out / "edges").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = sizes(scale)
    n_p, n_post, n_com = n["Person"], n["Post"], n["Comment"]

    person = pd.DataFrame(
        {
            "id": uuids(rng, n_p).to_pandas(),
            "_id": np.arange(n_p, dtype=np.int64),
            "firstName": FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), n_p)],
            "lastName": LAST_NAMES[rng.integers(0, len(LAST_NAMES), n_p)],
            "age": rng.integers(18, 80, n_p).astype(np.int64),
            "creationDate": MS_2010 + rng.integers(0, MS_YEAR, n_p),
        }
    )

    def messages(kind: str, count: int, first_key: int) -> pd.DataFrame:
        keys = np.arange(first_key, first_key + count, dtype=np.int64)
        topic = TOPICS[rng.integers(0, len(TOPICS), count)]
        # The key makes every content unique, so the content-equality query has exactly one answer.
        content = pd.Series(topic, dtype=object) + f" {kind} #" + pd.Series(keys).astype(str)
        return pd.DataFrame(
            {
                "id": uuids(rng, count).to_pandas(),
                "_id": keys,
                "content": content.to_numpy(dtype=object),
                "creationDate": MS_2010 + MS_YEAR + rng.integers(0, 2 * MS_YEAR, count),
                "length": rng.integers(10, 2000, count).astype(np.int64),
            }
        )

    post = messages("post", n_post, n_p)
    comment = messages("comment", n_com, n_p + n_post)
    nodes = {"Person": person, "Post": post, "Comment": comment}
    for label, df in nodes.items():
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), out / "nodes" / f"{label}.parquet")

    # Edges, as integer row indexes first (the pandas answers below use these), then UUIDs on disk.
    ks, kd = unique_pairs(rng, n["KNOWS"], n_p, n_p, no_self=True)
    knows = pd.DataFrame({"s": ks, "d": kd, "since": MS_2010 + rng.integers(0, MS_YEAR, len(ks))})
    post_creator = rng.integers(0, n_p, n_post)
    comment_creator = rng.integers(0, n_p, n_com)
    ls, lm = unique_pairs(rng, n["LIKES"], n_p, n_post + n_com, no_self=False)
    likes = pd.DataFrame(
        {"s": ls, "m": lm, "creationDate": MS_2010 + 2 * MS_YEAR + rng.integers(0, MS_YEAR, len(ls))}
    )
    n_reply = min(n["REPLY_OF"], n_com)
    replier = rng.choice(n_com, size=n_reply, replace=False)
    # 70% of replies answer a post, the rest an earlier comment (never themselves).
    to_post = rng.random(n_reply) < 0.7
    target_post = rng.integers(0, n_post, n_reply)
    target_com = np.where(replier > 0, rng.integers(0, np.maximum(replier, 1)), 0)
    to_post |= replier == 0

    def write_edges(name: str, src_ids: Any, dst_ids: Any, **props: Any) -> None:
        cols: dict[str, Any] = {"src": src_ids, "dst": dst_ids, **props}
        pq.write_table(pa.table(cols), out / "edges" / f"{name}.parquet")

    pid, poid, cid = person["id"].to_numpy(), post["id"].to_numpy(), comment["id"].to_numpy()
    write_edges("KNOWS__Person__Person", pid[ks], pid[kd], since=knows["since"].to_numpy())
    write_edges("HAS_CREATOR__Post__Person", poid, pid[post_creator])
    write_edges("HAS_CREATOR__Comment__Person", cid, pid[comment_creator])
    lp = lm < n_post
    write_edges(
        "LIKES__Person__Post", pid[ls[lp]], poid[lm[lp]], creationDate=likes["creationDate"].to_numpy()[lp]
    )
    write_edges(
        "LIKES__Person__Comment",
        pid[ls[~lp]],
        cid[lm[~lp] - n_post],
        creationDate=likes["creationDate"].to_numpy()[~lp],
    )
    write_edges("REPLY_OF__Comment__Post", cid[replier[to_post]], poid[target_post[to_post]])
    write_edges("REPLY_OF__Comment__Comment", cid[replier[~to_post]], cid[target_com[~to_post]])

    graph = {
        "person": person,
        "post": post,
        "comment": comment,
        "knows": knows,
        "post_creator": post_creator,
        "comment_creator": comment_creator,
        "likes": likes,
        "reply_src": replier,
        "reply_to_post": to_post,
        "reply_dst": np.where(to_post, target_post, target_com),
    }
    expected = expected_answers(graph, rng)
    (out / "expected.json").write_text(json.dumps(expected))
    counts = {
        **{label: len(df) for label, df in nodes.items()},
        "KNOWS": len(knows),
        "HAS_CREATOR": n_post + n_com,
        "LIKES": len(likes),
        "REPLY_OF": n_reply,
    }
    (out / "meta.json").write_text(json.dumps({"scale": scale, "seed": seed, "counts": counts}, indent=1))
    return out


def _records(df: pd.DataFrame) -> list[list[Any]]:
    """Rows as JSON-ready lists (numpy scalars become Python ints/strs)."""
    return [[v.item() if hasattr(v, "item") else v for v in row] for row in df.itertuples(index=False)]


def expected_answers(g: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """Pick query parameters and compute every query's answer with pandas (no engine involved)."""
    person: pd.DataFrame = g["person"]
    post: pd.DataFrame = g["post"]
    comment: pd.DataFrame = g["comment"]
    knows: pd.DataFrame = g["knows"]
    n_post = len(post)

    # The start person: 90th-percentile KNOWS out-degree, so expansions are non-trivial but typical.
    outdeg = np.bincount(knows["s"], minlength=len(person))
    target = np.quantile(outdeg, 0.9)
    start = int(np.flatnonzero(outdeg >= target)[0])
    pid = int(person["_id"].iat[start])
    min_age = 40
    content = str(post["content"].iat[n_post // 2])
    max_date = int(post["creationDate"].median())

    # Messages as one frame: index 0..n_post-1 are posts, then comments (the LIKES/REPLY_OF index space).
    msgs = pd.concat(
        [
            post.assign(creator=g["post_creator"], kind="Post"),
            comment.assign(creator=g["comment_creator"], kind="Comment"),
        ],
        ignore_index=True,
    )

    friends = knows.loc[knows["s"] == start, "d"].to_numpy()
    fof = knows.loc[knows["s"].isin(friends), "d"].to_numpy()
    fof = np.unique(fof[fof != start])

    q: dict[str, tuple[dict[str, Any], pd.DataFrame]] = {}
    q["return_1"] = ({}, pd.DataFrame({"x": [1]}))
    pr = person.iloc[[start]]
    q["point_lookup_bkey"] = ({"pid": pid}, pr[["firstName", "lastName", "age"]])
    q["post_content_eq"] = ({"content": content}, post.loc[post["content"] == content, ["_id", "length"]])
    fr = person.iloc[friends]
    q["expand_1hop_filter"] = (
        {"pid": pid, "minAge": min_age},
        fr.loc[fr["age"] > min_age, ["_id", "age"]],
    )
    q["fof_count_distinct"] = ({"pid": pid}, pd.DataFrame({"n": [len(fof)]}))
    q["agg_by_label_prop"] = ({}, person.groupby("age").size().reset_index(name="n").sort_values("age"))
    joined = post.assign(lastName=person["lastName"].to_numpy()[g["post_creator"]])
    agg = joined.groupby("lastName").agg(posts=("_id", "size"), totalLength=("length", "sum")).reset_index()
    q["agg_post_person_join"] = ({}, agg.sort_values("lastName"))
    top = post.sort_values(["creationDate", "_id"], ascending=[False, True]).head(10)
    q["top10_by_date"] = ({}, top[["_id", "creationDate"]])

    # IC2: friends' recent posts.
    fp = post.assign(creator=g["post_creator"])
    fp = fp[fp["creator"].isin(friends) & (fp["creationDate"] <= max_date)]
    fp = fp.assign(
        friendId=person["_id"].to_numpy()[fp["creator"]],
        firstName=person["firstName"].to_numpy()[fp["creator"]],
    )
    fp = fp.sort_values(["creationDate", "_id"], ascending=[False, True]).head(20)
    q["ic2_friends_recent_posts"] = (
        {"pid": pid, "maxDate": max_date},
        fp[["friendId", "firstName", "_id", "creationDate"]],
    )

    # IC7/IC8 start from the person whose messages got the most replies, so both answers are non-empty.
    reply_dst_global = np.where(g["reply_to_post"], g["reply_dst"], g["reply_dst"] + n_post)
    creators = msgs["creator"].to_numpy()
    ic_start = int(np.argmax(np.bincount(creators[reply_dst_global], minlength=len(person))))
    ic_pid = int(person["_id"].iat[ic_start])
    mine = np.flatnonzero(creators == ic_start)

    # IC7: who liked the person's messages most recently.
    lk = g["likes"][g["likes"]["m"].isin(mine)]
    lk = lk.assign(likerId=person["_id"].to_numpy()[lk["s"]])
    ic7 = lk.groupby("likerId").agg(latest=("creationDate", "max"), likes=("m", "size")).reset_index()
    ic7 = ic7.sort_values(["latest", "likerId"], ascending=[False, True]).head(20)
    q["ic7_recent_likers"] = ({"pid": ic_pid}, ic7)

    # IC8: the most recent replies to the person's messages, with their authors.
    hit = np.isin(reply_dst_global, mine)
    rc = comment.iloc[g["reply_src"][hit]]
    rc = rc.assign(authorId=person["_id"].to_numpy()[g["comment_creator"][g["reply_src"][hit]]])
    rc = rc.sort_values(["creationDate", "_id"], ascending=[False, True]).head(20)
    q["ic8_recent_replies"] = ({"pid": ic_pid}, rc[["authorId", "_id", "creationDate"]])

    # IC9: friends-of-friends' posts before a date.
    fofp = post.assign(creator=g["post_creator"])
    fofp = fofp[fofp["creator"].isin(fof) & (fofp["creationDate"] < max_date)]
    fofp = fofp.assign(personId=person["_id"].to_numpy()[fofp["creator"]])
    fofp = fofp.sort_values(["creationDate", "_id"], ascending=[False, True]).head(20)
    q["ic9_fof_recent_posts"] = (
        {"pid": pid, "maxDate": max_date},
        fofp[["personId", "_id", "creationDate"]],
    )

    queries = {
        name: {"params": params, "rows": _records(df), "ordered": workload.QUERIES[name].ordered}
        for name, (params, df) in q.items()
    }
    missing = set(workload.QUERIES) - set(queries)
    assert not missing, f"no expected answer for {sorted(missing)}"

    # Direct-API probes: random persons, their first names and KNOWS out-degrees.
    probe = rng.choice(len(person), size=min(200, len(person)), replace=False)
    api = {
        "lookup": [
            {"id": str(person["id"].iat[i]), "firstName": str(person["firstName"].iat[i])} for i in probe
        ],
        "out_edges": [{"id": str(person["id"].iat[i]), "degree": int(outdeg[i])} for i in probe],
        "scan_label": "Post",
        "scan_rows": n_post,
    }
    # Write mix: 1,000 auto-commit statements cycling create-person / set-age / create-KNOWS.
    n_p = len(person)
    ops: list[dict[str, Any]] = []
    taken = set(zip(knows["s"].tolist(), knows["d"].tolist(), strict=True))
    if n_p * (n_p - 1) - len(taken) < workload.WRITE_MIX_SIZE:
        raise ValueError(f"scale too small: {n_p} persons leave too few new KNOWS pairs for the write mix")
    for i in range(workload.WRITE_MIX_SIZE):
        kind = workload.WRITE_KINDS[i % 3]
        if kind == "create_person":
            params: dict[str, Any] = {
                "bkey": 10_000_000 + i,
                "fn": "New",
                "ln": f"Writer{i}",
                "age": 30,
                "cd": MS_2010 + 3 * MS_YEAR + i,
            }
        elif kind == "set_age":
            params = {"pid": int(rng.integers(0, n_p)), "age": int(rng.integers(18, 80))}
        else:
            # A pair that has no KNOWS yet: engines keyed by (type, src, dst) would otherwise upsert
            # instead of adding an edge, and the edge counts checked afterwards would differ.
            while True:
                a, b = (int(x) for x in rng.integers(0, n_p, 2))
                if a != b and (a, b) not in taken:
                    taken.add((a, b))
                    break
            params = {"a": a, "b": b, "since": MS_2010 + 3 * MS_YEAR + i}
        ops.append({"kind": kind, "params": params})
    knows_added = sum(1 for o in ops if o["kind"] == "create_knows")
    write_mix = {
        "ops": ops,
        "persons_after": n_p + sum(1 for o in ops if o["kind"] == "create_person"),
        "knows_after": len(knows) + knows_added,
    }
    return {"queries": queries, "api": api, "write_mix": write_mix}


def main() -> None:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    t0 = time.perf_counter()
    out = generate(args.scale, args.seed, args.out)
    print(f"wrote {out} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
