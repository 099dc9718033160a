"""Answers: cited passages with the best sentence highlighted, or an abstention that says why."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from citeqa.index.checks import file_state
from citeqa.index.embed import Embedder
from citeqa.index.library import Library
from citeqa.index.plan import PIPELINE_VERSION
from citeqa.index.records import author_list
from citeqa.index.store import StoredDocument
from citeqa.qa.abstain import NOTHING_FOUND, judge, nothing_indexed
from citeqa.qa.highlight import highlight_span
from citeqa.qa.order import distinct, shown
from citeqa.qa.retrieve import Mode, Question, Scored, analyse, retrieve
from citeqa.qa.scorer import Scorer
from citeqa.qa.sources import SourceMatcher
from citeqa.qa.spelling import respelled

#: The dense baseline abstains when even the best passage is less similar than this (the
#: similarity floor the rule-based citeqa used).
DENSE_FLOOR = 0.35
#: The most passages an answer shows (the command line's and the web API's bound too).
MAX_PASSAGES = 100


def has_words(question: str) -> bool:
    """Whether a question holds a letter or digit to search for: an empty or "???" question
    would be answered with whatever passages came first, so callers refuse it."""
    return any(c.isalnum() for c in question)


@dataclass
class Citation:
    """Where a passage comes from, precisely enough to check it.

    Attributes:
        source_id, title, publisher, date, url, path: the source document.
        section: the section the passage is in, if known.
        page, page_end: the page of the highlighted sentence (``page_end`` when it runs onto the
            next page), counted in the file; ``None`` for unpaged sources.
        start, end: the passage's character offsets in the source's extracted text.
        printed_page: those pages as they print their numbers ("4", "iv–v"), when that is not
            their count in the file (a PDF's page labels); ``None`` otherwise.
        authors: the source's authors, as its file or the metadata given for it names them.
    """

    source_id: str
    title: str | None
    publisher: str | None
    date: str | None
    url: str | None
    path: str
    section: str | None
    page: int | None
    page_end: int | None
    start: int
    end: int
    printed_page: str | None = None
    authors: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The citation as a person reads it: authors, title, publisher, date, section or page, URL."""
        parts = [self.title or self.source_id]
        if self.authors:
            parts.insert(0, author_list(self.authors))
        published = ", ".join(p for p in (self.publisher, self.date) if p)
        if published:
            parts.append(published)
        if self.page is not None:
            counted = f"p. {self.page}" if self.page_end in (None, self.page) else f"pp. {self.page}–{self.page_end}"
            if self.printed_page:
                # The page a reader finds by its printed number first, then where the file has it.
                several = self.page_end not in (None, self.page)
                printed = f"{'pp.' if several else 'p.'} {self.printed_page}"
                counted = f"{printed} ({counted} of the file)"
            parts.append(counted)
        if self.section:
            parts.append(f"§ {self.section}")
        if self.url:
            parts.append(self.url)
        # A part ending in its own stop ("§ What has the reaction been?", "§ More:") takes no other.
        return (
            "".join(f"{part}{' ' if part.endswith(('.', '?', '!', ':')) else '. '}" for part in parts[:-1]) + parts[-1]
        )


@dataclass
class Passage:
    """One cited passage of an answer; ``named_source`` when it is from a source the question
    names, which comes first whatever its ``score``; ``asked_of_source`` when it stands above a
    passage of its own source with a higher score, as the one that answers what the question
    asks of that source beyond its title (``order.shown``)."""

    rank: int
    text: str
    highlight: str
    highlight_start: int
    highlight_end: int
    score: float
    citation: Citation
    content_hash: str
    named_source: bool = False
    asked_of_source: bool = False

    def to_dict(self) -> dict:
        """The ``--json`` shape of a passage."""
        c = self.citation
        return {
            "rank": self.rank,
            "text": self.text,
            "highlight": self.highlight,
            "score": round(self.score, 4),
            # Why a passage stands above one of higher score: it is from the source the question names.
            "named_source": self.named_source,
            # Why one stands above a passage of its own source with a higher score.
            "asked_of_source": self.asked_of_source,
            "source": {
                "id": c.source_id,
                "title": c.title,
                "authors": c.authors,
                "publisher": c.publisher,
                "date": c.date,
                "url": c.url,
                "path": c.path,
                "content_hash": self.content_hash,
            },
            "location": {
                "section": c.section,
                "page": c.page,
                "page_end": c.page_end,
                "printed_page": c.printed_page,
                "start": c.start,
                "end": c.end,
                "highlight_start": self.highlight_start,
                "highlight_end": self.highlight_end,
            },
            "citation": c.text(),
        }


@dataclass
class Answer:
    """The answer to one question: passages best first, and whether they answer it.

    Attributes:
        question: the question as asked.
        abstained: the sources do not answer it; ``passages`` are then the closest ones found,
            shown as evidence, not as an answer.
        passages: the cited passages, best first.
        reason: why citeqa abstained.
        confidence: the calibrated probability that the best passages answer the question
            (``None`` for the baselines, for refusals that needed no model, and for when a named
            source came out, which its own date answers).
    """

    question: str
    abstained: bool
    passages: list[Passage] = field(default_factory=list)
    reason: str | None = None
    confidence: float | None = None

    def to_dict(self) -> dict:
        """The ``--json`` shape of an answer: every key always present, so a script can read
        ``confidence`` without checking for it (``None`` where there is none)."""
        return {
            "question": self.question,
            "abstained": self.abstained,
            "reason": self.reason,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "passages": [p.to_dict() for p in self.passages],
        }


class Asker:
    """Answers questions from a library's last complete index.

    Open it once and ask many questions: the index and the model are loaded once.

    Args:
        library: the library to answer from (build it first; see ``Library.build``).
        embedder: the question encoder (default: the library's ONNX export of the bundled model,
            else the model through sentence-transformers, with ``notice`` saying why).
    """

    def __init__(self, library: Library, embedder: Embedder | None = None, scorer: Scorer | None = None):
        self.library = library
        self.store, self.index = library.open_index()
        #: Why questions are not encoded by the fast ONNX encoder, or ``None``.
        self.notice = None
        if embedder is None:
            embedder, self.notice = library.query_encoder()
        self.embedder = embedder
        #: Why the index may hold what an older citeqa read from the sources, or ``None``.
        self.stale = (
            None
            if self.store.get_meta("pipeline") == PIPELINE_VERSION
            else "the index holds sources an older citeqa read; run 'citeqa build' to read them again"
        )
        self._scorer = scorer
        self.matcher = SourceMatcher(self.store.source_rows(), self.store.authors())
        self._documents: dict[str, StoredDocument] = {}
        self._file_states: dict[str, tuple[tuple | None, str | None]] = {}

    @property
    def scorer(self) -> Scorer:
        """The learned ranker and answerability model (read on first use)."""
        if self._scorer is None:
            self._scorer = Scorer.load()
        return self._scorer

    def close(self) -> None:
        """Release the index."""
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def ask(self, question: str, k: int = 5, mode: Mode = Mode.HYBRID) -> Answer:
        """Answer one question; see :meth:`ask_many`."""
        return self.ask_many([question], k, mode)[0]

    def analyse(self, questions: list[str]) -> list[Question]:
        """Embed questions in one batch and analyse each against the index (see ``Question``)."""
        return analyse(self.store, self.embedder.encode, questions, self.matcher)

    def candidates(self, question: Question, mode: Mode = Mode.HYBRID) -> list[Scored]:
        """Every candidate passage for ``question``, ranked: whether the sources answer must not
        depend on how many passages are shown."""
        scorer = self.scorer if mode == Mode.HYBRID else None
        return retrieve(self.store, self.index, question, None, mode, scorer, self.matcher)

    def ask_many(self, questions: list[str], k: int = 5, mode: Mode = Mode.HYBRID) -> list[Answer]:
        """Answer questions, embedding them in one batch.

        Args:
            questions: the questions.
            k: passages per answer.
            mode: ``Mode.HYBRID``; the other modes give the baselines (see ``Mode``).

        Returns:
            One ``Answer`` per question, in order. An answer abstains when the passages found do
            not answer the question; the reason says why, and the passages are the closest found.

        Raises:
            ValueError: ``k`` is not from 1 to ``MAX_PASSAGES``, or a question has no words to
                search for (see ``has_words``), as the command line and the web API refuse them.
        """
        if not 1 <= k <= MAX_PASSAGES:
            raise ValueError(f"k must be from 1 to {MAX_PASSAGES}, not {k}")
        for question in questions:
            if not has_words(question):
                raise ValueError(f"the question {question!r} has no words to search for")
        answers = []
        for question in self.analyse(questions):
            scored = self.candidates(question, mode)
            probability, reason = self._judge(question, scored, mode)
            named = question.named if mode == Mode.HYBRID else set()
            seen = distinct(shown(question, scored, self.matcher))[:k] if mode == Mode.HYBRID else scored[:k]
            # An answer marks the sentence fitted to show the answer; an abstention, the sentences
            # its judgement read, so that "the sentences found give no date" is true of them.
            passages = [
                self._passage(r, s, s.chunk.doc_id in named, s.sentence if reason else s.shown, _above(s, seen[r:]))
                for r, s in enumerate(seen, 1)
            ]
            answers.append(Answer(question.text, reason is not None, passages, reason, probability))
        return answers

    def _judge(self, question: Question, scored: list[Scored], mode: Mode) -> tuple[float | None, str | None]:
        """The probability that ``scored`` answer ``question`` and, if they do not, why.

        The baselines abstain the way each retriever naturally can: BM25 and fusion when nothing
        matched, dense when even the best passage is weakly similar.
        """
        if not scored:
            return None, NOTHING_FOUND if self.store.chunk_count() else nothing_indexed(self.library)
        if mode == Mode.HYBRID:
            store, matcher = self.store, self.matcher
            ruled = judge(
                question, scored, self.scorer, matcher, store.holds_name, store.spells, self.similarity, self.respelled
            )
            return ruled.probability, ruled.reason
        if mode == Mode.DENSE and scored[0].dense < DENSE_FLOOR:
            return None, f"the closest passage is only weakly related (similarity {scored[0].dense:.2f})"
        return None, None

    def similarity(self, word: str, others: list[str]) -> list[float]:
        """The cosine between ``word`` and each of ``others`` by the question encoder."""
        return similarity(self.embedder.encode, word, others)

    def respelled(self, name: str) -> str | None:
        """How the sources spell ``name`` if they spell it otherwise (``spelling.respelled``)."""
        return respelled(self.store, name)

    def changed_sources(self, answer: Answer) -> dict[str, str]:
        """Sources cited in ``answer`` whose file no longer holds the text the index cites.

        Returns:
            ``{source id: "edited" or "deleted"}``; empty when every cited file is as indexed.
        """
        changed = {}
        for passage in answer.passages:
            c = passage.citation
            if c.source_id not in changed:
                changed[c.source_id] = self._file_state(c.path, passage.content_hash)
        return {source_id: state for source_id, state in changed.items() if state}

    def _file_state(self, indexed_path: str, content_hash: str) -> str | None:
        # Hashing is redone only when the file's size or mtime moved: many questions citing one
        # large PDF must not read it once per question.
        path = self.library.sources_dir / Path(indexed_path).name
        try:
            stat = os.stat(path)
            key = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        except FileNotFoundError:
            key = None
        cached = self._file_states.get(indexed_path)
        if cached is None or cached[0] != key:
            cached = (key, file_state(self.library.sources_dir, indexed_path, content_hash))
            self._file_states[indexed_path] = cached
        return cached[1]

    def _passage(self, rank: int, scored: Scored, named_source: bool, sentence: int, asked: bool) -> Passage:
        chunk = scored.chunk
        doc = self._document(chunk.doc_id)
        start, end = highlight_span(chunk, sentence)
        page, page_end = doc.page_at(start), doc.page_at(max(start, end - 1))
        printed = _printed(doc, page, page_end)
        citation = Citation(
            source_id=doc.id,
            title=doc.title,
            publisher=doc.publisher,
            date=doc.date,
            url=doc.url,
            # Where the file is now: a library copied or moved elsewhere cites its own copy.
            path=str(self.library.sources_dir / Path(doc.path).name),
            section=chunk.section,
            page=page,
            page_end=page_end if page_end != page else None,
            start=chunk.start,
            end=chunk.end,
            printed_page=printed,
            authors=list(doc.authors),
        )
        return Passage(
            rank=rank,
            text=chunk.text,
            highlight=doc.text[start:end],
            highlight_start=start,
            highlight_end=end,
            score=scored.score,
            citation=citation,
            content_hash=doc.content_hash,
            named_source=named_source,
            asked_of_source=asked,
        )

    def _document(self, doc_id: str) -> StoredDocument:
        if doc_id not in self._documents:
            self._documents[doc_id] = self.store.document(doc_id)
        return self._documents[doc_id]


def similarity(encode: Callable[[list[str]], np.ndarray], word: str, others: list[str]) -> list[float]:
    """The cosine between ``word`` and each of ``others`` as ``encode`` (unit vectors) embeds them."""
    vectors = encode([word, *others])
    return (vectors[1:] @ vectors[0]).tolist()


def _above(passage: Scored, below: list[Scored]) -> bool:
    """Whether ``passage`` stands above one of ``below`` from its own source with a higher score."""
    return any(b.chunk.doc_id == passage.chunk.doc_id and b.score > passage.score for b in below)


def _printed(doc: StoredDocument, page: int | None, page_end: int | None) -> str | None:
    """The printed numbers of pages ``page`` to ``page_end`` ("4", "4–5"), or ``None`` when the
    document prints none other than their count, or when only one end prints a number.

    A page without a label prints no number that is known (one printing its own count has its
    label, ``Document.page_labels``) and is cited by its count, so a range from such a page to a
    numbered one would join two schemes ("2–52" for the file's page 2 and the printed 52).
    """
    if page is None or not doc.page_labels:
        return None
    first, last = doc.page_label(page), doc.page_label(page_end or page)
    ends = [number in doc.page_labels for number in (page, page_end or page)]
    if ends[0] != ends[1] and (first + last).isdigit():
        return None
    printed = first if last == first else f"{first}–{last}"
    counted = str(page) if page_end in (None, page) else f"{page}–{page_end}"
    return None if printed == counted else printed
