from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._style import colorbar, escape, styled


def theme_cooccurrence_chart(cooccurrence: pd.DataFrame, labels: dict[str, str] | None = None,
                             *, hide_empty: bool = True) -> go.Figure:
    """Heatmap of :func:`paperscope.theme_cooccurrence`: papers that carry both themes.

    Pass the co-occurrence of *direct* tags
    (``ps.theme_cooccurrence(papers, ps.direct_tags(tags))``): with inherited
    tags every child theme co-occurs with its parent on every paper, and those
    taxonomy links, not the data, make the darkest cells. The diagonal (a
    theme with itself) is blanked so that it does not swamp the colour scale;
    its count is in the prevalence chart.
    """
    co = cooccurrence
    if hide_empty:
        keep = [t for t in co.index if co.loc[t, t] > 0]
        co = co.loc[keep, keep]
    names = [escape((labels or {}).get(t, t)) for t in co.index]
    z = co.to_numpy().astype(float)
    np.fill_diagonal(z, np.nan)
    size = max(420, 30 * len(co) + 200)
    fig = go.Figure(go.Heatmap(
        z=z, x=names, y=names, colorscale="Blues", zmin=0, hoverongaps=False,
        text=co.to_numpy(), texttemplate="%{text}",
        hovertemplate="%{y} & %{x}: %{z} papers<extra></extra>",
        colorbar=colorbar("papers", size),
    ))
    fig.update_layout(height=size, xaxis=dict(tickangle=-45), yaxis=dict(autorange="reversed"))
    return styled(fig, "Themes that appear together")
