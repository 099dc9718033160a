"""Screenshots of ``citeqa serve``'s ask, source and audit views, for the README (``docs/``).

Usage:
    python scripts/screenshots.py            # writes docs/ask.png, docs/source.png, docs/audit.png

Builds a library of the bundled article in a temporary home, serves it on a free loopback port,
and drives Debian's chromium (``/usr/bin/chromium``) through Playwright: a question, the click on
its first citation, and the article's citation audit.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DOCS = Path(__file__).resolve().parent.parent / "docs"
CLI = [sys.executable, "-c", "from citeqa.qa.cli import main; main()"]
QUESTION = "On what date did India and Japan hold their second economic security dialogue?"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    """Serve the article and write the three screenshots."""
    from playwright.sync_api import sync_playwright

    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        subprocess.run([*CLI, "--home", str(home), "build"], check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen([*CLI, "--home", str(home), "serve", "--port", str(port)], stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
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
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"wrote {', '.join(p.name for p in sorted(DOCS.glob('*.png')))} in {DOCS}")


if __name__ == "__main__":
    main()
