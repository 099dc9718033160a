"""HTML ingestor: the main content of a saved web page, without its menus and furniture.

trafilatura finds the main content, with ``favor_precision``. On the 181 real pages of the public
article-extraction benchmark that scores 0.959 F1, against 0.953 for trafilatura's defaults and
0.907 for the rules citeqa used before (``scripts/html_extraction_eval.py``). Its output tree is
walked into heading, paragraph, list and table blocks, so headings still become sections. citeqa
keeps its own code where trafilatura does not reach: decoding by declared charset (Shift_JIS and
Windows-1252 pages are common on ministry sites), and bibliographic metadata from citation_*,
Dublin Core, Open Graph and JSON-LD tags, which take precedence over trafilatura's guesses
(``html_meta``); trafilatura's metadata (its htmldate finds dates in the page) fills what they
leave open, and a manual's "Author:" field at the top of its text names its authors.

Before trafilatura reads a page, ``html_markup`` makes explicit what it would lose (line breaks
of ``<pre>``, text straight in ``<body>``, headings of pages with no content container).

The document text is built from the blocks (joined by blank lines), so offsets point into it; a
reference list's entries are blocks of their own, parsed into references (``html_references``).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from citeqa.corpus import tokens
from citeqa.corpus.dates import date_near_top, machine_date
from citeqa.corpus.frontmatter import people, wire_byline
from citeqa.corpus.html_markup import prepared, redirect_target
from citeqa.corpus.html_meta import authors_near_top, clean, page_metadata, publisher_name
from citeqa.corpus.html_references import reference_blocks
from citeqa.corpus.model import Block, Document, ExtractionError
from citeqa.corpus.references import entry_reference

_MIN_TEXT = 20
# Elements of trafilatura's output that are blocks of their own, and runs of markup white space.
# ``code`` is not among them: trafilatura tags inline code and code blocks alike (``_is_block``).
_BLOCKS = frozenset({"p", "head", "list", "item", "table", "row", "cell", "quote"})
_INLINE = frozenset({"hi", "ref", "lb", "del", "span"})
_SPACES = re.compile(r"\s+")
# What follows a name after a comma as part of it.
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."})
# The last part of a title after a separator: where pages put the site's name.
_SITE_AFTER = re.compile(r"\s+[|–—-]\s+((?:(?!\s[|–—-]\s).)+?)\s*$")
# Labels browsers read differently from Python's codecs (WHATWG Encoding): Latin-1 and ASCII
# labels mean Windows-1252, a declared UTF-16 without a BOM cannot be right in an ASCII-compatible
# file, and GB2312 pages hold GBK bytes.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "x-sjis": "shift_jis",
    "sjis": "shift_jis",
    "shift-jis": "shift_jis",
    "windows-31j": "cp932",
}


def read_html(path: str) -> Document:
    """Read a saved web page into a ``Document`` holding its main content.

    Args:
        path: the ``.html``/``.htm`` file to read.

    Returns:
        A ``Document`` of kind ``"html"`` with heading, paragraph, list and table blocks and the
        page's title, publisher, date, canonical URL and authors where it states them.

    Raises:
        ExtractionError: the file is a PDF or binary, or holds no readable text.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ExtractionError(path, f"cannot read file: {error.strerror}") from None
    if raw.lstrip()[:5] == b"%PDF-":
        raise ExtractionError(path, "not an HTML file (looks like a PDF)")
    return parse_html(_decode(raw, path), path)


def _decode(raw: bytes, path: str) -> str:
    """Decode by BOM, then the page's declared charset, then UTF-8, then Windows-1252."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    if b"\x00" in raw[:8192]:
        raise ExtractionError(path, "binary file, not HTML")
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", raw[:4096], re.IGNORECASE)
    label = declared.group(1).decode("ascii").lower() if declared else None
    candidates = [_CHARSET_ALIASES.get(label, label)] if label else []
    for encoding in (*candidates, "utf-8"):
        try:
            codecs.lookup(encoding)
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    # Pages that declare nothing and are not UTF-8 are almost always Windows-1252 (a superset of
    # Latin-1 that browsers use for both); decoding cannot fail, so the user still gets the text.
    return raw.decode("cp1252", errors="replace")


#: How many of a page's first paragraphs a wire story's byline may open ("By ... (Reuters) - ").
_WIRE_PARAGRAPHS = 3


def _authors(meta: dict, extracted: str | None, text: str, publisher: str | None) -> list[str]:
    """The page's authors: its metadata's, else the extractor's byline, else a field at the top
    of its text, else a wire story's byline; a page's publisher in its author field ("Al
    Jazeera") is no author. A scholarly page's ``citation_author`` reads "Last, First": only
    other fields lose what a comma adds (``_without_affiliation``)."""
    bylined = [a for a in map(clean, (extracted or "").split(";")) if a]
    wired = next(filter(None, map(wire_byline, text.split("\n\n")[:_WIRE_PARAGRAPHS])), [])
    tagged = meta.get("authors") or []
    tagged = tagged if meta.get("scholarly") else [_without_affiliation(a, publisher) for a in tagged]
    bylined = [_without_affiliation(a, publisher) for a in bylined]
    found = people(tagged) or people(bylined) or people(authors_near_top(text)) or wired
    return [a for a in found if a.lower() != (publisher or "").lower()]


def _without_affiliation(author: str, publisher: str | None) -> str:
    """An author field's name without the affiliation a comma adds to it: one word ("Victor
    Tangermann, Futurism"), letters in capitals ("Rachael Link, MS, RD", "Tom Krisher, AP Auto
    Writer") or a word of the publisher's name ("Jill Disis, CNN Business" on CNN). Kept whole:
    a second name or a list ("Ann Lee, Bo Kim", "..., Bo Kim and Cy Day"), a suffix ("Martin
    Luther King, Jr."), and a surname first ("Lee, Ann", "van der Berg, Anna")."""
    name, comma, rest = author.partition(",")
    words = rest.split()
    # A surname of one word, or one opening with a particle ("van der Berg, Anna"), comes first.
    surname = len(name.split()) < 2 or name.split()[0].islower()
    if not comma or surname or rest.strip().lower() in _SUFFIXES or {"and", "&"} & set(words):
        return author
    ours = {w.lower() for w in (publisher or "").replace(".", " ").split()} - tokens.STOPWORDS
    if len(words) == 1 or any(re.fullmatch(r"[A-Z]{2,}", w) for w in words) or ours & {w.lower() for w in words}:
        return name.strip()
    return author


def parse_html(html: str, path: str) -> Document:
    """Extract the main content and metadata of a page held in ``html`` (see module docstring).

    Args:
        html: the page's markup.
        path: the file name to report it under.

    Returns:
        The extracted ``Document``.

    Raises:
        ExtractionError: nothing readable is left once the page furniture is removed.
    """
    import trafilatura
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    meta = page_metadata(soup)
    found = trafilatura.bare_extraction(
        prepared(html),
        favor_precision=True,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        # htmldate's extensive search reads dates out of free text: "Copyright 2025" in a footer
        # became a publication date of 2025-01-01. Markup and URL dates only; a date printed near
        # the top of the text is still read below (``date_near_top``).
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    blocks = _blocks(found.body) if found is not None and found.body is not None else []
    if target := redirect_target(soup, "\n".join(text for _, text in blocks)):
        raise ExtractionError(path, f"a redirect to {target}, not a page: add that page instead")
    if not any(kind not in ("heading", "h1") and len(text) >= _MIN_TEXT for kind, text in blocks):
        raise ExtractionError(path, "no readable text found in the page")
    title = meta.get("title") or meta.get("h1_title") or meta.get("html_title") or clean(found.title or "") or None
    blocks = reference_blocks(_title_block(blocks, title))

    doc = Document(path=path, kind="html", text="")
    parts: list[str] = []
    offset = 0
    section = None
    for kind, text in blocks:
        if kind == "heading":
            section = text
        if parts:
            offset += 2
        parts.append(text)
        doc.blocks.append(Block(kind, offset, offset + len(text), section))
        offset += len(text)
    doc.text = "\n\n".join(parts)
    doc.references = [entry_reference(text) for kind, text in blocks if kind == "reference"]

    doc.publisher = meta.get("publisher") or publisher_name(found.sitename)
    doc.title = _without_site(title, doc.publisher)
    doc.url = meta.get("url") or (found.url if found.url and re.match(r"https?://", found.url) else None)
    doc.authors = _authors(meta, found.author, doc.text, doc.publisher)
    dated = _date_outside_code(html, doc.url) if found.date and not meta.get("date") else None
    doc.date = meta.get("date") or (machine_date(dated) if dated else None) or date_near_top(doc.text)
    return doc


def _without_site(title: str | None, publisher: str | None) -> str | None:
    """``title`` without the site's name that pages append to it ("Best tech gadgets of 2019 |
    ZDNet", "... - 9to5Mac"): a citation names the publisher already. Only the publisher's own
    name goes, as written or in its letters ("SpaceNews.com" for SpaceNews.com, "the Guardian"),
    not a section ("| Editorial") or another outlet's name."""
    if not title or not publisher:
        return title
    found = _SITE_AFTER.search(title)
    if found and _letters(found.group(1)) in (_letters(publisher), _letters(f"the {publisher}")):
        return title[: found.start()].rstrip() or title
    return title


def _letters(name: str) -> str:
    """A name's letters and digits, lower case: "Sportsnet.ca" and "sportsnet ca" alike."""
    return re.sub(r"[\W_]+", "", name.casefold())


def _title_block(blocks: list[tuple[str, str]], title: str | None) -> list[tuple[str, str]]:
    """The page's first top-level heading usually repeats its title: it is then the title, not
    the name of a section. Other headings name sections."""
    known = (title or "").casefold()
    first = next((i for i, (kind, _) in enumerate(blocks) if kind == "h1"), None)
    blocks = [("heading" if kind == "h1" else kind, text) for kind, text in blocks]
    if first is not None:
        heading = blocks[first][1].casefold()
        if not known or heading in known or known in heading:
            blocks[first] = ("title", blocks[first][1])
    return blocks


def _blocks(container) -> list[tuple[str, str]]:
    """``(kind, text)`` blocks of a container in trafilatura's output tree, in reading order.

    Text and inline elements between blocks (trafilatura's fallbacks return a ``div`` holding
    text and ``<lb/>`` directly) form paragraphs, a blank line ending each.
    """
    blocks: list[tuple[str, str]] = []
    inline = [_SPACES.sub(" ", container.text or "")]
    for element in container:
        if _is_block(element) or len(element) and element.tag not in _INLINE:
            blocks += _paragraphs("".join(inline))
            inline = []
            blocks += _block(element)
        else:
            inline.append("\n" if element.tag == "lb" else _element_text(element))
        inline.append(_SPACES.sub(" ", element.tail or ""))
    blocks += _paragraphs("".join(inline))
    return [(kind, text) for kind, text in blocks if text]


def _block(element) -> list[tuple[str, str]]:
    """The blocks of one block element of trafilatura's tree."""
    if element.tag == "head":
        return [("h1" if element.get("rend") == "h1" else "heading", clean(_element_text(element)))]
    if element.tag == "list":
        # Told apart until reference lists are found: the numbers of an <ol> are not in its text.
        return [("ordered" if element.get("rend") == "ol" else "list", "\n".join(_items(element, 0)))]
    if element.tag == "table" and _lays_out(element):
        # Older government pages lay out whole pages with tables: their cells are the page.
        return [block for cell in element.findall("row/cell") for block in _blocks(cell)]
    if element.tag == "table":
        rows = [" | ".join(_filled(clean(_element_text(cell)) for cell in row)) for row in element.iter("row")]
        return [("table", "\n".join(row for row in rows if row.strip(" |")))]
    if element.tag == "code":
        # A code block is one block, its lines and their indents kept (in Python an indent is
        # meaning); blank lines inside it end no paragraph.
        lines = (_code_line(line) for line in _element_text(element, spaced=False).split("\n"))
        return [("paragraph", "\n".join(line for line in lines if line))]
    if element.tag == "quote" and any(child.tag in _BLOCKS - {"quote"} for child in element.iter()):
        # A quotation holding a list or paragraphs is walked as any container is: read as one
        # paragraph, its list items lost their bullets and their own lines.
        return _blocks(element)
    if element.tag in ("p", "quote"):
        return _paragraphs(_element_text(element))
    return _blocks(element)


def _filled(cells) -> list[str]:
    """A row's cells without the empty ones ending it: a heading row spanning the table ("By
    changesets") leaves them."""
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _code_line(line: str) -> str:
    """A line of code with its indent (tabs as four spaces) and its text's spaces made single."""
    text = line.lstrip(" \t\u00a0")
    indent = line[: len(line) - len(text)].replace("\t", "    ").replace("\u00a0", " ")
    return indent + clean(text) if text.strip() else ""


def _is_block(element) -> bool:
    """Whether an element of trafilatura's tree stands apart from the text around it. A ``code``
    does when it holds a line break (a ``<pre>``, see ``html_markup``); otherwise it is inline
    code inside a sentence, which it must not cut."""
    if element.tag == "code":
        return element.find(".//lb") is not None
    return element.tag in _BLOCKS


def _paragraphs(text: str) -> list[tuple[str, str]]:
    """Paragraph blocks of text whose line breaks are meant: a blank line ends a paragraph."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [clean(line) for line in paragraph.split("\n")]
        out.append(("paragraph", "\n".join(line for line in lines if line)))
    return out


def _lays_out(table) -> bool:
    """Whether a table lays out a page rather than holding data: a cell holds headings, another
    table, or a long text."""
    return any(
        cell.find(".//head") is not None or cell.find(".//table") is not None or len(_element_text(cell)) > 600
        for cell in table.iter("cell")
    )


def _items(listing, depth: int) -> list[str]:
    """A list's items as bulleted lines, nested lists indented. An item's own lines (a code
    block's, a second paragraph's) go on under its bullet, indented as a nested item would be."""
    lines = []
    for item in listing.findall("item"):
        text = [line for line in map(clean, _element_text(item, skip="list").split("\n")) if line]
        if text:
            lines.append(f"{'  ' * depth}• {text[0]}")
            lines += [f"{'  ' * (depth + 1)}{line}" for line in text[1:]]
        for nested in item.findall("list"):
            lines += _items(nested, depth + 1)
    return lines


def _element_text(element, skip: str | None = None, spaced: bool = True) -> str:
    """The text of an element of trafilatura's tree. Line breaks in the markup are layout, not
    text: only ``<lb/>`` breaks a line, and a block inside (a paragraph in a cell) sits on its
    own line. Children tagged ``skip`` are left out (their tail text is kept). Runs of spaces are
    made one unless not ``spaced`` (code, whose indents are kept)."""
    space = (lambda text: _SPACES.sub(" ", text)) if spaced else (lambda text: text)
    parts = [space(element.text or "")]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif _is_block(child) and child.tag != skip:
            parts.append(f"\n{_element_text(child, skip, spaced)}\n")
        elif child.tag != skip:
            parts.append(_element_text(child, skip, spaced))
        parts.append(space(child.tail or ""))
    return "".join(parts)


def _date_outside_code(html: str, url: str | None) -> str | None:
    """htmldate's date for the page with its code samples left out: it took the ISO stamp of a
    sample's output ("atime: 2019-06-22T03:37") for the date of the Node.js docs page."""
    from htmldate import find_date

    without_code = re.sub(r"<(pre|code|samp|kbd|tt)\b.*?</\1\s*>", " ", html, flags=re.IGNORECASE | re.DOTALL)
    try:
        return find_date(without_code, url=url, extensive_search=False, original_date=True)
    except Exception:  # htmldate on a malformed page: the page is undated, not unreadable
        return None
