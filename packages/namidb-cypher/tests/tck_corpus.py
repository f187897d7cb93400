"""Extract the queries of the openCypher TCK feature files (a tiny Gherkin reader).

Only what the frontend sweep needs: for every scenario (each Examples row of a
Scenario Outline is its own scenario) the setup queries (``having executed:``),
the queries under test (``When executing query:``), the procedures the scenario
declares, the parameter names, and the expected error, if any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

TCK_FEATURES = Path(__file__).resolve().parents[4] / "shared" / "tck" / "features"
if not TCK_FEATURES.is_dir():  # the monorepo may sit next to, not inside, the shared folder
    TCK_FEATURES = Path("/work/shared/tck/features")

_ERROR = re.compile(r"Then an? (\w+) should be raised at (compile time|runtime|any time): (\w+)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_PROC = re.compile(r"there exists a procedure ([\w.]+)\((.*?)\)\s*::\s*\((.*?)\)\s*:")


@dataclass
class Procedure:
    """A procedure a scenario declares: name, input names and output names."""

    name: str
    inputs: list[tuple[str, str]]  # (name, type as written, e.g. "INTEGER?")
    outputs: list[tuple[str, str]]


@dataclass
class Scenario:
    """One runnable scenario (outlines expanded): its queries and its expectation."""

    id: str
    setup: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)
    error: tuple[str, str, str] | None = None  # (tck_name, phase, code)
    columns: tuple[str, ...] | None = None  # header of the expected result table of the last query

    @property
    def compile_error(self) -> tuple[str, str] | None:
        """The (tck_name, code) expected at compile time, if that is what the scenario expects."""
        if self.error is not None and self.error[1] == "compile time":
            return self.error[0], self.error[2]
        return None


def _signature_names(text: str) -> list[tuple[str, str]]:
    pairs = [part.split("::") for part in text.split(",") if part.strip()]
    return [(p[0].strip(), p[1].strip() if len(p) > 1 else "ANY") for p in pairs]


def _table_rows(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    rows: list[list[str]] = []
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("#") and rows:  # a commented-out row inside a table (Precedence1)
            i += 1
            continue
        if not line.startswith("|"):
            break
        cells = _CELL_SPLIT.split(line[1:-1])
        rows.append([c.strip().replace("\\|", "|") for c in cells])
        i += 1
    return rows, i


def _docstring(lines: list[str], i: int) -> tuple[str, int]:
    """Read the ``\"\"\"`` block starting at line ``i``; return its text (dedented) and the next line."""
    indent = len(lines[i]) - len(lines[i].lstrip())
    i += 1
    body: list[str] = []
    while lines[i].strip() != '"""':
        body.append(lines[i][indent:] if lines[i][:indent].strip() == "" else lines[i].lstrip())
        i += 1
    return "\n".join(body), i + 1


@dataclass
class _Raw:
    name: str
    steps: list[tuple[str, object]] = field(default_factory=list)
    examples: list[list[list[str]]] = field(default_factory=list)


def _parse_feature(path: Path) -> tuple[list[tuple[str, object]], list[_Raw]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    background: list[tuple[str, object]] = []
    scenarios: list[_Raw] = []
    current: list[tuple[str, object]] | None = None
    raw: _Raw | None = None
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if s.startswith("Background:"):
            current, raw = background, None
        elif s.startswith(("Scenario:", "Scenario Outline:")):
            raw = _Raw(s.split(":", 1)[1].strip())
            scenarios.append(raw)
            current = raw.steps
        elif s.startswith("Examples:") and raw is not None:
            rows, i = _table_rows(lines, i + 1)
            raw.examples.append(rows)
            continue
        elif current is not None and s.startswith(("Given", "And", "When", "Then", "But")):
            step = s.split(" ", 1)[1] if " " in s else ""
            i += 1
            arg: object = None
            if i < len(lines) and lines[i].strip() == '"""':
                arg, i = _docstring(lines, i)
            elif i < len(lines) and lines[i].strip().startswith("|"):
                arg, i = _table_rows(lines, i)
            current.append((step, arg))
            continue
        i += 1
    return background, scenarios


def _substitute(text: str, row: dict[str, str]) -> str:
    for key, value in row.items():
        text = text.replace(f"<{key}>", value)
    return text


def _build(sid: str, steps: list[tuple[str, object]], row: dict[str, str]) -> Scenario:
    sc = Scenario(sid)
    for step, arg in steps:
        step = _substitute(step, row)
        if step.startswith("having executed:") and isinstance(arg, str):
            sc.setup.append(_substitute(arg, row))
        elif step.startswith(("executing query:", "executing control query:")) and isinstance(arg, str):
            sc.queries.append(_substitute(arg, row))
        elif step.startswith("parameters are:") and isinstance(arg, list):
            sc.parameters.extend(r[0] for r in arg)
        elif (m := _PROC.search(step)) is not None:
            sc.procedures.append(Procedure(m[1], _signature_names(m[2]), _signature_names(m[3])))
        elif (m := _ERROR.search("Then " + step)) is not None:
            sc.error = (m[1], m[2], m[3])
        elif step.startswith("the result should be") and isinstance(arg, list) and arg:
            sc.columns = tuple(_substitute(c, row) for c in arg[0])
    return sc


def load_scenarios(root: Path = TCK_FEATURES) -> list[Scenario]:
    """Every scenario of every feature file under ``root``, outlines expanded, in file order."""
    out: list[Scenario] = []
    for path in sorted(root.rglob("*.feature")):
        background, raws = _parse_feature(path)
        for raw in raws:
            tag = re.match(r"\[(\d+)\]", raw.name)
            base = f"{path.stem}/{tag[1] if tag else raw.name}"
            if not raw.examples:
                out.append(_build(base, background + raw.steps, {}))
                continue
            n = 0
            for table in raw.examples:
                header = table[0]
                for values in table[1:]:
                    n += 1
                    out.append(
                        _build(f"{base}/{n}", background + raw.steps, dict(zip(header, values, strict=True)))
                    )
    return out
