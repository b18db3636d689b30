"""What the report's landing page says before its list of pages.

Computed once, in a child process of the report's (:func:`load_and_land`), on
the corpus the report loaded and with the report's taxonomy files: what is new since ``since`` (when given),
the findings (:func:`paperscope.compute_findings`) and an offline search box
over every paper — over the :data:`paperscope.search_box.MAX_PAPERS` most
recent ones in a bigger corpus (the index travels inside the page). Topics
are not fitted here: page 03 fits them (it needs the embedding model, about a
minute on 500 papers), and the landing page points there instead of fitting
them a second time.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import PaperscopeError
from .params import ReportParams, load_corpus, save_corpus


@dataclass(frozen=True)
class Section:
    """One section of the landing page: its anchor, its heading and its HTML body."""

    id: str
    heading: str
    body: str


def landing_sections(papers: pd.DataFrame, params: ReportParams, *, topics_page: str | None = None
                     ) -> list[Section]:
    """The landing page's sections, in order: what is new (with ``since``), findings, search.

    Parameters
    ----------
    papers
        The corpus the report loaded (schema frame).
    params
        The report's parameters: ``taxonomy_files`` tag the themes, ``period``
        sets the periods of the rising/falling comparison and ``since`` adds
        the "what is new" section, first.
    topics_page
        File name of the report's topics page, which the findings point to.

    Returns
    -------
    list of Section
    """
    from .. import load_taxonomy, tag_themes, whats_new
    from ..findings import compute_findings
    from ..search_box import search_box_html, search_index
    from .findings_html import landing_html, whats_new_html

    tags = tag_themes(papers, load_taxonomy(*params.taxonomy_files, include_default=not params.only_taxonomy))
    sections = []
    if params.since is not None:
        try:
            news = whats_new_html(whats_new(papers, params.since, tags=tags), papers)
        except PaperscopeError as err:  # e.g. a copied page without a year: nothing is dated
            news = f"<p>Nothing to compare: {html.escape(str(err))}.</p>"
        sections.append(Section("whats-new", f"What is new since {params.since}", news))
    findings = landing_html(compute_findings(papers, tags, freq=params.period))
    if topics_page is not None:
        findings += (f'\n<p class="muted">Topics, and which of them no theme covers, are on '
                     f'<a href="{html.escape(topics_page, quote=True)}">the topics page</a>: fitting them '
                     "takes the embedding model, so this page does not fit them a second time.</p>")
    sections.append(Section("findings", "Findings", findings))
    index = search_index(papers)
    note = "" if len(index["papers"]) == len(papers) else (
        f'<p class="muted">The box searches the {len(index["papers"]):,} most recent of the {len(papers):,} '
        "papers (the index travels inside this page); <code>ps.search(papers, query)</code> in a notebook "
        "searches them all.</p>\n")
    sections.append(Section("search", "Search the papers", note + search_box_html(index)))
    return sections


def load_and_land(params: ReportParams, staging: Path, topics_page: str | None
                  ) -> tuple[dict[str, str], Path, list[Section]]:
    """Load the corpus once for the whole report and compute the landing page's sections.

    Every page reads the Parquet file saved here (``staging/corpus.parquet``, with its load
    audit beside it). Runs before the pages, so that a problem shows in seconds, not minutes;
    :func:`paperscope.report.build_report` runs it in a child process, so that what it holds
    (the corpus, the tags, the search index, the libraries they loaded) is handed back to the
    system before the pages' kernels start. Returns the corpus facts, the Parquet file and
    the sections.
    """
    import warnings

    from .index import corpus_summary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # page 01 shows the audit
        papers, audit = load_corpus(params.corpus, year=params.year, audit=True)
    if papers.empty:
        raise PaperscopeError(f"{params.corpus}: no papers to report on")
    facts = corpus_summary(papers, params)
    corpus_file = save_corpus(papers, audit, Path(staging) / "corpus.parquet")
    return facts, corpus_file, landing_sections(papers, params, topics_page=topics_page)


def run_pickled(task: str, result: str, parent: int) -> None:
    """The child's side of :func:`load_and_land`: arguments from ``task``, ``(ok, value)`` to ``result``.

    ``value`` is the result, or the exception raised when it pickles (paperscope's errors do),
    else a ``RuntimeError`` carrying the child's traceback. The child exits on its own when
    ``parent`` (the report's process) is gone, so a killed report leaves no orphan working.
    """
    import pickle
    import signal
    import threading
    import time
    import traceback

    def orphaned() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=orphaned, daemon=True).start()
    # Ctrl-C reaches the whole process group: the report stops this child itself (no second traceback)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    params, staging, topics_page = pickle.loads(Path(task).read_bytes())
    try:
        outcome = (True, load_and_land(params, staging, topics_page))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            pickle.loads(pickle.dumps(exc))
            outcome = (False, exc)
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its traceback, as text
            outcome = (False, RuntimeError("loading the corpus or computing the landing page failed:\n"
                                           + traceback.format_exc()))
    Path(result).write_bytes(pickle.dumps(outcome))


__all__ = ["Section", "landing_sections", "load_and_land", "run_pickled"]
