"""Parts of a series numbered after their name ("stage 7", "Article 20", "World War II",
"Chandrayaan-4"): what a question numbers, and the numbers passages give the same name. A
passage on stage 6 does not answer for stage 7 (``editions.edition``)."""

from __future__ import annotations

import re

# A thing numbered after its name: "stage 7", "Article 20", "World War II", "Units 3 and 4",
# "stages 6-8", or a name of two letters or more joined to its number ("Chandrayaan-4", "MiG-29";
# a lone "A-1" would read "a 5-year plan" as its fifth, "Under-19" and "Top-10" are no names).
# Only the names of the parts of a series: "Route 66" or "Windows 11" name one thing, and "in
# 2014" dates. A Roman numeral is in capitals, and a lone "I" is none before a verb ("In this
# section I describe"; "Phase I trial" and "World War I ended" keep theirs); numbers are listed only by "and" or "or" ("In week 2, 40 people came" numbers
# week 2 alone), and a number that counts what follows it numbers nothing ("the game 3 days
# later"). Measured with eval.py at a7a27e6: 2 more of Warsaw's unanswerable questions abstained
# ("World War I" for II, "Article 20" for 12), no answerable one refused on any set; on a blind
# real-news set, "Chandrayaan-4" for 3.
_SERIES = (
    "world war|stage|round|game|match|phase|season|week|episode|chapter|article|section|part|volume|leg|lap"
    "|heat|test|level|tier|title|clause|paragraph|annex|schedule|unit"
)
_ONE = (
    r"(?:\d{1,3}|[IVX]{2,4}|[VX]|I(?!\s+(?:also\s+)?(?:am|was|will|would|have|had|do|did|can|could|must|shall"
    r"|describe|discuss|argue|show|present|set|find|found|propose|consider|use|explain|examine|focus|suggest"
    r"|think|believe|note|want|hope|see|saw|said|say|mean|wrote|write|turn|return|begin|began|conclude)\b))"
)
_RANGE = r"\s*(?:–|—|-|\bto\b|\bthrough\b)\s*"
_NUMERALS = (
    rf"{_ONE}(?:{_RANGE}{_ONE}|(?:\s*,\s*{_ONE})*\s*,?\s*(?:and|or|&)\s*{_ONE})?\b(?![.,:/-]?\d)"
    r"(?!\s*%|\s+(?:days|weeks|months|years|hours|minutes|seconds|goals|points|runs|wickets|times|people"
    r"|players|per|percent)\b)"
)
_NUMBERED_AFTER = re.compile(
    rf"\b(?:(?i:({_SERIES}))s?\s+|(?!(?i:under|over|top|after|before|post|pre|non|mid)-)([A-Z][^\W_]+)-)({_NUMERALS})"
)
_NUMERAL = re.compile(r"\d{1,3}|[IVX]{1,4}")
_ROMAN = {"I": 1, "V": 5, "X": 10}
#: The most numbers a range stands for ("Articles 12 to 35").
_LONGEST_RANGE = 100


def numbered_after(question: str) -> list[tuple[str, str, int]]:
    """Each thing the question numbers after its name: (as written, its name, a number)."""
    return [
        (m.group(0), m.group(1) or m.group(2), number)
        for m in _NUMBERED_AFTER.finditer(question)
        for number in _numbers_in(m.group(3))
    ]


def numbers_after(name: str, texts: list[str]) -> set[int]:
    """The numbers ``texts`` give after ``name`` in any case, joined by a space or a hyphen:
    "Chandrayaan 3" and "Chandrayaan-3" are one mission."""
    after = re.compile(rf"\b(?i:{re.escape(name)})s?(?:-|\s+)({_NUMERALS})")
    return {n for text in texts for m in after.finditer(text) for n in _numbers_in(m.group(1))}


def numbers_marked(name: str, texts: list[str]) -> set[int]:
    """The numbers ``texts`` give ``name`` after "No." up to 40 characters on, before any full
    stop or number: "the two biggest units of the plant, No 6 and No 7" numbers units 6 and 7
    though no number follows "units"; "the round ... the world No 7", "ranked No 7" and "the No 2
    seed" number no round."""
    marked = re.compile(
        rf"\b(?i:{re.escape(name)})s?\b[^.;:!?\d]{{0,40}}?(?<!(?i:world) )(?<!['’]s )(?<!ranked )(?<!seeded )"
        rf"(?<!ranked at )(?<!to )\bNos?\.?\s*({_ONE}(?:\s*(?:,|and|&)\s*(?:No\.?\s*)?{_ONE})*)(?!\d)(?!\s*-?\s*(?i:seed))"
    )
    return {n for text in texts for m in marked.finditer(text) for n in _numbers_in(m.group(1))}


def _numbers_in(numerals: str) -> list[int]:
    """The numbers a run of numerals gives: each of a list, every one of a range ("6-8")."""
    values = [_value(n) for n in _NUMERAL.findall(numerals)]
    if len(values) == 2 and re.search(_RANGE, numerals) and 0 < values[1] - values[0] <= _LONGEST_RANGE:
        return list(range(values[0], values[1] + 1))
    return values


def _value(numeral: str) -> int:
    """The number a numeral writes: "7", or a Roman "II" or "IV"."""
    if numeral.isdigit():
        return int(numeral)
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
