"""What the audit asks the user to look at: reference-list problems, claims the library does not
support, claims dated after their sources, and missing sources to fetch first."""

from __future__ import annotations

from citeqa.corpus.citations import reported_dates, strip_markers
from citeqa.qa.audit_model import Claim, Finding, FindingKind, ReferenceStatus, Verdict


def reference_findings(
    refs: list[dict], references: list[ReferenceStatus], dangling: list[tuple[int, str]]
) -> list[Finding]:
    """Markers citing no entry, and entries that are duplicated, malformed or never cited.

    Args:
        refs: the audited source's reference list as stored (``raw`` holds each entry's text).
        references: the same entries with their status, in the same order.
        dangling: ``(number, claim)`` for each marker whose number has no entry.

    Returns:
        The findings, in list order.
    """
    findings = [
        Finding(FindingKind.DANGLING_MARKER, [n], claim, f"marker [{n}] points at no entry of the reference list")
        for n, claim in dangling
    ]
    seen_numbers: set[int] = set()
    seen_urls: dict[str, int] = {}
    for ref, raw in zip(references, refs, strict=True):
        if ref.number in seen_numbers:
            detail = f"reference number [{ref.number}] is listed twice"
            findings.append(Finding(FindingKind.DUPLICATE_REFERENCE, [ref.number], None, detail))
        seen_numbers.add(ref.number)
        url = (ref.url or "").rstrip("/").lower()
        if url and url in seen_urls:
            detail = f"[{seen_urls[url]}] and [{ref.number}] have the same URL"
            findings.append(Finding(FindingKind.DUPLICATE_REFERENCE, [seen_urls[url], ref.number], None, detail))
        seen_urls.setdefault(url, ref.number)
        lacking = [name for name, value in (("author", ref.author), ("title", ref.title)) if not value]
        if lacking:
            detail = f"no {' or '.join(lacking)} could be read from: {raw.get('raw', '')[:120]}"
            findings.append(Finding(FindingKind.MALFORMED_REFERENCE, [ref.number], None, detail))
        if not ref.cited_by:
            detail = f"[{ref.number}] {ref.title or ''} is never cited in the text"
            findings.append(Finding(FindingKind.UNCITED_REFERENCE, [ref.number], None, detail))
    return findings


def claim_findings(flat: str, claims: list[Claim], references: list[ReferenceStatus]) -> list[Finding]:
    """Temporal inconsistencies, unsupported and weakly supported claims, better sources, and the
    missing sources the most claims cite.

    Args:
        flat: the audited source's flattened text (see ``corpus.citations.flatten``).
        claims: its claims, checked.
        references: its reference entries with their status.

    Returns:
        The findings, claim by claim, then the missing sources most cited first.
    """
    by_number = {r.number: r for r in references}
    findings = []
    for claim in claims:
        findings += temporal(flat, claim, by_number)
        findings += _support_findings(claim)
    return findings + _missing_sources(claims, by_number)


def _support_findings(claim: Claim) -> list[Finding]:
    refs, support = claim.references, claim.support
    findings = []
    if claim.verdict is Verdict.NOT_FOUND:
        detail = "the cited source holds no passage that says this"
        if support:
            detail += f' (best: "{_quoted(support.sentence)}", score {support.score:.2f})'
        findings.append(Finding(FindingKind.UNSUPPORTED, refs, claim.text, detail))
    elif claim.verdict is Verdict.WEAK:
        why = f"; it does not mention {', '.join(support.missing)}" if support.missing else ""
        detail = f'closest passage scores {support.score:.2f}{why}: "{_quoted(support.sentence)}"'
        findings.append(Finding(FindingKind.WEAK_SUPPORT, refs, claim.text, detail))
    if claim.suggestion:
        better = claim.suggestion
        detail = f'{better.source_id} supports it better (score {better.score:.2f}): "{_quoted(better.sentence)}"'
        findings.append(Finding(FindingKind.BETTER_SOURCE, refs, claim.text, detail))
    return findings


def _quoted(sentence: str, limit: int = 160) -> str:
    """A cited passage's sentence to quote in a finding: whole, or cut at a word with "…" (cut
    mid-word, "from private operato" read as a typo of the source's)."""
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _missing_sources(claims: list[Claim], by_number: dict[int, ReferenceStatus]) -> list[Finding]:
    """Unverifiable claims grouped by the reference they cite, so the user knows what to fetch first."""
    unverifiable: dict[int, int] = {}
    for claim in claims:
        if claim.verdict is Verdict.UNVERIFIABLE:
            for number in claim.references:
                unverifiable[number] = unverifiable.get(number, 0) + 1
    findings = []
    for number, count in sorted(unverifiable.items(), key=lambda item: (-item[1], item[0])):
        ref = by_number.get(number)
        if ref is None or ref.in_library:
            continue
        where = f" {ref.url}" if ref.url else " (no URL)"
        detail = f"{count} claim(s) cite [{number}] {ref.title or ''}, not in the library:{where}"
        findings.append(Finding(FindingKind.MISSING_SOURCE, [number], None, detail))
    return findings


def temporal(flat: str, claim: Claim, references: dict[int, ReferenceStatus]) -> list[Finding]:
    """Dates of events the claim covers that are later than every cited source's publication.

    Args:
        flat: the audited source's flattened text.
        claim: the claim, whose markers cover ``flat[claim.context_start:claim.end]``.
        references: the reference entries by number.

    Returns:
        One finding per date too late for the sources; none when a cited source is undated or
        unlisted, since it could have been published any time.
    """
    if not claim.references or any(n not in references or references[n].date is None for n in claim.references):
        return []
    published = [references[n].date for n in claim.references]
    latest = max(_last_day(p) for p in published)
    cites = ", ".join(f"[{n}] {references[n].date}" for n in claim.references)
    were = "s were" if len(published) > 1 else " was"
    return [
        Finding(
            FindingKind.TEMPORAL,
            claim.references,
            strip_markers(sentence),
            f"dates an event {written} but the cited source{were} published earlier ({cites})",
        )
        for sentence, written, iso in reported_dates(flat, claim.context_start, claim.end)
        if _first_day(iso) > latest
    ]


def ordered(findings: list[Finding]) -> list[Finding]:
    """``findings`` most urgent kind first (the order of ``FindingKind``), stable within a kind.

    Args:
        findings: the findings.

    Returns:
        A sorted copy.
    """
    order = list(FindingKind)
    return sorted(findings, key=lambda f: order.index(f.kind))


def _first_day(iso: str) -> str:
    return {4: f"{iso}-01-01", 7: f"{iso}-01"}.get(len(iso), iso)


def _last_day(iso: str) -> str:
    return {4: f"{iso}-12-31", 7: f"{iso}-31"}.get(len(iso), iso)
