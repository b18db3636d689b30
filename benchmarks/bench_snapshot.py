"""Filtered streaming load of a large arXiv snapshot vs. pandas.read_json(lines=True).

Builds a snapshot file of about SIZE_MB megabytes from real lines: the 200 lines of
``shared/data/arxiv_snapshot_head200`` repeated in order, each copy with a fresh arXiv id
(``9000.00000`` upward) and its DOI suffixed with the copy's number, so that no two lines are
the same paper; every other field (title, abstract, authors, categories, versions) is the
real line's, written compactly like the real snapshot. The category mix is the real one
(15 of the 200 lines are ``hep-th``). Then, each in a fresh child process so that peak
memory is its own:

* baseline: ``pandas.read_json(path, lines=True)`` then the same category filter in pandas;
* paperscope: ``paperscope.load(path, categories=[...])`` (streamed, filtered from raw lines).

Prints wall time (interpreter start and imports included, for both) and peak RSS of each,
their ratios, and the ratio of the reading alone (each child's time after its imports).

    .venv/bin/python benchmarks/bench_snapshot.py [SIZE_MB]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SOURCE = SHARED / "data/arxiv_snapshot_head200/arxiv-metadata-oai-snapshot.json"
CATEGORY = "hep-th"

BASELINE = """
import resource, sys, time
t0 = time.perf_counter()
import pandas as pd
t1 = time.perf_counter()
frame = pd.read_json(sys.argv[1], lines=True, dtype=False)
kept = frame[frame["categories"].str.split().map(lambda cs: any(c.startswith("{cat}") for c in cs))]
print(len(kept), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, t1 - t0, time.perf_counter() - t1)
"""
OURS = """
import resource, sys, time
t0 = time.perf_counter()
import paperscope as ps
t1 = time.perf_counter()
kept = ps.load(sys.argv[1], categories=["{cat}"])
print(len(kept), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, t1 - t0, time.perf_counter() - t1)
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
    out = subprocess.run([sys.executable, "-c", code.replace("{cat}", CATEGORY), str(path)],
                         check=True, capture_output=True, text=True).stdout.split()
    wall = time.perf_counter() - start
    return wall, int(out[0]), int(out[1]) // 1024, float(out[2]), float(out[3])  # ru_maxrss is KiB


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "snapshot.json"
        n = build(path, size_mb)
        print(f"snapshot: {n:,} lines, {path.stat().st_size / 1e6:.0f} MB; filter: categories starting {CATEGORY!r}")
        base_t, base_rows, base_mb, base_imp, base_read = run(BASELINE, path)
        ours_t, ours_rows, ours_mb, ours_imp, ours_read = run(OURS, path)
        assert base_rows == ours_rows, (base_rows, ours_rows)
        print(f"pandas.read_json(lines=True) + filter: {base_t:6.1f} s, peak {base_mb:6,d} MB, {base_rows:,} rows "
              f"(import {base_imp:.1f} s, read {base_read:.1f} s)")
        print(f"paperscope.load(categories=...):       {ours_t:6.1f} s, peak {ours_mb:6,d} MB, {ours_rows:,} rows "
              f"(import {ours_imp:.1f} s, read {ours_read:.1f} s)")
        print(f"ratio paperscope / pandas: time {ours_t / base_t:.2f}x (reading alone {ours_read / base_read:.2f}x), "
              f"peak memory {ours_mb / base_mb:.2f}x")


if __name__ == "__main__":
    main()
