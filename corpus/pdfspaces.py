"""Word spaces that pypdf drops, read back from PDFium's reading of the same page.

Some PDFs draw a word space as a small move of the pen rather than a space character, and a
justified line squeezes those moves; pypdf takes a space only for a move of about half the
font's own space, so whole lines come out as "theDebianarchiveandseveraldesignissues". PDFium
places every glyph and puts a space wherever the gap between two glyphs says so. Its lines may
break and order differently from pypdf's, whose placements the rest of the reading relies on,
so only its spaces are taken: where a pypdf line runs letters together, the same letters are
found in PDFium's text and a space goes wherever PDFium has one between them.
"""

from __future__ import annotations

import re

from citeqa.corpus.pdflines import PlacedLine, clean_text

# A run of letters this long is seldom one word ("responsibilities" has 16): the line it is on
# has likely lost its word spaces.
_LONG_RUN = re.compile(r"[^\W\d_]{17,}")
_LINE_END_HYPHENS = str.maketrans({"\ufffe": "-", "\x02": "-"})


def respaced(path: str, pages: list[list[PlacedLine]]) -> list[list[PlacedLine]]:
    """``pages`` with the word spaces pypdf dropped put back where PDFium reads them.

    Args:
        path: the PDF the lines were read from.
        pages: each page's lines as ``pdflines.page_lines`` reads them.

    Returns:
        The same lines, each line holding a long run of letters given the spaces PDFium reads
        between them; every other line, and every page PDFium cannot read, as it was.
    """
    wanting = [n for n, lines in enumerate(pages) if any(_LONG_RUN.search(text) for text, _ in lines)]
    if not wanting:
        return pages
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return pages
    try:
        out = list(pages)
        for n in wanting:
            try:
                text = document[n].get_textpage().get_text_range()
            except pypdfium2.PdfiumError:
                continue
            # PDFium marks a hyphen that ends a line as a character of its own.
            out[n] = _respace_page(pages[n], clean_text(text.translate(_LINE_END_HYPHENS)))
        return out
    finally:
        document.close()


def _respace_page(lines: list[PlacedLine], reference: str) -> list[PlacedLine]:
    """Each line of ``lines`` with its long runs given the spaces ``reference`` has in them."""
    letters, spaced = _compact(reference)
    cursor, out = 0, []
    for text, where in lines:
        words = text.split(" ")
        for n, word in enumerate(words):
            if _LONG_RUN.search(word):
                words[n], cursor = _respace_word(word, letters, spaced, cursor)
        out.append((" ".join(words), where))
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
    """``word`` with a space wherever the reference has one between two of its characters, and
    where in the reference to look for the next; ``word`` as it was when the reference does not
    hold it."""
    start = letters.find(word, cursor)
    if start < 0:
        start = letters.find(word)
    if start < 0:
        return word, cursor
    out = []
    for position, char in enumerate(word):
        previous = word[position - 1] if position else ""
        # Only between letters, or after a comma or semicolon: a space PDFium reads before a
        # full stop or inside a number is its own guess, not a word gap the line lost.
        if position and spaced[start + position] and char.isalpha() and (previous.isalpha() or previous in ",;"):
            out.append(" ")
        out.append(char)
    return "".join(out), start + len(word)
