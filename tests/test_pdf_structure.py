"""The PDF ingestor's reading of structure on synthetic PDFs written by tests/pdfgen.py: compound
words wrapped at their hyphen, headings told by type, titles and page numbers.

Every fixture here is SYNTHETIC: made-up text laid out by tests/pdfgen.py, no real document's.
"""

from __future__ import annotations

from pdfgen import write_pdf

from citeqa.corpus import chunk_document, extract
from citeqa.corpus.hyphens import compound_test


def test_a_compound_wrapped_at_its_hyphen_keeps_it_and_a_broken_word_is_joined(tmp_path):
    # Synthetic prose: "kernel-" + "based" and "data-" + "driven" wrap at a compound's hyphen,
    # "implemen-" + "tation" breaks a word. The document writes "data-driven" within a line, and
    # "kernel" and "based" on their own, but never "kernelbased".
    lines = [
        "A data-driven method is one option. The kernel of the synthetic estimator is simple,",
        "and the rule is based on it. We propose a new kernel-",
        "based estimator whose implemen-",
        "tation is fully data-",
        "driven and fast.",
    ]
    doc = extract(write_pdf(tmp_path / "compounds.pdf", [lines]))
    assert "a new kernel-based estimator whose implementation is fully data-driven and fast." in doc.text


def test_a_closed_compound_of_function_words_broken_at_a_line_end_is_joined(tmp_path):
    # Synthetic prose that uses "with", "out", "some" and "thing" on their own elsewhere.
    lines = [
        "The thing we went out with is some help. It runs with-",
        "out a pause and does some-",
        "thing useful for every synthetic user.",
    ]
    doc = extract(write_pdf(tmp_path / "closed.pdf", [lines]))
    assert "It runs without a pause and does something useful" in doc.text


def test_headings_are_told_by_their_type_where_the_document_sets_them_apart(tmp_path):
    # Synthetic: headings in 14 pt over 11 pt body text; a figure legend, a table header and a
    # label in body type read like headings but are not; one heading starts lowercase and one
    # wraps onto a second line.
    page = [
        ("1. Introduction", 14),
        "The synthetic estimator is introduced here in plain words.",
        "",
        "Tukey Hanning",
        "This paragraph follows a figure legend and still belongs to the introduction.",
        "",
        "NAME RED GREEN BLUE",
        "white 255 255 255",
        "",
        ("2.1 strucchange: fluctuation tests", 14),
        "The second section of the synthetic fixture.",
        "",
        ("3. Testing structural changes in the presence", 14),
        ("of autocorrelation", 14),
        "The third section of the synthetic fixture.",
    ]
    doc = extract(write_pdf(tmp_path / "typed.pdf", [page]))
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert headings == [
        "1. Introduction",
        "2.1 strucchange: fluctuation tests",
        "3. Testing structural changes in the presence of autocorrelation",
    ]

    def section(words: str) -> str | None:
        return next(b.section for b in doc.blocks if words in doc.text[b.start : b.end])

    assert section("This paragraph follows") == "1 Introduction"
    assert section("The third section") == "3 Testing structural changes in the presence of autocorrelation"


def test_the_title_is_the_largest_type_on_page_one_and_a_watermark_is_dropped(tmp_path):
    # Synthetic: a "DRAFT" watermark in huge type on every page, an author's name in Title Case
    # above a two-line title in the largest type that does not read as Title Case, no /Title.
    pages = [
        [("DRAFT", 60), ("Jane Placeholder", 12), "", ("A guide to the synthetic", 20), "", ("fixture builder", 20)]
        + ["", "The body text of the first page of this synthetic fixture."],
        [("DRAFT", 60), "The body text of the second page of this synthetic fixture."],
        [("DRAFT", 60), "The body text of the third page of this synthetic fixture."],
    ]
    doc = extract(write_pdf(tmp_path / "draft.pdf", pages))
    assert doc.title == "A guide to the synthetic fixture builder"
    assert "DRAFT" not in doc.text
    assert not any(b.kind == "heading" and "synthetic" in doc.text[b.start : b.end] for b in doc.blocks)


def test_page_numbers_printed_in_the_running_foot_win_over_page_labels_that_disagree(tmp_path):
    # Synthetic: a cover, then pages whose running foot prints their count from the page after
    # the cover ("Synthetic Manual 3 / 5" on page 4); page 5 opens a chapter and prints none. The
    # producer started the labels' count at the cover, and at 5, so they say page 4 is "8".
    places = ("harbour", "mill", "bridge", "chapel", "market", "tower")
    pages = [[f"Synthetic body text about an imaginary {place} and its keepers."] for place in places]
    for n in (2, 3, 4, 6):
        pages[n - 1] += ["", f"Synthetic Manual {n - 1} / 5"]
    doc = extract(write_pdf(tmp_path / "feet.pdf", pages, labels=[(0, "D", 5)], footer=False))
    # The printed count, the chapter's page too; the cover's label counted the disproved way.
    assert doc.page_labels == {2: "1", 3: "2", 4: "3", 5: "4", 6: "5"}
    assert "Synthetic Manual" not in doc.text
    # With no number printed on any page, the labels stand.
    bare = extract(write_pdf(tmp_path / "bare.pdf", [page[:1] for page in pages], labels=[(0, "D", 5)], footer=False))
    assert bare.page_labels == {n: str(n + 4) for n in range(1, 7)}


def test_a_scanned_excerpt_that_skips_a_page_cites_the_numbers_its_running_heads_print(tmp_path):
    # Synthetic: six scanned pages of a book, numbered 49, 50, then 52 to 55 (page 51 was not
    # scanned), the number opening or closing a running head that varies between pages.
    numbers = (49, 50, 52, 53, 54, 55)
    places = ("harbour", "mill", "bridge", "chapel", "market", "tower")
    pages = [
        [f"SYNTHETIC CHRONICLE. {n}" if n % 2 else f"{n} SYNTHETIC CHRONICLE.", "", f"Made-up prose about a {place}."]
        for n, place in zip(numbers, places, strict=True)
    ]
    doc = extract(write_pdf(tmp_path / "excerpt.pdf", pages, footer=False))
    assert doc.page_labels == {page: str(n) for page, n in enumerate(numbers, 1)}


def test_a_running_foot_naming_its_section_and_page_is_removed_and_heads_no_section(tmp_path):
    # Synthetic: each page's foot names the section it ends in and the page ("1.1. Pilots 2"),
    # as Sphinx's PDFs do on odd pages; the headings are set in 14 pt over 11 pt body text.
    pages = [
        [("1. Harbours", 14), "Synthetic prose about imaginary harbours and", "", "1. Harbours 1"],
        ["their keepers runs on here.", "", ("1.1. Pilots", 14), "Synthetic pilots guide ships.", "", "1.1. Pilots 2"],
        [("2. Mills", 14), "Synthetic prose about imaginary mills and", "", "2. Mills 3"],
        ["their millers runs on here.", "", "2. Mills 4"],
    ]
    doc = extract(write_pdf(tmp_path / "feet.pdf", pages, footer=False))
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert headings == ["1. Harbours", "1.1. Pilots", "2. Mills"]
    assert "Pilots 2" not in doc.text and "Mills 4" not in doc.text
    assert next(b.section for b in doc.blocks if "millers" in doc.text[b.start : b.end]) == "2 Mills"


def test_running_heads_of_one_side_of_the_page_or_misread_by_ocr_are_removed(tmp_path):
    # Synthetic: a two-sided paper heads its even pages with the venue and its odd pages after
    # the first with the title; a scanned book's head is misread on two of five pages.
    venue, title = "Synthetic Proceedings 2026, Example City", "A Synthetic Study of Harbours"
    pages = [[f"Made-up prose about the {place}."] for place in ("harbour", "mill", "bridge", "chapel", "market")]
    paper = [page if n == 1 else [venue if n % 2 == 0 else title, *page] for n, page in enumerate(pages, 1)]
    doc = extract(write_pdf(tmp_path / "paper.pdf", paper, footer="{n}"))
    assert venue not in doc.text and title not in doc.text
    heads = ["THE SYNTHETIC CHRONICLE", "THE SYNTHETIC CHRONICIE", "THE SYNTHETIC CHRONICLE", "THE SYNTHETIC CHRONICLF"]
    book = [[head, *page] for head, page in zip(heads + heads[:1], pages, strict=True)]
    doc = extract(write_pdf(tmp_path / "book.pdf", book, footer="{n}"))
    assert "CHRONIC" not in doc.text
    # A book whose head carries the page number gives its title without the number.
    numbered = [
        [f"{head}. {n}", *page] for n, (head, page) in enumerate(zip(heads + heads[:1], pages, strict=True), 49)
    ]
    assert extract(write_pdf(tmp_path / "numbered.pdf", numbered, footer=False)).title == "THE SYNTHETIC CHRONICLE"


def test_a_page_range_cites_one_numbering_scheme_never_the_file_count_joined_to_a_printed_number():
    from citeqa.index.records import StoredDocument
    from citeqa.qa.answer import Citation, _printed

    # Synthetic: a scanned excerpt whose pages 3 and 4 print 52 and 53; page 2 prints nothing.
    doc = StoredDocument(
        id="synthetic-excerpt",
        path="excerpt.pdf",
        kind="pdf",
        title="Synthetic Excerpt",
        authors=[],
        publisher=None,
        date=None,
        url=None,
        content_hash="",
        meta_hash="",
        text="",
        page_labels={3: "52", 4: "53"},
    )

    def cited(page: int, page_end: int) -> str:
        printed = _printed(doc, page, page_end)
        return Citation(doc.id, doc.title, None, None, None, doc.path, None, page, page_end, 0, 0, printed).text()

    assert cited(3, 4).endswith("pp. 52–53 (pp. 3–4 of the file)")
    # Page 2 would be "2" next to "52": both ends are cited by the file's count instead.
    assert cited(2, 3).endswith("pp. 2–3") and "52" not in cited(2, 3)
    # Roman front matter running into the body's numbers is one reader's scheme, and stays.
    doc.page_labels = {1: "i", 2: "ii"}
    assert cited(2, 3).endswith("pp. ii–3 (pp. 2–3 of the file)")


def test_a_page_printing_its_own_count_is_cited_by_it_in_a_range_with_a_page_after_a_gap(tmp_path):
    from citeqa.index.records import StoredDocument
    from citeqa.qa.answer import Citation, _printed

    # Synthetic: seven pages labelled 1-5, then 7 and 8: a page is missing from the file.
    places = ("harbour", "mill", "bridge", "chapel", "market", "tower", "quay")
    pages = [[f"Synthetic prose about the imaginary {place} and its keeper."] for place in places]
    labels = [(0, "D"), (5, "D", 7)]
    read = extract(write_pdf(tmp_path / "gap.pdf", pages, labels=labels, footer=False))
    doc = StoredDocument("gap", "gap.pdf", "pdf", "Synthetic Gap", [], None, None, None, "", "", "")
    doc.page_labels = read.page_labels
    printed = _printed(doc, 5, 6)
    # Page 5 prints 5 and page 6 prints 7: the range is 5-7, not the file's 5-6.
    assert (
        Citation(doc.id, doc.title, None, None, None, doc.path, None, 5, 6, 0, 0, printed)
        .text()
        .endswith("pp. 5–7 (pp. 5–6 of the file)")
    )


def test_a_plausible_metadata_title_wins_and_page_one_stops_at_a_gap_and_skips_a_url(tmp_path):
    # Synthetic: a name in 20 pt, a paragraph gap, a subtitle and a URL in the same type.
    page = [
        ("Synthetic Toolkit", 20),
        "",
        "",
        ("A subtitle set apart", 20),
        ("https://example.invalid/toolkit", 20),
        "",
        "The body text of the first page of this synthetic fixture.",
    ]
    named = extract(write_pdf(tmp_path / "named.pdf", [page], title="Synthetic Toolkit Manual"))
    assert named.title == "Synthetic Toolkit Manual"
    # A file's or an authoring template's name is no title.
    for title in (
        None,
        "untitled",
        "toolkit.sty",
        "12 / 2024",
        "Layout 1",
        "PowerPoint Presentation",
        "report_final_v2",
    ):
        doc = extract(write_pdf(tmp_path / "shown.pdf", [page], title=title))
        assert doc.title == "Synthetic Toolkit", title


def test_words_of_any_script_and_suffixes_break_at_a_line_end_and_chains_keep_their_hyphens(tmp_path):
    # Synthetic French prose: "relé-" + "guée" breaks a word; "porte-étendard" is written whole.
    lines = [
        "Le porte-étendard de la fiche synthétique est présent. Elle est relé-",
        "guée au fond, avec le porte-",
        "étendard du test.",
    ]
    doc = extract(write_pdf(tmp_path / "french.pdf", [lines]))
    assert "Elle est reléguée au fond, avec le porte-étendard du test." in doc.text
    # Synthetic: "end-of-file" is written whole once and broken after "end-" once; "able" is a
    # word here but also a suffix, so "consider-" + "able" is one word.
    keeps = compound_test(["Read to end-of-file here; we consider it able.", "It stops at end-", "of-file now."])
    assert keeps("It stops at end-", "of-file now.")
    # Broken after its second part, the chain is still the one written whole.
    assert keeps("It stops at end-of-", "file now.")
    assert not keeps("It is consider-", "able and fast.")


def test_a_second_part_written_after_another_hyphen_keeps_a_compound_s_hyphen():
    # Synthetic: "two-stroke" is written within a line, so "four-" + "stroke" is a compound too.
    keeps = compound_test(["The synthetic two-stroke engine is loud.", "A four-", "stroke engine is quiet."])
    assert keeps("A four-", "stroke engine is quiet.")


def test_a_heading_does_not_run_on_into_an_address_another_size_or_a_long_line(tmp_path):
    # Synthetic: 14 pt headings over 11 pt body text; below each heading a display line that is
    # no part of it (an email address, 13 pt type, words enough to make the heading too long).
    page = [
        ("1. Overview of the synthetic fixture", 14),
        "The body text of the synthetic fixture starts here.",
        "",
        ("Ann Example", 14),
        ("Bob Sample (bob@example.invalid)", 14),
        "More body text of the synthetic fixture follows here.",
        "",
        ("Results", 14),
        ("Summary Figures", 13),
        "Yet more body text of the synthetic fixture.",
        "",
        ("Results of the Synthetic Study Told in Many Words", 14),
        ("And Still More Words About the Same Topic", 14),
        "The last body text of the synthetic fixture.",
    ]
    doc = extract(write_pdf(tmp_path / "runon.pdf", [page]))
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert "Ann Example" in headings and "Results" in headings
    assert not any("@" in h or ("Summary" in h and "Results" in h) for h in headings)
    assert "Results of the Synthetic Study Told in Many Words" in headings


def test_table_of_contents_entries_are_no_headings(tmp_path):
    # Synthetic: a contents page, its chapter entries in 14 pt with their page numbers, then the
    # chapters themselves.
    contents = [("Contents", 14), ("1 Harbours 2", 14), "1.1 Pilots . . . . . . . . 2", ("2 Mills 3", 14)]
    pages = [
        [("Synthetic Guide", 20), "", "A made-up guide to imaginary places."],
        contents,
        [("1 Harbours", 14), "Synthetic prose about imaginary harbours.", ("1.1 Pilots", 14), "Pilots guide ships."],
        [("2 Mills", 14), "Synthetic prose about imaginary mills."],
    ]
    doc = extract(write_pdf(tmp_path / "contents.pdf", pages, footer=False))
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert headings == ["Contents", "1 Harbours", "1.1 Pilots", "2 Mills"]
    assert "1 Harbours 2" in doc.text
    # The entries stay in the text, in no passage: they name every topic and answer none.
    entries = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "contents"]
    assert entries == ["1 Harbours 2", "1.1 Pilots . . . . . . . . 2", "2 Mills 3"]
    passages = [c.text for c in chunk_document(doc, "contents")]
    assert not any("Harbours 2" in p or ". . . ." in p for p in passages)
    assert "Pilots guide ships." in passages


def test_leaders_in_the_body_are_a_table_s_rows_that_answer(tmp_path):
    # Synthetic: a report's figures set with dot leaders on a page that is no contents page, though
    # its title ends in "Index".
    rows = ["Revenue . . . . . . . . 4200", "Operating costs . . . . . . 3100", "Net income . . . . . . . 1100"]
    pages = [[("Synthetic Report", 20), "", "A made-up report on an imaginary harbour."], [("Price Index", 14), *rows]]
    doc = extract(write_pdf(tmp_path / "report.pdf", pages, footer=False))
    assert not [b for b in doc.blocks if b.kind == "contents"]
    assert any("Net income" in c.text for c in chunk_document(doc, "report"))


def test_headings_with_an_ellipsis_or_ending_in_rising_numbers_are_no_contents_entries(tmp_path):
    # Synthetic: a command's heading holds an ellipsis, and three headings on one page end in
    # rising numbers, each with body text below it, as a manual's steps are headed.
    prose = "Synthetic prose about an imaginary {} and its keeper runs on here for a while."
    pages = [
        [("1 Commands", 14), prose.format("harbour"), ("1.1 draw line from ... to", 14), prose.format("mill")]
        + [item for n in (1, 2, 3) for item in ((f"1.{n + 1} Step {n}", 14), prose.format("gate"))],
        [("2 Gates", 14), prose.format("quay")],
    ]
    doc = extract(write_pdf(tmp_path / "steps.pdf", pages, footer=False))
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert headings == ["1 Commands", "1.1 draw line from ... to", "1.2 Step 1", "1.3 Step 2", "1.4 Step 3", "2 Gates"]


def test_body_lines_alike_at_the_edges_of_a_few_pages_are_no_running_heads(tmp_path):
    # Synthetic: a list item ends pages 2 and 4 of a six-page manual (two of its three even
    # pages, no head on the odd ones); a label opens each page of a leaflet, a one-letter word
    # apart; a sentence opens each page of another, a letter apart inside a word.
    prose = "Synthetic prose about the imaginary {} and its keeper {} runs on here for a while."
    places = ("harbour", "mill", "bridge", "chapel", "market", "tower")
    item = "• Save the settings file before you go on."
    pages = [
        [prose.format(place, k) for k in range(3)] + ([item] if n in (2, 4) else [])
        for n, place in enumerate(places, 1)
    ]
    assert extract(write_pdf(tmp_path / "item.pdf", pages, footer=False)).text.count(item) == 2
    options = [[f"Option {c}: the keeper opens the gate at dawn", "", prose.format(c, 0)] for c in "ABCD"]
    doc = extract(write_pdf(tmp_path / "options.pdf", options, footer=False))
    assert all(f"Option {c}: the keeper" in doc.text for c in "ABCD")
    words = ("gate", "gates", "gate", "game")
    sentences = [
        [f"The keeper opens the {word} at dawn.", "", prose.format(place, 0)]
        for word, place in zip(words, places[:4], strict=True)
    ]
    doc = extract(write_pdf(tmp_path / "sentences.pdf", sentences, footer=False))
    assert all(f"opens the {word} at" in doc.text for word in words)


def test_years_opening_the_lines_of_unnumbered_pages_are_no_page_numbers(tmp_path):
    # Synthetic: pages 1-4 print folios 11-14; pages 5 and 6, a timeline, print none and open
    # with "2019 ..." and "2020 ...", numbers that rise with the pages too.
    prose = "Synthetic prose about the imaginary {} and its keeper runs on here for a while."
    places = ("harbour", "mill", "bridge", "chapel", "market", "tower")
    pages = [[prose.format(place), "", str(n + 10)] for n, place in enumerate(places[:4], 1)]
    pages += [
        [f"{year} The harbour board {event}.", "", prose.format(place)]
        for year, event, place in (
            (2019, "is founded by the synthetic town", "market"),
            (2020, "buys its first ferry", "tower"),
        )
    ]
    doc = extract(write_pdf(tmp_path / "years.pdf", pages, footer=False))
    # Pages 5 and 6 count on from page 4's folio, as a chapter's unnumbered pages do.
    assert doc.page_labels == {n: str(n + 10) for n in range(1, 7)}


def test_a_running_foot_wrapped_onto_a_second_line_goes_whole(tmp_path):
    # Synthetic: each page's foot opens with its number and names the chapter; on page 4 it is
    # too long for one line and wraps, leaving "Manual)" on a line of its own.
    foot = "{} Chapter 1. Harbours and the keepers of their lights (from the old Harbour"
    places = ("harbour", "mill", "bridge", "chapel")
    pages = [
        [f"Synthetic prose about the imaginary {place}.", "", foot.format(n) + " Manual)"]
        for n, place in enumerate(places, 1)
    ]
    pages[3][-1:] = [foot.format(4), "Manual)"]
    doc = extract(write_pdf(tmp_path / "feet.pdf", pages, footer=False))
    assert "Manual)" not in doc.text and "chapel" in doc.text
