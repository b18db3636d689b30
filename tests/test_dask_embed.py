"""MiniLM on a Dask cluster: the same vectors as a local run, only missing texts sent, the cache filled."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import paperscope as ps
from paperscope import dask_embed
from paperscope import embeddings as emb

from .conftest import SEED

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def papers():
    return ps.load(SEED).iloc[:40].reset_index(drop=True)


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                           dashboard_address=None, host="127.0.0.1")
        with distributed.Client(cluster) as c:
            yield c
        cluster.close()


def test_partitions_cover_every_text_once():
    for n, workers in [(1, 2), (40, 2), (1000, 2), (100_000, 8)]:
        parts = dask_embed.partitions(n, workers)
        covered = [i for part in parts for i in range(n)[part]]
        assert covered == list(range(n))
        assert all(len(range(n)[p]) <= dask_embed.MAX_PARTITION for p in parts)


def test_cluster_embeds_what_the_cache_lacks_and_matches_local(papers, client, tmp_path, monkeypatch):
    path = tmp_path / "c.sqlite"
    local = ps.embed(papers, cache=False)
    ps.embed(papers.iloc[:10], cache=path)  # 10 already cached: only 30 may travel

    sent: list[int] = []
    real_map = client.map

    def counting_map(fn, texts, **kwargs):
        sent.extend(len(t) for t in texts)
        return real_map(fn, texts, **kwargs)

    monkeypatch.setattr(client, "map", counting_map)
    on_cluster = ps.embed(papers, cache=path, client=client)
    assert sum(sent) == 30 and len(sent) >= 2  # partitioned, across both workers
    assert on_cluster.shape == (40, 384) and on_cluster.dtype == np.float32
    assert np.allclose(on_cluster, local, rtol=0, atol=1e-5)
    assert len(emb.EmbeddingCache(path)) == 40  # the client wrote every partition

    def torch_threads():
        import torch

        return torch.get_num_threads()

    # Each worker runs MiniLM on its own share of the cores (threads_per_worker=1), not on all of them.
    assert set(client.run(torch_threads).values()) == {1}
    sent.clear()
    again = ps.embed(papers, cache=path, client=client)
    assert sent == [] and np.array_equal(again, on_cluster)
