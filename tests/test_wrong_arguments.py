"""A public function given the wrong thing says what it takes (a PaperscopeError), never a raw
KeyError/AttributeError from deep inside pandas or scikit-learn, and never a quiet wrong answer.

Each case was found by a review session trying the documented functions with a realistic mistake.
"""

from __future__ import annotations

import pandas as pd
import pytest

import paperscope as ps
from paperscope.fetch import fetch_arxiv, fetch_hf
from paperscope.search_box import search_box_html, search_index

from .conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return ps.load(SEED)


@pytest.fixture(scope="module")
def tags(seed):
    return ps.tag_themes(seed)


CASES = {
    "audit_summary of the papers": (lambda p, t: ps.audit_summary(p), "takes the audit of ps.load"),
    "topic_themes with the papers first": (lambda p, t: ps.topic_themes(p, t), "takes the result of ps.fit_topics"),
    "topic_coverage with the papers first": (lambda p, t: ps.topic_coverage(p, t), "ps.fit_topics"),
    "fit_topics with the tags' frame": (lambda p, t: ps.fit_topics(p, themes=t.frame, backend="tfidf"),
                                        r"its \.frame: pass the result itself"),
    "fit_topics with a negative seed": (lambda p, t: ps.fit_topics(p, backend="tfidf", random_state=-1),
                                        "random_state=-1"),
    "fit_topics keeping 200 % outliers": (lambda p, t: ps.fit_topics(p, backend="tfidf", max_outliers=2),
                                          "max_outliers=2"),
    "TF-IDF of no papers": (lambda p, t: ps.embed(p.iloc[:0], backend="tfidf"), "no papers given"),
    "embed of a list": (lambda p, t: ps.embed(["a"]), "must be a frame from ps.load"),
    "embed with cache=123": (lambda p, t: ps.embed(p, cache=123), "cache=123"),
    "search_index of a list": (lambda p, t: search_index([1]), "search_index takes the papers"),
    "search_box_html of the papers": (lambda p, t: search_box_html(p), "not the papers themselves"),
    "top_terms_chart of the papers": (lambda p, t: ps.plotting.top_terms_chart(p), "takes ps.top_terms"),
    "theme_changes_chart of an undated corpus": (lambda p, t: ps.plotting.theme_changes_chart(
        ps.compute_findings(p, t).changes), "the corpus has no dates"),
    "adaptive_periods of text": (lambda p, t: ps.adaptive_periods(pd.Series(["2025-01-01", "bogus"])),
                                 "one date per paper"),
    "save of a list": (lambda p, t: ps.save([1], "x.parquet"), "save takes the papers"),
    "newcombe_interval with more tagged than papers": (lambda p, t: ps.newcombe_interval(5, 3, 1, 10),
                                                       "must lie between 0 and its number of papers"),
    "compute_findings with an unknown period": (lambda p, t: ps.compute_findings(p, t, freq="X"), "freq='X'"),
    "compute_findings with confidence 95": (lambda p, t: ps.compute_findings(p, t, confidence=95), "confidence=95"),
    "compute_findings with recent 0": (lambda p, t: ps.compute_findings(p, t, recent=0), "recent=0"),
    "top_terms of word zero-grams": (lambda p, t: ps.top_terms(p, ngram=0), "ngram=0"),
    "top_terms with n -1": (lambda p, t: ps.top_terms(p, n=-1), "n=-1"),
    "top_terms with ngram '2'": (lambda p, t: ps.top_terms(p, ngram="2"), "ngram='2'"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_wrong_argument_is_named(name, seed, tags, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call, message = CASES[name]
    with pytest.raises(ps.PaperscopeError, match=message):
        call(seed, tags)
    assert not (tmp_path / "x.parquet").exists()


def test_compute_findings_on_an_undated_corpus_still_says_why(seed, tags):
    findings = ps.compute_findings(seed, tags)  # good arguments, no dates: no error, a reason
    assert findings.changes is None and findings.params["no_changes"] == "the papers carry no dates"


@pytest.mark.parametrize("call, message", [
    (lambda out: fetch_hf("2025-06-05", "2025-06-01", out), "from 2025-06-05 is after to 2025-06-01"),
    (lambda out: fetch_hf("2025-02-30", "2025-03-01", out), "--from '2025-02-30': not a day"),
    (lambda out: fetch_arxiv("cat:cs.LG", out, max_results=0), "max_results=0"),
    (lambda out: fetch_arxiv("  ", out), "query '  '"),
])
def test_fetch_checks_its_arguments_before_any_call(call, message, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ps.PaperscopeError, match=message):
        call(out)
    assert not out.exists()  # nothing created, no network touched


def test_write_images_checks_its_figures_before_making_the_folder(tmp_path):
    from paperscope.report.images import write_images

    with pytest.raises(ps.PaperscopeError, match="item 1 is int"):
        write_images([1], tmp_path / "figs")
    with pytest.raises(ps.PaperscopeError, match=r"formats \['gif'\]"):
        write_images([ps.plotting.top_terms_chart(ps.top_terms(ps.load(SEED)))], tmp_path / "figs", formats=("gif",))
    assert not (tmp_path / "figs").exists()
