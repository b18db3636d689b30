"""What every source reader shares: the result type, file reading, and the one record builder.

The record builder (:func:`make_record`) is also where a record's fields are checked
against the schema: a title that is a number, ``upvotes: "many"``, a date that is not a
date, a list of authors that is a string — each raises :class:`BadRecord`, which the
reader turns into a skipped record (file, line or record number, and why) instead of
losing the whole file.
"""

from __future__ import annotations

import functools
import json
import os
import re
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from operator import and_
from pathlib import Path
from typing import Any

import orjson

from .. import schema
from ..errors import SchemaError, SourceFormatError
from ..ids import normalize_arxiv_id, normalize_doi, paper_id_for
from ..text import count_words, find_urls, has_pdf_artefacts, repair_pdf_text


@dataclass(frozen=True)
class Skipped:
    """A record that could not be read with confidence, and why."""

    line: int | None
    record: int | None
    reason: str


class Records:
    """The records read from one file, held column by column (one list per schema column).

    Readers add a record dict at a time (:meth:`append`) or whole columns at once
    (:meth:`extend`); the loader joins the columns of every file into one frame without
    building a dict per record or a frame per file.
    """

    __slots__ = ("columns",)

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in schema.NAMES}

    def __len__(self) -> int:
        return len(self.columns["title"])

    def append(self, record: Mapping[str, Any]) -> None:
        """Add one record (a dict with schema keys; a key left out is NA)."""
        unknown = record.keys() - self.columns.keys()
        if unknown:  # a reader's typo must not drop a field silently
            raise SchemaError(f"record {len(self) + 1}: unknown columns {sorted(unknown)}")
        for name, column in self.columns.items():
            column.append(record.get(name))

    def extend(self, columns: Mapping[str, list[Any]]) -> None:
        """Add several records given as columns of equal length (a column left out is NA)."""
        unknown = columns.keys() - self.columns.keys()
        if unknown:
            raise SchemaError(f"record {len(self) + 1}: unknown columns {sorted(unknown)}")
        n = len(next(iter(columns.values())))
        for name, column in self.columns.items():
            values = columns.get(name)
            column.extend(values if values is not None else [None] * n)


@dataclass
class Parsed:
    """The outcome of reading one source file.

    ``records`` are the records read (:class:`Records`, column by column); ``skipped``
    are what could not be read; ``filtered`` counts records outside the caller's
    filters. ``n_read`` counts every record the file holds: ``records + skipped + filtered``.
    """

    path: str
    source_format: str
    records: Records = field(default_factory=Records)
    skipped: list[Skipped] = field(default_factory=list)
    filtered: int = 0  # records left out by the caller's filters (counted, not listed)
    filter_note: str = ""
    notes: dict[int, str] = field(default_factory=dict)  # position -> what was repaired
    fields: set[str] = field(default_factory=set)  # a table's column or field names, lower case
    unfilterable: set[str] = field(default_factory=set)  # "categories", "dates": what a filter found none of

    @property
    def n_read(self) -> int:
        return len(self.records) + len(self.skipped) + self.filtered

    def skip(self, line: int | None, record: int | None, reason: str) -> None:
        """Record that one record was skipped, and why (the reason names where)."""
        if not reason.isascii():  # quoted text may hold undecodable bytes: show them escaped
            reason = reason.encode("utf-8", "backslashreplace").decode("utf-8")
        self.skipped.append(Skipped(line, record, reason))


class BadRecord(ValueError):
    """One record has a field of the wrong type or an impossible value; the reader skips it."""


#: What reading one record may raise on malformed input: the reader skips that record
#: (saying why) and goes on with the next. Anything else is a bug and propagates.
RECORD_ERRORS = (BadRecord, TypeError, AttributeError, IndexError, KeyError, ValueError,
                 OverflowError, RecursionError)


def why(exc: BaseException) -> str:
    """The reason text for a record skipped because of ``exc``."""
    if isinstance(exc, BadRecord):
        return str(exc)
    return f"unreadable ({type(exc).__name__}: {exc})"


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def year_in(text: str, name: str = "year") -> int | None:
    """The year a free-text year field gives: its four-digit number ("2019", "c2019", "2019///",
    "2019-05-01"); None when it holds no digit ("in press", "n.d."); BadRecord when its digits
    are no four-digit year ("98", "20x0"), since a guess would be a wrong number."""
    found = _YEAR.search(text)
    if found:
        return int(found.group(1))
    if any(ch.isdigit() for ch in text):
        raise BadRecord(f"{name} is {describe(text)}, expected a four-digit year")
    return None


_DAY_NAME = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")


@functools.lru_cache(maxsize=256)
def day_in_name(path: str | os.PathLike[str]) -> datetime | None:
    """The day a file is named by (``2026-05-19.jsonl``, ``2024-12-02.json``: how crawls of daily
    listings and ``paperscope fetch`` save them), else None (a date inside a longer name may be an
    export's)."""
    m = _DAY_NAME.fullmatch(Path(path).name.split(".", 1)[0])
    if not m:
        return None
    try:
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


_JOINED_NAMES = re.compile(r",\s*|\s+and\s+")


def arxiv_names(text: str) -> list[str]:
    """Author names as the arXiv joins them: ``"A, B and C"``."""
    return [a.strip() for a in _JOINED_NAMES.split(text) if a.strip()]


def first_last(name: str) -> str:
    """A bibliography's ``Last, First`` (or ``Last, Jr., First``) as ``First Last`` (``First Last Jr.``),
    the order the arXiv and Hugging Face give, so that one author is one name across sources."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and parts[0] and parts[2]:
        return " ".join(filter(None, (parts[2], parts[0], parts[1])))
    return name.strip()


def describe(value: Any) -> str:
    """``int 42``, ``list ['a', 'b']``: a short description of a value for a message."""
    return f"{type(value).__name__} {reprlib.repr(value)}"


def _check_bytes(raw: bytes, path: str | os.PathLike[str], expected: str) -> None:
    if not raw or raw.isspace():  # (no copy of the file, unlike strip())
        raise SourceFormatError(path, 1, f"the file is empty; expected {expected}")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise SourceFormatError(path, line, f"binary data (a NUL byte); expected {expected}")


def read_text(path: str | os.PathLike[str], expected: str, *, per_record: bool = False) -> str:
    """Read a text file as UTF-8, with a clear error for empty or binary files.

    A UTF-8 byte-order mark is dropped and CRLF/CR line ends become LF.

    Parameters
    ----------
    path
        The file.
    expected
        Words for the error message: what this file was supposed to be.
    per_record
        For formats read record by record: bytes that are not UTF-8 are kept as lone
        surrogates (``surrogateescape``) instead of failing the file, and
        :func:`make_record` skips the record whose text holds them.
    """
    raw = Path(path).read_bytes()
    _check_bytes(raw, path, expected)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if per_record:
            text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "surrogateescape")
            return text.replace("\r\n", "\n").replace("\r", "\n")
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceFormatError(
            path, line, f"not UTF-8 text (byte {raw[exc.start]:#04x}); expected {expected}"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_json(path: str | os.PathLike[str], expected: str) -> Any:
    """Parse a whole JSON file (with orjson), with the same empty/binary/UTF-8 errors as :func:`read_text`."""
    raw = Path(path).read_bytes()
    _check_bytes(raw, path, expected)
    try:
        return orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        text = read_text(path, expected)  # invalid UTF-8 gets its own message, naming the line
        if "NaN" in text or "Infinity" in text:  # what Python's json.dump and pandas write for a missing number
            try:
                return json.loads(text, parse_constant=lambda _: None)
            except ValueError:
                pass
        documents, broken = _json_stream(text)
        if documents is not None:
            return documents
        if broken is not None:  # documents one after another, one of them broken: name its line
            error, complete = broken
            where = f"in a document after {complete} complete one(s)"
            raise SourceFormatError(path, error.lineno, f"not valid JSON ({error.msg}, {where}); "
                                                        f"expected {expected}") from None
        raise SourceFormatError(path, exc.lineno, f"not valid JSON ({exc.msg}); expected {expected}") from None


def _json_stream(text: str) -> tuple[list[Any] | None, tuple[json.JSONDecodeError, int] | None]:
    """Several JSON documents one after another (``jq`` without ``-c`` writes objects so) as one list.

    Objects become the list's items; lists (several saved responses) are joined. ``(None, (error,
    n))`` when a document after ``n`` complete ones is broken (the error names its line), ``(None,
    None)`` when the text is not a sequence of two or more documents.
    """
    decoder, documents, at = json.JSONDecoder(), [], 0
    text = text.lstrip("\ufeff")
    while True:
        while at < len(text) and text[at] in " \t\n\r":
            at += 1
        if at == len(text):
            break
        try:
            document, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            if not documents:
                return None, None
            return None, (exc, len(documents))
        documents.append(document)
    if len(documents) < 2:
        return None, None
    if all(isinstance(d, list) for d in documents):
        return [item for d in documents for item in d], None
    return (documents if all(isinstance(d, dict) for d in documents) else None), None


# ---------------------------------------------------------------------------------------
# The record builder

_KIND = {c.name: ("list" if c.dtype == schema.LIST else "date" if c.dtype == schema.DATE
                  else "int" if c.dtype == schema.INT else "str") for c in schema.COLUMNS}
_SURROGATE = re.compile("[\udc80-\udcff]")
_STR_ONLY = {str}
_NONE = type(None)
_INT_LIMIT = 2**63  # Int64
# datetime64[ns] holds 1677-09-21 … 2262-04-11
_FIRST_DAY, _LAST_DAY = datetime(1677, 9, 22), datetime(2262, 4, 11)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise BadRecord(f"{name} is {describe(value)}, expected text")
    if not value.isascii() and _SURROGATE.search(value):
        byte = ord(_SURROGATE.search(value).group()) - 0xDC00
        raise BadRecord(f"{name} holds a byte that is not UTF-8 ({byte:#04x}); a file saved in another "
                        "encoding (e.g. Windows-1252) loads whole once re-saved as UTF-8")
    return value


def check_field(name: str, value: Any) -> Any:
    """``value`` checked against the schema column ``name`` (None passes)."""
    if value is None:
        return None
    kind = _KIND[name]
    if kind == "str":
        return _text(value, name)
    if kind == "int":
        if type(value) is not int:  # bool is an int to Python, not to us
            raise BadRecord(f"{name} is {describe(value)}, expected a whole number")
        if value < 0:  # years and counts (upvotes, comments, stars) are never negative
            raise BadRecord(f"{name} is {value}, expected a count or year (0 or more)")
        if value >= _INT_LIMIT:
            raise BadRecord(f"{name} is {reprlib.repr(value)}, too large for a count")
        return value
    if kind == "date":
        if not isinstance(value, datetime):
            raise BadRecord(f"{name} is {describe(value)}, expected a date")
        if value != value:  # NaT
            return None
        if not _FIRST_DAY <= value <= _LAST_DAY:
            raise BadRecord(f"{name} {value:%Y-%m-%d} is outside the dates a table can hold (1677-2262)")
        return value
    if not isinstance(value, (list, tuple)):
        raise BadRecord(f"{name} is {describe(value)}, expected a list of text")
    if not set(map(type, value)) <= {str} or _SURROGATE.search("".join(value)):
        for item in value:  # the slow path names the bad item
            _text(item, f"an item of {name}")
    return list(value)


#: What a listing writes where it has no abstract (NeurIPS's pages: "Abstract Unavailable",
#: a cut-off "Part of"): no abstract, so that themes and topics do not read it as one
_PLACEHOLDER_ABSTRACTS = {"abstract unavailable", "abstract not available", "no abstract available",
                          "no abstract", "not available", "part of", "n/a", "na", "none", "null", "-",
                          "[no abstract available]", "abstract", "tbd", "tba"}


def _placeholder(text: str) -> bool:
    return text.casefold().strip(" .:") in _PLACEHOLDER_ABSTRACTS


def _words(text: str) -> tuple[str, int]:
    """``text`` whitespace-normalized (runs of whitespace -> one space, stripped), its PDF extraction
    artefacts repaired (:func:`paperscope.text.repair_pdf_text`), and its word count."""
    # Most text is printable ASCII with single spaces inside and, at most, hard line wraps
    # (arXiv): then turning the line ends into spaces normalizes it, in a few passes in C,
    # where splitting would allocate a string per word. Anything else is split and joined.
    if has_pdf_artefacts(text):
        text = repair_pdf_text(text)
    elif text.isascii():
        flat = (text.replace("\n", " ") if "\n" in text else text).strip(" ")
        if "  " not in flat and flat.isprintable():  # (no tab, no control character)
            return flat, flat.count(" ") + 1 if flat else 0
    words = text.split()
    return " ".join(words), count_words(text, words)


def _links(abstract: str | None, comment: Any = None) -> list[str]:
    """Links of the abstract, then of the author comment ("Code: https://github.com/…", as arXiv
    authors often write it)."""
    urls = find_urls(abstract)
    if type(comment) is str and (more := find_urls(comment)):  # (find_urls returns at once when it holds none)
        urls = list(dict.fromkeys(urls + more))
    return urls


def make_record(path: str | os.PathLike[str], source_format: str, position: int, title: Any,
                abstract: Any = None, **fields: Any) -> dict[str, Any]:
    """A schema record with the derived columns filled the same way for every reader.

    Title and abstract are whitespace-normalized (hard line-wraps undone);
    ``paper_id`` comes from the arXiv id when there is one, else the title;
    ``urls`` and ``n_words`` from the abstract; ``year`` from ``published``
    unless given; ``last_listed_on`` equals ``listed_on``.

    Raises
    ------
    BadRecord
        When a field has the wrong type for its schema column (text, whole
        number, date, list of text) or an impossible value, or the title is empty.
    """
    if type(title) is not str or not title.isascii():
        _text(title, "title")
    title = _words(title)[0]
    if not title:
        raise BadRecord("the title is empty")
    n_words = 0
    if abstract is not None:
        if type(abstract) is not str or not abstract.isascii():
            _text(abstract, "abstract")
        abstract, n_words = _words(abstract)
        if n_words <= 4 and _placeholder(abstract):
            abstract, n_words = "", 0
        abstract = abstract or None
    raw_id = fields.pop("arxiv_id", None)
    arxiv = normalize_arxiv_id(_text(raw_id, "arxiv_id")) if raw_id is not None else None
    if arxiv is None and type(fields.get("doi")) is str and "48550" in fields["doi"]:
        # arXiv's own DOI (10.48550/arXiv.2106.09685), as Zotero and Mendeley export preprints
        arxiv = normalize_arxiv_id(fields["doi"])
    for name, value in fields.items():
        # the common cases are checked inline: this runs for every field of every record
        if value is None:
            continue
        kind, t = _KIND[name], type(value)
        if t is str and kind == "str":
            fields[name] = _tidy(value if value.isascii() else check_field(name, value))
            continue
        if (
                t is int and kind == "int" and 0 <= value < _INT_LIMIT) or (
                t is datetime and kind == "date" and _FIRST_DAY <= value <= _LAST_DAY) or (
                t is list and kind == "list" and (not value or (
                    set(map(type, value)) == _STR_ONLY and "".join(value).isascii()))):
            continue
        fields[name] = check_field(name, value)
    published = fields.get("published")
    if fields.get("year") is None and published is not None:
        fields["year"] = published.year
    doi = fields.get("doi")
    if doi is not None:
        fields["doi"] = normalize_doi(doi) or doi
    fields.setdefault("last_listed_on", fields.get("listed_on"))
    return {
        "paper_id": f"arxiv:{arxiv}" if arxiv else paper_id_for(None, title),
        "title": title,
        "abstract": abstract,
        "source": path if type(path) is str else os.fspath(path),
        "source_format": source_format,
        "position": position,
        "urls": _links(abstract, fields.get("comment")),
        "n_words": n_words,
        "arxiv_id": arxiv,
        **fields,
    }


_OTHER_SPACE = re.compile(r"[^\S ]")  # any whitespace but the space: a tab, a line end, a no-break space
# In values joined with NUL (and NUL at both ends): one with a space at an end, other whitespace or
# a double space, or an empty one — a column that :func:`_tidy` would change
_UNTIDY = re.compile(r"\0\s|\s\0|  |\0\0|" + _OTHER_SPACE.pattern)


def _tidy(text: str) -> str | None:
    """A text field single-spaced ("Comments: 12 pages,\\n  3 figures", a padded name), None when blank."""
    if text and text.strip() == text and "  " not in text and (text.isprintable() or not _OTHER_SPACE.search(text)):
        return text
    return " ".join(text.split()) or None


#: Per schema kind: is a value one that make_record keeps as it is, without a question?
_PLAIN = {
    "str": lambda v: v is None or (type(v) is str and (v.isascii() or _SURROGATE.search(v) is None)),
    "int": lambda v: v is None or (type(v) is int and 0 <= v < _INT_LIMIT),
    "date": lambda v: v is None or (type(v) is datetime and v.tzinfo is None and _FIRST_DAY <= v <= _LAST_DAY),
    "list": lambda v: v is None or (type(v) is list and (not v or (set(map(type, v)) == _STR_ONLY and (
        "".join(v).isascii() or _SURROGATE.search("".join(v)) is None)))),
}


def _text_ok(text: str) -> bool:
    return text.isascii() or _SURROGATE.search(text) is None


def _all_plain(kind: str, values: list[Any]) -> bool:
    """Whether every value passes ``_PLAIN[kind]``, checked for the whole column at once (in C)."""
    types = set(map(type, values))
    present = values
    if _NONE in types:
        types.discard(_NONE)
        present = [v for v in values if v is not None]
    if kind == "str":
        return types <= _STR_ONLY and _text_ok("".join(present))
    if kind == "int":
        return types <= {int} and (not present or min(present) >= 0 and max(present) < _INT_LIMIT)
    if kind == "date":
        return types <= {datetime} and (not present or (not any(d.tzinfo is not None for d in present)
                                                        and min(present) >= _FIRST_DAY and max(present) <= _LAST_DAY))
    items = list(chain.from_iterable(present))
    return types <= {list} and set(map(type, items)) <= _STR_ONLY and _text_ok("".join(items))


def _words_column(texts: list[str | None]) -> list[tuple[str | None, int]]:
    """:func:`_words` of each text (None stays None), for the common case in a few passes over all of them."""
    flat = [t if t is None or not t.isascii() else t.replace("\n", " ").strip(" ") for t in texts]
    joined = "|".join([f for f in flat if f and f.isascii()])  # ("|" is printable and no space)
    if "  " not in joined and joined.isprintable() and "(cid:" not in joined:  # every ASCII text is normalized
        return [(None, 0) if f is None else (f, f.count(" ") + 1 if f else 0) if f.isascii() else _words(f)
                for f in flat]
    return [_words(t) if t is not None else (None, 0) for t in texts]


def _rows(flags: list[bool], *columns: Any) -> list[Any]:
    """The values of the flagged rows, of each list or dict of lists in ``columns``."""
    keep = [i for i, ok in enumerate(flags) if ok]
    return [{name: [v[i] for i in keep] for name, v in c.items()} if isinstance(c, dict) else [c[i] for i in keep]
            for c in columns]


def make_columns(path: str | os.PathLike[str], source_format: str, positions: list[int], title: list[Any],
                 abstract: list[Any], **fields: list[Any]) -> tuple[dict[str, list[Any]], list[bool]]:
    """What :func:`make_record` gives for many records at once, as columns, for the plain ones.

    Takes one list per argument of :func:`make_record` (a value per record) and builds the
    records whose every value is plainly of its column's type (text, a whole number, a
    timezone-free date in range, a list of text, or None) and whose title is text that is
    not empty: exactly what :func:`make_record` would build from them, a column at a time.
    The other records are left to :func:`make_record`, which builds them or says why not.

    Returns
    -------
    columns, plain
        ``columns`` holds the schema columns of the plain records, in order;
        ``plain[i]`` says whether record ``i`` is among them.
    """
    plain = None  # every record so far, or a flag per record
    for kind, values in (("title", title), ("str", abstract), *((_KIND[n], v) for n, v in fields.items())):
        if kind == "title":
            if set(map(type, values)) <= _STR_ONLY and _text_ok("".join(values)):
                continue
            flags = [type(t) is str and _text_ok(t) for t in values]
        elif _all_plain(kind, values):
            continue
        else:
            flags = list(map(_PLAIN[kind], values))
        plain = flags if plain is None else list(map(and_, plain, flags))
    if plain is not None:
        title, abstract, positions, fields = _rows(plain, title, abstract, positions, fields)
    titles = [t for t, _ in _words_column(title)]
    if "" in titles:  # a title of whitespace only: left to make_record, which says so
        nonempty = iter([t != "" for t in titles])
        plain = [ok and next(nonempty) for ok in (plain or [True] * len(titles))]
        titles, abstract, positions, fields = _rows([t != "" for t in titles], titles, abstract, positions, fields)
    words = [(None, 0) if n <= 4 and a and _placeholder(a) else (a, n) for a, n in _words_column(abstract)]
    abstract = [a or None for a, _ in words]
    arxiv = [normalize_arxiv_id(v) if v is not None else None for v in fields.pop("arxiv_id", [None] * len(titles))]
    published = fields.get("published")
    if published is not None:
        year = fields.get("year", [None] * len(titles))
        fields["year"] = [p.year if y is None and p is not None else y for y, p in zip(year, published, strict=True)]
    for name, values in fields.items():
        if _KIND[name] == "str" and _UNTIDY.search("\0".join(v for v in values if v is not None).join("\0\0")):
            fields[name] = [v if v is None else _tidy(v) for v in values]
    if "doi" in fields:
        fields["doi"] = [d if d is None else normalize_doi(d) or d for d in fields["doi"]]
    if "listed_on" in fields:
        fields.setdefault("last_listed_on", fields["listed_on"])
    source = path if type(path) is str else os.fspath(path)
    return {
        "paper_id": [f"arxiv:{a}" if a else paper_id_for(None, t) for a, t in zip(arxiv, titles, strict=True)],
        "title": titles,
        "abstract": abstract,
        "source": [source] * len(titles),
        "source_format": [source_format] * len(titles),
        "position": positions,
        "urls": list(map(_links, abstract, fields.get("comment") or [None] * len(titles))),
        "n_words": [n for _, n in words],
        "arxiv_id": arxiv,
        **fields,
    }, plain if plain is not None else [True] * len(titles)


def add_in_order(parsed: Parsed, batch: list[Any], status: list[bool | None],
                 columns: dict[str, list[Any]] | None, plain: list[bool], one: Callable[[Any], None]) -> None:
    """Add the records of a batch read a column at a time to ``parsed``, in the batch's order.

    ``status[i]`` is True where ``batch[i]`` was a candidate for :func:`make_columns`
    (whose ``columns`` and ``plain`` are given), False where it is left to ``one(batch[i])``
    (which reads it the record-by-record way: keeps it, or skips it saying why), and None
    where the filters left it out.
    """
    if columns is not None and all(plain) and False not in status:  # the common case
        parsed.records.extend(columns)
        return
    row = candidate = 0
    for item, found in zip(batch, status, strict=True):
        if found is None:
            continue
        if found and plain[candidate]:
            parsed.records.append({name: values[row] for name, values in columns.items()})
            row += 1
        else:
            one(item)
        candidate += found


def to_date(value: Any, name: str = "date") -> datetime | None:
    """A timezone-free datetime (UTC wall time) from an ISO string or a datetime; None for none.

    Raises
    ------
    BadRecord
        For a value that is not text or a date, or text that is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            value = _parse_other(value, name)
    elif not isinstance(value, datetime):
        raise BadRecord(f"{name} is {describe(value)}, expected a date")
    if value.tzinfo is not None:  # ("Z" is UTC already: no conversion needed)
        value = value.replace(tzinfo=None) if value.tzinfo is UTC else value.astimezone(UTC).replace(tzinfo=None)
    return value


def _parse_other(text: str, name: str) -> datetime:
    import pandas as pd

    ts = None
    if any(ch.isdigit() for ch in text):  # pandas would read "now" and "today" as dates
        try:
            ts = pd.Timestamp(text)
        except (ValueError, TypeError, OverflowError):
            ts = None
    if ts is None or ts is pd.NaT:
        raise BadRecord(f"{name} {reprlib.repr(text)} is not a date") from None
    return ts.to_pydatetime()


def split_names(value: Any, *, separators: str = ";") -> list[str]:
    """Author names from a joined string (``"A; B"``) or a list; empty for missing."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    parts = re.split(f"[{re.escape(separators)}]", str(value))
    return [p.strip() for p in parts if p.strip()]
