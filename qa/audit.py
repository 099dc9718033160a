"""Citation audit: the markers, claims and references of a source, checked against the library.

A *claim* is a sentence that carries citation markers (``[5]``, ``[^1]``, runs like
``[3][5][^4]``, at sentence end or mid-sentence; a table row with markers is a claim too; see
``corpus/citations.py``). For each claim the audit asks:

* **support** — when a cited source is in the library, does it hold a passage that says what the
  claim says? The answer engine decides, with the claim as its question (``qa/support.py``);
  another library source that supports the claim clearly better is suggested.
* **time** — a claim that dates an event after the publication date of every source it cites is
  flagged: a source cannot report what had not yet happened. A marker at the end of a paragraph
  covers the uncited sentences before it, so their dates count too; dates in forward-looking
  sentences ("will", "by 2030") are plans, not events, and are left out.
* **missing evidence** — claims whose cited sources are all absent are unverifiable, grouped by
  reference so the user knows what to fetch first.

Any source with a reference list is audited the same way.
"""

from __future__ import annotations

from citeqa.corpus.citations import citing_sentences, covered_starts, flatten, strip_markers
from citeqa.corpus.sentences import split_sentences
from citeqa.errors import CiteqaError
from citeqa.index.library import Entry, Library
from citeqa.index.store import Store, StoredChunk, StoredDocument
from citeqa.qa.audit_model import Audit, Claim, ReferenceStatus, Verdict
from citeqa.qa.findings import claim_findings, ordered, reference_findings
from citeqa.qa.support import SupportChecker, verdict

# Blocks that are not running text: front matter and the reference list itself.
_NOT_CLAIMS = {"front", "title", "authors", "meta", "reference"}


class AuditError(CiteqaError):
    """The audit cannot run (no such source, no reference list); the message says why."""


class SourceChoiceError(AuditError):
    """No source was named and several have reference lists; ``choices`` are their ids."""

    def __init__(self, choices: list[str], how: str = "--source"):
        super().__init__(f"several sources have reference lists; choose one with {how} ({', '.join(choices)})")
        self.choices = choices


def audit(library: Library, source_id: str | None = None, embedder=None, opened: tuple | None = None) -> Audit:
    """Audit the citations of one source of the library.

    Args:
        library: a built library.
        source_id: the source to audit (default: the only source with a reference list).
        embedder: the sentence encoder, loaded only when some claim can be checked against a
            source (default: the library's question encoder, see ``Library.query_encoder``).
        opened: ``(store, faiss_index)`` already open (``Library.open_index``), read in the
            caller's transaction and left open; default: the index is opened and closed here.

    Returns:
        The ``Audit``.

    Raises:
        AuditError: no such source, it has no reference list, or none was named and not exactly
            one source has one; the message says which.
    """
    store, index = opened or library.open_index()
    try:
        doc = _audited_document(store, source_id)
        entries = {e.number: e for e in library.references() if e.citing == doc.id}
        flat = flatten(doc.text)
        claims, markers, runs, dangling = _claims(flat, doc, store.doc_chunks(doc.id))
        documents = store.documents()
        references = _reference_statuses(doc, entries, claims, {d.id: d.date for d in documents})
        findings = reference_findings(doc.refs, references, dangling)
        others = [d.id for d in documents if d.id != doc.id]
        if claims and others:
            if embedder is None:
                embedder, _ = library.query_encoder()
            _check_support(SupportChecker(store, index, embedder), doc.id, claims, entries, set(others))
        findings += claim_findings(flat, claims, references)
        return Audit(doc.id, doc.title, doc.text, markers, runs, references, claims, ordered(findings))
    finally:
        if opened is None:
            store.close()


def _audited_document(store: Store, source_id: str | None) -> StoredDocument:
    if source_id is not None:
        doc = store.document(source_id)
        if doc is None:
            raise AuditError(f"no source '{source_id}' in the library (see 'citeqa sources')")
        if not doc.refs:
            raise AuditError(f"source '{source_id}' has no reference list to audit")
        return doc
    with_refs = [d for d in store.documents() if d.refs]
    if len(with_refs) == 1:
        return with_refs[0]
    if not with_refs:
        raise AuditError("no source in the library has a reference list to audit")
    raise SourceChoiceError([d.id for d in with_refs])


def _claims(
    flat: str, doc: StoredDocument, chunks: list[StoredChunk]
) -> tuple[list[Claim], int, int, list[tuple[int, str]]]:
    """Claims in reading order, the number of markers and runs, and markers citing no entry."""
    numbers = {r["number"] for r in doc.refs}
    claims: list[Claim] = []
    markers = runs = 0
    dangling: list[tuple[int, str]] = []
    for chunk in chunks:
        if chunk.kind in _NOT_CLAIMS:
            continue
        spans = chunk.sentences if chunk.kind == "table" else split_sentences(flat, chunk.start, chunk.end)
        for citing in citing_sentences(flat, spans):
            markers += len(citing.numbers)
            runs += citing.runs
            text = strip_markers(flat[citing.start : citing.end])
            dangling += [(n, text) for n in citing.numbers if n not in numbers]
            references = list(dict.fromkeys(citing.numbers))
            claims.append(Claim(text, chunk.section, citing.start, citing.end, citing.start, references))
    claims.sort(key=lambda c: c.start)
    for claim, start in zip(claims, covered_starts(flat, [(c.start, c.end) for c in claims]), strict=True):
        claim.context_start = start
    return claims, markers, runs, dangling


def _reference_statuses(
    doc: StoredDocument, entries: dict[int, Entry], claims: list[Claim], dates: dict[str, str | None]
) -> list[ReferenceStatus]:
    """Each reference entry with its claims and its source in the library; an entry that gives
    no date takes its source's (``dates``: each document's), which dates the claims citing it:
    a user trial's draft, citing "18 November 2019" in a form the entry parser did not read, had
    "In March 2030, ... [2]" pass unflagged."""
    statuses = []
    for ref in doc.refs:
        entry = entries.get(ref["number"])
        source = entry.source if entry else None
        statuses.append(
            ReferenceStatus(
                number=ref["number"],
                author=ref.get("author"),
                title=ref.get("title"),
                date=ref.get("date") or (dates.get(source) if source else None),
                url=ref.get("url"),
                cited_by=sum(1 for c in claims if ref["number"] in c.references),
                in_library=source is not None,
                source=source,
            )
        )
    return statuses


def _check_support(
    checker: SupportChecker, audited: str, claims: list[Claim], entries: dict[int, Entry], documents: set[str]
) -> None:
    """Score each claim against its cited sources and look for a better one elsewhere."""
    for claim, question in zip(claims, checker.analyse([c.text for c in claims]), strict=True):
        cited = {entries[n].source for n in claim.references if n in entries and entries[n].source in documents}
        if cited:
            claim.support = checker.best_cited(question, cited)
            claim.verdict = verdict(claim.support) if claim.support else Verdict.NOT_FOUND
        claim.suggestion = checker.better_elsewhere(question, cited | {audited}, claim.support)
