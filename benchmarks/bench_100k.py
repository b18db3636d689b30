"""100,000 papers on this laptop, end to end: load -> static embeddings -> themes -> topics -> report.

Builds the corpus with ``benchmarks/corpus_100k.py`` (real papers from ../shared/data, repeated with
distinct ids, titles and one sentence dropped per copy: see that file), then, each in a fresh
process with an empty embedding cache beside an already built static model:

1. the steps one by one (``ps.load``, ``ps.embed(backend="static")``, ``ps.tag_themes``,
   ``ps.fit_topics(themes=...)``), with the seconds of each and the process's peak memory;
2. ``paperscope report --corpus CORPUS --backend static``: every page of the report, wall time and
   the peak memory of the whole process tree (the report and its notebook kernels, sampled every
   0.2 s with psutil).

The static model's one-off build (once per machine) is timed separately first.

    .venv/bin/python benchmarks/bench_100k.py [N] [--keep DIR] [--report-only]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

STEPS = """
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import paperscope as ps
times = {}
def step(name, fn):
    start = time.perf_counter()
    out = fn()
    times[name] = round(time.perf_counter() - start, 1)
    return out
times["import"] = round(time.perf_counter() - t0, 1)
papers = step("load", lambda: ps.load(sys.argv[1]))
emb = step("embed (static)", lambda: ps.embed(papers, backend="static", progress=True))
tags = step("themes", lambda: ps.tag_themes(papers))
topics = step("topics (guided)", lambda: ps.fit_topics(papers, embeddings=emb, themes=tags, backend="static"))
times["total"] = round(time.perf_counter() - t0, 1)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
print(json.dumps({"papers": len(papers), "topics": len(topics.topics), "tags": int(tags.frame["theme"].notna().sum()),
                  "seconds": times, "peak_gb": round(peak, 2)}))
"""


ROOT_PEAK = [0.0]  # the last run_tree's peak RSS of its own process alone (GB)
AT_PEAK: dict = {}  # the last run_tree's tree at its peak: seconds in, and each process's GB


def _who(proc: psutil.Process) -> str:
    cmd = proc.cmdline()
    return "kernel" if any("ipykernel" in part for part in cmd) else " ".join(cmd[1:3])[:40]


def run_tree(cmd: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``cmd``; return wall seconds, peak GB of the summed RSS of it and its children, the result."""
    peak = 0.0
    ROOT_PEAK[0] = 0.0
    AT_PEAK.clear()
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                procs = [p for p in procs if p.is_running()]
                rss = [p.memory_info().rss for p in procs]
                if sum(rss) > peak:
                    peak = sum(rss)
                    AT_PEAK.update(seconds=round(time.perf_counter() - start),
                                   gb=[(_who(p), round(r / 1024 ** 3, 2)) for p, r in zip(procs, rss, strict=True)])
                ROOT_PEAK[0] = max(ROOT_PEAK[0], rss[0] / 1024 ** 3)
            except psutil.Error:
                pass
            time.sleep(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    done.set()
    watcher.join()
    return time.perf_counter() - start, peak / 1024 ** 3, subprocess.CompletedProcess(cmd, proc.returncode, out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--keep", help="folder for the corpus, cache and report (default: a temporary one)")
    parser.add_argument("--report-only", action="store_true", help="skip the step-by-step run")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="paperscope-100k-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{args.n}.jsonl"
    env = dict(os.environ, PAPERSCOPE_CACHE=str(work / "cache"), HF_HUB_OFFLINE="1",
               HF_HUB_DISABLE_PROGRESS_BARS="1", TOKENIZERS_PARALLELISM="false")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    print(json.dumps({"cpus": os.cpu_count(), "n": args.n, "work": str(work)}), flush=True)
    if not corpus.exists():
        subprocess.run([sys.executable, str(HERE / "corpus_100k.py"), str(corpus), str(args.n)], check=True, env=env)

    build = "import pandas as pd, paperscope as ps; ps.embed(pd.DataFrame({'paper_id': ['x'], 'title': ['x']}), " \
            "backend='static', cache=False)"
    seconds, peak, _ = run_tree([sys.executable, "-c", build], env)
    print(f"static model ready (built once per machine, or found): {seconds:.0f} s, peak {peak:.2f} GB", flush=True)

    if not args.report_only:
        for db in (work / "cache").glob("embeddings.sqlite*"):
            db.unlink()
        seconds, peak, result = run_tree([sys.executable, "-c", STEPS, str(corpus)], env)
        if result.returncode:
            raise SystemExit(result.stdout)
        steps = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"steps in one process, empty embedding cache: {seconds:.0f} s wall, peak {steps['peak_gb']:.2f} GB; "
              f"{steps['papers']:,} papers, {steps['tags']:,} theme tags, {steps['topics']} topics", flush=True)
        for name, value in steps["seconds"].items():
            print(f"    {name:16s} {value:7.1f} s")

    for db in (work / "cache").glob("embeddings.sqlite*"):
        db.unlink()
    report = work / "report"
    seconds, peak, result = run_tree([sys.executable, "-m", "paperscope", "report", "--corpus", str(corpus),
                                      "--backend", "static", "--out", str(report), "--quiet"], env)
    print(result.stdout.strip())
    if result.returncode:
        raise SystemExit(f"report failed ({result.returncode})")
    verdict = "within" if seconds <= 600 and peak <= 4 else "OUTSIDE"
    print(f"end to end (paperscope report, empty embedding cache): {seconds:.0f} s wall, peak {peak:.2f} GB "
          f"(process tree; the report process alone {ROOT_PEAK[0]:.2f} GB) -> {verdict} the 10 min / 4 GB budget",
          flush=True)
    print(f"the tree at its peak, {AT_PEAK.get('seconds')} s in: {AT_PEAK.get('gb')}")


if __name__ == "__main__":
    main()
