"""What a "how many" question counts, and whether a passage counts it: beside a number, under its
own name or another (the sentences are synthetic, written for these tests)."""

from __future__ import annotations

from functools import partial

import pytest

from citeqa.corpus import tokens
from citeqa.qa import checks
from citeqa.qa.answer import similarity


@pytest.mark.parametrize(
    "question, passage, counted",
    [
        # The thing counted ends at a verb, whatever its form: "people | took part".
        ("How many people took part in the synthetic survey?", "A survey of more than 5,000 people ran.", False),
        ("How many widget makers attended?", "Twelve widget makers came.", False),
        # Counted where the passages never name it, or name it without a number.
        ("How many gadgets were sold?", "Widgets sold well.", True),
        ("How many children attend the Orrin school?", "Children attend the Orrin school.", True),
        # People are counted by what they are: "professionals", "personnel".
        ("How many people took part in the Orrin survey?", "The survey of 5,000 Orrin professionals ran.", False),
        ("How many Orrin workers are abroad?", "About 1,200 Orrin personnel serve abroad.", False),
        # A group counts what it groups: "a trio of documents" is three.
        ("How many documents did the Orrin envoys sign?", "The Orrin envoys signed a trio of documents.", False),
        ("How many deals did Orrin sign?", "Orrin signed a pair of deals with Vell.", False),
        # But a group's name is no count: "the Quartet", "currency pairs".
        ("How many envoys did the Orrin Quartet send?", "The Orrin Quartet sent envoys.", True),
        # A year is no count of people, and a count of ministries is none of people.
        ("How many people attended the Orrin talks?", "In 2031 officials from five ministries attended.", True),
        # Civilians are not the soldiers asked for; "two officials said" cites, "5 March" dates.
        ("How many soldiers were killed in Orrin?", "Three civilians were killed in Orrin.", True),
        ("How many people died in the Orrin fire?", "The Orrin fire spread, two officials said.", True),
        ("How many people attended the Orrin talks?", "On 5 March officials attended the Orrin talks.", True),
        ("How many U.S. Marines serve in Orrin?", "Some 2,500 U.S. Marines serve in Orrin.", False),
        # A group counted by its members counts what the question says makes it up; not another group.
        ("How many ships make up the Vell Line fleet?", "The Vell Line runs its 212-strong fleet.", False),
        ("How many states joined the Orrin coalition?", "Orrin leads a 12-member coalition.", False),
        ("How many ships make up the Vell Line fleet?", "The Vell Line has a 40-strong crew.", True),
        # Not when the question asks something else of the group than what it is made of.
        ("How many ships did the Vell Line fleet lose?", "The Vell Line's 212-strong fleet sailed on.", True),
        ("How many soldiers were killed in the Orrin force?", "The 5,000-strong Orrin force came under fire.", True),
        ("How many women sit on the Orrin board?", "Orrin has a 15-member board.", True),
        ("How many members does the Orrin board have?", "Orrin has a 15-member board.", False),
        ("How many states joined the new Orrin coalition?", "Orrin leads a 12-member coalition.", False),
        ("How many states joined the sanctions against the coalition?", "Orrin leads a 12-member coalition.", True),
        ("How many people were in favour of the Orrin coalition's plan?", "Orrin leads a 12-member coalition.", True),
        ("How many people were arrested after they joined the march?", "The 500-strong march set off.", True),
        ("How many civilians did the Orrin army say have been killed?", "The 5,000-strong Orrin army said so.", True),
    ],
)
def test_a_count_needs_its_thing_named_with_a_number(question, passage, counted):
    best = [(passage, set(tokens.terms(passage)))]
    # As ``abstain.evidence`` reads the passages: "U.S." holds "us".
    found = {tokens.stem(w) for w in tokens.words(passage)} | tokens.short_forms(passage)
    assert bool(checks.count(question, found, best)[0]) == counted


def test_an_abbreviation_s_full_stops_end_no_count_s_thing():
    # "How many U.S. Marines" counts Marines: a number beside "U.S." in another sentence is none.
    sentences = ["The U.S. sent 2 ships to Orrin.", "The Marines serve in Orrin."]
    best = [(s, set(tokens.terms(s))) for s in sentences]
    found = {tokens.stem(w) for s in sentences for w in tokens.words(s)} | tokens.short_forms(" ".join(sentences))
    count, reason = checks.count("How many U.S. Marines serve in Orrin?", found, best)
    assert count == 1.0 and "how many US Marines" in reason


@pytest.mark.parametrize(
    "question, passage, counted",
    [
        # Synthetic: the passage counts the thing asked about under another name.
        ("How many firms joined the Orrin trade mission?", "The Orrin trade mission included 16 companies.", False),
        ("How many troops guard the Orrin border?", "Some 900 soldiers guard the Orrin border.", False),
        # A related thing is not the one asked about: trucks are not cars, civilians not soldiers,
        # sisters not brothers, goats not sheep, ministers not ministries, months not weeks.
        ("How many trucks did Orrin export?", "Orrin exported 4,000 cars.", True),
        ("How many soldiers were hurt in Orrin?", "Three civilians were hurt in Orrin.", True),
        ("How many sisters does the Orrin envoy have?", "The Orrin envoy has two brothers.", True),
        ("How many sheep are on Orrin?", "Some 300 goats are on Orrin.", True),
        ("How many ministries took part in the Orrin talks?", "Five ministers took part in the Orrin talks.", True),
        ("How many weeks did the Orrin strike last?", "The Orrin strike lasted three months.", True),
        ("How many gigabytes does the Orrin drive hold?", "The Orrin drive holds 128 megabytes.", True),
    ],
)
def test_a_count_may_name_its_thing_by_another_word(question, passage, counted, embedder):
    best = [(passage, set(tokens.terms(passage)))]
    found = {tokens.stem(w) for w in tokens.words(passage)}
    assert bool(checks.count(question, found, best, partial(similarity, embedder.encode))[0]) == counted
    # Without the model, only the word asked for counts.
    assert checks.count(question, found, best)[0] == 1.0
