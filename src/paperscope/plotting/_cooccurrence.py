from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._style import colorbar, escape, say_no_theme, styled

if TYPE_CHECKING:
    from ..themes import ThemeTags


def theme_cooccurrence_chart(cooccurrence: pd.DataFrame | ThemeTags, labels: dict[str, str] | None = None,
                             *, direct_only: bool = True, hide_empty: bool = True) -> go.Figure:
    """Heatmap of papers that carry both themes.

    The diagonal (a theme with itself) is blanked so that it does not swamp
    the colour scale; its count is in the hover of the prevalence chart.

    Parameters
    ----------
    cooccurrence
        The result of :func:`paperscope.tag_themes` (labels from it; counted
        with ``direct_only``), or a frame from its ``.cooccurrence()``.
    labels
        Theme id → label (default: the labels a frame from ``.cooccurrence()``
        carries, else the theme ids).
    direct_only
        For a result: count only the tags found in each paper, not those a
        parent inherits from its child (which would tie every parent to
        each of its children).
    hide_empty
        Leave out the themes no paper carries.
    """
    direct = False
    if isinstance(cooccurrence, pd.DataFrame):
        co = cooccurrence
        labels = {**co.attrs.get("labels", {}), **(labels or {})}
    else:
        direct = direct_only
        co = cooccurrence.cooccurrence(direct_only=direct_only)
        labels = {**cooccurrence.labels, **(labels or {})}
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
    if co.empty:
        say_no_theme(fig)
    title = "Themes that appear together"
    return styled(fig, title + (" (tags found in the paper, not inherited)" if direct else ""))
