"""Topic quality, written down in docs/topics.md: reproduce with

    .venv/bin/python benchmarks/topic_quality.py

1. The seed: do the gold groups (6 diffusion-model, 3 PINN, 3 Bayesian-optimization papers)
   land together, each in a topic of its own; outlier share; the topic table.
2. Corpora with categories (the 200 arXiv snapshot lines, 3,074 arXiv cs papers): NMI of the
   topics against the primary category, fit_topics (guided by the default themes, and from the
   text alone) vs BERTopic's defaults on the same MiniLM embeddings (defaults: 3 runs, since they
   are not seeded; outliers count as one more cluster, as a reader would see them), and fit_topics
   again with as many topics as each BERTopic run found (NMI against a few categories rises as
   topics get fewer, so only equal numbers of topics compare).
"""

from __future__ import annotations

import csv
import os
import sys
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
warnings.simplefilter("ignore")

import pandas as pd  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score as nmi  # noqa: E402

import paperscope as ps  # noqa: E402
from paperscope.embeddings import paper_texts  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import corpora  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def seed() -> None:
    papers = ps.load(ROOT / "seeds" / "hf-daily-papers-sep-9.txt")
    result = ps.fit_topics(papers, themes=ps.tag_themes(papers))
    gold = list(csv.DictReader((ROOT / "seeds" / "seed_themes.csv").open()))
    topic = dict(zip(result.assignments["title"], result.assignments["topic"], strict=True))
    print("## Seed (62 papers, guided by the default themes)\n")
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


def categories(name: str, papers: pd.DataFrame, truth: pd.Series) -> None:
    from bertopic import BERTopic

    emb = ps.embed(papers)
    rows = []
    for label, kwargs in (("fit_topics, guided by the default themes", {"themes": ps.tag_themes(papers)}),
                          ("fit_topics, text alone", {})):
        ours = ps.fit_topics(papers, embeddings=emb, **kwargs)
        rows.append((label, len(ours.topics), f"{ours.outlier_share:.0%}",
                     f"{nmi(truth, ours.assignments['topic']):.3f}"))
    base, matched = [], []
    for _ in range(3):
        topics = np.array(BERTopic().fit(paper_texts(papers), embeddings=emb).topics_)
        k = len(set(topics)) - (-1 in topics)
        base.append((nmi(truth, topics), k, float(np.mean(topics == -1))))
        # NMI rises as topics get fewer (7 categories): compare at BERTopic's own number of topics too.
        ours = ps.fit_topics(papers, embeddings=emb, n_topics=max(k, 4))
        matched.append((nmi(truth, ours.assignments["topic"]), len(ours.topics), ours.outlier_share))
    base, matched = np.array(base), np.array(matched)
    rows.append(("BERTopic defaults, 3 runs (mean; min–max)", f"{base[:, 1].mean():.1f}", f"{base[:, 2].mean():.0%}",
                 f"{base[:, 0].mean():.3f} ({base[:, 0].min():.3f}–{base[:, 0].max():.3f})"))
    rows.append(("fit_topics, text alone, n_topics = each BERTopic run's (mean; min–max)",
                 f"{matched[:, 1].mean():.1f}", f"{matched[:, 2].mean():.0%}",
                 f"{matched[:, 0].mean():.3f} ({matched[:, 0].min():.3f}–{matched[:, 0].max():.3f})"))
    print(f"## {name} ({len(papers)} papers, {truth.nunique()} primary categories)\n")
    print("| model | topics | outliers | NMI vs primary category |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(map(str, row)) + " |")
    print()


if __name__ == "__main__":
    seed()
    categories("arXiv snapshot", *corpora.snapshot())
    categories("arXiv cs listings", *corpora.arxiv_cs())
