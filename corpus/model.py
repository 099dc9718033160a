"""Records that cross module lines: what an ingestor extracts and what the chunker cuts from it.

Every offset in these records indexes ``Document.text``: the exact text that was extracted and is
stored in the index, so ``document.text[chunk.start:chunk.end] == chunk.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citeqa.errors import CiteqaError

#: Kinds of block an ingestor may emit. The chunker keeps blocks of different kinds apart.
BLOCK_KINDS = (
    "title",
    "authors",
    "meta",
    "abstract",
    "heading",
    "paragraph",
    "list",
    "table",
    "caption",
    "reference",
    # A table of contents' or an index's entries ("2.5 Future developments . . . 7"): kept in the
    # text, in no passage (they name every topic and answer none).
    "contents",
)


class ExtractionError(CiteqaError):
    """A file could not be turned into text. ``str(error)`` is one line naming the file and why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class Block:
    """A structural unit of a document's text (a heading, a paragraph, a table, a reference...).

    Attributes:
        kind: one of ``BLOCK_KINDS``.
        start: offset of the block's first character in ``Document.text``.
        end: offset one past its last character.
        section: the section the block belongs to, e.g. ``"4.2 Sectoral focus and priority themes"``,
            or ``None`` before the first heading.
    """

    kind: str
    start: int
    end: int
    section: str | None = None


@dataclass
class Reference:
    """One entry of a document's reference list.

    Attributes:
        number: the number the text cites it by (``[5]`` and ``[^5]`` both cite 5).
        raw: the entry exactly as it stands in the list, without its number.
        author: the author or publishing body, e.g. ``"Ministry of External Affairs"``.
        date: ISO date, ``YYYY-MM`` or ``YYYY`` when only that is given, ``None`` for "n.d.".
        title: the work's title.
        url: the work's URL, if the entry has one.
    """

    number: int
    raw: str
    author: str | None = None
    date: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass
class Document:
    """The text and structure extracted from one source file.

    Attributes:
        path: the file it was read from.
        kind: ``"text"``, ``"html"`` or ``"pdf"``.
        text: the extracted text; every offset elsewhere points into it.
        blocks: structural blocks in reading order, non-overlapping.
        title, authors, publisher, date, url: bibliographic metadata found in the file (an
            ingestor leaves a field ``None`` when the file does not say); ``date`` is ISO
            (``YYYY-MM-DD``, or shorter when only that is known).
        pages: for paged sources, ``(page_number, start_offset)`` for every page in order.
        page_labels: the number each page prints, by page number, where some page's differs
            from its own number (a book whose page 1 is the file's 7th page; front matter
            numbered "iv"), else empty. A page printing no number that is known has none.
        references: the document's own reference list, if it has one.
    """

    path: str
    kind: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    pages: list[tuple[int, int]] = field(default_factory=list)
    page_labels: dict[int, str] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """Return the number of the page holding character ``offset``, or ``None`` if unpaged."""
        return page_at(self.pages, offset)


def page_at(pages: list[tuple[int, int]], offset: int) -> int | None:
    """Number of the page holding character ``offset`` given ``(number, start)`` pairs in order."""
    page = None
    for number, start in pages:
        if start > offset:
            break
        page = number
    return page


@dataclass
class Chunk:
    """A passage cut from a document for indexing.

    Attributes:
        id: stable id derived from the document id and the chunk's text.
        doc_id: the id of the document it was cut from.
        ordinal: its position among the document's chunks.
        text: ``document.text[start:end]``.
        start, end: character offsets into the document text.
        section: the section it belongs to, if known.
        kind: the kind of the blocks it was cut from (``"paragraph"``, ``"table"``...).
        page_start, page_end: first and last page it spans, for paged sources.
        sentences: ``(start, end)`` offsets, into the document text, of the chunk's sentences.
    """

    id: str
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    section: str | None = None
    kind: str = "paragraph"
    page_start: int | None = None
    page_end: int | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
