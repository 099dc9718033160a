"""A question asking what is not so ("Why is the ferry not running?") against passages that say
so or say nothing of the kind: the check, and what a user sees through the CLI with the real
model and index.

The sources and questions are synthetic, written for these tests (no real ferry or place is
meant); none is from an evaluation set.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from synthetic import synthetic_library

from citeqa.index.library import Metadata
from citeqa.qa import checks
from citeqa.qa.cli import cli


@pytest.mark.parametrize(
    ("question", "passage", "fires"),
    [
        ("Which vehicles does the Orrin ferry not carry?", "The Orrin ferry carries cars and bicycles.", True),
        ("Why doesn't the Orrin ferry sell tickets at the pier?", "Tickets are sold on board.", True),
        ("Which ships didn’t sail?", "All ships sailed at dawn.", True),
        ("Which vehicles does the Kessa ferry not carry?", "The Kessa ferry does not carry trucks.", False),
        # The answer says it without "not": a cue read widely, or a verb that stops a thing.
        ("Why is the Dunmere ferry not running?", "The service was suspended after floods.", False),
        ("What does the Vell ferry never carry?", "It carries cars only.", False),
        ("Which ferry has no engine?", "The Marlow ferry is engineless and drawn by cable.", False),
        ("Why can't trucks board?", "The deck lacks the strength for heavy loads.", False),
        # Asking for an alternative or adding to a list negates nothing.
        ("Whether or not it rains, when does the ferry sail?", "The ferry sails at six.", False),
        ("Which ferries carry not only cars but buses?", "The Orrin ferry carries cars and buses.", False),
        ("What does the Orrin ferry carry?", "The Orrin ferry carries cars and bicycles.", False),
        # "-less" words that negate nothing.
        ("What did the mission not reach?", "Nevertheless, the mission reached the river.", True),
    ],
)
def test_a_negated_question_needs_a_passage_that_negates_something(question, passage, fires):
    value, reason = checks.negation(question, passage)
    assert value == float(fires)
    assert (reason is not None) == fires


def test_the_reason_names_the_word_that_negates_the_question():
    assert checks.negation("Why doesn't the ferry sail?", "The ferry sails at six.")[1] == (
        "the question asks what is not so (“n't”), and the best passage states no negation"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Who lived at No. 10 Downing Street in 1990?",
        "Were no fewer than 40 delegates present?",
        "When was the no-confidence motion tabled?",
        'Who starred in "Don\'t Look Up"?',
        "Who directed No Country for Old Men?",
        "Which ports were hit, not least Dover?",
    ],
)
def test_a_bound_a_compound_a_number_or_a_title_does_not_negate_a_question(question):
    assert checks.negation(question, "The ferry sails at six.") == (0.0, None)


SOURCES = {
    "orrin.txt": (
        Metadata(title="Orrin ferry timetable", publisher="Vell River Board", date="2031-03-01"),
        "The Orrin ferry carries cars, bicycles and foot passengers across the Vell river every hour "
        "from six in the morning. Its crossing takes twelve minutes, and tickets are sold on board.\n",
    ),
    "dunmere.txt": (
        Metadata(title="Dunmere ferry notice", publisher="Vell River Board", date="2031-06-01"),
        "The Dunmere ferry service was suspended in May 2031 after its pier was damaged by floods. "
        "The operators expect to reopen it once the pier is rebuilt.\n",
    ),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory, embedder):
    return synthetic_library(tmp_path_factory.mktemp("negation"), SOURCES, embedder, bundled=False).home


def test_a_negated_question_the_passages_do_not_negate_abstains_and_says_why(home):
    result = CliRunner().invoke(
        cli, ["--home", str(home), "ask", "--json", "-k", "2", "Why doesn't the Orrin ferry sell tickets at the pier?"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["abstained"] is True
    assert "the question asks what is not so (“n't”), and the best passage states no negation" in answer["reason"]
    # The evidence is still shown, marked as not answering.
    assert "sold on board" in answer["passages"][0]["text"]


def test_a_negated_question_answered_by_a_verb_that_stops_a_thing_is_answered(home):
    result = CliRunner().invoke(
        cli, ["--home", str(home), "ask", "--json", "-k", "1", "Why is the Dunmere ferry not running?"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["abstained"] is False, answer["reason"]
    assert "suspended" in answer["passages"][0]["highlight"]
