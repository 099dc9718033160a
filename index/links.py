"""Linking a source to the reference-list entry that cites it, by number, URL or title, and
taking the entry's metadata where the user gave none."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from urllib.parse import unquote, urlsplit

from citeqa.index.sources import slug
from citeqa.index.store import StoredDocument

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


def link_for(refs_by_doc: dict[str, list[dict]], doc: StoredDocument, given: dict) -> Link | None:
    """The reference ``doc`` is: the number the user gave, else one matched by URL or title.

    Args:
        refs_by_doc: reference entries (as dicts) of every document that has a list.
        doc: the source's index record.
        given: the metadata the user gave for it (``ref`` and ``ref_source`` name an entry).

    Returns:
        The ``Link``, or ``None`` when no entry is the source (or none has the given number).
    """
    if "ref" in given:
        citing = sorted(
            c
            for c, refs in refs_by_doc.items()
            if any(r["number"] == given["ref"] for r in refs) and given.get("ref_source", c) == c
        )
        return Link(citing[0], given["ref"], "ref") if citing else None
    return find_link(refs_by_doc, doc.id, doc.url, doc.title)


def apply_reference(doc: StoredDocument, link: Link, refs_by_doc: dict[str, list[dict]], given: dict) -> None:
    """Record the link in ``doc`` and take the entry's metadata where the user gave none.

    Args:
        doc: the source's index record, changed in place.
        link: the entry it is linked to.
        refs_by_doc: reference entries (as dicts) of every document that has a list.
        given: the metadata the user gave for it, which the entry's never overrides.
    """
    ref = next(r for r in refs_by_doc[link.citing] if r["number"] == link.number)
    doc.ref_doc, doc.ref_number, doc.ref_by = link.citing, link.number, link.by
    for field_name, ref_field in (("title", "title"), ("publisher", "author"), ("date", "date"), ("url", "url")):
        if field_name not in given and ref.get(ref_field):
            setattr(doc, field_name, ref[ref_field])
