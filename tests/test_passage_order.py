"""The order of a source's passages: by what the question asks of it, not by the name it gives
the source or the topic the source's title states, which its opening passage writes again.

Every source, person and place here is invented for these tests; none enters the default
corpus, and none of the questions is from an evaluation set.
"""

from __future__ import annotations

import pytest
from synthetic import synthetic_asker

from citeqa.index.library import Metadata

# A story whose lead repeats its headline's topic, and whose answer stands further down in words
# of its own ("the adviser", "discussions"), as news writes.
STORY = (
    "Mara Venn's Paris trip: Orrinland's security adviser opens strategic talks in Paris\n\n"
    "PARIS: Mara Venn, Orrinland's national security adviser, began a three-day trip to Paris in "
    "October 2031 for strategic talks with France, her second trip to Paris this year. Venn's Paris "
    "trip comes as the two countries prepare a roadmap for the next decade, and the trip was "
    "announced by her office a week before. Officials said the Paris trip would cover defence, "
    "space and the security of undersea cables, and that Venn would meet several members of the "
    "French government during the trip. Venn last visited Paris in March, when she opened the "
    "first round of the talks, and her office said this second round would look at what had been "
    "done since then. The trip is her fourth abroad this year, after visits to Lisbon, Oslo and "
    "Vienna, and the longest of them.\n\n"
    "On Monday, the adviser held extensive discussions with Armed Forces Minister Tomas Reille, "
    "with the embassy stating that their dialogue aimed at deepening defence cooperation and "
    "advancing space collaboration. They also shared views on the geopolitical landscape, on the "
    "submarine programme and on the joint training of naval officers, and agreed to meet again "
    "before the end of the year in Orrin City.\n\n"
    "On Tuesday she called on the President at the Elysee Palace, where the two discussed the "
    "situation in the Indian Ocean, and on Wednesday she visited a shipyard in Cherbourg before "
    "flying home. Her office said the visit had set the agenda for the annual summit, due in "
    "Orrin City in February 2032, and that a statement would follow in the coming days.\n"
)
OTHER = (
    "The harbour board of Quillmarsh approved two new berths on 3 March 2031, at a cost of 120 "
    "million euros. Construction begins in May 2031 and is due to end in 2033.\n"
)
SOURCES = {
    "venn-paris.txt": (
        Metadata(title="Mara Venn's Paris trip opens strategic talks", publisher="Lantern Times", date="2031-10-14"),
        STORY,
    ),
    "berths.txt": (Metadata(title="Quillmarsh berths approved", publisher="Coastal Gazette", date="2031-03-04"), OTHER),
}


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    with synthetic_asker(tmp_path_factory.mktemp("named-order"), SOURCES, embedder, bundled=False) as asker:
        yield asker


@pytest.mark.parametrize(
    "question",
    [
        "In the Lantern Times report on Mara Venn's Paris trip, which minister did she hold talks with on Monday?",
        # What is asked repeats the title's words ("Venn", "Paris trip"), which every passage of
        # the story is about: the rest of it ("armed forces minister", "discussions") is asked.
        "According to the Lantern Times, which armed forces minister did Venn hold discussions with on her Paris trip?",
    ],
)
def test_the_passage_that_answers_ranks_above_the_lead_that_repeats_the_name_the_question_gives(asker, question):
    answer = asker.ask(question)
    assert not answer.abstained
    assert "Tomas Reille" in answer.passages[0].text
    # The lead was found too, below it.
    assert any(p.text.startswith("Mara Venn's Paris trip") for p in answer.passages[1:])


@pytest.mark.parametrize(
    "question",
    [
        "On her Paris trip, which armed forces minister did Venn hold discussions with?",
        "With which minister did Venn discuss defence cooperation and space collaboration during the Paris trip?",
    ],
)
def test_the_passage_that_answers_ranks_above_the_opening_that_shares_the_title_s_topic(asker, question):
    answer = asker.ask(question)
    assert not answer.abstained
    assert "Tomas Reille" in answer.passages[0].text
    # The opening was found too, below it, and the relevance shown falls in the order shown.
    assert any(p.text.startswith("Mara Venn's Paris trip") for p in answer.passages[1:])
    assert [p.score for p in answer.passages] == sorted((p.score for p in answer.passages), reverse=True)
