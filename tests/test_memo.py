"""Results shared between a report's pages: computed once per report, keyed by everything that made them."""

from __future__ import annotations

import pandas as pd

import paperscope as ps
from paperscope import memo

from .conftest import SEED


def test_outside_a_report_nothing_is_kept(monkeypatch, tmp_path):
    monkeypatch.delenv(memo.ENV, raising=False)
    calls = []
    for _ in range(2):
        memo.remembered("x", lambda: "k", lambda: calls.append(1) or len(calls))
    assert calls == [1, 1] and not list(tmp_path.iterdir())


def test_inside_a_report_the_same_key_reads_the_result_back_and_damage_is_recomputed(monkeypatch, tmp_path):
    monkeypatch.setenv(memo.ENV, str(tmp_path / "shared"))
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    assert memo.remembered("x", lambda: "k1", compute) == {"n": 1}
    assert memo.remembered("x", lambda: "k1", compute) == {"n": 1}  # read back, not computed
    (k1_file,) = (tmp_path / "shared").glob("x-*.pickle")
    assert memo.remembered("x", lambda: "k2", compute) == {"n": 2}  # another key: computed
    k1_file.write_bytes(b"not a pickle")
    assert memo.remembered("x", lambda: "k1", compute) == {"n": 3}
    assert len(calls) == 3


def test_digest_sees_content_not_identity():
    papers = ps.load(SEED)
    same = ps.load(SEED)
    assert memo.digest(papers) == memo.digest(same)
    changed = same.copy()
    changed.loc[3, "abstract"] = changed.loc[3, "abstract"] + " One more sentence."
    assert memo.digest(papers) != memo.digest(changed)
    assert memo.digest(papers[["title"]]) != memo.digest(papers[["abstract"]])


def test_a_reports_pages_share_tags_findings_and_topics(monkeypatch, tmp_path):
    monkeypatch.setenv(memo.ENV, str(tmp_path))
    papers = ps.load(SEED)
    tags = ps.tag_themes(papers)
    again = ps.tag_themes(ps.load(SEED))
    pd.testing.assert_frame_equal(tags.frame, again.frame)
    assert len(list(tmp_path.glob("themes-*.pickle"))) == 1
    first = ps.fit_topics(papers, themes=tags, backend="tfidf")
    second = ps.fit_topics(ps.load(SEED), themes=again, backend="tfidf")
    pd.testing.assert_frame_equal(first.assignments, second.assignments)
    assert len(list(tmp_path.glob("topics-*.pickle"))) == 1
    ps.fit_topics(papers, backend="tfidf")  # not guided: another result
    assert len(list(tmp_path.glob("topics-*.pickle"))) == 2
    assert ps.compute_findings(papers, tags).numbers.equals(ps.compute_findings(papers, again).numbers)
    assert len(list(tmp_path.glob("findings-*.pickle"))) == 1


def test_digest_of_frames_inside_tuples_ignores_display_options():
    papers = ps.load(SEED)
    before = memo.digest((papers, "x"), [papers])
    with pd.option_context("display.max_rows", 3, "display.max_colwidth", 5):
        assert memo.digest((papers, "x"), [papers]) == before
    assert memo.digest((papers.iloc[:10], "x"), [papers]) != before
