"""Reader for RIS files (``TY  - `` … ``ER  - ``), as exported by IEEE Xplore, Scopus, Zotero."""

from __future__ import annotations

import os
from typing import Any

from ..errors import SourceFormatError
from ..ids import normalize_arxiv_id
from ..text import strip_markup
from ._base import RECORD_ERRORS, BadRecord, Parsed, describe, first_last, make_record, read_text, why, year_in

FORMAT = "ris"
EXPECTED = "an RIS file (records from 'TY  - ' to 'ER  - ')"


def sniff(head: str) -> bool:
    first = head.lstrip("\ufeff \n").split("\n", 1)[0]
    return first.startswith("TY  -")


def _arxiv_url(urls: Any) -> str | None:
    """The arXiv id of an ``UR`` link to arxiv.org (Zotero's preprints), else None."""
    return next((arxiv for url in (urls if type(urls) is list else []) if type(url) is str
                 and (arxiv := normalize_arxiv_id(url.split("?", 1)[0].split("#", 1)[0]))), None)


def _names(value: Any) -> Any:
    """RIS names are ``Last, First``: as ``First Last`` (anything else is left for the checks)."""
    return [first_last(n) if type(n) is str else n for n in value] if type(value) is list else value


def _record(path, number: int, line: int, entry: dict[str, Any], title: Any) -> dict[str, Any]:
    year = entry.get("year") or entry.get("publication_year") or ""
    if not isinstance(year, str):
        raise BadRecord(f"year is {describe(year)}, expected text")
    return make_record(
        path, FORMAT, number, title=strip_markup(title),
        abstract=strip_markup(entry.get("abstract") or entry.get("notes_abstract")),
        line=line, arxiv_id=_arxiv_url(entry.get("urls")),
        authors=_names(entry.get("authors") or entry.get("first_authors") or []),
        year=year_in(year),  # RIS dates start "YYYY": "2019///"
        doi=entry.get("doi"),
        venue=entry.get("secondary_title") or entry.get("journal_name") or entry.get("alternate_title3"),
        keywords=entry.get("keywords") or [],
    )


def parse(path: str | os.PathLike[str], **_: Any) -> Parsed:
    """Read every record; one without a title is reported with its line."""
    import rispy

    text = read_text(path, EXPECTED, per_record=True)
    lines = text.split("\n")
    starts = [i + 1 for i, ln in enumerate(lines) if ln.startswith("TY  -")]
    # A record whose 'ER  - ' end line is missing (a truncated download, a hand edit) ends where the
    # next record starts, or at the end of the file: said in the audit, never the whole file lost.
    ended: list[str] = []
    unended: list[int] = []  # the numbers of the records given an end line here
    number = 0  # of the record being read; "inside" while its end line is still to come
    inside = False
    for ln in lines:
        if ln.startswith("TY  -"):
            if inside:
                ended.append("ER  - ")
                unended.append(number)
            number, inside = number + 1, True
        elif ln.startswith("ER  -"):
            inside = False
        ended.append(ln)
    if inside:
        ended.append("ER  - ")
        unended.append(number)
    try:
        entries = rispy.loads("\n".join(ended))
    except Exception as exc:  # rispy raises IOError/ValueError variants on malformed input
        raise SourceFormatError(path, None, f"not readable as RIS ({exc}); expected {EXPECTED}") from None
    if len(entries) != len(starts):
        raise SourceFormatError(path, None, f"{len(starts)} 'TY' lines but {len(entries)} records")
    parsed = Parsed(os.fspath(path), FORMAT)
    for number in unended:
        parsed.notes[number] = f"line {starts[number - 1]}: record {number} has no 'ER  - ' end line; it ends " \
                               + ("where the next record starts" if number < len(starts) else "at the end of the file")
    for number, (entry, line) in enumerate(zip(entries, starts, strict=True), start=1):
        title = entry.get("title") or entry.get("primary_title")
        if not title:
            parsed.skip(line, number, f"line {line}: record {number} has no title (TI/T1)")
            continue
        try:
            parsed.records.append(_record(path, number, line, entry, title))
        except RECORD_ERRORS as exc:
            parsed.skip(line, number, f"line {line}: record {number}: {why(exc)}")
    return parsed
