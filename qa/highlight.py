"""The sentence of a passage that best answers a question: the highlight a reader sees first,
and the sentence whose similarity and words the ranker and the answerability checks weigh."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from citeqa.corpus import tokens
from citeqa.corpus.dates import DATE_IN_TEXT
from citeqa.index.store import StoredChunk
from citeqa.qa.answer_types import ABOUT_THE_SOURCE, DATE_TYPES, answer_fit, ordinals


class Weights(NamedTuple):
    """What a sentence's evidence adds to its similarity to the question, when picking one;
    ``opening`` is added to the first sentence that may be picked (the passage's first, or the one
    after a headline left out): in a story's lead, what it is about more than what is asked.
    ``untitled`` weighs the question's words a sentence holds that its source's title does not:
    the title's words ("the Orrin Salt Cup") say what the whole source is about, so every
    sentence on its topic shares them, while the rest ("withdrew", "beaten") point to the one
    that answers."""

    overlap: float
    phrase: float
    fit: float
    opening: float = 0.0
    untitled: float = 0.0


#: The sentence the ranker and the answerability checks read: the hand-set weights their models
#: were fitted with.
EVIDENCE = Weights(overlap=0.15, phrase=0.1, fit=0.08)
#: The sentence shown (the highlight, its page): fitted by ``scripts/fit_highlight.py`` on SQuAD's
#: training articles to show the answer in the passage ranked first (1,119 of 1,265 against 1,094
#: with ``EVIDENCE``; see the README's Evaluation for the sets it was not fitted on). Its shared
#: words' weight (0.4) is split between the words the title holds and the rest.
SHOWN = Weights(overlap=0.15, phrase=0.1, fit=0.2, opening=-0.05, untitled=0.25)


@dataclass
class SentenceEvidence:
    """What one sentence of a passage has of the question.

    Attributes:
        index: its index into the chunk's sentences.
        similarity: cosine between the question and the sentence.
        overlap: the share of the question's words it holds.
        untitled: the share of the question's words it holds that its source's title does not.
        phrase: the share of the question's word pairs it holds side by side.
        fit: how well it holds the kind of answer asked for (``answer_types.answer_fit``).
        conflict: 1.0 when it names only other editions than the one asked about.
    """

    index: int
    similarity: float
    overlap: float
    untitled: float
    phrase: float
    fit: float
    conflict: float


def sentence_evidence(
    chunk: StoredChunk,
    similarities: np.ndarray,
    question_words: set[str],
    question_pairs: set[tuple[str, str]],
    wants: str | None,
    editions: Collection[str] = (),
    title: str | None = None,
    counts: str | None = None,
) -> list[SentenceEvidence]:
    """The evidence of each sentence of ``chunk`` that may be picked to answer the question.

    The source's ``title`` repeated as a sentence (a story's headline above its first paragraph)
    is left out unless it is the only sentence: it is cited with every passage, and it sums up
    what the question asks about more than it answers it. So is a note that the story was
    updated ("Editor's note: This story was updated at 4:52 p.m. on Oct. 1, 2024"), for a
    question asking when: it dates the story, not what the story reports. A count of the thing a "how many"
    question counts (``counts``, the stem of its head noun) is the kind of answer only beside
    that thing. ``editions``: see ``editions.editions_asked``. The words of ``title`` are
    set apart as what the whole source is about (``SentenceEvidence.untitled``).
    """
    out = []
    headline = _plain(title) if title else None
    untitled_words = question_words - set(tokens.words(title or ""))
    noted, opening = False, chunk.ordinal == 0
    for i in range(len(chunk.sentences)):
        text = chunk.sentence_text(i)
        # A note on the story ("This story was updated at 4:52 p.m. on Oct. 1, 2024. It was first
        # published ...") tells when, not what; its full date drew the highlight of "when".
        noted = wants in DATE_TYPES and bool(_STORY_NOTE.match(text) or noted and _NOTE_GOES_ON.match(text))
        if len(chunk.sentences) > 1 and (headline and _plain(text) == headline or noted):
            continue
        # A dateline opens the source's first passage, under its headline, byline and date line,
        # which answer no "when" either; "Orrin, 26 April 1996: ..." elsewhere is a timeline's
        # entry, whose place and date are what it tells.
        above = opening and bool(_BYLINE.fullmatch(text) or DATE_IN_TEXT.fullmatch(text.strip(" .,;:|")))
        undated = "" if above else _DATELINE.sub("", text, count=1) if opening and _DATELINE.match(text) else text
        opening = above
        sentence_words = tokens.words(undated)
        held = question_words & set(sentence_words)
        overlap = len(held) / len(question_words) if question_words else 0.0
        untitled = len(held & untitled_words) / len(question_words) if question_words else 0.0
        phrase = len(question_pairs & pairs(sentence_words)) / len(question_pairs) if question_pairs else 0.0
        # A dateline's date is when the story was filed, and a byline who wrote it: the answers
        # only to when the source came out and who wrote it.
        fit = answer_fit(text if wants in ABOUT_THE_SOURCE else undated, wants)
        if counts and counts not in {tokens.stem(w) for w in sentence_words}:
            # "How many bridges were completed?": "15 bridges have been completed", not the route's
            # "508-kilometre" length in the sentence sharing more of the question's words.
            fit = 0.0
        out.append(
            SentenceEvidence(i, float(similarities[i]), overlap, untitled, phrase, fit, conflict(editions, text))
        )
    return out


def pick(evidence: list[SentenceEvidence], weights: Weights, wants: str | None) -> SentenceEvidence | None:
    """The sentence that best answers the question: similarity decides, nudged by ``weights``
    towards sentences that share the question's words (more those its source's title lacks),
    hold its word pairs side by side (the name of the thing asked about) and hold the kind of
    answer asked for (a date for "when", a number for "how many"; for "who wrote", whose byline
    no similarity finds, the author line decides), and away from sentences about another edition
    of what is asked about."""
    fit = 1.0 if wants == "author" else weights.fit
    opening = evidence[0].index if evidence else None

    def value(s: SentenceEvidence) -> float:
        nudge = weights.overlap * s.overlap + weights.untitled * s.untitled + weights.phrase * s.phrase
        nudge += fit * s.fit - 0.1 * s.conflict
        return s.similarity + nudge + (weights.opening if s.index == opening else 0.0)

    return max(evidence, key=value, default=None)


def best_sentence(
    evidence: list[SentenceEvidence], similarities: np.ndarray, wants: str | None
) -> tuple[int, float, float, int]:
    """The sentence of a passage that best answers the question, as the ranker and the checks
    read it (``EVIDENCE``), and the one shown (``SHOWN``).

    Args:
        evidence: the passage's ``sentence_evidence``.
        similarities: the question's cosine with each of its sentences.
        wants: the kind of answer asked for.

    Returns:
        ``(index into chunk.sentences, cosine of that sentence, its share of the question's
        pairs, index of the sentence shown)``.
    """
    best, shown = pick(evidence, EVIDENCE, wants), pick(evidence, SHOWN, wants)
    if best is None:
        return 0, float(similarities[0]) if len(similarities) else 0.0, 0.0, 0
    return best.index, best.similarity, best.phrase, shown.index


def highlight_span(chunk: StoredChunk, sentence: int) -> tuple[int, int]:
    """The document offsets of the highlight for ``chunk``'s sentence number ``sentence``: the
    sentence, with the next one when it ends in a colon ("the Member States agreed on the
    following changes:" gives its figures in the list after it)."""
    start, end = chunk.span(sentence)
    if chunk.sentence_text(sentence).rstrip().endswith(":") and sentence + 1 < len(chunk.sentences):
        end = chunk.span(sentence + 1)[1]
    return start, end


# A news story's dateline before its lead ("Washington, July 1 (Jiji Press)--", "New Delhi
# [India], May 12 :", "BRUSSELS (Reuters) -"): its place, date and agency echo how a question
# names the story, not what it asks, and drew the highlight to the lead over the answer.
_DATELINE = re.compile(
    # A place and a date, with the agency after them: "Washington, July 1 (Jiji Press)--".
    r"^\s*[A-Z][\w.'’/-]*(?:\s+[A-Z][\w.'’/-]*){0,3}(?:\s*\[[^\]]{1,30}\])?"
    r",\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?)"
    r"(?:\s*\([^)]{1,40}\))?\s*(?:--|[–—:-])\s*"
    # A place in capitals, with or without the agency: "BRUSSELS (Reuters) -", "NEW DELHI:".
    r"|^\s*[A-Z][A-Z.'’/ -]{2,40}?(?:\s*\([^)]{1,40}\))?\s*(?:--|[–—:]|\s-)\s*"
)


# A note that the story was updated, not what a correction says ("This story has been corrected to
# show that the vote took place on 14 June") nor a report's own history ("The report was first
# published by the survey on 3 March").
_STORY_NOTE = re.compile(
    r"\W*(?:editor['’]?s['’]?\s+note|update)?\W*this\s+(?:story|article|report|piece|post|page)\s+(?:was|has\s+been)\s+"
    r"(?:last\s+)?(?:updated|edited)\b(?!.*\bto\s+(?:show|say|state|note|correct|clarify|include|add)\b)",
    re.IGNORECASE,
)
# A byline alone on its sentence: "By Lena Holm", "BY LENA HOLM", "Reporting by Lena Holm and
# Tomas Arden"; not a lead opening "By Monday, the pier had shut."
_BYLINE = re.compile(
    r"\W*(?i:(?:reporting|written|words)\s+)?(?i:by)\s+[A-Z][\w.'’-]*(?:(?:\s+|\s*,\s*|\s+and\s+)[A-Z][\w.'’-]*){0,5}\W*"
)
# The note going on in its next sentence: "It was first published on Sept. 30, 2024."
_NOTE_GOES_ON = re.compile(r"\W*it\s+(?:was|has\s+been)\s+(?:first\s+|originally\s+)?(?:updated|published)\b", re.I)


def _plain(text: str) -> str:
    """``text``'s words alone, lower case: a headline as a title and as a line of text."""
    return " ".join(re.findall(r"\w+", text.lower()))


def conflict(editions: Collection[str], text: str) -> float:
    """1.0 when ``text`` names editions and none of them is one the question asks about."""
    if not editions:
        return 0.0
    named = ordinals(tokens.words(text))
    return 1.0 if named and not named & editions else 0.0


def pairs(words: list[str]) -> set[tuple[str, str]]:
    """Adjacent content-word pairs, stemmed, so "economic security dialogue" matches its plural."""
    stems = [tokens.stem(w) for w in words]
    return set(zip(stems, stems[1:], strict=False))
