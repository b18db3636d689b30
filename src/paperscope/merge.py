"""Merge the rows that describe the same paper, keeping everything they say.

Two rows are the same paper when they share an arXiv id (version stripped, old
style ``hep-th/9901001`` too), else a DOI, else a folded title (case,
whitespace, LaTeX, accents and punctuation removed; only titles of three words
or more). A title never joins two rows whose arXiv ids or DOIs differ.

In a merged row the first source wins a conflict and gaps are filled from the
others; lists are united in order; ``source`` keeps every file; ``listed_on``
is the first listing and ``last_listed_on`` the last; ``upvotes`` and
``github_stars`` the highest count; ``paper_id`` is ``arxiv:<id>`` when any
row knows the arXiv id.
"""

from __future__ import annotations

import re

import pandas as pd

from . import schema
from .text import count_words, find_urls, fold_title, title_id

_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?$", re.IGNORECASE)

_MAX = {"upvotes", "github_stars", "num_comments", "updated"}
_SPECIAL = {"paper_id", "source", "listed_on", "last_listed_on", "n_words", "urls"} | _MAX
_LISTS = [c.name for c in schema.COLUMNS if c.dtype == schema.LIST]
_FIRST = [c.name for c in schema.COLUMNS if c.name not in _SPECIAL and c.name not in _LISTS]


def normalize_arxiv_id(value: object) -> str | None:
    """``2409.01234v2``, ``arXiv:2409.01234``, ``http://arxiv.org/abs/hep-th/9901001v1`` → bare id."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    text = str(value).strip()
    text = re.sub(r"^(?:https?://(?:export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:)", "", text,
                  flags=re.IGNORECASE).removesuffix(".pdf")
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        m = pattern.search(text)
        if m and m.start() == 0:
            return m.group(1).lower() if "/" in m.group(1) else m.group(1)
    return None


def normalize_doi(value: object) -> str | None:
    """Lower-cased DOI without ``https://doi.org/`` or ``doi:``."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", str(value).strip(), flags=re.I)
    return text.lower() if text.startswith("10.") else None


def paper_id_for(arxiv_id: str | None, title: str) -> str:
    """``arxiv:<id>`` when the arXiv id is known, else the title id."""
    return f"arxiv:{arxiv_id}" if arxiv_id else title_id(title)


class _Groups:
    """Union-find over row numbers that remembers each group's arXiv ids and DOIs."""

    def __init__(self, arxiv: list[str | None], doi: list[str | None]) -> None:
        self.parent = list(range(len(arxiv)))
        self.arxiv = [{a} if a else set() for a in arxiv]
        self.doi = [{d} if d else set() for d in doi]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int, *, guarded: bool) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        if guarded and ((self.arxiv[a] and self.arxiv[b] and not self.arxiv[a] & self.arxiv[b])
                        or (self.doi[a] and self.doi[b] and not self.doi[a] & self.doi[b])):
            return
        a, b = min(a, b), max(a, b)  # the earlier row leads: first source wins
        self.parent[b] = a
        self.arxiv[a] |= self.arxiv[b]
        self.doi[a] |= self.doi[b]


def _union_lists(values: pd.Series) -> list:
    out: list = []
    for items in values:
        for item in items:
            if item not in out:
                out.append(item)
    return out


def merge_duplicates(papers: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Collapse the rows that are the same paper into one.

    Parameters
    ----------
    papers
        Schema frame, rows in reading order, possibly describing a paper several times.

    Returns
    -------
    merged, row_to_paper
        ``merged`` has one row per paper, in order of first appearance;
        ``row_to_paper[i]`` is the ``paper_id`` that input row ``i`` ended in.
    """
    n = len(papers)
    if n == 0:
        return papers.reset_index(drop=True), pd.Series([], dtype="string")
    arxiv = [normalize_arxiv_id(v) for v in papers["arxiv_id"]]
    doi = [normalize_doi(v) for v in papers["doi"]]
    groups = _Groups(arxiv, doi)
    for key_values, guarded in ((arxiv, False), (doi, False)):
        first: dict[str, int] = {}
        for i, key in enumerate(key_values):
            if key:
                groups.union(first.setdefault(key, i), i, guarded=guarded)
    first_title: dict[str, int] = {}
    for i, title in enumerate(papers["title"]):
        key = fold_title(title)
        if len(key.split()) >= 3:
            groups.union(first_title.setdefault(key, i), i, guarded=True)

    frame = papers.reset_index(drop=True).copy()
    frame["arxiv_id"] = pd.array(arxiv, dtype="string")
    frame["doi"] = pd.array([d or (None if pd.isna(o) else o) for d, o in zip(doi, frame["doi"], strict=True)],
                            dtype="string")
    frame["_group"] = [groups.find(i) for i in range(n)]
    grouped = frame.groupby("_group", sort=True)
    merged = grouped[_FIRST].first()
    merged["source"] = grouped["source"].agg(lambda s: "; ".join(dict.fromkeys(
        part for v in s for part in v.split("; "))))
    merged["listed_on"] = grouped["listed_on"].min()
    last = pd.concat([frame["listed_on"], frame["last_listed_on"]], axis=1).max(axis=1)
    merged["last_listed_on"] = last.groupby(frame["_group"]).max()
    for col in _MAX:
        merged[col] = grouped[col].max()
    for col in _LISTS:
        merged[col] = grouped[col].agg(_union_lists)
    merged["urls"] = [list(dict.fromkeys(u + find_urls(a if isinstance(a, str) else None)))
                      for u, a in zip(merged["urls"], merged["abstract"], strict=True)]
    merged["n_words"] = [count_words(a) if isinstance(a, str) else 0 for a in merged["abstract"]]
    merged["paper_id"] = [paper_id_for(a if isinstance(a, str) else None, t)
                          for a, t in zip(merged["arxiv_id"], merged["title"], strict=True)]
    # Two distinct papers can fold to the same title id only if arXiv ids/DOIs kept them
    # apart; number the later ones so that paper_id stays unique.
    seen: dict[str, int] = {}
    ids = []
    for pid in merged["paper_id"]:
        seen[pid] = seen.get(pid, 0) + 1
        ids.append(pid if seen[pid] == 1 else f"{pid}-{seen[pid]}")
    merged["paper_id"] = ids
    row_to_paper = frame["_group"].map(dict(zip(merged.index, merged["paper_id"], strict=True)))
    return schema.conform(merged.reset_index(drop=True)), row_to_paper.astype("string")
