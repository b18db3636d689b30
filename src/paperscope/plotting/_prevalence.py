from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from ._style import escape, say_no_theme, styled, theme_colour

if TYPE_CHECKING:
    from ..themes import ThemeTags


def theme_prevalence_chart(prevalence: pd.DataFrame | ThemeTags, *, hide_empty: bool = True) -> go.Figure:
    """Horizontal bars of papers per theme, with their share.

    Takes the result of :func:`paperscope.tag_themes` or the frame of its
    ``.prevalence()``. Each bar has its theme's colour. Themes no paper
    carries are left out unless ``hide_empty=False``.
    """
    if not isinstance(prevalence, pd.DataFrame):
        prevalence = prevalence.prevalence()
    data = prevalence[prevalence["papers"] > 0] if hide_empty else prevalence
    ordered = data.iloc[::-1]
    share = (ordered["share"] * 100).round(1)
    fig = go.Figure(go.Bar(
        x=ordered["papers"], y=[escape(t) for t in ordered["label"]], orientation="h",
        marker_color=[theme_colour(t) for t in ordered["theme"]],
        text=[f"{n} ({s:.1f} %)" for n, s in zip(ordered["papers"], share, strict=True)],
        textposition="outside", cliponaxis=False,
        customdata=ordered["theme"],
        hovertemplate="%{y} (%{customdata}): %{x} papers<extra></extra>",
    ))
    fig.update_layout(xaxis_title="papers", height=max(320, 26 * len(data) + 120))
    if data.empty:
        say_no_theme(fig)
    return styled(fig, "Theme prevalence (a paper can carry several themes)")
