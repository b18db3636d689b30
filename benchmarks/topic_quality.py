"""Topic quality, written down in docs/topics.md: reproduce with

    .venv/bin/python benchmarks/topic_quality.py

1. The seed: do the gold groups (6 diffusion-model, 3 PINN, 3 Bayesian-optimization papers)
   land together; outlier share; the topic table.
2. Corpora with categories (the 200 arXiv snapshot lines; HF-listed papers carry none):
   NMI of topics against the primary arXiv category (its archive, e.g. hep-ph, math, astro-ph),
   fit_topics vs. BERTopic's defaults on the same MiniLM embeddings (defaults: 5 runs, since
   they are not seeded; outliers count as one more cluster, as a reader would see them).
"""

from __future__ import annotations

import csv
import os
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
warnings.simplefilter("ignore")

import pandas as pd  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score  # noqa: E402

import paperscope as ps  # noqa: E402
from paperscope.embeddings import paper_texts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def seed() -> None:
    papers = ps.load(ROOT / "seeds" / "hf-daily-papers-sep-9.txt")
    result = ps.fit_topics(papers)
    gold = list(csv.DictReader((ROOT / "seeds" / "seed_themes.csv").open()))
    topic = dict(zip(result.assignments["title"], result.assignments["topic"], strict=True))
    print("## Seed (62 papers)\n")
    for theme in ("diffusion_models", "pinns", "bayesian_optimization"):
        ids = [topic[r["title"]] for r in gold if r[theme] == "1"]
        best = pd.Series(ids).value_counts()
        print(f"- {theme}: {best.iloc[0]} of {len(ids)} in topic {best.index[0]}")
    print(f"- outliers: {result.outlier_share:.0%} "
          f"({int(result.assignments['reassigned'].sum())} paper(s) reassigned by the outlier step)\n")
    print("| topic | label | size | top terms |\n|---|---|---|---|")
    for _, row in result.topics.iterrows():
        print(f"| {row['topic']} | {row['label']} | {row['size']} | {', '.join(row['top_terms'][:6])} |")
    print()


def categories() -> None:
    from bertopic import BERTopic

    papers = ps.load(SHARED / "data" / "arxiv_snapshot_head200")
    truth = papers["categories"].map(lambda cs: cs[0].split(".")[0])
    emb = ps.embed(papers)
    ours = ps.fit_topics(papers, embeddings=emb)
    ours_nmi = normalized_mutual_info_score(truth, ours.assignments["topic"])
    base = []
    for _ in range(5):
        model = BERTopic().fit(paper_texts(papers), embeddings=emb)
        topics = np.array(model.topics_)
        base.append((normalized_mutual_info_score(truth, topics), len(set(topics)) - (-1 in topics),
                     float(np.mean(topics == -1))))
    base = np.array(base)
    print(f"## arXiv snapshot (200 papers, {truth.nunique()} primary archives)\n")
    print("| model | topics | outliers | NMI vs primary archive |\n|---|---|---|---|")
    print(f"| fit_topics (random_state=42) | {len(ours.topics)} | {ours.outlier_share:.0%} | {ours_nmi:.3f} |")
    print(f"| BERTopic defaults, 5 runs (mean; min–max) | {base[:, 1].mean():.1f} | "
          f"{base[:, 2].mean():.0%} | {base[:, 0].mean():.3f} ({base[:, 0].min():.3f}–{base[:, 0].max():.3f}) |")
    print()


if __name__ == "__main__":
    seed()
    categories()
