"""A web page's own bibliographic metadata: citation_*, Dublin Core, Open Graph and JSON-LD tags,
its <title> and first heading, which take precedence over trafilatura's guesses."""

from __future__ import annotations

import json
import re

from citeqa.corpus.dates import machine_date
from citeqa.corpus.frontmatter import names_in, title_and_site
from citeqa.corpus.html_markup import headline

_DATE_META = (
    "article:published_time",
    "citation_publication_date",
    "citation_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "dcterms.issued",
    "date",
    "pubdate",
    "publishdate",
    "publication_date",
    "og:published_time",
    "datepublished",
    "sailthru.date",
    "parsely-pub-date",
)
# How far from the top of a page's text an author field is looked for.
_TOP = 600
_AUTHOR_FIELD = re.compile(r"^(?:Authors?|Written by)\s*:\s*(.{3,200})$", re.IGNORECASE)
_WORK_FIELD = re.compile(r"^(?:Title|Book|Work|Publisher|ISBN)\s*:", re.IGNORECASE)
# What an author field holds when it names no one.
_NO_ONE = frozenset("unknown anonymous admin administrator staff editor editors n/a none".split())
_TITLE_META = ("citation_title", "og:title", "dc.title", "dcterms.title", "twitter:title")
_PUBLISHER_META = ("og:site_name", "citation_publisher", "dc.publisher", "dcterms.publisher", "publisher")
# "Copyright 2014", not the "Copyright Clearance Center".
_NOT_A_NAME = re.compile(r"(?i)(?:https?://|www\.|@\w|copyright\s*(?:©|\(c\)|\d)|\(c\)|©)")


def page_metadata(soup) -> dict:
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

    found["title"] = clean(first(_TITLE_META) or ld.get("headline") or "") or None
    if soup.title and soup.title.string:
        page_title = clean(soup.title.string)
        found["html_title"] = title_and_site(page_title)[0] or None
        found["h1_title"] = headline(soup, page_title)
    publishers = [*(tags[k][0] for k in _PUBLISHER_META if k in tags), ld.get("publisher")]
    found["publisher"] = next(filter(None, map(publisher_name, publishers)), None)
    for value in [*(tags[k][0] for k in _DATE_META if k in tags), ld.get("datePublished")]:
        date = machine_date(value) if value else None
        if date:
            found["date"] = date
            break
    if "date" not in found:
        time = soup.find("time", attrs={"datetime": True})
        if time is not None:
            found["date"] = machine_date(time["datetime"])
    canonical = soup.find(
        "link", rel=lambda rel: rel and "canonical" in [r.lower() for r in (rel if isinstance(rel, list) else [rel])]
    )
    for url in ((canonical.get("href") if canonical else None), first(("og:url",)), ld.get("url")):
        if url and re.match(r"https?://", url.strip(), re.IGNORECASE):
            found["url"] = url.strip()
            break
    # JSON-LD authors typed as people name the story's writers; a page's author meta tag is often
    # the site's owner on every page (Wired's "Condé Nast").
    people = ld.get("authors") if ld.get("people") else None
    authors = (
        tags.get("citation_author") or people or tags.get("author") or tags.get("dc.creator") or ld.get("authors") or []
    )
    # DocBook writes each author as a heading of class "author", under the title.
    authors = authors or [h.get_text(" ", strip=True) for h in soup.find_all(_AUTHOR_HEADINGS, class_=_author_class)]
    found["authors"] = [clean(a) for a in authors if clean(a) and not a.startswith("http")]
    found["scholarly"] = "citation_author" in tags
    return found


# The headings DocBook sets an author in, as ``html_markup`` reads them apart from sections.
_AUTHOR_HEADINGS = ["h1", "h2", "h3", "h4"]


def _author_class(name: str | None) -> bool:
    """Whether a class attribute's value is DocBook's "author" (which writes it "AUTHOR" too)."""
    return name is not None and name.lower() == "author"


def _json_ld(soup) -> dict:
    """The first article-like JSON-LD object's headline, date, publisher, URL and authors, and
    whether its authors are typed as people (``"people"``)."""
    found, nodes = [], {}
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError, RecursionError):
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        found += [item for item in items if isinstance(item, dict)]
        nodes |= {node["@id"]: node for node in _nodes(items) if isinstance(node.get("@id"), str) and node.get("name")}
    for item in found:
        if not (item.get("headline") or item.get("datePublished")):
            continue
        authors = item.get("author") or []
        authors = [_resolved(a, nodes) for a in (authors if isinstance(authors, list) else [authors])]
        return {
            "headline": _ld_string(item.get("headline")),
            "datePublished": _ld_string(item.get("datePublished")),
            "url": _ld_string(item.get("url")),
            "publisher": _ld_name(_resolved(item.get("publisher"), nodes)),
            "authors": [a for a in map(_ld_name, authors) if a],
            "people": bool(authors) and all(_typed(a, "Person") for a in authors),
        }
    return {}


def _nodes(value) -> list[dict]:
    """Every JSON object in a JSON-LD value, nested ones too (walked with a stack: a page may nest
    deeper than Python recurses)."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _resolved(value, nodes: dict):
    """A JSON-LD reference (``{"@id": "https://www.cbsnews.com/"}``, as CBS News gives the article's
    publisher, naming that node in another script) as the node it points to; any other value as is."""
    if isinstance(value, dict) and not value.get("name") and isinstance(value.get("@id"), str):
        return nodes.get(value["@id"], value)
    return value


def _typed(value, kind: str) -> bool:
    """Whether a JSON-LD node's ``@type`` is ``kind`` (or lists it)."""
    types = value.get("@type") if isinstance(value, dict) else None
    return types == kind or isinstance(types, list) and kind in types


def _ld_string(value) -> str | None:
    """A JSON-LD value as text: pages put strings, lists and ``{"name": ...}`` objects anywhere."""
    if isinstance(value, list):
        return next((text for text in map(_ld_string, value) if text), None)
    if isinstance(value, dict):
        return _ld_string(value.get("name") or value.get("@id") or value.get("url"))
    return value.strip() or None if isinstance(value, str) else None


def _ld_name(value) -> str | None:
    """A JSON-LD publisher's or author's name (``_resolved`` first): an address alone, as an
    unresolved ``@id`` gives, names no one."""
    if isinstance(value, list):
        return next((name for name in map(_ld_name, value) if name), None)
    if isinstance(value, dict):
        value = value.get("name")
    text = _ld_string(value) if isinstance(value, str | list) else None
    return text if text and publisher_name(text) else None


def publisher_name(value: str | None) -> str | None:
    """``value`` cleaned, if it can name a publisher or an author: not an address ("https://www.
    newsnation.in"), a social-media handle ("@politifact") or a copyright line ("Copyright 2014"),
    which sites put in their name fields."""
    text = clean(value or "")
    return text if text and not _NOT_A_NAME.match(text) else None


def authors_near_top(text: str) -> list[str]:
    """The authors a page's text names in a field at its top ("Author: Andrew Dalke and Raymond
    Hettinger", "Authors: A. Writer, B. Writer"), as manuals' field lists print them; none when
    no such line comes first."""
    for line in text[:_TOP].split("\n"):
        # A book review's or a catalogue's fields name the work under review and its author.
        if _WORK_FIELD.match(line.strip()):
            return []
        field = _AUTHOR_FIELD.match(line.strip())
        if field:
            names = names_in(field.group(1))
            if names and not {name.lower() for name in names} & _NO_ONE:
                return names
    return []


def clean(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
