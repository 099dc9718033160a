"""What counts as the kind of answer a question asks for, sentence by sentence."""

from __future__ import annotations

import pytest

from citeqa.corpus import tokens
from citeqa.corpus.references import running_text
from citeqa.qa import checks
from citeqa.qa.answer_types import answer_fit, answer_type, has_count, ordinals
from citeqa.qa.editions import editions_asked


@pytest.mark.parametrize(
    "question, kind",
    [
        ("When was the dialogue held?", "date"),
        ("In which year did the Quad agree on rare earths?", "year"),
        ("In what month and year did the first round take place?", "month"),
        ("In what year and month did the first round take place?", "month"),
        ("What share of trade did CEPA liberalise?", "percent"),
        ("What tariff rate applies to drugs?", "percent"),
        ("What royalty rate does Orsk levy on lithium?", "percent"),
        ("How many sectors were named?", "number"),
        # "When" after "by" or "until", or after the clause naming the source, but not a clause's "when".
        ("By when is the synthetic reserve expected to open?", "date"),
        ("Until when will the Orsk trial run?", "date"),
        ("According to the Coastal Gazette, when did the ferry resume?", "date"),
        ("Who led Orsk, when the war began?", None),
        ("When the mill shut, was anyone hurt?", None),
        ("In 2031, when prices were high, how many barrels did Orsk sell?", "number"),
        # A few words ending in what is asked for, as a search box is typed into.
        ("Orsk harbour dredging cost", "number"),
        ("orsk reserve start date", "date"),
        ("Orsk tariff rate", "percent"),
        ("Orsk harbour exchange rate", None),
        ("Orsk debt ratio", None),
        ("Orsk harbour dredging cost?", "number"),
        ("Orsk harbour investors", None),
        ("Give the Orsk dredging cost", None),
        ("From when the dam opened until 2031, how much power did it make?", "number"),
        ("According to the Coastal Gazette, when exactly did the ferry resume?", "date"),
        ("According to the Orsk ministry, by when will the pier open?", "date"),
        ("In which Indian state is the refinery located?", "place"),
        ("Where was the dialogue held?", "place"),
        ("Where does India have an edge over Japan?", None),
        ("Which initiative supports work in Africa?", None),
        ("Which countries signed the memorandum?", None),
        ("What is the population of Orsk?", "number"),
        # The length of a document is no duration.
        ("How long was the joint statement that followed the summit?", "number"),
        ("How long was the statement Velmar proposed?", "number"),
        ("How long was the decision Velmar announced delayed?", "duration"),
        ("How long did the talks last?", "duration"),
        ("How long was the decision delayed?", "duration"),
        ("How long was the delay before the report was published?", "duration"),
        ("How long was the report's author in office?", "duration"),
        # Who wrote the source itself is asked for its author; who wrote a work it discusses is not.
        ("Who wrote the article?", "author"),
        # When the source itself came out, which its date answers, not when something it reports on did.
        ("When was the Coastal Gazette report on the port published?", "published"),
        ("On what date was this statement issued?", "published"),
        ("When were the export rules published?", "date"),
        ("When will the report be published?", "date"),
        ("Who is the author of the Coastal Gazette report on the port?", "author"),
        ("Who are the authors?", "author"),
        ("Who wrote the national anthem?", None),
        ("Who wrote the letter to the council?", None),
        ("Who wrote the letter the article mentions?", None),
        ("Who wrote the letter quoted in this article?", None),
        ("According to the Coastal Gazette, who wrote the article?", "author"),
        ("What did the authors of the study find?", None),
        # A rate asked for is a percentage; a rate naming a policy is not what is asked.
        ("What interest rate applies to the synthetic bank's deposits?", "percent"),
        ("How high was the Orsk inflation rate in 2031?", "percent"),
        ("What else did the synthetic bank end besides its negative interest rate policy?", None),
        ("Who announced the interest rate decision?", None),
        ("Which Orsk bank has the highest interest rate?", None),
        ("What was the Orsk interest rate cut to?", "percent"),
        # An age or a change asked for is a figure; "how big" may ask for none.
        ("How old is the Orsk grain mill?", "number"),
        ("How big is the risk of an Orsk drought?", None),
        ("By how much did the Orsk index fall?", "number"),
        # "When" opening a clause asks nothing; the question comes after it.
        ("When the Orsk mill floods, what stops the grain belt?", None),
        ("When the Orsk mill floods, how many workers stay?", "number"),
        ("When, according to the Coastal Gazette, did the mill flood?", "date"),
        ("When the mill floods for a week, this is called what kind of flood?", None),
        ("When was the mill flooded, and what did it cost?", "date"),
        ("When exactly did the mill flood, and what was lost?", "date"),
        ("When next will the council meet, and where?", "date"),
        ("When exactly, and on whose order, was the mill closed?", "date"),
        ("When the mill was shut, was anyone hurt?", None),
        ("When precisely was the mill shut, was it June?", "date"),
    ],
)
def test_answer_type(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize(
    "sentence, fits",
    [
        ("By Ilka Moravec and Tomas Rell", True),
        ("* Corresponding author: Ilka Moravec", True),
        ("Ilka Moravec *", True),
        ("Reservoir Levels Fall Across the Valley", False),
        ("Moravec wrote that the reservoir was low.", False),
        ("By Monday, the talks had failed.", False),
        ("By Ilka Moravec | Coastal Gazette", True),
        ("By Ilka de la Cruz", True),
        ("Synthetic Phone S24", False),
        ("Chapter 3", False),
        ("Synthetic Release Notes 2031", False),
    ],
)
def test_an_author_is_given_by_a_byline_or_an_author_line(sentence, fits):
    assert answer_fit(sentence, "author") == float(fits)


@pytest.mark.parametrize(
    "sentence, counts",
    [
        ("March 12, 2031 04:46 pm | Updated 10:29 pm IST - Orrin", False),
        ("Talks ended at 10.30 a.m. on Friday.", False),
        ("The ferry left at 4pm with 12 crew.", True),
        ("Fares rose 3.50 per cent.", True),
        ("Twelve amendments were tabled.", True),
        # A score or a race time is no time of day.
        ("The motion passed 52:48.", True),
        ("She ran it in 2:01:09.", True),
    ],
)
def test_a_time_of_day_is_no_count_or_figure(sentence, counts):
    # A dateline's clock times answered "how many rounds" in a real-source run.
    assert has_count(sentence) == counts
    assert answer_fit(sentence, "number") == float(counts)


_CANAL, _TRIAL = "How long is the canal?", "How long will the synthetic trial run?"


@pytest.mark.parametrize(
    "question, sentence, fits",
    [
        (_CANAL, "The canal has a length of 164km, and a depth of eight metres.", True),
        (_CANAL, "It is an artificial 82 km (51 mi) waterway.", True),
        (_CANAL, "The talks lasted three days.", True),
        (_CANAL, "The port handled 5m containers.", False),
        (_CANAL, "The canal opened in 1869.", False),
        (_CANAL, "He put one foot in the door.", False),
        # How long something will run is answered by when it ends.
        (_TRIAL, "The synthetic trial will run through June this year.", True),
        (_TRIAL, "The ban stays in force until the end of 2031.", True),
        (_TRIAL, "The licence runs until 31 December 2031.", True),
        (_TRIAL, "The contract runs to the end of 2033.", True),
        (_TRIAL, "The trial runs until the end of the year.", True),
        (_TRIAL, "Sales grew steadily through the year.", False),
        (_TRIAL, "The trial began in June 2031.", False),
        (_TRIAL, "The pier stays open until may be needed.", False),
    ],
)
def test_how_long_is_answered_by_a_duration_a_length_or_an_end(question, sentence, fits):
    assert answer_type(question) == "duration"
    assert answer_fit(sentence, "duration") == float(fits)


@pytest.mark.parametrize(
    "sentence, fits",
    [
        ("QUILLMARSH – 7 December 2031: The harbour board approved the synthetic plan on Tuesday.", True),
        ("Posted 3 May 2031", True),
        ("The synthetic lighthouse was first lit on 25 December 1921, after two years of building work.", False),
        ("The lamp was lit on 25 December 1921.", False),
    ],
)
def test_when_a_source_came_out_is_given_by_a_dateline_not_by_an_event_it_reports(sentence, fits):
    assert answer_fit(sentence, "published") == float(fits)


@pytest.mark.parametrize(
    "question",
    [
        "How much did the council cut port fees by?",
        "How much did the synthetic bank raise its rate by?",
        # A weight is no sum: a blind run refused it with the answer highlighted.
        "How long is the synthetic ferry and how much does it weigh?",
        "By how much did the council raise the synthetic recycling benchmark?",
    ],
)
def test_how_much_a_thing_was_cut_or_raised_by_is_no_question_of_money(question):
    sentence = (
        "The council cut port fees by 12 percent and the synthetic bank raised its rate to 5% from 4.5%. "
        "The synthetic ferry is 90 metres long and weighs 3,000 tonnes. The council raised the "
        "synthetic recycling benchmark from 15 to 25%."
    )
    assert checks.kind(question, answer_type(question), [(sentence, set(tokens.terms(sentence)))]) == (0.0, None)


@pytest.mark.parametrize(
    "question, sentence",
    [
        ("How much funding did the synthetic start-up raise?", "The synthetic start-up raised its first round."),
        # Trade "remains modest" gives no value of trade.
        ("What was the value of Orsk-Delamere trade in 2031?", "Trade between Orsk and Delamere remains modest."),
        ("What minimum price did the synthetic grain board set?", "The synthetic grain board set a minimum price."),
        ("What dollar amount did the synthetic board earmark?", "The synthetic board earmarked funds."),
    ],
)
def test_how_much_funding_or_the_value_of_trade_is_a_question_of_money(question, sentence):
    assert checks.kind(question, answer_type(question), [(sentence, set(tokens.terms(sentence)))])[0] == 1.0
    figure = f"{sentence} It came to 40 million euros."
    assert checks.kind(question, answer_type(question), [(figure, set(tokens.terms(figure)))])[0] == 0.0


@pytest.mark.parametrize(
    "question",
    [
        "What is the strategic value of the port's trade links?",
        "Why does the report stress the value of open trade?",
        "Which metal price rose fastest at the synthetic port?",
    ],
)
def test_a_value_that_is_no_sum_is_no_question_of_money(question):
    sentence = "The port's trade links matter to the synthetic region's exporters."
    assert checks.kind(question, answer_type(question), [(sentence, set(tokens.terms(sentence)))]) == (0.0, None)


@pytest.mark.parametrize("question", ["By how much did the Orsk index fall?", "How old is the Orsk grain mill?"])
def test_a_figure_asked_for_without_a_thing_counted_needs_a_number(question):
    none = "The Orsk index fell sharply and the grain mill is old."
    some = "The Orsk index fell 3.2% and the grain mill is 140 years old."
    assert checks.kind(question, answer_type(question), [(none, set(tokens.terms(none)))])[0] == 1.0
    assert checks.kind(question, answer_type(question), [(some, set(tokens.terms(some)))])[0] == 0.0


@pytest.mark.parametrize(
    "sentence", ["They asked for N500m in damages.", "It refreshes at 120Hz.", "It cost £5m.", "It raised $5M."]
)
def test_a_figure_with_its_currency_s_letters_or_its_unit_is_a_figure(sentence):
    assert answer_fit(sentence, "number") == 1.0
    assert answer_fit("The 5G network opened at the 15th summit.", "number") == 0.0


def test_a_name_with_an_inner_apostrophe_is_one_name_as_the_passages_hold_it():
    assert checks.named_terms("Who died outside Talat N'Orrin in O’Brien's village?") == [
        "talat",
        "n'orrin",
        "o’brien",
    ]
    assert answer_fit("Rates stay at around zero pct and minus 0.1 pct.", "percent") == 1.0


def test_a_unit_named_after_a_person_is_no_name_the_passages_must_write():
    # Passages write "565 °C": "Celsius" is the unit, not a name asked about.
    assert checks.named_terms("What is the Orsk kiln's temperature, in degrees Celsius?") == ["orsk"]
    assert checks.named_terms("What did Anders Celsius propose for Orsk?") == ["anders", "celsius", "orsk"]
    assert checks.named_terms("What was the Orsk kiln's peak in Celsius?") == ["orsk"]


@pytest.mark.parametrize(
    "question, answered",
    [
        # "When does ... ?" asks under what condition as well as at what time.
        ("When does the synthetic executor stop itself?", True),
        ("When did the synthetic executor stop itself?", False),
        ("When is the synthetic executor stopped?", False),
    ],
)
def test_a_condition_answers_when_a_thing_does_something_and_no_date_when_it_did(question, answered):
    sentence = "The synthetic executor stops itself as soon as three heartbeat calls fail."
    kind, _ = checks.kind(question, answer_type(question), [(sentence, set(tokens.terms(sentence)))])
    assert kind == (0.0 if answered else 1.0)
    # A time clause is no condition: "after months of debate" says nothing of when it stops.
    debated = "The synthetic executor was stopped after months of debate."
    assert checks.kind(question, answer_type(question), [(debated, set(tokens.terms(debated)))])[0] == 1.0


def test_a_year_answers_a_question_asking_for_the_year_in_full():
    sentence = "The Quad agreed on rare earths in 2021."
    assert answer_fit(sentence, "year") == 1.0
    assert answer_fit(sentence, "date") < answer_fit("It met on 11 May 2026.", "date") == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "The guild was chartered in 1273 by the town council.",
        "Trade with the coast grew in the 1050s.",
        "The bridge dates from the early 11th century.",
        "A colony was founded around 430 BC.",
    ],
)
def test_historical_years_decades_and_centuries_answer_when(sentence):
    assert answer_fit(sentence, "year") == 1.0
    assert 0 < answer_fit(sentence, "date") < 1.0


@pytest.mark.parametrize(
    "sentence",
    ["The plant's output rose in the fourth quarter.", "The ministry said on Monday that talks would resume."],
)
def test_a_quarter_or_a_weekday_answers_when_but_gives_no_year(sentence):
    assert 0 < answer_fit(sentence, "date") == answer_fit(sentence, "year") < 1.0


@pytest.mark.parametrize(
    "sentence, date, month",
    [
        # News gives the day without the year its dateline holds, or the month alone.
        ("On 23 July, the ministry announced a minerals mission.", 1.0, 1.0),
        ("The first council meeting will be held on May 16 in Marlow.", 1.0, 1.0),
        ("Her term as governor ends in May.", 0.6, 1.0),
        # "may" the verb is no month.
        ("Delegates may meet again in spring.", 0.0, 0.0),
    ],
)
def test_a_day_or_month_without_its_year_answers_when_but_not_which_year(sentence, date, month):
    assert answer_fit(sentence, "date") == date
    assert answer_fit(sentence, "month") == month
    assert answer_fit(sentence, "year") == 0.0


@pytest.mark.parametrize(
    "sentence",
    ["The port handled 1200 ships.", "Delegates came from 120 countries.", "It cost $1200.", "A 1500-page report."],
)
def test_amounts_and_counts_are_not_years(sentence):
    assert answer_fit(sentence, "year") == 0.0


@pytest.mark.parametrize(
    "sentence",
    [
        "India has launched a national mission. [^5]",
        "The focus was on AI, Open RAN and 5G/6G technologies.",
        "It was launched at the 15th Annual Summit.",
        "(2026, May 10). *2nd India-Japan Economic Security Dialogue*. https://www.mea.gov.in/press-releases.htm?dtl/41124/",
    ],
)
def test_markers_urls_ordinals_and_reference_dates_are_not_the_figures_asked_for(sentence):
    assert answer_fit(sentence, "number") == 0.0


@pytest.mark.parametrize(
    "sentence, fits",
    [
        ("The dialogue took place in New Delhi on 11 May 2026.", True),
        ("Department of Political Science, Ravenshaw University, Cuttack.", True),
        ("The dialogue deepened cooperation.", False),
    ],
)
def test_a_place_is_in_running_text_or_closes_an_address(sentence, fits):
    assert (answer_fit(sentence, "place") == 1.0) is fits


def test_a_percentage_needs_a_figure():
    assert answer_fit("It liberalised over 90% of bilateral trade.", "percent") == 1.0
    # "24pc", as British papers write it; a "2 PC" order is of computers.
    assert answer_fit("The contract ratio was 24pc.", "percent") == 1.0
    assert answer_fit("The office bought 2 PC units.", "percent") == 0.0
    assert answer_fit("Tariffs fell by twelve per cent.", "percent") == 1.0
    assert answer_fit("Shares are given in per cent throughout.", "percent") == 0.0
    assert answer_fit("See https://example.org/Ver%20Published.pdf", "percent") == 0.0


def test_a_month_after_in_dates_and_does_not_place():
    assert answer_fit("The dialogue was held in May 2026.", "place") == 0.0
    assert answer_fit("In Tokyo, the first dialogue met.", "place") == 1.0


def test_an_ordinal_after_a_determiner_names_an_edition_and_an_adverb_does_not():
    assert editions_asked("When will the third India-Japan dialogue be held?") == ["third"]
    assert editions_asked("What did Japan's 2nd round decide?") == ["2nd"]
    assert editions_asked("When did Delamere Steel first enter the export market?") == []


def test_running_text_keeps_the_sentence_and_drops_what_is_not_its_own():
    text = running_text("Trade grew [3][^4] (see https://example.org/a/41124) (2025, August 28).")
    assert "Trade grew" in text and "41124" not in text and "[3]" not in text
    # A reference's date keeps its year: it dates a source, not what the text reports.
    assert "2025" in text and "28" not in text
    # A bare year in brackets is the text's own date, not a reference's.
    assert answer_fit("The Quad agreed on rare earths (2021).", "year") == 1.0


def test_editions_are_named_however_they_are_written():
    assert ordinals(["inaugural", "round"]) == ordinals(["1st", "dialogue"]) == {"first"}
    assert ordinals(["2nd"]) == {"second"}
