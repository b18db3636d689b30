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
        assert drawn == report_page.figures > 0
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
    check_pages(browser, *seed_report)


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
        for title in titles:
            assert title in text, f"title not shown as text on {report_page.path.name}: {title}"
        page.context.close()
