"""First-stage candidates for retrieval: BM25 and dense searches, within a scope of sources."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from citeqa.index.store import Store

Hits = list[tuple[int, float]]
#: How many candidates each retriever contributes before fusion.
DEPTH = 50
#: Reciprocal-rank-fusion constant (the usual 60: flattens the head of each list).
RRF_K = 60
#: Sources whose metadata holds at least this share of a question's weight ("the Reuters report
#: of July 2025") add their passages to the candidates, whatever their text shares with it.
NAMED_SOURCE_SHARE = 0.2
#: How many such sources, and how many passages of each, join the candidates.
NAMED_SOURCES, NAMED_PASSAGES = 3, 8


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


def fuse(lexical: Hits, dense: Hits) -> dict[int, float]:
    """The reciprocal-rank-fusion score of each passage either list holds."""
    fused: dict[int, float] = {}
    for ranking in (lexical, dense):
        for rank, (rowid, _) in enumerate(ranking):
            fused[rowid] = fused.get(rowid, 0.0) + 1.0 / (RRF_K + rank + 1)
    return fused


def named_source_passages(store: Store, shares: dict[str, float], vector: np.ndarray, scope: Scope) -> list[int]:
    """The passages of the sources whose metadata a question names most, closest first.

    Args:
        store: the open index database.
        shares: how much of the question's weight each source's metadata holds.
        vector: the question's unit embedding.
        scope: the sources searched.
    """
    named = sorted((share, doc) for doc, share in shares.items() if share >= NAMED_SOURCE_SHARE and scope.holds(doc))
    by_doc = store.doc_rowids([doc for _, doc in named[-NAMED_SOURCES:]])
    vectors = store.embeddings([rowid for rowids in by_doc.values() for rowid in rowids])
    closest = []
    for rowids in by_doc.values():
        closest += sorted(rowids, key=lambda rowid: float(vectors[rowid] @ vector), reverse=True)[:NAMED_PASSAGES]
    return closest
