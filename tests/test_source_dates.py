"""A question about a year after its best source came out. The story is synthetic, written for
these tests; none of the questions is from an evaluation set."""

from __future__ import annotations

import pytest
from synthetic import synthetic_asker

from citeqa.index.library import Metadata

NICKEL = (
    "Orsk nickel exports fall as smelter closes\n\n"
    "Orsk exported 40 tonnes of refined nickel in March 2021, down from 65 tonnes a year earlier, "
    "customs data showed on Friday. The Vell smelter closed for repairs in February.\n"
)
# Another story, dated 2023: a year the library never mentions is refused for that alone.
CHOIR = "The Marlow children's choir sang at the cathedral on Sunday to a full house.\n"


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    sources = {"nickel.txt": (Metadata(publisher="Quay Wire", date="2021-04-02"), NICKEL)}
    sources["choir.txt"] = (Metadata(publisher="Orrin Weekly", date="2023-02-05"), CHOIR)
    with synthetic_asker(tmp_path_factory.mktemp("dated"), sources, embedder, bundled=False) as asker:
        yield asker


@pytest.mark.parametrize(
    "question",
    [
        "How many tonnes of refined nickel did Orsk export in March 2023?",
        # A year set against the source's own is still asked about.
        "How much more refined nickel did Orsk export in 2023 than in 2021?",
    ],
)
def test_a_source_cannot_report_a_year_after_it_came_out(asker, question):
    answer = asker.ask(question)
    assert answer.abstained
    assert answer.reason == "the best passage's source came out on 2021-04-02, before 2023, the year asked about"
    # The closest passages are still shown, marked as not answering.
    assert "40 tonnes" in answer.passages[0].text


@pytest.mark.parametrize(
    "question",
    [
        "How many tonnes of refined nickel did Orsk export in March 2021?",
        # What is expected later is no year a source reports; nor a year after every source's date.
        "How many tonnes of refined nickel was Orsk expected to export in 2023?",
        "How many tonnes of refined nickel did Orsk export in 2024?",
        # When a source came out is its own date, whatever year the question speaks of.
        "When was the Quay Wire story about the smelter reopening in 2023 published?",
        # A span from the source's own year: it may be named before it ends.
        "How many tonnes of refined nickel did Orsk export between March 2021 and March 2023?",
    ],
)
def test_a_year_the_source_may_speak_of_is_not_refused_by_its_date(asker, question):
    answer = asker.ask(question)
    assert "came out" not in (answer.reason or "")


ORSK = "How many tonnes of refined nickel did Orsk export in March 2023?"
LATER = "Orsk exported 52 tonnes of refined nickel in the spring as the Vell smelter reopened.\n"


@pytest.mark.parametrize(
    "later, date, question, refused",
    [
        # A 2023 story on Orsk's nickel exports ranks near the 2021 one: it may report March 2023,
        # and so when the question names nothing but the month.
        (LATER, "2023-06-01", ORSK, False),
        (LATER, "2023-06-01", "How many tonnes of refined nickel were exported in March 2023?", False),
        # One that only names Orsk, or only the month, does not; nor a weak one naming the year.
        ("The Orsk folk choir sang at the cathedral on Sunday to a full house.\n", "2023-06-01", ORSK, True),
        ("The Marlow children's choir sang at the cathedral in March to a full house.\n", "2023-06-01", ORSK, True),
        ("The Marlow children's choir opened its 2023 season at the cathedral.\n", "2024-05-01", ORSK, True),
    ],
)
def test_a_later_source_near_the_best_may_report_the_year(tmp_path, embedder, later, date, question, refused):
    sources = {
        "nickel.txt": (Metadata(publisher="Quay Wire", date="2021-04-02"), NICKEL),
        "later.txt": (Metadata(publisher="Orrin Weekly", date=date), later),
    }
    with synthetic_asker(tmp_path, sources, embedder, bundled=False) as asker:
        answer = asker.ask(question)
    assert ("came out" in (answer.reason or "")) == refused


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
    with synthetic_asker(tmp_path_factory.mktemp("trip"), sources, embedder, bundled=False) as asker:
        yield asker


def test_a_clause_naming_a_source_still_says_which_of_its_passages_is_meant(trip):
    # "on the berths' cost" is no part of the story's name: the passage on the berths holds it.
    (question,) = trip.analyse(["In the Quay Wire report on the new berths' cost, how would it be divided?"])
    candidates = trip.candidates(question)
    berths = next(s for s in candidates if "new berths" in s.chunk.text)
    lead = next(s for s in candidates if s.chunk.text.startswith("Envoy Tamsin Rook"))
    assert berths.feature("idf_coverage") > lead.feature("idf_coverage")


@pytest.mark.parametrize(
    "day, held",
    [
        # The story of 12 June tells the Monday it reports by its weekday; its date holds the
        # month and year. A day up to a week before it, or the day after (a dateline's time
        # zone), is one it may report so.
        ("9 June 2031", True),
        ("June 11, 2031", True),
        ("12 June 2031", True),
        ("5 June 2031", True),
        ("13 June 2031", True),
        # A day more than a week before, or two days after, is not.
        ("4 June 2031", False),
        ("14 June 2031", False),
    ],
)
def test_a_day_a_story_reports_by_its_weekday_is_held_by_its_date(trip, day, held):
    # The story gives no cost, so citeqa abstains; the reason it gives is the user's to read.
    answer = trip.ask(f"How much will dredging the northern channel cost, as Rook and Varga agreed on {day}?")
    number = day.split()[0] if day[0].isdigit() else day.split()[1].rstrip(",")
    assert answer.abstained
    assert (f"never mention '{number}'" not in answer.reason) == held
