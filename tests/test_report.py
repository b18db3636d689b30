"""Reports: built from a copy of each notebook, self-contained, deterministic, never clobbering."""

from __future__ import annotations

import hashlib
import re

import nbformat
import pytest

from paperscope.errors import PaperscopeError
from paperscope.report import PLOTLY_MIME, build_report

from .conftest import ROOT, SEED

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _figures_in(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    return sum(PLOTLY_MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    before = _digest(NOTEBOOKS)
    out = tmp_path_factory.mktemp("report")
    pages = build_report(None, out=out, notebooks=ROOT / "notebooks")
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


def test_pages_are_self_contained(seed_report):
    _, pages = seed_report
    for page in pages:
        text = page.path.read_text()
        assert not re.search(r"<script[^>]+src=", text), "no external scripts"
        assert not re.search(r"<link[^>]+href=\"https?:", text), "no external stylesheets"
        assert text.count('id="paperscope-plotly-gz"') == 1, "plotly.js embedded exactly once"
        assert page.figures == _figures_in(ROOT / "notebooks" / page.notebook)
        assert text.count('class="paperscope-figure"') == page.figures
        assert page.bytes < 5_000_000


def test_code_is_hidden_by_default(seed_report):
    _, pages = seed_report
    assert "import paperscope" not in pages[0].path.read_text()


def test_pages_are_deterministic(seed_report, tmp_path):
    out, pages = seed_report
    again = build_report(None, out=tmp_path, notebooks=ROOT / "notebooks")
    for first, second in zip(pages, again, strict=True):
        assert first.path.read_bytes() == second.path.read_bytes()


def test_refuses_to_overwrite_a_users_file(tmp_path):
    mine = tmp_path / "index.html"
    mine.write_text("<html>my own notes</html>")
    with pytest.raises(PaperscopeError, match="refusing to overwrite"):
        build_report(SEED, out=tmp_path, notebooks=ROOT / "notebooks")
    assert mine.read_text() == "<html>my own notes</html>"
