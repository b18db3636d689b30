from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._style import escape, styled


def theme_cooccurrence_chart(cooccurrence: pd.DataFrame, labels: dict[str, str] | None = None,
                             *, hide_empty: bool = True) -> go.Figure:
    """Heatmap of :func:`paperscope.theme_cooccurrence`: papers that carry both themes.

    The diagonal (a theme with itself) is blanked so that it does not swamp
    the colour scale; its count is in the hover of the prevalence chart.
    """
    co = cooccurrence
    if hide_empty:
        keep = [t for t in co.index if co.loc[t, t] > 0]
        co = co.loc[keep, keep]
    names = [escape((labels or {}).get(t, t)) for t in co.index]
    z = co.to_numpy().astype(float)
    np.fill_diagonal(z, np.nan)
    fig = go.Figure(go.Heatmap(
        z=z, x=names, y=names, colorscale="Blues", zmin=0, hoverongaps=False,
        text=co.to_numpy(), texttemplate="%{text}",
        hovertemplate="%{y} & %{x}: %{z} papers<extra></extra>",
        colorbar=dict(title="papers"),
    ))
    size = max(420, 30 * len(co) + 200)
    fig.update_layout(height=size, xaxis=dict(tickangle=-45), yaxis=dict(autorange="reversed"))
    return styled(fig, "Themes that appear together")
