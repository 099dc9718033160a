"""The PDF ingestor on synthetic PDFs written by tests/pdfgen.py: cleaning, pages, metadata, errors."""

from __future__ import annotations

import io

import pytest
from pdfgen import SUBJECT, pdf_bytes, write_encrypted_pdf, write_pdf
from pypdf import PdfReader

from citeqa.corpus import ExtractionError, chunk_document, extract

HEADER = "Exampleland Institute Working Paper"

# A three-page synthetic report. Blank strings are paragraph gaps.
REPORT = [
    [
        "Trade Corridors and Resilience",
        "",
        "This synthetic paper studies how small economies protect their supply chains against",
        "shocks. It is a test fixture and describes no real place.",
        "",
        "1. Introduction",
        "The eco-",
        "nomic case for diversification is simple: concentration creates risk. The India-",
        "Japan partnership serves as an imagined example of cooperation that continues",
        "across the page break and keeps going",
    ],
    [
        "into the second page, where the sentence finally ends.",
        "",
        "Ports in Exampleland handle most of the trade volume in the region.",
        "",
        "2. Policy Options",
        "Three options are considered below:",
        "• diversify suppliers across regions",
        "• build strategic reserves",
        "• share early warnings",
        "",
        "Each option carries costs that the paper weighs in turn, and the analysis",
    ],
    [
        "shows that reserves are the cheapest in the short run.",
        "",
        "CONCLUSION",
        "Small steps matter.",
    ],
]


@pytest.fixture
def report(tmp_path):
    path = write_pdf(
        tmp_path / "report.pdf",
        REPORT,
        title="Trade Corridors and Resilience",
        author="Jane Placeholder; John Example",
        creation_date="D:20240105093000Z",
        header=HEADER,
    )
    return extract(path)


def test_pdfgen_pages_extract_in_order():
    reader = PdfReader(
        io.BytesIO(pdf_bytes([["first (line) \\ here", "second line"], ["other page"]], header="Top", footer=True))
    )
    assert reader.metadata["/Subject"] == SUBJECT
    assert reader.pages[0].extract_text().split("\n") == ["Top", "first (line) \\ here", "second line", "Page 1 of 2"]
    assert reader.pages[1].extract_text().split("\n") == ["Top", "other page", "Page 2 of 2"]


def test_running_header_and_footer_removed(report):
    assert HEADER not in report.text
    assert "Page " not in report.text
    assert report.kind == "pdf"


def test_dehyphenation_keeps_real_hyphens(report):
    assert "The economic case" in report.text
    assert "eco-" not in report.text
    assert "India-Japan partnership" in report.text


def test_wrapped_lines_unwrapped_and_paragraphs_kept(report):
    assert "against shocks. It is" in report.text
    assert "sentence finally ends.\n\nPorts in Exampleland" in report.text


def test_a_short_line_ending_in_a_quotation_and_its_citation_ends_the_paragraph(tmp_path):
    lines = [
        "The first line of this synthetic paragraph is long enough to set the width of the text",
        'and its envoy said "trade must stay open."[3]',
        "Ports in Exampleland reopened in the spring of that year, the second paragraph says.",
    ]
    doc = extract(write_pdf(tmp_path / "quoted.pdf", [lines]))
    assert 'stay open."[3]\n\nPorts in Exampleland' in doc.text


def test_pages_map_offsets_to_physical_pages(report):
    assert [number for number, _ in report.pages] == [1, 2, 3]
    assert report.page_at(report.text.index("Ports in Exampleland")) == 2
    assert report.page_at(report.text.index("The economic case")) == 1
    assert report.page_at(report.text.index("into the second page")) == 2
    assert report.page_at(report.text.index("shows that reserves")) == 3
    assert report.page_at(report.text.index("Small steps")) == 3


def test_paragraph_across_page_break_is_one_block(report):
    start = report.text.index("The economic case")
    block = next(b for b in report.blocks if b.start == start)
    assert report.text[block.start : block.end].endswith("where the sentence finally ends.")
    assert "keeps going into the second page" in report.text


def test_blocks_and_sections(report):
    kinds = {report.text[b.start : b.end]: (b.kind, b.section) for b in report.blocks}
    assert kinds["1. Introduction"] == ("heading", "1 Introduction")
    assert kinds["2. Policy Options"] == ("heading", "2 Policy Options")
    assert kinds["CONCLUSION"] == ("heading", "CONCLUSION")
    assert kinds["• diversify suppliers across regions\n• build strategic reserves\n• share early warnings"] == (
        "list",
        "2 Policy Options",
    )
    assert kinds["Small steps matter."] == ("paragraph", "CONCLUSION")
    assert kinds["Trade Corridors and Resilience"][0] == "title"


def test_chunks_carry_offsets_and_pages(report):
    chunks = chunk_document(report, "report")
    for chunk in chunks:
        assert report.text[chunk.start : chunk.end] == chunk.text
    crossing = next(c for c in chunks if "into the second page" in c.text)
    assert (crossing.page_start, crossing.page_end, crossing.section) == (1, 2, "1 Introduction")
    later = next(c for c in chunks if "Each option carries costs" in c.text)
    assert (later.page_start, later.page_end) == (2, 3)
    listed = next(c for c in chunks if c.kind == "list")
    assert (listed.page_start, listed.page_end) == (2, 2)


def test_metadata_from_info(report):
    assert report.title == "Trade Corridors and Resilience"
    assert report.authors == ["Jane Placeholder", "John Example"]
    assert report.date == "2024-01-05"
    assert report.publisher is None and report.url is None


def test_visible_date_line_wins_and_title_falls_back(tmp_path):
    pages = [
        [
            "Reserve Planning for Small Ports",
            "Published 14 March 2025",
            "",
            "A short synthetic note with one paragraph of text.",
        ]
    ]
    doc = extract(
        write_pdf(tmp_path / "note.pdf", pages, title="Microsoft Word - draft3.docx", creation_date="D:20240105")
    )
    assert doc.date == "2025-03-14"
    assert doc.title == "Reserve Planning for Small Ports"
    assert doc.text.startswith("Reserve Planning for Small Ports")


def _error(path) -> str:
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_plain_text_named_pdf(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("just some text, not a PDF\n")
    assert "not a PDF file" in _error(fake)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:20] + bytes(range(256)) * 8,
    ],
)
def test_truncated_or_garbled_pdf(tmp_path, damage):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(damage(pdf_bytes(REPORT, header=HEADER)))
    assert "malformed PDF: " in _error(broken)


def test_encrypted_pdf(tmp_path):
    locked = write_encrypted_pdf(tmp_path / "locked.pdf", [["secret synthetic text"]])
    assert "encrypted PDF (password required)" in _error(locked)


def test_pdf_without_text_layer(tmp_path):
    blank = write_pdf(tmp_path / "scan.pdf", [[], []], footer=False)
    assert "no text layer (scanned PDF? run OCR first)" in _error(blank)


def test_pdf_without_pages(tmp_path):
    assert "PDF has no pages" in _error(write_pdf(tmp_path / "none.pdf", []))


def test_repairable_pdf_reads_quietly(tmp_path, capsys, caplog):
    # A wrong startxref pointer makes pypdf log a warning while it rebuilds the xref table.
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(pdf_bytes(REPORT, header=HEADER).replace(b"startxref\n", b"startxref\n9"))
    doc = extract(damaged)
    assert "Small steps matter." in doc.text
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("footer", ["- {n} -", "{n}", "{n}/{total}"])
def test_page_number_styles_removed(tmp_path, footer):
    pages = [["A first synthetic page of plain prose."], ["A second synthetic page of plain prose."]]
    doc = extract(write_pdf(tmp_path / "numbered.pdf", pages, footer=footer))
    assert doc.text == "A first synthetic page of plain prose.\n\nA second synthetic page of plain prose."
    assert doc.page_at(doc.text.index("second")) == 2


@pytest.mark.parametrize("rotate", [90, 180, 270, [0, 90, 270]])
def test_rotated_pages_read_like_upright_ones(tmp_path, rotate):
    upright = extract(write_pdf(tmp_path / "upright.pdf", REPORT, header=HEADER))
    turned = extract(write_pdf(tmp_path / "turned.pdf", REPORT, header=HEADER, rotate=rotate))
    assert turned.text == upright.text
    assert turned.pages == upright.pages and turned.blocks == upright.blocks
    assert turned.page_at(turned.text.index("Ports in Exampleland")) == 2


@pytest.mark.parametrize(
    "pages, furniture",
    [
        ([[]] * 6, {}),  # nothing but "Page N of 6" on each page
        ([[]] * 6, {"header": "Scanned with ExampleScan", "footer": False}),
        ([["\x01\x02\x7f"]] * 3, {"footer": False}),  # glyphs with no Unicode mapping
    ],
)
def test_multi_page_pdf_without_body_text_says_so(tmp_path, pages, furniture):
    scan = write_pdf(tmp_path / "scan.pdf", pages, **furniture)
    assert "no text layer (scanned PDF? run OCR first)" in _error(scan)


def test_control_characters_stripped_from_metadata_and_text(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Plain synthetic prose.\x07"]]))))
    writer.add_metadata({"/Title": "Reserve Planning\x00 for Ports\x1f", "/Author": "Jane\x00 Placeholder"})
    path = tmp_path / "controls.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    doc = extract(path)
    assert doc.title == "Reserve Planning for Ports"
    assert doc.authors == ["Jane Placeholder"]
    assert "Plain synthetic prose." in doc.text and "\x07" not in doc.text


def test_ligatures_are_expanded_and_words_broken_after_one_rejoined(tmp_path):
    # Synthetic: typeset ligature glyphs (U+FB00-FB04), one of them just before a line-end hyphen.
    lines = [
        "The \ufb01rst synthetic draft of this fixture paragraph was long enough for several modi\ufb01-",
        "cations to the \ufb02ow of goods, with e\ufb00ects on o\ufb03ces and ba\ufb04ing delays.",
    ]
    doc = extract(write_pdf(tmp_path / "ligatures.pdf", [lines]))
    assert "The first synthetic draft" in doc.text
    assert "several modifications to the flow of goods, with effects on offices and baffling delays." in doc.text
    assert not any(0xFB00 <= ord(c) <= 0xFB06 for c in doc.text)
    chunks = chunk_document(doc, "ligatures")
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)


def test_a_heading_at_the_top_of_a_page_starts_its_own_section(tmp_path):
    # Synthetic: page 1 ends inside a list and page 2 opens with a numbered heading; page 2's last
    # sentence runs on to page 3, whose first line looks like a Title Case heading but is set in
    # body type, so it must still join its paragraph; page 4 opens with a heading in display type
    # after a line that ends no sentence.
    pages = [
        [
            "1 Introduction",
            "The synthetic parser described here is case sensitive, and its comments begin with dashes.",
            "The supported types are listed below:",
            "- INTEGER",
            "- OCTET STRING",
        ],
        [
            "2 Naming",
            "Elements of structured types left unnamed by a definition receive generated names, and the",
        ],
        [
            "Exampleland Registry Office",
            "keeps them stable across versions of the same synthetic module, as its index shows.",
            "Index of generated names, with the page of each name in this synthetic manual . . . . . 7",
        ],
        [("3 Versions", 16), "A synthetic module changes its version whenever one of its types changes."],
    ]
    doc = extract(write_pdf(tmp_path / "top.pdf", pages, header=HEADER))
    kinds = {doc.text[b.start : b.end]: (b.kind, b.section) for b in doc.blocks}
    assert kinds["- INTEGER\n- OCTET STRING"] == ("list", "1 Introduction")
    assert kinds["2 Naming"] == ("heading", "2 Naming")
    paragraph = next(text for text in kinds if text.startswith("Elements of"))
    assert "names, and the Exampleland Registry Office keeps them stable" in paragraph
    assert kinds[paragraph] == ("paragraph", "2 Naming")
    assert doc.page_at(doc.text.index("2 Naming")) == 2
    assert kinds["3 Versions"] == ("heading", "3 Versions")
    assert doc.page_at(doc.text.index("3 Versions")) == 4


def test_a_title_repeated_as_the_running_header_stays_on_page_one(tmp_path):
    # Synthetic: the title opens page 1 in display type and heads pages 2 and 3 in body type, as
    # LaTeX's running heads do; the Info dictionary has no title.
    title = "Synthetic Port Handbook"
    body = "This synthetic page describes an imagined harbour and the rules its pilots follow."
    pages = [[(title, 22), "Jane Placeholder", "", body], [title, body], [title, body]]
    doc = extract(write_pdf(tmp_path / "handbook.pdf", pages, footer="{n}"))
    assert doc.title == title
    assert doc.text.startswith(title) and doc.text.count(title) == 1
    assert doc.blocks[0].kind == "title"


def test_lines_that_number_chapters_or_figures_are_not_running_heads(tmp_path):
    # Synthetic: every page opens a chapter ("Chapter N", in display type) and ends with a figure
    # caption ("Figure N") above its page number, so both change with the page like a folio does.
    pages = [
        [(f"Chapter {n}", 18), (f"Harbour Rule {n}", 16), "A synthetic rule for pilots.", "", f"Figure {n}"]
        for n in range(1, 5)
    ]
    doc = extract(write_pdf(tmp_path / "chapters.pdf", pages, footer="{n}"))
    for n in range(1, 5):
        assert f"Chapter {n}" in doc.text and f"Figure {n}" in doc.text
        assert doc.page_at(doc.text.index(f"Figure {n}")) == n
    assert not any(doc.text[b.start : b.end].isdigit() for b in doc.blocks)


@pytest.mark.parametrize("footer", ["Synthetic Manual, Part 2: Setup {n}", "{n} | Synthetic Manual 2026"])
def test_a_running_line_with_the_page_number_in_it_is_removed(tmp_path, footer):
    # Synthetic: a footer that carries the page number inside other text, no folio of its own.
    pages = [[f"Synthetic prose on the {nth} page of the manual."] for nth in ("first", "second", "third")]
    doc = extract(write_pdf(tmp_path / "manual.pdf", pages, footer=footer))
    assert "Synthetic Manual" not in doc.text
    assert doc.page_at(doc.text.index("third page")) == 3


def test_a_chapter_running_head_over_some_of_the_pages_is_removed(tmp_path):
    # Synthetic: pages 1-4 carry "Chapter 1: Setup" as their head, pages 5-7 "Chapter 2: Use",
    # with a folio at the foot of each.
    pages = [
        [("Chapter 1: Setup" if n <= 4 else "Chapter 2: Use"), f"Synthetic prose on page {n}."] for n in range(1, 8)
    ]
    doc = extract(write_pdf(tmp_path / "guide.pdf", pages, footer="{n}"))
    assert "Chapter 1: Setup" not in doc.text and "Chapter 2: Use" not in doc.text
    assert doc.page_at(doc.text.index("page 6.")) == 6


def test_a_creation_date_that_does_not_exist_is_no_date(tmp_path):
    # Synthetic: a producer wrote 30 February.
    doc = extract(write_pdf(tmp_path / "odd.pdf", [["Synthetic prose about a harbour."]], creation_date="D:20240230"))
    assert doc.date is None


def test_page_labels_are_read_where_they_differ_from_the_page_count(tmp_path):
    pages = [["Synthetic front page"], ["A synthetic foreword line."], ["The synthetic body begins here."]]
    # No footer: a printed "Page 3 of 3" would contradict the labels, and printed numbers win.
    path = write_pdf(tmp_path / "labelled.pdf", pages, labels=[(0, "r"), (2, "D")], footer=False)
    assert extract(path).page_labels == {1: "i", 2: "ii", 3: "1"}
    # Labels that only repeat the count say nothing: none are kept.
    plain = write_pdf(tmp_path / "plain.pdf", pages, labels=[(0, "D")], footer=False)
    assert extract(plain).page_labels == {}


def test_an_authoring_program_s_account_is_no_author(tmp_path):
    from pypdf import PdfWriter

    for given, authors in [
        ("Microsoft Office User", []),
        ("jdoe", []),
        ("Jane Placeholder; Owner", ["Jane Placeholder"]),
    ]:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Plain synthetic prose."]]))))
        writer.add_metadata({"/Author": given})
        path = tmp_path / "account.pdf"
        with path.open("wb") as handle:
            writer.write(handle)
        assert extract(path).authors == authors
