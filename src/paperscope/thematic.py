"""The thematic map (Callon's strategic diagram) and thematic evolution of themes or topics.

A **cluster** is a theme (from :func:`paperscope.tag_themes`) or a topic
(from :func:`paperscope.fit_topics`). Each cluster is described by its
**keywords**: the terms (words and bigrams of :mod:`paperscope.tokens`) its
papers use distinctively. The keywords of all clusters form a **co-word
network**: two terms are linked by the equivalence index
``e_ij = c_ij² / (c_i c_j)`` (``c_i`` papers contain term ``i``, ``c_ij``
contain both). Then, after Callon et al. (1991) and Cobo et al. (2011):

* **centrality** ``= 10 · Σ e_kh`` over links from a keyword ``k`` of the
  cluster to a keyword ``h`` of another cluster: how strongly the cluster is
  tied to the rest of the field;
* **density** ``= 100 · Σ e_ij / w`` over links between the cluster's own
  ``w`` keywords: how developed (internally cohesive) it is.

Split at the medians (above = high), as bibliometrix's ``thematicMap`` does: **motor**
themes (central and dense), **basic** (central, not dense), **niche** (dense,
not central), **emerging or declining** (neither). The formulas, the choices
and the references are in ``docs/map.md``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import checks
from .errors import PaperscopeError
from .memo import per_corpus
from .text import fold_plurals
from .tokens import bigrams, tokenize, words
from .tokens import terms as paper_terms

QUADRANTS = ("motor", "basic", "niche", "emerging or declining")
DECIMALS = 6
MAP_COLUMNS = ["cluster", "label", "size", "keywords", "centrality", "density", "quadrant"]


# --- clusters -------------------------------------------------------------------------------

def _labels_from(obj: Any) -> dict[Any, str]:
    labels = getattr(obj, "labels", None)
    if callable(labels):
        labels = labels()
    if isinstance(labels, pd.DataFrame) and {"theme", "label"} <= set(labels.columns):
        return dict(zip(labels["theme"], labels["label"], strict=True))
    if isinstance(labels, pd.Series):
        return labels.to_dict()
    if isinstance(labels, Mapping):
        return dict(labels)
    return {}


def check_topics_cover(papers: pd.DataFrame, topics: Any) -> None:
    """Raise when some of ``papers`` have no row in the topics' assignments (fitted on other papers).

    Raises
    ------
    PaperscopeError
        Naming how many papers, and one of them.
    """
    missing = pd.Index(papers["paper_id"].astype(str)).difference(topics.assignments["paper_id"].astype(str))
    if len(missing):
        raise PaperscopeError(f"{len(missing)} paper(s) have no topic in these topics (fitted on other papers), "
                              f"e.g. {missing[0]!r}: fit the topics on these papers")


def cluster_membership(papers: pd.DataFrame, clusters: Any) -> tuple[pd.DataFrame, dict[Any, str], str]:
    """Boolean paper × cluster frame (index ``paper_id``, in paper order), cluster labels, and the kind.

    ``clusters`` may be a :class:`paperscope.Topics` (outliers belong to no
    topic), a long tags frame from :func:`paperscope.tag_themes` (or an
    object holding one as ``.frame``, with ``.labels``), or a boolean frame
    indexed by ``paper_id`` with one column per cluster. A tags result, a tags
    frame or topics that left some of ``papers`` out are an error; papers
    missing from a boolean frame belong to none.
    """
    from .themes.result import ThemeTags, as_theme_tags, check_frame_covers

    ids = pd.Index(papers["paper_id"].astype(str), name="paper_id")
    if isinstance(clusters, ThemeTags):
        clusters = as_theme_tags(clusters, papers)  # an error when it did not tag some of the papers
    if hasattr(clusters, "assignments") and hasattr(clusters, "topics"):
        check_topics_cover(papers, clusters)
        assignments, table = clusters.assignments, clusters.topics
        order = table["topic"].tolist()
        members = assignments[assignments["topic"].isin(order)]
        matrix = pd.crosstab(members["paper_id"].astype(str), members["topic"]).astype(bool)
        matrix = matrix.reindex(index=ids, columns=order, fill_value=False)
        labels = dict(zip(table["topic"], table["label"], strict=True))
        return matrix.astype(bool), labels, "topics"
    labels = _labels_from(clusters)
    frame = getattr(clusters, "frame", clusters)
    if not isinstance(frame, pd.DataFrame):
        raise PaperscopeError(f"clusters must be Topics, theme tags or a boolean paper × cluster frame; "
                              f"got {type(clusters).__name__}")
    if {"paper_id", "theme"} <= set(frame.columns):
        check_frame_covers(frame, ids)
        hits = frame.dropna(subset=["theme"])
        # The taxonomy's order (else the ids'), never the order the papers come in: a keyword two
        # clusters tie on goes to the earlier one, so the papers' order would decide it
        present = set(hits["theme"].astype(str))
        ordered = clusters.themes if isinstance(clusters, ThemeTags) else []
        order = [t for t in ordered if t in present] + sorted(present - set(ordered))
        if not labels:  # a bare frame: its own labels, else its theme ids — never a reloaded default taxonomy
            named = dict(zip(hits["theme"].astype(str), hits.get("label", hits["theme"]), strict=True))
            labels = {t: named[t] if isinstance(named[t], str) else t for t in order}
        matrix = pd.crosstab(hits["paper_id"].astype(str), hits["theme"].astype(str)).astype(bool)
        return matrix.reindex(index=ids, columns=order, fill_value=False).astype(bool), labels, "themes"
    bad = [c for c in frame.columns if frame[c].dtype != bool]
    if bad:
        raise PaperscopeError(f"a cluster membership frame holds True/False per paper and cluster; "
                              f"column {bad[0]!r} has dtype {frame[bad[0]].dtype}")
    matrix = frame.copy()
    matrix.index = matrix.index.astype(str)
    return (matrix.reindex(index=ids, fill_value=False).astype(bool),
            labels or {c: str(c) for c in matrix.columns}, "clusters")


# --- keywords and the co-word network -------------------------------------------------------

@dataclass
class PaperTerms:
    """Which papers use which terms: a papers × terms 0/1 sparse matrix and its columns' terms.

    Counting keywords and co-occurrences on it is sparse-matrix arithmetic
    instead of a Python loop over every term of every paper (at 100,000
    papers, seconds instead of a minute).
    """

    matrix: Any  # scipy.sparse.csr_matrix, int64
    terms: np.ndarray  # object array of str, the columns
    _index: pd.Index | None = None

    @classmethod
    def of(cls, docs: Sequence[set[str]]) -> PaperTerms:
        """From each paper's set of terms (:func:`paperscope.tokens.terms`)."""
        from .counts import term_counts

        matrix, terms = term_counts(docs, list)
        return cls(matrix, terms)

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def rows(self, rows: np.ndarray) -> PaperTerms:
        """The same terms, for the papers at positions ``rows``."""
        return PaperTerms(self.matrix[rows], self.terms, self.index)

    @property
    def index(self) -> pd.Index:
        """Term → column (built once, shared by :meth:`rows`)."""
        if self._index is None:
            self._index = pd.Index(self.terms)
        return self._index


def _paper_terms(papers: pd.DataFrame) -> PaperTerms:
    """Each paper's terms; the last corpus's are kept, so a page of maps tokenizes it once."""
    def compute() -> PaperTerms:
        abstracts = papers["abstract"].astype(object).where(papers["abstract"].notna(), "")
        return PaperTerms.of([paper_terms(f"{t}. {a}")
                              for t, a in zip(papers["title"].astype(str), abstracts, strict=True)])

    return per_corpus("paper terms", papers, compute)


#: A cluster of fewer papers has no keywords, and no place on the map: the words two or three papers
#: share are mostly the words of any abstract ("investigate, field, train" for two PINN papers).
MIN_SIZE = 5
#: A keyword is used by at least this many times more of its cluster's papers than of the others.
MIN_LIFT = 2.0


def cluster_keywords(docs: PaperTerms | Sequence[set[str]], membership: pd.DataFrame, *, n: int = 10,
                     min_papers: int = 2, min_size: int = MIN_SIZE) -> dict[Any, list[str]]:
    """Each cluster's ``n`` most distinctive terms; a term belongs to one cluster only.

    A term's score in a cluster is ``share · ln(N / df)``: ``share`` of the
    cluster's papers use it, ``df`` of all ``N`` papers do (TF-IDF with
    papers as counts). A term needs ``min_papers`` papers of the cluster and a
    share at least :data:`MIN_LIFT` times its share among the other papers; a cluster of
    fewer than ``min_size`` papers has no keywords (and no place on the map),
    and goes to the cluster where the share of papers using it is surely
    highest: the lower bound of its 95 % Wilson interval (rounded to 9
    decimals; ties to the earlier cluster). So a theme's specific child
    ("Diffusion models") keeps "diffusion" from its broader parent, while a
    two-paper cluster cannot take "llm" from a cluster of 240 where nearly
    all papers use it. Within a cluster a term that contains, or is contained
    in, a better one is skipped ("neural" after "neural network").
    """
    from scipy import sparse

    from .trends import wilson_interval

    n, min_papers = checks.count("n_keywords", n), checks.count("min_papers", min_papers)
    min_size = checks.count("min_size", min_size)
    occ = docs if isinstance(docs, PaperTerms) else PaperTerms.of(docs)
    x = occ.matrix
    total = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1])
    member = sparse.csr_matrix(membership.to_numpy(dtype=bool).T, dtype=np.int64)  # clusters × papers
    sizes = np.diff(member.indptr).tolist()
    counts = (member @ x).tocsr()  # clusters × terms: papers of the cluster using the term
    best_low = np.full(x.shape[1], -np.inf)
    best_pos = np.full(x.shape[1], -1, dtype=np.int64)
    own: list[tuple[np.ndarray, np.ndarray]] = []
    for position, size in enumerate(sizes):
        idx = counts.indices[counts.indptr[position]:counts.indptr[position + 1]]
        p = counts.data[counts.indptr[position]:counts.indptr[position + 1]]
        # at least MIN_LIFT times as common in the cluster as outside it (a cluster of all papers: no outside)
        outside = (df[idx] - p) * size * MIN_LIFT
        keep = (p >= min_papers) & (df[idx] < total) & (size >= min_size) & (p * (total - size) >= outside)
        idx, p = idx[keep], p[keep]
        own.append((idx, p))
        if not len(idx):
            continue
        lows = np.round(wilson_interval(p, size)[0], 9)
        better = lows > best_low[idx]
        best_low[idx[better]] = lows[better]
        best_pos[idx[better]] = position
    out: dict[Any, list[str]] = {}
    for position, cluster in enumerate(membership.columns):
        idx, p = own[position]
        mine = best_pos[idx] == position
        # p / size is correctly rounded, as float(Fraction(p, size)) was: the same shares, much faster.
        scored = sorted(((round(pi / sizes[position] * math.log(total / di), 9), occ.terms[i])
                         for i, pi, di in zip(idx[mine].tolist(), p[mine].tolist(), df[idx[mine]].tolist(),
                                              strict=True)),
                        key=lambda st: (-st[0], st[1]))
        kept: list[str] = []
        for _, t in scored:
            if any(w.isdigit() for w in t.split()):  # "50", "20 000": a count an abstract gives, no subject
                continue
            if any(_same_term(t, k) for k in kept):
                continue
            kept.append(t)
            if len(kept) == n:
                break
        out[cluster] = kept
    return out


def _same_term(a: str, b: str) -> bool:
    """Whether keyword ``a`` repeats ``b``: one's words hold the other's ("neural" and "neural network"),
    or two single words are forms of one ("robot", "robotic"; "prune", "pruned": the shorter, of four
    letters or more, starts the longer). Not "ai" in "failure", "llm" in "mllm" or "dit" in "conditioning"."""
    wa, wb = set(a.split()), set(b.split())
    if wa <= wb or wb <= wa:
        return True
    short, long_ = sorted((a, b), key=len)
    return " " not in a + b and len(short) >= 4 and long_.startswith(short)


def equivalence(docs: PaperTerms | Sequence[set[str]], keywords: Sequence[str]) -> np.ndarray:
    """Equivalence index ``c_ij² / (c_i c_j)`` between keywords over papers (diagonal 0).

    Co-occurrence counts come from the sparse papers × keywords columns of
    :class:`PaperTerms`: at 100,000 papers and 2,400 keywords a dense matrix
    would take 2 GB. A keyword no paper uses (or named twice, before its last
    mention) has all zeros.
    """
    occ = docs if isinstance(docs, PaperTerms) else PaperTerms.of(docs)
    keywords = list(keywords)
    cols = occ.index.get_indexer(keywords) if len(occ.terms) else np.full(len(keywords), -1)
    used = (cols >= 0) & ~pd.Index(keywords).duplicated(keep="last")
    occurrence = occ.matrix[:, np.where(used, cols, 0)].astype(np.float64)
    if not used.all():
        occurrence = occurrence.multiply(used.astype(np.float64)[None, :]).tocsr()
    co = np.asarray((occurrence.T @ occurrence).todense())
    counts = np.diag(co).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.where(np.outer(counts, counts) > 0, co**2 / np.outer(counts, counts), 0.0)
    np.fill_diagonal(e, 0.0)
    return e


def _strategic(docs: PaperTerms, keywords: dict[Any, list[str]]) -> dict[Any, tuple[float, float]]:
    """Callon's centrality and density of each cluster with keywords."""
    flat = [t for kws in keywords.values() for t in kws]
    owner = np.array([c for c, kws in keywords.items() for _ in kws], dtype=object)
    e = equivalence(docs, flat)
    out = {}
    for cluster, kws in keywords.items():
        if not kws:
            continue
        inside = owner == cluster
        internal = e[np.ix_(inside, inside)].sum() / 2  # each link once
        external = e[np.ix_(inside, ~inside)].sum()
        out[cluster] = (round(10 * float(external), DECIMALS), round(100 * float(internal) / len(kws), DECIMALS))
    return out


def _quadrant(centrality: float, density: float, c_median: float, d_median: float) -> str:
    central, dense = centrality > c_median, density > d_median
    if central and dense:
        return "motor"
    if central:
        return "basic"
    if dense:
        return "niche"
    return "emerging or declining"


#: Fewer clusters than this on the map make no quadrants: split at the medians, two clusters are
#: one "high" and one "low" at best (centrality is symmetric: two clusters have the same), so the
#: labels would say nothing.
MIN_PLACED = 4


def _map(docs, membership, labels, keywords, kind, min_size: int = MIN_SIZE,
         absent: Sequence[str] = ()) -> pd.DataFrame:
    strategic = _strategic(docs, keywords)
    few = len(strategic) < MIN_PLACED
    cs = [c for c, _ in strategic.values()]
    ds = [d for _, d in strategic.values()]
    c_median = round(float(np.median(cs)), DECIMALS) if cs else math.nan
    d_median = round(float(np.median(ds)), DECIMALS) if ds else math.nan
    rows = []
    for cluster in membership.columns:
        c, d = strategic.get(cluster, (math.nan, math.nan))
        rows.append({
            "cluster": cluster, "label": labels.get(cluster, str(cluster)),
            "size": int(membership[cluster].sum()), "keywords": list(keywords.get(cluster, [])),
            "centrality": c, "density": d,
            "quadrant": _quadrant(c, d, c_median, d_median) if cluster in strategic and not few else None,
        })
    out = pd.DataFrame(rows, columns=MAP_COLUMNS)
    out = out.astype({"label": "string", "size": "int64", "quadrant": "string"})
    notes = []
    if few:
        notes.append(f"Only {len(strategic)} cluster(s) placed: with fewer than {MIN_PLACED} the median split "
                     "into quadrants says nothing, so none is named.")
    unplaced = out[out["centrality"].isna()]
    if len(unplaced):
        shown = ", ".join(f"{r.label} ({r.size})" for r in unplaced.head(8).itertuples())
        more = f" and {len(unplaced) - 8} more" if len(unplaced) > 8 else ""
        notes.append(f"Not placed (no keywords: fewer than {min_size} papers, or none used mostly by them): "
                     f"{shown}{more}.")
    if absent:
        notes.append(f"No paper carries: {', '.join(absent)}.")
    out.attrs.update({"kind": kind, "centrality_median": c_median, "density_median": d_median,
                      "link": "equivalence index", "note": " ".join(notes)})
    return out


def thematic_map(
    papers: pd.DataFrame,
    clusters: Any,
    *,
    keywords: Mapping[Any, Sequence[str]] | None = None,
    n_keywords: int = 10,
    min_papers: int = 2,
    min_size: int = MIN_SIZE,
) -> pd.DataFrame:
    """Callon's strategic diagram of themes or topics: centrality, density and quadrant.

    Parameters
    ----------
    papers
        Schema frame.
    clusters
        Themes (tags from :func:`paperscope.tag_themes`, or an object with
        ``.frame`` and ``.labels``), topics (:class:`paperscope.Topics`), or a
        boolean paper × cluster frame indexed by ``paper_id``.
    keywords
        Each cluster's keywords (terms as :func:`paperscope.tokens.terms`
        writes them, e.g. ``"neural network"``); default: the ``n_keywords``
        most distinctive terms of its papers (:func:`cluster_keywords`).
    n_keywords, min_papers, min_size
        For the default keywords (:func:`cluster_keywords`): a cluster of fewer than ``min_size``
        papers has none and no place on the map.

    Returns
    -------
    pandas.DataFrame
        One row per cluster, in the clusters' order: ``cluster``, ``label``,
        ``size`` (papers), ``keywords``, ``centrality``, ``density`` (both
        rounded to 6 decimals; NaN for a cluster without keywords) and
        ``quadrant`` (``motor``, ``basic``, ``niche``, ``emerging or
        declining``; high means above the median, so a cluster on a median
        line counts as low on that axis). ``.attrs`` holds
        both medians and the kind of cluster.

    Examples
    --------
    >>> import paperscope as ps
    >>> papers = ps.load("data/hf-daily-papers")                          # doctest: +SKIP
    >>> ps.thematic_map(papers, ps.tag_themes(papers))                    # doctest: +SKIP
    """
    membership, labels, kind = cluster_membership(papers, clusters)
    docs = _paper_terms(papers)
    if keywords is None:
        kws = cluster_keywords(docs, membership, n=n_keywords, min_papers=min_papers, min_size=min_size)
    else:
        unknown = set(keywords) - set(membership.columns)
        if unknown:
            raise PaperscopeError(f"keywords for unknown clusters {sorted(map(str, unknown))}; "
                                  f"the clusters are {[str(c) for c in membership.columns]}")
        kws = {c: _folded_keywords(c, keywords.get(c, []), docs) for c in membership.columns}
    taxonomy = getattr(clusters, "taxonomy", None)
    absent = [t.label for t in taxonomy.themes if t.id not in membership.columns] if kind == "themes" and \
        taxonomy is not None else []
    return _map(docs, membership, labels, kws, kind, min_size, absent)


def _papers_using(docs: PaperTerms, term: str) -> float:
    """How many papers use ``term`` (infinity under two: a term one paper uses is no choice)."""
    col = docs.index.get_indexer([term])[0] if len(docs.terms) else -1
    used = int(docs.matrix[:, col].sum()) if col >= 0 else 0
    return used if used >= 2 else math.inf  # one paper's words side by side ("art image") are no term


def _folded_keywords(cluster: Any, given: Sequence[str], docs: PaperTerms) -> list[str]:
    """A user's keywords as the papers' terms are written (:func:`paperscope.tokens.terms`: lower
    case, plurals folded, stop words and boilerplate out), saying so when that changes one
    ("Large Language Models" is the term "language") and which no paper uses (they tie nothing).
    A keyword with no word left is an error."""
    if isinstance(given, str):
        given = [given]
    out, changed, empty = [], [], []
    for keyword in map(str, given):
        term = _keyword_term(tokenize(keyword), bigrams(keyword), docs)
        if term is None:
            empty.append(keyword)
            continue
        out.append(term)
        if term != " ".join(words(fold_plurals(keyword))):
            changed.append(f"{keyword!r} → {term!r}")
    if empty:
        raise PaperscopeError(f"keywords of {cluster!r}: {', '.join(map(repr, empty))} holds no word the papers' "
                              "terms keep (stop words and boilerplate such as 'use', 'model', 'large' are left out)")
    unused = [k for k in dict.fromkeys(out) if k not in docs.index]
    notes = ([f"read as the papers' terms: {', '.join(changed)}"] if changed else []) + (
        [f"no paper uses {', '.join(map(repr, unused))}, which ties the cluster to nothing"] if unused else [])
    if notes:
        warnings.warn(f"keywords of {cluster!r}: " + "; ".join(notes), UserWarning, stacklevel=4)
    return list(dict.fromkeys(out))


def _keyword_term(content: list[str], pairs: list[str], docs: PaperTerms) -> str | None:
    """The term a keyword of these content words and word pairs stands for (None: no word left).

    One word or one pair as written; else the pair most papers use (a phrase of the field: "image
    generation", not "art image" from "state of the art image generation"); else the word the
    fewest use, the most specific ("Text-to-Speech" is "speech", not "text").
    """
    if not content:
        return None
    if len(content) == 1 or (len(content) == 2 and pairs):
        return " ".join(content)
    used = [(n, pair) for pair in pairs if (n := _papers_using(docs, pair)) < math.inf]
    if used:
        return max(used)[1]
    return min(content, key=lambda word: (_papers_using(docs, word), word))


# --- evolution ------------------------------------------------------------------------------

@dataclass
class ThematicEvolution:
    """The result of :func:`thematic_evolution`.

    Attributes
    ----------
    nodes
        One row per (period, cluster) with papers and keywords: ``period``,
        ``cluster``, ``label``, ``size``, ``keywords``, ``centrality``,
        ``density``, ``quadrant`` (the cluster's place in that period's map).
    links
        One row per pair of clusters of consecutive periods that share a
        keyword: ``source_period``, ``source``, ``target_period``, ``target``,
        ``inclusion`` (shared keywords / keywords of the smaller cluster, the
        link weight), ``stability`` (shared / all, Jaccard) and ``shared`` (the
        keywords). Strongest first within each pair of periods.
    periods
        Period labels, in time order.
    params
        What made it: the date column, the periods, ``n_keywords``, ``min_papers``.
    """

    nodes: pd.DataFrame
    links: pd.DataFrame
    periods: list[str]
    params: dict[str, Any] = field(default_factory=dict)


_ALIASES = ("D", "W", "M", "Q", "Y")  # (paperscope.trends' period codes)
_PERIODS_USAGE = ("a period alias (D, W, M, Q, Y) or a list of cut dates such as "
                  "['2025-01-01', '2026-01-01']")


def _period_labels(dates: pd.Series, periods: str | Sequence[Any], *,
                   years_only: bool = False) -> tuple[pd.Series, list[str]]:
    if isinstance(periods, str):
        if periods not in _ALIASES:
            raise PaperscopeError(f"periods={periods!r}: {_PERIODS_USAGE}")
        # Dates known to the year only ("year" column) are never split finer than a year.
        per = dates.dt.to_period("Y" if years_only else periods)
        order = [str(p) for p in sorted(per.dropna().unique())]
        return per.astype(str).where(per.notna(), None), order
    if isinstance(periods, (int, float)) or not isinstance(periods, Sequence):
        raise PaperscopeError(f"periods={periods!r}: {_PERIODS_USAGE}")
    bad = [c for c in periods if c is None or isinstance(c, (bool, int, float, np.number))]
    try:
        cuts = [] if bad else sorted(pd.Timestamp(c) for c in periods)
    except (TypeError, ValueError) as exc:
        raise PaperscopeError(f"periods={list(periods)!r}: cut dates must be dates such as '2025-01-01' "
                              f"({exc})") from None
    if bad or any(pd.isna(c) for c in cuts):
        raise PaperscopeError(f"periods={list(periods)!r}: cut dates must be dates such as '2025-01-01' "
                              f"(not {bad[0] if bad else 'a missing date'!r}; a year is '2016-01-01')")
    if years_only and any((c.month, c.day, c.hour, c.minute) != (1, 1, 0, 0) for c in cuts):
        raise PaperscopeError(f"periods={[str(c.date()) for c in cuts]}: the papers are dated by year only, so a "
                              "cut inside a year cannot place them; cut at the start of a year ('2016-01-01')")
    if not cuts:
        raise PaperscopeError("periods: give a pandas period alias ('Y', 'Q') or at least one cut date")
    edges = [None, *cuts, None]
    names = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        if lo is None:
            names.append(f"before {hi:%Y-%m-%d}")
        elif hi is None:
            names.append(f"from {lo:%Y-%m-%d}")
        else:
            names.append(f"{lo:%Y-%m-%d} – {hi:%Y-%m-%d}")
    position = np.searchsorted(np.array(cuts, dtype="datetime64[ns]"), dates.to_numpy(), side="right")
    labels = pd.Series([names[p] if d is not pd.NaT and not pd.isna(d) else None
                        for p, d in zip(position, dates, strict=True)], index=dates.index, dtype=object)
    return labels, [n for n in names if (labels == n).any()]


def thematic_evolution(
    papers: pd.DataFrame,
    clusters: Any,
    periods: str | Sequence[Any] = "Y",
    *,
    date: str | None = None,
    n_keywords: int = 10,
    min_papers: int = 2,
    min_size: int = MIN_SIZE,
) -> ThematicEvolution:
    """How themes or topics carry over from one period to the next (bibliometrix's thematic evolution).

    In each period, each cluster's keywords are the most distinctive terms of
    its papers *of that period* (:func:`cluster_keywords` on that period's
    papers). A cluster of period ``i`` is linked to a cluster of period
    ``i + 1`` when they share keywords, weighted by the **inclusion index**
    ``|A ∩ B| / min(|A|, |B|)`` (Cobo et al. 2011, as bibliometrix); two different
    clusters need two shared keywords (one generic word is no thread), a cluster and its
    own next-period self one. Papers
    are not shared between periods (each paper has one date), so keywords,
    not papers, carry a theme forward.

    Parameters
    ----------
    papers, clusters
        As for :func:`thematic_map`.
    periods
        A pandas period alias (``"Y"`` years, ``"Q"`` quarters) or cut dates
        (``["2025-01-01", "2026-01-01"]`` gives three periods).
    date
        Date column, as for :func:`paperscope.theme_trends`: by default the finest of
        ``listed_on``, ``published`` and ``year`` that dates any paper (a year is 1 January).
    n_keywords, min_papers, min_size
        As for :func:`cluster_keywords`.

    Returns
    -------
    ThematicEvolution
        Papers without a date are left out (their count is in ``params["undated"]``).

    Raises
    ------
    PaperscopeError
        When no paper has a date, or the dated papers fall in fewer than two periods.
    """
    from .trends import paper_dates

    dates, date = paper_dates(papers, date)  # the column the trends use: listed_on, published or year
    if not dates.notna().any():
        raise PaperscopeError(f"no paper has a date in {date!r}; thematic evolution needs dated papers")
    membership, labels, kind = cluster_membership(papers, clusters)
    docs = _paper_terms(papers)
    period_of, order = _period_labels(dates.reset_index(drop=True), periods, years_only=date == "year")
    if len(order) < 2:
        raise PaperscopeError(f"the dated papers fall in {len(order)} period(s) of {periods!r}; "
                              "evolution needs two or more (use a shorter period or cut dates)")
    nodes = []
    for name in order:
        rows = np.flatnonzero((period_of == name).to_numpy())
        sub = membership.iloc[rows]
        sub_docs = docs.rows(rows)
        kws = cluster_keywords(sub_docs, sub, n=n_keywords, min_papers=min_papers, min_size=min_size)
        frame = _map(sub_docs, sub, labels, kws, kind)
        frame = frame[(frame["size"] > 0) & frame["keywords"].map(len).gt(0)]
        nodes.append(frame.assign(period=name))
    node_frame = pd.concat(nodes, ignore_index=True)[["period", *MAP_COLUMNS]]
    node_frame["period"] = node_frame["period"].astype("string")

    links = []
    for earlier, later in zip(order[:-1], order[1:], strict=True):
        a_nodes = node_frame[node_frame["period"] == earlier]
        b_nodes = node_frame[node_frame["period"] == later]
        for _, a in a_nodes.iterrows():
            for _, b in b_nodes.iterrows():
                shared = sorted(set(a["keywords"]) & set(b["keywords"]))
                # One shared word links a cluster to itself in the next period; two unrelated
                # clusters need two (one generic word made inclusion 1.0 with a one-keyword node).
                if not shared or (len(shared) < 2 and a["cluster"] != b["cluster"]):
                    continue
                union = set(a["keywords"]) | set(b["keywords"])
                links.append({
                    "source_period": earlier, "source": a["cluster"], "source_label": a["label"],
                    "target_period": later, "target": b["cluster"], "target_label": b["label"],
                    "inclusion": round(len(shared) / min(len(a["keywords"]), len(b["keywords"])), DECIMALS),
                    "stability": round(len(shared) / len(union), DECIMALS),
                    "shared": shared,
                })
    link_columns = ["source_period", "source", "source_label", "target_period", "target", "target_label",
                    "inclusion", "stability", "shared"]
    link_frame = pd.DataFrame(links, columns=link_columns)
    if len(link_frame):
        rank = {p: i for i, p in enumerate(order)}
        link_frame = link_frame.sort_values(
            ["source_period", "inclusion", "stability"], ascending=[True, False, False], kind="stable",
            key=lambda s: s.map(rank) if s.name == "source_period" else s).reset_index(drop=True)
    params = {"date": date, "periods": periods if isinstance(periods, str) else [str(p) for p in periods],
              "n_keywords": n_keywords, "min_papers": min_papers, "kind": kind,
              "undated": int(dates.isna().sum()), "link": "inclusion index"}
    return ThematicEvolution(node_frame, link_frame, order, params)
