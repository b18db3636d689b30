"""Reports opened in a real browser (Debian's chromium) with every outbound request blocked.

Skipped, with the reason, where chromium is not installed (``make browser`` installs it).
"""

from __future__ import annotations

import shutil

import pytest

from paperscope.report import PLOTLY_MIME, build_report

from .conftest import ROOT, SEED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)"),
]
HOSTILE = ROOT / "tests" / "data" / "hostile-page.txt"
HF = ROOT / "data" / "hf-daily-papers"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


def open_page(browser, path, *, figures=True, width=1280):
    """Load a report page offline; return the page, its console errors and blocked requests."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    blocked: list[str] = []
    errors: list[str] = []

    def gate(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.resolve().as_uri())
    if figures:
        page.wait_for_function("document.body.dataset.figuresRendered !== undefined", timeout=60_000)
    return page, errors, blocked


#: What a reader sees of a chart besides its title: axis titles, tick labels, legend, colour bar, notes.
CHART_TEXT = (".xtitle, .ytitle, [class^='x'][class$='title'], [class^='y'][class$='title'], "
              ".xtick text, .ytick text, .legendtext, .legendtitletext, .cbtitle, .cbaxis text, "
              ".annotation text")
LAYOUT_FACTS = """(selector) => {
  const box = (e) => e.getBoundingClientRect();
  const seen = (r) => r.width > 0 && r.height > 0;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                         && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const clashes = [], wide = [];
  document.querySelectorAll('.paperscope-figure').forEach((fig, i) => {
    for (const f of [fig, ...fig.querySelectorAll('.main-svg')].map(box))  // the div, and what Plotly drew
      if (f.right > innerWidth + 1 || f.left < -1) { wide.push(`figure ${i + 1}: ${f.left}..${f.right}`); break; }
    const titles = [...fig.querySelectorAll('.gtitle')].filter((t) => seen(box(t)));
    const texts = [...fig.querySelectorAll(selector)].filter((t) => seen(box(t)) && !t.closest('.gtitle'));
    for (const t of titles) for (const o of texts) if (overlap(box(t), box(o)))
      clashes.push(`figure ${i + 1}: title "${t.textContent}" overlaps "${o.textContent}"`);
  });
  return {clashes, wide, scrollWidth: document.documentElement.scrollWidth, innerWidth};
}"""


def check_layout(page, name, shots):
    """What a reader would notice: text over a chart's title, a page wider than the window."""
    page.screenshot(path=shots / f"{name}.png", full_page=True)
    facts = page.evaluate(LAYOUT_FACTS, CHART_TEXT)
    assert facts["clashes"] == [], f"{name}: {facts['clashes']}"
    assert facts["wide"] == [], f"{name}: figures wider than the page: {facts['wide']}"
    assert facts["scrollWidth"] <= facts["innerWidth"], f"{name} scrolls sideways: {facts}"


def check_pages(browser, out, pages, shots=None):
    for report_page in pages:
        page, errors, blocked = open_page(browser, report_page.path)
        drawn = int(page.evaluate("document.body.dataset.figuresRendered"))
        svgs = page.locator(".paperscope-figure .main-svg").count()
        assert drawn == report_page.figures  # a page may have none (the trends page without dates)
        assert svgs >= report_page.figures, "Plotly drew an SVG for every figure"
        assert errors == [], errors
        assert blocked == [], f"requests tried to leave the machine: {blocked}"
        if shots is not None:
            check_layout(page, report_page.path.stem, shots)
        page.context.close()
    page, errors, blocked = open_page(browser, out / "index.html", figures=False)
    assert errors == [] and blocked == []
    assert page.evaluate("window.__pwned") is None, "an injected script ran on the index page"
    if shots is not None:
        check_layout(page, "index", shots)
    page.context.close()


def search_results(browser, index, query):
    """Type ``query`` into the landing page's search box; return the titles listed."""
    page, errors, blocked = open_page(browser, index, figures=False)
    page.fill(".ps-search-input", query)
    page.wait_for_function("document.querySelectorAll('.ps-search-results li').length > 0", timeout=30_000)
    titles = page.locator(".ps-search-results li").evaluate_all(
        "(items) => items.map((li) => li.firstChild.textContent)")
    assert errors == [] and blocked == []
    assert page.evaluate("window.__pwned") is None, "a title ran as a script"
    assert page.locator("#injected").count() == 0, "a title was parsed as HTML"
    page.context.close()
    return titles


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed-report")
    return out, build_report(SEED, out=out, notebooks=ROOT / "notebooks")


def test_seed_report_renders_offline_and_reads_well(browser, seed_report, tmp_path):
    out, pages = seed_report
    assert [p.figures for p in pages][:3] == [4, 3, 4]
    check_pages(browser, out, pages, shots=tmp_path)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(
        [p.path.stem + ".png" for p in pages] + ["index.png"])
    titles = search_results(browser, out / "index.html", "diffusion")
    assert titles and all(title for title in titles)


def test_hostile_content_shows_as_text_and_never_runs(browser, tmp_path):
    pages = build_report(HOSTILE, out=tmp_path, notebooks=ROOT / "notebooks")
    check_pages(browser, tmp_path, pages)
    titles = [
        '<script>window.__pwned = "title-script";</script>Attention Is Not All You Need',
        '</div></div></main><h1 id="injected">Injected heading</h1> Closing Tags in Titles',
        "**Markdown** [click](javascript:window.__pwned='md') and $\\alert{LaTeX}$ tricks",
    ]
    for report_page in pages:
        page, errors, _ = open_page(browser, report_page.path)
        assert page.evaluate("window.__pwned") is None, "an injected script ran"
        assert page.locator("#injected").count() == 0, "an injected element was parsed as HTML"
        text = page.evaluate("document.body.innerText")
        # the corpus and themes pages list every paper (topics need 10+ papers; trends need dates)
        if report_page.notebook in ("01-corpus.ipynb", "02-themes.ipynb"):
            for title in titles:
                assert title in text, f"title not shown as text on {report_page.path.name}: {title}"
        page.context.close()
    # the landing page's search lists the same titles as text
    for query, title in zip(["attention", "closing tags", "markdown tricks"], titles, strict=True):
        assert search_results(browser, tmp_path / "index.html", query)[0] == title


@pytest.fixture(scope="module")
def hf_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("hf-report")
    return out, build_report(HF, out=out, notebooks=ROOT / "notebooks", since="2026-01-01")


@pytest.mark.slow
def test_hf_report_renders_offline_and_reads_well(browser, hf_report, tmp_path):
    out, pages = hf_report
    # every notebook drew all its charts (page 01 adds authors and organizations: the seed names none)
    assert [p.figures for p in pages] == [6, 4, 4, 5, 3]  # page 04 adds topics over time
    check_pages(browser, out, pages, shots=tmp_path)
    index = (out / "index.html").read_text()
    assert "<th>papers</th><td>494</td>" in index  # --since marks what is new, it filters nothing
    assert (out / "index.html").stat().st_size <= 5_000_000
    assert index.index("What is new since 2026-01-01") < index.index('id="findings"')


@pytest.mark.slow
def test_hf_landing_page_search_finds_papers_offline(browser, hf_report):
    out, _ = hf_report
    titles = search_results(browser, out / "index.html", "world models")
    assert len(titles) == 10
    assert sum("world model" in t.lower() for t in titles) >= 5, titles


def test_the_layout_check_sees_what_a_reader_would(browser, tmp_path):
    """The check itself: a legend drawn over the title, and a chart wider than the window, are caught."""
    import nbformat
    import plotly.graph_objects as go

    from paperscope.report import export_html

    clash = go.Figure(go.Bar(x=["a", "b"], y=[1, 2], name="a legend entry over the title"))
    clash.update_layout(title={"text": "A chart title", "x": 0.5, "xanchor": "center"}, showlegend=True,
                        legend={"x": 0.5, "y": 1.12, "xanchor": "center", "yanchor": "bottom"})
    wide = go.Figure(go.Bar(x=["a"], y=[1]), layout={"title": "Too wide", "width": 2400})
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Layout"), nbformat.v4.new_code_cell("")]
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={PLOTLY_MIME: f.to_plotly_json()})
                           for f in (clash, wide)]
    path = tmp_path / "layout.html"
    path.write_text(export_html(nb, title="Layout")[0], encoding="utf-8")
    page, errors, _ = open_page(browser, path)
    facts = page.evaluate(LAYOUT_FACTS, CHART_TEXT)
    page.context.close()
    assert errors == []
    assert any('"A chart title" overlaps "a legend entry over the title"' in c for c in facts["clashes"])
    assert len(facts["wide"]) == 1 and facts["wide"][0].startswith("figure 2")


def test_static_images_are_written_offline(tmp_path):
    import nbformat

    from paperscope.report import save_images

    nb = nbformat.read(ROOT / "notebooks" / "01-corpus.ipynb", as_version=4)
    files = save_images(nb, tmp_path / "images")
    pngs = sorted(p for p in files if p.suffix == ".png")
    svgs = sorted(p for p in files if p.suffix == ".svg")
    assert len(pngs) == len(svgs) == 4
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert all(b"<svg" in p.read_bytes()[:400] for p in svgs)
