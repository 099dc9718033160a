"""``citeqa serve`` in a real browser, without its script, and attacked from another origin.

Debian's chromium driven by Playwright, as in ``test_browser.py``: with JavaScript off, asking and
reading a passage in its source still work (both are plain links and forms rendered by the
server); and a page served from another origin cannot add a source, even though the browser sends
its request.
"""

from __future__ import annotations

import http.server
import shutil
import threading
from urllib.parse import urlsplit

import pytest
from serving import free_port, live_server
from test_cli import QUESTION

playwright = pytest.importorskip("playwright.sync_api", reason="playwright (the test extra) is not installed")
expect = playwright.expect


@pytest.fixture(scope="module")
def served(built_home, tmp_path_factory):
    home = tmp_path_factory.mktemp("guard") / "home"
    shutil.copytree(built_home, home)
    with live_server(home) as base:
        yield base, home


def test_with_javascript_off_the_ask_form_and_the_source_view_still_work(browser, served):
    url, _ = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    page.fill("#q", QUESTION)
    page.click("form.ask button")
    expect(page.locator("#answer .best")).to_contain_text("11 May 2026")
    page.click("#answer a.citation")
    assert urlsplit(page.url).path.startswith("/sources/")
    expect(page.locator("mark").first).to_be_visible()
    context.close()


ATTACK = """<!doctype html><title>another site</title><script>
const body = new FormData();
body.append("file", new Blob(["# Planted\\n\\nA planted note.\\n"], {type: "text/markdown"}), "planted.md");
fetch("%s/api/sources", {method: "POST", body, mode: "no-cors"})
  .then(() => { document.title = "sent"; }, () => { document.title = "sent"; });
</script>"""


def test_an_upload_from_a_page_of_another_origin_is_refused(browser, served, tmp_path):
    url, home = served
    (tmp_path / "index.html").write_text(ATTACK % url)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    other = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Quiet)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        context = browser.new_context()
        page = context.new_page()
        seen = []
        page.on("response", lambda response: seen.append((response.url, response.status)))
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/index.html")
        page.wait_for_function("document.title === 'sent'")
        context.close()
    finally:
        other.shutdown()
    # The browser did send it (a no-cors POST is a "simple" request); the server refused it.
    assert any(u.endswith("/api/sources") and status == 403 for u, status in seen), seen
    assert not (home / "sources" / "planted.md").exists()
