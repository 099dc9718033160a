"""The order of a source's passages: by what the question asks of it, not by the name it gives
the source or the topic the source's title states, which its opening passage writes again.

Every source, person and place here is invented for these tests; none enters the default
corpus, and none of the questions is from an evaluation set.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from synthetic import synthetic_asker

from citeqa.index.library import Metadata
from citeqa.qa.cli import cli

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
        # The question names the source, by its publisher and title.
        "In the Lantern Times report on Mara Venn's Paris trip, which minister did she hold talks with on Monday?",
        # What is asked repeats the title's words ("Venn", "Paris trip"), which every passage of
        # the story is about: the rest of it ("armed forces minister", "discussions") is asked.
        "According to the Lantern Times, which armed forces minister did Venn hold discussions with on her Paris trip?",
        # No source is named, and the story's opening, which shares the title's topic, ranks best.
        "On her Paris trip, which armed forces minister did Venn hold discussions with?",
        "With which minister did Venn discuss defence cooperation and space collaboration during the Paris trip?",
    ],
)
def test_the_passage_that_answers_is_shown_above_the_lead_that_repeats_the_title(asker, question):
    answer = asker.ask(question)
    assert not answer.abstained
    first = answer.passages[0]
    assert "Tomas Reille" in first.text
    # The lead was found too, below it, with the higher score that ranked it first on the whole
    # question; the passage above it says why it stands there, in the terminal and in JSON.
    lead = next(p for p in answer.passages[1:] if p.text.startswith("Mara Venn's Paris trip"))
    assert lead.score > first.score and first.to_dict()["asked_of_source"] and not lead.asked_of_source


def test_the_terminal_says_why_a_passage_stands_above_a_higher_score(asker):
    question = "On her Paris trip, which armed forces minister did Venn hold discussions with?"
    result = CliRunner().invoke(cli, ["--home", str(asker.library.home), "ask", "-k", "3", question])
    assert result.exit_code == 0, result.output
    first, second = result.output.split("[2]")[0], result.output.split("[2]")[1]
    note = "above its source's higher-scored passages: it holds more of what is asked beyond the source's title"
    assert "Tomas Reille" in first and note in first and note not in second


def test_a_passage_is_shown_once_when_a_named_source_lies_beyond_the_first_candidates(tmp_path_factory, embedder):
    # A hundred passages on the harbour fill both first searches; the named source's passages,
    # which speak of the harbour board once and never name their publisher, come from the search
    # within it, where BM25 and the dense search both find them.
    harbour = "\n\n".join(
        f"On day {n} the harbour board of Quillmarsh met on the berths, the ferry timetable and the cost "
        f"of dredging the channel, item {n} of its agenda. " * 10
        for n in range(120)
    )
    guide = "\n\n".join(
        f"Part {n}: a guide to the hill villages, their markets and walking paths, with notes on inns "
        f"and the mountain railway, section {n}. " * 8 + "Its harbour board once spoke of berths."
        for n in range(30)
    )
    sources = {
        "harbour.txt": (Metadata(title="Harbour board minutes", publisher="Quillmarsh Board"), harbour + "\n"),
        "villages.txt": (Metadata(title="Hill villages", publisher="Vell Courier"), guide + "\n"),
    }
    with synthetic_asker(tmp_path_factory.mktemp("many"), sources, embedder, bundled=False) as asker:
        answer = asker.ask("According to the Vell Courier, what did the harbour board discuss about the berths?", k=40)
    texts = [p.text for p in answer.passages]
    assert len(texts) == 40 and len(set(texts)) == 40
    assert all(p.named_source for p in answer.passages[:30])


def test_a_source_that_repeats_a_passage_shows_it_once(tmp_path_factory, embedder):
    # A synthetic manual bound in three times over, as a user's file was: its one answer is shown
    # once, and the other passages shown are the rest of the manual.
    manual = "\n\n".join(
        f"Chapter {n}. The Orrin kiln manual, part {n}: stack the tiles in rows of {n + 3} and wait "
        f"{n + 1} hours before the next firing. " * 6
        for n in range(8)
    )
    answer_part = "The Orrin kiln must never be fired above 1,240 degrees, the manual warns, or the glaze cracks."
    text = "\n\n".join([manual, answer_part] * 3) + "\n"
    sources = {"kiln.txt": (Metadata(title="Orrin kiln manual", publisher="Orrin Works"), text)}
    with synthetic_asker(tmp_path_factory.mktemp("repeated"), sources, embedder, bundled=False) as asker:
        answer = asker.ask("Above what temperature must the Orrin kiln never be fired?", k=5)
    texts = [" ".join(p.text.split()) for p in answer.passages]
    assert len(texts) == 5 and len(set(texts)) == 5
    assert "1,240 degrees" in texts[0]
