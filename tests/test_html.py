"""HTML ingestor on synthetic fixture pages (tests/fixtures/html, each marked SYNTHETIC TEST FIXTURE)
modelled on ministry, news, think-tank and table-layout pages: body kept, furniture dropped,
metadata found, encodings decoded, bad files refused with a one-line reason."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus import ExtractionError, chunk_document, extract
from test_cli import run

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
        assert doc.text[chunk.start:chunk.end] == chunk.text
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


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not an HTML file (looks like a PDF)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not HTML"),
        (b"<html><head><title>Only a title</title></head><body>  </body></html>", "no readable text found in the page"),
        (b"<html><body><nav><a href='/'>Home</a> <a href='/x'>Menu</a></nav></body></html>", "no readable text found in the page"),
    ],
)
def test_bad_html_is_refused_with_a_reason(tmp_path, content, reason):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    with pytest.raises(ExtractionError) as caught:
        extract(page)
    assert str(caught.value) == f"{page}: {reason}"


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
