"""Progress for long steps (embedding, topic fitting) that reaches the person waiting, not the page.

In a terminal a bar goes to standard error. Inside a notebook kernel it is
silent — the kernel's stderr becomes part of the notebook, which nbval checks
and reports export — unless ``paperscope report`` names a file in the
:data:`ENV` variable: then the bar is written there, and the report shows it
on its own terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

#: Set by ``paperscope report`` for its kernels: the file their progress bars write to.
ENV = "PAPERSCOPE_PROGRESS"


def _target() -> tuple[Any, bool] | None:
    """Where progress goes (a file object and whether to close it), or None for nowhere."""
    path = os.environ.get(ENV)
    if path:
        return open(path, "a", encoding="utf-8"), True  # noqa: SIM115 - closed by the caller
    if "ipykernel" not in sys.modules and sys.stderr is not None and sys.stderr.isatty():
        return sys.stderr, False
    return None


@contextlib.contextmanager
def bar(total: int, desc: str, *, unit: str = "it", min_total: int = 0) -> Iterator[Any]:
    """A tqdm bar to the terminal (or the report's progress file); a silent one elsewhere.

    Parameters
    ----------
    total
        Steps to come.
    desc
        What is being done, in the user's words (``"embedding"``).
    unit
        What a step is (``"paper"``).
    min_total
        Stay silent for fewer steps than this (short runs need no bar).

    Examples
    --------
    >>> with bar(3, "counting") as b:
    ...     for _ in range(3):
    ...         b.update(1)
    """
    from tqdm import tqdm

    target = _target() if total >= min_total else None
    if target is None:
        with tqdm(total=total, disable=True) as silent:
            yield silent
        return
    stream, close = target
    try:
        with tqdm(total=total, desc=desc, unit=unit, file=stream, leave=False, ncols=88,
                  mininterval=0.5, dynamic_ncols=False) as shown:
            yield shown
    finally:
        if close:
            stream.close()


@contextlib.contextmanager
def step(desc: str) -> Iterator[None]:
    """Say that a long step without countable parts is running, and how long it took.

    Writes ``desc …`` when it starts and ``desc … 12.3 s`` when it ends, where
    :func:`bar` would draw a bar; silent elsewhere.
    """
    target = _target()
    if target is None:
        yield
        return
    stream, close = target
    start = time.perf_counter()
    try:
        stream.write(f"\r{desc} …")
        stream.flush()
        yield
    finally:
        stream.write(f"\r{desc} … {time.perf_counter() - start:.1f} s\n")
        stream.flush()
        if close:
            stream.close()
