from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..errors import check_table
from ._style import escape, styled


def top_terms_chart(terms: pd.DataFrame, *, title: str = "Most used distinctive terms") -> go.Figure:
    """Horizontal bars of :func:`paperscope.top_terms` output, most used on top."""
    check_table(terms, {"term", "papers", "share"}, "top_terms_chart takes ps.top_terms(papers)")
    ordered = terms.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=ordered["papers"], y=[escape(t) for t in ordered["term"]], orientation="h",
        marker_color="#009E73",
        customdata=(ordered["share"] * 100).round(1),
        hovertemplate="%{y}: %{x} papers (%{customdata}%)<extra></extra>",
    ))
    fig.update_layout(xaxis_title="papers using the term", height=max(300, 22 * len(terms) + 120))
    return styled(fig, title)
