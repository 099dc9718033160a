"""Chunking: stable ids, sentence-respecting splits, page spans."""

from __future__ import annotations

import pytest

from citeqa.corpus import chunk_document
from citeqa.corpus.chunking import MAX_CHARS
from citeqa.corpus.model import Block, Document
from citeqa.corpus.sentences import split_sentences
from citeqa.corpus.text import parse_text


def _doc(text: str) -> Document:
    return parse_text(text, "synthetic.txt")


def test_ids_are_stable_and_change_only_with_their_text():
    base = "1. One\n\n" + "Alpha sentence here. " * 40 + "\n\n2. Two\n\nBeta paragraph stays the same."
    first = chunk_document(_doc(base), "doc")
    again = chunk_document(_doc(base), "doc")
    assert [c.id for c in first] == [c.id for c in again]
    edited = chunk_document(_doc(base.replace("Beta paragraph", "Gamma paragraph")), "doc")
    assert [c.id for c in edited][:-1] == [c.id for c in first][:-1]
    assert edited[-1].id != first[-1].id


def test_long_paragraph_is_split_between_sentences():
    sentences = [f"Sentence number {i} talks about supply chains and minerals." for i in range(60)]
    doc = _doc("Title of a synthetic text\n\n1. Section\n\n" + " ".join(sentences))
    chunks = chunk_document(doc, "doc", max_chars=400)
    assert len(chunks) > 5
    for chunk in chunks[1:]:  # the first is the title
        assert len(chunk.text) <= 400
        assert chunk.text.startswith("Sentence number")
        assert chunk.text.endswith("minerals.")


def test_chunk_pages_span_page_breaks():
    text = "First page sentence. " * 5 + "\n\n" + "Second page sentence. " * 5
    page2 = text.index("Second")
    doc = Document(
        path="x.pdf",
        kind="pdf",
        text=text,
        blocks=[Block("paragraph", 0, len(text.rstrip()))],
        pages=[(1, 0), (2, page2)],
    )
    (chunk,) = chunk_document(doc, "doc")
    assert (chunk.page_start, chunk.page_end) == (1, 2)
    assert doc.page_at(chunk.sentences[-1][0]) == 2


def test_initials_and_dotted_abbreviations_do_not_end_a_sentence():
    text = "The chief executive is C.C. Wei of the synthetic foundry. J.P. Morgan lent it money. It closed at 5 p.m. It grew."
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "The chief executive is C.C. Wei of the synthetic foundry.",
        "J.P. Morgan lent it money.",
        "It closed at 5 p.m.",
        "It grew.",
    ]


def test_a_title_before_a_name_does_not_end_a_sentence():
    text = "Lt. Col. Ada Widget told the synthetic panel. It heard Rep. Bo Gadget and Gov. Cy Sprocket."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Lt. Col. Ada Widget told the synthetic panel.",
        "It heard Rep. Bo Gadget and Gov. Cy Sprocket.",
    ]


def test_a_sentence_goes_on_past_an_aside_in_brackets():
    text = (
        "The governor speaks at 3:30 p.m. (0630 GMT) to explain the decision. It closed at 5 p.m. (Orsk) Then it grew."
    )
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "The governor speaks at 3:30 p.m. (0630 GMT) to explain the decision.",
        "It closed at 5 p.m.",
        "(Orsk) Then it grew.",
    ]


def test_a_day_written_with_a_dot_before_its_month_does_not_end_a_sentence():
    text = "Orsk stopped exports on 21. Sep 2031 and on 3. March 2032. Prices rose in 2031. May 2032 was calm."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Orsk stopped exports on 21. Sep 2031 and on 3. March 2032.",
        "Prices rose in 2031.",
        "May 2032 was calm.",
    ]
    byline = "Orsk halts exports | 21. Sep 2031 | News"
    assert [byline[a:b] for a, b in split_sentences(byline)] == [byline]
    # A count that ends a sentence before a month and a year is no day: the sentence ends there.
    toll = "The toll rose to 14. June 2031 was the worst month. It fell to 45. March 2032 brought rain."
    assert [toll[a:b] for a, b in split_sentences(toll)] == [
        "The toll rose to 14.",
        "June 2031 was the worst month.",
        "It fell to 45.",
        "March 2032 brought rain.",
    ]


def test_a_headline_joins_the_passage_after_it_but_a_long_front_matter_stands_alone():
    story = (
        "Synthetic harbour deal signed in Eastwick\n\nThe two ports agreed on a joint dredging fund of 40 million.\n"
    )
    first = chunk_document(_doc(story), "story")[0]
    assert first.text.startswith("Synthetic harbour deal") and first.text.endswith("40 million.")
    authors = "Alice Example, Bob Example and Carol Example, Department of Synthetic Studies, Nowhere University"
    article = f"Synthetic study of harbour funds in two ports\n\n{authors}\n\n{authors}\n\n{authors}\n\n" + story
    chunks = chunk_document(_doc(article), "article")
    assert chunks[0].kind == "front" and "dredging" not in chunks[0].text
    # A headline joins a first paragraph of nearly a passage's size too, rather than stand alone
    # as a passage of a title that matches every question on the story; the paragraph is cut to
    # leave it room, as the model reads no further than a passage's size.
    long_story = "Synthetic harbour deal signed\n\n" + "The two ports agreed on a joint dredging fund. " * 25 + "\n"
    chunks = chunk_document(_doc(long_story), "long")
    assert chunks[0].text.startswith("Synthetic harbour deal signed\n\nThe two ports agreed")
    assert all(len(c.text) <= MAX_CHARS for c in chunks)


def test_a_headline_joins_the_first_paragraph_under_its_standfirst_but_later_front_matter_does_not():
    # A synthetic Markdown news page: headline, standfirst as a heading, body; then a note that
    # ingestors read as front matter, before the next section.
    page = (
        "# Harbour board approves dredging plan\n\n"
        "## The northern channel will be deepened in three phases\n\n"
        "The board voted on Tuesday to dredge the northern channel to fourteen metres.\n\n"
        "## Costs\n\n"
        "The plan costs 40 million.\n"
    )
    first = chunk_document(_doc(page), "page")[0]
    assert first.text.startswith("# Harbour board") and first.text.endswith("fourteen metres.")
    assert first.section == "The northern channel will be deepened in three phases"
    note = "Synthetic study of harbours\n\n1. Intro\n\nThe first section says a great deal about harbours.\n\n* Corresponding author: A. Writer\n\n"
    chunks = chunk_document(_doc(note + "2. Costs\n\nThe plan costs 40 million.\n"), "article")
    assert not any("Corresponding" in c.text and "40 million" in c.text for c in chunks)


# A synthetic news text wrapped at 72 characters, as e-mail and wire copy often are.
WRAPPED = (
    "Harbour board approves the dredging plan, but keeps the old breakwater\n"
    "in place\n"
    "By A. Writer\n"
    "QUILLMARSH — The harbour board on Tuesday approved a plan to dredge the\n"
    "northern channel to a depth of fourteen metres, a decision that the port\n"
    "operator welcomed.\n"
    "The 40-page plan sets out the work in three phases and names the\n"
    "contractor.\n"
    "- Phase one: the northern channel\n"
    "- Phase two: the turning basin\n"
)


def test_wrapped_lines_go_on_with_their_sentence_but_items_and_short_lines_stand_alone():
    sentences = [WRAPPED[a:b] for a, b in split_sentences(WRAPPED)]
    assert sentences == [
        "Harbour board approves the dredging plan, but keeps the old breakwater\nin place",
        "By A. Writer",
        "QUILLMARSH — The harbour board on Tuesday approved a plan to dredge the\nnorthern channel to a depth "
        "of fourteen metres, a decision that the port\noperator welcomed.",
        "The 40-page plan sets out the work in three phases and names the\ncontractor.",
        "- Phase one: the northern channel",
        "- Phase two: the turning basin",
    ]


def test_a_text_with_one_paragraph_a_line_keeps_its_headline_apart():
    text = (
        "Harbour board approves the dredging plan for the northern channel: a quick guide\n"
        "The harbour board on Tuesday approved a plan to dredge the northern channel of the port to a depth "
        "of fourteen metres, a decision that the port operator welcomed and the fishing fleet opposed.\n"
    )
    assert [text[a:b] for a, b in split_sentences(text)][0].endswith("a quick guide")


def test_lettered_items_and_indented_lines_keep_their_line_breaks():
    text = "The board weighed three options\na) dredge the channel\nb) extend the pier\n(iii) do nothing\n"
    text += "if depth < 14:\n    dredge(channel)\n"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "The board weighed three options",
        "a) dredge the channel",
        "b) extend the pier",
        "(iii) do nothing",
        "if depth < 14:",
        "dredge(channel)",
    ]


def test_citation_markers_end_the_sentence_even_after_an_abbreviation():
    # Encyclopaedia style: markers after the full stop, spaced, then the next sentence.
    text = "The port was sold to Veltrana Holdings, Inc. [6] [7] In August 2031 the sale closed. [8] It grew."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "The port was sold to Veltrana Holdings, Inc. [6] [7]",
        "In August 2031 the sale closed. [8]",
        "It grew.",
    ]


@pytest.mark.parametrize(
    "text, sentences",
    [
        # A marker after an abbreviation inside a sentence does not end it.
        ("Smith et al. [5] showed that trade rose. It fell.", ["Smith et al. [5] showed that trade rose.", "It fell."]),
        # Text indented as a whole (an RFC) wraps like any other; a list item's indented next line goes on.
        (
            "   The board agreed to publish berth schedules over a slow and often\n   unreliable link. It grew.",
            ["The board agreed to publish berth schedules over a slow and often\n   unreliable link.", "It grew."],
        ),
        (
            "- The committee asked for a survey of\n  the northern channel.\n- Second item",
            ["- The committee asked for a survey of\n  the northern channel.", "- Second item"],
        ),
    ],
)
def test_sentences_across_markers_margins_and_list_items(text, sentences):
    assert [text[a:b] for a, b in split_sentences(text)] == sentences


def test_a_lead_in_stays_with_the_list_it_introduces_and_an_underlined_heading_with_nothing():
    opening = " ".join(["The synthetic Velmora library is made up for this test and does nothing."] * 5)
    text = (
        f"# Velmora library\n\n{opening}\n\nIntroduction\n============\n\nvelmora is a made-up name.\n\n"
        "## Features\n\nThe main features of the Velmora library are:\n\n- Thread safety.\n- Portability.\n"
    )
    doc = parse_text(text, "notes.md")
    chunks = chunk_document(doc, "notes")
    # An underlined heading is no broken paragraph to join to the lower-case one after it.
    assert [c.text for c in chunks if c.section == "Introduction"] == ["velmora is a made-up name."]
    assert [c.text for c in chunks if c.section == "Features"] == [
        "The main features of the Velmora library are:\n\n- Thread safety.\n- Portability."
    ]


def test_no_passage_holds_contents_entries_nor_packs_the_text_around_them():
    # Notes around an index's entries, and the index's letters, as a manual's back pages set them.
    text = "Harbour terms\n\nA\n\nAnchors . . . . . . 5\n\nBoat terms\n\nB\n\nBuoys . . . . . . . . 7\n\n12\n\n• 1907"
    kinds = ["paragraph", "paragraph", "contents", "paragraph", "paragraph", "contents", "paragraph", "list"]
    blocks, start = [], 0
    for kind, part in zip(kinds, text.split("\n\n"), strict=True):
        start = text.index(part, start)
        blocks.append(Block(kind, start, start + len(part), "Index"))
    doc = Document(path="index.pdf", kind="pdf", text=text, blocks=blocks)
    # A letter or two alone says nothing: it was a passage of its own, ranked first for any
    # question. A list of figures is data.
    assert [c.text for c in chunk_document(doc, "index")] == ["Harbour terms", "Boat terms", "• 1907"]
