"""Reader for a copied Hugging Face *Daily Papers* page (select all, copy, paste).

The page text is a header (navigation lines and the listing's date, e.g.
``Sep 9``) followed by one block per paper: the title on its own paragraph,
then the abstract. Copies carry noise that this reader tolerates: CRLF, a BOM,
trailing spaces, runs of blank lines, hard-wrapped abstracts, and per-paper
lines such as ``Submitted by …``, ``· 5 authors`` or an upvote count.

Anything that cannot be placed with confidence — text with no title before
it, a second paragraph after an abstract — is skipped and reported with its
line, never guessed.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from ..errors import SourceFormatError
from ..text import count_words, find_urls, normalize_whitespace
from ._base import RECORD_ERRORS, Parsed, make_record, read_text, why

FORMAT = "hf_page"
EXPECTED = "a copied Hugging Face Daily Papers page ('Daily Papers' header, then titles and abstracts)"

_NAV = {
    "new", "get trending papers in your email inbox!", "subscribe", "daily papers",
    "byak and the research community", "by ak and the research community", "trending",
    "daily", "weekly", "monthly", "previous", "next", "search", "papers",
    # the page's own controls, and the site's navigation when a copy starts at the top of the site
    "search any paper with ai", "submit paper", "view all", "hugging face", "hugging face's logo",
    "models", "datasets", "spaces", "community", "docs", "enterprise", "pricing", "log in", "sign up",
    "posts", "collections", "solutions", "buckets",
}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_DATE = re.compile(
    r"^(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{4}))?$",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
# Per-paper lines a copy can carry; the upvote count is kept, the rest dropped.
_UPVOTES = re.compile(r"^(?:upvote\s*)?(?P<n>\d[\d,]*)(?:\s*upvotes?)?$", re.IGNORECASE)
_META = re.compile(
    r"^(?:·\s*)?(?:submitted by\b.*|\d+\s+authors?|published on\b.*|upvote|"
    r"\d+\s+comments?|·.*|(?:view )?arxiv page|github(?:\s+[\d.,]+k?)?|[\d.,]+k|project page|"
    r"add to collection|view pdf|pdf)$",
    re.IGNORECASE,
)
# A week's or month's listing names its period, not a day: a label, never a listing day
_PERIOD = re.compile(
    r"^(?:week\s+\d{1,2},?\s+\d{4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4})$",
    re.IGNORECASE)
# An organization's name or a control shown beside a paper: a line this short with no abstract
# after it is no paper
_SHORT_WORDS = 2
# A title is one short line; anything longer is prose (an abstract).
_TITLE_MAX_WORDS = 40
_TITLE_MAX_CHARS = 300
# No hard-wrapped text has lines this long (arXiv wraps at 80 columns, mail at 72)
_WRAP_MAX = 120


@dataclass
class _Block:
    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return normalize_whitespace(" ".join(self.lines))


def _blocks(text: str) -> list[_Block]:
    """Paragraphs (runs of non-blank lines) with the line number each starts on."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        if current is None:
            current = _Block(number, [])
            blocks.append(current)
        current.lines.append(line)
    return [piece for block in blocks for piece in _paragraphs(block)]


def _paragraphs(block: _Block) -> list[_Block]:
    """A paragraph as the paragraphs it holds when a copy has single line breaks (some browsers
    copy the page so): the header and what follows it, or a title and its one-line abstract.

    A browser copies an abstract as one line, longer than any title; a hard-wrapped abstract has
    only short lines, and stays one paragraph (the only safe reading of it).
    """
    lines = block.lines
    k = next((i for i, ln in enumerate(lines) if not _is_header([ln])), len(lines))
    if 0 < k < len(lines):  # the header, with no blank line after it
        return [_Block(block.line, lines[:k]), *_paragraphs(_Block(block.line + k, lines[k:]))]
    if len(lines) > 1 and _looks_like_title(_Block(0, lines[:1])) and any(map(_one_line_abstract, lines[1:])):
        return [_Block(block.line + i, [ln]) for i, ln in enumerate(lines)]
    return [block]


def _one_line_abstract(line: str) -> bool:
    """Whether a line is a whole abstract as a browser copies one: longer than any title, or
    a sentence's end after more than any hard wrap leaves on a line (120 columns)."""
    width = _width(line)
    return width > _TITLE_MAX_CHARS or (width >= _WRAP_MAX and line.endswith((".", "。", "．", "!", "?")))


def _width(line: str) -> int:
    """A line's length as it shows: a Chinese or Japanese character is two columns."""
    return len(line) if line.isascii() else sum(
        2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _parse_date(label: str, year: int | None) -> pd.Timestamp | None:
    m = _ISO_DATE.match(label)
    if m:
        return pd.Timestamp(int(m["year"]), int(m["month"]), int(m["day"]))
    m = _DATE.match(label)
    if not m:
        return None
    y = int(m["year"]) if m["year"] else year
    if y is None:
        return None
    return pd.Timestamp(y, _MONTHS[m["month"][:3].lower()], int(m["day"]))


def _is_date(line: str) -> bool:
    return bool(_DATE.match(line) or _ISO_DATE.match(line) or _PERIOD.match(line))


def _is_header(lines: list[str]) -> bool:
    return all(ln.lower() in _NAV or _is_date(ln) for ln in lines)


def _looks_like_title(block: _Block) -> bool:
    text = block.text
    return (
        len(block.lines) == 1
        and len(text) <= _TITLE_MAX_CHARS
        and len(text.split()) <= _TITLE_MAX_WORDS
        and not text.endswith((".", "。", "．"))  # a sentence's end, in Latin or CJK script
        and not find_urls(text)  # "Project page: https://…" closes an abstract; a title holds no link
    )


def parse(path: str | os.PathLike[str], *, year: int | None = None, **_: object) -> Parsed:
    """Read a copied Daily Papers page.

    Parameters
    ----------
    path
        The text file.
    year
        The year of the listing, when the page's date label (``Sep 9``) has none.
        Without it ``listed_on`` stays NaT: a date is never invented.

    Raises
    ------
    SourceFormatError
        For an empty, binary or non-UTF-8 file, or one without the page header.
    """
    text = read_text(path, EXPECTED, per_record=True)
    if "\u00a0" in text:  # a browser's copy may turn spaces into no-break spaces: the header is still the header
        text = text.replace("\u00a0", " ")
    blocks = _blocks(text)
    parsed = Parsed(os.fspath(path), FORMAT)

    # Header: navigation lines and the date, up to the first title.
    label: str | None = None
    label_line = 1
    seen_header = False
    i = 0
    while i < len(blocks):
        lines = blocks[i].lines
        if _is_header(lines):
            seen_header = seen_header or any(ln.lower() == "daily papers" for ln in lines)
            for k, ln in enumerate(lines):
                if _is_date(ln):
                    label, label_line = ln, blocks[i].line + k
            i += 1
            continue
        break
    if not seen_header:
        first = blocks[0]
        raise SourceFormatError(
            path, first.line,
            f"expected {EXPECTED}; found {first.lines[0][:60]!r} before any 'Daily Papers' header",
        )
    def day_of(label: str | None, line: int) -> pd.Timestamp | None:
        try:
            return _parse_date(label, year) if label and not _PERIOD.match(label) else None
        except ValueError:  # "Feb 30", or a year pandas cannot hold
            raise SourceFormatError(path, line, f"the listing date {label!r} (year {year}) is not a day "
                                    "on the calendar") from None

    listed_on = day_of(label, label_line)

    reader = _Reader(parsed, path, label, listed_on)
    for block in blocks[i:]:
        if _is_header(block.lines):  # a second day's header pasted below the first: its date from here on
            dates = [(k, ln) for k, ln in enumerate(block.lines) if _is_date(ln)]
            if dates:
                reader.flush()
                k, reader.label = dates[-1]
                reader.listed_on = day_of(reader.label, block.line + k)
            continue
        block = reader.without_meta(block)
        if block is not None:
            reader.add(block)
    reader.flush()
    if not parsed.records and not parsed.skipped:
        last = blocks[-1]
        raise SourceFormatError(path, last.line + len(last.lines) - 1,
                                f"no papers after the header; expected {EXPECTED}")
    return parsed


@dataclass
class _Paper:
    """A title read, waiting for its abstract (and for a link line that closes it)."""

    title: str
    line: int
    upvotes: int | None
    abstract: str | None = None
    number: int | None = None  # its place among the file's records, given when its abstract is read
    counted: bool = False  # an upvote count was read after its title


class _Reader:
    """The papers of a page, block by block after its header: a title, then its abstract."""

    def __init__(self, parsed: Parsed, path: str | os.PathLike[str], label: str | None,
                 listed_on: pd.Timestamp | None) -> None:
        self.parsed, self.path, self.label, self.listed_on = parsed, path, label, listed_on
        self.pending: _Paper | None = None
        self.stashed_upvotes: int | None = None  # a count seen before its title
        self.name_follows = False  # the submitter's name after a bare "Submitted by"
        self.held: list[_Block] = []  # short lines after an abstract-less title (see add)
        self.held_count: int | None = None  # an upvote count read after them

    def _number(self) -> int:
        return len(self.parsed.records) + len(self.parsed.skipped) + 1

    def without_meta(self, block: _Block) -> _Block | None:
        """``block`` less its per-paper lines (kept: an upvote count, for the paper it belongs to —
        the pending title, else the next one); None when nothing else is left."""
        kept: list[str] = []
        for ln in block.lines:
            up = _UPVOTES.match(ln)
            if self.name_follows:
                self.name_follows = False
            elif ln.lower() == "submitted by":
                self.name_follows = True
            elif up and self.held:  # whose it is depends on what follows the held lines
                self.held_count = int(up["n"].replace(",", ""))
            elif up and self.pending is not None and self.pending.abstract is None:
                self.pending.upvotes = int(up["n"].replace(",", ""))
                self.pending.counted = True
            elif up:
                self.stashed_upvotes = int(up["n"].replace(",", ""))
            elif not _META.match(ln):
                kept.append(ln)
        if not kept:
            return None
        if len(kept) == len(block.lines):
            return block
        return _Block(block.line + block.lines.index(kept[0]), kept)

    def add(self, block: _Block) -> None:
        """Read one paragraph: a title, the pending title's abstract, a link closing that abstract,
        or text that cannot be placed (skipped, saying why)."""
        paper = self.pending
        title = _looks_like_title(block)
        short = title and count_words(block.text) <= _SHORT_WORDS
        if self.held and not short:  # what follows the short lines decides what they were
            self._resolve_labels(abstract_follows=not title)
            paper = self.pending
        if paper is not None and paper.abstract is not None and _is_link_line(block):
            paper.abstract += " " + block.text  # "Project page: https://…" on a line of its own
        elif (short and paper is not None and paper.abstract is None and not paper.counted
              and count_words(paper.title) > _SHORT_WORDS):
            # "NVIDIA" between a title and its abstract is a label beside the paper, not the next
            # title: known once a paragraph other than such a line is read (an abstract, not a title).
            # After an upvote count it is a title: a count opens a paper's card ("Mamba").
            self.held.append(block)
        elif title:
            self._start(block)
        elif paper is not None and paper.abstract is None:
            paper.abstract, paper.number = block.text, self._number()
        else:
            what = "a second paragraph after an abstract" if paper is not None else "text"
            self.parsed.skip(block.line, self._number(),
                             f"{what} with no title before it ({block.text[:60]!r}); "
                             "expected a one-line title, then the abstract")

    def _start(self, block: _Block) -> None:
        """A title: the paper before it is complete."""
        self.flush()
        self.pending = _Paper(block.text, block.line, self.stashed_upvotes)
        self.stashed_upvotes = None

    def _resolve_labels(self, *, abstract_follows: bool) -> None:
        """The short lines held after an abstract-less title: labels when the title's abstract follows
        them (skipped, saying so), else titles of their own (a page of titles alone, a paper without one)."""
        held, self.held = self.held, []
        count, self.held_count = self.held_count, None
        for label in held:
            if abstract_follows:
                self.parsed.skip(label.line, self._number(), f"line {label.line}: {label.text!r} between the "
                                 f"title on line {self.pending.line} and its abstract is too short for a title "
                                 "(an organization or a page label?)")
            else:
                self._start(label)
        if count is not None:  # the count of the paper whose abstract follows, else of the card they open
            self.pending.upvotes = count

    def flush(self) -> None:
        """The pending paper, as a record (or skipped, saying why)."""
        self._resolve_labels(abstract_follows=False)
        paper, self.pending = self.pending, None
        if paper is None:
            return
        number = paper.number or self._number()
        if paper.abstract is None and count_words(paper.title) <= _SHORT_WORDS:
            # "NVIDIA", "arXiv Page": a label beside a paper, not a paper; its count is the next paper's
            self.parsed.skip(paper.line, number, f"line {paper.line}: {paper.title!r} has no abstract "
                             "and is too short for a title (an organization or a page label?)")
            if paper.upvotes is not None and self.stashed_upvotes is None:
                self.stashed_upvotes = paper.upvotes
            return
        try:
            self.parsed.records.append(make_record(
                self.path, FORMAT, number, title=paper.title, abstract=paper.abstract, line=paper.line,
                listing_label=self.label, listed_on=self.listed_on, upvotes=paper.upvotes,
            ))
        except RECORD_ERRORS as exc:  # e.g. an upvote count too large to be one
            self.parsed.skip(paper.line, number, f"line {paper.line}: {why(exc)}")


def _is_link_line(block: _Block) -> bool:
    """A short paragraph that gives a link ("Project page: https://…", "Code: github.com/…")."""
    text = block.text
    return len(block.lines) == 1 and len(text.split()) <= 12 and bool(find_urls(text))


def sniff(head: str) -> bool:
    """True when the start of a file looks like a copied Daily Papers page."""
    lines = [" ".join(ln.split()).lower() for ln in head.split("\n")[:40] if ln.strip()]  # (no-break spaces too)
    return "daily papers" in lines
