"""A source's own text cut into sections and pieces for the source view: each section under its
heading, and the cited passage and its sentence marked at their character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citeqa.index.store import StoredChunk, StoredDocument


@dataclass
class Piece:
    """A run of the source's text that is all inside, or all outside, the passage and sentence.

    Attributes:
        text: the text, unescaped (the template escapes it).
        passage: inside the highlighted passage; sentence: inside its emphasised sentence.
        page: the page number when a new page starts with this piece.
        anchor: the piece that opens the passage, which the page scrolls to.
    """

    text: str
    passage: bool = False
    sentence: bool = False
    page: int | None = None
    anchor: bool = False


@dataclass
class Section:
    """A section of the source and its pieces.

    Attributes:
        heading: the source's own heading line when ``verbatim``, else the section's name
            (``None`` for the text before the first section).
    """

    heading: str | None
    verbatim: bool = False
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class Focus:
    """What the view highlights: passage ``start``-``end`` and sentence ``sentence_start``-``sentence_end``."""

    start: int
    end: int
    sentence_start: int | None = None
    sentence_end: int | None = None
    section: str | None = None
    page: int | None = None


def focus(doc: StoredDocument, chunks: list[StoredChunk], offsets: dict[str, int | None]) -> Focus | None:
    """The passage and sentence to highlight, from the offsets a citation link carries.

    A link may give the passage (``start``, ``end``), the sentence (``hs``, ``he``), or both; given
    only a sentence, its passage is the indexed chunk holding it. Offsets outside the text, or
    reversed, are ignored.

    Args:
        doc: the source.
        chunks: its indexed passages in reading order.
        offsets: ``start``, ``end``, ``hs``, ``he`` as given (``None`` when absent).

    Returns:
        A ``Focus``, or ``None`` when the offsets name no span of the text.
    """
    size = len(doc.text)

    def span(a: int | None, b: int | None) -> tuple[int, int] | None:
        return (a, b) if a is not None and b is not None and 0 <= a < b <= size else None

    sentence = span(offsets.get("hs"), offsets.get("he"))
    passage = span(offsets.get("start"), offsets.get("end"))
    holder = next((c for c in chunks if sentence and c.start <= sentence[0] < c.end), None)
    if passage is None and holder is not None:
        passage = (holder.start, holder.end)
    if passage is None:
        passage = sentence
    if passage is None:
        return None
    if sentence is not None:
        # The sentence is emphasised inside the passage: clip it there.
        sentence = (max(sentence[0], passage[0]), min(sentence[1], passage[1]))
        sentence = sentence if sentence[0] < sentence[1] else None
    around = next((c for c in chunks if c.start <= passage[0] < c.end), holder)
    return Focus(
        passage[0],
        passage[1],
        *(sentence or (None, None)),
        section=around.section if around else None,
        page=doc.page_at(sentence[0] if sentence else passage[0]),
    )


def sections(doc: StoredDocument, chunks: list[StoredChunk], where: Focus | None) -> list[Section]:
    """The whole text of ``doc`` as sections of pieces.

    A section starts where an indexed passage names a section other than the passage before it
    (passages never straddle a section). Its heading is the source's own heading line when one
    stands just before that passage, else the section's name; text before the first passage
    belongs to the first section. Pieces are cut at the passage's and sentence's offsets and at
    page starts.

    Args:
        doc: the source.
        chunks: its indexed passages in reading order.
        where: the passage and sentence to mark, or ``None``.

    Returns:
        The sections in reading order. Their pieces, with the headings taken from the text,
        join up to ``doc.text`` exactly.
    """
    heads = {start: (body, heading, verbatim) for start, body, heading, verbatim in _starts(doc.text, chunks)}
    pages = {start: number for number, start in doc.pages if 0 < start < len(doc.text)}
    cuts = {0, len(doc.text), *pages, *heads, *(body for body, _, _ in heads.values())}
    if where:
        cuts |= {where.start, where.end} | {o for o in (where.sentence_start, where.sentence_end) if o is not None}
    cuts = sorted(c for c in cuts if 0 <= c <= len(doc.text))
    out: list[Section] = []
    body = 0
    anchored = False
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a in heads or not out:
            body, heading, verbatim = heads.get(a, (a, None, False))
            out.append(Section(heading, verbatim))
        if a < body:
            continue  # the heading line itself, shown as the section's heading
        piece = Piece(doc.text[a:b], page=pages.get(a))
        if where and where.start <= a < where.end:
            piece.passage, piece.anchor, anchored = True, not anchored, True
            piece.sentence = where.sentence_start is not None and where.sentence_start <= a < where.sentence_end
        out[-1].pieces.append(piece)
    return out


def _starts(text: str, chunks: list[StoredChunk]) -> list[tuple[int, int, str | None, bool]]:
    """Where each section starts: ``(start, body start, heading, verbatim)``, ``verbatim`` when
    the heading is the source's own line ``text[start:body]`` (its line break included)."""
    out: list[tuple[int, int, str | None, bool]] = []
    name: object = object()  # no section yet: even a first passage without one opens a section
    previous_end = 0
    for chunk in chunks:
        if chunk.section != name:
            name = chunk.section
            line = _heading_line(text, previous_end, chunk.start, chunk.section)
            parent = _parent_line(text, previous_end, line[0], chunk.section) if line else None
            if parent:
                out.append((parent[0], parent[1], text[parent[0] : parent[1]], True))
            if line:
                out.append((line[0], line[1], text[line[0] : line[1]], True))
            else:
                out.append((chunk.start if out else 0, chunk.start if out else 0, chunk.section, False))
        previous_end = chunk.end
    if out and out[0][0] > 0:
        out.insert(0, (0, 0, None, False))
    return out or [(0, 0, None, False)]


def _parent_line(text: str, begin: int, end: int, section: str | None) -> tuple[int, int] | None:
    """The heading line of the section ``section`` is numbered under, when it stands alone just
    before ``section``'s own heading line (``begin``-``end``) with no passage of its own: "4. The
    Second Dialogue" over "4.1 Institutional design". Its line breaks come with it."""
    number = re.match(r"(\d+(?:\.\d+)*)\.\d+\b", section or "")
    gap = text[begin:end].rstrip()
    start = begin + gap.rfind("\n") + 1
    if not number or not re.match(rf"{re.escape(number.group(1))}\.?\s+\S", text[start : begin + len(gap)]):
        return None
    return start, end


def _heading_line(text: str, begin: int, end: int, section: str | None) -> tuple[int, int] | None:
    """The last line between two passages (``begin``-``end``) when it is the heading of
    ``section`` (it holds the section's letters and digits in order), with the line breaks after it."""
    if not section:
        return None
    gap = text[begin:end].rstrip()
    start = begin + gap.rfind("\n") + 1
    line = text[start : begin + len(gap)]
    squash = "".join(c for c in section.lower() if c.isalnum())
    if not line.strip() or squash not in "".join(c for c in line.lower() if c.isalnum()):
        return None
    return start, end
