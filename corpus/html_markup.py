"""The markup of a web page, made explicit before trafilatura reads it, where trafilatura would
otherwise lose text or structure: a ``<pre>``'s line breaks, text straight in ``<body>``,
header-link glyphs, link targets inside headings, the body of a document page with no content
container, and inside the main content what trafilatura drops for its name or its links (sections
named "menu" or "meta", short sections behind nav headers, headings linking to other pages, data
tables of links, lists in table cells). Each change is measured on the benchmark of ``scripts/html_extraction_eval.py``.
"""

from __future__ import annotations

import re

# What documentation generators put in a link beside each heading to its own anchor (Sphinx's
# pilcrow, others' section sign, hash or link symbol): markup, not a word of the heading.
_LINK_GLYPHS = "\u00b6\u00a7#\U0001f517\u2693"
_SPACES = re.compile(r"\s+")
# The shortest loose text in a content container's <div> kept as a paragraph: a sentence or two,
# not a label. On the benchmark, shorter runs (captions, bylines) cost precision: 40 characters
# scored 0.0021 F1 lower than 100.
_SHORTEST_LOOSE = 100
# The words in an id or class by which trafilatura takes a section of a manual for a site's menu.
_NAMING = re.compile("menu|nav|meta", re.IGNORECASE)
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
    # A <details> box's <summary> labels the box ("History"); trafilatura made it a heading, and
    # it then named the section of all that followed, in place of the section's own heading.
    for summary in tree.iter("summary"):
        summary.tag = "p"
    for link in tree.xpath("//a[starts-with(@href, '#')]"):
        if is_header_link(link.text_content()):
            link.drop_tree()
    # A heading wrapped in a link to itself (mdBook's <h2><a class="header" href="#x">Title</a>)
    # is a heading: as a link, trafilatura dropped it, and every section of such a page.
    for link in tree.xpath("(//h1|//h2|//h3|//h4|//h5|//h6)/a[starts-with(@href, '#')]"):
        link.drop_tag()
    # An <a name> or <a id> only marks a link target, yet trafilatura weighs it as a link: inside
    # a heading (DocBook's div.titlepage, expat's <h2><a name>Title</a>) it dropped the heading.
    for anchor in tree.xpath("//a[not(@href)]"):
        anchor.drop_tag()
    for table in tree.iter("table"):
        _open_table(table)
    body = tree.find("body")
    if body is not None:
        _wrap_loose_text(body)
        if _mark_content(tree, body):
            # A document page lays prose straight in divs too (expat's div.fcndef), and so lost
            # it; in a site's content container loose text is mostly captions and bylines.
            for division in body.iter("div"):
                _wrap_loose_text(division)
    root = _content_root(tree)
    if root is not None:
        _keep_content(root)
    return tree


def _content_root(tree):
    """The element trafilatura will take for the main content (its first ``BODY_XPATH`` match),
    or None when it will fall back to collecting paragraphs from the whole page."""
    from trafilatura.xpaths import BODY_XPATH

    return next((found[0] for expression in BODY_XPATH if (found := expression(tree))), None)


def _keep_content(root) -> None:
    """Keep, inside the main content, what trafilatura drops for its name, its links or its
    markup rather than for what it holds; site menus outside the content are not touched."""
    _keep_named_content(root)
    _wrap_loose_sentences(root)
    _unlink_headings(root)
    _unwrap_short_sections(root)


def _keep_named_content(root) -> None:
    """Strip the id and class words naming a menu, navigation or metadata from elements of the
    content that are mostly text: trafilatura's boilerplate filters match them, while in a manual
    they name content, IDLE's section "Menus" or Node's "Added in" notes (``api_metadata``). A menu
    of links inside the content is still boilerplate, and so is whatever another word names (a
    newsletter sign-up)."""
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH

    for element in OVERALL_DISCARD_XPATH[0](root):
        names = " ".join(element.get(name, "") for name in ("id", "class", "role"))
        if element is root or not _NAMING.search(names) or _mostly_links(element):
            continue
        for name in ("id", "class", "role"):
            kept = [word for word in element.get(name, "").split() if not _NAMING.search(word)]
            if kept:
                element.set(name, " ".join(kept))
            else:
                element.attrib.pop(name, None)
        # Node's notes are a bare <span> in the div: kept, that div is content like a <p>.
        _wrap_loose_text(element)


def _wrap_loose_sentences(root) -> None:
    """Make paragraphs of text straight in the content's divs (expat's function descriptions in
    div.fcndef), when the text is at least a sentence long (``_SHORTEST_LOOSE``)."""
    for division in list(root.iter("div")):
        for paragraph in _wrap_loose_text(division):
            if len(_SPACES.sub(" ", paragraph.text_content()).strip()) < _SHORTEST_LOOSE:
                paragraph.drop_tag()


def _unlink_headings(root) -> None:
    """Make plain a heading that is only a link to another page (npm's "npm ci" naming its
    command's page): it still names its section, and trafilatura dropped it as a link."""
    for link in root.xpath(".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]/a"):
        heading = link.getparent()
        if len(heading.findall(".//a")) == 1 and heading.text_content().strip() == link.text_content().strip():
            link.drop_tag()


def _unwrap_short_sections(root) -> None:
    """Unwrap a short section (a div or section holding a heading) that is mostly text: with a
    nav header of links to the next one (Texinfo's), trafilatura's link-density test dropped the
    whole section. It weighs links only in an element under 300 characters, and unwrapping longer
    sections too measured worse on the benchmark."""
    for section in root.xpath(".//*[self::div or self::section][h1|h2|h3|h4|h5|h6][.//a]"):
        if len(_SPACES.sub(" ", section.text_content())) < 300 and not _mostly_links(section):
            section.drop_tag()


def _open_table(table) -> None:
    """Make a table's content plain where trafilatura drops it. A table with a header row holds
    data, and its links are data too (a list of teams linking each to its page and address):
    trafilatura dropped it as a link farm, and a page that was only that table was refused. Its
    links become text. A list in a cell (an FAQ laid out as a table) becomes paragraphs, as
    trafilatura keeps lists in cells only when it favours recall."""
    if table.xpath("./tr/th|./thead/tr/th|./tbody/tr[1]/th"):
        for link in list(table.iter("a")):
            if next(link.iterancestors("table")) is table:
                link.drop_tag()
    for item in table.xpath(".//td//li|.//th//li"):
        for paragraph in item.findall("p"):
            paragraph.drop_tag()
        item.tag = "p"
    for listing in table.xpath(".//td//*[self::ul or self::ol]|.//th//*[self::ul or self::ol]"):
        listing.drop_tag()


def _mostly_links(element) -> bool:
    """Whether links hold at least half of an element's text."""
    text = len(_SPACES.sub("", element.text_content()))
    links = sum(len(_SPACES.sub("", link.text_content())) for link in element.iter("a"))
    return links * 2 >= text


def _mark_content(tree, body) -> bool:
    """Whether the page is a document page, and then wrap in ``<main>`` the body of a document page: one where trafilatura finds no content
    container and that marks no furniture (nav, header, footer, aside) either, as generated
    manuals and hand-written pages do. trafilatura otherwise falls back to collecting paragraphs,
    code, quotes and tables, and every heading is lost: a DocBook manual had no sections. A page
    that marks its furniture is a site's template, and there the fallback kept less of it (on
    three benchmark pages, wrapping them too added a breadcrumb and a list of CSS names)."""
    from lxml.html import Element
    from trafilatura.xpaths import BODY_XPATH

    if tree.xpath("//nav|//header|//footer|//aside") or any(expression(tree) for expression in BODY_XPATH):
        return False
    main = Element("main")
    main.text, body.text = body.text, None
    main.extend(list(body))
    body.append(main)
    return True


def _wrap_loose_text(body) -> list:
    """Put each run of text and inline elements straight in ``body`` (the page's ``<body>`` or a
    ``<div>``) into a ``<p>``, as a browser lays it out. trafilatura's fallback for pages without
    a content container keeps only paragraphs, code, quotes and tables: an old page's prose
    outside any <p> was dropped. Returns the paragraphs made."""
    from lxml.html import Element

    paragraph = None
    made = []
    if body.text and body.text.strip():
        paragraph = Element("p")
        paragraph.text, body.text = body.text, None
        body.insert(0, paragraph)
        made.append(paragraph)
    for child in list(body)[1 if paragraph is not None else 0 :]:
        if not isinstance(child.tag, str) or child.tag in _PHRASING:
            # Comments go along with the run they sit in: their tail is its text.
            if paragraph is None:
                paragraph = Element("p")
                child.addprevious(paragraph)
                made.append(paragraph)
            paragraph.append(child)
            continue
        paragraph = None
        if child.tail and child.tail.strip():
            paragraph = Element("p")
            paragraph.text, child.tail = child.tail, None
            child.addnext(paragraph)
            made.append(paragraph)
    return made


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
