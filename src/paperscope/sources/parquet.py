"""Parquet: paperscope's own schema written by ``save`` / ``paperscope load --out``,
or arXiv snapshot fields (dispatched to :mod:`.arxiv_snapshot`)."""

from __future__ import annotations

import os
from typing import Any

from .. import schema
from ..errors import SourceFormatError
from ..text import count_words
from . import arxiv_snapshot
from ._base import RECORD_ERRORS, BadRecord, Parsed, check_field, why

FORMAT = "parquet"
EXPECTED = "a Parquet file with paperscope's schema or arXiv snapshot fields"
_REQUIRED_TEXT = ("paper_id", "title", "source", "source_format")


def sniff(head: str) -> bool:
    return head.startswith("PAR1")


def _row(number: int, row: dict[str, Any]) -> dict[str, Any]:
    """One saved row, each value checked against its schema column."""
    record = {name: check_field(name, row.get(name)) for name in schema.NAMES}
    for name in _REQUIRED_TEXT:
        if not record[name]:
            raise BadRecord(f"{name} is empty")
    if record["position"] is None:
        record["position"] = number
    if record["n_words"] is None:
        record["n_words"] = count_words(record["abstract"])
    return record


def parse(path: str | os.PathLike[str], **options: Any) -> Parsed:
    """Read paperscope's own Parquet (or arXiv snapshot fields); a row with a bad value is skipped."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        names = pq.ParquetFile(path).schema_arrow.names
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError or others on a damaged footer
        raise SourceFormatError(path, None, f"unreadable Parquet ({exc}); expected {EXPECTED}") from None
    if "categories" in names and "versions" in names:
        return arxiv_snapshot.parse_parquet(path, **options)
    missing = [c for c in _REQUIRED_TEXT if c not in names]
    if missing:
        raise SourceFormatError(path, None, f"Parquet columns {names[:10]} lack {missing}; expected {EXPECTED}")
    try:
        rows = pq.read_table(path, columns=[n for n in schema.NAMES if n in names]).to_pylist()
    except (pa.ArrowException, OSError, ValueError) as exc:  # damaged pages, bytes that are not UTF-8
        raise SourceFormatError(path, None, f"unreadable Parquet ({type(exc).__name__}: {exc}); "
                                f"expected {EXPECTED}") from None
    parsed = Parsed(os.fspath(path), FORMAT)
    for number, row in enumerate(rows, start=1):
        try:
            parsed.records.append(_row(number, row))
        except RECORD_ERRORS as exc:
            parsed.skip(None, number, f"row {number}: {why(exc)}")
    return parsed
