"""Paragraphs, titles and dates of PDFs typeset the way man pages and manuals are: paragraphs a
little over a line apart, a "NAME" section naming the page, a running footer carrying its date.

Every fixture here is SYNTHETIC: made-up text laid out by tests/pdfgen.py, no real document's.
"""

from __future__ import annotations

from pdfgen import Lowered, write_pdf

from citeqa.corpus.model import Document
from citeqa.corpus.pdf import read_pdf

# A man page's option list: each entry a tag line and a description line, entries 0.4 lines apart,
# so the gap between entries is as common as the step between a tag and its description.
OPTIONS = [
    ("-a, --all", "do not skip the hidden orrin files"),
    ("-b, --brief", "print one orrin line per file"),
    ("-c, --count", "print how many orrin files match"),
    ("-d, --depth=N", "descend at most N orrin folders"),
    ("-e, --empty", "list the empty orrin folders too"),
    ("-f, --force", "overwrite orrin files without asking"),
]


def _option_page() -> list:
    lines: list = ["NAME", "orrin - list synthetic orrin files", Lowered("DESCRIPTION")]
    for n, (tag, description) in enumerate(OPTIONS):
        lines += [Lowered(tag) if n else tag, description]
    return lines


def _two_pages(path, creator: str, created: str, **running) -> Document:
    """The option page and a second page, made by ``creator`` on ``created`` with ``running``
    header or footer, read as citeqa reads it."""
    pages = [_option_page(), ["More synthetic orrin text."]]
    return read_pdf(str(write_pdf(path, pages, creation_date=created, creator=creator, **running)))


def test_paragraphs_a_little_over_a_line_apart_are_paragraphs_of_their_own(tmp_path):
    document = read_pdf(str(write_pdf(tmp_path / "orrin.pdf", [_option_page()], footer=False)))
    paragraphs = [document.text[b.start : b.end] for b in document.blocks if b.kind == "paragraph"]
    for tag, description in OPTIONS:
        assert f"{tag} {description}" in paragraphs
    # One entry's passage is its own: a question about --count finds it, not the whole list.
    assert not any("--all" in p and "--count" in p for p in paragraphs)


def test_a_line_set_lower_in_the_middle_of_a_sentence_stays_in_its_paragraph(tmp_path):
    page = [
        "The orrin ledger records every synthetic shipment that leaves the quay and",
        Lowered("the harbour master signs it each evening before the gates close.", 5),
        "The ledger lists each shipment that left the quay that day.",
        "Its clerks copy it by hand to the archive.",
    ]
    document = read_pdf(str(write_pdf(tmp_path / "ledger.pdf", [page], footer=False)))
    assert "leaves the quay and the harbour master signs it" in document.text


def test_a_line_pushed_down_after_a_word_no_sentence_ends_in_stays_in_its_paragraph(tmp_path):
    # A tall formula pushes the next line down; that line opens with a name, not in lower case.
    page = [
        "The spread of the synthetic orrin samples is kept small, as shown by the bound of",
        Lowered("Chebyshev for every sample the harbour board measured that year.", 4),
        "The board published its figures in the spring.",
    ]
    document = read_pdf(str(write_pdf(tmp_path / "bound.pdf", [page], footer=False)))
    assert "as shown by the bound of Chebyshev for every sample" in document.text


def test_a_heading_in_display_type_wrapped_on_its_own_leading_is_one_heading(tmp_path):
    # A 16-point heading over two lines 19 points apart: 1.36 of the body's 14-point pitch, which
    # is the heading's own leading, not a gap (the same page's 14-point heading opens a section).
    survey = [
        "The synthetic harbour survey counted every berth along the quay and recorded how",
        "each one was used over the course of the year, from the first ferry in spring.",
    ]
    page = [
        ("Synthetic Harbour Report", 20),
        Lowered(survey[0], 14),
        survey[1],
        Lowered("Dredging and Maintenance of the Inner Basin and", 14, size=16),
        Lowered("the Outer Channel Approaches", 5, size=16),
        Lowered(survey[0], 8),
        survey[1],
        Lowered("Funding of the Works", 14, size=14),
        Lowered(survey[0], 8),
        survey[1],
    ]
    document = read_pdf(str(write_pdf(tmp_path / "heading.pdf", [page], footer=False)))
    headings = [document.text[b.start : b.end] for b in document.blocks if b.kind == "heading"]
    assert "Dredging and Maintenance of the Inner Basin and the Outer Channel Approaches" in headings


def test_a_man_page_is_titled_by_its_name_line_and_dated_by_its_running_footer(tmp_path):
    document = _two_pages(
        tmp_path / "orrin.pdf",
        "groff version 1.22.4",
        "D:20261127174313+00'00'",
        header="ORRIN(1) User Commands ORRIN(1)",
        footer="Orrin tools 9.1 March 2031 {n}",
    )
    assert document.title == "orrin - list synthetic orrin files"
    # Typeset the day it was printed: the footer's month is the page's date, not the print day's,
    # and the version's "9.1" is no day of it.
    assert document.date == "2031-03"


def test_a_pdf_groff_typeset_with_no_date_of_its_own_is_undated(tmp_path):
    groff = _two_pages(tmp_path / "orrin.pdf", "groff version 1.22.4", "D:20261127174313+00'00'", footer="{n}")
    assert groff.date is None
    # Another program's file keeps its /CreationDate, whatever date its running lines carry: a
    # target year, or the day a reader downloaded it.
    for running in ("Orrin Net Zero by 2050: A Roadmap", "Downloaded from orrin.example.org on 12 May 2023"):
        other = _two_pages(tmp_path / "other.pdf", "Writer", "D:20250314093000Z", header=running)
        assert other.date == "2025-03-14"
