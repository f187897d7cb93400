"""Benchmark runner: every phase for each engine, each engine in its own subprocess.

    .venv/bin/python bench/run.py --scale 0.1 [--engines namidb,kuzu,namidb-compiled]
        [--peer-python PATH] [--repeat N] [--out results.json]

Generates the dataset when missing (``gen.py``), creates ``bench/.peer-venv`` with the compiled
``namidb==2.6.19`` when needed, runs ``peer_worker.py`` once per engine (restarting it past a phase
that stalls), prints one table and saves the JSON results (``report.py`` renders them for the docs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

import engines
import report
import workload

HERE = Path(__file__).resolve().parent
PEER_VENV = HERE / ".peer-venv"
PEER_REQUIREMENTS = ["namidb==2.6.19", "pyarrow", "pandas"]


def ensure_peer_python(override: str | None) -> str:
    """The interpreter that imports the compiled namidb: ``override``, or ``bench/.peer-venv`` (created)."""
    if override:
        return override
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEER_VENV} with {' '.join(PEER_REQUIREMENTS)} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS], check=True)
    return str(python)


def _reader(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_engine(
    engine: str, python: str, data: Path, args: argparse.Namespace, log: Path
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Run every phase for ``engine``; return (results by metric, info such as version and peak RSS)."""
    results: dict[str, dict[str, Any]] = {}
    info: dict[str, Any] = {"python": python, "peak_rss_mib": None}
    workdir = Path(tempfile.mkdtemp(prefix=f"namidb-bench-{engine}-", dir=args.tmp))
    resume, skip = False, list[str]()
    try:
        with log.open("w") as err:
            while True:
                cmd = [python, str(HERE / "peer_worker.py"), "--engine", engine, "--data", str(data)]
                cmd += [
                    "--db",
                    str(workdir / "db"),
                    "--repeat",
                    str(args.repeat),
                    "--warmup",
                    str(args.warmup),
                ]
                cmd += ["--ingest-repeat", str(args.ingest_repeat), "--budget", str(args.budget)]
                cmd += ["--write-budget", str(args.write_budget)]
                if resume:
                    cmd += ["--resume", "--skip", ",".join(skip)]
                proc = subprocess.Popen(
                    cmd, stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True
                )
                assert proc.stdout is not None
                lines: queue.Queue[str | None] = queue.Queue()
                threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
                current, stalled, done = None, False, False
                while True:
                    try:
                        line = lines.get(timeout=args.phase_timeout)
                    except queue.Empty:
                        stalled = True
                        break
                    if line is None:
                        break
                    msg = json.loads(line)
                    rss = msg.get("peak_rss_mib")
                    if rss is not None:
                        info["peak_rss_mib"] = max(info["peak_rss_mib"] or 0.0, rss)
                    kind = msg.get("type")
                    if kind == "hello":
                        info["version"] = msg["version"]
                    elif kind == "phase":
                        current = msg["metric"]
                        print(f"  {engine}: {current} ...", flush=True)
                    elif kind == "result":
                        results[msg["metric"]] = msg
                        current = None
                    elif kind == "open_failed":
                        info["open_error"] = msg["error"]
                    elif kind == "done":
                        done = True
                if stalled:
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                if done or current is None:
                    if not done and not results:
                        info["error"] = f"worker exited with rc={proc.returncode}: {_last_line(log)}"
                    break
                # A phase stalled or crashed the worker: record it and resume past it.
                why = (
                    f"timeout after {args.phase_timeout:g}s" if stalled else f"worker died: {_last_line(log)}"
                )
                results[current] = {"metric": current, "error": why}
                if current == "ingest":
                    break
                resume, skip = True, sorted(results)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    # Metrics the worker never reached get the reason the worker gave up.
    fallback = info.get("open_error") or info.get("error") or "not run"
    ingest_err = results.get("ingest", {}).get("error")
    for metric in workload.METRICS:
        if metric.key != "peak_rss" and metric.key not in results:
            results[metric.key] = {"metric": metric.key, "error": ingest_err or fallback}
    # A process that loaded nothing has a meaningless peak: only report it when ingest worked.
    if ingest_err or info["peak_rss_mib"] is None:
        results["peak_rss"] = {"metric": "peak_rss", "error": f"ingest failed: {ingest_err or fallback}"}
    else:
        rss = info["peak_rss_mib"]
        results["peak_rss"] = {"metric": "peak_rss", "median": rss, "p95": rss, "check": None}
    return results, info


def _last_line(log: Path) -> str:
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    return lines[-1].strip()[:200] if lines else "no output"


def main() -> None:
    """CLI entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--engines", default=",".join(engines.ENGINES))
    ap.add_argument("--peer-python", default=None, help="interpreter importing the compiled namidb")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per phase (after warm-up)")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--ingest-repeat", type=int, default=1, help="full loads to time (each into a fresh db)")
    ap.add_argument("--budget", type=float, default=30.0, help="max seconds of timed runs per phase")
    ap.add_argument("--write-budget", type=float, default=300.0, help="stop the write mix after S seconds")
    ap.add_argument("--phase-timeout", type=float, default=900.0, help="kill a phase silent this long")
    ap.add_argument(
        "--out", type=Path, default=None, help="JSON results (default bench/results/scale-S.json)"
    )
    ap.add_argument("--tmp", default=None, help="where the temporary databases go")
    ap.add_argument("--merge", action="store_true", help="keep other engines' results already in --out")
    ap.add_argument("--keep", action="store_true", help="keep the temporary databases")
    args = ap.parse_args()

    names = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(names) - set(engines.ENGINES)
    if unknown:
        ap.error(f"unknown engines {sorted(unknown)}; choose from {', '.join(engines.ENGINES)}")
    data = HERE / "data" / f"scale-{args.scale:g}"
    if not (data / "expected.json").exists():
        import gen  # main venv only: numpy/pandas

        print(f"generating {data} ...", flush=True)
        gen.generate(args.scale, out=data)
    out = args.out or HERE / "results" / f"scale-{args.scale:g}.json"
    out.parent.mkdir(parents=True, exist_ok=True)

    all_results: dict[str, dict[str, dict[str, Any]]] = {}
    infos: dict[str, dict[str, Any]] = {}
    for name in names:
        python = ensure_peer_python(args.peer_python) if name == "namidb-compiled" else sys.executable
        print(f"{name} ({python})", flush=True)
        t0 = time.perf_counter()
        log = out.with_name(f"{out.stem}-{name}.log")
        all_results[name], infos[name] = run_engine(name, python, data, args, log)
        infos[name]["wall_s"] = round(time.perf_counter() - t0, 1)
        infos[name]["log"] = str(log)

    if args.merge and out.exists():
        # Re-running some engines: keep the others' figures from the earlier run of the same file.
        old = json.loads(out.read_text())
        for name, res in old["results"].items():
            if name not in all_results:
                all_results[name], infos[name] = res, old["engines"][name]
        order = {name: i for i, name in enumerate(engines.ENGINES)}
        all_results = dict(sorted(all_results.items(), key=lambda kv: order.get(kv[0], len(order))))
    doc = {
        "meta": {
            "scale": args.scale,
            "counts": json.loads((data / "meta.json").read_text())["counts"],
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} CPUs",
            "python": platform.python_version(),
            "repeat": args.repeat,
            "warmup": args.warmup,
            "ours": "namidb",
        },
        "engines": infos,
        "results": all_results,
    }
    out.write_text(json.dumps(doc, indent=1, default=str))
    print()
    print(report.render_table(doc, markdown=False))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
