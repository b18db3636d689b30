"""Corpus statistics as DataFrames (the charts in :mod:`paperscope.plotting` draw them)."""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from .text import ACADEMIC_STOP_WORDS, fold_plurals

_WORDS = frozenset(ENGLISH_STOP_WORDS) | ACADEMIC_STOP_WORDS
#: English stop words and academic boilerplate, in plain and plural-folded form.
STOP_WORDS: frozenset[str] = _WORDS | frozenset(fold_plurals(w) for w in _WORDS)

_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")


def _documents(papers: pd.DataFrame) -> list[str]:
    return (papers["title"].fillna("") + ". " + papers["abstract"].fillna("")).tolist()


def top_terms(papers: pd.DataFrame, *, n: int = 20, ngram: int = 1) -> pd.DataFrame:
    """The terms that the most papers use, stop words and boilerplate removed.

    Counting papers (document frequency) rather than occurrences keeps one
    long abstract from dominating; plurals are folded into the singular
    (``neural networks`` counts as ``neural network``).

    Parameters
    ----------
    papers
        Schema frame.
    n
        How many terms to return.
    ngram
        1 for single words, 2 for bigrams (pairs of adjacent content words).

    Returns
    -------
    pandas.DataFrame
        ``term``, ``papers`` (how many use it), ``share`` (of all papers),
        most used first; ties broken alphabetically so the order is stable.
    """
    docs = _documents(papers)
    columns = ["term", "papers", "share"]
    if not docs:
        return pd.DataFrame(columns=columns)
    vectorizer = CountVectorizer(
        ngram_range=(ngram, ngram), stop_words=sorted(STOP_WORDS), binary=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b", preprocessor=fold_plurals,
    )
    try:
        counts = vectorizer.fit_transform(docs)
    except ValueError:  # every word was a stop word
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({
        "term": vectorizer.get_feature_names_out(),
        "papers": counts.sum(axis=0).A1.astype("int64"),
    })
    frame = frame.sort_values(["papers", "term"], ascending=[False, True]).head(n)
    frame["share"] = frame["papers"] / len(docs)
    return frame.reset_index(drop=True)


def link_summary(papers: pd.DataFrame) -> pd.DataFrame:
    """Which papers link code and which link a project page.

    A link is *code* when it points at a code host (GitHub, GitLab,
    Bitbucket, Hugging Face, Codeberg); any other link counts as a project page.

    Returns
    -------
    pandas.DataFrame
        One row per paper: ``paper_id``, ``title``, ``code`` and ``project_page``
        (the first such link or NA), and ``links`` (``code``, ``project page``,
        ``both`` or ``none``).
    """
    code, project = [], []
    for urls in papers["urls"]:
        c = [u for u in urls if urlparse(u).netloc.lower().removeprefix("www.") in _CODE_HOSTS]
        p = [u for u in urls if u not in c]
        code.append(c[0] if c else None)
        project.append(p[0] if p else None)
    out = pd.DataFrame({
        "paper_id": papers["paper_id"].to_numpy(),
        "title": papers["title"].to_numpy(),
        "code": pd.array(code, dtype="string"),
        "project_page": pd.array(project, dtype="string"),
    })
    has_code, has_page = out["code"].notna(), out["project_page"].notna()
    out["links"] = "none"
    out.loc[has_code & ~has_page, "links"] = "code"
    out.loc[~has_code & has_page, "links"] = "project page"
    out.loc[has_code & has_page, "links"] = "both"
    return out


def top_linked(papers: pd.DataFrame, *, n: int = 15) -> pd.DataFrame:
    """Papers with a code repository, most GitHub stars first (then most upvotes).

    Returns ``title``, ``github_repo``, ``github_stars``, ``upvotes``, ``listed_on``.
    """
    linked = papers[papers["github_repo"].notna()]
    ordered = linked.sort_values(["github_stars", "upvotes", "title"], ascending=[False, False, True],
                                 na_position="last")
    return ordered[["title", "github_repo", "github_stars", "upvotes", "listed_on"]].head(n).reset_index(drop=True)
