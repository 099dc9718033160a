"""Outlets named as people type and say them: a question in lower case, and a paper "said" to
say something (all sources synthetic, ``test_named_sources.STORIES``)."""

from __future__ import annotations

import pytest
from test_named_sources import STORIES

from citeqa.qa.clauses import the_ask
from citeqa.qa.sources import SourceMatcher


@pytest.mark.parametrize(
    "question, named",
    [
        ("according to the plains courier, when do trains run?", {"rail"}),
        ("what did the coastal gazette report say about the berths?", {"harbour"}),
        # A source the library does not hold stays unnamed in lower case: no name to refuse.
        ("according to recent estimates, what will the berths cost?", set()),
        # Nor does a word of a publisher's name alone name it.
        ("what did the coastal towns report about the berths?", set()),
        ("how long is the courier route in the quay review story?", {"quay"}),
    ],
)
def test_a_question_typed_in_lower_case_names_a_library_source_as_a_capitalised_one_does(question, named):
    assert STORIES.named(question) == named
    assert STORIES.unknown_source(question, lambda *words, **how: False) is None


def test_a_paper_said_to_say_something_is_a_source_to_refuse_when_the_library_lacks_it():
    def nowhere(words, written=None):  # the library's text holds no name
        return False

    said = "What did the Orrin Street Journal say about the ferry?"
    assert STORIES.unknown_source(said, nowhere) == "Orrin Street Journal"
    # A person, or an outlet the library holds, is no source to refuse.
    assert STORIES.unknown_source("What did Ilse Varga say about the ferry?", nowhere) is None
    assert STORIES.unknown_source("What did the Coastal Gazette say about the berths?", nowhere) is None


def test_and_may_join_the_words_of_one_outlet_or_two_outlets_after_according_to():
    def nowhere(words, written=None):  # the library's text holds no name
        return False

    # "The Orrin and Mail" is one paper the library lacks: refused, where "and" once hid it.
    lacked = "According to the Orrin and Mail, what will the berths cost?"
    assert STORIES.unknown_source(lacked, nowhere) == "Orrin and Mail"
    # Two outlets the library holds, each named whole, are two sources, and none it lacks.
    both = "According to the Plains Courier and the Coastal Gazette, when did work start?"
    assert STORIES.named(both) == {"rail", "harbour"}
    assert STORIES.unknown_source(both, nowhere) is None
    # One of two the library holds may answer; the text's common words hold no paper's name.
    assert STORIES.unknown_source("According to Plains Courier and Orrin Post, when?", nowhere) is None

    def common_words(words, written=None):  # the text says "around the orrin" and "send mail"
        return len(words) == 1

    assert STORIES.unknown_source(lacked, common_words) == "Orrin and Mail"
    # Nor does a title holding one of its words.
    titled = SourceMatcher([("sail", "Orrin ferries sail around the globe", "Quay Review", None, None)])
    assert titled.unknown_source("According to the Globe and Mail, when do ferries sail?", nowhere) == "Globe and Mail"


def test_what_a_named_source_says_about_a_topic_is_asked_without_its_name():
    # The answering sentence seldom repeats the outlet's name: it is set aside, as "In the
    # Coastal Gazette report, ..." is; a person's words are asked with the person.
    assert the_ask("What does the Coastal Gazette article say about the new berths?") == (
        "What does it say about the new berths?"
    )
    assert the_ask("What did Ilse Varga say about the new berths?") is None
    assert the_ask("What does the article say about the new berths?") is None


@pytest.mark.parametrize("name", ["Orrin A.M.", "Orrin AM", "OrrinAM"])
def test_a_publisher_is_named_with_its_letters_spaced_or_stopped(name):
    # "According to City A.M." had been refused for a library holding the publisher "CityAM".
    matcher = SourceMatcher([("ferry", "Ferry fares hold", "OrrinAM", "2031-04-02", None)])
    question = f"According to {name}, what does the ferry cost?"
    assert matcher.unknown_source(question, lambda *words, **how: False) is None
    assert matcher.named(question) == {"ferry"}
    # Spaced or stopped, a shorter name is no publisher's whole name.
    assert matcher.unknown_source("According to Orrin A., what does the ferry cost?", lambda *w, **h: False)
