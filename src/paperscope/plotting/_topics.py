from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ._style import PALETTE, colorbar, escape, styled, topic_colour

#: Papers the topic map draws at most; a bigger corpus shows a deterministic sample of them.
MAX_MAP_POINTS = 20_000


def topic_map(assignments: pd.DataFrame, topics: pd.DataFrame, *, max_points: int | None = MAX_MAP_POINTS
              ) -> go.Figure:
    """Papers in 2-D, coloured by topic and labelled with the topic number at its centre.

    Takes ``Topics.assignments`` and ``Topics.topics`` from :func:`paperscope.fit_topics`.
    The legend lists the topics in number order (outliers last); each topic has
    the colour it has on every topic chart (:func:`paperscope.plotting.topic_colour`),
    and the number on the map names it even where two colours look alike.
    Above ``max_points`` papers (``None``: no limit) the map draws a sample of
    that many (the same papers in every run: smallest hashes of their ids) and
    its title says so; the legend still counts every paper of each topic, and
    each topic number sits at the median of all its papers.
    """
    from ..clustering import sample_indices

    order = sorted(topics["topic"].tolist()) + [-1]
    labels = dict(zip(topics["topic"], topics["label"], strict=True)) | {-1: "outliers"}
    everyone = dict(tuple(assignments.groupby("topic", sort=False)))
    drawn = assignments
    if max_points is not None and len(assignments) > max_points:
        drawn = assignments.iloc[sample_indices(assignments["paper_id"].astype(str).tolist(), max_points)]
    groups = dict(tuple(drawn.groupby("topic", sort=False)))
    # Traces and annotations are handed over at once: Figure.add_annotation copies the layout
    # on every call, so 500 topics took a minute one by one.
    traces, notes = [], []
    for topic in order:
        if topic not in groups:
            continue
        pts, members = groups[topic], everyone[topic]
        conf = pts["confidence"].fillna(0).round(2)
        traces.append(go.Scattergl(
            x=pts["x"], y=pts["y"], mode="markers", name=escape(f"{topic}: {labels[topic]} ({len(members)})"),
            marker=dict(size=8 if len(assignments) < 2000 else 4,
                        color=topic_colour(topic), opacity=0.85,
                        line=dict(width=0.5, color="white")),
            text=[escape(t, 70) for t in pts["title"]],
            customdata=np.column_stack([conf, pts["reassigned"].map({True: " (reassigned)",
                                                                     False: ""})]),
            hovertemplate=("%{text}<br>" + escape(labels[topic]) +
                           " — similarity %{customdata[0]}%{customdata[1]}<extra></extra>"),
        ))
        if topic >= 0:
            notes.append(dict(x=float(members["x"].median()), y=float(members["y"].median()),
                              text=f"<b>{topic}</b>", showarrow=False, font=dict(size=13, color="#222"),
                              bgcolor="rgba(255,255,255,0.75)", borderpad=2))
    fig = go.Figure(data=traces)
    fig.update_layout(annotations=notes, xaxis=dict(visible=False), yaxis=dict(visible=False),
                      legend=dict(title="topic", itemsizing="constant", traceorder="normal"), height=600)
    shown = (f"{len(assignments)} papers" if len(drawn) == len(assignments)
             else f"{len(drawn):,} of {len(assignments):,} papers drawn")
    return styled(fig, f"Topic map ({shown}; nearby papers are similar)")


def topic_sizes(topics: pd.DataFrame) -> go.Figure:
    """Papers per topic, with the topic's top terms on hover."""
    ordered = topics.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=ordered["size"], y=[escape(f"{t}: {lbl}") for t, lbl in zip(ordered["topic"],
                                                                        ordered["label"], strict=True)],
        orientation="h", marker_color=[topic_colour(t) for t in ordered["topic"]],
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
    height = max(360, 36 * len(y) + 240)
    fig = go.Figure(go.Heatmap(
        z=table.to_numpy(), x=x, y=y, colorscale="Blues", zmin=0,
        text=table.to_numpy(), texttemplate="%{text}",
        hovertemplate="%{y} × %{x}: %{z} papers<extra></extra>", colorbar=colorbar("papers", height),
    ))
    fig.update_layout(height=height, xaxis=dict(tickangle=-45),
                      yaxis=dict(autorange="reversed"))
    return styled(fig, "Which curated themes each topic holds")


def topics_over_time_chart(over_time: pd.DataFrame) -> go.Figure:
    """Topic × period heatmap: the share of each period's papers in each topic.

    Takes :func:`paperscope.topics_over_time`. Only periods with enough papers
    (``drawn``) are shown; the cell text is the number of papers, the colour
    the share, so a topic that grows reads as a row that darkens.
    """
    data = over_time[over_time["drawn"]] if "drawn" in over_time else over_time
    periods = data[["period", "period_label", "papers"]].drop_duplicates().sort_values("period")
    topics = data[["topic", "topic_label"]].drop_duplicates()
    rank = topics["topic"].where(topics["topic"] >= 0, 10**9)
    topics = topics.assign(_r=rank).sort_values("_r")
    share = data.pivot_table(index="topic", columns="period", values="share", aggfunc="first")
    count = data.pivot_table(index="topic", columns="period", values="count", aggfunc="first")
    share = share.reindex(index=topics["topic"], columns=periods["period"])
    count = count.reindex(index=topics["topic"], columns=periods["period"])
    x = [f"{lbl} ({n})" for lbl, n in zip(periods["period_label"], periods["papers"], strict=True)]
    y = [escape(f"{t}: {lbl}") for t, lbl in zip(topics["topic"], topics["topic_label"], strict=True)]
    height = max(360, 28 * len(y) + 220)
    fig = go.Figure(go.Heatmap(
        z=(share.to_numpy() * 100).round(1), x=x, y=y, colorscale="Blues", zmin=0,
        text=count.to_numpy(), texttemplate="%{text}",
        hovertemplate="%{y}<br>%{x}: %{z:.1f} % of the papers (%{text})<extra></extra>",
        colorbar=colorbar("% of period", height),
    ))
    fig.update_layout(height=height, xaxis=dict(title="period (papers)", tickangle=-30),
                      yaxis=dict(autorange="reversed"))
    return styled(fig, "Topics over time: share of each period's papers (cell: papers in the topic)")
