"""Citation audit: the markers, claims and references of a source, checked against the library.

A *claim* is a sentence that carries citation markers (``[5]``, ``[^1]``, runs like
``[3][5][^4]``, at sentence end or mid-sentence; a table row with markers is a claim too).
For each claim the audit asks:

* **support** — when a cited source is in the library, does it hold a sentence that says what the
  claim says? The score mixes the embedding cosine of the claim and the source's best sentence
  with the share of the claim's content words that passage holds; a claim's dates and figures
  missing from the passage cap the verdict at "weak". Another library source that supports the
  claim clearly better is suggested.
* **time** — a claim that dates an event after the publication date of every source it cites is
  flagged: a source cannot report what had not yet happened. A marker at the end of a paragraph
  covers the uncited sentences before it, so their dates count too; dates in forward-looking
  sentences ("will", "by 2030") are plans, not events, and are left out.
* **missing evidence** — claims whose cited sources are all absent are unverifiable, grouped by
  reference so the user knows what to fetch first.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np

from citeqa.corpus import tokens
from citeqa.corpus.dates import DATE_IN_TEXT, date_from_match
from citeqa.corpus.references import MARKER_RUN
from citeqa.corpus.sentences import split_sentences
from citeqa.errors import CiteqaError
from citeqa.index.library import Library
from citeqa.index.store import Store, StoredChunk, StoredDocument

MARKER = re.compile(r"\[(\^?)(\d{1,3})\]")
_LEADING_RUN = re.compile(rf"\s*({MARKER_RUN.pattern})\s*")
_FUTURE = re.compile(
    r"\b(?:will|would|could|shall|plans?|planned|aims?\s+to|targets?|expected|expects|proposed|"
    r"upcoming|intends?|scheduled|by\s+(?:the\s+end\s+of\s+)?\d{4})\b",
    re.IGNORECASE,
)
# Where a clause starts: a date is judged by the words of its own clause.
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:and|but|while|whereas)\s+")
_FIGURE = re.compile(r"\b\d[\d,.]*%?|\b(?:19|20)\d{2}\b")
# Blocks that are not running text: front matter and the reference list itself.
_NOT_CLAIMS = {"front", "title", "authors", "meta", "reference"}

#: Support score at or above which the cited source supports the claim.
SUPPORTED = 0.6
#: At or above this (and below ``SUPPORTED``) the support is weak; below it, not found.
WEAK = 0.45
#: How much better another source must score to be suggested instead.
BETTER_MARGIN = 0.05
#: Passages each retriever proposes when looking for a better source.
CANDIDATES = 50


class AuditError(CiteqaError):
    """The audit cannot run (no such source, no reference list); the message says why."""


@dataclass
class Support:
    """The best passage of one source for a claim.

    Attributes:
        source_id: the library source.
        sentence: its sentence that best matches the claim.
        start, end: that sentence's offsets in the source's extracted text.
        score: the support score (see module docstring).
        missing: dates and figures of the claim that the passage does not hold.
    """

    source_id: str
    sentence: str
    start: int
    end: int
    score: float
    missing: list[str] = field(default_factory=list)


@dataclass
class Claim:
    """A citing sentence (or table row) and what the audit found about it.

    Attributes:
        text: the sentence without its markers.
        section: the section it is in.
        start, end: its offsets in the audited source's text (markers included).
        context_start: where the text its markers cover begins (earlier uncited sentences of the
            paragraph, when the marker closes the paragraph).
        references: the reference numbers it cites, in order, without repeats.
        verdict: ``supported``, ``weak``, ``not_found`` or ``unverifiable`` (no cited source in
            the library).
        support: the best passage among the cited sources in the library.
        suggestion: a passage from another source that supports the claim better.
    """

    text: str
    section: str | None
    start: int
    end: int
    context_start: int
    references: list[int]
    verdict: str = "unverifiable"
    support: Support | None = None
    suggestion: Support | None = None


@dataclass
class ReferenceStatus:
    """A reference entry with how often it is cited and whether its source is in the library."""

    number: int
    author: str | None
    title: str | None
    date: str | None
    url: str | None
    cited_by: int
    in_library: bool
    source: str | None


@dataclass
class Finding:
    """Something the user should look at; ``kind`` says what (see ``FINDING_KINDS``)."""

    kind: str
    references: list[int]
    claim: str | None
    detail: str


#: Every kind of finding, most urgent first (the order reports list them in).
FINDING_KINDS = (
    "dangling_marker",
    "temporal",
    "unsupported",
    "better_source",
    "weak_support",
    "duplicate_reference",
    "malformed_reference",
    "uncited_reference",
    "missing_source",
)


@dataclass
class Audit:
    """The result of auditing one source."""

    source: str
    title: str | None
    text: str
    markers: int
    marker_runs: int
    references: list[ReferenceStatus]
    claims: list[Claim]
    findings: list[Finding]

    def counts(self) -> dict:
        """The headline numbers."""
        cited = [r for r in self.references if r.cited_by]
        verdicts = {
            v: sum(1 for c in self.claims if c.verdict == v) for v in ("supported", "weak", "not_found", "unverifiable")
        }
        return {
            "markers": self.markers,
            "marker_runs": self.marker_runs,
            "claims": len(self.claims),
            "references": len(self.references),
            "references_cited": len(cited),
            "references_never_cited": len(self.references) - len(cited),
            "references_in_library": sum(1 for r in self.references if r.in_library),
            "verdicts": verdicts,
        }

    def to_dict(self) -> dict:
        """The ``--json`` shape of the audit."""
        return {
            "source": self.source,
            "title": self.title,
            "markers": self.markers,
            "counts": self.counts(),
            "references": [asdict(r) for r in self.references],
            "claims": [
                {
                    **{k: v for k, v in asdict(c).items() if k not in ("support", "suggestion")},
                    "support": asdict(c.support) if c.support else None,
                    "suggestion": asdict(c.suggestion) if c.suggestion else None,
                }
                for c in self.claims
            ],
            "findings": [asdict(f) for f in self.findings],
        }


def audit(library: Library, source_id: str | None = None, embedder=None) -> Audit:
    """Audit the citations of one source of the library.

    Args:
        library: a built library.
        source_id: the source to audit (default: the bundled article, else the only source with
            a reference list).
        embedder: the sentence encoder, loaded only when some claim can be checked against a
            source (default: the library's question encoder, see ``Library.query_encoder``).

    Returns:
        The ``Audit``.

    Raises:
        AuditError: no such source, or it has no reference list; the message says which.
    """
    store, index = library.open_index()
    try:
        doc = _audited_document(store, source_id)
        entries = {e.number: e for e in library.references() if e.citing == doc.id}
        chunks = store.doc_chunks(doc.id)
        claims, markers, runs, dangling = _claims(doc, chunks)
        references = _reference_statuses(doc, entries, claims)
        findings = _reference_findings(doc, references, dangling)
        checkable = [c for c in claims if any(entries[n].source for n in c.references if n in entries)]
        others = [d for d in store.documents() if d.id != doc.id]
        if claims and (checkable or others):
            _check_support(library, store, index, doc, claims, entries, embedder)
        findings += _claim_findings(flatten(doc.text), claims, references)
        return Audit(doc.id, doc.title, doc.text, markers, runs, references, claims, _ordered(findings))
    finally:
        store.close()


def _audited_document(store: Store, source_id: str | None) -> StoredDocument:
    from citeqa.corpus import BUNDLED_ARTICLE

    if source_id is not None:
        doc = store.document(source_id)
        if doc is None:
            raise AuditError(f"no source '{source_id}' in the library (see 'citeqa sources')")
        if not doc.refs:
            raise AuditError(f"source '{source_id}' has no reference list to audit")
        return doc
    with_refs = [d for d in store.documents() if d.refs]
    bundled = [d for d in with_refs if d.id == BUNDLED_ARTICLE.stem]
    if bundled or len(with_refs) == 1:
        return (bundled or with_refs)[0]
    if not with_refs:
        raise AuditError("no source in the library has a reference list to audit")
    names = ", ".join(d.id for d in with_refs)
    raise AuditError(f"several sources have reference lists; choose one with --source ({names})")


def _claims(doc: StoredDocument, chunks: list[StoredChunk]) -> tuple[list[Claim], int, int, list[tuple[int, str]]]:
    """Claims in reading order, the number of markers and runs, and markers citing no entry."""
    numbers = {r["number"] for r in doc.refs}
    flat = flatten(doc.text)
    claims: list[Claim] = []
    markers = runs = 0
    dangling: list[tuple[int, str]] = []
    for chunk in chunks:
        if chunk.kind in _NOT_CLAIMS:
            continue
        for start, end in _claim_sentences(flat, chunk):
            cited: list[int] = []
            for run in MARKER_RUN.finditer(flat, start, end):
                runs += 1
                numbers_in_run = [int(m.group(2)) for m in MARKER.finditer(run.group(0))]
                markers += len(numbers_in_run)
                cited += numbers_in_run
            if not cited:
                continue
            text = _clean(MARKER.sub("", flat[start:end]))
            dangling += [(n, text) for n in cited if n not in numbers]
            claims.append(
                Claim(
                    text=text,
                    section=chunk.section,
                    start=start,
                    end=end,
                    context_start=start,
                    references=_unique(cited),
                )
            )
    claims.sort(key=lambda c: c.start)
    _set_contexts(flat, claims)
    return claims, markers, runs, dangling


def flatten(text: str) -> str:
    """``text`` with soft line wraps turned into spaces (same length, so offsets still hold):
    a hard-wrapped paragraph is one run of sentences, while blank lines, table rows (tabs) and
    bullet items keep their breaks."""
    return re.sub(r"(?<=[^\n\t])\n(?=[^\n\t•*\-])", " ", text)


def _claim_sentences(flat: str, chunk: StoredChunk) -> list[tuple[int, int]]:
    """The chunk's sentences (table rows for a table), with each citation run kept with the
    sentence it closes: a run opening a sentence ("… end. [^5] Next …") belongs to the one before,
    and a run after a full stop followed by more text ends a sentence the splitter joined."""
    spans = chunk.sentences if chunk.kind == "table" else split_sentences(flat, chunk.start, chunk.end)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        lead = _LEADING_RUN.match(flat, start, end)
        if lead and out:
            out[-1] = (out[-1][0], lead.end(1))
            start = lead.end()
            if start >= end:
                continue
        cut = start
        for run in MARKER_RUN.finditer(flat, start, end):
            before = flat[cut : run.start()].rstrip()
            rest = flat[run.end() : end]
            after = rest.lstrip()
            if after and before.endswith((".", "!", "?")) and after[:1].isupper():
                out.append((cut, run.end()))
                cut = run.end() + len(rest) - len(after)
        out.append((cut, end))
    return out


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the paragraph (text between blank lines) holding ``text[start:end]``."""
    before = text.rfind("\n\n", 0, start)
    after = text.find("\n\n", end)
    return (0 if before < 0 else before + 2), (len(text) if after < 0 else after)


def _set_contexts(text: str, claims: list[Claim]) -> None:
    """Extend each claim back over the uncited sentences of its paragraph before it."""
    previous_end = 0
    for claim in claims:
        paragraph_start, _ = paragraph_around(text, claim.start, claim.end)
        row_start = text.rfind("\n", 0, claim.start) + 1
        # Table rows are claims on their own; a paragraph's marker covers back to the last claim.
        if "\t" in text[row_start : claim.end]:
            claim.context_start = claim.start
        else:
            claim.context_start = max(paragraph_start, previous_end)
        previous_end = claim.end


def _reference_statuses(doc: StoredDocument, entries: dict, claims: list[Claim]) -> list[ReferenceStatus]:
    statuses = []
    for ref in doc.refs:
        entry = entries.get(ref["number"])
        source = entry.source if entry else None
        statuses.append(
            ReferenceStatus(
                number=ref["number"],
                author=ref.get("author"),
                title=ref.get("title"),
                date=ref.get("date"),
                url=ref.get("url"),
                cited_by=sum(1 for c in claims if ref["number"] in c.references),
                in_library=source is not None,
                source=source,
            )
        )
    return statuses


def _reference_findings(doc: StoredDocument, references: list[ReferenceStatus], dangling) -> list[Finding]:
    findings = [
        Finding("dangling_marker", [number], claim, f"marker [{number}] points at no entry of the reference list")
        for number, claim in dangling
    ]
    seen_numbers: dict[int, int] = {}
    seen_urls: dict[str, int] = {}
    for ref, raw in zip(references, doc.refs):
        if ref.number in seen_numbers:
            findings.append(
                Finding("duplicate_reference", [ref.number], None, f"reference number [{ref.number}] is listed twice")
            )
        seen_numbers[ref.number] = ref.number
        url = (ref.url or "").rstrip("/").lower()
        if url and url in seen_urls:
            findings.append(
                Finding(
                    "duplicate_reference",
                    [seen_urls[url], ref.number],
                    None,
                    f"[{seen_urls[url]}] and [{ref.number}] have the same URL",
                )
            )
        seen_urls.setdefault(url, ref.number)
        lacking = [name for name, value in (("author", ref.author), ("title", ref.title)) if not value]
        if lacking:
            findings.append(
                Finding(
                    "malformed_reference",
                    [ref.number],
                    None,
                    f"no {' or '.join(lacking)} could be read from: {raw.get('raw', '')[:120]}",
                )
            )
        if not ref.cited_by:
            findings.append(
                Finding(
                    "uncited_reference",
                    [ref.number],
                    None,
                    f"[{ref.number}] {ref.title or ''} is never cited in the text",
                )
            )
    return findings


def _check_support(
    library: Library, store: Store, index, doc: StoredDocument, claims: list[Claim], entries: dict, embedder
) -> None:
    """Score each claim against its cited sources and look for a better one elsewhere."""
    if embedder is None:
        embedder, _ = library.query_encoder()
    vectors = embedder.encode([c.text for c in claims])
    documents = {d.id: d for d in store.documents()}
    # A source cited by many claims is read from the database once.
    cited_chunks = {
        entry.source: store.doc_chunks(entry.source) for entry in entries.values() if entry.source in documents
    }
    sentence_vectors = store.sentence_embeddings([c.rowid for chunks in cited_chunks.values() for c in chunks])
    for claim, vector in zip(claims, vectors):
        cited = {entries[n].source for n in claim.references if n in entries and entries[n].source in documents}
        best = None
        for source_id in sorted(cited):
            candidate = _best_in(documents[source_id], cited_chunks[source_id], sentence_vectors, claim.text, vector)
            if candidate and (best is None or candidate.score > best.score):
                best = candidate
        if best is not None:
            claim.support = best
            claim.verdict = _verdict(best)
        elif cited:
            claim.verdict = "not_found"
        claim.suggestion = _better_elsewhere(store, index, documents, claim, vector, cited | {doc.id})


def _best_in(
    source: StoredDocument, chunks: list[StoredChunk], matrices: dict, claim: str, vector: np.ndarray
) -> Support | None:
    """The sentence of ``chunks`` (whose sentence embeddings ``matrices`` holds by row id) that
    best supports ``claim``."""
    if not chunks:
        return None
    claim_words = set(tokens.words(claim))
    best = None
    for chunk in chunks:
        sims = matrices[chunk.rowid] @ vector
        spans = chunk.sentences or [(chunk.start, chunk.end)]
        i = int(np.argmax(sims))
        chunk_words = set(tokens.words(chunk.text))
        coverage = len(claim_words & chunk_words) / len(claim_words) if claim_words else 0.0
        score = 0.7 * float(sims[i]) + 0.3 * coverage
        if best is None or score > best[0]:
            best = (score, spans[min(i, len(spans) - 1)], chunk)
    score, (start, end), chunk = best
    held = set(_figures(chunk.text))
    missing = [f for f in _figures(claim) if f not in held]
    return Support(source.id, _clean(source.text[start:end]), start, end, round(score, 4), missing)


def _better_elsewhere(store, index, documents, claim: Claim, vector: np.ndarray, exclude: set[str]) -> Support | None:
    """A passage from a source the claim does not cite that supports it clearly better."""
    if not index.ntotal:
        return None
    # Candidates from both retrievers: a passage packing several paragraphs can rank low on its
    # embedding while one of its sentences says exactly what the claim says.
    _, ids = index.search(vector.reshape(1, -1).astype(np.float32), min(CANDIDATES, index.ntotal))
    rowids = {int(i) for i in ids[0] if i >= 0} | {rowid for rowid, _ in store.lexical_search(claim.text, CANDIDATES)}
    chunks = [c for c in store.chunks(sorted(rowids)).values() if c.doc_id not in exclude]
    matrices = store.sentence_embeddings([c.rowid for c in chunks])
    best = None
    for source_id in sorted({c.doc_id for c in chunks}):
        candidate = _best_in(
            documents[source_id], [c for c in chunks if c.doc_id == source_id], matrices, claim.text, vector
        )
        if candidate and (best is None or candidate.score > best.score):
            best = candidate
    if best is None or _verdict(best) != "supported":
        return None
    if claim.support is not None and best.score < claim.support.score + BETTER_MARGIN:
        return None
    return best


def _verdict(support: Support) -> str:
    if support.score >= SUPPORTED:
        return "weak" if support.missing else "supported"
    return "weak" if support.score >= WEAK else "not_found"


def _claim_findings(text: str, claims: list[Claim], references: list[ReferenceStatus]) -> list[Finding]:
    by_number = {r.number: r for r in references}
    findings = []
    unverifiable: dict[int, list[Claim]] = {}
    for claim in claims:
        findings += _temporal(text, claim, by_number)
        refs = claim.references
        if claim.verdict == "not_found":
            detail = "the cited source holds no passage that says this"
            if claim.support:
                detail += f' (best: "{claim.support.sentence[:100]}", score {claim.support.score:.2f})'
            findings.append(Finding("unsupported", refs, claim.text, detail))
        elif claim.verdict == "weak":
            why = f"; it does not mention {', '.join(claim.support.missing)}" if claim.support.missing else ""
            findings.append(
                Finding(
                    "weak_support",
                    refs,
                    claim.text,
                    f'closest passage scores {claim.support.score:.2f}{why}: "{claim.support.sentence[:100]}"',
                )
            )
        if claim.suggestion:
            findings.append(
                Finding(
                    "better_source",
                    refs,
                    claim.text,
                    f'{claim.suggestion.source_id} supports it better (score {claim.suggestion.score:.2f}): "{claim.suggestion.sentence[:100]}"',
                )
            )
        if claim.verdict == "unverifiable":
            for number in refs:
                unverifiable.setdefault(number, []).append(claim)
    for number, cited in sorted(unverifiable.items(), key=lambda item: (-len(item[1]), item[0])):
        ref = by_number.get(number)
        if ref is None or ref.in_library:
            continue
        where = f" {ref.url}" if ref.url else " (no URL)"
        findings.append(
            Finding(
                "missing_source",
                [number],
                None,
                f"{len(cited)} claim(s) cite [{number}] {ref.title or ''}, not in the library:{where}",
            )
        )
    return findings


def _temporal(text: str, claim: Claim, references: dict[int, ReferenceStatus]) -> list[Finding]:
    """Dates of events the claim covers that are later than every cited source's publication."""
    if not claim.references or any(n not in references or references[n].date is None for n in claim.references):
        return []  # an undated (or unlisted) source could have been published any time
    published = [references[n].date for n in claim.references]
    latest = max(_last_day(p) for p in published)
    findings = []
    for sentence_start, sentence_end in split_sentences(text, claim.context_start, claim.end):
        sentence = text[sentence_start:sentence_end]
        for match in DATE_IN_TEXT.finditer(sentence):
            if _FUTURE.search(_CLAUSE.split(sentence[: match.start()])[-1]):
                continue  # "will open … in 2031" is a plan, not an event
            iso = date_from_match(match)
            if iso and _first_day(iso) > latest:
                cites = ", ".join(f"[{n}] {references[n].date}" for n in claim.references)
                plural = len(published) > 1
                findings.append(
                    Finding(
                        "temporal",
                        claim.references,
                        _clean(MARKER.sub("", sentence)),
                        f"dates an event {match.group(0)} but the cited source{'s were' if plural else ' was'} "
                        f"published earlier ({cites})",
                    )
                )
    return findings


def _first_day(iso: str) -> str:
    return {4: f"{iso}-01-01", 7: f"{iso}-01"}.get(len(iso), iso)


def _last_day(iso: str) -> str:
    return {4: f"{iso}-12-31", 7: f"{iso}-31"}.get(len(iso), iso)


def _figures(text: str) -> list[str]:
    """Day-precise dates and numbers a passage must hold to support a claim stating them."""
    found = []
    for match in DATE_IN_TEXT.finditer(text):
        if match.group("d1") or match.group("d2") or match.group("iso"):
            found.append(date_from_match(match) or match.group(0))
    without_dates = DATE_IN_TEXT.sub(" ", text)
    found += [m.group(0).rstrip(".,") for m in _FIGURE.finditer(without_dates)]
    return _unique(found)


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _clean(text: str) -> str:
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", text)).strip()


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: FINDING_KINDS.index(f.kind))
