"""Argument checks shared by the public functions: one rule per kind of value, one wording.

A wrong argument is a :class:`~paperscope.errors.PaperscopeError` that names it and says
what it takes (``min_papers=0: give a whole number of 1 or more``), before any work. A
whole number is any integer but a bool (NumPy's too); a number any real but a bool or NaN.
This module imports nothing heavy: the command line's ``--help`` uses it.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

from .errors import PaperscopeError

#: The largest seed scikit-learn and NumPy take.
SEED_MAX = 2**32 - 1
#: The years a listing can have: a copied page's ``year=``, a report's ``--year``.
YEARS = (1900, 2100)


def is_whole(value: Any) -> bool:
    """True for an integer (Python's or NumPy's) that is not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def count(name: str, value: Any, least: int = 1, most: int | None = None, *, none: str | None = None) -> int:
    """``value`` as a whole number from ``least`` (to ``most``).

    ``none``, when given, says what ``None`` means for this argument (the caller lets it through).

    Raises
    ------
    PaperscopeError
        For anything else (``2.5``, ``0``, ``"4"``, ``True``).
    """
    if not is_whole(value) or value < least or (most is not None and value > most):
        span = f"from {least} to {most}" if most is not None else f"of {least} or more"
        raise PaperscopeError(f"{name}={value!r}: give a whole number {span}" + (f" (None: {none})" if none else ""))
    return int(value)


def number(name: str, value: Any, low: float | None = None, high: float | None = None, *, what: str,
           low_open: bool = False, high_open: bool = False) -> float:
    """``value`` as a float within ``[low, high]`` (an end left out when ``low_open``/``high_open``).

    ``what`` is how the message names what the argument takes ("a share from 0 to 1").

    Raises
    ------
    PaperscopeError
        For anything else (a string, a bool, NaN, a value out of range).
    """
    ok = isinstance(value, Real) and not isinstance(value, bool) and value == value
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        raise PaperscopeError(f"{name}={value!r}: give {what}")
    return float(value)


def seed(value: Any, name: str = "random_state") -> int:
    """``value`` as a seed scikit-learn takes: a whole number from 0 to 4294967295."""
    return count(name, value, 0, SEED_MAX)


def year(name: str, value: Any, what: str = "a year") -> int:
    """``value`` as a year from 1900 to 2100; ``what`` says what the year is for."""
    if not is_whole(value) or not YEARS[0] <= value <= YEARS[1]:
        raise PaperscopeError(f"{name}={value!r}: {what}, a whole number from {YEARS[0]} to {YEARS[1]}")
    return int(value)


def confidence(value: Any) -> float:
    """``value`` as a confidence level strictly between 0 and 1 (0.95, not 95)."""
    return number("confidence", value, 0, 1, low_open=True, high_open=True,
                  what="a level between 0 and 1, e.g. 0.95")
