"""Deterministic clustering for topics: exact PCA, a Ward tree cut at its widest gap, nearest-centroid assignment.

Why not UMAP + HDBSCAN (BERTopic's defaults) for the partition: UMAP's layout is
the end of a stochastic gradient descent whose path depends on the last bits of
every float and on the CPU instructions numba compiles for. Embeddings differ by
~1e-7 between CPUs, and that was enough to turn the seed's 4 topics into 3 or 5.
Here every step is a closed-form computation whose decisions sit far from any
knife's edge:

1. **Reduction.** An exact PCA (eigen-decomposition of the covariance, signs
   fixed) to at most ``n_components`` dimensions: no random projection, no SGD.
2. **Partition.** Ward's agglomerative tree over a deterministic sample of at
   most ``max_sample`` papers, cut into ``n_topics`` clusters. A merge order is
   a comparison of sums of squares; noise moves them only by its own size, so
   a cut changes only where two merge heights lie within the noise of each
   other (``Cut.margin`` records how far apart the cut's neighbours are).
3. **Assignment.** Papers outside the sample join the nearest cluster centroid.
   Clusters smaller than ``min_size`` are dissolved into outliers, which the
   topic model's outlier policy then places (:func:`paperscope.topics.reassign_outliers`).

The whole is linear in the corpus beyond the sample, so 100,000 papers cost
one PCA and one nearest-centroid pass more than the sample.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

OUTLIER = -1


def pca(features: np.ndarray, n_components: int) -> np.ndarray:
    """Exact PCA: centered ``features`` projected on the top principal axes.

    The axes come from the eigen-decomposition of the (float64) covariance, and
    each axis is oriented so that its largest-magnitude loading is positive, so
    the result does not depend on the eigensolver's sign convention.
    """
    x = np.asarray(features, dtype=np.float64)
    x = x - x.mean(axis=0)
    k = int(max(1, min(n_components, x.shape[0] - 1, x.shape[1])))
    values, vectors = np.linalg.eigh(x.T @ x)
    axes = vectors[:, np.argsort(-values, kind="stable")[:k]]
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(k)])
    signs[signs == 0] = 1.0
    return x @ (axes * signs)


def canonical_order(keys: list[str]) -> np.ndarray:
    """The positions of ``keys`` ordered by their content alone (a hash, then the key itself).

    A fit that depends on the order of its rows (a randomized SVD) run on the rows in
    this order gives the same result for the same papers in any order of the input.
    """
    digests = [hashlib.blake2b(k.encode("utf-8"), digest_size=8).hexdigest() for k in keys]
    return np.asarray(sorted(range(len(keys)), key=lambda i: (digests[i], keys[i])), dtype=np.int64)


def sample_indices(keys: list[str], size: int) -> np.ndarray:
    """A deterministic sample of ``size`` positions: the smallest hashes of ``keys``.

    The same papers are drawn in any process and any order of the input.
    """
    if len(keys) <= size:
        return np.arange(len(keys))
    return np.sort(canonical_order(keys)[:size])


def target_topics(n: int) -> int:
    """The default number of topics: ``2 * sqrt(n)``, at least 4."""
    return max(4, round(2 * math.sqrt(n)))


@dataclass(frozen=True)
class Cut:
    """Where the Ward tree was cut: ``k`` clusters between merge heights ``below`` and ``above``."""

    k: int
    below: float
    above: float

    @property
    def margin(self) -> float:
        """Relative width of the gap the cut sits in (``above / below - 1``)."""
        return self.above / self.below - 1 if 0 < self.below < math.inf else math.inf


def ward_partition(points: np.ndarray, k: int) -> tuple[np.ndarray, Cut]:
    """Ward's tree over ``points``, cut into ``k`` clusters; labels ``0 … k-1`` by first appearance."""
    from scipy.cluster.hierarchy import fcluster, linkage

    tree = linkage(points, method="ward")
    heights = tree[:, 2]
    n = len(points)
    k = int(min(max(1, k), n))
    cut = Cut(k=k, below=float(heights[n - k - 1]) if k < n else 0.0,
              above=float(heights[n - k]) if k > 1 else float("inf"))
    raw = fcluster(tree, k, criterion="maxclust")
    _, first = np.unique(raw, return_index=True)
    order = {c: i for i, c in enumerate(raw[np.sort(first)])}
    return np.array([order[c] for c in raw], dtype=np.int64), cut


def centroids(points: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ids (sorted, outliers excluded) and their mean points."""
    ids = np.array(sorted(int(t) for t in set(labels.tolist()) if t != OUTLIER), dtype=np.int64)
    return ids, np.stack([points[labels == t].mean(axis=0) for t in ids])


def nearest(points: np.ndarray, ids: np.ndarray, cents: np.ndarray, chunk: int = 20_000) -> np.ndarray:
    """The id of the nearest centroid (Euclidean) for each point, in chunks to bound memory."""
    out = np.empty(len(points), dtype=np.int64)
    sq = (cents ** 2).sum(axis=1)
    for start in range(0, len(points), chunk):
        block = points[start:start + chunk]
        out[start:start + chunk] = ids[np.argmin(sq[None, :] - 2 * block @ cents.T, axis=1)]
    return out


def partition(points: np.ndarray, keys: list[str], *, n_topics: int, min_size: int,
              max_sample: int = 8_000) -> tuple[np.ndarray, Cut]:
    """Topics for every point: Ward on a deterministic sample, the rest by nearest centroid.

    Clusters with fewer than ``min_size`` members become outliers (``-1``).
    Labels are renumbered ``0 …`` by size, largest first (ties by the smallest key among
    their papers, so that the numbers do not depend on the order of the input).
    """
    picked = sample_indices(keys, max_sample)
    sample_labels, cut = ward_partition(points[picked], n_topics)
    labels = np.full(len(points), OUTLIER, dtype=np.int64)
    labels[picked] = sample_labels
    if len(picked) < len(points):
        ids, cents = centroids(points[picked], sample_labels)
        rest = np.setdiff1d(np.arange(len(points)), picked)
        labels[rest] = nearest(points[rest], ids, cents)
    sizes = np.bincount(labels[labels >= 0])
    small = np.flatnonzero(sizes < min_size)
    labels[np.isin(labels, small)] = OUTLIER
    kept = [int(t) for t in np.flatnonzero(sizes >= min_size)]
    least: dict[int, str] = {}
    for key, t in zip(keys, labels.tolist(), strict=True):
        if t >= 0 and (t not in least or key < least[t]):
            least[t] = key
    rank = {t: i for i, t in enumerate(sorted(kept, key=lambda t: (-sizes[t], least[t])))}
    return np.array([rank.get(int(t), OUTLIER) for t in labels], dtype=np.int64), cut
