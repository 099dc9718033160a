"""Dates as sources write them ("11 May 2026", "May 10, 2026", "2026-05-10", "May 2026", "2025")."""

from __future__ import annotations

import datetime
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
#: Days of the week as written, in full and short.
DAY_NAMES = frozenset("monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun".split())
#: The words of a calendar: no part of a name ("Monday March 3" names nothing).
DAYS_AND_MONTHS = frozenset(MONTHS) | DAY_NAMES
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
#: Month names as written in running text, capitalised, longest first, as a regex alternation:
#: matched case-sensitively, "May" is a month and "may" a verb.
CAPITALISED_MONTH = "|".join(m.capitalize() for m in sorted(MONTHS, key=len, reverse=True))

#: A day's date leading a line before what it dates, as sites write it before a byline: "April 15,
#: 2021", "Published: 3 March 2024", "March 3, 2024 09:30 AM EST" (no month or year alone: "2024
#: Budget unveiled by ..." is a headline).
DAY_DATE_LEAD = (
    rf"(?i:(?:published|updated|posted)(?:\s+on)?:?\s*)?(?:(?:{CAPITALISED_MONTH})\.?\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{CAPITALISED_MONTH})\.?,?\s+\d{{4}})(?:,?\s*\d{{1,2}}[:.]\d{{2}}\s*(?i:[ap]\.?m\.?)?\s*(?:[A-Z]{{2,4}})?)?"
)

#: Dates inside running text, most specific form first. Group names say which parts were matched.
DATE_IN_TEXT = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    # ISO dates, and LaTeX's "2001/11/08" (the form a package manual prints under its title), not
    # inside a path ("/2019/05/10/story") nor a list of seasons ("2020/21/22").
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}|(?<![/\w])\d{{4}}/(?:0[1-9]|1[0-2])/(?:0[1-9]|[12]\d|3[01])(?![/\w]))"
    rf"|(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})"
    rf"|(?P<y4>(?:19|20)\d{{2}}))\b",
    re.IGNORECASE,
)


def parse_date(text: str) -> str | None:
    """Return the first date in ``text`` as ISO text, as precise as the text is.

    Args:
        text: e.g. ``"11 May 2026"``, ``"2026 May 10"``, ``"May 2026"``, ``"2025"``.

    Returns:
        ``"YYYY-MM-DD"``, ``"YYYY-MM"`` or ``"YYYY"``; ``None`` when there is no date.
    """
    # A month written as ISO text ("2030-11"), as metadata gives it; in running text a bare
    # "2030-11" is more often a range of years, so only a whole string counts.
    month_only = re.fullmatch(r"\s*(\d{4})-(\d{2})\s*", text)
    if month_only:
        month = int(month_only.group(2))
        return _iso(month_only.group(1), month, None) if 1 <= month <= 12 else None
    # APA puts the year first: "2026 May 10".
    apa = re.match(rf"\s*(\d{{4}})\s+({_MONTH})(?:\s+(\d{{1,2}}))?\s*$", text, re.I)
    if apa:
        year, month, day = apa.group(1), MONTHS[apa.group(2).lower().rstrip(".")], apa.group(3)
        return _iso(year, month, day)
    match = DATE_IN_TEXT.search(text)
    return date_from_match(match) if match else None


def date_from_match(match: re.Match) -> str | None:
    """Turn a ``DATE_IN_TEXT`` match into ISO text (``None`` for an impossible day)."""
    g = match.groupdict()
    if g["iso"]:
        year, month, day = re.split(r"[-/]", g["iso"])
        return _iso(year, int(month), day) if 1 <= int(month) <= 12 else None
    for d, m, y in (("d1", "m1", "y1"), ("d2", "m2", "y2"), (None, "m3", "y3")):
        if g[m]:
            return _iso(g[y], MONTHS[g[m].lower().rstrip(".")], g[d] if d else None)
    return g["y4"]


def _iso(year: str, month: int, day: str | None) -> str | None:
    if day is None:
        return f"{year}-{month:02d}"
    try:
        return datetime.date(int(year), month, int(day)).isoformat()
    except ValueError:  # "30 February", "31 April"
        return None


#: The earliest year a metadata date may give: before it, a date field is a placeholder.
_FIRST_YEAR = 1000
_EPOCHS = frozenset({"1970-01-01", "1900-01-01"})


def machine_date(value: str) -> str | None:
    """A date as metadata gives it: ``2026-05-11T08:30:00+05:30``, ``2026/06/02``, or prose forms.

    Returns:
        The ISO date (``YYYY-MM-DD`` or ``YYYY-MM``), or ``None``.
    """
    match = re.match(r"\s*(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?!\d)", value)
    if match:
        year, month, day = match.groups()
        # "0001-01-01T00:00:00Z" is a content system's empty date, not the year 1; so are the
        # epochs its clock counts from.
        if int(year) < _FIRST_YEAR or value.strip()[:10] in _EPOCHS:
            return None
        if 1 <= int(month) <= 12 and (day is None or 1 <= int(day) <= 31):
            return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return parse_date(value)


def date_near_top(text: str) -> str | None:
    """A date in the first lines of ``text``, where release pages print their date (a bare year
    does not count).

    Returns:
        The ISO date, or ``None``.
    """
    match = DATE_IN_TEXT.search(text[:400])
    if match is None or match.group("y4"):
        return None
    return date_from_match(match)


#: Days two full dates may differ by and still be one source's: a story filed late on the 1st
#: is often dated the 2nd by the site that ran it.
_DATE_SLACK = 3


def same_day(asked: str, date: str) -> bool:
    """Whether ISO dates ``asked`` and ``date`` (each as precise as known) can be one source's
    day, ``_DATE_SLACK`` days apart at most."""
    days = days_after(asked, date)
    if days is not None:
        return abs(days) <= _DATE_SLACK
    return date.startswith(asked) or asked.startswith(date)


def days_after(earlier: str, later: str) -> int | None:
    """How many days ISO day ``later`` comes after ISO day ``earlier`` (negative when before), or
    ``None`` when either is less precise than a day or does not exist (a date from an index built
    before such dates were refused)."""
    if len(earlier) != 10 or len(later) != 10:
        return None
    try:
        return (datetime.date.fromisoformat(later) - datetime.date.fromisoformat(earlier)).days
    except ValueError:
        return None


#: A time of day: "04:46 pm", "10.30 a.m.", "4pm", "10:29 IST". A dateline gives one ("March 12,
# 2023 04:46 pm | Updated 10:29 pm IST"), and its digits count nothing: a real-source question
# asking "how many rounds" was answered by such a dateline as the sentence that gave a number.
# Only with its "am"/"pm" or time zone: "won 52:48" and "2:01:09" are a score and a race time.
_ZONES = frozenset("IST GMT UTC BST CET CEST JST EST EDT CST CDT PST PDT AEST AEDT ET PT".split())
CLOCK = re.compile(
    rf"\b(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:[ap]\.?\s?m\b\.?|(?-i:{'|'.join(sorted(_ZONES))})\b)"
    r"|\b(?:[01]?\d|2[0-3]):[0-5]\d\s*(?:hrs|h)\b",
    re.IGNORECASE,
)


def undated(text: str) -> str:
    """``text`` without its dates and times of day, whose digits count and measure nothing."""
    return CLOCK.sub(" ", DATE_IN_TEXT.sub(" ", text))


# The words a page's timestamp line holds besides its dates, times and a place after a dash or bar
# ("Updated on 3 May 2031 at 10:29 pm IST | New Delhi"); a time zone is in capitals.
_STAMP_WORDS = frozenset("updated published posted released issued filed modified edited last on at".split())
_STAMP_WORD = re.compile(rf"\b(?:{'|'.join(sorted(_STAMP_WORDS - {'last', 'on', 'at'}))})\b", re.IGNORECASE)
_STAMP_LENGTH = 160
_PLACE_AFTER = re.compile(r"\s[–—|-]\s*[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*){0,3}\s*$")


def timestamp(text: str) -> bool:
    """Whether ``text`` is a page's timestamp line: a word saying so ("Updated") and nothing but
    dates, times, time zones, stamp words and a place at its end (word by word: linear time)."""
    # A timestamp is short: the length spares most sentences a search.
    if len(text) > _STAMP_LENGTH or not _STAMP_WORD.search(text):
        return False
    words = re.findall(r"[^\W\d_]+", _PLACE_AFTER.sub(" ", undated(text)))
    return all(w.lower() in _STAMP_WORDS or w in _ZONES for w in words)
