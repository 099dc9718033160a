"""Editions asked about ("the inaugural forum", "the second round"): which passages give the
edition asked, and the order they come in, with the real model and index.

The sources and questions are synthetic, written for these tests (no real body or meeting is
meant); none is from an evaluation set.
"""

from __future__ import annotations

import pytest
from synthetic import synthetic_asker

from citeqa.index.library import Metadata
from citeqa.qa import editions, years


def test_a_passage_stands_by_the_edition_it_gives_the_thing_asked_about():
    found = [
        "The second round of the ferry talks was held in Orrin.",
        "Orrin hosted their first round of ferry talks in 2029.",
        "First, the ferry operators asked for lower port fees.",
        "The ferry fleet is the 50th largest in the region.",
        "Fares rose by a tenth.",
    ]
    titles = [None, None, None, None, "First round of the Orrin ferry talks"]
    question = "Where was the inaugural round of the ferry talks held?"
    # An ordinal before another word ("First, the ferry operators", "the 50th largest") numbers
    # no round; a passage of a source titled for an edition gives it.
    assert editions.standings(question, found, [None] * 5, titles) == [-1, 1, 0, 0, 1]
    assert editions.standings("Where were the ferry talks held?", found, [None] * 5, titles) == [0] * 5
    retitled = [*titles[:4], "Second round of the Orrin ferry talks"]
    assert editions.standings(question, found, [None] * 5, retitled) == [-1, 1, 0, 0, -1]


def test_an_ordinal_that_numbers_nothing_or_stands_across_a_comma_gives_no_edition():
    found = [
        "For the first time, the ministers met in person at the dialogue in Delhi.",
        "A third of the delegates at the dialogue came from Orrin.",
        "First, the dialogue was held in Delhi.",
        "The second dialogue will be chaired by the trade ministers.",
    ]
    question = "Where was the second dialogue held?"
    assert editions.standings(question, found, [None] * 4, [None] * 4) == [0, 0, 0, 1]
    assert editions.other_editions(question, found) == [False, False, False, False]


def test_the_day_of_a_stay_is_a_place_in_time_not_an_edition():
    # A story on the envoy's second day numbers the summit of the first and says "today".
    found = [
        "After attending the 15th Orrin-Vell Summit on the first day, the envoy met the governors of 16 provinces today."
    ]
    question = "On the second day of her Vell trip Envoy Rook met governors from how many provinces?"
    assert editions.edition(question, found) is None
    # A meeting's edition is still read, whatever else the question numbers.
    assert editions.edition("On the first day of the 16th Orrin-Vell Summit, who spoke?", found) is not None


def test_a_title_numbers_the_thing_apart_from_the_text_s_first_words():
    # "... minutes of the second session | The Orrin forum met" numbers no forum.
    text = ["The Orrin forum met in Kessa in March 2031."]
    title = ["Orrin Basin Commission: minutes of the second session"]
    assert editions.edition("Where did the first Orrin forum meet?", text, None, title) is None
    assert editions.edition("Where did the first Orrin forum meet?", text, None, ["Second Orrin forum"]) == (
        "the passages found are about the second, not the first Orrin forum"
    )


def test_an_abbreviation_s_full_stops_do_not_end_what_an_edition_numbers():
    # Cut at "U.", the thing numbered was "U": another passage's "second ... U.S. envoy" stood
    # against the first summit the best passage gives.
    found = [
        "The first Orrin-U.S. salt summit was held in Kessa.",
        "At the second round, the U.S. envoy left early.",
    ]
    question = "Where was the inaugural Orrin-U.S. salt summit held?"
    assert editions.edition(question, found) is None
    assert editions.edition("Where was the third U.S. salt summit held?", found) == (
        "the passages found are about the first, not the third U.S. salt summit"
    )
    # Nor is "U" of "U.S." a name of the summit: a second U.S. briefing numbers no summit.
    assert editions.other_editions(question, ["At the second U.S. briefing, officials spoke of ports."]) == [False]


def test_an_edition_of_a_thing_numbers_the_thing_not_editions_of_anything():
    # "The 6th edition of the exercise" is no forum, so no edition of the forum asked about.
    found = [
        "The 6th edition of the Orrin-Vell salt exercise began in Kessa.",
        "Addressing the 8th Orrin-Vell Salt Forum, the minister spoke of ports.",
    ]
    assert editions.edition("Who hosted the eighth edition of the Orrin-Vell Salt Forum?", found) is None
    assert "not the ninth Orrin-Vell Salt Forum" in editions.edition(
        "Who hosted the ninth edition of the Orrin-Vell Salt Forum?", found
    )


def test_a_meeting_of_a_series_numbers_the_series_and_the_countries_meeting_count_only_beside_it():
    found = [
        "Peru, Chile and Japan held their first salt security dialogue in Kessa.",
        "Japan will fund a second port in Peru, the minister said.",
    ]
    # "A second port in Peru" numbers no dialogue of Peru's.
    assert "not the second Peru–Chile–Japan salt security dialogue" in editions.edition(
        "Where was the second meeting of the Peru–Chile–Japan salt security dialogue held?", found
    )
    # An edition just before the countries names the series they meet in.
    titled = ["Tenth Peru-Chile 2+2 consultations were held in Kessa.", *found]
    assert "not the eleventh" in editions.edition("How long did the eleventh Peru–Chile 2+2 meeting last?", titled)
    # A plan's edition is asked about too.
    assert editions.editions_asked("What did Vell pay for Orrin's planned third fab?") == ["third"]


def test_a_question_put_with_an_auxiliary_ends_in_its_verb_not_in_what_is_numbered():
    found = ["The first round of the ferry talks met in Orrin."]
    assert editions.edition("Where did the second round of ferry talks meet?", found) == (
        "the passages found are about the first, not the second round of ferry talks"
    )
    # Its verb came before the phrase here, which ends in what it numbers.
    held = ["Orrin hosted the first ferry talks in 2029.", "The second ferry talks are due next year."]
    assert editions.edition("When did Orrin host the inaugural ferry talks?", held) is None
    assert editions.edition("What was agreed in May at the second ferry talks?", held[:1]) == (
        "the passages found are about the first, not the second ferry talks"
    )


# A forum's two editions in two passages, the first told as an aside; and a summit's two
# editions in two sources whose texts name it without its number, which only their titles give.
_GAUGES = " ".join(["The engineers compared gauge readings from upstream and downstream stations."] * 8)
_MINISTERS = "Ministers of the basin states agreed to share flood data."
SOURCES = {
    "forum.txt": (
        Metadata(title="Orrin river forum", publisher="Orrin Basin Commission", date="2031-04-02"),
        f"The second Orrin river forum took place in Vell on 1 April 2031. Ministers from the four basin "
        f"states agreed to share flood data every day. {_GAUGES}\n\n"
        f"In March 2029, the basin states held their first Orrin river forum in Kessa. {_GAUGES}\n",
    ),
    "summit1.txt": (
        Metadata(title="First Tessaly water summit", publisher="Orrin Basin Commission", date="2028-05-02"),
        f"The Tessaly water summit met in Marlow on 1 May 2028. {_MINISTERS}\n",
    ),
    "summit2.txt": (
        Metadata(title="Second Tessaly water summit", publisher="Orrin Basin Commission", date="2030-06-03"),
        f"The Tessaly water summit met in Dunmere on 2 June 2030. {_MINISTERS}\n",
    ),
}


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    with synthetic_asker(tmp_path_factory.mktemp("editions"), SOURCES, embedder, bundled=False) as asker:
        yield asker


def test_the_passage_on_the_edition_asked_about_comes_before_one_on_another(asker):
    # "Inaugural" is the first: the ranker alone put the passage on the second forum first.
    first = asker.ask("When did the inaugural Orrin river forum take place?", k=2)
    assert "March 2029" in first.passages[0].highlight
    assert "1 April 2031" in asker.ask("When was the second Orrin river forum?", k=2).passages[0].highlight


def test_a_source_s_title_numbers_what_its_text_calls_by_name_alone(asker):
    # Without the titles, both sources' "The summit met in ..." answered for the third summit.
    third = asker.ask("Where did the third Tessaly water summit meet?")
    assert third.abstained and "about the first and second, not the third Tessaly water summit" in third.reason
    assert "Marlow" in asker.ask("Where did the first Tessaly water summit meet?", k=2).passages[0].highlight
    assert "Dunmere" in asker.ask("Where did the second Tessaly water summit meet?", k=2).passages[0].highlight


def test_a_year_the_library_never_mentions_is_refused_and_one_it_holds_is_not(asker):
    missing = asker.ask("Where did the Tessaly water summit meet in 2045?")
    assert missing.abstained and missing.reason == "the sources never mention 2045"
    held = asker.ask("Where did the Tessaly water summit meet in 2030?", k=1)
    assert not held.abstained and "Dunmere" in held.passages[0].highlight


def test_a_year_is_asked_after_a_preposition_an_article_or_a_month_and_a_model_number_is_none():
    # A blind run's "the Dell G3 15 laptop with GTX 1660 Ti" was refused as a year never mentioned.
    assert years.years_asked("Which coupon fits the Orrin G3 laptop with a GTX 1660 Ti card?") == []
    assert years.years_asked("How many ferries sailed in 2019, and in May 2031?") == ["2019", "2031"]
    assert years.years_asked("Who won the 1994 Orrin regatta?") == ["1994"]


def test_a_year_just_after_a_name_names_its_edition():
    # "AUSMIN 2019" is the 2019 AUSMIN: a blind run ranked the 2023 statement first for it, and
    # answered "Who hosted AUSMIN 2017?" from the 2019 one.
    found = ["Payne hosted AUSMIN 2019 in Sydney.", "The AUSMIN 2023 talks were held in Brisbane."]
    years = ["2019", "2023"]
    assert editions.edition("Who hosted AUSMIN 2017?", found, years) == (
        "the passages found are about the AUSMIN of 2019 and 2023, not the 2017 AUSMIN"
    )
    assert editions.edition("Who hosted AUSMIN 2019?", found, years) is None
    assert editions.standings("Where was AUSMIN 2023 held?", found, years, [None, None]) == [-1, 1]
    # A date, a year opening the question or one running on to another is no edition; nor a
    # target named with its year ("Agenda 2030" was adopted in 2015).
    adopted = ["Member states adopted the Orrin Agenda in September 2015.", *found]
    for question in (
        "What did AUSMIN agree in May 2023?",
        "In 2017, who hosted AUSMIN?",
        "How did AUSMIN change in 2019-20?",
        "What goals does the Orrin Agenda 2030 set?",
        "Throughout 2023, what did AUSMIN do?",
    ):
        assert editions.edition(question, adopted, [None, *years]) is None


def test_the_last_or_next_meeting_stands_against_no_numbered_edition():
    # "The last 2+2 meeting" may be the second one: a blind run refused "the second" for it.
    found = ["The last 2+2 meeting was held in Tokyo.", "The second 2+2 session was held in Japan in 2022."]
    assert editions.edition("Where was the second 2+2 meeting held?", found) is None
    assert editions.other_editions("Where was the second 2+2 meeting held?", found) == [False, False]
    assert editions.edition("Where will the next 2+2 meeting be held?", found) == (
        "the passages found are not about the next 2+2 meeting"
    )


def test_a_reason_names_the_edition_without_a_trailing_function_word():
    # "the last major overhaul of | the engine": the reason read "... overhaul of".
    found = ["The second round of the Orsk talks was chaired by Lee.", "The engine was overhauled in 2030."]
    assert editions.edition("Who replaced the last major overhaul of the engine?", found) == (
        "the passages found are not about the last major overhaul"
    )
    assert editions.edition("Who chaired the third round of the Orsk talks?", found) == (
        "the passages found are about the second, not the third round"
    )
    assert editions._phrase_from("Who chaired the second phase of it?", "second") == "second phase"
    # A noun that is a stop word still ends the phrase: "State" of "the last State of the Port address".
    assert editions._phrase_from("Who gave the last State of the Port address?", "last") == "last State"


def test_a_part_numbered_after_its_name_is_an_edition_too():
    # Synthetic race reports: "stage 7", "Article 20", "World War II" number a part of a series.
    stages = ["Lind wins stage 6 of the Orrin Tour and takes the lead.", "The race rested on Monday."]
    question = "Who won stage 7 of the Orrin Tour?"
    assert editions.edition(question, stages) == "the passages found are about stage 6, not stage 7"
    assert editions.other_editions(question, stages) == [True, False]
    assert editions.edition("Who won stage 6 of the Orrin Tour?", stages) is None
    # A Roman numeral is the number it writes; a decimal is no part ("section 2.1" is not section 2).
    wars = ["The port was rebuilt after World War II."]
    assert editions.edition("Was the port rebuilt after World War 2?", wars) is None
    assert "about World War 2, not World War I" in editions.edition("Was the port rebuilt after World War I?", wars)
    assert editions.edition("What does section 2 require?", ["Section 2.1 sets the fee."]) is None
    # Numbers listed together, and a name joined to its number by a hyphen or a space.
    units = ["Vogtle Units 3 and 4 cost more than planned.", "Unit 3 reached criticality in March."]
    assert editions.edition("When did Vogtle Unit 4 reach criticality?", units) is None
    assert "about Unit 3, not Unit 4" in editions.edition("When did Vogtle Unit 4 reach criticality?", units[1:])
    missions = ["Chandrayaan 3, the third lunar mission, lifted off.", "The Chandrayaan-3 lander touched down."]
    assert "about Chandrayaan 3, not Chandrayaan-4" in editions.edition("When will Chandrayaan-4 launch?", missions)
    assert editions.edition("When did Chandrayaan-3 launch?", missions) is None
    # A pronoun is no numeral, a number after a comma or before what it counts numbers nothing,
    # a range numbers every part in it, and "Under-19" is no name.
    assert editions.edition("What does Section 2 require?", ["In this section I describe the fees."]) is None
    assert "about Phase 1, not Phase II" in editions.edition("Who ran Phase II?", ["The Phase I trial enrolled 40."])
    assert "about week 2, not week 40" in editions.edition("What happened in week 40?", ["In week 2, 40 people came."])
    assert editions.edition("Who won Game 4?", ["They won the game 3 days later."]) is None
    assert editions.edition("Who won stage 7?", ["Stages 6–8 run through the Alps."]) is None
    assert editions.edition("What does Article 20 say?", ["Articles 12 to 35 set the rules."]) is None
    assert editions.edition("How did the Under-19 side fare?", ["The under 18 side won."]) is None
    # A one-letter name is not numbered by "a 5-year plan".
    assert editions.edition("When was the A-1 route opened?", ["It began as a 5-year plan."]) is None
    # A name that the passages never number is not numbered otherwise ("Covid" for "Covid-19").
    assert editions.edition("How did Covid-19 change travel?", ["Covid emptied the airports."]) is None
    # A passage that never numbers the thing says nothing against the number asked.
    assert editions.edition("What did Article 20 require?", ["The article required a withdrawal."]) is None
    # Parts numbered by "No." after the name, and no part asked listed as another.
    plant = ["Orrin's two biggest units, No 6 and No 7, make 2,700 MW.", "Vell Units 5 and 6 shut in 2031."]
    assert editions.edition("What do Orrin units 6 and 7 make?", plant) is None
    reason = editions.edition("What do Orrin units 6 and 7 make?", plant[1:] + ["Units 1 and 2 run."])
    assert reason == "the passages found are about unit 1 and unit 2 and unit 5, not units 6 and 7"
    assert editions.other_editions("What do Orrin units 6 and 7 make?", ["Vell Unit 6 shut."]) == [False]
    # "No 7" numbers the thing only just after its name: not a world No 7, a ranked No 7 or the
    # No 2 seed; and "stage 6 and stage 7" asks both, as "stages 6 and 7" does.
    assert "not stage 7" in editions.edition("Who won stage 7?", ["Stage 6 went to Ardo, the world No 7."])
    assert editions.other_editions("Who won round 3?", ["In the third round, Ardo beat the No 2 seed."]) == [False]
    assert editions.other_editions("Who won round 3?", ["In the third round, Ardo beat the No 12 seed."]) == [False]
    assert editions.standings("Who won round 3?", ["In the round, Ardo, ranked No 7, won."], [None], [None]) == [0]
    assert editions.edition("How did stage 6 and stage 7 differ?", ["Stage 6 was flat."]) is None
