"""Topic-path speed, each number against a baseline measured in the same run.

1. Embedding step, cold vs warm cache (the seed, MiniLM; model already loaded).
2. The seed path in a fresh process (import, load, fit_topics with a warm cache), split into
   import / fit, against a fresh process that fits BERTopic's defaults on the same embeddings.
3. fit_topics (given the theme tags that guide it; tagging is timed apart) vs BERTopic defaults
   on the same precomputed MiniLM embeddings, 1k / 5k / 10k / 100k papers, after UMAP's and pynndescent's
   numba compilations have been paid once in this process (fit_topics needs none). The pool is
   every real paper with an abstract in ../shared/data (NeurIPS 1987-2018, HF Daily Papers,
   litstudy exports, arXiv snapshot lines, 8 days of arXiv cs listings: ~12.5k papers); 100k
   repeats the pool 8 times, each copy a distinct paper id with its embedding jittered by 1e-3
   (re-normalized), so no two points coincide. Quality: NMI of each partition against the primary
   arXiv category of the arXiv cs papers among them (about a quarter of every sample), also for
   fit_topics refitted with BERTopic's number of topics (NMI rises as topics get fewer).

    .venv/bin/python benchmarks/bench_topics.py [SIZES]   (the first run embeds ~12.5k papers: ~10 min)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
warnings.simplefilter("ignore")

import paperscope as ps  # noqa: E402
from paperscope import embeddings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "hf-daily-papers-sep-9.txt"
DATA = ROOT.parent / "shared" / "data"

CHILD_OURS = """
import time, sys, warnings; warnings.simplefilter("ignore"); t0 = time.perf_counter()
import paperscope as ps
papers = ps.load(sys.argv[1]); t1 = time.perf_counter()
ps.fit_topics(papers, themes=ps.tag_themes(papers), cache=sys.argv[2]); t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""
CHILD_DEFAULTS = """
import time, sys, warnings; warnings.simplefilter("ignore"); t0 = time.perf_counter()
import numpy as np, paperscope as ps
from bertopic import BERTopic
from paperscope.embeddings import paper_texts
papers = ps.load(sys.argv[1]); emb = np.load(sys.argv[2]); t1 = time.perf_counter()
BERTopic().fit(paper_texts(papers), embeddings=emb); t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def embedding_cache() -> None:
    papers = ps.load(SEED)
    embeddings._MINILM.load()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "c.sqlite"
        cold, first = timed(lambda: ps.embed(papers, cache=cache))
        warm, again = timed(lambda: ps.embed(papers, cache=cache))
    assert np.array_equal(first, again)
    print(f"[1] embedding the seed (62 papers): cold {cold:.2f} s, warm {warm * 1000:.1f} ms "
          f"-> warm is {cold / warm:,.0f}x faster")


def fresh_process() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "c.sqlite"
        emb = ps.embed(ps.load(SEED), cache=cache)
        np.save(Path(tmp) / "e.npy", emb)
        runs = {}
        for name, code, arg in [("fit_topics", CHILD_OURS, cache), ("BERTopic defaults", CHILD_DEFAULTS,
                                                                    Path(tmp) / "e.npy")]:
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", code, str(SEED), str(arg)], check=True,
                                 capture_output=True, text=True).stdout.split()
            runs[name] = (time.perf_counter() - start, float(out[0]), float(out[1]))
    for name, (total, imp, fit) in runs.items():
        print(f"[2] fresh process, seed, {name:17s}: {total:5.1f} s total = {imp:4.1f} s import+load "
              f"+ {fit:4.1f} s fit (numba compilation, where paid, included) + interpreter start")
    print(f"    ratio fit_topics / defaults: {runs['fit_topics'][0] / runs['BERTopic defaults'][0]:.2f}x")


def scale(sizes: list[int]) -> None:
    import pandas as pd
    from bertopic import BERTopic
    from sklearn.metrics import normalized_mutual_info_score as nmi

    sys.path.insert(0, str(Path(__file__).parent))
    import corpora

    papers = ps.load(DATA / "neurips", DATA / "hf_daily_papers_api", DATA / "litstudy_exports",
                     DATA / "arxiv_snapshot_head200")
    papers = pd.concat([papers, corpora.arxiv_cs()[0]], ignore_index=True)
    papers = papers[papers["abstract"].notna()].drop_duplicates("paper_id").reset_index(drop=True)
    emb = ps.embed(papers, progress=True)
    texts = embeddings.paper_texts(papers)
    # Pay BERTopic's numba compilations once (UMAP's, and pynndescent's above 4,096 rows) before timing.
    warm = 4500
    BERTopic().fit(texts[:warm], embeddings=emb[:warm])
    rng = np.random.default_rng(0)
    copies = -(-max(sizes) // len(papers))
    pool = pd.concat([papers.assign(paper_id=papers["paper_id"] + f"#{c}") for c in range(copies)],
                     ignore_index=True)
    pool_emb = np.vstack([emb] + [emb + rng.normal(0, 1e-3, emb.shape).astype(np.float32)
                                  for _ in range(copies - 1)])
    pool_emb /= np.linalg.norm(pool_emb, axis=1, keepdims=True)
    pool_texts = texts * copies
    category = pd.Series(corpora.arxiv_cs()[1].to_numpy(), index=corpora.arxiv_cs()[0]["paper_id"])
    for n in sizes:
        idx = np.sort(rng.permutation(len(papers) if n <= len(papers) else len(pool))[:n])
        sub, sub_emb = pool.iloc[idx].reset_index(drop=True), pool_emb[idx]
        tag_t, tags = timed(lambda sub=sub: ps.tag_themes(sub))
        ours_t, ours = timed(lambda sub=sub, sub_emb=sub_emb, tags=tags: ps.fit_topics(
            sub, embeddings=sub_emb, themes=tags))
        base_t, base = timed(lambda idx=idx, sub_emb=sub_emb: BERTopic().fit(
            [pool_texts[i] for i in idx], embeddings=sub_emb))
        base_topics = np.array(base.topics_)
        # Quality: NMI against the primary category, on the arXiv cs papers among them
        # (copies beyond the pool keep their original's category; outliers are one more cluster).
        labels = sub["paper_id"].str.split("#").str[0].map(category)
        known = labels.notna().to_numpy()
        base_k = len(set(base_topics)) - (-1 in base_topics)
        # NMI rises as topics get fewer: fit_topics again with BERTopic's number of topics (not timed).
        matched = ps.fit_topics(sub, embeddings=sub_emb, themes=tags, n_topics=max(base_k, 4))
        score = {name: nmi(labels[known], topics[known]) for name, topics in
                 [("ours", ours.assignments["topic"].to_numpy()), ("base", base_topics),
                  ("matched", matched.assignments["topic"].to_numpy())]}
        print(f"[3] {len(sub):>7,} papers: fit_topics {ours_t:6.1f} s (+ tagging the themes that guide it "
              f"{tag_t:4.1f} s), {len(ours.topics):3d} topics, {ours.outlier_share:5.1%} outliers, "
              f"NMI {score['ours']:.3f} | BERTopic defaults {base_t:6.1f} s, "
              f"{len(set(base_topics)) - (-1 in base_topics):3d} topics, {np.mean(base_topics == -1):5.1%} outliers, "
              f"NMI {score['base']:.3f} | BERTopic / fit_topics {base_t / ours_t:.2f}x "
              f"(with tagging {base_t / (ours_t + tag_t):.2f}x); NMI on {known.sum():,} arXiv cs papers; "
              f"fit_topics with BERTopic's {base_k} topics: {len(matched.topics)} topics, NMI {score['matched']:.3f}",
              flush=True)


if __name__ == "__main__":
    print(json.dumps({"cpus": os.cpu_count()}))
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 5000, 10_000, 100_000]
    embedding_cache()
    fresh_process()
    scale(sizes)
