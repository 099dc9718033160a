"""News texts as copied from web pages, read by the plain-text ingestor: headlines, bylines,
datelines and the story under them (the texts are synthetic, written for these tests)."""

from __future__ import annotations

import pytest

from citeqa.corpus import chunk_document
from citeqa.corpus.text import parse_text

LONG = "The harbour board on Tuesday approved a plan to dredge the northern channel to fourteen metres, " * 2


def test_a_news_text_with_a_paragraph_a_line_has_its_headline_and_its_body():
    # Synthetic, as text copied from a web page comes: no blank lines, one paragraph a line.
    # The lines below the headline stay one block: split a line a paragraph, real-sources-dev's
    # texts ranked worse (eval.py on real-dev and real-blind).
    text = f"Harbour board approves dredging plan\n{LONG}first.\n{LONG}second.\n"
    doc = parse_text(text, "copied.txt")
    assert doc.title == "Harbour board approves dredging plan"
    assert [b.kind for b in doc.blocks] == ["title", "paragraph"]


def test_a_story_cut_off_mid_sentence_is_body_text_and_its_headline_joins_it():
    # Synthetic, as a page copied in part comes: a subheading line, then prose that stops mid-word.
    # Read as front matter, the body was "meta" and the headline a passage of its own.
    text = f"Harbour board approves dredging plan\nThe northern channel- Orrin\n{LONG * 2}first.\n{LONG * 2}and the bo"
    doc = parse_text(text, "cut.txt")
    assert doc.title == "Harbour board approves dredging plan"
    assert [b.kind for b in doc.blocks] == ["title", "paragraph"]
    first = chunk_document(doc, "cut")[0]
    assert first.text.startswith("Harbour board approves dredging plan\nThe northern channel")
    # A short front-matter paragraph that never ends a sentence stays front matter.
    doc = parse_text(
        f"Harbour board approves dredging plan\n\nDepartment of Synthetic Studies, Orrin\n\n{LONG}.\n", "x"
    )
    assert [b.kind for b in doc.blocks] == ["title", "authors", "paragraph"]
    # Nor does a long list of a consortium's authors, whose initials end in full stops.
    authors = ", ".join(f"{letter}. Writer" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3) + ", and Z. Last"
    doc = parse_text(f"Synthetic study of harbour dredging\n\n{authors}\n\n{LONG}.\n", "study.txt")
    assert [b.kind for b in doc.blocks][:2] == ["title", "meta"] and len(authors) > 600


def test_a_byline_and_a_dateline_are_read_as_such():
    doc = parse_text(
        f"Harbour board approves dredging plan\n\nBy A. Writer and B. Writer\n\n4 March 2029\n\n{LONG}.\n", "x.txt"
    )
    assert doc.authors == ["A. Writer", "B. Writer"] and doc.date == "2029-03-04"
    assert [b.kind for b in doc.blocks] == ["title", "authors", "meta", "paragraph"]


@pytest.mark.parametrize(
    "line",
    [
        "1 August 2031, 12:02 | Updated: 1 August 2031, 12:35",
        "[August 1, 2031]",
        "New Delhi, 1 August 2031",
        "Updated 3:04 PM EST, August 1, 2031",
    ],
)
def test_a_dateline_with_its_update_time_or_in_brackets_is_a_dateline_not_a_section(line):
    doc = parse_text(f"Synthetic harbour board cuts its fees\n\n{line}\n\n{LONG}.\n", "fees.txt")
    assert doc.date == "2031-08-01"
    assert not any(b.kind == "heading" for b in doc.blocks) and all(b.section is None for b in doc.blocks)


def test_a_saved_page_s_banner_and_last_updated_line_are_neither_its_title_nor_its_authors():
    # Synthetic, as a page saved as text comes: the archive's banner above the page's own lines.
    text = (
        "The Web Archive - https://archive.example.org/web/20310512/https://news.example.org/flood\n\n"
        "Page last updated at 18:04 GMT, Monday, 12 May 2031\n\n"
        "'Thousands safe' in synthetic flood\n\nRescuers searching for the missing in Quillmarsh\n\n"
        f"{LONG}.\n"
    )
    doc = parse_text(text, "saved.txt")
    assert (doc.title, doc.date, doc.authors) == ("'Thousands safe' in synthetic flood", "2031-05-12", [])
    assert not any(b.kind == "authors" for b in doc.blocks)
    # Nor is a part of a document under the title, in capitals as names are.
    report = parse_text(f"Synthetic harbour dredging review\n\nExecutive Summary\n\n{LONG}.\n", "review.txt")
    assert report.authors == [] and not any(b.kind == "authors" for b in report.blocks)


@pytest.mark.parametrize(
    "text, title",
    [
        (
            f"# Was the dredging plan a landmark?\n\n{LONG}first.\n",
            "Was the dredging plan a landmark?",
        ),
        # No title line: the first prose paragraph is the body, not front matter.
        (f"{LONG}first.\n\n{LONG}second.\n", "untitled"),
    ],
)
def test_titles_and_bodies_of_news_texts(text, title):
    doc = parse_text(text, "untitled.txt")
    assert doc.title == title
    assert doc.blocks[-1].kind == "paragraph"


@pytest.mark.parametrize(
    "text, title, date, kinds",
    [
        # A headline with a year is a headline, not a dateline.
        (f"India Budget 2025\n\n{LONG}.\n", "India Budget 2025", None, ["title", "paragraph"]),
        (
            f"Harbour plan approved today\n\nPublished September 29, 2023\n\n{LONG}.\n",
            "Harbour plan approved today",
            "2023-09-29",
            ["title", "meta", "paragraph"],
        ),
        # A headline with a place and a date is a headline, not a release's dateline.
        (f"Summit ends, March 2025 talks\n\n{LONG}.\n", "Summit ends, March 2025 talks", None, ["title", "paragraph"]),
        (f"Quay Summit, May 2025\n\n{LONG}.\n", "Quay Summit, May 2025", None, ["title", "paragraph"]),
        # Below the headline, a subtitle with a year is no release's place and date.
        (
            f"Harbour plan approved\n\nAnnual Report, 2024\n\n{LONG}.\n",
            "Harbour plan approved",
            None,
            ["title", "meta", "paragraph"],
        ),
        # A dateline's place in capitals before its country: the country is no author.
        (
            f"Harbour plan approved today\n\nQUILLMARSH, South Korea\n\n{LONG}.\n",
            "Harbour plan approved today",
            None,
            ["title", "meta", "paragraph"],
        ),
        # "By 2030, ..." is a sentence, not a byline.
        (
            f"Harbour plan approved today\n\nBy 2030, the port aims to double its traffic.\n\n{LONG}.\n",
            "Harbour plan approved today",
            None,
            ["title", "meta", "paragraph"],
        ),
    ],
)
def test_headlines_datelines_and_bylines_are_told_apart(text, title, date, kinds):
    doc = parse_text(text, "x.txt")
    assert (doc.title, doc.date, [b.kind for b in doc.blocks]) == (title, date, kinds)
    assert doc.authors == []


@pytest.mark.parametrize(
    "front, authors",
    [
        ("JOHN SMITH, JANE DOE", ["John Smith", "Jane Doe"]),
        ("SARAH LEE, Staff Writer", ["Sarah Lee"]),
        ("JANE DOE, Associated Press", ["Jane Doe"]),
        ("KENJI ITO, Japan Today", ["Kenji Ito"]),  # a country's name in an outlet's is no country
    ],
)
def test_a_byline_in_capitals_is_no_dateline(front, authors):
    doc = parse_text(f"Harbour plan approved today\n\n{front}\n\n{LONG}.\n", "x.txt")
    assert doc.authors[: len(authors)] == authors
    # A headline with a comma stays the title.
    assert parse_text(f"OPEC, Orrin Agree Cuts\n\n{LONG}.\n", "x.txt").title == "OPEC, Orrin Agree Cuts"


@pytest.mark.parametrize("label", ["Featured Image", "Quillmarsh, November 30", "Business Developments & Projects"])
def test_a_label_or_a_place_under_the_headline_names_no_author(label):
    # Synthetic saved pages: a photo label, a place and date, a site's section under the headline.
    assert parse_text(f"Harbour plan approved today\n\n{label}\n\n{LONG}.\n", "x.txt").authors == []


@pytest.mark.parametrize("ending", ["", " It stops", " It stops mid-"])
def test_a_story_right_under_its_dateline_is_body_text_and_dates_the_source(ending):
    # Synthetic saved story: headline, dateline and story with no blank line between them; the
    # story's last sentence may be cut off, as a saved excerpt's is.
    text = (
        "Synthetic port fees rise in October\nNovember 7, 2031\nThe harbour board said on Tuesday that port"
        f" fees rose 3.2% in October.\nShipping lines had asked for a freeze, the board added.{ending}\n"
    )
    doc = parse_text(text, "x.txt")
    assert doc.date == "2031-11-07"
    kinds = [(b.kind, doc.text[b.start : b.end][:20]) for b in doc.blocks]
    assert kinds == [
        ("title", "Synthetic port fees "),
        ("meta", "November 7, 2031"),
        ("paragraph", "The harbour board sa"),
    ]
    # Names and an affiliation under the dateline are front matter, not a story.
    study = parse_text("Synthetic study of ports\nMarch 2031\nLena Holm and Peter Sand\nDepartment of Ports\n", "s.txt")
    assert study.authors == ["Lena Holm", "Peter Sand"]


def test_a_news_page_s_reading_time_is_no_numbered_heading():
    # Synthetic news text with the labels a saved wire story carries under its headline.
    text = "Synthetic port sold to rival\n\n1 Min Read\n\nThe harbour board sold the port on Tuesday.\n"
    doc = parse_text(text, "x.txt")
    assert all(b.kind != "heading" for b in doc.blocks)
    guide = parse_text("# Synthetic style guide\n\n2 Comments\n\nKeep them short.\n", "guide.md")
    assert any(b.kind == "heading" and guide.text[b.start : b.end] == "2 Comments" for b in guide.blocks)
    assert {c.section for c in chunk_document(doc, "x")} <= {None, "Synthetic port sold to rival"}


@pytest.mark.parametrize(
    "front, authors, date",
    [
        # Synthetic news front matter with no blank line between byline and dateline.
        ("By Lena Holm and Peter Sand\n4 March 2029", ["Lena Holm", "Peter Sand"], "2029-03-04"),
        ("Published 3 May 2025", [], "2025-05-03"),
        # A byline after its date, as some sites write it; an organisation after "by" is none.
        ("\nApril 15, 2029 by Lena Holm", ["Lena Holm"], "2029-04-15"),
        ("April 15, 2029 | By Lena Holm and Peter Sand", ["Lena Holm", "Peter Sand"], "2029-04-15"),
        ("\nPublished: 15 April 2029 by Lena Holm", ["Lena Holm"], "2029-04-15"),
        ("\nApril 15, 2029 09:30 AM EST by Lena Holm", ["Lena Holm"], "2029-04-15"),
        ("\nApril 15, 2029 by the Harbour Board", [], "2029-04-15"),
    ],
)
def test_a_byline_and_dateline_on_lines_of_their_own_are_read_apart(front, authors, date):
    doc = parse_text(f"Harbour Tunnel Opens in 2029\n{front}\n\n{LONG}.\n", "x.txt")
    assert (doc.title, doc.authors, doc.date) == ("Harbour Tunnel Opens in 2029", authors, date)
    assert all(doc.text[b.start : b.end] == doc.text[b.start : b.end].strip() for b in doc.blocks)


def test_a_headline_or_a_sentence_with_a_date_and_by_is_no_byline():
    # Synthetic: a headline with its year, and a first sentence with a day's date, each with "by".
    doc = parse_text(f"2029 Budget unveiled by Chancellor Lena Holm\n\nBy Peter Sand\n\n{LONG}.\n", "x.txt")
    assert (doc.title, doc.authors) == ("2029 Budget unveiled by Chancellor Lena Holm", ["Peter Sand"])
    doc = parse_text(f"Harbour Tunnel Opens\n\nOn March 3, 2029, the port was hit by Storm Ida\n\n{LONG}.\n", "x.txt")
    assert doc.authors == []


@pytest.mark.parametrize(
    "opening, date",
    [
        ("QUILLMARSH, Dec 15, 2031 (Synthetic Wire) - The harbour board met on Monday.", "2031-12-15"),
        # Without its year the day is no date; an event in the first sentence is not the story's date.
        ("QUILLMARSH, Dec 15 (Synthetic Wire) - The harbour board met on Monday.", None),
        ("The harbour board, which met on 15 December 2031, approved the plan.", None),
        # Neither the agency nor a dash marks it: "QUAYCO, 3 March 2031:" names a body, then an event.
        ("QUAYCO, 3 March 2031: the harbour board met and approved the plan.", None),
    ],
)
def test_a_story_undated_above_is_dated_by_its_agency_dateline(opening, date):
    doc = parse_text(f"Synthetic harbour board approves dredging\n\n{opening} {LONG}.\n", "wire.txt")
    assert doc.date == date
