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


def quoted_titles(question: str, titles: dict[str, str | None]) -> set[str]:
    """The sources whose title holds every content word of a quotation in ``question``.

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
        named |= {
            doc for doc, title in titles.items() if title and quoted <= {tokens.stem(w) for w in tokens.words(title)}
        }
    return named
