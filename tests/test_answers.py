"""Answers through the Python API: ranking, highlighting and abstention on the real article index."""

from __future__ import annotations

import pytest

from index.library import Library
from qa.answer import Asker


@pytest.fixture(scope="module")
def asker(built_home, embedder):
    with Asker(Library(built_home), embedder) as asker:
        yield asker


def test_when_question_prefers_the_exact_date_over_the_month(asker):
    answer = asker.ask("When was the second India-Japan economic security dialogue held?")
    assert "11 May 2026" in answer.passages[0].highlight


def test_paraphrased_question_is_answered(asker):
    answer = asker.ask("In which city did the second round of economic security talks take place?")
    assert not answer.abstained
    assert "New Delhi" in answer.passages[0].highlight


@pytest.mark.parametrize(
    "question, reason",
    [
        ("When will the third India-Japan economic security dialogue be held?", "third"),
        ("Which Australian minister attended the second economic security dialogue?", "australian"),
        ("How many semiconductor fabs has Japan built in India so far?", "fabs"),
        ("Who won the 2026 FIFA World Cup?", ""),
        ("How much did Renesas invest in the Gujarat OSAT facility?", "asks for an amount of money"),
        ("Who is the chief executive of Tata Electronics?", "never mention a chief executive"),
        ("How long did the second dialogue last?", "asks how long"),
        # A date elsewhere in the top passages dates something else.
        ("When will the Clean Metals Research Hub open?", "asks when"),
    ],
)
def test_near_misses_abstain_and_say_why(asker, question, reason):
    answer = asker.ask(question)
    assert answer.abstained and answer.passages == []
    assert reason in answer.reason


def test_baselines_rank_by_one_retriever(asker):
    question = "Which Japanese firm refines rare earths in Andhra Pradesh?"
    lexical = asker.ask(question, k=3, mode="bm25")
    assert "Andhra Pradesh" in lexical.passages[0].text
    dense = asker.ask(question, k=3, mode="dense")
    scores = [p.score for p in dense.passages]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "question, abstains",
    [
        ("When was the second India-Japan economic security dialogue held?", False),
        ("How much did Renesas invest in the Gujarat OSAT facility?", True),
        ("How many semiconductor fabs has Japan built in India so far?", True),
    ],
)
def test_abstaining_does_not_depend_on_how_many_passages_are_shown(asker, question, abstains):
    assert {asker.ask(question, k=k).abstained for k in (1, 3, 5, 20)} == {abstains}
