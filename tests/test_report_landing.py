"""The report's landing page, built directly (no notebook runs): what is new since a day, the
findings on the corpus the report loaded, a search box over every paper, then the pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import paperscope as ps
from paperscope.report import Page, ReportParams, load_corpus
from paperscope.report.index import corpus_summary, index_page
from paperscope.report.landing import landing_sections

from .conftest import ROOT, SEED

HF = ROOT / "data" / "hf-daily-papers"
USER_THEME = """
[themes.video_worlds]
label = "Video and world models"
description = "Generating or predicting video, and learned world models."
phrases = ['videos?', 'world models?']
"""
PAGES = [Page("01-corpus.ipynb", Path("01-corpus.html"), "The corpus", 4, 2_500_000),
         Page("03-topics.ipynb", Path("03-topics.html"), "Topics", 4, 2_600_000)]


def landing(corpus, **params) -> str:
    params = ReportParams(str(corpus), **params)
    papers = load_corpus(params.corpus, year=params.year)
    sections = landing_sections(papers, params, topics_page="03-topics.html")
    return index_page(PAGES, corpus_summary(papers, params), params, "A report", sections)


class Outline(HTMLParser):
    """The ``<h2>`` headings in order, and the text under each."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.text: dict[str, str] = {}
        self._in_h2 = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self._in_h2 = True
            self.headings.append("")
        elif tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False
            self.text[self.headings[-1]] = ""
        elif tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if self._in_h2:
            self.headings[-1] += data
        elif self.headings and not self._in_h2 and not self._skip:
            self.text[self.headings[-1]] += data


def outline(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def hf_since():
    return landing(HF, since="2026-01-01")


@pytest.fixture(scope="module")
def hf_plain():
    return landing(HF)


def test_since_leads_the_landing_page_with_what_is_new(hf_since):
    page = outline(hf_since)
    assert page.headings[0] == "What is new since 2026-01-01"
    news = " ".join(page.text["What is new since 2026-01-01"].split())
    assert news.startswith("189 of 494 dated papers are new since 2026-01-01.")
    assert "Clearly more common among new papers: AI agents (8.8% → 22.8%)" in news
    # the themes that changed clearly, with their intervals: AI agents 27 of 305 before, 43 of 189 new
    assert re.search(r"AI agents\s*8\.8 % \[[\d.]+, [\d.]+\]\s*22\.8 % \[[\d.]+, [\d.]+\]\s*"
                     r"\+13\.9 \[\+6\.3, \+21\.2\]", news)
    # RL grows by 8.1 points, within the months' own variation: not among the clear changes
    assert "Reinforcement learning" not in news.split("Clearly more common among new papers:")[1].split(".")[0]
    assert "Newcombe interval of the change excludes 0" in news
    # the new papers to read first: the most upvoted paper listed since 2026-01-01, with its links
    papers = ps.load(HF)
    new = papers[papers["listed_on"] >= "2026-01-01"]
    best = new.nlargest(1, "upvotes").iloc[0]
    assert best["title"] in news
    arxiv = best["arxiv_id"]
    section = hf_since.split('<h2 id="whats-new">')[1].split("<h2 ")[0]
    assert f'href="https://arxiv.org/abs/{arxiv}"' in section
    assert f'href="https://huggingface.co/papers/{arxiv}"' in section


def test_since_does_not_filter_what_the_findings_count(hf_since):
    page = outline(hf_since)
    assert page.headings[1] == "Findings"
    assert " ".join(page.text["Findings"].split()).startswith("494 papers, listed 2024-05-27 – 2026-08-03")
    assert "<th>papers</th><td>494</td>" in hf_since
    assert "<th>since</th><td>2026-01-01</td>" in hf_since


def test_without_since_the_findings_lead(hf_plain):
    page = outline(hf_plain)
    assert page.headings == ["Findings", "Search the papers", "Pages", "Corpus", "Parameters"]
    findings = " ".join(page.text["Findings"].split())
    # the corpus in one paragraph of numbers, then what is common, rising and falling
    assert findings.startswith("494 papers, listed 2024-05-27 – 2026-08-03, from 30 files (hf_api). "
                               "Most common themes: Large language models (56.7 %)")
    assert "Rising since 2025-10: AI agents 6.5 % → 20.8 % (+14.3 points, 95 % interval +6.1 to +20.7)" in findings
    assert ("Falling since 2025-10: Multilingual NLP & translation 3.5 % → 0.8 % "
            "(−2.7 points, 95 % interval −6.0 to −0.1)") in findings
    # the table, with the interval of each change
    assert re.search(r"AI agents\s*6\.5 %\s*20\.8 %\s*\+14\.3 \[\+6\.1, \+20\.7\]\s*rising", findings)
    assert re.search(r"Multilingual NLP (?:&amp;|&) translation\s*3\.5 %\s*0\.8 %\s*−2\.7 \[−6\.0, −0\.1\]\s*falling",
                     findings)
    # topics are left to their page, and the page says so
    assert 'are on <a href="03-topics.html">the topics page</a>' in hf_plain
    # the top papers of each theme link to arXiv and the HF page
    assert hf_plain.count('href="https://huggingface.co/papers/') >= 15
    # the pages are listed after the findings
    assert hf_plain.index('href="01-corpus.html"') > hf_plain.index('id="search"') > hf_plain.index('id="findings"')


def test_the_search_box_covers_every_paper_offline(hf_plain):
    assert "Search 494 papers" in hf_plain
    assert 'class="ps-search-index"' in hf_plain
    assert not re.search(r"<script[^>]+src=", hf_plain) and not re.search(r"<link[^>]+href=", hf_plain)
    assert len(hf_plain.encode()) <= 5_000_000


def test_the_reports_taxonomy_files_tag_the_landing_page(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text(USER_THEME)
    page = landing(HF, taxonomy_files=[mine])
    papers = ps.load(HF)
    tags = ps.tag_themes(papers, ps.load_taxonomy(mine))
    tagged = tags.prevalence().set_index("theme").loc["video_worlds", "papers"]
    assert tagged > 0
    assert "Video and world models" in page
    assert "Large language models" in page  # added to the defaults
    alone = landing(HF, taxonomy_files=[mine], only_taxonomy=True, since="2026-01-01")
    assert "Video and world models" in alone and "Large language models" not in alone


def test_the_seed_landing_page_says_what_it_cannot_show():
    page = landing(SEED, since="2025-06-01")
    text = outline(page)
    assert text.headings[0] == "What is new since 2025-06-01"
    assert "Nothing to compare: no paper has a date" in text.text["What is new since 2025-06-01"]
    findings = " ".join(text.text["Findings"].split())
    assert findings.startswith("62 papers, from 1 file (hf_page).")
    assert "No trends: the papers carry no dates." in findings
    assert "Search 62 papers" in page


def test_a_big_corpus_searches_its_most_recent_papers_and_says_so(monkeypatch):
    from paperscope import search_box

    papers = load_corpus(str(HF))
    index = search_box.search_index(papers, max_papers=100)
    kept = search_box.newest(papers, 100)
    date = papers["listed_on"].where(papers["listed_on"].notna(), papers["published"])
    assert len(kept) == 100 and kept.index.is_monotonic_increasing
    assert date[kept.index].min() >= date.drop(kept.index).max()  # the newest 100, none older kept
    assert [p[0] for p in index["papers"]] == kept["title"].tolist() and index["total"] == len(papers)
    assert search_box.newest(papers, len(papers)) is papers
    assert f"Search the 100 most recent of {len(papers)} papers" in search_box.search_box_html(index)

    monkeypatch.setattr(search_box, "MAX_PAPERS", 100)
    page = landing(HF)
    assert f"searches the 100 most recent of the {len(papers):,} papers" in page
    assert "ps.search(papers, query)" in page


def test_the_corpus_facts_date_the_papers_as_the_findings_do():
    # one range, from the column the findings and trends use, named (it mixed listing and
    # publication dates into 2024-05-23 – 2026-07-31 beside the findings' 2024-05-27 – 2026-08-03)
    facts = corpus_summary(ps.load(HF), ReportParams(str(HF)))
    assert facts["dates"] == "2024-05-27 – 2026-08-03 (listing days)"
    neurips = ROOT / "tests" / "data" / "neurips-sample"
    assert corpus_summary(ps.load(neurips), ReportParams(str(neurips)))["dates"] == "1987 – 2018 (years)"
