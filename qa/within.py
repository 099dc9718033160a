"""Searching a source again for what a question asks of it: which of its passages is shown
first (``order.shown``). A source's headline and opening say what the whole source is about, so
on the whole question they come first even where a later passage answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from citeqa.corpus import tokens
from citeqa.index.store import Store
from citeqa.qa.candidates import DEPTH, Hits, Scope, candidates
from citeqa.qa.sources import SourceMatcher

if TYPE_CHECKING:
    from citeqa.qa.retrieve import Question, Scored


def named_within(
    store: Store, faiss_index, question: Question, scope: Scope, matcher: SourceMatcher | None
) -> tuple[Hits, Hits] | None:
    """The candidates among the passages of the sources a question names (``None`` when none is
    in scope) for what it asks of them ("According to the Lokmat Times report on Doval's Paris
    trip, which minister ..."): BM25 reads what it asks less the words of their titles, the
    dense search what it asks. On its whole text the rank went to the passage writing the
    source's name and topic again, a story's headline and lead."""
    named = frozenset(d for d in question.named if scope.holds(d))
    if not named:
        return None
    rest = _untitled(question.pinned, named, matcher) or question.pinned
    return _search(store, faiss_index, named, rest, question.ask_vector)


def _untitled(text: str, sources: frozenset[str], matcher: SourceMatcher | None) -> str:
    """The words of ``text`` that no title of ``sources`` holds: what it asks of them."""
    titled = {tokens.stem(w) for d in sources for w in tokens.words(matcher.titles.get(d) or "")} if matcher else set()
    return " ".join(w for w in tokens.words(text) if tokens.stem(w) not in titled)


def opening_within(
    store: Store, faiss_index, question: Question, scored: list[Scored], matcher: SourceMatcher | None
) -> tuple[Hits, Hits] | None:
    """When the best passage opens its source, which says what the whole source is about and so
    shares any question on its topic, the candidates of that source (``None`` otherwise): BM25
    reads the question less the words of the source's title, the dense search the question.
    Which of its passages answers is what the question asks beyond the title ("When did Seoul
    take the export curbs to the WTO?" of a story titled "Japan lifts export curbs on Seoul")."""
    best = max(scored, key=lambda s: s.score)
    source = frozenset({best.chunk.doc_id})
    if best.chunk.ordinal or not matcher or not matcher.titles.get(best.chunk.doc_id):
        return None
    rest = _untitled(question.text, source, matcher)
    return _search(store, faiss_index, source, rest, question.vector) if rest else None


def _search(store: Store, faiss_index, sources: frozenset[str], text: str, vector: np.ndarray) -> tuple[Hits, Hits]:
    """The BM25 and dense candidates for ``text`` (embedded as ``vector``) among the passages of
    ``sources``."""
    return candidates(store, faiss_index, text, vector, "hybrid", Scope(only=sources), DEPTH)
