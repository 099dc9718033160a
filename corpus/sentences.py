"""Sentence boundaries as character spans, so highlights and citations can point into the text."""

from __future__ import annotations

import re

from citeqa.corpus.dates import CAPITALISED_MONTH

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
    # Titles before a name: "U.S. Rep. Ilhan Omar", "Lt. Col. Alexander Vindman", "Gov. Jay Inslee".
    "rep",
    "reps",
    "sen",
    "sens",
    "gov",
    "lt",
    "col",
    "gen",
    "sgt",
    "capt",
    "cmdr",
    "adm",
    "maj",
    "rev",
    "fr",
    "pres",
}

#: The marks that end a sentence.
SENTENCE_MARKS = ".!?"
# What may follow the mark and still belong to the sentence: closing quotes and brackets, and
# citation markers such as "[3][^4]".
_CLOSING = r"""["'”’)\]]*(?:\s?\[\^?\d+\])*"""
# Inside a line, a sentence also needs white space and something that can start one after it; not
# an aside in brackets that the sentence goes on after ("at 3:30 p.m. (0630 GMT) to explain ...").
_BOUNDARY = re.compile(
    rf"""[{re.escape(SENTENCE_MARKS)}]{_CLOSING}(?=\s+["'“‘(\[]?[A-Z0-9])(?!\s+\([^()\n]{{1,40}}\)\s+[a-z])"""
)
# Markers, then what starts a sentence: "Inc. [6] [7] In August" ends one; "et al. [5] showed" not.
_MARKER_AFTER = re.compile(r"(?:\s?\[\^?\d+\])+(?=\s+[\"'“‘(]?[A-Z])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
# A day written with a dot before its month and year, as German and Nordic dates are ("by | 21.
# Sep 2023 | News"), where a date stands: after "on", a bar or a line's start, or before a bar,
# a comma or the sentence's end; not "The toll rose to 14. June 2023 was the worst month".
_DAY_DOT = re.compile(r"(?<![\d.,])(?:0?[1-9]|[12]\d|3[01])$")
_DATE_BEFORE = re.compile(r"(?:^|[|(,\n]|\b(?i:on|updated|published|posted))\s*$")
_MONTH_YEAR_AFTER = re.compile(rf"\s+(?:{CAPITALISED_MONTH})\.?\s+\d{{4}}\b")
_DATE_AFTER = re.compile(r"\s*(?:$|[|,;).\n])")


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


#: Plain text wrapped by its writer (news and e-mail texts wrap at 60 to 80 characters) has
#: lines no longer than this; a text with longer lines puts each paragraph on one line.
WRAP_WIDTHS = (60, 120)
# A line that starts an item of its own: a bullet, a numbered item, a table row.
_ITEM = re.compile(r"[ \t]*(?:[-*•+|]|\d{1,3}[.)]|[a-z][.)]|\(?[ivx]{1,4}\)|\([a-z0-9]{1,3}\))\s")


def _lines(text: str, start: int, end: int):
    """Yield spans separated by line breaks, but a line break inside wrapped prose (a plain-text
    file wrapped at 72 characters) goes on with the sentence: the line before ends no sentence,
    neither line is a table row, a list item ("-", "3.", "b)", "(iv)") or indented (code), and
    the next line starts in lower case or the
    line before runs to the text's wrapping width (after a blank line, only a lower-case start
    goes on: a paragraph cut by a stray page break). PDF and web pages are rejoined by their
    ingestors; a text file's text is kept as written."""
    lines = [line for line in text[start:end].split("\n") if line.strip()]
    width = max(map(len, lines), default=0)
    wrapped = WRAP_WIDTHS[0] <= width <= WRAP_WIDTHS[1]
    # Indentation counts against the text's own margin (an RFC indents every line by three).
    margin = min((len(line) - len(line.lstrip()) for line in lines), default=0)
    cursor = start
    for match in re.finditer(r"\n+", text[start:end]):
        line_start, line_end = start + match.start(), start + match.end()
        line = text[max(text.rfind("\n", cursor, line_start) + 1, cursor) : line_start]
        following = text.find("\n", line_end, end)
        next_line = text[line_end : following if following >= 0 else end]
        blank = match.end() - match.start() > 1
        item = bool(_ITEM.match(line) or _ITEM.match(next_line))
        soft = (
            not ends_sentence(line, ":;")
            # Tables, and code or indented items, whose lines are meant.
            and "\t" not in line + next_line
            and not _indented(line, margin)
            and (not _indented(next_line, margin) or (item and next_line.lstrip()[:1].islower()))
            and (not item or next_line.lstrip()[:1].islower() and _indented(next_line, margin))
            and (next_line.lstrip()[:1].islower() or (wrapped and not blank and len(line) >= 0.7 * width))
        )
        if not soft:
            yield cursor, line_start
            cursor = line_end
    yield cursor, end


def _indented(line: str, margin: int) -> bool:
    """Whether ``line`` starts further in than the text's margin (code, a list item's next line)."""
    return len(line) - len(line.lstrip()) > margin


def _is_abbreviation(text: str, period: int) -> bool:
    """True when the punctuation at ``period`` closes an abbreviation or a decimal, not a sentence."""
    if text[period] != ".":
        return False
    # A citation marker follows the end of a sentence, not an abbreviation inside one
    # ("... Hawaiian Holdings, Inc. [6] [7] In August 2024 ...").
    if _MARKER_AFTER.match(text, period + 1):
        return False
    word = _WORD_BEFORE.search(text, max(0, period - 12), period)
    if word is None:
        day = _DAY_DOT.search(text, max(0, period - 3), period)
        dated = _MONTH_YEAR_AFTER.match(text, period + 1)
        if (
            day
            and dated
            and (
                _DATE_BEFORE.search(text, max(0, day.start() - 12), day.start()) or _DATE_AFTER.match(text, dated.end())
            )
        ):
            return True
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
