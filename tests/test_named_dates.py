"""A source named by its date: refused when no source may be of that date, nor does any text
speak of one by that name and date (all sources synthetic)."""

from __future__ import annotations

import pytest
from synthetic import synthetic_asker

from citeqa.index.library import Metadata
from citeqa.qa.sources import SourceMatcher


def test_a_source_named_by_a_date_alone_is_refused_only_when_no_source_may_be_of_it():
    dated = [
        ("a", "Synthetic", "Harbour Wire", "2031-07-02", None),
        ("b", "Synthetic", "Dock Herald", "2030-01-05", None),
    ]
    question = "In the December 2031 statement, who spoke?"
    assert "December 2031" in SourceMatcher(dated).misdated(question, lambda words: False)
    # The texts speak of December 2031; an undated source may be of it; a source is of it.
    assert SourceMatcher(dated).misdated(question, lambda words: True) is None
    undated = [*dated, ("c", "Synthetic", "Quay Review", None, None)]
    assert SourceMatcher(undated).misdated(question, lambda words: False) is None
    assert SourceMatcher(dated).misdated("In the July 2031 statement, who spoke?", lambda words: False) is None


def test_an_update_of_another_month_is_a_source_the_library_lacks_but_a_thing_s_own_update_is_none():
    dated = [("bank", "Food Security Update", "Harbour Bank", "2031-10-02", None)]
    matcher = SourceMatcher(dated)
    # The bank's June update is another edition than its October one.
    reason = matcher.misdated(
        "What did the Harbour Bank's June 2031 food security update say?", lambda words, **how: False
    )
    assert "no source by that name is of that date" in reason
    # The pact's own update names no source, by its date or the rest of it.
    for question in (
        "How long did the pact go unrevised before its August 2031 update?",
        "How long did the pact go unrevised before its 14 August 2031 update?",
        "What changed in their 2029 update of the pact?",
    ):
        assert matcher.misdated(question, lambda words, **how: False) is None
    # An outlet's own report of that date is a source: "its" does not hide its date.
    reason = matcher.misdated("What did Harbour Bank say in its March 2029 report?", lambda words, **how: False)
    assert "is of that date ('its March 2029 report')" in reason
    # Nor is a post of ambassador or a paper mill a document.
    for question in ("Who held the 2029 post of ambassador?", "What did the 2029 paper mill produce?"):
        assert matcher.misdated(question, lambda words, **how: False) is None


def test_a_source_named_with_another_date_is_not_refused_when_a_text_cites_one_by_that_name_and_date():
    # The library's Harbour Council release is of 2030; a 2031 story quotes a 2028 one.
    sources = [
        ("council", "Synthetic release", "Harbour Council", "2030-03-04", None),
        ("story", "Synthetic story", "Dock Herald", "2031-05-06", None),
    ]
    cited = "according to a harbour council report published in 2028 tolls fell".split()

    def known(words, written=None, apart=2):
        return all(word in cited for word in words)

    matcher = SourceMatcher(sources)
    assert matcher.misdated("Per a 2028 Harbour Council report, how far did tolls fall?", known) is None
    # Nor is the Council's own release of 2030 the report asked about: every source may answer.
    assert matcher.named("Per a 2028 Harbour Council report, how far did tolls fall?") == set()
    # No text cites one of 2029.
    assert "no source by that name is of that date" in matcher.misdated(
        "Per a 2029 Harbour Council report, how far did tolls fall?", known
    )


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    sources = {
        # The wire names itself in its dateline, beside a 2028 budget: it cites no 2028 report.
        "wire.txt": (
            Metadata(title="Port cuts tolls", publisher="Harbour Wire", date="2031-07-02"),
            "MARLOW (Harbour Wire) - Marlow's 2028 budget plan cut the port's tolls on Tuesday.\n\n"
            "The port was founded by the city of Marlow.\n",
        ),
        "council.txt": (
            Metadata(title="Council budget", publisher="Harbour Council", date="2030-03-04"),
            "The Harbour Council approved its budget for the coming year.\n",
        ),
        "story.txt": (
            Metadata(title="Tolls and trade", publisher="Dock Herald", date="2031-08-01"),
            "A Harbour Council report published in 2029 found that port tolls fell by 12 per cent.\n",
        ),
    }
    with synthetic_asker(tmp_path_factory.mktemp("cited"), sources, embedder, bundled=False) as asker:
        yield asker


def test_a_source_cited_with_its_year_is_asked_about_and_one_merely_named_near_a_year_is_not(asker):
    cited = asker.ask("Per a 2029 Harbour Council report, by how much did port tolls fall?")
    assert not cited.abstained and "12 per cent" in cited.passages[0].highlight
    misdated = asker.ask("What did the 2028 Harbour Wire report say about port tolls?")
    assert misdated.abstained and "no source by that name is of that date" in misdated.reason


@pytest.mark.parametrize("noun", ["page", "document", "manual", "guide"])
def test_a_page_or_a_document_is_named_by_its_date_as_an_article_is(noun):
    sources = [
        ("example", "Synthetic closure example", "Velmora Docs", "2032-10-23", None),
        ("api", "Synthetic closure interface", "Velmora Docs", "2033-05-01", None),
    ]
    assert SourceMatcher(sources).named(f"What does the October 2032 {noun} say about closures?") == {"example"}
    # A noun that names no document names no source by the date before it.
    assert SourceMatcher(sources).named("What did the October 2032 budget say about closures?") == set()


def test_a_source_of_the_very_date_asked_is_named_before_one_of_its_year_alone():
    sources = [
        ("release", "Synthetic harbour release", "Harbour Board", "2031-05-10", None),
        ("review", "Synthetic harbour review", "Quay Journal", "2031", None),
    ]
    matcher = SourceMatcher(sources)
    assert matcher.named("What did the 10 May 2031 press release say about tolls?") == {"release"}
    assert matcher.named("What did the May 2031 statement say about tolls?") == {"release"}
    # A year asks no more than either gives: both are of it.
    assert matcher.named("What did the 2031 article say about tolls?") == {"release", "review"}
    # Of a day no source is of exactly, the year's source still may be.
    assert matcher.named("What did the 3 June 2031 report say about tolls?") == {"review"}
