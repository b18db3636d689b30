"""The command line, as a user runs it."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from paperscope.cli import main

from .conftest import ROOT, SEED, SEED_GOLD, SOURCES, seed_paragraphs


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_evaluate_themes_prints_the_score_table():
    code, out, _ = run("evaluate-themes", str(SEED), "--gold", str(SEED_GOLD))
    assert code == 0
    lines = {ln.split()[0]: ln.split() for ln in out.strip().splitlines()[1:]}
    assert set(lines) >= {"diffusion_models", "pinns", "bayesian_optimization", "micro"}
    # columns: theme label (words) support predicted tp fp fn ignored precision recall f1
    assert " pinns Physics-informed neural networks " in f" {' '.join(lines['pinns'])} "
    assert lines["pinns"][-8] == "3" and lines["micro"][-8] == "48"


def test_tag_themes_writes_csv_with_titles(tmp_path):
    out = tmp_path / "tags.csv"
    code, _, _ = run("tag-themes", str(SEED), "--out", str(out))
    assert code == 0
    tags = pd.read_csv(out)
    assert list(tags.columns[:4]) == ["paper_id", "theme", "field", "evidence"]
    assert tags["title"].nunique() == 62  # every paper, tagged or not


def test_outputs_are_checked_before_the_work_and_never_overwritten(tmp_path):
    precious = tmp_path / "precious"  # (no suffix: the CSV of tag-themes and the Parquet of load)
    precious.write_text("mine\n")
    for command in ("tag-themes", "load"):
        code, out, err = run(command, str(SEED), "--out", str(precious))
        assert code == 2 and err == f"paperscope: error: {precious}: exists; refusing to overwrite it " \
                                    "(pass --overwrite)\n"
        assert out == ""  # refused before loading: no audit printed
        code, _, err = run(command, str(SEED), "--out", str(tmp_path / "no-folder" / "x"))
        assert code == 2 and "no-folder does not exist" in err
        code, _, err = run(command, str(SEED), "--out", str(tmp_path))
        assert code == 2 and "is a folder" in err
        code, _, err = run(command, str(SEED), "--out", str(tmp_path / "results") + "/")
        assert code == 2 and "names a folder" in err and not (tmp_path / "results").exists()
    assert precious.read_text() == "mine\n"
    code, _, _ = run("tag-themes", str(SEED), "--out", str(precious), "--overwrite")
    assert code == 0 and pd.read_csv(precious)["title"].nunique() == 62
    # a link is written through, not replaced by a file
    link = tmp_path / "link.csv"
    link.symlink_to(precious)
    precious.write_text("mine\n")
    code, _, _ = run("tag-themes", str(SEED), "--out", str(link), "--overwrite")
    assert code == 0 and link.is_symlink() and pd.read_csv(precious)["title"].nunique() == 62
    import paperscope as ps

    with pytest.raises(ps.PaperscopeError, match="no-folder does not exist"):
        ps.save(ps.load(SEED), tmp_path / "no-folder" / "x.parquet")


def test_errors_are_one_clear_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, _, err = run("tag-themes", str(bad))
    assert code == 2
    assert err.startswith("paperscope: error: ") and "bad.txt, line 1" in err and "empty" in err


def test_load_prints_the_audit_and_saves_parquet(tmp_path):
    import paperscope as ps

    out = tmp_path / "corpus.parquet"
    # 4 Scopus rows (2 with an extra funding-text field), the same proceedings volume listed 4 times
    # (merged into one), and the 62 seed papers
    scopus = SOURCES / "scopus-head4.csv"
    repeated = SOURCES / "scopus-iccsa-repeated.csv"
    rows = [len(list(csv.reader(p.open(encoding="utf-8-sig", newline="")))) - 1 for p in (scopus, repeated)]
    read = sum(rows) + len(seed_paragraphs()[6:]) // 2
    assert rows == [4, 4] and read == 70
    code, text, _ = run("load", str(scopus), str(repeated), str(SEED), "--out", str(out))
    assert code == 0
    total = next(ln for ln in text.splitlines() if ln.startswith("total")).split()
    assert total[1:] == [str(read), str(read - 3), "3", "0", "0"]  # read loaded merged skipped filtered
    assert "funding-text field" in text and f"{read - 3} papers written to" in text
    assert len(ps.load(out)) == read - 3
    code, _, err = run("load", str(SEED), "--out", str(out))
    assert code == 2 and "refusing to overwrite" in err


def test_version():
    import paperscope as ps

    done = subprocess.run([sys.executable, "-m", "paperscope", "--version"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0 and done.stdout.strip() == f"paperscope {ps.__version__}"


def test_a_closed_pipe_ends_quietly():
    """`paperscope tag-themes … | head -1`: no BrokenPipeError traceback."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    # The seed's 23 kB of tags fit the default 64 kB pipe, so the command could finish writing
    # before we close it (CI saw exit 0). A one-page pipe makes it still be writing when we do.
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    proc = subprocess.Popen([sys.executable, "-m", "paperscope", "tag-themes", str(SEED)],
                            stdout=write_end, stderr=subprocess.PIPE, env=env)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as out:
        first = out.readline()  # head closes the pipe after its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert first.startswith(b"paper_id,theme")
    assert err == "" and proc.returncode == 141


def test_report_needs_a_corpus_and_says_so():
    with pytest.raises(SystemExit):
        run("report")
    code, _, err = run("report", "--corpus", "no/such/folder")
    assert code == 2 and "no/such/folder: no such file, folder or glob match" in err


def test_load_of_a_folder_skips_the_hand_labels_with_the_reason():
    code, text, _ = run("load", str(ROOT / "seeds"))
    assert code == 0
    assert "62 papers" in text  # not 62 + 62 title-only rows from seed_themes.csv
    assert "theme labels, not a paper" in text and "pass it as gold" in text


def test_load_refuses_to_write_parquet_under_another_format_s_name(tmp_path):
    for name in ("papers.csv", "papers.JSON", "papers.xlsx"):
        code, out, err = run("load", str(SEED), "--out", str(tmp_path / name))
        assert code == 2 and out == "" and err == (f"paperscope: error: {tmp_path / name}: papers are saved as Parquet "
                                                   f"(the list columns, authors and keywords, do not fit a "
                                                   f"{name[6:].lower()} table); name it .parquet\n")
    assert list(tmp_path.iterdir()) == []
    code, _, _ = run("load", str(SEED), "--out", str(tmp_path / "papers.parquet"))
    assert code == 0 and len(pd.read_parquet(tmp_path / "papers.parquet")) == 62


def test_a_compressed_name_of_another_format_is_refused_too(tmp_path):
    code, _, err = run("load", str(SEED), "--out", str(tmp_path / "papers.csv.gz"))
    assert code == 2 and "do not fit a .csv table); name it .parquet" in err
    code, _, _ = run("load", str(SEED), "--out", str(tmp_path / "v1.2.txt-free.parquet"))
    assert code == 0
