"""A question about a year after its best source came out. The story is synthetic, written for
these tests; none of the questions is from an evaluation set."""

from __future__ import annotations

import pytest
from synthetic import synthetic_library

from citeqa.index.library import Metadata
from citeqa.qa.answer import Asker

NICKEL = (
    "Orsk nickel exports fall as smelter closes\n\n"
    "Orsk exported 40 tonnes of refined nickel in March 2021, down from 65 tonnes a year earlier, "
    "customs data showed on Friday. The Vell smelter closed for repairs in February and is due to "
    "reopen in 2023.\n"
)


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    sources = {"nickel.txt": (Metadata(publisher="Quay Wire", date="2021-04-02"), NICKEL)}
    library = synthetic_library(tmp_path_factory.mktemp("dated"), sources, embedder, bundled=False)
    with Asker(library, embedder) as asker:
        yield asker


def test_a_source_cannot_report_a_year_after_it_came_out(asker):
    answer = asker.ask("How many tonnes of refined nickel did Orsk export in March 2023?")
    assert answer.abstained
    assert answer.reason == "the best passage's source came out on 2021-04-02, before 2023, the year asked about"
    # The closest passages are still shown, marked as not answering.
    assert "40 tonnes" in answer.passages[0].text


@pytest.mark.parametrize(
    "question",
    [
        "How many tonnes of refined nickel did Orsk export in March 2021?",
        # What is expected later, and a year not yet come, are no years a source reports.
        "How many tonnes of refined nickel was Orsk expected to export in 2023?",
        "How many tonnes of refined nickel will Orsk export in 2099?",
    ],
)
def test_a_year_the_source_may_speak_of_is_not_refused_by_its_date(asker, question):
    answer = asker.ask(question)
    assert "came out" not in (answer.reason or "")


TRIP = (
    "Envoy Tamsin Rook ends Marlow trip with pledge on ports\n\n"
    "Marlow, June 12: Orrin's envoy Tamsin Rook ended her three-day Marlow trip on Wednesday with a "
    "pledge to deepen port cooperation, calling the June 2031 visit and her talks with Vell's ministers "
    "a milestone. "
    "Rook, who arrived in Marlow on Monday, told reporters the trip had opened a new chapter, and "
    "Marlow officials praised the envoy's visit as the most productive in a decade. The trip "
    "followed a year of talks on shipping lanes, customs rules and the shared ferry timetable, and "
    "both sides said they would publish a joint note on the visit within a month. Rook's office said "
    "the envoy would brief Orrin's parliament on the Marlow trip before the summer recess, and that a "
    "Vell delegation was expected in Orrin in the autumn to continue the work begun during the visit.\n\n"
    "On Monday, Rook held extensive talks with Vell's harbour minister, Ilse Varga, on dredging the "
    "northern channel and on pilot training. A second round of talks with the Vell finance ministry "
    "covered the cost of new berths, which both sides agreed to share equally. Rook also met the "
    "mayor of Marlow and the chairs of two shipping firms, who pressed for lower port fees and faster "
    "customs checks at the quay. The harbour minister said a working group would report by December "
    "on the channel, and invited Rook to return for its first meeting.\n"
)


@pytest.fixture(scope="module")
def trip(tmp_path_factory, embedder):
    sources = {
        "trip.txt": (Metadata(publisher="Quay Wire", date="2031-06-12"), TRIP),
        "other.txt": (Metadata(publisher="Harbour Post", date="2031-05-02"), "Vell's ports plan new berths.\n"),
    }
    library = synthetic_library(tmp_path_factory.mktemp("trip"), sources, embedder, bundled=False)
    with Asker(library, embedder) as asker:
        yield asker


def test_a_named_source_s_passages_are_weighed_by_what_is_asked_not_how_it_is_named(trip):
    # The lead holds the clause's words (trip, Marlow, June 2031, envoy); the answer, what is asked:
    # of the named source's passages, the answer holds all of it, and the ranker is told so.
    (question,) = trip.analyse(
        [
            "In the Quay Wire report on the envoy's Marlow trip in June 2031, which minister held "
            "extensive talks with her on the Monday?"
        ]
    )
    answering = next(s for s in trip.candidates(question) if "Ilse Varga" in s.chunk.text)
    assert answering.feature("coverage") == 1.0 and answering.feature("idf_coverage") == 1.0
