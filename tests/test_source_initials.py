"""A source named by initials: those its publisher's name gives, and those its metadata writes
for a name the question spells out. The sources are synthetic, written for these tests; none of
the questions is from an evaluation set."""

from __future__ import annotations

from synthetic import synthetic_asker

from citeqa.corpus import tokens
from citeqa.index.library import Metadata
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


def test_a_source_named_by_initials_the_text_spells_out_is_held(tmp_path, embedder):
    # Synthetic: the story never writes "OPA"; a question citing the authority by its initials
    # was refused as naming a source the library lacks.
    story = "The Orrin Port Authority said on 3 May 2031 that berth fees rise by 4 percent in June.\n"
    sources = {"fees.txt": (Metadata(title="Berth fees rise", publisher="Harbour Post", date="2031-05-04"), story)}
    with synthetic_asker(tmp_path, sources, embedder, bundled=False) as asker:
        assert asker.store.holds_name(["opa"], "OPA") and not asker.store.holds_name(["oba"], "OBA")
        answer = asker.ask("According to the OPA, by how much do berth fees rise?")
        assert answer.reason is None or "does not hold" not in answer.reason
        assert "4 percent" in answer.passages[0].highlight
        refused = asker.ask("According to the QZA, by how much do berth fees rise?")
        assert refused.abstained and "'QZA'" in refused.reason


def test_initials_are_spelled_out_by_capitalised_words_with_small_words_between():
    glob, spelled = tokens.spelling("BOJ")
    assert glob == "*B*J*" and spelled.search("rates set by the Bank of Japan on Friday")
    assert tokens.spelling("BIS")[1].search("the Bank for International Settlements")
    assert not tokens.spelling("IEA")[1].search("an international energy agency")
    # Each part of a hyphened word has its initial.
    assert tokens.spelling("IPEF")[1].search("the Indo-Pacific Economic Framework")


def test_a_publisher_s_name_and_another_s_initials_name_one_outlet():
    # Synthetic: an agency's story under its name, and one a paper carried crediting its initials;
    # the question named the agency and was judged on the paper's story alone.
    matcher = SourceMatcher(
        [
            ("own", "Quay fees rise", "Orrin News Agency", "2031-01-01", None),
            ("carried", "Quay fees to rise", "Harbour Mail (ONA)", "2031-01-02", None),
        ]
    )
    assert matcher.named("What share does the Orrin News Agency report give?") == {"own", "carried"}


def test_a_department_is_named_by_the_initials_of_its_own_words_inside_its_publisher_s_name():
    # Synthetic publishers: analysts write "DOSR" for a department inside its government's name,
    # and "OSFT" for an office without the country closing its name; both were refused as sources
    # the library lacks.
    matcher = SourceMatcher(
        [
            ("salt", "Salt levy rises", "Australian Government Department of Orrin, Salt and Resources", None, None),
            ("fish", "Fish quota set", "Office of Salt, Fish and Trade Canada (via Quay Wire)", "2031-03-02", None),
        ]
    )

    def nowhere(words, written=None):  # the library's text holds no name
        return False

    assert matcher.named("According to the DOSR page, when does the levy rise?") == {"salt"}
    assert matcher.named("In OSFT's March 2031 release, what quota was set?") == {"fish"}
    assert matcher.unknown_source("According to the DOSR page, when does the levy rise?", nowhere) is None
    # Initials of words that do not stand together in the name name neither.
    assert matcher.named("According to the VDSR page, when does the levy rise?") == set()
    assert matcher.unknown_source("According to the VDSR page, when does the levy rise?", nowhere) is not None


def test_initials_inside_a_publisher_s_name_are_no_other_body_s():
    # Synthetic: "FTC" is inside the "Commodity Futures Trading Commission", "TSA" inside the
    # "National Highway Traffic Safety Administration", "EMA" inside the "Federal Emergency
    # Management Agency": each names another body, one the library does not hold.
    matcher = SourceMatcher(
        [
            ("cftc", "Orrin swaps rule", "Commodity Futures Trading Commission", None, None),
            ("nhtsa", "Orrin recall", "National Highway Traffic Safety Administration", None, None),
            ("fema", "Orrin flood aid", "Federal Emergency Management Agency", None, None),
            ("csis", "Orrin threat brief", "Canadian Security Intelligence Service", None, None),
        ]
    )

    def nowhere(words, written=None):  # the library's text holds no name
        return False

    for question, name in [
        ("According to the FTC, what did the merger cost?", "FTC"),
        ("According to the TSA, how many passengers were screened?", "TSA"),
        ("What does the EMA report say about the vaccine?", "EMA report"),
        # A people's word opens many a body's own initials (the CSIS's).
        ("According to the SIS, who was recruited?", "SIS"),
    ]:
        assert matcher.named(question) == set()
        assert name in matcher.unknown_source(question, nowhere)
