"""paperscope's errors cross process boundaries whole (the report's landing child, Dask workers)."""

from __future__ import annotations

import pickle

import pytest

from paperscope.errors import (
    PaperscopeError,
    QueryError,
    SchemaError,
    SourceFormatError,
    SourceNotFoundError,
    TaxonomyError,
)

ERRORS = [
    SourceFormatError("day.json", 12, "item 3 is a list, not an object"),
    SourceFormatError("day.json", None, "not JSON"),
    SourceNotFoundError("nope.json: no such file"),
    SchemaError("column 'title' is missing"),
    TaxonomyError("my.toml", "must be a list of strings", theme="pinns", key="phrases"),
    TaxonomyError(None, "no themes"),
    QueryError("empty query"),
    PaperscopeError("plain"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_error_pickles_with_its_type_message_and_fields(error):
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error)
    assert {k: v for k, v in vars(back).items()} == vars(error)
