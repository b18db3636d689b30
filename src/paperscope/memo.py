"""Results shared between the pages of one report: each expensive result computed once per report.

``paperscope report`` runs its notebooks one after the other, each in a fresh
kernel, and several pages ask for the same thing: the theme tags of the
corpus (every page), the guided topics (pages 03 and 04). On 100,000 papers
that is 20 s of tagging and a minute and a half of topic fitting per page.
While a report runs, :data:`ENV` names a folder (inside the report's staging
folder, deleted with it); :func:`remembered` keeps each result there under a
digest of *everything* that made it (the papers' content, the taxonomy, the
parameters, the embeddings), so a page that asks for the same result with the
same inputs reads it back, and any other call computes its own. Outside a
report — a notebook, a script, the tests — nothing is kept: the variable is
not set.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

#: Set by ``paperscope report`` for its kernels: the folder where their shared results live.
ENV = "PAPERSCOPE_MEMO"
T = TypeVar("T")


def _feed(h: Any, part: Any) -> None:
    if isinstance(part, pd.DataFrame):
        h.update(repr([(str(c), str(t)) for c, t in part.dtypes.items()]).encode())
        for column in part.columns:
            values = part[column]
            if values.dtype == object:
                values = values.map(repr)
            h.update(pd.util.hash_pandas_object(values, index=False).to_numpy().tobytes())
    elif isinstance(part, np.ndarray):
        h.update(repr((part.dtype.str, part.shape)).encode())
        h.update(np.ascontiguousarray(part).tobytes())
    elif isinstance(part, (tuple, list)):  # by element: a frame's repr depends on display options
        h.update(f"{type(part).__name__}:{len(part)}".encode())
        for item in part:
            _feed(h, item)
    elif isinstance(part, bytes):
        h.update(part)
    else:
        h.update(repr(part).encode("utf-8"))
    h.update(b"\x00")


def digest(*parts: Any) -> str:
    """SHA-256 of ``parts``: frames by content (values and dtypes), arrays by bytes, tuples and lists
    item by item, the rest by ``repr``."""
    h = hashlib.sha256()
    for part in parts:
        _feed(h, part)
    return h.hexdigest()


def folder() -> Path | None:
    """The report's shared-results folder, or ``None`` outside a report."""
    value = os.environ.get(ENV)
    return Path(value) if value else None


def remembered(kind: str, key: Callable[[], str], compute: Callable[[], T]) -> T:
    """``compute()``, or the result an earlier page of this report computed with the same ``key()``.

    ``key`` is called only inside a report (the package version is added to
    it). A result that cannot be read back
    (damaged, or from another version) is computed again; one that cannot be
    written is simply not shared.
    """
    where = folder()
    if where is None:
        return compute()
    from . import __version__  # a result is only ever read back by the version that wrote it

    path = where / f"{kind}-{digest(key(), __version__)}.pickle"
    with contextlib.suppress(OSError, pickle.PickleError, EOFError, AttributeError, ImportError,
                             TypeError), path.open("rb") as fh:
        return pickle.load(fh)
    result = compute()
    with contextlib.suppress(OSError, pickle.PickleError, AttributeError, TypeError):
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where, suffix=".part", delete=False) as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
    return result


_LAST: dict[str, tuple[str, Any]] = {}


def per_corpus(slot: str, papers: pd.DataFrame, compute: Callable[[], T]) -> T:
    """``compute()`` for the titles and abstracts of ``papers``, kept for the last corpus per ``slot``.

    For the word lists a page asks for several times in one process (search
    queries, thematic maps, words then word pairs): one tokenization per
    corpus. Callers must not modify the result.
    """
    key = digest(papers[["title", "abstract"]])
    if slot not in _LAST or _LAST[slot][0] != key:
        _LAST[slot] = (key, compute())
    return _LAST[slot][1]


__all__ = ["ENV", "digest", "folder", "per_corpus", "remembered"]
