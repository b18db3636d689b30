"""The deterministic grouping under the topics: exact PCA, Ward cut, sample then nearest centroid."""

from __future__ import annotations

import numpy as np

from paperscope import clustering


def _blobs(n_per: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0, 5], [5, 0, 0, 0], [0, 5, 0, 0]], dtype=float)
    points = np.vstack([c + rng.normal(0, 0.5, (n_per, 4)) for c in centres])
    return points, np.repeat([0, 1, 2], n_per)


def test_pca_does_not_depend_on_the_sign_convention_or_row_order():
    points, _ = _blobs()
    z = clustering.pca(points, 2)
    assert z.shape == (120, 2)
    flipped = clustering.pca(points[::-1], 2)[::-1]
    np.testing.assert_allclose(z, flipped, atol=1e-9)
    # each axis is oriented so that its largest loading is positive: negating the input flips nothing
    np.testing.assert_allclose(np.abs(clustering.pca(-points, 2)), np.abs(z), atol=1e-9)


def test_ward_cut_finds_the_blobs_and_names_them_by_size():
    points, truth = _blobs()
    keys = [f"p{i}" for i in range(len(points))]
    labels, cut = clustering.partition(points, keys, n_topics=3, min_size=3)
    assert cut.k == 3 and cut.margin > 1  # the next merge is far above the last one kept
    # same groups as the truth, up to names
    assert len({(a, b) for a, b in zip(labels, truth, strict=True)}) == 3


def test_small_clusters_become_outliers():
    points, _ = _blobs()
    points = np.vstack([points, [[30, 30, 30, 30]]])  # one paper far from everything
    keys = [f"p{i}" for i in range(len(points))]
    labels, _ = clustering.partition(points, keys, n_topics=4, min_size=3)
    assert labels[-1] == clustering.OUTLIER and (labels[:-1] >= 0).all()


def test_beyond_the_sample_papers_join_the_nearest_centroid():
    points, truth = _blobs(n_per=200)
    keys = [f"paper-{i}" for i in range(len(points))]
    full, _ = clustering.partition(points, keys, n_topics=3, min_size=3)
    sampled, _ = clustering.partition(points, keys, n_topics=3, min_size=3, max_sample=90)
    assert (full == sampled).all()
    assert len({(a, b) for a, b in zip(sampled, truth, strict=True)}) == 3


def test_the_sample_is_the_same_whatever_the_input_order():
    keys = [f"paper-{i}" for i in range(1000)]
    picked = set(np.asarray(keys)[clustering.sample_indices(keys, 100)])
    again = set(np.asarray(keys[::-1])[clustering.sample_indices(keys[::-1], 100)])
    assert picked == again and len(picked) == 100
