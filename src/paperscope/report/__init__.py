"""Reports: run the report notebooks on a corpus and export self-contained HTML pages.

* :mod:`.params` — :class:`ReportParams`, the one parameter set every notebook declares;
* :mod:`.build` — :func:`build_report`: staging, kernels, progress, moving into place;
* :mod:`.html` — one executed notebook → one offline HTML page;
* :mod:`.images` — charts as PNG/SVG for slides;
* :mod:`.index` — the index page and the corpus facts;
* :mod:`.files` — never overwrite a user's file, never leave debris.
"""

from .build import KERNEL_ENV, ReportPageError, build_report, default_notebooks
from .files import MANIFEST, ReportTargetError
from .html import GENERATOR, PLOTLY_MIME, export_html
from .images import save_images, write_images
from .index import Page, corpus_fingerprint
from .params import PERIODS, ReportParams, declared_parameters, load_corpus, save_corpus

__all__ = [
    "GENERATOR",
    "KERNEL_ENV",
    "MANIFEST",
    "PERIODS",
    "PLOTLY_MIME",
    "Page",
    "ReportPageError",
    "ReportParams",
    "ReportTargetError",
    "build_report",
    "corpus_fingerprint",
    "declared_parameters",
    "default_notebooks",
    "export_html",
    "load_corpus",
    "save_corpus",
    "save_images",
    "write_images",
]
