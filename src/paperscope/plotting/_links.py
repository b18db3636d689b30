from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._style import PALETTE, styled

_ORDER = ["code", "both", "project page", "none"]


def links_chart(links: pd.DataFrame) -> go.Figure:
    """Bar chart of how many papers link code, a project page, both or neither.

    Takes the output of :func:`paperscope.link_summary`.
    """
    counts = links["links"].value_counts().reindex(_ORDER, fill_value=0)
    fig = go.Figure(go.Bar(
        x=counts.index.tolist(), y=counts.to_numpy().tolist(),
        marker_color=[PALETTE[0], PALETTE[2], PALETTE[1], "#999999"],
        text=counts.to_numpy().tolist(), textposition="outside",
        hovertemplate="%{x}: %{y} papers<extra></extra>",
    ))
    fig.update_layout(xaxis_title="links in the abstract", yaxis_title="papers")
    return styled(fig, f"Papers that link code or a project page (of {len(links)})")
