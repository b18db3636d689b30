"""Reader for the Hugging Face ``api/daily_papers`` JSON (one day per file).

Real files vary: a list of items, or a wrapper ``{status, date, count, data}``;
items as JSON objects, or as Python ``repr`` strings of the dict (read as literals by
:mod:`._pyliteral`, never ``eval``); 2024 files keep arXiv's hard line-wraps in
``paper.title`` and ``paper.summary``; fields such as ``ai_keywords``,
``organization`` and ``githubStars`` appear only in later years.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from typing import Any

from ..errors import SourceFormatError
from . import _pyliteral
from ._base import (
    RECORD_ERRORS,
    BadRecord,
    Parsed,
    add_in_order,
    day_in_name,
    describe,
    make_columns,
    make_record,
    read_json,
    to_date,
    why,
)

FORMAT = "hf_api"
EXPECTED = "a Hugging Face api/daily_papers JSON response (a list of items with a 'paper' object)"


def sniff(head: str) -> bool:
    body = head.strip()
    if re.fullmatch(r"\[\s*\]", body):  # a day without papers (weekends) is an empty list
        return True
    return body[:1] in ("[", "{") and _PAPER_KEY.search(head) is not None


_PAPER_KEY = re.compile(r"""["']paper["']\s*:""")  # each item's "paper" object (a value "paper" is not it)


def _item(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = _pyliteral.loads(raw)
        except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
            raise BadRecord(f"a string that is not a Python dict literal ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise BadRecord(f"a {type(raw).__name__}, not an object")
    paper = raw.get("paper")
    if not isinstance(paper, dict) or not paper.get("id") or not (paper.get("title") or raw.get("title")):
        raise BadRecord("no 'paper' object with an 'id' and a 'title'")
    return raw


def _org(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("fullname") or value.get("name")
    if isinstance(value, str):  # a bare name instead of the usual object
        return value.strip() or None
    return None


def _authors(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord(f"paper.authors is {describe(value)}, expected a list of objects")
    try:  # the common case, in one pass: every author an object with a text name
        names = [str.strip(a["name"]) for a in value]
    except (KeyError, TypeError):
        pass
    else:
        return names if "" not in names else [n for n in names if n]
    # an author given as a bare name is kept; one without a name has nothing to keep
    names = [a.get("name") if type(a) is dict else a if type(a) is str else None for a in value]
    if not set(map(type, names)) <= {str, type(None)}:
        bad = next(n for n in names if n is not None and type(n) is not str)
        raise BadRecord(f"an author name is {describe(bad)}, expected text")
    return [n.strip() for n in names if n and not n.isspace()]


def _nameless_note(number: int, item: dict[str, Any], authors: list[str]) -> str | None:
    """The audit note for an item whose author list holds entries without a name (left out)."""
    listed = item["paper"].get("authors") or []
    if len(authors) < len(listed):
        return f"item {number}: {len(listed) - len(authors)} of {len(listed)} authors have no name and were left out"
    return None


def _day(moment: datetime | None) -> datetime | None:
    return None if moment is None else datetime(moment.year, moment.month, moment.day)


def _file_day(path: str | os.PathLike[str], wrapper: Any) -> datetime | None:
    """The day a response file was asked for: the wrapper's ``date``, else a file name that is
    the day (``2024-12-02.json``, as ``paperscope fetch`` and most crawlers save them)."""
    if isinstance(wrapper, dict) and isinstance(wrapper.get("date"), str):
        try:
            return _day(to_date(wrapper["date"], "date"))
        except BadRecord:
            pass
    return day_in_name(path)


def _listed(item: dict[str, Any], file_day: datetime | None) -> datetime | None:
    """The day an item was listed on Daily Papers.

    Since 2025 the item's ``publishedAt`` is the arXiv time and the listing time is the paper's
    ``submittedOnDailyAt``; before, ``publishedAt`` was the listing time. HF's day starts in the
    evening UTC (a paper listed at 23:12 UTC on 1 Dec is on the page of 2 Dec), so an item within
    a day before the day its file was asked for is listed on that day.
    """
    submitted = item["paper"].get("submittedOnDailyAt")
    day = _day(to_date(submitted, "paper.submittedOnDailyAt") if submitted
               else to_date(item.get("publishedAt"), "publishedAt"))
    if file_day is not None and day is not None and 0 <= (file_day - day).days <= 1:
        return file_day
    return day


def _derived(raw: Any, file_day: datetime | None = None
             ) -> tuple[dict[str, Any], dict[str, Any], datetime | None, datetime | None, list[str]]:
    """An item's object, its paper, and what its record needs beyond the plain fields: the
    listing day, the paper's date and the author names.

    Raises
    ------
    BadRecord
        (or another of :data:`RECORD_ERRORS`) for an item that cannot be read.
    """
    item = _item(raw)
    paper = item["paper"]
    listed_day = _listed(item, file_day)
    published = to_date(paper.get("publishedAt"), "paper.publishedAt")
    return item, paper, listed_day, published, _authors(paper.get("authors"))


def _record(path: str | os.PathLike[str], number: int, raw: Any, file_day: datetime | None = None) -> dict[str, Any]:
    try:
        item = _item(raw)
    except BadRecord as exc:
        raise BadRecord(f"item {number} is {exc}") from None
    paper = item["paper"]
    listed_day = _listed(item, file_day)
    return make_record(
        path, FORMAT, number,
        title=paper.get("title") or item.get("title"),
        abstract=paper.get("summary") or item.get("summary"),
        arxiv_id=paper.get("id"),
        listing_label=listed_day.date().isoformat() if listed_day is not None else None,
        listed_on=listed_day,
        published=to_date(paper.get("publishedAt"), "paper.publishedAt"),
        authors=_authors(paper.get("authors")),
        upvotes=paper.get("upvotes"),
        num_comments=item.get("numComments"),
        github_repo=paper.get("githubRepo") or None,
        github_stars=paper.get("githubStars"),
        project_page=paper.get("projectPage") or None,
        keywords=paper.get("ai_keywords") or [],
        organization=_org(paper.get("organization")) or _org(item.get("organization")),
    )


def _columns(path: str | os.PathLike[str], numbers: list[int], found: list[tuple[Any, ...]]
             ) -> tuple[dict[str, list[Any]], list[bool]]:
    """:func:`_record` of many items at once, column by column (see :func:`make_columns`)."""
    items, papers, listed, published, authors = map(list, zip(*found, strict=True))
    return make_columns(
        path, FORMAT, numbers,
        title=[p.get("title") or i.get("title") for i, p in zip(items, papers, strict=True)],
        abstract=[p.get("summary") or i.get("summary") for i, p in zip(items, papers, strict=True)],
        arxiv_id=[p.get("id") for p in papers],
        listing_label=[d.date().isoformat() if d is not None else None for d in listed],
        listed_on=listed,
        published=published,
        authors=authors,
        upvotes=[p.get("upvotes") for p in papers],
        num_comments=[i.get("numComments") for i in items],
        github_repo=[p.get("githubRepo") or None for p in papers],
        github_stars=[p.get("githubStars") for p in papers],
        project_page=[p.get("projectPage") or None for p in papers],
        keywords=[p.get("ai_keywords") or [] for p in papers],
        organization=[_org(p.get("organization")) or _org(i.get("organization"))
                      for i, p in zip(items, papers, strict=True)],
    )


def parse(path: str | os.PathLike[str], **_: Any) -> Parsed:
    """Read one ``api/daily_papers`` response file.

    Raises
    ------
    SourceFormatError
        For text that is not JSON (naming the line) or JSON of another shape.
        A single item that cannot be read (not an object, no paper id or title,
        a field of the wrong type) is skipped and reported instead.
    """
    data = read_json(path, EXPECTED)  # also items one per line, or pretty-printed one after another
    file_day = _file_day(path, data)
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    days: list[datetime | None] | None = None  # per item, for several saved wrappers in one file
    if isinstance(data, list) and len(data) > 1 and all(
            isinstance(d, dict) and isinstance(d.get("data"), list) and "paper" not in d for d in data):
        days = [day for d in data for day in [_file_day(path, d)] * len(d["data"])]
        data = [item for d in data for item in d["data"]]
    if not isinstance(data, list):
        raise SourceFormatError(path, 1, f"a JSON {type(data).__name__} without a 'data' list; expected {EXPECTED}")
    parsed = Parsed(os.fspath(path), FORMAT)
    numbers, found, status = [], [], []
    day_of = (lambda number: days[number - 1]) if days is not None else (lambda number: file_day)
    for number, raw in enumerate(data, start=1):
        try:
            found.append(_derived(raw, day_of(number)))
            numbers.append(number)
            status.append(True)
            if note := _nameless_note(number, found[-1][0], found[-1][4]):
                parsed.notes[number] = note
        except RECORD_ERRORS:
            status.append(False)  # read again below, record by record, to say why

    def one(numbered: tuple[int, Any]) -> None:
        number, raw = numbered
        try:
            parsed.records.append(_record(path, number, raw, day_of(number)))
            if note := _nameless_note(number, _item(raw), parsed.records.columns["authors"][-1]):
                parsed.notes[number] = note
        except RECORD_ERRORS as exc:
            reason = why(exc)
            parsed.skip(None, number, reason if reason.startswith("item ") else f"item {number}: {reason}")

    columns, plain = _columns(path, numbers, found) if found else (None, [])
    add_in_order(parsed, list(enumerate(data, start=1)), status, columns, plain, one)
    return parsed
