"""Reference-list entries: finding them in a document and parsing each into its parts."""

from __future__ import annotations

import re

from citeqa.corpus.citations import drop_markers
from citeqa.corpus.dates import parse_date
from citeqa.corpus.model import Reference

# "[5] ...", "[^5]: ...", "5. ..." or "5) ..." at the start of an entry, after an optional bullet.
ENTRY = re.compile(r"^\s*(?:[-*•]\s+)?(?:\[\^?(\d{1,3})\]:?|(\d{1,3})[.)])\s+(\S.*)$")
#: Headings of a reference list, lowercased, whatever their section number.
REFERENCE_HEADINGS = frozenset({"references", "bibliography", "works cited", "sources", "notes", "endnotes"})
_URL = re.compile(r"<?((?:https?|ftp)://[^\s<>]+)>?")
# APA-style "(2026, May 10)", "(2025)", "(n.d.)", or a date in brackets written any way people do
# ("(November 18, 2019)", "(Nov. 18, 2019)", "(2019-11-18)"): ``_dated`` reads which is one.
_PAREN_DATE = re.compile(r"\((n\.\s?d\.|[^()]{4,30}?)\)\.?")
# The same with a month, or "n.d.": the date of a source rather than of what the text reports.
_CITED_DATE = re.compile(r"\((?:n\.\s?d\.|(\d{4})[a-z]?,\s*[A-Za-z]+\.?(?:\s+\d{1,2})?)\)")


def is_reference_heading(label: str | None) -> bool:
    """Whether a section label names a reference list ("References", "7. Works cited", "NOTES:")."""
    return bool(label) and re.sub(r"^[\d.]+\s+", "", label.strip()).rstrip(":").strip().lower() in REFERENCE_HEADINGS


def entry_reference(text: str) -> Reference | None:
    """The reference an entry holds, numbered as it is ("[5] Author. (2024). Title. URL"); ``None``
    when ``text`` does not start like an entry. Lines after the first continue the entry."""
    first, _, rest = text.partition("\n")
    entry = ENTRY.match(first)
    if entry is None:
        return None
    return parse_reference(int(entry.group(1) or entry.group(2)), " ".join(f"{entry.group(3)} {rest}".split()))


def parse_reference(number: int, raw: str) -> Reference:
    """Parse one reference entry (APA-like styles and plain "Author, Title, URL" lines).

    Args:
        number: the entry's number in the list.
        raw: the entry text after its number.

    Returns:
        A ``Reference``; parts the entry does not state stay ``None``.
    """
    url_match = _URL.search(raw)
    url = url_match.group(1).rstrip(".,;") if url_match else None
    body = _URL.sub("", raw).strip()
    author = date = title = None
    date_match = next((m for m in _PAREN_DATE.finditer(body) if _dated(m.group(1))), None)
    if date_match:
        author = body[: date_match.start()].strip(" .,") or None
        stamp = date_match.group(1)
        # "2024a": the second work of its author that year.
        year_only = re.sub(r"^(\d{4})[a-z]", r"\1", stamp.replace(",", ""))
        date = None if re.fullmatch(r"n\.\s?d\.", stamp, re.I) else parse_date(year_only)
        rest = body[date_match.end() :].strip()
    else:
        rest = body
        # A day's date closing the entry, as other styles write it ('"Title." 18 November 2019').
        written = _CLOSING_DATE.search(body)
        date = parse_date(written.group(0).strip(" .").replace(",", "")) if written else None
    emphasised = re.search(r"\*([^*]+)\*", rest)
    quoted = _QUOTED_TITLE.match(rest)
    # 'Quay Review, "Title", 18 November 2031', 'Doe, J., "Title," Journal': who, then the title
    # quoted whole after a comma.
    lead = re.match(r"([^\"“”]{2,80}?),\s+(?=[\"“])", rest)
    after_author = _QUOTED_TITLE.match(rest, lead.end()) if lead and author is None else None
    if emphasised:
        title = emphasised.group(1).strip()
    elif quoted or after_author:
        # '"Title." Journal' and '"Title," IEEE' close the title inside the quotes.
        found = quoted or after_author
        title = (found.group(1) or found.group(2)).strip().rstrip(".,")
        author = author if quoted else lead.group(1).strip()
    else:
        parts = [p.strip() for p in re.split(r"\.\s+", rest) if p.strip()]
        if parts:
            title = parts[0].rstrip(".")
            if author is None and len(parts) > 1:
                author, title = parts[0], parts[1].rstrip(".")
    if title:
        # A quoted title followed by its date ('"Title." 18 November 2019') is the quotes' text.
        inner = re.fullmatch(r"[\"“]([^\"”]+?)[.,]?[\"”][.,]?\s*(.*)", title)
        if inner and (not inner.group(2) or parse_date(inner.group(2).replace(",", "").rstrip("."))):
            title = inner.group(1)
        title = re.sub(r"\s*\[(?:PDF|HTML)\]\s*$", "", title, flags=re.I).strip() or None
    return Reference(number=number, raw=raw.strip(), author=author, date=date, title=title, url=url)


# A quoted title is whole however many full stops it holds: "RAG vs. Long Context". Only a
# title quoted whole: in '"Green" steel in Europe.' the quotes mark a word of it.
_QUOTED_TITLE = re.compile(r"[\"“]([^\"”]+)[\"”](?=\s*(?:[.,;]|$|https?://))|[\"“]([^\"”]+[.,])[\"”]")


def _dated(stamp: str) -> bool:
    """Whether a bracket's text is a reference's date and nothing else: "n.d.", a year ("2024a"),
    a year with its month and day ("2026, May 10"), or a date written out ("November 18, 2019",
    "18 Nov. 2019", "2019-11-18"); not "(Reuters)", "(Vision 2040)" or "(Vol. 12, 2023)"."""
    return bool(_BRACKET_DATE.fullmatch(stamp.strip()))


_MONTH_WORD = r"[A-Z][a-z]{2,8}\.?"
_BRACKET_DATE = re.compile(
    rf"n\.\s?d\.|\d{{4}}[a-z]?(?:,\s*{_MONTH_WORD}(?:\s+\d{{1,2}})?)?|{_MONTH_WORD}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTH_WORD}\s+\d{{4}}|\d{{4}}-\d{{2}}(?:-\d{{2}})?",
    re.IGNORECASE,
)
# A date closing an entry, after its title ('"Title." 18 November 2019.'), not one a title holds
# ("Lessons from the March 2020 Crash") nor when it was accessed ("Accessed 12 May 2024").
_CLOSING_DATE = re.compile(
    rf"(?<!ccessed )(?<!etrieved )(?<!iewed )\b(?:\d{{1,2}}\s+{_MONTH_WORD}|{_MONTH_WORD}\s+\d{{1,2}},?)\s+\d{{4}}[.,\s]*$"
)


def running_text(text: str) -> str:
    """``text`` as statements: citation markers ("[5]") and URLs dropped, since their figures are
    not the text's, and a reference's "(2026, May 10)" kept as its year only, so that a source's
    date still answers "when was it published" without outranking the dates the text reports."""
    return _CITED_DATE.sub(lambda m: f" {m.group(1) or ''} ", _URL.sub(" ", drop_markers(text, " ")))
