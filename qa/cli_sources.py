"""The library's sources from the CLI: ``citeqa sources``, ``citeqa remove`` and ``citeqa extract``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from citeqa import corpus
from citeqa.corpus.model import ExtractionError
from citeqa.index.records import author_list
from citeqa.qa.cli_build import build_library
from citeqa.qa.cli_options import counted, echo_json, home_option, index_size, json_option, library_of
from citeqa.qa.terminal import Styled, echo


@click.command()
@json_option()
@home_option
@click.pass_context
def sources(ctx, as_json):
    """List the library's sources: id, kind, passage count, title, authors, publisher, date and URL.

    \b
    Example:
        citeqa sources --json
    """
    library = library_of(ctx)
    found = library.sources()
    # Every source the index leaves out says why: a bad file is named with its fault.
    unindexed = {s.id: Path(s.path).name for s in found if not s.indexed}
    # And one whose file the last build could not read again keeps its earlier version's passages.
    failed = library.unreadable_edits()
    outdated = {s.id: Path(s.path).name for s in found if s.indexed and Path(s.path).name in failed}
    by_name = {**library.unindexed_reasons(list(unindexed.values())), **failed}
    reasons = {source_id: by_name[name] for source_id, name in {**unindexed, **outdated}.items()}
    if as_json:
        echo_json([asdict(s) | ({"reason": reasons[s.id]} if s.id in reasons else {}) for s in found])
        return
    if not library.home.is_dir():
        # A library not made yet lists as empty (scripts read []), but a person who mistyped
        # --home should not take that for an empty library.
        echo(f"notice: no library at {library.home} yet; 'citeqa add' or 'citeqa build' makes one", err=True)
    elif not found:
        echo(f"notice: the library at {library.home} holds no sources; 'citeqa add' adds some", err=True)
    for source in found:
        state = counted(source.chunks, "passage") if source.indexed else "not indexed"
        state += " of its earlier version, its file now unreadable" if source.id in outdated else ""
        state += f": {reasons[source.id]}" if source.id in reasons else ""
        about = ", ".join(filter(None, (author_list(source.authors), source.publisher, source.date, source.url)))
        echo(f"{source.id}  [{source.kind}, {state}]  {source.title or ''}" + (f"  ({about})" if about else ""))
    for entry in library.refused():
        echo(f"not a source: {entry['path']}: {entry['reason']}", err=True)


@click.command()
@click.argument("source_id")
@json_option("Print what was removed and the build report as JSON.")
@home_option
@click.pass_context
def remove(ctx, source_id, as_json):
    """Remove a source (by the id 'citeqa sources' shows) and its passages.

    \b
    Example:
        citeqa remove mea-release
        citeqa remove --json mea-release
    """
    from citeqa.index.checks import ensure_writable

    library = library_of(ctx)
    # Refused before the file is deleted: a build that then fails would leave the index citing it.
    ensure_writable(library.home)
    with library.lock:
        path = library.remove(source_id)
        report = build_library(library)
    if as_json:
        echo_json({"removed": {"id": source_id, "path": str(path)}, "build": report.to_dict()})
    else:
        echo(f"removed {path.name}; {index_size(report.documents, report.chunks)}")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option("One JSON object a file (JSON Lines).")
@click.pass_context
def extract(ctx, paths, as_json):
    """Show the text and structure that would be indexed from each file, without indexing it.

    \b
    Example:
        citeqa extract saved-page.html --json
    """
    failed = 0
    for path in paths:
        try:
            doc = corpus.extract_bounded(path)
        except ExtractionError as error:
            # Reported with the file's output, not raised: the other files are still shown.
            failed += 1
            if as_json:
                echo_json({"path": str(path), "error": error.reason}, lines=True)
            else:
                echo(f"Error: {error}", err=True)
            continue
        chunks = corpus.chunk_document(doc, "preview")
        if as_json:
            record = asdict(doc)
            record["chunks"] = [
                {k: v for k, v in asdict(c).items() if k not in {"doc_id", "sentences"}} for c in chunks
            ]
            echo_json(record, lines=True)
        else:
            _print_document(doc, len(chunks))
    if failed:
        ctx.exit(1)


def _print_document(doc, chunk_count: int) -> None:
    echo(
        Styled(f"== {doc.path}", bold=True),
        f"  ({doc.kind}, {len(doc.text)} characters, {counted(chunk_count, 'passage')})",
    )
    for label in ("title", "publisher", "date", "url"):
        if getattr(doc, label):
            echo(f"{label}: {getattr(doc, label)}")
    if doc.authors:
        echo(f"authors: {', '.join(doc.authors)}")
    for block in doc.blocks:
        page = f" p.{doc.page_at(block.start)}" if doc.pages else ""
        echo(Styled(f"\n[{block.kind}{page}] {block.section or ''}", fg="cyan"))
        echo(doc.text[block.start : block.end])
    for ref in doc.references:
        echo(Styled(f"\n[reference {ref.number}] ", fg="cyan"), f"{ref.author} | {ref.date} | {ref.title} | {ref.url}")
