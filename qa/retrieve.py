"""Hybrid retrieval: FTS5/BM25 and dense candidates, fused, then re-ranked by their best sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from corpus import tokens
from corpus.dates import DATE_IN_TEXT
from index.store import StoredChunk, Store

#: How many candidates each retriever contributes before fusion.
DEPTH = 50
#: Reciprocal-rank-fusion constant (the usual 60: flattens the head of each list).
RRF_K = 60

MODES = ("hybrid", "bm25", "dense")


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
    """

    chunk: StoredChunk
    score: float
    dense: float
    lexical: float
    sentence: int
    sentence_similarity: float
    coverage: float


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
    passage_vectors = _passage_vectors(faiss_index, order)
    question_words = set(tokens.words(question))
    wants = answer_type(question)

    scored = []
    for position, rowid in enumerate(order):
        chunk = chunks[rowid]
        dense_score = float(passage_vectors[position] @ query)
        sentence, sentence_score = best_sentence(chunk, sentence_vectors[rowid] @ query, question_words, wants)
        coverage = _coverage(question_words, chunk)
        if mode == "hybrid":
            score = (
                0.35 * dense_score
                + 0.35 * sentence_score
                + 0.15 * lexical_scores.get(rowid, 0.0)
                + 0.15 * coverage
            )
        else:
            # Baselines keep their own order: the score only reports the retriever's view.
            score = lexical_scores.get(rowid, 0.0) if mode == "bm25" else dense_score
        scored.append(
            Scored(chunk, score, dense_score, lexical_scores.get(rowid, 0.0), sentence, sentence_score, coverage)
        )
    if mode == "hybrid":
        scored.sort(key=lambda s: s.score, reverse=True)
    return scored[:k]


def answer_type(question: str) -> str | None:
    """What kind of answer the question asks for: ``"date"``, ``"number"`` or ``None``."""
    q = question.lower()
    if re.match(r"\s*(when|on what (date|day)|in what year|what year|which year|what date)\b", q) or re.search(
        r"\b(what|which) (date|year|month)\b", q
    ):
        return "date"
    if re.search(r"\bhow (many|much)\b|\bwhat (percentage|share|proportion|number)\b", q):
        return "number"
    return None


def best_sentence(chunk: StoredChunk, similarities: np.ndarray, question_words: set[str], wants: str | None) -> tuple[int, float]:
    """Pick the sentence of ``chunk`` that best answers the question.

    Similarity decides, nudged towards sentences that share the question's words and hold the
    kind of answer asked for (a date for "when", a number for "how many").

    Returns:
        ``(index into chunk.sentences, cosine of that sentence)``.
    """
    best, best_value = 0, -1.0
    for i, (start, end) in enumerate(chunk.sentences):
        text = chunk.text[start - chunk.start : end - chunk.start]
        words = set(tokens.words(text))
        overlap = len(question_words & words) / len(question_words) if question_words else 0.0
        value = float(similarities[i]) + 0.15 * overlap + 0.08 * _has_answer_type(text, wants)
        if value > best_value:
            best, best_value = i, value
    return best, float(similarities[best]) if len(similarities) else 0.0


def _has_answer_type(text: str, wants: str | None) -> bool:
    if wants == "date":
        return DATE_IN_TEXT.search(text) is not None
    if wants == "number":
        return re.search(r"\d", text) is not None
    return False


def _coverage(question_words: set[str], chunk: StoredChunk) -> float:
    if not question_words:
        return 0.0
    words = set(tokens.words(chunk.text)) | set(tokens.words(chunk.section or ""))
    stems = {_stem(w) for w in words}
    return sum(_stem(w) in stems for w in question_words) / len(question_words)


def _stem(word: str) -> str:
    """A crude stem, enough to match "dialogues"/"dialogue" and "held"/"holding" prefixes."""
    return word[:6] if len(word) > 6 else word.rstrip("s")


def _passage_vectors(faiss_index, rowids: list[int]) -> np.ndarray:
    """Stored passage vectors for ``rowids``, read back from the FAISS index."""
    return np.vstack([faiss_index.reconstruct(int(r)) for r in rowids])
