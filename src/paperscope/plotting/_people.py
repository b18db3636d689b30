from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._style import PALETTE, escape, styled


def _ranked_bars(frame: pd.DataFrame, column: str, colour: str, title: str) -> go.Figure:
    ordered = frame.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=ordered["papers"], y=[escape(v) for v in ordered[column]], orientation="h", marker_color=colour,
        text=ordered["papers"], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x} papers<extra></extra>",
    ))
    fig.update_layout(xaxis_title="papers", height=max(280, 26 * len(frame) + 120))
    if frame.empty:
        fig.add_annotation(text="The corpus names none.", showarrow=False)
    return styled(fig, title)


def top_authors_chart(authors: pd.DataFrame) -> go.Figure:
    """Horizontal bars of :func:`paperscope.top_authors`: the authors with the most papers."""
    return _ranked_bars(authors, "author", PALETTE[2], f"Authors with the most papers (top {len(authors)})")


def top_organizations_chart(organizations: pd.DataFrame) -> go.Figure:
    """Horizontal bars of :func:`paperscope.top_organizations`: who submitted the most papers."""
    return _ranked_bars(organizations, "organization", PALETTE[4],
                        f"Organizations with the most papers (top {len(organizations)})")
