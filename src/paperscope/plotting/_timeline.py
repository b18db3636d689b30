from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._style import PALETTE, escape, styled


def papers_per_period_chart(counts: pd.DataFrame, *, title: str = "Papers per period") -> go.Figure:
    """Bars of :func:`paperscope.trends.papers_per_period`."""
    fig = go.Figure(go.Bar(
        x=counts["period"], y=counts["papers"], marker_color=PALETTE[0],
        hovertemplate="%{x|%Y-%m}: %{y} papers<extra></extra>",
    ))
    fig.update_layout(xaxis_title="period", yaxis_title="papers", bargap=0.15)
    return styled(fig, title)


def upvotes_chart(papers: pd.DataFrame, *, date: str = "listed_on") -> go.Figure:
    """Each paper's upvotes against its listing date (log scale), title on hover."""
    data = papers[papers["upvotes"].notna() & papers[date].notna()]
    fig = go.Figure(go.Scatter(
        x=data[date], y=data["upvotes"].astype("int64") + 1, mode="markers",
        marker=dict(size=7, color=PALETTE[3], opacity=0.7, line=dict(width=0.5, color="white")),
        text=[escape(t, 70) for t in data["title"]], customdata=data["upvotes"].astype("int64"),
        hovertemplate="%{text}<br>%{x|%Y-%m-%d}: %{customdata} upvotes<extra></extra>",
    ))
    median = int(data["upvotes"].median()) if len(data) else 0
    fig.update_layout(yaxis=dict(type="log", title="upvotes + 1 (log scale)"), xaxis_title="listed on")
    return styled(fig, f"Upvotes per paper ({len(data)} papers, median {median})")
