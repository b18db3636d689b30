"""Source readers, one module per input format, and the sniffing that picks one.

Each reader has a format name, ``sniff(head)`` (does the start of a file look
like mine?) and ``parse(path, **options) -> Parsed``. The format is recognized
from the content, not the extension; readers are tried in :data:`READERS` order,
most specific first.
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceFormatError, SourceNotFoundError
from . import arxiv_atom, arxiv_snapshot, bibtex, hf_api, hf_page, parquet, ris, tables
from ._base import Parsed, Skipped, read_text


@dataclass(frozen=True)
class Reader:
    format: str
    sniff: Callable[[str], bool]
    parse: Callable[..., Parsed]


READERS: tuple[Reader, ...] = (
    Reader(parquet.FORMAT, parquet.sniff, parquet.parse),
    Reader(hf_api.FORMAT, hf_api.sniff, hf_api.parse),
    Reader(arxiv_atom.FORMAT, arxiv_atom.sniff, arxiv_atom.parse),
    Reader(arxiv_snapshot.FORMAT, arxiv_snapshot.sniff, arxiv_snapshot.parse),
    Reader(tables.FORMAT_JSON, tables.sniff_json, tables.parse_json),
    Reader(tables.FORMAT_JSONL, tables.sniff_jsonl, tables.parse_jsonl),
    Reader(ris.FORMAT, ris.sniff, ris.parse),
    Reader(bibtex.FORMAT, bibtex.sniff, bibtex.parse),
    Reader(hf_page.FORMAT, hf_page.sniff, hf_page.parse),
    Reader(tables.FORMAT_CSV, tables.sniff_csv, tables.parse_csv),
)
FORMATS = tuple(r.format for r in READERS)

__all__ = ["FORMATS", "NOT_LISTINGS", "READERS", "Parsed", "Reader", "Skipped", "expand", "expand_all", "flat", "parse"]

_NOTES = {"README", "SOURCE", "LICENSE", "CHANGELOG"}


#: Suffixes of files a data folder holds beside its listings that are no paper listing (notes,
#: images, documents, databases — the embedding cache among them —, archives, code): a folder's
#: files so named are left out, and said so. A file named explicitly is always read.
NOT_LISTINGS = frozenset({
    ".md", ".rst", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".sqlite", ".sqlite3", ".db",
    ".corrupt", ".sqlite-journal", ".sqlite-wal", ".sqlite-shm", ".zip", ".tar", ".7z", ".npy", ".npz",
    ".pkl", ".pickle", ".py", ".ipynb", ".toml", ".yaml", ".yml", ".log", ".docx", ".xlsx", ".pptx",
})


def expand(sources: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Turn files, folders (read recursively) and glob patterns into a file list.

    Folders skip hidden files and the ``README``/``SOURCE``/``LICENSE`` notes
    that data folders carry; the order is sorted, so a load is reproducible.
    A file named twice (or inside a folder also named) is read once. What else a
    folder holds that is not read is in :func:`expand_all`'s second list.
    """
    return expand_all(sources)[0]


def flat(sources: Iterable[Any]) -> list[Any]:
    """The paths given, a list or tuple of them (from glob.glob, a notebook parameter) counting as its paths."""
    return [path for source in sources for path in (source if isinstance(source, (list, tuple)) else [source])]


def _not_listing(path: Path) -> str | None:
    """Why a file found in a folder is not read, or None when it is."""
    if not os.path.exists(path):
        return f"a broken link (to {os.readlink(path)!r})" if os.path.islink(path) else "gone while listed"
    if not os.path.isfile(path):
        return "not a regular file (a pipe, socket or device)"
    suffix = path.name[path.name.find(".", 1):].lower() if "." in path.name[1:] else ""
    last = path.suffix.lower()
    if last in NOT_LISTINGS or suffix in NOT_LISTINGS or ".corrupt" in path.name:
        return f"a {last or suffix} file, no paper listing"
    return None


def expand_all(sources: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """:func:`expand`, and the files its folders hold that are not read, each with why
    (:data:`NOT_LISTINGS`, broken links, pipes): a loader reports them, it never drops them silently."""
    files: list[Path] = []
    left_out: list[tuple[Path, str]] = []
    for source in flat(sources):
        if not isinstance(source, (str, os.PathLike)):
            raise SourceNotFoundError(f"{source!r}: a path is text or a pathlib.Path, not a {type(source).__name__}")
        path = Path(source)
        if path.is_dir():
            found = _folder(path, left_out)
            if not found:
                raise SourceNotFoundError(f"{os.fspath(source)}: the folder holds no files to read "
                                          "(hidden files and README/SOURCE/LICENSE notes are not read"
                                          + "".join(f"; {f.name}: {why}" for f, why in left_out[-3:]) + ")")
            files.extend(found)
        elif path.exists():
            if not path.is_file():
                raise SourceNotFoundError(f"{os.fspath(source)}: not a regular file (a pipe, socket or "
                                          "device); save what it gives to a file and load that")
            files.append(path)
        else:
            matches = sorted(glob.glob(os.fspath(source), recursive=True))
            if not matches:
                raise SourceNotFoundError(f"{os.fspath(source)}: no such file, folder or glob match")
            found = [f for m in matches for f in (_folder(Path(m), left_out) if Path(m).is_dir() else [Path(m)])
                     if f.is_file()]
            if not found:
                raise SourceNotFoundError(f"{os.fspath(source)}: the glob matches no files to read")
            files.extend(found)
    seen: set[str] = set()
    unique = []
    for f in files:
        real = os.path.realpath(f)
        if real not in seen:
            seen.add(real)
            unique.append(f)
    return unique, left_out


def _folder(folder: Path, left_out: list[tuple[Path, str]]) -> list[Path]:
    """The files under ``folder`` (linked folders followed, once each), sorted as
    ``sorted(folder.rglob("*"))`` sorts them; what is not read goes to ``left_out``."""
    found: list[tuple[tuple[str, ...], str]] = []
    skipped: list[tuple[tuple[str, ...], Path, str]] = []
    visited = {os.path.realpath(folder)}
    for top, dirs, names in os.walk(folder, followlinks=True):
        rel = () if top == os.fspath(folder) else tuple(Path(top).relative_to(folder).parts)
        keep = []
        for d in dirs:  # hidden folders stay out; a link back to a folder already read is no new folder
            real = os.path.realpath(os.path.join(top, d))
            if not d.startswith(".") and real not in visited:
                visited.add(real)
                keep.append(d)
        dirs[:] = keep
        for name in names:
            if name.startswith(".") or os.path.splitext(name)[0].upper() in _NOTES:
                continue
            full = os.path.join(top, name)
            why = _not_listing(Path(full))
            if why is None:
                found.append((rel + (name,), full))
            else:
                skipped.append((rel + (name,), Path(full), why))
    left_out.extend((path, why) for _, path, why in sorted(skipped, key=lambda item: item[0]))
    return [Path(full) for _, full in sorted(found)]


def _head(path: Path, size: int = 4096) -> str:
    with path.open("rb") as fh:
        raw = fh.read(size)
    if raw.startswith(b"PAR1"):
        return "PAR1"
    return raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")


def reader_for(path: str | os.PathLike[str], format: str | None = None,
               columns: Mapping[str, str] | None = None) -> Reader:
    """The reader for ``path``: the one named by ``format``, else the first whose sniff matches
    (a table whose title column is one ``columns`` names counts as a table)."""
    path = Path(path)
    if format is not None:
        for reader in READERS:
            if reader.format == format:
                return reader
        raise SourceFormatError(path, None, f"unknown format {format!r}; choose one of {FORMATS}")
    head = _head(path)
    for reader in READERS:
        if reader.sniff(head):
            return reader
    if titles := tables.title_names(columns):
        named = head
        for name in titles:  # {"name": …} read as {"title": …}, for the JSON sniffers (as UTF-8 or \u-escaped)
            for spelling in {json.dumps(name, ensure_ascii=False), json.dumps(name)}:
                named = re.sub(re.escape(spelling), '"title"', named, flags=re.IGNORECASE)
        for reader in READERS:
            if reader.format in (tables.FORMAT_JSON, tables.FORMAT_JSONL) and named != head and reader.sniff(named):
                return reader
        if tables.sniff_csv(head, titles):
            return next(r for r in READERS if r.format == tables.FORMAT_CSV)
    if len(head) >= 4000:  # a first record longer than the head (600 authors, sorted keys): look further
        head = _head(path, 1 << 20)
        for reader in READERS:
            if reader.sniff(head):
                return reader
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic.startswith(b"PK\x03\x04"):
        raise SourceFormatError(path, None, "a zip archive: unzip it and load the folder it gives")
    if magic.startswith(b"\x1f\x8b"):
        raise SourceFormatError(path, None, "gzip-compressed: decompress it first (gunzip); paperscope reads "
                                            "uncompressed files")
    if magic[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SourceFormatError(path, None, "UTF-16 text: save it as UTF-8 (iconv -f UTF-16 -t UTF-8, or your "
                                            "editor's 'Save as UTF-8')")
    read_text(path, f"one of the formats {', '.join(FORMATS)}")  # empty / binary: its own error
    first = next((i for i, ln in enumerate(head.split("\n"), 1) if ln.strip()), 1)
    found = head.split("\n")[first - 1][:60]
    raise SourceFormatError(
        path, first, f"unrecognized format: {found!r} matches none of {', '.join(FORMATS)} "
        "(copied HF page, HF API JSON, arXiv Atom, arXiv snapshot lines, JSON, JSON-lines and CSV tables, RIS, "
        "BibTeX, Parquet); if it is one of them, name it: load(..., format=...)"
        + (f"; columns= names {', '.join(map(repr, titles))} as the title, which this file does not hold"
           if (titles := tables.title_names(columns)) else ""),
    )


def parse(path: str | os.PathLike[str], *, format: str | None = None, **options) -> Parsed:
    """Read one file with its reader (see :func:`reader_for`)."""
    return reader_for(path, format).parse(Path(path), **options)
