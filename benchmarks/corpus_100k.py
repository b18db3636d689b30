"""A 100,000-paper corpus in the arXiv snapshot format, built from the real papers in ../shared/data.

The pool is every distinct real paper with an abstract: NeurIPS 1987-2018, the HF Daily Papers day
files, the litstudy exports, the 200 arXiv snapshot lines and the 8 days of arXiv cs listings
(~12.5k papers). The corpus repeats the pool until it holds ``n`` papers:

* copy 0 is each paper as it is;
* copy ``k > 0`` has the title suffixed `` (replica k)`` and drops the abstract's ``k``-th sentence
  (counted cyclically) when it has three or more, so that no two records are the same text and the
  loader's duplicate merge (same arXiv id, DOI or folded title) keeps them all;
* every record gets a made-up, unique new-style arXiv id (``27MM.NNNNN``: month ``MM`` = copy + 1),
  its real date where it has one (listing or publication day, else 1 July of its year) as the
  first version, its real categories where it has them (snapshot lines, arXiv cs listings), else
  ``cs.LG`` for NeurIPS and ``cs.AI`` for the others.

So the text statistics, dates and themes are real; only the repetition is not. The file is about
130 MB for 100k papers.

    .venv/bin/python benchmarks/corpus_100k.py OUT.jsonl [N]
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path

import pandas as pd

import paperscope as ps

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def pool() -> pd.DataFrame:
    """Every distinct real paper with an abstract: title, abstract, authors, categories, date."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers = ps.load(DATA / "neurips", DATA / "hf_daily_papers_api", DATA / "litstudy_exports",
                         DATA / "arxiv_snapshot_head200")
    date = papers["listed_on"].fillna(papers["published"])
    date = date.fillna(pd.to_datetime(papers["year"].astype("string") + "-07-01", errors="coerce"))
    default = papers["source_format"].map(lambda f: "cs.LG" if "neurips" in str(f) else "cs.AI")
    cats = [" ".join(c) if isinstance(c, list) and c else d for c, d in zip(papers["categories"], default, strict=True)]
    frame = pd.DataFrame({"title": papers["title"], "abstract": papers["abstract"], "authors": papers["authors"],
                          "categories": cats, "date": date})
    rows = []
    for path in sorted((DATA / "arxiv_daily_cs").glob("*.jsonl")):
        day = pd.Timestamp(path.stem)
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            rows.append({"title": " ".join(item["title"].split()), "abstract": " ".join(item["summary"].split()),
                         "authors": item.get("authors") or [], "categories": " ".join(item["categories"]),
                         "date": day})
    frame = pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)
    frame = frame[frame["abstract"].notna() & frame["date"].notna()]
    folded = frame["title"].str.lower().str.replace(r"\W+", " ", regex=True).str.strip()
    return frame.loc[~folded.duplicated()].reset_index(drop=True)


def _drop_sentence(abstract: str, k: int) -> str:
    parts = _SENTENCE.split(abstract)
    if k == 0 or len(parts) < 3:
        return abstract
    del parts[k % len(parts)]
    return " ".join(parts)


def write(out: Path, n: int = 100_000) -> int:
    """Write ``n`` snapshot lines to ``out`` (a new file); return how many distinct real papers were used."""
    base = pool()
    if out.exists():
        raise SystemExit(f"{out} exists; not overwriting it")
    written = 0
    with out.open("w", encoding="utf-8") as fh:
        for k in range(-(-n // len(base))):
            for i, row in enumerate(base.itertuples(index=False)):
                if written == n:
                    break
                created = row.date.strftime("%a, %d %b %Y 12:00:00 GMT")
                authors = list(row.authors) if isinstance(row.authors, (list, tuple)) else []
                fh.write(json.dumps({
                    "id": f"27{k + 1:02d}.{i:05d}",
                    "title": row.title if k == 0 else f"{row.title} (replica {k})",
                    "authors": ", ".join(authors), "categories": row.categories,
                    "abstract": _drop_sentence(row.abstract, k),
                    "versions": [{"version": "v1", "created": created}],
                    "update_date": row.date.strftime("%Y-%m-%d"),
                }) + "\n")
                written += 1
    return len(base)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    used = write(target, size)
    print(f"{target}: {size:,} papers from {used:,} distinct real papers")
