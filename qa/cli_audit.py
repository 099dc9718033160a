"""Checking citations from the CLI: ``citeqa audit`` (a source's claims against what it cites) and
``citeqa verify`` (a saved answer's passages against the library now)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from citeqa.qa.cli_build import built_library
from citeqa.qa.cli_options import echo_json, home_option, json_option
from citeqa.qa.terminal import Styled, clean, echo

#: Audit findings that fail the command: each is a citation a reader would be misled by.
FAILING_FINDINGS = ("dangling_marker", "temporal", "unsupported")


@click.command()
@click.option("--source", "source_id", help="Source to audit (default: the only source with a reference list).")
@json_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
    help="Report format; html is one self-contained page.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
@home_option
@click.pass_context
def audit(ctx, source_id, as_json, fmt, output):
    """Audit a source's citations: markers, references, claims, support, dates.

    Every citing sentence is a claim. When a cited source is in the library the claim is scored
    against it (supported / weak / not found) and a better source is suggested when one exists;
    claims dated after every source they cite are flagged; claims whose sources are all missing
    are listed by reference, so you know what to fetch first. Exit status 1 when a marker points
    at no reference, a claim is dated after its sources, or a cited source does not support it.

    \b
    Example:
        citeqa audit
        citeqa audit --format html -o audit.html
    """
    from citeqa.qa.audit import audit as run_audit
    from citeqa.qa.report import html_report, markdown, summary_lines

    if as_json and fmt != "text":
        raise click.UsageError("--json and --format are alternatives: give one")
    result = run_audit(built_library(ctx), source_id)
    if as_json:
        report = json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    elif fmt == "markdown":
        report = markdown(result)
    elif fmt == "html":
        report = html_report(result)
    else:
        report = "\n".join(summary_lines(result))
    if not as_json:
        # Source text reaches every format; in an HTML page control characters are invalid anyway.
        report = clean(report)
    if output:
        output.write_text(report if report.endswith("\n") else report + "\n", encoding="utf-8")
        echo(f"wrote {output}", err=True)
    else:
        click.echo(report)
    if any(f.kind in FAILING_FINDINGS for f in result.findings):
        ctx.exit(1)


@click.command()
@click.argument("answer_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option()
@home_option
@click.pass_context
def verify(ctx, answer_file, as_json):
    """Check that the passages of a saved answer still stand verbatim in the library.

    ANSWER_FILE is what 'citeqa ask --json' printed (JSON Lines from --questions too). Each
    passage is unchanged, moved (same text, new offsets), metadata (the passage stands but its
    source's title, publisher, date or URL changed), changed or disappeared. Exit status 1 when
    any changed or disappeared.

    \b
    Example:
        citeqa ask --json "When was the dialogue held?" > answer.json
        citeqa verify answer.json
    """
    from citeqa.qa.verify import STATUSES, read_answers
    from citeqa.qa.verify import verify as run_verify

    answers = read_answers(answer_file)
    checks = run_verify(built_library(ctx), answers)
    if as_json:
        echo_json([asdict(c) for c in checks])
    else:
        for check in checks:
            colour = {"unchanged": "green", "moved": "yellow", "metadata": "yellow"}.get(check.status, "red")
            # Which answer, where a file holds several: its id, else its question.
            asked = f"[{check.id or check.question}] " if len(answers) > 1 else ""
            echo(Styled(f"{check.status:<11}", fg=colour), f" {asked}#{check.rank} {check.source_id}: {check.detail}")
        counts = {s: sum(1 for c in checks if c.status == s) for s in STATUSES}
        echo(", ".join(f"{n} {s}" for s, n in counts.items()))
    if any(c.status in ("changed", "disappeared") for c in checks):
        ctx.exit(1)
