"""The report's ``index.html``: what is new and what stands out, a search box, the pages, the corpus, the parameters."""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import sources
from .landing import Section
from .params import ReportParams


@dataclass(frozen=True)
class Page:
    """One exported page of a report.

    Attributes
    ----------
    notebook
        The notebook's file name (``02-themes.ipynb``).
    path
        Where the page is, once the report is in place.
    title
        The page's title (its first heading).
    figures
        Charts on the page.
    bytes
        Size of the page.
    seconds
        Time to run the notebook and export it.
    """

    notebook: str
    path: Path
    title: str
    figures: int
    bytes: int
    seconds: float = 0.0


def corpus_fingerprint(corpus: str | os.PathLike[str]) -> str:
    """SHA-256 over the names and bytes of a corpus's files (first 16 hex digits).

    Two reports with the same fingerprint were built from the same input.
    """
    digest = hashlib.sha256()
    for path in sources.expand([corpus]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def corpus_summary(papers: pd.DataFrame, params: ReportParams) -> dict[str, str]:
    """Facts about the corpus a report ran on, for its index page."""
    import warnings

    from ..trends import date_format, paper_dates

    files = sorted({s for v in papers["source"] for s in v.split("; ")})
    with warnings.catch_warnings():  # (the pages that chart time say what a mixed corpus leaves undated)
        warnings.simplefilter("ignore", UserWarning)
        dates, column = paper_dates(papers)  # the dates the findings and trends use
    dates = dates.dropna()
    what = {"listed_on": "listing days", "published": "publication dates", "year": "years"}.get(column, column)
    day = date_format(column)
    facts = {
        "corpus": params.corpus,  # as the user named it
        "papers": f"{len(papers):,}",
        "sources": f"{len(files)} file(s): " + ", ".join(Path(f).name for f in files[:5])
                   + (" …" if len(files) > 5 else ""),
        "dates": (f"{dates.min():{day}} – {dates.max():{day}} ({what})" if len(dates)
                  else "no dates in the corpus"),
        "fingerprint": corpus_fingerprint(params.corpus),
    }
    return facts


def index_page(pages: list[Page], facts: dict[str, str], params: ReportParams, title: str,
               sections: Sequence[Section] = ()) -> str:
    """The index page: ``sections`` (what is new, findings, search), links to the pages, corpus facts, parameters.

    Parameters
    ----------
    pages
        The report's pages, in order.
    facts
        Facts about the corpus (:func:`corpus_summary`).
    params
        What the report ran with (shown in a table).
    title
        The page's title.
    sections
        The landing sections (:func:`~paperscope.report.landing.landing_sections`), shown first.
    """
    from .. import __version__

    esc = html.escape
    rows = "\n".join(
        f'<li><a href="{esc(p.path.name)}">{esc(p.title)}</a> '
        f'<span class="muted">({p.figures} charts, {p.bytes / 1e6:.1f} MB)</span></li>'
        for p in pages
    )

    def table(pairs) -> str:
        return ('<table class="facts">' + "".join(f"<tr><th>{esc(str(k))}</th><td>{esc(str(v))}</td></tr>"
                                                  for k, v in pairs) + "</table>")

    shown = params.table()
    shown = shown[shown["parameter"] != "corpus"]  # already in the corpus table
    parts = [*((s.id, s.heading) for s in sections), ("pages", "Pages"), ("corpus", "Corpus"),
             ("parameters", "Parameters")]
    contents = " · ".join(f'<a href="#{esc(i)}">{esc(h)}</a>' for i, h in parts)
    body = "\n".join(f'<h2 id="{esc(s.id)}">{esc(s.heading)}</h2>\n{s.body}' for s in sections)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="paperscope {esc(__version__)}">
<title>{esc(title)}</title>
<style>
body {{ font: 15px/1.5 Inter, Helvetica, Arial, sans-serif; max-width: 900px; margin: 40px auto;
       color: #222; padding: 0 16px; overflow-wrap: anywhere; }}
h2 {{ margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }}
th {{ text-align: left; padding-right: 16px; vertical-align: top; color: #555; }}
table.facts {{ margin-bottom: 12px; }}
.muted {{ color: #777; font-size: 13px; }}
nav.contents {{ font-size: 14px; }}
</style></head><body>
<h1>{esc(title)}</h1>
<nav class="contents">{contents}</nav>
{body}
<h2 id="pages">Pages</h2>
<ul>{rows}</ul>
<h2 id="corpus">Corpus</h2>
{table(facts.items())}
<h2 id="parameters">Parameters</h2>
{table(zip(shown["parameter"], shown["value"], strict=True))}
<p class="muted">paperscope {esc(__version__)}</p>
</body></html>
"""
