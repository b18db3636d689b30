"""Tagging: which papers carry which theme, with the evidence (rule-based step)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .result import TAG_COLUMNS, TAG_DTYPES, ThemeTags
from .taxonomy import Taxonomy, resolve_taxonomy

CONTEXT = 50  # characters of context on each side of the evidence


def _evidence(text: str, span: tuple[int, int]) -> str:
    start, end = span
    left = max(0, start - CONTEXT)
    right = min(len(text), end + CONTEXT)
    return (("…" if left else "") + text[left:start] + "[" + text[start:end] + "]"
            + text[end:right] + ("…" if right < len(text) else ""))


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# A first sentence that sets the paper against something names what it is not.
_CONTRAST = re.compile(r"\s*(?:unlike|in contrast|compared|contrary|as opposed|instead of|rather than|beyond)\b",
                       re.IGNORECASE)


def _in_lead(text: str, span: tuple[int, int]) -> bool:
    """Whether the match at ``span`` lies in the first sentence of ``text`` (where an abstract states its field)."""
    end = _SENTENCE_END.search(text)
    return (end is None or span[0] < end.start()) and _CONTRAST.match(text) is None


def tag_themes(
    papers: pd.DataFrame,
    taxonomy: Taxonomy | str | os.PathLike[str] | Iterable | None = None,
) -> ThemeTags:
    """Tag papers with curated themes, with the evidence for each tag.

    Parameters
    ----------
    papers
        Schema frame (needs ``paper_id``, ``title``, ``abstract``).
    taxonomy
        A :class:`Taxonomy`, a user TOML file (added to the defaults), a list
        of files, or ``None`` for the default taxonomy.

    Returns
    -------
    ThemeTags
        The tags, the papers and the taxonomy that made them; its aggregations
        (``.prevalence()``, ``.matrix()``, ``.trends()``, …) use that taxonomy.
        ``.frame`` has one row per (paper, theme) tag, in paper order then
        taxonomy order: ``paper_id``, ``theme``, ``field`` (``title``,
        ``abstract`` or ``via <child theme>`` for a parent), ``evidence`` (the
        first match in its context, the match in ``[brackets]``),
        ``title_matches``, ``abstract_matches``, ``score`` (title matches weigh
        2, abstract 1), ``method`` (``"rule"``) and ``label``. A paper with no
        theme has one row with ``theme`` NA, so it stays visible.

    Examples
    --------
    >>> import paperscope as ps
    >>> papers = ps.load("seeds/hf-daily-papers-sep-9.txt")    # doctest: +SKIP
    >>> tags = ps.tag_themes(papers, "notebooks/my_themes.toml")  # doctest: +SKIP
    >>> tags.prevalence().head()                               # doctest: +SKIP
    """
    tax = resolve_taxonomy(taxonomy)
    ids = papers["paper_id"].tolist()
    titles = papers["title"].tolist()
    abstracts = papers["abstract"].fillna("").tolist()
    # One vectorized substring scan per theme (pyarrow's RE2 on literals) finds the
    # few papers that can match; only those run the full pattern.
    full = (papers["title"] + "\n" + papers["abstract"].fillna("")).astype(pd.StringDtype("pyarrow"))
    full = full.reset_index(drop=True)
    lowered = full.str.lower()

    def containing(series: pd.Series, needles: tuple[str, ...] | None) -> np.ndarray:
        if needles is None:
            return np.ones(len(series), dtype=bool)
        if not needles:
            return np.zeros(len(series), dtype=bool)
        return series.str.contains("|".join(map(re.escape, needles)), regex=True).to_numpy(bool)

    labels = tax.labels
    direct: dict[int, dict[str, tuple]] = {}
    for theme in tax.themes:
        mask = containing(lowered, theme._needles) | containing(full, theme._acronym_needles)
        for i in np.flatnonzero(mask):
            title, abstract = titles[i], abstracts[i]
            in_title = theme.find(title) or theme.find_strong(title)
            in_abstract = theme.find(abstract)
            # One mention in the abstract is enough for a strong phrase (it names the paper's
            # own method: "diffusion backbone") and in the first sentence (the paper's field).
            strong = [] if in_title or len(in_abstract) >= theme.min_abstract else (
                theme.find_strong(abstract) or [span for span in in_abstract[:1] if _in_lead(abstract, span)])
            if (in_title or len(in_abstract) >= theme.min_abstract or strong) and theme.context_ok(title + "\n" + abstract):
                first, text, where = ((in_title[0], title, "title") if in_title
                                      else ((strong or in_abstract)[0], abstract, "abstract"))
                direct.setdefault(int(i), {})[theme.id] = (
                    ids[i], theme.id, where, _evidence(text, first),
                    len(in_title), len(in_abstract), 2 * len(in_title) + len(in_abstract),
                    "rule", labels[theme.id])

    # Parents inherit their children's tags (transitively), after the direct ones.
    # The taxonomy has no parent cycles (checked when it is built), so the walk ends.
    parents = {t.id: t.parent for t in tax.themes}
    rows: list[tuple] = []
    for i, pid in enumerate(ids):
        tagged = direct.get(i, {})
        for theme in tax.themes:
            child, parent = theme.id, theme.parent
            while child in tagged and parent is not None:
                if parent not in tagged:
                    tagged[parent] = (pid, parent, f"via {child}", tagged[child][3], 0, 0,
                                      tagged[child][6], "rule", labels[parent])
                child, parent = parent, parents[parent]
        if tagged:
            rows.extend(tagged[t] for t in tax.ids if t in tagged)
        else:
            rows.append((pid, None, None, None, 0, 0, 0, None, None))
    frame = pd.DataFrame(rows, columns=TAG_COLUMNS).astype(TAG_DTYPES)
    return ThemeTags(frame, papers, tax)
