"""Lists in a web page's main content, made explicit before trafilatura reads them
(``html_markup.prepared``): lists in table cells, field lists ("Author: ..."), and lists of links
a paragraph announces."""

from __future__ import annotations

# A field list's label is a few words ("Author", "Release date"), its value a line of text.
_FIELD_WORDS, _FIELD_CHARS = 4, 200


def open_cell_lists(root) -> None:
    """Make paragraphs of the lists in the main content's table cells (the valgrind FAQ, laid out
    as a table whose answers hold lists): trafilatura keeps a list in a cell only when it favours
    recall. Tables outside the content (nav bars, related posts) are left to trafilatura."""
    for item in root.xpath(".//td//li|.//th//li"):
        if in_code(item):
            continue
        for paragraph in item.findall("p"):
            paragraph.drop_tag()
        item.tag = "p"
    for listing in root.xpath(".//td//*[self::ul or self::ol]|.//th//*[self::ul or self::ol]"):
        listing.drop_tag()


def join_field_lists(root) -> None:
    """Make each term and its short definition of the main content's field lists one paragraph,
    "Author: Andrew Dalke and Raymond Hettinger": trafilatura made the two list items of their
    own ("• Author:", "• Andrew Dalke ..."), so the name stood apart from what it names. Only
    lists whose every term is a few words and every definition one short paragraph: a function
    reference's <dl> holds paragraphs and code under each term, and keeps its items."""
    for listing in list(root.iter("dl")):
        pairs = list(zip(listing[::2], listing[1::2], strict=False))
        if not pairs or len(listing) % 2 or any((t.tag, d.tag) != ("dt", "dd") for t, d in pairs):
            continue
        if not all(_field(term, definition) for term, definition in pairs):
            continue
        listing.tag = "div"
        for term, definition in pairs:
            paragraph = definition.makeelement("p")
            label = " ".join(term.text_content().split()).rstrip(":")
            # A <br> between two names separates them as a comma would ("Ada Widget<br>Bo Gadget").
            for line_break in definition.iter("br"):
                line_break.tail = ", " + (line_break.tail or "")
            paragraph.text = f"{label}: {' '.join(definition.text_content().split())}"
            paragraph.tail = definition.tail
            listing.replace(term, paragraph)
            listing.remove(definition)


def _field(term, definition) -> bool:
    """Whether a term and its definition read as one field: a short label and a line of text."""
    # A question is an FAQ's, whose answer reads on its own line ("Is it free?", then "Yes ...").
    short = 0 < len(term.text_content().split()) <= _FIELD_WORDS and not term.text_content().strip().endswith("?")
    blocks = definition.xpath(".//*[self::pre or self::ul or self::ol or self::table or self::div or self::dl]")
    return short and not blocks and len(definition.findall("p")) <= 1 and len(definition.text_content()) <= _FIELD_CHARS


def keep_announced_lists(root) -> None:
    """Drop the links, keeping their text, of the main content's lists that a paragraph announces
    ("New syntax features:", then "PEP 654: Exception Groups"): trafilatura weighs links and took
    such lists of cross-references for menus, keeping only the lead-in. A list whose links are a
    minority of its text was tried too: it let in news sites' teaser lists (F1 0.964 to 0.963)."""
    for listing in root.xpath(".//ul|.//ol"):
        lead = listing.getprevious()
        if lead is not None and lead.tag == "p" and lead.text_content().rstrip().endswith(":"):
            for link in list(listing.iter("a")):
                link.drop_tag()


def in_code(element) -> bool:
    """Whether ``element`` sits inside a ``<pre>`` or ``<code>``: markup of code, not of a section."""
    return any(ancestor.tag in ("pre", "code") for ancestor in element.iterancestors())
