"""One look for every paperscope chart: colours, fonts, margins; and safe hover text."""

from __future__ import annotations

import hashlib
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

#: One colour per default theme, on every chart and page (a parent and its child differ).
THEME_COLOURS: dict[str, str] = {
    "llms": "#0072B2",
    "diffusion_models": "#E69F00",
    "diffusion_language_models": "#A6761D",  # a dark gold: its parent is orange, AI agents vermilion
    "generative_models": "#CC79A7",
    "reinforcement_learning": "#009E73",
    "agents": "#D55E00",
    "computer_vision": "#56B4E9",
    "robotics": "#8C564B",
    "speech_audio": "#9467BD",
    "pinns": "#17BECF",
    "neural_pde_solvers": "#1F3A93",
    "scientific_ml": "#2CA02C",
    "bayesian_optimization": "#BCBD22",
    "hyperparameter_optimization": "#7F7F7F",
    "bayesian_inference": "#E377C2",
    "parameter_efficient_finetuning": "#AA4499",
    "model_compression": "#882255",
    "continual_learning": "#44AA99",
    "astro_cosmology": "#332288",
    "graph_neural_networks": "#DDCC77",
    "uncertainty_quantification": "#117733",
    "optimization_theory": "#661100",
    "world_models": "#6699CC",
    "retrieval_augmented_generation": "#004949",
    "multilingual_nlp": "#999933",
}

#: 26 distinct colours (Plotly's "Alphabet") for topics and for user themes.
WIDE_PALETTE = ["#AA0DFE", "#3283FE", "#85660D", "#782AB6", "#565656", "#1C8356", "#16FF32", "#F7E1A0",
                "#E2E2E2", "#1CBE4F", "#C4451C", "#DEA0FD", "#FE00FA", "#325A9B", "#FEAF16", "#F8A19F",
                "#90AD1C", "#F6222E", "#1CFFCE", "#2ED9FF", "#B10DA1", "#C075A6", "#FC1CBF", "#B00068",
                "#FBE426", "#FA0087"]
# Too pale on white for a marker or a line: never used for topics.
_PALE = {"#F7E1A0", "#E2E2E2", "#16FF32", "#1CFFCE", "#FBE426"}
TOPIC_PALETTE = [c for c in WIDE_PALETTE if c not in _PALE] + ["#0072B2", "#E69F00", "#009E73",
                                                               "#D55E00", "#56B4E9"]
OUTLIER_COLOUR = "#BBBBBB"


#: What an empty theme chart says instead of drawing blank axes.
NO_THEME = "No paper carries a theme."


def say_no_theme(fig: go.Figure) -> None:
    """Write :data:`NO_THEME` in the middle of ``fig`` (a theme chart with nothing to draw)."""
    fig.add_annotation(text=NO_THEME, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)


def theme_colour(theme: str) -> str:
    """The colour of a theme: fixed for the default themes, derived from the id for any other.

    A user theme gets the same colour in every chart and every run (a hash of
    its id picks it), so a reader can follow it from page to page.
    """
    if theme in THEME_COLOURS:
        return THEME_COLOURS[theme]
    digest = int(hashlib.sha1(theme.encode("utf-8")).hexdigest(), 16)
    return TOPIC_PALETTE[digest % len(TOPIC_PALETTE)]


def topic_colour(topic: int) -> str:
    """The colour of a topic id (``-1``, the outliers, is grey); the same on every topic chart."""
    return OUTLIER_COLOUR if topic < 0 else TOPIC_PALETTE[int(topic) % len(TOPIC_PALETTE)]


def rgba(hex_colour: str, alpha: float) -> str:
    """``#RRGGBB`` as a CSS ``rgba()`` with the given opacity."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def colorbar(title: str, height: int) -> dict:
    """A colour bar of readable size on a chart ``height`` pixels tall."""
    return dict(title=title, thickness=14, lenmode="pixels", len=max(120, min(320, height - 160)),
                y=1, yanchor="top")


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
