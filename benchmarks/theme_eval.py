"""Theme tagging against the hand-labelled evaluation set (tests/data/theme_eval), dev and test.

Prints per-theme and micro precision / recall / F1 for

(a) ``rules (before)`` — the rules as they were before the semantic branch
    (``benchmarks/data/taxonomy_before.toml``, today's ``main``),
(b) ``zero-shot`` — cosine between each paper's MiniLM embedding and each
    theme's label + description embedding, rounded to 3 decimals, one
    threshold tuned on dev (micro F1),
(c) ``rules`` — the current rules alone (``tag_themes(papers)``), and
    ``rules+semantic`` — ``tag_themes(papers, embeddings=...)``,

then the agreement of the two labellers on the test papers both labelled.
Only dev was looked at while tuning; test is printed to report. Embeddings come
from ``ps.embed`` (MiniLM, offline, cached on disk: the first run embeds 510
papers, about a minute on 2 cores).

    PYTHONPATH=src .venv/bin/python benchmarks/theme_eval.py [--split test] [--themes]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

import paperscope as ps
from paperscope import schema
from paperscope.themes.evaluation import label_agreement
from paperscope.themes.semantic import rounded
from paperscope.themes.tagging import theme_texts

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "theme_eval"
BEFORE = ROOT / "benchmarks" / "data" / "taxonomy_before.toml"


def eval_papers() -> tuple[pd.DataFrame, np.ndarray]:
    """The 510 papers as a schema frame (``paper_id`` = ``eval_id``) and their split."""
    rows = [json.loads(line) for line in (EVAL / "papers.jsonl").read_text(encoding="utf-8").splitlines()]
    papers = schema.from_records(
        {"paper_id": r["eval_id"], "title": r["title"], "abstract": r["abstract"], "source": r["source"],
         "year": r.get("year"),
         "source_format": "jsonl", "position": i + 1, "n_words": len(r["abstract"].split())}
        for i, r in enumerate(rows))
    return papers, np.array([r["split"] for r in rows])


def zero_shot(papers: pd.DataFrame, vectors: np.ndarray, theme_vectors: np.ndarray,
              taxonomy: ps.Taxonomy, threshold: float) -> pd.DataFrame:
    """Paper × theme booleans: rounded cosine to the theme's description ≥ ``threshold``."""
    sims = rounded(vectors.astype(np.float64) @ theme_vectors.astype(np.float64).T)
    return pd.DataFrame(sims >= threshold, index=papers["paper_id"], columns=taxonomy.ids)


def scores(papers, matrix, gold, mask) -> pd.DataFrame:
    return ps.themes.score_themes(papers[mask], matrix.loc[papers["paper_id"][mask]],
                                  gold[mask].reset_index(drop=True)).set_index("theme")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument("--themes", action="store_true", help="per-theme rows too (default: micro only)")
    args = parser.parse_args()

    papers, split = eval_papers()
    gold = pd.read_csv(EVAL / "labels.csv", dtype=str, keep_default_na=False)
    taxonomy = ps.load_taxonomy()
    vectors = ps.embed(papers)
    theme_vectors = ps.embed(theme_texts(taxonomy), progress=False)

    dev = split == "dev"
    grid = np.round(np.arange(0.20, 0.701, 0.01), 2)
    best = max(grid, key=lambda t: (scores(papers, zero_shot(papers, vectors, theme_vectors, taxonomy, t),
                                           gold, dev).loc["micro", "f1"], -t))
    methods = {
        "rules (before)": ps.tag_themes(papers, ps.load_taxonomy(BEFORE, include_default=False)).matrix(),
        f"zero-shot ≥{best:.2f}": zero_shot(papers, vectors, theme_vectors, taxonomy, best),
        "rules": ps.tag_themes(papers, taxonomy).matrix(),
        "rules+semantic": ps.tag_themes(papers, taxonomy, embeddings=vectors,
                                        theme_embeddings=theme_vectors).matrix(),
    }
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)
    for name in (["dev", "test"] if args.split == "both" else [args.split]):
        mask = split == name
        table = {}
        for method, matrix in methods.items():
            s = scores(papers, matrix, gold, mask)
            table[method] = s[["precision", "recall", "f1"]]
        out = pd.concat(table, axis=1).round(2)
        out.insert(0, "support", scores(papers, methods["rules"], gold, mask)["support"])
        print(f"\n== {name} split ({int(mask.sum())} papers) ==")
        print((out if args.themes else out.loc[["micro"]]).to_string())

    second = pd.read_csv(EVAL / "second_labels.csv", dtype=str, keep_default_na=False)
    agreement = label_agreement(gold, second).set_index("theme")
    print(f"\n== agreement of the two labellers ({len(second)} test papers, '?' left out) ==")
    print(agreement.round(2).to_string() if args.themes else agreement.loc[["overall"]].round(2).to_string())


if __name__ == "__main__":
    main()
