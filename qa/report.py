"""Audit reports for people: terminal text, Markdown, and one self-contained HTML file."""

from __future__ import annotations

import html

from citeqa.corpus.citations import MARKER, first_number, paragraph_around, runs
from citeqa.qa.audit_model import Audit, Claim, FindingKind, Verdict


def summary_lines(audit: Audit) -> list[str]:
    """The terminal report: counts first, then the findings that need attention.

    Args:
        audit: the audit.

    Returns:
        The report's lines.
    """
    c = audit.counts()
    lines = [
        f"Audit of {audit.title or audit.source} ({audit.source})",
        f"  {c['markers']} citation markers in {c['marker_runs']} runs; {c['claims']} claims",
        f"  {c['references']} references: {_reference_counts(c)}",
        f"  claims: {_verdicts_line(c)}",
    ]
    if not audit.findings:
        return lines + ["No findings."]
    lines.append("")
    lines.append("Findings:")
    for finding in audit.findings:
        refs = "".join(f"[{n}]" for n in finding.references)
        lines.append(f"  {finding.kind.value:<19} {refs:<8} {finding.detail}")
        if finding.claim:
            lines.append(f'  {"":<19} {"":<8} claim: "{_short(finding.claim, 140)}"')
    return lines


def markdown(audit: Audit) -> str:
    """The audit as a Markdown document.

    Args:
        audit: the audit.

    Returns:
        The document: counts, findings, the reference list and the claims with their verdicts.
    """
    c = audit.counts()
    out = [
        f"# Citation audit: {audit.title or audit.source}",
        "",
        f"- **{c['markers']}** citation markers in {c['marker_runs']} runs, **{c['claims']}** claims",
        f"- **{c['references']}** references: {_reference_counts(c)}",
        f"- Claims: {_verdicts_line(c)}",
        "",
        "## Findings",
        "",
    ]
    if not audit.findings:
        out.append("None.")
    for f in audit.findings:
        refs = ", ".join(f"[{n}]" for n in f.references)
        quote = f"  \n  > {_md(f.claim)}" if f.claim else ""
        out.append(f"- **{f.kind.value}** {refs}: {_md(f.detail)}{quote}")
    out += ["", "## References", "", "| # | Reference | Date | Cited by | In library |", "|---|---|---|---:|---|"]
    for r in audit.references:
        title = f"[{_md(r.title or '')}]({r.url})" if r.url else _md(r.title or "")
        held = f"yes: {r.source}" if r.source else "no"
        out.append(f"| {r.number} | {_md(r.author or '')}: {title} | {r.date or 'n.d.'} | {r.cited_by} | {held} |")
    out += ["", "## Claims", "", "| Section | Claim | Cites | Verdict |", "|---|---|---|---|"]
    for claim in audit.claims:
        cites = " ".join(f"[{n}]" for n in claim.references)
        text = _md(_short(claim.text, 200))
        out.append(f"| {_md(claim.section or '')} | {text} | {cites} | {claim.verdict.label} |")
    return "\n".join(out) + "\n"


def _reference_counts(c: dict) -> str:
    return (
        f"{c['references_cited']} cited, {c['references_never_cited']} never cited, "
        f"{c['references_in_library']} in the library"
    )


def _verdicts_line(c: dict) -> str:
    return ", ".join(f"{count} {Verdict(value).label}" for value, count in c["verdicts"].items())


_STYLE = """
body { font: 15px/1.55 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.counts { display: flex; flex-wrap: wrap; gap: .6rem; padding: 0; list-style: none; }
.counts li { background: #f3f4f6; border-radius: 6px; padding: .4rem .7rem; }
.claim { border-radius: 3px; padding: 0 2px; }
.supported { background: #d1fae5; } .weak { background: #fef3c7; } .not_found { background: #fee2e2; }
.unverifiable { background: #e5e7eb; } .temporal { outline: 2px solid #dc2626; }
.legend span { margin-right: .8rem; padding: 0 .3rem; }
a.marker { font-size: .8em; vertical-align: super; text-decoration: none; }
.finding { margin-bottom: .4rem; }
.finding.temporal, .finding.unsupported, .finding.dangling_marker { color: #991b1b; }
blockquote { margin: .2rem 0 .2rem 1rem; color: #555; font-style: italic; }
.tag { font-size: .8em; background: #eef; border-radius: 4px; padding: 0 .3rem; }
.tag.in { background: #d1fae5; } .tag.out { background: #fee2e2; }
"""


def html_report(audit: Audit) -> str:
    """The audit as one self-contained HTML page.

    Args:
        audit: the audit.

    Returns:
        The page: the text with its claims highlighted in their paragraphs and coloured by
        verdict, every marker linked to its reference, the findings and the reference list.
    """
    c = audit.counts()
    temporal = {f.claim for f in audit.findings if f.kind is FindingKind.TEMPORAL}
    body = "".join(
        f"<p>{_paragraph_html(audit, start, end, claims, temporal)}</p>" for start, end, claims in _paragraphs(audit)
    )
    legend = "".join(f'<span class="{v.value}">{v.label} {c["verdicts"][v.value]}</span>' for v in Verdict)
    title = html.escape(audit.title or audit.source)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Citation audit: {title}</title>
<style>{_STYLE}</style></head><body>
<h1>Citation audit: {title}</h1>
<ul class="counts"><li><b>{c["markers"]}</b> markers in {c["marker_runs"]} runs</li><li><b>{c["claims"]}</b> claims</li>
<li><b>{c["references_cited"]}</b> of {c["references"]} references cited</li>
<li><b>{c["references_never_cited"]}</b> never cited</li>
<li><b>{c["references_in_library"]}</b> in the library</li></ul>
<p class="legend">{legend}<span class="temporal">temporal inconsistency</span></p>
<h2>Findings</h2><ul>{_findings_html(audit)}</ul>
<h2>Text</h2>{body}
<h2>References</h2><ol>{_references_html(audit)}</ol>
</body></html>
"""


def _findings_html(audit: Audit) -> str:
    items = []
    for f in audit.findings:
        refs = "".join(f"<a href='#ref-{n}'>[{n}]</a>" for n in f.references)
        quote = f"<blockquote>{html.escape(f.claim)}</blockquote>" if f.claim else ""
        kind = f.kind.value
        items.append(
            f"<li class='finding {kind}'><b>{kind.replace('_', ' ')}</b> {refs} {html.escape(f.detail)}{quote}</li>"
        )
    return "".join(items) or "<li>None.</li>"


def _references_html(audit: Audit) -> str:
    items = []
    for r in audit.references:
        link = f"<a href='{html.escape(r.url)}'>{html.escape(r.url)}</a>" if r.url else ""
        held = f"in library: {html.escape(r.source)}" if r.source else "not in library"
        items.append(
            f"<li id='ref-{r.number}' value='{r.number}'>{html.escape(r.author or '')}. ({r.date or 'n.d.'}). "
            f"<i>{html.escape(r.title or '')}</i>. {link} <span class='tag'>cited by {r.cited_by}</span> "
            f"<span class='tag {'in' if r.in_library else 'out'}'>{held}</span></li>"
        )
    return "".join(items)


def _paragraphs(audit: Audit) -> list[tuple[int, int, list[Claim]]]:
    """The paragraphs (or table rows) that hold claims, with their claims."""
    out: list[tuple[int, int, list[Claim]]] = []
    for claim in audit.claims:
        start, end = paragraph_around(audit.text, claim.start, claim.end)
        if out and out[-1][0] == start:
            out[-1][2].append(claim)
        else:
            out.append((start, end, [claim]))
    return out


def _paragraph_html(audit: Audit, start: int, end: int, claims: list[Claim], temporal: set[str]) -> str:
    parts = []
    position = start
    for claim in claims:
        parts.append(_uncited(audit.text[position : claim.start], temporal))
        classes = f"claim {claim.verdict.value}" + (" temporal" if claim.text in temporal else "")
        title = html.escape(claim.verdict.label + (f" — best: {claim.support.sentence}" if claim.support else ""))
        parts.append(f"<span class='{classes}' title='{title}'>{_linked(audit.text[claim.start : claim.end])}</span>")
        position = claim.end
    parts.append(_uncited(audit.text[position:end], temporal))
    return "".join(parts).replace("\n", "<br>")


def _uncited(text: str, temporal: set[str]) -> str:
    """Text between claims; a sentence a following marker covers and dates too late is outlined."""
    for sentence in temporal:
        at = text.find(sentence)
        if at >= 0:
            end = at + len(sentence)
            return f"{_linked(text[:at])}<span class='temporal'>{_linked(text[at:end])}</span>{_linked(text[end:])}"
    return _linked(text)


def _linked(text: str) -> str:
    """Escape ``text`` and turn each marker into a link to its reference."""
    out, position = [], 0
    for match in (m for run in runs(text) for m in MARKER.finditer(text, run.start(), run.end())):
        out.append(html.escape(text[position : match.start()]))
        first = first_number(match.group(0))
        out.append(f"<a class='marker' href='#ref-{first}'>{html.escape(match.group(0))}</a>")
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
