"""HTML ingestor: the main content of a saved web page, without its menus and furniture.

Government and news pages wrap a few paragraphs of release text in navigation, breadcrumbs,
share buttons, cookie banners, "related" lists, font-size widgets and footers. This module drops
those by element (``nav``, ``aside``, forms, scripts...), by ARIA role and by class/id tokens
(``breadcrumb``, ``cookie``, ``share``...), then picks the element holding the page's prose
(``main``, ``article``, a content-named container, else the densest block of paragraphs) and
walks it into heading, paragraph, list and table blocks. Link-dense blocks left inside (lists of
related links) are dropped too. Title, publisher, date, URL and authors come from the page's
metadata where present (Open Graph, citation/Dublin Core tags, JSON-LD), falling back to the
visible heading and a date line near the top of the content.

The document text is built from the blocks (joined by blank lines), so offsets point into it.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

from corpus.dates import DATE_IN_TEXT, date_from_match, parse_date
from corpus.model import Block, Document, ExtractionError

_DROPPED_TAGS = [
    "script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select",
    "input", "textarea", "nav", "aside", "dialog", "object", "embed", "canvas", "map", "link",
    "meta",
]
_DROPPED_ROLES = {
    "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
    "dialog", "alertdialog", "toolbar",
}
# Class or id tokens of page furniture; matched as whole tokens ("share-bar", "cookie_notice").
_BOILERPLATE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|megamenu|breadcrumbs?|crumbs?|cookies?|consent|gdpr|"
    r"share|sharing|sharethis|social|socials|related|comments?|disqus|newsletter|subscribe|"
    r"adverts?|advertisement|ads|sponsor|sidebar|pagination|pager|skip|skiplink|"
    r"font-?size|fontsize|accessibility|print|language|lang|translate|widget|promo|popup|modal|"
    r"toolbar|tags|tagcloud|rating|feedback|footer|masthead|topbar|utility|login|search)"
    r"(?:$|[-_\s])",
    re.IGNORECASE,
)
_CONTENT = re.compile(
    r"(?:^|[-_\s])(?:content|main|article|story|post|entry|body|text|release|press|detail|"
    r"field-item|innercontent|maincontent|main-content|page-content)(?:$|[-_\s])",
    re.IGNORECASE,
)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "blockquote", "pre", "address",
    "figure", "figcaption", "ul", "ol", "dl", "dt", "dd", "li", "table", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "center", "details", "summary", "fieldset",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Short lines that are controls, not content, even when they sit inside the main element.
_FURNITURE_LINE = re.compile(
    r"^(?:share( this)?|print( this page)?|back( to top)?|top|email|tweet|follow us.*|read more|"
    r"skip to (main )?content|font size.*|a\+?\s*a\s*a-?|download( pdf)?|share on \w+|"
    r"last updated.*|visitors?:?\s*\d[\d,]*|page last updated.*|\W*)$",
    re.IGNORECASE,
)
_DATE_META = (
    "article:published_time", "citation_publication_date", "citation_date", "dc.date",
    "dc.date.issued", "dcterms.date", "dcterms.created", "dcterms.issued", "date", "pubdate",
    "publishdate", "publication_date", "og:published_time", "datepublished", "sailthru.date",
    "parsely-pub-date",
)
_TITLE_META = ("citation_title", "og:title", "dc.title", "dcterms.title", "twitter:title")
_PUBLISHER_META = ("og:site_name", "citation_publisher", "dc.publisher", "dcterms.publisher", "publisher")
_MIN_TEXT = 20
# Labels browsers read differently from Python's codecs (WHATWG Encoding): Latin-1 and ASCII
# labels mean Windows-1252, a declared UTF-16 without a BOM cannot be right in an ASCII-compatible
# file, and GB2312 pages hold GBK bytes.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
    "utf-16be": "utf-8", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "x-sjis": "shift_jis", "sjis": "shift_jis", "shift-jis": "shift_jis", "windows-31j": "cp932",
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
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
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
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    meta = _metadata(soup)
    _remove_furniture(soup)
    root = _main_element(soup)
    blocks = _Walker().walk(root) if root is not None else []
    blocks = [(kind, text) for kind, text in blocks if not _is_furniture(kind, text)]
    if not any(kind != "heading" and len(text) >= _MIN_TEXT for kind, text in blocks):
        raise ExtractionError(path, "no readable text found in the page")

    # The page's first heading usually repeats its title: it is the title, not a section name.
    known = _clean(meta.get("title") or meta.get("html_title") or "").casefold()
    first_h1 = next((i for i, (kind, _) in enumerate(blocks) if kind == "h1"), None)
    blocks = [("heading" if kind == "h1" else kind, text) for kind, text in blocks]
    if first_h1 is not None:
        heading = blocks[first_h1][1].casefold()
        if not known or heading in known or known in heading:
            blocks[first_h1] = ("title", blocks[first_h1][1])

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

    titles = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "title"]
    doc.title = meta.get("title") or (titles[0] if titles else None) or meta.get("html_title")
    doc.publisher = meta.get("publisher")
    doc.url = meta.get("url")
    doc.authors = meta.get("authors", [])
    doc.date = meta.get("date") or _date_near_top(doc.text)
    return doc


def _metadata(soup) -> dict:
    """Title, publisher, date, canonical URL and authors from the page's head and JSON-LD."""
    tags: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        value = (tag.get("content") or "").strip()
        if key and value:
            tags.setdefault(key, []).append(value)
    found: dict = {}
    ld = _json_ld(soup)

    def first(keys):
        return next((tags[k][0] for k in keys if k in tags), None)

    found["title"] = _clean(first(_TITLE_META) or ld.get("headline") or "") or None
    if soup.title and soup.title.string:
        found["html_title"] = _strip_site_name(_clean(soup.title.string)) or None
    found["publisher"] = _clean(first(_PUBLISHER_META) or ld.get("publisher") or "") or None
    for value in [*(tags[k][0] for k in _DATE_META if k in tags), ld.get("datePublished")]:
        date = _machine_date(value) if value else None
        if date:
            found["date"] = date
            break
    if "date" not in found:
        time = soup.find("time", attrs={"datetime": True})
        if time is not None:
            found["date"] = _machine_date(time["datetime"])
    canonical = soup.find("link", rel=lambda rel: rel and "canonical" in [r.lower() for r in (rel if isinstance(rel, list) else [rel])])
    for url in ((canonical.get("href") if canonical else None), first(("og:url",)), ld.get("url")):
        if url and re.match(r"https?://", url.strip(), re.IGNORECASE):
            found["url"] = url.strip()
            break
    authors = tags.get("citation_author") or tags.get("author") or tags.get("dc.creator") or ld.get("authors") or []
    found["authors"] = [_clean(a) for a in authors if _clean(a) and not a.startswith("http")]
    return found


def _json_ld(soup) -> dict:
    """The first article-like JSON-LD object's headline, date, publisher, URL and authors."""
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if not isinstance(item, dict) or not (item.get("headline") or item.get("datePublished")):
                continue
            authors = item.get("author") or []
            return {
                "headline": _ld_string(item.get("headline")),
                "datePublished": _ld_string(item.get("datePublished")),
                "url": _ld_string(item.get("url")),
                "publisher": _ld_string(item.get("publisher")),
                "authors": [a for a in map(_ld_string, authors if isinstance(authors, list) else [authors]) if a],
            }
    return {}


def _ld_string(value) -> str | None:
    """A JSON-LD value as text: pages put strings, lists and ``{"name": ...}`` objects anywhere."""
    if isinstance(value, list):
        return next((text for text in map(_ld_string, value) if text), None)
    if isinstance(value, dict):
        return _ld_string(value.get("name") or value.get("@id") or value.get("url"))
    return value.strip() or None if isinstance(value, str) else None


def _remove_furniture(soup) -> None:
    """Delete elements that are page furniture by tag, role or class/id token."""
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(["header", "footer"]):
        # A header or footer inside the article belongs to it (its title, its date line).
        if tag.find_parent(["article", "main"]) is None:
            tag.decompose()
    total = len(soup.get_text(" ", strip=True)) or 1
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in {"html", "body", "main", "article"}:
            continue
        role = (tag.get("role") or "").lower()
        names = " ".join([*tag.get("class", []), tag.get("id") or ""])
        if role in _DROPPED_ROLES or (names.strip() and _BOILERPLATE.search(names)):
            # A wrapper whose class happens to say "has-sidebar" may hold the whole page: never
            # drop one that holds the article, its heading or the bulk of the page's text.
            if tag.find("main") or tag.find(attrs={"role": "main"}):
                continue
            # Teasers of other articles go even when marked up as <article>s; the bulk of the
            # page's text stays whatever its wrapper is called.
            if _link_density(tag) > 0.5 or len(tag.get_text(" ", strip=True)) < 0.5 * total:
                tag.decompose()


def _main_element(soup):
    """The element holding the page's prose."""
    body = soup.body or soup
    candidates = body.find_all("main") + body.find_all(attrs={"role": "main"}) + body.find_all("article")
    candidates += [
        tag for tag in body.find_all(["div", "section", "td"])
        if _CONTENT.search(" ".join([*tag.get("class", []), tag.get("id") or ""]))
    ]
    total = _prose_length(body)
    # The outermost named container holding the most prose (so the heading and date line above a
    # "release-body" div come along); trusted when it holds most of the page's prose, otherwise
    # (a "content" div wrapping one teaser) the densest element wins.
    best = max(candidates, key=_prose_length, default=None)
    if best is not None and total and _prose_length(best) >= 0.6 * total:
        return best
    return _densest(body) or body


def _prose_length(tag) -> int:
    """Characters of text not inside links."""
    return len(tag.get_text(" ", strip=True)) - sum(len(a.get_text(" ", strip=True)) for a in tag.find_all("a"))


def _own_text(tag) -> str:
    """Text that sits directly in the element (pages that use ``<br>`` instead of ``<p>``)."""
    from bs4 import NavigableString

    return " ".join(s.strip() for s in tag.children if isinstance(s, NavigableString) and s.strip())


def _densest(body):
    """Readability-style: credit each paragraph's text to its parent and grandparent."""
    scores: dict[int, tuple[float, object]] = {}
    for p in body.find_all(["p", "pre", "td", "br"]):
        if p.name == "td" and p.find(["p", "div", "table"]):
            continue  # a layout cell: its paragraphs are scored themselves
        text = p.get_text(" ", strip=True) if p.name != "br" else _own_text(p.parent)
        if len(text) < 25:
            continue
        # Commas mark prose, but a comma-separated list of names is not an article: cap them.
        score = 1 + min(text.count(","), 3) + min(len(text) / 100, 3)
        for depth, ancestor in enumerate([p.parent, p.parent.parent if p.parent else None]):
            if ancestor is None or ancestor.name in {"html", "[document]"}:
                continue
            previous = scores.get(id(ancestor), (0.0, ancestor))[0]
            scores[id(ancestor)] = (previous + score / (1 + depth), ancestor)
    if not scores:
        return None
    return max(scores.values(), key=lambda pair: pair[0] * (1 - _link_density(pair[1])))[1]


def _link_density(tag) -> float:
    text = len(tag.get_text(" ", strip=True))
    return sum(len(a.get_text(" ", strip=True)) for a in tag.find_all("a")) / text if text else 0.0


class _Walker:
    """Turns an element tree into ``(kind, text)`` blocks in reading order."""

    def __init__(self):
        self.blocks: list[tuple[str, str]] = []
        self.inline: list[str] = []
        self.links = 0

    def walk(self, root) -> list[tuple[str, str]]:
        """Return the blocks under ``root``."""
        self._children(root)
        self._flush()
        return self.blocks

    def _children(self, tag) -> None:
        from bs4 import Comment, NavigableString

        for child in tag.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                # Line breaks in the markup are layout, not text: only <br> breaks a line.
                self.inline.append(re.sub(r"\s+", " ", str(child)))
            elif child.name == "br":
                self.inline.append("\n")
            elif child.name in _HEADINGS:
                self._flush()
                self._emit("h1" if child.name == "h1" else "heading", _text(child))
            elif child.name in {"ul", "ol"}:
                self._flush()
                self._list(child)
            elif child.name == "table":
                self._flush()
                self._table(child)
            elif child.name == "pre":
                self._flush()
                self._emit("paragraph", child.get_text().strip("\n"))
            elif child.name == "figcaption":
                self._flush()
                self._emit("caption", _text(child))
            elif child.name in _BLOCK_TAGS:
                self._flush()
                self._children(child)
                self._flush()
            else:
                if child.name == "a":
                    self.links += len(child.get_text(strip=True))
                    self.inline.append(_text(child, clean=False))
                else:
                    self._children(child)

    def _flush(self) -> None:
        """End the current run of inline text; ``<br><br>`` splits it into paragraphs."""
        text = "".join(self.inline)
        links, self.inline, self.links = self.links, [], 0
        lines = [_clean(line) for line in text.split("\n")]
        paragraph: list[str] = []
        paragraphs = []
        for line in lines + [""]:
            if line:
                paragraph.append(line)
            elif paragraph:
                paragraphs.append("\n".join(paragraph))
                paragraph = []
        total = sum(len(p) for p in paragraphs) or 1
        if links / total > 0.7:
            return
        for paragraph in paragraphs:
            self._emit("paragraph", paragraph)

    def _emit(self, kind: str, text: str) -> None:
        if text:
            self.blocks.append((kind, text))

    def _list(self, tag) -> None:
        items, linked, total = [], 0, 0
        for li in tag.find_all("li"):
            depth = _list_depth(li, tag)
            text = _text(li, skip=frozenset({"ul", "ol"}))
            if text:
                items.append(f"{'  ' * depth}• {text}")
                total += len(text)
                linked += sum(len(a.get_text(" ", strip=True)) for a in li.find_all("a"))
        # A list that is mostly links is a menu or "related" box, not content.
        if items and linked / max(total, 1) < 0.6:
            self._emit("list", "\n".join(items))

    def _table(self, tag) -> None:
        # Older government pages lay out whole pages with tables: recurse into those.
        cells = tag.find_all(["td", "th"])
        if tag.find(["table", "h1", "h2", "h3", "h4"]) or any(len(c.get_text(" ", strip=True)) > 600 for c in cells):
            for cell in tag.find_all(["td", "th"]):
                if cell.find_parent("table") is tag:
                    self._children(cell)
                    self._flush()
            return
        rows = []
        for row in tag.find_all("tr"):
            cells = [_text(cell) for cell in row.find_all(["td", "th"])]
            if any(cells):
                rows.append(" | ".join(cells))
        caption = tag.find("caption")
        if caption is not None and _text(caption):
            self._emit("caption", _text(caption))
        self._emit("table", "\n".join(rows))


def _text(tag, clean: bool = True, skip: frozenset = frozenset()) -> str:
    """The text of ``tag`` with spaces only where blocks or ``<br>`` separate it, so inline markup
    inside a word ("Econ<em>omic</em>") does not split it. Elements named in ``skip`` are left out."""
    parts: list[str] = []
    _collect(tag, parts, skip)
    text = "".join(parts)
    return _clean(text) if clean else re.sub(r"\s+", " ", text)


def _collect(tag, parts: list[str], skip: frozenset) -> None:
    from bs4 import NavigableString

    for child in tag.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, CDATA or doctype
                parts.append(str(child))
        elif child.name not in skip:
            block = child.name == "br" or child.name in _BLOCK_TAGS
            parts.append(" " if block else "")
            _collect(child, parts, skip)
            parts.append(" " if block else "")


def _list_depth(item, root) -> int:
    """How many lists ``item`` is nested in below ``root`` (0 for an item of ``root`` itself)."""
    depth = 0
    for parent in item.parents:
        if parent is root:
            return depth
        depth += parent.name in ("ul", "ol")
    return depth


def _is_furniture(kind: str, text: str) -> bool:
    return kind != "heading" and len(text) < 60 and bool(_FURNITURE_LINE.match(text))


def _clean(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _strip_site_name(title: str) -> str:
    """``"Joint Statement | Ministry of External Affairs"`` -> ``"Joint Statement"``.

    Pages put their own title first and the site's name after; a very short first part
    ("Home | ...", "News - ...") is a section, and then the longest part is the title.
    """
    parts = [part.strip() for part in re.split(r"\s+[|–—:-]{1,2}\s+", title) if part.strip()]
    if not parts:
        return title
    return parts[0] if len(parts[0]) >= 15 else max(parts, key=len)


def _machine_date(value: str) -> str | None:
    """Dates in metadata: ``2026-05-11T08:30:00+05:30``, ``2026/06/02``, or prose forms."""
    match = re.match(r"\s*(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?!\d)", value)
    if match:
        year, month, day = match.groups()
        if 1 <= int(month) <= 12 and (day is None or 1 <= int(day) <= 31):
            return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return parse_date(value)


def _date_near_top(text: str) -> str | None:
    """A date in the first lines of the content, where release pages print their date."""
    match = DATE_IN_TEXT.search(text[:400])
    if match is None or match.group("y4"):
        return None
    return date_from_match(match)
