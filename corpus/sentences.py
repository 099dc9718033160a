"""Sentence boundaries as character spans, so highlights and citations can point into the text."""

from __future__ import annotations

import re

# A period after these does not end a sentence.
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "cf",
    "al",
    "no",
    "nos",
    "vol",
    "pp",
    "p",
    "fig",
    "figs",
    "ed",
    "eds",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "st",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "corp",
    "dept",
    "govt",
    "hon",
    "h.e",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "approx",
    "est",
    "op",
    "rs",
    "smt",
    "shri",
}

#: The marks that end a sentence.
SENTENCE_MARKS = ".!?"
# What may follow the mark and still belong to the sentence: closing quotes and brackets, and
# citation markers such as "[3][^4]".
_CLOSING = r"""["'”’)\]]*(?:\[\^?\d+\])*"""
# Inside a line, a sentence also needs white space and something that can start one after it.
_BOUNDARY = re.compile(rf"""[{re.escape(SENTENCE_MARKS)}]{_CLOSING}(?=\s+["'“‘(\[]?[A-Z0-9])""")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentences.

    Args:
        text: the whole text the offsets refer to.
        start: where the span to split begins.
        end: where it ends (default: the end of ``text``).

    Returns:
        ``(start, end)`` offsets into ``text`` of each sentence, whitespace trimmed, in order.
        Line breaks inside a span also end a sentence when the next line starts a new item
        (table rows, list items), so a highlight never runs across them.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _lines(text, start, end):
        cursor = line_start
        for match in _BOUNDARY.finditer(text, line_start, line_end):
            if _is_abbreviation(text, match.start()):
                continue
            spans.append((cursor, match.end()))
            cursor = match.end()
        spans.append((cursor, line_end))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[1] > s[0]]


def ends_sentence(text: str, paragraph_marks: str = "") -> bool:
    """Whether ``text`` ends where a sentence does: what ingestors ask of a line or paragraph
    before joining the next one to it.

    Unlike ``split_sentences``, a full stop after an abbreviation counts: at the end of a line or
    paragraph, "Ltd." or "etc." ends the sentence far more often than not.

    Args:
        text: a line or paragraph.
        paragraph_marks: marks that end no sentence but end a paragraph where the caller reads
            them (a ":" introducing a list, a ";" closing a list item).

    Returns:
        True when it ends with one of ``SENTENCE_MARKS`` or ``paragraph_marks``, then only
        closing quotes, brackets, citation markers and white space.
    """
    return re.search(rf"[{re.escape(SENTENCE_MARKS + paragraph_marks)}]{_CLOSING}\s*$", text) is not None


def _lines(text: str, start: int, end: int):
    """Yield spans separated by line breaks; wrapped prose is rejoined by ingestors beforehand."""
    cursor = start
    for match in re.finditer(r"\n+", text[start:end]):
        yield cursor, start + match.start()
        cursor = start + match.end()
    yield cursor, end


def _is_abbreviation(text: str, period: int) -> bool:
    """True when the punctuation at ``period`` closes an abbreviation or a decimal, not a sentence."""
    if text[period] != ".":
        return False
    word = _WORD_BEFORE.search(text, max(0, period - 12), period)
    if word is None:
        return text[period - 1 : period].isdigit() and text[period + 1 : period + 2].isdigit()
    token = word.group(1).lower()
    # Single letters are initials ("J. Smith") far more often than sentence ends; so are capitals
    # run together with dots ("C.C. Wei", "J.P. Morgan"), as "U.S." is. Not "p.m.": lower case.
    return token in _ABBREVIATIONS or len(token) == 1 or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word.group(1)) is not None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
