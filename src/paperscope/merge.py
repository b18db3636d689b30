"""Merge the rows that describe the same paper, keeping everything they say.

Two rows are the same paper when they share an arXiv id (version stripped, old
style ``hep-th/9901001`` too), else a DOI, else a folded title (case,
whitespace, LaTeX, accents and punctuation removed; only titles of three words
or more). A title never joins two rows whose arXiv ids or DOIs differ.

In a merged row the first source wins a conflict and gaps are filled from the
others; ``source_format``, ``position`` and ``line`` are the first record's own;
lists are united in order; ``source`` keeps every file; ``listed_on`` is the
first listing (``listing_label`` its label) and ``last_listed_on`` the last; ``upvotes`` and
``github_stars`` the highest count; ``paper_id`` is ``arxiv:<id>`` when any
row knows the arXiv id.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from . import schema
from .ids import normalize_arxiv_id, normalize_doi, paper_id_for
from .text import count_words, find_urls, fold_title

_MAX = {"upvotes", "github_stars", "num_comments", "updated"}
_SPECIAL = {"paper_id", "source", "listed_on", "last_listed_on", "n_words", "urls"} | _MAX
_LISTS = [c.name for c in schema.COLUMNS if c.dtype == schema.LIST]
_FIRST = [c.name for c in schema.COLUMNS if c.name not in _SPECIAL and c.name not in _LISTS]

__all__ = ["merge_duplicates", "normalize_arxiv_id", "normalize_doi", "paper_id_for"]


class _Groups:
    """Union-find over row numbers that remembers each group's arXiv ids and DOIs."""

    def __init__(self, arxiv: list[str | None], doi: list[str | None]) -> None:
        self.parent = list(range(len(arxiv)))
        # a group's ids: None, one id, or (once groups join) a set of them
        self.arxiv: list = list(arxiv)
        self.doi: list = list(doi)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    @staticmethod
    def _ids(value) -> set:
        return set() if not value else value if isinstance(value, set) else {value}

    def union(self, i: int, j: int, *, guarded: bool) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        arxiv_a, arxiv_b = self._ids(self.arxiv[a]), self._ids(self.arxiv[b])
        doi_a, doi_b = self._ids(self.doi[a]), self._ids(self.doi[b])
        if guarded and ((arxiv_a and arxiv_b and not arxiv_a & arxiv_b)
                        or (doi_a and doi_b and not doi_a & doi_b)):
            return
        a, b = min(a, b), max(a, b)  # the earlier row leads: first source wins
        self.parent[b] = a
        self.arxiv[a] = arxiv_a | arxiv_b
        self.doi[a] = doi_a | doi_b


def _union_lists(values: pd.Series) -> list:
    """The items of every record, each once, in order."""
    return list(dict.fromkeys(item for items in values for item in items))


def _name_key(name: Any) -> Any:
    """An author as the same person whatever the case, dots or accents ("Edward J. Hu", "Edward J Hu")."""
    return fold_title(name) if isinstance(name, str) else name


_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.?-?)+")  # "A.", "J.C.", "J.-P.", "Th.", "AB"


def person_key(name: str) -> tuple[str, str]:
    """(surname, first initial), folded: one person however an export spells the name —
    "Ashish Vaswani", "A. Vaswani", "Vaswani A." (Scopus), "Vaswani, Ashish" (Zotero)."""
    if "," in name:
        surname, given = name.split(",", 1)
    else:
        words = name.split()
        lead = len(words)
        while lead > 1 and _INITIALS.fullmatch(words[lead - 1]):
            lead -= 1
        if 0 < lead < len(words):  # "Vaswani A.", "García Pérez M.": the surname, then initials
            surname, given = " ".join(words[:lead]), " ".join(words[lead:])
        else:
            surname, given = (words[-1], " ".join(words[:-1])) if words else ("", "")
    # the surname's last word: "García Pérez" and "Pérez", "van der Berg" and "Berg" are one person
    last = fold_title(surname).split()
    return (last[-1] if last else ""), fold_title(given)[:1]


def _given_length(name: str) -> int:
    return len(re.sub(r"[^\w]", "", name))


def _union_authors(values: pd.Series) -> list:
    """The authors of every record, each person once: the first record's list in its order, then
    those only later records name. A later spelling of a person already listed ("Ashish Vaswani"
    for Scopus's "Vaswani A.") replaces a shorter one; two people of one record stay two, even of
    one name (an arXiv listing's "L. Wang", "L. Wang"; see :func:`_without_slips`)."""
    out: list[str] = []
    exact: set = set()
    for number, names in enumerate(values):
        if number == 0:
            out = _without_slips(list(names))
            exact = {_name_key(n) for n in out}
            keys = [person_key(n) for n in out]
            continue
        claimed: set[int] = set()
        for name in names:
            if _name_key(name) in exact:
                claimed.update(i for i, n in enumerate(out) if _name_key(n) == _name_key(name))
                continue
            key = person_key(name)
            same = [i for i, k in enumerate(keys) if k == key and k[1] and i not in claimed]
            if same:  # an earlier spelling of this person (the first not yet matched): keep the fuller
                i = same[0]
                claimed.add(i)
                if _given_length(name) > _given_length(out[i]):
                    out[i] = name
                exact.add(_name_key(name))
                continue
            out.append(name)
            keys.append(key)
            exact.add(_name_key(name))
            claimed.add(len(out) - 1)
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
    arxiv = [normalize_arxiv_id(v) for v in papers["arxiv_id"].tolist()]
    doi = [normalize_doi(v) for v in papers["doi"].tolist()]
    groups = _Groups(arxiv, doi)
    for key_values in (arxiv, doi):
        first: dict[str, int] = {}
        for i, key in enumerate(key_values):
            if key and (j := first.setdefault(key, i)) != i:
                groups.union(j, i, guarded=False)
    # A title joins two groups only if their arXiv ids do not differ: when every row has
    # one, rows with different ids are never joined by title, and the titles need no folding.
    first_title: dict[str, int] = {}
    for i, title in enumerate(papers["title"].tolist() if None in arxiv else ()):
        key = fold_title(title)
        if key.count(" ") >= 2 and (j := first_title.setdefault(key, i)) != i:  # three words or more
            groups.union(j, i, guarded=True)

    frame = papers.reset_index(drop=True)  # (copy-on-write: the caller's frame is never changed)
    frame["arxiv_id"] = pd.array(arxiv, dtype="string")
    frame["doi"] = pd.array([d or (None if pd.isna(o) else o)
                             for d, o in zip(doi, frame["doi"].tolist(), strict=True)], dtype="string")
    roots = np.fromiter((groups.find(i) for i in range(n)), dtype=np.int64, count=n)
    multi = np.bincount(roots, minlength=n)[roots] > 1
    if not multi.any():  # the common case: every row is a paper of its own
        merged = _single_rows(frame)
    else:
        merged = _single_rows(frame[~multi])  # most rows are one paper each: no groupby for them
        merged = pd.concat([merged, _merge_groups(frame[multi], roots[multi])]).sort_index()
    # Two distinct papers can fold to the same title id only if arXiv ids/DOIs kept them
    # apart; number the later ones so that paper_id stays unique.
    seen: dict[str, int] = {}
    ids = []
    for a, t in zip(merged["arxiv_id"].tolist(), merged["title"].tolist(), strict=True):
        pid = paper_id_for(a if isinstance(a, str) else None, t)
        seen[pid] = seen.get(pid, 0) + 1
        ids.append(pid if seen[pid] == 1 else f"{pid}-{seen[pid]}")
    merged["paper_id"] = ids
    row_to_paper = pd.Series(roots).map(dict(zip(merged.index, ids, strict=True)))
    return schema.conform(merged.reset_index(drop=True)), row_to_paper.astype("string")


def _single_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that are a paper on their own, shaped as a merged group of one (index: row number).

    Their ``urls`` and ``n_words`` already come from their own abstract (the record builder).
    """
    out = frame.copy(deep=False)  # (copy-on-write: columns are replaced, never changed in place)
    out["source"] = [s if "; " not in s else "; ".join(dict.fromkeys(s.split("; ")))
                     for s in out["source"].tolist()]
    out["last_listed_on"] = out[["listed_on", "last_listed_on"]].max(axis=1)
    for col in _LISTS:
        once = _without_slips if col == "authors" else lambda v: list(dict.fromkeys(v))
        out[col] = [v if len(v) < 2 or len(set(v)) == len(v) else once(v) for v in out[col].tolist()]
    return out


def _abbreviated(name: str) -> bool:
    """Whether a name's given name is initials only: "L. Wang", "Z Yang", "J.-P. Roy", Scopus's "Wang L."."""
    words = name.replace("-", " ").split()
    return bool(words) and any(len(w.rstrip(".")) == 1 and w[0].isupper() for w in (words[0], words[-1]))


def _without_slips(names: list) -> list:
    """An author list less a full name repeated next to itself ("Dan Garber", "Dan Garber": a
    listing's slip). Two of one abbreviated name side by side ("L. Wang", "L. Wang": Lei and Li),
    or one name twice apart (the 13th and 40th of 88), are two people and stay."""
    return [name for i, name in enumerate(names)
            if i == 0 or name != names[i - 1] or not isinstance(name, str) or _abbreviated(name)]


def _merge_groups(frame: pd.DataFrame, roots: np.ndarray) -> pd.DataFrame:
    """One row per group of rows (index: the group's first row number); see the module rules."""
    keys = pd.Series(roots, index=frame.index)
    grouped = frame.groupby(keys, sort=True)
    merged = grouped[_FIRST].first()
    merged["source"] = grouped["source"].agg(lambda s: "; ".join(dict.fromkeys(
        part for v in s for part in v.split("; "))))
    # Where the first record was: its own line (none for a JSON item), never another file's
    merged["line"] = frame.loc[merged.index, "line"].to_numpy()
    merged["listed_on"] = grouped["listed_on"].min()
    dated = frame["listed_on"].notna()
    if dated.any():  # the first listing's label beside its day ("2026-01-01", not a later file's name)
        earliest = frame.loc[dated, "listed_on"].groupby(keys[dated]).idxmin()
        labels = frame.loc[earliest.to_numpy(), "listing_label"].to_numpy()
        known = pd.notna(labels)
        merged.loc[earliest.index[known], "listing_label"] = labels[known]
    last = frame[["listed_on", "last_listed_on"]].max(axis=1)
    merged["last_listed_on"] = last.groupby(keys).max()
    for col in _MAX:
        merged[col] = grouped[col].max()
    for col in _LISTS:
        merged[col] = grouped[col].agg(_union_authors) if col == "authors" else grouped[col].agg(_union_lists)
    # the abstract may come from another row than the first: its links and words with it
    abstracts = merged["abstract"].tolist()
    merged["urls"] = [list(dict.fromkeys(u + find_urls(a if isinstance(a, str) else None)))
                      for u, a in zip(merged["urls"], abstracts, strict=True)]
    merged["n_words"] = [count_words(a) if isinstance(a, str) else 0 for a in abstracts]
    return merged
