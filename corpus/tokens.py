"""Words for lexical matching: the same tokenisation for indexing, searching and overlap tests."""

from __future__ import annotations

import re

# Function words and question words: they match everything and answer nothing.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom whose why will with would you your yours yourself yourselves tell say said please know
    according much many kind article paper text mention mentioned describe described state stated""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased content words of ``text`` in order, stop words and possessive endings dropped."""
    out = []
    for word in _WORD.findall(text.lower()):
        # A plain suffix test: this runs for every word of every candidate passage of a question.
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if word not in STOPWORDS:
            out.append(word)
    return out
