"""Fetch raw responses into a folder that :func:`paperscope.load` reads (network; optional).

``fetch_hf`` saves the Hugging Face ``api/daily_papers`` response of each day as
``YYYY-MM-DD.json``; ``fetch_arxiv`` saves arXiv API result pages as Atom XML.
Both are polite and restartable:

* a pause between calls (arXiv asks for 3 s; 1 s for Hugging Face);
* retries with exponential backoff on HTTP 429/5xx and transient connection errors
  (a failed name lookup or a refused connection — offline — fails at once);
* resume: a file already on disk (and valid) is not fetched again;
* atomic writes: a file appears only complete, so an interrupted run leaves no half file.

Nothing else in paperscope touches the network.
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__, checks
from .errors import PaperscopeError

HF_URL = "https://huggingface.co/api/daily_papers"
ARXIV_URL = "https://export.arxiv.org/api/query"
USER_AGENT = f"paperscope/{__version__} (research-paper listing analysis)"
RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass
class FetchLog:
    """What a fetch did: files written, files already there, and calls made."""

    written: list[Path] = field(default_factory=list)
    existing: list[Path] = field(default_factory=list)
    calls: int = 0


class _Client:
    def __init__(self, delay: float, retries: int, backoff: float, timeout: float,
                 sleep: Callable[[float], None]) -> None:
        self.delay, self.retries, self.backoff, self.timeout = delay, retries, backoff, timeout
        self.sleep = sleep
        self._last: float | None = None
        self.calls = 0

    def get(self, url: str) -> bytes:
        for attempt in range(self.retries + 1):
            if self._last is not None:
                wait = self.delay - (time.monotonic() - self._last)
                if wait > 0:
                    self.sleep(wait)
            self._last = time.monotonic()
            self.calls += 1
            try:
                request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as exc:
                if exc.code not in RETRY_STATUS or attempt == self.retries:
                    raise PaperscopeError(f"{url}: HTTP {exc.code} {exc.reason}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                reason = getattr(exc, "reason", exc)
                if _unreachable(reason):
                    host = urllib.parse.urlsplit(url).hostname
                    raise PaperscopeError(
                        f"{url}: cannot reach {host} ({_describe(reason)}); is this machine offline? "
                        "Nothing was retried: a refused connection or a failed name lookup does not "
                        "fix itself in seconds.") from None
                if attempt == self.retries:
                    raise PaperscopeError(f"{url}: {exc} (after {attempt + 1} tries)") from None
            self.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover


#: OS errors that mean "no route to the server", not "try again in a moment".
_UNREACHABLE_ERRNOS = {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}


def _unreachable(reason: object) -> bool:
    """A failed DNS lookup or a refused/unroutable connection: retrying only makes the user wait."""
    return isinstance(reason, (socket.gaierror, ConnectionRefusedError)) or (
        isinstance(reason, OSError) and reason.errno in _UNREACHABLE_ERRNOS)


def _describe(reason: object) -> str:
    if isinstance(reason, socket.gaierror):
        return f"name lookup failed: {reason.strerror or reason}"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _valid_json(path: Path) -> bool:
    try:
        json.loads(path.read_bytes())
        return True
    except (ValueError, OSError):
        return False


def fetch_hf(start, end, out: str | os.PathLike[str], *, base_url: str = HF_URL, delay: float = 1.0,
             retries: int = 4, backoff: float = 2.0, timeout: float = 30.0,
             sleep: Callable[[float], None] = time.sleep) -> FetchLog:
    """Save ``api/daily_papers?date=D`` for every day D from ``start`` to ``end`` (inclusive).

    Returns a :class:`FetchLog`. A day already saved (valid JSON) is skipped.
    """
    first, last = _day(start, "from"), _day(end, "to")
    if first > last:
        raise PaperscopeError(f"from {first:%Y-%m-%d} is after to {last:%Y-%m-%d}: no day to fetch")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    client = _Client(delay, retries, backoff, timeout, sleep)
    log = FetchLog()
    for day in pd.date_range(first, last, freq="D"):
        target = folder / f"{day:%Y-%m-%d}.json"
        if target.exists() and _valid_json(target):
            log.existing.append(target)
            continue
        data = client.get(f"{base_url}?{urllib.parse.urlencode({'date': f'{day:%Y-%m-%d}'})}")
        try:
            json.loads(data)
        except ValueError:
            raise PaperscopeError(f"{base_url} for {day:%Y-%m-%d}: the response is not JSON") from None
        _write(target, data)
        log.written.append(target)
    log.calls = client.calls
    return log


def _day(value: Any, flag: str) -> pd.Timestamp:
    """``value`` as a day; a :class:`PaperscopeError` naming the flag (``--from``) otherwise."""
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise PaperscopeError(f"--{flag} {value!r}: not a day on the calendar ({exc})") from None
    if pd.isna(day):
        raise PaperscopeError(f"--{flag} {value!r}: not a day on the calendar")
    return day.normalize()


def _slug(query: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", query).strip("_")[:60] or "query"


def fetch_arxiv(query: str, out: str | os.PathLike[str], *, max_results: int = 100, page_size: int = 100,
                base_url: str = ARXIV_URL, delay: float = 3.0, retries: int = 4, backoff: float = 3.0,
                timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep) -> FetchLog:
    """Save the arXiv API result pages of ``search_query=query`` as Atom XML files.

    Pages are ``<query>_s<start>_m<page_size>.xml``; fetching stops at
    ``max_results``, at the feed's ``totalResults``, or at an empty page.
    """
    if not isinstance(query, str) or not query.strip():
        raise PaperscopeError(f"query {query!r}: an arXiv search such as 'cat:cs.LG AND ti:diffusion'")
    checks.count("max_results", max_results)
    checks.count("page_size", page_size)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    client = _Client(delay, retries, backoff, timeout, sleep)
    log = FetchLog()
    total = None
    start = 0
    while start < max_results and (total is None or start < total):
        size = min(page_size, max_results - start)
        target = folder / f"{_slug(query)}_s{start}_m{size}.xml"
        if target.exists() and target.stat().st_size > 0:
            data = target.read_bytes()
            log.existing.append(target)
        else:
            params = {"search_query": query, "start": start, "max_results": size}
            data = client.get(f"{base_url}?{urllib.parse.urlencode(params)}")
            _write(target, data)
            log.written.append(target)
        text = data.decode("utf-8", errors="replace")
        found = re.search(r"<opensearch:totalResults[^>]*>(\d+)<", text)
        total = int(found.group(1)) if found else total
        if "<entry>" not in text and "<entry " not in text:
            break
        start += size
    log.calls = client.calls
    return log
