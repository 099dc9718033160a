"""The PDF ingestor's text as a reader sees it, on synthetic PDFs written by tests/pdfgen.py: word
spaces a text layer draws as pen moves, and the date and title page 1 prints.

Every fixture here is SYNTHETIC: made-up text laid out by tests/pdfgen.py, no real document's.
"""

from __future__ import annotations

from pdfgen import PenSpaced, write_pdf

from citeqa.corpus import extract


def test_a_line_whose_word_spaces_are_pen_moves_reads_as_words_again(tmp_path):
    # Synthetic: a justified line drawn as one run of glyphs with squeezed word gaps, in a face
    # whose space is wide; pypdf alone reads it "Thissyntheticmanualdescribes...".
    lines = [
        "The synthetic archive holds the packages of the operating system.",
        PenSpaced("This synthetic manual describes the structure and contents of the archive and several"),
        PenSpaced("design issues of the operating system, as well as the rules each package must satisfy."),
        "A package that breaks them is removed from the synthetic archive.",
    ]
    doc = extract(write_pdf(tmp_path / "pen.pdf", [lines]))
    assert "contents of the archive and several design issues of the operating system, as well as the rules" in doc.text
    assert "removed from the synthetic archive." in doc.text
    assert doc.page_at(doc.text.index("several design")) == 1


def test_a_heading_and_short_words_run_together_by_pen_moves_are_spaced_but_symbols_stay(tmp_path):
    # Synthetic: a numbered heading and a line of short words drawn with pen moves for spaces,
    # and a formula whose one-letter symbols stand apart the same way.
    page = [
        (PenSpaced("6 Known bugs"), 16),
        "",
        PenSpaced("Mail me if it breaks, and say so."),
        PenSpaced("let f x be given"),
        "The synthetic package has a few known bugs, listed here for every user.",
    ]
    doc = extract(write_pdf(tmp_path / "bugs.pdf", [page]))
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert "6 Known bugs" in headings
    assert "Mail me if it breaks, and say so." in doc.text
    # One-letter symbols of a formula are no words a split may leave ("a x"): kept as read.
    assert "letfxbe given" in doc.text


def test_page_one_s_printed_date_wins_over_the_file_s_and_a_title_s_footnote_mark_goes(tmp_path):
    # Synthetic manuals: dated on page 1 below a subtitle that reads as a paragraph, or in
    # LaTeX's "2031/11/08"; the files were written years later. A table row holding a date and a
    # footnote's wrapped end are no date lines.
    body = "This synthetic manual describes the widget shell and every option it takes, in order."
    first = [("Widget Shell Manual", 20), "Edition 5.2, for Widget Version 5.2.", "September 2031", "", body]
    second = [("An Improved Widget Float†", 20), "Ada Widget", "2031/11/08", "", body, "23 Feb 2035|43.72"]
    third = [("Widget Tables", 20), "Bo Gadget", "", body, "*This note was last revised", "2036/01/12."]
    dates = []
    for n, page in enumerate((first, second, third)):
        doc = extract(write_pdf(tmp_path / f"m{n}.pdf", [page], creation_date="D:20390102120000Z"))
        dates.append(doc.date)
        assert not doc.title.endswith("†")
    assert dates == ["2031-09", "2031-11-08", "2039-01-02"]
