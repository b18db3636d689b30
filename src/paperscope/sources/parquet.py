"""Parquet: paperscope's own schema written by ``save`` / ``paperscope load --out``,
or arXiv snapshot fields (dispatched to :mod:`.arxiv_snapshot`)."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from .. import schema
from ..errors import SourceFormatError
from . import arxiv_snapshot
from ._base import Parsed

FORMAT = "parquet"
EXPECTED = "a Parquet file with paperscope's schema or arXiv snapshot fields"


def sniff(head: str) -> bool:
    return head.startswith("PAR1")


def parse(path: str | os.PathLike[str], **options: Any) -> Parsed:
    import pyarrow.parquet as pq

    try:
        names = pq.ParquetFile(path).schema_arrow.names
    except Exception as exc:
        raise SourceFormatError(path, None, f"unreadable Parquet ({exc}); expected {EXPECTED}") from None
    if "categories" in names and "versions" in names:
        return arxiv_snapshot.parse_parquet(path, **options)
    missing = [c for c in ("paper_id", "title", "source", "source_format") if c not in names]
    if missing:
        raise SourceFormatError(path, None, f"Parquet columns {names[:10]} lack {missing}; expected {EXPECTED}")
    frame = schema.conform(pd.read_parquet(path).reindex(columns=list(schema.NAMES)))
    parsed = Parsed(os.fspath(path), FORMAT)
    for row in frame.to_dict("records"):
        parsed.records.append({k: (None if not isinstance(v, list) and pd.isna(v) else v)
                               for k, v in row.items()})
    return parsed
