"""Document-term counts: scikit-learn's matrix, counted faster — and BERTopic's c-TF-IDF on them."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

import paperscope as ps
from paperscope.counts import keep_terms, ngram_counts, term_counts
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


@pytest.mark.parametrize("min_df", [1, 2, 5])
def test_ngram_counts_is_scikit_learns_matrix(texts, min_df, monkeypatch):
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from paperscope import counts
    from paperscope.text import fold_plurals

    monkeypatch.setattr(counts, "CHUNK", 37)  # many chunks, one vocabulary
    # The TF-IDF half of fit_topics' features: scikit-learn's English analyzer.
    expected = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=min_df)
    matrix = expected.fit_transform(texts)
    got, terms = keep_terms(*ngram_counts(texts, token_pattern=r"(?u)\b\w\w+\b", stop_words=ENGLISH_STOP_WORDS),
                            min_df=min_df)
    assert terms.tolist() == expected.get_feature_names_out().tolist() and (got != matrix).nnz == 0
    # The c-TF-IDF's: plurals folded word by word instead of in the text, on the texts as
    # fit_topics hands them over, as BERTopic's English preprocessing leaves them, and with
    # words that end next to hyphens, non-ASCII letters and punctuation.
    tricky = ["Cats-é and naïve models; İstanbul cities (x-rays) items-- GPUs/TPUs data-modelsé",
              "state-of-the-arts a-bs x-dogs-é classes boxes physics analysis 3Ds 3ds ds",
              "Transformers' heads, LLMs: agents-based pipelines--and modelsS ÉCOLES écoles"]
    for docs in ([t.replace("-", " ") for t in texts], texts + tricky,
                 BERTopic()._preprocess_text(np.array(texts, dtype=object))):
        vectorizer = _vectorizer(min_df)
        matrix = vectorizer.fit_transform(docs)
        got, terms = keep_terms(*ngram_counts(docs, token_pattern=vectorizer.token_pattern,
                                              stop_words=vectorizer.stop_words, word_map=fold_plurals),
                                min_df=min_df)
        assert terms.tolist() == vectorizer.get_feature_names_out().tolist() and (got != matrix).nnz == 0
    assert "neural network" in terms.tolist() and "neural networks" not in terms.tolist()


def test_ngram_counts_edge_cases():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    counts, terms = ngram_counts(["the of and", "", "Zeta zeta-beta"], token_pattern=r"(?u)\b\w\w+\b",
                                 stop_words=ENGLISH_STOP_WORDS)
    assert counts.shape == (3, 4) and len(terms) == 4
    assert sorted(np.asarray(terms).tolist()) == ["beta", "zeta", "zeta beta", "zeta zeta"]
    assert counts.sum(axis=1).ravel().tolist() == [[0, 0, 5]]
    assert terms[0] == np.asarray(terms)[0] and terms[-1] == np.asarray(terms)[-1]
    assert terms[np.array([True, False, False, True])].tolist() == np.asarray(terms)[[0, 3]].tolist()
    empty, none = ngram_counts([], token_pattern=r"\w+")
    assert empty.shape == (0, 0) and len(none) == 0


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


def test_a_binary_vectorizer_keeps_bertopics_own_c_tf_idf(texts):
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction

    from paperscope.bertopic_model import PaperscopeBERTopic

    groups = np.arange(len(texts)) % 5
    words = {}
    for name, cls in [("bertopic", BERTopic), ("paperscope", PaperscopeBERTopic)]:
        model = cls(umap_model=BaseDimensionalityReduction(), hdbscan_model=BaseCluster(),
                    vectorizer_model=CountVectorizer(binary=True, stop_words="english"),
                    calculate_probabilities=False)
        model.fit(texts, embeddings=np.eye(len(texts), 8, dtype=np.float32), y=groups)
        words[name] = [[w for w, _ in model.get_topic(t)] for t in range(5)]
    assert words["paperscope"] == words["bertopic"]  # 0/1 per topic, not summed per paper


@pytest.mark.parametrize("min_df", [1, 2])
def test_topic_words_counted_from_the_shared_split_are_scikit_learns(texts, min_df, monkeypatch):
    from paperscope import counts
    from paperscope.bertopic_model import _ASCII_WORD
    from paperscope.embeddings import TFIDF_TOKEN_PATTERN as _RUNS
    from paperscope.text import fold_plurals

    monkeypatch.setattr(counts, "CHUNK", 37)
    tricky = ["Cats-é and naïve models; İstanbul cities (x-rays) items-- GPUs/TPUs data-modelsé 3ds ab_cds",
              "Transformers' heads, LLMs: agents-based pipelines--and modelsS ÉCOLES écoles abc٣ Kelvin\u212a"]
    docs = [t.replace("-", " ") for t in texts + tricky]  # as fit_topics hands them to BERTopic
    vectorizer = _vectorizer(min_df)
    matrix = vectorizer.fit_transform(docs)
    split = counts.split_words(texts + tricky, token_pattern=_RUNS)  # fit_topics splits the texts themselves
    got, terms = keep_terms(*ngram_counts(docs, token_pattern=_RUNS, split=split, keep_word=_ASCII_WORD,
                                          stop_words=vectorizer.stop_words, word_map=fold_plurals), min_df=min_df)
    assert terms.tolist() == vectorizer.get_feature_names_out().tolist() and (got != matrix).nnz == 0
    # The same split serves the TF-IDF half: scikit-learn's English analyzer.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    english = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=min_df)
    got, terms = keep_terms(*ngram_counts(docs, token_pattern=_RUNS, split=split, stop_words=ENGLISH_STOP_WORDS),
                            min_df=min_df)
    assert terms.tolist() == english.fit(docs).get_feature_names_out().tolist()
    assert (got != english.transform(docs)).nnz == 0
    with pytest.raises(ValueError, match="split was made"):
        ngram_counts(docs[:-1], token_pattern=_RUNS, split=split)


def test_fit_topics_splits_its_texts_once(monkeypatch):
    from paperscope import counts, embeddings
    from paperscope.topics import hybrid_features

    papers = ps.load(HF_DAYS)
    vectors = ps.embed(papers, backend="tfidf")
    monkeypatch.setattr(embeddings, "SVD_SAMPLE", 100)  # the SVD's sample is drawn by hashing the texts
    calls = []
    real = counts.ngram_counts
    monkeypatch.setattr(counts, "ngram_counts", lambda *a, **k: calls.append(k.get("split")) or real(*a, **k))
    shared = ps.fit_topics(papers, embeddings=vectors, cache=False)
    assert len(calls) == 2 and calls[0] is not None and calls[0] is calls[1]  # TF-IDF half, then c-TF-IDF
    # The features are those of the papers' own texts (a split of other strings, e.g. with hyphens
    # made spaces, would draw another SVD sample).
    assert np.array_equal(shared.features, hybrid_features(vectors, paper_texts(papers)))
    calls.clear()
    # Without the shared split (each count reads the documents itself): the same topics and words.
    monkeypatch.setattr(counts, "split_words", lambda docs, **k: None)
    again = ps.fit_topics(papers, embeddings=vectors, cache=False)
    assert calls == [None, None]
    assert again.topics[["label", "size", "top_terms"]].equals(shared.topics[["label", "size", "top_terms"]])
    assert (again.assignments["topic"] == shared.assignments["topic"]).all()


def test_ngram_terms_read_one_by_one_as_a_list_would(texts):
    # fit_topics maps each term to its column by iterating the vocabulary; without its own
    # iteration Python indexed it term by term, each index building an array of every term:
    # 56 s of a 58 s fit on 3,074 papers.
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from paperscope.counts import NgramTerms

    _, terms = ngram_counts(texts, token_pattern=r"(?u)\b\w\w+\b", stop_words=ENGLISH_STOP_WORDS)
    assert isinstance(terms, NgramTerms) and len(terms) > 1000
    as_list = terms[np.arange(len(terms))].tolist()
    assert list(terms) == as_list and any(" " in term for term in as_list)  # bigrams too
    assert [terms[i] for i in (0, len(terms.words), len(terms) - 1, -1)] == [
        as_list[0], as_list[len(terms.words)], as_list[-1], as_list[-1]]
    with pytest.raises(IndexError):
        terms[len(terms)]
