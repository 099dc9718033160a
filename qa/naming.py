"""How a question names a source: "the Reuters report of July 2025", "according to Bloomberg,",
"MOFA's release", "did the Financial Times say"; the patterns that find a name, and its words.
``qa.sources.SourceMatcher`` matches them against the library's metadata."""

from __future__ import annotations

import re

from citeqa.corpus import tokens
from citeqa.corpus.dates import CAPITALISED_MONTH, MONTHS
from citeqa.qa.clauses import SOURCE_NOUNS

# "according to the Yomiuri report", "in Reuters' story", "the 9DASHLINE analysis", "MOFA's release".
NAMED = re.compile(
    rf"(?:\b(?i:according) to (?:an? |the )?|^(?i:as )?(?i:per) (?:the )?|\b)"
    # Up to three lower-case words may stand between name and noun ("Reuters' latest report"), but
    # no capitalised one: in "What did the Reuters report say" the name is Reuters, not What.
    rf"(?P<name>(?:(?:[A-Z0-9]|[a-z]+[A-Z])[\w.&+-]*['’]?s?\s+){{1,4}}?)(?:['’]s?\s+)?(?:[a-z][\w-]*\s+){{0,3}}?(?:{SOURCE_NOUNS})\b(?!-)"
)
# An outlet's name: capitalised words, and "of" or "for" between them in "Voice of America", "the
# Ministry of Foreign Affairs of Japan" or "Bank for International Settlements" ("and" and "on"
# would take in "Coastal Gazette and Plains Courier" or "Coastal Gazette on Tuesday").
_OUTLET_WORD = r"(?:[A-Z0-9]|[a-z]+[A-Z])[\w.&+'’-]*"
_OUTLET = rf"(?:{_OUTLET_WORD}\s+(?:(?:of|for)\s+)?){{0,4}}{_OUTLET_WORD}"
# "According to Bloomberg, ...", "according to the Financial Times, ...", "... according to
# Bloomberg?": a name alone, then a comma or the question's end; there "and" may join a name
# ("the Globe and Mail") or two ("Reuters and AP": ``_each_held``).
AND = r"\s+(?:and|&)\s+(?:the\s+)?"
ATTRIBUTED = re.compile(
    rf"\b(?i:according) to (?:an? |the )?(?P<name>(?:{_OUTLET}{AND})?{_OUTLET}?)\s*(?:,|[?.!]*\s*$)"
)
# "How many did Reuters say were killed?", "..., per Thrifty Traveler?": a name that reports, an
# outlet when it is a publisher's whole name or initials; "What did Powell say?" names a person,
# so it never refuses.
SAID = re.compile(
    rf"\bdid (?:the )?(?P<name>{_OUTLET})\s+"
    r"(?:say|report|give|put|estimate|cite|quote|write|find|describe|call|list|count)\b"
    rf"|,?\s+per (?:the )?(?P<per>{_OUTLET}?)\s*[?.!]*\s*$"
    # "Per Indian Defence News, ...", "EdexLive reported that ...", "..., Hindustan Times said?".
    rf"|^(?i:as )?(?i:per) (?:the )?(?P<lead>{_OUTLET}),"
    rf"|(?:^|,\s*)(?:the )?(?P<says>{_OUTLET})\s+(?:reported|reports|said|says|wrote|writes)\b"
    # "In IGN's daily deals, ...": a publisher's piece, whatever it is called ("In Japan's view" is none).
    rf"|^(?i:in|from) (?:the )?(?P<poss>{_OUTLET})['’]s\s+[^,?]{{1,60}},"
)
# A source named by its date: "the March 2025 article", "the May 3, 2024 Kyodo report", "the release
# of 10 May 2026", "the October 2022 page". Only nouns that name a document ("the 2024 current
# account deficit" names none); and a bare year names one only before the noun, with at most a name
# and one more word between ("the 2024 Coastal Gazette report", "the 2024 joint statement"), as
# "signed in 2024 according to the story" does not.
_DOCUMENT_NOUNS = (
    r"report|release|press release|statement|joint statement|readout|factsheet|fact sheet|article|story|piece|op-ed|"
    r"editorial|interview|briefing|dispatch|column|explainer|transcript|communique|communiqué|announcement|overview|"
    r"newsletter|bulletin|notice|filing|preview|summary|analysis|commentary|page|web page|webpage|document|manual|"
    r"guide|handbook|update"
)
_FULL_DATE = rf"(?:\d{{1,2}}\s+)?(?:{CAPITALISED_MONTH})\.?(?:\s+\d{{1,2}})?,?\s+\d{{4}}"
_DATE = rf"{_FULL_DATE}|(?:19|20)\d\d"
# "its"/"their" before the date is read with it, so that a thing's own update ("its August 2025
# update", ``named_by_date``) is never read as one from its month or year on; "its March 2024
# report" stays a source.
DATED = re.compile(
    r"(?P<own>\b(?i:its|their)\s+)?"
    rf"(?:\b(?P<date>{_FULL_DATE})(?:['’]s?)?\s+(?:[\w.&'’-]+\s+){{0,3}}?(?:{_DOCUMENT_NOUNS})\b(?!-)"
    rf"|\b(?P<year>(?:19|20)\d\d)(?:['’]s?)?\s+(?:[A-Z][\w.&'’-]*\s+){{0,3}}(?:[a-z][\w-]*\s+)?"
    rf"(?:{_DOCUMENT_NOUNS})\b(?!-))"
    rf"|\b(?:{_DOCUMENT_NOUNS})\s+(?:of|from|dated|published on|published in|issued on)\s+(?P<after>{_DATE})\b"
)
# Document nouns that are verbs too ("Starmer and Ishiba note Putin ..."; ``name_matches``).
_VERB_NOUNS = frozenset("note notes report reports update updates post posts account feature profile release".split())
_DETERMINED = re.compile(r"(?:\b(?i:the|a|an|this|that|its|their|to)|['’]s?)\s*$")
# A person's possessive before a name and a document noun: "his Tokyo remarks".
PERSONS = re.compile(r"\b(?i:his|her|their)\s+$")
# An indefinite article before them: "an emailed Hapag-Lloyd statement" is some statement the
# company made, which a story quotes, not a source of the library ("a Reuters report" is one).
INDEFINITE = re.compile(r"\b(?i:an?)\s+(?:[a-z][\w-]*\s+){0,2}$")
_OBJECT = re.compile(r"\s+(?:[A-Z]|(?:the|a|an|that|his|her|its|their)\b)")
INITIALS = re.compile(r"[A-Z]{2,6}")
CAPITALISED = re.compile(r"\b(?:[A-Z]|\d+[A-Za-z]|[a-z]+[A-Z])[^\W_]*")
_GENERIC = frozenset(
    "the a an this that its their joint official latest final first second third new press media news government "
    "ministry ministerial indian japanese australian american us u.s. eu "
    # Parts of a source, not a source: "According to Section 3, ...", "according to Table 2, ...".
    "section figure fig table chapter appendix annex exhibit page paragraph part box chart".split()
)


def named_by_date(question: str) -> list[re.Match]:
    """The places ``question`` names a source by its date (``DATED``), but a thing's own update
    ("before its August 2025 update" of a declaration: the one "its"/"their" update in the
    evaluation and blind-run questions; "its March 2024 report" still names a source)."""
    return [
        m for m in DATED.finditer(question) if not (m.group("own") and re.search(r"updates?\W*$", m.group(0), re.I))
    ]


def naming_dates(question: str) -> list[tuple[int, int]]:
    """Where ``question`` dates a source it names ("the 2024 Reuters report", "the report of May
    2024"): no edition of what it asks about."""
    return [m.span(g) for m in named_by_date(question) for g in ("date", "year", "after") if m.group(g)]


def name_matches(question: str) -> list[re.Match]:
    """Every place ``question`` names a source: "the Yomiuri report", "according to Bloomberg,";
    not a verb with its object ("did Starmer and Ishiba note Putin's ...", "Did Ueda update the
    forecast?"), which a document noun can be when nothing determines the name before it."""
    named = [
        m
        for m in NAMED.finditer(question)
        if m.group(0).split()[-1].lower() not in _VERB_NOUNS
        or _DETERMINED.search(question, 0, m.start("name"))
        or not _OBJECT.match(question, m.end())
    ]
    return [*named, *ATTRIBUTED.finditer(question)]


def name_written(match: re.Match) -> str:
    """The name as the question writes it in a ``NAMED``, ``ATTRIBUTED`` or ``SAID`` match."""
    return next((v for k, v in match.groupdict().items() if k in ("name", "per", "lead", "says", "poss") and v), "")


def name_words(match: re.Match, generic: bool = False) -> list[str]:
    """The lower-cased words naming a source in a ``NAMED``, ``ATTRIBUTED`` or ``SAID`` match.
    Only a capitalised word names a source: "the first report" or "the 2025 report" does not.
    Generic words ("News", "Ministry") are dropped unless ``generic``."""
    names = [w.lower() for w in CAPITALISED.findall(name_written(match))]
    dropped = MONTHS.keys() | tokens.STOPWORDS | (set() if generic else _GENERIC)
    return [w for w in names if w not in dropped]
