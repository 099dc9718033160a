"""The highlight: the sentence of a passage shown as the answer. The story is synthetic, written
for these tests; none of the questions is from an evaluation set."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic import synthetic_asker

from citeqa.index.library import Metadata
from citeqa.index.records import StoredChunk
from citeqa.qa.highlight import SHOWN, best_sentence, pairs, pick, sentence_evidence

STORY = (
    "Orrin ferry returns to the island after the storm\n\n"
    "Orrin ferry returns to the island after the storm\n\n"
    "The ferry to Orrin island sails again from Monday, the harbour board said. Its crossings will run "
    "for six months a year, from April to September, and a return ticket costs twelve crowns.\n"
)


WIRE = (
    "Marlow, June 9 (Quay Wire)--The Orrin and Vell trade ministers met in Marlow on Monday for their "
    "second round of port talks. Vell's minister Tomas Arden told reporters that the talks would "
    "resume in August.\n"
)


RAILWAY = (
    "Work on the 310-kilometre Orrin coastal railway is ahead of schedule, the Vell transport ministry "
    "said on Friday. According to the ministry, four river bridges are being built, while 21 bridges "
    "have been finished.\n"
)


STRIKE = (
    "Orrin dockworkers strike at every harbour\n\n"
    "Dockworkers walked off the job at every Orrin harbour on Tuesday, halting the island's trade.\n\n"
    "Editor's note: This story was updated at 4:52 p.m. on June 2, 2031, to reflect new information. "
    "The walkout is expected to cost Orrin 5 million crowns a day. Not since 1998 has the island "
    "seen a stoppage of this size.\n"
)
TIMELINE = (
    "Orrin harbour through the years\n\nThe harbour grew slowly.\n\nOrrin, 26 April 1996: the ferry pier collapsed.\n"
)


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    sources = {
        "ferry.txt": (Metadata(publisher="Quay Review"), STORY),
        "wire.txt": (Metadata(publisher="Quay Wire", date="2031-06-09"), WIRE),
        "railway.txt": (Metadata(publisher="Vell Transport Weekly"), RAILWAY),
        "strike.txt": (Metadata(publisher="Harbour Daily"), STRIKE),
        "timeline.txt": (Metadata(publisher="Orrin Almanac"), TIMELINE),
    }
    with synthetic_asker(tmp_path_factory.mktemp("ferry"), sources, embedder, bundled=False) as asker:
        yield asker


@pytest.mark.parametrize(
    "question",
    [
        "When does the Orrin ferry return to the island after the storm?",
        "According to the Quay Review, when does the Orrin ferry return to the island after the storm?",
    ],
)
def test_a_story_s_headline_is_not_the_answer_its_first_paragraph_gives(asker, question):
    # The headline holds every word of the question and no answer; it is cited with the passage.
    answer = asker.ask(question)
    assert not answer.abstained, answer.reason
    assert answer.passages[0].highlight.startswith("The ferry to Orrin island sails again from Monday")


def test_a_dateline_s_place_date_and_agency_do_not_draw_the_highlight_to_the_lead(asker):
    # "Marlow, June 9 (Quay Wire)--" echoes how the question names the story, not what it asks.
    answer = asker.ask("According to Quay Wire, when will the Marlow port talks of June 9 resume?", k=1)
    assert "resume in August" in answer.passages[0].highlight


def test_an_editor_s_note_and_its_date_are_not_the_answer_to_when(asker):
    # The note's full date fits "when" better than "since 1998", but it tells of the story; a
    # timeline's "Place, date:" entry past the opening is no dateline, and its date answers.
    answer = asker.ask("When did Orrin last see a port strike this large?", k=1)
    assert not answer.abstained, answer.reason
    assert "since 1998" in answer.passages[0].highlight
    pier = asker.ask("When did the Orrin ferry pier collapse?", k=1)
    assert not pier.abstained and "26 April 1996" in pier.passages[0].highlight


def _sentences(text: str, starts: list[str], ordinal: int = 0) -> StoredChunk:
    """A synthetic chunk of ``text`` cut into sentences where each of ``starts`` begins."""
    cuts = [text.index(start) for start in starts]
    spans = [(a, b - 1) for a, b in zip(cuts, cuts[1:], strict=False)] + [(cuts[-1], len(text))]
    return StoredChunk(1, "c", "d", ordinal, 0, len(text), None, "paragraph", None, None, text, spans)


def test_a_dateline_opening_the_source_dates_nothing_asked_but_a_timeline_entry_does():
    text = "BY LENA HOLM. 9 June 2031. Marlow, June 9 (Quay Wire)--Ministers met. Orrin, 26 April 1996: the pier fell."
    fits = {}
    for ordinal in (0, 1):
        chunk = _sentences(text, ["BY LENA", "9 June", "Marlow", "Orrin"], ordinal)
        fits[ordinal] = [e.fit for e in sentence_evidence(chunk, np.zeros(4), {"pier"}, set(), "date")]
    # In the source's first passage the date line and the dateline under the byline date when the
    # story was filed; a lead opening "By Monday," is no byline.
    assert fits == {0: [0.0, 0.0, 0.0, 1.0], 1: [0.0, 1.0, 1.0, 1.0]}
    # The byline is still who wrote the story.
    chunk = _sentences("By Lena Holm\nMarlow, June 9 (Quay Wire)--Ministers met.", ["By Lena", "Marlow"])
    assert [e.fit for e in sentence_evidence(chunk, np.zeros(2), {"wrote"}, set(), "author")] == [1.0, 0.0]
    lead = "By Monday, the pier had shut. Orrin, 26 April 1996: the pier fell."
    evidence = sentence_evidence(_sentences(lead, ["By Monday", "Orrin"]), np.zeros(2), {"pier"}, set(), "date")
    assert evidence[1].fit == 1.0


def test_a_note_that_the_story_was_updated_is_skipped_for_when_but_a_correction_is_not():
    text = (
        "Editor's note: This story was updated at 4:52 p.m. on June 2, 2031, to reflect new information. "
        "It was first published on June 1, 2031. This story has been corrected to show that the vote "
        "took place on 14 June 2031. The report was first published by the survey on 3 March 2029. "
        "This story was updated at 3 p.m. on June 3, 2031 to include the date of the count, 15 June."
    )
    chunk = _sentences(text, ["Editor's", "It was", "This story has", "The report", "This story was updated at 3"])
    kept = [e.index for e in sentence_evidence(chunk, np.zeros(5), {"vote"}, set(), "date")]
    assert kept == [2, 3, 4]
    assert [e.index for e in sentence_evidence(chunk, np.zeros(5), {"vote"}, set(), "number")] == [0, 1, 2, 3, 4]


def test_a_how_many_question_highlights_the_count_of_its_thing_not_another_figure(asker):
    # The lead shares more of the question's words and gives a figure, but not a count of bridges.
    answer = asker.ask("How many bridges on the Orrin coastal railway have been finished?", k=1)
    assert not answer.abstained, answer.reason
    assert "21 bridges have been finished" in answer.passages[0].highlight


def test_the_sentence_shown_weighs_the_question_s_words_more_than_the_ranker_s_evidence_does():
    # Two sentences about equally close to the question: the second holds what it asks about
    # ("builds on", "accord") and a year. The ranker and the checks keep reading the first, the
    # evidence their weights were fitted with; the reader is shown the second.
    text = (
        "The agreement records the shared commitment of Orrin and Vell to free salt trade. "
        "It builds on the 2029 Harbour Accord."
    )
    cut = text.index("It builds")
    chunk = StoredChunk(
        1, "c", "d", 0, 0, len(text), None, "paragraph", None, None, text, [(0, cut - 1), (cut, len(text))]
    )
    question = ["accord", "salt", "agreement", "builds"]

    def picks(similarities):
        evidence = sentence_evidence(chunk, similarities, set(question), pairs(question), "year")
        best, _, _, shown = best_sentence(evidence, similarities, "year")
        return best, shown

    assert picks(np.array([0.70, 0.60])) == (0, 1)
    # Far less close, the second is shown only when it holds more: similarity still leads.
    assert picks(np.array([0.80, 0.50])) == (0, 0)


def test_the_words_of_the_source_s_title_draw_the_sentence_shown_less_than_the_rest():
    # Every sentence on the cup shares the title's words; the one that answers holds the rest.
    text = "The Orrin Salt Cup lost two seeded players on Tuesday. Tomas Arden withdrew with an injury."
    cut = text.index("Tomas")
    chunk = StoredChunk(
        1, "c", "d", 0, 0, len(text), None, "paragraph", None, None, text, [(0, cut - 1), (cut, len(text))]
    )
    question = ["tomas", "arden", "withdrew", "orrin", "salt", "cup", "tuesday"]

    def shown(title):
        evidence = sentence_evidence(chunk, np.array([0.6, 0.6]), set(question), pairs(question), None, (), title)
        return evidence, pick(evidence, SHOWN, None).index

    evidence, index = shown("Withdrawals hit the Orrin Salt Cup")
    assert [round(e.untitled * 7) for e in evidence] == [1, 3] and index == 1
    # Untitled, every word the question shares counts alike, and the lead holds more of them.
    evidence, index = shown(None)
    assert [round(e.untitled * 7) for e in evidence] == [4, 3] and index == 0


CUP = (
    "Withdrawals hit the Orrin Salt Cup\n\n"
    "The Orrin Salt Cup lost two more of its seeded players on Tuesday, the second day of the tournament in "
    "Kessa. Tomas Arden withdrew with a shoulder injury before his opening match. In the evening session, Lena "
    "Varga was beaten in three sets by the qualifier Mira Holt. Organisers said ticket sales had held up despite "
    "the withdrawals.\n"
)


def test_an_answer_is_shown_in_the_sentence_the_question_points_to_not_the_lead_on_its_topic(tmp_path, embedder):
    # The lead shares the title's words with the question ("Orrin Salt Cup"); the answer, the rest.
    sources = {"cup.txt": (Metadata(publisher="Kessa Sports Wire"), CUP)}
    with synthetic_asker(tmp_path, sources, embedder, bundled=False) as asker:
        answer = asker.ask("Why did Tomas Arden pull out of the Orrin Salt Cup?", k=1)
    assert not answer.abstained, answer.reason
    assert answer.passages[0].highlight.startswith("Tomas Arden withdrew with a shoulder injury")


PORT = (
    "Vell opens its new salt port\n\n"
    "The island of Vell opened its new salt port at Kessa on Thursday, the harbour office said, after four "
    "years of building work. Ships bound for Orrin will use the port's northern berth, which can take vessels "
    "of up to 40,000 tonnes. The port's salt warehouses hold 12,000 tonnes and were paid for by the Vell trade "
    "fund. Officials expect the port to handle a third of the island's salt exports by 2033.\n"
)


@pytest.fixture(scope="module")
def port_asker(tmp_path_factory, embedder):
    sources = {"port.txt": (Metadata(publisher="Kessa Harbour News"), PORT)}
    with synthetic_asker(tmp_path_factory.mktemp("port"), sources, embedder, bundled=False) as asker:
        yield asker


def test_an_answer_marks_the_sentence_fitted_to_show_it_and_an_abstention_the_one_it_judged(port_asker):
    # For both questions the ranker's evidence is the last sentence (a share, a year), while the
    # sentence sharing the question's words is the warehouses' one.
    answer = port_asker.ask("How large are the salt warehouses at the new port?", k=1)
    assert not answer.abstained, answer.reason
    assert answer.passages[0].highlight.startswith("The port's salt warehouses hold 12,000 tonnes")
    # The reason speaks of the sentences the judgement read: those are the ones marked.
    refused = port_asker.ask("What percentage of the salt warehouses at the new port is full?", k=1)
    assert refused.abstained and "percentage" in refused.reason
    assert refused.passages[0].highlight.startswith("Officials expect the port to handle a third")
