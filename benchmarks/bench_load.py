"""Loading many Hugging Face day files, and ``import paperscope``, against same-run baselines.

Builds FILES day files (default 580) in a temporary folder from the 30 real ones in
``data/hf-daily-papers/``: copy ``k`` of a day keeps every byte of its structure (list or
wrapper object, JSON items or Python-repr items, line-wrapped titles) but gives each paper a
fresh arXiv id and appends `` (copy k)`` to its titles, so that every paper is distinct, as in
580 real days. Then, each in a fresh child process:

* baseline: plain ``json.loads`` of every file (plus ``ast.literal_eval`` of repr items);
* paperscope: ``paperscope.load(folder)``.

It also times ``import paperscope`` against ``import pandas`` (which it needs) in fresh
interpreters, best of IMPORTS runs.

    .venv/bin/python benchmarks/bench_load.py [FILES] [IMPORTS]
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
start = time.perf_counter()
papers = ps.load(sys.argv[1])
print(len(papers), time.perf_counter() - start)
"""
IMPORT = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


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
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n = replicate(folder, n_files)
        print(f"{n_files} HF day files, {n:,} papers, {sum(p.stat().st_size for p in folder.iterdir()) / 1e6:.0f} MB")
        base_n, base_t = _child(BASELINE, tmp)
        ours_n, ours_t = _child(OURS, tmp)
        base_t, ours_t = float(base_t), float(ours_t)
        assert int(base_n) == int(ours_n) == n, (base_n, ours_n, n)
        print(f"json.loads (+ ast) of every file: {base_t:6.2f} s")
        print(f"paperscope.load(folder):          {ours_t:6.2f} s, {int(ours_n):,} rows")
        print(f"ratio paperscope / plain parse: {ours_t / base_t:.1f}x")
    pandas_t = min(float(_child(IMPORT.format(module="pandas"))[0]) for _ in range(imports))
    ours_t = min(float(_child(IMPORT.format(module="paperscope"))[0]) for _ in range(imports))
    print(f"import pandas: {pandas_t:.2f} s; import paperscope: {ours_t:.2f} s (best of {imports}); "
          f"paperscope's own share {ours_t - pandas_t:.2f} s")


if __name__ == "__main__":
    main()
