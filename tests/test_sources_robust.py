"""A record with a wrongly typed field is skipped with its file and line; the rest of the file loads."""

from __future__ import annotations

import json
import os
import sys
import threading
import warnings
from pathlib import Path

import pandas as pd
import pytest

import paperscope as ps

from .conftest import ROOT, SEED

DATA = ROOT / "tests" / "data" / "sources"
HF_DAY = ROOT / "data" / "hf-daily-papers" / "2025-06-02.json"
SNAPSHOT = DATA / "arxiv-snapshot-head20.json"


def load_skipping(path, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        papers, audit = ps.load(path, audit=True, **options)
    ps.schema.validate(papers)
    assert int(audit["count"].sum()) == len(papers) + int((audit["status"] != "loaded").sum() - (
        audit["status"] == "filtered").sum()) + int(audit.loc[audit["status"] == "filtered", "count"].sum())
    skipped = audit[audit["status"] == "skipped"]
    if len(skipped):
        assert any(issubclass(w.category, ps.SkippedRecordsWarning) for w in caught)
    return papers, skipped


def _snapshot_with(tmp_path, line: int, change):
    lines = SNAPSHOT.read_text().splitlines()
    obj = json.loads(lines[line - 1])
    change(obj)
    lines[line - 1] = json.dumps(obj)
    path = tmp_path / "snapshot.json"
    path.write_text("\n".join(lines) + "\n")
    return path, obj["id"]


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("title", 42, "title is int 42, expected text"),
    ("title", ["A", "list"], "title is list"),
    ("versions", "v1", "versions is str 'v1', expected a list of objects"),
    ("categories", ["hep-th"], "categories is list"),
    ("authors_parsed", [["Smith"]], "authors_parsed entry 1 is list ['Smith']"),
    ("doi", 10.1103, "doi is float"),
])
def test_snapshot_line_with_a_wrong_type_is_skipped(tmp_path, field, value, reason):
    path, bad_id = _snapshot_with(tmp_path, 7, lambda obj: obj.__setitem__(field, value))
    papers, skipped = load_skipping(path)
    assert len(papers) == 19 and f"arxiv:{bad_id}" not in set(papers["paper_id"])
    assert skipped["line"].tolist() == [7] and skipped["source"].iloc[0] == str(path)
    assert reason in skipped["reason"].iloc[0]


def test_snapshot_line_with_invalid_utf8_is_skipped_with_its_line(tmp_path):
    raw = SNAPSHOT.read_bytes().split(b"\n")
    raw[4] = raw[4][:80] + b"\xff\xfe" + raw[4][80:]
    path = tmp_path / "snapshot.json"
    path.write_bytes(b"\n".join(raw))
    papers, skipped = load_skipping(path)
    assert len(papers) == 19
    assert skipped["line"].tolist() == [5]
    assert "line 5 is not UTF-8 text (byte 0xff at column 81)" in skipped["reason"].iloc[0]
    # the same holds when a category filter reads the file from its raw bytes
    hep, skipped = load_skipping(path, categories=["hep-", "math"])
    assert skipped["line"].tolist() in ([], [5])


def test_an_hf_organization_given_as_a_bare_name_is_kept(tmp_path):
    items = json.loads(HF_DAY.read_text())
    items[2]["paper"]["organization"] = "Meta"
    items[2].pop("organization", None)
    path = tmp_path / "day.json"
    path.write_text(json.dumps(items))
    assert ps.load(path)["organization"].iloc[2] == "Meta"


def test_an_hf_author_given_as_a_bare_name_is_kept(tmp_path):
    items = json.loads(HF_DAY.read_text())
    authors = items[2]["paper"]["authors"]
    names = [a["name"] for a in authors]
    authors.insert(1, " Plain Name ")
    path = tmp_path / "day.json"
    path.write_text(json.dumps(items))
    papers, audit = ps.load(path, audit=True)
    assert papers["authors"].iloc[2] == [names[0], "Plain Name", *names[1:]]
    assert audit["reason"].isna().all()


@pytest.mark.parametrize("nameless", [{}, {"name": None}, {"name": "  "}, 42])
def test_an_hf_author_without_a_name_is_left_out_and_said_so(tmp_path, nameless):
    items = json.loads(HF_DAY.read_text())
    authors = items[2]["paper"]["authors"]
    names = [a["name"] for a in authors]
    authors.insert(1, nameless)
    path = tmp_path / "day.json"
    path.write_text(json.dumps(items))
    papers, audit = ps.load(path, audit=True)
    assert papers["authors"].iloc[2] == names  # the named authors, in order
    noted = audit[audit["reason"].fillna("").str.contains("no name")]
    assert noted["record"].tolist() == [3] and noted["status"].tolist() == ["loaded"]
    assert f"item 3: 1 of {len(names) + 1} authors have no name and were left out" == noted["reason"].iloc[0]
    assert audit["reason"].notna().sum() == 1  # the other items carry no note


@pytest.mark.parametrize(("where", "field", "value", "reason"), [
    ("paper", "title", 42, "title is int 42, expected text"),
    ("paper", "title", ["A", "B"], "title is list"),
    ("paper", "upvotes", "many", "upvotes is str 'many', expected a whole number"),
    ("paper", "upvotes", 2**63, "too large for a count"),
    ("paper", "authors", "Ann Author", "paper.authors is str"),
    ("paper", "ai_keywords", "not a list", "keywords is str"),
    ("paper", "publishedAt", "yesterday", "paper.publishedAt 'yesterday' is not a date"),
    ("item", "numComments", 2.5, "num_comments is float 2.5"),
    ("item", "numComments", -5, "num_comments is -5, expected a count or year (0 or more)"),
])
def test_hf_item_with_a_wrong_type_is_skipped(tmp_path, where, field, value, reason):
    items = json.loads(HF_DAY.read_text())
    target = items[2]["paper"] if where == "paper" else items[2]
    target[field] = value
    items[2].pop("title", None)  # so that a bad paper.title is not replaced by the item's
    path = tmp_path / "day.json"
    path.write_text(json.dumps(items))
    papers, skipped = load_skipping(path)
    assert len(papers) == len(items) - 1
    assert skipped["record"].tolist() == [3]
    assert skipped["reason"].iloc[0].startswith("item 3") and reason in skipped["reason"].iloc[0]


def test_json_table_and_csv_records_with_wrong_types_are_skipped(tmp_path):
    records = json.loads((DATA / "neurips-1995-head8.json").read_text())
    records[1]["title"] = 1995
    records[4]["author"] = {"name": "x"}
    table = tmp_path / "nips1995.json"
    table.write_text(json.dumps(records))
    papers, skipped = load_skipping(table)
    assert len(papers) == 6 and skipped["record"].tolist() == [2, 5]
    assert "title is int 1995" in skipped["reason"].iloc[0] and "authors is dict" in skipped["reason"].iloc[1]

    csv_path = tmp_path / "list.csv"
    csv_path.write_text("Title,Year,Upvotes\nGood paper,2020,3\nBad count,2021,many\nOther,2019,\n")
    papers, skipped = load_skipping(csv_path)
    assert papers["title"].tolist() == ["Good paper", "Other"]
    assert skipped["line"].tolist() == [3] and "upvotes is str 'many'" in skipped["reason"].iloc[0]


def test_a_number_that_is_not_a_whole_number_skips_its_record_not_part_of_it(tmp_path):
    # "1.2k" once loaded as 1, "20x4" as 20, "12.7" as 12: a wrong number is worse than a skipped record
    csv_path = tmp_path / "list.csv"
    csv_path.write_text('Title,Year,Upvotes\nShort count,2020,1.2k\nThousands,2021,"1,234"\nTypo,20x4,3\n'
                        "Float count,2019,12.7\nSpreadsheet float,2019.0,7\nPadded, 2018 , 2\n")
    papers, skipped = load_skipping(csv_path)
    assert papers["title"].tolist() == ["Thousands", "Spreadsheet float", "Padded"]
    assert papers["year"].tolist() == [2021, 2019, 2018] and papers["upvotes"].tolist() == [1234, 7, 2]
    assert skipped["line"].tolist() == [2, 4, 5]
    assert ["1.2k" in r for r in skipped["reason"]] == [True, False, False]
    assert "year is str '20x4', expected a whole number" in skipped["reason"].iloc[1]
    table = tmp_path / "list.json"
    table.write_text(json.dumps([{"title": "A", "year": "20x4"}, {"title": "B", "year": 2019.0, "upvotes": 3.5},
                                 {"title": "C", "year": 2020.0}]))
    papers, skipped = load_skipping(table)
    assert papers["title"].tolist() == ["C"] and papers["year"].tolist() == [2020]
    assert skipped["record"].tolist() == [1, 2] and "upvotes is float 3.5" in skipped["reason"].iloc[1]


def test_a_year_field_gives_its_year_none_or_skips_the_record(tmp_path):
    # free-text years: the four-digit year in it; no digit at all ("in press") is no year;
    # digits that are no four-digit year ("98", "20x0") would be a guess: the record is skipped
    ris = tmp_path / "list.ris"
    ris.write_text("".join(f"TY  - JOUR\nTI  - {title}\nPY  - {year}\nER  - \n\n" for title, year in [
        ("Good", "2019///"), ("Copyright", "c2018"), ("Pressed", "in press"), ("Short", "98/05/01/")]))
    papers, skipped = load_skipping(ris)
    assert papers["title"].tolist() == ["Good", "Copyright", "Pressed"]
    assert papers["year"].tolist()[:2] == [2019, 2018] and pd.isna(papers["year"].iloc[2])
    assert len(skipped) == 1 and "year is str '98/05/01/', expected a four-digit year" in skipped["reason"].iloc[0]
    bib = tmp_path / "list.bib"
    bib.write_text("@article{a, title={Good}, year={2019}}\n@article{b, title={Bad}, year={20x0}}\n"
                   "@article{c, title={Forthcoming}, year={n.d.}}\n")
    papers, skipped = load_skipping(bib)
    assert papers["title"].tolist() == ["Good", "Forthcoming"] and papers["year"].tolist()[0] == 2019
    assert len(skipped) == 1 and "year is str '20x0'" in skipped["reason"].iloc[0]
    table = tmp_path / "dated.csv"
    table.write_text("Title,Year\nDated,2019-05-01\n", encoding="utf-8")
    assert ps.load(table)["year"].tolist() == [2019]  # a Year column that holds dates


def test_dates_written_with_numbers_only_are_read_in_the_files_one_order(tmp_path):
    # a spreadsheet saved in Europe writes 01/02/2026 for 1 February; pandas alone reads it as
    # 2 January next to 13/02/2026 as 13 February: one file, two conventions, months swapped
    europe = tmp_path / "europe.csv"
    europe.write_text("Title,Date\nA,01/02/2026\nB,13/02/2026\nC,2/3/26\n", encoding="utf-8")
    assert ps.load(europe)["published"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-02-01", "2026-02-13", "2026-03-02"]
    us = tmp_path / "us.json"
    us.write_text(json.dumps([{"title": "A", "date": "01/02/2026"}, {"title": "B", "date": "02/13/2026 14:00"}]),
                  encoding="utf-8")
    assert ps.load(us)["published"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2026-01-02 00:00", "2026-02-13 14:00"]
    # no evidence: slashes month first (US spreadsheets), dots day first (European ones)
    plain = tmp_path / "plain.csv"
    plain.write_text("Title,Date\nA,01/02/2026\n", encoding="utf-8")
    dotted = tmp_path / "dotted.csv"
    dotted.write_text("Title,Date\nA,01.02.2026\n", encoding="utf-8")
    assert ps.load(plain)["published"].iloc[0].month == 1 and ps.load(dotted)["published"].iloc[0].month == 2
    # both conventions in one file: a date that could be either is no date (its year is kept), and says why
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("Title,Date\nA,01/02/2026\nB,02/13/2026\nC,13/02/2026\nD,05/05/2026\n", encoding="utf-8")
    papers, audit = ps.load(mixed, audit=True)
    assert papers["title"].tolist() == ["A", "B", "C", "D"]
    assert pd.isna(papers["published"].iloc[0]) and papers["year"].iloc[0] == 2026
    note = audit.set_index("line")["reason"]
    assert "could be day or month first" in note[2] and "kept its year, 2026" in note[2]


def test_a_year_that_is_no_year_and_a_date_that_is_only_a_year(tmp_path):
    # "n.d." and "in press" are no year (the record stays, as in RIS and BibTeX); a date column
    # holding only a year, or a season, gives the year, never a made-up 1 January
    table = tmp_path / "export.csv"
    table.write_text("Title,Publication Year,Date\nA,n.d.,\nB,in press,Spring 2019\nC,2020,2019\n", encoding="utf-8")
    papers, audit = ps.load(table, audit=True)
    assert papers["title"].tolist() == ["A", "B", "C"]
    assert papers["year"].tolist()[1:] == [2019, 2020] and pd.isna(papers["year"].iloc[0])
    assert papers["published"].isna().all()
    assert "'Spring 2019' is not a date: kept its year, 2019" in audit.set_index("line")["reason"][3]


def test_saved_parquet_with_a_bad_row_keeps_the_others(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    papers = ps.load(HF_DAY)
    path = ps.save(papers, tmp_path / "corpus.parquet")
    table = pq.read_table(path)
    titles = table.column("title").to_pylist()
    titles[3] = None
    pq.write_table(table.set_column(table.schema.get_field_index("title"), "title", pa.array(titles)), path)
    again, skipped = load_skipping(path)
    assert len(again) == len(papers) - 1 and skipped["record"].tolist() == [4]


def test_a_missing_path_is_a_paperscope_error(tmp_path):
    with pytest.raises(ps.SourceNotFoundError, match="no-such-file.json: no such file"):
        ps.load(tmp_path / "no-such-file.json")
    assert issubclass(ps.SourceNotFoundError, ps.PaperscopeError)
    assert issubclass(ps.SourceNotFoundError, FileNotFoundError)  # code that caught that still does
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "README.md").write_text("what this folder is for\n")
    with pytest.raises(ps.SourceNotFoundError, match="notes: the folder holds no files to read"):
        ps.load(notes)  # not an empty frame, as if the folder held papers that all went missing
    with pytest.raises(ps.SourceNotFoundError, match="the glob matches no files to read"):
        ps.load(tmp_path / "note*")
    (notes / "day").mkdir()
    (notes / "day" / "seed.txt").write_bytes(SEED.read_bytes())
    assert len(ps.load(tmp_path / "note*")) == 62  # a folder a glob matches is read like a folder


@pytest.mark.parametrize(("name", "needle", "skipped_line"), [
    ("example-head5.ris", b"The European Approach", 1),
    ("scopus-head4.csv", b"Scalable molecular dynamics", 2),
    ("neurips-1995-head6.bib", b"A Bound on the Error", None),
])
def test_bytes_that_are_not_utf8_lose_one_record_not_the_file(tmp_path, name, needle, skipped_line):
    raw = (DATA / name).read_bytes()
    i = raw.index(needle)
    path = tmp_path / name
    path.write_bytes(raw[:i] + b"\xff" + raw[i:])
    clean = ps.load(DATA / name)
    papers, skipped = load_skipping(path)
    assert len(papers) == len(clean) - 1 and len(skipped) == 1
    assert "not UTF-8 (0xff)" in skipped["reason"].iloc[0]
    if skipped_line is not None:
        assert skipped["line"].iloc[0] == skipped_line


def test_a_page_with_a_bad_byte_in_one_title_keeps_the_other_papers(tmp_path):
    from .conftest import SEED

    raw = SEED.read_bytes()
    first_title = raw.split(b"\n\n")[6]
    path = tmp_path / "page.txt"
    path.write_bytes(raw.replace(first_title, first_title[:10] + b"\xc3\x28" + first_title[10:], 1))
    papers, skipped = load_skipping(path, year=2025)
    assert len(papers) == len(ps.load(SEED, year=2025)) - 1
    assert "title holds a byte that is not UTF-8 (0xc3)" in skipped["reason"].iloc[0]


WHITESPACE_CASES = ["", " ", "one", " lead", "trail ", "two  spaces", "wrapped\nline", "  arXiv\n  indent\n",
                    "tab\there", "cr\r\nlf", "\x0bvt\x0cff\x1cfs\x1f", "nbsp\xa0here", "em\u2003space",
                    "line\u2028sep", "ünï\ncödé", "a\n\nb", "\n", "x\x85y", "ctrl\x07bell"]


@pytest.mark.parametrize("text", WHITESPACE_CASES)
def test_title_and_abstract_are_normalized_as_split_and_join_would(text):
    from paperscope.sources._base import make_record

    words = text.split()
    record = make_record("f.txt", "test", 1, title=f"T {text} x", abstract=text)
    assert record["title"] == " ".join(["T", *words, "x"])
    assert record["abstract"] == (" ".join(words) or None)
    assert record["n_words"] == len(words)


def test_loading_leaves_the_cycle_collector_as_it_found_it(tmp_path):
    import gc

    assert gc.isenabled()
    ps.load(SNAPSHOT)
    assert gc.isenabled()
    (tmp_path / "empty.json").write_text("")
    with pytest.raises(ps.SourceFormatError):
        ps.load(tmp_path / "empty.json")
    assert gc.isenabled()
    gc.disable()
    try:
        ps.load(SNAPSHOT)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def _damaged_copies(tmp_path):
    """A snapshot and an HF day file with unusual and wrongly typed fields among plain ones."""
    lines = [json.loads(ln) for ln in SNAPSHOT.read_text().splitlines()]
    lines[1]["title"] = 1995
    lines[3]["abstract"] = "  Caf\u00e9 \n\t au   lait  "
    lines[4]["title"] = " \n "
    lines[5]["versions"] = "v1"
    lines[6]["authors_parsed"] = [["Solo"]]
    lines[7]["doi"] = 10.1
    lines[8]["id"] = "hep-th/9901001v2"
    text = [json.dumps(obj) for obj in lines]
    text[10] = text[10][:40]
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text("\n".join(text) + "\n\n")
    day = json.loads(HF_DAY.read_text())
    items = day["data"] if isinstance(day, dict) else day
    items[0]["paper"]["title"] = 7
    items[1]["paper"]["upvotes"] = "many"
    items[2]["paper"]["summary"] = "Tr\u00e8s\nbien  \u00a0 dit"
    items[3]["paper"]["authors"] = "A. Person"
    items[4]["paper"]["publishedAt"] = "not a date"
    items[5]["paper"]["ai_keywords"] = ["ok", 3]
    items.append("{'paper': {'id': '2501.00001', 'title': 'A repr item'}}")
    hf = tmp_path / "hf" / HF_DAY.name
    hf.parent.mkdir()
    hf.write_text(json.dumps(day))
    return snapshot, hf


def _record_by_record(path, source_format, positions, *columns, **fields):
    return {}, [False] * len(positions)  # every record left to make_record


@pytest.mark.parametrize("which", ["hf-days", "snapshot", "snapshot-hep", "hf-damaged", "snapshot-damaged"])
def test_column_reading_equals_record_by_record(tmp_path, monkeypatch, which):
    # The readers build the records of plain items a column at a time (make_columns); a
    # record built by make_record alone, one at a time, must be the same, skips included.
    from paperscope.sources import arxiv_snapshot, hf_api

    snapshot, hf = _damaged_copies(tmp_path)
    path, options = {"hf-days": (HF_DAY.parent, {}), "snapshot": (SNAPSHOT, {}),
                     "snapshot-hep": (SNAPSHOT, {"categories": ["hep"]}), "hf-damaged": (hf, {}),
                     "snapshot-damaged": (snapshot, {})}[which]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        columns = ps.load(path, audit=True, **options)
        for module in (arxiv_snapshot, hf_api):
            monkeypatch.setattr(module, "make_columns", _record_by_record)
        one_by_one = ps.load(path, audit=True, **options)
    for ours, reference in zip(columns, one_by_one, strict=True):
        pd.testing.assert_frame_equal(ours, reference, check_exact=True)
    if "damaged" in which:
        assert (columns[1]["status"] == "skipped").sum() >= 4


def _processes_forced(size, limit, processes):
    return 1 if limit is not None or processes == 1 else 3


@pytest.mark.parametrize("options", [{}, {"categories": ["hep", "math"]}, {"since": "2007-04-01"}])
def test_a_snapshot_read_on_several_cores_equals_one_core(tmp_path, monkeypatch, options):
    # A large snapshot is cut at line ends and read by several processes; joined in file order,
    # the result is the one process's: the same rows, and the damaged lines skipped with their
    # own line numbers, whichever range they fell in.
    from paperscope.sources import arxiv_snapshot

    damaged, _ = _damaged_copies(tmp_path)
    lines = damaged.read_text().splitlines()
    big = tmp_path / "big.json"
    big.write_text("\n".join(lines * 7) + "\n")  # the damaged lines in every range
    monkeypatch.setattr(arxiv_snapshot, "BLOCK", 4096)  # many windows per range
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = ps.load(big, audit=True, **options)
        monkeypatch.setattr(arxiv_snapshot, "_processes", _processes_forced)
        several = ps.load(big, audit=True, **options)
    for ours, reference in zip(several, one, strict=True):
        pd.testing.assert_frame_equal(ours, reference, check_exact=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, audit = ps.load(damaged, audit=True, **options)
    bad = audit.loc[audit["status"] == "skipped", "line"].tolist()
    skipped = several[1].loc[several[1]["status"] == "skipped", "line"].tolist()
    assert len(bad) >= 1 and skipped == [k * len(lines) + line for k in range(7) for line in bad]


def test_a_reading_process_that_dies_has_its_range_read_by_the_caller(tmp_path, monkeypatch):
    from paperscope.sources import arxiv_snapshot

    lines = SNAPSHOT.read_text().splitlines()
    big = tmp_path / "big.json"
    big.write_text("\n".join(lines * 5) + "\n")
    one = arxiv_snapshot.parse(big, categories=["math"])
    monkeypatch.setattr(arxiv_snapshot, "_processes", _processes_forced)
    monkeypatch.setattr(arxiv_snapshot, "_child", lambda conn, *args: os._exit(3))  # dies, sends nothing
    several = arxiv_snapshot.parse(big, categories=["math"])
    assert several.records.columns == one.records.columns and several.filtered == one.filtered > 0


def test_a_small_or_limited_snapshot_is_read_in_one_process(monkeypatch):
    from paperscope.sources import arxiv_snapshot

    processes, least = arxiv_snapshot._processes, arxiv_snapshot.PARALLEL_MIN
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    monkeypatch.setattr(arxiv_snapshot, "CPU_QUOTA_FILES", ())  # (no container quota, whatever this machine has)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # a script: one thread
    assert processes(least - 1, None, None) == 1
    assert processes(100 * least, 10, None) == 1  # a limit: the first rows, in order
    assert processes(3 * least, None, None) == 3
    assert processes(30 * least, None, None) == 4
    assert processes(30 * least, None, 2) == 2 and processes(30 * least, None, 1) == 1
    with pytest.raises(ValueError, match="processes must be"):
        processes(30 * least, None, 0)
    monkeypatch.setattr(threading, "active_count", lambda: 4)  # a notebook kernel: never forked
    assert processes(30 * least, None, None) == 1
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert processes(30 * least, None, None) == 1


_CALLER = """
import multiprocessing, signal, sys, time
from paperscope.sources import arxiv_snapshot
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a script's own handler, inherited by a fork
arxiv_snapshot._processes = lambda size, limit, processes: 3
read = arxiv_snapshot._read_range

def slow(path, filters, limit, start, end, first=None):
    if start == 0:  # the caller's own range: say who reads the others, then take long over it
        with open(sys.argv[2], "w") as fh:
            fh.write(" ".join(str(p.pid) for p in multiprocessing.active_children()))
        time.sleep(120)
    return read(path, filters, limit, start, end, first)

arxiv_snapshot._read_range = slow
arxiv_snapshot.parse(sys.argv[1])
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"  # ended (a zombie until reaped)
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reading on several cores is Linux only")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_no_reading_process_outlives_or_blocks_its_caller(tmp_path, how):
    # The reading processes finish their ranges while the caller is still on its own, and wait to
    # hand over rows (more than a pipe holds). Killed callers leave none of them behind; a caller
    # whose SIGTERM handler exits stops them and exits, instead of waiting on them forever.
    import signal
    import subprocess
    import time

    big, pids = tmp_path / "big.json", tmp_path / "pids"
    big.write_text("\n".join(SNAPSHOT.read_text().splitlines() * 150) + "\n")  # 3,000 lines, ~3 MB
    caller = subprocess.Popen([sys.executable, "-c", _CALLER, str(big), str(pids)],
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
            time.sleep(0.1)
        readers = [int(p) for p in pids.read_text().split()]
        assert len(readers) == 2
        time.sleep(2)  # they have read their ranges by now, and wait to send them
        caller.send_signal(getattr(signal, how))
        assert caller.wait(timeout=20) != 0
        deadline = time.monotonic() + 20
        while not all(map(_gone, readers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(map(_gone, readers)), [Path(f"/proc/{p}/wchan").read_text() for p in readers if not _gone(p)]
    finally:
        caller.kill()


def test_a_containers_cpu_quota_caps_the_reading_processes(tmp_path, monkeypatch):
    from paperscope.sources import arxiv_snapshot

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    v2, quota, period = tmp_path / "cpu.max", tmp_path / "quota", tmp_path / "period"
    monkeypatch.setattr(arxiv_snapshot, "CPU_QUOTA_FILES", ((str(v2), None), (str(quota), str(period))))
    assert arxiv_snapshot._cores() == 16  # no quota file: the affinity
    v2.write_text("250000 100000\n")  # 2.5 CPUs
    assert arxiv_snapshot._cores() == 2
    v2.write_text("max 100000\n")
    assert arxiv_snapshot._cores() == 16
    v2.unlink()
    quota.write_text("400000\n")
    period.write_text("100000\n")
    assert arxiv_snapshot._cores() == 4  # cgroup v1
    quota.write_text("-1\n")
    assert arxiv_snapshot._cores() == 16
    quota.write_text("50000\n")
    assert arxiv_snapshot._cores() == 1


def test_an_unreadable_bibtex_entry_says_why_in_the_audit_only(tmp_path, capfd):
    bib = tmp_path / "list.bib"
    bib.write_text("@article{a, title={Good}, year={2019}}\n@article{b, title={Bad, year={2019}}\n"
                   "@article{c, title={Other}, year={2018}}\n")
    papers, skipped = load_skipping(bib)
    assert papers["title"].tolist() == ["Good", "Other"]
    assert skipped["reason"].tolist() == ["line 2: unreadable BibTeX entry (Unexpected block start: `@article`. "
                                          "Was still looking for field-value closing `,` or `}`)"]
    assert capfd.readouterr().err == ""  # bibtexparser's own log line stays quiet


def test_a_stray_quote_in_a_csv_is_reported_with_the_rows_it_swallowed(tmp_path):
    # read leniently, a quote that opens a field and closes rows later made one paper of three
    # (the wrong abstract, the wrong year) and the two rows inside it vanished without a word
    stray = tmp_path / "stray.csv"
    stray.write_text('title,abstract,year\nGood one,Fine abstract,2020\nBroken,"an abstract with a stray quote,2021\n'
                     'Third,Another,2022\nFourth,"More",2023\nFifth,"Quoted, over\ntwo lines",2024\n')
    papers, skipped = load_skipping(stray)
    assert papers["title"].tolist() == ["Good one", "Fifth"]  # a quoted field over two lines is fine
    assert papers["abstract"].tolist() == ["Fine abstract", "Quoted, over two lines"]
    assert skipped["line"].tolist() == [3]
    assert skipped["reason"].iloc[0].startswith("lines 3–5: ") and "stray quote on line 3" in skipped["reason"].iloc[0]

    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text('title,abstract,year\nGood one,Fine abstract,2020\n"Broken title,abstract,2021\nThird,x,2022\n')
    with pytest.warns(ps.SkippedRecordsWarning, match=r"unclosed.csv: lines 3–4: 1 fields, the header has 3;"):
        papers = ps.load(unclosed)
    assert papers["title"].tolist() == ["Good one"]


def test_a_real_export_with_an_undoubled_quote_on_one_line_still_loads():
    # IEEE Xplore writes `"… on "Computer as a Tool""` (quotes inside a quoted field, not doubled):
    # on one line nothing is swallowed, and the row keeps loading as before
    papers, skipped = load_skipping(DATA / "ieee-undoubled-quote.csv")
    assert skipped.empty
    assert papers["title"].tolist() == ["Time-Domain Computational Electromagnetics Algorithms for GPU Based Computers"]
    assert papers["year"].tolist() == [2007]


def test_a_csv_cell_longer_than_the_csv_modules_default_limit_loads(tmp_path):
    # Scopus writes a paper's whole reference list in one cell; past 131,072 characters the row was
    # skipped ("field larger than field limit")
    import csv

    refs = "; ".join(f"Author {i}, A study of things {i}, J. Things {i} (2001)" for i in range(4000))
    assert len(refs) > 131_072
    path = tmp_path / "scopus.csv"
    path.write_text('"Authors","Title","Year","References"\n"Smith J.","First paper","2020","Ref a"\n'
                    f'"Doe J.","Long references","2021","{refs}"\n')
    before = csv.field_size_limit()
    papers, skipped = load_skipping(path)
    assert papers["title"].tolist() == ["First paper", "Long references"] and skipped.empty
    assert csv.field_size_limit() == before  # the process's limit is left as it was


def test_a_folder_is_read_whole_and_what_it_does_not_read_is_said(tmp_path):
    data = ROOT / "tests" / "data" / "sources"
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "ieee.csv").write_bytes((data / "ieee-head5.csv").read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "listing.jsonl").write_bytes((data / "arxiv-daily-cs-2026-03-19-head9.jsonl").read_bytes())
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)  # a linked folder is read
    (folder / "loop").symlink_to(folder, target_is_directory=True)  # a link back is not read twice
    (folder / "broken.csv").symlink_to(tmp_path / "gone.csv")
    (folder / "notes.md").write_text("# what I downloaded\n", encoding="utf-8")
    (folder / "query.txt").write_text("Downloaded from Scopus on 2026-03-01.\nQuery: TITLE(pinn)\n", encoding="utf-8")
    import gzip

    (folder / "old.csv.gz").write_bytes(gzip.compress((data / "ieee-head5.csv").read_bytes()))
    (folder / "embeddings.sqlite").write_bytes(b"SQLite format 3\x00" + bytes(100))  # a cache put there
    with pytest.warns(ps.SkippedRecordsWarning, match=r"did not read 5 file\(s\)"):
        papers, audit = ps.load(folder, audit=True)
    assert len(papers) == 5 + 8  # (two of the 9 listing lines are one paper)
    left = audit[audit["count"] == 0].set_index("source")["reason"]
    assert sorted(Path(s).name for s in left.index) == ["broken.csv", "embeddings.sqlite", "notes.md",
                                                        "old.csv.gz", "query.txt"]
    assert "gzip-compressed" in left[str(folder / "old.csv.gz")]
    assert "unrecognized format" in left[str(folder / "query.txt")]
    assert "broken link" in left[str(folder / "broken.csv")]
    assert ps.loader.audit_summary(audit)["read"].sum() == 5 + 9
    unread = ps.loader.unread_files(audit)  # (the pages' count of files read)
    assert sorted(Path(s).name for s in audit.loc[unread, "source"]) == sorted(Path(s).name for s in left.index)
    assert audit.loc[~unread, "source"].nunique() == 2  # ieee.csv and listing.jsonl
    # named on its own, a file is read whatever its name says: here that is an error about its content
    with pytest.raises(ps.PaperscopeError, match="notes.md"):
        ps.load(folder / "notes.md")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_is_an_error_not_a_hang(tmp_path):
    fifo = tmp_path / "papers.json"
    os.mkfifo(fifo)
    with pytest.raises(ps.PaperscopeError, match="not a regular file"):
        ps.load(fifo)
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "a.csv").write_text("Title,Abstract\nA paper,Its abstract\n", encoding="utf-8")
    os.mkfifo(folder / "b.csv")
    with pytest.warns(ps.SkippedRecordsWarning, match="not a regular file"):
        assert ps.load(folder)["title"].tolist() == ["A paper"]


def test_an_ris_record_without_its_end_line_ends_at_the_next(tmp_path):
    lines = (ROOT / "tests" / "data" / "sources" / "example-head5.ris").read_text(encoding="utf-8").split("\n")
    ends = [i for i, ln in enumerate(lines) if ln.startswith("ER  -")]
    assert len(ends) == 5
    cut = tmp_path / "cut.ris"  # the second record's end line lost, and the last one's (a truncated download)
    cut.write_text("\n".join(ln for i, ln in enumerate(lines) if i not in (ends[1], ends[4])), encoding="utf-8")
    whole = ps.load(ROOT / "tests" / "data" / "sources" / "example-head5.ris")
    papers, audit = ps.load(cut, audit=True)
    pd.testing.assert_frame_equal(papers.drop(columns=["source", "line"]), whole.drop(columns=["source", "line"]))
    notes = audit.dropna(subset=["reason"])
    assert notes["record"].tolist() == [2, 5]
    assert "no 'ER  - ' end line; it ends where the next record starts" in notes["reason"].iloc[0]
    assert "at the end of the file" in notes["reason"].iloc[1]


def test_a_json_lines_file_whose_first_line_is_cut_loses_that_line_only(tmp_path):
    lines = (ROOT / "tests" / "data" / "sources" / "arxiv-daily-cs-2026-03-19-head9.jsonl").read_text(
        encoding="utf-8").splitlines()
    cut = tmp_path / "listing.jsonl"
    cut.write_text("\n".join([lines[0][:60], *lines[1:]]) + "\n", encoding="utf-8")
    papers, skipped = load_skipping(cut)
    assert skipped["line"].tolist() == [1] and "not JSON" in skipped["reason"].iloc[0]
    assert len(papers) == 7  # the 8 papers of the 9 lines, less the one cut
    start_cut = tmp_path / "start_cut.jsonl"  # the first line lost its start (a tail of a download)
    start_cut.write_text("\n".join([lines[0][-60:], *lines[1:]]) + "\n", encoding="utf-8")
    assert len(load_skipping(start_cut)[0]) == 7
    gibberish = tmp_path / "gibberish.jsonl"
    gibberish.write_text("{not json\n{nor this}\n{\"title\": \n", encoding="utf-8")
    with pytest.raises(ps.PaperscopeError, match="gibberish.jsonl"):
        ps.load(gibberish, format="jsonl_table")


def test_a_repeated_column_reads_its_first_copy_and_says_so(tmp_path):
    table = tmp_path / "export.csv"
    table.write_text('Title,Abstract,Year,Abstract\nA,The real abstract,2020,Something else\nB,Same,2021,Same\n',
                     encoding="utf-8")
    papers, audit = ps.load(table, audit=True)
    assert papers["abstract"].tolist() == ["The real abstract", "Same"]
    assert audit["reason"].iloc[0] == ("the column 'Abstract' appears 2 times with different values; "
                                       "the first is read")
    assert pd.isna(audit["reason"].iloc[1])


def test_what_python_and_browsers_write_loads(tmp_path):
    # Python's json.dump and pandas write NaN for a missing number: a missing value, not a broken file
    table = tmp_path / "papers.json"
    table.write_text('[{"title": "A", "year": NaN, "abstract": "An abstract."}, {"title": "B", "year": 2020}]',
                     encoding="utf-8")
    papers = ps.load(table)
    assert papers["title"].tolist() == ["A", "B"] and pd.isna(papers["year"].iloc[0])
    lines = tmp_path / "papers.jsonl"
    lines.write_text('{"title": "A", "upvotes": NaN}\n{"title": "B", "upvotes": 3}\n', encoding="utf-8")
    assert ps.load(lines)["upvotes"].tolist()[1] == 3 and len(ps.load(lines)) == 2
    # a copied page whose spaces became no-break spaces is still a page
    page = tmp_path / "page.txt"
    page.write_text(SEED.read_text(encoding="utf-8").replace(" ", "\u00a0"), encoding="utf-8")
    assert ps.load(page)["title"].tolist() == ps.load(SEED)["title"].tolist()
    # a zip archive says what it is
    import zipfile

    archive = tmp_path / "listings.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.json", table.read_text(encoding="utf-8"))
    with pytest.raises(ps.PaperscopeError, match="a zip archive: unzip it"):
        ps.load(archive)


def test_a_columns_mapping_makes_a_table_of_any_header_and_a_typo_is_named(tmp_path):
    """A header with no title column of ours was an 'unrecognized format' whatever columns= said, and a
    typo in a target skipped every record ('unreadable (KeyError)') instead of naming it."""
    path = tmp_path / "custom.csv"
    path.write_text("Paper Name;Summary Text;Date\nA study of PINNs;We solve PDEs.;2025-03-01\n"
                    "Another one;Text here.;in press\n", encoding="utf-8")
    papers, audit = ps.load(path, columns={"paper name": "title", "Summary Text": "abstract", "Date": "published"},
                            audit=True)
    assert papers["title"].tolist() == ["A study of PINNs", "Another one"]
    assert papers["abstract"].iloc[0] == "We solve PDEs."
    # "in press" is no date: the paper is kept without one, as a year cell says it
    assert pd.isna(papers["published"].iloc[1])
    assert "'in press' is not a date: kept without a date" in audit["reason"].dropna().str.cat()
    as_json = tmp_path / "custom.json"
    as_json.write_text('[{"Name": "A JSON paper", "summary": "abc def"}]', encoding="utf-8")
    assert ps.load(as_json, columns={"name": "title"})["title"].tolist() == ["A JSON paper"]
    escaped = tmp_path / "escaped.json"  # json.dump's default: non-ASCII written as \u escapes
    escaped.write_text(json.dumps([{"Título": "Atención", "Año": 2020}]), encoding="utf-8")
    assert ps.load(escaped, columns={"Título": "title"})["title"].tolist() == ["Atención"]
    spanish = tmp_path / "es.jsonl"
    spanish.write_text('{"Título": "Un artículo", "Año": 2024}\n{"Título": "Otro", "Año": 2025}\n', encoding="utf-8")
    assert ps.load(spanish, columns={"título": "title", "Año": "year"})["year"].tolist() == [2024, 2025]
    with pytest.raises(ps.PaperscopeError, match=r"'abstrct' is not a column paperscope reads"):
        ps.load(path, columns={"Paper Name": "title", "Summary Text": "abstrct"})
    with pytest.raises(ps.PaperscopeError, match=r"columns= names 'paper nme' as the title, which this file"):
        ps.load(path, columns={"Paper Nme": "title"})
    with pytest.warns(ps.SkippedRecordsWarning, match=r"'Nope' is in no file read"):
        assert len(ps.load(path, SEED, columns={"Paper Name": "title", "Nope": "abstract"})) == 64


@pytest.mark.parametrize("option, message", [
    ({"limit": -5}, "limit=-5: give a whole number of 1 or more"), ({"limit": 2.5}, "limit=2.5"),
    ({"limit": "10"}, "limit='10'"), ({"limit": True}, "limit=True"), ({"processes": 0}, "processes=0"),
    ({"year": 1}, "year=1: the year of a copied page"), ({"year": "abc"}, "year='abc'"), ({"year": 2262}, "year=2262"),
    ({"format": "nope"}, "format='nope' is no format"), ({"categories": 5}, "categories=5"),
    ({"categories": [""]}, "non-empty strings"), ({"since": "soon"}, "since='soon' is not a date"),
    ({"since": "2026-01-01", "until": "2025-01-01"}, "is after until"),
])
def test_load_options_are_checked_before_any_file_is_read(option, message):
    with pytest.raises(ps.PaperscopeError, match=message.replace("(", r"\(").replace(".", r"\.")):
        ps.load(SEED, **option)


def test_filters_apply_to_every_format_and_count_in_the_audit():
    """since=/categories=/limit= were applied to snapshot files only: on the HF files every paper
    stayed, and the command line said nothing."""
    days = ROOT / "data" / "hf-daily-papers"
    everything = ps.load(days)
    recent, audit = ps.load(days, since="2026-01-01", audit=True)
    dates = everything["published"].fillna(everything["listed_on"])
    assert len(recent) == int((dates >= "2026-01-01").sum()) and 0 < len(recent) < len(everything)
    assert audit["count"].sum() == audit.loc[audit["source"].notna(), "count"].sum()
    assert audit.loc[audit["status"] == "filtered", "reason"].str.contains("since 2026-01-01").all()
    assert (ps.audit_summary(audit)["read"] == ps.audit_summary(ps.load(days, audit=True)[1])["read"]).all()
    first3 = ps.load(days, limit=3)
    assert len(first3) <= 3 * 30 and first3.groupby(first3["listed_on"].dt.date).size().max() <= 3
    with pytest.warns(ps.SkippedRecordsWarning, match=r"30 file\(s\) list no arXiv categories"):
        assert ps.load(days, categories="cs.LG,hep-th").empty
    listing = ROOT / "tests" / "data" / "sources" / "arxiv-daily-cs-2026-03-19-head9.jsonl"
    cs = ps.load(listing)
    wanted = cs["categories"].map(lambda c: any(x.startswith(("cs.LG", "cs.CV")) for x in c))
    assert 0 < wanted.sum() < len(cs)
    kept, audit = ps.load(listing, categories="cs.LG, cs.CV", audit=True)  # comma-separated: two prefixes
    assert kept["paper_id"].tolist() == cs.loc[wanted, "paper_id"].tolist()
    # files that give only years (BibTeX, RIS, NeurIPS): a year in the range keeps its record (they all went)
    bib = ROOT / "tests" / "data" / "sources" / "neurips-1995-head6.bib"
    assert len(ps.load(bib, since="1995-06-01")) == 6 and ps.load(bib, since="1996-01-01").empty
    assert len(ps.load(bib, until="1995-01-01")) == 6
    # a year as until is the year's last day: a paper of 20 March 2020 is within until=2020
    ieee = ROOT / "tests" / "data" / "sources" / "ieee-head5.csv"
    full = ps.load(ieee)
    assert full["published"].notna().sum() == 3  # two online dates after the publication year are no dates
    day_or_year = full["published"].dt.year.fillna(full["year"])
    assert len(ps.load(ieee, until=2020)) == int((day_or_year <= 2020).sum()) == len(ps.load(ieee, until="2020")) == 4
    assert len(ps.load(ieee, since=2020)) == int((day_or_year >= 2020).sum()) == 3
    with pytest.warns(ps.SkippedRecordsWarning, match=r"records with no date, not even a year"):
        assert ps.load(SEED, since="2025-01-01").empty  # a page without a year: no date at all
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a file with categories, none of them asked for: no warning
        assert ps.load(listing, categories="math.OC").empty
    # every record read is loaded, merged or filtered: the 9 lines hold 8 papers (one listed twice)
    assert audit["count"].sum() == ps.load(listing, audit=True)[1]["count"].sum() == 9
    assert audit.loc[audit["status"] == "filtered", "count"].sum() == 9 - len(kept)


def test_a_code_link_in_the_author_comment_counts_without_its_scheme(tmp_path):
    """arXiv comments such as 'Project Page: GitHub.com/AlbertTan404/PIPO' gave no link: only a comment
    holding '://' was read for links."""
    path = tmp_path / "listing.jsonl"
    path.write_text('{"title": "A paper", "abstract": "We do things.", "comment": "Project Page: '
                    'GitHub.com/AlbertTan404/PIPO"}\n'
                    '{"title": "Another", "abstract": "More.", "comment": "12 pages"}\n', encoding="utf-8")
    papers = ps.load(path)
    assert papers["urls"].tolist() == [["https://GitHub.com/AlbertTan404/PIPO"], []]
