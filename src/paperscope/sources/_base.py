"""What every source reader returns: the records it read and the ones it skipped."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

    ``records`` are dicts with schema keys; ``skipped`` are what was left out.
    ``n_read`` counts every record the file holds, so that
    ``n_read == len(records) + len(skipped)`` always.
    """

    path: str
    source_format: str
    records: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def n_read(self) -> int:
        return len(self.records) + len(self.skipped)


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
