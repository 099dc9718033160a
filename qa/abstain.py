"""Deciding that the sources do not answer a question, and saying why.

A bi-encoder scores a near miss ("When will the *third* dialogue be held?" against a passage on
the second) almost as high as a true answer, so similarity alone cannot tell them apart. Besides a
floor on similarity, the checks below look for what the question pins down that the passages found
do not hold: a name or number, the edition of an event, the thing counted, a percentage.
"""

from __future__ import annotations

import re

from corpus import tokens
from qa.retrieve import Scored, stem

#: Below this cosine between the question and the best sentence found, nothing answers it.
MIN_SENTENCE_SIMILARITY = 0.35

_ORDINALS = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "inaugural", "next", "last",
}
_WORD = re.compile(r"[^\W_]+")
_PERCENT = re.compile(r"%|\bper ?cent\b", re.IGNORECASE)
_COUNTED = re.compile(r"\bhow many\s+([^?.,;]+)", re.IGNORECASE)
_ASKS_PERCENT = re.compile(r"\b(?:what|which) (?:percentage|per ?cent|proportion)\b|\bhow many per ?cent\b", re.IGNORECASE)


def abstain_reason(question: str, scored: list[Scored]) -> str | None:
    """Why the passages found do not answer ``question``, or ``None`` when they may.

    Args:
        question: the question as asked.
        scored: the passages retrieval returned for it, best first.

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
    highlighted = {stem(w) for s in scored for w in tokens.words(_sentence(s))}

    missing = [w for w in _named_terms(question) if stem(w) not in found_stems]
    if missing:
        return f"the passages found never mention {', '.join(repr(m) for m in missing)}"
    # An edition ("the third dialogue") must be what the answering sentences speak of: the word
    # elsewhere in a passage ("third parties") does not make it about that edition.
    words = tokens.words(question)
    for ordinal, following in zip(words, words[1:]):
        if ordinal in _ORDINALS and stem(ordinal) not in highlighted:
            return f"the passages found are not about the {ordinal} {following}"
    counted = _counted(question)
    if counted and any(stem(w) not in found_stems for w in counted):
        return f"the passages found never count {' '.join(counted)}"
    if _ASKS_PERCENT.search(question) and not any(_PERCENT.search(_sentence(s)) for s in scored):
        return "the question asks for a percentage and the sentences found give none"
    return None


def _sentence(scored: Scored) -> str:
    start, end = scored.chunk.sentences[scored.sentence] if scored.chunk.sentences else (scored.chunk.start, scored.chunk.end)
    return scored.chunk.text[start - scored.chunk.start : end - scored.chunk.start]


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
            if part not in out:
                out.append(part)
    return out
