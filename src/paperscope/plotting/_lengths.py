from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._style import styled


def abstract_lengths(papers: pd.DataFrame, *, bin_size: int = 25) -> go.Figure:
    """Histogram of abstract length in words, one bar per ``bin_size`` words.

    Papers without an abstract (0 words) are counted in the title, not binned,
    so a loader problem shows up instead of hiding in the first bar.
    """
    has = papers["n_words"] > 0
    words = papers.loc[has, "n_words"].astype("int64")
    fig = go.Figure(go.Histogram(
        x=words, xbins=dict(start=0, size=bin_size), marker_color="#0072B2",
        hovertemplate="%{x} words: %{y} papers<extra></extra>",
    ))
    missing = int((~has).sum())
    note = f" — {missing} without abstract" if missing else ""
    median = int(words.median()) if len(words) else 0
    fig.update_layout(xaxis_title="words in abstract", yaxis_title="papers", bargap=0.05)
    return styled(fig, f"Abstract length ({len(words)} papers, median {median} words{note})")
