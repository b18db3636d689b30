"""Theme shares over time with Wilson and Newcombe intervals; periods that adapt to the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import paperscope as ps
from paperscope import schema

from .conftest import ROOT, SEED

NEURIPS = ROOT / "tests" / "data" / "neurips-sample"
HF = ROOT / "data" / "hf-daily-papers"


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
    trends = ps.theme_trends(papers, ps.tag_themes(papers), freq="M", min_papers=1)
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
    trends = ps.theme_trends(papers, ps.tag_themes(papers), freq="Q", min_papers=1)
    assert trends[trends["theme"] == "diffusion_models"]["tagged"].tolist() == [12]
    seed = ps.load(SEED)
    with pytest.raises(ps.PaperscopeError, match="no paper has a date"):
        ps.theme_trends(seed, ps.tag_themes(seed))


def test_trend_chart_draws_share_and_band():
    papers = dated_corpus()
    trends = ps.theme_trends(papers, ps.tag_themes(papers), freq="M", min_papers=10)
    fig = ps.plotting.theme_trends_chart(trends, ["diffusion_models"])
    band, line = fig.data
    assert list(line.y) == [0.2, 0.5]
    assert list(band.y) == pytest.approx([0.5098, 0.7007, 0.2993, 0.0567], abs=1e-4)
    assert line.name == "Diffusion models"
    assert fig.layout.annotations[0].text == "Diffusion models"  # the panel's title
    # a theme the trends do not hold is named, not drawn as an empty panel; a label points to its id
    with pytest.raises(ps.PaperscopeError, match=r"themes \['Diffusion models'\] are not in these trends "
                                                 r"\(the id of 'Diffusion models' is 'diffusion_models'\)"):
        ps.plotting.theme_trends_chart(trends, ["Diffusion models"])
    one = ps.plotting.theme_trends_chart(trends, "diffusion_models")  # one theme as a string
    assert [a.text for a in one.layout.annotations][:1] == ["Diffusion models"]
    # With the default minimum of 20 papers January (10) is pooled with February into their quarter.
    pooled = ps.theme_trends(papers, ps.tag_themes(papers), freq="M")
    diff = pooled[pooled["theme"] == "diffusion_models"]
    assert diff["period_label"].tolist() == ["2025-Q1"] and diff["tagged"].tolist() == [12]


def test_papers_per_period_counts_every_dated_paper_and_empty_periods():
    papers = dated_corpus()
    counts = ps.papers_per_period(papers, freq="M")
    assert counts["papers"].tolist() == [10, 20] and counts.attrs["undated"] == 3
    gap = schema.from_records([
        {"paper_id": f"g{i}", "title": f"T {i}", "source": "t", "source_format": "t", "position": i + 1,
         "n_words": 0, "listed_on": pd.Timestamp(d)} for i, d in enumerate(["2025-01-05", "2025-03-09"])])
    assert ps.papers_per_period(gap)["papers"].tolist() == [1, 0, 1]


def test_rising_themes_pools_recent_periods_and_flags_clear_changes():
    rows = []
    # 4 months: diffusion share 1/20, 1/20, 15/20, 16/20
    for month, k in [(1, 1), (2, 1), (3, 15), (4, 16)]:
        for i in range(20):
            title = f"Diffusion models study {month}-{i}" if i < k else f"Typewriter history {month}-{i}"
            rows.append({"paper_id": f"{month}-{i}", "title": title, "source": "t", "source_format": "t",
                         "position": len(rows) + 1, "n_words": 0, "listed_on": pd.Timestamp(2025, month, 2)})
    papers = schema.from_records(rows)
    trends = ps.theme_trends(papers, ps.tag_themes(papers), freq="M")
    rising = ps.rising_themes(trends, recent=2).set_index("theme")
    row = rising.loc["diffusion_models"]
    assert row["earlier_share"] == 2 / 40 and row["recent_share"] == 31 / 40
    assert row["change"] == pytest.approx(29 / 40) and bool(row["clear"])
    assert rising.index[0] in {"diffusion_models", "generative_models"}
    assert not rising.loc["pinns", "clear"]
    # no more periods than recent: the later half against the earlier half, as the findings compare
    halves = ps.rising_themes(trends, recent=4)
    assert halves.attrs["recent"] == 2 and halves.equals(ps.rising_themes(trends, recent=2))
    one = ps.theme_trends(papers.iloc[:20], ps.tag_themes(papers.iloc[:20]), freq="M")
    with pytest.raises(ps.PaperscopeError, match="need two or more"):
        ps.rising_themes(one)


@pytest.mark.parametrize("months, recent, sides", [(5, 4, (2, 3)), (6, 4, (2, 4)), (9, 4, (5, 4)), (3, 4, (2, 1)),
                                                   (5, 2, (3, 2)), (6, 1, (5, 1))])
def test_rising_themes_keeps_two_periods_a_side_when_it_can(months, recent, sides):
    """Five periods split one against four: no change could ever be called (a year of HF files by
    year, the arXiv cs listings by month)."""
    rows = [{"paper_id": f"{m}-{i}", "title": "Diffusion models study" if i < 2 + 3 * m else "Typewriter history",
             "source": "t", "source_format": "t", "position": 20 * m + i + 1, "n_words": 0,
             "listed_on": pd.Timestamp(2025, m, 2)} for m in range(1, months + 1) for i in range(20)]
    papers = schema.from_records(rows)
    changes = ps.rising_themes(ps.theme_trends(papers, ps.tag_themes(papers), freq="M"), recent=recent)
    assert (changes.attrs["earlier"], changes.attrs["recent"]) == sides
    row = changes.set_index("theme").loc["diffusion_models"]
    assert (row["earlier_periods"], row["recent_periods"]) == sides
    assert bool(row["clear"]) == (min(sides) >= 2)


def test_newcombe_interval_matches_the_published_example():
    # Newcombe (1998), Table II, example (a): 56/70 vs 48/80 -> difference 0.2, interval 0.0524 to 0.3339.
    low, high = ps.newcombe_interval(48, 80, 56, 70)
    assert float(low) == pytest.approx(0.0524, abs=1e-4) and float(high) == pytest.approx(0.3339, abs=1e-4)


def test_neurips_years_widen_where_sparse():
    """Year-only dates (NeurIPS): sparse early years pool into a span, a lone short year is not drawn."""
    papers = ps.load(NEURIPS)
    trends = ps.theme_trends(papers, ps.tag_themes(papers))  # quarters asked for, years are all there is
    assert trends.attrs["date"] == "year" and trends.attrs["freq"] == "Y"
    periods = trends.drop_duplicates("period")[["period_label", "papers", "drawn"]]
    assert periods.values.tolist() == [["1987–1996", 20, True], ["1999", 2, False], ["2016", 22, True],
                                       ["2017", 24, True], ["2018", 30, True]]
    assert trends.attrs["undated"] == 0
    # The chart draws no share for the 2-paper year.
    fig = ps.plotting.theme_trends_chart(trends, ["llms"])
    assert len(fig.data[1].x) == 4


def test_hf_quarters_pool_the_sparse_first_year():
    papers = ps.load(HF)
    trends = ps.theme_trends(papers, ps.tag_themes(papers))
    periods = trends.drop_duplicates("period")
    # 2024 has a quarter of 19 papers: the whole year is one period; 2025-26 quarters all hold >= 20.
    # (the papers of the files of each quarter: 19 + 36 + 65 in 2024, then 23, 46, 41, 75, 56, 88, 45)
    assert periods["period_label"].tolist() == ["2024", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
                                                "2026-Q1", "2026-Q2", "2026-Q3"]
    assert periods["papers"].tolist() == [120, 23, 46, 41, 75, 56, 88, 45]
    assert periods["drawn"].all() and periods["papers"].sum() == len(papers)
    assert (trends["ci_high"] - trends["ci_low"]).max() < 0.45


def test_hf_months_too_thin_fall_back_to_quarters_before_years():
    papers = ps.load(HF)
    tags = ps.tag_themes(papers)
    monthly, quarterly = tags.trends(freq="M"), tags.trends(freq="Q")
    # no month holds 20 papers in 2025-26, every quarter does: months widen to quarters, not to years
    assert monthly.drop_duplicates("period")["period_label"].tolist() == \
        quarterly.drop_duplicates("period")["period_label"].tolist()
    assert len(ps.rising_themes(monthly)) == len(ps.rising_themes(quarterly))
    # one month-long period kept where each month of a year is full enough (min_papers=1 keeps all)
    fine = ps.trends.adaptive_periods(ps.trends.paper_dates(papers)[0], freq="M", min_papers=1)
    assert fine.attrs["periods"]["period_label"].str.fullmatch(r"\d{4}-\d{2}").all()


def test_rising_and_falling_on_hf_with_difference_intervals():
    papers = ps.load(HF)
    changes = ps.rising_themes(ps.theme_trends(papers, ps.tag_themes(papers))).set_index("theme")
    assert changes.attrs["split"] == pd.Timestamp("2025-10-01")
    llms = changes.loc["llms"]
    assert (llms["earlier_tagged"], llms["earlier_papers"], llms["recent_tagged"], llms["recent_papers"]) == (
        132, 230, 148, 264)
    # LLMs drop 1.3 points, within what chance allows (not a clear fall).
    assert round(100 * llms["change"], 1) == -1.3 and not bool(llms["clear"])
    assert llms["change_low"] < llms["change"] < 0 < llms["change_high"]
    assert bool(changes.loc["agents", "clear"]) and changes.loc["agents", "change"] > 0
    assert not changes.loc["robotics", "clear"]


def test_papers_per_period_flags_sampled_listing_days():
    counts = ps.papers_per_period(ps.load(HF), freq="Q")
    assert counts.attrs["sampled"] and counts["papers"].sum() == 494
    assert (counts["days"] <= counts["papers"]).all()
    title = ps.plotting.papers_per_period_chart(counts).layout.title.text
    assert title.startswith("Papers per quarter") and "sample" in title
    every_weekday = schema.from_records([
        {"paper_id": f"d{i}", "title": f"T {i}", "source": "t", "source_format": "t", "position": i + 1,
         "n_words": 0, "listed_on": day} for i, day in enumerate(pd.bdate_range("2025-01-01", "2025-03-31"))])
    full = ps.papers_per_period(every_weekday, freq="Q")
    assert not full.attrs["sampled"] and "sample" not in ps.plotting.papers_per_period_chart(full).layout.title.text


def _assert_periods_tile(dates, periods):
    """No two periods overlap, and every dated paper lies inside its own period."""
    table = periods.attrs["periods"].sort_values("period")
    assert (table["period"].iloc[1:].to_numpy() >= table["period_end"].iloc[:-1].to_numpy()).all()
    dated = dates.dropna().index
    assert ((dates[dated] >= periods.loc[dated, "period"]) & (dates[dated] < periods.loc[dated, "period_end"])).all()


@pytest.mark.parametrize("min_papers", [1, 3, 5, 20])
def test_weeks_are_cut_at_the_new_year(min_papers):
    # A week that starts on Mon 30 Dec 2024 ends in 2025: as a period it stops at the new year, so it
    # never overlaps 2024's quarter or year, or 2025's own periods.
    dates = ps.trends.paper_dates(ps.load(HF))[0]
    periods = ps.trends.adaptive_periods(dates, freq="W", min_papers=min_papers)
    _assert_periods_tile(dates, periods)
    assert not ((periods["period"].dt.year != periods["period_end"].dt.year)
                & (periods["period_end"] != periods["period_end"].dt.to_period("Y").dt.start_time)).any()
    if min_papers == 1:  # every week kept: the ones of 30 Dec 2024 and 29 Dec 2025 start at the new year
        table = periods.attrs["periods"].set_index("period_label")
        assert table.loc["2024-12-09", "period_end"] == pd.Timestamp("2024-12-16")
        for year in (2025, 2026):
            assert table.loc[f"{year}-01-01", "period"] == pd.Timestamp(f"{year}-01-01")
            assert table.loc[f"{year}-01-01", "period_end"] == pd.Timestamp(f"{year}-01-0{6 if year == 2025 else 5}")


def test_a_weekly_year_beside_a_whole_year_does_not_overlap_it():
    # 2024 too sparse for weeks (one period), 2025 weekly: 2 Jan 2025's week starts in 2024.
    days = ["2024-03-01", "2024-07-01", "2024-12-31"] + [f"2025-01-{d:02d}" for d in (2, 2, 3, 3, 6, 7, 8, 9)]
    dates = pd.Series(pd.to_datetime(days))
    periods = ps.trends.adaptive_periods(dates, freq="W", min_papers=2)
    _assert_periods_tile(dates, periods)
    assert periods.attrs["periods"]["period_label"].tolist() == ["2024", "2025-01-01", "2025-01-06"]
    assert periods.attrs["periods"]["papers"].tolist() == [3, 4, 4]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"confidence": 95}, r"confidence=95: give a level between 0 and 1"),
    ({"min_papers": 0}, r"min_papers=0: give a whole number of 1 or more"),
    ({"min_papers": 2.5}, r"min_papers=2.5"),
    ({"date": "nope"}, r"date='nope' is not a column of the papers"),
])
def test_bad_trend_parameters_are_named(kwargs, message):
    papers = ps.load(HF)
    with pytest.raises(ps.PaperscopeError, match=message):
        ps.tag_themes(papers).trends(**kwargs)


@pytest.mark.parametrize(("recent", "message"), [(0, "recent=0"), (-1, "recent=-1"), (2.5, "recent=2.5")])
def test_rising_themes_checks_recent(recent, message):
    papers = ps.load(HF)
    with pytest.raises(ps.PaperscopeError, match=message):
        ps.rising_themes(ps.tag_themes(papers).trends(), recent=recent)


def test_rising_themes_names_what_it_takes():
    with pytest.raises(ps.PaperscopeError, match="rising_themes takes theme_trends' table"):
        ps.rising_themes(pd.DataFrame({"topic": [1], "period": [pd.Timestamp("2025-01-01")]}))


def test_a_mixed_corpus_is_dated_by_its_finest_column_with_a_warning():
    # HF day files (listing days) with NeurIPS papers (a year only): the listing day dates the HF
    # papers (reducing them to their year would misplace every 'since' not on 1 January); the
    # NeurIPS papers count as undated, and a warning says so and how to date them all
    hf, neurips = ps.load(HF), ps.load(NEURIPS)
    both = pd.concat([hf, neurips], ignore_index=True)
    with pytest.warns(UserWarning, match=r"98 of 592 papers have no 'listed_on' date and count as undated; "
                                         r"date='year' dates 592 of them \(coarser\)"):
        dates, column = ps.trends.paper_dates(both)
    assert column == "listed_on" and dates.notna().sum() == len(hf)
    assert ps.trends.paper_dates(both, "year")[0].notna().all()
    assert ps.trends.paper_dates(hf)[1] == "listed_on"  # each alone: as before, without a warning
    assert ps.trends.paper_dates(neurips)[1] == "year"


def test_the_default_chart_shows_the_common_themes_and_every_clear_change():
    # it drew the six most common themes only: a rising theme outside them was not on the chart
    papers = ps.load(HF)
    trends = ps.theme_trends(papers, ps.tag_themes(papers))
    panels = [a.text for a in ps.plotting.theme_trends_chart(trends).layout.annotations]
    changes = ps.rising_themes(trends)
    clear = changes.loc[changes["clear"], "label"].tolist()
    assert "Diffusion language models" in clear and "Diffusion language models" not in panels[:6]
    assert {ps.plotting.escape(label) for label in clear} <= set(panels) and len(panels) == 6 + 2


def test_the_papers_chart_speaks_of_listing_days_only_for_listings():
    hf = ps.plotting.papers_per_period_chart(ps.papers_per_period(ps.load(HF), freq="Q")).data[0]
    assert hf.customdata[0] == "2 listing days"  # one file a month
    monthly = ps.plotting.papers_per_period_chart(ps.papers_per_period(ps.load(HF), freq="M")).data[0]
    assert "1 listing day" in monthly.customdata
    years = ps.plotting.papers_per_period_chart(ps.papers_per_period(ps.load(NEURIPS), freq="Y")).data[0]
    assert years.customdata is None and "from" not in years.hovertemplate  # a NeurIPS year was "from 1 listing days"


def test_papers_per_period_by_year_for_a_year_only_corpus_and_clear_errors():
    """NeurIPS knows years only: 'Q' drew each year in Q1 and three empty quarters (a review session)."""
    counts = ps.papers_per_period(ps.load(NEURIPS), freq="Q")
    assert counts.attrs["freq"] == "Y" and counts.attrs["date"] == "year"
    assert counts["period"].dt.month.eq(1).all() and len(counts) == 2018 - 1987 + 1
    assert counts.set_index(counts["period"].dt.year)["papers"].loc[[1987, 1996, 2018]].tolist() == [3, 8, 30]
    papers = ps.load(HF)
    with pytest.raises(ps.PaperscopeError, match=r"freq='A': choose one of"):
        ps.papers_per_period(papers, freq="A")
    with pytest.raises(ps.PaperscopeError, match="date='upvotes' holds numbers, not dates"):
        ps.papers_per_period(papers, date="upvotes")
    with pytest.raises(ps.PaperscopeError, match="date='upvotes' holds numbers, not dates"):
        ps.whats_new(papers, "2026-01-01", date="upvotes")
