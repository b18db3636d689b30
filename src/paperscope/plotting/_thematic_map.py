from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._style import PALETTE, escape, styled

#: Where each quadrant's name sits, as bibliometrix draws the strategic diagram.
_CORNERS = {
    "motor": (1, 1, "right", "top"),
    "niche": (0, 1, "left", "top"),
    "basic": (1, 0, "right", "bottom"),
    "emerging or declining": (0, 0, "left", "bottom"),
}
_QUADRANT_COLOURS = {"motor": PALETTE[3], "basic": PALETTE[0], "niche": PALETTE[2],
                     "emerging or declining": PALETTE[4]}


def thematic_map_chart(thematic_map: pd.DataFrame, *, title: str = "Thematic map") -> go.Figure:
    """Callon's strategic diagram of :func:`paperscope.thematic_map`: centrality × density.

    Every cluster on the map is a labelled bubble whose area is proportional
    to its papers; dashed lines at the medians split the four quadrants,
    named in their corners (with fewer than four clusters placed, no quadrant is named and the
    chart says so). Clusters without keywords (too few papers) are listed under the chart instead.
    """
    placed = thematic_map.dropna(subset=["centrality", "density"])
    left_out = thematic_map.loc[thematic_map["centrality"].isna(), "label"].tolist()
    fig = go.Figure()
    biggest = max(int(placed["size"].max()), 1) if len(placed) else 1
    named = placed["quadrant"].notna().any()  # too few clusters name no quadrant (thematic_map's note)
    for quadrant, colour in (_QUADRANT_COLOURS.items() if named else [("placed", "#555")]):
        part = placed[placed["quadrant"] == quadrant] if named else placed
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["centrality"], y=part["density"], mode="markers+text", name=quadrant,
            text=[escape(lbl) for lbl in part["label"]], textposition="top center",
            marker=dict(size=part["size"], sizemode="area", sizeref=2.0 * biggest / 60**2, sizemin=6,
                        color=colour, opacity=0.6, line=dict(width=1, color="white")),
            customdata=np.column_stack([part["size"], [escape(", ".join(k[:6]), 60) for k in part["keywords"]]]),
            hovertemplate=("<b>%{text}</b><br>%{customdata[0]} papers<br>centrality %{x:.2f}, "
                           "density %{y:.2f}<br>%{customdata[1]}<extra>" + quadrant + "</extra>"),
        ))
    c_mid = thematic_map.attrs.get("centrality_median", placed["centrality"].median())
    d_mid = thematic_map.attrs.get("density_median", placed["density"].median())
    if named and not (math.isnan(c_mid) or math.isnan(d_mid)):
        fig.add_vline(x=c_mid, line=dict(dash="dash", color="#777", width=1))
        fig.add_hline(y=d_mid, line=dict(dash="dash", color="#777", width=1))
    for name, (x, y, xanchor, yanchor) in _CORNERS.items() if named else ():
        fig.add_annotation(x=x, y=y, xref="paper", yref="paper", xanchor=xanchor, yanchor=yanchor,
                           text=f"<b>{name} themes</b>" if name != "emerging or declining"
                           else "<b>emerging or declining themes</b>",
                           showarrow=False, font=dict(color=_QUADRANT_COLOURS[name], size=13))
    below = [] if named else [f"Only {len(placed)} placed: too few to split into quadrants."]
    if left_out:
        below.append("Too few papers to place: " + ", ".join(left_out))
    if below:
        fig.add_annotation(x=0, y=-0.16, xref="paper", yref="paper", xanchor="left", showarrow=False,
                           text=escape(" ".join(below), 140), font=dict(size=11, color="#666"))
    fig.update_layout(xaxis_title="centrality (ties to other clusters)",
                      yaxis_title="density (internal cohesion)", height=600, legend_title="quadrant")
    return styled(fig, title)
