"""Carrying out a build: extract what the plan says is new or changed, embed the new passages, and
commit documents, chunks and the FAISS file together.

An incremental build updates ``index.db`` in one transaction; a full build fills a database aside
from nothing and swaps it in at the end, so questions are answered from the old index meanwhile.
Either way a build killed at any moment leaves the previous index usable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from citeqa import corpus
from citeqa.corpus.model import Chunk, Document, ExtractionError
from citeqa.index import publish
from citeqa.index.catalog import Catalog
from citeqa.index.checks import file_stamp
from citeqa.index.encoders import EMBEDDING, BuildEncoder, embed_chunks
from citeqa.index.errors import LibraryError
from citeqa.index.links import apply_reference, link_for
from citeqa.index.plan import PIPELINE_VERSION, Plan, PlannedDocument, plan_build
from citeqa.index.reading import REPAIR, indexed_documents
from citeqa.index.sources import doc_id_for
from citeqa.index.store import DamagedDatabaseError, Store, StoredDocument

Progress = Callable[[str, int, int], None]
"""Callback ``(stage, done, total)`` a build reports progress through."""


@dataclass
class BuildReport:
    """What a build did. Document counts are by document id; ``skipped`` names each file and why;
    ``stale_metadata`` names each file whose given metadata was dropped because it was given for
    another document, ``kept_metadata`` each edited file that kept it (``{"path", "reason"}``)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    linked: list[dict] = field(default_factory=list)
    stale_metadata: list[dict] = field(default_factory=list)
    kept_metadata: list[dict] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    documents: int = 0
    chunks: int = 0
    #: Why passages were embedded with sentence-transformers rather than ONNX, or ``None``.
    notice: str | None = None

    def to_dict(self) -> dict:
        """Counts and lists, as ``citeqa build --json`` prints them."""
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
            "chunks_embedded": self.chunks_embedded,
            "chunks_reused": self.chunks_reused,
            "documents": self.documents,
            "chunks": self.chunks,
            "notice": self.notice,
            "details": {
                "added": self.added,
                "changed": self.changed,
                "removed": self.removed,
                "skipped": self.skipped,
                "linked": self.linked,
                "stale_metadata": self.stale_metadata,
                "kept_metadata": self.kept_metadata,
            },
        }


def unindexed(added: list[Path], report: BuildReport | None) -> list[dict]:
    """The files an ``add`` copied in that ``report``'s build skipped (no text, a copy of another
    source), each as ``{"path", "reason"}``: they went in but are not indexed."""
    paths = {str(p) for p in added}
    return [s for s in (report.skipped if report else []) if s["path"] in paths]


def outcomes(added: list[Path], report: BuildReport | None, current: set[str] = frozenset()) -> dict[str, list[Path]]:
    """The files an ``add`` copied in, by what ``report``'s build found them to be: ``"added"``,
    ``"updated"`` (text or metadata changed) or ``"unchanged"`` (already as they were); when no
    build ran, unchanged those whose ids are ``current`` (``Library.up_to_date``), else added."""
    state = {**{d: "updated" for d in report.changed}, **{d: "unchanged" for d in report.unchanged}} if report else {}
    state = state or dict.fromkeys(current, "unchanged")
    out: dict[str, list[Path]] = {"added": [], "updated": [], "unchanged": []}
    for path in added:
        out[state.get(doc_id_for(path.name), "added")].append(path)
    return out


@dataclass
class _Extracted:
    """A planned document as extracted and chunked."""

    planned: PlannedDocument
    document: Document
    chunks: list[Chunk]


def run_build(
    catalog: Catalog, db_path: Path, full: bool, strict: bool, progress: Progress | None, encoder: BuildEncoder
) -> BuildReport:
    """Bring the index at ``db_path`` up to date with the sources; the caller holds the lock.

    Args:
        catalog: the library's sources (its folder exists).
        db_path: the library's ``index.db``.
        full: build from nothing, aside, and swap the result in.
        strict: raise instead of skipping a file.
        progress: receives ``(stage, done, total)``: ``"reading"`` files, then ``"embedding"`` passages.
        encoder: embeds new passages and sentences.

    Returns:
        A ``BuildReport`` (its ``notice`` is the caller's to fill).

    Raises:
        LibraryError: ``strict`` and a file was skipped, or the index database is damaged and the
            build is not ``full``.
    """
    aside = catalog.home / ".index-full.db"
    store = _open_store(db_path, aside, full)
    try:
        report = _update(store, catalog, db_path, full, strict, progress, encoder)
    except BaseException:
        store.close()
        if full:
            # A failed full build leaves no half-made database beside the index.
            publish.unlink_database(aside)
        raise
    store.close()
    if full:
        publish.swap_in(aside, db_path)
    return report


def _open_store(db_path: Path, aside: Path, full: bool) -> Store:
    """The database the build writes: ``index.db``, or for a full build a new one at ``aside``."""
    if not full:
        try:
            store = Store(db_path)
            store.check()
        except DamagedDatabaseError as error:
            raise LibraryError(f"{error}; {REPAIR}") from None
        return store
    # Built aside from nothing; the old index keeps answering until it is swapped in.
    publish.unlink_database(aside)
    store = Store(aside)
    with store.db:
        # Numbered past every FAISS file here, so the new one never overwrites the file the old
        # index names while readers still use it.
        store.set_meta("generation", str(publish.last_generation(db_path.parent)))
    return store


def _update(
    store: Store,
    catalog: Catalog,
    db_path: Path,
    full: bool,
    strict: bool,
    progress: Progress | None,
    encoder: BuildEncoder,
) -> BuildReport:
    """Plan, extract, embed and commit into ``store``; see :func:`run_build`."""
    report = BuildReport()
    indexed = {d.id: d for d in store.documents()}
    # What the index held before this build: a full build's store starts empty.
    previous = indexed_documents(db_path) if full else list(indexed.values())
    plan = plan_build(catalog, indexed, previous)
    report.skipped.extend(plan.skipped)
    report.stale_metadata.extend(plan.stale_metadata)
    report.kept_metadata.extend(plan.kept_metadata)
    report.unchanged.extend(plan.unchanged)
    extracted = _extract(plan.to_index, report, progress)
    if strict and report.skipped:
        first = report.skipped[0]
        raise LibraryError(f"{first['path']}: {first['reason']} (--strict: nothing was changed)")
    if plan.metadata_changed:
        # Before the index commits: a kill in between leaves an entry-less file whose content
        # differs from the index's, which the next build indexes again.
        catalog.write_metadata(plan.metadata)
    chunks = [chunk for item in extracted for chunk in item.chunks]
    vectors, report.chunks_embedded = embed_chunks(chunks, store, encoder, progress)
    report.chunks_reused = len(chunks) - report.chunks_embedded
    # What this build refused, by name, size and time: a file it did not take in is news to
    # ``ask`` only if not, or if it changed since (an unreadable file fixed under its name).
    skipped = json.dumps({Path(item["path"]).name: file_stamp(Path(item["path"])) for item in report.skipped})
    # Read now, or unchanged since a build with this pipeline and method (their hashes say so).
    fresh = {item.planned.doc_id for item in extracted} | set(plan.unchanged)
    if not extracted and not plan.removed and store.get_meta("vectors_file"):
        with store.db:
            store.set_meta("skipped", skipped)
            _mark_pipeline(store, fresh)
        report.documents, report.chunks = len(indexed), store.chunk_count()
        return report
    with store.db:
        store.set_meta("skipped", skipped)
        _commit(store, plan, extracted, vectors, indexed, report)
        # Only once every document's vectors were made the current way: a document skipped in
        # the build that changed the method keeps its old vectors, which must not be reused.
        if store.get_meta("embedding") == EMBEDDING or all(d.id in fresh for d in store.documents()):
            store.set_meta("embedding", EMBEDDING)
        _mark_pipeline(store, fresh)
        publish.publish_vectors(store, catalog.home)
    report.documents = len(store.documents())
    report.chunks = store.chunk_count()
    return report


def _mark_pipeline(store: Store, fresh: set[str]) -> None:
    """Record the reading pipeline in the index once every document was read with it, so that
    ``ask`` can say when an older citeqa read them (``Asker.stale``)."""
    if all(d in fresh for d in store.document_paths()):
        store.set_meta("pipeline", PIPELINE_VERSION)


def _extract(planned: list[PlannedDocument], report: BuildReport, progress: Progress | None) -> list[_Extracted]:
    """Extract and chunk each planned document; one that cannot be read, or yields no passage, is
    skipped. ``progress`` hears ``("reading", files done, files)`` after each file."""
    out = []
    for done, item in enumerate(planned, 1):
        try:
            document = item.document or corpus.extract_bounded(item.path)
            chunks = corpus.chunk_document(document, item.doc_id)
            if chunks:
                out.append(_Extracted(item, document, chunks))
            else:
                report.skipped.append({"path": str(item.path), "reason": "no indexable text"})
        except ExtractionError as error:
            report.skipped.append({"path": str(item.path), "reason": error.reason})
        if progress:
            progress("reading", done, len(planned))
    return out


def _commit(
    store: Store,
    plan: Plan,
    extracted: list[_Extracted],
    vectors: dict[str, tuple[bytes, bytes]],
    indexed: dict[str, StoredDocument],
    report: BuildReport,
) -> None:
    """Write the build's documents and chunks, link each to the reference that cites it, and drop
    the documents whose file is gone; inside the caller's transaction."""
    refs_by_doc = {d.id: d.refs for d in indexed.values() if d.refs and d.id in plan.on_disk}
    refs_by_doc.update(
        {e.planned.doc_id: [asdict(r) for r in e.document.references] for e in extracted if e.document.references}
    )
    for doc_id in plan.removed:
        store.delete_document(doc_id)
        report.removed.append(doc_id)
    for item in extracted:
        stored = _stored(item)
        link = link_for(refs_by_doc, stored, item.planned.given)
        if link:
            apply_reference(stored, link, refs_by_doc, item.planned.given)
            report.linked.append({"id": stored.id, "reference": link.number, "citing": link.citing, "by": link.by})
        store.put_document(stored)
        store.replace_chunks(stored.id, item.chunks, vectors)
        (report.added if item.planned.status == "added" else report.changed).append(stored.id)
    _link_held(store, plan, extracted, indexed, report)


def _link_held(
    store: Store, plan: Plan, extracted: list[_Extracted], indexed: dict[str, StoredDocument], report: BuildReport
) -> None:
    """Link the sources the index already held, unchanged and unlinked, to a reference list this
    build read anew: a user trial added the article after the pages it cites, and every one of
    its references stayed unlinked, built again or not."""
    cited = {e.planned.doc_id: [asdict(r) for r in e.document.references] for e in extracted if e.document.references}
    given = {d.doc_id: d.given for d in plan.documents}
    for doc_id in plan.unchanged if cited else []:
        held = indexed.get(doc_id)
        # Unlinked, or linked to an article the library no longer holds (renamed, say).
        unlinked = held is not None and (held.ref_doc is None or held.ref_doc not in plan.on_disk)
        link = link_for(cited, held, given.get(doc_id, {})) if unlinked else None
        if link:
            apply_reference(held, link, cited, given.get(doc_id, {}))
            store.put_document(held)
            report.linked.append({"id": doc_id, "reference": link.number, "citing": link.citing, "by": link.by})


def _stored(item: _Extracted) -> StoredDocument:
    """The index record of an extracted document; metadata the user gave wins over the file's."""
    doc, planned, given = item.document, item.planned, item.planned.given
    return StoredDocument(
        id=planned.doc_id,
        path=doc.path,
        kind=doc.kind,
        title=given.get("title", doc.title),
        authors=given.get("authors", doc.authors),
        publisher=given.get("publisher", doc.publisher),
        date=given.get("date", doc.date),
        url=given.get("url", doc.url),
        content_hash=planned.content_hash,
        meta_hash=planned.meta_hash,
        text=doc.text,
        pages=doc.pages,
        page_labels=doc.page_labels,
        refs=[asdict(r) for r in doc.references],
    )
