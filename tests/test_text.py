"""The text/Markdown ingestor on the bundled article and on small Markdown files."""

from __future__ import annotations

import codecs

import pytest
from test_cli import run
from test_news_text import LONG

from citeqa import corpus
from citeqa.corpus import chunk_document, extract
from citeqa.corpus.dates import parse_date
from citeqa.corpus.text import parse_text, read_text

ARTICLE = corpus.BUNDLED_ARTICLE


@pytest.fixture(scope="module")
def article():
    return extract(ARTICLE)


def test_front_matter_is_recognised(article):
    assert article.title.startswith("Economic security as strategic diplomacy: Analyzing the 2nd India-Japan")
    assert article.authors == ["Shreedebi Sahoo"]
    assert article.publisher == "World Journal of Advanced Research and Reviews"
    assert article.date == "2026"
    assert article.url == "https://doi.org/10.30574/wjarr.2026.30.2.1485"


def test_numbered_sections_become_section_labels(article):
    headings = [article.text[b.start : b.end] for b in article.blocks if b.kind == "heading"]
    assert headings[0] == "Abstract"
    assert "4.2. Sectoral focus and priority themes" in headings
    assert headings[-1] == "References"
    sections = {b.section for b in article.blocks if b.kind == "paragraph"}
    assert "4.2 Sectoral focus and priority themes" in sections
    assert "9 Conclusion" in sections


def test_abstract_table_and_references(article):
    kinds = [b.kind for b in article.blocks]
    assert kinds.count("abstract") == 1
    (table,) = [b for b in article.blocks if b.kind == "table"]
    assert article.text[table.start : table.end].startswith("Year\tMechanism/Policy")
    assert table.section == "6.2 Bilateral mechanisms and projects"
    assert [r.number for r in article.references] == list(range(1, 11))
    first = article.references[0]
    assert first.author == "Ministry of External Affairs"
    assert first.date == "2026-05-10"
    assert first.title == "2nd India-Japan Economic Security Dialogue"
    assert first.url.startswith("https://www.mea.gov.in/press-releases.htm?dtl/41124/")
    assert article.references[3].date is None  # "(n.d.)"


def test_paragraph_split_by_a_stray_blank_line_is_rejoined(article):
    (block,) = [b for b in article.blocks if article.text[b.start : b.end].startswith("Third, India and Japan")]
    assert article.text[block.start : block.end].endswith("clean energy transitions.[2][5]")


def test_block_offsets_are_exact_and_ordered(article):
    previous_end = 0
    for block in article.blocks:
        assert block.start >= previous_end
        assert article.text[block.start : block.end].strip() == article.text[block.start : block.end]
        previous_end = block.end


def test_text_is_the_file_itself(article):
    assert article.text == ARTICLE.read_text(encoding="utf-8")


def test_markdown_headings_lists_and_pipe_tables():
    md = (
        "# A synthetic note\n\nJane Doe\n\n## 1. Background\n\nFirst paragraph. Second sentence.\n\n"
        "- one item\n- another item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## References\n\n1. Someone. (2024). *A title*. https://example.org/x\n"
    )
    doc = parse_text(md, "note.md")
    assert doc.title == "A synthetic note"
    kinds = [(b.kind, b.section) for b in doc.blocks]
    assert ("paragraph", "1 Background") in kinds
    assert ("list", "1 Background") in kinds
    assert ("table", "1 Background") in kinds
    assert doc.references[0].url == "https://example.org/x"
    assert doc.references[0].date == "2024"


# A synthetic project README, laid out as such files often are.
README = """# [Quillkit](https://example.org/quillkit)

**Quillkit** is a synthetic library for drawing harbour charts in plain text files.

## Main features
 - Charts in under a second
 - No dependencies

## Install

```bash
# fetch the sources first

make install
```
"""


def test_a_markdown_readme_has_its_title_headings_and_code_fences():
    doc = parse_text(README, "README.md")
    assert doc.title == "Quillkit"
    blocks = [(b.kind, b.section, doc.text[b.start : b.end]) for b in doc.blocks]
    assert ("paragraph", None, README.split("\n")[2]) in blocks
    assert ("list", "Main features", " - Charts in under a second\n - No dependencies".strip()) in blocks
    # The fence is one block, blank line and all, and its "#" line is a comment, not a heading.
    fence = next(text for kind, section, text in blocks if text.startswith("```"))
    assert fence.endswith("```") and "make install" in fence
    assert [section for kind, section, _ in blocks if kind == "heading"] == ["Main features", "Install"]


def test_underlined_markdown_titles_and_headings_are_read_as_such():
    text = (
        "Quillkit\n========\n\nA synthetic charting library, written for this test, that draws in under a second.\n\n"
        "Install\n-------\n\nRun make install in the folder.\n"
    )
    doc = parse_text(text, "README.md")
    assert doc.title == "Quillkit"
    headings = [(doc.text[b.start : b.end], b.section) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("Install\n-------", "Install")]
    # In plain text, a title underlined with "=" is still the title; a line over dashes is a
    # table's rule, not a heading.
    assert parse_text(f"Synthetic Dredging Review\n=====================\n\n{LONG}.\n", "r.txt").title == (
        "Synthetic Dredging Review"
    )
    plain = parse_text(f"Synthetic tallies\n\n{LONG}.\n\nTotal 42\n--------\n\n{LONG}.\n", "tallies.txt")
    assert not any(b.kind == "heading" for b in plain.blocks)
    assert [b.section for b in doc.blocks if doc.text[b.start : b.end].startswith("Run make")] == ["Install"]


def test_a_markdown_heading_s_section_is_its_text_as_read():
    text = "# Quillkit\n\n## What it _does_\n\nIt draws synthetic charts for this test.\n\n## The `__init__` hook\n\nIt runs first.\n"
    doc = parse_text(text, "README.md")
    assert [b.section for b in doc.blocks if b.kind == "heading"] == ["What it does", "The __init__ hook"]


def test_chunks_cover_the_article_within_limits(article):
    chunks = chunk_document(article, "sahoo")
    assert all(len(c.text) <= 1200 for c in chunks)
    assert all(article.text[c.start : c.end] == c.text for c in chunks)
    # Every paragraph's text is in some chunk, and no chunk mixes sections.
    covered = "".join(c.text for c in chunks)
    for block in article.blocks:
        if block.kind == "paragraph":
            assert article.text[block.start : block.start + 60] in covered
    for chunk in chunks:
        inside = [b for b in article.blocks if b.start < chunk.end and b.end > chunk.start]
        assert len({b.section for b in inside}) == 1


@pytest.mark.parametrize(
    "given, parsed",
    [
        ("2030-11", "2030-11"),
        ("2030-13", None),
        ("2030-11-05", "2030-11-05"),
        ("2025-02-30", None),
        ("2024-02-29", "2024-02-29"),
        ("31 April 2026", None),
    ],
)
def test_a_month_given_as_iso_text_is_a_date_and_a_day_must_exist(given, parsed):
    assert parse_date(given) == parsed


def test_add_takes_a_month_as_the_date(home, tmp_path):
    note = tmp_path / "monthly.md"
    note.write_text("# Synthetic monthly note\n\nA synthetic note about harbour tides in November.\n")
    assert run(home, "add", str(note), "--date", "2030-11").exit_code == 0
    assert run(home, "add", str(note), "--date", "2030-13").exit_code == 2


@pytest.mark.parametrize(
    "encoding, mark",
    [("utf-16", b""), ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-32", b""), ("utf-32-be", codecs.BOM_UTF32_BE)],
)
def test_utf16_and_utf32_text_with_its_byte_order_mark_is_read(tmp_path, encoding, mark):
    path = tmp_path / "unicode.txt"
    body = "Synthetic memo on the Kōbe pier\n\nThe pier was rebuilt in 2031 with 40 new cranes.\n"
    path.write_bytes(mark + body.encode(encoding))
    doc = read_text(str(path))
    assert doc.title == "Synthetic memo on the Kōbe pier" and "40 new cranes" in doc.text


def test_section_headings_with_a_year_stay_headings_and_fences_close_on_their_own_mark():
    md = "# Synthetic outlook\n\n4 Outlook for 2026\n\n~~~\nx = 1\n```\ny = 2\n~~~\nAfter the fence comes prose.\n"
    doc = parse_text(md, "x.md")
    blocks = [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]
    assert ("heading", "4 Outlook for 2026") in blocks
    assert any(text == "~~~\nx = 1\n```\ny = 2\n~~~" for _, text in blocks)
    assert blocks[-1][1] == "After the fence comes prose."


def test_a_slashed_date_is_a_day_of_a_month_and_not_a_path_or_seasons():
    assert parse_date("Printed 2031/11/08") == "2031-11-08"
    assert parse_date("Seasons 2030/31/32, then 2033") == "2030"
    # A web address's path is no day: only its year reads as one, as any bare year does.
    assert parse_date("See https://example.org/2030/05/10/story") == "2030"


def test_wrapped_prose_with_one_long_url_line_keeps_its_first_line():
    url = "https://example.org/" + "a" * 130
    text = f"Officials from the harbour board met on Tuesday and agreed that the\nplan should go ahead, see\n{url}\nfor the full plan and its maps.\n"
    assert parse_text(text, "x.txt").blocks[0].end > text.index(url)


def test_unpunctuated_speech_is_text_not_its_title(tmp_path):
    # Automatic captions saved as one line with no full stop: the whole text had been read as the
    # title, which every citation printed.
    words = "so we went down to the harbour and the ferry was late again and nobody told us why".split()
    line = " ".join(words[i % len(words)] for i in range(200))
    path = tmp_path / "ferry-captions.txt"
    path.write_text(line + "\n", encoding="utf-8")
    doc = extract(path)
    assert doc.title == "ferry captions"
    assert [b.kind for b in doc.blocks] == ["paragraph"]
    assert "nobody told us why" in chunk_document(doc, "ferry-captions")[0].text


def test_a_line_too_long_for_a_headline_is_no_title(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(("Harbour Ferry Timetable Notes " * 12).strip() + "\n\nThe ferry runs hourly.\n", encoding="utf-8")
    assert extract(path).title == "notes"


def test_a_windows_1252_text_is_read_and_one_in_another_legacy_encoding_refused(tmp_path):
    # Saved by an older editor or a spreadsheet: Latin-1 and Windows-1252 notes had been refused.
    legacy = tmp_path / "cafe.txt"
    legacy.write_bytes("Synthetic Café Notes\n\nThe café said “open” – from 9 June 2031.\n".encode("cp1252"))
    doc = extract(legacy)
    assert doc.title == "Synthetic Café Notes" and "The café said “open” – from 9 June 2031." in doc.text
    # Read as Windows-1252, other legacy encodings and damaged UTF-8 would be garbled: refused.
    for name, raw in [
        ("koi8.txt", "Синтетическая заметка о гавани.\n".encode("koi8-r")),
        ("cp1250.txt", "Prom w Gdańsku odpływa rano.\n".encode("cp1250")),
        ("cp1254.txt", "Feribot altında gişeden.\n".encode("cp1254")),
        ("damaged.txt", "The council’s café opens.\n".encode() + b"\xff"),
    ]:
        (tmp_path / name).write_bytes(raw)
        with pytest.raises(corpus.ExtractionError, match="not UTF-8 text"):
            extract(tmp_path / name)
