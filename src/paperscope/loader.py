"""``paperscope.load``: any mix of sources in, one schema DataFrame out, with an audit."""

from __future__ import annotations

import os
import warnings
from typing import Literal, overload

import pandas as pd

from . import schema, sources
from .errors import SkippedRecordsWarning
from .merge import merge_duplicates

AUDIT_COLUMNS = ["source", "source_format", "record", "line", "status", "paper_id", "reason"]


@overload
def load(*paths: str | os.PathLike[str], year: int | None = ...,
         audit: Literal[False] = ...) -> pd.DataFrame: ...
@overload
def load(*paths: str | os.PathLike[str], year: int | None = ...,
         audit: Literal[True]) -> tuple[pd.DataFrame, pd.DataFrame]: ...


def load(*paths, year=None, audit=False):
    """Load papers from files, folders or globs into one schema DataFrame.

    The format of each file is recognized from its content. Rows that describe
    the same paper are merged (see :func:`paperscope.merge.merge_duplicates`).
    Records that cannot be read with confidence are skipped, listed in the
    audit and announced with a :class:`~paperscope.errors.SkippedRecordsWarning`.

    Parameters
    ----------
    *paths
        Files, folders (read recursively, sorted) or glob patterns.
    year
        Year of listings whose date label has none (a copied page says ``Sep 9``).
    audit
        Also return the audit: one row per record read, with ``status``
        ``loaded``, ``merged`` (into ``paper_id``) or ``skipped`` (with ``reason``).
        Records read = rows returned + merged + skipped.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The papers (columns in :data:`paperscope.schema.COLUMNS`) and, with
        ``audit=True``, the audit.

    Examples
    --------
    >>> import paperscope as ps
    >>> papers = ps.load("seeds/hf-daily-papers-sep-9.txt")  # doctest: +SKIP
    >>> len(papers)  # doctest: +SKIP
    62
    """
    if not paths:
        raise TypeError("load() needs at least one file, folder or glob")
    parsed = [sources.parse(p, year=year) for p in sources.expand(paths)]
    frame = schema.from_records(r for p in parsed for r in p.records)
    merged, absorbed = merge_duplicates(frame)
    schema.validate(merged)

    skipped = [(p, s) for p in parsed for s in p.skipped]
    if skipped:
        by_file = {}
        for p, _ in skipped:
            by_file[p.path] = by_file.get(p.path, 0) + 1
        detail = "; ".join(f"{path}: {n}" for path, n in by_file.items())
        first = skipped[0]
        warnings.warn(
            f"skipped {len(skipped)} record(s) that could not be read with confidence ({detail}); "
            f"first: {first[0].path}, line {first[1].line}: {first[1].reason}. "
            "Pass audit=True to list them all.",
            SkippedRecordsWarning, stacklevel=2,
        )
    if not audit:
        return merged

    absorbed_keys = set(zip(absorbed["source"], absorbed["position"], strict=True))
    rows = []
    for p in parsed:
        for r in p.records:
            merged_away = (r["source"], r["position"]) in absorbed_keys
            rows.append({
                "source": p.path, "source_format": p.source_format, "record": r["position"],
                "line": r.get("line"), "status": "merged" if merged_away else "loaded",
                "paper_id": r["paper_id"],
                "reason": "same paper as an earlier record" if merged_away else None,
            })
        for s in p.skipped:
            rows.append({
                "source": p.path, "source_format": p.source_format, "record": s.record,
                "line": s.line, "status": "skipped", "paper_id": None, "reason": s.reason,
            })
    report = pd.DataFrame(rows, columns=AUDIT_COLUMNS).astype({
        "source": "string", "source_format": "string", "record": "Int64", "line": "Int64",
        "status": "string", "paper_id": "string", "reason": "string",
    })
    return merged, report
