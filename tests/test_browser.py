"""``citeqa serve`` in a real browser: Debian's chromium, driven by Playwright, against the server
running under uvicorn on a free loopback port. The library is the bundled article plus synthetic
fixtures (tests/fixtures/audit for the audit, tests/fixtures/web for hostile text), each marked
SYNTHETIC TEST FIXTURE. The browser may fetch nothing but the server: the page works offline."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from serving import live_server
from test_cli import QUESTION

from citeqa.index.library import Library, Metadata

playwright = pytest.importorskip("playwright.sync_api", reason="playwright (the test extra) is not installed")
expect = playwright.expect

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE_TITLE = '<script>window.__pwned = "meta"</script> Harbour notice'


@pytest.fixture(scope="module")
def browser_home(built_home, tmp_path_factory, embedder):
    """The article, the synthetic review with sources for three of its references, and a hostile
    review citing a hostile notice whose title and URL are markup and a ``javascript:`` link."""
    home = tmp_path_factory.mktemp("browser") / "home"
    shutil.copytree(built_home, home)
    library = Library(home)
    audit = FIXTURES / "audit"
    library.add([audit / "synthetic-review.md", FIXTURES / "html" / "ministry_release.html"])
    library.add([audit / "weather-note.md"], Metadata(ref=2, ref_source="synthetic-review"))
    library.add([audit / "laboratory-plans.md"], Metadata(ref=3, ref_source="synthetic-review"))
    library.add([FIXTURES / "web" / "hostile-review.md"])
    hostile = Metadata(title=HOSTILE_TITLE, url="javascript:window.__pwned='url'", ref=1, ref_source="hostile-review")
    library.add([FIXTURES / "web" / "hostile-notice.md"], hostile)
    library.build(embedder=embedder)
    return home


@pytest.fixture(scope="module")
def url(browser_home):
    with live_server(browser_home) as base:
        yield base


@pytest.fixture
def page(browser, url):
    """A fresh page that records every request it tries to send anywhere but the server."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    opened = context.new_page()
    elsewhere: list[str] = []
    server = urlsplit(url).netloc

    def only_local(route):
        if urlsplit(route.request.url).netloc == server:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    opened.route("**/*", only_local)
    yield opened
    context.close()
    assert elsewhere == [], f"the page tried to fetch from elsewhere: {elsewhere}"


def ask(page, url, question):
    page.goto(url)
    page.fill("#q", question)
    page.click("form.ask button")
    page.wait_for_selector("#answer")


def test_ask_shows_the_answer_then_the_citation_opens_the_passage_in_its_source(page, url):
    ask(page, url, QUESTION)
    expect(page.locator("#answer .best")).to_contain_text("11 May 2026")
    expect(page.locator("#answer a.citation")).to_contain_text("World Journal of Advanced Research and Reviews")
    expect(page.locator("li.passage")).to_have_count(5)
    expect(page.locator("li.passage").first.locator("mark")).to_contain_text("11 May 2026")
    page.click("#answer a.citation")
    passage = page.locator("mark#passage")
    expect(passage).to_be_visible()
    # Scrolled to: the passage and the heading of its section are both on screen.
    expect(page.locator("mark.passage strong.sentence").first).to_be_in_viewport()
    heading = page.locator("section.part:has(#passage) > h2.heading")
    expect(heading).to_contain_text("Institutional design")
    expect(heading).to_be_in_viewport()
    expect(page.locator("strong.sentence")).to_contain_text("11 May 2026")
    expect(page.locator("p.original a")).to_have_attribute("href", "https://doi.org/10.30574/wjarr.2026.30.2.1485")


def test_an_abstention_says_why_and_marks_the_closest_passages(page, url):
    ask(page, url, "Which team won the 1994 ice hockey world championship?")
    expect(page.locator("#answer h2")).to_have_text("The sources do not answer this")
    expect(page.locator("#answer .reason")).to_contain_text("1994")
    assert page.locator("li.passage.not-answering").count() == page.locator("li.passage").count() > 0
    expect(page.locator("li.passage .badge").first).to_have_text("does not answer")


def visible_claims(page) -> list[str]:
    return page.locator("li.claim:visible .claim-text").all_inner_texts()


def test_the_audit_filters_claims_and_links_each_to_its_passage(page, url):
    page.goto(f"{url}/audit?source=synthetic-review")
    expect(page.locator("ul.counts")).to_contain_text("claims")
    page.click("a.filter[data-filter=supported]")
    assert [t[:15] for t in visible_claims(page)] == ["The third round"]
    page.click("a.filter[data-filter=temporal]")
    assert [t[:24] for t in visible_claims(page)] == ["Sampleonia will open a t"]
    page.click("a.filter[data-filter=not_found]")
    assert len(visible_claims(page)) == 2
    page.click("a.filter[data-filter=unverifiable]")
    assert all(
        v == "unverifiable" for v in page.locator("li.claim:visible").evaluate_all("e => e.map(x => x.dataset.verdict)")
    )
    expect(page.locator("#ref-4")).to_contain_text("fetch #1")
    page.click("a.filter[data-filter=supported]")
    page.locator("li.claim:visible a.passage-link").click()
    expect(page.locator("strong.sentence")).to_contain_text("held in Port Example on 9 May 2026")


def test_an_uploaded_file_is_built_in_and_listed_then_removed(page, url, tmp_path):
    upload = tmp_path / "quillby-ferry.md"
    upload.write_text(
        "# Quillby ferry\n\nThe synthetic Quillby ferry resumed crossings on 2 February 2026.\n\n"
        "(SYNTHETIC TEST FIXTURE: an invented ferry.)\n"
    )
    page.goto(f"{url}/sources")
    expect(page.locator("tr[data-id=weather-note]")).to_contain_text("[2] of synthetic-review")
    page.set_input_files("input[name=file]", str(upload))
    page.fill("input[name=publisher]", "Quillby Port")
    page.fill("input[name=date]", "2026-02-03")
    page.click("form.upload button")
    expect(page.locator("#status")).to_contain_text("done", timeout=120_000)
    row = page.locator("tr[data-id=quillby-ferry]")
    expect(row).to_contain_text("Quillby Port")
    expect(row.locator("td.num")).to_have_text("1")
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button.remove").click()
    expect(page.locator("#status")).to_contain_text("Removing quillby-ferry.md done", timeout=120_000)
    expect(page.locator("tr[data-id=quillby-ferry]")).to_have_count(0)


def assert_inert(page):
    """The hostile markup shows as text: nothing ran, and no element came from it."""
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script").evaluate_all("e => e.map(x => x.getAttribute('src'))") == ["/static/app.js"]
    assert page.locator("img, [onerror], a[href^='javascript']").count() == 0


def test_a_hostile_source_renders_as_text_in_every_view(page, url):
    ask(page, url, "When did the Zorbleton harbour reopen to ships?")
    expect(page.locator("li.passage").first).to_contain_text('<script>window.__pwned = "')
    assert_inert(page)
    page.goto(f"{url}/sources/hostile-review")
    expect(page.locator("h2.heading").first).to_contain_text("<img src=x onerror=")
    expect(page.locator("article")).to_contain_text("(javascript:window.__pwned='link')")
    assert_inert(page)
    page.goto(f"{url}/sources/hostile-notice")
    expect(page.locator("h1")).to_have_text(HOSTILE_TITLE)
    expect(page.locator("p.original code")).to_have_text("javascript:window.__pwned='url'")
    assert_inert(page)
    page.goto(f"{url}/sources")
    expect(page.locator("tr[data-id=hostile-notice]")).to_contain_text(HOSTILE_TITLE)
    assert_inert(page)
    page.goto(f"{url}/audit?source=hostile-review")
    expect(page.locator("ol.claims")).to_contain_text('<img src=x onerror="window.__pwned')
    expect(page.locator("ol.references")).to_contain_text('<script>window.__pwned = "ref"</script>')
    assert_inert(page)


def test_the_terminal_still_answers_while_the_server_runs(url, browser_home):
    command = [sys.executable, "-c", "from citeqa.qa.cli import main; main()", "--home", str(browser_home)]
    done = subprocess.run([*command, "ask", "--json", "-k", "1", QUESTION], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "11 May 2026" in json.loads(done.stdout)["passages"][0]["highlight"]
