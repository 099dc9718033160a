"""Whether a hyphen ending a PDF line is part of a compound word or breaks a word in two.

Typeset text breaks long words at line ends ("implemen-" + "tation") and also wraps lines after
the hyphen of a compound ("kernel-" + "based"). The two look alike on the page; a dictionary could
tell them apart, but the document itself is a better one for its own vocabulary: an author who
writes "kernel-based" at a line end writes it, or its parts, elsewhere too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from citeqa.corpus.tokens import STOPWORDS

# Letters of any script ([^\W\d_]): a French "relé-" + "guée" breaks a word as "implemen-" does.
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*-?")
# The whole chain before the hyphen: "end-of-" + "file" asks for "end-of-file".
_LINE_END = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)-$")
_LINE_START = re.compile(r"[^\W\d_]+")
# Endings that make a word of the stem before them: "consider-" + "able" is one word, though
# "consider" and "able" are each words too.
_SUFFIXES = frozenset(
    "able ible ment ments tion tions sion sions ness ity ities ing ings ed ly ful less ous ive ance ence".split()
)


_NUMBER_WORDS = frozenset("one two three four five six seven eight nine".split())


def compound_test(lines: list[str]) -> Callable[[str, str], bool]:
    """A test of whether the hyphen ending one line of these is a compound's, to keep.

    Args:
        lines: every text line of the document, in reading order.

    Returns:
        A function of a line ending in a hyphen and the line after it: true when the hyphen
        belongs to a compound word. It does when the document writes the hyphenated form within
        a line, on its own or starting a longer chain ("end-of" in "end-of-file"); otherwise not
        when it writes the joined form, or when the second part is a suffix ("able", "ment");
        otherwise it does when the document writes the second part after another hyphen
        ("two-stroke" for "four-" + "stroke"), or both parts are words it uses on their own ("real" and
        "world") and neither is a function word, which the fragments of a broken word
        ("implemen", "tation") seldom are.
    """
    words: Counter = Counter()
    # The words written after a hyphen within a line: "two-stroke" makes "four-" + "stroke" one.
    seconds: Counter = Counter()
    for n, line in enumerate(lines):
        found = [token.lower() for token in _WORD.findall(line)]
        # A word broken over the line end would otherwise count its fragments as words.
        if found and line.endswith("-"):
            found.pop()
        if found and n and lines[n - 1].endswith("-"):
            found.pop(0)
        for token in found:
            parts = token.rstrip("-").split("-")
            # A chain's first words are a written compound too: "end-of-file" writes "end-of".
            words.update("-".join(parts[:k]) for k in range(min(2, len(parts)), len(parts) + 1))
            seconds.update(parts[1:])

    def keeps(previous: str, text: str) -> bool:
        end, start = _LINE_END.search(previous), _LINE_START.match(text)
        if not end or not start:
            return False
        chain, second = end.group(1).lower(), start.group(0)
        if f"{chain}-{second}" in words:
            return True
        first = chain.rsplit("-", 1)[-1]
        if first + second in words or second in _SUFFIXES:
            return False
        # Function words make closed compounds ("with-out", "some-thing", "in-side") that a
        # hyphen only breaks.
        if first in STOPWORDS or second in STOPWORDS:
            return False
        # "twenty-one" makes no "any-" + "one" a compound.
        if second.lower() in seconds and second.lower() not in _NUMBER_WORDS:
            return True
        return first in words and second in words

    return keeps
