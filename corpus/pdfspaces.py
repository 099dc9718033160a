"""Word spaces that pypdf drops, read back from PDFium's reading of the same page.

Some PDFs draw a word space as a small move of the pen rather than a space character, and a
justified line squeezes those moves; pypdf takes a space only for a move of about half the
font's own space, so lines come out as "theDebianarchiveandseveraldesignissues" or
"Mittelbach,whowas". PDFium places every glyph and puts a space wherever the gap between two
glyphs says so. Its lines may break and order differently from pypdf's, whose placements the
rest of the reading relies on, so only its spaces are taken: each word of a pypdf line is found
in PDFium's text of the page, and a space goes wherever PDFium has one between two of its
letters, unless that would leave a letter alone that is no word ("a x" in a formula).
"""

from __future__ import annotations

import re

from citeqa.corpus.pdflines import PlacedLine, clean_text
from citeqa.corpus.tokens import STOPWORDS

_LINE_END_HYPHENS = str.maketrans({"\ufffe": "-", "\x02": "-"})
# A shorter word may be found at the wrong place in the page's text, and is seldom two words.
_MIN_WORD = 5
_LETTERS = re.compile(r"[^\W\d_]+")
# Letters a split may leave standing alone: the one-letter words of English.
_ONE_LETTER_WORDS = frozenset("aAI")


def respaced(path: str, pages: list[list[PlacedLine]], groff: bool = False) -> list[list[PlacedLine]]:
    """``pages`` with the word spaces pypdf dropped put back where PDFium reads them.

    Args:
        path: the PDF the lines were read from.
        pages: each page's lines as ``pdflines.page_lines`` reads them.
        groff: the file is groff's, whose kerns pypdf reads as spaces ("an y", "softw are").

    Returns:
        The same lines, a space added wherever PDFium reads one between two letters of a word
        that pypdf runs together; every page PDFium cannot read as it was.
    """
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return pages
    try:
        texts = {}
        for n in range(min(len(pages), len(document))):
            try:
                # PDFium marks a hyphen that ends a line as a character of its own.
                texts[n] = clean_text(document[n].get_textpage().get_text_range().translate(_LINE_END_HYPHENS))
            except pypdfium2.PdfiumError:
                continue
    finally:
        document.close()
    # In a groff file, the words pypdf reads whole somewhere, which a kerned pair it splits
    # elsewhere ("an y" of "any") may join into.
    whole = {word for page in pages for text, _ in page for word in _LETTERS.findall(text)} if groff else set()
    return [_respace_page(page, texts[n], whole) if n in texts else page for n, page in enumerate(pages)]


def _respace_page(lines: list[PlacedLine], reference: str, kerned: set[str] = frozenset()) -> list[PlacedLine]:
    """Each line of ``lines`` with its words given the spaces ``reference`` has in them, and
    without the spaces pypdf puts where a soft hyphen or, in a groff file, a kern was
    ("invest igating", "an y"; ``kerned``: there, the words pypdf reads whole somewhere)."""
    letters, spaced = _compact(reference)
    whole = set(_LETTERS.findall(reference))
    spaced_text = " ".join(reference.split())
    cursor, out = 0, []
    for text, where in lines:
        split = text.split(" ")
        for n, word in enumerate(split):
            if len(word) >= _MIN_WORD:
                split[n], cursor = _respace_word(word, letters, spaced, cursor)
        out.append((" ".join(_unsoftened(split, whole, spaced_text, kerned)), where))
    return out


def _unsoftened(words: list[str], whole: set[str], spaced_text: str, kerned: set[str]) -> list[str]:
    """``words`` with each pair PDFium reads as one word on the page (``whole``), and nowhere as
    the two, made one: a soft hyphen (U+00AD) that breaks no line is invisible, and pypdf reads a
    space for it; groff kerns pairs that pypdf reads a space in ("an y", "W ORD"), which join
    when pypdf reads the word whole elsewhere in the file (``kerned``)."""
    out = words[:1]
    for word in words[1:]:
        before, after = re.search(r"[^\W\d_]+$", out[-1]), re.match(r"[^\W\d_]+", word)
        if (
            before
            and after
            and before.group(0) + after.group(0) in whole
            and f"{before.group(0)} {after.group(0)}" not in spaced_text
            # PDFium runs some real pairs together ("ofthe" of "of the"; in groff, a word before
            # one in italics, "Ifname"): a small word joins only in a groff file, into a word pypdf
            # reads whole elsewhere in it.
            and (
                before.group(0) + after.group(0) in kerned
                or after.group(0)[0].islower()
                and not {before.group(0).lower(), after.group(0)} & STOPWORDS
            )
        ):
            out[-1] += word
        else:
            out.append(word)
    return out


def _compact(text: str) -> tuple[str, list[bool]]:
    """``text`` without white space, and for each of its characters whether white space stood
    before it."""
    chars, before, gap = [], [], False
    for char in text:
        if char.isspace():
            gap = True
            continue
        chars.append(char)
        before.append(gap)
        gap = False
    return "".join(chars), before


def _respace_word(word: str, letters: str, spaced: list[bool], cursor: int) -> tuple[str, int]:
    """``word`` with the spaces the reference has in it, and where in the reference to look for
    the next word; ``word`` as it was when the reference does not hold it."""
    start = letters.find(word, cursor)
    if start < 0:
        start = letters.find(word)
    if start < 0:
        return word, cursor
    # Only where a letter of a script that spaces its words meets a letter, a number or a comma
    # or semicolon ("3The User Interface", "section4.4on"): a space PDFium reads before a full
    # stop or inside a number is its guess, not a lost gap.
    cuts = [i for i in range(1, len(word)) if spaced[start + i] and _gap_between(word[i - 1], word[i])]
    kept = [i for i in cuts if _word_like(word, i, cuts)]
    if not kept:
        return word, start + len(word)
    pieces = [word[i:j] for i, j in zip([0, *kept], [*kept, len(word)], strict=True)]
    return " ".join(pieces), start + len(word)


def _gap_between(before: str, after: str) -> bool:
    """Whether a word space may stand between two characters PDFium reads apart."""
    if _spacing_letter(after):
        return _spacing_letter(before) or before.isdigit() or before in ",;"
    return after.isdigit() and _spacing_letter(before)


def _spacing_letter(char: str) -> bool:
    """A letter of Latin, Greek or Cyrillic, scripts that space their words (Chinese and Thai
    runs are unspaced by nature, and PDFium's gaps between their glyphs are no word spaces)."""
    return char.isalpha() and (ord(char) < 0x0530 or 0x1E00 <= ord(char) < 0x2000)


def _word_like(word: str, cut: int, cuts: list[int]) -> bool:
    """Whether the letters on each side of ``cut`` (up to the next cut or non-letter) are a word's:
    two letters or more, or a one-letter word ("a x" in a formula is two symbols)."""
    bounds = [0, *cuts, len(word)]
    at = bounds.index(cut)
    left = re.search(r"[^\W\d_]*$", word[bounds[at - 1] : cut]).group(0)
    right = re.match(r"[^\W\d_]*", word[cut : bounds[at + 1]]).group(0)
    return all(len(side) >= 2 or side in _ONE_LETTER_WORDS for side in (left, right) if side)
