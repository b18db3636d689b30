from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._style import PALETTE, escape, styled

_GREY = "#BBBBBB"


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def topic_map(assignments: pd.DataFrame, topics: pd.DataFrame) -> go.Figure:
    """Papers in 2-D, coloured by topic; hover shows the title, topic and confidence.

    Takes ``Topics.assignments`` and ``Topics.topics`` from :func:`paperscope.fit_topics`.
    """
    fig = go.Figure()
    order = topics["topic"].tolist() + [-1]
    labels = dict(zip(topics["topic"], topics["label"], strict=True)) | {-1: "outliers"}
    for i, topic in enumerate(order):
        pts = assignments[assignments["topic"] == topic]
        if pts.empty:
            continue
        conf = pts["confidence"].fillna(0).round(2)
        fig.add_trace(go.Scattergl(
            x=pts["x"], y=pts["y"], mode="markers", name=escape(f"{topic}: {labels[topic]}"),
            marker=dict(size=8 if len(assignments) < 2000 else 4,
                        color=_GREY if topic == -1 else _colour(i), opacity=0.85,
                        line=dict(width=0.5, color="white")),
            text=[escape(t, 70) for t in pts["title"]],
            customdata=np.column_stack([conf, pts["reassigned"].map({True: " (reassigned)",
                                                                     False: ""})]),
            hovertemplate=("%{text}<br>" + escape(labels[topic]) +
                           " — similarity %{customdata[0]}%{customdata[1]}<extra></extra>"),
        ))
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False),
                      legend=dict(title="topic", itemsizing="constant"), height=560)
    return styled(fig, f"Topic map ({len(assignments)} papers; nearby papers are similar)")


def topic_sizes(topics: pd.DataFrame) -> go.Figure:
    """Papers per topic, with the topic's top terms on hover."""
    ordered = topics.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=ordered["size"], y=[escape(f"{t}: {lbl}") for t, lbl in zip(ordered["topic"],
                                                                        ordered["label"], strict=True)],
        orientation="h", marker_color=[_colour(i) for i in range(len(topics))][::-1],
        text=ordered["size"], textposition="outside", cliponaxis=False,
        customdata=[escape(", ".join(terms)) for terms in ordered["top_terms"]],
        hovertemplate="%{y}: %{x} papers<br>%{customdata}<extra></extra>",
    ))
    fig.update_layout(xaxis_title="papers", height=max(300, 30 * len(topics) + 120))
    return styled(fig, "Topic sizes")


def topic_hierarchy(features: np.ndarray, assignments: pd.DataFrame,
                    topics: pd.DataFrame) -> go.Figure:
    """Dendrogram of topics by the cosine distance between their centroids.

    Topics that merge low are close in content: candidates to read together
    (or to merge).
    """
    import plotly.figure_factory as ff
    from scipy.cluster.hierarchy import linkage

    ids = topics["topic"].tolist()
    labels = [escape(f"{t}: {lbl}") for t, lbl in zip(ids, topics["label"], strict=True)]
    if len(ids) < 2:
        fig = go.Figure()
        fig.add_annotation(text="Only one topic: no hierarchy to draw.", showarrow=False)
        return styled(fig, "Topic hierarchy")
    cents = np.stack([features[(assignments["topic"] == t).to_numpy()].mean(axis=0) for t in ids])
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    fig = ff.create_dendrogram(
        cents, orientation="left", labels=labels,
        distfun=lambda x: np.clip(1 - (x @ x.T)[np.triu_indices(len(x), 1)], 0, None),
        linkagefun=lambda d: linkage(d, method="average"),
        colorscale=PALETTE,
    )
    fig.update_layout(xaxis_title="cosine distance between topic centroids",
                      height=max(300, 40 * len(ids) + 120), showlegend=False)
    return styled(fig, "Topic hierarchy")


def topic_theme_heatmap(table: pd.DataFrame, labels: dict[str, str] | None = None) -> go.Figure:
    """Heatmap of :func:`paperscope.topics.topic_themes`: papers per (topic, theme)."""
    x = [escape((labels or {}).get(t, t)) for t in table.columns]
    y = [escape(t) for t in table.index]
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=x, y=y, colorscale="Blues", zmin=0,
        text=table.to_numpy(), texttemplate="%{text}",
        hovertemplate="%{y} × %{x}: %{z} papers<extra></extra>", colorbar=dict(title="papers"),
    ))
    fig.update_layout(height=max(320, 36 * len(y) + 220), xaxis=dict(tickangle=-45),
                      yaxis=dict(autorange="reversed"))
    return styled(fig, "Which curated themes each topic holds")
