"""A name asked for as the text does not write it, and an answer written after a colon. The
stories are synthetic, written for these tests; none of the questions is from an evaluation set."""

from __future__ import annotations

import pytest
from synthetic import synthetic_asker

from citeqa.corpus import tokens
from citeqa.index.library import Metadata
from citeqa.qa import abstain
from citeqa.qa.checks import apart

MINES = (
    "Vell and the US sign a pact on rare earth supplies\n\n"
    "The US, which has one operational rare earth mine, signed a supply pact with Vell on Monday. "
    "Vell will ship processed ore from its northern smelters from next spring.\n"
)

PADDY = (
    "Vell lifts its paddy support price\n\n"
    "To encourage more rice cultivation, Vell raised the minimum support price for common paddy by 7% "
    "to 2,183 crowns per 100 kg. The farm ministry said the new rate applies from the autumn harvest.\n"
)

BENCHMARKS = (
    "Council agrees its position on the raw materials law\n\n"
    "The council met in Marlow on Tuesday. More specifically, the ministers agreed on making the "
    "following changes to the commission's draft:\n\n"
    "Raising the benchmark for domestic recycling from 15 to 25%.\n\n"
    "Adding cobalt to the list of strategic materials.\n"
)


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    sources = {
        "mines.txt": (Metadata(publisher="Harbour Post"), MINES),
        "benchmarks.txt": (Metadata(publisher="Council Press Office"), BENCHMARKS),
        "paddy.txt": (Metadata(publisher="Vell Farm Weekly"), PADDY),
    }
    with synthetic_asker(tmp_path_factory.mktemp("forms"), sources, embedder, bundled=False) as asker:
        yield asker


def test_a_name_the_text_writes_as_its_initials_is_mentioned(asker):
    answer = asker.ask("How many rare earth mines does the United States operate?", k=1)
    assert not answer.abstained, answer.reason
    assert "one operational rare earth mine" in answer.passages[0].highlight
    # Spelled out, the name is held about as well as the text's own "US" is.
    short = asker.ask("How many rare earth mines does the US operate?", k=1)
    assert answer.confidence > short.confidence - 0.15


def test_initials_the_text_writes_out_in_lower_case_are_mentioned(asker):
    question = asker.analyse(["By how much did Vell raise the MSP for common paddy?"])[0]
    candidates = abstain.weighed(question, asker.candidates(question))
    assert "2,183 crowns" in candidates[0].chunk.text
    row, reasons = abstain.evidence(question, candidates, asker.matcher)
    assert row[abstain.FEATURES.index("unnamed")] == 0 and not any("MSP" in reason for reason in reasons)


@pytest.mark.parametrize(
    "text, initials, found",
    [
        ("raised the minimum support price for paddy", {"msp"}, {"msp"}),
        ("plans for small modular reactors", {"smr"}, {"smr"}),
        ("the Ministry of External Affairs said", {"mea", "moea"}, {"mea", "moea"}),
        # A Roman numeral stands for its letters; "World War I" is not "World War II".
        ("after World War II, it grew", {"wwii", "wwi"}, {"wwii"}),
        # Stopwords and a clause's end break a run: these spell nothing.
        ("Warsaw was incorporated into the kingdom", {"wwii"}, set()),
        # Only a name's function words are passed over.
        ("the fund for better infrastructure", {"fbi", "ffbi"}, {"ffbi"}),
        ("the minimum, support price", {"msp"}, set()),
        # Two letters are spelled by any two words.
        ("letters of credit", {"lc"}, set()),
    ],
)
def test_initials_written_out_in_words_of_any_case(text, initials, found):
    assert tokens.written_out(text, initials) == found


def test_initials_are_read_from_capitals_not_from_a_pronoun():
    assert "us" in tokens.initialisms("The US signed it.") and "us" in tokens.initialisms("The U.S. signed it.")
    assert "us" not in tokens.initialisms("They told us so.")
    # A line set all in capitals shouts; "a.m." and "i.e." abbreviate no name.
    assert not tokens.initialisms("COBALT MARKET OUTLOOK TO 2030\nThey met at 10 a.m., i.e. early.")
    ((written, words, initials),) = tokens.spelled_out("Did the United States sign?")
    assert written == "Did the United States" and words == ["united", "states"] and "us" in initials


def test_a_sentence_ending_in_a_colon_is_highlighted_with_what_follows_it(asker):
    answer = asker.ask("What changes did the ministers agree to make to the commission's draft?", k=1)
    assert not answer.abstained, answer.reason
    highlight = answer.passages[0].highlight
    assert highlight.startswith("More specifically") and highlight.endswith("from 15 to 25%.")


@pytest.mark.parametrize(
    "question, text, fires",
    [
        # Each word is there, never together: "Energy" in one sentence, "Agency" in another.
        (
            "Who signed with the International Energy Agency?",
            "Orsk News Agency reported that energy prices rose as international trade grew.",
            1,
        ),
        ("Who signed with the International Energy Agency?", "The International Energy Agency signed.", 0),
        ("Who signed with the International Energy Agency?", "The IEA signed it.", 0),
        # Written whole in another order, or with a middle initial; a date names nothing.
        ("What did the Commerce Department say?", "The Department of Commerce said so.", 0),
        ("What did Jane Smith say?", "Jane M. Smith said so.", 0),
        ("What was decided on Monday March 3?", "They met on Monday, 3 March, in Orsk.", 0),
        # Names joined by "and" are each a name.
        ("What did Modi and Ishiba agree?", "Prime Minister Modi met Ishiba.", 0),
    ],
)
def test_a_name_whose_words_stand_only_apart_is_not_named(question, text, fires):
    assert apart(question, [text], tokens.initialisms(text))[0] == fires
