"""Theme shares over time with Wilson intervals, on synthetic dated data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import paperscope as ps
from paperscope import schema

from .conftest import SEED


def dated_corpus():
    """Jan: 10 papers, 2 on diffusion; Feb: 20 papers, 10 on diffusion; 3 undated papers."""
    rows = []
    plan = [("2025-01-15", 10, 2), ("2025-02-03", 20, 10), (None, 3, 1)]
    for day, n, k in plan:
        for i in range(n):
            title = f"Diffusion models study {day} {i}" if i < k else f"Typewriter history {day} {i}"
            rows.append({"paper_id": f"{day}-{i}", "title": title, "abstract": "Nothing else.",
                         "source": "t", "source_format": "t", "position": len(rows) + 1, "n_words": 2,
                         "listed_on": pd.Timestamp(day) if day else None})
    return schema.from_records(rows)


def test_shares_per_month_with_wilson_intervals():
    papers = dated_corpus()
    trends = ps.theme_trends(papers, ps.tag_themes(papers))
    diff = trends[trends["theme"] == "diffusion_models"].set_index("period")
    assert diff.index.tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]
    assert diff["papers"].tolist() == [10, 20] and diff["tagged"].tolist() == [2, 10]
    assert diff["share"].tolist() == [0.2, 0.5]
    # Wilson 95 % for 2/10: [0.0567, 0.5098]; for 10/20: [0.2993, 0.7007]
    assert diff["ci_low"].round(4).tolist() == [0.0567, 0.2993]
    assert diff["ci_high"].round(4).tolist() == [0.5098, 0.7007]
    assert trends.attrs["undated"] == 3
    assert (trends[trends["theme"] == "pinns"]["share"] == 0).all()


def test_wilson_interval_edges():
    low, high = ps.wilson_interval([0, 10, 0], [10, 10, 0])
    assert low[0] == 0 and high[0] == pytest.approx(0.2775, abs=1e-4)
    assert high[1] == 1 and low[1] == pytest.approx(0.7225, abs=1e-4)
    assert np.isnan(low[2]) and np.isnan(high[2])


def test_quarters_and_errors():
    papers = dated_corpus()
    trends = ps.theme_trends(papers, ps.tag_themes(papers), freq="Q")
    assert trends[trends["theme"] == "diffusion_models"]["tagged"].tolist() == [12]
    seed = ps.load(SEED)
    with pytest.raises(ps.PaperscopeError, match="no paper has a date"):
        ps.theme_trends(seed, ps.tag_themes(seed))


def test_trend_chart_draws_share_and_band():
    papers = dated_corpus()
    trends = ps.theme_trends(papers, ps.tag_themes(papers))
    fig = ps.plotting.theme_trends_chart(trends, ["diffusion_models"])
    band, line = fig.data
    assert list(line.y) == [0.2, 0.5]
    assert list(band.y) == pytest.approx([0.5098, 0.7007, 0.2993, 0.0567], abs=1e-4)
    assert line.name == "Diffusion models"
