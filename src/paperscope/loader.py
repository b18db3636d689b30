"""``paperscope.load``: any mix of sources in, one schema DataFrame out, with an audit."""

from __future__ import annotations

import gc
import os
import textwrap
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any, Literal, overload

import pandas as pd

from . import checks, schema, sources
from .errors import PaperscopeError, SkippedRecordsWarning, SourceFormatError, SourceNotFoundError, check_table
from .merge import merge_duplicates
from .sources import tables
from .sources.arxiv_snapshot import FORMAT as SNAPSHOT
from .sources.arxiv_snapshot import Filters

AUDIT_COLUMNS = ["source", "source_format", "record", "line", "status", "paper_id", "count", "reason"]
AUDIT_DTYPES = {"source": "string", "source_format": "string", "record": "Int64", "line": "Int64",
                "status": "string", "paper_id": "string", "count": "int64", "reason": "string"}


@overload
def load(*paths: str | os.PathLike[str], audit: Literal[False] = ..., **options: Any) -> pd.DataFrame: ...
@overload
def load(*paths: str | os.PathLike[str], audit: Literal[True], **options: Any
         ) -> tuple[pd.DataFrame, pd.DataFrame]: ...


def load(
    *paths,
    year: int | None = None,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    categories: Sequence[str] | str | None = None,
    since: Any = None,
    until: Any = None,
    limit: int | None = None,
    processes: int | None = None,
    audit: bool = False,
):
    """Load papers from files, folders or globs into one schema DataFrame.

    Each file's format is recognized from its content (a copied Daily Papers
    page, Hugging Face ``api/daily_papers`` JSON, arXiv API Atom, arXiv
    snapshot lines or Parquet, JSON, JSON-lines and CSV paper tables such as Scopus, IEEE or
    paperlists exports, RIS, BibTeX, or paperscope's own Parquet). The same
    paper from several records becomes one row (see :mod:`paperscope.merge`).
    Records that cannot be read are skipped, listed in the audit and announced
    with a :class:`~paperscope.errors.SkippedRecordsWarning`.

    Parameters
    ----------
    *paths
        Files, folders (read recursively, sorted) or glob patterns; a list or tuple of them
        counts as its items.
    year
        Year of copied pages whose date label has none (``Sep 9``).
    format
        Force one reader for every file (see ``paperscope.sources.FORMATS``).
    columns
        Extra column mapping for tables: ``{"their column": "title"}``.
    categories, since, until, limit
        Filters, for every format: category prefixes (``"cs.LG"``, ``"astro-ph"``; a comma-separated
        text is several), an inclusive date range on ``published`` (the first version; else
        ``listed_on``), rows kept per file. The arXiv snapshot applies them while streaming (and
        stops reading at ``limit``); records left out are counted in the audit as ``filtered``.
    processes
        How many processes read an arXiv snapshot file of 64 MB or more per
        process: None (default) one per core where forking is safe (Linux, a script or the
        command line, not a notebook kernel); 1 reads in this process only (for
        a wide filter on a machine short of memory: rows are then held once,
        not about twice while they are handed over).
    audit
        Also return the audit: one row per record read with ``status``
        ``loaded`` (it starts a row), ``merged`` (folded into ``paper_id``) or
        ``skipped`` (``reason`` says why; a loaded record that needed a repair
        says which), plus one ``filtered`` row per file
        whose ``count`` says how many records the filters left out. The
        ``count`` column sums to the records read: rows returned + merged +
        skipped + filtered.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)

    Examples
    --------
    >>> import paperscope as ps
    >>> papers = ps.load("seeds/hf-daily-papers-sep-9.txt")  # doctest: +SKIP
    >>> papers, audit = ps.load("data/hf/", "export.csv", audit=True)  # doctest: +SKIP
    """
    if not paths:
        raise PaperscopeError("load() needs at least one file, folder or glob")
    filters = _checked_options(year, format, columns, categories, since, until, limit, processes)
    options = {"year": year, "columns": columns, "categories": categories, "since": since,
               "until": until, "limit": limit, "processes": processes}
    files, left_out = sources.expand_all(paths)
    named = {os.path.realpath(p) for p in _given_files(paths)}
    with _cyclic_gc_paused():
        parsed = []
        for path in files:
            try:
                reader = sources.reader_for(path, format, columns)
            except SourceFormatError as exc:
                if os.path.realpath(path) in named:
                    raise
                # a file a folder holds that is no listing (notes.txt, old.csv.gz): said, not fatal
                left_out.append((path, f"no paper listing ({textwrap.shorten(exc.message, 160, placeholder=' …')})"))
                continue
            parsed.append(_filtered(reader.parse(path, **options), filters, limit))
        if not parsed:
            raise SourceNotFoundError(f"no paper listing among the files given: {_some(left_out)}")
        frame = records_frame(parsed)
        merged, row_to_paper = merge_duplicates(frame)
        schema.validate(merged)

    _warn_unmatched(parsed, filters, columns)
    if left_out:
        warnings.warn(f"did not read {len(left_out)} file(s) found in the folders given: {_some(left_out)} "
                      "(a file named on its own is read whatever its name; the audit lists them)",
                      SkippedRecordsWarning, stacklevel=2)
    skipped = [(p, s) for p in parsed for s in p.skipped]
    if skipped:
        by_file: dict[str, int] = {}
        for p, _ in skipped:
            by_file[p.path] = by_file.get(p.path, 0) + 1
        detail = "; ".join(f"{path}: {n}" for path, n in by_file.items())
        first_file, first = skipped[0]
        where = f", line {first.line}" if first.line else (f", record {first.record}" if first.record else "")
        if first.reason.startswith(("line ", "lines ", "record ")):
            where = ""  # the reason names it
        warnings.warn(
            f"skipped {len(skipped)} record(s) that could not be read ({detail}); first: "
            f"{first_file.path}{where}: {first.reason}. Pass audit=True to list them all.",
            SkippedRecordsWarning, stacklevel=2,
        )
    if not audit:
        return merged
    return merged, _audit(parsed, row_to_paper, left_out)


def _checked_options(year: Any, format: Any, columns: Any, categories: Any, since: Any, until: Any,
                     limit: Any, processes: Any) -> Filters:
    """The filters of :func:`load`, every option checked first: a typo is an error naming the
    option, never an empty corpus blamed on a file."""
    if year is not None:
        checks.year("year", year, "the year of a copied page's dates without one ('Sep 9')")
    if format is not None and format not in sources.FORMATS:
        raise PaperscopeError(f"format={format!r} is no format paperscope reads; choose one of {sources.FORMATS}")
    if columns is not None:
        if not isinstance(columns, Mapping) or not all(
                isinstance(k, str) and k.strip() and isinstance(v, str) for k, v in columns.items()):
            raise PaperscopeError(f"columns={columns!r}: a mapping from a column or field name of your files to "
                                  "one of paperscope's, e.g. {'Paper Name': 'title'}")
        unknown = sorted(set(columns.values()) - set(tables.SYNONYMS))
        if unknown:
            raise PaperscopeError(f"columns={dict(columns)!r}: {', '.join(map(repr, unknown))} is not a column "
                                  f"paperscope reads from a table; choose from {sorted(tables.SYNONYMS)}")
    for name, value, none in (("limit", limit, "no limit"), ("processes", processes, "one per core")):
        if value is not None:
            checks.count(name, value, none=none)
    try:
        filters = Filters(categories, since, until)
    except ValueError as exc:
        raise PaperscopeError(str(exc)) from None
    if filters.since is not None and filters.until is not None and filters.since > filters.until:
        raise PaperscopeError(f"since={since!r} is after until={until!r}: no paper could be kept")
    return filters


def _filtered(parsed: sources.Parsed, filters: Filters, limit: int | None) -> sources.Parsed:
    """``parsed`` with the filters applied, for the readers that do not apply them while reading
    (the arXiv snapshot's do): categories by the records' ``categories``; dates by ``published``,
    else ``listed_on``, else ``year`` (a year in the range, even in part, is kept: NeurIPS, BibTeX
    and RIS give only years); and the first ``limit`` records kept. Left-out records count as
    filtered; ``parsed.unfilterable`` gains ``"categories"`` when a categories filter met a file
    that lists none, ``"dates"`` when a date filter left out records with no date at all."""
    if parsed.source_format == SNAPSHOT or not (filters.active or limit is not None):
        return parsed
    cols = parsed.records.columns
    if filters.categories and not any(cols["categories"]):
        parsed.unfilterable.add("categories")
    low = filters.since.year if filters.since is not None else None
    high = filters.until.year if filters.until is not None else None
    keep, kept, undated = [], 0, 0
    for cats, published, listed, year in zip(cols["categories"], cols["published"], cols["listed_on"],
                                             cols["year"], strict=True):
        day = published if published is not None else listed
        if day is not None or (low is None and high is None):
            in_range = filters.date_ok(day)
        elif year is not None:
            in_range = (low is None or year >= low) and (high is None or year <= high)
        else:
            in_range, undated = False, undated + 1
        ok = (limit is None or kept < limit) and in_range and filters.category_ok(" ".join(cats or ()))
        keep.append(ok)
        kept += ok
    if undated:
        parsed.unfilterable.add("dates")
    if all(keep):
        return parsed
    for name, column in cols.items():
        cols[name] = [v for v, k in zip(column, keep, strict=True) if k]
    parsed.filtered += len(keep) - kept
    parsed.filter_note = ", ".join(filter(None, [filters.describe(), f"the first {limit} kept" if limit else ""]))
    return parsed


def _warn_unmatched(parsed: Sequence[sources.Parsed], filters: Filters, columns: Mapping[str, str] | None) -> None:
    """Say when a filter met files that cannot pass it, or a ``columns`` name is in no file read."""
    for lacking, what in (("categories", f"categories={list(filters.categories)}: {{n}} file(s) list no arXiv "
                                             "categories (e.g. {first}); every record of them was left out"),
                       ("dates", "since/until: {n} file(s) hold records with no date, not even a year (e.g. "
                                      "{first}); those records were left out")):
        bare = [p.path for p in parsed if lacking in p.unfilterable]
        if bare:
            warnings.warn(what.format(n=len(bare), first=bare[0]), SkippedRecordsWarning, stacklevel=3)
    if columns:
        found = set().union(*(p.fields for p in parsed))
        missing = [k for k in columns if k.strip().lower() not in found]
        if missing:
            warnings.warn(f"columns=: {', '.join(map(repr, missing))} is in no file read (names are matched "
                          "ignoring case); those files were read by their own column names", SkippedRecordsWarning,
                          stacklevel=3)


def _given_files(paths: Sequence[Any]) -> list[str]:
    """The paths given that are files themselves (not folders or globs): read whatever they hold."""
    return [os.fspath(p) for p in sources.flat(paths) if isinstance(p, (str, os.PathLike)) and os.path.isfile(p)]


def _some(left_out: Sequence[tuple[Path, str]]) -> str:
    """The first three files not read, each with why."""
    return "; ".join(f"{path}: {why}" for path, why in left_out[:3]) + ("; …" if len(left_out) > 3 else "")


def records_frame(parsed: Sequence[sources.Parsed]) -> pd.DataFrame:
    """One schema frame of the records of every file, in order (before merging)."""
    return schema.from_columns({name: list(chain.from_iterable(p.records.columns[name] for p in parsed))
                                for name in schema.NAMES})


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while records are built.

    Reading creates hundreds of thousands of small dicts and lists that all live on (none is
    garbage, none forms a cycle); every few hundred of them the collector would walk the
    young ones, and now and then every object in the process, to find nothing. Reference
    counting still frees everything as usual; the collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _audit(parsed: list[sources.Parsed], row_to_paper: pd.Series,
           left_out: Sequence[tuple[Path, str]] = ()) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    i = 0
    for p in parsed:
        for position, line in zip(p.records.columns["position"], p.records.columns["line"], strict=True):
            pid = row_to_paper.iloc[i]
            i += 1
            first = pid not in seen
            seen.add(pid)
            note = p.notes.get(position)
            reason = note if first else "; ".join(filter(None, ["same paper as an earlier record", note]))
            rows.append({"source": p.path, "source_format": p.source_format, "record": position,
                         "line": line, "status": "loaded" if first else "merged",
                         "paper_id": pid, "count": 1, "reason": reason})
        for s in p.skipped:
            rows.append({"source": p.path, "source_format": p.source_format, "record": s.record,
                         "line": s.line, "status": "skipped", "paper_id": None, "count": 1,
                         "reason": s.reason})
        if p.filtered:
            rows.append({"source": p.path, "source_format": p.source_format, "record": None,
                         "line": None, "status": "filtered", "paper_id": None, "count": p.filtered,
                         "reason": f"{p.filtered} record(s) outside the filters ({p.filter_note})"})
    for path, why in left_out:  # files of a folder not read: no records, so they count 0
        rows.append({"source": os.fspath(path), "source_format": None, "record": None, "line": None,
                     "status": "skipped", "paper_id": None, "count": 0, "reason": f"{NOT_READ}: {why}"})
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS).astype(AUDIT_DTYPES)


#: How the audit's row of a folder's file that holds no paper listing begins (skipped, count 0).
NOT_READ = "file not read"


def unread_files(audit: pd.DataFrame) -> pd.Series:
    """Which rows of the audit are a folder's files not read (no paper listing): no records, and
    no source file of the papers."""
    check_table(audit, {"reason"}, "unread_files takes the audit of ps.load(..., audit=True)")
    return audit["reason"].str.startswith(NOT_READ, na=False)


def audit_summary(audit: pd.DataFrame) -> pd.DataFrame:
    """Per source: records read, loaded, merged, skipped, filtered (the CLI prints this)."""
    check_table(audit, {"source", "status", "count"}, "audit_summary takes the audit of ps.load(..., audit=True)")
    table = audit.pivot_table(index="source", columns="status", values="count", aggfunc="sum",
                              fill_value=0, observed=True)
    table = table.reindex(columns=["loaded", "merged", "skipped", "filtered"], fill_value=0)
    table.insert(0, "read", table.sum(axis=1))
    table.columns.name = None
    return table.astype("int64")


def save(papers: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write papers to Parquet with the schema's dtypes (``load`` reads it back unchanged).

    An existing file is never replaced unless ``overwrite=True``; a name that says another format
    (``papers.csv``) is an error rather than a Parquet file under that name.
    """
    check_table(papers, {"paper_id", "title"}, "save takes the papers, a frame from ps.load")
    check_parquet_name(path)
    target = check_output(path, overwrite=overwrite)
    schema.validate(papers)
    write_file(target, lambda out: papers.to_parquet(out, index=False))
    return Path(path)


#: Suffixes of formats other than Parquet: a file so named would be read as that format.
OTHER_FORMATS = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".xlsx", ".xls", ".ris", ".bib",
                 ".html", ".xml", ".pkl", ".pickle", ".feather", ".arrow")


def check_parquet_name(path: str | os.PathLike[str]) -> None:
    """Raise when ``path`` names another format than the Parquet :func:`save` writes."""
    suffixes = [x.lower() for x in Path(os.fspath(path)).suffixes]
    if suffixes and suffixes[-1] in (".gz", ".bz2", ".xz", ".zst", ".zip"):  # papers.csv.gz: the csv counts
        suffixes.pop()
    suffix = suffixes[-1] if suffixes else ""
    if suffix in OTHER_FORMATS:
        raise PaperscopeError(f"{os.fspath(path)}: papers are saved as Parquet (the list columns, authors and "
                              f"keywords, do not fit a {suffix} table); name it .parquet")


def check_output(path: str | os.PathLike[str], *, overwrite: bool = False,
                 hint: str = "pass overwrite=True") -> Path:
    """The file ``path`` names, checked before the work that produces it, not after.

    Its folder must exist; it must not be a folder (nor be written as one, ``out/``) and, unless
    ``overwrite``, must not exist. A symbolic link is followed: the file it points to is the one
    written (and must pass the same checks).
    """
    name = os.fspath(path)
    if name.endswith(("/", os.sep)):
        raise PaperscopeError(f"{name}: names a folder; give a file name")
    target = Path(name)
    if target.is_symlink():
        target = target.resolve()
    if target.is_dir():
        raise PaperscopeError(f"{name}: is a folder; give a file name")
    if target.exists() and not overwrite:
        raise PaperscopeError(f"{name}: exists; refusing to overwrite it ({hint})")
    if not target.parent.is_dir():
        raise PaperscopeError(f"{name}: its folder {target.parent} does not exist")
    return target


def write_file(target: Path, write: Any) -> None:
    """Call ``write(file)`` so that ``target`` (checked by :func:`check_output`) ends up whole or untouched.

    A regular file is written beside it and renamed into place; anything else that exists (a
    device such as ``/dev/null``, a pipe) is written directly.
    """
    direct = target.exists() and not target.is_file()
    tmp = target if direct else target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        if not direct:
            tmp.replace(target)
    except OSError as exc:
        if not direct:
            tmp.unlink(missing_ok=True)
        raise PaperscopeError(f"{target}: cannot write it ({exc.strerror or exc})") from None
