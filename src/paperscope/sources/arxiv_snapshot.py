"""Reader for the arXiv metadata snapshot (``arxiv-metadata-oai-snapshot.json``).

One JSON object per line with 14 keys (``id``, ``title``, ``abstract``,
``categories``, ``versions``, …), or the same fields as Parquet. The file can
be several GB, so it is streamed: filters (category prefixes, a date range on
the first version, a row limit) are applied line by line, and a line that
fails a filter is rejected from a quick look at its raw text, before it is
parsed. Memory grows with the rows kept, not the file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pandas as pd

from ..errors import SourceFormatError
from ._base import Parsed, Skipped, make_record, to_date

FORMAT = "arxiv_snapshot"
EXPECTED = "arXiv metadata snapshot lines (one JSON object per line with 'id', 'categories', 'versions')"
_CATEGORIES = re.compile(rb'"categories"\s*:\s*"([^"]*)"')
_FIRST_VERSION = re.compile(rb'"versions"\s*:\s*\[\s*\{[^}]*?"created"\s*:\s*"([^"]*)"')


def sniff(head: str) -> bool:
    first = head.lstrip().split("\n", 1)[0]
    return first.startswith("{") and '"categories"' in first and '"id"' in first and (
        '"versions"' in first or '"abstract"' in first)


def _created(value: str | None) -> pd.Timestamp | None:
    if not value:
        return None
    try:
        return pd.Timestamp(parsedate_to_datetime(value)).tz_convert("UTC").tz_localize(None)
    except (TypeError, ValueError):
        return to_date(value)


class Filters:
    """Which snapshot records to keep: category prefixes and a first-version date range."""

    def __init__(self, categories: Sequence[str] | str | None = None, since: Any = None,
                 until: Any = None) -> None:
        if isinstance(categories, str):
            categories = [categories]
        self.categories = tuple(categories or ())
        self.since = pd.Timestamp(since) if since is not None else None
        self.until = pd.Timestamp(until) if until is not None else None

    @property
    def active(self) -> bool:
        return bool(self.categories or self.since is not None or self.until is not None)

    def describe(self) -> str:
        parts = []
        if self.categories:
            parts.append(f"categories {', '.join(self.categories)}")
        if self.since is not None:
            parts.append(f"since {self.since:%Y-%m-%d}")
        if self.until is not None:
            parts.append(f"until {self.until:%Y-%m-%d}")
        return ", ".join(parts)

    def category_ok(self, categories: str) -> bool:
        return not self.categories or any(c.startswith(self.categories) for c in categories.split())

    def date_ok(self, published: pd.Timestamp | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if published is None:
            return False
        day = published.normalize()
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


def _record(path, number: int, obj: dict[str, Any], published, line: int | None) -> dict[str, Any]:
    versions = obj.get("versions") or []
    updated = _created(versions[-1].get("created")) if versions else None
    parsed_names = obj.get("authors_parsed")
    if parsed_names:
        # [last, first, suffix(, affiliation)] -> "First Last Suffix"
        authors = [" ".join(x for x in (n[1], n[0], n[2] if len(n) > 2 else "") if x) for n in parsed_names]
    else:
        authors = [a.strip() for a in re.split(r",\s*|\s+and\s+", obj.get("authors") or "") if a.strip()]
    return make_record(
        path, FORMAT, number, title=obj["title"], abstract=obj.get("abstract"), line=line,
        arxiv_id=obj["id"], published=published, updated=updated, authors=authors,
        categories=(obj.get("categories") or "").split(), doi=obj.get("doi"),
        comment=obj.get("comments"), journal_ref=obj.get("journal-ref"),
    )


def _lines(path) -> Iterator[tuple[int, bytes]]:
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                yield number, raw


def parse(path: str | os.PathLike[str], *, categories=None, since=None, until=None,
          limit: int | None = None, **_: Any) -> Parsed:
    """Stream a snapshot file, keeping the records that pass the filters.

    Parameters
    ----------
    categories
        Category prefixes (``"cs.LG"``, ``"cs."``, ``"astro-ph"``): a paper is kept
        when any of its categories starts with one of them.
    since, until
        Inclusive range on the first version's date (``published``).
    limit
        Stop after this many kept rows; the rest of the file is not read.
    """
    filters = Filters(categories, since, until)
    parsed = Parsed(os.fspath(path), FORMAT, filter_note=filters.describe())
    if os.path.getsize(path) == 0:
        raise SourceFormatError(path, 1, f"the file is empty; expected {EXPECTED}")
    for number, raw in _lines(path):
        if limit is not None and len(parsed.records) >= limit:
            break
        if filters.active:  # reject from the raw text, before parsing the JSON
            cats = _CATEGORIES.search(raw)
            if cats and not filters.category_ok(cats.group(1).decode("utf-8", "replace")):
                parsed.filtered += 1
                continue
            created = _FIRST_VERSION.search(raw)
            if created and not filters.date_ok(_created(created.group(1).decode())):
                parsed.filtered += 1
                continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            if number == 1 and not parsed.records:
                raise SourceFormatError(path, 1, f"not JSON lines ({exc.msg}); expected {EXPECTED}") from None
            parsed.skipped.append(Skipped(number, number, f"line {number} is not valid JSON ({exc.msg})"))
            continue
        if not isinstance(obj, dict) or not obj.get("id") or not obj.get("title"):
            parsed.skipped.append(Skipped(number, number, f"line {number} has no 'id' or 'title'"))
            continue
        versions = obj.get("versions") or []
        published = _created(versions[0].get("created")) if versions else None
        if not (filters.category_ok(obj.get("categories") or "") and filters.date_ok(published)):
            parsed.filtered += 1
            continue
        parsed.records.append(_record(path, number, obj, published, number))
    return parsed


def parse_parquet(path: str | os.PathLike[str], *, categories=None, since=None, until=None,
                  limit: int | None = None, batch_size: int = 50_000, **_: Any) -> Parsed:
    """The same fields as Parquet, read batch by batch with the same filters."""
    import pyarrow.parquet as pq

    filters = Filters(categories, since, until)
    parsed = Parsed(os.fspath(path), FORMAT, filter_note=filters.describe())
    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
        for obj in batch.to_pylist():
            number += 1
            if limit is not None and len(parsed.records) >= limit:
                return parsed
            versions = obj.get("versions") or []
            first = versions[0].get("created") if versions and isinstance(versions[0], dict) else None
            published = _created(first) if isinstance(first, str) else (
                to_date(first) if isinstance(first, datetime) else None)
            if not (filters.category_ok(obj.get("categories") or "") and filters.date_ok(published)):
                parsed.filtered += 1
                continue
            if not obj.get("id") or not obj.get("title"):
                parsed.skipped.append(Skipped(None, number, f"row {number} has no 'id' or 'title'"))
                continue
            parsed.records.append(_record(path, number, obj, published, None))
    return parsed
