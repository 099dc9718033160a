"""A question about a year after its best source came out. The story is synthetic, written for
these tests; none of the questions is from an evaluation set."""

from __future__ import annotations

import pytest
from synthetic import synthetic_library

from citeqa.index.library import Metadata
from citeqa.qa.answer import Asker

NICKEL = (
    "Orsk nickel exports fall as smelter closes\n\n"
    "Orsk exported 40 tonnes of refined nickel in March 2021, down from 65 tonnes a year earlier, "
    "customs data showed on Friday. The Vell smelter closed for repairs in February and is due to "
    "reopen in 2023.\n"
)


@pytest.fixture(scope="module")
def asker(tmp_path_factory, embedder):
    sources = {"nickel.txt": (Metadata(publisher="Quay Wire", date="2021-04-02"), NICKEL)}
    library = synthetic_library(tmp_path_factory.mktemp("dated"), sources, embedder, bundled=False)
    with Asker(library, embedder) as asker:
        yield asker


def test_a_source_cannot_report_a_year_after_it_came_out(asker):
    answer = asker.ask("How many tonnes of refined nickel did Orsk export in March 2023?")
    assert answer.abstained
    assert answer.reason == "the best passage's source came out on 2021-04-02, before 2023, the year asked about"
    # The closest passages are still shown, marked as not answering.
    assert "40 tonnes" in answer.passages[0].text


@pytest.mark.parametrize(
    "question",
    [
        "How many tonnes of refined nickel did Orsk export in March 2021?",
        # What is expected later, and a year not yet come, are no years a source reports.
        "How many tonnes of refined nickel was Orsk expected to export in 2023?",
        "How many tonnes of refined nickel will Orsk export in 2099?",
    ],
)
def test_a_year_the_source_may_speak_of_is_not_refused_by_its_date(asker, question):
    answer = asker.ask(question)
    assert "came out" not in (answer.reason or "")
