"""The markup of a web page, made explicit before trafilatura reads it, where trafilatura would
otherwise lose text or structure: a ``<pre>``'s line breaks, code nested in code, exponents,
text straight in ``<body>`` (and in the divs of a document page), header-link glyphs, link
targets inside headings, empty inline elements that cost the rest of their paragraph, the body
of a document page with no content container, an article body split by ads, and inside the
main content the blocks trafilatura drops for their name ("menus", "api_metadata") and lists
(``html_lists``). The two steps on blocks and cell lists cost at most 0.0001 of
``scripts/html_extraction_eval.py``'s F1 each (each turned off in turn); the empty inline
elements and the split body gained 3 and 2 of its pages; the others changed no page of it.
Also here: whether a page is only a redirect notice.
"""

from __future__ import annotations

import re

from citeqa.corpus.html_code import as_one_code, break_lines
from citeqa.corpus.html_lists import in_code, join_field_lists, keep_announced_lists, open_cell_lists

# What documentation generators put in a link beside each heading to its own anchor (Sphinx's
# pilcrow, others' section sign, hash or link symbol): markup, not a word of the heading.
_LINK_GLYPHS = "\u00b6\u00a7#\U0001f517\u2693"
_SPACES = re.compile(r"\s+")
# The words of an id or class (split at spaces, hyphens and underscores) by which trafilatura
# takes a section of a manual for a site's menu. Whole words only: as substrings they matched
# "hljs-meta" (a shell prompt's "$" in Node's code), "canvas" and "unavailable".
_NAMING = frozenset("menu menus nav navigation meta metadata".split())
_NAME_PARTS = re.compile(r"[\s_-]+")
# The containers whose names are stripped: blocks a section of text is laid out in. An inline
# element or anything inside <pre> or <code> is markup of a line, whose name is not a section's.
_NAMED_BLOCKS = frozenset("article div dl ol p section ul".split())
# What a superscript holds when it is an exponent: a signed number.
_POWER = re.compile(r"[-+\u2212]?\d+(?:\.\d+)?")
# A redirect page's notice is a line or two ("This page has moved to ...; follow this link if
# your browser does not go there"): longer text is the page's own.
_NOTICE = 200
# HTML's inline (phrasing) elements: text and these, straight in <body>, make a paragraph.
_PHRASING = frozenset(
    "a abbr acronym b bdi bdo big br cite code data dfn em font i img kbd label mark nobr q s samp small span"
    " strike strong sub sup time tt u var wbr".split()
)


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# How much text a linked heading must stand over to head an article rather than tease one.
_PROSE = 600
# A paragraph this long is a story's prose, not a teaser's or a caption's (``_join_split_body``).
_SPLIT_PROSE = 200
# Where a container is no part of the story whatever its class.
_OUTSIDE_STORY = "ancestor::footer|ancestor::aside|ancestor::nav"


# DocBook's authors: headings of class "author" ("AUTHOR", "author vcard").
_DOCBOOK_AUTHORS = (
    "//*[self::h1 or self::h2 or self::h3 or self::h4]"
    "[contains(concat(' ', translate(normalize-space(@class), 'AUTHOR', 'author'), ' '), ' author ')]"
)


def prepared(html: str):
    """The page's tree, made explicit where trafilatura would lose its structure (or the markup
    itself when it does not parse as a page)."""
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return html
    for pre in tree.iter("pre"):
        # A <pre> is code whether or not a <code> holds all of it: trafilatura made the rest a
        # quotation, or read a line break before the <code>, and dropped every line's indent.
        as_one_code(pre)
        break_lines(pre)
    # A <code> inside another is part of the same code (DocBook's placeholder in a type,
    # <code>varchar(<em><code>n</code></em>)</code>); trafilatura moved it, and the text after
    # it, out of place: "varchar( than to n)char(.".
    for inner in tree.xpath("//code//code"):
        inner.drop_tag()
    _mark_powers(tree)
    # A <details> box's <summary> labels the box ("History"), and DocBook's author under the title
    # is a heading in form only: as headings, they named the sections of all that followed.
    for paragraph in [*tree.iter("summary"), *tree.xpath(_DOCBOOK_AUTHORS)]:
        paragraph.tag = "p"
    _unwrap_links(tree)
    body = tree.find("body")
    if body is not None:
        _wrap_loose_text(body)
        if _mark_content(tree, body):
            # A document page with no content container lays prose straight in divs too, and so
            # lost it; in a site's content container (expat's reference has div.content, so its
            # div.fcndef prose is still partly lost) loose text is mostly captions and bylines.
            for division in body.iter("div"):
                _wrap_loose_text(division)
    root = _content_root(tree)
    if root is not None:
        _join_split_body(tree, root)
        _keep_named_content(root)
        open_cell_lists(root)
        keep_announced_lists(root)
        join_field_lists(root)
    return tree


def _unwrap_links(tree) -> None:
    """Links and empty inline elements trafilatura would misread, unwrapped or dropped."""
    for link in tree.xpath("//a[starts-with(@href, '#')]"):
        if is_header_link(link.text_content()):
            link.drop_tree()
    # A heading wrapped in a link (mdBook's <h2><a class="header" href="#x">Title</a>, a weekly's
    # <h2><a href="/Articles/1/">Title</a> over each article) is a heading: as a link,
    # trafilatura dropped it, and every section of such a page.
    for link in tree.xpath("(//h1|//h2|//h3|//h4|//h5|//h6)/a"):
        heading = link.getparent()
        if heading.text_content().split() == link.text_content().split() and (
            link.get("href", "").startswith("#") or _heads_prose(heading)
        ):
            link.drop_tag()
    # A quoted table (a weekly quoting statistics in a <blockquote>) is a table: trafilatura
    # dropped its rows and ran its cells together ("By changesetsHerbert Dürr6316.6%").
    for quote in tree.xpath("//blockquote[.//table]"):
        quote.drop_tag()
    # An <a name> or <a id> only marks a link target, yet trafilatura weighs it as a link: inside
    # a heading (DocBook's div.titlepage, expat's <h2><a name>Title</a>) it dropped the heading.
    for anchor in tree.xpath("//a[not(@href)]"):
        anchor.drop_tag()
    # An empty <span>, <i>, <b>, <em> or <strong> (WordPress's <span id="more-123"></span>, an icon
    # font's <i class="icon"></i>) made trafilatura drop the rest of its paragraph in precision mode.
    for empty in tree.xpath("//*[self::span or self::i or self::b or self::em or self::strong][not(node())]"):
        empty.drop_tag()


def _heads_prose(heading) -> bool:
    """Whether a heading stands over prose of its own (an article, not a teaser's line or two):
    what follows it up to the next heading is long."""
    length = 0
    for sibling in heading.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag in _HEADINGS or sibling.xpath(".//h1|.//h2|.//h3|.//h4|.//h5|.//h6"):
            break
        # Prose: text outside links and out of scripts and styles.
        words = sibling.xpath(
            ".//text()[not(ancestor::a or ancestor::script or ancestor::style or ancestor::noscript"
            " or ancestor::template)]"
        )
        length += len(" ".join(" ".join(words).split()))
        if length >= _PROSE:
            return True
    return False


def _content_root(tree):
    """The element trafilatura will take for the main content (its first ``BODY_XPATH`` match),
    or None when it will fall back to collecting paragraphs from the whole page."""
    from trafilatura.xpaths import BODY_XPATH

    return next((found[0] for expression in BODY_XPATH if (found := expression(tree))), None)


def _join_split_body(tree, root) -> None:
    """Move into ``root`` the rest of an article body that ads split into twin containers
    (Wired's ``div.body__container``, each in a ``div.grid`` between ad rows): trafilatura read
    the first only, half a story. A twin has ``root``'s tag and class, its parent or one of the
    parent's tag and class, and a paragraph of prose; it sits in no footer, aside or nav, so a comment or
    a footer blurb that shares a generic class ("content") is never a twin. Its text moves too."""
    parent = root.getparent()
    classes = root.get("class", "").strip()
    if not classes or parent is None:
        return
    inside = {root, *root.iterancestors(), *root.iter()}
    for other in list(tree.iter(root.tag)):
        up = other.getparent()
        if other in inside or other.get("class", "").strip() != classes or up is None:
            continue
        twin = up is parent or (up.tag, up.get("class")) == (parent.tag, parent.get("class"))
        if not twin or other.xpath(_OUTSIDE_STORY):
            continue
        if any(len(p.text_content()) >= _SPLIT_PROSE for p in other.iter("p")):
            _move_into(root, other)


def _move_into(root, other) -> None:
    """Move ``other``'s children to the end of ``root``, and the loose text before them and after
    ``other`` as paragraphs of their own (trafilatura reads no text between paragraphs)."""
    loose = [text for text in (other.text, other.tail) if text and text.strip()]
    root.extend(list(other))
    for text in loose:
        paragraph = root.makeelement("p")
        paragraph.text = text.strip()
        root.append(paragraph)
    other.tail = None
    other.drop_tree()


def _keep_named_content(root) -> None:
    """Strip the id and class words naming a menu, navigation or metadata (``_NAMING``) from the
    blocks of the main content that are mostly text: trafilatura's boilerplate filters match
    them, while in a manual they name content, IDLE's section "Menus" or Node's "Added in" notes
    (``api_metadata``). A menu of links inside the content is still boilerplate, and so is
    whatever another word names (a newsletter sign-up); site menus outside it are not touched."""
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH

    for element in OVERALL_DISCARD_XPATH[0](root):
        if element is root or element.tag not in _NAMED_BLOCKS or not _named(element):
            continue
        if _mostly_links(element) or in_code(element):
            continue
        for name in ("id", "class", "role"):
            kept = [word for word in element.get(name, "").split() if not _naming_word(word)]
            if kept:
                element.set(name, " ".join(kept))
            else:
                element.attrib.pop(name, None)
        if element.tag == "div":
            # Node's notes are a bare <span> in the div: kept, that div is content like a <p>.
            _wrap_loose_text(element)


def _mark_powers(tree) -> None:
    """Put a "^" before a superscript number right after a number: an exponent ("2<sup>31</sup>-1"
    read "231-1"). Not after a letter, where an unlinked number is as often a footnote mark
    ("said<sup>3</sup>"), nor after a year ("opened in 2019<sup>3</sup>"), nor in a link (a
    footnote reference), nor after text of another paragraph or cell; ordinals ("2<sup>nd</sup>")
    and subscripts ("H<sub>2</sub>O", "log<sub>2</sub>") read right run together."""
    for sup in tree.iter("sup"):
        if not _POWER.fullmatch(sup.text_content().strip()) or sup.xpath("ancestor::a|.//a"):
            continue
        base = re.search(r"(?<![\d.,])\d+$", _text_before(sup))
        if base and not (len(base.group(0)) == 4 and 1000 <= int(base.group(0)) <= 2099):
            sup.text = "^" + (sup.text or "")


def _text_before(element) -> str:
    """The text right before ``element`` within its paragraph: an inline wrapper ("<small>") is
    looked through, a block's start ends the search."""
    while True:
        previous = element.getprevious()
        if previous is not None:
            return previous.tail or ""
        parent = element.getparent()
        if parent is None:
            return ""
        if parent.text or parent.tag not in _PHRASING:
            return parent.text or ""
        element = parent


def _named(element) -> bool:
    """Whether an element's id, class or role holds a word of ``_NAMING``."""
    return any(_naming_word(word) for name in ("id", "class", "role") for word in element.get(name, "").split())


def _naming_word(word: str) -> bool:
    """Whether one id or class word ("api_metadata", "menus") is made of a word of ``_NAMING``."""
    return any(part.casefold() in _NAMING for part in _NAME_PARTS.split(word))


def _mostly_links(element) -> bool:
    """Whether links hold at least half of an element's text."""
    text = len(_SPACES.sub("", element.text_content()))
    links = sum(len(_SPACES.sub("", link.text_content())) for link in element.iter("a"))
    return links * 2 >= text


def _mark_content(tree, body) -> bool:
    """Wrap in ``<main>`` the body of a document page, and say whether the page is one: a page
    where trafilatura finds no content container and that marks no furniture (nav, header,
    footer, aside) either, as generated
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


def _wrap_loose_text(body) -> None:
    """Put each run of text and inline elements straight in ``body`` (the page's ``<body>`` or a
    ``<div>``) into a ``<p>``, as a browser lays it out. trafilatura's fallback for pages without
    a content container keeps only paragraphs, code, quotes and tables: an old page's prose
    outside any <p> was dropped."""
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


def is_header_link(text: str) -> bool:
    """Whether a link's text is only a header-link glyph (see ``_LINK_GLYPHS``)."""
    return bool(text.strip()) and not text.strip().strip(_LINK_GLYPHS).strip()


def redirect_target(soup, text: str) -> str | None:
    """Where a redirect page sends its reader (``<meta http-equiv="refresh" content="0;
    url=cli.html">``) when its ``text`` is no more than the notice ("Redirect to cli.html"),
    else None: a page that refreshes itself beside its own content is a page."""
    # A refresh inside <noscript> sends away only readers without scripts: the page is the page.
    refreshes = soup.find_all("meta", attrs={"http-equiv": re.compile("^refresh$", re.IGNORECASE)})
    refresh = next((m for m in refreshes if not m.find_parent("noscript")), None)
    found = re.search(r"[;,]\s*(?:url\s*=\s*)?(['\"]?)(.+?)\1\s*$", refresh.get("content", "")) if refresh else None
    return found.group(2) if found and len(text) < _NOTICE else None


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
