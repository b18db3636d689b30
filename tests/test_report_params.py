"""One parameter set for every report notebook, mirrored by the command line; the corpus loaded once."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from paperscope.cli import build_parser
from paperscope.errors import PaperscopeError
from paperscope.report import ReportParams, declared_parameters, default_notebooks, load_corpus, save_corpus

from .conftest import ROOT

HF = ROOT / "data" / "hf-daily-papers"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_every_notebook_declares_exactly_the_report_parameters():
    assert ReportParams.names() == ["corpus", "taxonomy_files", "period", "random_state", "backend",
                                    "gold", "since", "year", "only_taxonomy"]
    for path in NOTEBOOKS:
        assert declared_parameters(path) == ReportParams.names(), path.name


def test_every_notebook_uses_the_taxonomy_files_where_it_tags():
    import nbformat

    for path in NOTEBOOKS:
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []))
        if "tag_themes(" in code:
            assert "load_taxonomy(*taxonomy_files, include_default=not only_taxonomy)" in code, path.name
            assert "tag_themes(papers)" not in code, f"{path.name} tags with the default taxonomy only"
        assert "load_corpus(corpus, year=year" in code, path.name
        assert "freq=freq" not in code


def test_the_notebooks_ship_inside_the_package_from_one_source():
    shipped = default_notebooks()
    assert sorted(p.name for p in shipped.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        assert (shipped / path.name).read_bytes() == path.read_bytes()
    assert (shipped / "my_themes.toml").is_file()  # notebook 02's worked example


def test_the_command_line_mirrors_the_parameters():
    args = build_parser().parse_args([
        "report", "--corpus", "papers/", "--taxonomy", "a.toml", "--taxonomy", "b.toml", "--period", "M",
        "--random-state", "7", "--backend", "tfidf", "--gold", "labels.csv", "--since", "2025-06-01",
        "--year", "2025", "--only"])
    given = {name: getattr(args, {"corpus": "corpus", "taxonomy_files": "taxonomy",
                                  "only_taxonomy": "only"}.get(name, name))
             for name in ReportParams.names()}
    params = ReportParams(**{**given, "taxonomy_files": tuple(given["taxonomy_files"])})
    assert params == ReportParams("papers/", ("a.toml", "b.toml"), "M", 7, "tfidf", "labels.csv",
                                  "2025-06-01", 2025, only_taxonomy=True)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"period": "W"}, "period 'W': choose one of M, Q, Y"),
    ({"backend": "bert"}, "backend 'bert': choose one of minilm, static, tfidf"),
    ({"since": "last week"}, "since 'last week': expected a date"),
    ({"taxonomy_files": "mine.toml"}, "a list of TOML files"),
    ({"random_state": "42"}, "random_state='42': give a whole number from 0"),
    ({"random_state": -1}, "random_state=-1: give a whole number from 0 to 4294967295"),
    ({"random_state": True}, "random_state=True: give a whole number"),
    ({"year": 2262}, r"year=2262: the listings' year, e.g. 2025, a whole number from 1900 to 2100"),
    ({"since": "01-02-2026"}, "since '01-02-2026': expected a date written YYYY-MM-DD"),
    ({"since": 20255}, "since 20255: expected a date such as 2025-06-01, or a year"),
    ({"only_taxonomy": True}, "only_taxonomy: no taxonomy files to use alone"),
    ({"only_taxonomy": "yes", "taxonomy_files": ["a.toml"]}, "only_taxonomy 'yes': expected True or False"),
])
def test_bad_parameters_are_named(kwargs, message):
    with pytest.raises(PaperscopeError, match=message):
        ReportParams("papers/", **kwargs)


def test_missing_input_files_are_named(tmp_path):
    with pytest.raises(PaperscopeError, match="nope.toml: taxonomy file not found"):
        ReportParams("papers/", taxonomy_files=[tmp_path / "nope.toml"]).check_files()
    with pytest.raises(PaperscopeError, match="labels.csv: gold file not found"):
        ReportParams("papers/", gold=tmp_path / "labels.csv").check_files()
    (tmp_path / "themes.toml").mkdir()
    with pytest.raises(PaperscopeError, match="themes.toml: taxonomy file is a folder, not a file"):
        ReportParams("papers/", taxonomy_files=[tmp_path / "themes.toml"]).check_files()


def test_since_never_filters_the_corpus():
    """``since`` says what is new (the index page and page 05 compare); every paper stays in."""
    files = [HF / "2024-05-27.json", HF / "2024-09-02.json", HF / "2024-10-01.json"]
    everything, audit = load_corpus(files, audit=True)
    papers, since_audit = load_corpus(files, since="2024-09-01", audit=True)
    assert len(papers) == len(everything) == 13 + 15 + 11
    pd.testing.assert_frame_equal(papers, everything)
    pd.testing.assert_frame_equal(since_audit, audit)
    assert "filtered" not in set(since_audit["status"])
    # the seed has no dates at all: nothing is left out for it either
    seed = ROOT / "seeds" / "hf-daily-papers-sep-9.txt"
    assert len(load_corpus(seed, since="2025-01-01")) == 62


def test_a_since_that_is_not_a_date_is_named():
    with pytest.raises(PaperscopeError, match="since 'last week': expected a date"):
        load_corpus(HF / "2024-05-27.json", since="last week")


def test_a_saved_corpus_keeps_its_audit(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        papers, audit = load_corpus(ROOT / "seeds", audit=True)  # the hand labels are skipped
    assert len(papers) == 62 and (audit["status"] == "skipped").sum() == 62
    path = save_corpus(papers, audit, tmp_path / "corpus.parquet")
    again, again_audit = load_corpus(path, audit=True)
    pd.testing.assert_frame_equal(again, papers)
    pd.testing.assert_frame_equal(again_audit, audit)
    with pytest.raises(PaperscopeError, match="refusing to overwrite"):
        save_corpus(papers, audit, path)
    (tmp_path / "other.audit.parquet").mkdir()  # the audit's name taken by a folder: said before any write
    with pytest.raises(PaperscopeError, match="other.audit.parquet: is a folder"):
        save_corpus(papers, audit, tmp_path / "other.parquet")
    assert not (tmp_path / "other.parquet").exists()


@pytest.mark.parametrize(("text", "message"), [
    ("Title,llms\nA paper,1\n", r"gold labels need a 'title' column \(the header has \['Title', 'llms'\]\)"),
    ("title,llms\nA paper,yes\n", r"gold column 'llms', row 2: expected 1, 0 or \?, found 'yes'"),
    ("title,llms\nA paper,1\nA  Paper,0\n", r"the title of row 3 repeats row 2 \('A paper'\)"),
])
def test_a_gold_file_that_is_no_table_of_labels_stops_the_report_before_it_runs(tmp_path, text, message):
    # the themes page used to leave its scores out without a word when they could not be computed
    gold = tmp_path / "labels.csv"
    gold.write_text(text)
    with pytest.raises(PaperscopeError, match=f"labels.csv: {message}"):
        ReportParams("papers/", gold=gold).check_files()


def test_a_year_given_as_since_is_its_first_day():
    # an int year became 1970-01-01 (every paper new); "2025" is the year's first day, as whats_new reads it
    import numpy as np

    assert ReportParams("papers/", since=2025).since == ReportParams("papers/", since="2025").since == "2025-01-01"
    assert ReportParams("papers/", since=np.int64(2025)).since == ReportParams("papers/", since=2025.0).since \
        == "2025-01-01"  # (both were 1970-01-01)
    for bad in ("1800", 2025.5, "0001"):
        with pytest.raises(PaperscopeError, match="or a year such as 2025"):
            ReportParams("papers/", since=bad)
