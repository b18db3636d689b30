"""Theme tagging speed on 10,000 real abstracts (NeurIPS 1987–2018, cycled to 10k).

Prints seconds per 1,000 papers for ``tag_themes`` and, as the same-process
baseline, for a naive tagger (one case-insensitive ``str.contains`` per theme
on its first phrase, no vetoes, no evidence), and the ratio of the two; then
the time of the full tagger (rules + semantic step, ``embeddings=`` given,
i.e. with the embeddings already cached) and its ratio to rules only.

For the semantic run the 10,000 papers cycle the first ``--distinct`` (1,000)
NeurIPS papers, embedded with MiniLM once (cached on disk: ~1 minute the first
time on 2 cores), so that the benchmark stays short.

    .venv/bin/python benchmarks/bench_themes.py [--distinct 1000]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd

import paperscope as ps
from paperscope import schema

NEURIPS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "neurips"
N = 10_000


def corpus(distinct: int | None = None) -> pd.DataFrame:
    records = []
    if not sorted(NEURIPS.glob("nips*.json")):
        raise SystemExit(f"bench_themes.py reads the NeurIPS files of ../shared/data/neurips, not found at {NEURIPS}")
    for path in sorted(NEURIPS.glob("nips*.json")):
        records += [(r["title"], r.get("abstract") or "") for r in json.loads(path.read_text())]
    if distinct:
        records = records[:distinct]
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distinct", type=int, default=1000, help="distinct papers embedded for the semantic run")
    args = parser.parse_args()
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

    cycled = corpus(args.distinct)
    first = cycled.iloc[:args.distinct]
    vectors = ps.embed(first)[[i % args.distinct for i in range(N)]]
    theme_vectors = ps.embed(ps.themes.theme_texts(taxonomy), progress=False)
    rules, _ = best_of(lambda: ps.tag_themes(cycled, taxonomy))
    full, tags = best_of(lambda: ps.tag_themes(cycled, taxonomy, embeddings=vectors, theme_embeddings=theme_vectors))
    semantic = int((tags.frame["method"] == "semantic").sum())
    print(f"\nsemantic run: {N:,} papers cycling {args.distinct:,} distinct, embeddings given (cached)")
    print(f"rules only:                  {rules:.2f} s")
    print(f"rules + semantic step:       {full:.2f} s ({semantic:,} semantic tags)")
    print(f"ratio full / rules only:     {full / rules:.2f}x")


if __name__ == "__main__":
    main()
