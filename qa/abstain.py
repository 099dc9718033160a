"""Deciding that the sources do not answer a question, and saying why.

A bi-encoder scores a near miss ("When will the *third* dialogue be held?" against a passage on
the second) almost as high as a true answer, so similarity alone cannot tell them apart. The
decision is a calibrated probability that the best passages answer (``Scorer.answerable``) over
the evidence in ``FEATURES``: how close the best passages are, how much of the question they and
their sources' metadata hold, and whether they hold what the question pins down (a name or
number, the edition asked about, the thing counted, the role asked for, the kind of answer asked
for). Those checks were rules that refused on their own; now each is one piece of evidence
whose weight was fitted on data it was not written from. Two refusals remain absolute: nothing
found at all, and a question naming a source that the library does not hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from citeqa.corpus import tokens
from citeqa.corpus.references import running_text
from citeqa.qa.answer_types import (
    DATE_TYPES,
    MEASURE,
    ORDINALS,
    answer_fit,
    editions_asked,
    has_count,
    ordinals,
)
from citeqa.qa.retrieve import Question, Scored
from citeqa.qa.sources import SourceMatcher

#: How many of the best passages the checks look at for what the question pins down.
SEARCHED = 10
#: How many of the best passages must hold the kind of answer asked for (a date, a number...)
#: in their highlighted sentences, or the edition asked about in their text.
ANSWERING = 5
#: The reason given when retrieval found nothing at all.
NOTHING_FOUND = "no passage in the sources shares a word or topic with the question"

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
    r"\bhow much\b.*\b(?:grow|grows|grew|grown|rise|rises|rose|risen|fall|falls|fell|fallen"
    r"|shrink|shrinks|shrank|shrunk"
    r"|(?:increase|change|improve|decline)[sd]?|(?:expand|deepen|widen|narrow)(?:s|ed)?)\b",
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


#: The evidence the answerability model weighs, one row per question.
FEATURES = (
    "top",  # the ranker's log-odds for the best passage
    "top_sentence",  # cosine between the question and the best passage's highlighted sentence
    "max_sentence",  # the closest sentence among all candidates
    "max_dense",  # the closest passage among all candidates
    "held",  # IDF-weighted share of the question's words the best passages and their sources hold
    "unnamed",  # share of the question's names and numbers no best passage or source holds
    "unnamed_top",  # share of them the best passage and its source do not hold
    "missing_top",  # IDF-weighted share of the question's words the best passage and its source lack
    "absent",  # IDF-weighted share of the question's words in no passage and no source's metadata
    "edition",  # 1: the passages number the thing asked about, but not with the edition asked
    "count",  # 1: a count is asked and the best sentences give none beside the thing counted
    "kind",  # 1: a quantity, percentage, amount, duration or date is asked and none is given (0.5: beside a name)
    "role",  # 1: a person is asked for by a role the passages never name
)


@dataclass
class Judgement:
    """Whether the best passages answer a question.

    Attributes:
        probability: the calibrated probability that they answer (``None`` when a refusal
            needed no model: nothing found, or a source the library lacks).
        reason: why citeqa abstains, for a person; ``None`` when it answers.
    """

    probability: float | None
    reason: str | None


def judge(
    question: Question,
    candidates: list[Scored],
    scorer,
    matcher: SourceMatcher | None = None,
    known: Callable[[str], bool] = lambda word: True,
) -> Judgement:
    """Decide whether ``candidates`` answer ``question``.

    Args:
        question: the analysed question.
        candidates: every passage retrieval ranked for it, best first (the decision must not
            depend on how many are shown).
        scorer: the learned models and threshold (``qa.scorer.Scorer``).
        matcher: the sources' metadata; a passage is read with its source's.
        known: whether a word occurs anywhere in the library's text.

    Returns:
        A ``Judgement``; its ``reason`` is ``None`` when citeqa answers.
    """
    if not candidates:
        return Judgement(None, NOTHING_FOUND)
    # Besides nothing found, the one rule that still refuses on its own: in the README's run of every evaluation
    # set (1,091 answerable questions, 75 naming their source by its metadata) it refused no answerable question.
    if matcher:
        unknown = matcher.unknown_source(question.text, known)
        if unknown:
            return Judgement(None, f"the question names a source the library does not hold ({unknown!r})")
    row, reasons = evidence(question, candidates, matcher)
    probability = float(scorer.answerable.probability(row[None, :])[0])
    if probability >= scorer.threshold:
        return Judgement(probability, None)
    if not reasons:
        reasons.append(
            f"the closest sentence in the sources is only weakly related to the question "
            f"(similarity {row[FEATURES.index('max_sentence')]:.2f})"
            if row[FEATURES.index("held")] >= 0.5
            else "the passages found hold little of what the question asks about"
        )
    return Judgement(probability, f"{reasons[0]} (confidence {probability:.2f}, below {scorer.threshold:.2f})")


def evidence(
    question: Question, candidates: list[Scored], matcher: SourceMatcher | None
) -> tuple[np.ndarray, list[str]]:
    """The ``FEATURES`` row of a question and its ranked candidates, and the reasons a person
    would give for each piece of evidence against answering, strongest first."""
    scored = candidates[:SEARCHED]
    metadata = [matcher.words(s.chunk.doc_id) if matcher else frozenset() for s in scored]
    found = [tokens.words(f"{s.chunk.section or ''} {s.chunk.text}") for s in scored]
    found_stems = {tokens.stem(w) for words in found + [list(m) for m in metadata] for w in words}
    # Each passage's highlighted sentence with its stems, worked out once for every check below.
    best = [(text, set(tokens.terms(text))) for text in map(_sentence, scored)]
    held = {tokens.stem(w) for words in found[:ANSWERING] + [list(m) for m in metadata[:ANSWERING]] for w in words}
    reasons = []

    named = _named_terms(question.text)
    missing = [w for w in named if not tokens.spelled_in(w, found_stems)]
    top = {tokens.stem(w) for w in found[0]} | {tokens.stem(w) for w in metadata[0]}
    if missing:
        reasons.append(f"the passages found never mention {', '.join(repr(m) for m in missing)}")
    edition = _edition_reason(question.text, found)
    if edition:
        reasons.append(edition)
    count = _count_reason(question.text, found_stems, best)
    if count:
        reasons.append(count)
    kind, kind_reason = _kind(question, best)
    if kind_reason:
        reasons.append(kind_reason)
    role = _role_reason(question.text, found_stems)
    if role:
        reasons.append(role)
    row = np.array(
        [
            _logit(candidates[0].score),
            candidates[0].sentence_similarity,
            max(s.sentence_similarity for s in candidates),
            max(s.dense for s in candidates),
            question.share(held),
            len(missing) / len(named) if named else 0.0,
            sum(not tokens.spelled_in(w, top) for w in named) / len(named) if named else 0.0,
            1.0 - question.share(top) if question.weights else 0.0,
            question.share({tokens.stem(w) for w in question.unseen if not matcher or w not in matcher.vocabulary}),
            float(bool(edition)),
            float(bool(count)),
            kind,
            float(bool(role)),
        ],
        dtype=np.float32,
    )
    return row, reasons


def _edition_reason(question: str, found: list[list[str]]) -> str | None:
    """An edition asked about ("the third dialogue", "the next summit") must be one the best
    passages give that thing, when the passages number it otherwise: finding only the second
    dialogue does not answer for the third. Where they never number it, the ordinal is a
    position ("the third function" of three). The thing is the phrase's last word: in "the
    third India-Japan dialogue", "Third, India and Japan promote norms" numbers no dialogue."""
    for ordinal, edition in _editions(question):
        phrase = _phrase_from(question, ordinal)
        words = tokens.words(phrase)[1:]
        # The names in it count too: "the third annual iCET review" numbers iCET meetings.
        names = [w.lower() for w in _WORD.findall(phrase)[1:] if w[0].isupper()]
        thing = {tokens.stem(w) for w in words[-1:] + names}
        if not thing or edition in _editions_before(thing, found[:ANSWERING]):
            continue
        if edition in _RELATIVE_EDITIONS:
            return f"the passages found are not about the {phrase}"
        others = _editions_before(thing, found) - {edition}
        if others:
            return f"the passages found are about the {' and '.join(sorted(others))}, not the {phrase}"
    return None


def _count_reason(question: str, found_stems: set[str], best: list[tuple[str, set[str]]]) -> str | None:
    """A count must stand beside the thing counted, which the passages must name."""
    counted = _counted(question)
    if not counted:
        return None
    if any(tokens.stem(w.lower()) not in found_stems for w in counted):
        return f"the passages found never count {' '.join(counted)}"
    if not any(has_count(t) for t, stems in best[:ANSWERING] if tokens.stem(counted[-1].lower()) in stems):
        return f"the question asks how many {' '.join(counted)} and the sentences found give no number"
    return None


def _kind(question: Question, best: list[tuple[str, set[str]]]) -> tuple[float, str | None]:
    """0 when a best sentence sharing a word for what is asked about gives the kind of answer asked
    for; 0.5 when only one sharing a name does (most often it dates or counts something else, but
    "John Gallagher (1919–1980)" answers "When was John Gallagher born?"); else 1 and the reason."""
    reason = _kind_missing(question, [text for text, stems in best[:ANSWERING] if _about(question.text) & stems])
    if not reason:
        return 0.0, None
    names = {tokens.stem(w) for w in _named_terms(question.text)}
    if names and not _kind_missing(question, [text for text, stems in best[:ANSWERING] if names & stems]):
        return 0.5, None
    return 1.0, reason


def _kind_missing(question: Question, sentences: list[str]) -> str | None:
    """Why ``sentences`` do not give the kind of answer asked for (``None``: they do, or none is)."""
    measure = MEASURE.search(question.text)
    if (
        measure
        and not _counted(question.text)
        and not any(has_count(t) or _MONEY.search(t) or answer_fit(t, "percent") for t in sentences)
    ):
        return f"the question asks for the {measure.group(1).lower()} and the sentences found give no figure"
    if question.wants == "percent" and not any(answer_fit(t, "percent") for t in sentences):
        return "the question asks for a percentage or rate and the sentences found give none"
    if (
        _ASKS_MONEY.search(question.text)
        and not _ASKS_CHANGE.search(question.text)
        and not any(_MONEY.search(t) for t in sentences)
    ):
        return "the question asks for an amount of money and the sentences found give none"
    if question.wants == "duration" and not any(answer_fit(t, "duration") for t in sentences):
        return "the question asks how long and the sentences found give no duration"
    if question.wants in DATE_TYPES and not any(answer_fit(t, question.wants) for t in sentences):
        return "the question asks when and the sentences found give no date"
    return None


def _role_reason(question: str, found_stems: set[str]) -> str | None:
    """A person asked for by role ("India's ambassador to Japan") needs that role in the passages."""
    role = _WHO_ROLE.search(question)
    if role and any(not _mentioned(w, found_stems) for w in tokens.words(role.group(1))):
        return f"the passages found never mention {_a(role.group(1))}"
    return None


def _logit(probability: float) -> float:
    p = min(max(probability, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def _mentioned(word: str, stems: set[str]) -> bool:
    """Whether ``word`` is among ``stems``, allowing for derivation the stemmer leaves apart
    ("ambassador" and "ambassadorial")."""
    return tokens.stem(word) in stems or len(word) >= 5 and any(s.startswith(word[:5]) for s in stems)


def _a(noun_phrase: str) -> str:
    """ "a chief executive", but "co-chairs": the article a reason needs."""
    plural = noun_phrase.endswith("s") and not noun_phrase.endswith("ss")
    return noun_phrase if plural else f"{'an' if noun_phrase[:1].lower() in 'aeiou' else 'a'} {noun_phrase}"


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
            if tokens.stem(w) in targets:
                before = words[max(0, i - window) : i]
                editions |= ordinals(before) | (set(before) & set(_RELATIVE_EDITIONS))
    return editions


def _about(question: str) -> set[str]:
    """Stems of the words saying what the question is about: its content words less names,
    editions and words naming the kind of answer (all of its words if nothing is left)."""
    names = set(_named_terms(question))
    words = tokens.words(question)
    about = {tokens.stem(w) for w in words if w not in names and w not in ORDINALS} - _ANSWER_TYPE_WORDS
    return about or {tokens.stem(w) for w in words}


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
