"""Structure-aware chunking: passages never straddle sections or kinds of block, and never cut a
sentence unless the sentence alone is longer than a chunk."""

from __future__ import annotations

import hashlib

from citeqa.corpus.model import Chunk, Document
from citeqa.corpus.sentences import split_sentences

MAX_CHARS = 1200
#: Front matter shorter than this (a headline, a byline, a caption) joins the passage after it:
#: alone it holds no answer, yet its few words match a question closely enough to rank first.
MIN_FRONT = 300

# Headings become the ``section`` of what follows rather than text of their own; contents
# entries are in no passage.
_SKIPPED_KINDS = {"heading", "contents"}
_TOO_SHORT = 2


def chunk_document(doc: Document, doc_id: str, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Cut a document into passages of at most ``max_chars`` characters.

    Consecutive blocks of the same section and kind are packed together while they fit; a block
    longer than ``max_chars`` is split between sentences (a table between rows). Front matter
    shorter than ``MIN_FRONT`` (a news text's headline) is packed with the paragraphs after it.

    Args:
        doc: the extracted document.
        doc_id: the document's id; chunk ids derive from it and the chunk text.
        max_chars: the most characters a chunk may hold.

    Returns:
        Chunks in reading order, each with ``text == doc.text[start:end]``.
    """
    spans = _spans(doc, max_chars)
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for ordinal, (start, end, section, kind) in enumerate(spans):
        text = doc.text[start:end]
        occurrence = seen.get(text, 0)
        seen[text] = occurrence + 1
        pages = [doc.page_at(start), doc.page_at(end - 1)]
        chunks.append(
            Chunk(
                id=chunk_id(doc_id, text, occurrence),
                doc_id=doc_id,
                ordinal=ordinal,
                text=text,
                start=start,
                end=end,
                section=section,
                kind=kind,
                page_start=pages[0],
                page_end=pages[1],
                sentences=split_sentences(doc.text, start, end),
            )
        )
    return chunks


def _spans(doc: Document, max_chars: int) -> list[tuple[int, int, str | None, str]]:
    """``(start, end, section, group)`` of each passage: blocks packed as ``chunk_document`` says."""
    spans: list[tuple[int, int, str | None, str]] = []
    first_front: int | None = None
    parted = False  # contents entries lie between this block and the last passage: no packing over them
    for block in doc.blocks:
        if block.kind in _SKIPPED_KINDS:
            parted = parted or block.kind == "contents"
            continue
        # A block of a character or two ("A" over an index's entries) says nothing; alone between
        # contents entries it was a passage, ranked first for any question. Longer ones stay: a
        # list or table of figures ("• 1907") is data.
        if len(doc.text[block.start : block.end].strip()) <= _TOO_SHORT:
            continue
        last = spans[-1] if spans else None
        # A short headline joins its first paragraph, so that paragraph is cut to leave it room:
        # alone, a passage of a title matches every question on the story and answers none, and
        # past the size, the model reads no further than it.
        room = last[1] - last[0] + 2 if last and last[3] == "front" and _group(block.kind) == "paragraph" else 0
        for start, end in _pieces(
            doc.text, block.start, block.end, max_chars - room if room < MIN_FRONT else max_chars
        ):
            previous = spans[-1] if spans else None
            group = _group(block.kind)
            short_front = previous is not None and previous[3] == "front" and previous[1] - previous[0] < MIN_FRONT
            joins_front = short_front and group == "paragraph"
            # The document's headline joins its first paragraph even under a heading of its own (a
            # web page's <h1>, then an <h2> standfirst), and the heading's text between them with
            # it; later front matter (an article's keywords, a corresponding-author note) does not
            # join the next section.
            headline = joins_front and len(spans) - 1 == first_front
            # A lead-in ("The main features of this library are:") stays with the list or table it
            # introduces: apart, it answers nothing and the list lacks what it lists.
            leads_in = (
                previous is not None
                and previous[3] == "paragraph"
                and group in ("list", "table")
                and doc.text[previous[0] : previous[1]].rstrip().endswith(":")
            )
            if (
                previous is not None
                and not parted
                and (previous[2] == block.section or headline)
                and (previous[3] == group or joins_front or leads_in)
                and end - previous[0] <= max_chars
                and previous[1] <= start
            ):
                spans[-1] = (previous[0], end, block.section, group)
            else:
                if group == "front" and first_front is None:
                    first_front = len(spans)
                spans.append((start, end, block.section, group))
            parted = False
    return spans


def chunk_id(doc_id: str, text: str, occurrence: int = 0) -> str:
    """A stable id for a chunk: the same document id and text give the same id on every build."""
    digest = hashlib.sha256(f"{doc_id}\x00{occurrence}\x00{text}".encode()).hexdigest()
    return digest[:20]


def _group(kind: str) -> str:
    """Front-matter blocks may share a chunk, and a caption its table; other kinds stay apart."""
    if kind == "caption":
        return "table"
    return "front" if kind in {"title", "authors", "meta"} else kind


def _pieces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` between sentences (or rows) into spans of at most ``max_chars``."""
    if end - start <= max_chars:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    for s_start, s_end in _bounded(text, split_sentences(text, start, end), max_chars):
        if pieces and s_end - pieces[-1][0] <= max_chars:
            pieces[-1] = (pieces[-1][0], s_end)
        else:
            pieces.append((s_start, s_end))
    return pieces


def _bounded(text: str, sentences: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Break any sentence longer than ``max_chars`` at the last space that keeps it within bounds."""
    out = []
    for start, end in sentences:
        while end - start > max_chars:
            cut = text.rfind(" ", start + 1, start + max_chars)
            cut = cut if cut > start else start + max_chars
            out.append((start, cut))
            start = cut + 1 if text[cut : cut + 1] == " " else cut
        out.append((start, end))
    return out
