"""What a question pins down, and whether the best passages hold it: the edition asked about
("the third dialogue"), the thing a count counts, the kind of answer asked for (a date, a figure,
an amount), a role asked for ("the chief executive of"), and its names and numbers.

Each check was once a rule that refused on its own; ``qa.abstain`` now weighs each as one piece
of evidence whose weight was fitted on data it was not written from. The checks read passages as
``tokens.words`` lists (``found``), their stems (``found_stems``), and their highlighted sentences
with stems (``best``), best first.
"""

from __future__ import annotations

import re

from citeqa.corpus import tokens
from citeqa.qa.answer_types import (
    DATE_TYPES,
    FIGURE,
    MEASURE,
    NUMBER_WORD,
    ORDINALS,
    answer_fit,
    editions_asked,
    has_count,
    ordinals,
)
from citeqa.qa.numbered import numbered_after, numbers_after

#: How many of the best passages must hold the kind of answer asked for (a date, a number...)
#: in their highlighted sentences, or the edition asked about in their text.
ANSWERING = 5

# Words that name the kind of answer rather than what it is about.
_ANSWER_TYPE_WORDS = {
    tokens.stem(w)
    for w in "year years date day month percentage percent share proportion rate amount money "
    "value price sum cost long time number total".split()
}

# Editions relative to now ("the next summit"; not "how long did it last"): the sources must
# use the same word.
_RELATIVE_EDITIONS = ("next", "last")
_RELATIVE = re.compile(r"\b(?:the|its|their|this|that|[^\W_]+['’]s)\s+(next|last)\b", re.IGNORECASE)
# Verbs in the past not in "-ed", which end the thing a count counts: "How many people | took part?".
_IRREGULAR_PAST = frozenset(
    "took came went got saw gave ran fell rose grew left lost paid sent spent sold bought brought kept told "
    "said found became began chose drew drove flew knew wrote spoke stood sat threw wore won held met led made "
    "built".split()
)
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
        "begun given taken done shown chosen".split()
    )
    | _IRREGULAR_PAST
)
# Plurals not in "-s", after which a count's thing ends as after one in "-s".
_PLURALS = frozenset("people children men women police staff personnel cattle media data".split())
_WORD = re.compile(r"[^\W_]+")
# A word as ``tokens.words`` reads one, an inner apostrophe kept: "N'Yaaqoub", "O'Brien" are one
# name in the passages, and checked as two words ("n", "yaaqoub") they were never found there.
_TERM = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Nouns for people. A text counts people by what they are ("5,000 DevSecOps professionals", "1,200
# Indian personnel") where a question asks "how many people" or "how many workers".
_PEOPLE_NOUNS = (
    "people persons individuals workers employees staff personnel professionals officials members residents "
    "citizens students children adults men women soldiers troops nurses doctors engineers scientists researchers "
    "participants delegates attendees visitors tourists migrants refugees passengers voters fans spectators "
    "players athletes volunteers experts specialists technicians officers police civilians patients victims "
    "respondents users customers inhabitants labourers laborers"
).split()
_PEOPLE = frozenset(tokens.stem(w) for w in _PEOPLE_NOUNS)
_COUNTS_PEOPLE = re.compile(
    rf"(?:(?!(?:19|20)\d\d\b){FIGURE}|\b{NUMBER_WORD}\b)(?:\s+[^\W\d_][\w-]*){{0,2}}?\s+(?:{'|'.join(_PEOPLE_NOUNS)})\b",
    re.IGNORECASE,
)
# "When does the process stop?" asks what happens as well as at what time: "as soon as three calls
# fail" answers it. "When did the talks start?" and "When is the festival held?" ask for a date.
_ASKS_CONDITION = re.compile(r"^\s*when (?:does|do|can|could|should|must|may|might)\b", re.IGNORECASE)
_CONDITION = re.compile(
    r"\b(?:as soon as|once|whenever|if|unless|after|before|until|upon|when|while|every time|each time)\b",
    re.IGNORECASE,
)
# Nouns for the items of a list, whose ordinal is a place in it, not an edition.
_LIST_ITEMS = frozenset(
    "topic topics point points pillar pillars priority priorities area areas item items reason reasons issue issues "
    "goal goals objective objectives theme themes aspect aspects step steps factor factors element elements "
    "principle principles component components option options".split()
)
# Each edition word by its number: ORDINALS lists "first" to "twentieth" in order.
_IN_ORDER = {word: n for n, word in enumerate(dict.fromkeys(ORDINALS.values()), start=1)}
_COUNTED = re.compile(r"\bhow many\s+([^?.,;]+)", re.IGNORECASE)
# "How many per cent" asks for a percentage, which has its own check.
_PER_CENT = re.compile(r"per ?cent\b", re.IGNORECASE)
_ASKS_MONEY = re.compile(
    r"\bhow much (?:money|funding|financing|finance|investment|capital|aid|assistance|credit|loans?|grants?"
    r"|subsid(?:y|ies)|revenue|profit|spending|did|does|do|was|is|will|has|have)\b|\bfor how much\b"
    r"|\b(?:what|which) (?:amount|sum|price|budget)\b"
    # "What was the value of bilateral trade", not "the strategic value of the port's trade links".
    r"|\b(?:(?:total|annual|combined|overall)|what (?:is|was|are|were) the) value of (?:[^\W_]+\W+){0,4}?"
    r"(?:trade|exports?|imports?|investments?|deals?|contracts?|sales|assets|projects?|aid|loans?|orders?)\b"
    r"|\bvalue of\b.*\bin (?:us )?dollars\b"
    r"|\bexchange rate\b|\bin (?:us dollars|dollars|yen|rupees|euros)\b",
    re.IGNORECASE,
)
# "How much has cooperation grown?" asks how far, not how much money.
_ASKS_CHANGE = re.compile(
    r"\bhow much\b.*\b(?:grow|grows|grew|grown|rise|rises|rose|risen|fall|falls|fell|fallen"
    r"|shrink|shrinks|shrank|shrunk"
    r"|(?:increase|change|improve|decline)[sd]?|(?:expand|deepen|widen|narrow)(?:s|ed)?"
    # A rate or output cut or raised by so much: "How much did the bank cut rates by?" ("raise"
    # and "lower" only with "by": "How much funding did it raise?" asks for money).
    r"|cuts?|(?:reduce|hike)[sd]?|(?:boost|jump|climb)(?:s|ed)?|drops?|dropped|slash(?:es|ed)?)\b"
    r"|\bhow much\b.*\bby\s*\??\s*$",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$¥₹€£]|\b(?:usd|jpy|inr|eur|dollars?|yen|rupees?|euros?|crores?|lakhs?)\b"
    r"|\b\d[\d,.]*\s*(?:billion|million|trillion|bn|mn)\b",
    re.IGNORECASE,
)
# "Who is the chief executive of X", "What is the name of India's ambassador to Japan": a person
# asked for by role, a definite noun phrase; the role must be something the sources speak of.
# ("Who is funding the projects?" names no role.)
_WHO_ROLE = re.compile(
    r"^\s*(?:who (?:is|was|are|were)|what (?:is|was|are|were) the names? of) (?:the (?:current )?|[^\W_]+['’]s )"
    r"(.+?) (?:of|at|for|in|to|during|that|which|who|whose)\b",
    re.IGNORECASE,
)


def edition(question: str, texts: list[str]) -> str | None:
    """An edition asked about ("the third dialogue", "the next summit", "stage 7") must be one the
    best passages give that thing, when the passages number it otherwise: finding only the second
    dialogue does not answer for the third. Where they never number it, the ordinal is a
    position ("the third function" of three). The thing is the phrase's last word: in "the
    third India-Japan dialogue", "Third, India and Japan promote norms" numbers no dialogue.
    ``texts`` are the passages, best first."""
    found = [tokens.words(text) for text in texts]
    for ordinal, asked in _editions(question):
        phrase, thing = _numbered_thing(question, ordinal)
        if not thing or asked in _editions_before(thing, found[:ANSWERING]):
            continue
        if asked in _RELATIVE_EDITIONS:
            return f"the passages found are not about the {phrase}"
        others = _editions_before(thing, found) - {asked}
        if others:
            return f"the passages found are about the {' and '.join(sorted(others, key=_number))}, not the {phrase}"
    for phrase, name, asked_number in numbered_after(question):
        if asked_number in numbers_after(name, texts[:ANSWERING]):
            continue
        others = numbers_after(name, texts) - {asked_number}
        if others:
            listed = " and ".join(f"{name} {n}" for n in sorted(others))
            return f"the passages found are about {listed}, not {phrase}"
    return None


def other_editions(question: str, texts: list[str]) -> list[bool]:
    """For each passage, whether it numbers the thing an edition is asked of only otherwise: a
    passage on "the first round" answers nothing about "the second round", one on "stage 6"
    nothing about "stage 7"."""
    found = [tokens.words(text) for text in texts]
    others = [False] * len(found)
    for ordinal, asked in _editions(question):
        _, thing = _numbered_thing(question, ordinal)
        for i, words in enumerate(found):
            numbered = _editions_before(thing, [words]) if thing else set()
            others[i] = others[i] or bool(numbered and asked not in numbered)
    for _, name, asked_number in numbered_after(question):
        for i, text in enumerate(texts):
            numbered = numbers_after(name, [text])
            others[i] = others[i] or bool(numbered and asked_number not in numbered)
    return others


def _numbered_thing(question: str, ordinal: str) -> tuple[str, set[str]]:
    """The phrase an edition word starts ("third annual iCET review") and the stems of what it
    numbers: its last word, and the names in it ("the third annual iCET review" numbers iCET meetings);
    none for a place in a list ("the second topic")."""
    phrase = _phrase_from(question, ordinal)
    words = tokens.words(phrase)[1:]
    # "The second topic the ministers discussed" is a place in a list, which a text may number
    # ("First, ...; second, ...") or not at all: no edition (a blind run refused it at 0.03).
    if words[-1:] and words[-1] in _LIST_ITEMS:
        return phrase, set()
    names = [w.lower() for w in _WORD.findall(phrase)[1:] if w[0].isupper()]
    return phrase, {tokens.stem(w) for w in words[-1:] + names}


def _number(edition: str) -> int:
    """Where an edition ("second", "21st", "next") stands in order, to list editions as people count."""
    digits = re.match(r"\d+", edition)
    return int(digits.group()) if digits else _IN_ORDER.get(edition, 1000)


def count(question: str, found_stems: set[str], best: list[tuple[str, set[str]]]) -> tuple[float, str | None]:
    """A count must stand beside the thing counted, which the passages must name: 1 and the reason
    when they never name it or no best sentence naming it gives a number, else 0."""
    counted = _counted(question)
    if not counted:
        return 0.0, None
    if tokens.stem(counted[-1].lower()) in _PEOPLE and any(_COUNTS_PEOPLE.search(text) for text, _ in best[:ANSWERING]):
        return 0.0, None
    if any(tokens.stem(w.lower()) not in found_stems for w in counted):
        return 1.0, f"the passages found never count {' '.join(counted)}"
    if not any(has_count(t) for t, stems in best[:ANSWERING] if tokens.stem(counted[-1].lower()) in stems):
        return 1.0, f"the question asks how many {' '.join(counted)} and the sentences found give no number"
    return 0.0, None


def kind(
    question: str, wants: str | None, best: list[tuple[str, set[str]]], dated: bool = False, authored: bool = False
) -> tuple[float, str | None]:
    """0 when a best sentence sharing a word for what is asked about gives the kind of answer asked
    for; 0.5 when only one sharing a name does (most often it dates or counts something else, but
    "John Gallagher (1919–1980)" answers "When was John Gallagher born?"); else 1 and the reason.
    When the source's date is asked for, its metadata's (``dated``) answers as well as a dateline;
    when its author is, the authors its metadata names (``authored``: a web page's byline is
    metadata, seldom in its text) as well as a byline."""
    if wants == "published":
        if dated or any(answer_fit(text, wants) for text, _ in best[:ANSWERING]):
            return 0.0, None
        return 1.0, "the question asks when the source came out and the passages found give no dateline for it"
    if wants == "author":
        # A byline shares no word with the question: any best sentence may be it.
        if authored or any(answer_fit(text, "author") for text, _ in best[:ANSWERING]):
            return 0.0, None
        return 1.0, "the question asks who wrote the source and the passages found name no author"
    about = _about(question)
    reason = _kind_missing(question, wants, [text for text, stems in best[:ANSWERING] if about & stems])
    if not reason:
        return 0.0, None
    names = {tokens.stem(w) for w in named_terms(question)}
    if names and not _kind_missing(question, wants, [text for text, stems in best[:ANSWERING] if names & stems]):
        return 0.5, None
    return 1.0, reason


def _kind_missing(question: str, wants: str | None, sentences: list[str]) -> str | None:
    """Why ``sentences`` do not give the kind of answer asked for (``None``: they do, or none is)."""
    measure = MEASURE.search(question)
    if (
        measure
        and not _counted(question)
        and not any(has_count(t) or _MONEY.search(t) or answer_fit(t, "percent") for t in sentences)
    ):
        return f"the question asks for the {measure.group(1).lower()} and the sentences found give no figure"
    if (
        wants == "number"
        and not _counted(question)
        and not any(answer_fit(t, "number") or answer_fit(t, "percent") for t in sentences)
    ):
        # "By how much did the index fall?", "How large is the stockpile?": no thing is counted,
        # but a figure is asked for.
        return "the question asks for a figure and the sentences found give none"
    if wants == "percent" and not any(answer_fit(t, "percent") for t in sentences):
        return "the question asks for a percentage or rate and the sentences found give none"
    if (
        _ASKS_MONEY.search(question)
        and not _ASKS_CHANGE.search(question)
        and not any(_MONEY.search(t) for t in sentences)
    ):
        return "the question asks for an amount of money and the sentences found give none"
    if wants == "duration" and not any(answer_fit(t, "duration") for t in sentences):
        return "the question asks how long and the sentences found give no duration"
    if (
        wants in DATE_TYPES
        and not any(answer_fit(t, wants) for t in sentences)
        and not (_ASKS_CONDITION.search(question) and any(_CONDITION.search(t) for t in sentences))
    ):
        return "the question asks when and the sentences found give no date"
    return None


def role(question: str, found_stems: set[str]) -> tuple[float, str | None]:
    """A person asked for by role ("India's ambassador to Japan") needs that role in the passages:
    1 and the reason when a word of it is never mentioned, else 0."""
    match = _WHO_ROLE.search(question)
    if match and any(not _mentioned(w, found_stems) for w in tokens.words(match.group(1))):
        return 1.0, f"the passages found never mention {_a(match.group(1))}"
    return 0.0, None


def _mentioned(word: str, stems: set[str]) -> bool:
    """Whether ``word`` is among ``stems``, allowing for derivation the stemmer leaves apart
    ("ambassador" and "ambassadorial")."""
    return tokens.stem(word) in stems or len(word) >= 5 and any(s.startswith(word[:5]) for s in stems)


def _a(noun_phrase: str) -> str:
    """ "a chief executive", but "co-chairs": the article a reason needs."""
    plural = noun_phrase.endswith("s") and not noun_phrase.endswith("ss")
    return noun_phrase if plural else f"{'an' if noun_phrase[:1].lower() in 'aeiou' else 'a'} {noun_phrase}"


def _counted(question: str) -> list[str]:
    """The words naming what a "how many" question counts, as written ("Indian departments" in
    "How many Indian departments participated?"), if it is one.

    The phrase ends at a function word, at a verb in "-ed" ("participated", "founded"), or after
    four words, and then after its last plural ("key sectors" of "key sectors form the focus"):
    a count names its thing in a few words, most often a plural noun.
    """
    match = _COUNTED.search(question)
    if not match or _PER_CENT.match(match.group(1)):
        return []
    counted = []
    for word in _WORD.findall(match.group(1))[:4]:
        lower = word.lower()
        if lower in tokens.STOPWORDS or counted and (lower.endswith("ed") or lower in _IRREGULAR_PAST):
            break
        counted.append(word)
    plurals = [
        i
        for i, word in enumerate(counted)
        if word.lower() in _PLURALS or word.lower().endswith("s") and not word.lower().endswith("ss")
    ]
    return counted[: plurals[-1] + 1] if plurals else counted


def _phrase_from(question: str, word: str) -> str:
    """``word`` and the words after it in the question that name what it numbers, as asked:
    "third India-Japan economic security dialogue", "first round of economic security talks"."""
    match = re.search(rf"\b{re.escape(word)}\b((?:\s+[^\s?!.,;:]+){{0,6}})", question, re.IGNORECASE)
    if not match:
        return word
    kept = [match.group(0)[: len(match.group(0)) - len(match.group(1))]]
    for part in match.group(1).split():
        if part.lower() in _PHRASE_END or part.lower().endswith("ed"):
            break
        kept.append(part)
    return " ".join(kept)


def _editions(question: str) -> list[tuple[str, str]]:
    """Each edition the question asks about: (the word as written, the edition it names)."""
    asked = [(ordinal, ORDINALS[ordinal]) for ordinal in editions_asked(question)]
    return asked + [(relative, relative.lower()) for relative in _RELATIVE.findall(question)]


def _editions_before(targets: set[str], passages: list[list[str]], window: int = 6) -> set[str]:
    """The editions the passages (as word lists) give to words whose stems are ``targets``:
    ordinals, "next" or "last" shortly before them, as "second" in "the Second India-Japan
    Economic Security Dialogue" for "dialogue"."""
    editions = set()
    for words in passages:
        for i, w in enumerate(words):
            if tokens.stem(w) in targets:
                before = words[max(0, i - window) : i]
                editions |= ordinals(before) | (set(before) & set(_RELATIVE_EDITIONS))
    return editions


def _about(question: str) -> set[str]:
    """Stems of the words saying what the question is about: its content words less names,
    editions and words naming the kind of answer (all of its words if nothing is left)."""
    names = set(named_terms(question))
    words = tokens.words(question)
    about = {tokens.stem(w) for w in words if w not in names and w not in ORDINALS} - _ANSWER_TYPE_WORDS
    return about or {tokens.stem(w) for w in words}


def named_terms(question: str) -> list[str]:
    """Names and numbers in the question: words holding a capital or a digit.

    The first word is skipped unless it holds a digit: grammar capitalises it, not its being a name.
    """
    out = []
    for i, match in enumerate(_TERM.finditer(question)):
        word = match.group(0)
        if not any(c.isupper() or c.isdigit() for c in word) or (i == 0 and not any(c.isdigit() for c in word)):
            continue
        for part in tokens.words(word):
            # "3rd" is an edition, which the ordinal check weighs.
            if part not in out and part not in ORDINALS:
                out.append(part)
    return out
