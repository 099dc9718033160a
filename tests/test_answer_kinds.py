"""What a question asking for a kind of answer needs from a sentence: for a cost a sum, or for a
cost that is no sum ("the human cost") any figure; for a month, one written without its year; for
a count, a number beside the thing counted; for a role, the role (synthetic sentences)."""

from __future__ import annotations

import pytest

from citeqa.corpus import tokens
from citeqa.qa import checks
from citeqa.qa.answer_types import answer_fit, answer_type


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
    "question",
    [
        "What toll revenue did the Orsk canal authority report?",
        "What subsidies will Orsk get?",
        "What levies did Orsk set?",
    ],
)
def test_a_sum_asked_of_a_clause_wants_a_figure(question):
    assert answer_type(question) == "number"
    assert kind(question, "The Orsk canal authority reported strong toll revenue, subsidies and levies.") == 1.0
    assert kind(question, "The Orsk canal authority reported toll revenue, subsidies and levies of 4.1 billion.") == 0.0


@pytest.mark.parametrize(
    "question, asked",
    [
        ("What was the dollar value of the Orsk fine?", "number"),
        ("What is the contract value of the Orsk deal?", "number"),
        ("What is the strategic value of the Orsk port?", None),
    ],
)
def test_a_value_asked_as_a_sum_wants_a_figure(question, asked):
    assert answer_type(question) == asked


@pytest.mark.parametrize(
    "question",
    [
        "What value does the Orsk court place on privacy?",
        "What duty does the Orsk minister have to consult?",
        "What kind of fine did the Orsk court impose?",
        "In what capacity had Orsk's minister taken part?",
    ],
)
def test_what_may_be_no_figure_asks_for_none(question):
    assert answer_type(question) is None


@pytest.mark.parametrize(
    "money, none",
    [
        ("Orsk got subsidies of 14,000 rupiah a litre.", "Orsk got subsidies for 14,000 litres."),
        ("Orsk got subsidies at GBP91.20/MWh.", "Orsk got subsidies over the CNY holiday."),
        ("Orsk got subsidies of 5 trillion won.", "In 2022 won Orsk its subsidies."),
    ],
)
def test_a_sum_is_written_in_any_currency_but_a_word_like_one_is_no_sum(money, none):
    assert kind("How much subsidy did Orsk get?", money) == 0.0
    assert kind("How much subsidy did Orsk get?", none) == 1.0


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


@pytest.mark.parametrize(
    "sentence", ["Orsk will require licences starting August.", "Orsk will require export licences next March."]
)
def test_a_month_without_its_year_answers_which_month(sentence):
    assert kind("From which month will Orsk require export licences?", sentence) == 0.0
    assert kind("From which month will Orsk require export licences?", "Orsk will require licences.") == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "The first Orsk ferry leaves at 6.15 in the morning.",
        "The first Orsk ferry leaves at 6.15am.",
        "The first Orsk ferry leaves at noon.",
    ],
)
def test_a_time_of_day_answers_when(sentence):
    # A timetable gives the hour, not the date: "when does the first ferry leave?" is answered.
    assert kind("When does the first Orsk ferry leave?", sentence) == 0.0
    assert kind("When does the first Orsk ferry leave?", "The Orsk ferry is popular.") == 1.0


@pytest.mark.parametrize(
    "stamp", ["March 12, 2031 04:46 pm | Updated 10:29 pm IST - Orsk", "Published: 3 May 2031", "Updated 3 May 2031"]
)
def test_a_page_timestamp_is_no_date_of_what_is_asked(stamp):
    # A news page's timestamp line had been the highlight for "when do they want to conclude the pact?".
    assert answer_fit(stamp, "date") == 0.0
    assert answer_fit("Orsk and Tovar want to conclude the pact by 3 May 2031.", "date") == 1.0
    assert answer_fit(stamp, "published") == 1.0
    # Without a word saying it was put out, a date and a time answer: an event's line, a FAQ's answer.
    assert answer_fit("3 May 2031, 4 pm - 6 pm IST - Orsk Town Hall", "date") == 1.0
    assert answer_fit("On 3 May 2031 at 4 pm.", "date") == 1.0


def test_a_time_of_day_gives_no_year():
    assert answer_fit("The Orsk bridge opened at 4 pm.", "year") == 0.0
    assert answer_fit("The Orsk bridge opened in the morning.", "month") == 0.0


def count(question: str, sentence: str) -> float:
    terms = set(tokens.terms(sentence))
    return checks.count(question, terms, [(sentence, terms)])[0]


def test_a_compound_is_one_word_of_the_thing_counted():
    # The ships are counted, not the cable-laying: tugs and a barge are no ships.
    question = "How many ocean-going cable-laying ships does Orsk Lines own?"
    assert count(question, "Orsk Lines owns 2 ocean-going cable-laying ships.") == 0.0
    assert count(question, "Orsk Lines owns 2 ocean-going tugs and a cable-laying barge.") == 1.0
    # A compound's "-ed" or function word describes the thing; it neither ends nor makes it.
    assert checks.counted("How many semi-skilled workers did Orsk send?") == ["semi", "skilled", "workers"]
    assert checks.counted("How many in-person negotiating rounds were held?") == ["person", "negotiating", "rounds"]
    assert checks.counted("How many state-owned firms were sold?") == ["owned", "firms"]


def test_a_role_is_found_under_another_name_of_its_country():
    question = "What is the name of the UK–Orsk military exercise series whose fourth edition is planned?"
    held = set(tokens.terms("Britain and Orsk plan the fourth Vigilant Isles military exercise series."))
    assert checks.role(question, held)[0] == 0.0
    assert checks.role(question, set(tokens.terms("Orsk plans a military exercise series.")))[0] == 1.0


@pytest.mark.parametrize(
    "line",
    [
        "April 15, 2031 by Lena Holm",
        "April 15, 2031 | By Lena Holm",
        "15 April 2031 by Lena Holm",
        "Published: 3 March 2031 by Lena Holm and Peter Sand",
        "March 3, 2031 09:30 AM EST by Lena Holm",
    ],
)
def test_a_byline_after_its_date_names_the_author(line):
    assert kind("Who wrote the Orsk report?", line) == 0.0


@pytest.mark.parametrize(
    "line",
    [
        "April 15, 2031 by the Orsk port authority",
        "Aug. 3, 2031 by Monday, the pier shut.",
        "2031 Budget unveiled by Chancellor Lena Holm",
    ],
)
def test_what_follows_by_after_a_date_is_no_author_unless_a_person(line):
    assert kind("Who wrote the Orsk report?", line) == 1.0
