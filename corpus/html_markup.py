"""The markup of a web page, made explicit before trafilatura reads it, where trafilatura would
otherwise lose text or structure: a ``<pre>``'s line breaks, text straight in ``<body>``,
header-link glyphs, empty link targets inside headings, and the body of a document page with no
content container. Each change is measured on the benchmark of ``scripts/html_extraction_eval.py``.
"""

from __future__ import annotations

import re

# What documentation generators put in a link beside each heading to its own anchor (Sphinx's
# pilcrow, others' section sign, hash or link symbol): markup, not a word of the heading.
_LINK_GLYPHS = "\u00b6\u00a7#\U0001f517\u2693"
_SPACES = re.compile(r"\s+")
# HTML's inline (phrasing) elements: text and these, straight in <body>, make a paragraph.
_PHRASING = frozenset(
    "a abbr acronym b bdi bdo big br cite code data dfn em font i img kbd label mark nobr q s samp small span"
    " strike strong sub sup time tt u var wbr".split()
)


def prepared(html: str):
    """The page's tree, made explicit where trafilatura would lose its structure (or the markup
    itself when it does not parse as a page)."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return html
    for pre in tree.iter("pre"):
        _break_lines(pre)
    for link in tree.xpath("//a[starts-with(@href, '#')]"):
        if is_header_link(link.text_content()):
            link.drop_tree()
    # A heading wrapped in a link to itself (mdBook's <h2><a class="header" href="#x">Title</a>)
    # is a heading: as a link, trafilatura dropped it, and every section of such a page.
    for link in tree.xpath("(//h1|//h2|//h3|//h4|//h5|//h6)/a[starts-with(@href, '#')]"):
        link.drop_tag()
    # An empty <a name> or <a id> only marks a link target; inside a heading nested in a few
    # divs (DocBook's div.titlepage) it made trafilatura drop the heading, and every section.
    for anchor in tree.xpath("//a[not(@href) and not(node())]"):
        anchor.drop_tag()
    body = tree.find("body")
    if body is not None:
        _wrap_loose_text(body)
        _mark_content(tree, body)
    return tree


def _mark_content(tree, body) -> None:
    """Wrap in ``<main>`` the body of a document page: one where trafilatura finds no content
    container and that marks no furniture (nav, header, footer, aside) either, as generated
    manuals and hand-written pages do. trafilatura otherwise falls back to collecting paragraphs,
    code, quotes and tables, and every heading is lost: a DocBook manual had no sections. A page
    that marks its furniture is a site's template, and there the fallback kept less of it (on
    three benchmark pages, wrapping them too added a breadcrumb and a list of CSS names)."""
    from lxml.html import Element
    from trafilatura.xpaths import BODY_XPATH

    if tree.xpath("//nav|//header|//footer|//aside") or any(expression(tree) for expression in BODY_XPATH):
        return
    main = Element("main")
    main.text, body.text = body.text, None
    main.extend(list(body))
    body.append(main)


def _wrap_loose_text(body) -> None:
    """Put each run of text and inline elements straight in ``<body>`` into a ``<p>``, as a
    browser lays it out. trafilatura's fallback for pages without a content container keeps only
    paragraphs, code, quotes and tables: an old page's prose outside any <p> was dropped."""
    from lxml.html import Element

    paragraph = None
    if body.text and body.text.strip():
        paragraph = Element("p")
        paragraph.text, body.text = body.text, None
        body.insert(0, paragraph)
    for child in list(body)[1 if paragraph is not None else 0 :]:
        if not isinstance(child.tag, str) or child.tag in _PHRASING:
            # Comments go along with the run they sit in: their tail is its text.
            if paragraph is None:
                paragraph = Element("p")
                child.addprevious(paragraph)
            paragraph.append(child)
            continue
        paragraph = None
        if child.tail and child.tail.strip():
            paragraph = Element("p")
            paragraph.text, child.tail = child.tail, None
            child.addnext(paragraph)


def _break_lines(pre) -> None:
    """Turn the line breaks of a ``<pre>`` into ``<br>``: trafilatura keeps those as ``<lb/>``,
    the one line break citeqa reads as text, while a newline elsewhere in markup is only layout
    (without this a code listing came out on one line)."""
    for node in list(pre.iter()):
        # A comment's text is not the page's; its tail is.
        if isinstance(node.tag, str) and node.text and "\n" in node.text:
            node.text, *lines = node.text.split("\n")
            _insert_breaks(node, 0, lines)
        if node is not pre and node.tail and "\n" in node.tail:
            node.tail, *lines = node.tail.split("\n")
            parent = node.getparent()
            _insert_breaks(parent, parent.index(node) + 1, lines)


def _insert_breaks(parent, at: int, lines: list[str]) -> None:
    """Insert into ``parent``, from child ``at`` on, a ``<br>`` before each of ``lines``."""
    from lxml.html import Element

    for offset, line in enumerate(lines):
        br = Element("br")
        br.tail = line
        parent.insert(at + offset, br)


def is_header_link(text: str) -> bool:
    """Whether a link's text is only a header-link glyph (see ``_LINK_GLYPHS``)."""
    return bool(text.strip()) and not text.strip().strip(_LINK_GLYPHS).strip()


def headline(soup, page_title: str) -> str | None:
    """The first ``<h1>`` when the ``<title>`` holds it ("Headline | Site" over "Headline"): the
    headline without guessing which part of the title is the site's name. An ``<h1>`` the title
    does not hold names a section ("Abstract" in a manual) or the site, not the page."""
    parts = [part.strip().casefold() for part in re.split(r"\s+[|–—:-]{1,2}\s+", page_title)]
    # A content heading that is the title's first part ("Stream [src]" with its source link) shows
    # that part is the page's own title, whatever the first <h1> says: "File system | Node.js v20
    # Documentation" under the <h1> "Node.js v20 documentation", or mdBook's "Lint Levels - The
    # rustc book" under the book's name. Not a menu's or a banner's ("News", the site's name).
    if len(parts) > 1 and any(
        re.sub(r"\s*\[[^\]]*\]", "", _heading_text(h)).casefold() == parts[0]
        and h.find_parent(["nav", "footer", "aside"]) is None
        # A page's own <header> holds the site's banner; an article's holds its headline.
        and (h.find_parent("header") is None or h.find_parent(["article", "main"]) is not None)
        for h in soup.find_all(["h1", "h2"])
    ):
        return re.split(r"\s+[|–—:-]{1,2}\s+", page_title)[0].strip()
    h1 = soup.find("h1")
    text = _heading_text(h1) if h1 is not None else ""
    if not text or not re.search(rf"(?<!\w){re.escape(text.casefold())}(?!\w)", page_title.casefold()):
        return None
    # The site's name is no headline: "Dialogue held in Tokyo | The Daily Planet" with the logo's
    # <h1> "The Daily Planet", a later part shorter than the first. Sites that put their name
    # first ("Ministry of External Affairs | Joint Statement on ...") have the longer part later.
    # Nor is a lone word the title happens to hold.
    site = text.casefold() in parts[1:] and len(text) < len(parts[0])
    return None if site or len(text.split()) < 2 else text


def _heading_text(heading) -> str:
    """A heading element's text, without its header-link glyphs ("¶", "#")."""
    words = heading.find_all(string=True)
    return _SPACES.sub(" ", " ".join(w for w in words if not (w.parent.name == "a" and is_header_link(w)))).strip()
