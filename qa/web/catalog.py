"""What the page and the API say about the library's sources: the list, and one source's text
with its passages. Runs on the index thread (see ``reader``)."""

from __future__ import annotations

from pathlib import Path

from citeqa.index.library import Library
from citeqa.index.references import list_references
from citeqa.qa.answer import Asker


def source_list(asker: Asker, library: Library, skipped: list[dict]) -> dict:
    """Every file in the sources folder with its metadata, passage count and the article
    reference it fills, and the files the last build skipped with their reasons.

    Args:
        asker: the open index.
        library: the library.
        skipped: ``BuildReport.skipped`` of the last build the server ran.

    Returns:
        ``{"sources": [...], "skipped": [{"path", "reason"}]}``, ``path`` being the file's name.
    """
    # Read once, from the reader's snapshot: the list, the references and the counts agree.
    indexed = asker.store.documents()
    documents = {d.id: d for d in indexed}
    fills: dict[str, list[dict]] = {}
    for entry in list_references(indexed):
        if entry.source:
            fills.setdefault(entry.source, []).append({"citing": entry.citing, "number": entry.number})
    reasons = {Path(s["path"]).name: s["reason"] for s in skipped}
    out = []
    for source in library.catalog.sources(indexed):
        doc = documents.get(source.id)
        name = Path(source.path).name
        out.append(
            {
                "id": source.id,
                "file": name,
                "kind": source.kind,
                "title": source.title,
                "authors": source.authors,
                "publisher": doc.publisher if doc else None,
                "date": doc.date if doc else None,
                "url": doc.url if doc else None,
                "passages": source.chunks,
                "indexed": source.indexed,
                "fills": fills.get(source.id, []),
                "reason": None if source.indexed else reasons.get(name, "not indexed yet: run a build"),
            }
        )
    return {"sources": out, "skipped": [{"path": Path(s["path"]).name, "reason": s["reason"]} for s in skipped]}


def source_detail(asker: Asker, source_id: str) -> dict | None:
    """One indexed source as ``/api/sources/{id}`` gives it: metadata, extracted text and passages.

    Returns:
        The source, or ``None`` when the index holds no source of that id (ids are looked up in
        the index, never turned into file paths).
    """
    doc = asker.store.document(source_id)
    if doc is None:
        return None
    return {
        "id": doc.id,
        "title": doc.title,
        "authors": doc.authors,
        "publisher": doc.publisher,
        "date": doc.date,
        "url": doc.url,
        "kind": doc.kind,
        "file": Path(doc.path).name,
        "content_hash": doc.content_hash,
        "pages": [{"page": number, "start": start} for number, start in doc.pages],
        "text": doc.text,
        "passages": [
            {
                "id": c.id,
                "ordinal": c.ordinal,
                "start": c.start,
                "end": c.end,
                "section": c.section,
                "kind": c.kind,
                "page_start": c.page_start,
                "page_end": c.page_end,
                "sentences": [list(s) for s in c.sentences],
            }
            for c in asker.store.doc_chunks(doc.id)
        ],
    }
