"""A web page's code listings, made plain to trafilatura: a ``<pre>`` is one ``<code>`` whose line
breaks are ``<br>`` (``html_markup.prepared`` runs both on every ``<pre>``)."""

from __future__ import annotations


def as_one_code(pre) -> None:
    """Make everything inside ``pre`` one ``<code>``: a lone ``<code>`` loses the white space
    around it, anything else is wrapped in a new one (a ``<code>`` inside it then joins it)."""
    from lxml import etree

    children = [child for child in pre if isinstance(child.tag, str)]
    if len(children) == 1 and children[0].tag == "code" and not (pre.text or "").strip():
        if not (children[0].tail or "").strip():
            pre.text, children[0].tail = None, None
            return
    code = etree.Element("code")
    code.text, pre.text = pre.text, None
    for child in list(pre):
        code.append(child)
    pre.append(code)


def break_lines(pre) -> None:
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
