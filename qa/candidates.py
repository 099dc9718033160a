"""First-stage candidates for retrieval: BM25 and dense searches, within a scope of sources."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citeqa.index.store import Store

Hits = list[tuple[int, float]]


@dataclass(frozen=True)
class Scope:
    """The sources whose passages retrieval may return.

    Attributes:
        only: these sources alone (``None``: every source).
        without: never these sources.
    """

    only: frozenset[str] | None = None
    without: frozenset[str] = frozenset()

    def holds(self, doc_id: str) -> bool:
        """True when passages of ``doc_id`` may be returned.

        Args:
            doc_id: a source id.
        """
        return (self.only is None or doc_id in self.only) and doc_id not in self.without


def candidates(
    store: Store, faiss_index, text: str, vector: np.ndarray, mode: str, scope: Scope, depth: int
) -> tuple[Hits, Hits]:
    """The BM25 and the dense candidates for a question within ``scope``.

    Args:
        store: the open index database.
        faiss_index: its vector index.
        text: the question.
        vector: its unit embedding.
        mode: ``"bm25"`` searches BM25 only, ``"dense"`` dense only, anything else both.
        scope: the sources searched.
        depth: how many candidates each search returns at most.

    Returns:
        ``(bm25 hits, dense hits)``, each ``(rowid, score)`` best first.
    """
    lexical: Hits = []
    dense: Hits = []
    if scope.only is not None:
        only = sorted(scope.only - scope.without)
        if mode != "dense":
            lexical = store.lexical_search(text, depth, only)
        if mode != "bm25":
            # A few sources' passages are scored exactly: FAISS cannot search a subset.
            vectors = store.embeddings([r for rowids in store.doc_rowids(only).values() for r in rowids])
            dense = sorted(((r, float(v @ vector)) for r, v in vectors.items()), key=lambda hit: -hit[1])[:depth]
        return lexical, dense
    dropped = {r for rowids in store.doc_rowids(sorted(scope.without)).values() for r in rowids}
    # Searched deeper by as many passages as are dropped, so that ``depth`` remain.
    deeper = depth + len(dropped)
    if mode != "dense":
        lexical = [hit for hit in store.lexical_search(text, deeper) if hit[0] not in dropped][:depth]
    if mode != "bm25" and faiss_index.ntotal:
        query = vector.reshape(1, -1).astype(np.float32)
        scores, ids = faiss_index.search(query, min(deeper, faiss_index.ntotal))
        hits = zip(ids[0], scores[0], strict=True)
        dense = [(int(i), float(s)) for i, s in hits if i >= 0 and int(i) not in dropped][:depth]
    return lexical, dense
