"""A question naming two things the library never mentions is refused, saying which; one is
left to the model's weighing (synthetic sources, the real model and index)."""

from __future__ import annotations

import pytest
from synthetic import synthetic_asker

from citeqa.corpus import tokens
from citeqa.index.library import Metadata
from citeqa.qa import absent, abstain, spelling
from citeqa.qa.sources import SourceMatcher

SOURCES = {
    "fund.txt": (
        Metadata(title="Orrin fund buys into copper", publisher="Harbour Wire", date="2031-04-02"),
        "The Orrin Mining Fund offered 2 billion dollars for a stake in the Tessaly copper mine, "
        "officials in Marlow said. Japan and the DRC will buy most of the mine's output.\n\n"
        "Chile's lithium agency said it would study a similar offer next year.\n",
    ),
}


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    with synthetic_asker(tmp_path_factory.mktemp("absent"), SOURCES, embedder, bundled=False) as asker:
        yield asker


def test_the_index_spells_a_name_as_written_or_as_a_close_variant(asker):
    spelled = {name: asker.store.spells(name) for name in ["Tessaly", "Japanese", "Kinshasa", "Chilean", "Rwanda"]}
    # Japanese for Japan, Kinshasa for the DRC, Chilean for Chile; Rwanda is in no text.
    assert spelled == {"Tessaly": True, "Japanese": True, "Kinshasa": True, "Chilean": True, "Rwanda": False}


def test_a_question_naming_two_things_the_library_never_mentions_is_refused_saying_which(asker):
    answer = asker.ask("What price did the Orrin Mining Fund offer for a stake in the Kessa Dun mine?")
    assert answer.abstained
    assert answer.reason.startswith("the sources never mention") and "'Kessa', 'Dun'" in answer.reason
    # The closest passages are still shown.
    assert "Tessaly copper mine" in answer.passages[0].text


def test_one_name_the_library_never_mentions_is_left_to_the_model(asker):
    answer = asker.ask("What price did the Orrin Mining Fund offer for a stake in the Kessa copper mine?")
    assert not (answer.reason or "").startswith("the sources never mention")
    # Initials the text spells out are held: the OMF is the Orrin Mining Fund.
    answer = asker.ask("What price did the OMF offer for a stake in the Kessa Dun mine?")
    assert answer.reason is None or "'OMF'" not in answer.reason
    # Metadata holds names too: the publisher and the title's words are no absent names.
    answer = asker.ask("According to Harbour Wire, what did the Orrin fund offer for the Tessaly stake?")
    assert not answer.abstained


@pytest.mark.parametrize(
    "question",
    [
        # A text may write a number otherwise ("1755, 56, 57"), a quarter or a half in words.
        "Why did the fund fail in 1755, 56 and 57?",
        "What were the fund's Q3 revenue and H1 profit?",
        # Months and days are dates, "U.S." no two names.
        "What did the fund say on Dec. 3 and Jan. 5?",
        "What did U.S. officials say about the fund?",
        # Common words may be said otherwise ("the premier"): one absent name must be rare.
        "What did the Prime Minister say about the fund?",
        # In title case or capitals every word looks like a name.
        "How Much Funding Will Kessa Bank Provide To Marlow?",
        "HOW MUCH FUNDING WILL KESSA BANK PROVIDE?",
    ],
)
def test_numbers_dates_letters_and_capitalised_questions_are_no_absent_names(question):
    matcher = SourceMatcher([("a", "Synthetic", "Harbour Wire", "2031-04-02", None)])
    assert absent.absent_names(question, matcher, lambda *a, **k: False, lambda name: False) == []


def test_initials_the_index_holds_hold_the_name_they_stand_for_and_letters_do_not():
    matcher = SourceMatcher([("a", "Synthetic", "Harbour Wire", "2031-04-02", None)])
    question = "What did the United States and Kessa Dun sign?"
    # "US" stands for the United States; Kessa Dun is held nowhere.
    assert absent.absent_names(question, matcher, lambda *a, **k: False, "us".__eq__) == ["kessa", "dun"]
    # Letters held apart ("R&D") are no initials of "Reko Diq".
    letters = absent.absent_names("What did Reko Diq sign?", matcher, lambda *a, **k: True, lambda name: False)
    assert letters == ["reko", "diq"]


def test_two_names_held_nowhere_are_absent_and_one_held_is_not():
    matcher = SourceMatcher([("a", "Synthetic", "Harbour Wire", "2031-04-02", None)])
    nowhere = ["kessa", "dun"]
    assert absent.absent_names("Why did Kessa Dun fail?", matcher, lambda *a, **k: False, lambda name: False) == nowhere
    assert absent.absent_names("Why did Kessa Dun fail?", matcher, lambda *a, **k: False, "kessa".__eq__) == []


def test_a_name_spelled_two_letters_off_is_refused_naming_how_the_sources_spell_it(asker):
    # "Tesslay" swaps two letters of "Tessaly": no close variant, so the mine goes unmentioned,
    # and the reason says how the sources write it. A short or numbered name gets no such hint.
    answer = asker.ask("What did the Orrin Mining Fund offer for the Tesslay mine near Quarrymoor?")
    assert answer.abstained
    assert "never mention 'Tesslay', 'Quarrymoor' (the sources write 'Tessaly')" in answer.reason
    assert asker.respelled("Tesslay") == "Tessaly"
    assert asker.respelled("Tessaly") is None and asker.respelled("Marlo") is None
    assert asker.respelled("Quarrymoor") is None
    # Only a word the sources write as a name: "similar" is no spelling of a "Similer".
    assert asker.respelled("Similer") is None
    assert tokens.edits("tesslay", "tessaly") == 1 and tokens.edits("kitten", "sitting") == 3


@pytest.mark.parametrize(
    "question, unfitted",
    [
        # The sentence that matches gives the sum asked: no gap.
        ("How much did the Orrin Mining Fund offer for a stake in the Tessaly copper mine?", 0.0),
        # It gives no date, and no sentence of the story does: the gap is its cosine, in tenths.
        ("When did the Orrin Mining Fund offer to buy a stake in the Tessaly copper mine?", None),
        # No kind of answer asked, or the source's own date (its dateline's): no gap weighed.
        ("Why did the Orrin Mining Fund want a stake in the Tessaly copper mine?", 0.0),
        ("When was the Harbour Wire story on the Orrin fund published?", 0.0),
    ],
)
def test_the_gap_to_the_closest_sentence_giving_the_kind_asked_is_weighed(asker, question, unfitted):
    analysed = asker.analyse([question])[0]
    candidates = asker.candidates(analysed)
    row, _ = abstain.evidence(analysed, abstain.weighed(analysed, candidates), asker.matcher)
    value = row[abstain.FEATURES.index("unfitted")]
    if unfitted is None:
        assert value == pytest.approx(min(candidates[0].sentence_similarity * 10, 3.0), abs=1e-4) and value > 1
    else:
        assert value == unfitted


class _Index:
    """A stand-in for the index's words and texts, as ``spelling.respelled`` reads them."""

    def spells(self, name):
        return False

    def terms(self, first):
        return {"tessali", "plan", "harbour"}

    def texts_holding(self, term, limit):
        return ["Under Plan A, the mine at Tessaly’s edge opens. Harbour works began; the harbour grew."]


def test_a_respelling_is_read_past_one_letter_words_and_possessives_but_not_from_common_words():
    # "A" (no word once its letter is set aside) and "Tessaly’s" (the word before its "’s"); a
    # sentence's "Harbour" is the text's "harbour", no name.
    assert spelling.respelled(_Index(), "Tesslay") == "Tessaly"
    assert spelling.respelled(_Index(), "Hrabour") is None
