"""A PDF's page furniture: running headers, footers and page numbers, told apart from body text
by recurring at the same edge of many pages, and dropped; the page numbers are read first
(``printed_numbers``) so citations can name the page a reader finds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from citeqa.corpus.dates import DATE_IN_TEXT, date_from_match
from citeqa.corpus.pdflines import Line, printed_by_browser
from citeqa.corpus.sentences import ends_sentence

# Matched against a line with digit runs replaced by "#": "Page 3 of 9", "- 3 -", "3", "3/9", "iv".
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—\s]*#(?:\s*(?:of|/)\s*#)?[-–—\s]*$|^(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$"
)
_RUNNING_DEPTH = 2  # how many lines at each end of a page may be header or footer
# A number opening or closing a line, as a running head prints its folio ("50 THE SIEGE OF
# VICKSBURG.", "1.4. Related documents 5"); not a section number ("1.4.") or a decimal.
_END_NUMBER = re.compile(r"^(\d{1,4})\s|\s(\d{1,4})$")


def strip_running(pages: list[list[Line]], printed: dict[int, str]) -> list[list[Line]]:
    """Drop page numbers, running headers and running footers from the top and bottom of each page.

    A line at a page's edge is furniture when it is set no larger than the body text and is a page
    number ("3", "Page 3 of 9", "iv"); recurs at that edge, word for word or as an OCR misreading
    of it, on most pages, on three or more (a chapter's running head) or on most pages of one
    side of a two-sided document and none of the other's (the odd pages' head); recurs there
    with a number that counts the pages ("Chapter 2: Setup 12" on page 16, "... 13" on page
    17); or, as on several pages,
    opens or closes with the page's own number (``printed``, by 1-based page, else its count:
    "1.4. Related documents 5" on page 5, "1.5. Definitions 6" on page 6). The last two hold only
    on pages without a page number of their own. So a title in display type on page 1 stays
    where pages 2 to N repeat it as their header, and "Chapter 3" or "Figure 3" on page 3 stays
    when a folio numbers that page. A running foot too long for one line takes the line it
    wraps onto with it.
    """
    folios = {
        line.page
        for lines in pages
        for line in lines[:_RUNNING_DEPTH] + lines[-_RUNNING_DEPTH:]
        if not line.large and _PAGE_NUMBER.match(_key(line.text))
    }
    numbers = {index: printed.get(index + 1, str(index + 1)) for index in range(len(pages))}
    top = _furniture([lines[:_RUNNING_DEPTH] for lines in pages], folios, numbers)
    bottom = _furniture([lines[-_RUNNING_DEPTH:] for lines in pages], folios, numbers)
    cleaned = []
    for lines in pages:
        lines = list(lines)
        widest = max((len(line.text) for line in lines), default=0)
        for _ in range(_RUNNING_DEPTH):
            if lines and top(lines[0]):
                lines.pop(0)
            if lines and (bottom(lines[-1]) or (len(lines) > 1 and bottom(lines[-2]) and _wrapped(lines[-2:], widest))):
                lines.pop()
        if lines:
            lines[0].gap = False  # the gap below a removed header is not a paragraph break
        cleaned.append(lines)
    return cleaned


def _wrapped(pair: list[Line], widest: int) -> bool:
    """Whether the second line of ``pair`` is the first's wrapped on: right below it in its type,
    the first as long as the page's longest line (``widest`` characters), as a line that ran out
    of room is. A short line above may be a body line taken for furniture, as a code sample's
    "draw curve" closing several pages is; the line below it is then body text too."""
    above, line = pair
    return (
        len(above.text) >= _FULL_LINE * widest
        and not line.gap
        and line.wraps_on()
        and (line.size, line.bold) == (above.size, above.bold)
    )


#: A line this share of the page's longest line or longer fills its width.
_FULL_LINE = 0.8


def strip_watermarks(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop watermarks: lines in display type found word for word on most pages, wherever on
    them ("DRAFT" drawn across each page). They would be taken for the title and for headings."""
    with_text = sum(1 for lines in pages if lines)
    marks = Counter(text for lines in pages for text in {line.text for line in lines if line.large})
    return [
        [
            line
            for line in lines
            if not line.large or marks[line.text] < _RUNNING_REPEATS or 2 * marks[line.text] <= with_text
        ]
        for lines in pages
    ]


def banner_lines(pages: list[list[Line]]) -> set[str]:
    """The lines of a banner drawn over every page of a printed web page (a cookie notice), found
    word for word on most pages wherever on them: at a page break one cut a sentence in two.
    Only long lines: a body line that long is not repeated word for word; a short one may be
    ("Continued", a table's header row). Read before ``strip_running``, which takes some of
    them off the pages' edges, and dropped after it (``strip_lines``)."""
    with_text = sum(1 for lines in pages if lines)
    seen = Counter(text for lines in pages for text in {line.text for line in lines if len(line.text) >= _BANNER_LINE})
    return {text for text, n in seen.items() if n >= _RUNNING_REPEATS and 2 * n > with_text}


def web_chrome(pages: list[list[Line]], info: dict) -> set[str]:
    """The lines of a browser's print of a web page that are only the label of a button, a menu or
    a share bar ("Share", "Sign Up", "I Accept"): no part of the story, and no heading of it. A
    printed Vox story had every passage under "§ I Accept", its cookie notice's button."""
    if not printed_by_browser(info):
        return set()
    # "more." ending a line is a wrapped paragraph's last word, not the "More" of a menu.
    labels = [line.text for lines in pages for line in lines if not line.text.rstrip().endswith((".", ",", ";"))]
    return {text for text in labels if _label(text) in _WEB_LABELS}


def _label(text: str) -> str:
    """A line as a label: lower case, its marks and icons ("✕", "!") dropped."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


# Labels that web pages' buttons, menus and share bars print as lines of their own.
_WEB_LABELS = frozenset(
    (
        "i accept|accept|accept all|accept all cookies|accept cookies|reject all|cookie settings|"
        "manage cookies|manage preferences|privacy settings|advertisement|advertisements|sponsored|share|"
        "share this|share this story|share this article|share all sharing options|tweet|email|print|"
        "copy link|facebook|twitter|linkedin|whatsapp|reddit|pinterest|flipboard|subscribe|subscribe now|"
        "sign in|sign up|sign up now|log in|log out|login|log in or sign up|log in sign up|register|search|"
        "show search|site search search|search search|close|menu|main menu|skip to content|"
        "skip to main content|read more|more|related|related articles|related stories|more stories|trending|"
        "follow us|newsletter|newsletters|comments|view comments|back to top"
    ).split("|")
)


def strip_lines(pages: list[list[Line]], texts: set[str]) -> list[list[Line]]:
    """``pages`` without the lines whose text is one of ``texts``."""
    return [[line for line in lines if line.text not in texts] for lines in pages] if texts else pages


#: The shortest body line that, found word for word on most pages, is a banner drawn over them.
_BANNER_LINE = 40
#: A line found word for word at the same edge of this many pages is a running head or foot.
_RUNNING_REPEATS = 3


def _furniture(edges: list[list[Line]], folios: set[int], numbers: dict[int, str]) -> Callable[[Line], bool]:
    """Tell whether a line of these page edges (all tops or all bottoms) is furniture.

    Args:
        edges: the lines at the same edge of every page.
        folios: the pages whose edges hold a page number.
        numbers: the number each page prints, by 0-based page.
    """
    small = [[line for line in edge if not line.large] for edge in edges]
    same = Counter(text for edge in small for text in {line.text for line in edge})
    copies = _near_copies(small)
    paged = _paged_keys(small)
    # Pages with text, in all and on each side of a two-sided document.
    sides = Counter(n % 2 for n, edge in enumerate(edges) if edge)
    # The pages whose edge line opens or closes with the page's own number.
    numbered = {line.page for edge in small for line in edge if _opens_or_closes(line.text, numbers[line.page])}
    one_side = _one_side([copies(line) for edge in small for line in edge], sides)

    def most(pages: set[int], page: int) -> bool:
        """Whether ``pages`` are most of the document's, or of those on ``page``'s side of it."""
        side = {other for other in pages if other % 2 == page % 2}
        return (len(pages) >= 2 and 2 * len(pages) > sides.total()) or (
            len(side) >= 2 and 2 * len(side) > sides[page % 2]
        )

    def furniture(line: Line) -> bool:
        if line.large:
            return False
        # Word for word on three pages or more (a chapter's running head, "Chapter 1: Setup" on
        # its six pages of twelve); or, misread or not, on most pages or on one side's.
        recurs = copies(line)
        if _PAGE_NUMBER.match(_key(line.text)) or same[line.text] >= _RUNNING_REPEATS or one_side(recurs):
            return True
        if len(recurs) >= 2 and 2 * len(recurs) > sides.total():
            return True
        # A page is numbered once: beside its folio, a changing number counts something else.
        if line.page in folios:
            return False
        own = _opens_or_closes(line.text, numbers[line.page])
        return _key(line.text) in paged or (own and (len(numbered) >= _RUNNING_REPEATS or most(numbered, line.page)))

    return furniture


def _one_side(recurring: list[set[int]], sides: Counter) -> Callable[[set[int]], bool]:
    """Tell, from the pages a line is found on, whether it is the running head or foot of one side
    of a two-sided document: found on most pages of that side and on none of the other's, and on
    three pages or more, or on two where the other side has a line of its own so (the odd
    pages' head of a six-page paper whose first page has none). Two pages of one side ending
    alike by chance ("• Save the settings file before you go on.") hold no such alternation.

    Args:
        recurring: for each line at the edge, the pages holding it (``_near_copies``).
        sides: how many pages with text each side has (by page index modulo 2).
    """

    def side(pages: set[int]) -> int | None:
        parities = {page % 2 for page in pages}
        if len(pages) < 2 or len(parities) != 1:
            return None
        parity = parities.pop()
        return parity if 2 * len(pages) > sides[parity] else None

    headed = {side(pages) for pages in recurring} - {None}

    def one_side(pages: set[int]) -> bool:
        parity = side(pages)
        return parity is not None and (len(pages) >= _RUNNING_REPEATS or 1 - parity in headed)

    return one_side


def _opens_or_closes(text: str, number: str) -> bool:
    """Whether ``text`` opens or closes with ``number`` as a word of its own."""
    words = text.split()
    return len(words) > 1 and number in (words[0], words[-1])


def without_folio(text: str, number: str) -> str:
    """A running head without the page number it opens or closes with, nor the stop left after
    its words: "THE SIEGE OF VICKSBURG. 49" on page 49 is "THE SIEGE OF VICKSBURG"."""
    words = text.split()
    if _opens_or_closes(text, number):
        words = words[1:] if words[0] == number else words[:-1]
    return " ".join(words).rstrip(" .,;:|-–—") or text


#: A line of this many letters or more is the same line with one letter misread (OCR).
_LONG_LINE = 12


def _near_copies(edges: list[list[Line]]) -> Callable[[Line], set[int]]:
    """For a line of these page edges, the pages whose same edge holds it: word for word, or for
    a long line the same letters but one, whatever its folio ("THE SIEGE OP VICKSBURG. 53" and
    "50 THE SIEGE OF VICKSBUEG." are "THE SIEGE OF VICKSBURG." misread by OCR)."""
    pages_of: dict[str, set[int]] = {}
    for edge in edges:
        for line in edge:
            for variant in _variants(line.text):
                pages_of.setdefault(variant, set()).add(line.page)

    def copies(line: Line) -> set[int]:
        return set().union(*(pages_of.get(variant, set()) for variant in _variants(line.text)))

    return copies


def _variants(text: str) -> set[str]:
    """The text itself, or for a long line its letters and digits, less a number opening or
    closing it (a folio), with and without each one of its letters inside a longer word: two
    lines a letter apart (one more, fewer or misread) share one of these.

    OCR misreads a letter within a word ("OP" for "OF"); lines differing in a word of one letter
    ("Option A: ...", "Option B: ...") say different things, as do two sentences of body text.
    """
    words = ["".join(c for c in word.lower() if c.isalnum()) for word in _END_NUMBER.sub(" ", text).split()]
    core = "".join(words)
    if sum(c.isalpha() for c in core) < _LONG_LINE or _body_sentence(text):
        return {text}
    # Only a letter may differ: lines a digit apart number different things ("page 3", "page 4").
    variants, start = {core}, 0
    for word in words:
        if len(word) > 1:
            variants |= {core[:n] + core[n + 1 :] for n in range(start, start + len(word)) if core[n].isalpha()}
        start += len(word)
    return variants


def _body_sentence(text: str) -> bool:
    """Whether the line reads as a sentence of body text: it ends one, and most of its words are
    in lower case (a book's running head in capitals may end in a stop too)."""
    words = text.split()
    return ends_sentence(text) and 2 * sum(word[0].islower() for word in words) > len(words)


def _paged_keys(edges: list[list[Line]]) -> dict[str, int]:
    """The keys of lines recurring on two or more pages with a number that goes up with the page,
    each with the index of that number among the line's numbers ("Setup 12 / 90": 0)."""
    found: dict[str, list[tuple[int, list[int]]]] = {}
    for edge in edges:
        for line in edge:
            numbers = [int(digits) for digits in re.findall(r"\d+", line.text)]
            if numbers:
                found.setdefault(_key(line.text), []).append((line.page, numbers))
    paged = {}
    for key, seen in found.items():
        if len({page for page, _ in seen}) < 2:
            continue
        counting = [
            k
            for k in range(min(len(numbers) for _, numbers in seen))
            if len({numbers[k] - page for page, numbers in seen}) == 1
        ]
        if counting:
            paged[key] = counting[0]
    return paged


#: A page's printed number may run on from its neighbour's past at most this many missing pages.
_SKIPPED_PAGES = 3


def printed_numbers(pages: list[list[Line]]) -> dict[int, int]:
    """The page number each page prints in its running head or foot, by 1-based page number,
    where most pages that print one agree on it.

    A PDF's page labels are written by its producer and can be wrong (a label range started on
    the wrong page), while the folios are what a reader finds. A folio is a line at a page's edge
    that is a page number ("23", "Page 23 of 92"), recurs with a number counting the pages
    ("Manual 23 / 92"), or opens or closes with a number ("1.4. Related documents 5"). A body
    line there can look like one (a table of contents' "13"), so only numbers at the one offset
    from the page's place in the file that most such pages share are kept, and none unless that
    offset holds on two pages or more and on most of the pages that show a candidate. A scanned
    excerpt can skip a page (49, 50, then 52), so a number that runs on from its neighbour's
    at another offset is kept too, where the numbers still rise with the pages, by no more than
    a few missing pages ("2019" opening a timeline's line after folio 14 is a year).
    """
    edges = [[line for line in lines[:_RUNNING_DEPTH] + lines[-_RUNNING_DEPTH:] if not line.large] for lines in pages]
    paged = _paged_keys(edges)
    candidates: dict[int, set[int]] = {}
    for index, edge in enumerate(edges):
        for line in edge:
            key, numbers = _key(line.text), [int(digits) for digits in re.findall(r"\d+", line.text)]
            if numbers and (_PAGE_NUMBER.match(key) or key in paged):
                candidates.setdefault(index + 1, set()).add(numbers[paged.get(key, 0)])
            elif end := _END_NUMBER.search(line.text):
                candidates.setdefault(index + 1, set()).add(int(end.group(1) or end.group(2)))
    offsets = Counter(number - page for page, numbers in candidates.items() for number in numbers)
    if not offsets:
        return {}
    offset, agreeing = offsets.most_common(1)[0]
    if agreeing < 2 or 2 * agreeing <= len(candidates):
        return {}
    printed = {page: page + offset for page, numbers in candidates.items() if page + offset in numbers}
    for page in sorted(set(candidates) - set(printed)):
        runs = [
            n
            for n in candidates[page]
            if n - 1 in candidates.get(page - 1, ()) or n + 1 in candidates.get(page + 1, ())
        ]
        if not runs:
            continue
        before = [printed[p] - p for p in printed if p < page]
        after = [printed[p] - p for p in printed if p > page]
        # Pages can be missing from the file, never added: the offset only grows, and by a few
        # pages (a scan skips a plate or a blank): numbers far above the count are years.
        low, high = max(before, default=None), min(after, default=None)
        kept = [
            n
            for n in runs
            if (low is None or low <= n - page <= low + _SKIPPED_PAGES)
            and (high is None or high - _SKIPPED_PAGES <= n - page <= high)
        ]
        if kept:
            printed[page] = kept[0]
    return dict(sorted(printed.items()))


def _key(text: str) -> str:
    """The line lowercased with each run of digits as "#", so page numbers compare equal."""
    return re.sub(r"\d+", "#", text.lower())


def running_date(dropped: set[str]) -> str | None:
    """The first date, in the order of their text, of the lines ``dropped`` from page 1 as its
    running header or footer ("GNU coreutils 9.1 September 2022 1": September 2022)."""
    for text in sorted(dropped):
        # A version's last part is no day: "coreutils 9.1 September 2022" is of September.
        for match in DATE_IN_TEXT.finditer(re.sub(r"\d+(?:\.\d+)+", " ", text)):
            date = date_from_match(match)
            if date:
                return date
    return None
