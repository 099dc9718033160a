"""Deciding that the sources do not answer a question, and saying why.

A bi-encoder scores a near miss ("When will the *third* dialogue be held?" against a passage on
the second) almost as high as a true answer, so similarity alone cannot tell them apart. Besides a
floor on similarity, the checks below look for what the question pins down that the passages found
do not hold: a name or number, the edition of an event, the thing counted, a role; or the kind
of answer asked for (a count, a percentage or rate, an amount of money, a duration, a date).
"""

from __future__ import annotations

import re

from corpus import tokens
from corpus.dates import DATE_IN_TEXT
from qa.retrieve import DATE_TYPES, ORDINALS, Scored, answer_fit, answer_type, ordinals, running_text, stem

#: Below this cosine between the question and the best sentence found, nothing answers it.
MIN_SENTENCE_SIMILARITY = 0.35
#: How many of the best passages must hold the kind of answer asked for (a date, a number...).
ANSWERING = 5
# Words that name the kind of answer rather than what it is about.
_ANSWER_TYPE_WORDS = {
    stem(w) for w in "year years date day month percentage percent share proportion rate amount money "
    "value price sum cost long time number total".split()
}

# Editions relative to now: the sources must use the same word.
_RELATIVE = {"next", "last"}
# Where the name of the thing an ordinal numbers ends: "the third dialogue | be held".
_PHRASE_END = frozenset("be is was were will did does do has have had held take took of in on at to for and or".split())
_WORD = re.compile(r"[^\W_]+")
_COUNTED = re.compile(r"\bhow many\s+([^?.,;]+)", re.IGNORECASE)
_ASKS_MONEY = re.compile(
    r"\bhow much (?:money|funding|financing|finance|investment|capital|aid|assistance|credit|loans?|grants?"
    r"|subsid(?:y|ies)|revenue|profit|spending|did|does|do|was|is|will|has|have)\b|\bfor how much\b"
    r"|\b(?:what|which) (?:amount|sum|price|budget)\b|\b(?:total|annual|combined|overall) value of\b"
    r"|\bvalue of\b.*\bin (?:us )?dollars\b"
    r"|\bexchange rate\b|\bin (?:us dollars|dollars|yen|rupees|euros)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$¥₹€£]|\b(?:usd|jpy|inr|eur|dollars?|yen|rupees?|euros?|crores?|lakhs?)\b"
    r"|\b\d[\d,.]*\s*(?:billion|million|trillion|bn|mn)\b",
    re.IGNORECASE,
)
_ASKS_DURATION = re.compile(r"\bhow long\b|\bfor how many (?:days|weeks|months|years|hours)\b", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|a)[- ](?:day|week|month|year|hour|minute|decade)s?\b"
    r"|\b(?:from|between) .{1,40}\b(?:to|until|and)\b",
    re.IGNORECASE,
)
# A count, not a year: "three", "12", "1,200" but not "2014".
_CARDINAL = re.compile(
    r"(?<![\w./-])(?!(?:19|20)\d\d\b)\d[\d,]*(?![\w/])|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"dozen|dozens|hundreds?|thousands?|millions?|several|a few)\b",
    re.IGNORECASE,
)
# "Who is the chief executive of X", "What is the population of Y", "What is the name of Z's
# ambassador to W": the role or attribute asked for must be something the sources speak of.
_WHO_ROLE = re.compile(r"^\s*who (?:is|was|are|were) (?:the )?(?:current )?(.+?) (?:of|at|for|in|to|during)\b", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"^\s*(?:what|which) (?:is|was|are|were) (?:the )?(?:current )?(.+?) of\b(.*)", re.IGNORECASE)
_POSSESSED = re.compile(r"^\s*(?:the )?[\w .-]*?['’]s (.+?)(?: (?:of|at|for|in|to|during)\b|[?.]?$)", re.IGNORECASE)
# Attributes that an answer states without naming ("the role of JOGMEC": "JOGMEC invests in..."),
# or that name the kind of answer; only a concrete attribute (a population, a budget) must appear.
_STATED_WITHOUT_NAMING = frozenset(
    "role roles purpose purposes aim aims goal goals objective objectives focus significance importance scope "
    "outcome outcomes result results impact impacts effect effects nature basis reason reasons cause causes "
    "meaning status view views position stance response approach main key primary idea point message theme "
    "themes argument conclusion finding findings contribution relevance implication implications function "
    "functions name names title kind type types example examples part use form full expansion acronym "
    "abbreviation definition".split()
)


def abstain_reason(question: str, scored: list[Scored]) -> str | None:
    """Why the passages found do not answer ``question``, or ``None`` when they may.

    Args:
        question: the question as asked.
        scored: the passages retrieval returned for it, best first (``Asker`` passes the top
            ``SEARCHED``, whatever the number of passages shown).

    Returns:
        A reason a person can read ("the passages found never mention 'FIFA'"), or ``None``.
    """
    if not scored:
        return "no passage in the sources shares a word or topic with the question"
    top = max(scored, key=lambda s: s.sentence_similarity)
    if top.sentence_similarity < MIN_SENTENCE_SIMILARITY:
        return (
            f"the closest sentence in the sources is only weakly related to the question "
            f"(similarity {top.sentence_similarity:.2f} < {MIN_SENTENCE_SIMILARITY})"
        )
    found = [tokens.words(f"{s.chunk.section or ''} {s.chunk.text}") for s in scored]
    found_stems = {stem(w) for words in found for w in words}
    # Each passage's highlighted sentence with its stems, worked out once for every check below.
    best = [(text, {stem(w) for w in tokens.words(text)}) for text in map(_sentence, scored)]
    highlighted = set().union(*(stems for _, stems in best))

    missing = [w for w in _named_terms(question) if stem(w) not in found_stems]
    if missing:
        return f"the passages found never mention {', '.join(repr(m) for m in missing)}"
    # An edition ("the third dialogue") must be what the answering sentences speak of when the
    # passages number that thing: finding only the second dialogue does not answer for the third.
    # Where they never number it, the ordinal is a position ("the third function" of three).
    words = tokens.words(question)
    named_editions = ordinals([w for text, _ in best for w in tokens.words(text)])
    for ordinal, following in zip(words, words[1:]):
        if ordinal in _RELATIVE and stem(ordinal) not in highlighted:
            return f"the passages found are not about the {_phrase_from(question, ordinal)}"
        if ordinal not in ORDINALS or ORDINALS[ordinal] in named_editions:
            continue
        others = _editions_of(following, found) - {ORDINALS[ordinal]}
        if others:
            return (
                f"the passages found are about the {' and '.join(sorted(others))}, "
                f"not the {_phrase_from(question, ordinal)}"
            )
    counted = _counted(question)
    if counted and any(stem(w) not in found_stems for w in counted):
        return f"the passages found never count {' '.join(counted)}"
    # The kind of answer asked for must be in what citeqa would show first, and beside what the
    # question is about: a date in a sentence sharing none of the question's words dates
    # something else.
    # That sentence must share a word naming what is asked about, not only a name: a figure in a
    # sentence that merely names Japan is a figure about something else.
    about = _about(question)
    sentences = [text for text, stems in best[:ANSWERING] if about & stems]
    if counted and not any(
        _CARDINAL.search(DATE_IN_TEXT.sub(" ", t)) for t, stems in best[:ANSWERING] if stem(counted[-1]) in stems
    ):
        return f"the question asks how many {' '.join(counted)} and the sentences found give no number"
    wants = answer_type(question)
    if wants == "percent" and not any(answer_fit(t, "percent") for t in sentences):
        return "the question asks for a percentage or rate and the sentences found give none"
    if _ASKS_MONEY.search(question) and not any(_MONEY.search(t) for t in sentences):
        return "the question asks for an amount of money and the sentences found give none"
    if _ASKS_DURATION.search(question) and not any(_DURATION.search(t) for t in sentences):
        return "the question asks how long and the sentences found give no duration"
    if wants in DATE_TYPES and not any(answer_fit(t, wants) for t in sentences):
        return "the question asks when and the sentences found give no date"
    asked = _attribute(question)
    if asked and any(stem(w) not in found_stems for w in tokens.words(asked)):
        return f"the passages found never mention {'a' if question.lstrip().lower().startswith('who') else 'the'} {asked}"
    return None


def _attribute(question: str) -> str | None:
    """The role or attribute a question asks for ("chief executive", "population"), if it asks
    for one that an answer would name."""
    role = _WHO_ROLE.search(question)
    if role:
        return role.group(1)
    match = _ATTRIBUTE.search(question)
    if not match:
        return None
    words = tokens.words(match.group(1))
    if words and all(w in _STATED_WITHOUT_NAMING for w in words):
        # "the name of India's ambassador to Japan": the attribute is the role after the possessive.
        possessed = _POSSESSED.search(match.group(2))
        return possessed.group(1) if possessed else None
    concrete = [w for w in words if w not in _STATED_WITHOUT_NAMING]
    return " ".join(concrete) if concrete else None


def _sentence(scored: Scored) -> str:
    """The highlighted sentence as running text (see ``running_text``)."""
    start, end = scored.chunk.sentences[scored.sentence] if scored.chunk.sentences else (scored.chunk.start, scored.chunk.end)
    return running_text(scored.chunk.text[start - scored.chunk.start : end - scored.chunk.start])


def _counted(question: str) -> list[str]:
    """The words naming what a "how many" question counts ("semiconductor fabs"), if it is one."""
    match = _COUNTED.search(question)
    if not match:
        return []
    counted = []
    for word in _WORD.findall(match.group(1).lower()):
        if word in tokens.STOPWORDS:
            break
        counted.append(word)
    return counted


def _phrase_from(question: str, word: str) -> str:
    """``word`` and the few words after it in the question, as asked: "third India-Japan
    economic security dialogue"."""
    match = re.search(rf"\b{re.escape(word)}\b((?:[\s-]+[^\W_]+){{0,5}})", question, re.IGNORECASE)
    if not match:
        return word
    kept = []
    for part in re.findall(r"[\s-]+[^\W_]+", match.group(1)):
        if part.strip(" -").lower() in _PHRASE_END:
            break
        kept.append(part)
    return match.group(0)[: len(match.group(0)) - len(match.group(1))] + "".join(kept)


def _editions_of(word: str, passages: list[list[str]], window: int = 6) -> set[str]:
    """The editions the passages (as word lists) give to ``word``: ordinals shortly before it, as
    "second" in "the Second India-Japan Economic Security Dialogue" for "india" or "dialogue"."""
    target = stem(word)
    editions = set()
    for words in passages:
        for i, w in enumerate(words):
            if stem(w) == target:
                editions |= ordinals(words[max(0, i - window) : i])
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
