"""The paper DataFrame contract: one row per paper, these columns, these dtypes.

Every loader returns a frame built by :func:`from_records` (or :func:`from_columns`) and
every public function that takes papers can call :func:`validate`. The table :data:`COLUMNS`
is the single source of truth; the schema table in ``docs/reference.md`` is generated from it
(``python -m paperscope.schema``) and a test keeps the two in sync.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .errors import SchemaError

STRING = pd.StringDtype()
INT = pd.Int64Dtype()
DATE = "datetime64[ns]"
LIST = "object"  # a Python list of str in every row (empty list when unknown)


@dataclass(frozen=True)
class Column:
    """One column of the paper schema."""

    name: str
    dtype: Any
    description: str
    required: bool = False  # must be non-null in every row


COLUMNS: tuple[Column, ...] = (
    Column("paper_id", STRING, "Stable id: `arxiv:<id>` (version stripped) when the arXiv id "
           "is known, else `title:<hash>` of the normalized title.", required=True),
    Column("title", STRING, "Title, whitespace-normalized.", required=True),
    Column("abstract", STRING, "Abstract, whitespace-normalized; NA when the source has none."),
    Column("source", STRING, "The file the row came from, as the caller named it "
           "(several, `; `-joined, after a merge).", required=True),
    Column("source_format", STRING, "Reader that produced the row, e.g. `hf_page`.",
           required=True),
    Column("position", INT, "1-based order of the paper in its source.", required=True),
    Column("line", INT, "1-based line of the source where the paper starts (NA for "
           "formats without lines)."),
    Column("listing_label", STRING, "The listing's own date text, e.g. `Sep 9`."),
    Column("listed_on", DATE, "Day the paper was listed; NaT unless the year is known."),
    Column("urls", LIST, "Links found in the abstract and the author comment (project pages, code)."),
    Column("n_words", INT, "Words in the abstract (0 when there is none; in Chinese and Japanese each ideograph "
           "or kana counts as one).", required=True),
    Column("arxiv_id", STRING, "arXiv id without version, e.g. `2409.01234`, "
           "`hep-th/9901001`."),
    Column("doi", STRING, "DOI, lower-cased, without `https://doi.org/`."),
    Column("published", DATE, "First publication date (e.g. arXiv v1)."),
    Column("authors", LIST, "Author names in order."),
    Column("upvotes", INT, "Hugging Face upvotes, when the source has them."),
    Column("categories", LIST, "Subject categories, primary first (e.g. arXiv `cs.LG`)."),
    Column("year", INT, "Publication year (from `published`, or the source's year field / file name)."),
    Column("last_listed_on", DATE, "Latest day the paper was listed (after merging several listings)."),
    Column("updated", DATE, "Latest version date (arXiv)."),
    Column("venue", STRING, "Journal, conference or series."),
    Column("comment", STRING, "Author comment (arXiv), e.g. pages and where it appeared."),
    Column("journal_ref", STRING, "Journal reference (arXiv)."),
    Column("pdf_url", STRING, "Link to the PDF."),
    Column("keywords", LIST, "Keywords: the authors', the index's, or Hugging Face's `ai_keywords`."),
    Column("num_comments", INT, "Comments on the Hugging Face paper page."),
    Column("github_repo", STRING, "Code repository linked by the source."),
    Column("github_stars", INT, "Stars of that repository when the source was fetched."),
    Column("project_page", STRING, "Project page linked by the source."),
    Column("organization", STRING, "Organization that submitted the paper (Hugging Face)."),
)

NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
_BY_NAME = {c.name: c for c in COLUMNS}
_NAME_SET = frozenset(NAMES)
_LIST_COLUMNS = tuple(c.name for c in COLUMNS if c.dtype == LIST)
_DTYPE_NAMES = {c.name: str(pd.api.types.pandas_dtype(c.dtype)) for c in COLUMNS}
_JUST_LISTS = {list}


def empty() -> pd.DataFrame:
    """Return a frame with every schema column, the right dtypes and no rows."""
    return from_records([])


def from_records(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build a schema-conforming frame from dicts; missing keys become NA.

    Parameters
    ----------
    records
        One mapping per paper. Keys outside the schema are an error, so that a
        typo in a loader cannot silently drop a field.
    """
    rows = list(records)
    if not rows:
        return conform(pd.DataFrame({name: [] for name in NAMES}, dtype=object))
    frame = pd.DataFrame(rows, dtype=object)  # dicts to columns in C; the columns are every key seen
    unknown = set(frame.columns) - _NAME_SET
    if unknown:
        first = next(i for i, row in enumerate(rows) if row.keys() - _NAME_SET)
        raise SchemaError(f"record {first + 1}: unknown columns {sorted(unknown)}")
    return conform(frame.reindex(columns=list(NAMES)))


def from_columns(columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Build a schema-conforming frame from one list of values per schema column.

    The same frame as :func:`from_records` of the same records (None is NA), without a
    dict per record.

    Parameters
    ----------
    columns
        Every schema column's values, all of the same length, in any order.
    """
    unknown = columns.keys() - _NAME_SET
    if unknown or len(columns) != len(NAMES):
        raise SchemaError(f"unknown columns {sorted(unknown)}" if unknown else
                          f"missing columns {[n for n in NAMES if n not in columns]}")
    return conform(pd.DataFrame({name: columns[name] for name in NAMES}, dtype=object))


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast a frame that has the schema's columns to the schema's dtypes and order."""
    missing = [n for n in NAMES if n not in frame.columns]
    if missing:
        raise SchemaError(f"missing columns {missing}")
    frame = frame.reset_index(drop=True)  # (no copy of the data)
    columns = {}
    for col in COLUMNS:
        series = frame[col.name]
        if col.dtype == LIST:
            values = series.tolist()
            if series.dtype != object or not set(map(type, values)) <= _JUST_LISTS:  # (checked in C)
                values = [v if type(v) is list else list(v) if isinstance(v, tuple) or hasattr(v, "tolist")
                          else [] for v in values]
            columns[col.name] = pd.Series(values, index=frame.index, dtype=object)
        elif series.dtype == col.dtype:  # already right: not cast (or copied) again
            columns[col.name] = series
        elif col.dtype == DATE:
            columns[col.name] = pd.to_datetime(series, utc=False).astype(DATE)
        else:
            columns[col.name] = series.astype(col.dtype)
    # one frame from the columns: no column-by-column insertion into a copy
    return pd.DataFrame(columns, copy=False)


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Check that ``frame`` follows the schema; return it unchanged.

    Raises
    ------
    SchemaError
        Naming the first column that is missing, has the wrong dtype, holds a
        null where one is not allowed, or (for ``paper_id``) a duplicate.
    """
    if list(frame.columns[: len(NAMES)]) != list(NAMES):
        missing = [n for n in NAMES if n not in frame.columns]
        raise SchemaError(
            f"columns must start with {list(NAMES)}; missing {missing}" if missing
            else f"columns out of order: {list(frame.columns)}"
        )
    for col in COLUMNS:
        series = frame[col.name]
        if str(series.dtype) != _DTYPE_NAMES[col.name]:
            raise SchemaError(f"column {col.name!r} has dtype {series.dtype}, expected {col.dtype}")
        if col.required and series.isna().any():
            row = int(series.isna().to_numpy().argmax())
            raise SchemaError(f"column {col.name!r} is null in row {row}")
        if col.dtype == LIST and not set(map(type, series.tolist())) <= _JUST_LISTS:  # (checked in C)
            bad = [i for i, v in enumerate(series) if not isinstance(v, list)]
            if bad:
                raise SchemaError(f"column {col.name!r} must hold lists; row {bad[0]} does not")
    dup = frame["paper_id"].duplicated()
    if dup.any():
        raise SchemaError(f"duplicate paper_id {frame['paper_id'][dup].iloc[0]!r}")
    return frame


def check_unique_ids(papers: pd.DataFrame) -> None:
    """Raise :class:`SchemaError` when a ``paper_id`` occurs more than once (each would count twice)."""
    repeated = papers["paper_id"][papers["paper_id"].duplicated()]
    if len(repeated):
        raise SchemaError(f"{repeated.nunique()} paper_id(s) occur more than once, e.g. {repeated.iloc[0]!r}: "
                          "each paper once (paperscope.load merges duplicates; or drop_duplicates('paper_id'))")


def markdown_table() -> str:
    """The schema as a Markdown table (pasted into docs/reference.md; a test compares)."""
    lines = ["| column | dtype | meaning |", "|---|---|---|"]
    for col in COLUMNS:
        dtype = "list[str]" if col.dtype == LIST else str(pd.api.types.pandas_dtype(col.dtype))
        req = " Never null." if col.required else ""
        lines.append(f"| `{col.name}` | {dtype} | {col.description}{req} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(markdown_table())
