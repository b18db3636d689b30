"""Words of a paper for search and keywords: one tokenizer, shared by Python and the report's search box.

A text is folded (accents removed, lower case, regular plurals folded with
:func:`paperscope.text.fold_plurals`), split on anything that is not a letter
or digit (so ``physics-informed`` is ``physics`` + ``informed``), and the
words of :data:`STOP_WORDS` and one-character words are
dropped — for keywords. Search drops English stop words only
(:data:`SEARCH_STOP_WORDS`, :func:`search_terms`). ``search_box.js`` repeats
these steps for the query typed in a report.
"""

from __future__ import annotations

import re
import unicodedata

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .text import ACADEMIC_STOP_WORDS, fold_plurals

_SPLIT = re.compile(r"[^a-z0-9]+")

_WORDS = frozenset(ENGLISH_STOP_WORDS) | ACADEMIC_STOP_WORDS
#: What keywords leave out: English stop words and academic boilerplate, plain and plural-folded.
STOP_WORDS: frozenset[str] = _WORDS | frozenset(fold_plurals(w) for w in _WORDS)

#: What search leaves out of a text: English stop words only. The academic words of
#: :data:`STOP_WORDS` ("model", "code", "benchmark", "large") say little in a
#: keyword list but are what a query names ("code generation", "world model"); BM25's idf
#: already weighs a common word down.
SEARCH_STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    fold_plurals(w) for w in ENGLISH_STOP_WORDS)


def fold(text: str) -> str:
    """Accents off, lower case, plurals folded: ``"PINNs on Schrödinger"`` → ``"pinn on schrodinger"``."""
    if not text.isascii():  # nothing to take off an ASCII text (most abstracts): skip the per-character pass
        text = unicodedata.normalize("NFKD", text)
        # every mark, as the search box's /\p{M}/ (an enclosing mark has combining class 0)
        text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
    return fold_plurals(text)


def words(text: str | None) -> list[str]:
    """Every word of ``text`` after :func:`fold`, stop words included, in order."""
    if not text:
        return []
    return [w for w in _SPLIT.split(fold(str(text))) if w]


def is_content(word: str) -> bool:
    """A word that says something: two characters or more and not a stop word."""
    return len(word) > 1 and word not in STOP_WORDS


def tokenize(text: str | None) -> list[str]:
    """The content words of ``text``, in order, repeats kept (term frequencies count them).

    Examples
    --------
    >>> tokenize("Physics-Informed Neural Networks for the heat equation")
    ['physics', 'informed', 'neural', 'network', 'heat', 'equation']
    """
    return _content_words(*_marked(text))


def bigrams(text: str | None) -> list[str]:
    """Pairs of content words that stand side by side in ``text`` (never across a stop word), in order.

    Examples
    --------
    >>> bigrams("Bayesian optimization of transport simulations")
    ['bayesian optimization', 'transport simulation']
    """
    return _content_pairs(*_marked(text))


def _marked(text: str | None, stop: frozenset[str] = STOP_WORDS) -> tuple[list[str], list[bool]]:
    """The words of ``text`` and, for each, whether it :func:`is_content` (not in ``stop``)."""
    ws = words(text)
    return ws, [len(w) > 1 and w not in stop for w in ws]  # is_content, inlined: a call per word is ~12 %


def _content_words(ws: list[str], keep: list[bool]) -> list[str]:
    return [w for w, k in zip(ws, keep, strict=True) if k]


def _content_pairs(ws: list[str], keep: list[bool]) -> list[str]:
    return [f"{a} {b}" for a, b, ka, kb in zip(ws, ws[1:], keep, keep[1:], strict=False) if ka and kb]


def acronym(text: str | None) -> str | None:
    """The initials of a multi-word name, as authors abbreviate it; ``None`` when there is none.

    Only English stop words are skipped (not the academic ones: "large
    language models" is LLM). Three to six letters; two only when both words
    are content words ("Bayesian optimization" is BO, but "diffusion models"
    gives no "dm": two letters from a generic word match too much).

    Examples
    --------
    >>> acronym("physics-informed neural networks"), acronym("reinforcement learning from human feedback")
    ('pinn', 'rlhf')
    """
    kept = [w for w in words(text) if w not in ENGLISH_STOP_WORDS and w[0].isalpha()]
    if len(kept) == 2 and not all(is_content(w) for w in kept):
        return None
    return "".join(w[0] for w in kept) if 2 <= len(kept) <= 6 else None


def acronyms(text: str | None) -> list[str]:
    """The initials a multi-word name may be abbreviated to: :func:`acronym`, then with its inner
    short words ("mixture of experts" → ``moe``, "out of distribution" → ``ood``), each once.

    Which of them a corpus really uses for the name is for the caller to check
    (:func:`paperscope.retrieval.search` drops those the corpus uses for something else).

    Examples
    --------
    >>> acronyms("mixture of experts"), acronyms("reinforcement learning from human feedback")
    (['me', 'moe'], ['rlhf', 'rlfhf'])
    """
    found = [] if (short := acronym(text)) is None else [short]
    ws = [w for w in words(text) if w not in ("a", "an", "the") and w[0].isalpha()]
    if 3 <= len(ws) <= 6:
        found.append("".join(w[0] for w in ws))
    return list(dict.fromkeys(found))


def search_terms(text: str | None) -> list[str]:
    """What search reads in ``text``: words and bigrams as :func:`words_and_bigrams`, with only
    English stop words left out (:data:`SEARCH_STOP_WORDS`).

    Examples
    --------
    >>> search_terms("Large models for code generation")
    ['large', 'model', 'code', 'generation', 'large model', 'code generation']
    """
    ws, keep = _marked(text, SEARCH_STOP_WORDS)
    return _content_words(ws, keep) + _content_pairs(ws, keep)


def words_and_bigrams(text: str | None) -> list[str]:
    """``tokenize(text) + bigrams(text)``, folding the text once instead of twice.

    Examples
    --------
    >>> words_and_bigrams("Bayesian optimization of transport")
    ['bayesian', 'optimization', 'transport', 'bayesian optimization']
    """
    ws, keep = _marked(text)
    return _content_words(ws, keep) + _content_pairs(ws, keep)


def terms(text: str | None) -> set[str]:
    """The distinct content words and bigrams of ``text`` (a bigram: two content words side by side).

    Bigrams never bridge a stop word: "optimization of transport" gives no
    "optimization transport".
    """
    return set(words_and_bigrams(text))
