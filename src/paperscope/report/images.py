"""Charts as static image files (PNG, SVG) for slides: kaleido with the machine's Chromium, offline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat

from ..errors import PaperscopeError
from .html import PLOTLY_MIME


def notebook_figures(nb: nbformat.NotebookNode) -> list:
    """The Plotly figures of an executed notebook, in page order, as ``go.Figure``."""
    import plotly.graph_objects as go

    return [go.Figure(output["data"][PLOTLY_MIME]) for cell in nb.cells
            for output in cell.get("outputs", []) if PLOTLY_MIME in output.get("data", {})]


def image_names(count: int, formats: tuple[str, ...] = ("png", "svg")) -> list[str]:
    """File names :func:`write_images` gives ``count`` figures: ``figure-01.png``, ``figure-01.svg``, …"""
    return [f"figure-{n:02d}.{fmt}" for n in range(1, count + 1) for fmt in formats]


def save_images(
    nb: nbformat.NotebookNode, folder: str | os.PathLike[str], formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Write every Plotly figure of an executed notebook as image files.

    Files are named ``figure-01.png`` … in page order. Needs kaleido and a
    Chromium on the machine (Debian's ``chromium``); no network. An existing
    file is never replaced: the call stops with an error first.
    """
    return write_images(notebook_figures(nb), folder, formats)


def write_images(figures: list, folder: str | os.PathLike[str],
                 formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write figures as ``figure-NN.<fmt>`` files under ``folder`` (kaleido, offline).

    Raises
    ------
    PaperscopeError
        When one of the files already exists (nothing is written then), or
        when no Chromium is installed.
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    bad = next(((n, f) for n, f in enumerate(figures, start=1) if not isinstance(f, go.Figure)), None)
    if bad is not None:  # before any folder is made (a list of numbers left an empty folder behind)
        raise PaperscopeError(f"write_images takes Plotly figures (ps.plotting charts); item {bad[0]} is "
                              f"{type(bad[1]).__name__}")
    unknown = sorted(set(formats) - {"png", "svg", "pdf", "jpeg", "webp"})
    if unknown:
        raise PaperscopeError(f"formats {unknown}: choose from png, svg, pdf, jpeg, webp")
    folder = Path(folder)
    targets = [folder / name for name in image_names(len(figures), formats)]
    taken = [t for t in targets if t.exists() or t.is_symlink()]
    if taken:
        raise PaperscopeError(f"{taken[0]}: exists; refusing to overwrite it. Choose another folder.")
    _use_system_chromium()
    folder.mkdir(parents=True, exist_ok=True)
    for n, fig in enumerate(figures, start=1):
        for fmt in formats:
            path = folder / f"figure-{n:02d}.{fmt}"
            pio.write_image(fig, path, format=fmt, width=1000, height=600, scale=2 if fmt == "png" else 1)
    return targets


def _use_system_chromium() -> None:
    """Point kaleido at the machine's Chromium (it must never download one)."""
    if os.environ.get("BROWSER_PATH"):
        return
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            os.environ["BROWSER_PATH"] = found
            return
    raise PaperscopeError(
        "static images need a Chromium: install Debian's `chromium` (apt-get install -y chromium)"
    )
