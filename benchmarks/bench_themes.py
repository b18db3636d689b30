"""Theme tagging speed on 10,000 real abstracts (NeurIPS 1987–2018, cycled to 10k).

Prints seconds per 1,000 papers for ``tag_themes`` and, as the same-process
baseline, for a naive tagger (one case-insensitive ``str.contains`` per theme
on its first phrase, no vetoes, no evidence), and the ratio of the two.

    .venv/bin/python benchmarks/bench_themes.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

import paperscope as ps
from paperscope import schema

NEURIPS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "neurips"
N = 10_000


def corpus() -> pd.DataFrame:
    records = []
    for path in sorted(NEURIPS.glob("nips*.json")):
        records += [(r["title"], r.get("abstract") or "") for r in json.loads(path.read_text())]
    rows = [records[i % len(records)] for i in range(N)]
    return schema.from_records(
        {"paper_id": f"p{i}", "title": t, "abstract": a, "source": "bench", "source_format": "bench",
         "position": i + 1, "n_words": len(a.split())}
        for i, (t, a) in enumerate(rows)
    )


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    papers = corpus()
    taxonomy = ps.load_taxonomy()
    text = (papers["title"] + " " + papers["abstract"].fillna("")).str.lower()

    def naive():
        return {t.id: text.str.contains(t.phrases[0] if t.phrases else t.acronyms[0].lower(), regex=True)
                for t in taxonomy.themes}

    base, _ = best_of(naive)
    ours, tags = best_of(lambda: ps.tag_themes(papers, taxonomy))
    per_k = ours / (N / 1000)
    print(f"papers: {N:,} (NeurIPS abstracts, cycled), themes: {len(taxonomy.themes)}, tags: "
          f"{tags.frame['theme'].notna().sum():,}")
    print(f"naive str.contains baseline: {base:.2f} s ({base / (N / 1000):.3f} s per 1,000 papers)")
    print(f"paperscope tag_themes:       {ours:.2f} s ({per_k:.3f} s per 1,000 papers)")
    print(f"ratio tag_themes / baseline: {ours / base:.2f}x")


if __name__ == "__main__":
    main()
