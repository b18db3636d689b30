"""Merge the rows that describe the same paper, keeping everything they say.

Two rows are the same paper when they share a ``paper_id`` (the arXiv id when
known, else the folded title). The first row wins a conflict; gaps are filled
from the others, lists are united in order, ``source`` keeps every file,
``listed_on`` the first listing and ``upvotes`` the highest count.
"""

from __future__ import annotations

import pandas as pd

from . import schema
from .text import count_words

_FIRST_WINS = [c.name for c in schema.COLUMNS if c.dtype not in (schema.LIST,)
               and c.name not in {"source", "listed_on", "upvotes", "paper_id"}]


def _union(lists: pd.Series) -> list:
    out: list = []
    for items in lists:
        for item in items:
            if item not in out:
                out.append(item)
    return out


def merge_duplicates(papers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Collapse rows with the same ``paper_id`` into one.

    Parameters
    ----------
    papers
        Schema frame, possibly with repeated ``paper_id``.

    Returns
    -------
    merged, absorbed
        ``merged`` has one row per paper, in order of first appearance.
        ``absorbed`` lists each row that was folded into another: its
        ``source``, ``position`` and the ``paper_id`` it merged into.
    """
    dup = papers["paper_id"].duplicated(keep="first")
    absorbed = papers.loc[dup, ["source", "source_format", "position", "line", "paper_id"]]
    if not dup.any():
        return papers.reset_index(drop=True), absorbed.reset_index(drop=True)
    groups = papers.groupby("paper_id", sort=False)
    merged = groups[_FIRST_WINS].first()
    merged["source"] = groups["source"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    merged["listed_on"] = groups["listed_on"].min()
    merged["upvotes"] = groups["upvotes"].max()
    for col in (c.name for c in schema.COLUMNS if c.dtype == schema.LIST):
        merged[col] = groups[col].agg(_union)
    merged = merged.reset_index()
    merged["n_words"] = [count_words(a) if isinstance(a, str) else 0 for a in merged["abstract"]]
    return schema.conform(merged), absorbed.reset_index(drop=True)
