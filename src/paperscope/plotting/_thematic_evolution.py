from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from ._style import PALETTE, escape, styled


def thematic_evolution_chart(evolution: Any, *, title: str = "Thematic evolution") -> go.Figure:
    """Sankey diagram of :func:`paperscope.thematic_evolution`: clusters per period, linked by shared keywords.

    Each column is a period and each node a cluster of that period, labelled
    with its name (and papers on hover); a band's width is the inclusion
    index of the two clusters' keywords, its hover lists the shared keywords.
    """
    nodes, links, periods = evolution.nodes, evolution.links, list(evolution.periods)
    keys = list(zip(nodes["period"], nodes["cluster"], strict=True))
    index = {k: i for i, k in enumerate(keys)}
    column = {p: i for i, p in enumerate(periods)}
    clusters = list(dict.fromkeys(nodes["cluster"]))
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(clusters)}
    # One column per period, nodes spread evenly down it (Plotly needs both x and y to keep columns).
    per_period = nodes.groupby("period", sort=False).cumcount().to_numpy()
    counts = nodes["period"].map(nodes["period"].value_counts()).to_numpy()
    xs = [0.001 + 0.998 * column[p] / max(len(periods) - 1, 1) for p in nodes["period"]]
    ys = [0.001 + 0.998 * (j + 0.5) / n for j, n in zip(per_period, counts, strict=True)]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(
            label=[escape(f"{lbl} ({p})") for p, lbl in zip(nodes["period"], nodes["label"], strict=True)],
            x=xs, y=ys, pad=12, thickness=14,
            color=[colour[c] for c in nodes["cluster"]],
            customdata=[escape(", ".join(k[:6]), 60) for k in nodes["keywords"]],
            hovertemplate="%{label}<br>%{customdata}<extra></extra>",
        ),
        link=dict(
            source=[index[(p, c)] for p, c in zip(links["source_period"], links["source"], strict=True)],
            target=[index[(p, c)] for p, c in zip(links["target_period"], links["target"], strict=True)],
            value=links["inclusion"].tolist(),
            color=[_rgba(colour[c]) for c in links["source"]],
            customdata=[escape(", ".join(s), 60) for s in links["shared"]],
            hovertemplate=("%{source.label} → %{target.label}<br>inclusion %{value:.2f}"
                           "<br>shared: %{customdata}<extra></extra>"),
        ),
    ))
    tallest = int(nodes["period"].value_counts().max()) if len(nodes) else 1
    fig.update_layout(height=max(420, 34 * tallest + 160))
    return styled(fig, title)


def _rgba(hex_colour: str, alpha: float = 0.35) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
