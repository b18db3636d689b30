"""The result of tagging: tags, the papers they are about, and the taxonomy that made them.

Every aggregation is a method of :class:`ThemeTags`, so none can pick up
another taxonomy than the one that tagged (before, each was handed the
taxonomy again and reloaded the default one when it was not). The long tags
frame is the single source of truth: a tag from another method (say a
semantic step, ``method == "semantic"``) is one more row, and every
aggregation counts it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import PaperscopeError
from .evaluation import score_themes
from .taxonomy import Taxonomy

TAG_COLUMNS = ["paper_id", "theme", "field", "evidence", "title_matches", "abstract_matches", "score",
               "method", "label"]
TAG_DTYPES = {"paper_id": "string", "theme": "string", "field": "string", "evidence": "string",
              "title_matches": "int64", "abstract_matches": "int64", "score": "float64",
              "method": "string", "label": "string"}


class ThemeTags:
    """Theme tags of a set of papers, with what made them; returned by :func:`tag_themes`.

    Parameters
    ----------
    frame
        The long tags frame: one row per (paper, theme) tag with at least
        ``paper_id`` and ``theme`` (NA for a paper with no theme), as
        :func:`tag_themes` writes it (see there for the columns).
    papers
        The papers that were tagged (a schema frame): their order is the
        order of every per-paper result.
    taxonomy
        The taxonomy that made the tags, or ``None`` for tags read back from
        a file: then the themes are those the tags name, and each label is the
        tags' ``label`` column, else the theme id. Never the default taxonomy.

    Attributes
    ----------
    papers, taxonomy
        As given.

    Examples
    --------
    >>> import paperscope as ps
    >>> papers = ps.load("seeds/hf-daily-papers-sep-9.txt")     # doctest: +SKIP
    >>> tags = ps.tag_themes(papers, "notebooks/my_themes.toml")   # doctest: +SKIP
    >>> tags.prevalence(); tags.cooccurrence(direct_only=True)  # doctest: +SKIP
    """

    def __init__(self, frame: pd.DataFrame, papers: pd.DataFrame, taxonomy: Taxonomy | None = None) -> None:
        missing = {"paper_id", "theme"} - set(frame.columns)
        if missing:
            raise PaperscopeError(f"a tags frame needs the columns {sorted(missing)}: pass the output of "
                                  "tag_themes")
        unknown = set(frame["paper_id"]) - set(papers["paper_id"])
        if unknown:
            raise PaperscopeError(f"{len(unknown)} tagged paper(s) are not among the papers, e.g. "
                                  f"{sorted(unknown)[0]!r}: pass the papers that were tagged")
        self._frame = frame
        self.papers = papers
        self.taxonomy = taxonomy

    # -- what the result holds ------------------------------------------------------------

    @property
    def frame(self) -> pd.DataFrame:
        """The long tags frame itself (not a copy: use :meth:`to_frame` to change it)."""
        return self._frame

    def to_frame(self) -> pd.DataFrame:
        """A copy of the long tags frame."""
        return self._frame.copy()

    @property
    def themes(self) -> list[str]:
        """Theme ids in display order: the taxonomy's, then any other the tags name, sorted (never in
        the papers' order, which would make the order of a chart or a tie depend on it)."""
        known = self.taxonomy.ids if self.taxonomy is not None else []
        return known + sorted(set(self._frame["theme"].dropna()) - set(known))

    @property
    def labels(self) -> dict[str, str]:
        """Theme id → label for :attr:`themes`: the taxonomy's, else the tags' ``label`` column, else the id."""
        labels = dict(self.taxonomy.labels) if self.taxonomy is not None else {}
        if "label" in self._frame.columns:
            named = self._frame.dropna(subset=["theme", "label"]).drop_duplicates("theme")
            for theme, label in zip(named["theme"], named["label"], strict=True):
                labels.setdefault(theme, label)
        return {t: labels.get(t, t) for t in self.themes}

    def __repr__(self) -> str:
        hits = self._frame["theme"].notna()
        made = repr(self.taxonomy) if self.taxonomy is not None else "no taxonomy"
        return (f"ThemeTags({len(self.papers)} papers, {int(hits.sum())} tags of "
                f"{self._frame.loc[hits, 'theme'].nunique()} themes; {made})")

    def subset(self, papers: pd.DataFrame) -> ThemeTags:
        """The same tags restricted to ``papers`` (a subset of the tagged papers, in their order).

        Raises
        ------
        PaperscopeError
            When a paper of ``papers`` was not tagged here.
        """
        wanted = set(papers["paper_id"])
        untagged = wanted - set(self.papers["paper_id"])
        if untagged:
            raise PaperscopeError(f"{len(untagged)} paper(s) were not tagged in this result, e.g. "
                                  f"{sorted(untagged)[0]!r}: tag them with tag_themes(papers)")
        return ThemeTags(self._frame[self._frame["paper_id"].isin(wanted)], papers, self.taxonomy)

    # -- aggregations ---------------------------------------------------------------------

    def matrix(self, *, direct_only: bool = False) -> pd.DataFrame:
        """Wide boolean view: one row per paper (index ``paper_id``), one column per theme.

        Every paper appears, also those with no theme (all False); every theme
        of :attr:`themes` appears, also those no paper has. ``direct_only``
        leaves out the tags a parent inherits from a child (``field`` "via …").
        """
        hits = self._frame.dropna(subset=["theme"])
        if direct_only and "field" in hits.columns:
            hits = hits[~hits["field"].fillna("").str.startswith("via ")]
        matrix = pd.crosstab(hits["paper_id"], hits["theme"]).astype(bool)
        matrix = matrix.reindex(index=self.papers["paper_id"], columns=self.themes, fill_value=False)
        matrix.index.name, matrix.columns.name = "paper_id", "theme"
        return matrix.astype(bool)

    def prevalence(self) -> pd.DataFrame:
        """How many papers carry each theme: ``theme``, ``label``, ``papers``, ``share``.

        Sorted by count, most common first (ties in :attr:`themes` order);
        themes with no paper are kept (count 0).
        """
        counts = self.matrix().sum(axis=0).astype("int64")
        labels = self.labels
        out = pd.DataFrame({"theme": counts.index, "label": [labels[t] for t in counts.index],
                            "papers": counts.to_numpy()})
        out["share"] = out["papers"] / max(len(self.papers), 1)
        out["_order"] = np.arange(len(out))
        out = out.sort_values(["papers", "_order"], ascending=[False, True]).drop(columns="_order")
        return out.reset_index(drop=True)

    def cooccurrence(self, *, direct_only: bool = False) -> pd.DataFrame:
        """Theme × theme matrix of how many papers carry both (diagonal: papers with the theme).

        With the default ``direct_only=False`` every parent co-occurs with each
        of its children on every paper (a PINN paper is a neural PDE solver
        paper by the taxonomy), and those links dominate; ``direct_only=True``
        counts only tags found in the paper itself. ``.attrs["labels"]`` holds
        the themes' labels (the co-occurrence chart shows them).
        """
        matrix = self.matrix(direct_only=direct_only).astype("int64")
        co = matrix.T @ matrix
        co.index.name, co.columns.name = "theme", "theme"
        co.attrs["labels"] = dict(self.labels)
        return co

    def untagged(self) -> pd.DataFrame:
        """The papers that carry no theme (a hint at what the taxonomy misses), in paper order."""
        none = ~self.matrix().to_numpy().any(axis=1)
        return self.papers[none]

    def trends(self, *, freq: str = "Q", min_papers: int | None = None, date: str | None = None,
               confidence: float = 0.95) -> pd.DataFrame:
        """Share of papers per period that carry each theme, with a Wilson interval.

        See :func:`paperscope.theme_trends` for the parameters and columns;
        labels come from this result (a user's theme keeps its label).
        """
        # trends.py builds on this package (theme_trends accepts a tags frame too),
        # so it is imported here rather than at the top, which would be a cycle.
        from ..trends import MIN_PAPERS, share_trends

        return share_trends(self.papers, self.matrix(), self.labels, freq=freq,
                            min_papers=MIN_PAPERS if min_papers is None else min_papers, date=date,
                            confidence=confidence)

    def evaluate(self, gold: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
        """Score the tags against hand labels, with each theme's label; see :func:`paperscope.evaluate_themes`."""
        scores = score_themes(self.papers, self.matrix(), gold)
        # a gold column no theme of this taxonomy defines keeps its column name (it was <NA>)
        names = {**self.labels, "micro": "all themes"}
        scores.insert(1, "label", pd.array([names.get(t, f"{t} (not in the taxonomy)") for t in scores["theme"]],
                                           dtype="string"))
        return scores


def as_theme_tags(tags: ThemeTags | pd.DataFrame, papers: pd.DataFrame | None = None,
                  taxonomy: Taxonomy | None = None) -> ThemeTags:
    """A :class:`ThemeTags` from what the module-level functions accept.

    ``tags`` is a result (restricted to ``papers`` when they differ) or, for
    code written before the result object, a tags frame with the ``papers`` it
    is about and optionally the ``taxonomy`` that made it. A taxonomy other
    than the result's own is an error, never silently used.
    """
    if isinstance(tags, ThemeTags):
        if taxonomy is not None and tags.taxonomy is not None and taxonomy != tags.taxonomy:
            raise PaperscopeError("these tags were made with another taxonomy than the one passed; "
                                  "drop the taxonomy argument (the tags carry their own)")
        if taxonomy is not None and tags.taxonomy is None:
            tags = ThemeTags(tags.frame, tags.papers, taxonomy)
        if papers is None or papers is tags.papers:
            return tags
        return tags.subset(papers)
    if not isinstance(tags, pd.DataFrame):
        raise PaperscopeError(f"expected the result of tag_themes (or its frame), got {type(tags).__name__}")
    if papers is None:
        raise PaperscopeError("a tags frame needs the papers it is about: pass papers, or the "
                              "result of tag_themes itself")
    check_frame_covers(tags, papers["paper_id"])
    return ThemeTags(tags[tags["paper_id"].isin(set(papers["paper_id"]))], papers, taxonomy)


def check_frame_covers(frame: pd.DataFrame, paper_ids: Iterable[Any]) -> None:
    """Raise when a tags frame has no row for some of ``paper_ids`` (it keeps one, theme NA, for
    each paper it tagged without a theme): it was made on other papers.

    Raises
    ------
    PaperscopeError
        Naming how many papers, and one of them.
    """
    missing = set(map(str, paper_ids)) - set(frame["paper_id"].astype(str))
    if missing:
        raise PaperscopeError(f"{len(missing)} paper(s) have no row in this tags frame, e.g. {sorted(missing)[0]!r} "
                              "(a frame from tag_themes keeps a row, theme NA, for every paper it tagged): "
                              "tag these papers with tag_themes(papers)")
