"""The static backend against MiniLM, in one run: throughput ratio and topic-quality ratio.

    .venv/bin/python benchmarks/bench_static.py

Corpora with labels (../shared/data): the arXiv cs daily listings (3,074 papers, primary category
first) and the 200 arXiv snapshot lines. Quality = NMI of KMeans (k=30, seeds 0-4, averaged)
against the primary category, on the same papers for both backends, with and without the
TF-IDF/SVD lexical half that fit_topics adds (paperscope.topics.hybrid_features).

Topic quality, the issue's measure: NMI of ``ps.fit_topics`` (text alone, its defaults) against
the primary category, MiniLM vectors vs static vectors, same papers; then the same ratio over
``RESAMPLES`` (environment, default 10) seeded random 80 % subsets, since one fit is one draw.

Throughput = papers/s for title + abstract, models already loaded, no cache: MiniLM on a
300-paper sample, static on the whole cs corpus. MiniLM's vectors for the quality numbers come
from the embedding cache (the first run embeds ~3,300 papers with MiniLM: ~3 min on 2 idle cores).
The static model is built on first use; its build time is printed from its manifest.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
warnings.simplefilter("ignore")

import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score  # noqa: E402

import paperscope as ps  # noqa: E402
from paperscope import embeddings  # noqa: E402
from paperscope.topics import hybrid_features  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
K, SEEDS = 30, (0, 1, 2, 3, 4)
RESAMPLES = int(os.environ.get("RESAMPLES", "10"))  # random 80 % subsets for the topic-NMI ratio (0: none)


def arxiv_cs() -> pd.DataFrame:
    """The daily cs listings: one row per arXiv id (first listing), primary category as ``label``."""
    rows: dict[str, dict[str, str]] = {}
    for path in sorted((DATA / "arxiv_daily_cs").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            rows.setdefault(rec["id"], {"paper_id": rec["id"], "title": " ".join(rec["title"].split()),
                                        "abstract": " ".join(rec["summary"].split()),
                                        "label": rec["categories"][0]})
    return pd.DataFrame(list(rows.values()))


def snapshot() -> pd.DataFrame:
    papers = ps.load(DATA / "arxiv_snapshot_head200")
    return papers.assign(label=papers["categories"].map(lambda cs: cs[0]))


def nmi(vectors: np.ndarray, labels: pd.Series) -> float:
    scores = [normalized_mutual_info_score(labels, KMeans(K, n_init=1, random_state=s).fit_predict(vectors))
              for s in SEEDS]
    return float(np.mean(scores))


def throughput(papers: pd.DataFrame, backend: str) -> float:
    ps.embed(papers.iloc[:20], backend=backend, cache=False)  # load the model outside the timing
    start = time.perf_counter()
    ps.embed(papers, backend=backend, cache=False)
    return len(papers) / (time.perf_counter() - start)


def main() -> None:
    cs = arxiv_cs()
    print(json.dumps({"cpus": os.cpu_count(), "arxiv_cs": len(cs)}))
    start = time.perf_counter()
    ps.embed(cs.iloc[:1], backend="static", cache=False)
    model = embeddings._static_model(embeddings.default_cache_path().parent)
    print(f"static model: {model.folder} (built in {model.load_manifest()['build_seconds']:.0f} s; "
          f"ready in {time.perf_counter() - start:.1f} s this run)")

    fast = throughput(cs, "static")
    slow = throughput(cs.sample(300, random_state=0), "minilm")
    print(f"throughput: static {fast:,.0f} papers/s, MiniLM {slow:,.1f} papers/s -> {fast / slow:,.0f}x")

    for name, papers in [("arXiv cs daily", cs), ("arXiv snapshot head200", snapshot())]:
        texts = embeddings.paper_texts(papers)
        mini = ps.embed(papers, progress=True)
        static = ps.embed(papers, backend="static")
        scores = {
            "MiniLM": nmi(mini, papers["label"]),
            "static": nmi(static, papers["label"]),
            "MiniLM + lexical": nmi(hybrid_features(mini, texts), papers["label"]),
            "static + lexical": nmi(hybrid_features(static, texts), papers["label"]),
            "TF-IDF/SVD alone": nmi(ps.embed(papers, backend="tfidf"), papers["label"]),
        }
        base = scores["MiniLM"]
        print(f"\n{name}: {len(papers)} papers, {papers['label'].nunique()} primary categories, "
              f"KMeans k={K}, seeds {SEEDS[0]}-{SEEDS[-1]}")
        for label, score in scores.items():
            print(f"  NMI {label:17s} {score:.3f}  ({score / base:6.1%} of MiniLM)")
        print(f"  static + lexical vs MiniLM + lexical: {scores['static + lexical'] / scores['MiniLM + lexical']:.1%}")
        topic_nmi = {}
        for label, vectors in [("MiniLM", mini), ("static", static)]:
            fitted = ps.fit_topics(papers, embeddings=vectors, backend="minilm" if label == "MiniLM" else "static")
            topic_nmi[label] = normalized_mutual_info_score(papers["label"], fitted.assignments["topic"])
        print(f"  fit_topics NMI: MiniLM {topic_nmi['MiniLM']:.3f}, static {topic_nmi['static']:.3f} "
              f"-> static keeps {topic_nmi['static'] / topic_nmi['MiniLM']:.1%} of MiniLM's topic quality")
        if RESAMPLES:
            ratios = resampled_ratios(papers, mini, static, RESAMPLES)
            print(f"  over {RESAMPLES} random 80 % subsets: static keeps {ratios.mean():.1%} of MiniLM's topic "
                  f"NMI (sd {ratios.std(ddof=1):.1%}, range {ratios.min():.1%}-{ratios.max():.1%})")


def resampled_ratios(papers: pd.DataFrame, mini: np.ndarray, static: np.ndarray, n: int) -> np.ndarray:
    """fit_topics NMI ratio (static / MiniLM) on ``n`` seeded random 80 % subsets of the papers.

    One fit's NMI moves by a few points with the sample of papers (on half of the cs listings the
    ratio was 97 % on one half and 92 % on the other), so one full-corpus ratio is one draw.
    """
    ratios = []
    for seed in range(n):
        idx = np.sort(np.random.default_rng(seed).choice(len(papers), int(0.8 * len(papers)), replace=False))
        sub = papers.iloc[idx].reset_index(drop=True)
        scores = [normalized_mutual_info_score(sub["label"], ps.fit_topics(
            sub, embeddings=vectors[idx], backend=backend, cache=False).assignments["topic"])
            for vectors, backend in ((mini, "minilm"), (static, "static"))]
        ratios.append(scores[1] / scores[0])
    return np.array(ratios)


if __name__ == "__main__":
    main()
