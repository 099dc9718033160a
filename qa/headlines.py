"""A source named by its headline in quotes: "In the article 'The man whose duvet nearly killed
him', what is the man's name?" names the source of that title, as "according to Reuters" names
one by its publisher (``sources.SourceMatcher.named``)."""

from __future__ import annotations

import re

from citeqa.corpus import tokens

# A quotation of a few words or more, in double or single quotes, curly or straight; a single
# quote must stand apart from letters, so that "IGN's" or "don't" opens none.
_QUOTED = re.compile(r"[\"“”]([^\"“”]{8,}?)[\"“”]|(?<![^\W_])['‘]([^'‘’]{8,}?)['’](?![^\W_])")
#: The fewest content words a quotation must have to name a source by its title.
_FEWEST_WORDS = 3
#: The share of a title's content words a quotation must hold when no word for a document comes
#: before it.
_MOST = 0.6
# A word for a document just before the quotation: "the article 'The man whose duvet ...'".
_TITLED = re.compile(
    r"\b(?:article|story|report|piece|headline|titled|called|column|post|release|statement)\W{0,3}$", re.IGNORECASE
)


def quoted_titles(question: str, titles: dict[str, str | None]) -> set[str]:
    """The sources whose title holds every content word of a quotation in ``question``, which
    follows a word for a document ("the article '...'") or is most of the title.

    Args:
        question: the question as asked.
        titles: each source's title by its id.

    Returns:
        Their ids; none when no quotation of ``_FEWEST_WORDS`` content words or more is there.
    """
    named: set[str] = set()
    for match in _QUOTED.finditer(question):
        quoted = {tokens.stem(w) for w in tokens.words(match.group(1) or match.group(2))}
        if len(quoted) < _FEWEST_WORDS:
            continue
        # A quoted phrase a title merely contains ('"free and open Indo-Pacific"') names it only
        # after a word for a document; else the quotation must be most of the title.
        titled = bool(_TITLED.search(question, 0, match.start()))
        for doc, title in titles.items():
            words = {tokens.stem(w) for w in tokens.words(title or "")}
            if quoted <= words and (titled or len(quoted) >= _MOST * len(words)):
                named.add(doc)
    return named
