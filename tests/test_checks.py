"""The argument checks every public function shares: one rule per kind of value."""

from __future__ import annotations

import numpy as np
import pytest

from paperscope import checks
from paperscope.errors import PaperscopeError


def test_whole_numbers_are_integers_of_any_kind_but_bools():
    for good in (0, 7, np.int64(7), np.uint8(3)):
        assert checks.is_whole(good)
    for bad in (True, False, 2.0, "2", None, np.float64(2)):
        assert not checks.is_whole(bad)
    assert checks.count("n", np.int32(4)) == 4 and type(checks.count("n", np.int32(4))) is int
    with pytest.raises(PaperscopeError, match=r"^ngram=4: give a whole number from 1 to 3$"):
        checks.count("ngram", 4, 1, 3)
    with pytest.raises(PaperscopeError, match=r"^limit=True: give a whole number of 1 or more \(None: no limit\)$"):
        checks.count("limit", True, none="no limit")


def test_numbers_keep_to_their_range_and_nan_is_none():
    assert checks.number("w", np.float32(0.5), 0, 1, what="a share") == 0.5
    assert checks.number("w", 0, 0, 1, what="a share") == 0.0
    for bad in (float("nan"), -0.1, 1.1, "0.5", True, None):
        with pytest.raises(PaperscopeError, match=r"^w=.*: give a share$"):
            checks.number("w", bad, 0, 1, what="a share")
    with pytest.raises(PaperscopeError):  # an open end leaves the end out
        checks.number("min_share", 0, 0, 1, low_open=True, what="a share above 0")
    for bad in (0, 1, 95):
        with pytest.raises(PaperscopeError, match="a level between 0 and 1"):
            checks.confidence(bad)


def test_seeds_and_years_have_one_range_everywhere():
    assert checks.seed(np.int64(2**32 - 1)) == 2**32 - 1
    for bad in (-1, 2**32, True, "42", 4.0):
        with pytest.raises(PaperscopeError, match=r"give a whole number from 0 to 4294967295"):
            checks.seed(bad)
    assert checks.year("year", np.int16(2025)) == 2025
    for bad in (1899, 2101, 2025.0, "2025"):
        with pytest.raises(PaperscopeError, match=r"a whole number from 1900 to 2100"):
            checks.year("year", bad)
