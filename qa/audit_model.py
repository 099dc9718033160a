"""The records of a citation audit: claims, their verdicts and support, references, findings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class Verdict(str, Enum):
    """What the library says about a claim (the values are the ``--json`` strings)."""

    SUPPORTED = "supported"
    WEAK = "weak"
    NOT_FOUND = "not_found"
    #: No source the claim cites is in the library.
    UNVERIFIABLE = "unverifiable"

    @property
    def label(self) -> str:
        """The verdict as a reader sees it: "not found", not "not_found"."""
        return self.value.replace("_", " ")


class FindingKind(str, Enum):
    """What a finding is about, most urgent first (the order reports list findings in)."""

    DANGLING_MARKER = "dangling_marker"
    TEMPORAL = "temporal"
    UNSUPPORTED = "unsupported"
    BETTER_SOURCE = "better_source"
    WEAK_SUPPORT = "weak_support"
    DUPLICATE_REFERENCE = "duplicate_reference"
    MALFORMED_REFERENCE = "malformed_reference"
    UNCITED_REFERENCE = "uncited_reference"
    MISSING_SOURCE = "missing_source"


@dataclass
class Support:
    """The passage of one source that best supports a claim.

    Attributes:
        source_id: the library source.
        sentence: its sentence that best matches the claim.
        start, end: that sentence's offsets in the source's extracted text.
        score: the answer engine's probability that the passage holds what the claim says
            (see ``qa/support.py``).
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
        verdict: see ``Verdict``.
        support: the best passage among the cited sources in the library.
        suggestion: a passage from another source that supports the claim better.
    """

    text: str
    section: str | None
    start: int
    end: int
    context_start: int
    references: list[int]
    verdict: Verdict = Verdict.UNVERIFIABLE
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
    """Something the user should look at; ``kind`` says what."""

    kind: FindingKind
    references: list[int]
    claim: str | None
    detail: str


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
        """The headline numbers.

        Returns:
            Markers, runs, claims, references by status, and claims by verdict (keyed by value).
        """
        cited = [r for r in self.references if r.cited_by]
        return {
            "markers": self.markers,
            "marker_runs": self.marker_runs,
            "claims": len(self.claims),
            "references": len(self.references),
            "references_cited": len(cited),
            "references_never_cited": len(self.references) - len(cited),
            "references_in_library": sum(1 for r in self.references if r.in_library),
            "verdicts": {v.value: sum(1 for c in self.claims if c.verdict is v) for v in Verdict},
        }

    def to_dict(self) -> dict:
        """The ``--json`` shape of the audit (enums as their string values).

        Returns:
            A JSON-ready dict.
        """
        return {
            "source": self.source,
            "title": self.title,
            "markers": self.markers,
            "counts": self.counts(),
            "references": [asdict(r) for r in self.references],
            "claims": [
                {
                    **{k: v for k, v in asdict(c).items() if k not in ("support", "suggestion", "verdict")},
                    "verdict": c.verdict.value,
                    "support": asdict(c.support) if c.support else None,
                    "suggestion": asdict(c.suggestion) if c.suggestion else None,
                }
                for c in self.claims
            ],
            "findings": [{**asdict(f), "kind": f.kind.value} for f in self.findings],
        }
