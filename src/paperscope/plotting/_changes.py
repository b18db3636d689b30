from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..errors import PaperscopeError, check_table
from ._style import escape, styled, theme_colour


def theme_changes_chart(changes: pd.DataFrame, *, n: int = 12) -> go.Figure:
    """Ranked dumbbells: each theme's share before and since the split, biggest changes first.

    Takes :func:`paperscope.rising_themes` or ``Findings.changes`` (percent columns). A hollow
    dot is the earlier share, a filled dot the recent one; the text gives the
    change in percentage points and its interval, in bold where the change
    clears its uncertainty. Themes carried by no paper in either part are left
    out; at most ``n`` themes, those with the largest changes up or down.
    """
    if changes is None:
        raise PaperscopeError("no theme changes to chart: the corpus has no dates, or they fall in one period "
                              "(Findings.changes is None; Findings.params['no_changes'] says why)")
    check_table(changes, {"theme", "label"}, "theme_changes_chart takes ps.rising_themes(...) or Findings.changes")
    attrs = dict(changes.attrs)
    if "earlier_share" not in changes and "earlier_pct" in changes:  # Findings.changes: percent
        changes = changes.assign(**{new: changes[old] / 100 for new, old in (
            ("earlier_share", "earlier_pct"), ("recent_share", "recent_pct"), ("change", "change_pp"),
            ("change_low", "change_low_pp"), ("change_high", "change_high_pp"))})
    data = changes[(changes["earlier_tagged"] + changes["recent_tagged"]) > 0] \
        if "earlier_tagged" in changes else changes
    data = data.assign(_size=data["change"].abs().round(9)).sort_values(
        ["_size", "theme"], ascending=[False, True], kind="stable").head(n)
    data = data.sort_values(["change", "theme"], ascending=[True, True], kind="stable")
    fig = go.Figure()
    names = [escape(lbl) for lbl in data["label"]]
    for name, (_, row) in zip(names, data.iterrows(), strict=True):
        colour = theme_colour(row["theme"])
        fig.add_trace(go.Scatter(
            x=[row["earlier_share"], row["recent_share"]], y=[name, name], mode="lines+markers",
            line=dict(color=colour, width=3),
            marker=dict(size=[10, 12], color=["white", colour], line=dict(color=colour, width=2)),
            showlegend=False,
            hovertemplate=(f"{name}<br>%{{x:.1%}}<extra></extra>"),
        ))
    text = []
    for _, row in data.iterrows():
        pp = f"{100 * row['change']:+.1f} pp [{100 * row['change_low']:+.1f}, {100 * row['change_high']:+.1f}]"
        text.append(f"<b>{pp}</b>" if row["clear"] else pp)
    right = float(data[["earlier_share", "recent_share"]].max().max()) if len(data) else 1.0
    fig.add_trace(go.Scatter(
        x=[right * 1.04] * len(data), y=names, mode="text", text=text, textposition="middle right",
        showlegend=False, hoverinfo="skip", cliponaxis=False,
    ))
    split = attrs.get("split")
    when = f"since {pd.Timestamp(split):%Y-%m}" if split is not None else "recent"
    level = round(100 * attrs.get("confidence", 0.95))
    fig.update_layout(
        xaxis=dict(title=f"share of papers (○ before, ● {when})", tickformat=".0%", rangemode="tozero",
                   range=[0, right * 1.45]),
        height=max(320, 34 * len(data) + 140), margin=dict(r=40),
    )
    return styled(fig, f"Rising and falling themes: share before vs {when} "
                       f"(change in points, {level}% interval; bold = clear)")
