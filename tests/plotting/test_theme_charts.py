"""Theme charts: they draw the computed numbers, and evidence on hover is escaped text."""

from __future__ import annotations

import numpy as np
import pandas as pd

import paperscope as ps
from paperscope import schema

from ..conftest import ROOT, SEED


def setup():
    papers = ps.load(SEED)
    tax = ps.load_taxonomy()
    return papers, ps.tag_themes(papers, tax), tax, {t.id: t.label for t in tax.themes}


def test_prevalence_chart_matches_counts():
    papers, tags, tax, _ = setup()
    prev = ps.theme_prevalence(papers, tags, tax)
    bar = ps.plotting.theme_prevalence_chart(prev).data[0]
    drawn = dict(zip(bar.customdata, bar.x, strict=True))
    expected = prev[prev["papers"] > 0].set_index("theme")["papers"].to_dict()
    assert drawn == expected


def test_cooccurrence_heatmap_blanks_the_diagonal():
    papers, tags, tax, labels = setup()
    co = ps.theme_cooccurrence(papers, tags, tax)
    heat = ps.plotting.theme_cooccurrence_chart(co, labels).data[0]
    z = np.array(heat.z, dtype=float)
    assert np.isnan(np.diag(z)).all()
    i, j = heat.y.index("Physics-informed neural networks"), heat.x.index("Neural PDE solvers")
    assert z[i, j] == co.loc["pinns", "neural_pde_solvers"]


def test_matrix_chart_hover_holds_escaped_evidence():
    papers = schema.from_records([{
        "paper_id": "x", "title": "<img src=x onerror=alert(1)> Diffusion models",
        "abstract": "Diffusion models <b>rock</b>.", "source": "t", "source_format": "t",
        "position": 1, "n_words": 3}])
    heat = ps.plotting.theme_matrix_chart(ps.tag_themes(papers)).data[0]
    hover = " ".join(str(h) for row in heat.text for h in row)
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover and "<img" not in hover
    assert "[Diffusion models]" in hover


def test_cooccurrence_chart_of_a_result_counts_direct_tags_by_default():
    papers, tags, _, labels = setup()
    heat = ps.plotting.theme_cooccurrence_chart(tags).data[0]
    z = np.array(heat.z, dtype=float)
    direct = tags.cooccurrence(direct_only=True)
    i, j = heat.y.index("Physics-informed neural networks"), heat.x.index("Neural PDE solvers")
    assert z[i, j] == direct.loc["pinns", "neural_pde_solvers"] == 0  # the parent link is not counted
    inherited = ps.plotting.theme_cooccurrence_chart(tags, direct_only=False).data[0]
    i, j = inherited.y.index("Physics-informed neural networks"), inherited.x.index("Neural PDE solvers")
    assert np.array(inherited.z, dtype=float)[i, j] == 3


def test_theme_charts_show_a_user_theme_under_its_own_label():
    papers = ps.load(SEED)
    tags = ps.tag_themes(papers, ROOT / "notebooks" / "my_themes.toml")
    bars = ps.plotting.theme_prevalence_chart(tags).data[0]
    assert dict(zip(bars.y, bars.x, strict=True))["Numerical methods"] == 7
    assert "Numerical methods" in ps.plotting.theme_matrix_chart(tags).data[0].x
    assert "Numerical methods" in ps.plotting.theme_cooccurrence_chart(tags).data[0].x
    # the computed frame carries the labels too: a chart of it shows no ids
    heat = ps.plotting.theme_cooccurrence_chart(tags.cooccurrence(direct_only=True)).data[0]
    assert "Numerical methods" in heat.x and "numerical_methods" not in heat.x


def test_theme_charts_take_the_result_or_say_what_to_pass():
    import pytest

    from ..conftest import HF_DAYS

    tags = ps.tag_themes(ps.load(HF_DAYS))
    from_result = ps.plotting.theme_trends_chart(tags)  # the result: its trends, with their defaults
    from_trends = ps.plotting.theme_trends_chart(tags.trends())
    assert from_result.to_json() == from_trends.to_json() and len(from_result.data) > 0
    with pytest.raises(ps.PaperscopeError, match=r"pass tags, not tags\.matrix\(\)"):
        ps.plotting.theme_matrix_chart(tags.matrix())
    with pytest.raises(ps.PaperscopeError, match=r"theme trends .* not DataFrame with columns \['theme', 'label'"):
        ps.plotting.theme_trends_chart(tags.prevalence())


def test_trend_panels_keep_their_labels_when_no_period_is_drawn():
    """Fifteen dated papers: no period has enough papers to be drawn, and the panels were titled with ids."""
    from ..conftest import HF_DAYS

    papers = ps.load(HF_DAYS).sort_values(["listed_on", "paper_id"]).head(15)
    tags = ps.tag_themes(papers, ROOT / "notebooks" / "my_themes.toml")
    trends = tags.trends()
    assert not trends["drawn"].any()
    themes = ["llms", "numerical_methods"]
    titles = [a.text for a in ps.plotting.theme_trends_chart(trends, themes).layout.annotations]
    assert titles[:2] == [tags.taxonomy.labels[t] for t in themes] == ["Large language models", "Numerical methods"]


def test_theme_charts_of_a_corpus_without_tags_say_so():
    """A corpus no theme matches drew three blank charts without a word."""
    papers = schema.from_records([{"paper_id": "a", "title": "Soil moisture in alpine meadows",
                                   "abstract": "We measured soil moisture at twelve alpine sites.",
                                   "listed_on": pd.Timestamp("2026-01-05")}])
    tags = ps.tag_themes(papers)
    for chart in (ps.plotting.theme_prevalence_chart(tags), ps.plotting.theme_cooccurrence_chart(tags),
                  ps.plotting.theme_matrix_chart(tags), ps.plotting.theme_trends_chart(tags)):
        assert [a.text for a in chart.layout.annotations] == ["No paper carries a theme."]
    assert not ps.plotting.theme_prevalence_chart(ps.tag_themes(ps.load(SEED))).layout.annotations
