"""Module-level forms of :class:`ThemeTags`' methods, for code written before the result object.

Each takes the papers and the result of :func:`tag_themes` (or, as before,
its tags frame plus optionally the taxonomy) and delegates to the method.
Labels and theme order come from the result; a bare frame uses its own
``label`` column (else the theme id) — never a reloaded default taxonomy.
"""

from __future__ import annotations

import os

import pandas as pd

from .result import ThemeTags, as_theme_tags
from .taxonomy import Taxonomy

Tags = ThemeTags | pd.DataFrame


def theme_matrix(papers: pd.DataFrame, tags: Tags, taxonomy: Taxonomy | None = None, *,
                 direct_only: bool = False) -> pd.DataFrame:
    """Paper × theme booleans; see :meth:`ThemeTags.matrix`."""
    return as_theme_tags(tags, papers, taxonomy).matrix(direct_only=direct_only)


def theme_prevalence(papers: pd.DataFrame, tags: Tags, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Papers per theme, with label and share; see :meth:`ThemeTags.prevalence`."""
    return as_theme_tags(tags, papers, taxonomy).prevalence()


def theme_cooccurrence(papers: pd.DataFrame, tags: Tags, taxonomy: Taxonomy | None = None, *,
                       direct_only: bool = False) -> pd.DataFrame:
    """Papers per pair of themes; see :meth:`ThemeTags.cooccurrence`."""
    return as_theme_tags(tags, papers, taxonomy).cooccurrence(direct_only=direct_only)


def untagged(papers: pd.DataFrame, tags: Tags) -> pd.DataFrame:
    """The papers that carry no theme; see :meth:`ThemeTags.untagged`."""
    return as_theme_tags(tags, papers).untagged()


def evaluate_themes(papers: pd.DataFrame, tags: Tags, gold: str | os.PathLike[str] | pd.DataFrame,
                    ) -> pd.DataFrame:
    """Score tags against hand labels: precision, recall, F1 and support per theme, and micro.

    Parameters
    ----------
    papers
        The papers that were tagged.
    tags
        The result of :func:`tag_themes` (or its frame).
    gold
        CSV (or DataFrame) with a ``title`` column and one column per theme
        holding ``1`` (the theme is the paper's main subject, method or
        application), ``0`` (it is not) or ``?`` (ambiguous: not scored).
        Papers are matched by folded title; a gold title that is not among
        the papers is an error.

    Returns
    -------
    pandas.DataFrame
        One row per gold theme plus a ``micro`` row: ``theme``, ``support``
        (gold positives), ``predicted``, ``tp``, ``fp``, ``fn``, ``ignored``
        (``?`` labels), ``precision``, ``recall``, ``f1``.
    """
    return as_theme_tags(tags, papers).evaluate(gold)
