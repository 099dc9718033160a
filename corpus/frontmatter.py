"""The front matter of a text: its title, a news story's byline and dateline, an article's
authors, affiliation, journal line and publication history, read line by line before the first
heading (``corpus.text`` reads the rest)."""

from __future__ import annotations

import re

from citeqa.corpus import tokens
from citeqa.corpus.capitals import AROUND_COUNTRIES, PLACES
from citeqa.corpus.dates import DATE_IN_TEXT, DAY_DATE_LEAD, DAY_NAMES, DAYS_AND_MONTHS, MONTHS, parse_date
from citeqa.corpus.model import Document
from citeqa.corpus.sentences import ends_sentence

# "By Lena Holm and Peter Sand": a byline names people ("By 2030, ..." is a sentence).
_BYLINE = re.compile(r"^(?i:(?:written|reported)\s+)?(?i:by)\s+([A-Z][^\d\n]{2,118})$")
# Or after its day's date: "April 15, 2021 by Dan McCue", "Published: 3 March 2024 | By Lena Holm".
_DATED_BYLINE = re.compile(rf"^({DAY_DATE_LEAD})\s*[|,–—-]?\s*(?i:by)\s+([A-Z][^\d\n]{{2,118}})$")
# A line that is a date and little else: "4 March 2029", "Published September 29, 2023",
# "Updated: Tue, 10 Sep 2023 08:30 IST". A headline with a year ("India Budget 2025") is not.
DATELINE = re.compile(
    # "Page last updated at 16:21 GMT, Tuesday, 13 May 2008" and "Last Updated: Monday May 12 2008" too,
    # and in brackets ("[May 25, 2017]").
    r"^\[?(?:(?:page\s+)?(?:last\s+)?(?:published|updated|posted|dated|modified|first published)(?:\s+(?:at|on))?\b:?\s*)?"
    # A time on either clock ("3:04 PM EST,").
    r"(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?\s*)?(?:[A-Z]{2,4}\b)?,?\s*)?"
    rf"(?:(?:on|{'|'.join(sorted(DAY_NAMES, key=len, reverse=True))})\b,?\s*)*"
    rf"(?:{DATE_IN_TEXT.pattern})[\w\s:,.|+\]-]{{0,24}}"
    # "1 August 2024, 12:02 | Updated: 1 August 2024, 12:35": the time it was updated after a bar.
    r"(?:\|\s*(?:last\s+)?(?:updated|modified|published)\b[\w\s:,.+-]{0,40})?$",
    re.IGNORECASE,
)
# Below a headline, a release's place before its date, not a year alone: "New Delhi, 15 December
# 2025" (above it, "Quad Summit, May 2025" is a headline; "Annual Report, 2024" is a subtitle).
_PLACE = re.compile(r"[A-Z][a-z.]+(?:\s[A-Z][a-z.]+){0,2},\s*")
_JOURNAL_LINE = re.compile(r"^(?P<journal>[^\n,]{5,120}),\s*(?P<year>\d{4}),\s*\d+\s*\(\s*\d+\s*\)")
_AFFILIATION = re.compile(r"\b(University|Department|Institute|Centre|Center|School|College|Faculty)\b")
_WEB_ADDRESS = re.compile(r"https?://|\bwww\.")
# A line of authors' names: "Shreedebi Sahoo *", "A. Writer, B. Writer and C. de Souza1". A
# headline below a title ("'Thousands dead' in China quake") or a "last updated" line is not one.
_NAME = r"(?:[A-Z][\w.'’-]*|de|da|di|du|van|von|der|den|la|le|bin|al)[*†‡\d,]*"
_NAMES = re.compile(rf"{_NAME}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*|\s+){_NAME}){{0,15}}[\s*†‡\d]*")
# Words that name a part of a document, not a person: "Executive Summary", "Opening Remarks".
_PARTS = frozenset(
    "Summary Remarks Introduction Contents Overview Highlights Foreword Preface Abstract Executive Findings "
    "Minutes Statement Release Report News Update Chapter Section Appendix Table Figure Brief Paper Sheet".split()
)
# A paragraph of a text file also ends at a colon (before a list) or a semicolon (closing an item).
PARAGRAPH_MARKS = ":;"


# Front matter is short: a headline, a byline, a dateline, an affiliation; or it is names.
_CUT_BODY = 600
# A headline's length at most: the longest of 236 real titles (the extraction benchmark's pages,
# real-sources-dev and a blind run's manifests) is 168 characters.
_TITLE_MAX = 300
# The share of lower-case words a cut story has: 0.64 to 0.9 in the 21 real cut stories of the
# blind runs this rule was written for; a list of authors has next to none.
_LOWER = 0.5


def is_prose(para: str) -> bool:
    """A body paragraph rather than a front-matter line: several words ending a sentence."""
    return (
        len(para.split()) >= 12
        and ends_sentence(para, PARAGRAPH_MARKS)
        and not re.match(r"^(publication history|article doi|doi|received|keywords?)\b", para, re.I)
    )


def reads_as_body(para: str) -> bool:
    """Prose (``is_prose``), or a paragraph of ``_CUT_BODY`` characters or more that is prose up to
    its last full stop and mostly lower-case words: a story cut off mid-sentence (a page copied in
    part, a paywall's cut), not a consortium's list of authors or affiliations, whose initials end
    in full stops too. Read as front matter, a cut story stood apart from its headline as "meta",
    and the headline alone was a passage that matched every question on the story and answered
    none."""
    if is_prose(para):
        return True
    stop = max(para.rfind(". "), para.rfind(".\n"))
    words = [w for w in para.split() if w[:1].isalpha()]
    lower = sum(w[0].islower() for w in words) / len(words) if words else 0.0
    # With no full stop at all, a long run of mostly lower-case words is speech written down
    # unpunctuated (automatic captions), not a headline: read as the title, it printed its whole text
    # in every citation.
    told = is_prose(para[: stop + 1]) if stop > 0 else "." not in para
    return len(para) >= _CUT_BODY and lower >= _LOWER and told


def news_lines(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """A front-matter paragraph as the blocks to read it as: a news text's headline, byline and
    dateline may stand on lines of their own with no blank line between ("By Lena Holm" over "4
    March 2029"), and the story may follow with none either ("November 7, 2022" over its first
    paragraph); each of those lines is then read apart, and the story after them, when its first
    line reads as prose or the whole of it as body (``reads_as_body``), is one block.
    Any other paragraph is one block."""
    lines = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+", text[start:end])]
    parts = [text[a:b].strip() for a, b in lines]
    news = [bool(_BYLINE.match(p) or _DATED_BYLINE.match(p) or DATELINE.match(p)) for p in parts]
    # The byline and dateline come first, or right under the headline.
    first = next((i for i, n in enumerate(news[:2]) if n), None)
    if len(lines) < 2 or first is None:
        return [(start, end, False)]
    last = first
    while last < len(news) and news[last]:
        last += 1
    if last - first > 3:
        return [(start, end, False)]
    trimmed = [(a + len(text[a:b]) - len(text[a:b].lstrip()), a + len(text[a:b].rstrip()), False) for a, b in lines]
    if last < len(lines) and (is_prose(parts[last]) or reads_as_body(text[lines[last][0] : end])):
        return trimmed[:last] + [(lines[last][0], end, True)]
    # Names, an affiliation or a "Present:" list under the dateline are front matter still.
    return trimmed


def front_matter_kind(doc: Document, para: str, title_seen: bool) -> str:
    """Classify a paragraph before the first heading and record the metadata it carries."""
    line = para.strip()
    journal = _JOURNAL_LINE.match(line)
    if journal:
        doc.publisher = journal.group("journal").strip()
        doc.date = doc.date or journal.group("year")
        return "meta"
    if re.match(r"^(article\s+)?doi\s*:", line, re.I):
        url = re.search(r"https?://[^\s<>]+", line)
        doc.url = url.group(0) if url else doc.url
        return "meta"
    # A news text's byline and dateline ("By A. Writer", "Published September 29, 2023") are
    # neither its title nor its authors' affiliation.
    if _read_byline(doc, line, title_seen):
        return "authors"
    placed = _PLACE.match(line) if title_seen else None
    dated = line[placed.end() :] if placed else line
    if DATELINE.match(dated) and (dated == line or not dated.isdigit()):
        doc.date = doc.date or parse_date(line)
        return "meta"
    if re.match(r"^publication history\s*:", line, re.I):
        published = re.search(r"published(?: online)? on ([^;]+)", line, re.I)
        if published:
            doc.date = parse_date(published.group(1)) or doc.date
        return "meta"
    if re.fullmatch(r"\(?[A-Z][A-Z ]{2,40}\)?", line):
        return "meta"
    # Under the headline, a dateline's place in capitals before its country ("GYEONGJU, South
    # Korea") names no author; a byline in capitals ("SARAH LEE, Staff Writer", "KENJI ITO, Japan
    # Today") does. Only a country or capital's words, and those around them, make a country.
    dateline = re.fullmatch(r"[A-Z][A-Z .'-]{2,40},\s*([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})", line)
    country = set(tokens.words(dateline.group(1))) if dateline else set()
    if title_seen and country & PLACES and country <= PLACES | AROUND_COUNTRIES:
        return "meta"
    # A Markdown file's "# " line names it however short ("# [libcbor](https://...)") and
    # whatever it ends with ("# Was COP28 a landmark?").
    markdown = line.startswith("# ")
    # A line with a web address is a saved page's banner ("The Wayback Machine - https://..."), not its title.
    headline = len(line.split()) >= 3 and not ends_sentence(line, PARAGRAPH_MARKS) and not _WEB_ADDRESS.search(line)
    titled = len(line) <= _TITLE_MAX and (markdown or headline)
    if not title_seen and titled and "\n" not in line:
        doc.title = plain(re.sub(r"^#+\s*", "", line))
        return "title"
    # A line of bare names under the headline: a paper's author line when a name carries a note
    # mark ("Shreedebi Sahoo *") or names join with "and" ("Lena Holm and Peter Sand"), a news
    # byline when the first is in capitals ("SARAH LEE, Staff Writer"). Otherwise, over 551 real
    # news texts, it was a label or a place 7 times in 8 ("Featured Image", "New Delhi, November 30").
    listed = names_in(line) if title_seen and not doc.authors else []
    marked = listed and (re.search(r"[^\W\d_](?:\s*[*†‡]|\d)", line) or re.match(r"[A-Z][A-Z.'’ -]+(?:,|$)", line))
    joined = listed and re.search(r"\band\b", line) and all(len(n.split()) >= 2 for n in listed)
    names = people(listed) if marked or joined else []
    if names:
        doc.authors = names
        return "authors"
    if _AFFILIATION.search(line) and len(line) < 300:
        return "authors"
    return "meta"


# A wire story's byline opening its first paragraph: "By Steve Gorman (Reuters) - The ...",
# "By Ann Lee and Bo Kim (AP) — ...".
_WIRE_BYLINE = re.compile(r"\s*(?i:by)\s+([A-Z][^()\n]{2,80}?)\s*\([^()\n]{2,40}\)\s*[-–—]")


def wire_byline(paragraph: str) -> list[str]:
    """The writers a wire story's first paragraph names before its agency ("By Steve Gorman
    (Reuters) - ..."), or none."""
    found = _WIRE_BYLINE.match(paragraph)
    names = _byline_names(found.group(1)) if found else []
    # A person's name has two words or more, and no day or month ("By Tuesday (June 4) - ...").
    return [n for n in names if len(n.split()) >= 2 and not {w.lower() for w in n.split()} & DAYS_AND_MONTHS]


def _read_byline(doc: Document, line: str, title_seen: bool) -> bool:
    """Whether ``line`` is a byline ("By Lena Holm"; under the headline, after its day's date,
    "April 15, 2021 by Dan McCue", which dates the text too), recording its people as ``doc``'s
    authors when it has none. A byline names people: "By 2030, the port aims to ..." is a sentence."""
    if ends_sentence(line):
        return False
    byline, dated = _BYLINE.match(line), _DATED_BYLINE.match(line)
    if byline:
        names = byline.group(1)
    elif dated and title_seen:
        doc.date = doc.date or parse_date(dated.group(1))
        names = dated.group(2)
    else:
        return False
    doc.authors = doc.authors or _byline_names(names)
    return True


def _byline_names(names: str) -> list[str]:
    """The people a byline's names list: "Ann Lee, Bo Kim and Cy Ng", without the outlet they
    wrote for ("... and Cy Ng for Reuters ->", "for the Orrin Times") or another role ("; Editing
    by ...", ", edited by ...")."""
    names = re.split(r"\s+for\s+(?:the\s+)?(?=[A-Z])|\s*;|,?\s+(?i:edited|additional reporting)\s+by\b", names)[0]
    return people([_without_place(name) for name in re.split(r",|\b(?i:and)\b", names)])


def _without_place(name: str) -> str:
    """A byline's name without where its writer filed from, as wire and China Daily bylines put
    it ("Zhong Nan in Beijing", "ANN LEE IN SEOUL"), when a name of two words or more is left:
    "Reuters in London" is an outlet, not a person called Reuters."""
    found = re.fullmatch(r"\s*(.+?)\s+(?i:in)\s+(\S.*?)\s*", name)
    if found and found.group(2)[0].isupper() and len(found.group(1).split()) >= 2:
        return found.group(1)
    return name


def names_in(line: str) -> list[str]:
    """The people a line of names lists ("A. Writer, B. Writer and C. de Souza1", without their
    note marks), or none when the line is anything else."""
    if len(line) >= 200 or not _NAMES.fullmatch(line) or _PARTS & set(re.findall(r"\w+", line)):
        return []
    return [a.strip(" *†‡0-9") for a in re.split(r",|\band\b|;|&", line) if a.strip(" *†‡0-9")]


def plain(markdown: str) -> str:
    """Markdown inline markup as the reader sees it: a link or image as its text, no emphasis or
    code marks."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    # Emphasis only around words ("snake_case" keeps its underscores), and none in code: the odd
    # pieces between backticks are code spans ("`__init__`").
    pieces = text.split("`")
    for i in range(0, len(pieces), 2):
        pieces[i] = re.sub(r"(?<!\w)(\*\*|__|\*|_)(\S(?:.*?\S)?)\1(?!\w)", r"\2", pieces[i])
    return "".join(pieces).strip()


# What follows a person's name in an author field and is not part of it: an editor ("Rob Ewaschuk
# Edited by Betsy Beyer"), a date ("Nathan Willis March 25, 2015"), a link or a site after a bar.
_AFTER_NAME = re.compile(
    rf"\s+(?:(?i:edited|reviewed|updated|posted)\s+(?i:by|on)\b|(?i:{'|'.join(MONTHS)})\.?\s+\d).*$"
    # A date day first or in numbers: "Ada Widget 5 March 2024", "Ada Widget, 2024-05-12".
    rf"|[\s,]+(?:\d{{1,2}}\s+(?i:{'|'.join(MONTHS)})\b|\d{{4}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}).*$"
    r"|\s*\(?\bhttps?://\S*\)?.*$|\s+[|•·–—-]\s.*$"
)
_NO_AUTHOR = frozenset("user owner admin administrator microsoft windows office unknown anonymous".split())
# A byline names the outlet and the writers' role beside them ("By Kelvin Chen, Taiwan News, Staff
# Reporter"), and a news text's outlet line ("Space Daily") or link ("Full Article") looks like a
# name: a word of an outlet's name makes no person's (not "Press", "Post" or "Service": Eyal Press,
# Emily Post, Robert Service), nor do role words alone ("Jane Q. Reporter" is a person), nor a
# name ending in a staff's ("Reuters Staff", "Al Jazeera Staff"), nor a body's ("Reported by The
# Ministry of Finance", "Associated Press", "Press Trust of India", "Xinhua").
_OUTLET_WORDS = frozenset(
    "news daily times agency bureau desk wire network media online herald tribune gazette journal magazine "
    "channel tv radio ministry department board associated xinhua kyodo yonhap bernama".split()
)
_ROLE_WORDS = frozenset(
    "staff reporter reporters correspondent correspondents writer writers team editorial special senior our web "
    "article articles full related read more".split()
)
# What an author field says before the name ("Analysis by Chris Cillizza", "By Ann Lee") and
# the role after it ("Chris Cillizza, CNN Editor-at-large", "Ann Lee, Staff Writer"; not "Writer",
# a surname too).
_BY_BEFORE = re.compile(r"^(?:[^\W\d_]+\s+)?(?i:by)\s+(?=\S)")
_ROLE_AFTER = re.compile(
    r",\s+[^,]*\b(?i:editor|editor-at-large|contributor|columnist|analyst|producer|correspondent|reporter|staff)\b.*$"
)
# A month or weekday ending a name of three words or more: what is left of a date ("Nathan Willis
# March", "Jeff Foust Monday"). "Maya March" keeps its surname.
# (Weekdays spelled out only: "Kim Jong Sun" keeps his name.)
_TRAILING_MONTH = re.compile(
    rf"^(\S+\s+\S+.*?)\s+(?i:{'|'.join(sorted({*MONTHS, *(d for d in DAY_NAMES if len(d) > 3)}))})\.?$"
)
# Months and weekdays spelled out: alone, what is left of a date, not an author.
_CALENDAR_WORDS = frozenset(w for w in DAYS_AND_MONTHS if len(w) > 3)


def people(names: list[str]) -> list[str]:
    """Author names as files give them (a web page's author field, a PDF's /Author), each once,
    without what trails it ("Nathan Willis" from "Nathan Willis March 25, 2015", a link, "Edited
    by ...") and without an authoring program's account ("Microsoft Office User").

    Args:
        names: the author values found, in order.

    Returns:
        The names, cleaned, in order, duplicates (in any case) dropped.
    """
    out, seen = [], set()
    for name in names:
        name = _ROLE_AFTER.sub("", _BY_BEFORE.sub("", " ".join(name.replace("\u00a0", " ").split())))
        name = _TRAILING_MONTH.sub(r"\1", _AFTER_NAME.sub("", name)).strip(" ,;")
        words = name.lower().split()
        # An authoring program's account is no author ("Microsoft Office User", "Owner", "jdoe").
        if (
            not words
            or "@" in name
            or (_NO_AUTHOR | _OUTLET_WORDS) & set(words)
            or set(words) <= _ROLE_WORDS
            or words[-1] in ("staff", "team", "desk")
            or words[0] == "the"
            # What is left of a date ("November"), but never a name of calendar words ("Sun Jun").
            or len(words) == 1
            and words[0] in _CALENDAR_WORDS
            or "of" in words[1:-1]
            or len(words) == 1
            and name == name.lower()
        ):
            continue
        # An agency's letters are no person's ("PTI", "CNN"); a name in capitals reads as names do.
        if len(words) == 1 and name.isupper():
            continue
        if name.isupper():
            # Each part of a name after a space, an apostrophe or a hyphen: "Jean-Luc O'Brien".
            name = re.sub(r"(^|[\s'’-])([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), name.lower())
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def title_and_site(title: str) -> tuple[str, str | None]:
    """A page's own title and the site's name after it: ``"Joint Statement | Ministry of External
    Affairs"`` -> ``("Joint Statement", "Ministry of External Affairs")``.

    Pages put their own title first and the site's name after; a very short first part
    ("Home | ...", "News - ...") is a section, and then the longest part is the title (and no
    site is told).
    """
    parts = [part.strip() for part in re.split(r"\s+[|–—:-]{1,2}\s+", title) if part.strip()]
    if not parts:
        return title, None
    if len(parts[0]) >= 15:
        return parts[0], parts[-1] if len(parts) > 1 else None
    return max(parts, key=len), None
