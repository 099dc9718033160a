"""Hybrid retrieval: FTS5/BM25 and dense candidates, fused, then ranked by a learned model on the
evidence of each passage, its best sentence and its source's metadata."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from citeqa.corpus import tokens
from citeqa.index.store import Store, StoredChunk
from citeqa.qa.answer_types import ABOUT_THE_SOURCE, ORDINALS, answer_fit, answer_type
from citeqa.qa.candidates import DEPTH, Hits, Scope, candidates, fuse, named_source_passages
from citeqa.qa.clauses import the_ask
from citeqa.qa.counts import counted
from citeqa.qa.editions import editions_asked
from citeqa.qa.highlight import best_sentence, conflict, pairs, sentence_evidence
from citeqa.qa.order import ordered
from citeqa.qa.sources import SourceMatcher
from citeqa.qa.within import named_within, opening_within


class Mode(str, Enum):
    """How passages are ranked: ``HYBRID`` is citeqa's; the others are the baselines it is evaluated
    against. A ``str``, so JSON and comparisons with the plain names work unchanged."""

    #: The learned ranker over fused BM25 and dense candidates.
    HYBRID = "hybrid"
    #: Reciprocal rank fusion of the two lists alone.
    RRF = "rrf"
    BM25 = "bm25"
    DENSE = "dense"

    __str__ = str.__str__  # printed as "hybrid", not "Mode.HYBRID"


#: The evidence the learned ranker weighs for each candidate passage (see ``qa/scorer.py``).
FEATURES = (
    "dense",  # cosine between question and passage
    "sentence",  # cosine between question and the passage's best sentence
    "dense_gap",  # dense minus the best dense cosine among the candidates
    "sentence_gap",  # sentence minus the best sentence cosine among the candidates
    "bm25",  # BM25 score over the best BM25 score (0 when BM25 did not find it)
    "bm25_rank",  # 1 / (1 + rank) in BM25's list (0 when absent)
    "dense_rank",  # 1 / (1 + rank) in the dense list (0 when absent)
    "fused",  # the reciprocal-rank-fusion score of the two lists
    "coverage",  # share of the question's words in the passage or its section
    "idf_coverage",  # the same share, each word weighted by its IDF
    "sentence_idf",  # IDF-weighted share of the question's words in the best sentence
    "phrase",  # share of the question's word pairs the best sentence holds side by side
    "fit",  # how well the best sentence holds the kind of answer asked for (0 when none is asked)
    "unfit",  # 1 when a kind of answer is asked for and the best sentence holds none
    "conflict",  # 1 when the best sentence names another edition than the one asked about
    "meta",  # IDF-weighted share of the question's words only the source's metadata holds
)
_DENSE, _SENTENCE, _BM25 = (FEATURES.index(name) for name in ("dense", "sentence", "bm25"))


@dataclass
class Scored:
    """A candidate passage with the evidence behind its rank.

    Attributes:
        chunk: the stored chunk.
        score: the ranking score: the learned ranker's probability that the passage answers
            (in the baselines, the single retriever's own score or the fused rank).
        dense: cosine between question and passage.
        sentence: index into ``chunk.sentences`` of the sentence that best answers the question,
            as the ranker and the answerability checks read it (``highlight.EVIDENCE``).
        sentence_similarity: cosine between the question and that sentence.
        features: the ranker's evidence, in the order of ``FEATURES``.
        shown: index of the sentence highlighted for the reader (``highlight.SHOWN``).
        fitted: cosine between the question and the closest sentence holding the kind of answer
            asked for (0 when none does or no kind is asked).
        asked: the ranker's score on where the passage stands among its source's passages for
            what the question asks of that source (``None`` when not searched so): the order
            its source's passages are shown in (``order.shown``).
    """

    chunk: StoredChunk
    score: float
    dense: float
    sentence: int
    sentence_similarity: float
    features: np.ndarray
    shown: int
    fitted: float = 0.0
    asked: float | None = None

    def feature(self, name: str) -> float:
        """One piece of evidence by its name in ``FEATURES``."""
        return float(self.features[FEATURES.index(name)])


@dataclass
class Question:
    """A question analysed once for all its candidates: its words, their weights, what it asks.

    Attributes:
        text: the question as asked.
        vector: its unit embedding.
        words: its content words, in order (without those asking for the author or the date the
            source came out, ``ABOUT_THE_SOURCE``, when that is what it asks for).
        weights: each content word's IDF in the index (rare words weigh more).
        wants: the kind of answer it asks for (see ``answer_types.answer_type``).
        editions: the editions it asks about ({"third"}).
        sources: how much of its weight each source's metadata holds (see ``SourceMatcher``).
        unseen: its words that no passage of the library holds.
        ask_vector: the unit embedding of what it asks without the clause saying where to look
            (``clauses.the_ask``), which picks each passage's best sentence; ``vector`` when it
            has no such clause.
        asked: the content words of what it asks (its ``words`` when it has no such clause).
        named: the library sources it names (``SourceMatcher.named``): ranked first, and the
            only ones it is judged on.
        pinned: the text its editions are read from: ``asked``'s text when a clause names a
            library source ("In MOFA's release on the third meeting, ..."), else ``text``.
    """

    text: str
    vector: np.ndarray
    words: list[str]
    weights: dict[str, float]
    wants: str | None
    editions: set[str]
    sources: dict[str, float]
    unseen: set[str]
    ask_vector: np.ndarray
    asked: list[str]
    named: set[str]
    pinned: str

    @classmethod
    def analyse(
        cls,
        store: Store,
        text: str,
        vector: np.ndarray,
        matcher: SourceMatcher | None = None,
        ask: str | None = None,
        ask_vector: np.ndarray | None = None,
    ) -> Question:
        """Work out everything about ``text`` that does not depend on the candidate.

        Args:
            store: the index, whose document frequencies weigh the words.
            text: the question.
            vector: its unit embedding.
            matcher: the sources' metadata (none: no source is matched by name).
            ask: ``clauses.the_ask(text)``, and ``ask_vector`` its embedding (``None``: the
                question has no clause saying where to look).
        """
        wants = answer_type(text)
        words = tokens.words(text)
        words = [word for word in words if word not in ABOUT_THE_SOURCE.get(wants, ())]
        weights = {word: store.idf(word) for word in set(words)}
        sources = matcher.match(words, weights) if matcher else {}
        named = matcher.named(text) if matcher else set()
        pinned = ask if ask and named else text
        editions = {ORDINALS[ordinal] for ordinal in editions_asked(pinned)}
        unseen = {word for word in weights if not store.document_frequency(word)}
        return cls(
            text,
            vector,
            words,
            weights,
            wants,
            editions,
            sources,
            unseen,
            vector if ask_vector is None else ask_vector,
            tokens.words(ask) if ask else words,
            named,
            pinned,
        )

    def share(self, held: set[str]) -> float:
        """The IDF-weighted share of the question's words whose stems are in ``held``."""
        total = sum(self.weights.values())
        if not total:
            return 0.0
        return sum(weight for word, weight in self.weights.items() if tokens.stem(word) in held) / total


def analyse(store: Store, encode, texts: list[str], matcher: SourceMatcher | None = None) -> list[Question]:
    """Embed ``texts`` and what each asks (``clauses.the_ask``) in one batch, and analyse each.

    Args:
        store: the index.
        encode: embeds a list of texts as unit vectors (an encoder's ``encode``).
        texts: questions, or claims read as questions.
        matcher: the sources' metadata.

    Returns:
        One ``Question`` per text, in order.
    """
    asks = [the_ask(t) for t in texts]
    vectors = encode(list(texts) + [a for a in asks if a])
    ask_vectors = iter(vectors[len(texts) :])
    return [
        Question.analyse(store, t, v, matcher, a, next(ask_vectors) if a else None)
        for t, v, a in zip(texts, vectors[: len(texts)], asks, strict=True)
    ]


def retrieve(
    store: Store,
    faiss_index,
    question: Question,
    k: int | None,
    mode: Mode = Mode.HYBRID,
    scorer=None,
    matcher: SourceMatcher | None = None,
    scope: Scope | None = None,
) -> list[Scored]:
    """Rank passages for a question.

    Args:
        store: the open index database.
        faiss_index: its vector index.
        question: the analysed question (see ``Question.analyse``).
        k: how many passages to return (``None``: every candidate).
        mode: a ``Mode`` or its name (ValueError for another): ``hybrid`` (the product: the learned
            ranker over fused candidates), or the baselines ``rrf`` (reciprocal rank fusion alone),
            ``bm25`` or ``dense``.
        scorer: the learned model (``qa.scorer.Scorer``); without one, hybrid ranks as ``"rrf"``.
        matcher: the sources' metadata, read with each passage; a source the question names
            adds its passages to the candidates.
        scope: the sources whose passages may be returned (``None``: every source).

    Returns:
        Up to ``k`` ``Scored`` passages, best first.
    """
    mode = Mode(mode)
    scope = scope or Scope()
    lexical, dense = candidates(store, faiss_index, question.text, question.vector, mode, scope, DEPTH)
    fused = fuse(lexical, dense)
    order = sorted(fused, key=fused.get, reverse=True)
    within = None
    if mode == Mode.HYBRID:
        order += [r for r in named_source_passages(store, question.sources, question.vector, scope) if r not in fused]
        within = named_within(store, faiss_index, question, scope, matcher) if scorer is not None else None
        order += _unseen(order, within)
    chunks = store.chunks(order)
    # A rowid the database does not hold: a build committed after the FAISS file was read.
    order = [rowid for rowid in order if rowid in chunks]
    if not order:
        return []
    matrix, sentences = _features(store, question, order, chunks, matcher)
    _rank_features(matrix, order, lexical, dense, fused)
    scores = _scores(matrix, mode, scorer, [fused.get(rowid, 0.0) for rowid in order])
    scored = [
        Scored(chunks[rowid], float(score), float(row[_DENSE]), best, float(row[_SENTENCE]), row, shown, fitted)
        for rowid, score, row, (best, shown, fitted) in zip(order, scores, matrix, sentences, strict=True)
    ]
    if mode != Mode.HYBRID:
        return sorted(scored, key=lambda s: s.score, reverse=True)[:k]
    if within is None and scorer is not None:
        within = opening_within(store, faiss_index, question, scored, matcher)
    if within:
        asked = _rescored(matrix, order, within, scorer)
        for passage in scored:
            passage.asked = asked.get(passage.chunk.rowid)
    return ordered(question, scored, matcher)[:k]


def _unseen(order: list[int], within: tuple[Hits, Hits] | None) -> list[int]:
    """The passages ``within`` holds that ``order`` does not, once each."""
    seen = set(order)
    return [r for r in dict.fromkeys(r for hits in within or () for r, _ in hits) if r not in seen]


def _rescored(matrix: np.ndarray, order: list[int], within: tuple[Hits, Hits], scorer) -> dict[int, float]:
    """The ranker's score of each passage ``within`` holds, read with where it stands there (the
    rest of its evidence as ``matrix`` gives it), by rowid."""
    ranks = matrix.copy()
    _rank_features(ranks, order, *within, fuse(*within))
    held = {rowid for hits in within for rowid, _ in hits}
    return {rowid: float(p) for rowid, p in zip(order, scorer.rank(ranks), strict=True) if rowid in held}


def _rank_features(matrix: np.ndarray, order: list[int], lexical: Hits, dense: Hits, fused: dict[int, float]) -> None:
    """Fill the ``FEATURES`` columns of ``matrix`` that come from where each passage of ``order``
    stands in the BM25 and dense lists and their fusion."""
    best_lexical = max((s for _, s in lexical), default=0.0) or 1.0
    lexical_scores = {rowid: s / best_lexical for rowid, s in lexical}
    lexical_ranks = {rowid: rank for rank, (rowid, _) in enumerate(lexical)}
    dense_ranks = {rowid: rank for rank, (rowid, _) in enumerate(dense)}
    matrix[:, _BM25] = [lexical_scores.get(rowid, 0.0) for rowid in order]
    matrix[:, FEATURES.index("bm25_rank")] = [
        1.0 / (1 + lexical_ranks[r]) if r in lexical_ranks else 0.0 for r in order
    ]
    matrix[:, FEATURES.index("dense_rank")] = [1.0 / (1 + dense_ranks[r]) if r in dense_ranks else 0.0 for r in order]
    matrix[:, FEATURES.index("fused")] = [fused.get(rowid, 0.0) for rowid in order]


def _scores(matrix: np.ndarray, mode: Mode, scorer, fused: list[float]) -> np.ndarray:
    """Each candidate's ranking score in ``mode``: the learned ranker's, a baseline retriever's
    own, or (hybrid without a scorer, and ``rrf``) the candidates' ``fused`` scores."""
    if mode == Mode.BM25:
        return matrix[:, _BM25]
    if mode == Mode.DENSE:
        return matrix[:, _DENSE]
    if mode == Mode.HYBRID and scorer is not None:
        return scorer.rank(matrix)
    return np.array(fused)


def _features(store: Store, question: Question, order: list[int], chunks, matcher) -> tuple:
    """The ``FEATURES`` matrix of the candidates ``order`` (whose ``chunks`` are given), but for
    the columns ``_rank_features`` fills, and for each its best sentence, the sentence shown and
    the closest sentence's cosine of those holding the kind of answer asked for (see ``Scored``)."""
    sentence_vectors = store.sentence_embeddings(order)
    # Exact passage vectors from the database: an approximate FAISS structure holds compressed ones.
    exact = store.embeddings(order)
    passage_vectors = np.vstack([exact[rowid] for rowid in order])
    question_words = set(question.words)
    # A question with no words left to look for ("Who wrote the article?" asks only for an author
    # line, which ``answer_fit`` finds) lacks none of them in any passage.
    empty = not question.weights
    # The best sentence answers what is asked, not how the source was named.
    asked, asked_pairs = set(question.asked), pairs(question.asked)
    thing = counted(question.text)
    counts = tokens.stem(thing[-1].lower()) if thing else None
    doc_ids = {chunk.doc_id for chunk in chunks.values()}
    metadata = {doc: {tokens.stem(w) for w in matcher.words(doc)} for doc in doc_ids} if matcher else {}
    titles = matcher.titles if matcher else {}

    rows, sentences = [], []
    for position, rowid in enumerate(order):
        chunk = chunks[rowid]
        similarities = sentence_vectors[rowid] @ question.ask_vector
        evidence = sentence_evidence(
            chunk, similarities, asked, asked_pairs, question.wants, question.editions, titles.get(chunk.doc_id), counts
        )
        sentence, sentence_score, phrase, shown = best_sentence(evidence, similarities, question.wants)
        text = chunk.sentence_text(sentence)
        held = set(tokens.terms(f"{chunk.section or ''} {chunk.text}"))
        fit = answer_fit(text, question.wants)
        rows.append(
            [
                float(passage_vectors[position] @ question.vector),
                sentence_score,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                1.0 if empty else _coverage(question_words, held),
                1.0 if empty else question.share(held),
                1.0 if empty else question.share(set(tokens.terms(text))),
                phrase,
                fit,
                1.0 if question.wants and not fit else 0.0,
                conflict(question.editions, text),
                question.share(metadata.get(chunk.doc_id, set()) - held),
            ]
        )
        sentences.append((sentence, shown, max((e.similarity for e in evidence if e.fit > 0), default=0.0)))
    matrix = np.array(rows, dtype=np.float32)
    matrix[:, FEATURES.index("dense_gap")] = matrix[:, _DENSE] - matrix[:, _DENSE].max()
    matrix[:, FEATURES.index("sentence_gap")] = matrix[:, _SENTENCE] - matrix[:, _SENTENCE].max()
    return matrix, sentences


def _coverage(question_words: set[str], held: set[str]) -> float:
    """Share of the question's words whose stems are among ``held``."""
    if not question_words:
        return 0.0
    return sum(tokens.stem(w) in held for w in question_words) / len(question_words)
