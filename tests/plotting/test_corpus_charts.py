"""Corpus charts: the numbers drawn are the numbers computed, and paper text is escaped."""

from __future__ import annotations

import paperscope as ps
from paperscope.plotting import escape

from ..conftest import SEED


def test_abstract_lengths_bins_every_abstract():
    papers = ps.load(SEED)
    fig = ps.plotting.abstract_lengths(papers)
    assert sorted(fig.data[0].x) == sorted(papers["n_words"].tolist())
    assert "62 papers" in fig.layout.title.text


def test_abstract_lengths_says_how_many_have_none():
    papers = ps.load(SEED)
    papers.loc[0, "n_words"] = 0
    title = ps.plotting.abstract_lengths(papers).layout.title.text
    assert "61 papers" in title and "1 without abstract" in title


def test_top_terms_chart_draws_the_counts_most_used_on_top():
    terms = ps.top_terms(ps.load(SEED), n=10, ngram=2)
    bar = ps.plotting.top_terms_chart(terms).data[0]
    assert list(bar.y)[::-1] == terms["term"].tolist()
    assert list(bar.x)[::-1] == terms["papers"].tolist()


def test_links_chart_counts():
    links = ps.link_summary(ps.load(SEED))
    bar = ps.plotting.links_chart(links).data[0]
    counts = dict(zip(bar.x, bar.y, strict=True))
    assert counts == links["links"].value_counts().reindex(list(counts), fill_value=0).to_dict()
    assert sum(counts.values()) == 62


def test_escape_makes_markup_text():
    assert escape('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert escape(None) == ""
    assert escape("a b c d e f", width=3) == "a b<br>c d<br>e f"
