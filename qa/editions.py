"""Editions: which one of a series a question asks about ("the third dialogue", "the next
summit", "stage 7", "the 2020 election"), and whether the best passages are about that one. A
passage on the second dialogue does not answer for the third (``qa.abstain`` weighs it)."""

from __future__ import annotations

import functools
import re

from citeqa.corpus import tokens
from citeqa.corpus.capitals import AROUND_COUNTRIES, SAME_GOVERNMENT
from citeqa.corpus.dates import MONTHS
from citeqa.qa.answer_types import IRREGULAR_PAST, ORDINALS, ordinals
from citeqa.qa.naming import naming_dates
from citeqa.qa.numbered import numbered_after, numbers_after, numbers_marked
from citeqa.qa.sources import SourceMatcher

#: How many of the best passages must hold the kind of answer asked for (a date, a number...)
#: in their best sentences (``retrieve.Scored.sentence``), or the edition asked about in their text.
ANSWERING = 5
_WORD = re.compile(r"[^\W_]+")

# An ordinal after a determiner or a possessive names an edition: "the third dialogue", "its 2nd
# round", "Japan's first summit", "TSMC's planned third fab"; in "when did X first enter" it says
# when, not which.
_EDITION = re.compile(
    rf"\b(?:the|its|their|this|that|an?|[^\W_]+['’]s)\s+(?:(?:planned|proposed|upcoming|forthcoming|expected"
    rf"|scheduled|possible|potential)\s+)?({'|'.join(sorted(ORDINALS, key=len, reverse=True))})\b",
    re.IGNORECASE,
)


def editions_asked(question: str) -> list[str]:
    """The ordinals by which a question asks about an edition.

    Args:
        question: the question as asked.

    Returns:
        The ordinals, lower-cased, in order: ``["third"]`` for "When will the third India-Japan
        dialogue be held?", none for "When did X first enter?" (keys of ``ORDINALS``).
    """
    return [match.group(1).lower() for match in _EDITION.finditer(question)]


# Editions relative to now ("the next summit"; not "how long did it last"): the sources must
# use the same word.
_RELATIVE_EDITIONS = ("next", "last")
_RELATIVE = re.compile(r"\b(?:the|its|their|this|that|[^\W_]+['’]s)\s+(next|last)\b", re.IGNORECASE)
# A year before the thing it dates names its edition as an ordinal does: "the 2020 presidential
# election" is not the one "the 2024 Taiwan presidential election" reports.
# Only after a determiner or a possessive, as an edition is written ("in 2020 alone" dates, "the
# 2030 Agenda" names); and not a source's date ("the 2024 Reuters report"), which names a source.
_YEAR_EDITION = re.compile(
    r"(?i:\b(?:the|its|their|this|that)|['’]s)\s+((?:19|20)\d\d)\s+"
    r"(?!(?i:and|or|to|in|on|at|by|for|of|from|was|were|is|are|who|what|when)\b)(?=[A-Za-z])"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# A year just after a meeting's name names its edition too, as meetings are called ("AUSMIN
# 2019", "the Raisina Dialogue 2024"): read as "the 2019 AUSMIN". Only after an acronym or a name
# ending in a word for a meeting: "Agenda 2030", "Vision 2030" and "Made in China 2025" name
# targets, and "Throughout 2023" or "Fiscal 2024" open a question. Not a span ("2019-20").
_YEAR_AFTER_NAME = re.compile(
    r"(?<![\w-])(?P<name>(?:[A-Z][\w&.+-]*\s+){0,3}(?:[A-Z][A-Z0-9&+-]+|(?i:summit|dialogue|forum|conference"
    r"|meeting|consultations|talks|council|congress|assembly|session|games|olympics|cup|championships?|expo)))"
    r"\s+(?P<year>(?:19|20)\d\d)\b(?![-–/]\d)"
)
# "The eighth edition of the Forum" numbers forums: another text's "6th edition of the exercise"
# numbers no forum; "the second meeting of the trilateral dialogue" numbers dialogues, which a
# text on "their first economic security dialogue" does not answer for.
_EDITION_OF = re.compile(
    rf"\b({'|'.join(sorted(ORDINALS, key=len, reverse=True))})\s+(?:edition|iteration|instal?lment|meeting"
    r"|session)\s+of\s+(?:the\s+)?",
    re.IGNORECASE,
)
# A month in capitals is an acronym in form only: "MAY 2024" is a date.
_NOT_NAMES = frozenset(MONTHS)
# Where the name of the thing an edition numbers ends: "the third dialogue | be held". A verb in
# "-ed" ends it too ("the first dialogue | co-chaired by").
_PHRASE_END = (
    frozenset(
        "be is was were will would can could did does do has have had take took in on at to for from by with and or "
        "that which who whose when where why how achieve decide discuss agree cover focus start begin end happen mean "
        "include involve address produce conclude occur "
        # A determiner starts another noun phrase: "the second topic | the ministers discussed".
        "the a an "
        # Past participles not in "-ed": "the third summit | held".
        "begun given taken done shown chosen "
        # Common verbs and particles, which no numbered thing ends in: "the 2030 Agenda | says"...
        "say says show shows find finds give gives make makes call calls out up down off alone again".split()
    )
    | IRREGULAR_PAST
)
# An auxiliary just before the phrase, which puts the question's verb at its end: "When did the
# first forum meet?"; not "When did Japan host the first dialogue?", whose verb came before.
_INVERTED = re.compile(
    r"\b(?i:did|does|do|will|would|can|could|should|shall|might)\s+(?i:the|its|their|this|that|[^\W_]+['’]s)\s+$"
)
# Nouns for the items of a list, whose ordinal is a place in it, not an edition.
_LIST_ITEMS = frozenset(
    "topic topics point points pillar pillars priority priorities area areas item items reason reasons issue issues "
    "goal goals objective objectives theme themes aspect aspects step steps factor factors element elements "
    "principle principles component components option options".split()
)
# Nouns for the days, weeks... of a stay or an event, whose ordinal is a place in time, not an
# edition: "on the second day of his Japan trip" of a story saying "on the first day ... today".
_TIME_PLACES = frozenset("day days night nights week weeks month months year years".split())
# Ordinals that number no edition: fractions ("a third of the delegates"), times ("for the first
# time") and "at first"; and the marks that end what an ordinal may number ("First, the dialogue").
_NO_EDITION = re.compile(
    r"\b(?:a|one|two|three|four)\s+(?:third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|quarter)s?\b"
    r"|\b(?:the|a)\s+(?:first|second|third|last|next|[^\W\d_]+th)\s+time\b|\bat first\b|\bfirst of all\b",
    re.IGNORECASE,
)
# Words that end no phrase an edition numbers (``tokens.STOPWORDS`` holds nouns too: "state", "paper").
_FUNCTION_WORDS = frozenset(
    "of for in on at to by with from and or the a an its their it them then there since".split()
)
_CLAUSE_END = re.compile(r"[,;:!?]|\.(?:\s|$)")
# How many words after the thing an edition asked about may stand and be held: "(TTC) held its
# fifth". Others are read before the thing only, as editions are most often written.
_AFTER = 3
# Each edition word by its number: ORDINALS lists "first" to "twentieth" in order.
_IN_ORDER = {word: n for n, word in enumerate(dict.fromkeys(ORDINALS.values()), start=1)}


def edition(
    question: str, texts: list[str], years: list[str | None] | None = None, titles: list[str | None] | None = None
) -> str | None:
    """An edition asked about ("the third dialogue", "the next summit", "stage 7") must be one the
    best passages give that thing, when the passages number it otherwise: finding only the second
    dialogue does not answer for the third. Where they never number it, the ordinal is a
    position ("the third function" of three). The thing is the phrase's last word: in "the
    third India-Japan dialogue", "Third, India and Japan promote norms" numbers no dialogue.
    ``texts`` are the passages, best first, ``titles`` their sources' titles, which number what
    a text may call by name alone ("The Dialogue was held ..." under "Second ... Dialogue"), and
    ``years`` the years their sources are of: a year asked about is held by a passage of a
    source of that year (a news story speaks of "the meeting" its date dates), or by one that
    writes it before the thing or just after it ("AUSMIN 2019")."""
    question = _years_first(question)
    found = _read(texts, titles)
    years = years or [None] * len(texts)
    best = [clause for clauses in found[:ANSWERING] for clause in clauses]
    every = [clause for clauses in found for clause in clauses]
    for ordinal, asked in _editions(question):
        phrase, thing, countries = _numbered_thing(question, ordinal)
        dated = asked.isdigit()
        # Held when a best passage gives it next to the thing, before it or just after it
        # ("the Council (TTC) held its fifth ministerial meeting" for "the fifth TTC discussions").
        if not thing or asked in _editions_before(thing, best, years=dated, after=_AFTER, adjacent=countries):
            continue
        if dated and asked in years[:ANSWERING]:
            continue
        if asked in _RELATIVE_EDITIONS:
            return f"the passages found are not about the {phrase}"
        others = _others(
            _editions_before(thing, every, years=dated, after=1 if dated else 0, adjacent=countries), asked
        )
        if others and dated:
            return f"the passages found are about the {phrase.split()[-1]} of {' and '.join(sorted(others))}, not the {phrase}"
        if others:
            return f"the passages found are about the {' and '.join(sorted(others, key=_number))}, not the {phrase}"
    titled = [title or "" for title in titles or []]
    for (phrase, name), asked in _numbers_asked(question).items():
        near = texts[:ANSWERING] + titled[:ANSWERING]
        if asked <= numbers_after(name, near) | numbers_marked(name, near):
            continue
        # Of "units 6 and 7", unit 6 is no other unit.
        others = numbers_after(name, texts + titled) - asked
        if others:
            listed = " and ".join(f"{name} {n}" for n in sorted(others))
            return f"the passages found are about {listed}, not {phrase}"
    return None


def other_editions(
    question: str, texts: list[str], years: list[str | None] | None = None, titles: list[str | None] | None = None
) -> list[bool]:
    """For each passage, whether it (or its source's title: ``titles``) numbers the thing an
    edition is asked of only otherwise: a passage on "the first round" answers nothing about
    "the second round", one on "stage 6" nothing about "stage 7", one on "the 2024 election"
    nothing about "the 2020 election" (unless its source is of the year asked: ``years``, as
    ``edition`` reads them)."""
    question = _years_first(question)
    found = _read(texts, titles)
    years = years or [None] * len(texts)
    titles = titles or [None] * len(texts)
    others = [False] * len(found)
    for ordinal, asked in _editions(question):
        _, thing, countries = _numbered_thing(question, ordinal)
        dated = asked.isdigit()
        for i, clauses in enumerate(found):
            after = 1 if dated else 0
            numbered = (
                _editions_before(thing, clauses, years=dated, after=after, adjacent=countries) if thing else set()
            )
            others[i] = others[i] or bool(_others(numbered, asked) and asked not in numbered and years[i] != asked)
    for (_, name), asked in _numbers_asked(question).items():
        for i, text in enumerate(texts):
            numbered = numbers_after(name, [text, titles[i] or ""]) | numbers_marked(name, [text])
            others[i] = others[i] or bool(numbered and not numbered & asked)
    return others


def standings(question: str, texts: list[str], years: list[str | None], titles: list[str | None]) -> list[int]:
    """For each passage, 1 when it or its source's title gives the thing an edition is asked of
    that edition, -1 when it numbers that thing only otherwise, else 0. The thing is its own
    noun here, names aside: "the 50th anniversary of the Australia and Japan Basic Treaty"
    numbers no "twelfth Japan-Australia 2+2"."""
    question = _years_first(question)
    asked_editions, asked_numbers = _editions(question), _numbers_asked(question)
    if not asked_editions and not asked_numbers:
        return [0] * len(texts)
    held, others = [False] * len(texts), [False] * len(texts)
    found = _read(texts, titles)
    for ordinal, asked in asked_editions:
        phrase, thing, _ = _numbered_thing(question, ordinal)
        head = {tokens.stem(w) for w in tokens.words(phrase)[1:][-1:]} if thing else set()
        dated = asked.isdigit()
        for i, clauses in enumerate(found):
            numbered = _editions_before(head, clauses, years=dated, after=1 if dated else 0)
            held[i] = held[i] or asked in numbered or (dated and years[i] == asked)
            others[i] = others[i] or bool(_others(numbered, asked))
    for (_, name), asked in asked_numbers.items():
        for i, text in enumerate(texts):
            numbered = numbers_after(name, [text, titles[i] or ""]) | numbers_marked(name, [text])
            held[i] = held[i] or bool(numbered & asked)
            others[i] = others[i] or bool(numbered - asked)
    return [1 if h else -1 if o else 0 for h, o in zip(held, others, strict=True)]


def _numbers_asked(question: str) -> dict[tuple[str, str], set[int]]:
    """The numbers asked of each thing numbered after its name, by (as written, name), a name in
    any case one thing: "units 6 and 7" and "stage 6 and stage 7" each ask two, and a passage on
    unit 6 or stage 6 is on no other part."""
    asked: dict[str, tuple[str, list[str], set[int]]] = {}
    for phrase, name, number in numbered_after(question):
        _, phrases, numbers = asked.setdefault(name.lower(), (name, [], set()))
        phrases += [phrase] if phrase not in phrases else []
        numbers.add(number)
    return {(" and ".join(phrases), name): numbers for name, phrases, numbers in asked.values()}


def sources_of(doc_ids: list[str], matcher: SourceMatcher | None) -> tuple[list[str | None], list[str | None]]:
    """The title of each passage's source, and the year it is of, from its metadata's date
    (``None``: untitled, undated): what its editions are read under."""
    titles = matcher.titles if matcher else {}
    dates = matcher.dates if matcher else {}
    return [titles.get(d) for d in doc_ids], [(dates.get(d) or "")[:4] or None for d in doc_ids]


def _read(texts: list[str], titles: list[str | None] | None) -> list[list[list[str]]]:
    """Each passage as the word lists an edition may be read in: its clauses, an ordinal that
    numbers nothing blanked ("a third of", "for the first time"), and its source's title apart,
    so that no ordinal reaches across a comma ("First, the dialogue ...") or from a title into
    the text's first words."""
    titles = titles or [None] * len(texts)
    return [[*_clauses(text), tokens.words(title or "")] for text, title in zip(texts, titles, strict=True)]


@functools.lru_cache(maxsize=1024)
def _clauses(text: str) -> tuple[list[str], ...]:
    """``text``'s clauses as word lists (see ``_read``): read once for the ranking, and kept for
    the answerability checks, which read the same best passages."""
    # An abbreviation's full stops end no clause ("the first U.S. summit").
    return tuple(tokens.words(part) for part in _CLAUSE_END.split(_NO_EDITION.sub(" ", tokens.undotted(text))))


def _numbered_thing(question: str, ordinal: str) -> tuple[str, set[str], set[str]]:
    """The phrase an edition word starts ("third annual iCET review"), the stems of what it
    numbers: its last word, and the names in it ("the third annual iCET review" numbers iCET meetings);
    none for a place in a list ("the second topic"); and the stems of the countries it names,
    which an edition numbers only just before them (see ``_editions_before``)."""
    phrase = _phrase_from(question, ordinal)
    words = tokens.words(phrase)[1:]
    # "The second topic the ministers discussed" is a place in a list, which a text may number
    # ("First, ...; second, ...") or not at all: no edition (a blind run refused it at 0.03).
    if words[-1:] and words[-1] in _LIST_ITEMS or words[:1] and words[0] in _TIME_PLACES:
        return phrase, set(), set()
    # A lone letter ("U" of "U.S.") names nothing: every "U.S." in a text would stand for it.
    names = [w.lower() for w in _WORD.findall(phrase)[1:] if w[0].isupper() and len(w) > 1]
    # The countries that meet name a series only beside its edition ("the Tenth Japan-Australia
    # 2+2"): "the second administration of US President Trump" numbers no US dialogue.
    countries = [w for w in names if w in SAME_GOVERNMENT or w in AROUND_COUNTRIES]
    stems = {tokens.stem(w) for w in words[-1:] + [w for w in names if w not in countries]}
    return phrase, stems, {tokens.stem(w) for w in countries}


def _others(numbered: set[str], asked: str) -> set[str]:
    """The editions in ``numbered`` other than ``asked``. "The last meeting" may be the second
    one: next and last stand against an edition asked only when it is itself next or last (a
    blind run refused "the second 2+2 meeting" for a passage on "the last 2+2 meeting")."""
    relative = set() if asked in _RELATIVE_EDITIONS else set(_RELATIVE_EDITIONS)
    return numbered - {asked} - relative


def _number(edition: str) -> int:
    """Where an edition ("second", "21st", "next") stands in order, to list editions as people count."""
    digits = re.match(r"\d+", edition)
    return int(digits.group()) if digits else _IN_ORDER.get(edition, 1000)


def _phrase_from(question: str, word: str) -> str:
    """``word`` and the words after it in the question that name what it numbers, as asked:
    "third India-Japan economic security dialogue", "first round of economic security talks"."""
    # A full stop after a lone letter, or before a letter or hyphen, abbreviates ("the first U.S.
    # summit", "the inaugural U.S.-Japan Economic 2+2"); any other ends the phrase.
    stop = r"\.(?=[\w-])|(?<=(?<![^\W\d_])[^\W\d_])\."
    match = re.search(rf"\b{re.escape(word)}\b((?:\s+(?:[^\s?!.,;:]|{stop})+){{0,6}})", question, re.IGNORECASE)
    if not match:
        return word
    kept = [match.group(0)[: len(match.group(0)) - len(match.group(1))]]
    for part in match.group(1).split():
        if part.lower() in _PHRASE_END or part.lower().endswith("ed"):
            break
        kept.append(part)
    else:
        # A question put with an auxiliary ends in its verb: "Where did the first forum | meet?".
        if len(kept) > 2 and _INVERTED.search(question, 0, match.start()) and not question[match.end() :].strip(" ?!."):
            kept.pop()
    # "the last meeting of | the council": a reason names "the last meeting", not "... meeting of".
    while len(kept) > 1 and kept[-1].lower() in _FUNCTION_WORDS:
        kept.pop()
    return " ".join(kept)


def _years_first(question: str) -> str:
    """``question`` with each year written after a name put before it ("AUSMIN 2019" as "the
    2019 AUSMIN"), and an edition of a thing read as the thing's ("the eighth edition of the
    Forum" as "the eighth Forum"), as the editions here are read."""
    question = _EDITION_OF.sub(r"\1 ", question)

    def moved(match: re.Match) -> str:
        name = match.group("name")
        if name.split()[-1].lower().rstrip(".") in _NOT_NAMES:
            return match.group(0)
        return f"the {match.group('year')} {name}"

    return _YEAR_AFTER_NAME.sub(moved, question)


def _editions(question: str) -> list[tuple[str, str]]:
    """Each edition the question asks about: (the word as written, the edition it names)."""
    asked = [(ordinal, ORDINALS[ordinal]) for ordinal in editions_asked(question)]
    naming = naming_dates(question)
    years = [
        (m.group(1), m.group(1))
        for m in _YEAR_EDITION.finditer(question)
        if not any(a <= m.start(1) < b for a, b in naming)
    ]
    return asked + years + [(relative, relative.lower()) for relative in _RELATIVE.findall(question)]


def _editions_before(
    targets: set[str],
    passages: list[list[str]],
    window: int = 6,
    years: bool = False,
    after: int = 0,
    adjacent: set[str] = frozenset(),
) -> set[str]:
    """The editions the passages (as word lists) give to words whose stems are ``targets``:
    ordinals, "next" or "last" shortly before them, as "second" in "the Second India-Japan
    Economic Security Dialogue" for "dialogue" (and up to ``after`` words after them), or just
    before those whose stems are ``adjacent`` ("Second" for "India"); with ``years``, the years
    there instead."""
    editions = set()
    for words in passages:
        for i, w in enumerate(words):
            stem = tokens.stem(w)
            if stem in targets or stem in adjacent:
                before = (
                    words[max(0, i - window) : i] + words[i + 1 : i + 1 + after]
                    if stem in targets
                    else words[i - 1 : i]
                )
                if years:
                    editions |= {w for w in before if _YEAR.fullmatch(w)}
                else:
                    editions |= ordinals(before) | (set(before) & set(_RELATIVE_EDITIONS))
    return editions
