"""Document-term counts: scikit-learn's matrix, counted faster — and BERTopic's c-TF-IDF on them."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

import paperscope as ps
from paperscope.counts import keep_terms, term_counts
from paperscope.embeddings import paper_texts
from paperscope.topics import _vectorizer

from .conftest import HF_DAYS


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return paper_texts(ps.load(HF_DAYS))  # 494 real HF Daily Papers


@pytest.mark.parametrize("min_df", [1, 2, 5])
def test_the_matrix_is_scikit_learns(texts, min_df, monkeypatch):
    from paperscope import counts

    monkeypatch.setattr(counts, "CHUNK", 37)  # many chunks, one vocabulary
    for vectorizer in (CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=min_df),
                       _vectorizer(min_df)):
        expected = vectorizer.fit_transform(texts)
        counts, terms = keep_terms(*term_counts(texts, vectorizer.build_analyzer()), min_df=min_df)
        assert terms.tolist() == vectorizer.get_feature_names_out().tolist()
        assert (counts != expected).nnz == 0


def test_max_terms_keeps_the_most_frequent_alphabetically_ordered(texts):
    analyzer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2)).build_analyzer()
    full, all_terms = keep_terms(*term_counts(texts, analyzer), min_df=2)
    totals = dict(zip(all_terms.tolist(), np.asarray(full.sum(axis=0)).ravel().tolist(), strict=True))
    counts, terms = keep_terms(*term_counts(texts, analyzer), min_df=2, max_terms=500)
    kept = terms.tolist()
    assert len(kept) == 500 and kept == sorted(kept)
    cutoff = min(totals[t] for t in kept)
    assert {t for t, n in totals.items() if n > cutoff} <= set(kept)  # nothing more frequent left out
    tied = sorted(t for t, n in totals.items() if n == cutoff)
    assert [t for t in kept if totals[t] == cutoff] == tied[:len([t for t in kept if totals[t] == cutoff])]
    # The same terms as scikit-learn wherever its choice is not a tie at the cutoff.
    sk = set(TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2,
                             max_features=500).fit(texts).get_feature_names_out())
    assert {t for t in kept if totals[t] > cutoff} == {t for t in sk if totals[t] > cutoff}


def test_no_terms_at_all_is_an_empty_matrix():
    counts, terms = term_counts(["the of and", ""], CountVectorizer(stop_words="english").build_analyzer())
    assert counts.shape == (2, 0) and len(terms) == 0


def test_c_tf_idf_from_counts_gives_bertopics_terms(texts):
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction

    from paperscope.bertopic_model import PaperscopeBERTopic

    docs = [t.replace("-", " ") for t in texts]
    groups = np.arange(len(docs)) % 7 - 1  # seven groups and outliers; c-TF-IDF only needs labels
    embeddings = np.eye(len(docs), 8, dtype=np.float32)
    fitted = {}
    for name, cls in [("bertopic", BERTopic), ("paperscope", PaperscopeBERTopic)]:
        model = cls(umap_model=BaseDimensionalityReduction(), hdbscan_model=BaseCluster(),
                    vectorizer_model=_vectorizer(2), calculate_probabilities=False)
        model.fit(docs, embeddings=embeddings, y=groups)
        fitted[name] = model
    ours, theirs = fitted["paperscope"], fitted["bertopic"]
    for topic in range(-1, 6):
        assert [w for w, _ in ours.get_topic(topic)] == [w for w, _ in theirs.get_topic(topic)]
    mine = set(ours.vectorizer_model.get_feature_names_out())
    joined = set(theirs.vectorizer_model.get_feature_names_out())
    # Only the bigrams that joining two documents makes (one per document boundary) are missing.
    assert mine <= joined and len(joined - mine) <= len(docs)
    # The vectorizer left behind counts the same terms for BERTopic's later steps.
    over_time = ours.topics_over_time(docs, [2023 + i % 3 for i in range(len(docs))])
    assert set(over_time["Topic"]) == set(range(-1, 6))
