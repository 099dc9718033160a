"""Plain-text and Markdown ingestor that recognises the structure of a scholarly article.

It finds the front matter (title, authors, affiliation, journal line, publication history, DOI;
read by ``frontmatter``), the abstract, numbered section headings (``4.2. Sectoral focus…``) and Markdown headings,
paragraphs (rejoining one split by a stray blank line), tables, lists and the reference list.
The document text is the file's text itself (only line endings and a BOM normalised), so offsets
point into what the user can open.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from citeqa.corpus.dates import DATE_IN_TEXT, date_from_match
from citeqa.corpus.frontmatter import (
    DATELINE,
    PARAGRAPH_MARKS,
    front_matter_kind,
    news_lines,
    plain,
    reads_as_body,
    wire_byline,
)
from citeqa.corpus.model import Block, Document, ExtractionError
from citeqa.corpus.references import ENTRY, is_reference_heading, parse_reference
from citeqa.corpus.sentences import ends_sentence

_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+([A-Z][^\n]{1,150})$")
# A news page's reading time ("1 Min Read") reads like a numbered heading; "2 Comments" may be a
# style guide's section, so only the reading time is told apart.
_COUNT_LABEL = re.compile(r"^\d+\s+min(?:ute)?s?\.?\s+read$", re.I)
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# A heading underlined: "Install" over "-------" (or "=======").
_SETEXT = re.compile(r"([^\n]{1,160})\n(={3,}|-{3,})[ \t]*")
# A news agency's dateline opening the story, marked as one by the agency or a dash: "NEW DELHI,
# Dec 15, 2025 (PTI) -" (with no year, no date); "NATO, 3 March 2025: leaders met" is no dateline.
_AGENCY_DATELINE = re.compile(
    rf"(?-i:[A-Z][A-Z.' ]{{1,30}}),\s*(?:{DATE_IN_TEXT.pattern})\s*(?:\([^()]{{2,40}}\)|[-–—])", re.IGNORECASE
)
_NAMED_HEADINGS = {
    *"abstract introduction background conclusion conclusions discussion references bibliography sources".split(),
    *"notes endnotes acknowledgements acknowledgments appendix summary methods results".split(),
    "works cited",
}
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,3}[.)])\s+")


_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_text(path: str) -> Document:
    """Read a ``.txt`` or ``.md`` file and recognise its structure.

    Args:
        path: the file to read.

    Returns:
        A ``Document`` of kind ``"text"`` with blocks, front-matter metadata and references; or,
        for a web page saved as text, of kind ``"html"`` as ``corpus.html`` reads it.

    Raises:
        ExtractionError: the file is binary, holds no text, or is not UTF-8 text (nor UTF-16 or
            UTF-32 with a byte order mark, nor Windows-1252).
    """
    raw = Path(path).read_bytes()
    # UTF-16 and UTF-32 (Windows' "Unicode" text) are full of NUL bytes, but their byte order
    # mark says what they are. UTF-32's little-endian mark starts with UTF-16's: tested first.
    encoding = next((name for bom, name in _BYTE_ORDER_MARKS if raw.startswith(bom)), "utf-8")
    # Only a file that is no text is named by its first bytes: notes may open "%PDF-1.7 notes".
    known = next((kind for magic, kind in _BINARY_KINDS if raw.startswith(magic)), None)
    known = known and known.format(suffix=Path(path).suffix)
    if encoding == "utf-8" and b"\x00" in raw[:8192]:
        raise ExtractionError(path, known or "binary file, not text")
    # A PDF written in ASCII alone is text to a decoder, and a PDF all the same.
    if known and raw.startswith(b"%PDF-") and b"endobj" in raw:
        raise ExtractionError(path, known)
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        text = _windows_text(raw) if encoding == "utf-8" and not known else None
        if text is None:
            reason = known or f"not {encoding.upper()} text (invalid byte at offset {error.start})"
            raise ExtractionError(path, reason) from None
    if _WEB_PAGE.match(text[:_PAGE_START]):
        # A web page saved as "page.txt" was indexed as its markup, <meta> tags and scripts.
        from citeqa.corpus.html import parse_html

        return parse_html(text, path)
    return parse_text(text.replace("\r\n", "\n").replace("\r", "\n"), path)


def _windows_text(raw: bytes) -> str | None:
    """``raw`` read as Windows-1252, which Latin-1 text is too ("Caf\xe9" saved by an older editor or
    exported by a spreadsheet), or ``None`` when it is likely something else: UTF-8 damaged by a
    stray byte or a cut (it holds UTF-8's sequences), a control character, or a character outside
    ``_WESTERN``, which Central European, Turkish or Cyrillic legacy encodings give read this way
    ("Gdañsku odp³ywa", "altýda giþeden"): refused as not UTF-8 rather than indexed garbled."""
    if _UTF8_SEQUENCE.search(raw):
        return None
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) or not set(text) <= _WESTERN else text


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# ASCII, and the letters and signs of Western European languages in Windows-1252.
_WESTERN = (
    frozenset(map(chr, range(0x20, 0x7F)))
    | set("\t\n\r\f\v\xa0")
    | set("àáâãäåæçèéêëìíîïñòóôõöøùúûüÿœßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜŸŒ’‘“”–—…•€£¥©®°½¼¾·«»§¶±×¿¡ªº")
)


#: How much of a text file is read for whether it is a web page saved as text.
_PAGE_START = 8192
# A whole web page: an XML declaration, comments, then a doctype, or an <html> tag with a <head>
# or <body> after it (Markdown may hold HTML, but does not open so). Each comment is matched one
# way only: a lazy ".*?" could run on to a later comment's end, 2^N ways for N comments.
_WEB_PAGE = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:[^-]|-(?!->))*-->\s*)*"
    r"(?:<!doctype\s+html|<html[\s>](?=.*?<(?:head|body)[\s>]))",
    re.IGNORECASE | re.DOTALL,
)


# What a file that is no text is, by its first bytes: a PDF saved as "notes.txt" was refused as
# "binary file, not text", which did not say what to do.
_BINARY_KINDS = (
    (b"%PDF-", "a PDF file named {suffix}, not text: rename it to .pdf"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip file) named {suffix}, not text"),
    (b"\x89PNG", "a PNG image named {suffix}, not text"),
    (b"\xff\xd8\xff", "a JPEG image named {suffix}, not text"),
    (b"GIF8", "a GIF image named {suffix}, not text"),
)


def parse_text(text: str, path: str) -> Document:
    """Recognise the structure of an article held in ``text`` (see module docstring).

    Args:
        text: the whole text; offsets in the result point into it.
        path: the file name to report it under.

    Returns:
        A ``Document`` of kind ``"text"``.

    Raises:
        ExtractionError: ``text`` holds nothing but white space.
    """
    if not text.strip():
        raise ExtractionError(path, "empty file")
    doc = Document(path=path, kind="text", text=text)
    section: str | None = None
    in_front_matter = True
    in_references = False
    title_seen = False
    markdown_file = Path(path).suffix.lower() in (".md", ".markdown")

    for start, end in _merge_broken_paragraphs(text, _headline_apart(text, _paragraphs(text))):
        para = text[start:end]
        # In a reference list, "1. Someone. (2024)..." is an entry, not a numbered heading; Markdown's
        # footnote definitions ("[^1]: Reuters, ...") are entries wherever they stand, no heading above.
        if (in_references or _FOOTNOTES.fullmatch(para)) and _reference_lines(text, start, end, doc, section):
            continue
        setext = _SETEXT.fullmatch(para)
        if setext and in_front_matter and not title_seen and setext.group(2).startswith("="):
            # "Title" over a line of "=": a Markdown file's first H1 again, underlined.
            doc.title, title_seen = plain(setext.group(1).strip()), True
            doc.blocks.append(Block("title", start, start + len(setext.group(1)), section))
            continue
        # An underlined heading is Markdown's: in plain text "Total 42" over dashes is a table's rule.
        heading = plain(setext.group(1).strip()) if setext and markdown_file else _heading(para)
        if in_front_matter and not title_seen and para.startswith("# "):
            heading = None  # a Markdown file's first H1 is its title
        if heading is not None:
            section = heading
            in_front_matter = False
            in_references = is_reference_heading(heading)
            doc.blocks.append(Block("heading", start, end, section))
            continue
        pieces = news_lines(text, start, end) if in_front_matter else []
        if len(pieces) == 1 and reads_as_body(para):
            in_front_matter = False  # a document without headings: its body starts here
        elif in_front_matter:
            title_seen, in_front_matter = _read_front(doc, text, pieces, section, title_seen)
            continue
        doc.blocks.append(Block(_body_kind(para, section), start, end, section))
    if doc.title is None:
        doc.title = Path(path).stem.replace("_", " ").replace("-", " ")
    body = next((b for b in doc.blocks if b.kind == "paragraph"), None)
    doc.authors = doc.authors or (wire_byline(text[body.start : body.end]) if body else [])
    agency = _AGENCY_DATELINE.match(text, body.start) if body and not doc.date else None
    doc.date = date_from_match(agency) if agency and not agency.group("y4") else doc.date
    return doc


def _read_front(doc: Document, text: str, pieces, section: str | None, title_seen: bool) -> tuple[bool, bool]:
    """Add the blocks of a front-matter paragraph's ``pieces`` (``news_lines``); return whether a
    title has been seen, and whether the front matter goes on (a story right under its dateline
    starts the body)."""
    going_on = True
    for start, end, story in pieces:
        kind = "paragraph" if story else front_matter_kind(doc, text[start:end], title_seen)
        going_on = going_on and not story
        title_seen = title_seen or kind == "title"
        doc.blocks.append(Block(kind, start, end, section))
    return title_seen, going_on


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of text separated by blank lines, trimmed of surrounding white space. A Markdown
    code fence is one span whatever blank lines it holds, and a Markdown heading line is a span
    of its own even with no blank line around it ("## Main features" straight above its list);
    a "#" line inside a fence is a shell comment, not a heading."""
    spans: list[tuple[int, int]] = []
    fence, fence_start = "", None
    # Whether the last span must stand alone: a heading line or a closed fence.
    closed = False
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        start, end = match.start() + len(line) - len(line.lstrip()), match.start() + len(line.rstrip())
        if end <= start:
            continue
        opening = _FENCE.match(line)
        if fence_start is not None:
            if opening and opening.group(1)[0] == fence:  # "~~~" is not closed by "```"
                spans.append((fence_start, end))
                fence_start, closed = None, True
            continue
        if opening:
            fence, fence_start = opening.group(1)[0], start
        elif closed or _MARKDOWN_HEADING.match(line.strip()) or not spans or _blank_between(text, spans[-1][1], start):
            spans.append((start, end))
            closed = bool(_MARKDOWN_HEADING.match(line.strip()))
        else:
            spans[-1] = (spans[-1][0], end)
    if fence_start is not None:  # an unclosed fence runs to the end
        spans.append((fence_start, len(text.rstrip())))
    return spans


#: A line longer than this is a paragraph of its own, not a line of wrapped prose.
LONG_LINE = 120


def _headline_apart(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Set a headline on the first line apart from what follows it with no blank line (text
    copied from a web page: a headline, then paragraphs of hundreds of characters a line), so
    that it is read as the title; wrapped prose, whose lines run shorter, stays whole."""
    if not spans:
        return spans
    start, end = spans[0]
    lines = [m.span() for m in re.finditer(r"[^\n]+", text[start:end])]
    first = text[start + lines[0][0] : start + lines[0][1]]
    # Most lines below must be paragraphs of their own (one long URL in wrapped prose is not).
    long_lines = sum(b - a > LONG_LINE for a, b in lines[1:])
    headline = len(first) <= LONG_LINE and not ends_sentence(first, PARAGRAPH_MARKS)
    if not lines[1:] or 2 * long_lines < len(lines) - 1 or not headline or _BULLET.match(first) or _FENCE.match(first):
        return spans
    return [(start, start + lines[0][1]), (start + lines[1][0], end), *spans[1:]]


def _blank_between(text: str, end: int, start: int) -> bool:
    """Whether a blank line separates the span ending at ``end`` from the line starting at ``start``."""
    return text.count("\n", end, start) >= 2


def _merge_broken_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rejoin a paragraph that a stray blank line (a page break in the original) cut in two.

    The first part ends without sentence punctuation and the second starts in lower case, as in
    "...trusted technologies, and responsible" / "supply chains in their joint statements."; an
    underlined heading ("Introduction" over "====") is none, whatever follows it.
    """
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev_start, prev_end = merged[-1]
            previous = text[prev_start:prev_end]
            if (
                text[start].islower()
                and not ends_sentence(previous, PARAGRAPH_MARKS)
                and _heading(previous) is None
                and not _SETEXT.fullmatch(previous)
                and "\t" not in previous
            ):
                merged[-1] = (prev_start, end)
                continue
        merged.append((start, end))
    return merged


def _heading(para: str) -> str | None:
    """The section label if ``para`` is a heading (``"4.2 Sectoral focus"``), else ``None``."""
    if "\n" in para or len(para) > 160:
        return None
    markdown = _MARKDOWN_HEADING.match(para)
    if markdown:
        inner = plain(markdown.group(2))
        numbered = _NUMBERED_HEADING.match(inner)
        return f"{numbered.group(1)} {numbered.group(2).strip()}" if numbered else inner
    numbered = _NUMBERED_HEADING.match(para)
    # "4 March 2029" is a dateline, not section 4 (but "4 Outlook for 2026" is a section).
    if (
        numbered
        and not DATELINE.match(para)
        and not _COUNT_LABEL.match(para.strip())
        and not ends_sentence(para, PARAGRAPH_MARKS)
        and len(numbered.group(2).split()) <= 16
    ):
        return f"{numbered.group(1)} {numbered.group(2).strip()}"
    if para.strip().rstrip(":").lower() in _NAMED_HEADINGS:
        return para.strip().rstrip(":")
    return None


# A paragraph of Markdown footnote definitions, each line "[^N]: ..." (a wrapped one indented).
_FOOTNOTES = re.compile(r"(?:\[\^\d{1,3}\]:[^\n]*|[ \t]+\S[^\n]*)(?:\n(?:\[\^\d{1,3}\]:[^\n]*|[ \t]+\S[^\n]*))*\n?")


def _reference_lines(text: str, start: int, end: int, doc: Document, section: str | None) -> bool:
    """Record each reference entry of a reference-list paragraph as a block; False if none."""
    found = False
    line_start = start
    for line in text[start:end].split("\n"):
        line_end = line_start + len(line)
        entry = ENTRY.match(line)
        if entry:
            number = int(entry.group(1) or entry.group(2))
            doc.references.append(parse_reference(number, entry.group(3)))
            doc.blocks.append(Block("reference", line_start + (len(line) - len(line.lstrip())), line_end, section))
            found = True
        line_start = line_end + 1
    return found


def _body_kind(para: str, section: str | None) -> str:
    """Kind of a body paragraph: table, list, caption, meta (footnote) or plain paragraph."""
    lines = para.split("\n")
    if len(lines) >= 2 and sum("\t" in line or line.strip().startswith("|") for line in lines) >= len(lines) - 1:
        return "table"
    if re.match(r"^(Table|Figure|Fig\.)\s+\d+", para):
        return "caption"
    if re.match(r"^[*†‡]\s*(Corresponding author|Email|E-mail)", para, re.I):
        return "meta"
    if section and section.lower() == "abstract":
        return "meta" if re.match(r"^keywords?\s*:", para, re.I) else "abstract"
    if all(_BULLET.match(line) for line in lines):
        return "list"
    return "paragraph"
