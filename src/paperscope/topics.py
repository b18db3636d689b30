"""Data-driven topics with BERTopic, the same on every machine, readable and complete.

BERTopic's defaults (UMAP + HDBSCAN) give, on a few dozen papers, two topics,
many outliers and labels made of stop words; and because UMAP's layout is the
end of a stochastic descent whose path depends on the last bits of every float
and on the CPU instructions numba compiles for, the partition changes from one
machine to the next (the seed's 4 topics became 3 or 5). :func:`fit_topics`
keeps BERTopic's topic representation (c-TF-IDF, its model and views) and
changes how papers are grouped:

* **Representation.** Each paper is its MiniLM embedding (semantic) next to a
  TF-IDF/SVD vector of the corpus (lexical), both L2-normalized; the lexical
  half weighs ``lexical_weight``. It keeps papers that share a method's name
  together even when their prose differs.
* **Guidance by the curated themes (optional).** Given the result of
  :func:`paperscope.tag_themes`, each paper's direct theme tags join its
  vector with weight ``theme_weight`` — BERTopic's *guided* topic modelling,
  with the user's own taxonomy as the seed topics. Named lines of work (PINNs,
  Bayesian optimization) then stay together instead of dissolving into their
  application domains.
* **Deterministic grouping** (:mod:`paperscope.clustering`): an exact PCA, a
  Ward tree over (a deterministic sample of) the papers cut at ``n_topics``
  (default ``2 * sqrt(n)``), the rest by nearest centroid. No random projection, no
  SGD: float noise far above rounding (1e-4) leaves the partition unchanged.
* **Outliers.** Topics smaller than ``min_cluster_size`` are dissolved; their
  papers join the most similar topic when that similarity is at least
  ``min_similarity``, and then the most similar of the rest until at most
  ``max_outliers`` (10 %) remain. ``confidence`` (cosine similarity to the
  topic centroid) and ``reassigned`` say which papers are less typical.
* **Labels.** c-TF-IDF over words and bigrams with English stop words *and*
  academic boilerplate removed and plurals folded; a label is the three best
  terms that do not repeat each other, made distinct across topics.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import checks, clustering, schema
from .embeddings import MINILM, embed, paper_texts, tfidf_embeddings
from .errors import PaperscopeError
from .text import WORD_PATTERN, fold_plurals
from .themes import ThemeTags
from .tokens import STOP_WORDS

OUTLIER = clustering.OUTLIER

# tqdm.auto (imported by BERTopic and sentence-transformers) warns on stderr inside a
# kernel without ipywidgets; stderr output breaks nbval and says nothing useful here.
warnings.filterwarnings("ignore", message="IProgress not found")


@dataclass
class Topics:
    """The result of :func:`fit_topics`.

    Attributes
    ----------
    model
        The fitted ``bertopic.BERTopic`` (its own ``visualize_*`` methods work;
        custom labels are set to ours; documents are embedded with MiniLM when
        a view needs it).
    assignments
        One row per paper, in input order: ``paper_id``, ``title``, ``topic``
        (``-1`` = outlier), ``topic_label``, ``confidence`` (cosine similarity
        to the topic's centroid), ``reassigned`` (placed by the outlier step),
        ``x``, ``y`` (2-D map coordinates: for the picture only).
    topics
        One row per topic, largest first: ``topic``, ``label``, ``size``,
        ``top_terms`` (list), ``representative_papers`` (list of titles).
    features
        The vectors that were clustered (one row per paper).
    params
        Everything that made the topics: sub-model sizes, weights, the cut, the
        themes that guided them (``guided_by``: the taxonomy's theme ids, or ``None``).
    """

    model: Any
    assignments: pd.DataFrame
    topics: pd.DataFrame
    features: np.ndarray
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def outlier_share(self) -> float:
        return float((self.assignments["topic"] == OUTLIER).mean())


def check_topics(topics: Any, caller: str) -> None:
    """A :class:`PaperscopeError` unless ``topics`` is a :class:`Topics` (the papers come first elsewhere)."""
    if not isinstance(topics, Topics):
        got = "a table (the papers?)" if isinstance(topics, pd.DataFrame) else type(topics).__name__
        raise PaperscopeError(f"{caller} takes the result of ps.fit_topics(papers) first; got {got}")


def default_params(n: int) -> dict[str, int]:
    """Sub-model sizes for a corpus of ``n`` papers.

    ``n_topics = max(4, round(2 * sqrt(n)))`` (16 for 62 papers, 63 for 1,000, 200 for
    10,000) before small clusters dissolve, and at most ``n // min_cluster_size`` (so that
    at least one topic survives: 3 for 10 papers); ``min_cluster_size = max(3, round(sqrt(n) / 4))``
    (3 for 62 papers, 8 for 1,000, 25 for 10,000);
    ``n_components`` of the PCA: 64; ``max_sample`` papers in the Ward tree: 20 per topic,
    at least 4,000 and at most 8,000 (4,000 up to 40,000 papers; the rest join by
    nearest centroid).
    """
    if n < 10:
        raise PaperscopeError(f"topics need at least 10 papers; the corpus has {n}")
    min_size = int(max(3, round(math.sqrt(n) / 4)))
    # at most n // min_cluster_size clusters, so that one at least keeps min_cluster_size papers
    # (binds below 36 papers: 10 papers in 6 clusters of under 3 left no topic at all)
    n_topics = min(clustering.target_topics(n), n // min_size)
    return {
        "n_topics": n_topics,
        "min_cluster_size": min_size,
        "n_components": 64,
        "max_sample": int(min(8_000, max(4_000, 20 * n_topics))),
        "min_df": 1 if n < 300 else 2,
    }


def hybrid_features(embeddings: np.ndarray, texts: list[str], *, lexical_weight: float = 1.0,
                    random_state: int = 42, split: Any = None) -> np.ndarray:
    """``[embedding ; w * TF-IDF/SVD]``, each half L2-normalized, the whole re-normalized.

    ``split``: ``texts`` already split by :func:`paperscope.counts.split_words`
    (:data:`paperscope.embeddings.TFIDF_TOKEN_PATTERN`).
    """
    from sklearn.preprocessing import normalize

    semantic = normalize(np.asarray(embeddings, dtype=np.float64))
    if lexical_weight <= 0:
        return semantic.astype(np.float32)
    lexical = tfidf_embeddings(texts, dim=128, random_state=random_state, split=split).astype(np.float64)
    return normalize(np.hstack([semantic, lexical_weight * lexical])).astype(np.float32)


def theme_guide(papers: pd.DataFrame, themes: ThemeTags) -> np.ndarray:
    """One row per paper: its direct theme tags, L2-normalized (zeros for an untagged paper).

    Direct tags only: a parent inherited from a child would tie every child
    theme to its parent and blur the very lines the guidance is meant to keep.
    """
    matrix = themes.matrix(direct_only=True).reindex(papers["paper_id"]).to_numpy(dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def _vectorizer(min_df: int):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        ngram_range=(1, 2), stop_words=sorted(STOP_WORDS), min_df=min_df,
        token_pattern=WORD_PATTERN, preprocessor=fold_plurals,
    )


def _centroids(features: np.ndarray, topics: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids, cents = clustering.centroids(features, topics)
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    return ids, cents


def reassign_outliers(features: np.ndarray, topics: np.ndarray, *, max_outliers: float = 0.10,
                      min_similarity: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """Place outliers in their most similar topic; at most ``max_outliers`` stay out.

    Returns the new topic array and a boolean array of the reassigned papers.
    Deterministic: ties are broken by paper order.
    """
    topics = np.asarray(topics).copy()
    out = np.flatnonzero(topics == OUTLIER)
    moved = np.zeros(len(topics), dtype=bool)
    if len(out) == 0 or (topics != OUTLIER).sum() == 0:
        return topics, moved
    ids, cents = _centroids(features, topics)
    sims = features[out] @ cents.T
    best, score = ids[sims.argmax(axis=1)], sims.max(axis=1)
    budget = math.floor(max_outliers * len(topics))
    order = np.argsort(-score, kind="stable")  # most similar first
    must_place = max(0, len(out) - budget)
    for rank, j in enumerate(order):
        if score[j] >= min_similarity or rank < must_place:
            topics[out[j]] = best[j]
            moved[out[j]] = True
    return topics, moved


def _centrality(features: np.ndarray, topics: np.ndarray) -> np.ndarray:
    """Each paper's cosine to its topic's centroid, rounded to 4 decimals (outliers: -1)."""
    ids, cents = _centroids(features, topics)
    out = np.full(len(topics), -1.0)
    for t, cent in zip(ids, cents, strict=True):
        members = topics == t
        out[members] = np.round(features[members] @ cent, 4)
    return out


#: A label term is used by at least this share of its topic's papers (and by two of them), so that a
#: label describes the topic, not one paper ("brain" from BrainJanus on a topic of 14 papers).
LABEL_SHARE = 0.2


def _shared_terms(model: Any, terms: dict[int, list[str]], topics: np.ndarray) -> dict[int, tuple[list[str], int]]:
    """Each topic's terms (in c-TF-IDF order), those that enough of its papers use first, and how many
    do (all of them count when the model cannot say)."""
    found = getattr(model, "term_papers", None)
    if found is None:
        return {t: (words, len(words)) for t, words in terms.items()}
    topic_ids, vocabulary, papers = found
    row = {int(t): i for i, t in enumerate(topic_ids.tolist())}
    # Only the label candidates' columns, as one dense block: looking terms up one by one in the
    # sparse matrix took most of a second at 10k papers.
    wanted = sorted({w for words in terms.values() for w in words})
    found_at = pd.Index(np.asarray(vocabulary, dtype=object)).get_indexer(wanted)
    known = found_at >= 0
    column = {w: j for j, w in enumerate(np.asarray(wanted, dtype=object)[known].tolist())}
    block = papers[:, found_at[known]].toarray()
    sizes = dict(zip(*np.unique(topics, return_counts=True), strict=True))
    out = {}
    for t, words in terms.items():
        need = max(2, math.ceil(LABEL_SHARE * int(sizes.get(t, 0))))
        counts = block[row[t]] if t in row else None
        kept = [w for w in words if counts is not None and w in column and counts[column[w]] >= need]
        out[t] = (kept + [w for w in words if w not in kept], len(kept))
    return out


def _label(terms: list[str], n: int = 3) -> list[str]:
    """The first ``n`` terms that neither contain nor are contained in one already kept."""
    kept: list[str] = []
    for term in terms:
        if any(term in k or k in term for k in kept) or term.replace("-", "").isdigit():
            continue
        kept.append(term)
        if len(kept) == n:
            break
    return kept


#: Each paper's nearest papers that the topic map keeps close (:func:`_map_coordinates`).
MAP_NEIGHBOURS = 15


def _map_coordinates(points: np.ndarray, random_state: int) -> np.ndarray:
    """2-D positions for the topic map: t-SNE of the papers' nearest-neighbour graph up to 3,000
    papers, the first two PCA axes beyond.

    t-SNE of the points themselves is chaotic: a CPU's float noise (~1e-7) in the embeddings
    gave another picture (a paper moved 49 units on a 55-unit map). The graph — which
    :data:`MAP_NEIGHBOURS` papers are nearest each, both ways — changes only where two
    distances tie to 1e-7, so the picture is the same on any CPU. Only the picture depends on
    it; no topic does.
    """
    n = len(points)
    if n <= 3_000 and n > 5:
        from sklearn.manifold import TSNE
        from sklearn.neighbors import NearestNeighbors
        from threadpoolctl import threadpool_limits

        k = min(MAP_NEIGHBOURS, max(3, n // 8))  # (a small corpus: a few, not a quarter of its papers)
        features = points[:, :min(50, points.shape[1])]
        nearest = NearestNeighbors(n_neighbors=k + 1).fit(features).kneighbors(features)[1][:, 1:]
        near = np.zeros((n, n), dtype=bool)
        near[np.repeat(np.arange(n), k), nearest.ravel()] = True
        near |= near.T
        distances = np.where(near, 1.0, 3.0)
        np.fill_diagonal(distances, 0.0)
        perplexity = float(min(30, max(2, (n - 1) // 3)))
        # One thread: Barnes-Hut sums its gradient in thread order, so more threads
        # would move the map (not the topics) from one run to the next.
        with threadpool_limits(limits=1):
            return TSNE(n_components=2, perplexity=perplexity, metric="precomputed", init="random",
                        random_state=random_state, max_iter=500).fit_transform(distances)
    return points[:, :2].copy()


def fit_topics(
    papers: pd.DataFrame,
    *,
    embeddings: np.ndarray | None = None,
    backend: str = MINILM,
    themes: ThemeTags | None = None,
    theme_weight: float = 0.3,
    lexical_weight: float = 1.0,
    random_state: int = 42,
    max_outliers: float = 0.10,
    min_similarity: float = 0.25,
    cache: bool | str | os.PathLike[str] = True,
    **overrides: int,
) -> Topics:
    """Find topics in the papers' titles and abstracts with BERTopic.

    Parameters
    ----------
    papers
        Schema frame (at least 10 papers).
    embeddings
        Precomputed embeddings, one row per paper; default: :func:`paperscope.embeddings.embed`
        with ``backend`` (cached on disk).
    backend
        ``"minilm"`` (default), ``"static"`` or ``"tfidf"``.
    themes
        The result of :func:`paperscope.tag_themes` on these papers, to guide
        the topics by the curated themes (``None``: topics from the text alone).
    theme_weight
        Weight of the theme tags next to the text (used only with ``themes``).
    lexical_weight
        Weight of the TF-IDF/SVD half of the representation (0 = embeddings only).
    random_state
        Seed of the TF-IDF SVD and of the map's layout (the topics themselves use no randomness).
    max_outliers, min_similarity
        The outlier policy (module docstring). ``max_outliers=1`` keeps all outliers.
    cache
        Embedding cache: ``True`` (default location), a path, or ``False``.
    **overrides
        Any of ``n_topics``, ``min_cluster_size``, ``n_components``,
        ``max_sample``, ``min_df`` (see :func:`default_params`).

    Returns
    -------
    Topics

    Examples
    --------
    >>> papers = ps.load("seeds/hf-daily-papers-sep-9.txt")        # doctest: +SKIP
    >>> topics = ps.fit_topics(papers, themes=ps.tag_themes(papers))  # doctest: +SKIP
    >>> topics.topics[["topic", "label", "size"]]                   # doctest: +SKIP
    """
    from . import memo

    def key() -> str:
        tags = None if themes is None else (themes.frame, repr(themes.taxonomy))
        return memo.digest(papers, embeddings, backend, tags, theme_weight, lexical_weight, random_state,
                           max_outliers, min_similarity, repr(cache), sorted(overrides.items()))

    return memo.remembered("topics", key, lambda: _fit_topics(
        papers, embeddings=embeddings, backend=backend, themes=themes, theme_weight=theme_weight,
        lexical_weight=lexical_weight, random_state=random_state, max_outliers=max_outliers,
        min_similarity=min_similarity, cache=cache, overrides=overrides))


def _fit_topics(papers: pd.DataFrame, *, embeddings: np.ndarray | None, backend: str, themes: ThemeTags | None,
                theme_weight: float, lexical_weight: float, random_state: int, max_outliers: float,
                min_similarity: float, cache: bool | str | os.PathLike[str], overrides: dict[str, int]) -> Topics:
    """:func:`fit_topics` itself (that function shares its result between a report's pages)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from . import progress as _progress
    from .bertopic_model import (
        BaseCluster,
        BaseDimensionalityReduction,
        ClassTfidfTransformer,
        LazyMiniLM,
        PaperscopeBERTopic,
    )

    n = len(papers)
    params = default_params(n)
    unknown = set(overrides) - set(params)
    if unknown:
        raise PaperscopeError(f"unknown parameters {sorted(unknown)}; choose from {sorted(params)}")
    params.update({name: checks.count(name, value) for name, value in overrides.items()})
    checks.seed(random_state)
    checks.number("theme_weight", theme_weight, 0, what="a weight of 0 or more")
    checks.number("lexical_weight", lexical_weight, 0, what="a weight of 0 or more")
    checks.number("max_outliers", max_outliers, 0, 1, what="a share from 0 to 1")
    checks.number("min_similarity", min_similarity, -1, 1, what="a cosine similarity from -1 to 1")
    schema.check_unique_ids(papers)  # a paper in two places would be two points of the map
    if themes is not None and not isinstance(themes, ThemeTags):
        raise PaperscopeError(f"themes= takes the result of ps.tag_themes(papers), got {type(themes).__name__}"
                              + (" (its .frame: pass the result itself)" if isinstance(themes, pd.DataFrame) else ""))
    if themes is not None and set(themes.papers["paper_id"]) != set(papers["paper_id"]):
        raise PaperscopeError("themes were tagged on other papers: pass ps.tag_themes(papers, ...) of these papers")
    texts = paper_texts(papers)
    if embeddings is None:
        embeddings = embed(papers, backend=backend, cache=cache, random_state=random_state)
    if len(embeddings) != n:
        raise PaperscopeError(f"{len(embeddings)} embeddings for {n} papers")
    # The fit sees the papers in an order of their ids: BERTopic numbers topics by size with ties
    # in the order it meets them, a randomized SVD depends on the order of its rows, and of two
    # equally central papers the earlier represents a topic. So the same papers in any order get
    # the same topics, numbers and labels; the results are put back in the caller's order below.
    caller = papers
    order = clustering.canonical_order(papers["paper_id"].astype(str).tolist())
    back = np.empty_like(order)
    back[order] = np.arange(n)
    papers, texts, embeddings = papers.iloc[order], [texts[i] for i in order], np.asarray(embeddings)[order]
    from threadpoolctl import threadpool_limits

    # One BLAS thread: its products here are small, and two threads that must wait for a core
    # another process holds made this step 2-4x slower on a busy 2-core machine.
    with _progress.step("fitting topics"), threadpool_limits(limits=1, user_api="blas"):
        from .counts import split_words
        from .embeddings import TFIDF_TOKEN_PATTERN

        # The texts split into words once, for the TF-IDF half and for BERTopic's c-TF-IDF.
        split = split_words(texts, token_pattern=TFIDF_TOKEN_PATTERN)
        features = hybrid_features(embeddings, texts, lexical_weight=lexical_weight,
                                   random_state=random_state, split=split)
        points = clustering.pca(features, params["n_components"])
        if themes is not None and theme_weight > 0:
            points = np.hstack([points, theme_weight * theme_guide(papers, themes)])
        grouped, cut = clustering.partition(points, papers["paper_id"].astype(str).tolist(),
                                            n_topics=params["n_topics"], min_size=params["min_cluster_size"],
                                            max_sample=params["max_sample"])
        if (grouped == OUTLIER).all():
            raise PaperscopeError(f"no topic has min_cluster_size={params['min_cluster_size']} papers ({n} papers "
                                  f"in n_topics={params['n_topics']} clusters): lower min_cluster_size or n_topics")
        grouped, moved = reassign_outliers(features, grouped, max_outliers=max_outliers,
                                           min_similarity=min_similarity)

        vectorizer = _vectorizer(params["min_df"])
        ctfidf = ClassTfidfTransformer(reduce_frequent_words=True)
        model = PaperscopeBERTopic(embedding_model=LazyMiniLM() if backend == MINILM else None,
                         umap_model=BaseDimensionalityReduction(), hdbscan_model=BaseCluster(),
                         vectorizer_model=vectorizer, ctfidf_model=ctfidf, top_n_words=30,
                         calculate_probabilities=False, verbose=False)
        # BERTopic strips all but ASCII letters and digits before counting terms when it has no
        # embedding model (its "english"): the same texts would get other labels by backend alone
        model.language = None
        model.centrality = _centrality(features, grouped)
        model.word_split = split
        # BERTopic strips punctuation before counting terms, gluing "vision-language" into
        # "visionlanguage": split hyphenated words first so labels stay readable.
        docs = [t.replace("-", " ") for t in texts]
        try:
            topics = np.asarray(model.fit_transform(docs, embeddings=features, y=grouped)[0])
        finally:
            model.word_split = None

        # Labels: three non-redundant terms, distinct across topics.
        ids, cents = _centroids(features, topics)
        # Terms by score, ties by the term itself: BERTopic's argsort may order equal scores
        # differently on another CPU (NumPy dispatches its sort by instruction set).
        # (BERTopic pads a topic whose papers have fewer words than top_n_words with empty terms)
        terms = {int(t): [w for w, _ in sorted(model.get_topic(int(t)), key=lambda ws: (-round(ws[1], 9), ws[0]))
                          if w]
                 for t in ids}
        shared = _shared_terms(model, terms, topics)
        labels: dict[int, str] = {}
        for t in sorted(terms, key=lambda t: (-(topics == t).sum(), t)):
            # The terms its papers share (up to three); a topic whose papers share none is "mixed:"
            # (its top terms are each in one paper or so: no common subject)
            candidates, common = shared[t]
            if not candidates:  # papers with no word the vectorizer counts (text in Chinese, say)
                labels[t] = f"topic {t}: no words to label"
                continue
            width = min(3, common) or 3
            prefix = "" if common else "mixed: "
            label = prefix + ", ".join(_label(candidates, width))
            while label in labels.values() and width < len(candidates):
                width += 1
                label = prefix + ", ".join(_label(candidates, width))
            labels[t] = label
        labels[OUTLIER] = "outliers"
        model.set_topic_labels({t: labels.get(t, "outliers") for t in model.get_topics()})

        index = {t: i for i, t in enumerate(ids)}
        confidence = np.array([
            float(features[i] @ cents[index[t]]) if t != OUTLIER else np.nan
            for i, t in enumerate(topics)])
        coords = _map_coordinates(points, random_state)
    assignments = pd.DataFrame({
        "paper_id": caller["paper_id"].to_numpy(),
        "title": caller["title"].to_numpy(),
        "topic": topics[back].astype("int64"),
        "topic_label": [labels[t] for t in topics[back]],
        "confidence": confidence[back],
        "reassigned": np.asarray(moved)[back],
        "x": coords[back, 0], "y": coords[back, 1],
    })
    features = features[back]
    model.topics_ = assignments["topic"].tolist()  # BERTopic's per-document topics, in the caller's order
    # Each topic's most central papers: by confidence to 4 decimals, ties by title (one sort for all).
    ranked = assignments.assign(rank=assignments["confidence"].round(4)).sort_values(
        ["topic", "rank", "title"], ascending=[True, False, True], kind="stable")
    central = ranked.groupby("topic", sort=False).head(3).groupby("topic", sort=False)["title"].agg(list)
    size = assignments["topic"].value_counts()
    rows = []
    for t in sorted(ids, key=lambda t: (-(topics == t).sum(), t)):
        rows.append({"topic": int(t), "label": labels[t], "size": int(size[t]),
                     "top_terms": terms[int(t)][:10],
                     "representative_papers": central[t]})
    table = pd.DataFrame(rows, columns=["topic", "label", "size", "top_terms",
                                        "representative_papers"])
    params.update(backend=backend, random_state=random_state, lexical_weight=lexical_weight,
                  theme_weight=theme_weight if themes is not None else 0.0,
                  guided_by=list(themes.themes) if themes is not None else None,
                  max_outliers=max_outliers, min_similarity=min_similarity,
                  cut_k=cut.k, cut_margin=round(cut.margin, 4))
    return Topics(model=model, assignments=assignments, topics=table, features=features,
                  params=params)


def _tags_frame(topics: Topics, tags: ThemeTags | pd.DataFrame) -> pd.DataFrame:
    """The tags' frame; a result that did not tag some of the topics' papers is an error."""
    if not isinstance(tags, ThemeTags):
        from .themes.result import check_frame_covers

        check_frame_covers(tags, topics.assignments["paper_id"])
        return tags
    missing = set(topics.assignments["paper_id"]) - set(tags.papers["paper_id"])
    if missing:
        raise PaperscopeError(f"{len(missing)} paper(s) of these topics were not tagged in this result, "
                              f"e.g. {sorted(missing)[0]!r}: tag them with tag_themes(papers)")
    return tags.frame


def topic_themes(topics: Topics, tags: ThemeTags | pd.DataFrame) -> pd.DataFrame:
    """Topic × theme counts: how many papers of each topic carry each curated theme.

    ``tags`` is the result of :func:`paperscope.tag_themes` or its frame.
    Index: topic label, every topic (outliers last); columns: themes that occur; values: papers.
    """
    check_topics(topics, "topic_themes")
    tags = _tags_frame(topics, tags)
    hits = tags.dropna(subset=["theme"])[["paper_id", "theme"]]
    joined = topics.assignments[["paper_id", "topic", "topic_label"]].merge(hits, on="paper_id")
    table = pd.crosstab(joined["topic_label"], joined["theme"])
    # every topic has its row, also one no themed paper falls in (the ones a new theme could name)
    order = list(dict.fromkeys([*topics.topics["label"], *topics.assignments["topic_label"].dropna()]))
    return table.reindex(order, fill_value=0)


#: A theme covers a topic when it is carried by at least this share of the topic's papers …
COVER_SHARE = 0.5
#: … and by at least this many times its share of all the topics' papers (a theme on 57 % of the
#: corpus is on about half of any topic without saying what the topic is about).
COVER_LIFT = 1.25


def topic_coverage(topics: Topics, tags: ThemeTags | pd.DataFrame, *, min_share: float = COVER_SHARE,
                   min_lift: float = COVER_LIFT) -> pd.DataFrame:
    """Every topic, the theme that best covers it, and whether one does.

    A theme covers a topic when it is carried by at least ``min_share`` of the topic's papers
    and by at least ``min_lift`` times its share of all the topics' papers. ``best_theme`` is the
    covering theme with the largest share, else the theme with the largest share (ties: the larger
    lift, then by id), among themes on two or more of the topic's papers (None when none is).

    Returns ``topic``, ``label``, ``size``, ``top_terms``, ``best_theme``, ``best_share`` (of the
    topic's papers), ``best_lift`` (``best_share`` over the theme's share of all papers) and
    ``covered``, in the topics' table order.
    """
    check_topics(topics, "topic_coverage")
    checks.number("min_share", min_share, 0, 1, low_open=True, what="a share above 0 and at most 1")
    checks.number("min_lift", min_lift, 0, what="a ratio of 0 or more (1: no more than the corpus)")
    tags = _tags_frame(topics, tags)
    papers = topics.assignments["paper_id"]
    hits = tags.dropna(subset=["theme"])[["paper_id", "theme"]]
    hits = hits[hits["paper_id"].isin(set(papers))]
    overall = hits["theme"].value_counts() / max(1, len(papers))
    topic_of = dict(zip(papers, topics.assignments["topic"], strict=True))
    per_topic = hits.assign(topic=hits["paper_id"].map(topic_of)).groupby(["topic", "theme"]).size()
    sizes = topics.assignments["topic"].value_counts()
    with_tags = set(per_topic.index.get_level_values(0))
    rows = []
    for _, row in topics.topics.iterrows():
        size = int(sizes.get(row["topic"], 0))
        counts = per_topic.loc[row["topic"]] if row["topic"] in with_tags else pd.Series(dtype="int64")
        counts = counts[counts >= 2]  # one paper of a topic says nothing of what the topic is
        shares = (counts / max(1, size)).sort_index()
        lifts = shares / overall.reindex(shares.index)
        order = pd.DataFrame({"share": shares.round(12), "lift": lifts.round(12)}).sort_values(
            ["share", "lift"], ascending=False, kind="stable").index  # ties: the more specific, then by id
        shares, lifts = shares[order], lifts[order]
        covering = shares[(shares >= min_share - 1e-12) & (lifts >= min_lift - 1e-12)]
        best = covering.index[0] if len(covering) else (shares.index[0] if len(shares) else None)
        rows.append({"topic": row["topic"], "label": row["label"], "size": row["size"],
                     "top_terms": row["top_terms"], "best_theme": best,
                     "best_share": float(shares[best]) if best is not None else 0.0,
                     "best_lift": round(float(lifts[best]), 3) if best is not None else 0.0,
                     "covered": bool(len(covering))})
    # no theme on two papers: <NA> in a string column (pandas' inference made it a float NaN)
    return pd.DataFrame(rows, columns=["topic", "label", "size", "top_terms", "best_theme", "best_share",
                                       "best_lift", "covered"]).astype({"best_theme": "string"})


def uncovered_topics(topics: Topics, tags: ThemeTags | pd.DataFrame, *, min_share: float = COVER_SHARE,
                     min_lift: float = COVER_LIFT) -> pd.DataFrame:
    """Topics that no curated theme covers: the kit's suggestions for a new theme.

    ``tags`` is the result of :func:`paperscope.tag_themes` or its frame. A theme covers a topic
    when it is carried by at least ``min_share`` of the topic's papers *and* by ``min_lift`` times
    its share of all papers (:func:`topic_coverage`): a broad theme such as LLMs, on over half the
    corpus, covers only the topics where it is clearly more common than everywhere. Returns
    ``topic``, ``label``, ``size``, ``top_terms``, ``best_theme``, ``best_share`` and ``best_lift``
    of the uncovered topics, largest first.
    """
    coverage = topic_coverage(topics, tags, min_share=min_share, min_lift=min_lift)
    return coverage[~coverage["covered"]].drop(columns="covered").reset_index(drop=True)
