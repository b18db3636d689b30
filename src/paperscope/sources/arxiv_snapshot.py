"""Reader for the arXiv metadata snapshot (``arxiv-metadata-oai-snapshot.json``).

One JSON object per line with 14 keys (``id``, ``title``, ``abstract``,
``categories``, ``versions``, …), or the same fields as Parquet. The file can
be several GB, so it is read in blocks of a few MB and filtered before it is
parsed:

* with a category filter, the block is searched (``bytes.find``, at memory
  speed) for the category prefixes; only the lines that contain one are looked
  at, their ``categories`` value checked from the raw bytes, and only those
  that pass are parsed (orjson). The other lines are counted as filtered without
  being parsed — which is safe because every line of the block was first seen
  to carry a plain ``"categories": "…"`` string; a block where that does not
  hold (a damaged or unusual line) is read line by line instead;
* a date filter is checked on the first version's date, from the raw text
  when no category filter narrowed the lines already.

Memory grows with the rows kept, not the file. A line that is not JSON, not
UTF-8, or has a field of the wrong type is skipped and reported with its line
number; the rest of the file is read.

A file of :data:`PARALLEL_MIN` bytes or more per core is read on every core: cut
at line ends into one range per process, each range read as above by its own process,
the results joined in file order — the same records, skips and counts as one
process gives. The extra processes are forked, which is safe only where the
calling process runs one thread (on Linux): a script or the command line. A
notebook kernel runs several, so there the file is read in one process (fresh
processes would re-run a script's top level, so none are started). A process
that fails has its range read by the caller instead.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ..errors import SourceFormatError
from ._base import (
    RECORD_ERRORS,
    BadRecord,
    Parsed,
    add_in_order,
    arxiv_names,
    describe,
    make_columns,
    make_record,
    to_date,
    why,
)

FORMAT = "arxiv_snapshot"
EXPECTED = "arXiv metadata snapshot lines (one JSON object per line with 'id', 'categories', 'versions')"
_CATEGORIES = re.compile(rb'"categories"\s*:\s*"([^"\\\n]*)"')
_FIRST_VERSION = re.compile(rb'"versions"\s*:\s*\[\s*\{[^}]*?"created"\s*:\s*"([^"\\\n]*)"')
_RFC2822 = re.compile(r"\w{3}, (\d{1,2}) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT")
_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
BLOCK = 8 << 20  # bytes read at a time (a line longer than this is read whole)
PARALLEL_MIN = 64 << 20  # bytes per process, at least, when a file is read on several cores


def sniff(head: str) -> bool:
    first = head.lstrip().split("\n", 1)[0]
    # categories as text ("cs.LG stat.ML"): a list is a JSON-lines table of another schema
    return first.startswith("{") and _TEXT_CATEGORIES.search(first) is not None and '"id"' in first and (
        '"versions"' in first or '"abstract"' in first)


_TEXT_CATEGORIES = re.compile(r'"categories"\s*:\s*"')


def _created(value: Any) -> datetime | None:
    """A version's date: ``Mon, 2 Apr 2007 19:18:42 GMT`` (as UTC wall time), or a datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        m = _RFC2822.fullmatch(value)
        if m and m.group(2) in _MONTHS:
            day, month, year, hh, mm, ss = m.groups()
            try:
                return datetime(int(year), _MONTHS[month], int(day), int(hh), int(mm), int(ss))
            except ValueError:
                pass  # 31 Feb: let the general parser say so
        from email.utils import parsedate_to_datetime  # other RFC 2822 spellings, seldom

        try:
            return to_date(parsedate_to_datetime(value), "versions.created")
        except (TypeError, ValueError, IndexError):
            return to_date(value, "versions.created")
    return to_date(value, "versions.created")


class Filters:
    """Which snapshot records to keep: category prefixes and a first-version date range."""

    def __init__(self, categories: Sequence[str] | str | None = None, since: Any = None,
                 until: Any = None) -> None:
        if isinstance(categories, str):
            categories = [categories]
        if categories is not None and not isinstance(categories, list | tuple | set | frozenset):
            raise ValueError(f"categories={categories!r}: a category prefix ('cs.LG') or a list of them")
        if not all(isinstance(c, str) and c.strip() for c in categories or ()):
            raise ValueError(f"categories must be non-empty strings, got {categories!r}")
        # "cs.LG,hep-th" (one command-line value) is two prefixes: no category holds a comma
        self.categories = tuple(dict.fromkeys(
            part.strip() for c in categories or () for part in c.split(",") if part.strip()))
        self.since = self._day(since, "since")
        self.until = self._day(until, "until")
        # byte strings a kept line must contain (see _Reader._window_by_needles); none when a
        # prefix could be written escaped in JSON, and every line is then parsed
        plain = all(c.isascii() and c.isprintable() and not set(c) & set('"\\/') for c in self.categories)
        self.needles = tuple(dict.fromkeys(c.encode() for c in self.categories)) if plain else ()
        # a category (a whitespace-separated word) that starts with one of the prefixes
        self._category = re.compile(r"(?:^|(?<=\s))(?:" + "|".join(map(re.escape, self.categories)) + ")")

    @staticmethod
    def _day(value: Any, name: str) -> datetime | None:
        if value is None:
            return None
        if (isinstance(value, int) and not isinstance(value, bool)) or (
                isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value)):
            # a year: its first day as since, its last as until (until=2020 kept no paper of 2020 but 1 January)
            return datetime(int(value), 1, 1) if name == "since" else datetime(int(value), 12, 31)
        try:
            return to_date(value if isinstance(value, (str, datetime)) else str(value), name)
        except BadRecord as exc:
            raise ValueError(f"{name}={value!r} is not a date") from exc

    @property
    def active(self) -> bool:
        return bool(self.categories or self.since is not None or self.until is not None)

    def describe(self) -> str:
        parts = []
        if self.categories:
            parts.append(f"categories {', '.join(self.categories)}")
        if self.since is not None:
            parts.append(f"since {self.since:%Y-%m-%d}")
        if self.until is not None:
            parts.append(f"until {self.until:%Y-%m-%d}")
        return ", ".join(parts)

    def category_ok(self, categories: str) -> bool:
        return not self.categories or self._category.search(categories) is not None

    def date_ok(self, published: datetime | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if published is None:
            return False
        day = datetime(published.year, published.month, published.day)
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


def _authors(obj: dict[str, Any]) -> list[str]:
    parsed_names = obj.get("authors_parsed")
    if parsed_names:
        if type(parsed_names) is list and set(map(type, parsed_names)) == {list}:
            try:
                # [last, first, suffix(, affiliation)] -> "First Last Suffix"; most names have a
                # first and a last name and no suffix: joined by `+`, which also refuses non-text
                return [n[1] + " " + n[0] if n[0] and n[1] and not (len(n) > 2 and n[2])
                        else " ".join(filter(None, (n[1], n[0], n[2] if len(n) > 2 else "")))
                        for n in parsed_names]
            except (TypeError, IndexError):
                pass
        if type(parsed_names) is not list:
            raise BadRecord(f"authors_parsed is {describe(parsed_names)}, expected a list")
        k, n = next(((k, n) for k, n in enumerate(parsed_names, 1) if type(n) is not list or len(n) < 2
                     or not all(isinstance(x, str) for x in n[:3])), (0, parsed_names))
        raise BadRecord(f"authors_parsed entry {k} is {describe(n)}, expected [last, first, suffix]")
    authors = obj.get("authors") or ""
    if not isinstance(authors, str):
        raise BadRecord(f"authors is {describe(authors)}, expected text")
    return arxiv_names(authors)


def _versions(obj: dict[str, Any]) -> list[Any]:
    versions = obj.get("versions") or []
    if not isinstance(versions, list) or not all(isinstance(v, dict) for v in versions):
        raise BadRecord(f"versions is {describe(versions)}, expected a list of objects")
    return versions


def _categories(obj: dict[str, Any]) -> str:
    categories = obj.get("categories") or ""
    if not isinstance(categories, str):
        raise BadRecord(f"categories is {describe(categories)}, expected space-separated text")
    return categories


def _kept(obj: dict[str, Any], filters: Filters) -> tuple[Any, ...] | None:
    """What a record of ``obj`` needs beyond its plain fields — ``(published, updated, authors,
    categories)`` — or None when the filters leave it out.

    Raises
    ------
    BadRecord
        (or another of :data:`RECORD_ERRORS`) for a field of the wrong shape.
    """
    versions = _versions(obj)
    published = _created(versions[0].get("created")) if versions else None
    if not (filters.category_ok(_categories(obj)) and filters.date_ok(published)):
        return None
    updated = _created(versions[-1].get("created")) if len(versions) > 1 else published
    return published, updated, _authors(obj), _categories(obj).split()


def _record(path, number: int, obj: dict[str, Any], kept: tuple[Any, ...], line: int | None) -> dict[str, Any]:
    published, updated, authors, categories = kept
    return make_record(
        path, FORMAT, number, title=obj["title"], abstract=obj.get("abstract"), line=line,
        arxiv_id=obj["id"], published=published, updated=updated, authors=authors,
        categories=categories, doi=obj.get("doi"),
        comment=obj.get("comments"), journal_ref=obj.get("journal-ref"),
    )


def record_of(path, number: int, obj: dict[str, Any], line: int | None) -> dict[str, Any]:
    """One snapshot object as a record, unfiltered: for snapshot records saved some other way
    (a JSON array of them is read by the JSON table reader).

    Raises
    ------
    BadRecord
        (or another of :data:`RECORD_ERRORS`) as a snapshot line's record would.
    """
    if not obj.get("id") or not obj.get("title"):
        raise BadRecord("no 'id' or 'title'")
    return _record(path, number, obj, _kept(obj, Filters()), line)


def _windows(buf, size: int, start: int = 0) -> Iterator[tuple[int, int]]:
    """``(start, end)`` offsets of about :data:`BLOCK` bytes from ``start`` to ``size``, each ending
    at a line end (or EOF)."""
    while start < size:
        end = min(start + BLOCK, size)
        if end < size:
            nl = buf.rfind(b"\n", start, end)
            end = nl + 1 if nl >= 0 else (buf.find(b"\n", end) + 1 or size)  # a line longer than BLOCK
        yield start, end
        start = end


@contextmanager
def _mapped(path: str | os.PathLike[str]) -> Iterator[Any]:
    """The file's bytes without copying them (a memory map), or read whole where it cannot be mapped."""
    with open(path, "rb") as fh:
        try:
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            yield fh.read()
            return
        try:
            yield buf
        finally:
            with suppress(BufferError):  # an exception's traceback still holds a view; the GC closes it
                buf.close()


def _release(buf, released: int, end: int) -> int:
    """Unmap the pages read so far (they stay in the OS cache), so that memory does not grow with
    the file; return the new release mark (whole pages only)."""
    upto = end - end % mmap.PAGESIZE
    if isinstance(buf, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED") and upto > released:
        buf.madvise(mmap.MADV_DONTNEED, released, upto - released)
        return upto
    return released


class _Reader:
    """The state of one streaming read: where the kept, skipped and filtered lines go."""

    def __init__(self, path, filters: Filters, limit: int | None) -> None:
        self.path = path
        self.filters = filters
        self.limit = limit
        self.parsed = Parsed(os.fspath(path), FORMAT, filter_note=filters.describe())
        self.dates = filters.since is not None or filters.until is not None

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.parsed.records) >= self.limit

    def line(self, raw: bytes, number: int) -> None:
        """Parse one line and keep, filter or skip it."""
        parsed = self.parsed
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            try:
                raw.decode("utf-8")
                reason = f"line {number} is not valid JSON ({exc.msg})"
            except UnicodeDecodeError as bad:
                reason = f"line {number} is not UTF-8 text (byte {raw[bad.start]:#04x} at column {bad.start + 1})"
            parsed.skip(number, number, reason)
            return
        if not isinstance(obj, dict) or not obj.get("id") or not obj.get("title"):
            parsed.skip(number, number, f"line {number} has no 'id' or 'title'")
            return
        try:
            kept = _kept(obj, self.filters)
            if kept is None:
                parsed.filtered += 1
                return
            parsed.records.append(_record(self.path, number, obj, kept, number))
        except RECORD_ERRORS as exc:
            parsed.skip(number, number, f"line {number}: {why(exc)}")

    def lines(self, batch: list[tuple[bytes, int]]) -> None:
        """Parse lines (``(raw, number)``, in order) and keep, filter or skip each as :meth:`line` does.

        The records of the plain lines are built a column at a time (:func:`make_columns`);
        a line that is not plain, or not JSON, or whose fields do not have their usual
        shape, goes through :meth:`line` in its place, which keeps it or says why not.
        """
        objs, numbers, kept = [], [], []
        status: list[bool | None] = []  # per line: a candidate, left to line(), or filtered (None)
        for raw, number in batch:
            try:
                obj = orjson.loads(raw)
                found = _kept(obj, self.filters) if type(obj) is dict and obj.get("id") and obj.get("title") else False
            except RECORD_ERRORS:  # (orjson.JSONDecodeError is a ValueError)
                found = False
            if found:
                objs.append(obj)
                numbers.append(number)
                kept.append(found)
            status.append(None if found is None else bool(found))
        self.parsed.filtered += status.count(None)
        columns, plain = None, []
        if objs:
            published, updated, authors, categories = map(list, zip(*kept, strict=True))
            columns, plain = make_columns(
                self.path, FORMAT, numbers, title=[o["title"] for o in objs],
                abstract=[o.get("abstract") for o in objs], line=numbers, arxiv_id=[o["id"] for o in objs],
                published=published, updated=updated, authors=authors, categories=categories,
                doi=[o.get("doi") for o in objs], comment=[o.get("comments") for o in objs],
                journal_ref=[o.get("journal-ref") for o in objs])
        add_in_order(self.parsed, batch, status, columns, plain, lambda line: self.line(*line))

    def prefiltered(self, raw: bytes) -> bool:
        """True when the raw line shows that it fails the filters (so it need not be parsed)."""
        filters = self.filters
        cats = _CATEGORIES.search(raw)
        if cats and not filters.category_ok(cats.group(1).decode("utf-8", "replace")):
            return True
        if filters.since is not None or filters.until is not None:
            created = _FIRST_VERSION.search(raw)
            if created:
                try:
                    return not filters.date_ok(_created(created.group(1).decode("utf-8", "replace")))
                except BadRecord:
                    return False  # parsed, and reported, as a whole line
        return False

    def window(self, buf, start: int, end: int, first: int) -> int:
        """Read the lines in ``buf[start:end]`` (the first is line ``first``); return how many line ends."""
        ends = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8, count=end - start, offset=start) == 10) + start
        if self.filters.needles:
            self._window_by_needles(buf, start, end, first, ends)
        else:
            self._block_by_lines(first, buf[start:end])
        return len(ends)

    def _block_by_lines(self, first: int, block: bytes) -> None:
        if self.limit is None and not self.filters.active:  # every line is read: all at once
            self.lines([(raw, number) for number, raw in enumerate(block.split(b"\n"), start=first)
                        if raw.strip()])
            return
        for number, raw in enumerate(block.split(b"\n"), start=first):
            if not raw.strip():
                continue
            if self.full:
                return
            if self.filters.active and self.prefiltered(raw):
                self.parsed.filtered += 1
            else:
                self.line(raw, number)

    def _window_by_needles(self, buf, start: int, end: int, first: int, ends: np.ndarray) -> None:
        # A category is kept when it starts with a prefix, so a line that passes holds the
        # prefix's bytes (JSON writers escape only quotes, backslashes, control and non-ASCII
        # characters, and the needles are ASCII without those). Only the lines that hold
        # one are looked at; the others are counted as filtered without being parsed.
        parsed = self.parsed
        found = []
        for needle in self.filters.needles:
            i = buf.find(needle, start, end)
            while i >= 0:
                found.append(i)
                i = buf.find(needle, i + len(needle), end)
        hits = np.unique(np.searchsorted(ends, found)).tolist()  # line numbers within the window, from 0
        line_starts = np.concatenate(([start], ends + 1))
        line_ends = np.append(ends, end)  # (a last line without a line end ends at the window's end)
        n_lines = len(ends) + (end > line_starts[-1])
        before = len(parsed.records) + len(parsed.skipped) + parsed.filtered
        if self.limit is None and not self.dates:  # no line needs a look before it is parsed: all at once
            self.lines([(buf[s:e], first + k) for k, s, e in
                        zip(hits, line_starts[hits].tolist(), line_ends[hits].tolist(), strict=True)])
        else:
            for k in hits:
                self.line_or_filtered(buf[int(line_starts[k]):int(line_ends[k])], first + k)
                if self.full:  # the lines after this one are not read
                    n_lines = k + 1
                    break
        empty = int(np.count_nonzero(line_starts[:n_lines] == line_ends[:n_lines]))
        handled = len(parsed.records) + len(parsed.skipped) + parsed.filtered - before
        parsed.filtered += n_lines - empty - handled

    def line_or_filtered(self, raw: bytes, number: int) -> None:
        # With a category filter alone, a line holding a prefix mostly passes: parse it
        # straight away (the check after parsing decides) rather than look at it twice.
        if self.dates and self.prefiltered(raw):
            self.parsed.filtered += 1
        else:
            self.line(raw, number)


def _read_range(path, filters: Filters, limit: int | None, start: int, end: int, first: int = 1) -> Parsed:
    """Read the lines in bytes ``[start, end)`` of the file (``start`` is 0 or just after a line end),
    the first of them being line ``first``."""
    reader = _Reader(path, filters, limit)
    with _mapped(path) as buf:
        end = min(end, len(buf))
        released = start - start % mmap.PAGESIZE
        for window_start, window_end in _windows(buf, end, start):
            if reader.full:
                break
            first += reader.window(buf, window_start, window_end, first)
            released = _release(buf, released, window_end)
    return reader.parsed


def _count_lines(buf, start: int, end: int) -> int:
    """How many line ends bytes ``[start, end)`` hold (counted a block at a time, each unmapped after)."""
    count, released = 0, start - start % mmap.PAGESIZE
    for at in range(start, end, BLOCK):
        upto = min(at + BLOCK, end)
        count += int(np.count_nonzero(np.frombuffer(buf, dtype=np.uint8, count=upto - at, offset=at) == 10))
        released = _release(buf, released, upto)
    return count


def _processes(size: int, limit: int | None, processes: int | None) -> int:
    """How many processes read a file of ``size`` bytes (1: this one alone)."""
    if processes is not None and (type(processes) is not int or processes < 1):
        raise ValueError(f"processes must be a whole number of 1 or more, got {processes!r}")
    if (processes == 1 or limit is not None or sys.platform != "linux" or threading.active_count() > 1
            or multiprocessing.current_process().daemon):
        # the first `limit` rows are read in order; a forked copy of a process with other (Python)
        # threads may wait forever on a lock one of them held; a daemon process may not start others
        return 1
    n = min(processes or _cores(), size // PARALLEL_MIN)
    return max(n, 1)


#: Where a container's CPU quota is written: cgroup v2 ("quota period" or "max period"), v1 (two files).
CPU_QUOTA_FILES = (("/sys/fs/cgroup/cpu.max", None),
                   ("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us"))


def _cores() -> int:
    """The cores this process may use: its CPU affinity, capped by a container's CPU quota."""
    cores = len(os.sched_getaffinity(0))
    for quota_file, period_file in CPU_QUOTA_FILES:
        try:
            fields = Path(quota_file).read_text().split()
            quota = fields[0]
            period = fields[1] if period_file is None else Path(period_file).read_text().split()[0]
            if quota in ("max", "-1"):
                return cores
            return max(1, min(cores, int(quota) // int(period)))
        except (OSError, IndexError, ValueError, ZeroDivisionError):
            continue
    return cores


def _ranges(buf, size: int, n: int) -> list[tuple[int, int]]:
    """``n`` byte ranges of about equal size covering the file, each cut just after a line end."""
    cuts = [0]
    for k in range(1, n):
        nl = buf.find(b"\n", max(size * k // n, cuts[-1]))
        cuts.append(size if nl < 0 else nl + 1)
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _child(conn, inherited: list[Any], path, filters: Filters, start: int, end: int) -> None:
    """A forked reader of one range: sends its line count, receives its first line number, sends its part."""
    with suppress(ValueError):  # (only the main thread may; a fork of another thread keeps the handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the caller's handler is not ours: terminate() ends us
    for other in inherited:  # the caller's ends of the pipes: with them closed here, a send to a caller
        other.close()        # that is gone fails at once instead of waiting forever
    part = None
    try:
        with _mapped(path) as buf:
            conn.send(_count_lines(buf, start, min(end, len(buf))))
        first = conn.recv()
        part = _read_range(path, filters, None, start, end, first)
    except Exception:  # noqa: BLE001 - the caller reads this range itself
        part = None
    with suppress(OSError, ValueError):
        conn.send(part)
    conn.close()


class _Worker:
    """One forked reader as the caller sees it: its range and its end of the pipe (None: read here)."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.process: Any = None
        self.conn: Any = None
        self.first = 0  # the range's first line number, once known

    def send(self, value: Any) -> None:
        """Send ``value``; on failure the reader is stopped (its range is then read here)."""
        if self.conn is not None:
            try:
                self.conn.send(value)
            except Exception:  # noqa: BLE001 - a broken pipe: read the range here
                self.stop()

    def receive(self) -> Any:
        """The reader's next message, or None (and the reader stopped) when there is none to be had."""
        if self.conn is None:
            return None
        try:
            return self.conn.recv()
        except Exception:  # noqa: BLE001 - EOF, a broken pipe, a garbled message: read the range here
            self.stop()
            return None

    def stop(self, wait: float = 5.0) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(wait)
                if self.process.is_alive():
                    self.process.kill()
            self.process.join()
            self.process = None


def _read_parallel(path, filters: Filters, buf, ranges: list[tuple[int, int]]) -> Parsed:
    """Each range but the first read by a forked process, the first here; joined in file order.

    Line numbers: each process counts the line ends of its own range and is told where its
    range starts, so no process counts more than its own share of the file.
    """
    context = multiprocessing.get_context("fork")
    workers = [_Worker(start, end) for start, end in ranges[1:]]
    try:
        for worker in workers:
            try:
                mine, theirs = context.Pipe()
            except OSError:  # no pipe to be had (too many open files): the ranges left are read here
                break
            inherited = [w.conn for w in workers if w.conn is not None] + [mine]
            process = context.Process(target=_child, args=(theirs, inherited, path, filters, worker.start,
                                                           worker.end), daemon=True)
            try:
                process.start()
            except OSError:  # no process to be had: this one reads the range
                mine.close()
                break
            finally:
                theirs.close()
            worker.process, worker.conn = process, mine
        first = 1 + _count_lines(buf, *ranges[0])
        for worker in workers:
            lines = worker.receive()
            if type(lines) is not int:
                lines = _count_lines(buf, worker.start, worker.end)
            worker.send(first)
            worker.first, first = first, first + lines
        parsed = _read_range(path, filters, None, *ranges[0], first=1)
        for worker in workers:
            part = worker.receive()
            worker.stop()
            if not isinstance(part, Parsed):
                part = _read_range(path, filters, None, worker.start, worker.end, first=worker.first)
            parsed.records.extend(part.records.columns)
            parsed.skipped.extend(part.skipped)
            parsed.filtered += part.filtered
        return parsed
    finally:  # also on an interrupt: no process is left behind
        for worker in workers:
            worker.stop()


def parse(path: str | os.PathLike[str], *, categories=None, since=None, until=None,
          limit: int | None = None, processes: int | None = None, **_: Any) -> Parsed:
    """Stream a snapshot file, keeping the records that pass the filters.

    Parameters
    ----------
    categories
        Category prefixes (``"cs.LG"``, ``"cs."``, ``"astro-ph"``): a paper is kept
        when any of its categories starts with one of them.
    since, until
        Inclusive range on the first version's date (``published``).
    limit
        Stop after this many kept rows; the rest of the file is not read.
    processes
        How many processes read a file of :data:`PARALLEL_MIN` bytes or more per process: None
        (one per core, where forking is safe), or a number (1: this process alone; the rows of a wide
        filter then take memory once instead of about twice while they are handed over).

    Raises
    ------
    SourceFormatError
        For an empty file, or one where no line at all is a snapshot record.
    """
    filters = Filters(categories, since, until)
    size = os.path.getsize(path)
    if size == 0:
        raise SourceFormatError(path, 1, f"the file is empty; expected {EXPECTED}")
    n = _processes(size, limit, processes)
    parsed = None
    if n > 1:
        with _mapped(path) as buf:
            if isinstance(buf, mmap.mmap):  # (a file that cannot be mapped is read whole, once)
                parsed = _read_parallel(path, filters, buf, _ranges(buf, len(buf), n))
    if parsed is None:
        parsed = _read_range(path, filters, limit, 0, size)
    if parsed.skipped and not parsed.records and not parsed.filtered:
        first = parsed.skipped[0]
        raise SourceFormatError(path, first.line, f"no line is a snapshot record; first: {first.reason}; "
                                f"expected {EXPECTED}")
    return parsed


def parse_parquet(path: str | os.PathLike[str], *, categories=None, since=None, until=None,
                  limit: int | None = None, batch_size: int = 50_000, **_: Any) -> Parsed:
    """The same fields as Parquet, read batch by batch with the same filters."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    filters = Filters(categories, since, until)
    parsed = Parsed(os.fspath(path), FORMAT, filter_note=filters.describe())
    number = 0
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size):
            for obj in batch.to_pylist():
                number += 1
                if limit is not None and len(parsed.records) >= limit:
                    return parsed
                try:
                    kept = _kept(obj, filters)
                    if kept is None:
                        parsed.filtered += 1
                        continue
                    if not obj.get("id") or not obj.get("title"):
                        parsed.skip(None, number, f"row {number} has no 'id' or 'title'")
                        continue
                    parsed.records.append(_record(path, number, obj, kept, None))
                except RECORD_ERRORS as exc:
                    parsed.skip(None, number, f"row {number}: {why(exc)}")
    except (pa.ArrowException, OSError) as exc:
        raise SourceFormatError(path, None, f"unreadable Parquet after row {number} ({exc}); "
                                f"expected {EXPECTED}") from None
    return parsed
