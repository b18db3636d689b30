"""Find papers by what they are about: BM25 on the words, cosine on the embeddings, mixed.

Two rankers look at every paper's title and abstract:

* **lexical** — Okapi BM25 (``k1 = 1.2``, ``b = 0.75``, the Lucene idf
  ``log(1 + (N - df + 0.5) / (df + 0.5))``) over the words *and bigrams* of
  :mod:`paperscope.tokens` (so the phrase "neural network" weighs more than
  the two words apart). The title is counted twice (it names the subject; a
  title match weighs more than one passing mention in an abstract). A query
  of several words also looks for its acronym ("physics-informed neural
  networks" → ``pinn``, which matches "PINNs"), as papers abbreviate — unless
  the corpus uses it for something else (:meth:`BM25.acronyms_kept`: "OS
  agents" are no "open source"). Only English stop words are left out: "code
  generation" and "world model" are searched whole.
* **semantic** — cosine similarity between the query's MiniLM embedding and
  each paper's (the cached vectors of :func:`paperscope.embed`).

They are fused by a **normalized-score mix**: each score is min-max scaled
to [0, 1] over the corpus and ``score = 0.5 * lexical + 0.5 * semantic``
(:data:`LEXICAL_WEIGHT`). Unlike reciprocal-rank fusion, the mix keeps how
far apart two papers are: a paper that names the subject in its title and
defines its acronym stays ahead of one that only shares a common word, even
when its prose is less similar. A paper without any query word gets 0 from
the lexical side. Determinism: both raw scores are rounded to 4 decimals
before scaling, the mix to 6, and ties keep the papers' order, so float
noise between CPUs (~1e-7) changes a result only where a cosine lies within
1e-7 of a rounding boundary (about one value in a thousand; ``docs/map.md``).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import checks
from .embeddings import MINILM, STATIC, TFIDF, embed, paper_texts, tfidf_space
from .errors import QueryError
from .memo import per_corpus
from .tokens import acronyms, search_terms

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 2
LEXICAL_WEIGHT = 0.5
DECIMALS = 4
#: Share of the papers holding an acronym that, when one of them also names the phrase, keeps it.
ACRONYM_SHARE = 0.2
COLUMNS = ["rank", "paper_id", "title", "score", "lexical", "semantic", "reason"]


def document_terms(title: str, abstract: str | None) -> list[str]:
    """What BM25 indexes for one paper: title words and bigrams :data:`TITLE_WEIGHT` times, then the abstract's."""
    return search_terms(title) * TITLE_WEIGHT + search_terms(abstract)


def query_terms(query: str) -> list[str]:
    """What a query looks for: its words, its bigrams, and the acronyms it may go by, each once, in that order.

    :func:`search` drops an acronym the corpus uses for something else (:meth:`BM25.acronyms_kept`).
    """
    return list(dict.fromkeys(search_terms(query) + acronyms(query)))


@dataclass(frozen=True)
class BM25:
    """Okapi BM25 over a fixed list of documents (each a list of words).

    Build it with :meth:`fit`; :meth:`scores` ranks the documents for a query.
    """

    counts: tuple[Counter, ...]
    lengths: np.ndarray
    df: Counter
    k1: float = K1
    b: float = B

    @classmethod
    def fit(cls, documents: list[list[str]], *, k1: float = K1, b: float = B) -> BM25:
        counts = tuple(Counter(doc) for doc in documents)
        df: Counter = Counter()
        for c in counts:
            df.update(c.keys())
        return cls(counts, np.array([len(d) for d in documents], dtype=float), df, k1, b)

    def idf(self, term: str) -> float:
        n, df = len(self.counts), self.df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 of every document for the query's distinct words."""
        out = np.zeros(len(self.counts))
        if not len(self.counts):
            return out
        avgdl = float(self.lengths.mean()) or 1.0
        norm = self.k1 * (1 - self.b + self.b * self.lengths / avgdl)
        for term in dict.fromkeys(query):
            if term not in self.df:
                continue
            tf = np.array([c.get(term, 0) for c in self.counts], dtype=float)
            out += self.idf(term) * tf * (self.k1 + 1) / (tf + norm)
        return out

    def acronyms_kept(self, terms: list[str], words: list[str], phrase: list[str],
                      candidates: list[str]) -> list[str]:
        """``terms`` less the ``candidates`` (a query's acronyms) the documents use for something else.

        All go when the query has no phrase (stop words only: "with or without" is no "wow") or a
        word no document uses (a misspelling: "difusion langauge modle" is no "dlm"). One goes when
        no document holding it names the phrase while at least as many documents name the phrase
        as hold it: the corpus names the subject in other papers, so the acronym means another
        thing there ("OS agents" are no "open source"; one paper holding both, by chance — a
        "CT" scan in a chain-of-thought paper — is not enough: two, or :data:`ACRONYM_SHARE` of the
        acronym's papers). An acronym used without its expansion ("LSTM", "OCR", "GPU") stays.
        """
        if not phrase or any(self.df.get(w, 0) == 0 for w in words):
            return [t for t in terms if t not in candidates]
        drop = []
        for short in candidates:
            holding = [c for c in self.counts if short in c] if short in self.df else []
            both = sum(all(t in c for t in phrase) for c in holding)
            if both >= 2 or (both and both >= ACRONYM_SHARE * len(holding)):
                continue  # the corpus spells it out: kept
            named = sum(all(t in c for t in phrase) for c in self.counts)
            if not holding or named >= len(holding):
                drop.append(short)
        return [t for t in terms if t not in drop]


def _scaled(scores: np.ndarray) -> np.ndarray:
    """Min-max to [0, 1]; all zeros when every score is the same."""
    if not len(scores):
        return scores
    low, high = scores.min(), scores.max()
    return (scores - low) / (high - low) if high > low else np.zeros_like(scores)


def _query_vector(query: str, papers: pd.DataFrame, texts: list[str], embeddings: np.ndarray | None,
                  backend: str) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of the papers and of the query, in one space."""
    if backend == TFIDF:
        if embeddings is not None:
            raise QueryError("embeddings= needs backend='minilm': TF-IDF vectors depend on the corpus, "
                             "so the papers are embedded in the corpus's own TF-IDF space")
        # Below 128 texts the SVD would keep fewer axes than there are texts (one for one paper: every
        # similarity 1.00), so a small corpus is compared on its TF-IDF terms directly. The space is
        # fitted once per corpus (a page of queries refitted it for each: 7-13 s on 3,074 papers).
        space = per_corpus("tfidf space", papers, lambda: tfidf_space(texts, dim=None if len(texts) < 128 else 128))
        return space.vectors, space.embed(query)
    if backend == STATIC:
        from .embeddings import machine_static_model

        return embeddings, machine_static_model().encode([query], False)[0]
    if backend != MINILM:
        raise QueryError(f"unknown embedding backend {backend!r}; choose {MINILM!r}, {STATIC!r} or {TFIDF!r}")
    from .embeddings import _MINILM

    return embeddings, _MINILM.encode([query], False)[0]


def search(
    papers: pd.DataFrame,
    query: str,
    k: int = 10,
    *,
    embeddings: np.ndarray | None = None,
    backend: str = MINILM,
    cache: bool | str | os.PathLike[str] = True,
    semantic: bool = True,
) -> pd.DataFrame:
    """Rank papers for a free-text query: words (BM25) and meaning (embeddings), mixed.

    Parameters
    ----------
    papers
        Schema frame.
    query
        What to look for, e.g. ``"physics-informed neural networks"``.
    k
        How many papers to return (fewer when fewer papers contain a query
        word or, with ``semantic``, are at all similar to the query).
    embeddings
        Embeddings of ``papers`` by ``backend`` (one row each, e.g. from
        :func:`paperscope.embed`); default: computed, from the on-disk cache.
    backend
        ``"minilm"`` (default), ``"static"`` (the static model, as
        :func:`paperscope.embed`) or ``"tfidf"`` (no model; query and papers
        embedded together).
    cache
        Embedding cache: ``True`` (default location), a path, or ``False``.
    semantic
        ``False`` ranks by BM25 alone: no model, no embeddings, and only
        papers containing a query word are returned.

    Returns
    -------
    pandas.DataFrame
        ``rank`` (1 = best), ``paper_id``, ``title``, ``score`` (the mix in
        [0, 1], or BM25 when lexical-only), ``lexical`` (BM25), ``semantic``
        (cosine similarity; NaN when lexical-only), ``reason`` (the query
        words the paper contains, and the similarity). ``.attrs`` holds the
        query, its words, ``with_word`` (how many papers of the corpus contain a
        query word: 0 means every result is only semantically near) and the parameters.

    Raises
    ------
    QueryError
        For an empty or blank query, ``k < 1``, a lexical-only query with no
        searchable word (only stop words), or embeddings that do not match
        the papers.

    Examples
    --------
    >>> import paperscope as ps
    >>> papers = ps.load("seeds/hf-daily-papers-sep-9.txt")              # doctest: +SKIP
    >>> ps.search(papers, "Bayesian optimization", k=3)[["rank", "title"]]  # doctest: +SKIP
    """
    if not isinstance(query, str) or not query.strip():
        raise QueryError(f"the search query is empty ({query!r}): type a few words to look for")
    if not checks.is_whole(k) or k < 1:
        raise QueryError(f"k={k!r}: give a whole number of papers, 1 or more")
    own = search_terms(query)  # the query's words and bigrams; query_terms adds its acronyms
    words = query_terms(query)
    if not semantic and not own:
        raise QueryError(f"the query {query!r} has no searchable word (words of two or more letters other "
                         "than English stop words such as 'the' or 'with'); add a word that names the subject, "
                         "or use semantic=True")
    missing = {"paper_id", "title", "abstract"} - set(getattr(papers, "columns", ()))
    if missing:
        raise QueryError(f"papers need the columns {sorted(missing)} (a frame from paperscope.load has them)")
    n = len(papers)
    titles = papers["title"].astype(str).tolist()
    abstracts = papers["abstract"].astype(object).where(papers["abstract"].notna(), None).tolist()
    # The last corpus's index is kept: a page of queries tokenizes the papers once.
    bm25 = per_corpus("bm25", papers, lambda: BM25.fit(
        [document_terms(t, a) for t, a in zip(titles, abstracts, strict=True)]))
    # the phrase a paper must hold to name the query: its bigrams, else its words
    words = bm25.acronyms_kept(words, [w for w in own if " " not in w], [t for t in own if " " in t] or own,
                               [w for w in words if w not in own])
    lexical = np.round(bm25.scores(words), DECIMALS) if words else np.zeros(n)
    has_word = lexical > 0

    if semantic and n == 0 and backend == TFIDF:  # (no corpus to fit TF-IDF on: nothing to rank)
        cosine, score, candidates = np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.int64)
    elif semantic:
        texts = paper_texts(papers)
        if embeddings is None and backend in (MINILM, STATIC):
            embeddings = embed(papers, backend=backend, cache=cache)  # (0, dim) for no papers
        if embeddings is not None and len(embeddings) != n:
            raise QueryError(f"{len(embeddings)} embeddings for {n} papers: pass the embeddings of these papers")
        vectors, q = _query_vector(query, papers, texts, embeddings, backend)
        vectors = np.asarray(vectors, dtype=np.float64)
        q = np.asarray(q, dtype=np.float64)
        if vectors.ndim != 2 or vectors.shape[1] != q.shape[0]:
            raise QueryError(f"the embeddings have {vectors.shape[1] if vectors.ndim == 2 else 'no'} columns, the "
                             f"{backend!r} backend's {q.shape[0]}: pass the backend that made them "
                             f"(backend='{STATIC}' for ps.embed(papers, backend='{STATIC}'))")
        norms = np.linalg.norm(vectors, axis=1) * (np.linalg.norm(q) or 1.0)
        cosine = np.round(np.divide(vectors @ q, norms, out=np.zeros(n), where=norms > 0), DECIMALS)
        mix = LEXICAL_WEIGHT * _scaled(lexical) + (1 - LEXICAL_WEIGHT) * _scaled(cosine)
        score = np.round(mix, 6)
        # a paper with no query word and no similarity at all is no result (a query of unknown
        # words used to return the first k papers with score 0)
        candidates = np.flatnonzero(has_word | (cosine > 0))
    else:
        cosine = np.full(n, np.nan)
        score = lexical
        candidates = np.flatnonzero(has_word)

    order = candidates[np.lexsort((candidates, -score[candidates]))][:k]
    reasons = [_reason(titles[i], abstracts[i], words, cosine[i]) for i in order]
    out = pd.DataFrame({
        "rank": np.arange(1, len(order) + 1, dtype="int64"),
        "paper_id": papers["paper_id"].to_numpy()[order],
        "title": np.asarray(titles, dtype=object)[order],
        "score": score[order],
        "lexical": lexical[order],
        "semantic": cosine[order],
        "reason": reasons,
    }, columns=COLUMNS).astype({"paper_id": "string", "title": "string", "reason": "string"})
    # how many papers hold a query word at all: none means every result is only semantically near
    out.attrs.update({"query": query, "words": words, "k": k, "semantic": semantic,
                      "with_word": int(has_word.sum()),
                      "backend": backend if semantic else None,
                      "fusion": (f"min-max mix, lexical weight {LEXICAL_WEIGHT}" if semantic
                                 else "BM25 only")})
    return out


def _reason(title: str, abstract: str | None, words: list[str], cosine: float) -> str:
    """``"matches: diffusion ×12, sampler ×2; similarity 0.61"`` (counts in title and abstract)."""
    counts = Counter(search_terms(title) + search_terms(abstract))
    found = [f"{w} ×{counts[w]}" for w in words if counts.get(w)]
    parts = ["matches: " + ", ".join(found) if found else "no query word"]
    if not math.isnan(cosine):
        parts.append(f"similarity {cosine:.2f}")
    return "; ".join(parts)
