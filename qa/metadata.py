"""The words a source's metadata lends a question that names it: "the Reuters report of December
2025" names a source by its publisher and date, words its text may never use."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from citeqa.corpus import tokens
from citeqa.corpus.dates import MONTHS
from citeqa.qa import outlets

# The full name of each month, by number: the longest of the names ``MONTHS`` knows for it.
_MONTH_NAMES = [max((n for n, m in MONTHS.items() if m == number), key=len) for number in range(1, 13)]
_HOST_PARTS = frozenset("www com co org net gov ac edu".split())


def metadata_words(title: str | None, publisher: str | None, date: str | None, url: str | None) -> frozenset[str]:
    """The words a question may use to name a source: its title, publisher and their short forms
    ("AP" for the Associated Press, "DISR" for an Australian Government Department of Industry,
    Science and Resources), the site its URL is on, and its date as people write it ("2025",
    "december")."""
    text = " ".join(part for part in (title, publisher) if part)
    if url:
        host = urlparse(url).hostname or ""
        text += " " + " ".join(p for p in host.split(".")[:-1] if p not in _HOST_PARTS)
    # Title and publisher apart: a headline in title case would run into the publisher's name.
    words = set(tokens.words(text)) | tokens.short_forms(title or "") | outlets.initials(publisher)
    words |= outlets.abbreviations(publisher)
    if date:
        iso = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-\d{2})?", date)
        if iso:
            words.add(iso.group(1))
            if iso.group(2) and 1 <= int(iso.group(2)) <= 12:
                words.add(_MONTH_NAMES[int(iso.group(2)) - 1])
        else:
            words |= set(tokens.words(date))
    return frozenset(words)
