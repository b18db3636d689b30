"""Make ``docs/images/landing.png``: the top of a report's landing page, as a reader's browser shows it.

Usage (after ``make browser`` and a report on the HF day files)::

    .venv/bin/paperscope report --corpus data/hf-daily-papers --since 2026-01-01 --out /tmp/hf-report
    .venv/bin/python docs/images/make_landing_png.py /tmp/hf-report/index.html docs/images/landing.png

Chromium (Debian's) draws the page offline; the image is the top ``HEIGHT`` pixels of a
``WIDTH``-pixel-wide window, so it stays small (about 200 KB). An existing image is never
replaced: remove it first.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

WIDTH, HEIGHT = 1000, 1400


def main(index: str, target: str) -> None:
    from playwright.sync_api import sync_playwright

    out = Path(target)
    if out.exists():
        sys.exit(f"{out}: exists; refusing to overwrite it (remove it first)")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Debian's chromium is not installed (make browser)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("file://", "data:", "blob:")) else route.abort())
        page = context.new_page()
        page.goto(Path(index).resolve().as_uri())
        page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
        browser.close()
    print(f"{out}: {out.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
