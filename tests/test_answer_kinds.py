"""What a question asking for a cost needs from a sentence: a sum, or for a cost that is no sum
("the human cost"), any figure (synthetic sentences)."""

from __future__ import annotations

import pytest

from citeqa.corpus import tokens
from citeqa.qa import checks
from citeqa.qa.answer_types import answer_type


def kind(question: str, sentence: str) -> float:
    return checks.kind(question, answer_type(question), [(sentence, set(tokens.terms(sentence)))])[0]


@pytest.mark.parametrize(
    "question",
    ["What is the estimated construction cost of the synthetic port?", "What was the cost of the Orsk port?"],
)
def test_a_cost_asked_for_is_a_sum(question):
    # A figure of another kind is no cost.
    assert kind(question, "The Orsk port will span 10 square miles.") == 1.0
    assert kind(question, "The Orsk port will cost 40 million euros.") == 0.0


@pytest.mark.parametrize(
    "question",
    [
        "What was the human cost of the Orsk floods?",
        "What is the political cost of the Orsk floods?",
        "What was the total cost in lives of the Orsk floods?",
        "What is the average cost-to-income ratio of the Orsk floods' insurers?",
    ],
)
def test_a_cost_that_is_no_sum_is_given_by_any_figure(question):
    assert kind(question, "The Orsk floods killed 40 people.") == 0.0


@pytest.mark.parametrize(
    "question, asked",
    [
        ("What default rate did the Orsk bank report?", "percent"),
        # A rate that names a model or a process asks for neither.
        ("Which default rate model did the Orsk bank adopt?", None),
        ("What approval rate process did the Orsk agency use?", None),
    ],
)
def test_a_rate_asked_for_is_a_percentage(question, asked):
    assert answer_type(question) == asked
