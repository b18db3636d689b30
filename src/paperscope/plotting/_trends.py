from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..errors import PaperscopeError
from ._style import escape, rgba, say_no_theme, styled, theme_colour

if TYPE_CHECKING:
    from ..themes import ThemeTags


def _midpoints(data: pd.DataFrame) -> pd.Series:
    if "period_end" in data:
        return data["period"] + (data["period_end"] - data["period"]) / 2
    return data["period"]


def theme_trends_chart(trends: pd.DataFrame | ThemeTags, themes: list[str] | None = None, *,
                       columns: int = 3) -> go.Figure:
    """Small multiples: one panel per theme, its share of each period's papers, with the interval band.

    Takes :func:`paperscope.theme_trends`. Only periods with enough papers
    (``drawn``) are drawn; a wider period (a pooled year or span of years)
    sits at its middle and its hover names it. Each theme keeps its colour
    (:func:`paperscope.plotting.theme_colour`).

    Parameters
    ----------
    trends
        Output of :func:`paperscope.theme_trends` (``tags.trends(...)``); the tags themselves
        (:func:`paperscope.tag_themes`) draw ``tags.trends()`` with its defaults.
    themes
        Themes to draw, in order. Default: the six most common overall, then every other theme
        that :func:`paperscope.rising_themes` calls rising or falling (its defaults), so that
        the chart shows what moved; the title says which were chosen.
    columns
        Panels per row.
    """
    from ..themes import ThemeTags

    if isinstance(trends, ThemeTags):
        trends = trends.trends()
    if not isinstance(trends, pd.DataFrame) or not {"theme", "period", "share", "tagged"} <= set(trends.columns):
        columns = f" with columns {list(trends.columns)[:6]}" if isinstance(trends, pd.DataFrame) else ""
        raise PaperscopeError(f"theme_trends_chart draws theme trends — tags.trends(freq=...) or "
                              f"ps.theme_trends — not {type(trends).__name__}{columns}")
    if isinstance(themes, str):  # one theme
        themes = [themes]
    chosen = themes is None
    if themes is None:
        totals = trends.groupby("theme", sort=False)["tagged"].sum()
        themes = totals[totals > 0].sort_values(ascending=False, kind="stable").index[:6].tolist()
        themes += [t for t in _clear_changes(trends) if t not in themes]
    known = dict.fromkeys(trends["theme"])
    unknown = [t for t in themes if t not in known]
    if unknown:  # (an empty panel would look like a theme no paper has)
        by_label = dict(zip(trends["label"], trends["theme"], strict=False)) if "label" in trends else {}
        hint = f" (the id of {unknown[0]!r} is {by_label[unknown[0]]!r})" if unknown[0] in by_label else ""
        raise PaperscopeError(f"themes {unknown} are not in these trends{hint}; choose from {list(known)}")
    shown = trends[trends["drawn"]] if "drawn" in trends else trends
    # Labels from every row: a theme with no period drawn (a small corpus) keeps its label too
    named = (trends.drop_duplicates("theme").set_index("theme")["label"] if "label" in trends
             else pd.Series(dtype=object))
    labels = {t: str(named[t]) if t in named.index and pd.notna(named[t]) else t for t in themes}
    rows = max(1, math.ceil(len(themes) / columns))
    cols = min(columns, max(1, len(themes)))
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, vertical_spacing=0.12,
                        horizontal_spacing=0.06, subplot_titles=[escape(labels[t]) for t in themes] or None)
    level = round(100 * trends.attrs.get("confidence", 0.95))
    for i, theme in enumerate(themes):
        row, col = i // cols + 1, i % cols + 1
        data = shown[shown["theme"] == theme].sort_values("period")
        colour = theme_colour(theme)
        x = _midpoints(data)
        label = escape(labels[theme])
        fig.add_trace(go.Scatter(
            x=pd.concat([x, x[::-1]]), y=pd.concat([data["ci_high"], data["ci_low"][::-1]]),
            fill="toself", fillcolor=rgba(colour, 0.18), line=dict(width=0),
            hoverinfo="skip", showlegend=False, legendgroup=theme,
        ), row=row, col=col)
        period = data["period_label"] if "period_label" in data else data["period"].dt.strftime("%Y-%m-%d")
        fig.add_trace(go.Scatter(
            x=x, y=data["share"], mode="lines+markers", name=label, showlegend=False,
            line=dict(color=colour, width=2), marker=dict(color=colour, size=6), legendgroup=theme,
            customdata=list(zip(period.astype(str), data["tagged"], data["papers"], data["ci_low"],
                                data["ci_high"], strict=True)),
            hovertemplate=(f"{label}<br>%{{customdata[0]}}: %{{y:.1%}} "
                           "(%{customdata[1]} of %{customdata[2]} papers)<br>"
                           f"{level}% interval %{{customdata[3]:.1%}} – %{{customdata[4]:.1%}}<extra></extra>"),
        ), row=row, col=col)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_layout(height=max(320, 260 * rows + 80), hovermode="closest")
    if chosen and not themes:  # (the default picks the themes papers carry: here none)
        say_no_theme(fig)
    minimum = trends.attrs.get("min_papers")
    note = f"; periods with ≥ {minimum} papers" if minimum and minimum > 1 else ""
    which = " — the six most common themes and each that rose or fell clearly" if chosen else ""
    return styled(fig, f"Share of papers carrying each theme, per period{which} "
                       f"(bands: {level}% Wilson interval{note})")


def _clear_changes(trends: pd.DataFrame) -> list[str]:
    """The themes :func:`paperscope.rising_themes` calls rising or falling, largest change first;
    none when the trends have too few periods to compare."""
    from ..trends import rising_themes

    try:
        changes = rising_themes(trends)
    except PaperscopeError:
        return []
    clear = changes[changes["clear"]]
    return clear.sort_values("change", key=abs, ascending=False, kind="stable")["theme"].tolist()
