"""Benchmark worker: runs the phases for ONE engine in its own process (so peak RSS is that engine's).

``run.py`` starts it with the engine's interpreter (the compiled namidb lives in its own venv because
its import name clashes with this project's) and reads JSON lines from its stdout:

- ``{"type": "phase", "metric": ...}`` when a phase starts (so a stalled phase can be named);
- ``{"type": "result", "metric": ..., "median": ..., "p95": ..., "samples": [...], "rows": ..., "check": ...,
  "error": ..., "query": ...}`` when it ends;
- ``{"type": "done"}`` at the end.

Anything an engine prints goes to stderr: the protocol owns the real stdout.

Two helper modes run in their own short-lived processes: ``reopen`` (time open + first query) and
``crash-writer`` (commit some rows, say so, wait to be SIGKILLed).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import engines
import workload

HERE = Path(__file__).resolve().parent
SUBPROCESS_TIMEOUT_S = 300


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty sample list."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def peak_rss_mib() -> float:
    """This process's peak resident set size (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def first_line(exc: BaseException) -> str:
    """``Type: first line of the message`` — what the report shows for a phase that failed."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".strip()


class Worker:
    """Runs the phases for one engine and reports each as a JSON line."""

    def __init__(self, args: argparse.Namespace, out: IO[str]) -> None:
        self.args = args
        self.out = out
        self.data = Path(args.data)
        self.expected: dict[str, Any] = json.loads((self.data / "expected.json").read_text())
        self.engine = engines.make_engine(args.engine, Path(args.db))
        self.skip = set(filter(None, args.skip.split(",")))

    def emit(self, record: dict[str, Any]) -> None:
        """Write one protocol line (with the peak RSS so far, in case the process is killed later)."""
        record["peak_rss_mib"] = round(peak_rss_mib(), 1)
        self.out.write(json.dumps(record, default=str) + "\n")
        self.out.flush()

    def phase(self, metric: str, fn: Callable[[], dict[str, Any]]) -> None:
        """Run one phase, turning an exception into an ``error`` result (the report shows ``n/a``)."""
        if metric in self.skip:
            return
        self.emit({"type": "phase", "metric": metric})
        try:
            result = fn()
        except Exception as exc:
            traceback.print_exc()
            result = {"error": first_line(exc)}
        self.emit({"type": "result", "metric": metric, **result})

    def timed(
        self, fn: Callable[[], Any], scale: float, *, warmup: int | None = None, repeat: int | None = None
    ) -> tuple[list[float], Any]:
        """Warm up, then time ``fn`` up to ``repeat`` times within the phase budget; samples in units/s."""
        warm = self.args.warmup if warmup is None else warmup
        reps = self.args.repeat if repeat is None else repeat
        out: Any = None
        for _ in range(warm):
            out = fn()
        samples: list[float] = []
        deadline = time.perf_counter() + self.args.budget
        while len(samples) < reps and (not samples or time.perf_counter() < deadline):
            t0 = time.perf_counter()
            out = fn()
            samples.append((time.perf_counter() - t0) * scale)
        return samples, out

    @staticmethod
    def summary(samples: list[float], **extra: Any) -> dict[str, Any]:
        """Median/p95 of the samples plus any extra fields."""
        return {
            "median": percentile(samples, 50),
            "p95": percentile(samples, 95),
            "samples": [round(s, 6) for s in samples],
            **extra,
        }

    # ---- phases -------------------------------------------------------------------------------

    def ingest(self) -> dict[str, Any]:
        rates: list[float] = []
        rows = 0
        for _ in range(max(1, self.args.ingest_repeat)):
            self.engine.close()
            self.engine.create()
            rows, seconds = self.engine.ingest(self.data)
            rates.append(rows / seconds)
        self.engine.close()
        return self.summary(rates, rows=rows, check="ok")

    def compact(self) -> dict[str, Any]:
        self.engine.open()
        try:
            t0 = time.perf_counter()
            detail = self.engine.compact()
            ms = (time.perf_counter() - t0) * 1e3
        finally:
            self.engine.close()
        return self.summary([ms], check=None, detail=detail)

    def _probe(self) -> dict[str, Any]:
        return self.expected["api"]["lookup"][0]  # type: ignore[no-any-return]

    def _reopen(self, label: str, node_id: str) -> dict[str, Any]:
        cmd = [sys.executable, str(Path(__file__)), "--mode", "reopen", "--engine", self.args.engine]
        cmd += ["--db", self.args.db, "--data", self.args.data, "--label", label, "--id", node_id]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT_S, check=False)
        sys.stderr.write(proc.stderr)
        lines = proc.stdout.strip().splitlines()
        if proc.returncode != 0 or not lines:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"reopen subprocess failed (rc={proc.returncode}): {tail}")
        reply: dict[str, Any] = json.loads(lines[-1])
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply

    def reopen_after_writes(self) -> dict[str, Any]:
        # No warm-up: the first open after the writes is the interesting one; every run is a new process.
        probe = self._probe()
        samples, checks = [], []
        for _ in range(self.args.repeat):
            r = self._reopen("Person", probe["id"])
            samples.append(r["open_ms"] + r["query_ms"])
            checks.append((r.get("props") or {}).get("firstName") == probe["firstName"])
        check = "ok" if all(checks) else "mismatch: probe node not found or wrong after reopen"
        return self.summary(samples, rows=1, check=check)

    def reopen_after_sigkill(self) -> dict[str, Any]:
        samples, checks = [], []
        for rep in range(min(self.args.repeat, 3)):
            ids = [str(uuid.UUID(int=(0xC0FFEE << 64) + rep * 1000 + k, version=4)) for k in range(100)]
            cmd = [
                sys.executable,
                str(Path(__file__)),
                "--mode",
                "crash-writer",
                "--engine",
                self.args.engine,
            ]
            cmd += ["--db", self.args.db, "--data", self.args.data, "--ids", ",".join(ids)]
            with tempfile.TemporaryFile("w+") as err:
                writer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
                assert writer.stdout is not None
                line = writer.stdout.readline()  # blocks until the writer has committed (or died)
                writer.send_signal(signal.SIGKILL)
                writer.wait()
                err.seek(0)
                tail = [ln for ln in err.read().splitlines() if ln.strip()]
            if "ready" not in line:
                raise RuntimeError(f"crash writer did not commit: {tail[-1] if tail else 'no output'}")
            r = self._reopen("Crash", ids[-1])
            samples.append(r["open_ms"] + r["query_ms"])
            checks.append((r.get("props") or {}).get("k") == len(ids) - 1)
        check = "ok" if all(checks) else "mismatch: committed rows lost after SIGKILL"
        return self.summary(samples, rows=1, check=check)

    def lookup_node(self) -> dict[str, Any]:
        probes = self.expected["api"]["lookup"]
        samples, bad = [], 0
        for i, p in enumerate(probes):
            t0 = time.perf_counter()
            props = self.engine.lookup_node("Person", p["id"])
            dt = (time.perf_counter() - t0) * 1e6
            if i >= self.args.warmup * 10:  # the first few calls warm caches
                samples.append(dt)
            bad += (props or {}).get("firstName") != p["firstName"]
        return self.summary(samples, rows=len(probes), check="ok" if not bad else f"mismatch: {bad} wrong")

    def out_edges(self) -> dict[str, Any]:
        probes = self.expected["api"]["out_edges"]
        samples, bad = [], 0
        for i, p in enumerate(probes):
            t0 = time.perf_counter()
            n = self.engine.out_edges("KNOWS", p["id"])
            dt = (time.perf_counter() - t0) * 1e6
            if i >= self.args.warmup * 10:
                samples.append(dt)
            bad += n != p["degree"]
        return self.summary(samples, rows=len(probes), check="ok" if not bad else f"mismatch: {bad} wrong")

    def scan_label_arrow(self) -> dict[str, Any]:
        api = self.expected["api"]
        samples, rows = self.timed(lambda: self.engine.scan_label(api["scan_label"]), 1.0)
        rates = [rows / s for s in samples]
        check = "ok" if rows == api["scan_rows"] else f"mismatch: {rows} rows, expected {api['scan_rows']}"
        return self.summary(rates, rows=rows, check=check)

    def query(self, name: str) -> dict[str, Any]:
        spec = self.expected["queries"][name]
        text = self.engine.rewrite(workload.QUERIES[name].text)
        params = spec["params"]
        samples, rows = self.timed(lambda: self.engine.cypher(text, params), 1e3)
        check = workload.check_rows(rows, spec["rows"], spec["ordered"])
        return self.summary(samples, rows=len(rows), check=check, query=text)

    def write_mix(self) -> dict[str, Any]:
        wm = self.expected["write_mix"]
        texts = {k: self.engine.rewrite(v) for k, v in workload.WRITES.items()}
        samples: list[float] = []
        ages: dict[int, int] = {}
        t_all = time.perf_counter()
        # A very slow engine still gets a figure: stop at the budget and say the mix is incomplete.
        deadline = t_all + self.args.write_budget
        for i, op in enumerate(wm["ops"]):
            if time.perf_counter() > deadline:
                break
            params = dict(op["params"])
            if op["kind"] == "create_person":
                params["id"] = str(uuid.UUID(int=(0xBEEF << 64) + i, version=4))
            elif op["kind"] == "set_age":
                ages[params["pid"]] = params["age"]
            t0 = time.perf_counter()
            self.engine.cypher(texts[op["kind"]], params)
            samples.append((time.perf_counter() - t0) * 1e6)
        total_s = time.perf_counter() - t_all
        problems = []
        if len(samples) < len(wm["ops"]):
            problems.append(f"incomplete: {len(samples)} of {len(wm['ops'])} statements in the budget")
        else:
            problems = self._check_writes(wm, ages)
        check = "ok" if not problems else "mismatch: " + "; ".join(problems)
        return self.summary(
            samples, rows=len(samples), check=check, statements_per_s=len(samples) / total_s, queries=texts
        )

    def _check_writes(self, wm: dict[str, Any], ages: dict[int, int]) -> list[str]:
        """What differs from the expected graph after the whole write mix (empty when all is right)."""
        persons = self.engine.cypher(self.engine.rewrite(workload.COUNT_PERSONS), {})[0][0]
        knows = self.engine.cypher(self.engine.rewrite(workload.COUNT_KNOWS), {})[0][0]
        pid, age = next(reversed(ages.items()))
        got_age = self.engine.cypher(
            self.engine.rewrite("MATCH (p:Person) WHERE p._id = $pid RETURN p.age AS age"), {"pid": pid}
        )
        problems = []
        if persons != wm["persons_after"]:
            problems.append(f"{persons} persons, expected {wm['persons_after']}")
        if knows != wm["knows_after"]:
            problems.append(f"{knows} KNOWS, expected {wm['knows_after']}")
        if got_age != [[age]]:
            problems.append(f"age of {pid} is {got_age}, expected {age}")
        return problems

    def run(self) -> None:
        """Every phase, in an order where none disturbs another's expected answer."""
        self.emit({"type": "hello", "engine": self.args.engine, "version": self.engine.version()})
        if not self.args.resume:
            self.phase("ingest", self.ingest)
            self.phase("compact", self.compact)
        self.engine.close()
        self.phase("reopen_after_writes", self.reopen_after_writes)
        self.phase("reopen_after_sigkill", self.reopen_after_sigkill)
        try:
            self.engine.open()
        except Exception as exc:
            traceback.print_exc()
            self.emit({"type": "open_failed", "error": first_line(exc)})
            return
        self.phase("lookup_node", self.lookup_node)
        self.phase("out_edges", self.out_edges)
        self.phase("scan_label_arrow", self.scan_label_arrow)
        for name in workload.QUERIES:
            self.phase(f"cypher.{name}", lambda name=name: self.query(name))  # type: ignore[misc]
        self.phase("write_mix", self.write_mix)  # last: it changes the graph the queries check
        self.engine.close()
        self.emit({"type": "done"})


def reopen_mode(args: argparse.Namespace) -> dict[str, Any]:
    """Open the database and run the first query (a node lookup); report both times."""
    try:
        t0 = time.perf_counter()
        engine = engines.make_engine(args.engine, Path(args.db))
        engine.open()
        t1 = time.perf_counter()
        props = engine.lookup_node(args.label, args.id)
        t2 = time.perf_counter()
        engine.close()
    except Exception as exc:
        traceback.print_exc()
        return {"error": first_line(exc)}
    return {"open_ms": (t1 - t0) * 1e3, "query_ms": (t2 - t1) * 1e3, "props": props}


def crash_writer_mode(args: argparse.Namespace, out: IO[str]) -> None:
    """Commit ``Crash`` nodes, announce it, then wait for the parent's SIGKILL."""
    engine = engines.make_engine(args.engine, Path(args.db))
    engine.open()
    ids = args.ids.split(",")
    engine.crash_write([{"id": node_id, "k": k} for k, node_id in enumerate(ids)])
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    time.sleep(SUBPROCESS_TIMEOUT_S)


def main() -> None:
    """CLI entry point (started by run.py, not by hand)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("run", "reopen", "crash-writer"), default="run")
    ap.add_argument("--engine", required=True, choices=engines.ENGINES)
    ap.add_argument("--data", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--ingest-repeat", type=int, default=1)
    ap.add_argument("--budget", type=float, default=30.0, help="seconds of timed runs per phase")
    ap.add_argument("--write-budget", type=float, default=600.0, help="seconds for the write mix")
    ap.add_argument("--skip", default="", help="comma-separated metrics to skip (used on resume)")
    ap.add_argument("--resume", action="store_true", help="reuse the loaded database, skip ingest")
    ap.add_argument("--label", default="Person")
    ap.add_argument("--id", default="")
    ap.add_argument("--ids", default="")
    args = ap.parse_args()

    # The protocol keeps the real stdout; engines' own prints are sent to stderr.
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if args.mode == "reopen":
        out.write(json.dumps(reopen_mode(args), default=str) + "\n")
    elif args.mode == "crash-writer":
        crash_writer_mode(args, out)
    else:
        Worker(args, out).run()
    out.flush()


if __name__ == "__main__":
    main()
