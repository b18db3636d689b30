from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._style import PALETTE, escape, styled


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def theme_trends_chart(trends: pd.DataFrame, themes: list[str] | None = None) -> go.Figure:
    """Share of papers per period for each theme, with its confidence band.

    Takes :func:`paperscope.theme_trends`; ``themes`` picks and orders the lines
    (default: the six most common overall).
    """
    if themes is None:
        totals = trends.groupby("theme", sort=False)["tagged"].sum()
        themes = totals[totals > 0].sort_values(ascending=False, kind="stable").index[:6].tolist()
    fig = go.Figure()
    for i, theme in enumerate(themes):
        data = trends[trends["theme"] == theme].sort_values("period")
        colour = PALETTE[i % len(PALETTE)]
        label = escape(data["label"].iloc[0]) if len(data) else escape(theme)
        fig.add_trace(go.Scatter(
            x=pd.concat([data["period"], data["period"][::-1]]),
            y=pd.concat([data["ci_high"], data["ci_low"][::-1]]),
            fill="toself", fillcolor=_rgba(colour, 0.15), line=dict(width=0),
            hoverinfo="skip", showlegend=False, legendgroup=theme,
        ))
        fig.add_trace(go.Scatter(
            x=data["period"], y=data["share"], mode="lines+markers", name=label,
            line=dict(color=colour), legendgroup=theme,
            customdata=data[["tagged", "papers", "ci_low", "ci_high"]].to_numpy(),
            hovertemplate=(f"{label}<br>%{{x|%Y-%m-%d}}: %{{y:.1%}} "
                           "(%{customdata[0]} of %{customdata[1]} papers)<br>"
                           "95% CI %{customdata[2]:.1%} – %{customdata[3]:.1%}<extra></extra>"),
        ))
    fig.update_layout(yaxis=dict(title="share of papers", tickformat=".0%", rangemode="tozero"),
                      xaxis_title="period", hovermode="closest")
    return styled(fig, "Theme share over time (bands: 95% Wilson interval)")
