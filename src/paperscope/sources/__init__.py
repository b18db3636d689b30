"""Source readers, one module per input format, and the sniffing that picks one.

Each reader has a format name, ``sniff(head)`` (does the start of a file look
like mine?) and ``parse(path, **options) -> Parsed``. The format is recognized
from the content, not the extension; readers are tried in :data:`READERS` order,
most specific first.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable
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

__all__ = ["FORMATS", "READERS", "Parsed", "Reader", "Skipped", "expand", "parse"]

_NOTES = {"README", "SOURCE", "LICENSE", "CHANGELOG"}


def expand(sources: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Turn files, folders (read recursively) and glob patterns into a file list.

    Folders skip hidden files and the ``README``/``SOURCE``/``LICENSE`` notes
    that data folders carry; the order is sorted, so a load is reproducible.
    A file named twice (or inside a folder also named) is read once.
    """
    files: list[Path] = []
    flat: list[Any] = []
    for source in sources:  # a list of paths (from glob.glob, a notebook parameter) counts as its paths
        flat.extend(source if isinstance(source, (list, tuple)) else [source])
    for source in flat:
        if not isinstance(source, (str, os.PathLike)):
            raise SourceNotFoundError(f"{source!r}: a path is text or a pathlib.Path, not a {type(source).__name__}")
        path = Path(source)
        if path.is_dir():
            found = _folder(path)
            if not found:
                raise SourceNotFoundError(f"{os.fspath(source)}: the folder holds no files to read "
                                          "(hidden files and README/SOURCE/LICENSE notes are not read)")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            matches = sorted(glob.glob(os.fspath(source), recursive=True))
            if not matches:
                raise SourceNotFoundError(f"{os.fspath(source)}: no such file, folder or glob match")
            found = [f for m in matches for f in (_folder(Path(m)) if Path(m).is_dir() else [Path(m)])
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
    return unique


def _folder(folder: Path) -> list[Path]:
    """The files under ``folder``, sorted as ``sorted(folder.rglob("*"))`` sorts them."""
    found: list[tuple[tuple[str, ...], str]] = []
    for top, dirs, names in os.walk(folder):
        rel = () if top == os.fspath(folder) else tuple(Path(top).relative_to(folder).parts)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            full = os.path.join(top, name)
            if not name.startswith(".") and os.path.splitext(name)[0].upper() not in _NOTES \
                    and os.path.isfile(full):
                found.append((rel + (name,), full))
    return [Path(full) for _, full in sorted(found)]


def _head(path: Path, size: int = 4096) -> str:
    with path.open("rb") as fh:
        raw = fh.read(size)
    if raw.startswith(b"PAR1"):
        return "PAR1"
    return raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")


def reader_for(path: str | os.PathLike[str], format: str | None = None) -> Reader:
    """The reader for ``path``: the one named by ``format``, else the first whose sniff matches."""
    path = Path(path)
    if format is not None:
        for reader in READERS:
            if reader.format == format:
                return reader
        raise ValueError(f"unknown format {format!r}; choose one of {FORMATS}")
    head = _head(path)
    for reader in READERS:
        if reader.sniff(head):
            return reader
    if len(head) >= 4000:  # a first record longer than the head (600 authors, sorted keys): look further
        head = _head(path, 1 << 20)
        for reader in READERS:
            if reader.sniff(head):
                return reader
    with path.open("rb") as fh:
        magic = fh.read(4)
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
        "BibTeX, Parquet); if it is one of them, name it: load(..., format=...)",
    )


def parse(path: str | os.PathLike[str], *, format: str | None = None, **options) -> Parsed:
    """Read one file with its reader (see :func:`reader_for`)."""
    return reader_for(path, format).parse(Path(path), **options)
