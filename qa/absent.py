"""Names a question gives that no text and no metadata of the library holds: two or more, and
``abstain`` refuses the question."""

from __future__ import annotations

import re
from collections.abc import Callable

from citeqa.corpus import tokens
from citeqa.corpus.dates import DAYS_AND_MONTHS
from citeqa.index.embed import common_words
from citeqa.qa import checks
from citeqa.qa.sources import SourceMatcher


def names_asked(question: str, dating: set[str] = frozenset()) -> list[str]:
    """The question's names (``checks.named_terms``) that are words of two letters or more, none a
    digit, and no month, day or word of ``dating``: not "Q3" ("third-quarter"), nor the "U" and
    "S" of "U.S.", nor "Dec." (a date)."""
    return [
        w
        for w in checks.named_terms(question)
        if re.fullmatch(r"[^\W\d_]{2,}", w) and w not in DAYS_AND_MONTHS and w not in dating
    ]


def absent_names(
    question: str, matcher: SourceMatcher, known: Callable[..., bool], spelled: Callable[[str], bool]
) -> list[str]:
    """The question's names that no passage and no source's metadata or author holds, not even
    as a close variant or in short ("United States" for a text's "US", "MEA" for its "Ministry of
    External Affairs"), when there are two or more and one is rare ("What did Manara offer for
    Pakistan's Reko Diq mine?").

    One such name is evidence the model weighs (``unnamed``): over every evaluation and training
    set and twelve blind real-source runs, 249 questions named one, 41 of them answerable (0.835
    precision as a veto). Two or more, one of them rare, as read here: 9 questions, all
    unanswerable (1 of the sets, ``python scripts/absent_names.py --two``, and 8 of fourteen runs,
    one of them the question it was written from), and none of their 3,171 answerable questions
    (2,539 and 632); without the rare one, 21, also all unanswerable, but "the Prime Minister" of
    a text saying "the premier" would be refused.

    Numbers are left out (a text may write "1755, 56, 57" or "third-quarter"; a year has its own
    rule), as are single letters ("U.S."), months and days, words with an apostrophe, and every
    name of a question whose small words are capitalised (title case, capitals)."""
    small = [w for w in re.findall(r"[^\W\d_]+", question)[1:] if w.lower() in tokens.STOPWORDS - {"the"}]
    if any(w[0].isupper() for w in small):
        # "How Much Funding Will Kessa Bank Provide?": in title case or capitals, where small
        # words are capitalised too (not "The", as in "The Hindu"), every word looks like a name.
        return []
    names = dict.fromkeys(names_asked(question, matcher.dating_words(question)))
    absent = [name for name in names if not tokens.spelled_in(name, matcher.stems) and not spelled(name)]
    if len(absent) < 2:
        return []
    short = _held_in_short(question, spelled)
    written = set(re.findall(r"\b[A-Z]{2,}\b", question))
    absent = [n for n in absent if n not in short and not (n.upper() in written and known([n], n.upper()))]
    # One of them rare, no word of the model's vocabulary ("Reko", "Wagerup"): common words may be
    # said otherwise ("the Prime Minister" for "the premier", "Fed" for "Federal Reserve").
    return absent if len(absent) >= 2 and not set(absent) <= common_words() else []


def _held_in_short(question: str, spelled: Callable[[str], bool]) -> set[str]:
    """The words of the question's names that the library holds by their initials ("US"): each
    stretch of two words or more within a run of capitalised words ("United States" in "United
    States and Kessa Dun"). Not as letters: the index holds "U.S." as "u" and "s", as it holds
    "R&D" as "r" and "d" ("Reko Diq"); "united" and "states" are common words, which the rare
    name the veto needs never is."""
    held = set()
    for _, words, _ in tokens.spelled_out(question):
        for start in range(len(words)):
            for end in range(start + 2, len(words) + 1):
                if spelled("".join(word[0] for word in words[start:end])):
                    held.update(words[start:end])
    return held
