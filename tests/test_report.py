"""Reports on the real notebooks: built from a copy of each, self-contained, deterministic, and
working from any folder on a user's corpus with the user's parameters."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from paperscope.errors import PaperscopeError
from paperscope.report import PLOTLY_MIME, build_report

from .conftest import ROOT, SEED

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SEED_GOLD = ROOT / "seeds" / "seed_themes.csv"
HF = ROOT / "data" / "hf-daily-papers"
pytestmark = pytest.mark.slow


def _digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _figures_in(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    return sum(PLOTLY_MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    before = _digest(NOTEBOOKS)
    out = tmp_path_factory.mktemp("report")
    pages = build_report(SEED, out=out, gold=SEED_GOLD)
    assert _digest(NOTEBOOKS) == before, "building a report must not modify the committed notebooks"
    return out, pages


def test_one_page_per_notebook_plus_index(seed_report):
    out, pages = seed_report
    assert [p.path.name for p in pages] == [nb.stem + ".html" for nb in NOTEBOOKS]
    index = (out / "index.html").read_text()
    for page in pages:
        assert f'href="{page.path.name}"' in index
    assert "62" in index and "hf-daily-papers-sep-9.txt" in index
    assert re.search(r"<th>fingerprint</th><td>[0-9a-f]{16}</td>", index)
    assert "<th>gold</th><td>" + str(SEED_GOLD) in index  # what the report ran with


def test_the_gold_labels_are_scored_when_given(seed_report):
    _, pages = seed_report
    themes = pages[1].path.read_text()
    assert "micro" in themes and "No hand labels given" not in themes


def test_pages_are_self_contained(seed_report):
    _, pages = seed_report
    for page in pages:
        text = page.path.read_text()
        assert not re.search(r"<script[^>]+src=", text), "no external scripts"
        assert not re.search(r"<link[^>]+href=\"https?:", text), "no external stylesheets"
        assert text.count('id="paperscope-plotly-gz"') == 1, "plotly.js embedded exactly once"
        if page.notebook not in {"04-trends.ipynb", "05-map.ipynb"}:  # committed on the HF day files
            assert page.figures == _figures_in(ROOT / "notebooks" / page.notebook)
        assert text.count('class="paperscope-figure"') == page.figures
        assert page.bytes < 5_000_000


def test_code_is_hidden_by_default(seed_report):
    _, pages = seed_report
    assert "import paperscope" not in pages[0].path.read_text()


def test_pages_are_deterministic(seed_report, tmp_path):
    out, pages = seed_report
    again = build_report(SEED, out=tmp_path, gold=SEED_GOLD)
    for first, second in zip(pages, again, strict=True):
        a, b = first.path.read_bytes(), second.path.read_bytes()
        if a != b:  # say where, without a diff of megabytes
            at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            pytest.fail(f"{first.path.name} differs at byte {at}: {a[at - 200:at + 200]!r} != {b[at - 200:at + 200]!r}")


def test_refuses_to_overwrite_a_users_file(tmp_path):
    mine = tmp_path / "index.html"
    mine.write_text("<html>my own notes</html>")
    with pytest.raises(PaperscopeError, match="refusing to overwrite"):
        build_report(SEED, out=tmp_path)
    assert mine.read_text() == "<html>my own notes</html>"


USER_THEME = """
[themes.video_worlds]
label = "Video and world models"
description = "Generating or predicting video, and learned world models."
phrases = ['videos?', 'world models?']
"""


def test_from_an_empty_folder_with_only_a_corpus(tmp_path):
    """What a new user does: a folder with their corpus and a theme file, then one command."""
    corpus = tmp_path / "hf"
    corpus.mkdir()
    for day in ("2024-05-27", "2024-06-03", "2024-07-01", "2024-08-01", "2024-09-02", "2024-10-01"):
        shutil.copy(HF / f"{day}.json", corpus)
    (tmp_path / "mine.toml").write_text(USER_THEME)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "paperscope", "report", "--corpus", "hf", "--out", "rep",
         "--taxonomy", "mine.toml", "--backend", "tfidf", "--period", "M"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    rep = tmp_path / "rep"
    assert sorted(p.name for p in rep.glob("*.html")) == [nb.stem + ".html" for nb in NOTEBOOKS] + ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hf", "mine.toml", "rep"], "no debris"
    # the terminal: one line per page, a summary, no kernel chatter
    pages = [ln for ln in run.stderr.splitlines() if " … " in ln]
    assert [ln.split(" … ")[0] for ln in pages] == [f"[{i}/{len(NOTEBOOKS)}] {nb.stem}"
                                                    for i, nb in enumerate(NOTEBOOKS, 1)]
    assert all(re.search(r" … \d+\.\d s ", ln) for ln in pages)
    assert f"report: {len(NOTEBOOKS)} pages + index.html in rep" in run.stderr
    assert "WARNING" not in run.stderr and "Traceback" not in run.stderr
    assert "open rep/index.html" in run.stdout
    text = {p.stem: p.read_text() for p in rep.glob("*.html")}
    for page, html in text.items():
        for seed_only in ("Sep 9", "hf-daily-papers-sep-9", "seed_themes", "../seeds", "../data"):
            assert seed_only not in html, f"{page} shows {seed_only!r}"
    assert "66 papers from 6 source file(s)" in text["01-corpus"]  # 13 + 6 + 10 + 11 + 15 + 11
    assert "How good are the tags?" not in text["02-themes"]  # no --gold: nothing to score
    for page in ("index", "02-themes", "03-topics", "04-trends"):
        assert "Video and world models" in text[page], f"the user's theme is missing from {page}"
    assert "Papers per month" in text["04-trends"]  # --period M
    assert "<th>backend</th><td>tfidf</td>" in text["index"]
    # the landing page leads with the findings on the whole corpus, then a search box over it
    assert text["index"].index('<h2 id="findings">') < text["index"].index('<h2 id="search">')
    assert "66 papers, listed 2024-05-27" in text["index"] and "Search 66 papers" in text["index"]


def test_a_corpus_in_chinese_builds_every_page_and_says_why_it_has_no_topics(tmp_path):
    """No word the topic model counts and no theme: page 04 stopped the report on fit_topics' error
    (pages 03 and 05 explained it); charts without themes were blank."""
    import json

    titles = ["扩散模型在图像生成中的应用", "大语言模型的代码生成方法", "物理信息神经网络求解方程",
              "贝叶斯优化与超参数调优", "强化学习在机器人控制中的应用", "图神经网络的可解释性",
              "多模态模型的视觉推理", "语音识别的自监督预训练", "联邦学习中的隐私保护", "知识蒸馏与模型压缩",
              "持续学习中的灾难性遗忘", "不确定性量化方法"]
    lines = [json.dumps({"arxiv_id": f"240{m}.{i:05d}", "title": f"{t}（{m}）",
                         "abstract": t + "。本文提出一种新方法。", "published": f"2024-0{m}-15"}, ensure_ascii=False)
             for m in (1, 2, 3) for i, t in enumerate(titles)]
    (tmp_path / "zh.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-m", "paperscope", "report", "--corpus", "zh.jsonl", "--out", "rep",
                          "--backend", "tfidf", "--period", "M"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    text = {p.stem: p.read_text() for p in (tmp_path / "rep").glob("*.html")}
    assert len(text) == len(NOTEBOOKS) + 1
    for page in ("03-topics", "04-trends"):
        assert "No topics: no paper holds a word that topics are labelled with" in text[page], page
    assert "No paper carries a theme." in text["02-themes"]
