"""A PDF page's text lines: read with their positions and fonts, and marked where a paragraph
gap precedes them or they are set larger than the body text.

This is the layer under ``corpus/pdfrunning.py``, which drops running headers, footers and page
numbers, and ``corpus/pdf.py``, which groups the lines into blocks: everything here works on one
physical line at a time and knows nothing of headings or paragraphs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from citeqa.corpus.sentences import ends_sentence

# Control characters but the white space ones, which str.split() already treats as spaces. A NUL
# ending a C string, or a glyph with no Unicode mapping, reaches the text and metadata as one.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Typeset ligatures (U+FB00-FB06: ff, fi, fl, ffi, ffl, long st, st) as the letters they join, so
# "modiﬁed" is found by "modified" and "modiﬁ-" + "cations" is seen as one broken word. Expanding
# each line before it is joined keeps every offset pointing into the text that is stored.
_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
# Typeset hyphens read as the hyphen a reader types ("two‐stroke", "senat‐" at a line end, which
# then joins its word as "eco-" does); a soft hyphen is no character of the text.
_LIGATURES.update({0x2010: "-", 0x2011: "-", 0x00AD: ""})
# A typeset hyphen ending a line, after the space pypdf may put before it ("senat ‐"), or a soft
# hyphen there, where it shows as one: the word goes on next line. (A typed " -" is a dash.)
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_]) ?[\u2010\u2011]$|(?<=[^\W\d_])\u00ad$")
# Every turn pypdf can read: a landscape page or a turned table is drawn at 90 or 270 degrees.
_ORIENTATIONS = (0, 90, 180, 270)


# A line's text with its height on the page, font size and whether it is bold, when pypdf
# reports them.
PlacedLine = tuple[str, tuple[float, float, bool] | None]
# A line set this much larger than the body text is display type (a title, a heading).
_LARGER = 1.1
# A bold face by its font's name: "Helvetica-Bold", "LMRomanDemi10", TeX's "CMBX12".
_BOLD_FONT = re.compile(r"bold|demi|black|heavy|cmbx|cmssbx|cmb\d", re.I)
# A step this much wider than the body pitch (scaled to a larger line's size) is a paragraph gap.
# Lines of a paragraph keep their pitch to a point (14 against 13, 1.08); groff sets paragraphs
# 1.4 pitches apart and Texinfo 1.24, which the 1.5 used before read as one paragraph of whole man
# pages and manual chapters.
_GAP = 1.2
# Lines of one paragraph in any type sit about 1.2 sizes apart; further is a paragraph gap.
_WRAP_STEP = 1.7


@dataclass
class Line:
    """One text line of a page, as the reader sees it."""

    text: str
    page: int  # 0-based page index
    gap: bool = False  # a wider vertical gap than the usual line pitch precedes it
    large: bool = False  # set in larger type than the body text: display type, never furniture
    bold: bool | None = None  # most of it set in a bold face; None when pypdf gives no fonts
    size: float | None = None  # the font size most of it is set in, when pypdf gives it
    step: float | None = None  # how far below the line above it sits (negative: above it)

    def wraps_on(self) -> bool:
        """Whether the line sits right below the line above, as a wrapped line of its own type does.

        ``gap`` measures against the body text's pitch, which display type exceeds even within a
        title, and misses a line placed above the one before it (a figure's rotated axis label).
        """
        if self.step is None or not self.size:
            return True  # no positions to go by
        return 0 < self.step <= _WRAP_STEP * self.size


def clean_text(text: str) -> str:
    """``text`` without the control characters a PDF's strings can carry, ligatures spelt out."""
    return _CONTROL.sub("", text).translate(_LIGATURES)


def page_lines(page) -> list[PlacedLine]:
    """The page's non-blank text lines, each with its height on the page, font size and whether
    most of its letters are bold, when known.

    A height is measured up the text's own vertical axis, so lines drawn turned on a rotated page
    are as far apart as they look to a reader, and paragraph gaps are found there too.
    """
    fragments: list[tuple[str, tuple[float, float], bool]] = []

    def visit(text, cm, tm, font, size):
        name = str(font.get("/BaseFont", "")) if font else ""
        fragments.append((text, _placement(tm, cm, size), bool(_BOLD_FONT.search(name))))

    text = page.extract_text(orientations=_ORIENTATIONS, visitor_text=visit)
    # Placements are known only when the fragments add up to the returned text.
    placed: list[tuple[float, float, bool] | None] = []
    if "".join(t for t, _, _ in fragments) == text:
        # A line's height is its first fragment's; its size and face are those most of its
        # letters are set in, so a smaller bullet or a bold label does not decide them.
        height, sizes, faces = None, Counter(), Counter()
        for fragment, (y, size), bold in fragments:
            for n, piece in enumerate(fragment.split("\n")):
                if n:
                    placed.append(_placed(height, sizes, faces))
                    height, sizes, faces = None, Counter(), Counter()
                if piece.strip():
                    height = y if height is None else height
                    sizes[round(size, 1)] += len(piece.strip())
                    faces[bold] += len(piece.strip())
        placed.append(_placed(height, sizes, faces))
    raw = text.split("\n")
    if len(placed) != len(raw):
        placed = [None] * len(raw)
    lines = [
        (" ".join(clean_text(_LINE_END_HYPHEN.sub("-", " ".join(line.split()))).split()), where)
        for line, where in zip(raw, placed, strict=True)
    ]
    return [(line, where) for line, where in lines if line]


def _placed(height: float | None, sizes: Counter, faces: Counter) -> tuple[float, float, bool] | None:
    """A line's placement from its height and the letters counted by size and by boldness."""
    return (height, sizes.most_common(1)[0][0], faces[True] > faces[False]) if sizes else None


def _placement(tm: list[float], cm: list[float], size: float) -> tuple[float, float]:
    """How high a text fragment's origin sits, along the up direction of its own text, and its size.

    The fragment is drawn through ``tm`` then ``cm``; the result's third and fourth entries are
    the text's up vector on the page, and the origin projected on it is the line's height. The
    vector's length is the scale the font's nominal size is drawn at.
    """
    up_x = tm[2] * cm[0] + tm[3] * cm[2]
    up_y = tm[2] * cm[1] + tm[3] * cm[3]
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    length = (up_x * up_x + up_y * up_y) ** 0.5 or 1.0
    return (x * up_x + y * up_y) / length, abs(size) * length


def mark_gaps(pages: list[list[PlacedLine]]) -> list[list[Line]]:
    """Turn placed lines into ``Line``s, marking those below a wider gap than the usual pitch and
    those set larger than the body text, with each one's step down from the line above.

    The pitch is the smallest step between body lines, in the whole document, that is common
    (``_COMMON`` of the most common one's count): the most common alone can be the paragraph gap
    (in a man page's option list every entry is a tag line and a description line, one step and
    one gap, and in its list of formats every entry one line), and a page's own median can be
    too. Display type is measured against the pitch scaled to its size: a two-line heading's
    leading is no gap. The body size is the font size most of the document's characters are set
    in.
    """
    heights = [[where and where[0] for _, where in page] for page in pages]
    body = _body_size(pages)
    steps = Counter(
        round(a[0] - b[0])
        for page in pages
        for (_, a), (_, b) in zip(page, page[1:], strict=False)
        if a and b and a[0] - b[0] >= 1 and (body is None or _near(a[1], body) and _near(b[1], body))
    )
    pitch = min((step for step, n in steps.items() if n >= _COMMON * max(steps.values())), default=None)
    marked = []
    for index, (page, ys) in enumerate(zip(pages, heights, strict=True)):
        lines = []
        for n, ((text, where), y) in enumerate(zip(page, ys, strict=True)):
            above = ys[n - 1] if n else None
            sizes = [w[1] for w in (where, page[n - 1][1] if n else None) if w]
            scale = max([1.0] + [size / body for size in sizes]) if body else 1.0
            gap = None not in (pitch, y, above) and above - y > _GAP * pitch * scale
            large = bool(where and body) and where[1] > _LARGER * body
            step = above - y if None not in (y, above) else None
            size, bold = where[1:] if where else (None, None)
            lines.append(Line(text, index, gap, large, bold=bold, size=size, step=step))
        marked.append(lines)
    return marked


def _near(size: float, body: float) -> bool:
    """Whether a line's font ``size`` is the body text's (within half a point)."""
    return abs(size - body) <= 0.5


def _body_size(pages: list[list[PlacedLine]]) -> float | None:
    """The font size most of the document's characters are set in, if sizes are known."""
    sizes: Counter = Counter()
    for page in pages:
        for text, where in page:
            if where:
                sizes[round(where[1], 1)] += len(text)
    return sizes.most_common(1)[0][0] if sizes else None


def gap_ends(previous: str, line: Line) -> bool:
    """Whether the gap above ``line`` ends the paragraph of the line ``previous``: not when that
    line stops mid-sentence in a word no paragraph ends in ("the bound of" over "Chebyshev") or
    ``line`` goes on in lower case: a line set a little lower, under a formula, or a line of a
    double-spaced manuscript whose single-spaced reference list sets the pitch, is no new
    paragraph. (A full-width line ending mid-sentence may be a caption over the story's text.)"""
    if ends_sentence(previous, ":"):
        return True
    last = re.findall(r"[^\W\d_]+", previous)[-1:]
    # Lower case only: "Appendix A" or "Class A" may end a paragraph.
    return not line.text[:1].islower() and not (last and last[0] in _RUN_ON_WORDS)


# A step this common, against the most common one, may be the pitch (``mark_gaps``).
_COMMON = 0.3
# Words that leave a sentence open: a line ending in one runs on.
_RUN_ON_WORDS = frozenset("a an the of in on at to for from by with and or but as than that which who whose".split())


def typeset_by_groff(info: dict) -> bool:
    """Whether a PDF's Info /Creator is groff, which prints a man page the day it is asked to,
    writes its own spaces and kerns pairs of letters (``pdfspaces``, ``pdfheadings``)."""
    return (info.get("/Creator") or "").startswith("groff")


def printed_by_browser(info: dict) -> bool:
    """Whether a PDF's Info /Creator is a browser: a web page printed, with its site's name in its
    /Title and its menus and buttons among its lines (``pdfheadings``, ``pdfrunning``)."""
    return (info.get("/Creator") or "").startswith("Mozilla/")
