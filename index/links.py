"""Linking a source to the reference-list entry that cites it, by number, URL or title."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from urllib.parse import unquote, urlsplit

from citeqa.index.sources import slug

#: Titles at least this similar (after normalising) name the same work.
TITLE_SIMILARITY = 0.9


@dataclass
class Link:
    """A source linked to reference ``number`` of document ``citing``; ``by`` says how."""

    citing: str
    number: int
    by: str


def normalise_url(url: str) -> str:
    """A URL reduced to what identifies the page: no scheme, ``www.``, fragment or trailing slash."""
    parts = urlsplit(unquote(url.strip()).replace("+", " "))
    host = parts.netloc.lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}".lower()


def same_url(a: str, b: str) -> bool:
    """True when two URLs name the same page; one may extend the other past a ``/`` (MEA's
    ``?dtl/40064`` and ``?dtl/40064/Some_Title`` are one page)."""
    a, b = normalise_url(a), normalise_url(b)
    short, long = sorted((a, b), key=len)
    return a == b or (long.startswith(short) and long[len(short)] in "/?&")


def find_link(refs_by_doc: dict[str, list[dict]], doc_id: str, url: str | None, title: str | None) -> Link | None:
    """Find the reference a source is, by its URL first, then by its title.

    Args:
        refs_by_doc: reference entries (``Reference`` as dicts) of every document that has a list.
        doc_id: the source's own id (a document never cites itself).
        url: the source's URL (given by the user, or its page's canonical link).
        title: the source's title.

    Returns:
        The ``Link``, or ``None`` when no entry matches.
    """
    candidates = [(citing, ref) for citing, refs in sorted(refs_by_doc.items()) if citing != doc_id for ref in refs]
    if url:
        for citing, ref in candidates:
            if ref.get("url") and same_url(url, ref["url"]):
                return Link(citing, ref["number"], "url")
    if title:
        # Slugs keep only letters and digits, so punctuation and dash styles do not matter.
        wanted = slug(title)
        for citing, ref in candidates:
            if ref.get("title") and SequenceMatcher(None, wanted, slug(ref["title"])).ratio() >= TITLE_SIMILARITY:
                return Link(citing, ref["number"], "title")
    return None
