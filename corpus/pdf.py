"""PDF ingestor: the text layer of a PDF, cleaned of page furniture and rejoined into blocks.

A PDF's text layer is a sequence of positioned lines, not paragraphs: each page repeats a running
header and footer, words are hyphenated at line ends and paragraphs run across page breaks. Left
as is, that furniture would land in every chunk and split sentences that a reader sees as one.
So this module removes lines repeated at the top or bottom of most pages, rejoins hyphenated and
wrapped lines, and lets a paragraph that continues onto the next page stay one block, while
``Document.pages`` still records exactly where each physical page starts in the joined text.
Paragraph breaks come from vertical gaps between lines (pypdf reports each fragment's position)
and from short lines ending a sentence.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass

from citeqa.corpus.dates import DATE_IN_TEXT, date_from_match
from citeqa.corpus.model import Block, Document, ExtractionError
from citeqa.corpus.sentences import ends_sentence

# A PDF line ending in a colon ends its paragraph (a list follows); one ending in a semicolon is
# most often prose wrapped there.
_PARAGRAPH_MARKS = ":"
_BULLET = re.compile(r"^(?:[•◦▪●○■□‣∙·*–-]|\(?[a-z0-9]{1,2}\))\s+")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+([A-Z].*)$")
# Matched against a line with digit runs replaced by "#": "Page 3 of 9", "- 3 -", "3", "3/9", "iv".
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—\s]*#(?:\s*(?:of|/)\s*#)?[-–—\s]*$|^(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$"
)
_CODE = re.compile(r"[_=<>{}\[\]|\\@#$%^*~]")
_MINOR_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "into",
    "of",
    "on",
    "or",
    "the",
    "to",
    "vs",
    "via",
    "with",
    "its",
    "their",
    "over",
    "under",
    "between",
    "towards",
}
_FILE_NAME_TITLE = re.compile(
    r"^(?:microsoft\s+\w+\s*-|untitled\b)|\.(?:docx?|pdf|odt|rtf|tex|txt|pptx?|xlsx?|indd)\s*$", re.I
)
_RUNNING_DEPTH = 2  # how many lines at each end of a page may be header or footer
# Control characters but the white space ones, which str.split() already treats as spaces. A NUL
# ending a C string, or a glyph with no Unicode mapping, reaches the text and metadata as one.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Every turn pypdf can read: a landscape page or a turned table is drawn at 90 or 270 degrees.
_ORIENTATIONS = (0, 90, 180, 270)
_NO_TEXT = "no text layer (scanned PDF? run OCR first)"


@dataclass
class _Line:
    text: str
    page: int  # 0-based page index
    gap: bool = False  # a wider vertical gap than the usual line pitch precedes it


@dataclass
class _Record:
    kind: str
    lines: list[_Line]


def read_pdf(path: str) -> Document:
    """Read a PDF's text layer into a ``Document`` with blocks, page offsets and metadata.

    Args:
        path: the ``.pdf`` file to read.

    Returns:
        A ``Document`` of kind ``"pdf"`` whose ``pages`` holds ``(page_number, start_offset)``
        for every physical page (1-based), so ``page_at`` names the page of any character.

    Raises:
        ExtractionError: the file is not a PDF, is malformed, is encrypted with a password, has
            no pages or has no text layer. The message is one line naming the file.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise ExtractionError(path, f"cannot read file: {error.strerror}") from None
    if b"%PDF" not in head:
        raise ExtractionError(path, "not a PDF file")
    logger = logging.getLogger("pypdf")
    level = logger.level
    # pypdf warns (via logging and warnings) about every small defect it repairs; readers of
    # this tool's output only care whether the text came out.
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages, info = _read_pages(path)
    finally:
        logger.setLevel(level)
    return _build(path, pages, info)


def _read_pages(path: str) -> tuple[list[list[_Line]], dict]:
    """Open the PDF and return each page's text lines and the Info dictionary, or raise."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError as error:
                raise ExtractionError(path, f"encrypted PDF (cannot decrypt: {_short(error)})") from None
            if not opened:
                raise ExtractionError(path, "encrypted PDF (password required)")
        count = len(reader.pages)
        metadata = reader.metadata or {}
        # Indexing resolves indirect objects.
        info = {key: _CONTROL.sub("", str(metadata[key])) for key in metadata}
    except ExtractionError:
        raise
    except Exception as error:  # pypdf raises many kinds of error on broken files
        raise ExtractionError(path, f"malformed PDF: {_short(error)}") from None
    if count == 0:
        raise ExtractionError(path, "PDF has no pages")
    pages, failure = [], None
    for index in range(count):
        try:
            pages.append(_page_lines(reader.pages[index]))
        except Exception as error:  # one broken page should not cost the rest of the document
            failure = failure or error
            pages.append([])
    if not any(lines for lines in pages):
        if failure is not None:
            raise ExtractionError(path, f"malformed PDF: {_short(failure)}")
        raise ExtractionError(path, _NO_TEXT)
    return _mark_gaps(pages), info


def _short(error: Exception) -> str:
    """A one-line, bounded description of a pypdf error."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:120]


def _page_lines(page) -> list[tuple[str, float | None]]:
    """The page's non-blank text lines with the height of each on the page, when known.

    A height is measured up the text's own vertical axis, so lines drawn turned on a rotated page
    are as far apart as they look to a reader, and paragraph gaps are found there too.
    """
    fragments: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        fragments.append((text, _height(tm, cm)))

    text = page.extract_text(orientations=_ORIENTATIONS, visitor_text=visit)
    # Line heights are known only when the fragments add up to the returned text.
    heights: list[float | None] = []
    if "".join(t for t, _ in fragments) == text:
        current: float | None = None
        for fragment, y in fragments:
            for n, piece in enumerate(fragment.split("\n")):
                if n:
                    heights.append(current)
                    current = None
                if current is None and piece.strip():
                    current = y
        heights.append(current)
    raw = text.split("\n")
    if len(heights) != len(raw):
        heights = [None] * len(raw)
    lines = [(" ".join(_CONTROL.sub("", line).split()), y) for line, y in zip(raw, heights, strict=True)]
    return [(line, y) for line, y in lines if line]


def _height(tm: list[float], cm: list[float]) -> float:
    """How high a text fragment's origin sits, along the up direction of its own text.

    The fragment is drawn through ``tm`` then ``cm``; the result's third and fourth entries are
    the text's up vector on the page, and the origin projected on it is the line's height.
    """
    up_x = tm[2] * cm[0] + tm[3] * cm[2]
    up_y = tm[2] * cm[1] + tm[3] * cm[3]
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    length = (up_x * up_x + up_y * up_y) ** 0.5 or 1.0
    return (x * up_x + y * up_y) / length


def _mark_gaps(pages: list[list[tuple[str, float | None]]]) -> list[list[_Line]]:
    """Turn positioned lines into ``_Line``s, marking those below a wider gap than the usual pitch.

    The pitch is the most common line step in the whole document: body text dominates it, while
    a page's own median can be a paragraph gap on a page of short paragraphs.
    """
    steps = Counter(
        round(a - b)
        for page in pages
        for (_, a), (_, b) in zip(page, page[1:], strict=False)
        if a is not None and b is not None and a - b >= 1
    )
    pitch = min(steps, key=lambda step: (-steps[step], step)) if steps else None
    marked = []
    for index, page in enumerate(pages):
        lines = []
        for n, (text, y) in enumerate(page):
            above = page[n - 1][1] if n else None
            gap = None not in (pitch, y, above) and above - y > 1.5 * pitch
            lines.append(_Line(text, index, gap))
        marked.append(lines)
    return marked


def _strip_running(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop page numbers and lines repeated (digits aside) at the top or bottom of most pages."""
    with_text = [lines for lines in pages if lines]
    top = Counter(key for lines in with_text for key in {_key(line.text) for line in lines[:_RUNNING_DEPTH]})
    bottom = Counter(key for lines in with_text for key in {_key(line.text) for line in lines[-_RUNNING_DEPTH:]})

    def running(line: _Line, counts: Counter) -> bool:
        key = _key(line.text)
        if _PAGE_NUMBER.match(key) or (counts[key] >= 2 and 2 * counts[key] > len(with_text)):
            return True
        # "Chapter 2: Setup 12" repeats only through its chapter, but a line that recurs at a page
        # edge with a changing number (trailing, as page numbers are) is a running head all the same.
        return "#" in key and counts[key] >= (2 if key.endswith("#") else 3)

    cleaned = []
    for lines in pages:
        lines = list(lines)
        for _ in range(_RUNNING_DEPTH):
            if lines and running(lines[0], top):
                lines.pop(0)
            if lines and running(lines[-1], bottom):
                lines.pop()
        if lines:
            lines[0].gap = False  # the gap below a removed header is not a paragraph break
        cleaned.append(lines)
    return cleaned


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _heading(text: str) -> str | None:
    """The section label if the line looks like a heading (numbered, ALL CAPS or Title Case)."""
    words = text.split()
    if not words or len(words) > 12 or len(text) > 120 or text[-1] in ".,;" or _BULLET.match(text):
        return None
    # Code, URLs and table rows are not headings however they are capitalised.
    if _CODE.search(text):
        return None
    numbered = _NUMBERED.match(text)
    if numbered:
        return f"{numbered.group(1)} {numbered.group(2)}"
    if not text[0].isalpha() or sum(c.isalpha() or c == " " for c in text) < 0.8 * len(text):
        return None
    if text.isupper() and sum(c.isalpha() for c in text) >= 2:
        return text
    significant = [w for w in words if w.lower() not in _MINOR_WORDS or w is words[0]]
    return text if all(w[0].isupper() or w.strip("(),:").isdigit() for w in significant) else None


def _date_line(text: str) -> str | None:
    """The date a short line of page 1 shows ("14 March 2025", "March 2025"), if any."""
    if len(text.split()) > 10:
        return None
    for match in DATE_IN_TEXT.finditer(text):
        if not match.group("y4"):
            return date_from_match(match)
    return None


def _records(pages: list[list[_Line]], title: str | None, authors: list[str]) -> tuple[list[_Record], str | None]:
    """Group lines into headings, paragraphs and lists; also return a date line's date."""
    lines = [line for page in pages for line in page]
    widths = {}
    for line in lines:
        widths[line.page] = max(widths.get(line.page, 0), len(line.text))
    names = {a.lower() for a in authors}
    records: list[_Record] = []
    visible_date = None
    body_started = False  # page 1's front matter (title, authors, date) ends at the first paragraph
    for n, line in enumerate(lines):
        prev = records[-1] if records else None
        last = prev.lines[-1] if prev else None
        ended = last is None or prev.kind not in ("paragraph", "list") or line.gap
        ended = ended or ends_sentence(last.text, _PARAGRAPH_MARKS)
        front = line.page == 0 and not body_started
        kind = None
        if front and title and line.text.lower() == title.lower():
            kind = "title"
        elif front and line.text.lower() in names:
            kind = "authors"
        elif front and visible_date is None and _date_line(line.text):
            kind, visible_date = "meta", _date_line(line.text)
        elif ended and n + 1 < len(lines) and _heading(line.text):
            numbered = _NUMBERED.match(line.text)
            # An unnumbered Title Case line is a heading only when shorter than the body text.
            if numbered or line.text.isupper() or len(line.text) < 0.7 * widths[line.page]:
                kind = "heading"
        if kind is not None:
            records.append(_Record(kind, [line]))
            continue
        bullet = bool(_BULLET.match(line.text))
        if prev is not None and prev.kind == "list" and (bullet or not line.gap):
            prev.lines.append(line)
            continue
        short = last is not None and len(last.text) < 0.7 * widths[last.page]
        if prev is not None and prev.kind == "paragraph" and not bullet and not line.gap:
            if not ends_sentence(last.text, _PARAGRAPH_MARKS) or (last.page == line.page and not short):
                prev.lines.append(line)
                continue
        records.append(_Record("list" if bullet else "paragraph", [line]))
        body_started = True
    return records, visible_date


def _build(path: str, pages: list[list[_Line]], info: dict) -> Document:
    """Clean the pages, group their lines into blocks and lay them out as one text."""
    pages = _strip_running(pages)
    title = (info.get("/Title") or "").strip()
    title = None if not title or _FILE_NAME_TITLE.search(title) else " ".join(title.split())
    if title is None:
        title = next((line.text for line in pages[0] if _heading(line.text) and not _NUMBERED.match(line.text)), None)
    authors = [a.strip() for a in re.split(r";|\band\b|&", info.get("/Author") or "") if a.strip()]
    created = re.match(r"^D:(\d{4})(\d{2})?(\d{2})?", info.get("/CreationDate") or "")
    date = "-".join(part for part in created.groups() if part) if created else None
    records, visible_date = _records(pages, title, authors)

    parts: list[str] = []
    pos = 0
    starts: dict[int, int] = {}
    blocks: list[Block] = []
    section = None
    for record in records:
        if parts:
            parts.append("\n\n")
            pos += 2
        start = pos
        for n, line in enumerate(record.lines):
            if n:
                previous = record.lines[n - 1].text
                if re.search(r"[a-z]-$", previous) and line.text[:1].islower():
                    parts[-1] = parts[-1][:-1]  # "eco-" + "nomic": a word broken at the line end
                    pos -= 1
                    separator = ""
                elif record.kind == "list" and _BULLET.match(line.text):
                    separator = "\n"
                else:
                    separator = "" if re.search(r"\w-$", previous) else " "
                parts.append(separator)
                pos += len(separator)
            starts.setdefault(line.page, pos)
            parts.append(line.text)
            pos += len(line.text)
        if record.kind == "heading":
            section = _heading(record.lines[0].text)
        blocks.append(Block(record.kind, start, pos, section))

    text = "".join(parts)
    if not text:
        # Every line was page furniture (a scanner's stamp, page numbers): there is no body text.
        raise ExtractionError(path, _NO_TEXT)
    page_starts, following = [], len(text)
    for index in reversed(range(len(pages))):
        following = starts.get(index, following)
        page_starts.append((index + 1, following))
    return Document(
        path=path,
        kind="pdf",
        text=text,
        blocks=blocks,
        title=title,
        authors=authors,
        date=visible_date or date,
        pages=page_starts[::-1],
    )
