"""Reports opened in a real browser (Debian's chromium) with every outbound request blocked.

Skipped, with the reason, where chromium is not installed (``make browser`` installs it).
"""

from __future__ import annotations

import shutil

import pytest

from paperscope.report import build_report

from .conftest import ROOT, SEED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)"),
]
HOSTILE = ROOT / "tests" / "data" / "hostile-page.txt"


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


def open_page(browser, path, *, figures=True):
    """Load a report page offline; return the page, its console errors and blocked requests."""
    context = browser.new_context()
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


def check_pages(browser, out, pages):
    for report_page in pages:
        page, errors, blocked = open_page(browser, report_page.path)
        drawn = int(page.evaluate("document.body.dataset.figuresRendered"))
        svgs = page.locator(".paperscope-figure .main-svg").count()
        assert drawn == report_page.figures  # a page may have none (the trends page without dates)
        assert svgs >= report_page.figures, "Plotly drew an SVG for every figure"
        assert errors == [], errors
        assert blocked == [], f"requests tried to leave the machine: {blocked}"
        page.context.close()
    page, errors, blocked = open_page(browser, out / "index.html", figures=False)
    assert errors == [] and blocked == []
    page.context.close()


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed-report")
    return out, build_report(SEED, out=out, notebooks=ROOT / "notebooks")


def test_seed_report_renders_offline(browser, seed_report):
    out, pages = seed_report
    assert [p.figures for p in pages][:3] == [4, 3, 4]
    check_pages(browser, out, pages)


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


@pytest.mark.slow
@pytest.mark.shared_data
def test_hf_day_files_report_renders_offline(browser, tmp_path):
    from .conftest import SHARED

    pages = build_report(SHARED / "data" / "hf_daily_papers_api", out=tmp_path, notebooks=ROOT / "notebooks")
    assert [p.figures for p in pages] == [4, 4, 4, 4]  # every notebook drew all its charts
    check_pages(browser, tmp_path, pages)
    index = (tmp_path / "index.html").read_text()
    assert "<th>papers</th><td>494</td>" in index


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
