"""Corpus statistics as DataFrames (the charts in :mod:`paperscope.plotting` draw them)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer

from . import checks
from .memo import per_corpus
from .text import CODE_HOSTS, fold_plurals
from .tokens import STOP_WORDS


def _documents(papers: pd.DataFrame) -> list[str]:
    return (papers["title"].fillna("") + ". " + papers["abstract"].fillna("")).tolist()


_TOKEN = re.compile(r"[a-z0-9][a-z0-9\-]*")
# Punctuation ends a phrase: "networks. Learning" is not a word pair.
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"'“”‘’/|]+")


def _runs(doc: str) -> list[list[str]]:
    """The runs of adjacent content words of one document.

    A stop word, a number, a one-letter token or punctuation ends a run, so
    "bridge the gap" gives no "bridge gap" and "large language model (LLM)" no
    "language llm".
    """
    runs: list[list[str]] = []
    for segment in _BREAK.split(fold_plurals(doc)):
        run: list[str] = []
        for token in _TOKEN.findall(segment):
            # [a-z][a-z0-9-]+ without a regex call per token: _TOKEN already
            # limits the characters, so a word is two or more starting with a letter.
            if token in STOP_WORDS or len(token) < 2 or not "a" <= token[0] <= "z":
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(token)
        if run:
            runs.append(run)
    return runs


def _analyzer(ngram: int):
    """Terms of one document's runs: every ``ngram`` adjacent words within a run."""
    def analyze(runs: list[list[str]]) -> list[str]:
        return [" ".join(run[i:i + ngram]) for run in runs for i in range(len(run) - ngram + 1)]

    return analyze


def top_terms(papers: pd.DataFrame, *, n: int = 20, ngram: int = 1) -> pd.DataFrame:
    """The terms that the most papers use, stop words and boilerplate removed.

    Counting papers (document frequency) rather than occurrences keeps one
    long abstract from dominating; plurals are folded into the singular
    (``neural networks`` counts as ``neural network``). A word pair is two
    content words that stand next to each other in the text: a stop word or
    punctuation between them breaks the pair.

    Parameters
    ----------
    papers
        Schema frame.
    n
        How many terms to return.
    ngram
        1 for single words, 2 for word pairs, 3 for triples.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``papers`` (how many use it), ``share`` (of all papers),
        most used first; ties broken alphabetically so the order is stable.
    """
    checks.count("n", n)
    checks.count("ngram", ngram, 1, 3)
    # The last corpus's runs are kept: a page asks for words, then word pairs.
    docs = per_corpus("word runs", papers, lambda: [_runs(doc) for doc in _documents(papers)])
    columns = ["term", "papers", "share"]
    if not docs:
        return pd.DataFrame(columns=columns)
    vectorizer = CountVectorizer(analyzer=_analyzer(ngram), binary=True)
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


# On Hugging Face, models are released artefacts (code); datasets, paper pages, demos and docs are not.
_HF_NOT_CODE = ("/datasets", "/papers", "/spaces", "/blog", "/docs", "/collections")


def _is_code(url: str) -> bool:
    parts = urlparse(url)
    host = parts.netloc.lower().removeprefix("www.")
    return host in CODE_HOSTS and not (host == "huggingface.co" and parts.path.lower().startswith(_HF_NOT_CODE))


def link_summary(papers: pd.DataFrame) -> pd.DataFrame:
    """Which papers link code and which link a project page.

    The source's own fields come first (``github_repo``, ``project_page``, as
    Hugging Face gives them); otherwise links in the abstract (``urls``) count:
    a link to a code host (GitHub, GitLab, Bitbucket, Hugging Face models, Codeberg)
    is *code*, any other link (a Hugging Face dataset, paper page or Space too) a project page.

    Returns
    -------
    pandas.DataFrame
        One row per paper: ``paper_id``, ``title``, ``code`` and ``project_page``
        (the link or NA), and ``links`` (``code``, ``project page``, ``both``
        or ``none``).
    """
    code, project = [], []
    for repo, page, urls in zip(papers["github_repo"], papers["project_page"], papers["urls"], strict=True):
        c = [u for u in urls if _is_code(u)]
        p = [u for u in urls if u not in c]
        code.append(repo if isinstance(repo, str) and repo else (c[0] if c else None))
        project.append(page if isinstance(page, str) and page else (p[0] if p else None))
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


def top_authors(papers: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The authors with the most papers in the corpus.

    Returns ``author``, ``papers``, ``share`` (of all papers), most papers
    first, ties alphabetical; empty when no paper lists authors.
    """
    names = papers["authors"].explode().dropna().astype(str).str.strip()
    names = names[names != ""]
    # A name listed twice on one paper counts once.
    pairs = pd.DataFrame({"paper": names.index, "author": names.to_numpy()}).drop_duplicates()
    return _ranked(pairs["author"], "author", len(papers), n)


def top_organizations(papers: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The organizations that submitted the most papers (Hugging Face's ``organization``).

    Returns ``organization``, ``papers``, ``share`` (of all papers); empty
    when the corpus names none.
    """
    orgs = papers["organization"].dropna().astype(str).str.strip()
    return _ranked(orgs[orgs != ""], "organization", len(papers), n)


def _ranked(values: pd.Series, name: str, total: int, n: int) -> pd.DataFrame:
    counts = values.value_counts()
    out = pd.DataFrame({name: counts.index.astype(str), "papers": counts.to_numpy().astype("int64")})
    out = out.sort_values(["papers", name], ascending=[False, True], kind="stable").head(n)
    out["share"] = out["papers"] / max(total, 1)
    return out.reset_index(drop=True)


def top_linked(papers: pd.DataFrame, *, n: int = 15) -> pd.DataFrame:
    """Papers that link code, most GitHub stars first, then most upvotes, then newest.

    A paper links code as in :func:`link_summary` (the source's ``github_repo``, else a
    code-host link in its abstract), so this list and the corpus's "with code" count agree.

    Returns
    -------
    pandas.DataFrame
        ``title``, ``code``, ``github_stars``, ``upvotes``, ``listed_on``, ``published``; its
        ``attrs["ranked_by"]`` says what ordered it: ``"stars"``, ``"upvotes"``, ``"date"``
        (no paper of the list has stars or upvotes) or ``"title"`` (nor a date).
    """
    code = link_summary(papers)["code"].to_numpy()
    linked = papers.assign(code=code)[pd.notna(code)]
    date = linked["listed_on"].fillna(linked["published"])
    ordered = linked.assign(_date=date).sort_values(
        ["github_stars", "upvotes", "_date", "title"], ascending=[False, False, False, True],
        na_position="last", kind="stable")
    top = ordered.head(n)
    out = top[["title", "code", "github_stars", "upvotes", "listed_on", "published"]].reset_index(drop=True)
    out.attrs["ranked_by"] = ("stars" if top["github_stars"].notna().any() else
                              "upvotes" if top["upvotes"].notna().any() else
                              "date" if top["_date"].notna().any() else "title")
    return out
