"""A search box for reports: the corpus's BM25 index as compact JSON, searched in the browser, offline.

:func:`search_index` builds the index in Python (the same words, bigrams,
title weight and BM25 parameters as :func:`paperscope.search` lexical-only);
:func:`search_box_html` wraps it in an HTML fragment whose inline script
(``templates/search_box.js``) tokenizes the typed query the same way and
ranks the papers. Paper text is only ever inserted with ``textContent`` and
links are only ``http(s)``, so a title holding ``<script>`` shows as text.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .errors import PaperscopeError, check_table
from .retrieval import ACRONYM_SHARE, K1, TITLE_WEIGHT, B, document_terms
from .tokens import SEARCH_STOP_WORDS, STOP_WORDS

INDEX_VERSION = 2
SCRIPT = Path(__file__).parent / "templates" / "search_box.js"


#: The columns :func:`paper_links` reads.
LINK_COLUMNS = ("arxiv_id", "source_format", "doi", "pdf_url", "project_page")


def paper_links(row: Mapping[str, Any]) -> list[list[str]]:
    """``[[label, url], ...]`` for one paper (a row as a Series or a dict): arXiv, Hugging Face, DOI,
    else its PDF or project page."""
    links: list[list[str]] = []
    arxiv = row.get("arxiv_id")
    if isinstance(arxiv, str) and arxiv:
        links.append(["arXiv", f"https://arxiv.org/abs/{arxiv}"])
        if str(row.get("source_format") or "").startswith("hf"):
            links.append(["HF", f"https://huggingface.co/papers/{arxiv}"])
    doi = row.get("doi")
    if isinstance(doi, str) and doi:
        links.append(["DOI", f"https://doi.org/{doi}"])
    if not links:
        for label, key in (("PDF", "pdf_url"), ("page", "project_page")):
            url = row.get(key)
            if isinstance(url, str) and url.startswith(("https://", "http://")):
                links.append([label, url])
                break
    return links


#: Papers a search box indexes at most (the most recent): the index travels inside the page,
#: about 0.4 kB per paper once compressed.
MAX_PAPERS = 20_000


def _dates(papers: pd.DataFrame) -> pd.Series:
    """Each paper's listing day, else its publication day (NaT when neither)."""
    return papers["listed_on"].where(papers["listed_on"].notna(), papers["published"])


def newest(papers: pd.DataFrame, limit: int) -> pd.DataFrame:
    """All of ``papers``, or the ``limit`` most recent (listing day, else publication day; undated last;
    ties in corpus order), in corpus order."""
    if len(papers) <= limit:
        return papers
    date = _dates(papers)
    order = pd.DataFrame({"date": date.to_numpy(), "pos": range(len(papers))})
    keep = order.sort_values(["date", "pos"], ascending=[False, True], na_position="last")["pos"][:limit]
    return papers.iloc[sorted(keep)]


def search_index(papers: pd.DataFrame, max_papers: int | None = None) -> dict[str, Any]:
    """The lexical search index of ``papers``, as a JSON-ready dict for :func:`search_box_html`.

    Parameters
    ----------
    papers
        Schema frame.
    max_papers
        Index at most this many papers, the most recent (default
        :data:`MAX_PAPERS`); the box then says how many of how many it searches.

    Returns
    -------
    dict
        ``papers`` (one ``[title, date, links]`` per paper, in order),
        ``lengths`` (terms per paper), ``terms`` (each term's postings as a
        flat list ``[paper gap, count, paper gap, count, ...]``, the gap from
        the previous paper index), the BM25 parameters and the stop-word lists
        the browser needs to read a query as Python does. About 1.5 kB per
        paper of JSON.
    """
    check_table(papers, {"title", "abstract"}, "search_index takes the papers, a frame from ps.load")
    total = len(papers)
    papers = newest(papers, MAX_PAPERS if max_papers is None else max_papers)
    postings: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    lengths: list[int] = []
    entries: list[list[Any]] = []
    date = _dates(papers)
    # Plain lists and dicts: a pandas Series per paper cost more than the tokenizing.
    names = ["title", "abstract", *(c for c in LINK_COLUMNS if c in papers.columns)]
    rows = (dict(zip(names, values, strict=True)) for values in zip(*(papers[c].tolist() for c in names),
                                                                     strict=True))
    for i, (row, when) in enumerate(zip(rows, date.tolist(), strict=True)):
        abstract = row["abstract"] if isinstance(row["abstract"], str) else None
        doc = document_terms(str(row["title"]), abstract)
        lengths.append(len(doc))
        for term, count in sorted(Counter(doc).items()):
            postings.setdefault(term, []).extend([i - last.get(term, 0), count])
            last[term] = i
        entries.append([str(row["title"]), "" if pd.isna(when) else f"{when:%Y-%m-%d}", paper_links(row)])
    return {
        "version": INDEX_VERSION,
        "k1": K1, "b": B, "title_weight": TITLE_WEIGHT,
        "acronym_share": ACRONYM_SHARE,
        "stop": sorted(SEARCH_STOP_WORDS), "generic": sorted(STOP_WORDS), "english": sorted(ENGLISH_STOP_WORDS),
        "papers": entries, "lengths": lengths, "total": total,
        "terms": dict(sorted(postings.items())),
    }


def _script_json(obj: object) -> str:
    """Compact JSON that cannot end a ``<script>`` element, whatever the titles hold."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def search_box_html(index: dict[str, Any], *, k: int = 10, placeholder: str = "e.g. diffusion models") -> str:
    """A self-contained HTML fragment: a search box over ``index`` (from :func:`search_index`).

    Paste it into a notebook output (``IPython.display.HTML``) or any page;
    it needs no network and no library (the index travels gzip-compressed,
    unpacked by the browser's ``DecompressionStream``). Typing ranks the papers with BM25
    exactly as ``paperscope.search(papers, query, semantic=False)`` does and
    lists the best ``k`` with their links.
    """
    if not isinstance(index, Mapping) or index.get("version") != INDEX_VERSION:
        raise PaperscopeError("search_box_html takes the index ps.search_index(papers) makes"
                              + (" (not the papers themselves)" if isinstance(index, pd.DataFrame) else
                                 f"; got {type(index).__name__}"))
    # gzip (mtime=0: same bytes every run) then base64: a quarter of the JSON's size;
    # the browser unpacks it with DecompressionStream, as the report does for plotly.js.
    raw = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    data = base64.b64encode(gzip.compress(raw, 9, mtime=0)).decode("ascii")
    box = "ps-search-" + hashlib.sha256(raw).hexdigest()[:12]
    config = _script_json({"id": box, "k": int(k)})
    safe_placeholder = (placeholder.replace("&", "&amp;").replace('"', "&quot;")
                        .replace("<", "&lt;").replace(">", "&gt;"))
    n = len(index.get("papers", []))
    total = int(index.get("total", n))
    what = f"{n} papers" if total <= n else f"the {n:,} most recent of {total:,} papers"
    return f"""<div class="paperscope-search" id="{box}">
<style>
#{box} {{ font: 14px/1.45 Inter, Helvetica, Arial, sans-serif; margin: 8px 0 16px; }}
#{box} input {{ width: 100%; max-width: 560px; padding: 6px 10px; font-size: 15px;
  border: 1px solid #bbb; border-radius: 4px; }}
#{box} ol {{ padding-left: 24px; }}
#{box} li {{ margin: 4px 0; }}
#{box} .ps-meta {{ color: #666; font-size: 12px; }}
#{box} .ps-meta a {{ margin-left: 6px; }}
</style>
<label>Search {what} (words of titles and abstracts):<br>
<input type="search" class="ps-search-input" placeholder="{safe_placeholder}" autocomplete="off"></label>
<p class="ps-search-status ps-meta"></p>
<ol class="ps-search-results"></ol>
<script type="application/octet-stream" class="ps-search-index">{data}</script>
<script type="application/json" class="ps-search-config">{config}</script>
</div>
<script>{SCRIPT.read_text(encoding="utf-8")}</script>
"""
