"""BERTopic, imported without the parts paperscope never uses, and fitted without redundant work.

Two costs that buy paperscope nothing, measured on 2 cores (``benchmarks/bench_topics.py``):

* ``import bertopic`` imports ``transformers.pipelines`` (and with it torch and
  the image/audio processors) for its LLM representation models,
  ``TextGeneration``, ``ZeroShotClassification`` and ``VisualRepresentation`` —
  about three quarters of the import. :func:`load` imports BERTopic with those
  three submodules deferred: they load, unchanged, the first time anyone asks
  for them (``from bertopic.representation import TextGeneration`` still works).
* ``import bertopic`` imports torch (only to save models in PyTorch's format)
  and UMAP with numba (only for ``visualize_topics``; paperscope's topics use
  neither). Both are deferred the same way: the flags BERTopic sets when they
  are missing are set back, and the name points to a stand-in that imports
  the real module on first use.
* ``BERTopic.fit`` re-tokenizes every document once more to pick three
  "representative documents" per topic by c-TF-IDF similarity — at 10,000
  papers as long as the c-TF-IDF itself. paperscope already ranks each topic's
  papers by similarity to the topic's centroid in the features it clustered on,
  so :class:`PaperscopeBERTopic` stores those instead
  (``model.get_representative_docs()`` gives them).
* Its c-TF-IDF runs the vectorizer over each topic's documents joined into one
  string; scikit-learn's vocabulary building then costs more than the
  tokenizing. :class:`PaperscopeBERTopic` counts each document once with
  :mod:`paperscope.counts` and sums the counts per topic: the same terms and
  scores (bar the bigrams a join makes across two documents), 5.7 s → about
  2 s at 10,000 papers.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import re
import sys
import types
from typing import Any

import numpy as np

#: Submodules of ``bertopic.representation`` that import ``transformers.pipelines``, and the
#: class each provides.
DEFERRED = {
    "TextGeneration": "bertopic.representation._textgeneration",
    "ZeroShotClassification": "bertopic.representation._zeroshot",
    "VisualRepresentation": "bertopic.representation._visual",
}


#: Optional top-level imports of BERTopic's modules: (module, flag, name, real module, attribute).
OPTIONAL = (
    ("bertopic._save_utils", "_has_torch", "torch", "torch", None),
    ("bertopic.plotting._topics", "HAS_UMAP", "UMAP", "umap", "UMAP"),
)


class _Defer(importlib.abc.MetaPathFinder):
    """Makes the deferred modules look absent while BERTopic's package is imported."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, name, path, target=None):  # noqa: ANN001, D102 - importlib protocol
        if name in self.names:
            raise ModuleNotFoundError(f"{name} is imported when first used", name=name)
        return None


class _LazyModule(types.ModuleType):
    """Stands for a module until an attribute is asked for; then imports it."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self.__name__), attr)


def _lazy_class(module: str, attr: str):
    def make(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), attr)(*args, **kwargs)

    make.__name__ = make.__qualname__ = attr
    return make


def _representation_getattr(name: str) -> Any:
    if name in DEFERRED:
        return getattr(importlib.import_module(DEFERRED[name]), name)
    raise AttributeError(f"module 'bertopic.representation' has no attribute {name!r}")


def load():
    """The ``bertopic`` module, imported with the LLM representations deferred (see module docstring).

    When something imported BERTopic before, it is returned as it is.
    """
    if "bertopic" in sys.modules:
        return sys.modules["bertopic"]
    optional = {real for *_, real, _ in OPTIONAL if real not in sys.modules and importlib.util.find_spec(real)}
    finder = _Defer(set(DEFERRED.values()) | optional)
    sys.meta_path.insert(0, finder)
    try:
        import bertopic
        from bertopic import representation
    finally:
        sys.meta_path.remove(finder)
    for name in DEFERRED:
        if DEFERRED[name] not in sys.modules:
            representation.__dict__.pop(name, None)
    representation.__getattr__ = _representation_getattr
    for module, flag, name, real, attr in OPTIONAL:
        if real in optional:
            target = sys.modules[module]
            setattr(target, flag, True)
            setattr(target, name, _LazyModule(real) if attr is None else _lazy_class(real, attr))
    return bertopic


_bertopic = load()

from bertopic.backend import BaseEmbedder  # noqa: E402 - after load()
from bertopic.cluster import BaseCluster  # noqa: E402
from bertopic.dimensionality import BaseDimensionalityReduction  # noqa: E402
from bertopic.vectorizers import ClassTfidfTransformer  # noqa: E402

#: paperscope's topic words are found among the runs of word characters (TFIDF_TOKEN_PATTERN)
#: as the runs of ASCII letters and digits that start with a letter.
_ASCII_WORD = re.compile(r"[a-z][a-z0-9]+").fullmatch


class LazyMiniLM(BaseEmbedder):
    """BERTopic's embedder for views that embed documents: the bundled MiniLM, loaded on first use."""

    def embed(self, documents, verbose=False):  # noqa: ANN001, D102 - BERTopic's interface
        from .embeddings import _MINILM

        return _MINILM.encode(list(documents), progress=False)


class PaperscopeBERTopic(_bertopic.BERTopic):
    """BERTopic whose representative documents are the papers nearest each topic's centroid.

    Set ``centrality`` (one score per document: its similarity to its topic's
    centroid) before fitting; :func:`paperscope.fit_topics` does. Each topic's
    three highest-scoring documents (ties: the earlier document) are kept.

    Its c-TF-IDF counts each document's terms once (:mod:`paperscope.counts`;
    for paperscope's own vectorizer without a Python step per token) and sums
    them per topic, instead of running the vectorizer over each topic's
    documents joined into one string: the same terms (minus the bigrams a join
    makes across two documents), the same ``min_df`` (counted over topics). Afterwards ``vectorizer_model`` is the
    vectorizer with that vocabulary fixed, so BERTopic's later steps
    (``topics_over_time``, ``transform``…) count the same terms.
    """

    centrality: np.ndarray | None = None
    #: The documents split by :func:`paperscope.counts.split_words` (scikit-learn's ``\w\w+`` words),
    #: to count terms without reading them again; used only when they are the documents fitted
    #: (hyphens there may be spaces here).
    word_split: Any = None
    #: ``(topic ids, terms, topics × terms papers-using-the-term)`` of the last c-TF-IDF fit (its kept terms).
    term_papers: Any = None
    _documents: Any = None

    def _extract_topics(self, documents, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003 - BERTopic's hook
        self._documents = documents
        try:
            return super()._extract_topics(documents, *args, **kwargs)
        finally:
            self._documents = None

    def _c_tf_idf(self, documents_per_topic, fit=True, partial_fit=False):  # noqa: ANN001 - BERTopic's hook
        from sklearn.base import clone
        from sklearn.feature_extraction.text import CountVectorizer

        vectorizer = self.vectorizer_model
        if (self._documents is None or not fit or partial_fit or type(vectorizer) is not CountVectorizer
                or vectorizer.vocabulary is not None or vectorizer.binary or not isinstance(vectorizer.min_df, int)
                or vectorizer.max_df != 1.0 or vectorizer.max_features is not None
                or self.ctfidf_model.seed_words or self.seed_topic_list):
            return super()._c_tf_idf(documents_per_topic, fit=fit, partial_fit=partial_fit)
        from scipy import sparse

        from .counts import kept_columns, ngram_counts, term_counts
        from .embeddings import TFIDF_TOKEN_PATTERN
        from .text import WORD_PATTERN, fold_plurals

        raw = self._documents["Document"].tolist()
        docs = self._preprocess_text(self._documents["Document"].to_numpy())
        ours = (vectorizer.preprocessor is fold_plurals and vectorizer.analyzer == "word"
                and vectorizer.ngram_range == (1, 2) and vectorizer.tokenizer is None
                and isinstance(vectorizer.stop_words, list | set | frozenset | tuple))
        split = self.word_split
        if (ours and vectorizer.token_pattern == WORD_PATTERN and split is not None and split.lowercase
                and split.token_pattern == TFIDF_TOKEN_PATTERN and docs == raw
                and [d.replace("-", " ") for d in split.docs] == raw):
            # These documents, already split into runs of word characters (a hyphen, like the
            # space that replaced it, ends a run): paperscope's words are the runs of ASCII letters
            # and digits that start with a letter, so they are counted without reading the
            # documents again.
            counts, terms = ngram_counts(docs, token_pattern=TFIDF_TOKEN_PATTERN, split=split, keep_word=_ASCII_WORD,
                                         stop_words=vectorizer.stop_words, word_map=fold_plurals)
        elif ours:
            # paperscope.topics' vectorizer. A plural ending is folded within a word's own
            # characters, so folding word by word is folding the text (tests/test_counts.py).
            counts, terms = ngram_counts(docs, token_pattern=vectorizer.token_pattern,
                                         stop_words=vectorizer.stop_words, word_map=fold_plurals)
        else:
            counts, terms = term_counts(docs, vectorizer.build_analyzer())
        topic_ids = documents_per_topic["Topic"].to_numpy()
        row = {t: i for i, t in enumerate(topic_ids.tolist())}
        member = np.array([row[t] for t in self._documents["Topic"].tolist()], dtype=np.int64)
        onehot = sparse.csr_matrix((np.ones(len(member), dtype=np.int64), (member, np.arange(len(member)))),
                                   shape=(len(topic_ids), len(member)))
        # How many of each topic's papers use each term: a label term should be shared, not one paper's.
        present = counts.tocsr(copy=True)
        present.data[:] = 1
        per_topic = (onehot @ counts).tocsr()
        kept = kept_columns(per_topic, terms, min_df=vectorizer.min_df)
        per_topic, words = per_topic[:, kept], terms[kept]
        self.term_papers = (topic_ids, words, (onehot @ present).tocsr()[:, kept])
        if not len(words):
            from .errors import PaperscopeError

            raise PaperscopeError("no paper holds a word that topics are labelled with (runs of two or more "
                                  "ASCII letters and digits; Chinese, Japanese or Korean text has none): "
                                  "no topics to name")
        self.vectorizer_model = clone(vectorizer).set_params(vocabulary=[str(w) for w in words])
        self.vectorizer_model._validate_vocabulary()
        self.ctfidf_model = self.ctfidf_model.fit(per_topic)
        return self.ctfidf_model.transform(per_topic), self.vectorizer_model.get_feature_names_out()

    def _save_representative_docs(self, documents):  # noqa: ANN001 - BERTopic's hook
        if self.centrality is None:
            return super()._save_representative_docs(documents)
        text = documents["Document"].to_numpy()
        ids = documents["ID"].to_numpy()
        topic = documents["Topic"].to_numpy()
        score = np.asarray(self.centrality)[ids]
        self.representative_docs_ = {}
        for t in sorted(set(topic.tolist())):
            members = np.flatnonzero(topic == t)
            best = members[np.lexsort((ids[members], -score[members]))[:3]]
            self.representative_docs_[int(t)] = [str(text[i]) for i in best]


__all__ = ["DEFERRED", "BaseCluster", "BaseDimensionalityReduction", "BaseEmbedder", "ClassTfidfTransformer",
           "LazyMiniLM", "PaperscopeBERTopic", "load"]
