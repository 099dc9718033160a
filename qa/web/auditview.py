"""The audit as the interactive page shows it, read from the audit's JSON shape (which stays put
while the audit's internals change): each claim with its verdict and whether a temporal finding
names it, and the references in the order to fetch them."""

from __future__ import annotations

from citeqa.corpus.citations import strip_markers

#: The filters of the audit page, in order: a verdict, or ``temporal``.
FILTERS = {
    "supported": "supported",
    "weak": "weak",
    "not_found": "not found",
    "unverifiable": "unverifiable",
    "temporal": "temporal",
}


def audit_view(report: dict, text: str) -> dict:
    """What the audit page shows.

    Args:
        report: the audit as ``citeqa audit --json`` prints it.
        text: the audited source's extracted text (claims' offsets point into it).

    Returns:
        ``{"claims", "per_filter", "references", "by_number", "temporal", "fetch_first"}``: each claim gains
        ``temporal`` (the finding's detail, or ``None``); ``per_filter`` counts the claims each
        filter shows;
        ``references`` are ordered in the library first, then those to fetch (most claims
        waiting on them first), then the rest; ``fetch_first`` gives each missing reference's
        rank in that order; ``by_number`` holds the references by number.
    """
    temporal = [f for f in report["findings"] if f["kind"] == "temporal"]
    claims = []
    for claim in report["claims"]:
        # A temporal finding quotes one sentence the claim's markers cover: the claim itself or
        # an earlier uncited sentence of its paragraph.
        covered = _squash(text[claim["context_start"] : claim["end"]])
        found = next((f for f in temporal if f["claim"] and _squash(f["claim"]) in covered), None)
        claims.append({**claim, "temporal": found["detail"] if found else None})
    per_filter = {key: sum(1 for c in claims if c["verdict"] == key) for key in FILTERS if key != "temporal"}
    per_filter["temporal"] = sum(1 for c in claims if c["temporal"])
    missing = [f["references"][0] for f in report["findings"] if f["kind"] == "missing_source"]
    fetch_first = {number: rank for rank, number in enumerate(missing, 1)}
    references = sorted(
        report["references"],
        key=lambda r: (not r["in_library"], fetch_first.get(r["number"], len(fetch_first) + 1), r["number"]),
    )
    return {
        "claims": claims,
        "per_filter": per_filter,
        "references": references,
        "by_number": {r["number"]: r for r in references},
        "temporal": len(temporal),
        "fetch_first": fetch_first,
    }


def _squash(text: str) -> str:
    """``text`` as findings quote it: without citation markers, every run of white space one
    space, and none before punctuation (``citations.strip_markers``, the audit's own)."""
    return strip_markers(text)
