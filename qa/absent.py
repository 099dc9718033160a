"""Names a question gives that no text and no metadata of the library holds: two or more, and
``abstain`` refuses the question."""

from __future__ import annotations

import re
from collections.abc import Callable

from citeqa.corpus import tokens
from citeqa.corpus.dates import DAYS_AND_MONTHS
from citeqa.qa import checks
from citeqa.qa.sources import SourceMatcher


def absent_names(
    question: str, matcher: SourceMatcher, known: Callable[..., bool], spelled: Callable[[str], bool]
) -> list[str]:
    """The question's names that no passage and no source's metadata or author holds, not even
    as a close variant or in short ("United States" for a text's "US", "MEA" for its "Ministry of
    External Affairs"), when there are two or more ("What did Manara offer for Pakistan's Reko
    Diq mine?").

    One such name is evidence the model weighs (``unnamed``): over every evaluation and training
    set and twelve blind real-source runs, 249 questions named one, 41 of them answerable (0.835
    precision as a veto). Two or more, as read here: 20 questions, all unanswerable (11 of the
    sets, ``python scripts/absent_names.py --two``, and 9 of the runs), and none of their 3,075
    answerable questions (2,539 and 536). Numbers are left out (a text may write "1755, 56, 57"
    or "third-quarter"; a year has its own rule), as are single letters ("U.S."), months and
    days, and every name of a question in title case or capitals."""
    small = [w for w in re.findall(r"[^\W\d_]+", question)[1:] if w.lower() in tokens.STOPWORDS - {"the"}]
    if any(w[0].isupper() for w in small):
        # "How Much Funding Will Kessa Bank Provide?": in title case or capitals, where small
        # words are capitalised too (not "The", as in "The Hindu"), every word looks like a name.
        return []
    dating = matcher.dating_words(question) | DAYS_AND_MONTHS
    # Words of two letters or more, none a digit: not "Q3" ("third-quarter"), nor the "U" and
    # "S" of "U.S.", nor "Dec." (a date).
    names = dict.fromkeys(
        w for w in checks.named_terms(question) if w not in dating and re.fullmatch(r"[^\W\d_]{2,}", w)
    )
    absent = [name for name in names if not tokens.spelled_in(name, matcher.stems) and not spelled(name)]
    if len(absent) < 2:
        return []
    short = {w for _, words, forms in tokens.spelled_out(question) if any(map(spelled, forms)) for w in words}
    written = set(re.findall(r"\b[A-Z]{2,}\b", question))
    absent = [n for n in absent if n not in short and not (n.upper() in written and known([n], n.upper()))]
    return absent if len(absent) >= 2 else []
