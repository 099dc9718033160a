"""A source named by initials: those its publisher's name gives, and those its metadata writes
for a name the question spells out. The sources are synthetic, written for these tests; none of
the questions is from an evaluation set."""

from __future__ import annotations

from citeqa.qa.sources import SourceMatcher


def test_a_publisher_s_hyphenated_office_is_named_by_its_initials():
    # "DG Trade" is how analysts name the Directorate-General for Trade.
    matcher = SourceMatcher(
        [("salt", "Vell and Orrin open salt talks", "Vell Commission, Directorate-General for Salt", None, None)]
    )

    def nowhere(words, written=None):  # the library's text holds no name
        return False

    question = "The Vell Commission's DG Salt news article says the talks opened when?"
    assert matcher.unknown_source(question, nowhere) is None
    assert matcher.unknown_source("The Vell Commission's DG Fish news article says what?", nowhere) is not None


def test_a_source_is_named_by_the_initials_its_metadata_writes_for_a_name_spelled_out():
    # Two releases of one ministry: "the External Affairs Minister's statement" is the one titled
    # for the "EAM"; "the MEA's briefing" is the ministry's, whose name ends before "of Vell".
    matcher = SourceMatcher(
        [
            (
                "statement",
                "Press Statement by EAM on the third 2+2",
                "Ministry of External Affairs of Vell",
                None,
                None,
            ),
            (
                "briefing",
                "Special briefing on the Prime Minister's visit",
                "Ministry of External Affairs of Vell",
                None,
                None,
            ),
        ]
    )

    def nowhere(words, written=None):  # the library's text holds no name
        return False

    question = "Per the External Affairs Minister's statement on the third 2+2, what did the sides agree?"
    assert matcher.named(question) == {"statement"}
    assert matcher.named("In the MEA's special briefing, who spoke?") == {"statement", "briefing"}
    # Held by the initials alone: no word of the name is in any source's metadata.
    foreign = SourceMatcher([("note", "Note by the EAM on ports", "Vell Foreign Office", None, None)])
    assert foreign.unknown_source(question, nowhere) is None
    # A title's word is no initials: "aid" is not the Asian Infrastructure Development report.
    aid = SourceMatcher([("floods", "Japan pledges aid to Vell after floods", "Quay Wire", None, None)])
    assert aid.unknown_source("In the Asian Infrastructure Development report, what rose?", nowhere) is not None
