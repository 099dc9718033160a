"""Which lines of a PDF are headings, told by their words and, where the PDF gives it, their type.

A text layer has no heading markup. Words alone mislead: a figure legend ("Tukey-Hanning"), a
table header ("NAME RED GREEN BLUE") or a label ("Call:") is a short Title Case line too, and one
taken for a heading would name the section of all the body text after it. Most typeset documents
set their headings apart in larger or bold type, so where a document does, only such lines are
headings; the word rules decide alone only in a document whose headings look like its body text.
"""

from __future__ import annotations

import re

from citeqa.corpus.pdflines import Line
from citeqa.corpus.sentences import ends_sentence

BULLET = re.compile(r"^(?:[•◦▪●○■□‣∙·*–-]|\(?[a-z0-9]{1,2}\))\s+")
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+([A-Za-z].*)$")
_CODE = re.compile(r"[_=<>{}\[\]|\\@#$%^*~]")
_MINOR_WORDS = set(
    "a an and as at by for from in into of on or the to vs via with its their over under between towards".split()
)
#: How many lines in display type must look like headings for a document to set its headings so.
_TYPED = 2
#: A heading wraps onto at most this many lines; more in the same type is a block of display text.
_HEADING_LINES = 3


def heading_label(text: str) -> str | None:
    """The section label if the line reads like a heading (numbered, ALL CAPS or Title Case)."""
    words = text.split()
    if not words or len(words) > 12 or len(text) > 120 or text[-1] in ".,;" or BULLET.match(text):
        return None
    # Code, URLs and table rows are not headings however they are capitalised.
    if _CODE.search(text):
        return None
    numbered = NUMBERED.match(text)
    if numbered:
        return f"{numbered.group(1)} {numbered.group(2)}"
    # A line ending in a colon introduces what follows it ("Call:", "Affiliation:").
    if text[-1] == ":" or not text[0].isalpha() or sum(c.isalpha() or c == " " for c in text) < 0.8 * len(text):
        return None
    if text.isupper() and sum(c.isalpha() for c in text) >= 2:
        return text
    significant = [w for w in words if w.lower() not in _MINOR_WORDS or w is words[0]]
    return text if all(w[0].isupper() or w.strip("(),:").isdigit() for w in significant) else None


def _emphasised(line: Line) -> bool:
    """Whether the line is set apart from body text in larger or bold type."""
    return line.large or bool(line.bold)


def typed_headings(lines: list[Line]) -> bool:
    """Whether the document sets its headings apart in type: several lines reading like headings
    are larger or bolder than its body text."""
    return sum(1 for line in lines if _emphasised(line) and heading_label(line.text)) >= _TYPED


def is_heading(line: Line, typed: bool, width: int) -> bool:
    """Whether a line that may start a block is a heading.

    Args:
        line: the line, which follows the end of a paragraph or list.
        typed: the document sets its headings in larger or bold type (``typed_headings``).
        width: the length of the page's longest line, the width of its body text.
    """
    numbered = NUMBERED.match(line.text)
    if not heading_label(line.text):
        return False
    if typed:
        # A document may number its sections in body type and set only a few apart ("References");
        # a numbered list item there reads as a sentence, not in Title Case.
        return _emphasised(line) or bool(numbered and heading_label(numbered.group(2)))
    # Without type to go by, a lowercase word after a number is a list item ("2 cups of flour"),
    # and an unnumbered Title Case line is a heading only when shorter than the body text.
    if numbered:
        return numbered.group(2)[0].isupper()
    return line.text.isupper() or len(line.text) < 0.7 * width


def continues_heading(heading: list[Line], line: Line, typed: bool) -> bool:
    """Whether ``line`` is the next line of a heading wrapped over lines ``heading``: set in the
    same display type right below it, starting no heading of its own and no axis of numbers."""
    last = heading[-1]
    return (
        typed
        and _emphasised(line)
        and (line.large, line.bold) == (last.large, last.bold)
        and line.page == last.page
        and not line.gap
        and len(heading) < _HEADING_LINES
        and line.text[0].isalpha()
        and not NUMBERED.match(line.text)
        and not ends_sentence(last.text, ":")
    )
