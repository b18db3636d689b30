"""The DataFrame contract: columns, dtypes, validation, and the documentation's copy of it."""

from __future__ import annotations

import pandas as pd
import pytest

import paperscope as ps
from paperscope import schema
from paperscope.errors import SchemaError

from .conftest import ROOT, SEED


def test_empty_frame_has_every_column_with_stable_dtypes():
    frame = schema.empty()
    assert list(frame.columns) == list(schema.NAMES)
    schema.validate(frame)
    loaded = ps.load(SEED)
    assert loaded.dtypes.to_dict() == frame.dtypes.to_dict()


def test_other_sources_columns_are_proper_na():
    papers = ps.load(SEED)
    assert papers["arxiv_id"].isna().all() and papers["doi"].isna().all()
    assert papers["published"].isna().all() and papers["upvotes"].isna().all()
    assert (papers["authors"].str.len() == 0).all() and (papers["categories"].str.len() == 0).all()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f.drop(columns="title"), "missing"),
        (lambda f: f.assign(position=f["position"].astype("float64")), "dtype"),
        (lambda f: f.assign(title=pd.Series([None] * len(f), dtype="string")), "null"),
        (lambda f: f.assign(paper_id=f["paper_id"].iloc[0]).astype({"paper_id": "string"}), "duplicate"),
        (lambda f: f.assign(urls=pd.Series(["x"] * len(f), dtype=object)), "lists"),
    ],
)
def test_validate_names_what_is_wrong(mutate, message):
    with pytest.raises(SchemaError, match=message):
        schema.validate(mutate(ps.load(SEED)))


def test_from_records_rejects_unknown_keys():
    with pytest.raises(SchemaError, match="record 1: unknown columns \\['titel'\\]"):
        schema.from_records([{"titel": "x"}])


def test_the_reference_documents_the_schema():
    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert schema.markdown_table() in reference, \
        "docs/reference.md schema table is stale: python -m paperscope.schema"
    assert "docs/reference.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_is_the_front_door():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 120
    for page in ("reference", "design", "performance"):
        assert f"docs/{page}.md" in readme and (ROOT / "docs" / f"{page}.md").is_file()


def test_conform_keeps_columns_that_already_conform_and_casts_the_rest():
    papers = ps.load(SEED)
    again = schema.conform(papers.iloc[::-1])  # already the schema: same values, fresh index
    pd.testing.assert_frame_equal(again, papers.iloc[::-1].reset_index(drop=True), check_exact=True)
    loose = papers.astype(object)  # every column object: each is cast back
    loose["authors"] = [tuple(a) for a in papers["authors"]]
    pd.testing.assert_frame_equal(schema.validate(schema.conform(loose)), papers, check_exact=True)


def test_validate_names_the_row_whose_list_column_is_not_a_list():
    papers = ps.load(SEED)
    papers["keywords"] = [[]] * 3 + ["not a list"] + [[]] * (len(papers) - 4)
    with pytest.raises(SchemaError, match="'keywords' must hold lists; row 3"):
        schema.validate(papers)
