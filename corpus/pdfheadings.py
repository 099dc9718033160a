"""Which lines of a PDF are headings, told by their words and, where the PDF gives it, their type;
and which give its title (and, for a web page a browser saved as PDF, its site and date).

A text layer has no heading markup. Words alone mislead: a figure legend ("Tukey-Hanning"), a
table header ("NAME RED GREEN BLUE") or a label ("Call:") is a short Title Case line too, and one
taken for a heading would name the section of all the body text after it. Most typeset documents
set their headings apart in larger or bold type, so where a document does, only such lines are
headings; the word rules decide alone only in a document whose headings look like its body text.
"""

from __future__ import annotations

import re
from collections import Counter

from citeqa.corpus.dates import date_near_top, parse_date
from citeqa.corpus.frontmatter import title_and_site
from citeqa.corpus.pdflines import Line, printed_by_browser, typeset_by_groff
from citeqa.corpus.pdfrunning import running_date
from citeqa.corpus.sentences import ends_sentence

BULLET = re.compile(r"^(?:[•◦▪●○■□‣∙·*–-]|\(?[a-z0-9]{1,2}\))\s+")
NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+([A-Za-z].*)$")
#: A URL or an email address: a contact or a link line, never part of a heading or title.
LINK = re.compile(r"(?:https?|ftp)://|\bwww\.|[\w.+-]+@[\w-]+\.\w", re.I)
_CODE = re.compile(r"[_=<>{}\[\]|\\@#$%^*~]")
_MINOR_WORDS = set(
    "a an and as at by for from in into of on or the to vs via with its their over under between towards".split()
)
#: How many lines in display type must look like headings for a document to set its headings so.
_TYPED = 2
#: A heading wraps onto at most this many lines; more in the same type is a block of display text.
_HEADING_LINES = 3
# A /Title naming a file or a template ("Microsoft Word - x.docx", "untitled", "automultiplechoice.sty").
# A /Title that names a file or the template an authoring tool filled in ("Layout 1", "Slide 1",
# "PowerPoint Presentation", "report_final_v2"), not the document.
_FILE_NAME_TITLE = re.compile(
    r"^(?:microsoft\s+\w+\s*-|untitled\b)|^\S+\.[a-z]{2,4}$|\.(?:docx?|pdf|odt|rtf|tex|txt|pptx?|xlsx?|indd)\s*$"
    r"|^(?:layout|slide|document|presentation|powerpoint presentation|title|page|untitled)\s*\d*$|^\w*_\w*$",
    re.I,
)
#: A title wraps onto at most this many lines of the same type.
_TITLE_LINES = 3
#: A heading has at most this many words (as ``heading_label`` holds); more is display text.
_HEADING_WORDS = 12


_QA_LABEL = re.compile(r"[QA]\s*:")


def heading_label(text: str) -> str | None:
    """The section label if the line reads like a heading (numbered, ALL CAPS or Title Case)."""
    words = text.split()
    if not words or len(words) > _HEADING_WORDS or len(text) > 120 or text[-1] in ".,;" or BULLET.match(text):
        return None
    # Code, URLs and table rows are not headings however they are capitalised.
    if _CODE.search(text):
        return None
    numbered = NUMBERED.match(text)
    if numbered:
        return f"{numbered.group(1)} {numbered.group(2)}"
    # A line ending in a colon introduces what follows it ("Call:", "Affiliation:"); an interview's
    # question or answer is labelled ("A: Lebron James"); a lone letter is a glyph ("X", a close
    # button).
    if text[-1] == ":" or not text[0].isalpha() or sum(c.isalpha() or c == " " for c in text) < 0.8 * len(text):
        return None
    if _QA_LABEL.match(text) or sum(c.isalpha() for c in text) < 2:
        return None
    if text.isupper() and sum(c.isalpha() for c in text) >= 2:
        return text
    significant = [w for w in words if w.lower() not in _MINOR_WORDS or w is words[0]]
    return text if all(w[0].isupper() or w.strip("(),:").isdigit() for w in significant) else None


# A contents entry's end: dot leaders running to a page number ("1.1 Scope . . . . 3", "Preface
# .... ix"). An ellipsis in a heading ("draw line from ... to") has fewer dots and no number.
_LEADERS = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,6})$")
_TRAILING_PAGE = re.compile(r"^(.*\S)\s+(\d{1,4}|[ivxlc]{1,6})$")
_CONTENTS_TITLE = re.compile(r"^(?:table of )?contents$", re.I)
#: A contents page with this many entries ending in rising page numbers holds them all.
_CONTENTS_ENTRIES = 3
# A page that lists where things are, by its title: "Contents", "Table of Contents", "Index",
# "Concept Index" (not "Price Index", whose rows may answer).
_LISTING_TITLE = re.compile(
    r"^(?:(?:table of )?contents|(?:subject |concept |general |name |author |keyword )?index)$", re.I
)


def listing_entries(lines: list[Line], entries: set[int]) -> set[int]:
    """The ``id``s of the contents entries (``contents_entries``) on a page titled as a listing
    (``_LISTING_TITLE``): a table of contents or an index names every topic and answers none.
    Elsewhere leaders or rising numbers may be a table's rows ("Revenue . . . . 4200") or a
    timeline ("3 Treaty entered into force 2023"), which answer."""
    titled = {line.page for line in lines if _LISTING_TITLE.match(line.text.strip())}
    # A listing runs on over pages without its title, each mostly entries.
    counts = Counter(line.page for line in lines)
    listed = Counter(line.page for line in lines if id(line) in entries)
    for page in sorted(counts):
        if page - 1 in titled and 2 * listed[page] >= counts[page]:
            titled.add(page)
    return {id(line) for line in lines if id(line) in entries and line.page in titled}


def contents_entries(lines: list[Line]) -> set[int]:
    """The ``id``s of lines that are entries of a table of contents, never headings: a line with
    dot leaders ("1.1 Scope . . . . 3"), and on a contents page with several such lines or lines
    reading like headings that end in page numbers which never go down ("1 About this manual 3",
    "2 Archive 7"), each of those.

    A contents page has leaders, a "Contents" heading, or lines ending in numbers one right
    after another: headings in the body can end in rising numbers of their own too ("1.2 Step
    1", "1.3 Step 2"), but with body text between them.
    """
    entries: set[int] = set()
    paged: dict[int, list[tuple[Line, str]]] = {}
    contents_pages = set()
    ending_lines: dict[int, list[int]] = {}  # by page, the positions of lines ending in a number
    for n, line in enumerate(lines):
        ending = _TRAILING_PAGE.match(line.text)
        leaders = bool(_LEADERS.search(line.text))
        if leaders:
            entries.add(id(line))
        if leaders or _CONTENTS_TITLE.match(line.text):
            contents_pages.add(line.page)
        if leaders or ending:
            ending_lines.setdefault(line.page, []).append(n)
        if leaders or (ending and heading_label(ending.group(1))):
            paged.setdefault(line.page, []).append((line, ending.group(2) if ending else ""))
    for page, found in paged.items():
        numbers = [int(number) for _, number in found if number.isdigit()]
        listed = page in contents_pages or _longest_run(ending_lines[page]) >= _CONTENTS_ENTRIES
        if listed and len(found) >= _CONTENTS_ENTRIES and numbers == sorted(numbers):
            entries.update(id(line) for line, _ in found)
    return entries


def _longest_run(positions: list[int]) -> int:
    """The length of the longest run of consecutive numbers in the rising ``positions``."""
    longest = run = 0
    for n, position in enumerate(positions):
        run = run + 1 if n and position == positions[n - 1] + 1 else 1
        longest = max(longest, run)
    return longest


def _emphasised(line: Line) -> bool:
    """Whether the line is set apart from body text in larger or bold type."""
    return line.large or bool(line.bold)


def typed_headings(lines: list[Line]) -> bool:
    """Whether the document sets its headings apart in type: several lines reading like headings
    are larger or bolder than its body text."""
    return sum(1 for line in lines if _emphasised(line) and heading_label(line.text)) >= _TYPED


def is_heading(line: Line, typed: bool, width: int) -> bool:
    """Whether a line that may start a block is a heading.

    Args:
        line: the line, which follows the end of a paragraph or list.
        typed: the document sets its headings in larger or bold type (``typed_headings``).
        width: the length of the page's longest line, the width of its body text.
    """
    numbered = NUMBERED.match(line.text)
    if not heading_label(line.text):
        return False
    if typed:
        # A document may number its sections in body type and set only a few apart ("References");
        # a numbered list item there reads as a sentence, not in Title Case.
        return _emphasised(line) or bool(numbered and heading_label(numbered.group(2)))
    # Without type to go by, a lowercase word after a number is a list item ("2 cups of flour"),
    # and an unnumbered Title Case line is a heading only when shorter than the body text.
    if numbered:
        return numbered.group(2)[0].isupper()
    return line.text.isupper() or len(line.text) < 0.7 * width


def continues_heading(heading: list[Line], line: Line, typed: bool) -> bool:
    """Whether ``line`` is the next line of a heading wrapped over lines ``heading``: set in the
    same size and weight of display type right below it, starting no heading of its own and no
    axis of numbers, holding no URL or email address, and leaving the heading no longer than a
    heading is.

    Display lines that merely follow each other are often not one heading: a title page's names
    and contact address below a heading, or a figure's axis label before its caption.
    """
    last = heading[-1]
    return (
        typed
        and _emphasised(line)
        and (line.large, line.bold, line.size) == (last.large, last.bold, last.size)
        and line.page == last.page
        and not line.gap
        and line.wraps_on()
        and len(heading) < _HEADING_LINES
        and line.text[0].isalpha()
        and not NUMBERED.match(line.text)
        and not LINK.search(line.text)
        # Words, that is, not a section number ("4.3.").
        and sum(any(c.isalpha() for c in word) for part in [*heading, line] for word in part.text.split())
        <= _HEADING_WORDS
        and not ends_sentence(last.text, ":")
    )


def display_title(first_page: list[Line]) -> list[str]:
    """The first run of page 1's largest display type, as lines: the title the page shows.

    The run stops at a paragraph gap (display type is spaced wider than body text, so the gap is
    measured in its own size) and holds no numbered line (a section's heading) or URL.
    """

    def display(line: Line) -> bool:
        return line.large and bool(line.size) and not NUMBERED.match(line.text) and not LINK.search(line.text)

    top = max((line.size for line in first_page if display(line)), default=None)
    run: list[Line] = []
    for line in first_page:
        if display(line) and line.size == top and (not run or (line.wraps_on() and len(run) < _TITLE_LINES)):
            run.append(line)
        elif run:
            break
    return [line.text for line in run] if any(c.isalpha() for line in run for c in line.text) else []


#: How many of page 1's first lines a title in body type is looked for among.
_TITLE_SEARCH = 6
# Labels heading a part of a document, never its title. A man page opens with "NAME" over the
# line that names it ("ls - list directory contents"): nine printed man pages were all "NAME".
_SECTION_LABELS = frozenset("name synopsis description contents abstract summary introduction preface overview".split())
_MAN_NAME = re.compile(r"^[\w.:+-]+(?:,\s*[\w.:+-]+)*\s*[-–—]\s+\S")


def title_lines(first_page: list[Line], info: dict) -> list[str]:
    """The lines of the title: the Info /Title unless it names a file or a template, else page
    1's display title (``display_title``), else a man page's name line (under "NAME"), else a
    line of page 1 that is unnumbered, reads like a heading and is in bold (or, none being, one
    of its first lines), and is no section's label ("Synopsis", "Abstract").

    A /Title naming no file is the author's own, where page 1's display type also sets subtitles,
    URLs and names and a text layer can lose the spaces between words; the first heading-like
    line may be an author's name above the title.
    """
    title = " ".join((info.get("/Title") or "").split())
    if title and any(c.isalpha() for c in title) and not _FILE_NAME_TITLE.search(title):
        return [title]
    shown = display_title(first_page)
    if shown:
        return shown
    for above, line in zip(first_page, first_page[1:], strict=False):
        if above.text.strip().lower() == "name" and _MAN_NAME.match(line.text):
            return [line.text]
    # In bold anywhere (a release's title under a letterhead), else near the top only: deeper
    # down, a line reading like a heading is a section's or a wrapped fragment of a paragraph
    # ("Also at Walmart" from a page of deals).
    headings = [
        line
        for n, line in enumerate(first_page)
        if (line.bold or n < _TITLE_SEARCH)
        and heading_label(line.text)
        and not NUMBERED.match(line.text)
        and line.text.strip().lower() not in _SECTION_LABELS
    ]
    return [line.text for line in sorted(headings, key=lambda line: not line.bold)][:1]


def created_date(info: dict, dropped: set[str]) -> str | None:
    """The day a PDF's /CreationDate gives; for a man page groff typeset (its /Creator), the date
    its running footer carries ("GNU coreutils 9.1 September 2022"), as groff prints a page the
    day it is asked to. Only groff's: another PDF's running lines may hold a target year ("Vision
    2040") or the day it was downloaded ("Downloaded ... on 12 May 2023").

    Args:
        info: the PDF's Info dictionary.
        dropped: the lines of page 1 that ``strip_running`` dropped.
    """
    if typeset_by_groff(info):
        return running_date(dropped)
    created = re.match(r"^D:(\d{4})(\d{2})?(\d{2})?", info.get("/CreationDate") or "")
    # parse_date refuses a day that does not exist ("D:20240230"), as it does in text.
    return parse_date("-".join(part for part in created.groups() if part)) if created else None


def printed_page(info: dict, title: str | None, date: str | None, text: str) -> tuple:
    """``(title, publisher, date)`` of a PDF, told apart for a web page a browser saved as PDF
    (its /Creator a browser's): its /Title is the page's <title>, the site's name after it, and
    its /CreationDate the day it was printed, so the date is the one the page prints near its
    top ("Updated Nov 13, 2019"), if any. Other PDFs' are as given, with no publisher."""
    if not printed_by_browser(info):
        return title, None, date
    own, site = title_and_site(title) if title else (title, None)
    return own, site, date_near_top(text)
