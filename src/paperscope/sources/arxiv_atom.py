"""Reader for arXiv API responses (Atom XML), old and 2026 formats, raw or recorded.

A recorded response is JSON ``{"url", "status_code", "body"}`` with the XML in
``body``. An API error (an ``<entry>`` whose id is ``…/api/errors…``, e.g. with
HTTP 400) is reported as a skipped record with arXiv's message; an empty result
gives no rows.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

import orjson

from ..errors import SourceFormatError
from ..ids import arxiv_year, normalize_arxiv_id
from ._base import RECORD_ERRORS, Parsed, arxiv_names, make_record, read_text, to_date, why

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

FORMAT = "arxiv_atom"
EXPECTED = "an arXiv API Atom feed (raw XML, or JSON with 'status_code' and 'body')"
NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom",
      "opensearch": "http://a9.com/-/spec/opensearch/1.1/", "dc": "http://purl.org/dc/elements/1.1/"}
# arXiv's RSS/Atom listing feed (rss.arxiv.org/atom/cs.LG): ids "oai:arXiv.org:2404.19756v1", authors in
# <dc:creator>, each summary opening "arXiv:2404.19756v1 Announce Type: new Abstract: …"
_OAI = "oai:arXiv.org:"
_ANNOUNCE = re.compile(r"^arXiv:\S+\s+Announce Type:\s*[\w-]+\s+Abstract:\s*", re.IGNORECASE)


def sniff(head: str) -> bool:
    body = head.lstrip()
    if body.startswith("<"):
        return "http://www.w3.org/2005/Atom" in head and "arxiv" in head.lower()
    return body.startswith("{") and '"status_code"' in head and '"body"' in head


def _text(entry: ET.Element, path: str) -> str | None:
    node = entry.find(path, NS)
    return node.text.strip() if node is not None and node.text else None


def _record(path, number: int, entry: ET.Element, entry_id: str, title: str) -> dict[str, Any]:
    primary = entry.find("arxiv:primary_category", NS)
    cats = [c.get("term") for c in entry.findall("a:category", NS) if c.get("term")]
    if primary is not None and primary.get("term"):
        cats = [primary.get("term")] + [c for c in cats if c != primary.get("term")]
    pdf = next((link.get("href") for link in entry.findall("a:link", NS)
                if link.get("title") == "pdf"), None)
    abstract = _text(entry, "a:summary")
    authors = [n.text.strip() for n in entry.findall("a:author/a:name", NS) if n.text]
    published = to_date(_text(entry, "a:published"), "published")
    listing: dict[str, Any] = {}
    if entry.find("arxiv:announce_type", NS) is not None or entry_id.startswith(_OAI):
        # the listing feed: its date is the day the paper was announced, not submitted
        entry_id = entry_id.removeprefix(_OAI)
        abstract = _ANNOUNCE.sub("", abstract) if abstract else abstract
        creators = _text(entry, "dc:creator")
        if not authors and creators:
            authors = arxiv_names(creators)
        if published is not None:
            day = published.replace(hour=0, minute=0, second=0, microsecond=0)
            listing = {"listed_on": day, "listing_label": day.date().isoformat(),
                       "year": arxiv_year(normalize_arxiv_id(entry_id))}
            published = None
    return make_record(
        path, FORMAT, number, title=title, abstract=abstract,
        arxiv_id=entry_id,
        published=published,
        updated=to_date(_text(entry, "a:updated"), "updated") if not listing else None,
        **listing,
        authors=authors,
        categories=cats,
        doi=_text(entry, "arxiv:doi"),
        comment=_text(entry, "arxiv:comment"),
        journal_ref=_text(entry, "arxiv:journal_ref"),
        pdf_url=pdf,
    )


def parse(path: str | os.PathLike[str], **_: Any) -> Parsed:
    """Read one arXiv API response: every ``<entry>`` becomes a record."""
    import xml.etree.ElementTree as ET  # only when there is XML to read
    text = read_text(path, EXPECTED)
    status = None
    if text.lstrip().startswith("{"):
        try:
            wrapper = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise SourceFormatError(path, exc.lineno, f"not valid JSON ({exc.msg}); expected {EXPECTED}") from None
        if not isinstance(wrapper, dict) or not isinstance(wrapper.get("body"), str):
            raise SourceFormatError(path, 1, f"JSON without a 'body' string; expected {EXPECTED}")
        status, text = wrapper.get("status_code"), wrapper["body"]
        if status is not None and type(status) is not int:
            raise SourceFormatError(path, None, f"'status_code' is {status!r}, not an HTTP status; "
                                    f"expected {EXPECTED}")
    if status is not None and status >= 400 and not text.lstrip().startswith("<"):
        raise SourceFormatError(path, None, f"the recorded response is an HTTP {status} error, not results: "
                                f"{text.strip()[:120]!r}; fetch it again")
    try:
        root = ET.fromstring(text.encode("utf-8", "surrogatepass"))  # a lone surrogate: a parse error
    except ET.ParseError as exc:
        line = exc.position[0] if status is None else None
        where = "" if status is None else " (in the recorded 'body')"
        raise SourceFormatError(path, line, f"not well-formed XML{where}: {exc}; expected {EXPECTED}") from None
    if root.tag != f"{{{NS['a']}}}feed":
        raise SourceFormatError(path, 1, f"root element {root.tag!r}; expected {EXPECTED}")
    parsed = Parsed(os.fspath(path), FORMAT)
    for number, entry in enumerate(root.findall("a:entry", NS), start=1):
        entry_id = _text(entry, "a:id") or ""
        if "/api/errors" in entry_id or (status is not None and status >= 400):
            message = _text(entry, "a:summary") or "no message"
            parsed.skip(None, number, f"arXiv API error (HTTP {status or '?'}): {message}")
            continue
        title = _text(entry, "a:title")
        if not title:
            parsed.skip(None, number, f"entry {number} ({entry_id}) has no title")
            continue
        try:
            parsed.records.append(_record(path, number, entry, entry_id, title))
        except RECORD_ERRORS as exc:
            parsed.skip(None, number, f"entry {number} ({entry_id}): {why(exc)}")
    return parsed
