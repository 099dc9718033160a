"""A PDF's text as a reader reads it: hyphens as typed, banners over every page gone. The PDFs
are synthetic, written by ``pdfgen`` for these tests."""

from __future__ import annotations

from pdfgen import write_pdf

from citeqa.corpus import extract
from citeqa.corpus.chunking import chunk_document
from citeqa.corpus.pdfheadings import printed_page
from citeqa.corpus.pdflines import clean_text
from citeqa.corpus.pdfspaces import _respace_page


def test_typeset_and_soft_hyphens_read_as_a_reader_types_them():
    # U+2010 is a hyphen; a soft hyphen (U+00AD) is no character of the text.
    assert clean_text("two\u2010stroke syn\u00adthetic") == "two-stroke synthetic"
    # pypdf reads a space where an invisible soft hyphen was; PDFium reads the word whole.
    lines = [("The panel is invest igating the synthetic case.", None), ("A man kind of laughed.", None)]
    reference = "The panel is investigating the synthetic case.\nA man kind of laughed. All mankind."
    assert [text for text, _ in _respace_page(lines, reference, set())] == [
        "The panel is investigating the synthetic case.",
        "A man kind of laughed.",
    ]


def test_a_kerned_pair_pypdf_reads_apart_is_one_word_where_the_file_writes_it_whole():
    # Synthetic: groff kerns "an" and "y"; pypdf reads a space there, PDFium the word whole. In a
    # groff file a small word joins only into one pypdf reads whole elsewhere in it ("any",
    # "WORD"), not into PDFium's run-together "ofthe".
    lines = [("Is an y orrin ledger kept? Keep any ledger.", None), ("Print W ORD, run of the mill.", None)]
    reference = "Is any orrin ledger kept? Keep any ledger.\nPrint WORD, run ofthe mill."
    own = {"Is", "an", "y", "any", "orrin", "ledger", "kept", "Keep", "Print", "W", "ORD", "WORD", "run", "of", "the"}
    assert [text for text, _ in _respace_page(lines, reference, own)] == [
        "Is any orrin ledger kept? Keep any ledger.",
        "Print WORD, run of the mill.",
    ]
    # Without the word whole anywhere in the file, the pair stays apart; and in a file groff did
    # not make (no words given), where PDFium runs real pairs together, so does "may be".
    assert _respace_page(lines[:1], reference, own - {"any"})[0][0].startswith("Is an y orrin")
    assert _respace_page(lines[:1], reference, set())[0][0].startswith("Is an y orrin")
    assert _respace_page([("The ferry may be late.", None)], "The ferry maybe late.", set())[0][0] == (
        "The ferry may be late."
    )


def test_a_banner_drawn_over_every_page_is_dropped_and_the_sentence_it_cut_is_whole(tmp_path):
    # Synthetic printed web page: a cookie notice over each of four pages; on page 2 it stands
    # between the two halves of a sentence broken at the page's end.
    banner = "We use cookies and other tracking technologies on this synthetic site."
    twice = "The synthetic valley farmers drew water from wells for many years."
    pages = [
        ["Page one opens the synthetic report on the valley.", banner, twice, "Many of the farmers in"],
        [banner, "Orrin belong to a small synthetic cooperative of growers.", "Page two goes on."],
        ["Page three reports the synthetic harvest.", banner, twice],
        ["Page four ends the synthetic report.", "It closes with thanks.", banner],
    ]
    doc = extract(write_pdf(tmp_path / "banner.pdf", pages))
    assert "cookies" not in doc.text
    assert "Many of the farmers in Orrin belong to a small synthetic cooperative of growers." in doc.text
    # A long line found on half the pages, not most, is the text's own.
    assert doc.text.count("drew water from wells") == 2


def test_a_web_page_saved_as_pdf_by_a_browser_is_titled_and_dated_as_the_page_is():
    # A browser's print: /Title is the page's <title> with the site's name, /CreationDate the day
    # it was printed; the page's own date line dates it.
    browser = {"/Creator": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/150.0.0.0 Safari/537.36"}
    text = "Synthetic News\n\nUpdated 3 May 2030\n\nThe Orrin ferry returns to the island."
    assert printed_page(browser, "Orrin ferry returns | Quay Review", "2031-01-01", text) == (
        "Orrin ferry returns",
        "Quay Review",
        "2030-05-03",
    )
    # Another PDF's title and date are its own.
    assert printed_page({"/Creator": "Writer"}, "Orrin ferry returns | Quay Review", "2031-01-01", text) == (
        "Orrin ferry returns | Quay Review",
        None,
        "2031-01-01",
    )


def test_a_title_in_body_type_is_looked_for_near_the_top_only(tmp_path):
    # Synthetic deals page in body type with no /Title: a short Title Case fragment far down page
    # 1 ("Also At Orrin Market") reads like a heading, but titles nothing.
    sentences = [f"Deal {n} of the synthetic list costs less this week than it did before." for n in range(8)]
    doc = extract(write_pdf(tmp_path / "deals.pdf", [[*sentences, "Also At Orrin Market", *sentences]]))
    assert doc.title is None


def test_an_interview_s_answer_label_and_a_lone_glyph_head_no_section(tmp_path):
    # Synthetic interview in body type: "A: Lebron Quill" answers, "X" is a close button's glyph;
    # "Season Review" is the one heading.
    page = [
        "Interview with the synthetic coach about the season.",
        "",
        "Season Review",
        "We asked the synthetic coach about the whole season and the year ahead of it.",
        "",
        "Q: Who is the best player you coached?",
        "A: Lebron Quill",
        "",
        "X",
        "He said the team played well all year long and would again.",
    ]
    doc = extract(write_pdf(tmp_path / "interview.pdf", [page]))
    assert {b.section for b in doc.blocks} - {None} == {"Season Review"}


def test_a_soft_hyphen_ending_a_line_breaks_a_word_and_a_typed_dash_there_stays(tmp_path):
    # Synthetic: a soft hyphen (U+00AD) shows at a line end as the word's break; " -" is a dash.
    lines = [
        "The synthetic panel is invest\u00ad",
        "igating the case. The air in Orrin is very toxic -",
        "experts say so.",
    ]
    doc = extract(write_pdf(tmp_path / "soft.pdf", [lines]))
    assert "is investigating the case" in doc.text
    assert "very toxic - experts say so" in doc.text


def test_a_printed_web_page_s_buttons_and_share_bars_are_no_text_and_no_heading(tmp_path):
    # Synthetic browser print: a cookie notice's button, a share bar and a sign-up prompt stand as
    # lines of their own; the button headed every passage as its section.
    page = [
        "We use synthetic cookies to run the Quay Review site.",
        "I Accept",
        "",
        "Orrin ferry returns to the quay",
        "",
        "Share",
        "Sign Up",
        "The synthetic Orrin ferry resumed its crossings on 3 May 2031 after a winter of repairs.",
        "Its owners said the timetable would follow in June, and that fares would rise a little",
        "more.",
    ]
    chrome = "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/150.0.0.0 Safari/537.36"
    printed = extract(write_pdf(tmp_path / "printed.pdf", [page], creator=chrome, footer=False))
    lines = printed.text.splitlines()
    assert "I Accept" not in lines and "Share" not in lines and "Sign Up" not in lines
    assert all(chunk.section != "I Accept" for chunk in chunk_document(printed, "printed"))
    assert "resumed its crossings on 3 May 2031" in printed.text
    # A paragraph's last word wrapped alone is no menu's "More".
    assert "fares would rise a little more." in printed.text
    # In a PDF made by any other program, a line "Share" is the text's own.
    other = extract(write_pdf(tmp_path / "report.pdf", [page], creator="Writer", footer=False))
    assert "Share" in other.text.splitlines()
