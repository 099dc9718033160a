"""Reference lists from the CLI: ``citeqa refs`` lists them, ``citeqa fetch-refs`` downloads them."""

from __future__ import annotations

from dataclasses import asdict

import click

from citeqa.index.errors import LibraryError
from citeqa.qa.cli_build import build_library, built_library, print_build_notes
from citeqa.qa.cli_options import echo_json, home_option, json_option
from citeqa.qa.terminal import echo


@click.command()
@click.option("--source", "citing", help="Only this source's references (default: every source's).")
@json_option()
@home_option
@click.pass_context
def refs(ctx, citing, as_json):
    """List the sources' references and which of them are in the library.

    With references from more than one source, each source's list is headed by its id: the
    numbers are only unique within one list.

    \b
    Example:
        citeqa refs --json
        citeqa refs --source sahoo-2026-economic-security-as-strategic-diplomacy
    """
    library = built_library(ctx)
    if citing is not None and citing not in {s.id for s in library.sources()}:
        raise LibraryError(f"no source '{citing}' in the library (see 'citeqa sources')")
    entries = [e for e in library.references() if citing in (None, e.citing)]
    if as_json:
        echo_json([asdict(e) for e in entries])
        return
    several = len({e.citing for e in entries}) > 1
    for n, entry in enumerate(entries):
        if several and (n == 0 or entries[n - 1].citing != entry.citing):
            echo(f"{entry.citing}:")
        state = f"in library as {entry.source}" if entry.source else "not in library"
        named = " ".join(part for part in (entry.author, f"({entry.date or 'n.d.'}).", entry.title) if part)
        echo(f"[{entry.number}] {named}")
        echo(f"     {entry.url or '(no URL)'}  — {state}")
    held = sum(1 for e in entries if e.source)
    echo(f"{len(entries)} references, {held} in the library")


@click.command("fetch-refs")
@click.option("--source", "citing", help="Only the references of this source (default: every source's).")
@click.option(
    "--timeout",
    default=20.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds one whole download attempt may take (connecting, headers and body).",
)
@click.option("--max-size", default=50, show_default=True, type=click.IntRange(min=1), help="Largest download, in MB.")
@json_option()
@home_option
@click.pass_context
def fetch_refs(ctx, citing, timeout, max_size, as_json):
    """Download the works the references point to (HTML and PDF), add them linked, and build.

    Each reference is tried on its own; failures are reported with their reason and do not
    stop the others. Exit status 1 when any fetch failed.

    \b
    Example:
        citeqa fetch-refs --source sahoo-2026-economic-security-as-strategic-diplomacy
    """
    from citeqa.index.fetch import FetchStatus, fetch_references

    library = built_library(ctx)
    entries = library.references()
    if citing:
        entries = [e for e in entries if e.citing == citing]
        if not entries:
            raise LibraryError(f"no source '{citing}' with a reference list (see 'citeqa refs')")
    results = fetch_references(library, entries, timeout=timeout, max_bytes=max_size * 2**20)
    report = build_library(library) if any(r.status is FetchStatus.FETCHED for r in results) else None
    if as_json:
        echo_json({"references": [asdict(r) for r in results], "build": report.to_dict() if report else None})
    else:
        for r in results:
            echo(f"[{r.number}] {r.status}: {r.detail}" + (f"  <{r.url}>" if r.status is FetchStatus.FAILED else ""))
        echo(", ".join(f"{sum(r.status is s for r in results)} {s}" for s in FetchStatus))
        if report:
            print_build_notes(report)
    if any(r.status is FetchStatus.FAILED for r in results):
        ctx.exit(1)
