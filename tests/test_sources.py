"""Every source format on real files held in the repo, with counts made independently.

The HF day files are `data/hf-daily-papers/` (the 30 real days, 494 papers); every other format is a
small real file cut from the project's shared data into `tests/data/` (origins in tests/data/SOURCE.md).
"""

from __future__ import annotations

import ast
import csv
import datetime
import io
import json
import re
import warnings
from email.utils import parsedate_to_datetime
from pathlib import Path

import pandas as pd
import pytest

import paperscope as ps
from paperscope.errors import SourceFormatError
from paperscope.merge import merge_duplicates, normalize_arxiv_id, normalize_doi

from .conftest import HF_DAYS, ROOT, SEED, SOURCES

HF = HF_DAYS


def load_quiet(*paths, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ps.SkippedRecordsWarning)
        return ps.load(*paths, audit=True, **options)


def check_audit(papers, audit):
    """Records read = rows + merged + skipped + filtered, and every row is accounted for."""
    summary = ps.audit_summary(audit)
    assert summary["read"].sum() == audit["count"].sum()
    assert summary["loaded"].sum() == len(papers)
    assert set(audit.loc[audit["status"] == "loaded", "paper_id"]) == set(papers["paper_id"])
    assert set(audit.loc[audit["status"] == "merged", "paper_id"]) <= set(papers["paper_id"])
    return summary


def hf_ids():
    ids = set()
    for path in sorted(HF.glob("*.json")):
        data = json.loads(path.read_text())
        items = data["data"] if isinstance(data, dict) else data
        for item in items:
            item = ast.literal_eval(item) if isinstance(item, str) else item
            ids.add(item["paper"]["id"])
    return ids


def test_hf_day_files_give_every_distinct_paper():
    papers, audit = load_quiet(HF)
    expected = hf_ids()
    assert len(papers) == len(expected) == 494
    assert set(papers["arxiv_id"]) == expected
    summary = check_audit(papers, audit)
    assert summary["skipped"].sum() == 0
    # repr-string days and the wrapper day are read like the others
    for day, n in [("2024-12-11", 26), ("2025-01-10", 9)]:
        assert (audit["source"].str.endswith(f"{day}.json")).sum() == n


def test_hf_papers_are_listed_on_the_day_their_file_was_asked_for(tmp_path):
    # every file of data/hf-daily-papers is the response for the day it is named after: a trend by
    # month once put each 2025-26 file in the month before (publishedAt became the arXiv time)
    papers, audit = ps.load(HF, audit=True)
    loaded = audit[audit["status"] == "loaded"]
    days = loaded["source"].str.extract(r"(\d{4}-\d{2}-\d{2})\.json$")[0]
    listed = loaded["paper_id"].map(papers.set_index("paper_id")["listing_label"])
    assert len(loaded) == 494 and (listed == days).all()
    # 2024: publishedAt is the listing time, and HF's day starts in the evening UTC
    item = next(i for i in json.loads((HF / "2024-12-02.json").read_text()) if i["publishedAt"] < "2024-12-02")
    assert item["publishedAt"].startswith("2024-12-01T23:")
    # renamed, the file no longer says its day: each item's own time gives it
    renamed = tmp_path / "saved.json"
    renamed.write_bytes((HF / "2024-12-02.json").read_bytes())
    again = ps.load(renamed).set_index("arxiv_id")
    assert again.loc[item["paper"]["id"], "listing_label"] == "2024-12-01"
    assert (again["listing_label"] == "2024-12-02").sum() == len(again) - 6
    renamed.write_bytes((HF / "2025-06-02.json").read_bytes())
    assert (ps.load(renamed)["listing_label"] == "2025-06-02").all()  # submittedOnDailyAt


def test_hf_fields_are_mapped_and_wraps_undone():
    papers = ps.load(HF / "2024-05-27.json", HF / "2025-06-02.json")
    row = papers.set_index("arxiv_id").loc["2505.24864"]
    assert row["title"] == ("ProRL: Prolonged Reinforcement Learning Expands Reasoning Boundaries in "
                            "Large Language Models")
    assert "\n" not in row["abstract"] and row["abstract"].startswith("Recent advances in reasoning-centric")
    assert row["authors"][:2] == ["Mingjie Liu", "Shizhe Diao"]
    assert row["published"] == pd.Timestamp("2025-05-30 17:59:01")
    item = next(i for i in json.loads((HF / "2025-06-02.json").read_text()) if i["paper"]["id"] == "2505.24864")
    # since 2025 the item's publishedAt is the arXiv time (30 May); the listing is submittedOnDailyAt
    assert item["publishedAt"][:10] == "2025-05-30" and item["paper"]["submittedOnDailyAt"][:10] == "2025-06-02"
    assert row["listed_on"] == pd.Timestamp("2025-06-02") and row["listing_label"] == "2025-06-02"
    assert row["paper_id"] == "arxiv:2505.24864" and row["year"] == 2025
    assert not papers["title"].str.contains("\n").any()
    later = ps.load(HF / "2026-06-01.json")
    assert later["keywords"].str.len().gt(0).any() and later["organization"].notna().any()
    assert later["github_stars"].notna().any() and later["upvotes"].notna().all()


def test_repr_item_that_is_not_a_dict_is_reported(tmp_path):
    items = json.loads((HF / "2024-12-11.json").read_text())
    items[3] = "{'paper': broken"
    bad = tmp_path / "day.json"
    bad.write_text(json.dumps(items))
    with pytest.warns(ps.SkippedRecordsWarning, match="item 4 is a string that is not a Python dict"):
        papers, audit = ps.load(bad, audit=True)
    assert len(papers) == 25 and audit["count"].sum() == 26


def _atom_entries(path: Path) -> tuple[int, int]:
    text = path.read_text()
    if path.suffix == ".json":
        wrapper = json.loads(text)
        text, status = wrapper["body"], wrapper["status_code"]
    else:
        status = 200
    entries = text.count("<entry>") + text.count("<entry ")
    return entries, status


# Recorded arXiv API responses: lukasschwab/arxiv.py's small fixtures (old and 2026 formats, an HTTP 400
# error, two empty answers, 1707.08567 and 1111.2011 each answered twice) and orijtech/arxiv's three
# overlapping "deep dream" pages. Two of the former sit beside the folder, where the fuzz tests use them.
ARXIV_FEEDS = {
    "lukasschwab": [SOURCES / "arxiv-api-lukasschwab", SOURCES / "arxiv-api-1111.2011v2.xml",
                    SOURCES / "arxiv-api-2104.12255v1.json"],
    "orijtech": [SOURCES / "arxiv-api-orijtech"],
}


def _feed_files(paths: list[Path]) -> list[Path]:
    files = [f for p in paths for f in ([p] if p.is_file() else p.rglob("*"))]
    return sorted(f for f in files if f.suffix in (".xml", ".json", ".atom"))


@pytest.mark.parametrize("feed", sorted(ARXIV_FEEDS))
def test_arxiv_feeds_load(feed):
    files = _feed_files(ARXIV_FEEDS[feed])
    counts = [_atom_entries(p) for p in files]
    errors = sum(n for n, status in counts if status >= 400)
    papers, audit = load_quiet(*ARXIV_FEEDS[feed])
    summary = check_audit(papers, audit)
    assert summary["read"].sum() == sum(n for n, _ in counts)
    assert summary["skipped"].sum() == errors
    ids = {normalize_arxiv_id(m) for p in files
           for m in re.findall(r"<id>(http://arxiv\.org/abs/[^<]+)</id>", _body(p))}
    assert set(papers["arxiv_id"]) == ids and len(papers) == len(ids)
    # a paper answered by several responses is one row, each answer after the first merged into it
    answered = sum(n for n, status in counts if status < 400)
    assert summary["merged"].sum() == answered - len(ids) > 0


def _body(path: Path) -> str:
    text = path.read_text()
    return json.loads(text)["body"] if path.suffix == ".json" else text


def test_arxiv_error_and_empty_responses():
    folder = SOURCES / "arxiv-api-lukasschwab"
    with pytest.warns(ps.SkippedRecordsWarning, match=r"arXiv API error \(HTTP 400\): incorrect id format for abc"):
        papers = ps.load(next(folder.glob("id_abc_*.json")))
    assert papers.empty and list(papers.columns) == list(ps.schema.NAMES)
    empty = ps.load(next(folder.glob("id_0000.0000_*.json")))
    assert empty.empty and empty.dtypes.equals(ps.schema.empty().dtypes)


def test_arxiv_entry_fields_old_format():
    row = ps.load(SOURCES / "arxiv-api-1111.2011v2.xml").iloc[0]
    assert row["paper_id"] == "arxiv:1111.2011" and row["arxiv_id"] == "1111.2011"
    assert row["title"] == ("Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large "
                            "Connectivity Limit")
    assert row["categories"][0] == "cond-mat.str-el"
    assert row["doi"] == "10.1103/physrevb.85.115117"
    assert row["journal_ref"] == "Phys. Rev. B 85, 115117 (2012)"
    assert row["pdf_url"].startswith("http://arxiv.org/pdf/1111.2011")
    assert not row["abstract"].startswith(" ") and "\n" not in row["abstract"]


SNAPSHOT = SOURCES / "arxiv-snapshot-head20.json"  # the first 20 lines of the Kaggle arXiv snapshot


def _snapshot_lines() -> list[dict]:
    return [json.loads(ln) for ln in SNAPSHOT.read_text().splitlines()]


def test_snapshot_lines_give_one_row_each():
    papers, audit = load_quiet(SNAPSHOT)
    assert len(papers) == len(_snapshot_lines()) == 20
    check_audit(papers, audit)
    first = papers.set_index("arxiv_id").loc["0704.0002"]
    assert first["title"] == "Sparsity-certifying Graph Decompositions"
    assert first["categories"] == ["math.CO", "cs.CG"]
    assert first["published"] == pd.Timestamp("2007-03-31 02:26:18")  # the first version's date
    assert first["authors"] == ["Ileana Streinu", "Louis Theran"]


def test_snapshot_author_names_keep_every_part(tmp_path):
    # authors_parsed is [last, first, suffix(, affiliation)]; the reader writes "First Last Suffix"
    line = _snapshot_lines()[1]
    line["authors_parsed"] = [["Streinu", "Ileana", ""], ["Theran", "Louis", "Jr"], ["Collaboration", "", ""],
                              ["", "Cher", ""], ["Smith", "J.", "", "MIT"], ["Doe", "Jane"]]
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(line) + "\n")
    assert ps.load(path)["authors"].iloc[0] == ["Ileana Streinu", "Louis Theran Jr", "Collaboration", "Cher",
                                                "J. Smith", "Jane Doe"]


def test_snapshot_filters_while_streaming():
    lines = _snapshot_lines()
    hep = [x for x in lines if any(c.startswith("hep-") for c in x["categories"].split())]
    papers, audit = load_quiet(SNAPSHOT, categories=["hep-"])
    assert len(papers) == len(hep) > 0
    summary = check_audit(papers, audit)
    assert summary["filtered"].sum() == len(lines) - len(hep)
    assert audit.loc[audit["status"] == "filtered", "reason"].str.contains("categories hep-").all()
    maths = [x for x in lines if any(c.startswith("math") for c in x["categories"].split())]
    assert len(maths) > 5  # so that the limit, not the filter, stops the reading
    limited = ps.load(SNAPSHOT, categories="math", limit=5)
    assert len(limited) == 5 and all(any(c.startswith("math") for c in cs) for cs in limited["categories"])
    first_day = [x for x in lines
                 if parsedate_to_datetime(x["versions"][0]["created"]).date() == datetime.date(2007, 4, 1)]
    day = ps.load(SNAPSHOT, since="2007-04-01", until="2007-04-01")
    assert len(day) == len(first_day) > 0
    assert (day["published"].dt.normalize() == pd.Timestamp("2007-04-01")).all()


def test_snapshot_as_parquet(tmp_path):
    frame = pd.read_json(SNAPSHOT, lines=True, dtype=False)
    path = tmp_path / "snapshot.parquet"
    frame.to_parquet(path)
    from_parquet = ps.load(path, categories=["math"])
    from_json = ps.load(SNAPSHOT, categories=["math"])
    cols = ["paper_id", "title", "abstract", "published", "categories", "authors"]
    pd.testing.assert_frame_equal(from_parquet[cols], from_json[cols])


NEURIPS_SAMPLE = ROOT / "tests" / "data" / "neurips-sample"  # 98 real records from eight year files


def test_neurips_paperlists_with_years():
    files = sorted(NEURIPS_SAMPLE.glob("nips*.json"))
    records = {int(p.stem.removeprefix("nips")): json.loads(p.read_text()) for p in files}
    papers, audit = load_quiet(NEURIPS_SAMPLE)
    summary = check_audit(papers, audit)
    assert summary["read"].sum() == sum(len(v) for v in records.values()) == 98
    assert summary["merged"].sum() == 0 and len(papers) == 98
    # the records carry no date: the year comes from the file name
    assert papers["year"].value_counts().to_dict() == {year: len(v) for year, v in records.items()}
    assert papers["year"].between(1987, 2018).all()


def test_neurips_papers_listed_twice_are_merged_not_lost():
    """nips2017.json lists three papers twice (same title up to case, same authors, two ids)."""
    path = SOURCES / "nips2017-repeated-pairs.json"
    records = json.loads(path.read_text())
    keys = [(r["title"].casefold(), tuple(re.split(r"[;,] *", r["author"]))) for r in records]
    papers, audit = load_quiet(path)
    summary = check_audit(papers, audit)
    assert summary["read"].sum() == len(records) == 6
    assert summary["merged"].sum() == len(keys) - len(set(keys)) == 3
    assert len(papers) == len(set(keys)) == 3 and (papers["year"] == 2017).all()
    # one listing of each pair has the abstract, the other not: the merged paper keeps it
    assert papers["abstract"].notna().all()


def _csv_table(path: Path) -> tuple[list[str], list[list[str]]]:
    text = path.read_text(encoding="utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    return header, rows


def _csv_rows(path: Path) -> list[list[str]]:
    return _csv_table(path)[1]


def test_scopus_rows_with_extra_fields_are_repaired_and_reported():
    path = SOURCES / "scopus-head4.csv"
    header, rows = _csv_table(path)
    long_rows = sum(len(r) == len(header) + 1 for r in rows)
    papers, audit = load_quiet(path)
    summary = check_audit(papers, audit)
    assert summary["read"].sum() == len(rows) == 4
    notes = audit["reason"].fillna("").str.contains("funding-text field")
    assert notes.sum() == long_rows == 2
    namd = papers.set_index("title").loc["Scalable molecular dynamics with NAMD"]
    assert namd["doi"] == "10.1002/jcc.20289" and namd["year"] == 2005
    assert namd["venue"] == "Journal of Computational Chemistry"
    # values stay under their own header: every DOI is a DOI, every year a year
    assert papers["doi"].tolist() == [r[header.index("DOI")].lower() for r in rows]
    assert papers["year"].tolist() == [int(r[header.index("Year")]) for r in rows]


def test_scopus_repeated_rows_without_doi_merge_by_title():
    """Four listings of one proceedings volume (no DOI, a byte-order mark, every row a field too long)."""
    path = SOURCES / "scopus-iccsa-repeated.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    header, rows = _csv_table(path)
    titles = {r[header.index("Title")].casefold() for r in rows}
    assert not any(r[header.index("DOI")] for r in rows)
    papers, audit = load_quiet(path)
    summary = check_audit(papers, audit)
    assert summary["read"].sum() == len(rows) == 4
    assert summary["merged"].sum() == len(rows) - len(titles) == 3 and len(papers) == 1
    assert audit["reason"].fillna("").str.contains("funding-text field").sum() == 4
    assert papers.loc[0, "title"].startswith("Computational Science and Its Applications - ICCSA 2010")
    assert papers.loc[0, "year"] == 2010


def test_a_row_that_cannot_be_repaired_is_reported_not_shifted(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Title,Year,Abstract\nGood paper,2020,Fine.\nBad, paper,2021,Shifted.\nOther,2019,Ok.\n")
    with pytest.warns(ps.SkippedRecordsWarning, match="line 3: 4 fields, the header has 3"):
        papers, audit = ps.load(path, audit=True)
    assert papers["title"].tolist() == ["Good paper", "Other"]
    assert audit["count"].sum() == 3


def test_ieee_springer_and_ris_exports():
    ieee_path = SOURCES / "ieee-head5.csv"
    header, rows = _csv_table(ieee_path)
    ieee = ps.load(ieee_path)
    assert len(ieee) == len(rows) == 5
    assert ieee["title"].tolist() == [r[header.index("Document Title")] for r in rows]
    assert ieee["abstract"].notna().sum() == sum(bool(r[header.index("Abstract")].strip()) for r in rows) == 5
    assert ieee["authors"].str.len().gt(0).all()
    springer_path = SOURCES / "springer.csv"
    springer = ps.load(springer_path)
    assert len(springer) == len(_csv_rows(springer_path)) == 18
    # Springer joins its authors with no separator: apart again, names like "McDonald" kept whole
    assert springer["authors"].iloc[0] == ["Araz R. Aliev", "Nigar T. Ismayilova"]
    assert all(" " in name for names in springer["authors"] for name in names)
    assert springer["abstract"].isna().all() and springer["doi"].notna().all()
    ris_path = SOURCES / "example-head5.ris"
    ris = ps.load(ris_path)
    assert len(ris) == ris_path.read_text().count("ER  -") == 5
    first = ris.iloc[0]
    assert first["title"] == "The European Approach to the Exascale Challenge"
    assert first["year"] == 2019 and first["doi"] == "10.1109/mcse.2018.2884139"
    assert first["abstract"].startswith("An integrated European exascale computing")


def test_bibtex_with_abstracts(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(r"""
@article{liu2025prorl,
  title = {{ProRL}: Prolonged Reinforcement Learning Expands Reasoning Boundaries in Large Language Models},
  author = {Liu, Mingjie and Diao, Shizhe},
  year = {2025},
  eprint = {2505.24864},
  archivePrefix = {arXiv},
  abstract = {Recent advances in reasoning-centric language models.}
}
@inproceedings{x,
  title = {A {B}-spline Study},
  author = {Doe, Jane},
  booktitle = {Proc. Splines},
  year = 2021,
  doi = {10.1000/XYZ}
}
""")
    papers = ps.load(bib)
    assert papers["title"].tolist() == [
        "ProRL: Prolonged Reinforcement Learning Expands Reasoning Boundaries in Large Language Models",
        "A B-spline Study"]
    assert papers.loc[0, "paper_id"] == "arxiv:2505.24864"
    assert papers.loc[1, "doi"] == "10.1000/xyz" and papers.loc[1, "venue"] == "Proc. Splines"
    assert papers.loc[0, "authors"] == ["Mingjie Liu", "Shizhe Diao"]  # "Last, First" as the arXiv writes it


def test_bibtex_latex_reads_as_the_listing_writes_it():
    # The NeurIPS proceedings' BibTeX of five titles with LaTeX in them: decoded, each is the title
    # of the same paper's JSON record, so the two files merge into five papers
    listing = ps.load(SOURCES / "neurips-latex-titles.json")
    bib, audit = ps.load(SOURCES / "neurips-latex-titles.bib", audit=True)
    # (the BibTeX escapes the mathematics as text: it keeps no $ around it)
    assert bib["title"].tolist() == listing["title"].str.replace("$", "").tolist()
    assert "A^2-Nets: Double Attention Networks" in bib["title"].tolist()
    assert bib["pdf_url"].str.fullmatch(r"https://proceedings\.neurips\.cc/.+-Paper\.pdf").all()
    both, audit = ps.load(SOURCES / "neurips-latex-titles.json", SOURCES / "neurips-latex-titles.bib", audit=True)
    assert len(both) == 5 and (audit["status"] == "merged").sum() == 5


def test_bibtex_commands_and_mathematics_read_as_written():
    from paperscope.sources.bibtex import _clean

    # DBLP wraps long titles with an indent: inside $…$ that is LaTeX's own space, no {} appears
    assert _clean("Near-Optimal $O(n \\log\n         n)$ Sorting Networks") == \
        "Near-Optimal $O(n \\log n)$ Sorting Networks"
    assert _clean("$\\|x\\|_2 \\leq  1$ bounds") == "$\\|x\\|_2 \\leq 1$ bounds"
    # commands pylatexenc drops with their text keep it; an entity is a character, before LaTeX
    assert _clean("\\texttt{PyTorch} and \\LaTeX{} in \\mbox{GPT}") == "PyTorch and LaTeX in GPT"
    assert _clean("A \\hbox{box}") == "A box"
    assert _clean("the &lt;think&gt; token in \\emph{R1}") == "the <think> token in R1"


def test_overlapping_and_repeated_sources_never_duplicate(tmp_path):
    day = HF / "2025-06-02.json"
    once = ps.load(day)
    twice, audit = ps.load(day, day, HF / "2025-06-*.json", audit=True)
    assert len(twice) == len(once) and audit["count"].sum() == len(once)  # one file read once
    copy = tmp_path / "copy-of-day.json"
    copy.write_bytes(day.read_bytes())
    merged, audit = ps.load(day, copy, audit=True)
    assert len(merged) == len(once)
    assert (audit["status"] == "merged").sum() == len(once)
    assert merged["source"].str.contains("copy-of-day.json").all()


def test_cross_format_merge_keeps_provenance(tmp_path):
    """The same paper from HF JSON, a BibTeX entry (arXiv id) and a CSV row (title only)."""
    day = HF / "2025-06-02.json"
    hf = ps.load(day)
    other = hf.iloc[1]
    bib = tmp_path / "refs.bib"
    prorl_title = hf.set_index("arxiv_id").loc["2505.24864", "title"]
    bib.write_text("@article{a, title={" + prorl_title + "}, eprint={2505.24864v2}, archivePrefix={arXiv},"
                   " year={2025}, keywords={reasoning, RL}}\n")
    table = tmp_path / "list.csv"
    title = other["title"].upper().replace(" ", "  ")  # case and spacing differ
    table.write_text(f'Title,Year,Upvotes\n"{title}",2025,9999\n')
    merged, audit = ps.load(day, bib, table, audit=True)
    assert len(merged) == len(hf)
    prorl = merged.set_index("arxiv_id").loc["2505.24864"]
    assert "refs.bib" in prorl["source"] and "2025-06-02.json" in prorl["source"]
    assert {"reasoning", "RL"} <= set(prorl["keywords"])  # united with the HF ai_keywords
    row = merged.set_index("paper_id").loc[other["paper_id"]]
    assert row["upvotes"] == 9999 and "list.csv" in row["source"]
    check_audit(merged, audit)


def test_title_merge_never_joins_different_arxiv_ids():
    records = [
        {"paper_id": "arxiv:2401.00001", "title": "Attention Is All You Need Again", "arxiv_id": "2401.00001"},
        {"paper_id": "arxiv:2401.00002", "title": "Attention is all you need again", "arxiv_id": "2401.00002"},
        {"paper_id": "x", "title": "ATTENTION IS ALL YOU NEED AGAIN"},
    ]
    frame = ps.schema.from_records({**r, "source": "t", "source_format": "t", "position": i, "n_words": 0}
                                   for i, r in enumerate(records, 1))
    merged, _ = merge_duplicates(frame)
    assert len(merged) == 2


def test_id_normalization():
    assert normalize_arxiv_id("http://arxiv.org/abs/hep-th/9901001v3") == "hep-th/9901001"
    assert normalize_arxiv_id("arXiv:2409.01234v2") == "2409.01234"
    assert normalize_arxiv_id("https://arxiv.org/pdf/0704.0001v1.pdf") == "0704.0001"
    assert normalize_arxiv_id("not an id") is None
    # an old-style id cited with its subject class is the archive's id (as the snapshot writes it)
    assert normalize_arxiv_id("math.GT/0309136v2") == normalize_arxiv_id("arXiv:math/0309136") == "math/0309136"
    assert normalize_doi("https://doi.org/10.1103/PhysRevB.85.115117") == "10.1103/physrevb.85.115117"


def test_parquet_round_trip_keeps_dtypes_and_values(tmp_path):
    papers = ps.load(HF / "2026-06-01.json", SEED)
    path = ps.save(papers, tmp_path / "corpus.parquet")
    again = ps.load(path)
    pd.testing.assert_frame_equal(again, papers)
    with pytest.raises(ps.PaperscopeError, match="refusing to overwrite"):
        ps.save(papers, path)


def test_format_is_sniffed_from_content_not_extension(tmp_path):
    odd = tmp_path / "feed.txt"
    odd.write_bytes((SOURCES / "arxiv-api-orijtech" / "deep_dream-0.atom").read_bytes())
    assert set(ps.load(odd)["source_format"]) == {"arxiv_atom"}
    with pytest.raises(SourceFormatError, match=r"line 1: unrecognized format"):
        (tmp_path / "x.json").write_text('{"hello": 1}')
        ps.load(tmp_path / "x.json")


def test_json_lines_tables_load_like_the_arxiv_listing_they_are(tmp_path):
    path = SOURCES / "arxiv-daily-cs-2026-03-19-head9.jsonl"
    papers, audit = ps.load(path, audit=True)
    assert len(papers) == 8 and set(papers["source_format"]) == {"jsonl_table"}
    assert audit["status"].value_counts().to_dict() == {"loaded": 8, "merged": 1}  # line 35 lists line 6 again
    grammar = papers.set_index("arxiv_id").loc["2603.17641"]
    assert grammar["paper_id"] == "arxiv:2603.17641" and grammar["categories"] == ["cs.CE", "cs.AI", "math.NA"]
    assert grammar["title"].startswith("Automated Grammar-based Algebraic Multigrid Design")
    assert grammar["year"] == 2026  # from the file name: the listing has no dates
    assert papers["abstract"].str.len().min() > 200 and papers["authors"].map(len).tolist()[:3] == [5, 7, 11]

    lines = path.read_text(encoding="utf-8").splitlines()
    damaged = tmp_path / "listing.jsonl"
    bad_type = json.loads(lines[2])
    bad_type["title"] = ["not", "text"]
    damaged.write_text("\n".join([lines[0], "{not json", json.dumps(bad_type), *lines[3:8]]) + "\n",
                       encoding="utf-8")
    with pytest.warns(ps.SkippedRecordsWarning):
        papers, audit = ps.load(damaged, audit=True)
    skipped = audit[audit["status"] == "skipped"]
    assert len(papers) == 6 and skipped["line"].tolist() == [2, 3]
    assert "not JSON" in skipped["reason"].iloc[0] and "title is list" in skipped["reason"].iloc[1]

    pretty = tmp_path / "pretty.jsonl"  # an indented JSON object is not JSON lines
    pretty.write_text(json.dumps(json.loads(lines[0]), indent=1) + "\n", encoding="utf-8")
    with pytest.raises(ps.PaperscopeError, match="pretty.jsonl"):
        ps.load(pretty, format="jsonl_table")


def test_json_lines_are_recognized_from_a_long_first_record_a_single_one_or_a_first_without_title(tmp_path):
    lines = (SOURCES / "arxiv-daily-cs-2026-03-19-head9.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(ln) for ln in lines]
    long = dict(records[0], summary=" ".join(r["summary"] for r in records))  # past the 4 KB the sniffer sees
    cases = {
        "long.jsonl": [json.dumps(long), *lines[1:4]],
        "one.jsonl": lines[:1],
        "untitled-first.jsonl": [json.dumps({"summary": "an abstract without its title"}), *lines[1:3]],
        # the arXiv snapshot's keys but categories as a list: a table, not a snapshot line
        "snapshot-like.jsonl": [json.dumps({"id": r["id"], "title": r["title"], "abstract": r["summary"],
                                            "categories": r["categories"]}) for r in records[:2]],
        # "paper" as a value is not the HF API's "paper" object
        "typed.jsonl": [json.dumps(dict(r, type="paper")) for r in records[:2]],
    }
    expected = {"long.jsonl": 4, "one.jsonl": 1, "untitled-first.jsonl": 2, "snapshot-like.jsonl": 2, "typed.jsonl": 2}
    for name, rows in cases.items():
        path = tmp_path / name
        path.write_text("\r".join(rows) if name == "one.jsonl" else "\n".join(rows) + "\n", encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the untitled record is skipped, with a warning
            papers = ps.load(path)
        assert set(papers["source_format"]) == {"jsonl_table"} and len(papers) == expected[name], name


def test_a_categories_column_is_split_as_written(tmp_path):
    path = tmp_path / "cats.csv"
    path.write_text('Title,Categories\nA paper,Machine Learning; Computer Vision\nB paper,cs.LG stat.ML\n'
                    'C paper,"cs.LG, cs.AI"\n', encoding="utf-8")
    assert ps.load(path)["categories"].tolist() == [["Machine Learning", "Computer Vision"], ["cs.LG", "stat.ML"],
                                                    ["cs.LG", "cs.AI"]]


def test_a_list_of_paths_loads_like_the_paths(tmp_path):
    files = sorted(HF.glob("2024-0*.json"))
    assert len(files) == 5
    assert ps.load(files)["paper_id"].tolist() == ps.load(*files)["paper_id"].tolist()
    with pytest.raises(ps.PaperscopeError, match="a path is text or a pathlib.Path, not a int"):
        ps.load(3)


def test_bibliography_exports_name_their_arxiv_preprints_and_authors_as_the_arxiv_does(tmp_path):
    # DBLP (eprinttype), Google Scholar ("arXiv preprint arXiv:…") and Zotero (arXiv's DOI, an
    # arxiv.org link) name a preprint in their own ways; names come as "Last, First" and LaTeX
    (tmp_path / "refs.bib").write_text(r"""
@article{DBLP:journals/corr/abs-2106-09685,
  author = {Edward J. Hu and Yelong Shen},
  title = {LoRA: Low-Rank Adaptation of Large Language Models},
  journal = {CoRR}, volume = {abs/2106.09685}, year = {2021},
  eprinttype = {arXiv}, eprint = {2106.09685}
}
@article{hu2021lora,
  title={Lora: Low-rank adaptation of large language models},
  author={Hu, Edward J and Shen, Yelong and Wallis, Phillip},
  journal={arXiv preprint arXiv:2106.09685}, year={2021}
}
@article{mueller2020,
  title = {Physics-informed {Schr\"{o}dinger} solvers with \emph{Deep} networks},
  author = {M{\"u}ller, J{\"o}rg AND Garc{\'\i}a, Jos{\'e}},
  journal = {Journal of Computational Physics}, year = {2020}
}
""")
    (tmp_path / "zotero.ris").write_text(
        "TY  - PREP\nTI  - Deep Residual Learning for Image Recognition\nAU  - He, Kaiming\nAU  - Zhang, Xiangyu\n"
        "DO  - 10.48550/arXiv.1512.03385\nPY  - 2015\nN2  - Deeper neural networks are more difficult to train.\n"
        "ER  - \n\nTY  - JOUR\nTI  - A preprint by its link\nAU  - Lee, Ann\nJF  - Journal of Things\n"
        "UR  - http://arxiv.org/abs/2201.00001v2\nPY  - 2022\nER  - \n")
    papers = ps.load(tmp_path).set_index("paper_id")
    lora = papers.loc["arxiv:2106.09685"]  # the two entries are one paper
    assert lora["authors"] == ["Edward J. Hu", "Yelong Shen", "Phillip Wallis"]  # "Edward J Hu" is the same name
    assert papers.loc["arxiv:1512.03385", "authors"] == ["Kaiming He", "Xiangyu Zhang"]
    assert papers.loc["arxiv:1512.03385", "abstract"] == "Deeper neural networks are more difficult to train."
    assert papers.loc["arxiv:2201.00001", "venue"] == "Journal of Things"
    physics = papers[papers["title"].str.startswith("Physics-informed")].iloc[0]
    assert physics["title"] == "Physics-informed Schrödinger solvers with Deep networks"
    assert physics["authors"] == ["Jörg Müller", "José García"]
    assert len(papers) == 4


def test_a_zotero_csv_export_keeps_its_abstracts_tags_and_arxiv_id(tmp_path):
    # Zotero's CSV names the abstract "Abstract Note" and the tags "Manual Tags", writes authors as
    # "Last, First; Last, First" and a preprint's DOI as arXiv's: all four were lost
    header = ('"Key","Item Type","Publication Year","Author","Title","Publication Title","DOI","Url",'
              '"Abstract Note","Date","Extra","Manual Tags"\n')
    row = ('"ABCD1234","preprint","2023","Touvron, Hugo; Lavril, Thibaut; Izacard, Gautier",'
           '"LLaMA: Open and Efficient Foundation Language Models","","10.48550/arXiv.2302.13971",'
           '"http://arxiv.org/abs/2302.13971","We introduce LLaMA, a collection of foundation language models.",'
           '"2023-02-27","arXiv:2302.13971 [cs]","Computer Science - Computation and Language"\n')
    (tmp_path / "zotero.csv").write_text(header + row)
    paper = ps.load(tmp_path / "zotero.csv").iloc[0]
    assert paper["paper_id"] == "arxiv:2302.13971"
    assert paper["abstract"] == "We introduce LLaMA, a collection of foundation language models."
    assert paper["authors"] == ["Hugo Touvron", "Thibaut Lavril", "Gautier Izacard"]
    assert paper["keywords"] == ["Computer Science - Computation and Language"]


def test_a_listing_crawl_named_by_its_day_is_listed_on_that_day(tmp_path):
    # the crawl of the arXiv daily listings has no date field: its file name is the listing day
    # (trends and what-is-new saw no dated paper); a paper's year is its arXiv id's (2512.… is 2025)
    raw = (SOURCES / "arxiv-daily-cs-2026-03-19-head9.jsonl").read_text()
    (tmp_path / "2026-03-19.jsonl").write_text(raw.replace("2603.16872", "2512.16872"))
    papers = ps.load(tmp_path / "2026-03-19.jsonl").set_index("arxiv_id")
    assert (papers["listed_on"] == pd.Timestamp("2026-03-19")).all() and len(papers) == 8
    assert (papers["listing_label"] == "2026-03-19").all()
    assert papers.loc["2512.16872", "year"] == 2025 and papers.loc["2603.17704", "year"] == 2026
    assert ps.trends.paper_dates(papers.reset_index())[1] == "listed_on"
    # a day inside a longer name may be an export's date: the year is taken, not the day
    (tmp_path / "export-2026-03-19.jsonl").write_text(raw)
    assert ps.load(tmp_path / "export-2026-03-19.jsonl")["listed_on"].isna().all()


def test_spreadsheet_tables_with_other_delimiters_load(tmp_path):
    # Excel in many locales writes ';', sometimes after a "sep=;" line; exports also come tab-separated
    row = ["Deep Residual Learning for Image Recognition", "He, Kaiming; Zhang, Xiangyu", "2016"]
    (tmp_path / "semicolon.csv").write_text('Title;Authors;Year\n"' + '";"'.join(row) + '"\n')
    (tmp_path / "excel.csv").write_text("sep=;\nTitle;Authors;Year\n" + ";".join(f'"{c}"' for c in row) + "\n")
    (tmp_path / "tabs.tsv").write_text("Title\tAuthors\tYear\n" + "\t".join(row) + "\n")
    for name in ("semicolon.csv", "excel.csv", "tabs.tsv"):
        papers, audit = ps.load(tmp_path / name, audit=True)
        assert papers["title"].tolist() == [row[0]] and papers["year"].tolist() == [2016], name
        assert papers["authors"].tolist() == [["Kaiming He", "Xiangyu Zhang"]], name
    assert audit["line"].tolist() == [2]


def test_files_that_are_no_text_say_what_they_are(tmp_path):
    import gzip

    (tmp_path / "day.json.gz").write_bytes(gzip.compress((HF_DAYS / "2025-06-02.json").read_bytes()))
    with pytest.raises(ps.PaperscopeError, match="gzip-compressed: decompress it first"):
        ps.load(tmp_path / "day.json.gz")
    (tmp_path / "page.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(ps.PaperscopeError, match="UTF-16 text: save it as UTF-8"):
        ps.load(tmp_path / "page.txt")


def test_a_first_record_longer_than_the_sniffed_head_is_still_recognized(tmp_path):
    lines = (SOURCES / "arxiv-snapshot-head20.json").read_text().splitlines()
    first = json.loads(lines[0])
    first["authors_parsed"] = [[f"Author{i}", "A.", ""] for i in range(600)]
    first["authors"] = ", ".join(f"A. Author{i}" for i in range(600))
    (tmp_path / "big.json").write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    papers = ps.load(tmp_path / "big.json")
    assert papers["source_format"].eq("arxiv_snapshot").all() and len(papers) == 20
    assert len(papers.iloc[0]["authors"]) == 600


def test_snapshot_records_saved_as_a_json_array_read_as_snapshot_lines(tmp_path):
    # a subset filtered in Python and saved with json.dump(list) lost its arXiv ids, dates and
    # author split ("A and B" was one author); an "id" that holds arXiv ids names the paper too
    lines = (SOURCES / "arxiv-snapshot-head20.json").read_text().splitlines()
    (tmp_path / "subset.json").write_text(json.dumps([json.loads(line) for line in lines], indent=2))
    as_array = ps.load(tmp_path / "subset.json")
    as_lines = ps.load(SOURCES / "arxiv-snapshot-head20.json")
    columns = ["paper_id", "title", "authors", "published", "year", "categories", "doi"]
    assert as_array[columns].equals(as_lines[columns])
    (tmp_path / "mine.jsonl").write_text(json.dumps({"id": "2401.04088v2", "title": "Mixtral of Experts"}) + "\n")
    assert ps.load(tmp_path / "mine.jsonl")["paper_id"].tolist() == ["arxiv:2401.04088"]


def test_placeholder_abstracts_are_no_abstracts_and_author_objects_are_names(tmp_path):
    # NeurIPS pages write "Abstract Unavailable" (55 papers) or a cut-off "Part of" (16); Semantic
    # Scholar-style records list authors as {"name": …} objects (every record was skipped)
    (tmp_path / "nips1987.json").write_text(json.dumps([
        {"title": "A paper without its abstract", "abstract": "Abstract Unavailable", "author": "A. Author"},
        {"title": "A paper cut off", "abstract": "Part of", "author": "B. Author"},
        {"title": "Attention is All you Need", "abstract": "The dominant sequence transduction models.",
         "authors": [{"authorId": "1", "name": "Ashish Vaswani"}, {"authorId": "2", "name": "Noam M. Shazeer"}]}]))
    papers = ps.load(tmp_path / "nips1987.json")
    assert papers["abstract"].isna().tolist() == [True, True, False] and papers["n_words"].tolist()[:2] == [0, 0]
    assert papers["authors"].iloc[2] == ["Ashish Vaswani", "Noam M. Shazeer"]


def test_a_repeated_bibtex_key_is_read_and_merged_not_dropped(tmp_path):
    # two exports pasted together repeat a key: the second entry (with the abstract) was skipped
    (tmp_path / "refs.bib").write_text(
        "@inproceedings{vaswani2017attention,\n  title={Attention is all you need},\n"
        "  author={Vaswani, Ashish and Shazeer, Noam},\n  year={2017}\n}\n\n"
        "@article{vaswani2017attention,\n  title={Attention Is All You Need},\n"
        "  author={Vaswani, Ashish and Shazeer, Noam},\n  journal={arXiv preprint arXiv:1706.03762},\n"
        "  year={2017},\n  abstract={The dominant sequence transduction models are based on recurrent networks.}\n}\n")
    papers, audit = ps.load(tmp_path / "refs.bib", audit=True)
    assert len(papers) == 1 and papers["paper_id"].iloc[0] == "arxiv:1706.03762"
    assert papers["abstract"].iloc[0].startswith("The dominant sequence transduction models")
    assert audit["line"].tolist() == [1, 7] and audit["status"].tolist() == ["loaded", "merged"]


def test_the_arxiv_listing_feed_is_read_as_listings(tmp_path):
    # rss.arxiv.org/atom/cs.LG was taken for an API response and read wrong: no arXiv id
    # ("oai:arXiv.org:…"), no authors (<dc:creator>), "arXiv:… Announce Type: new Abstract:" in the abstract
    (tmp_path / "cs.LG.atom").write_text(
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns="http://www.w3.org/2005/Atom" xml:lang="en-us">\n'
        "  <id>http://rss.arxiv.org/atom/cs.LG</id>\n  <title>cs.LG updates on arXiv.org</title>\n"
        "  <updated>2024-05-01T00:00:00-04:00</updated>\n  <entry>\n"
        "    <id>oai:arXiv.org:2404.19756v1</id>\n    <title>KAN: Kolmogorov-Arnold Networks</title>\n"
        "    <updated>2024-05-01T00:00:00-04:00</updated>\n"
        '    <link href="https://arxiv.org/abs/2404.19756" rel="alternate" type="text/html"/>\n'
        "    <summary>arXiv:2404.19756v1 Announce Type: new \nAbstract: Inspired by the Kolmogorov-Arnold "
        "representation theorem, we propose Kolmogorov-Arnold Networks.</summary>\n"
        '    <category term="cs.LG"/>\n    <category term="cs.AI"/>\n'
        "    <published>2024-05-01T00:00:00-04:00</published>\n    <arxiv:announce_type>new</arxiv:announce_type>\n"
        "    <dc:creator>Ziming Liu, Yixuan Wang, Sachin Vaidya</dc:creator>\n  </entry>\n</feed>\n")
    paper = ps.load(tmp_path / "cs.LG.atom").iloc[0]
    assert paper["paper_id"] == "arxiv:2404.19756" and paper["categories"] == ["cs.LG", "cs.AI"]
    assert paper["authors"] == ["Ziming Liu", "Yixuan Wang", "Sachin Vaidya"]
    assert paper["abstract"].startswith("Inspired by the Kolmogorov-Arnold representation theorem")
    assert paper["listed_on"] == pd.Timestamp("2024-05-01") and paper["year"] == 2024


def test_hf_items_one_per_line_and_a_recorded_http_error(tmp_path):
    items = json.loads((HF_DAYS / "2025-06-02.json").read_text())
    (tmp_path / "2025-06-02.jsonl").write_text("\n".join(json.dumps(i) for i in items) + "\n")
    papers = ps.load(tmp_path / "2025-06-02.jsonl")  # it said "not valid JSON"
    assert len(papers) == len({i["paper"]["id"] for i in items}) and (papers["listing_label"] == "2025-06-02").all()
    (tmp_path / "query.json").write_text(json.dumps({"url": "http://export.arxiv.org/api/query?search_query=all:llm",
                                                     "status_code": 503, "body": "Rate exceeded."}))
    with pytest.raises(ps.PaperscopeError, match="an HTTP 503 error, not results: 'Rate exceeded.'; fetch it again"):
        ps.load(tmp_path / "query.json")


def test_json_documents_one_after_another_load_as_their_lines_do(tmp_path):
    """``jq .`` of a JSON-lines file (or of API items) writes pretty-printed objects one after another."""

    def pretty(records, name):
        path = tmp_path / name
        path.write_text("".join(json.dumps(r, indent=2, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        return path

    same = [c for c in ps.load(SOURCES / "arxiv-snapshot-head20.json").columns
            if c not in ("source", "source_file", "source_format", "position", "sources", "line")]
    for original in ("arxiv-snapshot-head20.json", "arxiv-daily-cs-2026-03-19-head9.jsonl"):
        records = [json.loads(line) for line in (SOURCES / original).read_text(encoding="utf-8").splitlines()]
        lines = ps.load(SOURCES / original).drop(columns="listed_on")
        stream = ps.load(pretty(records, "stream.json")).drop(columns="listed_on")
        cols = [c for c in same if c != "listed_on"]
        assert len(stream) == len(lines) >= len(records) - 1
        pd.testing.assert_frame_equal(stream[cols], lines[cols])
    items = json.loads((HF_DAYS / "2025-06-02.json").read_text())
    papers = ps.load(pretty(items, "2025-06-02.json"))  # several HF items, named by their day
    assert len(papers) == len({i["paper"]["id"] for i in items}) and (papers["listing_label"] == "2025-06-02").all()
    days = [json.loads((HF_DAYS / f"{d}.json").read_text()) for d in ("2025-06-02", "2025-07-01")]
    path = tmp_path / "two-days.json"
    path.write_text("".join(json.dumps(d, indent=1) + "\n" for d in days))  # two saved responses, one file
    assert len(ps.load(path)) == len({i["paper"]["id"] for d in days for i in d})
    wrapped = tmp_path / "wrapped.json"  # two saved responses in their {status, date, count, data} wrapper
    wrapped.write_text("".join(json.dumps({"status": "ok", "date": d, "count": 1, "data": day}, indent=1) + "\n"
                               for d, day in zip(("2025-06-02", "2025-07-01"), days, strict=True)))
    both = ps.load(wrapped)
    assert len(both) == len({i["paper"]["id"] for d in days for i in d})
    assert set(both["listing_label"]) == {"2025-06-02", "2025-07-01"}  # each wrapper dates its own items
    (tmp_path / "broken.json").write_text(json.dumps(records[0], indent=2) + "\n{\n  \"title\": \n")
    with pytest.raises(ps.PaperscopeError, match=r"broken\.json, line \d+: not valid JSON .*after 1 complete one"):
        ps.load(tmp_path / "broken.json")


def test_authors_with_commas_in_their_names_stay_people(tmp_path):
    table = tmp_path / "export.csv"
    table.write_text('Title,Authors\n'
                     '"Scalable molecular dynamics","Phillips, J.C., Braun, R., Wang, W."\n'
                     '"One author as Zotero writes one","Smith, John"\n'
                     '"Plain names","Alice Smith, Bob Jones"\n'
                     '"Particles","van der Berg, Jan"\n'
                     '"Compound surname","García Márquez, Gabriel"\n'
                     '"Joined as BibTeX joins them","Smith, John and Doe, Jane"\n'
                     '"Scopus","Vaswani A., Shazeer N."\n', encoding="utf-8")
    assert ps.load(table)["authors"].tolist() == [
        ["J.C. Phillips", "R. Braun", "W. Wang"], ["John Smith"], ["Alice Smith", "Bob Jones"],
        ["Jan van der Berg"], ["Gabriel García Márquez"], ["John Smith", "Jane Doe"], ["Vaswani A.", "Shazeer N."]]


def test_a_merged_paper_lists_each_person_once(tmp_path):
    scopus = tmp_path / "scopus.csv"
    scopus.write_text('Title,Authors,DOI\n"Attention is all you need","Vaswani A., Shazeer N.",10.5555/3295222\n',
                      encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text("@inproceedings{v, title={Attention is All you Need}, doi={10.5555/3295222},\n"
                   " author={Ashish Vaswani and Noam Shazeer and Niki Parmar}}\n", encoding="utf-8")
    papers = ps.load(scopus, bib)
    assert len(papers) == 1
    assert papers["authors"].iloc[0] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    # surnames of several words, as Scopus writes them and as the arXiv does
    compound = tmp_path / "compound.csv"
    compound.write_text('Title,Authors,DOI\n"A study","García Pérez M.; van der Berg J.",10.1/y\n'
                        '"A study","María García Pérez; Jan van der Berg",10.1/y\n', encoding="utf-8")
    assert ps.load(compound)["authors"].iloc[0] == ["María García Pérez", "Jan van der Berg"]
    # two people of one record who share a surname and an initial stay two
    twins = tmp_path / "twins.csv"
    twins.write_text('Title,Authors,DOI\n"A study","Yang Liu; Yi Liu",10.1/x\n"A study","Y. Liu; Yi Liu",10.1/x\n',
                     encoding="utf-8")
    assert ps.load(twins)["authors"].iloc[0] == ["Yang Liu", "Yi Liu"]


def test_a_listings_author_comment_is_kept_with_its_links():
    # arXiv listings crawled as JSON lines carry the author comment: "Project website-- https://…"
    papers = ps.load(ROOT / "tests" / "data" / "sources" / "arxiv-daily-cs-2026-03-19-head9.jsonl")
    row = papers.set_index("arxiv_id").loc["2603.17995"]
    assert row["comment"] == "CVPR 2026; Project website-- https://lost3d.github.io"
    assert row["urls"] == ["https://lost3d.github.io"]
    assert papers["comment"].notna().sum() == 3


def test_bibtex_concatenation_organizations_and_others(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text('@string{conf = "Proceedings of NeurIPS"}\n'
                   '@misc{a, title = "GPT-4 " # "Technical Report", year = 2023, journal = conf # " 2023",\n'
                   ' author = {{OpenAI Team} and {Barnes and Noble Research}}}\n'
                   '@article{b, title = {{Reproducibility and Replicability in Science}}, year = 2019,\n'
                   ' author = {{National Academies of Sciences, Engineering, and Medicine}},\n'
                   ' keywords = {reproducibility; replication; science policy}}\n'
                   '@inproceedings{c, title = {Attention is All you Need}, year = {2017},\n'
                   ' author = {Vaswani, Ashish and Shazeer, Noam and others}}\n', encoding="utf-8")
    papers = ps.load(bib)
    assert papers["title"].tolist() == ["GPT-4 Technical Report", "Reproducibility and Replicability in Science",
                                        "Attention is All you Need"]
    assert papers["authors"].tolist() == [["OpenAI Team", "Barnes and Noble Research"],
                                          ["National Academies of Sciences, Engineering, and Medicine"],
                                          ["Ashish Vaswani", "Noam Shazeer"]]
    assert papers["keywords"].iloc[1] == ["reproducibility", "replication", "science policy"]
    assert papers["venue"].iloc[0] == "Proceedings of NeurIPS 2023"  # a macro in a concatenation


def test_a_date_after_the_publication_year_is_no_first_publication():
    # IEEE's "Online Date" of a 2007 paper digitized in 2016 is not when it was published: the
    # paper keeps its year (and a since/until filter reads that), the audit says why.
    papers, audit = ps.load(SOURCES / "ieee-online-later.csv", audit=True)
    assert papers["year"].tolist() == [2020, 2007, 2008]
    assert papers["published"].iloc[0] == pd.Timestamp("2020-07-28")
    assert papers["published"].iloc[1:].isna().all()
    notes = audit["reason"].dropna().tolist()
    assert notes == ["Online Date 2016-07-04 is after the publication year 2007: kept the year, not the date",
                     "Online Date 2016-07-04 is after the publication year 2008: kept the year, not the date"]
    assert ps.load(SOURCES / "ieee-online-later.csv", until="2010-12-31")["year"].tolist() == [2007, 2008]


def test_names_run_together_come_apart_and_one_name_stays_one():
    from paperscope.sources.tables import _run_together_names

    assert _run_together_names("V. A. BakhtinV. A. KryukovB. N. ChetverushkinE. V. Shil’nikov") == [
        "V. A. Bakhtin", "V. A. Kryukov", "B. N. Chetverushkin", "E. V. Shil’nikov"]
    assert _run_together_names("Ann MacKayÉmile Durkheim") == ["Ann MacKay", "Émile Durkheim"]
    # real Springer rows: capitals inside a given name stay ("XueJun"), letters beyond Latin-1 split
    assert _run_together_names("XueJun YangTao TangGuiBin Wang") == ["XueJun Yang", "Tao Tang", "GuiBin Wang"]
    assert _run_together_names("Kuan-Ching LiWonWoo Ro") == ["Kuan-Ching Li", "WonWoo Ro"]
    assert _run_together_names("Tomáš MikolovŁukasz Kaiser") == ["Tomáš Mikolov", "Łukasz Kaiser"]
    assert _run_together_names("Jean-Pierre DeWittMary O’NeilJoe MacKay") == [
        "Jean-Pierre DeWitt", "Mary O’Neil", "Joe MacKay"]
    # a short family name that is also a particle ends a name when a given name follows
    assert _run_together_names("Jing DuXiaobo Yan") == ["Jing Du", "Xiaobo Yan"]
    assert _run_together_names("Bo Yang 杨博Kai Lu 卢凯") == ["Bo Yang 杨博", "Kai Lu 卢凯"]
    assert _run_together_names("Zeki\xa0 BozkusJuan Ruiz\xa0de\xa0Miras") == ["Zeki Bozkus", "Juan Ruiz de Miras"]
    for one in ("John McDonald", "Yann LeCun", "Mausam", "DeAndre Jordan", "Ronald FitzGerald", "Khaled A. AbdElbari"):
        assert _run_together_names(one) == [one]


def test_only_springer_runs_its_authors_together(tmp_path):
    # Another table's author cell without separators is one person, or people joined by "and"
    table = tmp_path / "t.csv"
    table.write_text('Title,Author,Year\n"Attention Is All You Need","Ashish Vaswani and Noam Shazeer",2017\n'
                     '"A single author paper on things","DeAndre Jordan",2020\n'
                     '"Another single author paper","Harrison MonFook Leong",1987\n', encoding="utf-8")
    assert ps.load(table)["authors"].tolist() == [["Ashish Vaswani", "Noam Shazeer"], ["DeAndre Jordan"],
                                                 ["Harrison MonFook Leong"]]


def test_text_fields_are_single_spaced_and_a_blank_one_is_missing(tmp_path):
    # The snapshot keeps arXiv's hard wraps in comments ("12 pages,\n  3 figures"): single-spaced,
    # as the titles and abstracts are, in the record-by-record and the column-at-a-time paths alike.
    path = SOURCES / "arxiv-snapshot-head20.json"
    raw = {json.loads(line)["id"]: json.loads(line)["comments"] for line in path.read_text().splitlines()}
    assert sum("\n" in (c or "") for c in raw.values()) == 3
    papers = ps.load(path)
    for arxiv_id, comment in zip(papers["arxiv_id"], papers["comment"], strict=True):
        assert (None if pd.isna(comment) else comment) == (" ".join(raw[arxiv_id].split()) or None
                                                           if raw[arxiv_id] else None)
    # Any whitespace: a tab, a carriage return, no-break spaces (a copied organization name)
    from paperscope.sources._base import _tidy

    assert [_tidy(t) for t in ("Deep\rLearning", "Deep\xa0\xa0Learning Org", "a\tb", "é ü", " ")] == [
        "Deep Learning", "Deep Learning Org", "a b", "é ü", None]
    # An empty RIS field (DO  - ) is no DOI: in a merge it would have taken the other file's place.
    ris = tmp_path / "empty-doi.ris"
    ris.write_text("TY  - JOUR\nTI  - Exascale data systems and photonics\nDO  - \nPY  - 2020\n"
                   "AU  - Smith, John\nER  - \n", encoding="utf-8")
    csv_file = tmp_path / "one.csv"
    csv_file.write_text("Title,DOI,Year\nExascale data systems and photonics,10.1/abc,2020\n", encoding="utf-8")
    assert pd.isna(ps.load(ris)["doi"].iloc[0])
    assert ps.load(ris, csv_file)["doi"].tolist() == ["10.1/abc"]


def test_two_authors_of_one_name_stay_two(tmp_path):
    # arXiv 2603.15726 lists "L. Wang" and "Z. Yang" twice each, side by side: four people, not two
    path = SOURCES / "arxiv-daily-cs-2026-03-18-namesakes.jsonl"
    listed = json.loads(path.read_text(encoding="utf-8"))["authors"]
    assert len(listed) == 44 and listed.count("L. Wang") == 2
    assert ps.load(path)["authors"].iloc[0] == listed
    copy = tmp_path / "again.jsonl"
    copy.write_bytes(path.read_bytes())
    papers, audit = ps.load(path, copy, audit=True)  # the same record twice: merged, no one lost or added
    assert len(papers) == 1 and papers["authors"].iloc[0] == listed
    assert audit["status"].tolist() == ["loaded", "merged"]


def test_a_full_name_repeated_next_to_itself_is_one_person(tmp_path):
    # NeurIPS 2016 lists "Dan Garber", "Dan Garber" for a one-author paper: a slip, one person.
    # Initials side by side ("L. Wang", "L. Wang") and a name twice apart are two people.
    table = tmp_path / "t.json"
    table.write_text(json.dumps([
        {"title": "Linear-memory and decomposition-invariant linearly convergent conditional gradient",
         "author": "Dan Garber; Dan Garber"},
        {"title": "A paper with two people of one abbreviated name", "author": "A. B; L. Wang; L. Wang; C. D"},
        {"title": "A paper with one name twice apart", "author": "Wei Wang; Li Na; Wei Wang"},
        {"title": "Initials after the family name, as Scopus writes them", "author": "Wang L.; Wang L.; Ł. Kaiser"}]),
        encoding="utf-8")
    assert ps.load(table)["authors"].tolist() == [
        ["Dan Garber"], ["A. B", "L. Wang", "L. Wang", "C. D"], ["Wei Wang", "Li Na", "Wei Wang"],
        ["Wang L.", "Wang L.", "Ł. Kaiser"]]


def test_a_merged_row_says_where_its_first_record_is(tmp_path):
    # The same paper in an HF day file (no line numbers: JSON items) and in a later day's listing
    day = HF / "2025-06-02.json"
    hf = ps.load(day).iloc[0]
    listing = tmp_path / "2025-06-05.jsonl"
    listing.write_text(json.dumps({"id": hf["arxiv_id"], "title": hf["title"], "summary": hf["abstract"]}) + "\n",
                       encoding="utf-8")
    first_hf = ps.load(day, listing).set_index("arxiv_id").loc[hf["arxiv_id"]]
    assert first_hf["source_format"] == "hf_api" and pd.isna(first_hf["line"])  # not the listing's line 1
    first_listing = ps.load(listing, day).set_index("arxiv_id").loc[hf["arxiv_id"]]
    assert (first_listing["source_format"], first_listing["line"]) == ("jsonl_table", 1)
    # the first listing is HF's day, and so is its label (not the later file's "2025-06-05")
    assert first_listing["listed_on"] == hf["listed_on"] and first_listing["listing_label"] == hf["listing_label"]
    assert first_listing["last_listed_on"] == pd.Timestamp("2025-06-05")


def test_words_of_chinese_and_japanese_abstracts_are_counted(tmp_path):
    """No spaces between words: each ideograph or kana is a word (a whole Chinese abstract was one)."""
    path = tmp_path / "zh.jsonl"
    path.write_text(
        '{"arxiv_id": "2401.00001", "title": "扩散模型研究", "abstract": "本文提出一种基于GPT-4的新方法。"}\n'
        '{"arxiv_id": "2401.00002", "title": "日本語", "abstract": "拡散モデルを用いた画像生成"}\n'
        '{"arxiv_id": "2401.00003", "title": "한국어", "abstract": "이 논문은 새로운 방법을 제안한다."}\n'
        '{"arxiv_id": "2401.00004", "title": "English", "abstract": "Two words"}\n', encoding="utf-8")
    assert ps.load(path)["n_words"].tolist() == [13, 13, 5, 2]
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(path.read_bytes())
    assert ps.load(path, copy)["n_words"].tolist() == [13, 13, 5, 2]  # merged rows count the same
