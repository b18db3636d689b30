"""Loading many Hugging Face day files, and ``import paperscope``, against same-run baselines.

Builds FILES day files (default 580) in a temporary folder from the 30 real ones in
``data/hf-daily-papers/``: copy ``k`` of a day keeps every byte of its structure (list or
wrapper object, JSON items or Python-repr items, line-wrapped titles) but gives each paper a
fresh arXiv id and appends `` (copy k)`` to its titles, so that every paper is distinct, as in
580 real days. Then, each in a fresh child process, best of RUNS:

* baseline: plain ``json.loads`` of every file (plus ``ast.literal_eval`` of repr items);
* paperscope: ``paperscope.load(folder)``;
* where the time goes: the stages of ``load`` timed one by one (file listing and sniffing,
  reading the files into records, the schema frame, merging, validation).

It also times ``import paperscope`` against ``import pandas`` in fresh interpreters, best of
IMPORTS runs each, alternating. ``import paperscope`` loads pandas on first use (``ps.load``,
``ps.schema``), so the first load pays pandas' import; that is also timed.

    .venv/bin/python benchmarks/bench_load.py [FILES] [IMPORTS] [RUNS]
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tempfile
from pathlib import Path

DAYS = Path(__file__).resolve().parents[1] / "data" / "hf-daily-papers"

BASELINE = """
import ast, json, sys, time
from pathlib import Path
start = time.perf_counter()
n = 0
for path in sorted(Path(sys.argv[1]).glob("*.json")):
    data = json.loads(path.read_text())
    items = data["data"] if isinstance(data, dict) else data
    for item in items:
        item = ast.literal_eval(item) if isinstance(item, str) else item
        n += bool(item["paper"]["id"])
print(n, time.perf_counter() - start)
"""
OURS = """
import sys, time
import paperscope as ps
ps.load  # imports pandas and the loaders (timed apart, below)
start = time.perf_counter()
papers = ps.load(sys.argv[1])
print(len(papers), time.perf_counter() - start)
"""
STAGES = """
import gc, sys, time
import paperscope as ps
from paperscope import schema, sources
from paperscope.loader import records_frame
from paperscope.merge import merge_duplicates
gc.disable()  # as load() does while it builds records
t = [time.perf_counter()]
files = sources.expand([sys.argv[1]])
readers = [sources.reader_for(f) for f in files]
t.append(time.perf_counter())
parsed = [r.parse(f) for r, f in zip(readers, files)]
t.append(time.perf_counter())
frame = records_frame(parsed)
t.append(time.perf_counter())
merged, _ = merge_duplicates(frame)
t.append(time.perf_counter())
schema.validate(merged)
t.append(time.perf_counter())
print(*(b - a for a, b in zip(t, t[1:])))
"""
IMPORT = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
FIRST_USE = "import time; t = time.perf_counter(); import paperscope; paperscope.load; print(time.perf_counter() - t)"


def _copy_item(item, k: int, serial: int):
    text = isinstance(item, str)
    obj = ast.literal_eval(item) if text else json.loads(json.dumps(item))
    obj["paper"]["id"] = f"{9000 + k:04d}.{serial:05d}"
    for holder in (obj, obj["paper"]):
        if holder.get("title"):
            holder["title"] = f"{holder['title']} (copy {k})"
    return repr(obj) if text else obj


def replicate(dest: Path, n_files: int) -> int:
    """Write ``n_files`` day files of distinct papers into ``dest``; return the number of papers."""
    days = sorted(DAYS.glob("*.json"))
    serial, written = 0, 0
    for i in range(n_files):
        k, day = divmod(i, len(days))
        data = json.loads(days[day].read_text())
        items = data["data"] if isinstance(data, dict) else data
        copies = []
        for item in items:
            serial += 1
            copies.append(_copy_item(item, k, serial))
        out = dict(data, data=copies) if isinstance(data, dict) else copies
        (dest / f"{days[day].stem}-copy{k:02d}.json").write_text(json.dumps(out, indent=4))
        written += len(copies)
    return written


def _child(code: str, *args: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                          text=True).stdout.split()


def main() -> None:
    n_files = int(sys.argv[1]) if len(sys.argv) > 1 else 580
    imports = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n = replicate(folder, n_files)
        print(f"{n_files} HF day files, {n:,} papers, {sum(p.stat().st_size for p in folder.iterdir()) / 1e6:.0f} MB")
        base_t = ours_t = float("inf")
        for _ in range(runs):  # alternating, so that both see the same machine load
            base_n, t = _child(BASELINE, tmp)
            base_t = min(base_t, float(t))
            ours_n, t = _child(OURS, tmp)
            ours_t = min(ours_t, float(t))
        assert int(base_n) == int(ours_n) == n, (base_n, ours_n, n)
        print(f"json.loads (+ ast) of every file: {base_t:6.2f} s (best of {runs})")
        print(f"paperscope.load(folder):          {ours_t:6.2f} s, {int(ours_n):,} rows (best of {runs})")
        print(f"ratio paperscope / plain parse: {ours_t / base_t:.2f}x")
        stages = [float(x) for x in _child(STAGES, tmp)]
        names = ("list + sniff", "read records", "schema frame", "merge", "validate")
        print("where load's time goes: " + ", ".join(f"{k} {v:.2f} s" for k, v in zip(names, stages, strict=True)))
    pandas_t = ours_t = first_t = float("inf")
    for _ in range(imports):
        pandas_t = min(pandas_t, float(_child(IMPORT.format(module="pandas"))[0]))
        ours_t = min(ours_t, float(_child(IMPORT.format(module="paperscope"))[0]))
        first_t = min(first_t, float(_child(FIRST_USE)[0]))
    print(f"import pandas: {pandas_t:.2f} s; import paperscope: {ours_t:.3f} s; import paperscope + "
          f"first use of ps.load (pandas, the loaders): {first_t:.2f} s (best of {imports})")


if __name__ == "__main__":
    main()
