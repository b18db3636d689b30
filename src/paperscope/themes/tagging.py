"""Tagging: which papers carry which theme, with the evidence (rules, then an optional semantic step)."""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..errors import PaperscopeError
from .result import TAG_COLUMNS, TAG_DTYPES, ThemeTags
from .semantic import rounded, semantic_tags
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


_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)")
# Words that open an enumeration of examples ("areas such as X, Y and Z").
_LIST_CUE = re.compile(r"\b(?:such as|like|e\.g\.,?|for example|for instance|including|spanning|ranging from)\s",
                       re.IGNORECASE)
_COORDINATION = re.compile(r",|\band\b|\bor\b|/")
_NEXT_ITEM = re.compile(r"[\s)]*(?:,|and\b|or\b|/)")
_RANGE_TO = re.compile(r"[\s)]*\bto\b")
#: An abstract with this many semicolons is a list (a proceedings volume's contents), not a paper's abstract.
_LISTING_SEMICOLONS = 5


@functools.lru_cache(maxsize=256)
def _boundary_ends(boundary: re.Pattern[str], text: str) -> list[int]:
    """Where each ``boundary`` of ``text`` ends, in order (found once per text, not once per match)."""
    return [m.end() for m in boundary.finditer(text)]


def _after_last(boundary: re.Pattern[str], text: str, pos: int) -> int:
    """Where the sentence or clause that holds ``pos`` starts: after the last ``boundary`` before it.

    As if the text ended at ``pos``: a boundary's ``$`` then also matches there ("end." just before it).
    """
    if pos > 0 and boundary.fullmatch(text[pos - 1]):
        return pos
    ends = _boundary_ends(boundary, text)
    i = bisect.bisect_right(ends, pos)
    return ends[i - 1] if i else 0


def _listing(text: str) -> bool:
    """Whether ``text`` is itself a list (a proceedings volume's contents), not a paper's abstract."""
    return text.count(";") >= _LISTING_SEMICOLONS


def _listed(text: str, span: tuple[int, int]) -> bool:
    """Whether the match at ``span`` is an example in an enumeration: a passing mention, not the paper's subject.

    An example after a cue, when a list follows it (``applications such as
    recommender systems and computer vision``, ``e.g., text, speech, music``).
    (An abstract that is itself a list is :func:`_listing`.)
    """
    start, end = span
    left = _after_last(_CLAUSE_END, text, start)
    stop = _CLAUSE_END.search(text, end)
    clause_end = stop.start() if stop else len(text)
    cues = list(_LIST_CUE.finditer(text, left, start))
    cue = cues[-1] if cues else None  # the nearest cue before the match
    if cue is None or start - cue.end() > 80:
        return False
    ranged = cue.group().lower().startswith("ranging")  # "ranging from X to Y": X and Y are both examples
    return bool(_COORDINATION.search(text, cue.end(), start) or _NEXT_ITEM.match(text, end, clause_end)
                or ranged and (_RANGE_TO.search(text, cue.end(), start) or _RANGE_TO.match(text, end, clause_end)))


# "We train a diffusion-based model", "our method leverages latent diffusion": the paper's own method.
_OWN_METHOD = re.compile(r"\b(?:we|our)\b.{0,80}?\b(?:propose|present|introduce|train|use|leverage|employ|adopt|apply|"
                         r"build|fine-?tune|develop|design|utili[sz]e|exploit|rely|base)\w*\b", re.IGNORECASE)
_COMPARISON = re.compile(r"\b(?:than|unlike|compared|against|versus|vs\.?|over|outperform\w*|instead|rather|"
                         r"beyond|surpass\w*|competitive|matches|rivals?)\b", re.IGNORECASE)


def _own_method(text: str, span: tuple[int, int]) -> bool:
    """Whether the match at ``span`` sits in a sentence where the authors say they use or build it."""
    claim = _OWN_METHOD.search(text, _after_last(_SENTENCE_END, text, span[0]), span[0])
    return claim is not None and _COMPARISON.search(text, claim.end(), span[0]) is None


def theme_texts(taxonomy: Taxonomy) -> pd.DataFrame:
    """What is embedded for each theme, as a schema frame: its label (title), description and examples (abstract)."""
    from .. import schema

    return schema.from_records(
        {"paper_id": f"theme:{t.id}", "title": t.label, "abstract": " ".join((t.description, *t.examples)),
         "source": "taxonomy", "source_format": "taxonomy", "position": i + 1,
         "n_words": len(t.description.split())}
        for i, t in enumerate(taxonomy.themes))


def tag_themes(
    papers: pd.DataFrame,
    taxonomy: Taxonomy | str | os.PathLike[str] | Iterable | None = None,
    embeddings: np.ndarray | str | None = None,
    *,
    theme_embeddings: np.ndarray | None = None,
    cache: bool | str | os.PathLike[str] = True,
) -> ThemeTags:
    """Tag papers with curated themes, with the evidence for each tag.

    Parameters
    ----------
    papers
        Schema frame (needs ``paper_id``, ``title``, ``abstract``).
    taxonomy
        A :class:`Taxonomy`, a user TOML file (added to the defaults), a list
        of files, or ``None`` for the default taxonomy.
    embeddings
        ``None`` (default): rules only — fast, no model. ``"auto"``: embed the
        papers with :func:`paperscope.embed` (MiniLM, offline, cached on disk)
        and add the semantic step. An array ``(len(papers), dim)`` of
        L2-normalized MiniLM embeddings in paper order: the semantic step on those.
    theme_embeddings
        Embeddings of :func:`theme_texts` (one row per theme); by default
        embedded with MiniLM (cached, so the model loads once).
    cache
        The embedding cache, as for :func:`paperscope.embed`.

    Returns
    -------
    ThemeTags
        The tags, the papers and the taxonomy that made them; its aggregations
        (``.prevalence()``, ``.matrix()``, ``.trends()``, …) use that taxonomy.
        ``.frame`` has one row per (paper, theme) tag, in paper order then
        taxonomy order: ``paper_id``, ``theme``, ``field`` (``title``,
        ``abstract`` or ``via <child theme>`` for a parent), ``evidence`` (the
        first match in its context, the match in ``[brackets]``),
        ``title_matches``, ``abstract_matches``, ``score`` (rule: title matches
        weigh 2, abstract 1; semantic: the rounded cosine to the theme's
        prototype), ``method`` (``"rule"`` or ``"semantic"``) and ``label``.
        A semantic tag has ``field`` ``"embedding"`` and as ``evidence`` the
        nearest rule-tagged papers that support it, with their cosines.
        A paper with no theme has one row with ``theme`` NA, so it stays visible.

    Raises
    ------
    PaperscopeError
        When ``embeddings`` is neither ``None``, ``"auto"`` nor an array with
        one finite row per paper (the message says which).

    Examples
    --------
    >>> import paperscope as ps
    >>> papers = ps.load("seeds/hf-daily-papers-sep-9.txt")    # doctest: +SKIP
    >>> tags = ps.tag_themes(papers, "notebooks/my_themes.toml")  # doctest: +SKIP
    >>> tags.prevalence().head()                               # doctest: +SKIP
    """
    from .. import memo, schema
    from ..errors import SchemaError

    tax = resolve_taxonomy(taxonomy)
    if not isinstance(papers, pd.DataFrame):
        raise SchemaError(f"papers must be a DataFrame (paperscope.load's), not {type(papers).__name__}")
    missing = [c for c in ("paper_id", "title", "abstract") if c not in papers.columns]
    if missing:
        raise SchemaError(f"papers lack the column(s) {missing} that tagging reads; load them with "
                          "paperscope.load, or add the columns (abstract may be empty)")
    schema.check_unique_ids(papers)  # each would be counted twice in every share

    def key() -> str:
        dated = [c for c in _DATED_BY if c in papers.columns]  # for `since`
        # The taxonomy by content (its repr names only its files).
        return memo.digest(papers[["paper_id", "title", "abstract", *dated]],
                           repr((tax.themes, tax.semantic, tax.first_sentence)),
                           embeddings if isinstance(embeddings, np.ndarray) else repr(embeddings),
                           theme_embeddings, repr(cache))

    return memo.remembered("themes", key, lambda: _tag_themes(papers, tax, embeddings, theme_embeddings, cache))


def _tag_themes(papers: pd.DataFrame, tax: Taxonomy, embeddings: np.ndarray | str | None,
                theme_embeddings: np.ndarray | None, cache: bool | str | os.PathLike[str]) -> ThemeTags:
    """:func:`tag_themes` itself (that function shares its result between a report's pages)."""
    vectors = _paper_vectors(papers, embeddings, cache)
    ids = papers["paper_id"].tolist()
    titles = papers["title"].tolist()
    abstracts = papers["abstract"].fillna("").tolist()
    # One vectorized substring scan per theme (pyarrow's RE2 on literals) finds the
    # few papers that can match; only those run the full pattern.
    full = (papers["title"] + "\n" + papers["abstract"].fillna("")).astype(pd.StringDtype("pyarrow"))
    full = full.reset_index(drop=True)
    lowered = full.str.lower().str.replace("ſ", "s", regex=False)  # as RE2 folds it (patterns.needles)

    def containing(series: pd.Series, needles: tuple[str, ...] | None) -> np.ndarray:
        if needles is None:
            return np.ones(len(series), dtype=bool)
        if not needles:
            return np.zeros(len(series), dtype=bool)
        return series.str.contains("|".join(map(re.escape, needles)), regex=True).to_numpy(bool)

    labels = tax.labels
    lead = tax.first_sentence
    years = _years(papers)
    listing = [_listing(abstract) for abstract in abstracts]  # once per paper, not per theme and match
    direct: dict[int, dict[str, tuple]] = {}
    for theme in tax.themes:
        mask = containing(lowered, theme._needles) | containing(full, theme._acronym_needles)
        if theme.since is not None:  # the words meant something else before the theme existed
            mask &= ~(years < theme.since)
        for i in np.flatnonzero(mask):
            title, abstract = titles[i], abstracts[i]
            both = title + "\n" + abstract
            away = theme.defined_away(both)  # "test-time scaling (TTS)" in exclude
            found_title, found_abstract = theme.find(title), theme.find(abstract)
            in_title = (_keep(found_title, title, away) or _keep(theme.find_strong(title), title, away)
                        or _keep(theme.find_weak(title, found_title), title, away))
            in_abstract = _keep(found_abstract, abstract, away)
            if theme.weak and (in_title or in_abstract or theme.weak_context_in(both)):
                # in the abstract, weak words count beside the theme's own words or its weak_context
                in_abstract = sorted(in_abstract + _keep(theme.find_weak(abstract, found_abstract), abstract, away))
            # Mentions in enumerations ("areas such as X, Y and Z") count only for a theme the
            # abstract also names outside one.
            unlisted = [] if listing[i] else [span for span in in_abstract if not _listed(abstract, span)]
            if not unlisted:
                in_abstract = []
            # One mention in the abstract is enough for a strong phrase (it names the paper's
            # own method: "diffusion backbone") and in the first sentence (the paper's field).
            strong = [] if in_title or len(in_abstract) >= theme.min_abstract else (
                [span for span in _keep(theme.find_strong(abstract), abstract, away)
                 if not listing[i] and not _listed(abstract, span)]
                or [span for span in unlisted[:1] if (lead if theme.first_sentence is None else theme.first_sentence)
                    and span == in_abstract[0] and _in_lead(abstract, span)]
                or [span for span in unlisted[:1] if theme.own_method and _own_method(abstract, span)])
            named = in_title or len(in_abstract) >= theme.min_abstract or strong
            if named and theme.context_ok(both):
                first, text, where = ((in_title[0], title, "title") if in_title
                                      else ((strong or in_abstract)[0], abstract, "abstract"))
                direct.setdefault(int(i), {})[theme.id] = (
                    ids[i], theme.id, where, _evidence(text, first),
                    len(in_title), len(in_abstract), 2 * len(in_title) + len(in_abstract),
                    "rule", labels[theme.id])

    _inherit(direct, tax, ids)  # (no rule tag is before its theme's year: the mask above keeps them out)
    _drop_before(direct, tax, years)  # a parent's own year
    if vectors is not None:
        if theme_embeddings is None:
            from ..embeddings import embed

            theme_embeddings = embed(theme_texts(tax), cache=cache, progress=False)
        theme_vectors = _check_vectors(theme_embeddings, len(tax.themes), "theme_embeddings", "theme")
        if theme_vectors.shape[1] != vectors.shape[1]:
            raise PaperscopeError(
                f"embeddings have {vectors.shape[1]} columns, the theme descriptions' embeddings "
                f"{theme_vectors.shape[1]}: the semantic step (its thresholds tuned on MiniLM) takes MiniLM "
                "embeddings of the papers, ps.embed(papers) — not the static or TF-IDF backends'")
        column = {t: j for j, t in enumerate(tax.ids)}
        rule_matrix = np.zeros((len(ids), len(tax.ids)), dtype=bool)
        for i, found in direct.items():
            rule_matrix[i, [column[t] for t in found]] = True
        semantic: dict[int, dict[str, tuple]] = {}
        for i, j, score, nearest in semantic_tags(vectors, theme_vectors, rule_matrix, tax.semantic, tax.ids):
            support = "; ".join(f"{titles[n]} ({s:.3f})" for n, s in nearest)
            mean = float(rounded(np.mean([s for _, s in nearest])))  # what neighbour_threshold was compared with
            semantic.setdefault(i, {})[tax.ids[j]] = (ids[i], tax.ids[j], "embedding",
                                                      f"nearest (mean {mean:.3f}): {support}",
                                                      0, 0, score, "semantic", labels[tax.ids[j]])
        _drop_before(semantic, tax, years)  # before the parents inherit, so no parent keeps a dropped tag
        _inherit(semantic, tax, ids)
        _drop_before(semantic, tax, years)
        for i, found in semantic.items():
            for theme_id, row in found.items():
                direct.setdefault(i, {}).setdefault(theme_id, row)

    rows: list[tuple] = []
    for i, pid in enumerate(ids):
        tagged = direct.get(i, {})
        if tagged:
            rows.extend(tagged[t] for t in tax.ids if t in tagged)
        else:
            rows.append((pid, None, None, None, 0, 0, 0, None, None))
    frame = pd.DataFrame(rows, columns=TAG_COLUMNS).astype(TAG_DTYPES)
    return ThemeTags(frame, papers, tax)


_CORE = re.compile(r"[A-Za-z0-9]+")  # "TTS" of "TTS,", "TTS-based", "TTSs"


def _keep(spans: list[tuple[int, int]], text: str, away: frozenset[str]) -> list[tuple[int, int]]:
    """``spans`` less the uses of an acronym the paper defines as something else (``away``, lower case)."""
    if not away:
        return spans
    kept = []
    for a, b in spans:
        core = _CORE.match(text, a, b)
        word = core.group().lower() if core else text[a:b].lower()
        if word in away or (word.endswith("s") and word[:-1] in away):
            continue
        kept.append((a, b))
    return kept


#: The columns a theme's ``since`` year is read from, first that dates a paper first.
_DATED_BY = ("year", "published", "listed_on")


def _years(papers: pd.DataFrame) -> np.ndarray:
    """Each paper's year as floats (NaN when unknown): ``year``, else the year of its first date."""
    years = np.full(len(papers), np.nan)
    for column in _DATED_BY:
        if column in papers.columns:
            values = papers[column]
            if pd.api.types.is_datetime64_any_dtype(values) or isinstance(values.dtype, pd.PeriodDtype):
                values = values.dt.year
            elif column == "year":
                values = pd.to_numeric(values, errors="coerce")
            else:  # dates as text (a frame read from CSV)
                values = pd.to_datetime(values, errors="coerce", utc=True, format="mixed").dt.year
            years = np.where(np.isnan(years), values.to_numpy(dtype=float, na_value=np.nan), years)
    return years


def _drop_before(tags: dict[int, dict[str, tuple]], tax: Taxonomy, years: np.ndarray) -> None:
    """Remove the tags of themes with a ``since`` year from papers dated before it (inherited ones too)."""
    since = {t.id: t.since for t in tax.themes if t.since is not None}
    if not since:
        return
    for i, tagged in tags.items():
        for theme_id in [t for t in tagged if t in since and years[i] < since[t]]:
            del tagged[theme_id]


def _inherit(tags: dict[int, dict[str, tuple]], tax: Taxonomy, ids: list) -> None:
    """Parents inherit their children's tags (transitively), with the child's method and score.

    The taxonomy has no parent cycles (checked when it is built), so the walk ends.
    """
    parents = {t.id: t.parent for t in tax.themes}
    labels = tax.labels
    for i, tagged in tags.items():
        for theme in tax.themes:
            child, parent = theme.id, theme.parent
            while child in tagged and parent is not None:
                if parent not in tagged:
                    row = tagged[child]
                    tagged[parent] = (ids[i], parent, f"via {child}", row[3], 0, 0, row[6], row[7], labels[parent])
                child, parent = parent, parents[parent]


def _paper_vectors(papers: pd.DataFrame, embeddings: np.ndarray | str | None,
                   cache: bool | str | os.PathLike[str]) -> np.ndarray | None:
    if embeddings is None:
        return None
    if isinstance(embeddings, str):
        if embeddings != "auto":
            raise PaperscopeError(f"embeddings={embeddings!r}: pass None (rules only), 'auto' (embed with "
                                  "MiniLM) or an array with one row per paper")
        from ..embeddings import embed

        return embed(papers, cache=cache)
    return _check_vectors(embeddings, len(papers), "embeddings", "paper")


def _check_vectors(values: object, rows: int, name: str, what: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 2 or array.shape[0] != rows:
        raise PaperscopeError(f"{name} has shape {array.shape}: expected one row per {what} ({rows}, dim)")
    if not np.issubdtype(array.dtype, np.number) or not np.isfinite(array).all():
        bad = int(np.flatnonzero(~np.isfinite(array.astype(np.float64)).all(axis=1))[0]) \
            if np.issubdtype(array.dtype, np.number) else 0
        raise PaperscopeError(f"{name}, {what} {bad + 1}: not a finite number in every column")
    return array
