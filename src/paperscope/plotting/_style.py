"""One look for every paperscope chart: colours, fonts, margins; and safe hover text."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio

#: Okabe–Ito: distinguishable for colour-blind readers and in greyscale prints.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000"]

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family="Inter, Helvetica, Arial, sans-serif", size=13, color="#222"),
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=60, r=30, t=60, b=50),
        xaxis=dict(gridcolor="#e5e5e5", zeroline=False, automargin=True),
        yaxis=dict(gridcolor="#e5e5e5", zeroline=False, automargin=True),
        hoverlabel=dict(align="left"),
        title=dict(x=0.01, xanchor="left"),
    )
)
pio.templates["paperscope"] = TEMPLATE


def styled(fig: go.Figure, title: str) -> go.Figure:
    """Apply the paperscope template and a title."""
    fig.update_layout(template=TEMPLATE, title_text=title)
    return fig


def escape(text: object, width: int = 0) -> str:
    """Text from a paper, made safe to show in a Plotly label.

    Plotly renders a subset of HTML in labels; a title like
    ``<img src=x onerror=...>`` must show as text, never as markup.
    ``width`` wraps long text with ``<br>`` (our own, added after escaping).
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    safe = html.escape(str(text), quote=True)
    if width <= 0:
        return safe
    words, lines, line = safe.split(" "), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)
