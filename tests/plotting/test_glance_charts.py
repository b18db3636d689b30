"""Charts read at a glance: one colour per theme everywhere, labelled topics, readable axes and tables."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

import paperscope as ps
from paperscope.plotting import THEME_COLOURS, theme_colour, topic_colour

from ..conftest import ROOT, SEED

HF = ROOT / "data" / "hf-daily-papers"


def _colours_by_theme(fig, labels):
    """Theme label -> the colours a figure's JSON gives it (bars, lines, markers)."""
    found: dict[str, set[str]] = {}
    for trace in json.loads(fig.to_json())["data"]:
        marker = trace.get("marker", {})
        if trace.get("type") == "bar" and isinstance(marker.get("color"), list):
            for label, colour in zip(trace["y"], marker["color"], strict=True):
                found.setdefault(label, set()).add(colour)
        elif trace.get("name") in labels:
            found.setdefault(trace["name"], set()).add(trace["line"]["color"])
        elif trace.get("mode") == "lines+markers" and isinstance(trace.get("y"), list) and \
                isinstance(trace["y"][0], str):
            found.setdefault(trace["y"][0], set()).add(trace["line"]["color"])
    return found


def test_a_theme_has_one_colour_in_every_chart():
    papers = ps.load(HF)
    tags = ps.tag_themes(papers)
    labels = {t.id: t.label for t in ps.load_taxonomy().themes}
    trends = ps.theme_trends(papers, tags)
    figures = [
        ps.plotting.theme_prevalence_chart(ps.theme_prevalence(papers, tags)),
        ps.plotting.theme_trends_chart(trends, ["llms", "diffusion_models", "agents"]),
        ps.plotting.theme_changes_chart(ps.rising_themes(trends)),
    ]
    seen: dict[str, set[str]] = {}
    for fig in figures:
        for label, colours in _colours_by_theme(fig, set(labels.values())).items():
            seen.setdefault(label, set()).update(colours)
    for theme in ("llms", "diffusion_models", "agents"):
        assert seen[labels[theme]] == {THEME_COLOURS[theme]}, theme
    assert len(set(THEME_COLOURS.values())) == len(THEME_COLOURS) == len(labels)


def test_user_themes_get_deterministic_distinct_colours():
    assert theme_colour("numerical_methods") == theme_colour("numerical_methods")
    assert theme_colour("numerical_methods").startswith("#")
    assert len({theme_colour(f"user_theme_{i}") for i in range(40)}) >= 15


def test_changes_chart_ranks_and_marks_clear_changes():
    papers = ps.load(HF)
    changes = ps.rising_themes(ps.theme_trends(papers, ps.tag_themes(papers)))
    fig = ps.plotting.theme_changes_chart(changes, n=6)
    rows = [t.y[0] for t in fig.data if t.mode == "lines+markers"]
    assert rows[0] == "Multilingual NLP &amp; translation" and rows[-1] == "AI agents"  # largest fall at the bottom
    text = fig.data[-1].text
    assert "+4.0 pp [-4.7, +12.0]" in text and "<b>+14.3 pp [+6.1, +20.7]</b>" in text  # bold: a clear change
    assert fig.layout.xaxis.tickformat == ".0%"
    trends_title = ps.plotting.theme_trends_chart(ps.theme_trends(papers, ps.tag_themes(papers))).layout.title.text
    assert fig.layout.title.text != trends_title


def _fake_topics(k: int):
    rng = np.random.default_rng(0)
    topics = pd.DataFrame({"topic": range(k), "label": [f"term{i}, other{i}" for i in range(k)],
                           "size": [5] * k, "top_terms": [[f"term{i}"] for i in range(k)],
                           "representative_papers": [[]] * k})
    assignments = pd.DataFrame({
        "paper_id": [f"p{i}" for i in range(5 * k)], "title": [f"Paper {i}" for i in range(5 * k)],
        "topic": np.repeat(np.arange(k), 5), "topic_label": [f"term{i // 5}, other{i // 5}" for i in range(5 * k)],
        "confidence": 0.5, "reassigned": False, "x": rng.normal(size=5 * k), "y": rng.normal(size=5 * k)})
    return assignments, topics


def test_topic_map_labels_topics_in_order_with_distinct_colours():
    assignments, topics = _fake_topics(22)
    fig = ps.plotting.topic_map(assignments, topics.sample(frac=1, random_state=1))  # any table order
    names = [t.name for t in fig.data]
    assert [int(n.split(":")[0]) for n in names] == list(range(22))
    assert len({t.marker.color for t in fig.data}) == 22
    assert [a.text for a in fig.layout.annotations] == [f"<b>{i}</b>" for i in range(22)]
    sizes = ps.plotting.topic_sizes(topics).data[0]
    assert list(sizes.marker.color)[::-1] == [topic_colour(i) for i in range(22)]


def test_topics_over_time_heatmap():
    papers = ps.load(HF)
    assignments = pd.DataFrame({"paper_id": papers["paper_id"], "title": papers["title"],
                                "topic": (papers["n_words"] % 3).astype("int64"),
                                "topic_label": "t" + (papers["n_words"] % 3).astype(str)})
    over = ps.topics_over_time(papers, assignments)
    assert (over.groupby("period")["count"].sum() == over.groupby("period")["papers"].first()).all()
    fig = ps.plotting.topics_over_time_chart(over)
    heat = fig.data[0]
    assert len(heat.x) == over["period"].nunique() == 8 and heat.x[0] == "2024 (120)"
    assert np.nansum(np.array(heat.text, dtype=float)) == len(papers)


def test_upvote_axis_labels_round_numbers_only():
    fig = ps.plotting.upvotes_chart(ps.load(HF))
    axis = fig.layout.yaxis
    assert axis.type == "log" and list(axis.ticktext) == ["0", "1", "3", "10", "30", "100", "300"]
    assert list(axis.tickvals) == [1, 2, 4, 11, 31, 101, 301]


def test_word_pairs_are_adjacent_content_words():
    for corpus in (SEED, HF):
        pairs = set(ps.top_terms(ps.load(corpus), n=200, ngram=2)["term"])
        assert not {"language llm", "bridge gap", "language llms"} & pairs
    assert "neural network" in set(ps.top_terms(ps.load(SEED), n=5, ngram=2)["term"])


def test_people_charts():
    papers = ps.load(HF)
    authors = ps.top_authors(papers, n=5)
    assert authors.iloc[0].tolist()[:2] == ["Lei Zhang", 7]
    bar = ps.plotting.top_authors_chart(authors).data[0]
    assert list(bar.y)[::-1] == authors["author"].tolist()
    orgs = ps.top_organizations(papers, n=3)
    assert orgs["organization"].tolist()[0] == "ByteDance Seed"
    assert ps.plotting.top_organizations_chart(ps.top_organizations(ps.load(SEED))).layout.annotations


def test_styled_table_is_left_aligned_without_na():
    papers = ps.load(HF).head(3)
    links = ps.paper_links(papers).merge(papers[["paper_id", "title", "listed_on", "upvotes"]], on="paper_id")
    page = ps.plotting.styled_table(links[["title", "link", "code", "listed_on", "upvotes"]],
                                    links=["link", "code"]).to_html()
    assert "<NA>" not in page and "nan" not in page and "text-align: left" in page
    assert '<a href="https://arxiv.org/abs/2405.15738">' in page and "2024-05-27" in page
    assert ">1<" in page  # rows numbered from 1
    assert page == ps.plotting.styled_table(links[["title", "link", "code", "listed_on", "upvotes"]],
                                            links=["link", "code"]).to_html()


def test_styled_table_shows_at_most_max_rows_and_says_how_many_there_are():
    papers = ps.load(HF)
    page = ps.plotting.styled_table(papers[["title"]], max_rows=10).to_html()
    assert page.count("<tr>") == 11  # header + 10 rows
    assert f"The first 10 of {len(papers):,} rows." in page
    assert papers["title"].iloc[9].split()[0] in page and ">11<" not in page
    everything = ps.plotting.styled_table(papers[["title"]], max_rows=None).to_html()
    assert everything.count("<tr>") == len(papers) + 1 and "The first" not in everything


def test_topic_map_draws_a_fixed_sample_of_a_big_corpus_and_counts_every_paper():
    assignments, topics = _fake_topics(22)  # 110 papers
    fig = ps.plotting.topic_map(assignments, topics, max_points=40)
    assert sum(len(t.x) for t in fig.data) == 40
    assert "40 of 110 papers drawn" in fig.layout.title.text
    counts = [int(t.name.rsplit("(", 1)[1].rstrip(")")) for t in fig.data]
    assert sum(counts) <= 110 and all(c == 5 for c in counts)  # the legend counts all of a topic's papers
    shuffled = ps.plotting.topic_map(assignments.sample(frac=1, random_state=3), topics, max_points=40)
    assert sorted(x for t in shuffled.data for x in t.x) == sorted(x for t in fig.data for x in t.x)
    full = ps.plotting.topic_map(assignments, topics)
    assert sum(len(t.x) for t in full.data) == 110 and "110 papers;" in full.layout.title.text
