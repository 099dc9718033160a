"""Deciding that the sources do not answer a question, and saying why.

A bi-encoder scores a near miss ("When will the *third* dialogue be held?" against a passage on
the second) almost as high as a true answer, so similarity alone cannot tell them apart. Besides a
floor on similarity, the checks below look for what the question pins down that the passages found
do not hold: a name or number, the edition of an event when the sources number others, the thing
counted, the role of a person asked for; or the kind of answer asked for (a count, a quantity
such as a population or budget, a percentage or rate, an amount of money, a duration, a date),
in a sentence about what the question asks.
"""

from __future__ import annotations

import re

from corpus import tokens
from corpus.dates import DATE_IN_TEXT
from corpus.references import running_text
from qa.retrieve import DATE_TYPES, FIGURE, MEASURE, NUMBER_WORD, ORDINALS, Scored, answer_fit, answer_type, editions_asked, ordinals, stem

#: Below this cosine between the question and the best sentence found, nothing answers it.
MIN_SENTENCE_SIMILARITY = 0.35
#: How many of the best passages the checks beyond the similarity floor look at.
SEARCHED = 10
#: How many of the best passages must hold what the question pins down: the kind of answer asked
#: for (a date, a number...) in their highlighted sentences, the edition asked about in their text.
ANSWERING = 5
#: The reason given when retrieval found nothing at all.
NOTHING_FOUND = "no passage in the sources shares a word or topic with the question"
# Words that name the kind of answer rather than what it is about.
_ANSWER_TYPE_WORDS = {
    stem(w) for w in "year years date day month percentage percent share proportion rate amount money "
    "value price sum cost long time number total".split()
}

# Editions relative to now ("the next summit"; not "how long did it last"): the sources must
# use the same word.
_RELATIVE_EDITIONS = ("next", "last")
_RELATIVE = re.compile(r"\b(?:the|its|their|this|that|[^\W_]+['’]s)\s+(next|last)\b", re.IGNORECASE)
# Where the name of the thing an edition numbers ends: "the third dialogue | be held". A verb in
# "-ed" ends it too ("the first dialogue | co-chaired by").
_PHRASE_END = frozenset(
    "be is was were will would can could did does do has have had take took in on at to for from by with and or "
    "that which who whose when where why how achieve decide discuss agree cover focus start begin end happen mean "
    "include involve address produce conclude occur".split()
)
_WORD = re.compile(r"[^\W_]+")
_COUNTED = re.compile(r"\bhow many\s+([^?.,;]+)", re.IGNORECASE)
# "How many per cent" asks for a percentage, which has its own check.
_PER_CENT = re.compile(r"per ?cent\b", re.IGNORECASE)
_ASKS_MONEY = re.compile(
    r"\bhow much (?:money|funding|financing|finance|investment|capital|aid|assistance|credit|loans?|grants?"
    r"|subsid(?:y|ies)|revenue|profit|spending|did|does|do|was|is|will|has|have)\b|\bfor how much\b"
    r"|\b(?:what|which) (?:amount|sum|price|budget)\b|\b(?:total|annual|combined|overall) value of (?:[^\W_]+\W+){0,4}?"
    r"(?:trade|exports?|imports?|investments?|deals?|contracts?|sales|assets|projects?|aid|loans?|orders?)\b"
    r"|\bvalue of\b.*\bin (?:us )?dollars\b"
    r"|\bexchange rate\b|\bin (?:us dollars|dollars|yen|rupees|euros)\b",
    re.IGNORECASE,
)
# "How much has cooperation grown?" asks how far, not how much money.
_ASKS_CHANGE = re.compile(
    r"\bhow much\b.*\b(?:grow|grows|grew|grown|rise|rises|rose|risen|fall|falls|fell|fallen|shrink|shrinks|shrank|shrunk"
    r"|(?:increase|change|improve|decline)[sd]?|(?:expand|deepen|widen|narrow)(?:s|ed)?)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$¥₹€£]|\b(?:usd|jpy|inr|eur|dollars?|yen|rupees?|euros?|crores?|lakhs?)\b"
    r"|\b\d[\d,.]*\s*(?:billion|million|trillion|bn|mn)\b",
    re.IGNORECASE,
)
_ASKS_DURATION = re.compile(r"\bhow long\b|\bfor how many (?:days|weeks|months|years|hours)\b", re.IGNORECASE)
_DURATION = re.compile(
    rf"\b(?:\d+|{NUMBER_WORD}|several|a few|many|a)[- ](?:day|week|month|year|hour|minute|decade)s?\b"
    r"|\b(?:from|between) .{1,40}\b(?:to|until|and)\b",
    re.IGNORECASE,
)
# A count, not a year: "three", "12", "1,200" but not "2014".
_CARDINAL = re.compile(rf"(?!(?:19|20)\d\d\b){FIGURE}|\b(?:{NUMBER_WORD}|several|a few)\b", re.IGNORECASE)
# "Who is the chief executive of X", "What is the name of India's ambassador to Japan": a person
# asked for by role, a definite noun phrase; the role must be something the sources speak of.
# ("Who is funding the projects?" names no role.)
_WHO_ROLE = re.compile(
    r"^\s*(?:who (?:is|was|are|were)|what (?:is|was|are|were) the names? of) (?:the (?:current )?|[^\W_]+['’]s )"
    r"(.+?) (?:of|at|for|in|to|during|that|which|who|whose)\b",
    re.IGNORECASE,
)


def abstain_reason(question: str, candidates: list[Scored]) -> str | None:
    """Why the passages found do not answer ``question``, or ``None`` when they may.

    Args:
        question: the question as asked.
        candidates: every passage retrieval ranked for it, best first. The similarity floor
            looks at all of them; the other checks at the best ``SEARCHED``, whatever the
            number of passages shown.

    Returns:
        A reason a person can read ("the passages found never mention 'FIFA'"), or ``None``.
    """
    if not candidates:
        return NOTHING_FOUND
    # Over every candidate: re-ranking on the kind of answer must not push the one on-topic
    # sentence out of view and make the question look unrelated to the sources.
    closest = max(s.sentence_similarity for s in candidates)
    if closest < MIN_SENTENCE_SIMILARITY:
        return (
            f"the closest sentence in the sources is only weakly related to the question "
            f"(similarity {closest:.3f}, below {MIN_SENTENCE_SIMILARITY})"
        )
    scored = candidates[:SEARCHED]
    found = [tokens.words(f"{s.chunk.section or ''} {s.chunk.text}") for s in scored]
    found_stems = {stem(w) for words in found for w in words}
    # Each passage's highlighted sentence with its stems, worked out once for every check below.
    best = [(text, {stem(w) for w in tokens.words(text)}) for text in map(_sentence, scored)]

    missing = [w for w in _named_terms(question) if stem(w) not in found_stems]
    if missing:
        return f"the passages found never mention {', '.join(repr(m) for m in missing)}"
    # An edition asked about ("the third dialogue", "the next summit") must be one the best
    # passages give that thing, when the passages number it otherwise: finding only the second
    # dialogue does not answer for the third. Where they never number it, the ordinal is a
    # position ("the third function" of three). The thing is the phrase's last word: in "the
    # third India-Japan dialogue", "Third, India and Japan promote norms" numbers no dialogue.
    for ordinal, edition in _editions(question):
        phrase = _phrase_from(question, ordinal)
        words = tokens.words(phrase)[1:]
        thing = {stem(words[-1])} if words else set()
        if not thing or edition in _editions_before(thing, found[:ANSWERING]):
            continue
        if edition in _RELATIVE_EDITIONS:
            return f"the passages found are not about the {phrase}"
        others = _editions_before(thing, found) - {edition}
        if others:
            return f"the passages found are about the {' and '.join(sorted(others))}, not the {phrase}"
    counted = _counted(question)
    if counted and any(stem(w.lower()) not in found_stems for w in counted):
        return f"the passages found never count {' '.join(counted)}"
    # The kind of answer asked for must be in what citeqa would show first, in a sentence sharing
    # a word for what is asked about, not only a name: a date or figure in a sentence that merely
    # names Japan is about something else. A count must stand beside the thing counted.
    about = _about(question)
    sentences = [text for text, stems in best[:ANSWERING] if about & stems]
    if counted and not any(_has_count(t) for t, stems in best[:ANSWERING] if stem(counted[-1].lower()) in stems):
        return f"the question asks how many {' '.join(counted)} and the sentences found give no number"
    measure = MEASURE.search(question)
    if measure and not counted and not any(_has_count(t) or _MONEY.search(t) or answer_fit(t, "percent") for t in sentences):
        return f"the question asks for the {measure.group(1).lower()} and the sentences found give no figure"
    wants = answer_type(question)
    if wants == "percent" and not any(answer_fit(t, "percent") for t in sentences):
        return "the question asks for a percentage or rate and the sentences found give none"
    if _ASKS_MONEY.search(question) and not _ASKS_CHANGE.search(question) and not any(_MONEY.search(t) for t in sentences):
        return "the question asks for an amount of money and the sentences found give none"
    if _ASKS_DURATION.search(question) and not any(_DURATION.search(t) for t in sentences):
        return "the question asks how long and the sentences found give no duration"
    if wants in DATE_TYPES and not any(answer_fit(t, wants) for t in sentences):
        return "the question asks when and the sentences found give no date"
    role = _WHO_ROLE.search(question)
    if role:
        absent = [w for w in tokens.words(role.group(1)) if not _mentioned(w, found_stems)]
        if absent:
            return f"the passages found never mention {_a(role.group(1))}"
    return None


def _mentioned(word: str, stems: set[str]) -> bool:
    """Whether ``word`` is among ``stems``, allowing for inflection the crude stem misses
    ("agency" and "agencies")."""
    return stem(word) in stems or len(word) >= 5 and any(s.startswith(word[:5]) for s in stems)


def _a(noun_phrase: str) -> str:
    """ "a chief executive", but "co-chairs": the article a reason needs."""
    plural = noun_phrase.endswith("s") and not noun_phrase.endswith("ss")
    return noun_phrase if plural else f"{'an' if noun_phrase[:1].lower() in 'aeiou' else 'a'} {noun_phrase}"


def _has_count(text: str) -> bool:
    """Whether ``text`` gives a count or figure once its dates are set aside."""
    return bool(_CARDINAL.search(DATE_IN_TEXT.sub(" ", text)))


def _sentence(scored: Scored) -> str:
    """The highlighted sentence as running text (see ``running_text``)."""
    return running_text(scored.chunk.sentence_text(scored.sentence))


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
        if word.lower() in tokens.STOPWORDS or counted and word.lower().endswith("ed"):
            break
        counted.append(word)
    plurals = [i for i, word in enumerate(counted) if word.lower().endswith("s") and not word.lower().endswith("ss")]
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
            if stem(w) in targets:
                before = words[max(0, i - window) : i]
                editions |= ordinals(before) | (set(before) & set(_RELATIVE_EDITIONS))
    return editions


def _about(question: str) -> set[str]:
    """Stems of the words saying what the question is about: its content words less names,
    editions and words naming the kind of answer (all of its words if nothing is left)."""
    names = set(_named_terms(question))
    words = tokens.words(question)
    about = {stem(w) for w in words if w not in names and w not in ORDINALS} - _ANSWER_TYPE_WORDS
    return about or {stem(w) for w in words}


def _named_terms(question: str) -> list[str]:
    """Names and numbers in the question: words holding a capital or a digit.

    The first word is skipped unless it holds a digit: grammar capitalises it, not its being a name.
    """
    out = []
    for i, match in enumerate(_WORD.finditer(question)):
        word = match.group(0)
        if not any(c.isupper() or c.isdigit() for c in word) or (i == 0 and not any(c.isdigit() for c in word)):
            continue
        for part in tokens.words(word):
            # "3rd" is an edition, which the ordinal check weighs.
            if part not in out and part not in ORDINALS:
                out.append(part)
    return out
