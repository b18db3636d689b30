"""Reports: run every notebook on a corpus and export self-contained HTML pages.

The committed notebooks are never modified: each runs on a copy (papermill
injects the corpus into its ``parameters`` cell) and the copy is exported. The
HTML needs no network: plotly.js is inlined once per page, and the CDN scripts
of nbconvert's template (require.js, MathJax, mermaid) are left out because
nothing in a report uses them.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gzip
import hashlib
import html
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd

from . import sources
from .errors import PaperscopeError

TEMPLATES = Path(__file__).parent / "templates"
#: The mark of a page paperscope wrote (nbconvert may reorder the tag's attributes).
GENERATOR = re.compile(r'<meta[^>]*(?:name="generator"[^>]*content="paperscope|'
                       r'content="paperscope[^"]*"[^>]*name="generator")')
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: What the kernels see: offline, quiet (progress bars on stderr would land in the page).
KERNEL_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


@dataclass(frozen=True)
class Page:
    """One exported page of a report."""

    notebook: str
    path: Path
    title: str
    figures: int
    bytes: int
    corpus: str


def corpus_fingerprint(corpus: str | os.PathLike[str]) -> str:
    """SHA-256 over the names and bytes of a corpus's files (first 16 hex digits).

    Two reports with the same fingerprint were built from the same input.
    """
    digest = hashlib.sha256()
    for path in sources.expand([corpus]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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


def _check_writable(path: Path) -> None:
    if path.exists() and not GENERATOR.search(path.read_text(errors="replace")[:4000]):
        raise PaperscopeError(
            f"{path}: exists and was not written by paperscope; refusing to overwrite it. "
            "Choose another --out folder."
        )


def export_html(nb: nbformat.NotebookNode, *, title: str, show_code: bool = False) -> tuple[str, int]:
    """Export an executed notebook as one self-contained HTML page.

    Returns the page and the number of figures on it.
    """
    from nbconvert import HTMLExporter

    from . import __version__

    figures = _inline_figures(nb)
    exporter = HTMLExporter(
        template_name="paperscope_report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(
        nb, resources={
            "plotly_js_gz": _plotly_js_gz(),
            "loader_js": (TEMPLATES / "paperscope_report" / "loader.js").read_text(),
            "paperscope_version": __version__,
        }
    )
    return body, figures


def _summary(corpus: str) -> dict[str, str]:
    """Facts about one corpus for the index page."""
    import warnings

    from .loader import load

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the pages show the audit
        papers = load(corpus)
    files = sorted({s for v in papers["source"] for s in v.split("; ")})
    dates = pd.concat([papers["listed_on"], papers["published"]]).dropna()
    try:
        shown = os.path.relpath(corpus)
    except ValueError:  # another drive (Windows)
        shown = str(corpus)
    return {
        "corpus": shown,
        "papers": f"{len(papers):,}",
        "sources": f"{len(files)} file(s): " + ", ".join(Path(f).name for f in files[:5])
                   + (" …" if len(files) > 5 else ""),
        "dates": (f"{dates.min():%Y-%m-%d} – {dates.max():%Y-%m-%d}" if len(dates)
                  else "no dates in the corpus"),
        "fingerprint": corpus_fingerprint(corpus),
    }


def notebook_corpus(nb_path: Path) -> str | None:
    """The corpus a notebook defaults to (its ``parameters`` cell), resolved against its folder."""
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            scope: dict = {}
            exec(cell.source, {}, scope)  # our own committed notebook's literals, not user data
            if "corpus" in scope:
                return os.path.normpath(nb_path.parent / scope["corpus"])
    return None


def _index_page(pages: list[Page], corpora: dict[str, dict[str, str]], title: str) -> str:
    from . import __version__

    esc = html.escape
    rows = "\n".join(
        f'<li><a href="{esc(p.path.name)}">{esc(p.title)}</a> '
        f'<span class="muted">({p.figures} charts, {p.bytes / 1e6:.1f} MB; corpus: '
        f'{esc(Path(p.corpus).name)})</span></li>'
        for p in pages
    )
    facts = "\n".join(
        "<table class=\"corpus\">" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>"
                                            for k, v in summary.items()) + "</table>"
        for summary in corpora.values())
    facts += f"<p class=\"muted\">paperscope {esc(__version__)}</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="generator" content="paperscope {esc(__version__)}">
<title>{esc(title)}</title>
<style>
body {{ font: 15px/1.5 Inter, Helvetica, Arial, sans-serif; max-width: 760px; margin: 40px auto;
       color: #222; padding: 0 16px; }}
th {{ text-align: left; padding-right: 16px; vertical-align: top; color: #555; }}
table.corpus {{ margin-bottom: 12px; }}
.muted {{ color: #777; font-size: 13px; }}
</style></head><body>
<h1>{esc(title)}</h1>
<h2>Corpus</h2>
{facts}
<h2>Pages</h2>
<ul>{rows}</ul>
</body></html>
"""


@contextlib.contextmanager
def _kernel_env():
    """Set :data:`KERNEL_ENV` for the kernels papermill starts (they inherit it), then restore."""
    saved = {k: os.environ.get(k) for k in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def build_report(
    corpus: str | os.PathLike[str] | None = None,
    *,
    out: str | os.PathLike[str] = "reports",
    notebooks: str | os.PathLike[str] = "notebooks",
    title: str | None = None,
    show_code: bool = False,
    images: bool = False,
) -> list[Page]:
    """Run every notebook on ``corpus`` and write one HTML page each, plus ``index.html``.

    Parameters
    ----------
    corpus
        Files, folder or glob, passed to each notebook's ``corpus`` parameter.
        ``None`` keeps each notebook's own default (the seed; the HF day files
        for the trends page).
    out
        Folder for the pages. A file there that paperscope did not write is
        never overwritten: the build stops with an error instead.
    notebooks
        Folder of the notebooks (``*.ipynb``, in name order).
    title
        Title of the index page.
    show_code
        Include the code cells (hidden by default: a report is for readers).
    images
        Also save every chart as PNG and SVG under ``out/images/`` (kaleido,
        with the system Chromium).

    Returns
    -------
    list of Page
        The pages written, in order (the index page not included).
    """
    import papermill

    notebooks_dir = Path(notebooks).resolve()
    out_dir = Path(out)
    nb_paths = sorted(notebooks_dir.glob("*.ipynb"))
    if not nb_paths:
        raise PaperscopeError(f"{notebooks_dir}: no notebooks (*.ipynb) to run")
    corpus_arg = None if corpus is None else os.path.relpath(Path(corpus).resolve(), notebooks_dir)
    if corpus is not None and not sources.expand([corpus]):
        raise PaperscopeError(f"{corpus}: the corpus holds no files")
    targets = [out_dir / f"{p.stem}.html" for p in nb_paths] + [out_dir / "index.html"]
    for target in targets:
        _check_writable(target)
    out_dir.mkdir(parents=True, exist_ok=True)

    pages: list[Page] = []
    with tempfile.TemporaryDirectory(prefix="paperscope-report-") as tmp, _kernel_env():
        for nb_path, target in zip(nb_paths, targets, strict=False):
            executed = Path(tmp) / nb_path.name
            params = {} if corpus_arg is None else {"corpus": corpus_arg}
            page_corpus = os.fspath(corpus) if corpus is not None else notebook_corpus(nb_path)
            papermill.execute_notebook(
                str(nb_path), str(executed), parameters=params, cwd=str(notebooks_dir),
                kernel_name="python3", progress_bar=False, log_output=False,
            )
            nb = nbformat.read(executed, as_version=4)
            page_title = next((c.source.splitlines()[0].lstrip("# ").strip()
                               for c in nb.cells if c.cell_type == "markdown"), nb_path.stem)
            if images:
                save_images(nb, out_dir / "images" / nb_path.stem)
            body, figures = export_html(nb, title=page_title, show_code=show_code)
            target.write_text(body, encoding="utf-8")
            pages.append(Page(nb_path.name, target, page_title, figures, len(body.encode()),
                              page_corpus or "?"))

    corpora = {c: _summary(c) for c in dict.fromkeys(p.corpus for p in pages) if c != "?"}
    index = _index_page(pages, corpora, title or "paperscope report")
    targets[-1].write_text(index, encoding="utf-8")
    return pages


def save_images(
    nb: nbformat.NotebookNode, folder: Path, formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Write every Plotly figure of an executed notebook as image files.

    Files are named ``figure-01.png`` … in page order. Needs kaleido and a
    Chromium on the machine (Debian's ``chromium``); no network.
    """
    import plotly.graph_objects as go

    figures = [output["data"][PLOTLY_MIME] for cell in nb.cells
               for output in cell.get("outputs", []) if PLOTLY_MIME in output.get("data", {})]
    return write_images([go.Figure(f) for f in figures], folder, formats)


def write_images(figures: list, folder: Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write figures as ``figure-NN.<fmt>`` files under ``folder`` (kaleido, offline)."""
    import plotly.io as pio

    _use_system_chromium()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n, fig in enumerate(figures, start=1):
        for fmt in formats:
            path = folder / f"figure-{n:02d}.{fmt}"
            pio.write_image(fig, path, format=fmt, width=1000, height=600, scale=2 if fmt == "png" else 1)
            written.append(path)
    return written


def _use_system_chromium() -> None:
    """Point kaleido at the machine's Chromium (it must never download one)."""
    import shutil

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
