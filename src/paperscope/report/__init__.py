"""Reports: run the report notebooks on a corpus and export self-contained HTML pages.

* :mod:`.params` — :class:`ReportParams`, the one parameter set every notebook declares;
* :mod:`.build` — :func:`build_report`: staging, kernels, progress, moving into place;
* :mod:`.html` — one executed notebook → one offline HTML page;
* :mod:`.images` — charts as PNG/SVG for slides;
* :mod:`.index` — the index page and the corpus facts;
* :mod:`.landing`, :mod:`.findings_html` — the landing page: what is new, the findings, search;
* :mod:`.files` — never overwrite a user's file, never leave debris.
"""

import importlib

# Loaded on first use: `paperscope --help` reads PERIODS from .params without importing
# nbformat, nbconvert and papermill (about two seconds). Name -> submodule.
_LAZY = {
    "KERNEL_ENV": ".build", "ReportPageError": ".build", "build_report": ".build",
    "default_notebooks": ".build",
    "MANIFEST": ".files", "ReportTargetError": ".files",
    "GENERATOR": ".html", "PLOTLY_MIME": ".html", "export_html": ".html",
    "save_images": ".images", "write_images": ".images",
    "Page": ".index", "corpus_fingerprint": ".index",
    "PERIODS": ".params", "ReportParams": ".params", "declared_parameters": ".params",
    "load_corpus": ".params", "save_corpus": ".params",
}


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'paperscope.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value

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
