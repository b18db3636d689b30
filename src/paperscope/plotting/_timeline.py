from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._style import PALETTE, escape, styled

_FREQ = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def papers_per_period_chart(counts: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Bars of :func:`paperscope.papers_per_period`.

    When the counts come from a sample of listing days (``counts.attrs["sampled"]``),
    the title says so: the bars then count the papers of the sampled days,
    not everything that appeared in the period.
    """
    freq = counts.attrs.get("freq", "")
    unit = _FREQ.get(freq, "period")
    hover = {"Y": "%{x|%Y}", "Q": "%{x|%Y-%m} (quarter)", "M": "%{x|%Y-%m}"}.get(freq, "%{x|%Y-%m-%d}")
    # listing days only where the dates are listings (a year of NeurIPS is no "1 listing day")
    column = counts.attrs.get("date", "listed_on")
    custom = counts.get("days") if column == "listed_on" else None
    if custom is not None:
        custom = [f"{d} listing day" + ("" if d == 1 else "s") for d in custom]
    fig = go.Figure(go.Bar(
        x=counts["period"], y=counts["papers"], marker_color=PALETTE[0], customdata=custom,
        hovertemplate=hover + ": %{y} papers" + (" from %{customdata}" if custom is not None
                                                 else "") + "<extra></extra>",
    ))
    fig.update_layout(xaxis_title=unit, yaxis_title="papers", bargap=0.15)
    if title is None:
        title = f"Papers per {unit}"
        if counts.attrs.get("sampled"):
            days = int(counts["days"].sum()) if "days" in counts else 0
            title += (f" — a sample: the papers of {days} listing days, "
                      "not every paper of each period")
    return styled(fig, title)


def upvotes_chart(papers: pd.DataFrame, *, date: str = "listed_on") -> go.Figure:
    """Each paper's upvotes against its listing date (log scale), title on hover."""
    data = papers[papers["upvotes"].notna() & papers[date].notna()]
    upvotes = data["upvotes"].astype("int64")
    fig = go.Figure(go.Scatter(
        x=data[date], y=upvotes + 1, mode="markers",
        marker=dict(size=7, color=PALETTE[3], opacity=0.7, line=dict(width=0.5, color="white")),
        text=[escape(t, 70) for t in data["title"]], customdata=upvotes,
        hovertemplate="%{text}<br>%{x|%Y-%m-%d}: %{customdata} upvotes<extra></extra>",
    ))
    # The axis is upvotes + 1 (so 0 fits a log scale); ticks name the upvotes themselves,
    # only at round numbers, never at every minor tick.
    top = int(upvotes.max()) if len(upvotes) else 1
    steps = (0, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000)
    marks = [v for v in steps if v < top] + [next((v for v in steps if v >= top), top)]
    median = int(upvotes.median()) if len(data) else 0
    fig.update_layout(
        yaxis=dict(type="log", title="upvotes (log scale)", tickmode="array",
                   tickvals=[v + 1 for v in marks], ticktext=[f"{v:,}" for v in marks], minor=dict(showgrid=False)),
        xaxis_title="listed on",
    )
    return styled(fig, f"Upvotes per paper ({len(data)} papers, median {median})")
