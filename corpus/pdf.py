"""PDF ingestor: the text layer of a PDF, cleaned of page furniture and rejoined into blocks.

A PDF's text layer is a sequence of positioned lines, not paragraphs: each page repeats a running
header and footer, words are hyphenated at line ends and paragraphs run across page breaks. Left
as is, that furniture would land in every chunk and split sentences that a reader sees as one.
So the page furniture goes first (``corpus/pdflines.py`` reads the lines, ``corpus/pdfrunning.py``
drops what repeats at the top or bottom of many pages), then this module rejoins hyphenated and
wrapped lines and lets a paragraph that continues onto the next page stay one block, while
``Document.pages`` still records exactly where each physical page starts in the joined text.
Paragraph breaks come from vertical gaps between lines (pypdf reports each fragment's position)
and from short lines ending a sentence. Under a reference-list heading ("References", "Works
cited"...) each numbered entry is a block of its own, its wrapped lines and URL rejoined, and is
parsed into ``Document.references``, as ``corpus/text.py`` does for text files.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from citeqa.corpus.dates import DATE_IN_TEXT, date_from_match
from citeqa.corpus.frontmatter import people
from citeqa.corpus.hyphens import compound_test
from citeqa.corpus.model import Block, Document, ExtractionError
from citeqa.corpus.pdfheadings import (
    BULLET,
    contents_entries,
    continues_heading,
    created_date,
    display_title,
    heading_label,
    is_heading,
    listing_entries,
    printed_page,
    title_lines,
    typed_headings,
)
from citeqa.corpus.pdflines import Line, clean_text, gap_ends, mark_gaps, page_lines, typeset_by_groff
from citeqa.corpus.pdfrunning import (
    banner_lines,
    printed_numbers,
    strip_lines,
    strip_running,
    strip_watermarks,
    web_chrome,
    without_folio,
)
from citeqa.corpus.pdfspaces import respaced
from citeqa.corpus.references import ENTRY, entry_reference, is_reference_heading
from citeqa.corpus.sentences import ends_sentence

# A PDF line ending in a colon ends its paragraph (a list follows); one ending in a semicolon is
# most often prose wrapped there.
_PARAGRAPH_MARKS = ":"
_NO_TEXT = "no text layer (scanned PDF? run OCR first)"
# A URL ending a line, and what may continue it on the next: URL characters, not a word set
# apart ("Accessed 5 May 2024", "[PDF]", "(2024)").
_URL_TAIL = re.compile(r"(?:(?:https?|ftp)://|\bwww\.)\S*$")
_URL_PART = re.compile(r"[\w.~%/?#=&+:;@!$',*-]+")


@dataclass
class _Record:
    kind: str
    lines: list[Line]


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
    # pypdf warns (logging, warnings) of every small defect it repairs: only the text matters here.
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages, info = _read_pages(path)
    finally:
        logger.setLevel(level)
    return _build(path, pages, info)


def _read_pages(path: str) -> tuple[list[list[Line]], dict]:
    """Open the PDF and return each page's text lines and the Info dictionary, with the page
    labels under ``"labels"`` (see ``_page_labels``), or raise."""
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
        info = {key: clean_text(str(metadata[key])) for key in metadata}
        info["labels"] = _page_labels(reader)
    except ExtractionError:
        raise
    except Exception as error:  # pypdf raises many kinds of error on broken files
        raise ExtractionError(path, f"malformed PDF: {_short(error)}") from None
    if count == 0:
        raise ExtractionError(path, "PDF has no pages")
    pages, failure = [], None
    for index in range(count):
        try:
            pages.append(page_lines(reader.pages[index]))
        except Exception as error:  # one broken page should not cost the rest of the document
            failure = failure or error
            pages.append([])
    if not any(lines for lines in pages):
        if failure is not None:
            raise ExtractionError(path, f"malformed PDF: {_short(failure)}")
        raise ExtractionError(path, _NO_TEXT)
    return mark_gaps(respaced(path, pages, typeset_by_groff(info))), info


def _short(error: Exception) -> str:
    """A one-line, bounded description of a pypdf error."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:120]


# How far down page 1 a date alone still dates the document: a title page's date sits under
# its title, not in a timeline in the text.
_TOP_LINES = 8
# A line that is a date and nothing else, or what a title page says before it ("Printed January
# 14, 2020"); not a table row ("23 Feb 2005|43.72") nor a wrapped note's end ("2020/01/12.").
_DATE_ALONE = re.compile(
    rf"(?:(?:printed|published|updated|last updated|revised|released|dated)(?: on)?:?\s+)?(?:{DATE_IN_TEXT.pattern})",
    re.IGNORECASE,
)


def _date_line(text: str) -> str | None:
    """The date a short line of page 1 shows ("14 March 2025", "March 2025"), if any."""
    if len(text.split()) > 10:
        return None
    for match in DATE_IN_TEXT.finditer(text):
        if not match.group("y4"):
            return date_from_match(match)
    return None


def _records(pages: list[list[Line]], title: set[str], authors: list[str]) -> tuple[list[_Record], str | None]:
    """Group lines into headings, paragraphs and lists; also return a date line's date. ``title``
    holds the lowercased lines of page 1 that make up the title."""
    lines = [line for page in pages for line in page]
    widths = {page: max(len(line.text) for line in group) for page, group in groupby(lines, key=lambda line: line.page)}
    typed = typed_headings(lines)
    contents = contents_entries(lines)
    listed = listing_entries(lines, contents)
    records: list[_Record] = []
    visible_date = None
    body_started = False  # page 1's front matter (title, authors, date) ends at the first paragraph
    in_references = False
    for n, line in enumerate(lines):
        # In a reference list, "1. Someone. (2024)..." is an entry, not a numbered heading.
        if in_references and _reference_line(records, line):
            continue
        prev = records[-1] if records else None
        last = prev.lines[-1] if prev else None
        ended = last is None or prev.kind not in ("paragraph", "list") or line.gap or line.large
        # A page's first line has no gap above it to show a break. A list's last item and a
        # heading after it look alike there, so the line may be a heading; a paragraph's
        # unfinished sentence runs on unless the line is in display type.
        ended = ended or (prev.kind == "list" and last.page != line.page) or ends_sentence(last.text, _PARAGRAPH_MARKS)
        front = line.page == 0 and not body_started
        kind = None
        if front and line.text.lower() in title:
            kind = "title"
        elif front and line.text.lower() in {a.lower() for a in authors}:
            kind = "authors"
        # A date alone on page 1 dates it below a paragraph too ("Edition 5.2." over "September 2022").
        elif (
            (front or line.page == 0 and n < _TOP_LINES and _DATE_ALONE.fullmatch(line.text))
            and visible_date is None
            and _date_line(line.text)
        ):
            kind, visible_date = "meta", _date_line(line.text)
        elif prev is not None and prev.kind == "heading" and continues_heading(prev.lines, line, typed):
            prev.lines.append(line)
            continue
        elif id(line) in listed:
            kind = "contents"
        elif ended and n + 1 < len(lines) and id(line) not in contents and is_heading(line, typed, widths[line.page]):
            kind = "heading"
        if kind is not None:
            records.append(_Record(kind, [line]))
            in_references = is_reference_heading(heading_label(line.text)) if kind == "heading" else in_references
            continue
        bullet = bool(BULLET.match(line.text))
        if prev is not None and prev.kind == "list" and (bullet or not line.gap):
            prev.lines.append(line)
            continue
        short = last is not None and len(last.text) < 0.7 * widths[last.page]
        runs_on = last is not None and not bullet and not (line.gap and gap_ends(last.text, line))
        if runs_on and prev.kind == "paragraph":
            if not ends_sentence(last.text, _PARAGRAPH_MARKS) or (last.page == line.page and not short):
                prev.lines.append(line)
                continue
        records.append(_Record("list" if bullet else "paragraph", [line]))
        body_started = True
    return records, visible_date


def _reference_line(records: list[_Record], line: Line) -> bool:
    """Add a line of a reference list to its entry; False for a line that is no part of one.

    A line starting "[n]" starts an entry, as does one starting "n." or "n)" when n follows the
    number of the entry above (a wrapped "12. Retrieved from ..." continues its entry). The lines
    below an entry with no gap above them continue it, across a page break too; a line in display
    type is a heading whatever it starts with.
    """
    if line.large:
        return False
    entry = ENTRY.match(line.text)
    current = records[-1] if records and records[-1].kind == "reference" else None
    if entry and (entry.group(1) or current is None or int(entry.group(2)) == _entry_number(current) + 1):
        records.append(_Record("reference", [line]))
        return True
    if current is not None and not line.gap:
        current.lines.append(line)
        return True
    return False


def _entry_number(record: _Record) -> int:
    """The number a reference entry's first line gives it."""
    entry = ENTRY.match(record.lines[0].text)
    return int(entry.group(1) or entry.group(2))


def _separator(kind: str, previous: str, text: str, compound: Callable[[str, str], bool]) -> tuple[str, bool]:
    """What joins a line to the one before it in a block, and whether the previous line's final
    hyphen goes ("eco-" + "nomic": a word broken at the line end; "kernel-" + "based" keeps it,
    as ``compound`` tells)."""
    if kind == "reference" and _continues_url(previous, text):
        return "", False  # a hyphen inside a URL is part of it
    # Any script's lowercase letter: French breaks "relé-" + "guée" as English breaks "eco-nomic".
    if previous[-2:-1].islower() and previous.endswith("-") and text[:1].islower():
        return "", not compound(previous, text)
    if kind == "list" and BULLET.match(text):
        return "\n", False
    return ("" if re.search(r"\w-$", previous) else " "), False


def _continues_url(previous: str, text: str) -> bool:
    """Whether ``text`` carries on a URL that ends ``previous``: a reference list wraps a long URL
    at a slash, a hyphen or anywhere, with no space, and the rest starts the next line."""
    head = text.split()[0]
    if not _URL_TAIL.search(previous) or not _URL_PART.fullmatch(head):
        return False
    # A capitalised word after a URL is the entry's next part ("Accessed"), unless it holds URL
    # punctuation ("Joint_Vision.pdf").
    return bool(re.search(r"[/._=?&#%-]", head.rstrip(".,;"))) or head[0].islower() or head[0].isdigit()


def _build(path: str, pages: list[list[Line]], info: dict) -> Document:
    """Clean the pages, group their lines into blocks and lay them out as one text."""
    pages = strip_watermarks(pages)
    # A title in body type may repeat atop every page: it is looked for before running heads go.
    titled = title_lines(pages[0], info)
    # Page 1's display title is front matter even where the /Title names the document instead.
    shown = {line.lower() for line in [*titled, *display_title(pages[0])]}
    # Folios are read before strip_running drops them with the rest of the furniture.
    labels = _cited_labels(info.get("labels") or {}, printed_numbers(pages), len(pages))
    first = {line.text for line in pages[0]}
    pages = strip_lines(strip_running(pages, labels), banner_lines(pages) | web_chrome(pages, info))
    dropped = first - {line.text for line in pages[0]}
    if len(titled) == 1 and titled[0] in dropped:
        # The title is page 1's running head, which carries its folio ("THE SIEGE OF VICKSBURG. 49").
        titled = [without_folio(titled[0], labels.get(1, "1"))]
    # A title's footnote mark ("... for Floats∗") is no part of it (an ASCII "*" may be: "Notes on A*").
    title = " ".join(" ".join(titled).split()).rstrip("∗†‡ ") or None
    authors = people(re.split(r";|\band\b|&", info.get("/Author") or ""))
    date = created_date(info, dropped)
    records, visible_date = _records(pages, shown, authors)
    compound = compound_test([line.text for page in pages for line in page])
    text, starts, blocks = _lay_out(records, compound)
    if not text:
        # Every line was page furniture (a scanner's stamp, page numbers): there is no body text.
        raise ExtractionError(path, _NO_TEXT)
    title, publisher, date = printed_page(info, title, date, text)
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
        publisher=publisher,
        date=visible_date or date,
        pages=page_starts[::-1],
        page_labels=labels,
        references=[entry_reference(text[b.start : b.end]) for b in blocks if b.kind == "reference"],
    )


def _page_labels(reader) -> dict[int, str]:
    """The number each page prints, from the PDF's page labels, where some page's differs from
    its own number: a citation must name the page a reader finds, not the file's count. A page
    printing its own count keeps its label, so that it is told from a page with none."""
    try:
        labels = list(reader.page_labels)
    except Exception:  # a broken label tree costs the labels, not the document
        return {}
    if all(label == str(n) for n, label in enumerate(labels, 1)):
        return {}
    return {n: label for n, label in enumerate(labels, 1) if label}


def _cited_labels(labels: dict[int, str], printed: dict[int, int], count: int) -> dict[int, str]:
    """The numbers to cite pages by (as ``Document.page_labels``): the page labels, unless the
    folios the pages print (``printed_numbers``) contradict them.

    A producer can start a label range on the wrong page, so every label after it is off by the
    same few pages, while the folio is what a reader finds. When most pages that print a number
    disagree with their labels, the printed count wins from its first page on, and a page it
    skips (a chapter's opening page with no folio) counts on from the last page that prints one.
    Before it, a label in a non-numeric style ("iv", "T-1") stays, and a numeric one goes: its
    count is the one the folios disproved, so the page has no number to cite.
    """
    wrong = [page for page, number in printed.items() if labels.get(page, str(page)) != str(number)]
    if 2 * len(wrong) <= len(printed):
        return labels  # no folios, or they agree with the labels
    cited, numbered = {}, None  # numbered: the last page before this one that prints its number
    for page in range(1, count + 1):
        label = labels.get(page, "")
        if page in printed:
            cited[page], numbered = str(printed[page]), page
        elif numbered is not None and (not label or label.isdigit()):
            cited[page] = str(printed[numbered] + page - numbered)
        elif label and not label.isdigit():
            cited[page] = label
    return cited


def _lay_out(records: list[_Record], compound: Callable[[str, str], bool]) -> tuple[str, dict[int, int], list[Block]]:
    """Join the records' lines into one text, blocks apart by a blank line; also return where
    each page's first line starts in it and the blocks. ``compound`` tells a line-end hyphen to keep."""
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
                separator, unhyphenate = _separator(record.kind, record.lines[n - 1].text, line.text, compound)
                if unhyphenate:
                    parts[-1] = parts[-1][:-1]
                    pos -= 1
                parts.append(separator)
                pos += len(separator)
            starts.setdefault(line.page, pos)
            parts.append(line.text)
            pos += len(line.text)
        if record.kind == "heading":
            section = " ".join([heading_label(record.lines[0].text)] + [line.text for line in record.lines[1:]])
        blocks.append(Block(record.kind, start, pos, section))
    return "".join(parts), starts, blocks
