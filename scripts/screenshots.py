"""Screenshots of ``citeqa serve``'s ask, source and audit views, for the README (``docs/``).

Usage:
    python scripts/screenshots.py            # writes docs/ask.png, docs/source.png, docs/audit.png

Serves a library of the bundled article (``bench_serve.served_article``) and drives Debian's
chromium (``/usr/bin/chromium``) through Playwright: a question, the click on its first citation,
and the article's citation audit.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench_serve import served_article
from screenshot_audit import QUIET_FLAGS

DOCS = Path(__file__).resolve().parent.parent / "docs"
QUESTION = "On what date did India and Japan hold their second economic security dialogue?"


def main() -> None:
    """Serve the article and write the three screenshots."""
    from playwright.sync_api import sync_playwright

    DOCS.mkdir(exist_ok=True)
    with served_article() as (_, port), sync_playwright() as driver:
        url = f"http://127.0.0.1:{port}"
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=QUIET_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(url)
        page.fill("#q", QUESTION)
        page.click("form.ask button")
        page.wait_for_selector("#answer")
        page.screenshot(path=str(DOCS / "ask.png"))
        page.click("#answer a.citation")
        page.wait_for_selector("mark")
        page.screenshot(path=str(DOCS / "source.png"))
        page.goto(f"{url}/audit")
        page.screenshot(path=str(DOCS / "audit.png"))
        browser.close()
    print(f"wrote {', '.join(p.name for p in sorted(DOCS.glob('*.png')))} in {DOCS}")


if __name__ == "__main__":
    main()
