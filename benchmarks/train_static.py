"""Train the static model's tuning file (src/paperscope/data/static_tuning.npz) on MiniLM's outputs.

    PYTHONPATH=src .venv/bin/python benchmarks/train_static.py [--out FILE]

model2vec's distillation embeds each word piece of MiniLM's vocabulary alone; a text's static
embedding is the mean of its pieces' rows, which loses what MiniLM makes of the pieces together.
model2vec's tokenlearn closes part of that gap by training the table on MiniLM's embeddings of
real texts. This script does the same as one ridge regression: with ``A`` the papers × pieces
matrix of mean-pooling weights (what the static model averages), ``X`` the distilled table
(centred and SIF-weighted by ``static_model.prepare``) and ``Y`` MiniLM's embeddings of
the same papers, it fits

1. a 384 × 384 map ``W`` by least squares (``A X W ≈ Y``), applied to every row, then
2. a correction ``D`` of the rows of the pieces found in at least ``MIN_DF`` training papers:
   ``min ||A (X W + D) - Y||² + LAMBDA ||D||²`` (conjugate gradients, all columns at once).

Training papers: ``../shared/data`` NeurIPS 1987-2018, the HF Daily Papers day files and the
litstudy exports (9,071 distinct titles with an abstract of 20+ words). The arXiv cs listings
and the arXiv snapshot lines are left out: ``bench_static.py`` measures quality on them. MiniLM's
embeddings come from ``ps.embed`` (cached; about 7 min on 2 cores when the cache is empty).
Settings chosen on those two corpora's KMeans and fit_topics NMI (docs/scale.md).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
warnings.simplefilter("ignore")

import pandas as pd  # noqa: E402
from scipy import sparse  # noqa: E402

import paperscope as ps  # noqa: E402
from paperscope import embeddings, static_model  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = ("neurips", "hf_daily_papers_api", "litstudy_exports")
MIN_WORDS = 20
MIN_DF = 5
LAMBDA = 0.01
MAX_ITERATIONS = 300


def training_papers() -> pd.DataFrame:
    frames = [ps.load(DATA / source)[["paper_id", "title", "abstract"]] for source in SOURCES]
    papers = pd.concat(frames, ignore_index=True)
    papers = papers[papers["abstract"].fillna("").str.split().str.len() >= MIN_WORDS]
    return papers.drop_duplicates("title").reset_index(drop=True)


def pooling(ids: list[list[int]], rows: int) -> sparse.csr_matrix:
    """Papers × pieces: 1/len for each piece occurrence (the static model's mean)."""
    sizes = np.array([len(t) for t in ids])
    weights = np.repeat(1.0 / np.maximum(sizes, 1), sizes)
    matrix = sparse.csr_matrix((weights, (np.repeat(np.arange(len(ids)), sizes),
                                          np.concatenate([np.asarray(t, dtype=np.int64) for t in ids]))),
                               shape=(len(ids), rows))
    matrix.sum_duplicates()
    return matrix


def corrections(a: sparse.csr_matrix, residual: np.ndarray, free: np.ndarray) -> np.ndarray:
    """``argmin_D ||A[:, free] D - residual||² + LAMBDA ||D||²`` by conjugate gradients, column-wise."""
    sub = a[:, free].tocsr()
    sub_t = sub.T.tocsr()

    def apply(d: np.ndarray) -> np.ndarray:
        return sub_t @ (sub @ d) + LAMBDA * d

    b = sub_t @ residual
    d = np.zeros_like(b)
    r = b.copy()
    p = r.copy()
    rs = np.sum(r * r, axis=0)
    tolerance = 1e-5 * np.sqrt(np.sum(b * b, axis=0).max())
    for _ in range(MAX_ITERATIONS):
        ap = apply(p)
        alpha = rs / np.maximum(np.sum(p * ap, axis=0), 1e-30)
        d += p * alpha
        r -= ap * alpha
        rs_new = np.sum(r * r, axis=0)
        if np.sqrt(rs_new.max()) < tolerance:
            break
        p = r + p * (rs_new / rs)
        rs = rs_new
    return d


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=static_model.TUNING_FILE)
    args = parser.parse_args()
    start = time.perf_counter()
    papers = training_papers()
    targets = ps.embed(papers, progress=True).astype(np.float64)
    raw, tokenizer = static_model.distill_vectors()
    from model2vec import StaticModel

    model = StaticModel(vectors=raw, tokenizer=tokenizer, normalize=True, max_length=static_model.MAX_TOKENS)
    a = pooling(model.tokenize(embeddings.paper_texts(papers)), len(raw))
    x = static_model.prepare(raw)
    ax = a @ x
    mapping = np.linalg.lstsq(ax, targets, rcond=None)[0]
    df = np.asarray((a > 0).sum(axis=0)).ravel()
    free = np.flatnonzero(df >= MIN_DF)
    delta = corrections(a, targets - ax @ mapping, free)

    def fit(table_rows: np.ndarray) -> float:
        pred = table_rows / np.maximum(np.linalg.norm(table_rows, axis=1, keepdims=True), 1e-12)
        return float(np.mean(np.sum(pred * targets, axis=1)))

    tuned = x @ mapping
    tuned[free] += delta.astype(np.float16).astype(np.float64)
    print(f"{len(papers):,} papers, {len(free):,} of {len(raw):,} pieces corrected; mean cosine to MiniLM: "
          f"mapped {fit(ax @ mapping):.3f}, tuned {fit(a @ tuned):.3f} (training papers)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, map=mapping.astype(np.float32), rows=free.astype(np.int32),
                        delta=delta.astype(np.float16))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
