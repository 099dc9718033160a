"""Answers through the Python API on a small synthetic library, with the real model and index.

The three sources below are invented for these tests (no real place, body or publication is
meant); they never enter the default corpus. None of the questions is from an evaluation set.
"""

from __future__ import annotations

import pytest
from synthetic import synthetic_asker

from citeqa.index.library import Metadata
from citeqa.qa import abstain, retrieve
from citeqa.qa.clauses import the_ask
from citeqa.qa.scorer import Scorer
from citeqa.qa.sources import SourceMatcher

SOURCES = {
    "harbour.txt": (
        Metadata(title="Port of Veltrana expansion approved", publisher="Coastal Gazette", date="2025-12-03"),
        "The regional council of Veltrana approved the expansion of its container port on 2 December 2025. "
        "The project adds two deep-water berths and is expected to cost 480 million euros.\n\n"
        "Construction begins in March 2026 and should finish within four years. The harbour master, "
        "Ilse Varga, said the new berths would double the capacity of the port.\n",
    ),
    "rail.txt": (
        Metadata(title="Northern rail link opens", publisher="Plains Courier", date="2024-06-15"),
        "The northern rail link between Orsk and Delamere opened to passengers in June 2024. Trains run "
        "every thirty minutes and the journey takes 95 minutes.\n\n"
        "A later phase of the link, towards the coast, was approved by the regional council in 2023.\n",
    ),
    "summit.txt": (
        Metadata(title="Second Veltrana trade summit", publisher="Trade Ministry of Veltrana", date="2025-05-10"),
        "The second Veltrana trade summit was held in Marlow on 9 May 2025. Delegations from eleven "
        "countries attended and agreed to cut port fees.\n\n"
        "The first Veltrana trade summit had taken place in Tessaly in 2023.\n",
    ),
    "reservoir.txt": (
        Metadata(title="Reservoir levels fall", publisher="Valley Herald", date="2025-08-01"),
        "Reservoir levels fall across the valley\n\nBy Ilka Moravec\n\n"
        "Water in the Tessaly reservoir fell to 41 per cent of capacity in July 2025, the lowest level "
        "in a decade. Farmers were asked to cut irrigation by a fifth until the autumn rains.\n",
    ),
}


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    with synthetic_asker(tmp_path_factory.mktemp("synthetic"), SOURCES, embedder) as asker:
        yield asker


def test_answerable_question_is_answered_from_the_right_sentence(asker):
    answer = asker.ask("How long will it take to build the new berths?")
    assert not answer.abstained and answer.confidence > Scorer.load().threshold
    assert "four years" in answer.passages[0].highlight


@pytest.mark.parametrize(
    "question, title",
    [
        ("According to the Coastal Gazette, what will the project cost?", "Port of Veltrana expansion approved"),
        ("What did the Plains Courier report about how often trains run?", "Northern rail link opens"),
        # The date of a source names it as well as its publisher does.
        ("What did the June 2024 report say about the journey?", "Northern rail link opens"),
        # Initials name a publisher too, and are no unknown source.
        ("According to the PC report, how often do trains run?", "Northern rail link opens"),
    ],
)
def test_a_source_named_by_its_metadata_ranks_first(asker, question, title):
    answer = asker.ask(question)
    assert not answer.abstained
    assert answer.passages[0].citation.title == title


@pytest.mark.parametrize(
    "question, name",
    [
        ("According to the Yomiuri report, when does construction begin?", "Yomiuri"),
        ("According to Bloomberg, when does construction begin?", "'Bloomberg'"),
        # "regional" is in the text ("the regional council"), but no text names the Regional Times.
        ("According to the Regional Times, when does construction begin?", "'Regional Times'"),
        # A source is by the Coastal Gazette, but none by the Coastal Times.
        ("According to the Coastal Times, when does construction begin?", "'Coastal Times'"),
        # A body "of" a place: the texts name Veltrana, but no senate of it.
        ("According to the Senate of Veltrana, when does construction begin?", "'Senate of Veltrana'"),
        # "Per X" attributes as "according to X" does: "regional" and "times" are each in a text.
        ("Per the Regional Times, when does construction begin?", "'Regional Times'"),
        ("When does construction begin, per the Regional Times?", "'Regional Times'"),
        # The Coastal Gazette's story is of December 2025.
        ("In the 2023 Coastal Gazette report, when does construction begin?", "no source by that name is of that date"),
    ],
)
def test_a_source_the_library_lacks_is_named_in_the_reason(asker, question, name):
    answer = asker.ask(question)
    assert answer.abstained and name in answer.reason
    # The closest passages are still returned as evidence.
    assert answer.passages


@pytest.mark.parametrize(
    "question", ["Who wrote the Valley Herald report?", "Who is the author of the reservoir story?"]
)
def test_who_wrote_a_source_is_answered_by_its_byline(asker, question):
    answer = asker.ask(question)
    assert not answer.abstained
    assert answer.passages[0].citation.title == "Reservoir levels fall"
    assert "Ilka Moravec" in answer.passages[0].highlight


@pytest.mark.parametrize(
    "question, title, date",
    [
        ("When was the Valley Herald report published?", "Reservoir levels fall", "2025-08-01"),
        # Its text dates other things ("June 2024", "2023"), and shares no word with the question.
        ("When was the Plains Courier article published?", "Northern rail link opens", "2024-06-15"),
        # A story, a report or a piece, as much as an article: what it is called asks about nothing.
        ("When was the Plains Courier story published?", "Northern rail link opens", "2024-06-15"),
    ],
)
def test_when_a_source_came_out_is_answered_by_its_date_though_its_text_gives_none(asker, question, title, date):
    answer = asker.ask(question)
    assert not answer.abstained
    top = answer.passages[0].citation
    assert (top.title, top.date) == (title, date)


def test_when_a_named_source_s_story_on_something_else_came_out_is_not_answered_by_its_date(asker):
    # The Coastal Gazette's story is on the port; the rail link is another source's story.
    assert asker.ask("When was the Coastal Gazette report on the rail link published?").abstained


def test_when_a_study_a_source_reports_on_came_out_is_not_answered_by_the_source_s_date(asker):
    # The rail story is dated, but no study is in the library: its date says nothing of one.
    answer = asker.ask("When was the rail safety study published?")
    assert answer.abstained


def test_who_wrote_a_source_without_a_byline_is_not_answered_from_its_dateline(asker):
    answer = asker.ask("Who wrote the Coastal Gazette report?")
    assert answer.abstained and "name no author" in answer.reason


def test_a_named_source_that_does_not_answer_is_no_answer_however_well_another_does(asker):
    # The harbour story gives the cost; the Plains Courier's rail story says nothing of it.
    answer = asker.ask("According to the Plains Courier, what will the port expansion cost?", k=3)
    assert answer.abstained
    assert "Northern rail link opens" in answer.reason and "does not answer" in answer.reason
    assert answer.passages[0].citation.publisher == "Plains Courier"


def test_a_publisher_whose_name_has_small_words_in_it_is_named_whole(asker):
    # "of" does not end the name "Trade Ministry of Veltrana", whose summit story says nothing of the council.
    for question in (
        "According to the Trade Ministry of Veltrana, what did the regional council approve?",
        "What did the regional council approve, according to the Trade Ministry of Veltrana?",
    ):
        answer = asker.ask(question)
        assert answer.abstained and "(Second Veltrana trade summit) does not answer" in answer.reason


def test_a_document_described_by_names_its_text_holds_apart_is_not_an_unknown_source(asker):
    # The text says "between Orsk and Delamere", never "Orsk-Delamere".
    question = "What did the Orsk-Delamere rail statement say about the journey?"
    assert asker.matcher.unknown_source(question, asker.store.holds_name) is None
    assert not asker.ask(question).abstained


@pytest.mark.parametrize(
    "question, named",
    [
        ("What did the June 2024 article say about the journey?", {"rail"}),
        ("What did the report of 3 December 2025 say about the cost?", {"harbour"}),
        ("What did the Trade Ministry of Veltrana statement of May 2025 say?", {"summit"}),
        # No source is of that date: nothing is named, and nothing refused for it.
        ("What did the March 2019 report say about the journey?", set()),
        # A year the question is about, not the source's date.
        ("What did the regional council approve in 2024 according to the story?", set()),
        # A source that says or reports something.
        ("How often did the Plains Courier say trains run?", {"rail"}),
        ("How often do trains run, per Plains Courier?", {"rail"}),
        ("How often did PC say trains run?", {"rail"}),
        # A word of an outlet's name is not the outlet: Veltrana here is a place.
        ("When did Veltrana say its port fees would fall?", set()),
    ],
)
def test_a_source_named_by_its_date_is_named(asker, question, named):
    assert asker.matcher.named(question) == named


def test_the_highlight_answers_what_is_asked_not_how_the_source_was_named(asker):
    # The clause naming the source echoes the story's first sentence; the answer is the second.
    question = (
        "In the Plains Courier report on the northern rail link between Orsk and Delamere, how often do trains run?"
    )
    assert the_ask(question) == "How often do trains run?"
    assert "every thirty minutes" in asker.ask(question).passages[0].highlight
    # A date written month first keeps a comma before its year inside the clause.
    assert the_ask("In the Plains Courier's June 15, 2024 report, how often do trains run?") == (
        "How often do trains run?"
    )
    assert the_ask("In the report on Orsk, Delamere and Marlow, how often do trains run?") is None


@pytest.mark.parametrize(
    "question, refused",
    [
        ("In the Harbour Wire report of 1 July 2031, who spoke?", False),  # dated the 2nd: filed the day before
        ("In the Harbour Wire report of 20 July 2031, who spoke?", True),
        ("In the Quay Review's April 2031 explainer, who spoke?", False),  # undated: it may be of any date
        # Harbour Wire is dated; the undated Harbour Board shares only a word of its name.
        ("In the 2028 Harbour Wire report, who spoke?", True),
        # An index built before impossible dates were refused may hold one: no crash.
        ("In the Dock Herald report of 3 March 2031, who spoke?", True),
    ],
)
def test_a_source_named_with_another_date_is_refused_only_when_its_date_is_known_and_far(question, refused):
    matcher = SourceMatcher(
        [
            ("wire", "Synthetic wire story", "Harbour Wire", "2031-07-02", None),
            ("quay", "Synthetic", "Quay Review", None, None),
            ("board", "Synthetic", "Harbour Board", None, None),
            ("dock", "Synthetic", "Dock Herald", "2031-02-30", None),
        ]
    )
    assert (matcher.misdated(question, lambda words, **how: False) is not None) == refused


@pytest.mark.parametrize(
    "question, named",
    [
        # Who says it is the publisher: not the story about it by another outlet.
        ("According to the Coastal Gazette, what will the project cost?", {"gazette"}),
        # Named with a date that the dated one of that name does not have: only the undated one may be of it.
        ("In the Harbour Wire report of June 2019, what rate was set?", {"wire-undated"}),
        ("In the Harbour Wire report of July 2031, what rate was set?", {"wire"}),
        # The date is the statement's, not the report's.
        ("What did the Harbour Wire report say about the June 2019 statement?", {"wire", "wire-undated"}),
    ],
)
def test_the_source_a_question_names_is_the_one_its_publisher_and_date_fit(question, named):
    matcher = SourceMatcher(
        [
            ("gazette", "Port expansion approved", "Coastal Gazette", "2025-12-03", None),
            ("about-gazette", "Coastal Gazette sold to a new owner", "Plains Courier", "2026-01-10", None),
            ("wire", "Synthetic wire story", "Harbour Wire", "2031-07-02", None),
            ("wire-undated", "Another synthetic wire story", "Harbour Wire", None, None),
        ]
    )
    assert matcher.named(question) == named


@pytest.mark.parametrize(
    "question",
    [
        "According to Ilse Varga, what would the new berths double?",
        # The text says "The harbour master, Ilse Varga": the words of the name stand together.
        "According to Harbour Master Varga, what would the new berths double?",
        # A person "of" a place: the text names the person, not the two together.
        "According to Ilse Varga of Veltrana, what would the new berths double?",
        "According to the Coastal Gazette on Tuesday, what would the new berths double?",
    ],
)
def test_a_name_the_text_holds_is_not_an_unknown_source(asker, question):
    # The harbour master is quoted in a source, so the question is answered from it.
    answer = asker.ask(question)
    assert not answer.abstained
    assert "capacity" in answer.passages[0].highlight


def test_the_day_of_the_date_a_source_is_named_by_is_not_asked_of_its_text(asker):
    # The harbour story is of 3 December 2025; its text says "2 December", never "3". Naming it
    # by its day makes the answer no less sure than naming it by its month.
    by_day = asker.ask("In the Coastal Gazette report of 3 December 2025, what will the project cost?")
    by_month = asker.ask("In the Coastal Gazette report of December 2025, what will the project cost?")
    assert not by_day.abstained, by_day.reason
    assert "480 million euros" in by_day.passages[0].highlight
    assert by_day.confidence > by_month.confidence - 0.05


def test_a_named_source_that_does_not_answer_says_which_and_why_in_one_sentence(asker):
    answer = asker.ask("According to the Plains Courier, how many stations does the rail link have?")
    assert answer.abstained
    assert answer.reason.startswith(
        "the source the question names (Northern rail link opens) does not answer it; its passages never count"
    )


def test_a_name_is_held_by_the_text_only_as_written_not_by_its_stems(asker):
    # "every thirty minutes" holds "thirty minutes", not "Thirty Minute" (as "Taipei time" holds
    # no "Taipei Times"), so a source of that name is one the library lacks.
    assert asker.store.holds_name(["thirty", "minutes"])
    assert not asker.store.holds_name(["thirty", "minute"])
    answer = asker.ask("According to the Thirty Minute, how often do trains run?")
    assert answer.abstained and "Thirty Minute" in answer.reason


def test_a_question_that_names_its_source_gets_that_source_first_whatever_another_says(asker):
    # The regional council is in two sources; the harbour story matches the question far better,
    # as the question read without the sources' metadata (naming nothing) shows.
    question = "According to the Plains Courier, what expansion did the regional council approve?"
    unnamed = retrieve.analyse(asker.store, asker.embedder.encode, [question])[0]
    assert retrieve.retrieve(asker.store, asker.index, unnamed, 3, "hybrid", asker.scorer)[0].chunk.doc_id != "rail"
    passages = asker.ask(question, k=3).passages
    assert passages[0].citation.publisher == "Plains Courier"
    assert "later phase" in passages[0].text


@pytest.mark.parametrize(
    "question",
    [
        "According to Section 2, how often do trains run?",
        "According to Table 3, what did it cost?",
        # A unit after "per" names no source.
        "How much does the ferry cost per KWh?",
    ],
)
def test_a_part_of_a_source_is_not_a_source_the_library_lacks(asker, question):
    assert asker.matcher.unknown_source(question, lambda words: False) is None


def test_an_unrelated_question_abstains_and_still_shows_the_closest_passages(asker):
    answer = asker.ask("Which striker scored the most goals in the football season?", k=3)
    assert answer.abstained and answer.reason and answer.confidence < Scorer.load().threshold
    assert len(answer.passages) == 3
    assert answer.to_dict()["abstained"] is True and answer.to_dict()["reason"] == answer.reason


def test_abstaining_does_not_depend_on_how_many_passages_are_shown(asker):
    for question in ("How long will it take to build the new berths?", "Who won the 1970 chess olympiad?"):
        assert len({asker.ask(question, k=k).abstained for k in (1, 3, 10)}) == 1


def test_an_edition_the_sources_do_not_have_is_evidence_against_answering(asker):
    question = asker.analyse(["Where was the fifth Veltrana trade summit held?"])[0]
    candidates = asker.candidates(question)
    row, reasons = abstain.evidence(question, candidates, asker.matcher)
    assert row[abstain.FEATURES.index("edition")] == 1.0
    assert "not the fifth Veltrana trade summit" in reasons[0]
    # The same question for the edition the sources have raises no such evidence.
    question = asker.analyse(["Where was the second Veltrana trade summit held?"])[0]
    row, _ = abstain.evidence(question, asker.candidates(question), asker.matcher)
    assert row[abstain.FEATURES.index("edition")] == 0.0


def test_a_word_only_in_the_metadata_is_not_missing(asker):
    question = asker.analyse(["What did the Coastal Gazette say about the harbour master?"])[0]
    candidates = asker.candidates(question)
    _, reasons = abstain.evidence(question, candidates, asker.matcher)
    assert not any("never mention" in r for r in reasons)
    top = candidates[0]
    assert top.feature("meta") > 0


def test_a_name_spelt_one_letter_off_is_not_missing_but_another_year_is(asker):
    question = asker.analyse(["What did the harbour master Ilse Vargas say about the berths?"])[0]
    row, reasons = abstain.evidence(question, asker.candidates(question), asker.matcher)
    assert row[abstain.FEATURES.index("unnamed")] == 0.0
    assert not any("never mention" in r for r in reasons)
    question = asker.analyse(["Which line did the regional council approve in 2022?"])[0]
    _, reasons = abstain.evidence(question, asker.candidates(question), asker.matcher)
    assert "the passages found never mention '2022'" in reasons


def test_a_date_beside_only_a_name_is_weaker_evidence_than_none_at_all(asker):
    kind = abstain.FEATURES.index("kind")
    # "opened ... in June 2024" shares the names, not "connected": it may still be the answer.
    question = asker.analyse(["When was Orsk connected to Delamere?"])[0]
    row, reasons = abstain.evidence(question, asker.candidates(question), asker.matcher)
    assert row[kind] == 0.5 and not any("give no date" in r for r in reasons)
    question = asker.analyse(["When was Ilse Varga born?"])[0]
    row, reasons = abstain.evidence(question, asker.candidates(question), asker.matcher)
    assert row[kind] == 1.0 and "the question asks when and the sentences found give no date" in reasons


def test_baselines_rank_by_one_retriever(asker):
    question = "How often do trains run between Orsk and Delamere?"
    lexical = asker.ask(question, k=3, mode="bm25")
    assert "thirty minutes" in lexical.passages[0].text and lexical.confidence is None
    dense = asker.ask(question, k=3, mode="dense")
    scores = [p.score for p in dense.passages]
    assert scores == sorted(scores, reverse=True)


def test_a_rowid_the_database_no_longer_holds_is_skipped(asker, monkeypatch):
    # What FAISS returns when a build committed after the index was read: a passage that is gone.
    question = asker.analyse(["How long will it take to build the new berths?"])[0]
    expected = [s.chunk.text for s in asker.candidates(question)]
    gone = 10**9
    found = retrieve.candidates

    def with_a_stale_rowid(*args, **kwargs):
        lexical, dense = found(*args, **kwargs)
        return lexical, [*dense, (gone, 0.0)]

    monkeypatch.setattr(retrieve, "candidates", with_a_stale_rowid)
    ranked = asker.candidates(question)
    assert gone not in asker.store.chunks([gone])
    assert [s.chunk.text for s in ranked] == expected
