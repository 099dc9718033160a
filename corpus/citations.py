"""Citations in running text: markers, the sentences that carry them, and the text a marker covers.

Pure text work on a source's extracted text. The audit (``qa/audit.py``) reads its claims with
it, and ``corpus/references.py`` drops markers from running text with the same pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citeqa.corpus.dates import DATE_IN_TEXT, date_from_match
from citeqa.corpus.sentences import split_sentences

_NUMBER = r"[1-9]\d{0,2}"
# A range of references ("1–3"; numeric styles such as Vancouver's write them so).
_ITEM = rf"{_NUMBER}(?:\s*[-–—]\s*{_NUMBER})?"
# Where in the work a marker points: "[2, p. 4]", "[3, pp. 12–14]", "[5, § 2]".
_LOCATOR = r"(?:pp?\.|§|para\.|ch\.|fig\.|sec\.)\s*\d+(?:\s*[-–—]\s*\d+)?"
#: One citation marker, "[5]", a footnote's "[^5]", a list "[3, 7]", a range "[2–4]" or one
#: pointing into the work "[2, p. 4]"; group 1
#: is its number or numbers (see ``marker_numbers``). References count from 1: "[0, 1]" is an
#: interval and "[1,000]" a figure; a range is one only as ``runs`` reads it.
MARKER = re.compile(rf"\[\^?({_ITEM}(?:\s*,\s*{_ITEM})*)(?:,\s*{_LOCATOR})?\]")
# Between two markers of a run: space, or a dash with none around it making them a range
# ("[1]–[3]", IEEE's style; "[2] — [5] argued" is an aside).
_JOIN_DASH = r"[-–—]"
_JOIN = rf"(?:\s*|{_JOIN_DASH})"
#: A run of markers: "[3]", "[^1]", "[5][3][^4]", "[5] [3]", "[1]–[3]".
MARKER_RUN = re.compile(rf"{MARKER.pattern}(?:{_JOIN}{MARKER.pattern})*")
_DASH = re.compile(r"\s*[-–—]\s*")
_LEADING_RUN = re.compile(rf"\s*({MARKER_RUN.pattern})\s*")
#: How far a range may rise: a review cites "[12–25]"; "[1–100]" is no run of references.
_LONGEST_RANGE = 30
# A range from 1 that is a scale's ends, by a word bound to it: "rated [1–5]", "scored each item
# [1–5]", "rescaled to [1–10]", "on a scale of [1–10]", "a [1–7] Likert scale", "a [1–5] scale";
# not "Many studies [1–5] ...", "Large-scale cohorts [1–4]" nor "at the population scale".
_SCALE_BEFORE = re.compile(
    r"\b(?:rated|rescaled|scored|graded|coded|scales?\s+of|likert)(?:[^\S\n]+[\w-]+){0,2}[^\S\n]*(?:to|from|of)?[^\S\n]*$",
    re.IGNORECASE,
)
# An interval named right before it: "values in the range [2–8]", "the interval [3–5]".
_INTERVAL = re.compile(r"\b(?:range|interval)[^\S\n]*$", re.IGNORECASE)
_SCALE_AFTER = re.compile(r"[^\S\n]+(?:[\w-]+[^\S\n]+){0,2}(?<!-)(?:scale|likert|points?)\b", re.IGNORECASE)
# Words that make a clause a plan rather than a report: "will open in 2031", "by 2030".
_FUTURE = re.compile(
    r"\b(?:will|would|could|shall|plans?|planned|aims?\s+to|targets?|expected|expects|proposed|"
    r"upcoming|intends?|scheduled|by\s+(?:the\s+end\s+of\s+)?\d{4})\b",
    re.IGNORECASE,
)
# Where a clause starts: a date is judged by the words of its own clause.
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:and|but|while|whereas)\s+")
_FIGURE = re.compile(r"\b\d[\d,.]*%?|\b(?:19|20)\d{2}\b")
# Inline code, as Markdown writes it.
_CODE = re.compile(r"`[^`\n]+`")
# What a dropped marker leaves of the words around it: "(see )", "(e.g. )", "()".
_EMPTIED = re.compile(r"\(\s*(?:(?:see(?:\s+also)?|cf\.|e\.g\.,?|i\.e\.,?)\s*)?\)", re.IGNORECASE)


@dataclass
class CitingSentence:
    """A sentence (or table row) that carries citation markers.

    Attributes:
        start, end: its offsets in the text, markers included.
        numbers: the numbers of its markers in order, repeats kept.
        runs: how many marker runs it holds.
    """

    start: int
    end: int
    numbers: list[int]
    runs: int


def marker_numbers(text: str) -> list[int]:
    """The numbers of the markers in ``text``, in order.

    Args:
        text: any text.

    Returns:
        One number per marker, each of a list's ("[3, 7]" cites 3 and 7) and each of a range's
        ("[2–4]" and "[2]–[4]" cite 2, 3 and 4), repeats kept; none of a scale's ends.
    """
    out: list[int] = []
    for run in runs(text):
        end = None
        for match in MARKER.finditer(run.group(0)):
            numbers = [n for item in match.group(1).split(",") for n in _item_numbers(item)]
            if (
                end is not None
                and re.fullmatch(_JOIN_DASH, run.group(0)[end : match.start()])
                and _rises(out[-1], numbers[0])
            ):
                out += range(out[-1] + 1, numbers[0])
            out += numbers
            end = match.end()
    return out


def first_number(marker: str) -> int:
    """The first reference a marker ("[3]", "[^3]", "[3, 7]", "[3–5]") cites."""
    return marker_numbers(marker)[0]


def runs(text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    """The marker runs (``MARKER_RUN``) of ``text[start:end]``, each cut where a marker is no
    citation: a range falling or rising past ``_LONGEST_RANGE``, or a scale's ends (``_scale``).

    Args:
        text: any text.
        start, end: where to look.

    Returns:
        The runs' matches, in order.
    """
    out = []
    end = len(text) if end is None else end
    # "`a[2]`" in inline code indexes, it cites nothing.
    code = [span.span() for span in _CODE.finditer(text, start, end)]
    for run in MARKER_RUN.finditer(text, start, end):
        if any(a < run.end() and run.start() < b for a, b in code):
            continue
        kept: list[re.Match] = []
        for marker in [*MARKER.finditer(text, run.start(), run.end()), None]:
            if marker and _ranged(marker.group(1)) and not _scale(text, marker):
                kept.append(marker)
            elif kept:
                out.append(MARKER_RUN.match(text, kept[0].start(), kept[-1].end()))
                kept = []
    return out


def drop_markers(text: str, replacement: str = "") -> str:
    """``text`` with each marker run (``runs``) replaced by ``replacement``."""
    out, position = [], 0
    for run in runs(text):
        out += [text[position : run.start()], replacement]
        position = run.end()
    return "".join(out) + text[position:]


def _scale(text: str, marker: re.Match) -> bool:
    """Whether a range marker is an interval (``_INTERVAL``) or a scale's ends: a range from 1
    with a scale's word bound to it (``_SCALE_BEFORE``, ``_SCALE_AFTER``); one starting later is
    a list of references."""
    before = text[max(0, marker.start() - 60) : marker.start()]
    if _INTERVAL.search(before):
        return True
    if not re.fullmatch(rf"\^?1{_DASH.pattern}\d+", marker.group(1)):
        return False
    return bool(_SCALE_BEFORE.search(before) or _SCALE_AFTER.match(text, marker.end()))


def _ranged(numbers: str) -> bool:
    """Whether each range of a marker's numbers rises by at most ``_LONGEST_RANGE``: "2–4" cites
    three references, "1–100" and "4–2" none."""
    bounds = [[int(n) for n in _DASH.split(item.strip())] for item in numbers.split(",")]
    return all(len(b) == 1 or _rises(*b) for b in bounds)


def _rises(low: int, high: int) -> bool:
    """Whether ``low`` to ``high`` is a range of references (``_LONGEST_RANGE``)."""
    return low < high <= low + _LONGEST_RANGE


def _item_numbers(item: str) -> list[int]:
    """The numbers of one item of a marker: "7", or each of a range "2–4"."""
    first, _, last = _DASH.sub("-", item.strip()).partition("-")
    return list(range(int(first), int(last) + 1)) if last else [int(first)]


def tidy(text: str) -> str:
    """``text`` on one line, without the space a removed marker leaves before punctuation, nor the
    parentheses it leaves empty ("(see [1])").

    Args:
        text: a sentence or passage.

    Returns:
        The tidied text.
    """
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", _EMPTIED.sub("", text))).strip()


def strip_markers(text: str) -> str:
    """``text`` without its citation markers, tidied (see ``tidy``).

    Args:
        text: a citing sentence.

    Returns:
        The sentence as a claim reads.
    """
    return tidy(drop_markers(text))


def flatten(text: str) -> str:
    """Soft line wraps turned into spaces, so a hard-wrapped paragraph is one run of sentences.

    Blank lines, table rows (tabs) and bullet items keep their breaks; the length is unchanged,
    so offsets into ``text`` still hold.

    Args:
        text: a source's extracted text.

    Returns:
        The flattened text.
    """
    return re.sub(r"(?<=[^\n\t])\n(?=[^\n\t•*\-])", " ", text)


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the paragraph (text between blank lines) holding ``text[start:end]``.

    Args:
        text: the whole text.
        start, end: a span inside it.

    Returns:
        ``(paragraph start, paragraph end)``.
    """
    before = text.rfind("\n\n", 0, start)
    after = text.find("\n\n", end)
    return (0 if before < 0 else before + 2), (len(text) if after < 0 else after)


def citing_sentences(flat: str, spans: list[tuple[int, int]]) -> list[CitingSentence]:
    """The sentences among ``spans`` that carry markers, each run kept with the sentence it closes.

    A run opening a sentence ("… end. [^5] Next …") belongs to the sentence before it, a run
    after a full stop followed by more text ends a sentence that the splitter joined, and a run
    after a comma, semicolon or colon with another run later in the sentence ends a clause of
    its own ("… in 2023,[^1] while … in 1952.[^2]").

    Args:
        flat: the flattened text (see ``flatten``).
        spans: its sentence spans (or table rows), in order.

    Returns:
        The citing sentences, in order.
    """
    out = []
    for start, end in _with_runs(flat, spans):
        found = runs(flat, start, end)
        numbers = [n for run in found for n in marker_numbers(run.group(0))]
        if numbers:
            out.append(CitingSentence(start, end, numbers, len(found)))
    return out


def _with_runs(flat: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        lead = _LEADING_RUN.match(flat, start, end)
        if lead and out and runs(lead.group(1)):
            out[-1] = (out[-1][0], lead.end(1))
            start = lead.end()
            if start >= end:
                continue
        cut = start
        found = runs(flat, start, end)
        for index, run in enumerate(found):
            before = flat[cut : run.start()].rstrip()
            rest = flat[run.end() : end]
            after = rest.lstrip()
            ends_sentence = before.endswith((".", "!", "?")) and after[:1].isupper()
            # "... 1.2 million in 2023,[^1] while ... in 1952.[^2]": each clause says what its
            # own marker's source does, and neither source the whole sentence.
            ends_clause = before.endswith((",", ";", ":")) and index + 1 < len(found)
            if after and (ends_sentence or ends_clause):
                out.append((cut, run.end()))
                cut = run.end() + len(rest) - len(after)
        out.append((cut, end))
    return out


def covered_starts(flat: str, spans: list[tuple[int, int]]) -> list[int]:
    """Where the text each citing sentence's markers cover begins.

    A marker closing a paragraph covers the uncited sentences of the paragraph before it, back to
    the previous citing sentence; a table row covers itself only.

    Args:
        flat: the flattened text (see ``flatten``).
        spans: the citing sentences' spans, in reading order.

    Returns:
        One start offset per span.
    """
    starts = []
    previous_end = 0
    for start, end in spans:
        paragraph_start, _ = paragraph_around(flat, start, end)
        row_start = flat.rfind("\n", 0, start) + 1
        starts.append(start if "\t" in flat[row_start:end] else max(paragraph_start, previous_end))
        previous_end = end
    return starts


def reported_dates(text: str, start: int, end: int) -> list[tuple[str, str, str]]:
    """The dates of events that the sentences of ``text[start:end]`` report.

    Dates in forward-looking clauses ("will open … in 2031", "by 2030") are plans, not events,
    and are left out.

    Args:
        text: the flattened text.
        start, end: the span covered by a citation.

    Returns:
        ``(sentence, date as written, ISO date)`` for each reported date.
    """
    out = []
    for sentence_start, sentence_end in split_sentences(text, start, end):
        sentence = text[sentence_start:sentence_end]
        for match in DATE_IN_TEXT.finditer(sentence):
            if _FUTURE.search(_CLAUSE.split(sentence[: match.start()])[-1]):
                continue
            iso = date_from_match(match)
            if iso:
                out.append((sentence, match.group(0), iso))
    return out


def stated_figures(text: str) -> list[str]:
    """The day-precise dates (as ISO dates) and the numbers that ``text`` states.

    Args:
        text: a claim or a passage.

    Returns:
        The figures in order, without repeats.
    """
    found = []
    for match in DATE_IN_TEXT.finditer(text):
        if match.group("d1") or match.group("d2") or match.group("iso"):
            found.append(date_from_match(match) or match.group(0))
    without_dates = DATE_IN_TEXT.sub(" ", text)
    found += [m.group(0).rstrip(".,") for m in _FIGURE.finditer(without_dates)]
    return list(dict.fromkeys(found))
