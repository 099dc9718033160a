"""Answers: cited passages with the best sentence highlighted, or an abstention that says why."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.embed import Embedder
from index.library import Library
from index.store import StoredDocument
from qa.abstain import MIN_SENTENCE_SIMILARITY, NOTHING_FOUND, abstain_reason
from qa.retrieve import DEPTH, Scored, retrieve


@dataclass
class Citation:
    """Where a passage comes from, precisely enough to check it.

    Attributes:
        source_id, title, publisher, date, url, path: the source document.
        section: the section the passage is in, if known.
        page, page_end: the page of the highlighted sentence (``page_end`` when it runs onto the
            next page); ``None`` for unpaged sources.
        start, end: the passage's character offsets in the source's extracted text.
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

    def text(self) -> str:
        """The citation as a person reads it: title, publisher, date, section or page, URL."""
        parts = [self.title or self.source_id]
        published = ", ".join(p for p in (self.publisher, self.date) if p)
        if published:
            parts.append(published)
        if self.page is not None:
            parts.append(f"p. {self.page}" if self.page_end in (None, self.page) else f"pp. {self.page}–{self.page_end}")
        if self.section:
            parts.append(f"§ {self.section}")
        if self.url:
            parts.append(self.url)
        return ". ".join(parts)


@dataclass
class Passage:
    """One cited passage of an answer."""

    rank: int
    text: str
    highlight: str
    highlight_start: int
    highlight_end: int
    score: float
    citation: Citation
    content_hash: str

    def to_dict(self) -> dict:
        """The ``--json`` shape of a passage."""
        c = self.citation
        return {
            "rank": self.rank,
            "text": self.text,
            "highlight": self.highlight,
            "score": round(self.score, 4),
            "source": {
                "id": c.source_id, "title": c.title, "publisher": c.publisher, "date": c.date,
                "url": c.url, "path": c.path, "content_hash": self.content_hash,
            },
            "location": {
                "section": c.section, "page": c.page, "page_end": c.page_end, "start": c.start, "end": c.end,
                "highlight_start": self.highlight_start, "highlight_end": self.highlight_end,
            },
            "citation": c.text(),
        }


@dataclass
class Answer:
    """The answer to one question: passages best first, or an abstention with its reason."""

    question: str
    abstained: bool
    passages: list[Passage] = field(default_factory=list)
    reason: str | None = None

    def to_dict(self) -> dict:
        """The ``--json`` shape of an answer."""
        out = {"question": self.question, "abstained": self.abstained}
        if self.reason:
            out["reason"] = self.reason
        out["passages"] = [p.to_dict() for p in self.passages]
        return out


class Asker:
    """Answers questions from a library's last complete index.

    Open it once and ask many questions: the index and the model are loaded once.

    Args:
        library: the library to answer from (build it first; see ``Library.build``).
        embedder: the question encoder (default: the library's ONNX export of the bundled model,
            else the model through sentence-transformers, with ``notice`` saying why).
    """

    def __init__(self, library: Library, embedder: Embedder | None = None):
        self.library = library
        self.store, self.index = library.open_index()
        #: Why questions are not encoded by the fast ONNX encoder, or ``None``.
        self.notice = None
        if embedder is None:
            embedder, self.notice = library.query_encoder()
        self.embedder = embedder
        self._documents: dict[str, StoredDocument] = {}

    def close(self) -> None:
        """Release the index."""
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def ask(self, question: str, k: int = 5, mode: str = "hybrid") -> Answer:
        """Answer one question; see :meth:`ask_many`."""
        return self.ask_many([question], k, mode)[0]

    def ask_many(self, questions: list[str], k: int = 5, mode: str = "hybrid") -> list[Answer]:
        """Answer questions, embedding them in one batch.

        Args:
            questions: the questions.
            k: passages per answer.
            mode: ``"hybrid"``; ``"bm25"`` or ``"dense"`` give the single-retriever baselines.

        Returns:
            One ``Answer`` per question, in order. An answer abstains (with no passages) when
            no passage supports the question; the reason names what was missing.
        """
        vectors = self.embedder.encode(list(questions))
        answers = []
        for question, vector in zip(questions, vectors):
            # Every candidate (each retriever gives at most DEPTH): whether the sources answer
            # must not depend on how many passages are shown.
            scored = retrieve(self.store, self.index, question, vector, max(k, 2 * DEPTH), mode)
            reason = self._abstain_reason(question, scored, mode)
            if reason:
                answers.append(Answer(question, True, [], reason))
            else:
                answers.append(Answer(question, False, [self._passage(r, s) for r, s in enumerate(scored[:k], 1)]))
        return answers

    @staticmethod
    def _abstain_reason(question: str, scored: list[Scored], mode: str) -> str | None:
        """Why the sources do not answer ``question``, or ``None`` when the top passage does.

        The single-retriever baselines abstain the way each retriever naturally can: BM25 when
        nothing matched, dense when even the best passage is weakly similar.
        """
        if not scored:
            return NOTHING_FOUND
        if mode == "bm25":
            return None
        if mode == "dense":
            if scored[0].dense < MIN_SENTENCE_SIMILARITY:
                return f"the closest passage is only weakly related (similarity {scored[0].dense:.2f})"
            return None
        return abstain_reason(question, scored)

    def _passage(self, rank: int, scored: Scored) -> Passage:
        chunk = scored.chunk
        doc = self._document(chunk.doc_id)
        start, end = chunk.span(scored.sentence)
        page, page_end = doc.page_at(start), doc.page_at(max(start, end - 1))
        citation = Citation(
            source_id=doc.id, title=doc.title, publisher=doc.publisher, date=doc.date, url=doc.url,
            path=doc.path, section=chunk.section, page=page, page_end=page_end if page_end != page else None,
            start=chunk.start, end=chunk.end,
        )
        return Passage(
            rank=rank, text=chunk.text, highlight=doc.text[start:end], highlight_start=start,
            highlight_end=end, score=scored.score, citation=citation, content_hash=doc.content_hash,
        )

    def _document(self, doc_id: str) -> StoredDocument:
        if doc_id not in self._documents:
            self._documents[doc_id] = self.store.document(doc_id)
        return self._documents[doc_id]


def ask(library: Library, question: str, k: int = 5) -> Answer:
    """Answer one question from ``library``, building its index first if it has none.

    Args:
        library: the library.
        question: the question.
        k: how many passages to return.

    Returns:
        An ``Answer``.
    """
    if not library.is_built():
        library.build()
    with Asker(library) as asker:
        return asker.ask(question, k)

