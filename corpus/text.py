"""Plain-text and Markdown ingestor that recognises the structure of a scholarly article.

It finds the front matter (title, authors, affiliation, journal line, publication history, DOI),
the abstract, numbered section headings (``4.2. Sectoral focus…``) and Markdown headings,
paragraphs (rejoining one split by a stray blank line), tables, lists and the reference list.
The document text is the file's text itself (only line endings and a BOM normalised), so offsets
point into what the user can open.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from citeqa.corpus.dates import DATE_IN_TEXT, date_from_match, parse_date
from citeqa.corpus.model import Block, Document, ExtractionError
from citeqa.corpus.references import ENTRY, is_reference_heading, parse_reference
from citeqa.corpus.sentences import ends_sentence

_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+([A-Z][^\n]{1,150})$")
# A news page's reading time ("1 Min Read") reads like a numbered heading; "2 Comments" may be a
# style guide's section, so only the reading time is told apart.
_COUNT_LABEL = re.compile(r"^\d+\s+min(?:ute)?s?\.?\s+read$", re.I)
_DAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun".split()
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# A heading underlined: "Install" over "-------" (or "=======").
_SETEXT = re.compile(r"([^\n]{1,160})\n(={3,}|-{3,})[ \t]*")
# "By Lena Holm and Peter Sand": a byline names people ("By 2030, ..." is a sentence).
_BYLINE = re.compile(r"^(?i:by)\s+([A-Z][^\d\n]{2,118})$")
# A line that is a date and little else: "4 March 2029", "Published September 29, 2023",
# "Updated: Tue, 10 Sep 2023 08:30 IST". A headline with a year ("India Budget 2025") is not.
_DATELINE = re.compile(
    # "Page last updated at 16:21 GMT, Tuesday, 13 May 2008" and "Last Updated: Monday May 12 2008" too,
    # and in brackets ("[May 25, 2017]").
    r"^\[?(?:(?:page\s+)?(?:last\s+)?(?:published|updated|posted|dated|modified|first published)(?:\s+(?:at|on))?\b:?\s*)?"
    # A time on either clock ("3:04 PM EST,").
    r"(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?\s*)?(?:[A-Z]{2,4}\b)?,?\s*)?"
    rf"(?:(?:on|{'|'.join(_DAY_NAMES)})\b,?\s*)*"
    rf"(?:{DATE_IN_TEXT.pattern})[\w\s:,.|+\]-]{{0,24}}"
    # "1 August 2024, 12:02 | Updated: 1 August 2024, 12:35": the time it was updated after a bar.
    r"(?:\|\s*(?:last\s+)?(?:updated|modified|published)\b[\w\s:,.+-]{0,40})?$",
    re.IGNORECASE,
)
# Below a headline, a release's place before its date, not a year alone: "New Delhi, 15 December
# 2025" (above it, "Quad Summit, May 2025" is a headline; "Annual Report, 2024" is a subtitle).
_PLACE = re.compile(r"[A-Z][a-z.]+(?:\s[A-Z][a-z.]+){0,2},\s*")
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
_JOURNAL_LINE = re.compile(r"^(?P<journal>[^\n,]{5,120}),\s*(?P<year>\d{4}),\s*\d+\s*\(\s*\d+\s*\)")
_AFFILIATION = re.compile(r"\b(University|Department|Institute|Centre|Center|School|College|Faculty)\b")
_WEB_ADDRESS = re.compile(r"https?://|\bwww\.")
# A line of authors' names: "Shreedebi Sahoo *", "A. Writer, B. Writer and C. de Souza1". A
# headline below a title ("'Thousands dead' in China quake") or a "last updated" line is not one.
_NAME = r"(?:[A-Z][\w.'’-]*|de|da|di|du|van|von|der|den|la|le|bin|al)[*†‡\d,]*"
_NAMES = re.compile(rf"{_NAME}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*|\s+){_NAME}){{0,15}}[\s*†‡\d]*")
# Words that name a part of a document, not a person: "Executive Summary", "Opening Remarks".
_PARTS = frozenset(
    "Summary Remarks Introduction Contents Overview Highlights Foreword Preface Abstract Executive Findings "
    "Minutes Statement Release Report News Update Chapter Section Appendix Table Figure Brief Paper Sheet".split()
)
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d{1,3}[.)])\s+")
# A paragraph of a text file also ends at a colon (before a list) or a semicolon (closing an item).
_PARAGRAPH_MARKS = ":;"


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
        A ``Document`` of kind ``"text"`` with blocks, front-matter metadata and references.

    Raises:
        ExtractionError: the file is binary, holds no text, or is not UTF-8 text (nor UTF-16 or
            UTF-32 with a byte order mark).
    """
    raw = Path(path).read_bytes()
    # UTF-16 and UTF-32 (Windows' "Unicode" text) are full of NUL bytes, but their byte order
    # mark says what they are. UTF-32's little-endian mark starts with UTF-16's: tested first.
    encoding = next((name for bom, name in _BYTE_ORDER_MARKS if raw.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in raw[:8192]:
        raise ExtractionError(path, "binary file, not text")
    try:
        text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as error:
        raise ExtractionError(path, f"not {encoding.upper()} text (invalid byte at offset {error.start})") from None
    return parse_text(text.replace("\r\n", "\n").replace("\r", "\n"), path)


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
        # In a reference list, "1. Someone. (2024)..." is an entry, not a numbered heading.
        if in_references and _reference_lines(text, start, end, doc, section):
            continue
        setext = _SETEXT.fullmatch(para)
        if setext and in_front_matter and not title_seen and setext.group(2).startswith("="):
            # "Title" over a line of "=": a Markdown file's first H1 again, underlined.
            doc.title, title_seen = _plain(setext.group(1).strip()), True
            doc.blocks.append(Block("title", start, start + len(setext.group(1)), section))
            continue
        # An underlined heading is Markdown's: in plain text "Total 42" over dashes is a table's rule.
        heading = _plain(setext.group(1).strip()) if setext and markdown_file else _heading(para)
        if in_front_matter and not title_seen and para.startswith("# "):
            heading = None  # a Markdown file's first H1 is its title
        if heading is not None:
            section = heading
            in_front_matter = False
            in_references = is_reference_heading(heading)
            doc.blocks.append(Block("heading", start, end, section))
            continue
        pieces = _news_lines(text, start, end) if in_front_matter else []
        if len(pieces) == 1 and _is_prose(para):
            in_front_matter = False  # a document without headings: its body starts here
        elif in_front_matter:
            for line_start, line_end, story in pieces:
                # The story right under its dateline starts the body.
                kind = "paragraph" if story else _front_matter(doc, text[line_start:line_end], title_seen)
                in_front_matter = in_front_matter and not story
                title_seen = title_seen or kind == "title"
                doc.blocks.append(Block(kind, line_start, line_end, section))
            continue
        doc.blocks.append(Block(_body_kind(para, section), start, end, section))
    if doc.title is None:
        doc.title = Path(path).stem.replace("_", " ").replace("-", " ")
    body = next((b for b in doc.blocks if b.kind == "paragraph"), None)
    agency = _AGENCY_DATELINE.match(text, body.start) if body and not doc.date else None
    doc.date = date_from_match(agency) if agency and not agency.group("y4") else doc.date
    return doc


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
    headline = len(first) <= LONG_LINE and not ends_sentence(first, _PARAGRAPH_MARKS)
    if not lines[1:] or 2 * long_lines < len(lines) - 1 or not headline or _BULLET.match(first) or _FENCE.match(first):
        return spans
    return [(start, start + lines[0][1]), (start + lines[1][0], end), *spans[1:]]


def _blank_between(text: str, end: int, start: int) -> bool:
    """Whether a blank line separates the span ending at ``end`` from the line starting at ``start``."""
    return text.count("\n", end, start) >= 2


def _merge_broken_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rejoin a paragraph that a stray blank line (a page break in the original) cut in two.

    The first part ends without sentence punctuation and the second starts in lower case, as in
    "...trusted technologies, and responsible" / "supply chains in their joint statements."
    """
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev_start, prev_end = merged[-1]
            previous = text[prev_start:prev_end]
            if (
                text[start].islower()
                and not ends_sentence(previous, _PARAGRAPH_MARKS)
                and _heading(previous) is None
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
        inner = _plain(markdown.group(2))
        numbered = _NUMBERED_HEADING.match(inner)
        return f"{numbered.group(1)} {numbered.group(2).strip()}" if numbered else inner
    numbered = _NUMBERED_HEADING.match(para)
    # "4 March 2029" is a dateline, not section 4 (but "4 Outlook for 2026" is a section).
    if (
        numbered
        and not _DATELINE.match(para)
        and not _COUNT_LABEL.match(para.strip())
        and not ends_sentence(para, _PARAGRAPH_MARKS)
        and len(numbered.group(2).split()) <= 16
    ):
        return f"{numbered.group(1)} {numbered.group(2).strip()}"
    if para.strip().rstrip(":").lower() in _NAMED_HEADINGS:
        return para.strip().rstrip(":")
    return None


def _is_prose(para: str) -> bool:
    """A body paragraph rather than a front-matter line: several words ending a sentence."""
    return (
        len(para.split()) >= 12
        and ends_sentence(para, _PARAGRAPH_MARKS)
        and not re.match(r"^(publication history|article doi|doi|received|keywords?)\b", para, re.I)
    )


def _news_lines(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """A front-matter paragraph as the blocks to read it as: a news text's headline, byline and
    dateline may stand on lines of their own with no blank line between ("By Lena Holm" over "4
    March 2029"), and the story may follow with none either ("November 7, 2022" over its first
    paragraph); each of those lines is then read apart, and the story after them is one block.
    Any other paragraph is one block."""
    lines = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+", text[start:end])]
    parts = [text[a:b].strip() for a, b in lines]
    news = [bool(_BYLINE.match(p) or _DATELINE.match(p)) for p in parts]
    # The byline and dateline come first, or right under the headline.
    first = next((i for i, n in enumerate(news[:2]) if n), None)
    if len(lines) < 2 or first is None:
        return [(start, end, False)]
    last = first
    while last < len(news) and news[last]:
        last += 1
    if last - first > 3:
        return [(start, end, False)]
    blocks = [
        (a + len(text[a:b]) - len(text[a:b].lstrip()), a + len(text[a:b].rstrip()), False) for a, b in lines[:last]
    ]
    return blocks + ([(lines[last][0], end, True)] if last < len(lines) else [])


def _front_matter(doc: Document, para: str, title_seen: bool) -> str:
    """Classify a paragraph before the first heading and record the metadata it carries."""
    line = para.strip()
    journal = _JOURNAL_LINE.match(line)
    if journal:
        doc.publisher = journal.group("journal").strip()
        doc.date = doc.date or journal.group("year")
        return "meta"
    if re.match(r"^(article\s+)?doi\s*:", line, re.I):
        url = re.search(r"https?://[^\s<>]+", line)
        doc.url = url.group(0) if url else doc.url
        return "meta"
    # A news text's byline and dateline ("By A. Writer", "Published September 29, 2023") are
    # neither its title nor its authors' affiliation.
    # A byline names people: "By 2030, the port aims to ..." is a sentence.
    byline = _BYLINE.match(line)
    if byline and not ends_sentence(line):
        doc.authors = doc.authors or [a.strip() for a in re.split(r",|\band\b", byline.group(1)) if a.strip()]
        return "authors"
    placed = _PLACE.match(line) if title_seen else None
    dated = line[placed.end() :] if placed else line
    if _DATELINE.match(dated) and (dated == line or not dated.isdigit()):
        doc.date = doc.date or parse_date(line)
        return "meta"
    if re.match(r"^publication history\s*:", line, re.I):
        published = re.search(r"published(?: online)? on ([^;]+)", line, re.I)
        if published:
            doc.date = parse_date(published.group(1)) or doc.date
        return "meta"
    if re.fullmatch(r"\(?[A-Z][A-Z ]{2,40}\)?", line):
        return "meta"
    # A Markdown file's "# " line names it however short ("# [libcbor](https://...)") and
    # whatever it ends with ("# Was COP28 a landmark?").
    markdown = line.startswith("# ")
    # A line with a web address is a saved page's banner ("The Wayback Machine - https://..."), not its title.
    titled = markdown or (
        len(line.split()) >= 3 and not ends_sentence(line, _PARAGRAPH_MARKS) and not _WEB_ADDRESS.search(line)
    )
    if not title_seen and titled and "\n" not in line:
        doc.title = _plain(re.sub(r"^#+\s*", "", line))
        return "title"
    if (
        title_seen
        and not doc.authors
        and len(line) < 200
        and _NAMES.fullmatch(line)
        and not _PARTS & set(re.findall(r"\w+", line))
    ):
        doc.authors = [a.strip(" *†‡0-9") for a in re.split(r",|\band\b|;", line) if a.strip(" *†‡0-9")]
        return "authors"
    if _AFFILIATION.search(line) and len(line) < 300:
        return "authors"
    return "meta"


def _plain(markdown: str) -> str:
    """Markdown inline markup as the reader sees it: a link or image as its text, no emphasis or
    code marks."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    # Emphasis only around words ("snake_case" keeps its underscores), and none in code: the odd
    # pieces between backticks are code spans ("`__init__`").
    pieces = text.split("`")
    for i in range(0, len(pieces), 2):
        pieces[i] = re.sub(r"(?<!\w)(\*\*|__|\*|_)(\S(?:.*?\S)?)\1(?!\w)", r"\2", pieces[i])
    return "".join(pieces).strip()


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
