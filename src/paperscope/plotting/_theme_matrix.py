from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from ._style import PALETTE, escape, say_no_theme, styled

if TYPE_CHECKING:
    from ..themes import ThemeTags


def theme_matrix_chart(tags: ThemeTags, *, hide_empty: bool = True, max_papers: int = 60) -> go.Figure:
    """Paper × theme grid: a filled cell is a tag; hover shows the title and the evidence.

    Only the first ``max_papers`` papers are drawn (a grid of thousands of rows
    is unreadable and weighs megabytes in a report); the title says so.

    Parameters
    ----------
    tags
        The result of :func:`paperscope.tag_themes`: its papers give the rows,
        its themes and labels the columns (a user's theme under its own label).
    hide_empty
        Leave out the themes no drawn paper carries.
    max_papers
        Papers drawn, from the first.
    """
    from ..errors import PaperscopeError
    from ..themes import ThemeTags

    if not isinstance(tags, ThemeTags):
        raise PaperscopeError(f"theme_matrix_chart draws the result of ps.tag_themes (its papers give the titles "
                              f"and its tags the evidence), not a {type(tags).__name__}: pass tags, not tags.matrix()")
    papers = tags.papers
    total = len(papers)
    papers = papers.head(max_papers)
    labels = tags.labels
    hits = tags.frame.dropna(subset=["theme"])
    hits = hits[hits["paper_id"].isin(set(papers["paper_id"]))]
    themes = [t for t in tags.themes if not hide_empty or t in set(hits["theme"])]
    evidence = {(p, t): e for p, t, e in zip(hits["paper_id"], hits["theme"], hits["evidence"],
                                             strict=True)}
    ids, titles = papers["paper_id"].tolist(), papers["title"].tolist()
    z = np.array([[1.0 if (p, t) in evidence else np.nan for t in themes] for p in ids])
    hover = [[f"<b>{escape(title, 60)}</b><br>{escape(labels[t])}: "
              + (escape(evidence[(p, t)], 70) if (p, t) in evidence else "—")
              for t in themes] for p, title in zip(ids, titles, strict=True)]
    short = [escape(t if len(t) <= 60 else t[:59] + "…") for t in titles]  # the full title is on hover
    fig = go.Figure(go.Heatmap(
        z=z, x=[escape(labels[t]) for t in themes], y=list(range(len(ids))),
        colorscale=[[0, PALETTE[0]], [1, PALETTE[0]]], showscale=False, hoverongaps=False,
        xgap=1, ygap=1, text=hover, hovertemplate="%{text}<extra></extra>",
    ))
    # The theme names sit above the grid; the margin keeps the title clear of them.
    fig.update_layout(
        height=max(420, 20 * len(ids) + 260), margin=dict(t=230),
        title=dict(y=0.99, yref="container", yanchor="top"),
        xaxis=dict(side="top", tickangle=-45),
        yaxis=dict(autorange="reversed", tickmode="array", tickvals=list(range(len(ids))),
                   ticktext=short, tickfont=dict(size=11)),
    )
    if not themes:
        say_no_theme(fig)
    shown = f" — first {len(papers)} of {total} papers" if total > len(papers) else ""
    return styled(fig, f"Which paper carries which theme (hover for the evidence){shown}")
