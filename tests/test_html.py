"""HTML ingestor on synthetic fixture pages (tests/fixtures/html, each marked SYNTHETIC TEST FIXTURE)
modelled on ministry, news, think-tank and table-layout pages: body kept, furniture dropped,
metadata found, encodings decoded, bad files refused with a one-line reason."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_cli import run

from citeqa.corpus import ExtractionError, chunk_document, extract

FIXTURES = Path(__file__).parent / "fixtures" / "html"
PAGES = sorted(p.name.replace(".gold.json", "") for p in FIXTURES.glob("*.gold.json"))


def norm(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", PAGES)
def test_page_keeps_body_drops_furniture_and_finds_metadata(name):
    gold = json.loads((FIXTURES / f"{name}.gold.json").read_text(encoding="utf-8"))
    doc = extract(FIXTURES / f"{name}.html")
    text = norm(doc.text)
    for kept in gold["keep"]:
        assert norm(kept) in text, kept
    for dropped in gold["drop"]:
        assert norm(dropped) not in text, dropped
    for field in ("title", "date", "publisher", "url", "authors"):
        if field in gold:
            assert getattr(doc, field) == gold[field], field


@pytest.mark.parametrize("name", PAGES)
def test_chunks_point_into_the_extracted_text(name):
    doc = extract(FIXTURES / f"{name}.html")
    chunks = chunk_document(doc, "doc")
    assert chunks
    for chunk in chunks:
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) <= 1200


def test_headings_become_sections_and_tables_keep_rows():
    doc = extract(FIXTURES / "mofa_style_sjis.html")
    chunks = chunk_document(doc, "doc")
    outcome = next(c for c in chunks if "working group on sample-grade batteries" in c.text)
    assert outcome.section == "2. Outcomes"
    table = next(c for c in chunks if c.kind == "table")
    assert "First | June 2025 | Example Town" in table.text
    # The page title is not also every passage's section.
    assert all(c.section != doc.title for c in chunks)


def test_undeclared_windows_1252_is_decoded_not_refused():
    doc = extract(FIXTURES / "layout_tables_cp1252.html")
    assert "\u201ctrusted technology\u201d" in doc.text


def test_paragraphs_split_by_double_br_and_markup_newlines_are_not_breaks(tmp_path):
    page = tmp_path / "br.html"
    page.write_text(
        "<!-- SYNTHETIC TEST FIXTURE --><html><body><div class='content'>First paragraph of the\n"
        "fixture continues here.<br><br>Second paragraph of the fixture.</div></body></html>"
    )
    doc = extract(page)
    assert doc.text == "First paragraph of the fixture continues here.\n\nSecond paragraph of the fixture."


def test_docbook_authors_under_the_title_are_authors_not_sections(tmp_path):
    page = tmp_path / "guide.html"
    prose = "The synthetic Velmora guide describes made-up harbours and their pilots at some length here."
    page.write_text(
        "<!-- SYNTHETIC TEST FIXTURE --><html><head><title>Velmora guide</title></head><body>"
        '<div class="BOOK"><div class="TITLEPAGE"><h1 class="TITLE">Velmora guide</h1>'
        '<h3 class="AUTHOR">Ann Example</h3><h3 class="author vcard">Ben Sample</h3>'
        "<p>Copyright 2031 Ann Example</p></div>"
        f"<h2>Harbours</h2><p>{prose}</p><p>{prose}</p></div></body></html>"
    )
    doc = extract(page)
    assert doc.authors == ["Ann Example", "Ben Sample"]
    sections = {b.section for b in doc.blocks}
    assert "Ann Example" not in sections and "Ben Sample" not in sections and "Harbours" in sections


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not an HTML file (looks like a PDF)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not HTML"),
        (b"<html><head><title>Only a title</title></head><body>  </body></html>", "no readable text found in the page"),
        (
            b"<html><body><nav><a href='/'>Home</a> <a href='/x'>Menu</a></nav></body></html>",
            "no readable text found in the page",
        ),
        (
            b"<html><head><meta http-equiv='refresh' content='0; url=./widgets.html'></head>"
            b"<body>Redirect to <a href='./widgets.html'>./widgets.html</a></body></html>",
            "a redirect to ./widgets.html, not a page: add that page instead",
        ),
    ],
)
def test_bad_html_is_refused_with_a_reason(tmp_path, content, reason):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    with pytest.raises(ExtractionError) as caught:
        extract(page)
    assert str(caught.value) == f"{page}: {reason}"


def test_a_page_that_refreshes_itself_is_read_when_it_has_content(tmp_path):
    # A synthetic page with a refresh meta and real content is a page, not a redirect.
    page = tmp_path / "page.html"
    prose = [f"The synthetic widget board lists every {kind} sold today, with its price and stock." for kind in "ABC"]
    page.write_text(
        "<html><head><meta http-equiv='refresh' content='300; url=./page.html'></head><body><main>"
        f"<h1>Synthetic widget board</h1>{''.join(f'<p>{text}</p>' for text in prose)}</main></body></html>"
    )
    assert prose[2] in extract(page).text


def test_a_short_page_whose_refresh_only_serves_readers_without_scripts_is_read(tmp_path):
    # Synthetic: a short page with a <noscript> refresh is a page for every reader with scripts.
    page = tmp_path / "short.html"
    page.write_text(
        "<html><head><noscript><meta http-equiv='refresh' content='0; url=/nojs.html'></noscript></head>"
        "<body><main><p>The synthetic widget board opens at nine.</p></main></body></html>"
    )
    assert "The synthetic widget board opens at nine." in extract(page).text


def test_extract_cli_shows_the_page_text_and_metadata(home):
    result = run(home, "extract", "--json", str(FIXTURES / "news_article.html"))
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["title"] == "Exampleland and Sampleonia pledge chip cooperation"
    assert "co-develop a fictional semiconductor packaging plant" in record["text"]
    assert "We value your privacy" not in record["text"]


def test_added_page_is_cited_with_its_own_metadata(home):
    run(home, "add", str(FIXTURES / "news_article.html"))
    result = run(home, "ask", "--json", "When could the first pilot line of the packaging plant open?")
    passage = json.loads(result.output)["passages"][0]
    assert "2028" in passage["highlight"]
    assert passage["source"]["publisher"] == "The Daily Example"
    assert passage["source"]["date"] == "2026-05-11"
    assert passage["source"]["url"] == "https://news.example.com/world/chip-cooperation-123"


PROSE = "SYNTHETIC TEST FIXTURE. The ministry said the talks covered minerals, chips, and energy in detail today."


@pytest.mark.parametrize(
    "body, kept, dropped",
    [
        # Inline markup inside a word or before punctuation does not split it.
        (
            f"<main><p>{PROSE}</p><h2>Econ<em>omic</em> security</h2><ul><li>The <b>Quad</b>'s role, and <a href='#'>India</a>, Japan</li></ul></main>",
            ["Economic security", "The Quad's role, and India, Japan"],
            [],
        ),
        # A nested list keeps its parent item's own text.
        (
            f"<main><p>{PROSE}</p><ul><li>Topic A matters<ul><li>sub one</li></ul></li><li>Topic B</li></ul></main>",
            ["• Topic A matters\n  • sub one\n• Topic B"],
            [],
        ),
        # Teasers of other stories go, even marked up as articles.
        (
            f"<main><article><h1>Real story</h1><p>{PROSE}</p><p>{PROSE}</p></article><div class='related'><h2>Related</h2>"
            "<article><h3><a href='/x'>Other story</a></h3><p>A teaser about something else, with commas, and words.</p></article></div></main>",
            ["Real story"],
            ["Other story", "A teaser about"],
        ),
        # Without main/article, the block of prose is found.
        (
            "<div><div class='col'><p>Most read: a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p</p></div>"
            f"<div class='x'><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div></div>",
            [PROSE],
            [],
        ),
        # A paragraph opened by an empty element (WordPress's "more" marker, an icon) is kept whole.
        (
            f"<main><article><h1>Mill story</h1><p>{PROSE}</p>"
            "<p><span id='more-5129'></span>The miller said the wheel was rebuilt in 1887 after a flood.</p>"
            "<p><i class='icon-quote'></i>The market beside the mill is held every week in summer.</p></article></main>",
            ["The miller said the wheel was rebuilt in 1887", "The market beside the mill is held every week"],
            [],
        ),
        # An article body that advertisements split into containers of one class is read whole.
        (
            "<article><h1>Bank story</h1><div class='grid'><div class='body article__body'>"
            f"<p>{PROSE} {PROSE}</p><p>{PROSE}</p></div></div>"
            "<div class='row ad'><span>Advertisement</span><div class='ad__slot'></div></div>"
            "<div class='grid'><div class='body article__body'><p>The second half of the synthetic story says that "
            "the bank will open forty branches in the hill towns next year, and that its chief expects the new "
            "accounts to double by the end of the decade, whatever the regulator decides.</p></div></div></article>",
            ["the bank will open forty branches in the hill towns"],
            ["Advertisement"],
        ),
        # A twin container's loose text and what follows it move with it; a comment or a footer
        # sharing the body's class is no part of the story.
        (
            "<article><div class='g'><div class='body article__body'>"
            f"<p>{PROSE} {PROSE}</p><p>{PROSE}</p></div></div><div class='ad'></div>"
            "<div class='g'><div class='body article__body'>The loose lead of the second half.<p>The second half of the "
            "synthetic story says that the bank will open forty branches in the hill towns next year, and "
            "that its chief expects the new accounts to double by the end of the decade, whatever the "
            "regulator decides.</p></div>Its closing line follows the container.</div></article>"
            "<section class='comments'><div class='g'><div class='body article__body'><p>A reader's synthetic comment "
            "that runs on for long enough to pass for prose, about the bank and its branches and fees, "
            "and about the weather in the hill towns, and much else besides, at length.</p></div></div></section>",
            ["The loose lead of the second half.", "forty branches", "Its closing line follows"],
            ["A reader's synthetic comment"],
        ),
        # A data table whose cells hold paragraphs is still a table.
        (
            f"<main><p>{PROSE}</p><table><tr><th>Year</th><th>Value</th></tr><tr><td><p>2025</p></td><td><p>12</p></td></tr></table></main>",
            ["Year | Value\n2025 | 12"],
            [],
        ),
    ],
)
def test_page_shapes(tmp_path, body, kept, dropped):
    page = tmp_path / "page.html"
    page.write_text(f"<html><body>{body}</body></html>")
    text = extract(page).text
    for k in kept:
        assert k in text
    for d in dropped:
        assert d not in text


def test_a_web_page_saved_as_txt_is_read_as_a_web_page_not_as_its_markup(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        '<!DOCTYPE html>\n<html><head><title>Synthetic harbour story</title><meta property="fb:pages" content="1">'
        f"</head><body><main><p>{PROSE}</p></main></body></html>"
    )
    doc = extract(page)
    assert doc.kind == "html" and doc.title == "Synthetic harbour story"
    assert PROSE in doc.text and "<" not in doc.text
    # Markdown holding HTML, even first, is still text; and many comments first cost no time.
    for opening in ("# Notes", "<html> is the root element.", "<!-- lint-disable -->\n" * 40):
        notes = tmp_path / "notes.md"
        notes.write_text(f"{opening}\n\n{PROSE}\n\n<html> is a tag.\n")
        assert extract(notes).kind == "text"


def test_title_from_the_title_element_not_a_section_heading(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Joint Statement on Minerals | Ministry of Example Affairs, Government of Exampleland</title></head>"
        f"<body><div><h2>Background</h2><p>{PROSE}</p></div></body></html>"
    )
    doc = extract(page)
    assert doc.title == "Joint Statement on Minerals"
    assert not any(block.kind == "title" for block in doc.blocks)


@pytest.mark.parametrize(
    "head, top, date",
    [
        ("", "", None),  # only the footer's copyright year: no date, not 2025-01-01
        ('<meta property="article:published_time" content="2022-03-11T09:00:00Z">', "", "2022-03-11"),
        ("", "<p>New Delhi, 11 March 2022</p>", "2022-03-11"),
        # A timestamp in a code sample is output shown, not when the page was written.
        ("", "<pre><code>Stats {\n  atime: 2019-06-22T03:37:33.072Z,\n}</code></pre>", None),
        ("", "<p>The output reads <samp>atime: 2019-06-22T03:37:33.072Z</samp> on this synthetic run.</p>", None),
        ('<link rel="canonical" href="https://example.org/2021/07/09/minerals.html">', "", "2021-07-09"),
        ("", "<time class='published'>July 9, 2021</time>", "2021-07-09"),
    ],
)
def test_a_page_is_dated_by_its_markup_or_its_dateline_never_by_its_copyright_year(tmp_path, head, top, date):
    page = tmp_path / "page.html"
    page.write_text(
        f"<html><head><title>Synthetic minerals story</title>{head}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Synthetic minerals story</h1>{top}<p>{PROSE}</p></article>"
        "<footer>Copyright 2025 Example Media. All rights reserved.</footer></body></html>"
    )
    assert extract(page).date == date


@pytest.mark.parametrize(
    "declared, encoding",
    [("iso-8859-1", "cp1252"), ("utf-16", "utf-8"), ("x-sjis", "shift_jis"), ("gb2312", "gbk")],
)
def test_declared_charsets_are_read_as_browsers_read_them(tmp_path, declared, encoding):
    sample = {
        "cp1252": "Caf\u00e9 \u2013 \u201cquoted\u201d",
        "utf-8": "Caf\u00e9",
        "shift_jis": "\u5916\u52d9\u7701",
        "gbk": "\u7ecf\u6d4e\u5b89\u5168",
    }[encoding]
    page = tmp_path / "page.html"
    page.write_bytes(
        f'<html><head><meta charset="{declared}"></head><body><main><p>{PROSE} {sample}</p></main></body></html>'.encode(
            encoding
        )
    )
    assert sample in extract(page).text


def test_a_table_inside_a_layout_table_is_read_once():
    # trafilatura's output tree, as it gives a page laid out with a table holding a data table.
    from lxml import etree

    from citeqa.corpus.html import _blocks

    tree = etree.fromstring(
        "<body><table><row><cell><head>Notes</head><table><row><cell>inner text</cell></row></table></cell>"
        "</row></table></body>"
    )
    assert [text for _, text in _blocks(tree)].count("inner text") == 1
