"""The copied Daily Papers page reader, on the real seed and on variants made from it."""

from __future__ import annotations

import csv
import textwrap
import warnings

import pandas as pd
import pytest

import paperscope as ps
from paperscope.errors import SkippedRecordsWarning, SourceFormatError
from paperscope.text import normalize_whitespace

from .conftest import SEED, SEED_GOLD, seed_paragraphs

HEADER = "\n\n".join(seed_paragraphs()[:6])


def write_page(tmp_path, papers, *, header=HEADER, sep="\n\n", name="page.txt", encoding="utf-8"):
    """A page in the seed's layout from (title, abstract-or-None) pairs."""
    parts = [header]
    for title, abstract in papers:
        parts.append(title)
        if abstract is not None:
            parts.append(abstract)
    path = tmp_path / name
    path.write_bytes(sep.join(parts).encode(encoding))
    return path


def test_seed_loads_all_62_titles_in_page_order():
    papers = ps.load(SEED)
    assert len(papers) == 62
    with SEED_GOLD.open(encoding="utf-8") as fh:  # the user's labels list the titles in page order
        labelled = [row["title"] for row in csv.DictReader(fh)]
    assert papers["title"].tolist() == labelled
    assert papers["position"].tolist() == list(range(1, 63))


def test_seed_abstracts_equal_the_page(seed_papers):
    papers = ps.load(SEED)
    assert papers["abstract"].tolist() == [normalize_whitespace(a) for _, a in seed_papers]
    assert papers["n_words"].tolist() == [len(a.split()) for _, a in seed_papers]


def test_seed_metadata():
    papers = ps.load(SEED)
    assert set(papers["listing_label"]) == {"Sep 9"}
    assert papers["listed_on"].isna().all()  # the page has no year: no date invented
    assert set(papers["source_format"]) == {"hf_page"}
    assert papers["paper_id"].is_unique
    assert papers["paper_id"].str.startswith("title:").all()
    first = papers.iloc[0]
    assert first["title"] == "Skill Expansion and Composition in Parameter Space"
    assert first["line"] == 13
    assert first["urls"] == ["https://ltlhuuu.github.io/PSEC/"]
    ps.schema.validate(papers)


def test_year_makes_the_listing_date_known():
    papers = ps.load(SEED, year=2025)
    assert set(papers["listed_on"]) == {pd.Timestamp("2025-09-09")}


def test_same_input_gives_the_same_frame_and_ids():
    a, b = ps.load(SEED), ps.load(SEED)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[0, "paper_id"] == "title:" + __import__("hashlib").sha1(
        b"skill expansion and composition in parameter space").hexdigest()[:16]


def test_hard_wrapped_abstracts(tmp_path, seed_papers):
    # Wrapped the way arXiv wraps: at spaces only.
    wrap = dict(width=72, break_on_hyphens=False, break_long_words=False)
    wrapped = [(t, textwrap.fill(a, **wrap)) for t, a in seed_papers]
    papers = ps.load(write_page(tmp_path, wrapped))
    assert papers["title"].tolist() == [t for t, _ in seed_papers]
    assert papers["abstract"].tolist() == [normalize_whitespace(a) for _, a in seed_papers]


def test_a_copy_with_single_line_breaks(tmp_path, seed_papers):
    # Some browsers copy the page with one line break between paragraphs: each line is then one.
    expected = [normalize_whitespace(a) for _, a in seed_papers]
    papers, audit = ps.load(write_page(tmp_path, seed_papers, sep="\n"), audit=True)
    assert papers["title"].tolist() == [t for t, _ in seed_papers]
    assert papers["abstract"].tolist() == expected
    assert set(audit["status"]) == {"loaded"}
    # With per-paper lines and a project link on its own line after an abstract: the link is
    # no paper's title; it closes that abstract.
    parts = [HEADER.replace("\n\n", "\n")]
    for i, (t, a) in enumerate(seed_papers[:5]):
        parts += [f"{10 + i}", t, "Submitted by", "someone", f"· {i + 1} authors", a]
    parts.insert(7, "Project page: https://example.org/p")
    page = tmp_path / "single.txt"
    page.write_text("\n".join(parts), encoding="utf-8")
    papers, audit = ps.load(page, audit=True)
    assert papers["title"].tolist() == [t for t, _ in seed_papers[:5]]
    assert papers["abstract"].tolist() == [expected[0] + " Project page: https://example.org/p", *expected[1:5]]
    assert papers["urls"].iloc[0][-1] == "https://example.org/p"
    assert papers["upvotes"].tolist() == [10, 11, 12, 13, 14]
    assert set(audit["status"]) == {"loaded"}


def test_a_title_and_its_abstract_in_one_paragraph(tmp_path, seed_papers):
    # A short abstract (under 300 characters), or a Chinese one, after its title with one line break
    short = [(t, a[:200].rsplit(" ", 1)[0] + ".") for t, a in seed_papers[:4]]
    chinese = [("扩散模型的高效采样",
                "我们提出一种新的采样方法，在保持生成质量的同时将扩散模型的采样步数减少到四步，并在图像与视频生成上验证了其效果。"
                "实验表明，该方法在多个基准上优于现有的蒸馏方法。"),
               ("大型语言模型的推理",
                "本文研究大型语言模型在数学推理任务上的表现，提出一种基于强化学习的训练方法，显著提升了模型的准确率。"
                "我们还分析了模型在不同难度问题上的行为。")]
    for pairs in (short, chinese):
        page = tmp_path / "pairs.txt"
        page.write_text(HEADER + "\n\n" + "\n\n".join(f"{t}\n{a}" for t, a in pairs), encoding="utf-8")
        papers, audit = ps.load(page, audit=True)
        assert papers["title"].tolist() == [t for t, _ in pairs] and set(audit["status"]) == {"loaded"}
    # a title may name a scheme ("Beyond http://"): it is a link only with a host after it
    page = write_page(tmp_path, [("Beyond http://: Agents that Browse the Web", seed_papers[0][1]),
                                 *seed_papers[1:3]])
    assert ps.load(page)["title"].iloc[0] == "Beyond http://: Agents that Browse the Web"
    # a hard-wrapped abstract stays one, even with a long link alone on a line of it
    title, abstract = seed_papers[0]
    wrapped = textwrap.fill(abstract[:400] + " https://huggingface.co/datasets/an-organization/a-rather-long-"
                            "dataset-name-for-this-paper-v2 " + abstract[400:], width=80, break_long_words=False)
    papers = ps.load(write_page(tmp_path, [(title, wrapped), *seed_papers[1:3]]))
    assert papers["title"].tolist() == [t for t, _ in seed_papers[:3]] and papers["n_words"].iloc[0] > 200
    # but an abstract broken once, a blank-line copy's paragraph, stays one abstract
    title, abstract = seed_papers[0]
    cut = abstract.index(". ", 200) + 1
    page = write_page(tmp_path, [(title, abstract[:cut] + "\n" + abstract[cut + 1:]), *seed_papers[1:3]])
    papers = ps.load(page)
    assert papers["abstract"].iloc[0] == normalize_whitespace(abstract) and len(papers) == 3


def test_crlf_bom_trailing_spaces_and_blank_runs(tmp_path, seed_papers):
    page = write_page(tmp_path, [(t + "   ", a + " \t") for t, a in seed_papers], sep="\n \n\n\n")
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    papers = ps.load(page)
    assert papers["title"].tolist() == [t for t, _ in seed_papers]
    assert papers["abstract"].tolist() == [normalize_whitespace(a) for _, a in seed_papers]


def test_paper_without_abstract_is_kept_with_na(tmp_path, seed_papers):
    variant = [(t, None if i == 5 else a) for i, (t, a) in enumerate(seed_papers)]
    papers = ps.load(write_page(tmp_path, variant))
    assert len(papers) == 62
    assert papers.loc[5, "title"] == seed_papers[5][0]
    assert pd.isna(papers.loc[5, "abstract"]) and papers.loc[5, "n_words"] == 0
    assert papers.loc[6, "abstract"] == normalize_whitespace(seed_papers[6][1])
    # The last paper without abstract too.
    variant[-1] = (variant[-1][0], None)
    assert pd.isna(ps.load(write_page(tmp_path, variant)).iloc[-1]["abstract"])


def test_extra_per_paper_lines_are_dropped_and_upvotes_kept(tmp_path, seed_papers):
    parts = [HEADER]
    for i, (t, a) in enumerate(seed_papers):
        parts += [f"{10 + i}", f"{t}\n· {i % 7 + 1} authors", "Submitted by\nsomeone", a]
    page = tmp_path / "extra.txt"
    page.write_text("\n\n".join(parts), encoding="utf-8")
    papers = ps.load(page)
    assert papers["title"].tolist() == [t for t, _ in seed_papers]
    assert papers["abstract"].tolist() == [normalize_whitespace(a) for _, a in seed_papers]
    assert papers["upvotes"].tolist() == [10 + i for i in range(62)]


def test_latex_in_abstracts_is_kept_as_text(tmp_path, seed_papers):
    variant = list(seed_papers)
    variant[0] = (variant[0][0], r"We study {\it sparse} $\mathcal{O}(n^2)$ priors}. " + variant[0][1])
    papers = ps.load(write_page(tmp_path, variant))
    assert papers.loc[0, "abstract"].startswith(r"We study {\it sparse} $\mathcal{O}(n^2)$ priors}.")
    assert len(papers) == 62


def test_text_without_title_is_skipped_and_reported(tmp_path, seed_papers):
    variant = list(seed_papers[:3])
    page = write_page(tmp_path, variant)
    stray = "An orphan paragraph that nobody titled. It runs on for a while and ends with a period."
    text = page.read_text().replace(variant[1][1], variant[1][1] + "\n\n" + stray)
    page.write_text(text)
    with pytest.warns(SkippedRecordsWarning, match=r"skipped 1 record.*line \d+"):
        papers, audit = ps.load(page, audit=True)
    assert papers["title"].tolist() == [t for t, _ in variant]
    skipped = audit[audit["status"] == "skipped"]
    assert len(skipped) == 1
    line = text.split("\n").index(stray) + 1
    assert skipped.iloc[0]["line"] == line
    assert "second paragraph after an abstract" in skipped.iloc[0]["reason"]
    assert len(audit) == len(papers) + len(skipped)


def test_repeated_paper_is_merged_and_audited(tmp_path, seed_papers):
    page = write_page(tmp_path, list(seed_papers[:4]) + [seed_papers[1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        papers, audit = ps.load(page, audit=True)
    assert len(papers) == 4
    assert audit["status"].value_counts().to_dict() == {"loaded": 4, "merged": 1}
    assert audit.iloc[4]["paper_id"] == papers.iloc[1]["paper_id"]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (b"", 1, "empty"),
        (b"\n  \n\t\n", 1, "empty"),
        (b"new\n\nDaily Papers\n\x00\x01\x02garbage", 4, "binary"),
        (b'{"paper": {"id": "2409.01234"}}\n', 1, "without a 'data' list"),
        (b"Name,Value\nA,B\n", 1, "unrecognized format"),
        (b"new\n\nDaily Papers\n\nSep 9\n", 5, "no papers"),
    ],
)
def test_bad_files_raise_with_file_and_line(tmp_path, content, line, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(SourceFormatError, match=message) as info:
        ps.load(path)
    assert info.value.line == line
    assert str(path) in str(info.value)
    assert isinstance(info.value, ps.PaperscopeError)


def test_bytes_that_are_not_utf8_skip_the_paper_they_are_in(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(b"Daily Papers\n\nTitle\n\n\xff\xfe broken abstract.\n\nOther title\n\nFine abstract.\n")
    with pytest.warns(ps.SkippedRecordsWarning, match=r"line 3: abstract holds a byte that is not UTF-8 \(0xff\)"):
        papers = ps.load(path)
    assert papers["title"].tolist() == ["Other title"]


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        ps.load(tmp_path / "nope.txt")


def test_page_controls_organizations_and_a_second_day_are_no_papers(tmp_path):
    # what copies of today's page carry besides the seed's layout: the site's navigation above the
    # header, the page's controls, "arXiv Page" and GitHub star counts, an organization's name beside
    # a paper, and a second day pasted below the first
    page = tmp_path / "page.txt"
    page.write_text(
        "Hugging Face\nModels\nDatasets\nSpaces\nDocs\nPricing\nLog In\nSign Up\n\nDaily Papers\n\n"
        "by AK and the research community\n\nSep 9, 2025\n\nSearch any paper with AI\n\nSubmit paper\n\n"
        "Daily\nWeekly\nMonthly\n\nSubmitted by\nakhaliq\n\n42\n\n"
        "Skill Expansion and Composition in Parameter Space\n\n"
        "Humans excel at reusing prior knowledge to address new challenges.\n\nGitHub\n1.2k\n\narXiv Page\n\n"
        "NVIDIA\n\n7\n\nTarget-based Surrogates for Stochastic Optimization\n\n"
        "We consider minimizing functions for which it is expensive to compute the gradient.\n\n"
        "Daily Papers\n\nby AK and the research community\n\nSep 10, 2025\n\n"
        "Reinforcement Learning for Adaptive Time-Stepping in the Chaotic Three-Body Problem\n\n"
        "Many problems in astrophysics cover multiple orders of magnitude.\n")
    with pytest.warns(SkippedRecordsWarning, match="'NVIDIA' has no abstract"):
        papers, audit = ps.load(page, audit=True)
    assert papers["title"].tolist() == [
        "Skill Expansion and Composition in Parameter Space",
        "Target-based Surrogates for Stochastic Optimization",
        "Reinforcement Learning for Adaptive Time-Stepping in the Chaotic Three-Body Problem"]
    assert papers["upvotes"].iloc[:2].tolist() == [42, 7]
    assert papers["listed_on"].dt.strftime("%Y-%m-%d").tolist() == ["2025-09-09", "2025-09-09", "2025-09-10"]
    skipped = audit[audit["status"] == "skipped"]
    assert skipped["reason"].str.contains("'NVIDIA' has no abstract").tolist() == [True]


def test_a_label_between_a_title_and_its_abstract_is_no_paper(tmp_path, seed_papers):
    # An organization's name on its own line after a title: the title keeps its abstract and the
    # name is skipped with its line, never read as the next paper's title
    labels = {0: "NVIDIA", 3: "Tsinghua University", 7: "Google DeepMind"}
    parts = [HEADER]
    for i, (t, a) in enumerate(seed_papers):
        parts += [t] + ([labels[i]] if i in labels else []) + [a]
    page = tmp_path / "labels.txt"
    page.write_text("\n\n".join(parts), encoding="utf-8")
    with pytest.warns(SkippedRecordsWarning, match="too short for a title"):
        papers, audit = ps.load(page, audit=True)
    assert papers["title"].tolist() == [t for t, _ in seed_papers]
    assert papers["abstract"].tolist() == [normalize_whitespace(a) for _, a in seed_papers]
    reasons = audit.loc[audit["status"] == "skipped", "reason"].tolist()
    assert len(reasons) == 3 and all(repr(label) in r for label, r in zip(labels.values(), reasons, strict=True))


def test_two_labels_in_a_row_and_each_papers_own_upvote_count(tmp_path, seed_papers):
    (t1, a1), (t2, a2), (t3, a3) = seed_papers[:3]
    page = tmp_path / "two.txt"
    page.write_text("\n\n".join([HEADER, t1, a1, t2, "NVIDIA", "Google", a2, t3, a3]), encoding="utf-8")
    with pytest.warns(SkippedRecordsWarning):
        papers = ps.load(page)
    assert papers["abstract"].tolist() == [normalize_whitespace(a) for a in (a1, a2, a3)]
    # a count after a held label belongs to the paper whose abstract follows, else to the next card
    page.write_text("\n\n".join([HEADER, t1, "NVIDIA", "42", a1, "10", t2, "Google", "11", t3, a3]),
                    encoding="utf-8")
    with pytest.warns(SkippedRecordsWarning):
        papers = ps.load(page)
    assert papers["title"].tolist() == [t1, t2, t3] and papers["upvotes"].tolist() == [42, 10, 11]
    assert papers["abstract"].isna().tolist() == [False, True, False]
    # a card that shows its count twice
    page.write_text("\n\n".join([HEADER, t1, "42", "Upvote 42", a1, t2, "43", "Upvote 43", a2]), encoding="utf-8")
    assert ps.load(page)["upvotes"].tolist() == [42, 43]


def test_a_short_title_after_a_paper_without_abstract_stays_a_paper(tmp_path, seed_papers):
    """Only what follows tells a label from a title: a short title keeps its own abstract, and a
    page of titles alone keeps every title of three words or more."""
    (t0, _), (t1, a1) = seed_papers[0], seed_papers[1]
    papers = ps.load(write_page(tmp_path, [(t0, None), ("Qwen3 Technical Report", a1)]))
    assert papers["title"].tolist() == [t0, "Qwen3 Technical Report"]
    assert pd.isna(papers.loc[0, "abstract"]) and papers.loc[1, "abstract"] == normalize_whitespace(a1)
    titles = [t0, "Scaling Laws Revisited", t1, "Gemma Technical Report"]
    assert ps.load(write_page(tmp_path, [(t, None) for t in titles], name="titles.txt"))["title"].tolist() == titles
    # an upvote count after the abstract-less paper opens the next card: "Mamba" is a title
    page = tmp_path / "counts.txt"
    page.write_text("\n\n".join([HEADER, t0, "10", "Mamba", "11", a1]), encoding="utf-8")
    papers = ps.load(page)
    assert papers["title"].tolist() == [t0, "Mamba"] and papers["upvotes"].tolist() == [10, 11]
    assert papers.loc[1, "abstract"] == normalize_whitespace(a1)
    # a Chinese title has more than two words, whatever its spaces
    chinese = "基于GPT-4与LLaMA 2的中文医学问答评测"
    papers = ps.load(write_page(tmp_path, [(t0, None), (chinese, a1)], name="zh.txt"))
    assert papers["title"].tolist() == [t0, chinese] and pd.isna(papers.loc[0, "abstract"])


def test_a_week_or_month_view_is_labelled_but_not_dated(tmp_path):
    page = tmp_path / "month.txt"
    page.write_text("Daily Papers\n\nSeptember 2025\n\nSkill Expansion and Composition in Parameter Space\n\n"
                    "Humans excel at reusing prior knowledge to address new challenges.\n")
    papers = ps.load(page)
    assert papers["listing_label"].tolist() == ["September 2025"] and papers["listed_on"].isna().all()


def test_an_abstract_in_chinese_is_an_abstract(tmp_path):
    # a CJK abstract ends with "。", not "." - short enough, it was read as the next paper's title
    page = tmp_path / "page.txt"
    page.write_text("Daily Papers\n\nSep 9\n\n基于GPT-4与LLaMA 2的中文医学问答评测\n\n"
                    "本文在中文医学问答任务上系统评测了GPT-4与LLaMA 2两种大语言模型的表现。\n\n"
                    "利用GPT-4蒸馏LLaMA 2实现低成本代码生成\n\n我们提出一种知识蒸馏框架。\n")
    papers = ps.load(page)
    assert papers["title"].tolist() == ["基于GPT-4与LLaMA 2的中文医学问答评测",
                                        "利用GPT-4蒸馏LLaMA 2实现低成本代码生成"]
    assert papers["abstract"].notna().all()
