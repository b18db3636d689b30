"""Source readers, one module per input format, and the sniffing that picks one.

A reader is a module with ``FORMAT`` (its name), ``sniff(head)`` (does this
text look like my format?) and ``parse(path, **options) -> Parsed``.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from ..errors import SourceFormatError
from . import hf_page
from ._base import Parsed, Skipped

READERS: tuple[ModuleType, ...] = (hf_page,)

__all__ = ["READERS", "Parsed", "Skipped", "expand", "parse"]


def expand(sources: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Turn files, folders (read recursively) and glob patterns into a file list.

    Folders skip hidden files and the ``README``/``SOURCE`` notes that data
    folders carry; the order is sorted, so a load is reproducible.
    """
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.parts) \
                        and child.stem.upper() not in {"README", "SOURCE"}:
                    files.append(child)
        elif path.exists():
            files.append(path)
        else:
            matches = sorted(glob.glob(os.fspath(source), recursive=True))
            if not matches:
                raise FileNotFoundError(f"{os.fspath(source)}: no such file, folder or glob match")
            files.extend(Path(m) for m in matches if Path(m).is_file())
    seen: set[Path] = set()
    return [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]


def _head(path: Path, size: int = 4096) -> str:
    with path.open("rb") as fh:
        return fh.read(size).decode("utf-8-sig", errors="replace").replace("\r\n", "\n")


def parse(path: str | os.PathLike[str], *, year: int | None = None) -> Parsed:
    """Read one file with the reader whose ``sniff`` recognizes its content."""
    path = Path(path)
    head = _head(path)
    for reader in READERS:
        if reader.sniff(head):
            return reader.parse(path, year=year)
    # No reader claims it: let the closest one explain what it expected.
    names = ", ".join(r.FORMAT for r in READERS)
    first = next((i for i, ln in enumerate(head.split("\n"), 1) if ln.strip()), 1)
    if not head.strip() or "\x00" in head:
        return hf_page.parse(path, year=year)  # raises the empty/binary error
    raise SourceFormatError(
        path, first, f"unrecognized format (readers: {names}); expected "
        f"{hf_page.EXPECTED}, found {head.split(chr(10))[first - 1][:60]!r}",
    )
