"""Findings at a glance: the numbers, movers, top papers and the landing fragment, on real corpora."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

import paperscope as ps
from paperscope import schema
from paperscope.findings import compute_corpus_numbers, compute_theme_changes, compute_top_papers, theme_groups

from .conftest import ROOT, SEED

HF = ROOT / "data" / "hf-daily-papers"


@pytest.fixture(scope="module")
def hf():
    papers = ps.load(HF)
    return papers, ps.compute_findings(papers)


@pytest.fixture(scope="module")
def seed():
    papers = ps.load(SEED)
    return papers, ps.compute_findings(papers)


def test_corpus_numbers_on_hf(hf):
    papers, findings = hf
    numbers = findings.numbers.set_index("measure")
    assert numbers.loc["papers", "number"] == 494
    assert numbers.loc["dates", "value"] == "listed 2024-05-27 – 2026-08-03"
    assert numbers.loc["sources", "value"] == "30 files (hf_api)"
    # Code: the HF github_repo field, or a code-host link in the abstract (a Hugging Face model, not a dataset)
    has_code = papers["github_repo"].notna() | papers["urls"].map(lambda us: any(re.match(
        r"https?://(www\.)?(github\.com|gitlab\.com|huggingface\.co(?!/(datasets|papers|spaces)/))/", u) for u in us))
    assert numbers.loc["with code", "number"] == has_code.sum() == 218
    assert numbers.loc["with code", "value"] == "218 (44.1 %)"


def test_rising_and_falling_themes_on_hf(hf):
    _, findings = hf
    rising = findings.rising.set_index("theme")
    falling = findings.falling.set_index("theme")
    # Diffusion language models (a child of diffusion models) are a rising line of their own;
    # counted in their parent, they keep diffusion models' share from looking like a fall.
    # With the broader theme rules (semantic branch) agents are tagged on 20.8 % of the recent papers;
    # LLMs no longer look like falling (their earlier share was under-counted less than the recent one).
    # RL fine-tuning of models is rising too once a paper that says once that it trains with RL
    # counts (the taxonomy's own_method for RL).
    assert list(rising.index) == ["agents", "reinforcement_learning", "diffusion_language_models"]
    # multilingual NLP & translation fell, just beyond its uncertainty (3.5 % -> 0.8 %, to -0.1 points)
    assert list(falling.index) == ["multilingual_nlp"]
    assert falling.loc["multilingual_nlp", "change_high_pp"] == -0.1
    rl = rising.loc["reinforcement_learning"]
    assert (rl["earlier_pct"], rl["recent_pct"], rl["change_pp"]) == (10.0, 21.6, 11.6)
    assert 0 < rl["change_low_pp"] < 11.6 < rl["change_high_pp"]
    dlm = rising.loc["diffusion_language_models"]
    assert (dlm["earlier_pct"], dlm["recent_pct"], dlm["change_pp"]) == (0.0, 3.0, 3.0)
    agents = rising.loc["agents"]
    assert (agents["earlier_pct"], agents["recent_pct"], agents["change_pp"]) == (6.5, 20.8, 14.3)
    assert 0 < agents["change_low_pp"] < 14.3 < agents["change_high_pp"]
    steady = findings.changes[findings.changes["direction"] == "steady"]
    assert ((steady["change_low_pp"] <= 0) & (steady["change_high_pp"] >= 0)).all()
    text = ps.summary_text(findings)
    assert "Rising since 2025-10: AI agents 6.5 % → 20.8 % (+14.3 points, 95 % interval +6.1 to +20.7)" in text
    assert "Reinforcement learning 10.0 % → 21.6 % (+11.6 points, 95 % interval +3.2 to +18.5)" in text


def test_every_top_paper_has_a_link_built_from_its_id(hf):
    papers, findings = hf
    top = findings.top_papers_by_theme
    assert len(top) and top["ranked_by"].eq("upvotes").all()
    ids = top["paper_id"].str.removeprefix("arxiv:")
    assert (top["link"] == "https://arxiv.org/abs/" + ids).all()
    assert (top["hf_page"] == "https://huggingface.co/papers/" + ids).all()
    # Ranked by upvotes within each theme.
    for _, part in top.groupby("group"):
        assert part["upvotes"].is_monotonic_decreasing and part["rank"].tolist() == list(range(1, len(part) + 1))
    llms = top[top["group"] == "llms"]
    tagged = set(ps.tag_themes(papers).frame.query("theme == 'llms'")["paper_id"])
    best = papers[papers["paper_id"].isin(tagged)].nlargest(1, "upvotes")
    assert llms["paper_id"].iloc[0] == best["paper_id"].iloc[0]
    with_repo = top.merge(papers[["paper_id", "github_repo"]], on="paper_id")
    repo = with_repo["github_repo"].notna()
    assert (with_repo.loc[repo, "code"] == with_repo.loc[repo, "github_repo"]).all()


def test_landing_html_is_escaped_linked_and_left_aligned(hf):
    _, findings = hf
    page = ps.landing_html(findings)
    assert "AI agents" in page and "Large language models" in page and "falling" in page
    assert "<script" not in page and "text-align: left" in page
    parser = _Links()
    parser.feed(page)
    assert "https://arxiv.org/abs/2603.19835" in parser.hrefs  # the most upvoted LLM paper
    assert all(h.startswith("https://") for h in parser.hrefs)
    assert "+14.3 [+6.1, +20.7]" in page


def test_landing_html_escapes_hostile_titles():
    papers = ps.load(ROOT / "tests" / "data" / "hostile-page.txt")
    evil = schema.from_records([{
        "paper_id": "x", "title": '<img src=x onerror=alert(1)> Diffusion models </td><script>alert(2)</script>',
        "abstract": "Diffusion models.", "source": "t", "source_format": "t", "position": 1, "n_words": 2,
        "authors": ["<b>Mallory</b>"], "organization": "<svg onload=alert(3)>"}])
    page = ps.landing_html(ps.compute_findings(pd.concat([papers, evil], ignore_index=True)))
    assert "<img" not in page and "<svg" not in page and "<script" not in page and "<b>Mallory" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; Diffusion models &lt;/td&gt;&lt;script&gt;" in page
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in page and "&lt;svg onload=alert(3)&gt;" in page


def test_seed_findings_without_dates(seed):
    papers, findings = seed
    assert findings.changes is None
    text = ps.summary_text(findings)
    assert text.startswith("62 papers, from 1 file (hf_page).")
    assert "No trends: the papers carry no dates." in text
    themes = findings.themes.set_index("theme")
    assert themes.loc["llms", "papers"] == 9 and themes.loc["llms", "percent"] == 14.5
    # No upvotes and no ids on a copied page: ranked by centrality, linked to arXiv's title search.
    top = findings.top_papers_by_theme
    assert top["ranked_by"].eq("centrality").all()
    assert top["link"].str.startswith("https://arxiv.org/search/?searchtype=title&query=").all()
    pinns = top[top["group"] == "pinns"]
    assert len(pinns) == 3 and pinns["centrality"].is_monotonic_decreasing


def test_centrality_ranking_is_stable_and_by_closeness():
    papers = schema.from_records([
        {"paper_id": f"p{i}", "title": t, "abstract": a, "source": "t", "source_format": "t", "position": i + 1,
         "n_words": len(a.split())} for i, (t, a) in enumerate([
            ("Diffusion models for images", "Diffusion models denoise images with diffusion models."),
            ("Diffusion models for audio", "Diffusion models denoise audio with diffusion models."),
            ("Diffusion models in a typewriter museum", "Typewriters. Diffusion models. Museums."),
        ])])
    tags = ps.tag_themes(papers)
    top = compute_top_papers(papers, theme_groups(tags), n=3)
    diff = top[top["group"] == "diffusion_models"]
    assert diff["paper_id"].iloc[-1] == "p2"  # the off-topic one is least central
    assert top.equals(compute_top_papers(papers, theme_groups(tags), n=3))


def test_corpus_numbers_of_neurips_years_and_no_change_when_one_period():
    papers = ps.load(ROOT / "tests" / "data" / "neurips-sample")
    numbers = compute_corpus_numbers(papers).set_index("measure")["value"]
    assert numbers["dates"] == "published 1987 – 2018"
    one = papers[papers["year"] == 2018]
    with pytest.raises(ps.PaperscopeError, match="1 period"):
        compute_theme_changes(ps.tag_themes(one))
    findings = ps.compute_findings(papers)
    assert findings.changes.attrs["periods"] == ["1987–1996", "1999", "2016", "2017", "2018"]
    assert findings.authors["papers"].iloc[0] >= findings.authors["papers"].iloc[-1]
    assert findings.organizations.empty


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


def test_when_nothing_fell_the_summary_says_so_with_the_largest_drop():
    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    recent = papers[papers["listed_on"] >= "2024-10-01"]  # the files of Oct 2024 on: 439 papers
    text = ps.summary_text(ps.compute_findings(recent))
    assert ("No theme fell by more than its uncertainty (largest drop: Large language models 60.0 % → 56.1 % "
            "(−3.9 points, 95 % interval −18.1 to +11.2))") in text


def test_too_few_periods_give_no_verdict_and_say_so(hf):
    # by year the HF files make three periods: two before 2026 against one since; one period cannot
    # tell a change from the way one period differs from the next
    papers, _ = hf
    findings = ps.compute_findings(papers, freq="Y")
    assert set(findings.changes["direction"]) == {"too few periods"}
    assert findings.rising.empty and findings.falling.empty
    assert "Too few periods to call a theme rising or falling: 2 before 2026-01 against 1 since" in \
        ps.summary_text(findings)
    assert "too few periods" in ps.landing_html(findings)


def test_topics_no_theme_covers_keep_the_findings_whole(hf, tmp_path):
    """With a one-theme taxonomy most topics have no best theme: the findings raised 'boolean value of
    NA is ambiguous' when that was pandas' NA."""
    papers, _ = hf
    mine = tmp_path / "one.toml"
    mine.write_text("[themes.rag]\nlabel = 'RAG'\ndescription = 'retrieval'\nphrases = ['retrieval[- ]augmented']\n",
                    encoding="utf-8")
    tags = ps.tag_themes(papers, ps.load_taxonomy(mine, include_default=False))
    topics = ps.fit_topics(papers, backend="tfidf")
    coverage = ps.topic_coverage(topics, tags)
    assert coverage["best_theme"].isna().sum() > 0 and set(coverage["best_theme"].dropna()) <= {"rag"}
    findings = ps.compute_findings(papers, tags, topics=topics)
    uncovered = findings.topics[findings.topics["best_theme"].isna()]
    assert len(uncovered) and uncovered["best_theme_label"].isna().all()
    ps.landing_html(findings)  # (raised on the NA)
