"""Corpus statistics on the seed, checked against counts made independently."""

from __future__ import annotations

import re

import paperscope as ps
from paperscope import schema
from paperscope.text import fold_plurals

from .conftest import SEED


def _papers_matching(papers, pattern):
    rx = re.compile(pattern, re.IGNORECASE)
    text = papers["title"] + ". " + papers["abstract"].fillna("")
    return int(text.map(lambda t: bool(rx.search(t))).sum())


def test_top_bigrams_fold_plurals_and_count_papers():
    papers = ps.load(SEED)
    terms = ps.top_terms(papers, n=5, ngram=2).set_index("term")["papers"]
    assert terms.index[0] == "neural network"
    assert terms["neural network"] == _papers_matching(papers, r"\bneural networks?\b")
    assert terms["differential equation"] == _papers_matching(papers, r"\bdifferential equations?\b")


def test_top_terms_drop_stop_words_and_boilerplate():
    terms = set(ps.top_terms(ps.load(SEED), n=5000)["term"])
    for word in ["the", "of", "propose", "method", "paper", "result", "show", "approach", "model"]:
        assert word not in terms
    assert {"diffusion", "bayesian", "lora"} <= terms


def test_top_terms_order_is_stable_and_shares_are_fractions():
    papers = ps.load(SEED)
    terms = ps.top_terms(papers, n=30)
    assert terms["papers"].is_monotonic_decreasing
    assert (terms["share"] == terms["papers"] / 62).all()
    assert terms.equals(ps.top_terms(papers, n=30))


def test_fold_plurals():
    assert fold_plurals("Neural Networks, classes, approaches") == "neural network, class, approach"
    assert fold_plurals("analysis of series in physics via gas") == "analysis of series in physics via gas"


def test_link_summary_on_the_seed():
    papers = ps.load(SEED)
    links = ps.link_summary(papers).set_index("title")
    psec = links.loc["Skill Expansion and Composition in Parameter Space"]
    assert psec["project_page"] == "https://ltlhuuu.github.io/PSEC/" and psec["links"] == "project page"
    code = links[links["code"].notna()]
    assert all(u.startswith(("https://github.com/", "http://github.com/")) for u in code["code"])
    with_github = _papers_matching(papers, r"https?://github\.com/")
    assert len(code) == with_github
    assert (links["links"] == "none").sum() == (papers["urls"].str.len() == 0).sum()


def test_top_linked_orders_by_stars():
    from .conftest import HF_DAYS

    papers = ps.load(HF_DAYS)
    top = ps.top_linked(papers, n=5)
    assert top["code"].notna().all() and top.attrs["ranked_by"] == "stars"
    stars = top["github_stars"].dropna().tolist()
    assert stars == sorted(stars, reverse=True)
    assert stars[0] == papers["github_stars"].max()


def test_top_linked_counts_the_code_links_of_abstracts_and_says_how_it_ranked():
    # an arXiv listing has no github_repo field: its code links are in the abstracts ("with code"
    # counted them while this list said no paper links code)
    papers = schema.from_records([
        {"paper_id": f"p{i}", "title": t, "abstract": a, "source": "t", "source_format": "t", "position": i + 1,
         "n_words": 3, "urls": u, "published": d}
        for i, (t, a, u, d) in enumerate([
            ("Old", "Code at github.com/a/old", ["https://github.com/a/old"], "2020-01-01"),
            ("New", "Code at github.com/a/new", ["https://github.com/a/new"], "2024-01-01"),
            ("Page only", "See example.org", ["https://example.org"], "2025-01-01"),
            ("Nothing", "No links", [], "2025-01-01")])])
    top = ps.top_linked(papers)
    assert top["title"].tolist() == ["New", "Old"] and top.attrs["ranked_by"] == "date"
    assert top["code"].tolist() == ["https://github.com/a/new", "https://github.com/a/old"]
    assert len(ps.top_linked(papers)) == (ps.link_summary(papers)["code"].notna()).sum()


def test_code_linked_in_the_author_comment_counts():
    # arXiv authors often write "Code: https://github.com/..." in the comment, not the abstract
    from paperscope.sources._base import make_record

    record = make_record("x.json", "t", 1, title="A paper", abstract="No link here.",
                         comment="12 pages. Code: https://github.com/a/b")
    papers = schema.from_records([{**record, "n_words": 3}])
    assert papers["urls"].tolist() == [["https://github.com/a/b"]]
    assert ps.link_summary(papers)["code"].tolist() == ["https://github.com/a/b"]


def test_hugging_face_models_are_code_its_datasets_and_paper_pages_are_not():
    from paperscope.stats import link_summary

    papers = ps.schema.from_records(
        {"paper_id": f"p{i}", "title": f"T{i}", "abstract": a, "source": "s", "source_format": "test",
         "position": i + 1, "n_words": 3, "urls": [a.split()[-1]]}
        for i, a in enumerate(["Weights at https://huggingface.co/org/model",
                               "Data at https://huggingface.co/datasets/org/data",
                               "See https://huggingface.co/papers/2401.00001",
                               "Code at https://github.com/org/repo"]))
    assert link_summary(papers)["links"].tolist() == ["code", "project page", "project page", "code"]
