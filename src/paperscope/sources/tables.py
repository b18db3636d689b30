"""Readers for paper tables: JSON lists of records and CSV exports (Scopus, IEEE Xplore,
Springer, paperlists, anything with a title column), with a column mapping.

Columns are matched by name, case-insensitively, against the synonyms in
:data:`SYNONYMS` (``Document Title`` → ``title``, ``Item DOI`` → ``doi``, …);
``columns={"their name": "our column"}`` adds or overrides a mapping. A year
in the file name (``nips2012.json``) fills ``year`` when the rows have none.
A CSV row with more or fewer fields than the header is reported with its
line, never shifted into the wrong columns. A table of hand theme labels
(``title`` + only ``1``/``0``/``?`` columns, what ``evaluate_themes`` reads) is
not a listing: its rows are skipped, each with that reason.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import SourceFormatError
from ..ids import arxiv_year, normalize_arxiv_id
from ..text import strip_markup
from ._base import (
    RECORD_ERRORS,
    BadRecord,
    Parsed,
    Skipped,
    day_in_name,
    describe,
    first_last,
    make_record,
    read_json,
    read_text,
    split_names,
    to_date,
    why,
    year_in,
)

FORMAT_JSON = "json_table"
FORMAT_JSONL = "jsonl_table"
FORMAT_CSV = "csv_table"
EXPECTED_JSON = "a JSON list of paper records with a 'title' field"
EXPECTED_JSONL = "JSON lines: one paper record (an object with a 'title' field) per line"
EXPECTED_CSV = "a CSV table of papers with a header row naming a title column"

#: our column -> header names that mean it (lower-case)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "document title", "item title", "paper title", "article title"),
    "abstract": ("abstract", "abstract note", "summary", "description"),  # abstract note: Zotero
    "authors": ("authors", "author", "author names", "author full names", "author_names"),
    "year": ("year", "publication year", "pub year", "py"),
    "published": ("published", "publication date", "date", "online date", "published date"),
    "doi": ("doi", "item doi"),
    "arxiv_id": ("arxiv_id", "arxiv id", "arxiv", "eprint", "abs"),  # abs: an arXiv listing's abstract-page URL
    "categories": ("categories", "arxiv categories"),
    "venue": ("source title", "publication title", "journal", "venue", "booktitle", "conference"),
    "pdf_url": ("pdf link", "pdf", "pdf_url"),
    "keywords": ("author keywords", "keywords", "index keywords", "ieee terms", "manual tags"),
    "github_repo": ("github", "code", "github_repo"),
    "project_page": ("project", "project page", "project_page"),
    "upvotes": ("upvotes",),
    "comment": ("comment", "comments", "arxiv comment"),  # the arXiv author comment: "Code: https://…"
}
_LIST_COLUMNS = {"authors", "keywords", "categories"}
_MISSING = {"", "n/a", "na", "none", "null", "-"}  # how exports spell an empty cell
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


def _mapping(header: list[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """Header name -> our column."""
    lower = {h.strip().lower(): h for h in header}
    out: dict[str, str] = {}
    for ours, names in SYNONYMS.items():
        for name in names:
            if name in lower and lower[name] not in out and ours not in out.values():
                out[lower[name]] = ours
                break
    for theirs, ours in (columns or {}).items():
        actual = lower.get(theirs.strip().lower())
        if actual is None:  # a name of another file (load warns when no file has it)
            continue
        out = {k: v for k, v in out.items() if v != ours and k != actual}
        out[actual] = ours
    return out


def title_names(columns: Mapping[str, str] | None) -> tuple[str, ...]:
    """The names ``columns`` maps to ``title``, lower case: headers that name a title too."""
    return tuple(k.strip().lower() for k, v in (columns or {}).items() if v == "title")


# 01/02/2026, 1.2.26, 01-02-2026 14:00: day and month in an order the file does not say
_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)(.*)", re.DOTALL)


_ANY_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)")


def date_order(values: Any) -> str | None:
    """How a file writes its all-numeric dates: ``"dmy"``, ``"mdy"``, ``"mixed"`` or None (no evidence).

    The evidence is a date whose first number cannot be a month (``13/02/2026``: day first) or
    whose second cannot (``02/13/2026``: month first); one file, one convention.
    """
    day = month = False
    for value in values:
        m = _NUMERIC_DATE.fullmatch(value) if isinstance(value, str) else None
        if m:
            day |= int(m.group(1)) > 12
            month |= int(m.group(3)) > 12
    return "mixed" if day and month else "dmy" if day else "mdy" if month else None


def _numeric_date(m: re.Match[str], name: str, order: str | None) -> datetime:
    """A date written with numbers only, read in the file's order (see :func:`date_order`).

    Without evidence in the file, ``/`` reads month first (as US spreadsheets write it) and
    ``.`` or ``-`` day first (as European ones do).
    """
    a, sep, b, year, rest = m.groups()
    first, second = int(a), int(b)
    if order == "mixed" and first <= 12 and second <= 12 and first != second:
        raise BadRecord(f"{name} {m.group(0).strip()!r} could be day or month first: this file writes "
                        "dates both ways (one has a day above 12 first, another second)")
    day_first = first > 12 or (second <= 12 and (order == "dmy" or (order is None and sep != "/")))
    day, month = (first, second) if day_first else (second, first)
    full = int(year) if len(year) == 4 else int(year) + (2000 if int(year) < 69 else 1900)  # as strptime's %y
    return to_date(f"{full:04d}-{month:02d}-{day:02d}{rest.rstrip()}", name)


# "2019", "1,234" (thousands separated), "2019.0" (a float column written by a spreadsheet or pandas)
_ISO_DAY = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_WHOLE_NUMBER = re.compile(r"\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?\s*")


def _whole_number(ours: str, raw: Any) -> int:
    """A year or count cell as an int; BadRecord for anything else ("1.2k", "12.7", "20x4", "many")."""
    if type(raw) is int:
        return raw
    if type(raw) is float and raw.is_integer():
        return int(raw)
    m = _WHOLE_NUMBER.fullmatch(raw) if isinstance(raw, str) else None
    if not m:
        raise BadRecord(f"{ours} is {describe(raw)}, expected a whole number")
    return int(m.group(1).replace(",", ""))


_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.-?\s?)+")  # "J.C.", "R.", "J.-P.", "Th."
_ENDS_WITH_INITIALS = re.compile(r"\s(?:[A-Z][a-z]?\.-?)+$")
_GIVEN = re.compile(r"[^\W\d_][\w'-]*(?:\s+(?:[A-Z][a-z]?\.-?)+)?|(?:[A-Z][a-z]?\.-?\s?)+")  # "John", "John A.", "J."


def _comma_names(raw: str) -> list[str]:
    """Authors joined by commas: "A Smith, B Jones", or names that have a comma themselves — older
    Scopus's "Phillips, J.C., Braun, R." (surname, initials, ...) and one "Smith, John" (a single
    author as bibliographies write one) — as "First Last"."""
    if re.search(r"\s+and\s+", raw):  # "Smith, John and Doe, Jane", as BibTeX joins names
        return [name for part in re.split(r"\s+and\s+", raw) for name in _comma_names(part)]
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) >= 2 and len(parts) % 2 == 0 and all(
            _INITIALS.fullmatch(given) and not _INITIALS.fullmatch(surname)
            for surname, given in zip(parts[::2], parts[1::2], strict=True)):
        return [f"{given} {surname}" for surname, given in zip(parts[::2], parts[1::2], strict=True)]
    if len(parts) == 2 and all(parts) and len(parts[0].split()) <= 4 and _GIVEN.fullmatch(parts[1]) \
            and not _ENDS_WITH_INITIALS.search(parts[0]):  # ("Smith A., Jones B." is Scopus's two people)
        # "Smith, John", "van der Berg, Jan", "García Márquez, Gabriel", "van Dyk, David A.": one person
        # ("Alice Smith, Bob Jones" is two: a given name is one word, with initials at most)
        return [f"{parts[1]} {parts[0]}"]
    return split_names(raw, separators=",")


# Springer's CSV joins each author's family name to the next author's given name, with no
# separator: "Vivek K. PallipuramMohammad Bhuiyan". Its header names these columns.
_SPRINGER = frozenset({"Item Title", "Item DOI", "Authors", "Content Type"})
# A family name's start that is followed by a capital inside the name: "McDonald", "LeCun"
_PARTICLES = frozenset({"mc", "mac", "de", "di", "da", "du", "le", "la", "van", "von", "al", "el", "o'", "o’"})


def _given_name_at(text: str, i: int) -> bool:
    """Whether a capitalized word that ends with a space (a given name) starts at ``text[i]``."""
    j = i + 1
    while j < len(text) and text[j].isalpha() and not text[j].isupper():
        j += 1
    return j < len(text) and text[j] == " "


def _run_together_names(raw: str) -> list[str]:
    """Springer's run-together authors apart: a name ends where a lower-case letter (or a Chinese
    character) meets a capital inside its family name (after its first space). After a particle
    ("Mc", "De", "Du") only when a given name follows — a word, then a space ("Jing DuXiaobo Yan")
    — not the rest of a family name ("McDonald", "LeCun", "DeWittMary …"); never before a lone
    last word ("Ronald FitzGerald"). A given name keeps its capitals ("XueJun Yang", "DeHao
    Chen"); a family name written so inside the list is cut ("VanderPlasBrian": no rule tells it
    from "TangGuiBin")."""
    raw = " ".join(raw.split())  # (no-break spaces too)
    names, start, word = [], 0, 0  # where the current name and its current word begin
    for i in range(1, len(raw)):
        a, b = raw[i - 1], raw[i]
        if b == " ":
            word = i + 1
        elif (b.isupper() and (a.islower() or (a.isalpha() and not a.isupper())) and " " in raw[start:i]
              and " " in raw[i:]  # (a lone last word is the end of a family name: "FitzGerald")
              and (raw[word:i].lower() not in _PARTICLES or _given_name_at(raw, i))):
            names.append(raw[start:i].strip())
            start = word = i
    return split_names([*names, raw[start:]])


def _value(ours: str, raw: Any, order: str | None = None) -> Any:
    """One cell or JSON value as our column's type; BadRecord when it cannot be that.

    ``order`` is how the file writes all-numeric dates (:func:`date_order`).
    """
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in _MISSING) or (
            type(raw) is float and raw != raw):  # NaN: how pandas and Python's json write a missing value
        return [] if ours in _LIST_COLUMNS else None
    if ours in _LIST_COLUMNS:
        if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            return split_names(raw)
        if (ours == "authors" and isinstance(raw, list)
                and all(isinstance(v, dict) and isinstance(v.get("name"), str) for v in raw)):
            return split_names([v["name"] for v in raw])  # [{"name": …}] (Semantic Scholar, OpenAlex-like)
        if not isinstance(raw, str):
            raise BadRecord(f"{ours} is {describe(raw)}, expected text or a list of text")
        if ours == "authors":  # "A; B" (IEEE, paperlists) or "A, B" (Scopus, older paperlists)
            if ";" not in raw:
                return _comma_names(raw)
            names = split_names(raw, separators=";")
            # Zotero writes "Last, First; Last, First": as "First Last", the arXiv's order
            return [first_last(n) for n in names] if all(n.count(",") == 1 for n in names) else names
        if ours == "categories":  # "cs.LG stat.ML" as the arXiv snapshot writes them, or "A; B", "A, B"
            return split_names(raw, separators=";" if ";" in raw else ",") if ";" in raw or "," in raw \
                else raw.split()
        return split_names(raw)
    if ours == "year" and isinstance(raw, str) and _ISO_DAY.fullmatch(raw.strip()):
        return int(raw.strip()[:4])  # a Year column holding dates: "2019-05-01"
    if ours == "year" and isinstance(raw, str) and not any(ch.isdigit() for ch in raw):
        return None  # "n.d.", "in press", "forthcoming": no year (as in RIS and BibTeX)
    if ours in ("year", "upvotes"):
        return _whole_number(ours, raw)
    if ours == "published":
        m = _NUMERIC_DATE.fullmatch(raw) if isinstance(raw, str) else None
        return _numeric_date(m, ours, order) if m else to_date(raw, ours)
    if not isinstance(raw, str):
        raise BadRecord(f"{ours} is {describe(raw)}, expected text")
    return raw.strip()


_YEAR_ONLY = re.compile(r"\s*(?:19|20)\d{2}(?:\.0)?\s*")


def _key_of(mapping: dict[str, str], ours: str) -> str | None:
    """Their name of our column ``ours`` in ``mapping`` (None when the file has none)."""
    return next((theirs for theirs, mine in mapping.items() if mine == ours), None)


def _record(path, fmt, number, row: Mapping[str, Any], mapping: dict[str, str], year: int | None,
            line: int | None, order: str | None = None, notes: dict[int, str] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    date_year = None  # the year of a date cell that is no day ("2019", "Spring 2019")
    for theirs, ours in mapping.items():
        if theirs in row:
            try:
                fields[ours] = _value(ours, row[theirs], order)
            except BadRecord as exc:
                if ours != "published" or not isinstance(row[theirs], str):
                    raise
                # "2019", "Spring 2019": a year, kept; "in press", "n.d.": no date, the paper kept
                # without one (as a year column says it); digits that are no year: skipped
                date_year = year_in(row[theirs], ours)
                fields[ours] = None
                if notes is not None:
                    notes[number] = f"{exc}: kept " + (f"its year, {date_year}" if date_year else "without a date")
    if fields.get("published") is not None and _YEAR_ONLY.fullmatch(str(row.get(_key_of(mapping, "published")))):
        date_year, fields["published"] = fields["published"].year, None  # a year is no day: 1 January is made up
    if fields.get("year") is None and date_year is not None:
        fields["year"] = date_year
    if (fields.get("published") is not None and isinstance(fields.get("year"), int)
            and fields["published"].year > fields["year"]):
        # IEEE's "Online Date" of a paper of 2007 put online in 2016: not its first publication
        if notes is not None:
            notes[number] = (f"{_key_of(mapping, 'published')} {fields['published'].date()} is after the "
                             f"publication year {fields['year']}: kept the year, not the date")
        fields["published"] = None
    if row.keys() >= _SPRINGER and len(fields.get("authors") or ()) == 1:
        fields["authors"] = _run_together_names(fields["authors"][0])
    title = fields.pop("title", None)
    if not title:
        raise BadRecord("no title")
    abstract = fields.pop("abstract", None)
    if fields.get("arxiv_id") is None and isinstance(row.get("id"), str) and normalize_arxiv_id(row["id"]):
        fields["arxiv_id"] = row["id"]  # an "id" field that holds arXiv ids ("2401.04088v2")
    if fields.get("year") is None and fields.get("published") is None and isinstance(fields.get("arxiv_id"), str):
        fields["year"] = arxiv_year(normalize_arxiv_id(fields["arxiv_id"]))  # 2512.01234: 2025
    if fields.get("year") is None and year is not None:
        fields["year"] = year
    day = day_in_name(path)
    if day is not None and fields.get("listed_on") is None:
        fields["listed_on"] = day
        fields["listing_label"] = day.date().isoformat()
    return make_record(path, fmt, number, title=strip_markup(title), abstract=strip_markup(abstract), line=line,
                       **fields)


def _scopus_funding(header: list[str], row: list[str]) -> tuple[list[str], str | None]:
    """Scopus writes a record's extra funding texts as unnamed columns after "Funding Text 1".

    Its header names only the first, so such rows have more fields than the
    header. The extra fields sit right after "Funding Text 1"; joining them into
    it puts every other value back under its own header.
    """
    extra = len(row) - len(header)
    if extra <= 0 or "Funding Text 1" not in header:
        return row, None
    i = header.index("Funding Text 1")
    joined = " ".join(cell for cell in row[i:i + extra + 1] if cell.strip())
    return row[:i] + [joined] + row[i + extra + 1:], (
        f"{extra} extra Scopus funding-text field(s) joined into 'Funding Text 1'")


def _year_from_name(path) -> int | None:
    m = _YEAR_IN_NAME.search(Path(path).stem)
    return int(m.group(1)) if m else None


_LABEL_VALUES = {"0", "1", "?", ""}


def _data_rows(text: str) -> list[tuple[int, list[str]]]:
    """(first line, fields) of every non-blank row after the header; empty if the CSV is unreadable."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        next(reader)
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except (csv.Error, StopIteration):
        return []
    return rows


def _label_columns(header: list[str], mapping: dict[str, str], text: str) -> list[str]:
    """The theme columns when the table is hand labels (title + only 1/0/? columns), else ``[]``."""
    if set(mapping.values()) != {"title"} or len(header) < 2:
        return []
    title = next(h for h, ours in mapping.items() if ours == "title")
    others = [i for i, h in enumerate(header) if h != title]
    rows = _data_rows(text)
    if not rows or any(len(row) != len(header) for _, row in rows):
        return []
    if all(row[i].strip() in _LABEL_VALUES for _, row in rows for i in others):
        return [header[i] for i in others]
    return []


_OPEN_QUOTE = (" (the row runs over several lines: a quote opened on its first line is probably never "
               "closed, so the rows after it were read into one field)")


def _span(start: int, end: int) -> str:
    return f"line {start}" if end <= start else f"lines {start}–{end}"


def _quote_problem(raw: str, delimiter: str = ",") -> str | None:
    """Why the text of one multi-line row does not read as exactly one row under strict CSV
    quoting rules, or None when it does."""
    try:
        rows = list(csv.reader(io.StringIO(raw, newline=""), strict=True, delimiter=delimiter))
    except csv.Error as exc:
        return str(exc)
    return None if len(rows) == 1 else f"it reads as {len(rows)} rows when quotes must be doubled"


def sniff_json(head: str) -> bool:
    """A JSON list of records, or records pretty-printed one after another (``jq .`` of JSON lines)."""
    body = head.lstrip("\ufeff \t\r\n")
    pretty = body.startswith("{") and body[1:].lstrip(" \t\r").startswith("\n")
    return (body.startswith("[") or pretty) and '"title"' in head and '"paper"' not in head


def sniff_jsonl(head: str) -> bool:
    """One JSON object per line: the first line is one (or the head ends inside it: a long record),
    and the next non-blank line starts another, or there is none; a title key is somewhere in sight."""
    lines = head.lstrip("\ufeff \t\r\n").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if '"title"' not in head:
        return False
    if not lines[0].startswith("{"):  # a first line that lost its start: the next two lines decide
        rest = [ln.strip() for ln in lines[1:] if ln.strip()][:2]
        return bool(rest) and all(ln.startswith("{") and ln.endswith("}") for ln in rest)
    if len(lines) == 1:  # the head ends inside the first record (or the file is one line)
        return True
    rest = [ln for ln in lines[1:] if ln.strip()]
    if not lines[0].rstrip().endswith("}"):  # a first line cut short: the lines after it decide
        return len(rest) >= 2 and all(ln.lstrip().startswith("{") for ln in rest[:2]) \
            and rest[0].rstrip().endswith("}")
    return not rest or rest[0].lstrip().startswith("{")


def parse_jsonl(path: str | os.PathLike[str], *, columns: Mapping[str, str] | None = None,
                **_: Any) -> Parsed:
    """Read JSON lines, one paper record per line (e.g. a crawl of the arXiv daily listings).

    A line that is not a JSON object is skipped with its line number; a file whose
    first record line is not one is not JSON lines (a SourceFormatError).
    """
    import json

    import orjson

    text = read_text(path, EXPECTED_JSONL, per_record=True)
    parsed = Parsed(os.fspath(path), FORMAT_JSONL)
    items: list[tuple[int, int, Any]] = []  # (line, record number, value)
    number = 0
    first_error: tuple[int, str] | None = None
    for line, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        number += 1
        try:
            item = orjson.loads(raw)
        except orjson.JSONDecodeError:
            try:  # text with bytes that are not UTF-8 (kept as surrogates): make_record skips the record
                item = json.loads(raw)
            except ValueError as exc:
                first_error = first_error or (line, str(exc))
                parsed.skip(line, number, f"line {line}: not JSON ({exc})")
                continue
        items.append((line, number, item))
    if not items and first_error is not None:  # no line is JSON: this is no JSON-lines file
        raise SourceFormatError(path, first_error[0],
                                f"not a JSON object ({first_error[1]}); expected {EXPECTED_JSONL}")
    return _objects(path, parsed, items, columns, EXPECTED_JSONL)


def _objects(path: str | os.PathLike[str], parsed: Parsed, items: list[tuple[int | None, int, Any]],
             columns: Mapping[str, str] | None, expected: str) -> Parsed:
    """Records of JSON objects ``(line or None, record number, value)``, their fields matched by name."""
    header = sorted({k for *_, item in items if isinstance(item, dict) for k in item})
    parsed.fields = {h.strip().lower() for h in header}
    mapping = _mapping(header, columns)
    if "title" not in mapping.values():
        raise SourceFormatError(path, 1, f"no title field among {header[:12]}; expected {expected} "
                                "(or pass columns={'their field': 'title'})")
    year = _year_from_name(path)
    published = _key_of(mapping, "published")
    order = date_order(item.get(published) for *_, item in items if isinstance(item, dict)) if published else None
    # arXiv snapshot records saved as a JSON array (or pretty-printed): read as the snapshot reader
    # reads its lines - arXiv id, "A, B and C" authors, TeX accents, version dates
    snapshot = {"id", "versions"} <= set(header) and ("authors_parsed" in header or "abstract" in header)
    if snapshot:
        from . import arxiv_snapshot
    for line, number, item in items:
        where = f"line {line}" if line is not None else f"record {number}"
        if not isinstance(item, dict):
            parsed.skip(line, number, f"{where} is a {type(item).__name__}, not an object")
            continue
        try:
            if snapshot and "versions" in item:
                rec = arxiv_snapshot.record_of(path, number, item, line)
            else:
                rec = _record(path, parsed.source_format, number, item, mapping, year, line, order, parsed.notes)
        except RECORD_ERRORS as exc:
            parsed.skip(line, number, f"{where}: {why(exc)}")
        else:
            parsed.records.append(rec)
    return parsed


def _delimiter(first_line: str, titles: tuple[str, ...] = ()) -> str | None:
    """The delimiter that makes ``first_line`` a header naming a title column (one of ours, or of
    ``titles``): ``,`` or, as spreadsheets in many locales and tab-separated exports write them,
    ``;`` or a tab."""
    first = first_line.lstrip("\ufeff").lower()
    if first.lstrip().startswith(("{", "[", "<")):
        return None
    for delimiter in (",", ";", "\t"):
        if delimiter != "," and delimiter not in first:
            continue
        try:
            header = next(csv.reader([first], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(header) >= 2 and any(h.strip() in SYNONYMS["title"] or h.strip() in titles for h in header):
            return delimiter
    return None


_EXCEL_SEP = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)  # Excel's first line naming the delimiter


def _header_line(text: str) -> tuple[str, str | None, bool]:
    """The header line, Excel's declared delimiter (``sep=;`` on the first line) or None, and
    whether that declaration line comes first."""
    lines = text.lstrip("\ufeff").split("\n", 2)
    m = _EXCEL_SEP.fullmatch(lines[0])
    if m and len(lines) > 1:
        return lines[1], m.group(1), True
    return lines[0], None, False


def sniff_csv(head: str, titles: tuple[str, ...] = ()) -> bool:
    header, declared, _ = _header_line(head)
    found = _delimiter(header, titles)
    return found is not None and (declared is None or found == declared)


def parse_json(path: str | os.PathLike[str], *, columns: Mapping[str, str] | None = None,
               **_: Any) -> Parsed:
    """Read a JSON list of records (e.g. the NeurIPS paperlists files)."""
    data = read_json(path, EXPECTED_JSON)
    if not isinstance(data, list):
        raise SourceFormatError(path, 1, f"a JSON {type(data).__name__}; expected {EXPECTED_JSON}")
    items = [(None, number, item) for number, item in enumerate(data, start=1)]
    return _objects(path, Parsed(os.fspath(path), FORMAT_JSON), items, columns, EXPECTED_JSON)


def parse_csv(path: str | os.PathLike[str], *, columns: Mapping[str, str] | None = None,
              **_: Any) -> Parsed:
    """Read a CSV export; rows whose field count differs from the header are reported."""
    text = read_text(path, EXPECTED_CSV, per_record=True)
    # Scopus writes whole reference lists in one cell: past the csv module's default 128 KB a row
    # was skipped. The limit is the file's size (a cell cannot be longer), restored afterwards.
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        return _parse_csv(path, text, columns)
    finally:
        csv.field_size_limit(limit)


def _csv_date_order(text: str, delimiter: str, skip: bool, header: list[str],
                    mapping: dict[str, str]) -> str | None:
    """:func:`date_order` of the CSV's published column (None without one)."""
    published = _key_of(mapping, "published")
    if published is None or published not in header or not _ANY_NUMERIC_DATE.search(text):
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    column = header.index(published)
    try:
        for _ in range(1 + skip):
            next(reader)
        return date_order(row[column] for row in reader if len(row) > column)
    except (csv.Error, StopIteration):
        return None  # (the reading proper reports the damage, row by row)


def _parse_csv(path: str | os.PathLike[str], text: str, columns: Mapping[str, str] | None) -> Parsed:
    header_line, declared, skip = _header_line(text)
    delimiter = declared or _delimiter(header_line, title_names(columns)) or ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        if skip:
            next(reader)  # Excel's "sep=;" line
        header = next(reader)
    except (csv.Error, StopIteration) as exc:
        raise SourceFormatError(path, 1, f"no header row ({exc}); expected {EXPECTED_CSV}") from None
    mapping = _mapping(header, columns)
    if "title" not in mapping.values():
        raise SourceFormatError(path, 1, f"no title column in the header {header[:8]}; expected "
                                f"{EXPECTED_CSV} (or pass columns={{'their column': 'title'}})")
    parsed = Parsed(os.fspath(path), FORMAT_CSV, fields={h.strip().lower() for h in header})
    labels = _label_columns(header, mapping, text) if delimiter == "," else []
    if labels:
        # Hand labels for evaluate_themes (title + 1/0/? per theme) sit beside listings in
        # data folders; read as papers they would add title-only rows. Each row is reported.
        shown = ", ".join(labels[:4]) + (", …" if len(labels) > 4 else "")
        for number, (start, _) in enumerate(_data_rows(text), start=1):
            parsed.skipped.append(Skipped(start, number, (
                f"line {start}: theme labels, not a paper — this file is a table of hand labels "
                f"(title + 1/0/? columns: {shown}); pass it as gold (evaluate_themes, --gold)")))
        return parsed
    year = _year_from_name(path)
    order = _csv_date_order(text, delimiter, skip, header, mapping)
    repeated = {name: [i for i, h in enumerate(header) if h == name] for name in mapping if header.count(name) > 1}
    lines: list[str] | None = None  # the file's lines, split as the CSV reader splits them
    number, start = 0, reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            number += 1
            parsed.skip(start, number, f"{_span(start, reader.line_num)}: unreadable CSV ({exc})")
            start = reader.line_num + 1
            continue
        if not any(cell.strip() for cell in row):
            start = reader.line_num + 1
            continue
        number += 1
        end = reader.line_num
        row, note = _scopus_funding(header, row)
        if note:
            parsed.notes[number] = note
        if len(row) != len(header):
            parsed.skip(start, number, f"{_span(start, end)}: {len(row)} fields, the header has {len(header)}; "
                        "reading it would shift values into the wrong columns"
                        + (_OPEN_QUOTE if end > start else ""))
            start = end + 1
            continue
        if end > start:
            # a quoted field over several lines: fine when its quotes pair up; when they do not, a
            # stray quote has pulled the rows after it into one field (read leniently, they would
            # become one paper with the wrong abstract and the others would vanish)
            lines = lines if lines is not None else io.StringIO(text, newline="").readlines()
            problem = _quote_problem("".join(lines[start - 1:end]), delimiter)
            if problem:
                parsed.skip(start, number, f"{_span(start, end)}: one row by its quotes, but they do not "
                            f"pair up ({problem}); a stray quote on line {start} has probably pulled the "
                            "rows after it into one field — fix the quote and reload")
                start = end + 1
                continue
        try:
            cells = dict(zip(reversed(header), reversed(row), strict=True))  # a repeated column: its first
            for name, at in repeated.items():
                if any(row[i].strip() and row[i] != row[at[0]] for i in at[1:]):
                    parsed.notes[number] = "; ".join(filter(None, [parsed.notes.get(number), (
                        f"the column {name!r} appears {len(at)} times with different values; the first is read")]))
            rec = _record(path, FORMAT_CSV, number, cells, mapping, year, start,
                          order, parsed.notes)
        except RECORD_ERRORS as exc:
            parsed.skip(start, number, f"line {start}: {why(exc)}")
        else:
            parsed.records.append(rec)
        start = end + 1
    return parsed
