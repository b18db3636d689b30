"""One executed notebook → one self-contained HTML page.

The HTML needs no network: plotly.js is inlined once per page (gzip +
base64, unpacked by the browser), and the CDN scripts of nbconvert's template
(require.js, MathJax, mermaid) are left out because nothing in a report uses
them. Figure data sits in ``<script type="application/json">`` with ``<``,
``>`` and ``&`` escaped, so paper text can never become markup.
"""

from __future__ import annotations

import base64
import functools
import gzip
import re
from pathlib import Path

import nbformat

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: The mark of a page paperscope wrote (nbconvert may reorder the tag's attributes).
GENERATOR = re.compile(r'<meta[^>]*(?:name="generator"[^>]*content="paperscope|'
                       r'content="paperscope[^"]*"[^>]*name="generator")')
PLOTLY_MIME = "application/vnd.plotly.v1+json"


@functools.cache
def _plotly_js_gz() -> str:
    """plotly.js, gzip-compressed and base64-encoded (1.9 MB instead of 4.8 MB).

    ``mtime=0`` keeps the bytes, and so the pages, identical from run to run.
    """
    from plotly.offline import get_plotlyjs

    return base64.b64encode(gzip.compress(get_plotlyjs().encode(), 9, mtime=0)).decode("ascii")


def _script_json(obj: object) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever the strings hold.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes, so a paper title containing
    ``</script>`` cannot end the element.
    """
    import plotly.io as pio

    text = pio.to_json(obj, validate=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline_figures(nb: nbformat.NotebookNode) -> int:
    """Turn Plotly's mimetype outputs into a div plus the figure's JSON.

    The page's loader draws each div from its JSON. Div ids are numbered in
    page order, so the same notebook gives the same page.
    """
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                count += 1
                fig = dict(data[PLOTLY_MIME])
                fig["config"] = {"displaylogo": False, "responsive": True}
                height = (fig.get("layout") or {}).get("height") or 450
                div_id = f"paperscope-figure-{count}"
                output["data"] = {"text/html": (
                    f'<div id="{div_id}" class="paperscope-figure" style="height:{int(height)}px">'
                    f'</div><script type="application/json" class="paperscope-figure-data" '
                    f'data-target="{div_id}">{_script_json(fig)}</script>'
                )}
    return count


def page_title(nb: nbformat.NotebookNode, default: str) -> str:
    """The first line of the notebook's first Markdown cell, without the ``#``."""
    return next((c.source.splitlines()[0].lstrip("# ").strip()
                 for c in nb.cells if c.cell_type == "markdown" and c.source.strip()), default)


def export_html(nb: nbformat.NotebookNode, *, title: str, show_code: bool = False) -> tuple[str, int]:
    """Export an executed notebook as one self-contained HTML page.

    Parameters
    ----------
    nb
        The executed notebook (its Plotly outputs are rewritten in place).
    title
        The page's ``<title>``.
    show_code
        Keep the code cells (hidden by default: a report is for readers).

    Returns
    -------
    (str, int)
        The page and the number of figures on it.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    from .. import __version__

    figures = _inline_figures(nb)
    exporter = HTMLExporter(
        template_name="paperscope_report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    # A kernel under load may flush print()'s text and its newline as two stream outputs:
    # merged, the page is the same however the output was chunked.
    exporter.register_preprocessor(CoalesceStreamsPreprocessor, enabled=True)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(
        nb, resources={
            "plotly_js_gz": _plotly_js_gz(),
            "loader_js": (TEMPLATES / "paperscope_report" / "loader.js").read_text(),
            "paperscope_version": __version__,
        }
    )
    return body, figures
