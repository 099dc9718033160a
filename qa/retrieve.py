"""Hybrid retrieval: FTS5/BM25 and dense candidates, fused, then re-ranked by their best sentence."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from corpus import tokens
from corpus.dates import DATE_IN_TEXT, MONTHS
from corpus.references import running_text
from index.store import StoredChunk, Store

#: How many candidates each retriever contributes before fusion.
DEPTH = 50
#: Reciprocal-rank-fusion constant (the usual 60: flattens the head of each list).
RRF_K = 60

MODES = ("hybrid", "bm25", "dense")

#: A number written out, as counts, durations and percentages are: "five", "twenty", "hundreds".
NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?"
    r"|millions?|billions?|dozens?)"
)
#: A figure standing alone: not part of "5G", "15th" or "2nd".
FIGURE = r"(?<![\w./-])\d[\d,.]*(?![\w/])"
_NUMBER = re.compile(rf"{FIGURE}|\b{NUMBER_WORD}\b", re.IGNORECASE)

#: How the hybrid score weighs each piece of evidence (see ``Scored``).
WEIGHTS = {"dense": 0.35, "sentence": 0.2, "lexical": 0.1, "coverage": 0.15, "phrase": 0.3, "fit": 0.3, "conflict": 0.2}

#: Ordinals as written, to the edition they name: "inaugural" and "1st" are both the first.
ORDINALS = {
    **{w: w for w in "first second third fourth fifth sixth seventh eighth ninth tenth".split()},
    **dict(zip("1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th".split(), "first second third fourth fifth sixth seventh eighth ninth tenth".split())),
    "inaugural": "first",
}


@dataclass
class Scored:
    """A candidate passage with the evidence behind its rank.

    Attributes:
        chunk: the stored chunk.
        score: the final ranking score.
        dense: cosine between question and passage.
        lexical: BM25 score divided by the best BM25 score of the query (0 if not matched).
        sentence: index into ``chunk.sentences`` of the sentence that best answers the question.
        sentence_similarity: cosine between the question and that sentence.
        coverage: share of the question's content words found in the passage (or its section).
        phrase: share of the question's word pairs that the best sentence holds side by side.
        fit: how well the best sentence holds the kind of answer asked for (see ``answer_fit``).
        conflict: 1 when the best sentence names an edition ("the second dialogue") and the
            question another ("the inaugural round"), else 0.
    """

    chunk: StoredChunk
    score: float
    dense: float
    lexical: float
    sentence: int
    sentence_similarity: float
    coverage: float
    phrase: float
    fit: float
    conflict: float = 0.0


def retrieve(store: Store, faiss_index, question: str, query: np.ndarray, k: int, mode: str = "hybrid") -> list[Scored]:
    """Rank passages for a question.

    Args:
        store: the open index database.
        faiss_index: its vector index.
        question: the question text (for BM25, coverage and answer-type cues).
        query: the question's unit embedding, shape ``(384,)``.
        k: how many passages to return.
        mode: ``"hybrid"`` (the product), or ``"bm25"`` / ``"dense"`` alone (baselines).

    Returns:
        Up to ``k`` ``Scored`` passages, best first.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    lexical = store.lexical_search(question, DEPTH) if mode != "dense" else []
    dense: list[tuple[int, float]] = []
    if mode != "bm25" and faiss_index.ntotal:
        scores, ids = faiss_index.search(query.reshape(1, -1).astype(np.float32), min(DEPTH, faiss_index.ntotal))
        dense = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    if mode == "bm25":
        order = [rowid for rowid, _ in lexical]
    elif mode == "dense":
        order = [rowid for rowid, _ in dense]
    else:
        fused: dict[int, float] = {}
        for ranking in (lexical, dense):
            for rank, (rowid, _) in enumerate(ranking):
                fused[rowid] = fused.get(rowid, 0.0) + 1.0 / (RRF_K + rank + 1)
        order = sorted(fused, key=fused.get, reverse=True)
    if not order:
        return []

    chunks = store.chunks(order)
    sentence_vectors = store.sentence_embeddings(order)
    best_lexical = max((s for _, s in lexical), default=0.0) or 1.0
    lexical_scores = {rowid: s / best_lexical for rowid, s in lexical}
    passage_vectors = _passage_vectors(store, order)
    question_words = set(tokens.words(question))
    question_pairs = _pairs(tokens.words(question))
    wants = answer_type(question)
    editions = {ORDINALS[ordinal] for ordinal in editions_asked(question)}

    scored = []
    for position, rowid in enumerate(order):
        chunk = chunks[rowid]
        dense_score = float(passage_vectors[position] @ query)
        sentence, sentence_score, phrase = best_sentence(
            chunk, sentence_vectors[rowid] @ query, question_words, question_pairs, wants, editions
        )
        coverage = _coverage(question_words, chunk)
        text = chunk.sentence_text(sentence)
        fit = answer_fit(text, wants)
        conflict = _conflict(editions, text)
        if mode == "hybrid":
            score = (
                WEIGHTS["dense"] * dense_score
                + WEIGHTS["sentence"] * sentence_score
                + WEIGHTS["lexical"] * lexical_scores.get(rowid, 0.0)
                + WEIGHTS["coverage"] * coverage
                + WEIGHTS["phrase"] * phrase
                + WEIGHTS["fit"] * fit
                - WEIGHTS["conflict"] * conflict
            )
        else:
            # Baselines keep their own order: the score only reports the retriever's view.
            score = lexical_scores.get(rowid, 0.0) if mode == "bm25" else dense_score
        scored.append(
            Scored(
                chunk, score, dense_score, lexical_scores.get(rowid, 0.0), sentence, sentence_score, coverage, phrase,
                fit, conflict,
            )
        )
    if mode == "hybrid":
        scored.sort(key=lambda s: s.score, reverse=True)
    return scored[:k]


#: A question asking for a quantity: "What is the population of Cuttack?", "What's JOGMEC's
#: annual budget?". Group 1 names it ("annual budget").
MEASURE = re.compile(
    r"\bwhat(?:['’]s| is| was| are| were) (?:the |[^\W_]+['’]s )?((?:[^\W_]+ ){0,2}?(?:population|budget|capacity"
    r"|size|revenues?|turnover|gdp|costs?|prices?|volume|output|income|salary|headcount|workforce|length|height"
    r"|weight|distance|speed|age|amount|total|number(?! one\b)|count))\b",
    re.IGNORECASE,
)

#: Answer types that ask for a date, by the precision they ask for.
DATE_TYPES = ("date", "month", "year")

# A share or a rate: "over 90%", "12 per cent".
_PERCENT = re.compile(rf"(?:\d|\b{NUMBER_WORD})\s*(?:%|per ?cent\b)", re.IGNORECASE)
_ASKS_PERCENT = re.compile(
    r"\b(?:what|which) (?:percentage|per ?cent|proportion|share)\b|\bhow many per ?cent\b"
    r"|\b(?:tariff|interest|tax|growth|inflation|duty|success|failure|unemployment) rates?\b",
    re.IGNORECASE,
)
_PLACE_NOUNS = r"(?:city|cities|country|countries|state|states|province|region|town|district|venue|place|location|capital)"
_ASKS_PLACE = re.compile(
    rf"\b(?:in|at|to) (?:what|which)(?: [\w-]+)?(?: [\w-]+)? {_PLACE_NOUNS}\b"
    # "Which countries signed" asks for actors; "which city hosted" for a place.
    r"|^\s*(?:what|which) (?:city|town|venue|place|location|capital)\b"
    r"|^\s*where\b.*\b(?:held|located|based|headquartered|hosted|built|situated|sited|take place|took place|happen|happened|meet|met|convened|staged)\b",
    re.IGNORECASE,
)
# A place in running text ("in New Delhi", "at Tokyo", "near Chennai"; a month after "in" dates,
# it does not place) or closing an address ("Department of ..., Ravenshaw University, Cuttack.").
_PLACE = re.compile(
    rf"\b(?i:in|at|near)\s+(?:the\s+)?(?!(?i:{'|'.join(MONTHS)})\b)[A-Z][\w'’-]*"
    r"|,\s*[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?\.?\s*$"
)


def answer_type(question: str) -> str | None:
    """What kind of answer the question asks for.

    Returns:
        ``"date"``, or ``"month"`` / ``"year"`` when the question names the precision it wants;
        ``"percent"`` (a share or a rate); ``"number"``; ``"place"``; or ``None``.
    """
    q = question.lower()
    if re.search(r"\b(?:what|which) month\b|\bmonth and year\b|\byear and month\b", q):
        return "month"
    if re.search(r"\b(?:what|which) year\b", q):
        return "year"
    if re.match(r"\s*(when|on what (date|day)|what date)\b", q) or re.search(r"\b(what|which) date\b", q):
        return "date"
    if _ASKS_PERCENT.search(question):
        return "percent"
    if re.search(r"\bhow (many|much)\b|\bwhat number\b", q) or MEASURE.search(question):
        return "number"
    if _ASKS_PLACE.search(question):
        return "place"
    return None


def best_sentence(
    chunk: StoredChunk,
    similarities: np.ndarray,
    question_words: set[str],
    question_pairs: set[tuple[str, str]],
    wants: str | None,
    editions: Collection[str] = (),
) -> tuple[int, float, float]:
    """Pick the sentence of ``chunk`` that best answers the question.

    Similarity decides, nudged towards sentences that share the question's words, hold its word
    pairs side by side (the name of the thing asked about), and hold the kind of answer asked
    for (a date for "when", a number for "how many"); away from sentences about another edition
    of what the question asks about (``editions``: see ``editions_asked``).

    Returns:
        ``(index into chunk.sentences, cosine of that sentence, its share of the question's pairs)``.
    """
    best, best_value, best_phrase = 0, -1.0, 0.0
    for i in range(len(chunk.sentences)):
        text = chunk.sentence_text(i)
        sentence_words = tokens.words(text)
        overlap = len(question_words & set(sentence_words)) / len(question_words) if question_words else 0.0
        phrase = len(question_pairs & _pairs(sentence_words)) / len(question_pairs) if question_pairs else 0.0
        value = (
            float(similarities[i]) + 0.15 * overlap + 0.1 * phrase + 0.08 * answer_fit(text, wants)
            - 0.1 * _conflict(editions, text)
        )
        if value > best_value:
            best, best_value, best_phrase = i, value, phrase
    return best, float(similarities[best]) if len(similarities) else 0.0, best_phrase


def ordinals(words: list[str]) -> set[str]:
    """The editions named among ``words``: {"first"} for "inaugural" or "1st"."""
    return {ORDINALS[w] for w in words if w in ORDINALS}


# An ordinal after a determiner or a possessive names an edition: "the third dialogue", "its 2nd
# round", "Japan's first summit"; in "when did X first enter" it says when, not which.
_EDITION = re.compile(rf"\b(?:the|its|their|this|that|an?|[^\W_]+['’]s)\s+({'|'.join(ORDINALS)})\b", re.IGNORECASE)


def editions_asked(question: str) -> list[str]:
    """The ordinals, as written, by which a question asks about an edition: ``["third"]`` for
    "When will the third India-Japan dialogue be held?", none for "When did X first enter?"."""
    return [match.group(1).lower() for match in _EDITION.finditer(question)]


def _conflict(editions: Collection[str], text: str) -> float:
    """1.0 when ``text`` names editions and none of them is one the question asks about."""
    if not editions:
        return 0.0
    named = ordinals(tokens.words(text))
    return 1.0 if named and not named & editions else 0.0


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    """Adjacent content-word pairs, stemmed, so "economic security dialogue" matches its plural."""
    stems = [stem(w) for w in words]
    return set(zip(stems, stems[1:]))


def answer_fit(text: str, wants: str | None) -> float:
    """How well ``text`` holds the kind of answer asked for, 0 to 1.

    For "when", a day-precise date answers better than a month, and a month better than a year;
    a question asking for the year (or the month) is fully answered at that precision.
    """
    text = running_text(text)
    if wants in DATE_TYPES:
        best = 0.0
        enough = {"date": 1.0, "month": 0.6, "year": 0.3}[wants]
        for match in DATE_IN_TEXT.finditer(text):
            g = match.groupdict()
            precision = 1.0 if g["d1"] or g["d2"] or g["iso"] else 0.6 if g["m3"] else 0.3
            best = max(best, 1.0 if precision >= enough else precision)
        return best
    if wants == "number":
        # A year dates something; it is not the count or share asked for.
        return 1.0 if _NUMBER.search(DATE_IN_TEXT.sub(" ", text)) else 0.0
    if wants == "percent":
        return 1.0 if _PERCENT.search(text) else 0.0
    if wants == "place":
        return 1.0 if _PLACE.search(text) else 0.0
    return 0.0


def _coverage(question_words: set[str], chunk: StoredChunk) -> float:
    if not question_words:
        return 0.0
    words = set(tokens.words(chunk.text)) | set(tokens.words(chunk.section or ""))
    stems = {stem(w) for w in words}
    return sum(stem(w) in stems for w in question_words) / len(question_words)


def stem(word: str) -> str:
    """A crude stem, enough to match "dialogues"/"dialogue" and "held"/"holding" prefixes."""
    return word[:6] if len(word) > 6 else word.rstrip("s")


def _passage_vectors(store: Store, rowids: list[int]) -> np.ndarray:
    """Exact passage vectors for ``rowids`` from the database (an approximate FAISS structure
    holds only compressed ones)."""
    vectors = store.embeddings(rowids)
    return np.vstack([vectors[r] for r in rowids])
