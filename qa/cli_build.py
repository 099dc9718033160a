"""Building the index from the CLI: ``citeqa build`` and ``citeqa watch``, and the helpers every
command that builds uses (the progress bar, the build's notes on stderr, building when unbuilt)."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from citeqa.index.library import BuildReport, Library
from citeqa.qa.cli_options import counted, echo_json, home_option, index_size, json_option, library_of
from citeqa.qa.terminal import echo

#: The label of each stage a build reports progress for.
STAGES = {"reading": "Reading files", "embedding": "Embedding passages"}


@contextmanager
def _progress_bar():
    """A progress callback drawing one bar per build stage on a terminal (files read, then
    passages embedded, each with its count and the time left), silent when stderr is piped."""
    if not sys.stderr.isatty():
        yield None
        return
    state = {}

    def update(stage, done, total):
        if state.get("stage") != stage:
            if "bar" in state:
                state["bar"].__exit__(None, None, None)
            label = STAGES.get(stage, stage)
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True)
            state["bar"].__enter__()
            state["stage"] = stage
        state["bar"].update(done - state["bar"].pos)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def build_library(library: Library, **options) -> BuildReport:
    """Build ``library`` with a progress bar on a terminal.

    Args:
        library: the library to build.
        **options: passed to ``Library.build`` (``full``, ``strict``, ``embedder``).

    Returns:
        The build's report.
    """
    with _progress_bar() as progress:
        return library.build(progress=progress, **options)


def print_build_notes(report: BuildReport) -> None:
    """Name on stderr what a build skipped, linked or dropped, and why it embedded slowly.

    Args:
        report: the build's report.
    """
    if report.notice:
        echo(f"notice: {report.notice}", err=True)
    for skip in report.skipped:
        echo(f"skipped {skip['path']}: {skip['reason']}", err=True)
    for note in report.stale_metadata + report.kept_metadata:
        echo(f"{note['path']}: {note['reason']}", err=True)
    for link in report.linked:
        echo(f"linked {link['id']} to reference [{link['reference']}] of {link['citing']} (by {link['by']})", err=True)


def built_library(ctx: click.Context) -> Library:
    """The library ``--home`` names, built first if it has no index yet (saying so on stderr).

    Every command that reads the index starts here, so none fails in a new library.

    Args:
        ctx: the running command's context.

    Returns:
        The library, with an index.
    """
    library = library_of(ctx)
    if not library.is_built():
        echo(f"No index yet in {library.home}: building it.", err=True)
        print_build_notes(build_library(library))
    return library


@click.command()
@click.option("--full", is_flag=True, help="Rebuild everything from the sources.")
@click.option("--strict", is_flag=True, help="Change nothing if any file would be skipped.")
@json_option("Print the report as JSON.")
@home_option
@click.pass_context
def build(ctx, full, strict, as_json):
    """Bring the index up to date with the sources folder.

    Only new and changed files are read and embedded; removed files leave the index. A file
    that cannot be read is skipped and named with its reason, the others are indexed, and the
    exit status is 1.

    \b
    Example:
        citeqa build --json
    """
    report = build_library(library_of(ctx), full=full, strict=strict)
    if as_json:
        echo_json(report.to_dict())
    else:
        print_build_notes(report)
        echo(
            f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped; "
            f"{counted(report.chunks_embedded, 'passage')} embedded; {index_size(report.documents, report.chunks)}"
        )
    if report.skipped:
        ctx.exit(1)


@click.command()
@click.option(
    "--interval",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds between looks at the sources folder.",
)
@json_option("One JSON build report a line.")
@home_option
@click.pass_context
def watch(ctx, interval, as_json):
    """Rebuild whenever files appear in, change in or leave the sources folder (Ctrl-C stops).

    \b
    Example:
        citeqa watch --interval 5
    """
    from citeqa.index.embed import Embedder
    from citeqa.index.watch import watch as watch_library

    library = library_of(ctx)
    embedder = Embedder()

    def on_build(report):
        if as_json:
            echo_json(report.to_dict(), lines=True)
        elif report.added or report.changed or report.removed or report.skipped:
            print_build_notes(report)
            echo(
                f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed; "
                + index_size(report.documents, report.chunks)
            )

    def on_error(message):
        echo(f"Error: {message}", err=True)

    echo(f"watching {library.sources_dir} (Ctrl-C stops)", err=True)
    try:
        watch_library(library, on_build, on_error, interval, build=lambda: build_library(library, embedder=embedder))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
