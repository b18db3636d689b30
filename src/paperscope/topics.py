"""Data-driven topics with BERTopic (UMAP + HDBSCAN), made reproducible, readable and complete.

BERTopic's defaults give, on a few dozen papers, two topics, many outliers,
labels made of stop words, and a different answer each run. :func:`fit_topics`
changes four things and keeps everything else BERTopic's:

* **Representation.** Each paper is its MiniLM embedding (semantic) next to a
  TF-IDF/SVD vector of the corpus (lexical), both L2-normalized, with equal
  weight. The lexical half keeps papers that share a method's name together
  even when their prose differs ("Bayesian optimization" of chemical
  reactions with an LLM, and a tutorial on Bayesian optimization).
* **Corpus-size-aware sub-models.** ``n_neighbors = clip(n // 12, 5, 15)``;
  ``min_cluster_size = max(3, round(sqrt(n) / 2.5))`` (3 for 60 papers, 13
  for 1,000, 40 for 10,000, 126 for 100,000); ``min_samples = max(3,
  min_cluster_size // 4)``; UMAP to 5 dimensions with ``random_state``.
* **Outliers.** HDBSCAN leaves papers it cannot place; each is reassigned to
  the topic whose centroid is most similar when that similarity is at least
  ``min_similarity``, and then the most similar of the rest until at most
  ``max_outliers`` (10 %) remain. The cost: reassigned papers are less typical
  of their topic; their ``confidence`` (cosine similarity to the topic
  centroid) says so, and ``reassigned`` marks them.
* **Labels.** c-TF-IDF over words and bigrams with English stop words *and*
  academic boilerplate removed and plurals folded; a label is the three best
  terms that do not repeat each other, made distinct across topics.
"""

from __future__ import annotations

import logging
import math
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .embeddings import MINILM, embed, paper_texts, tfidf_embeddings
from .errors import PaperscopeError
from .stats import STOP_WORDS
from .text import fold_plurals
from .themes import ThemeTags

OUTLIER = -1

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
        custom labels are set to ours).
    assignments
        One row per paper, in input order: ``paper_id``, ``title``, ``topic``
        (``-1`` = outlier), ``topic_label``, ``confidence`` (cosine similarity
        to the topic's centroid), ``reassigned`` (placed by the outlier step),
        ``x``, ``y`` (2-D map coordinates).
    topics
        One row per topic, largest first: ``topic``, ``label``, ``size``,
        ``top_terms`` (list), ``representative_papers`` (list of titles).
    features
        The vectors that were clustered (one row per paper).
    params
        The sub-model parameters used.
    """

    model: Any
    assignments: pd.DataFrame
    topics: pd.DataFrame
    features: np.ndarray
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def outlier_share(self) -> float:
        return float((self.assignments["topic"] == OUTLIER).mean())


def default_params(n: int) -> dict[str, int]:
    """Sub-model sizes for a corpus of ``n`` papers (see the module docstring)."""
    if n < 10:
        raise PaperscopeError(f"topics need at least 10 papers; the corpus has {n}")
    min_cluster = max(3, round(math.sqrt(n) / 2.5))
    return {
        "n_neighbors": int(min(15, max(5, n // 12))),
        "min_cluster_size": int(min_cluster),
        "min_samples": int(max(3, min_cluster // 4)),
        "n_components": 5,
        "min_df": 1 if n < 300 else 2,
    }


def hybrid_features(embeddings: np.ndarray, texts: list[str], *, lexical_weight: float = 1.0,
                    random_state: int = 42) -> np.ndarray:
    """``[embedding ; w * TF-IDF/SVD]``, each half L2-normalized, the whole re-normalized."""
    from sklearn.preprocessing import normalize

    semantic = normalize(np.asarray(embeddings, dtype=np.float64))
    if lexical_weight <= 0:
        return semantic.astype(np.float32)
    lexical = tfidf_embeddings(texts, dim=128, random_state=random_state).astype(np.float64)
    return normalize(np.hstack([semantic, lexical_weight * lexical])).astype(np.float32)


def _vectorizer(min_df: int):
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        ngram_range=(1, 2), stop_words=sorted(STOP_WORDS), min_df=min_df,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b", preprocessor=fold_plurals,
    )


def _centroids(features: np.ndarray, topics: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids = np.array(sorted(t for t in set(topics.tolist()) if t != OUTLIER))
    cents = np.stack([features[topics == t].mean(axis=0) for t in ids])
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


def fit_topics(
    papers: pd.DataFrame,
    *,
    embeddings: np.ndarray | None = None,
    backend: str = MINILM,
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
        ``"minilm"`` (default) or ``"tfidf"``.
    lexical_weight
        Weight of the TF-IDF/SVD half of the representation (0 = embeddings only).
    random_state
        Seed of UMAP and the SVD: the same input gives the same topics, in any process.
    max_outliers, min_similarity
        The outlier policy (module docstring). ``max_outliers=1`` keeps HDBSCAN's outliers.
    cache
        Embedding cache: ``True`` (default location), a path, or ``False``.
    **overrides
        Any of ``n_neighbors``, ``min_cluster_size``, ``min_samples``,
        ``n_components``, ``min_df`` (see :func:`default_params`).

    Returns
    -------
    Topics
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer
    from hdbscan import HDBSCAN
    from sklearn.decomposition import PCA
    from umap import UMAP

    n = len(papers)
    params = default_params(n)
    unknown = set(overrides) - set(params)
    if unknown:
        raise TypeError(f"unknown parameters {sorted(unknown)}; choose from {sorted(params)}")
    params.update(overrides)
    texts = paper_texts(papers)
    if embeddings is None:
        embeddings = embed(papers, backend=backend, cache=cache, random_state=random_state)
    if len(embeddings) != n:
        raise PaperscopeError(f"{len(embeddings)} embeddings for {n} papers")
    features = hybrid_features(embeddings, texts, lexical_weight=lexical_weight,
                               random_state=random_state)

    umap_model = UMAP(n_neighbors=params["n_neighbors"], n_components=params["n_components"],
                      min_dist=0.0, metric="cosine", random_state=random_state, low_memory=True,
                      n_jobs=1)  # a seed makes UMAP single-threaded anyway; saying so avoids its warning
    hdbscan_model = HDBSCAN(min_cluster_size=params["min_cluster_size"],
                            min_samples=params["min_samples"], metric="euclidean",
                            cluster_selection_method="eom", prediction_data=True)
    vectorizer = _vectorizer(params["min_df"])
    ctfidf = ClassTfidfTransformer(reduce_frequent_words=True)
    model = BERTopic(umap_model=umap_model, hdbscan_model=hdbscan_model,
                     vectorizer_model=vectorizer, ctfidf_model=ctfidf, top_n_words=10,
                     calculate_probabilities=False, verbose=False)
    # BERTopic strips punctuation before counting terms, gluing "vision-language" into
    # "visionlanguage": split hyphenated words first so labels stay readable.
    texts = [t.replace("-", " ") for t in texts]
    topics = np.asarray(model.fit_transform(texts, embeddings=features)[0])
    if (topics == OUTLIER).all():
        raise PaperscopeError("HDBSCAN found no topic; try a smaller min_cluster_size")

    topics, moved = reassign_outliers(features, topics, max_outliers=max_outliers,
                                      min_similarity=min_similarity)
    if moved.any():
        # BERTopic warns (on stderr) that custom assignments may break later topic
        # reduction; we reduce nothing afterwards, and stderr noise breaks nbval.
        logger = logging.getLogger("BERTopic")
        level = logger.level
        logger.setLevel(logging.ERROR)
        try:
            model.update_topics(texts, topics=topics.tolist(), vectorizer_model=vectorizer,
                                ctfidf_model=ctfidf, top_n_words=10)
        finally:
            logger.setLevel(level)

    # Labels: three non-redundant terms, distinct across topics.
    ids, cents = _centroids(features, topics)
    terms = {int(t): [w for w, _ in model.get_topic(int(t))] for t in ids}
    labels: dict[int, str] = {}
    for t in sorted(terms, key=lambda t: (-(topics == t).sum(), t)):
        width = 3
        label = ", ".join(_label(terms[t], width))
        while label in labels.values() and width < len(terms[t]):
            width += 1
            label = ", ".join(_label(terms[t], width))
        labels[t] = label
    labels[OUTLIER] = "outliers"
    model.set_topic_labels({t: labels.get(t, "outliers") for t in model.get_topics()})

    index = {t: i for i, t in enumerate(ids)}
    confidence = np.array([
        float(features[i] @ cents[index[t]]) if t != OUTLIER else np.nan
        for i, t in enumerate(topics)])
    coords = PCA(n_components=2, random_state=random_state).fit_transform(
        model.umap_model.embedding_)
    assignments = pd.DataFrame({
        "paper_id": papers["paper_id"].to_numpy(),
        "title": papers["title"].to_numpy(),
        "topic": topics.astype("int64"),
        "topic_label": [labels[t] for t in topics],
        "confidence": confidence,
        "reassigned": moved,
        "x": coords[:, 0], "y": coords[:, 1],
    })
    rows = []
    for t in sorted(ids, key=lambda t: (-(topics == t).sum(), t)):
        members = assignments[assignments["topic"] == t].sort_values(
            ["confidence", "title"], ascending=[False, True])
        rows.append({"topic": int(t), "label": labels[t], "size": len(members),
                     "top_terms": terms[int(t)][:8],
                     "representative_papers": members["title"].head(3).tolist()})
    table = pd.DataFrame(rows, columns=["topic", "label", "size", "top_terms",
                                        "representative_papers"])
    params.update(random_state=random_state, lexical_weight=lexical_weight,
                  max_outliers=max_outliers, min_similarity=min_similarity)
    return Topics(model=model, assignments=assignments, topics=table, features=features,
                  params=params)


def topic_themes(topics: Topics, tags: ThemeTags | pd.DataFrame) -> pd.DataFrame:
    """Topic × theme counts: how many papers of each topic carry each curated theme.

    ``tags`` is the result of :func:`paperscope.tag_themes` or its frame.
    Index: topic label (outliers last); columns: themes that occur; values: papers.
    """
    tags = tags.frame if isinstance(tags, ThemeTags) else tags
    hits = tags.dropna(subset=["theme"])[["paper_id", "theme"]]
    joined = topics.assignments[["paper_id", "topic", "topic_label"]].merge(hits, on="paper_id")
    table = pd.crosstab(joined["topic_label"], joined["theme"])
    order = [lbl for lbl in topics.topics["label"] if lbl in table.index]
    order += [lbl for lbl in table.index if lbl not in order]
    return table.reindex(order)


def uncovered_topics(topics: Topics, tags: ThemeTags | pd.DataFrame, *,
                     min_share: float = 0.5) -> pd.DataFrame:
    """Topics that no curated theme covers: the kit's suggestions for a new theme.

    ``tags`` is the result of :func:`paperscope.tag_themes` or its frame.
    A topic is covered when one theme is carried by at least ``min_share`` of
    its papers. Returns ``topic``, ``label``, ``size``, ``top_terms``,
    ``best_theme`` and ``best_share`` of the uncovered topics, largest first.
    """
    tags = tags.frame if isinstance(tags, ThemeTags) else tags
    hits = tags.dropna(subset=["theme"])[["paper_id", "theme"]]
    rows = []
    for _, row in topics.topics.iterrows():
        members = topics.assignments.loc[topics.assignments["topic"] == row["topic"], "paper_id"]
        counts = hits[hits["paper_id"].isin(members)]["theme"].value_counts()
        best = counts.index[0] if len(counts) else None
        share = counts.iloc[0] / len(members) if len(counts) else 0.0
        if share < min_share:
            rows.append({"topic": row["topic"], "label": row["label"], "size": row["size"],
                         "top_terms": row["top_terms"], "best_theme": best, "best_share": share})
    return pd.DataFrame(rows, columns=["topic", "label", "size", "top_terms", "best_theme",
                                       "best_share"])
