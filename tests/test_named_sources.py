"""Questions that name their source by outlet, by date or by the way analysts attribute a claim.

Every source, outlet and place here is invented for these tests, but for a news agency credited
in brackets; none enters the default corpus, and none of the questions is from an evaluation set.
"""

from __future__ import annotations

import pytest
from synthetic import synthetic_asker

from citeqa.index.library import Metadata
from citeqa.qa import editions, outlets
from citeqa.qa.sources import SourceMatcher

SOURCES = {
    "berths.txt": (
        Metadata(title="Quillmarsh berths approved", publisher="Coastal Gazette", date="2031-03-04"),
        "The council of Quillmarsh approved two new berths on 3 March 2031. Construction begins in May 2031, "
        "a herald of change for the old port, the Lantern noted, and the berths cost 120 million euros. A "
        "review follows on Sept. 30, 2031.\n",
    ),
    "ferry.txt": (
        Metadata(title="Ferry line to Orrin resumes", publisher="Harbour Post", date="2031-06-10"),
        "The ferry line to Orrin resumed on 9 June 2031, as The Beacon first reported. The third phase of "
        "the ferry terminal opened on 1 June 2031, and the crossing takes 40 minutes.\n",
    ),
}


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    with synthetic_asker(tmp_path_factory.mktemp("named"), SOURCES, embedder, bundled=False) as asker:
        yield asker


@pytest.mark.parametrize(
    "question, name",
    [
        # The text says "a herald of change": a word of the paper's name is not the paper.
        ("According to The Herald, when does construction begin?", "'The Herald'"),
        # Every source is dated, none of December 2031, and no text speaks of that month.
        ("In the December 2031 statement, when does construction begin?", "no source is of that date"),
    ],
)
def test_a_source_the_library_lacks_is_refused_though_a_word_of_its_name_or_no_name_is_given(asker, question, name):
    answer = asker.ask(question)
    assert answer.abstained and name in answer.reason and answer.passages


@pytest.mark.parametrize(
    "question",
    [
        # The texts name The Beacon and, with a small "the", The Lantern.
        "According to The Beacon, when did the ferry line resume?",
        "According to The Lantern, when does construction begin?",
        # No source is of May or September 2031, but a text speaks of each: a statement of that
        # month may be quoted in it.
        "In the May 2031 statement, when does construction begin?",
        "In the September 2031 statement, when does construction begin?",
    ],
)
def test_a_source_the_text_names_or_a_date_it_speaks_of_is_not_refused_as_unknown(asker, question):
    answer = asker.ask(question)
    assert answer.reason is None or "does not hold" not in answer.reason


def test_an_edition_in_the_clause_naming_the_source_is_not_asked_about(asker):
    named, plain = asker.analyse(
        ["In the Harbour Post story on the third phase, how long does the crossing take?", "Which phase opened first?"]
    )
    assert named.editions == set() and plain.editions == set()
    # Without a library source named, the clause is part of what is asked.
    assert asker.analyse(["When did the third phase open?"])[0].editions == {"third"}
    assert asker.analyse(["In the third phase of the terminal, how long is the crossing?"])[0].editions == {"third"}


@pytest.mark.parametrize(
    "question, named",
    [
        # The Japan-like case: an outlet whose name is a place and "Times", beside another "Times"
        # whose headline names the place.
        ("In the Orrin Times story, when did the ferry resume?", {"orrin-times"}),
        ("Marlow Live reported that the ferry resumed when?", {"marlow-live"}),
        ("Per Marlow Live, when did the ferry resume?", {"marlow-live"}),
        ("When did the ferry resume, Marlow Live said?", {"marlow-live"}),
        # A publisher is named without the word "Agency" in its name.
        ("What did Tessaly say about the ferry?", {"tessaly"}),
        # A person who speaks is no outlet (a guard), nor a country a government's name holds.
        ("What did Varga say about the ferry?", set()),
        ("Veltrana said what about the ferry?", set()),
        # A name before "statement" that a publisher's words are part of describes the document.
        ("What does the Veltrana-Orrin joint statement say about ferries?", {"joint"}),
        # A wire story as another site ran it goes by both names; "(PTI)" is the agency's short name.
        ("In the Kestrel Wire story on the port sale, what was paid?", {"kestrel", "kestrel-copy", "kestrel-veltrana"}),
        ("According to the Kestrel Wire report of May 2031, what was paid?", {"kestrel-copy"}),
        ("What did Harbour Finance say about the port sale?", {"kestrel-copy"}),
        ("What did ORPT say about the ferry?", {"orpt"}),
        # A government is not a story with its country in the title.
        ("How fast did the economy grow, per the Government of Orrin?", set()),
        ("What did the Marlow Broadcasting Service say about the ferry?", {"mbs"}),
        # "Per X" at the end attributes as "according to" does: to a publisher whose name holds X.
        ("How much was paid for the port, per Kestrel?", {"kestrel", "kestrel-copy", "kestrel-veltrana"}),
        # A name may start in lower case ("eFeedLink"); "overview" and "newsletter" name documents.
        ("According to eHarbour, when did the ferry resume?", {"eharbour"}),
        ("In the Marlow Live overview, when did the ferry resume?", {"marlow-live"}),
        # A place in brackets names no one: "Veltrana" stays the government's name, not the wire's.
        ("What did Veltrana say about the port sale?", set()),
        # A name of an outlet's words alone goes by all of them; one of them names no one.
        ("According to the News-Press article, when did the ferry resume?", {"news-press"}),
        ("According to the press, when did the ferry resume?", set()),
        # A news agency credited in brackets names the story as the site that ran it does: not only
        # the agency's story on another site, credited the other way round.
        ("According to the Reuters report carried by the Harbour Post, what was paid?", {"harbour-post", "wire-copy"}),
        ("What did the Harbour Post say about the port fees?", {"harbour-post"}),
        # A publisher's commas list the parts of one name, whose initials name it; a "news item"
        # is a document.
        ("According to the OTPS release, when did the ferry resume?", {"otps"}),
        ("Per the MBS news item, how long were the ferry delays?", {"mbs"}),
        # Read as written too: the initials of a name before a comma and a country.
        ("According to the MOFA release, when did the ferry resume?", {"mofa"}),
        # An agenda's item is no document.
        ("What was the first agenda item at the Orrin ferry talks?", set()),
    ],
)
def test_outlets_are_named_as_analysts_attribute_claims(question, named):
    matcher = SourceMatcher(
        [
            ("orrin-times", "Ferry resumes", "Orrin Times", "2031-06-10", None),
            ("quay-times", "Orrin ferry back after storm", "Quay Times", "2031-06-11", None),
            ("marlow-live", "Ferry news", "Marlow Live", "2031-06-10", None),
            ("tessaly", "Ferry talks", "Tessaly Agency", "2031-06-12", None),
            ("budget", "Budget speech", "Government of Veltrana", "2031-02-01", None),
            ("joint", "Veltrana-Orrin joint statement on ferries", "Orrin Foreign Office", "2031-06-20", None),
            ("kestrel", "Ferry fares rise", "Kestrel Wire", "2031-01-05", None),
            ("kestrel-copy", "Port sold", "Kestrel Wire (via Harbour Finance)", "2031-05-02", None),
            ("orpt", "Ferry timetable", "Orrin Press Trust (ORPT)", "2031-06-01", None),
            ("mbs", "Ferry delays", "MBS (Marlow Broadcasting Service)", "2031-06-02", None),
            ("kestrel-veltrana", "Port fees", "Kestrel Wire (Veltrana)", "2031-01-09", None),
            ("eharbour", "Ferry back", "eHarbour", "2031-06-13", None),
            ("news-press", "Ferry back in Marlow", "News-Press (newspress.example)", "2031-06-14", None),
            ("harbour-post", "Port fees rise", "Harbour Post (Reuters)", "2031-06-15", None),
            ("wire-copy", "Markets wrap", "Reuters (via Quay Finance)", "2031-06-16", None),
            ("otps", "Ferry returns", "Office of Trade, Ports and Shipping", "2031-06-17", None),
            ("mofa", "Ferry pact", "Ministry of Foreign Affairs, Orrin", "2031-06-18", None),
        ]
    )
    assert matcher.named(question) == named


def test_a_passage_on_another_edition_is_told_apart_and_editions_are_listed_in_order():
    found = [
        "The first round of the ferry talks was held in Orrin.",
        "The second round of the ferry talks will be held next year.",
        "The tenth round of the ferry talks ended without a deal.",
    ]
    question = "Where was the fourth round of the ferry talks held?"
    assert editions.other_editions(question, found) == [True, True, True]
    assert editions.other_editions("Where was the second round of the ferry talks held?", found) == [True, False, True]
    assert "about the first and second and tenth, not the fourth round" in editions.edition(question, found)
    # What an edition numbers ends where another noun phrase starts: "the second topic | the
    # ministers discussed" asks for a topic, not the second ministers' meeting.
    sets = ["The first set of berths was approved in 2030."]
    assert "not the second set of berths" in editions.edition("When was the second set of berths approved?", sets)
    topics = ["At the fifteenth ministers' meeting, trade was the first topic and energy the second topic."]
    assert editions.edition("What was the second topic the ministers discussed?", topics) is None
    # A place in a list is no edition, however the text numbers the list ("the first topic was
    # trade; energy came next").
    listed = ["At the fifteenth ministers' meeting, the first topic was trade; energy came next."]
    assert editions.edition("What was the second topic the ministers discussed?", listed) is None
    assert editions.other_editions("What was the second topic the ministers discussed?", listed) == [False]


def test_a_year_before_what_it_dates_is_an_edition_unless_the_source_is_of_that_year():
    # Synthetic election reports: "the 2031 election" is not the one of 2035.
    reports = ["Vell won the 2035 Orrin presidential election by a wide margin.", "Turnout was high."]
    question = "Who won the 2031 Orrin presidential election?"
    assert editions.edition(question, reports) == (
        "the passages found are about the election of 2035, not the 2031 Orrin presidential election"
    )
    assert editions.other_editions(question, reports) == [True, False]
    assert editions.edition("Who won the 2035 Orrin presidential election?", reports) is None
    # A story dates what it reports by its own date: one of 2031 speaks of that year's election.
    assert editions.edition(question, reports, ["2031", "2031"]) is None
    # A year that counts or starts a clause dates no edition.
    assert editions.edition("How did turnout change in 2031 and 2035?", reports) is None


# Synthetic sources whose metadata alone the tests below match questions against.
STORIES = SourceMatcher(
    [
        ("rail", "Northern rail link opens", "Plains Courier", "2024-06-15", None),
        ("harbour", "Port of Veltrana expansion approved", "Coastal Gazette", "2025-12-03", None),
        ("quay", "Berths approved", "Quay Review", "2025-12-03", None),
        ("quill", "Quill note on troops", "Marlow Ledger", "2025-12-03", None),
    ]
)


@pytest.mark.parametrize(
    "question, named",
    [
        ("In the story 'Northern rail link opens', how often do trains run?", {"rail"}),
        ("In “Port of Veltrana expansion approved”, what will the berths cost?", {"harbour"}),
        # A quotation that is no title, or too short to be one, names no source.
        ("What does 'two deep-water berths' add to the port?", set()),
        ("Which link is 'northern'?", set()),
    ],
)
def test_a_source_is_named_by_its_headline_in_quotes(question, named):
    assert STORIES.named(question) == named


@pytest.mark.parametrize(
    "question, named",
    [
        ("In Quay Review's weekly roundup, what did the berths cost?", {"quay"}),
        ("From the Plains Courier's daily digest, when did the link open?", {"rail"}),
        # A possessive that is no publisher's names no source, and is no source the library lacks.
        ("In Orrin's view, what did the berths cost?", set()),
    ],
)
def test_a_publisher_s_piece_is_named_by_its_possessive_whatever_it_is_called(question, named):
    assert STORIES.named(question) == named
    assert STORIES.unknown_source(question, lambda words, written=None: False) is None


def test_an_edition_written_just_after_the_thing_is_held():
    # Synthetic readouts: "the Council (OTC) held its fifth meeting" gives the fifth OTC meeting.
    readouts = [
        "The Orrin Trade Council (OTC) held its fifth ministerial meeting in Quay. Ada Widget joined the talks.",
        "The sixth Orrin Trade Council (OTC) met in Marlow.",
    ]
    assert editions.edition("Who joined the fifth OTC ministerial talks?", readouts) is None
    assert "about the sixth, not the seventh" in editions.edition(
        "Who joined the seventh OTC ministerial talks?", readouts
    )


@pytest.mark.parametrize(
    "question, named",
    [
        # "note" and "update" are verbs here, with their objects: no source is named.
        ("Whose troops did Lind and Quill note Orrin had sent?", set()),
        ("Did Quill update the synthetic forecast?", set()),
        # Determined, they are documents.
        ("What does the Quill note say about troops?", {"quill"}),
    ],
)
def test_a_document_noun_used_as_a_verb_names_no_source(question, named):
    assert STORIES.named(question) == named


@pytest.mark.parametrize(
    "question, named",
    [
        # A person's "Veltrana remarks" are theirs, given in Veltrana, not the story on the port
        # there, which "the Veltrana statement" may name.
        ("What did the mayor praise during her Veltrana remarks?", set()),
        ("What does the Veltrana statement say?", {"harbour"}),
        # An outlet's name after the possessive still names its story.
        ("In his Coastal Gazette interview, what did the mayor praise?", {"harbour"}),
        # "an emailed Veltrana statement" is one the story may quote, not the story; "a Coastal
        # Gazette report" is the outlet's.
        ("Which paper got an emailed Veltrana statement on the berths?", set()),
        ("What did a Coastal Gazette report say about the berths?", {"harbour"}),
    ],
)
def test_a_place_in_a_person_s_remarks_or_an_indefinite_statement_names_no_source_but_an_outlet_does(question, named):
    assert STORIES.named(question) == named


def test_a_writer_or_a_whole_title_after_an_indefinite_article_names_their_source():
    rows = [
        ("rail", "Northern rail link opens", "Plains Courier", "2024-06-15", None),
        ("atlas", "Orrin Harbour Atlas", "Quay Review", "2025-01-10", None),
    ]
    matcher = SourceMatcher(rows, {"rail": ["Ilse Varga"]})
    assert matcher.named("According to an Ilse Varga story, how often do trains run?") == {"rail"}
    assert matcher.named("What does an Orrin Harbour Atlas report say of the berths?") == {"atlas"}
    # A name that only some title's words hold is the thing a statement is of, not the source; so
    # is a one-word title's, and an untitled source's empty title is no name at all.
    assert matcher.named("Which paper got an emailed Orrin statement?") == set()
    short = SourceMatcher(
        [("hl", "Vell-Line", "Quay Review", None, None), ("board", None, "Orrin Harbour Board", None, None)]
    )
    assert short.named("Which paper got an emailed Vell-Line statement?") == set()
    assert short.named("What did an emailed Orrin statement say?") == set()


def test_an_outlet_named_with_a_date_may_be_its_edition_of_a_longer_name():
    # "China Daily's June 2019 preview" was China Daily Global's: the outlet of the exact name had
    # nothing of that date, and a preview was no document a date could name.
    matcher = SourceMatcher(
        [
            ("quay-daily", "Port fees rise", "Quay Daily", "2029-07-12", None),
            ("quay-daily-global", "Ferry talks in Marlow", "Quay Daily Global", "2031-06-13", None),
        ]
    )
    assert matcher.named("In Quay Daily's June 2031 preview of the ferry talks, who is quoted?") == {
        "quay-daily-global"
    }
    # Undated, "Quay Daily" names the edition too, and the text decides ("China Daily's preview"
    # was China Daily Global's, refused when only China Daily's story was named).
    assert matcher.named("In the Quay Daily story on port fees, what rose?") == {"quay-daily", "quay-daily-global"}
    # By its first two words or more ("KBS World reports" of KBS World Radio), never by one.
    radio = SourceMatcher([("radio", "Ferry talks in Marlow", "Quay World Radio", "2031-06-13", None)])
    assert radio.named("Quay World reports that the ferry talks ended when?") == {"radio"}
    assert radio.named("Per Quay World's report, when did the ferry talks end?") == {"radio"}
    assert radio.unknown_source("Per Quay World's report, when did the ferry talks end?", lambda *a: False) is None
    assert radio.named("What did Quay say about the ferry talks?") == set()
    # Only by words of its own name; an edition's last word may go ("POLITICO" of POLITICO Europe).
    assert radio.named("What did the Quay World Post say about the ferry talks?") == set()
    assert outlets.outlet("Orrin Post Europe").named_by({"orrin", "post"})
    assert not outlets.outlet("Ministry of Foreign Affairs of Orrin").named_by({"kessa", "foreign", "ministry"})
    assert not outlets.outlet("U.S. Department of State").shorter
    # "Per" before a name is the name's when the question does not open with it.
    author = SourceMatcher([("fish", "Fish", "Orrin Post", "2031-01-09", None)], authors={"fish": ["Per Sandberg"]})
    assert author.named("In Per Sandberg's article, what was caught?") == {"fish"}


def test_a_newspaper_named_before_a_document_noun_is_held_only_by_its_publisher_or_the_text():
    # "the Japan Times analysis" was taken as held by the Shillong Times' story titled "Japan ...".
    matcher = SourceMatcher([("quay-times", "Orrin ferry back after storm", "Quay Times", "2031-06-11", None)])

    def nowhere(words, written=None):  # the library's text holds no name
        return False

    assert matcher.unknown_source("What did the Orrin Times analysis say about the ferry?", nowhere) == (
        "Orrin Times analysis"
    )
    assert matcher.unknown_source("What did the Quay Times analysis say about the ferry?", nowhere) is None
    assert matcher.unknown_source("What did the Orrin Times analysis say?", lambda words, written=None: True) is None
    # Not a paper's name: words of it in a source's metadata are enough, as before.
    assert matcher.unknown_source("What does the Orrin ferry report say?", nowhere) is None
    # A paper's name as its publisher writes it, whole or run together, holds it.
    papers = SourceMatcher(
        [
            ("telegraph", "Ferry fares", "The Daily Orrin Telegraph", "2031-06-11", None),
            ("post", "Ferry fares", "marlowpost.example", "2031-06-12", None),
            ("story", "Orrin and Kessa sign ferry pact", "Kessa Times", "2031-06-02", None),
            ("orrin-times", "Ferry fares", "The Orrin Times", "2029-03-01", None),
        ]
    )
    assert papers.unknown_source("What did the Daily Orrin Telegraph report say?", nowhere) is None
    assert papers.unknown_source("What did the Marlow Post report say?", nowhere) is None
    # Dated, the paper is not a story of that date by another paper whose title holds its name,
    # nor its own of another date: none is named (``misdated`` refuses, unless a text cites it).
    assert papers.named("What did the Orrin Times June 2031 analysis say?") == set()
    assert papers.named("What did the Orrin Times March 2029 analysis say?") == {"orrin-times"}


def test_a_news_agency_under_any_byline_is_named_as_the_agency():
    matcher = SourceMatcher(
        [
            ("staff", "Chips", "Reuters Staff", "2031-01-01", None),
            ("copy", "Chips", "Harbour Post (Reuters)", "2031-01-02", None),
        ]
    )
    assert matcher.named("What did the Reuters report say about chips?") == {"staff", "copy"}


def test_a_passage_of_the_named_source_says_so_where_it_stands_above_a_higher_score(asker):
    # The berths story, which says when construction begins, scores higher but stands below.
    passages = asker.ask("According to the Harbour Post, when does construction begin?").passages
    named = [p.citation.publisher == "Harbour Post" for p in passages]
    assert [p.to_dict()["named_source"] for p in passages] == named and named[0] and not all(named)
    assert max(p.score for p in passages if not p.named_source) > passages[0].score


def test_an_agenda_item_names_no_source_the_library_lacks():
    matcher = SourceMatcher([("talks", "Ferry talks", "Orrin Weekly", "2031-06-01", None)])
    assert matcher.unknown_source("What was the first G20 agenda item in Orrin?", lambda *a, **k: False) is None
    assert matcher.unknown_source("Per the Vell Gazette news item, when did talks end?", lambda *a, **k: False)
