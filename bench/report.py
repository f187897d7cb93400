"""Render benchmark results: the comparison table (terminal or Markdown) and a PNG chart of ratios.

    .venv/bin/python bench/report.py bench/results/scale-0.1.json [bench/results/scale-1.json ...]
        [--md bench/results/benchmarks.md] [--png bench/results/ratios.png] [--ours namidb]

The Markdown is ready to paste into ``docs/benchmarks.md``. Ratios are ours / peer on the median; the
``better`` column says which direction wins (for ``lower`` metrics a ratio above 1 means we are slower,
for ``higher`` ones below 1 does). The chart normalizes both to "times slower than the peer".
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import workload

CHECK_OK, CHECK_BAD = "✓", "✗"


def fmt(value: float | None) -> str:
    """Three significant figures, thousands separated; ``-`` for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if value == 0:
        return "0"
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    return f"{value:,.{digits}f}"


def cell(rec: dict[str, Any] | None, width: int = 48) -> str:
    """``median / p95 ✓`` for a result, ``n/a (first line of the error)`` for a phase that failed."""
    if not rec or rec.get("error") or rec.get("median") is None:
        why = (rec or {}).get("error") or "not run"
        why = why if len(why) <= width else why[: width - 1] + "…"
        return f"n/a ({why})"
    text = fmt(rec["median"])
    if rec.get("p95") is not None and rec["p95"] != rec["median"]:
        text += f" / {fmt(rec['p95'])}"
    check = rec.get("check")
    if check is not None:
        text += f" {CHECK_OK if check == 'ok' else CHECK_BAD}"
    return text


def _value(rec: dict[str, Any] | None) -> float | None:
    if not rec or rec.get("error") or rec.get("median") is None:
        return None
    return float(rec["median"])


def ratios(doc: dict[str, Any], ours: str) -> dict[str, dict[str, float | None]]:
    """Per metric: ``{peer: ours/peer, "best": ours/best peer}`` on medians (None where either is missing)."""
    results = doc["results"]
    peers = [e for e in results if e != ours]
    out: dict[str, dict[str, float | None]] = {}
    for metric in workload.METRICS:
        mine = _value(results.get(ours, {}).get(metric.key))
        row: dict[str, float | None] = {}
        vals = {p: _value(results[p].get(metric.key)) for p in peers}
        for p, v in vals.items():
            row[p] = mine / v if mine is not None and v else None
        have = [v for v in vals.values() if v]
        best = (min(have) if metric.better == "lower" else max(have)) if have else None
        row["best"] = mine / best if mine is not None and best else None
        out[metric.key] = row
    return out


def rows_of(doc: dict[str, Any], key: str) -> str:
    """The row count an engine returned for ``key`` (the first engine that has one)."""
    for res in doc["results"].values():
        rec = res.get(key) or {}
        if rec.get("rows") is not None and not rec.get("error"):
            return str(rec["rows"])
    return "-"


def render_table(doc: dict[str, Any], *, markdown: bool, ours: str | None = None) -> str:
    """The one comparison table: metric, each engine (median / p95, check), rows, ratios."""
    ours = ours or doc["meta"].get("ours", "namidb")
    engines = list(doc["results"])
    peers = [e for e in engines if e != ours]
    rat = ratios(doc, ours)
    with_ratios = ours in doc["results"]  # a peers-only run has nothing to divide
    header = ["metric", "unit", "better", "rows", *engines]
    if with_ratios:
        header += [f"{ours} / best peer", *[f"{ours} / {p}" for p in peers]]
    body = []
    for metric in workload.METRICS:
        row = [metric.key, metric.unit, metric.better, rows_of(doc, metric.key)]
        row += [cell(doc["results"][e].get(metric.key)) for e in engines]
        if with_ratios:
            row += [fmt(rat[metric.key]["best"])] + [fmt(rat[metric.key][p]) for p in peers]
        body.append(row)
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(lines)


def render_markdown(docs: list[dict[str, Any]], ours: str | None = None) -> str:
    """A ``docs/benchmarks.md``-ready section per results file."""
    parts = []
    for doc in docs:
        meta = doc["meta"]
        versions = ", ".join(f"{e} {i.get('version', '?')}" for e, i in doc["engines"].items())
        counts = ", ".join(f"{k} {v:,}" for k, v in meta["counts"].items())
        parts.append(f"## Scale {meta['scale']:g}\n")
        parts.append(
            f"Run {meta['date']} on {meta['machine']}, Python {meta['python']}; {versions}. "
            f"Median / p95 over {meta['repeat']} runs after {meta['warmup']} warm-up "
            f"({CHECK_OK}: rows match the expected answer computed by pandas, {CHECK_BAD}: they do not).\n"
        )
        parts.append(f"Dataset: {counts}.\n")
        parts.append(render_table(doc, markdown=True, ours=ours) + "\n")
        notes = []
        for engine, res in doc["results"].items():
            for key, rec in res.items():
                if rec.get("check") not in (None, "ok") and not rec.get("error"):
                    notes.append(f"- {engine} `{key}`: {rec['check']}")
                elif key == "compact" and rec.get("detail") is not None:
                    notes.append(f"- {engine} `compact` report: `{json.dumps(rec['detail'], default=str)}`")
        if notes:
            parts.append("Notes:\n\n" + "\n".join(notes) + "\n")
    parts.append(
        "Units: `us` per call or statement, `ms` per query, `rows/s` for ingest and scans, `MiB` for "
        "peak RSS. Ratios are ours / peer on medians. Ingest is `merge_nodes`/`merge_edges` from lists "
        "of dicts + `commit` + `flush` for namidb engines and `COPY` from the same Parquet files + "
        "`CHECKPOINT` for Kuzu.\n"
    )
    return "\n".join(parts)


def slowdowns(doc: dict[str, Any], ours: str) -> dict[str, dict[str, float]]:
    """Per peer, per metric: how many times slower we are (>1 slower, <1 faster), both directions unified."""
    rat = ratios(doc, ours)
    out: dict[str, dict[str, float]] = {}
    for metric in workload.METRICS:
        for peer, r in rat[metric.key].items():
            if peer == "best" or r is None or r <= 0:
                continue
            out.setdefault(peer, {})[metric.key] = r if metric.better == "lower" else 1 / r
    return out


def render_chart(doc: dict[str, Any], png: Path, ours: str | None = None) -> None:
    """A horizontal bar chart (log scale) of how many times slower ``ours`` is than each peer."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ours = ours or doc["meta"].get("ours", "namidb")
    data = slowdowns(doc, ours)
    keys = [m.key for m in workload.METRICS]
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(keys) + 1.5))
    if not data:
        ax.text(0.5, 0.5, f"no metric where both {ours} and a peer have a figure", ha="center", va="center")
        ax.set_axis_off()
    else:
        height = 0.8 / len(data)
        for i, (peer, vals) in enumerate(sorted(data.items())):
            ys = [k + i * height for k in range(len(keys))]
            ax.barh(ys, [vals.get(k, math.nan) for k in keys], height=height, label=peer)
        ax.set_yticks([k + 0.4 - height / 2 for k in range(len(keys))], keys)
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_xlabel(f"times slower than the peer ({ours}; < 1 means {ours} is faster)")
        ax.legend()
    ax.set_title(f"{ours} vs peers, scale {doc['meta']['scale']:g}")
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    plt.close(fig)


def main() -> None:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="+", type=Path)
    ap.add_argument("--md", type=Path, default=None, help="write the Markdown here (default: print it)")
    ap.add_argument("--png", type=Path, default=None, help="chart of ratios for the LAST results file")
    ap.add_argument("--ours", default=None, help="engine treated as ours (default: namidb)")
    args = ap.parse_args()
    docs = [json.loads(p.read_text()) for p in args.results]
    md = render_markdown(docs, args.ours)
    if args.md:
        args.md.write_text(md)
        print(f"wrote {args.md}")
    else:
        print(md)
    if args.png:
        render_chart(docs[-1], args.png, args.ours)
        print(f"wrote {args.png}")


if __name__ == "__main__":
    main()
