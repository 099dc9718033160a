"""``citeqa add``: files into the library with the metadata typed or listed in a manifest."""

from __future__ import annotations

import json
from pathlib import Path

import click

from citeqa import corpus
from citeqa.index.errors import MetadataError
from citeqa.index.library import BuildReport, Metadata, doc_id_for, outcomes, unindexed
from citeqa.qa.cli_build import build_library, print_build_notes
from citeqa.qa.cli_options import counted, echo_json, home_option, index_size, json_option, library_of
from citeqa.qa.terminal import echo

#: Columns a manifest may have; ``path`` is required.
MANIFEST_COLUMNS = ("path", "title", "publisher", "date", "url", "ref", "authors")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--title", help="Title to cite (default: from the file).")
@click.option("--publisher", help="Publisher to cite.")
@click.option("--date", help="Publication date: YYYY-MM-DD, or YYYY-MM or YYYY when that is all that is known.")
@click.option("--url", help="URL of the original.")
@click.option(
    "--author", "authors", multiple=True, help="An author to cite; repeat it for several (default: from the file)."
)
@click.option(
    "--ref",
    help="Reference this file is: N, or SOURCE:N when several sources have reference lists. "
    "Its metadata fills what is not given.",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Add the files FILE lists, each with its own metadata: JSON Lines, or CSV (.csv) with a "
    "header, columns path,title,publisher,date,url,ref,authors (only path required; authors as a "
    "list, or names separated by ';'; relative paths are from FILE's folder).",
)
@click.option("--no-build", is_flag=True, help="Copy the files in but do not index them (run 'citeqa build' later).")
@click.option("--strict", is_flag=True, help="Add nothing if any file cannot be read.")
@json_option("Print what was added, skipped and built as JSON.")
@home_option
@click.pass_context
def add(ctx, paths, title, publisher, date, url, authors, ref, manifest, no_build, strict, as_json):
    """Copy files into the library and index them, in one build.

    As with cp, every readable file goes in; each file that cannot be read is named with its
    reason, one line each, and the exit status is 1. Without --ref, a file whose URL or title
    matches an entry of the article's reference list is linked to that entry automatically.
    The metadata options apply to PATHS; a manifest gives each of its files their own.

    \b
    Example:
        citeqa add ~/Downloads/*.pdf
        citeqa add mea-release.html --ref 1
        citeqa add notes.html --publisher "Ministry of External Affairs" \\
            --date 2026-05-10 --url https://www.mea.gov.in/...
        citeqa add --manifest news.jsonl
        citeqa add --no-build *.html && citeqa build
    """
    if not paths and manifest is None:
        raise click.UsageError("give files to add, or --manifest FILE")
    shared = _metadata(title, publisher, date, url, ref, list(authors) or None)
    files = _once(paths)
    metadata, refused = [shared] * len(files), []
    if manifest is not None:
        listed, listed_metadata, refused = _read_manifest(manifest)
        if refused and strict:
            raise click.BadParameter(f"{refused[0]['path']}: {refused[0]['reason']}", param_hint="--manifest")
        files, metadata = files + listed, metadata + listed_metadata
    library = library_of(ctx)
    # One hold of the lock for the copy and the build: no other build can start in between and
    # leave this command reporting a failure after it changed the sources.
    with library.lock:
        # Per-file metadata only when a manifest gave it, so a bad shared --ref still refuses the
        # whole command, as it always has.
        result = library.add_each(files, metadata if manifest is not None else shared, strict=strict) if files else None
        # With nothing new there is nothing to index, and the refusals are all there is to say.
        building = bool(result and result.added and not no_build)
        if building:
            # A new library's bundled article is said below.
            _say_waiting(library, result.added + ([corpus.BUNDLED_ARTICLE] if result.created else []))
        report = build_library(library) if building else None
        current = library.up_to_date(result.added) if result and no_build else set()
    added = result.added if result else []
    skipped = refused + (result.skipped if result else [])
    if result and result.created:
        # Else "index: 14 documents" after adding 13 surprises: every library starts with the article.
        article = doc_id_for(corpus.BUNDLED_ARTICLE.name)
        echo(
            f"new library in {library.home}, holding the bundled article too ('citeqa remove {article}' drops it)",
            err=True,
        )
    if as_json:
        created = bool(result and result.created)
        outcome = _outcomes(added, report, current)
        echo_json({**outcome, "skipped": skipped, "created": created, "build": _report_dict(report)})
    else:
        _print_added(added, skipped, report, current)
    # A file that went in but that the build skipped (a copy of a source, no indexable text) is not indexed.
    if skipped or unindexed(added, report):
        ctx.exit(1)


def _once(paths: tuple[Path, ...]) -> list[Path]:
    """``paths`` with each file once, where first named: "a.txt ./a.txt", or a shell glob
    overlapping a name, had printed "added a.txt" once per naming."""
    first: dict[Path, Path] = {}
    for path in paths:
        first.setdefault(path.resolve(), path)
    return list(first.values())


def _say_waiting(library, added: list[Path]) -> None:
    """Name the files the build takes in besides those of ``added``: staged with ``--no-build``, dropped
    in by hand, or left by an interrupted add, which had made an add of one small file build a
    50 MB text for minutes without a word."""
    ours = {path.name for path in added}
    others = [name for name in library.waiting() if name not in ours]
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        echo(f"also indexing {counted(len(others), 'file')} waiting in the library: {shown}", err=True)


def _print_added(added: list[Path], skipped: list[dict], report: BuildReport | None, current: set[str]) -> None:
    """Each refused file as an ``Error:`` line on stderr, then what went in and the index's size."""
    for skip in skipped:
        echo(f"Error: {skip['path']}: {skip['reason']}", err=True)
    if report:
        print_build_notes(report)
    happened = {path: kind for kind, paths in _outcomes(added, report, current).items() for path in paths}
    for path in added:
        echo(f"{_SAID[happened[str(path)]]} {path.name}")
    if report:
        echo(index_size(report.documents, report.chunks))
    elif any(happened[str(path)] != "unchanged" for path in added):
        echo("not indexed yet: run 'citeqa build'")


def _report_dict(report: BuildReport | None) -> dict | None:
    return report.to_dict() if report else None


def _outcomes(added: list[Path], report: BuildReport | None, current: set[str]) -> dict[str, list[str]]:
    """The files that went in by what happened to them (``builder.outcomes``), as paths."""
    return {kind: [str(p) for p in paths] for kind, paths in outcomes(added, report, current).items()}


#: How the text output says what happened to a file.
_SAID = {"added": "added", "updated": "updated", "unchanged": "unchanged, already in the library:"}


def _metadata(title=None, publisher=None, date=None, url=None, ref=None, authors=None) -> Metadata:
    """Metadata from the values a user typed.

    Raises:
        click.BadParameter: the URL, date or reference number is malformed (``param_hint`` names it).
    """
    try:
        return Metadata.parse(title, publisher, date, url, ref, authors)
    except MetadataError as error:
        raise click.BadParameter(str(error), param_hint=f"--{error.field}") from None


def _read_manifest(manifest: Path) -> tuple[list[Path], list[Metadata], list[dict]]:
    """Read a manifest: CSV (``.csv``) with a header row, or JSON Lines, one file a row.

    A relative path is taken from the manifest's folder, so a manifest travels with its files.
    Empty cells count as not given; a JSON ``null`` clears the value given before.

    Returns:
        ``(paths, metadata, refused)``: each good row's file and metadata, and each bad row as
        ``{"path": "MANIFEST:LINE", "reason"}`` (refused rows are named, the others still go in).

    Raises:
        click.BadParameter: the manifest cannot be read or names a column it does not know
            (a misspelt column would silently drop that field from every file).
    """
    paths, metadata, refused, lines = [], [], [], {}
    for number, row in _manifest_rows(manifest):
        where = f"{manifest}:{number}"
        if not isinstance(row, dict):
            refused.append({"path": where, "reason": row})
            continue
        # A JSON Lines row may list its authors, as strings; every other cell is one value, and
        # an author is never a number or true/false.
        bad = [k for k, v in row.items() if isinstance(v, list | dict) and k != "authors"]
        authors = row.get("authors")
        named = (
            isinstance(authors, str | None) or isinstance(authors, list) and all(isinstance(a, str) for a in authors)
        )
        if bad or not named:
            refused.append(
                {"path": where, "reason": f"'{(bad or ['authors'])[0]}' must be text (authors: a list of names)"}
            )
            continue
        given = {
            k: v if isinstance(v, list) else (str(v).strip() or None) if v is not None else None for k, v in row.items()
        }
        if not given.get("path"):
            refused.append({"path": where, "reason": "no path"})
            continue
        try:
            meta = _metadata(**{k: given.get(k) for k in MANIFEST_COLUMNS[1:]})
        except click.BadParameter as error:
            refused.append({"path": where, "reason": error.message})
            continue
        if manifest.suffix.lower() != ".csv":
            # JSON's null says "none": the library forgets a value given before. An empty CSV cell
            # and a missing key say nothing, and keep it.
            meta.cleared = tuple(k for k in MANIFEST_COLUMNS[1:] if k in row and row[k] is None)
        path = manifest.parent / given["path"]
        # The library keeps files by name: a second row for a name would silently replace or mix
        # into the first row's metadata.
        first = lines.setdefault(path.name, number)
        if first != number:
            refused.append({"path": where, "reason": f"{path.name} is listed again (first on line {first})"})
            continue
        paths.append(path)
        metadata.append(meta)
    return paths, metadata, refused


def _manifest_rows(manifest: Path) -> list[tuple[int, object]]:
    """A manifest's rows with their line numbers: a dict each, or the reason a JSON line is not one.

    Raises:
        click.BadParameter: as :func:`_read_manifest`.
    """
    try:
        # "utf-8-sig": spreadsheets save "CSV UTF-8" with a byte-order mark before the header.
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"cannot read {manifest}: {error}", param_hint="--manifest") from None
    rows: list[tuple[int, object]] = []
    if manifest.suffix.lower() == ".csv":
        import csv

        # Strict: an unclosed quote would otherwise swallow the rest of the file into one cell.
        reader = csv.DictReader(text.splitlines(), strict=True)
        try:
            # A header typed "Path,Title" names the same columns.
            reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
            unknown = sorted(set(reader.fieldnames) - set(MANIFEST_COLUMNS))
            twice = sorted({name for name in reader.fieldnames if reader.fieldnames.count(name) > 1})
            if twice:
                raise click.BadParameter(f"{manifest}: column {twice[0]!r} is given twice", param_hint="--manifest")
            # Cells beyond the header's columns are kept under None: a value that fits no field.
            rows = [(reader.line_num, row if None not in row else "more cells than columns") for row in reader]
        except csv.Error as error:
            raise click.BadParameter(
                f"{manifest}:{reader.line_num + 1}: not CSV ({error})", param_hint="--manifest"
            ) from None
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as error:
                row = f"not JSON ({error})"
            else:
                # A line holding a bare string ("a.html") is no row either, not a reason; keys are
                # read as a CSV header is ("Path").
                row = (
                    {str(k).strip().lower(): v for k, v in row.items()}
                    if isinstance(row, dict)
                    else "not a JSON object"
                )
            rows.append((number, row))
        unknown = sorted({key for _, row in rows if isinstance(row, dict) for key in row} - set(MANIFEST_COLUMNS))
    if unknown:
        raise click.BadParameter(
            f"{manifest}: unknown column {', '.join(map(repr, unknown))} (columns: {', '.join(MANIFEST_COLUMNS)})",
            param_hint="--manifest",
        )
    if not rows:
        raise click.BadParameter(f"{manifest}: lists no files", param_hint="--manifest")
    return rows
