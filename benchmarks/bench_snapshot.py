"""Filtered load of a large arXiv snapshot: paperscope against pandas and two columnar engines.

Builds a snapshot file of about SIZE_MB megabytes from real lines: the 200 lines of
``shared/data/arxiv_snapshot_head200`` repeated in order, each copy with a fresh arXiv id
(``9000.00000`` upward) and its DOI suffixed with the copy's number, so that no two lines are
the same paper; every other field (title, abstract, authors, categories, versions) is the
real line's, written compactly like the real snapshot. The category mix is the real one
(15 of the 200 lines are ``hep-th``). Then, each in a fresh child process so that peak
memory is its own:

* baseline: ``pandas.read_json(path, lines=True)`` then the same category filter in pandas;
* paperscope: ``paperscope.load(path, categories=[...])`` (byte prefilter, orjson on the
  lines that hold the prefix, schema frame, merge and validation included), on every core
  (a file this size is read by one process per core), and again in one process;
* pyarrow: ``pyarrow.json.read_json`` (multi-threaded C++), the filter in ``pyarrow.compute``;
* duckdb: ``read_json(..., format='newline_delimited')`` with the filter in SQL, to a
  DataFrame — only when ``duckdb`` is importable (it is not a paperscope dependency; to
  measure it: ``pip install --target /tmp/duck duckdb`` and ``PYTHONPATH=/tmp/duck``).

The columnar engines return the raw fields only (no schema, no merge, no per-record
checks): they show what parsing the whole file costs, not a drop-in replacement.
Both pandas and paperscope import pandas before the clock for "read" starts (paperscope imports it
lazily, so it would otherwise count in its reading time only). The engines run in turn, ROUNDS
times (the machine's timings vary by a quarter from run to run); each figure is the median of its
rounds. Peak memory is the child's peak RSS plus that of its largest own child (paperscope reads a file of
64 MB or more on every core), an upper bound since a forked process shares its parent's pages.
Prints, for each, wall time (interpreter start and imports included), its import and reading
times, peak RSS, and the ratios to pandas in the same run.

    .venv/bin/python benchmarks/bench_snapshot.py [SIZE_MB] [ROUNDS]
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SOURCE = SHARED / "data/arxiv_snapshot_head200/arxiv-metadata-oai-snapshot.json"
CATEGORY = "hep-th"

_HEAD = """
import resource, sys, time
t0 = time.perf_counter()
"""
_TAIL = """
# peak memory: the process's own, plus that of its largest child (paperscope reads a large file on
# every core, in forked processes): an upper bound, as a forked child shares its parent's pages
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
      t1 - t0, time.perf_counter() - t1)
"""
ENGINES = {
    "pandas.read_json(lines=True) + filter": """
import pandas as pd
t1 = time.perf_counter()
frame = pd.read_json(sys.argv[1], lines=True, dtype=False)
kept = frame[frame["categories"].str.split().map(lambda cs: any(c.startswith("{cat}") for c in cs))]
n = len(kept)
""",
    "paperscope.load(categories=...)": """
import pandas  # imported before reading, as for the pandas baseline (and in any notebook)
import paperscope as ps
t1 = time.perf_counter()
n = len(ps.load(sys.argv[1], categories=["{cat}"]))
""",
    "paperscope.load, one process": """
import pandas
import paperscope as ps
t1 = time.perf_counter()
n = len(ps.load(sys.argv[1], categories=["{cat}"], processes=1))
""",
    "pyarrow.json + compute filter": """
import pyarrow.compute as pc
import pyarrow.json as pj
t1 = time.perf_counter()
table = pj.read_json(sys.argv[1])
n = table.filter(pc.match_substring_regex(table["categories"], r"(^|\\s){cat}")).num_rows
""",
    "duckdb read_json + SQL filter": """
import duckdb
t1 = time.perf_counter()
n = len(duckdb.sql(f"SELECT * FROM read_json('{sys.argv[1]}', format='newline_delimited') "
                   "WHERE regexp_matches(categories, '(^|\\s){cat}')").df())
""",
}

# where paperscope's reading time goes, stage by stage (CPU seconds of the child)
STAGES = """
import gc, sys, time
from paperscope import schema
from paperscope.loader import records_frame
from paperscope.merge import merge_duplicates
from paperscope.sources import arxiv_snapshot
gc.disable()  # as load() does while it builds records
t = [time.process_time()]
# CPU time by stage: one process does it all (processes=1)
arxiv_snapshot.parse(sys.argv[1], categories=["no-such-category"], processes=1)  # the scan alone: no line holds it
t.append(time.process_time())
parsed = arxiv_snapshot.parse(sys.argv[1], categories=["{cat}"], processes=1)
t.append(time.process_time())
frame = records_frame([parsed])
t.append(time.process_time())
merged, _ = merge_duplicates(frame)
t.append(time.process_time())
schema.validate(merged)
t.append(time.process_time())
print(len(parsed.records) + len(parsed.skipped), *(b - a for a, b in zip(t, t[1:])))
"""


def build(path: Path, size_mb: int) -> int:
    lines = [json.loads(ln) for ln in SOURCE.read_text().splitlines()]
    written, n = 0, 0
    with path.open("w") as fh:
        while written < size_mb * 1_000_000:
            for obj in lines:
                # fresh ids (and DOIs), so that no two lines are the same paper
                obj = dict(obj, id=f"{9000 + n // 100000:04d}.{n % 100000:05d}",
                           doi=f"{obj['doi']}.{n}" if obj.get("doi") else None)
                text = json.dumps(obj, separators=(",", ":")) + "\n"
                fh.write(text)
                written += len(text)
                n += 1
    return n


def run(code: str, path: Path) -> tuple[float, int, int, float, float]:
    """Wall time of the child, rows, peak MB, and the child's own import and reading times."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _HEAD + code.replace("{cat}", CATEGORY) + _TAIL, str(path)],
                         check=True, capture_output=True, text=True).stdout.split()
    wall = time.perf_counter() - start
    return wall, int(out[0]), int(out[1]) // 1024, float(out[2]), float(out[3])  # ru_maxrss is KiB


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    n_rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "snapshot.json"
        n = build(path, size_mb)
        print(f"snapshot: {n:,} lines, {path.stat().st_size / 1e6:.0f} MB; filter: categories starting {CATEGORY!r}")
        engines = dict(ENGINES)
        if importlib.util.find_spec("duckdb") is None:
            print("duckdb read_json + SQL filter: skipped (duckdb is not installed)")
            del engines["duckdb read_json + SQL filter"]
        rounds = [{name: run(code, path) for name, code in engines.items()} for _ in range(n_rounds)]
        results = {}
        for name in engines:
            runs = [r[name] for r in rounds]
            assert len({rows for _, rows, *_ in runs}) == 1, (name, runs)
            results[name] = wall, rows, mb, imp, read = (
                statistics.median(r[0] for r in runs), runs[0][1], max(r[2] for r in runs),
                statistics.median(r[3] for r in runs), statistics.median(r[4] for r in runs))
            walls = ", ".join(f"{r[0]:.1f}" for r in runs)
            print(f"{name:38s} {wall:6.1f} s, peak {mb:6,d} MB, {rows:,} rows (import {imp:.2f} s, "
                  f"read {read:.2f} s; wall of each round {walls} s)")
        base_wall, base_rows, base_mb, _, base_read = next(iter(results.values()))
        for name, (wall, rows, mb, _, read) in list(results.items())[1:]:
            assert rows == base_rows, (name, rows, base_rows)
            print(f"ratio {name} / pandas: time {wall / base_wall:.2f}x (reading alone {read / base_read:.2f}x), "
                  f"peak memory {mb / base_mb:.2f}x")
        out = subprocess.run([sys.executable, "-c", STAGES.replace("{cat}", CATEGORY), str(path)], check=True,
                             capture_output=True, text=True).stdout.split()
        kept, (scan, read, frame, merge, validate) = int(out[0]), map(float, out[1:])
        print(f"paperscope, CPU by stage (read in one process): scanning the file for the prefix {scan:.2f} s; "
              f"parsing the lines that hold it into {kept:,} records {read - scan:.2f} s more "
              f"({(read - scan) / kept * 1e6:.0f} µs a record); schema frame {frame:.2f} s; merge {merge:.2f} s; "
              f"validate {validate:.2f} s")


if __name__ == "__main__":
    main()
