"""The static backend: MiniLM distilled with model2vec, built once per machine, deterministic.

The distillation (MiniLM over its ~30k word pieces) is the slow part; it runs once for the module
and the builds below reuse its real output.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pytest

import paperscope as ps
from paperscope import embeddings as emb
from paperscope import static_model
from paperscope.errors import CacheWarning

from .conftest import SEED

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def distilled():
    return static_model.distill_vectors()


@pytest.fixture
def fast_build(distilled, monkeypatch, tmp_path):
    """Builds reuse the module's distillation; each call is counted; the machine's folder is ``tmp_path``."""
    calls: list[int] = []
    monkeypatch.setenv("PAPERSCOPE_CACHE", str(tmp_path))

    def distill():
        calls.append(1)
        return distilled

    monkeypatch.setattr(static_model, "distill_vectors", distill)
    monkeypatch.setattr(emb, "_STATIC", {})
    return calls


@pytest.fixture(scope="module")
def seed():
    return ps.load(SEED)


def test_distillation_covers_minilms_vocabulary(distilled):
    raw, tokenizer = distilled
    assert raw.dtype == np.float32 and raw.shape[1] == 384
    assert raw.shape[0] == tokenizer.get_vocab_size() > 25_000
    reduced = static_model.reduce(raw)
    assert reduced.shape == (raw.shape[0], static_model.PCA_DIMS)
    assert np.array_equal(reduced, static_model.reduce(raw))


def test_static_backend_is_built_once_cached_and_close_for_similar_papers(seed, tmp_path, fast_build):
    cache = tmp_path / "c.sqlite"
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        vectors = ps.embed(seed, backend="static", cache=cache)
        again = ps.embed(seed, backend="static", cache=cache)
    assert fast_build == [1]
    assert vectors.shape == (62, static_model.PCA_DIMS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.array_equal(vectors, again)
    folder = static_model.model_folder(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dim"] == static_model.PCA_DIMS and manifest["vocabulary"] > 25_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.sqlite", folder.name]  # no temporary left
    assert len(emb.EmbeddingCache(cache)) == 62
    elsewhere = tmp_path / "project" / "other.sqlite"  # another cache file: the same model, not a new one
    assert np.array_equal(ps.embed(seed, backend="static", cache=elsewhere), vectors)
    emb._STATIC.clear()  # (and in a new process: found on disk, not built again)
    assert np.array_equal(ps.embed(seed, backend="static", cache=False), vectors)
    assert fast_build == [1] and not (tmp_path / "project" / folder.name).exists()
    titles = seed["title"].tolist()
    a = titles.index("DPM-Solver-v3: Improved Diffusion ODE Solver with Empirical Model Statistics")
    b = titles.index("A Unified Sampling Framework for Solver Searching of Diffusion Probabilistic Models")
    c = titles.index("Multi-Messenger Cosmology: A Route to Accurate Inference of Dark Energy Beyond "
                     "CPL Parametrization from XG Detectors")
    assert vectors[a] @ vectors[b] > vectors[a] @ vectors[c] + 0.2


CHILD = """
import sys, numpy as np, paperscope as ps
v = ps.embed(ps.load(sys.argv[1]), backend="static", cache=False)
np.save(sys.argv[2], v)
"""


def test_same_vectors_in_another_process(seed, tmp_path, fast_build):
    here = ps.embed(seed, backend="static", cache=False)
    out = tmp_path / "child.npy"
    subprocess.run([sys.executable, "-c", CHILD, str(SEED), str(out)], check=True, timeout=300)
    assert np.array_equal(np.load(out), here)


def test_a_damaged_model_folder_is_rebuilt(seed, tmp_path, fast_build):
    first = ps.embed(seed.iloc[:5], backend="static", cache=tmp_path / "c.sqlite")
    folder = static_model.model_folder(tmp_path)
    with (folder / "vectors.npy").open("r+b") as fh:
        fh.seek(4096)
        fh.write(b"\0" * 64)
    emb._STATIC.clear()
    with pytest.warns(UserWarning, match="incomplete or damaged; rebuilding"):
        again = ps.embed(seed.iloc[:5], backend="static", cache=tmp_path / "c.sqlite")
    assert fast_build == [1, 1]
    assert np.array_equal(again, first)
    assert static_model.read_manifest(folder) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.sqlite", folder.name]


def test_fit_topics_takes_the_static_backend(seed, tmp_path, fast_build):
    result = ps.fit_topics(seed, backend="static", cache=tmp_path / "c.sqlite")
    assert len(result.assignments) == 62 and len(result.topics) >= 2


def test_search_takes_the_static_backend(seed, tmp_path, fast_build):
    cache = tmp_path / "c.sqlite"
    hits = ps.search(seed, "physics-informed neural networks for PDEs", k=3, backend="static", cache=cache)
    assert len(hits) == 3 and hits["semantic"].notna().all()
    assert "physics" in hits["title"].iloc[0].lower()  # a physics-informed paper first
    assert (hits["lexical"] > 0).any()
    again = ps.search(seed, "physics-informed neural networks for PDEs", k=3, backend="static", cache=cache,
                      embeddings=ps.embed(seed, backend="static", cache=cache))
    assert again["paper_id"].tolist() == hits["paper_id"].tolist()
    assert len(fast_build) == 1  # the model was built once
    assert ps.search(seed.iloc[:0], "diffusion", backend="static", cache=cache).empty  # no papers: no hits


def test_an_unwritable_model_home_fails_before_building(seed, tmp_path, fast_build, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("PAPERSCOPE_CACHE", str(tmp_path / "a-file" / "cache"))
    with pytest.raises(ps.PaperscopeError, match="cannot write .*set PAPERSCOPE_CACHE to a writable folder"):
        ps.embed(seed.iloc[:3], backend="static", cache=tmp_path / "c.sqlite")
    assert fast_build == []  # nothing distilled: minutes saved


def test_tuning_brings_the_static_neighbours_closer_to_minilms(distilled, seed):
    """The shipped tuning (benchmarks/train_static.py, trained on other papers) must earn its place:
    each seed paper's 5 nearest papers under the static model share more with MiniLM's 5 than
    without it (measured: 0.38 untuned, 0.54 tuned)."""
    from model2vec import StaticModel

    raw, tokenizer = distilled
    texts = emb.paper_texts(seed)
    minilm = ps.embed(seed, progress=False)

    def nearest(vectors):
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -np.inf)
        return np.argsort(-sims, axis=1, kind="stable")[:, :5]

    def shared_with_minilm(table):
        model = StaticModel(vectors=table, tokenizer=tokenizer, normalize=True, max_length=static_model.MAX_TOKENS)
        got = nearest(np.asarray(model.encode(texts, use_multiprocessing=False)))
        return np.mean([len(set(a) & set(b)) / 5 for a, b in zip(got, nearest(minilm), strict=True)])

    untuned = shared_with_minilm(static_model.reduce(raw))
    tuned = shared_with_minilm(static_model.reduce(static_model.tune(raw), sif_coefficient=None))
    assert tuned >= 0.5 and tuned >= untuned + 0.1, (untuned, tuned)


def test_a_tuning_file_that_does_not_fit_is_an_error(distilled, tmp_path):
    raw, _ = distilled
    bad = tmp_path / "tuning.npz"
    np.savez(bad, map=np.eye(384, dtype=np.float32), rows=np.array([len(raw)], dtype=np.int32),
             delta=np.zeros((1, 384), dtype=np.float16))
    with pytest.raises(ps.PaperscopeError, match="does not fit the distilled table"):
        static_model.tune(raw, bad)
    with pytest.raises(ps.PaperscopeError, match="cannot read the static model's tuning file"):
        static_model.tune(raw, tmp_path / "missing.npz")
