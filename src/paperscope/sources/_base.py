"""What every source reader returns: the records it read and the ones it skipped."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import SourceFormatError


@dataclass(frozen=True)
class Skipped:
    """A record that could not be read with confidence, and why."""

    line: int | None
    record: int | None
    reason: str


@dataclass
class Parsed:
    """The outcome of reading one source file.

    ``records`` are dicts with schema keys; ``skipped`` are what could not be
    read; ``filtered`` counts records outside the caller's filters. ``n_read``
    counts every record the file holds: ``records + skipped + filtered``.
    """

    path: str
    source_format: str
    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    filtered: int = 0  # records left out by the caller's filters (counted, not listed)
    filter_note: str = ""
    notes: dict[int, str] = field(default_factory=dict)  # position -> what was repaired

    @property
    def n_read(self) -> int:
        return len(self.records) + len(self.skipped) + self.filtered


def read_text(path: str | os.PathLike[str], expected: str) -> str:
    """Read a text file as UTF-8, with a clear error for empty or binary files.

    A UTF-8 byte-order mark is dropped and CRLF/CR line ends become LF.

    Parameters
    ----------
    path
        The file.
    expected
        Words for the error message: what this file was supposed to be.
    """
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise SourceFormatError(path, 1, f"the file is empty; expected {expected}")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise SourceFormatError(path, line, f"binary data (a NUL byte); expected {expected}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceFormatError(
            path, line, f"not UTF-8 text (byte {raw[exc.start]:#04x}); expected {expected}"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def make_record(path: str | os.PathLike[str], source_format: str, position: int, title: str,
                abstract: str | None = None, **fields: Any) -> dict[str, Any]:
    """A schema record with the derived columns filled the same way for every reader.

    Title and abstract are whitespace-normalized (hard line-wraps undone);
    ``paper_id`` comes from the arXiv id when there is one, else the title;
    ``urls`` and ``n_words`` from the abstract; ``year`` from ``published``
    unless given; ``last_listed_on`` equals ``listed_on``.
    """
    from ..merge import normalize_arxiv_id, normalize_doi, paper_id_for
    from ..text import count_words, find_urls, normalize_whitespace

    title = normalize_whitespace(title)
    abstract = normalize_whitespace(abstract) if abstract else None
    arxiv = normalize_arxiv_id(fields.pop("arxiv_id", None))
    published = fields.get("published")
    if fields.get("year") is None and published is not None and not pd.isna(published):
        fields["year"] = pd.Timestamp(published).year
    if fields.get("doi") is not None:
        fields["doi"] = normalize_doi(fields["doi"]) or fields["doi"]
    fields.setdefault("last_listed_on", fields.get("listed_on"))
    return {
        "paper_id": paper_id_for(arxiv, title),
        "title": title,
        "abstract": abstract,
        "source": os.fspath(path),
        "source_format": source_format,
        "position": position,
        "urls": find_urls(abstract),
        "n_words": count_words(abstract),
        "arxiv_id": arxiv,
        **fields,
    }


def to_date(value: Any) -> pd.Timestamp | None:
    """A timezone-free timestamp (UTC wall time) from an ISO string, or None."""
    if value is None or value == "":
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def split_names(value: Any, *, separators: str = ";") -> list[str]:
    """Author names from a joined string (``"A; B"``) or a list; empty for missing."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    parts = re.split(f"[{re.escape(separators)}]", str(value))
    return [p.strip() for p in parts if p.strip()]
