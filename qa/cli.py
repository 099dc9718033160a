"""The ``citeqa`` command line: a thin layer over ``Library``, ``Asker`` and ``corpus.extract``."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys
from contextlib import contextmanager, nullcontext
from dataclasses import asdict
from pathlib import Path

import click

from citeqa import corpus
from citeqa.corpus.model import ExtractionError
from citeqa.index.library import BuildReport, Library, LibraryError, Metadata, default_home
from citeqa.qa.answer import Answer, Asker
from citeqa.qa.terminal import Styled, clean, echo

#: Questions answered per batch by ``ask --questions``: large enough to embed efficiently, small
#: enough that answers stream out and the progress bar moves.
QUESTION_BATCH = 32


class _Group(click.Group):
    """Turns user mistakes and environment faults into one line and exit status 1, never a traceback.

    Every message is cleaned of control characters: it may quote a file name or a source's text.
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as error:
            error.message = clean(error.message)
            raise
        except (LibraryError, ExtractionError) as error:
            raise click.ClickException(clean(error)) from None
        except OSError as error:
            raise click.ClickException(clean(_os_fault(error))) from None
        except sqlite3.DatabaseError as error:
            raise click.ClickException(
                clean(_database_fault(error, (ctx.obj or default_home()) / "index.db"))
            ) from None


def _os_fault(error: OSError) -> str:
    """One line for a file-system fault: which file, what happened, and what to do."""
    where = error.filename or "citeqa"
    if error.errno == errno.ENOSPC:
        repair = "free some space on that disk and retry"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        repair = "make it writable, or give another library with --home"
    else:
        repair = "check that file and retry"
    return f"{where}: {error.strerror or error}; {repair}"


def _database_fault(error: sqlite3.DatabaseError, db_path) -> str:
    """One line for an SQLite fault met after the index opened (most often a damaged page)."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith("SQLITE_READONLY"):
        return f"{db_path}: cannot be written ({error}); make it writable, or give another library with --home"
    if name == "SQLITE_FULL":
        return f"{db_path}: the disk is full ({error}); free some space and retry"
    return f"{db_path}: index database is damaged ({error}); run 'citeqa build --full' to rebuild it from the sources"


@click.group(cls=_Group)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CITEQA_HOME",
    help="Library folder (default: $CITEQA_HOME, else ~/.local/share/citeqa).",
)
@click.version_option(package_name="citeqa")
@click.pass_context
def cli(ctx, home):
    """Answer questions over your sources with cited passages.

    \b
    Example:
        citeqa ask "When was the second India-Japan economic security dialogue held?"
    """
    ctx.obj = home


def _library(ctx) -> Library:
    return Library(ctx.obj)


@contextmanager
def _progress_bar(label: str):
    """A progress callback drawing a bar on a terminal, silent when stderr is piped."""
    if not sys.stderr.isatty():
        yield None
        return
    state = {}

    def update(stage, done, total):
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state["bar"].pos)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def _build(library: Library, **options) -> BuildReport:
    with _progress_bar("Embedding passages") as progress:
        return library.build(progress=progress, **options)


def _print_skipped(report: BuildReport) -> None:
    if report.notice:
        echo(f"notice: {report.notice}", err=True)
    for skip in report.skipped:
        echo(f"skipped {skip['path']}: {skip['reason']}", err=True)
    for stale in report.stale_metadata:
        echo(f"{stale['path']}: {stale['reason']}", err=True)
    for link in report.linked:
        echo(f"linked {link['id']} to reference [{link['reference']}] of {link['citing']} (by {link['by']})", err=True)


@cli.command()
@click.argument("question", required=False)
@click.option("-k", "--top", "k", default=5, show_default=True, type=click.IntRange(1, 100), help="Passages to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object; JSON Lines with --questions).")
@click.option(
    "--questions",
    type=click.File("r", encoding="utf-8"),
    help="Answer every question in FILE (one a line, or JSON Lines with a 'question' field); prints JSON Lines.",
)
@click.pass_context
def ask(ctx, question, k, as_json, questions):
    """Answer QUESTION with cited passages, or say that the sources do not answer it.

    Each passage's relevance (0 to 1) is the learned ranker's estimate that it holds the answer;
    it orders the passages, and runs high. The answer's confidence is the calibrated probability
    that the best passages answer the question; below the threshold fitted on dev data (see the
    README) citeqa abstains, says why, and still shows the closest passages, marked as not
    answering. In each passage the best sentence is set off »like this« (and in bold on a
    terminal). A cited file edited or deleted since the last build is named on stderr. The first
    question in a new library builds its index.

    \b
    Examples:
        citeqa ask "Where was the second dialogue held?"
        citeqa ask -k 3 --json "Which sectors did the dialogue cover?"
        citeqa ask --questions questions.txt > answers.jsonl
    """
    if (question is None) == (questions is None):
        raise click.UsageError("give a QUESTION or --questions FILE (not both)")
    # Read before the index and the model load: a bad file should cost no time.
    asked = _read_questions(questions) if questions is not None else [question]
    library = _library(ctx)
    if not library.is_built():
        echo(f"No index yet in {library.home}: building it.", err=True)
        _print_skipped(_build(library))
    warned: set[str] = set()
    with Asker(library) as asker:
        if asker.notice:
            echo(f"notice: {asker.notice}", err=True)
        if questions is not None:
            with _answering_bar(len(asked)) as bar:
                for start in range(0, len(asked), QUESTION_BATCH):
                    for answer in asker.ask_many(asked[start : start + QUESTION_BATCH], k):
                        _warn_changed(asker, answer, warned)
                        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
                    if bar:
                        bar.update(min(QUESTION_BATCH, len(asked) - start))
            return
        answer = asker.ask(question, k)
        _warn_changed(asker, answer, warned)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_answer(answer)


def _answering_bar(total: int):
    """A bar of questions answered out of ``total`` on a terminal's stderr; nothing when piped."""
    if not sys.stderr.isatty():
        return nullcontext()
    return click.progressbar(length=total, label="Answering questions", file=sys.stderr, show_pos=True, show_eta=True)


def _warn_changed(asker: Asker, answer: Answer, warned: set[str]) -> None:
    """One stderr line per cited source whose file changed since the build (once per run)."""
    for source_id, state in asker.changed_sources(answer).items():
        if source_id not in warned:
            warned.add(source_id)
            echo(
                f"warning: the file of source '{source_id}' was {state} after the last build, so its "
                "passages may no longer be in it; run 'citeqa build'",
                err=True,
            )


def _read_questions(handle) -> list[str]:
    name = getattr(handle, "name", "questions file")
    asked = []
    try:
        lines = list(handle)
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{name}: not UTF-8 text (byte {error.start} cannot be decoded); save it as UTF-8"
        ) from None
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                line = json.loads(line)["question"]
            except (ValueError, KeyError, TypeError):
                raise click.ClickException(
                    f"{name}: line {number} is not a JSON object with a 'question' field"
                ) from None
        asked.append(line)
    if not asked:
        raise click.ClickException(f"{name}: no questions in file")
    return asked


def _print_answer(answer: Answer) -> None:
    if answer.abstained:
        echo(f"The sources do not answer this: {answer.reason}.")
        if answer.passages:
            echo("The closest passages found, which do not answer it:\n")
    elif answer.confidence is not None:
        echo(f"Answer confidence {answer.confidence:.2f}\n")
    for passage in answer.passages:
        text = passage.text
        a = passage.highlight_start - passage.citation.start
        b = passage.highlight_end - passage.citation.start
        label = f"[{passage.rank}] " + ("(does not answer) " if answer.abstained else "")
        echo(Styled(label, bold=True), Styled(passage.citation.text(), fg="cyan"))
        echo(f"    relevance {passage.score:.2f}")
        # The marks carry the highlight where bold cannot: piped output, files, screen readers.
        highlighted = [text[:a], Styled(f"»{text[a:b]}«", bold=True, fg="yellow"), text[b:]]
        for line in _lines(highlighted):
            echo("    ", *line)
        click.echo()


def _lines(parts: list) -> list[list]:
    """Split ``parts`` (strings and ``Styled`` pieces) into lines, keeping each piece's style."""
    lines: list[list] = [[]]
    for part in parts:
        text = part.text if isinstance(part, Styled) else part
        for number, piece in enumerate(text.split("\n")):
            if number:
                lines.append([])
            lines[-1].append(Styled(piece, **part.style) if isinstance(part, Styled) else piece)
    return lines


@cli.command()
@click.option("--full", is_flag=True, help="Rebuild everything from the sources.")
@click.option("--strict", is_flag=True, help="Change nothing if any file would be skipped.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
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
    report = _build(_library(ctx), full=full, strict=strict)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        _print_skipped(report)
        echo(
            f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped; "
            f"{report.chunks_embedded} passages embedded; index: {report.documents} documents, {report.chunks} passages"
        )
    if report.skipped:
        ctx.exit(1)


#: Columns a manifest may have; ``path`` is required.
MANIFEST_COLUMNS = ("path", "title", "publisher", "date", "url", "ref")


def _metadata(title=None, publisher=None, date=None, url=None, ref=None) -> Metadata:
    """Metadata from the values a user typed.

    Raises:
        click.BadParameter: the date or reference number is malformed (``param_hint`` names it).
    """
    if date is not None and corpus.dates.parse_date(date) != date:
        raise click.BadParameter(
            f"'{date}' is not a date of the form YYYY-MM-DD (or YYYY-MM, YYYY)", param_hint="--date"
        )
    ref_source, _, number = (ref or "").rpartition(":")
    if ref is not None and not number.isdigit():
        raise click.BadParameter(f"'{ref}' is not a reference number (N or SOURCE:N)", param_hint="--ref")
    return Metadata(
        title=title,
        publisher=publisher,
        date=date,
        url=url,
        ref=int(number) if ref is not None else None,
        ref_source=ref_source or None,
    )


def _read_manifest(manifest: Path) -> tuple[list[Path], list[Metadata], list[dict]]:
    """Read a manifest: CSV (``.csv``) with a header row, or JSON Lines, one file a row.

    A relative path is taken from the manifest's folder, so a manifest travels with its files.
    Empty cells count as not given.

    Returns:
        ``(paths, metadata, refused)``: each good row's file and metadata, and each bad row as
        ``{"path": "MANIFEST:LINE", "reason"}`` (refused rows are named, the others still go in).

    Raises:
        click.BadParameter: the manifest cannot be read or names a column it does not know
            (a misspelt column would silently drop that field from every file).
    """
    try:
        text = manifest.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"cannot read {manifest}: {error}", param_hint="--manifest") from None
    rows: list[tuple[int, object]] = []
    if manifest.suffix.lower() == ".csv":
        import csv

        reader = csv.DictReader(text.splitlines())
        unknown = sorted(set(reader.fieldnames or []) - set(MANIFEST_COLUMNS))
        rows = [(reader.line_num, row) for row in reader]
    else:
        unknown = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rows.append((number, json.loads(line)))
            except ValueError as error:
                rows.append((number, f"not JSON ({error})"))
        unknown = sorted({key for _, row in rows if isinstance(row, dict) for key in row} - set(MANIFEST_COLUMNS))
    if unknown:
        raise click.BadParameter(
            f"{manifest}: unknown column {', '.join(map(repr, unknown))} (columns: {', '.join(MANIFEST_COLUMNS)})",
            param_hint="--manifest",
        )
    paths, metadata, refused = [], [], []
    for number, row in rows:
        where = f"{manifest}:{number}"
        if not isinstance(row, dict):
            refused.append({"path": where, "reason": row if isinstance(row, str) else "not a JSON object"})
            continue
        given = {k: (str(v).strip() or None) if v is not None else None for k, v in row.items()}
        if not given.get("path"):
            refused.append({"path": where, "reason": "no path"})
            continue
        try:
            metadata.append(_metadata(**{k: given.get(k) for k in MANIFEST_COLUMNS[1:]}))
        except click.BadParameter as error:
            refused.append({"path": where, "reason": error.message})
            continue
        paths.append(manifest.parent / given["path"])
    return paths, metadata, refused


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--title", help="Title to cite (default: from the file).")
@click.option("--publisher", help="Publisher to cite.")
@click.option("--date", help="Publication date, YYYY-MM-DD.")
@click.option("--url", help="URL of the original.")
@click.option(
    "--ref",
    help="Reference this file is: N, or SOURCE:N when several sources have reference lists. "
    "Its metadata fills what is not given.",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Add the files FILE lists, each with its own metadata: JSON Lines, or CSV (.csv) with a "
    "header, columns path,title,publisher,date,url,ref (only path required; relative paths are "
    "from FILE's folder).",
)
@click.option("--no-build", is_flag=True, help="Copy the files in but do not index them (run 'citeqa build' later).")
@click.option("--strict", is_flag=True, help="Add nothing if any file cannot be read.")
@click.option("--json", "as_json", is_flag=True, help="Print what was added, skipped and built as JSON.")
@click.pass_context
def add(ctx, paths, title, publisher, date, url, ref, manifest, no_build, strict, as_json):
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
    shared = _metadata(title, publisher, date, url, ref)
    files, metadata, refused = list(paths), [shared] * len(paths), []
    if manifest is not None:
        listed, listed_metadata, refused = _read_manifest(manifest)
        if refused and strict:
            raise click.BadParameter(f"{refused[0]['path']}: {refused[0]['reason']}", param_hint="--manifest")
        files, metadata = files + listed, metadata + listed_metadata
    library = _library(ctx)
    # One hold of the lock for the copy and the build: no other build can start in between and
    # leave this command reporting a failure after it changed the sources.
    with library.lock:
        # Per-file metadata only when a manifest gave it, so a bad shared --ref still refuses the
        # whole command, as it always has.
        result = library.add_each(files, metadata if manifest is not None else shared, strict=strict) if files else None
        # With nothing new there is nothing to index, and the refusals are all there is to say.
        report = _build(library) if result and result.added and not no_build else None
    added = [str(path) for path in result.added] if result else []
    skipped = refused + (result.skipped if result else [])
    # A file that went in but that the build skipped (a copy of a source, no indexable text) is not indexed.
    failed = skipped or (report and any(s["path"] in added for s in report.skipped))
    if as_json:
        out = {"added": added, "skipped": skipped, "build": report.to_dict() if report else None}
        click.echo(json.dumps(out, indent=2))
    else:
        for skip in skipped:
            echo(f"Error: {skip['path']}: {skip['reason']}", err=True)
        if report:
            _print_skipped(report)
        for path in result.added if result else []:
            echo(f"added {path.name}")
        if report:
            echo(f"index: {report.documents} documents, {report.chunks} passages")
        elif added:
            echo("not indexed yet: run 'citeqa build'")
    if failed:
        ctx.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources(ctx, as_json):
    """List the library's sources with their ids and passage counts.

    \b
    Example:
        citeqa sources --json
    """
    found = _library(ctx).sources()
    if as_json:
        click.echo(json.dumps([asdict(s) for s in found], indent=2))
        return
    for source in found:
        state = f"{source.chunks} passages" if source.indexed else "not indexed"
        echo(f"{source.id}  [{source.kind}, {state}]  {source.title or ''}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def refs(ctx, as_json):
    """List the article's references and which of them are in the library.

    \b
    Example:
        citeqa refs --json
    """
    library = _library(ctx)
    if not library.is_built():
        _build(library)
    entries = library.references()
    if as_json:
        click.echo(json.dumps([asdict(e) for e in entries], indent=2))
        return
    for entry in entries:
        state = f"in library as {entry.source}" if entry.source else "not in library"
        echo(f"[{entry.number}] {entry.author or ''} ({entry.date or 'n.d.'}). {entry.title or ''}")
        echo(f"     {entry.url or '(no URL)'}  — {state}")
    held = sum(1 for e in entries if e.source)
    echo(f"{len(entries)} references, {held} in the library")


@cli.command("fetch-refs")
@click.option("--source", "citing", help="Only the references of this source (default: every source's).")
@click.option(
    "--timeout",
    default=20.0,
    show_default=True,
    help="Seconds one whole download attempt may take (connecting, headers and body).",
)
@click.option("--max-size", default=50, show_default=True, help="Largest download, in MB.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def fetch_refs(ctx, citing, timeout, max_size, as_json):
    """Download the works the references point to (HTML and PDF), add them linked, and build.

    Each reference is tried on its own; failures are reported with their reason and do not
    stop the others. Exit status 1 when any fetch failed.

    \b
    Example:
        citeqa fetch-refs --source sahoo-2026-economic-security-as-strategic-diplomacy
    """
    from citeqa.index.fetch import fetch_references

    library = _library(ctx)
    if not library.is_built():
        _build(library)
    entries = library.references()
    if citing:
        entries = [e for e in entries if e.citing == citing]
        if not entries:
            raise LibraryError(f"no source '{citing}' with a reference list (see 'citeqa refs')")
    results = fetch_references(library, entries, timeout=timeout, max_bytes=max_size * 2**20)
    report = _build(library) if any(r.status == "fetched" for r in results) else None
    if as_json:
        out = {"references": [asdict(r) for r in results], "build": report.to_dict() if report else None}
        click.echo(json.dumps(out, indent=2))
    else:
        for r in results:
            echo(f"[{r.number}] {r.status}: {r.detail}" + (f"  <{r.url}>" if r.status == "failed" else ""))
        counts = {s: sum(r.status == s for r in results) for s in ("fetched", "failed", "skipped")}
        echo(f"{counts['fetched']} fetched, {counts['failed']} failed, {counts['skipped']} skipped")
        if report:
            _print_skipped(report)
    if any(r.status == "failed" for r in results):
        ctx.exit(1)


@cli.command()
@click.option("--interval", default=2.0, show_default=True, help="Seconds between looks at the sources folder.")
@click.option("--json", "as_json", is_flag=True, help="One JSON build report a line.")
@click.pass_context
def watch(ctx, interval, as_json):
    """Rebuild whenever files appear in, change in or leave the sources folder (Ctrl-C stops).

    \b
    Example:
        citeqa watch --interval 5
    """
    from citeqa.index.embed import Embedder
    from citeqa.index.watch import watch as watch_library

    library = _library(ctx)
    embedder = Embedder()

    def on_build(report):
        if as_json:
            click.echo(json.dumps(report.to_dict()))
        elif report.added or report.changed or report.removed or report.skipped:
            _print_skipped(report)
            echo(
                f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed; "
                f"index: {report.documents} documents, {report.chunks} passages"
            )

    def on_error(message):
        echo(f"Error: {message}", err=True)

    echo(f"watching {library.sources_dir} (Ctrl-C stops)", err=True)
    try:
        watch_library(library, on_build, on_error, interval, build=lambda: _build(library, embedder=embedder))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@cli.command()
@click.argument("source_id")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed and the build report as JSON.")
@click.pass_context
def remove(ctx, source_id, as_json):
    """Remove a source (by the id 'citeqa sources' shows) and its passages.

    \b
    Example:
        citeqa remove mea-release
        citeqa remove --json mea-release
    """
    from citeqa.index.checks import ensure_writable

    library = _library(ctx)
    # Refused before the file is deleted: a build that then fails would leave the index citing it.
    ensure_writable(library.home)
    with library.lock:
        path = library.remove(source_id)
        report = _build(library)
    if as_json:
        out = {"removed": {"id": source_id, "path": str(path)}, "build": report.to_dict()}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        echo(f"removed {path.name}; index: {report.documents} documents, {report.chunks} passages")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a file (JSON Lines).")
def extract(paths, as_json):
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
            failed += 1
            if as_json:
                click.echo(json.dumps({"path": str(path), "error": error.reason}))
            else:
                echo(f"Error: {error}", err=True)
            continue
        chunks = corpus.chunk_document(doc, "preview")
        if as_json:
            record = asdict(doc)
            record["chunks"] = [
                {k: v for k, v in asdict(c).items() if k not in {"doc_id", "sentences"}} for c in chunks
            ]
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            _print_document(doc, len(chunks))
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--source", "source_id", help="Source to audit (default: the bundled article).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
    help="Report format; html is one self-contained page.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file.")
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
    from citeqa.qa.audit import AuditError
    from citeqa.qa.audit import audit as run_audit
    from citeqa.qa.report import html_report, markdown, summary_lines

    library = _library(ctx)
    if not library.is_built():
        _build(library)
    if as_json and fmt != "text":
        raise click.UsageError("--json and --format are alternatives: give one")
    try:
        result = run_audit(library, source_id)
    except AuditError as error:
        raise click.ClickException(str(error)) from None
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
    if any(f.kind in ("dangling_marker", "temporal", "unsupported") for f in result.findings):
        sys.exit(1)


@cli.command()
@click.argument("answer_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def verify(ctx, answer_file, as_json):
    """Check that the passages of a saved answer still stand verbatim in the library.

    ANSWER_FILE is what 'citeqa ask --json' printed (JSON Lines from --questions too). Each
    passage is unchanged, moved (same text, new offsets), changed or disappeared. Exit status 1
    when any changed or disappeared.

    \b
    Example:
        citeqa ask --json "When was the dialogue held?" > answer.json
        citeqa verify answer.json
    """
    from citeqa.qa.verify import STATUSES, read_answers
    from citeqa.qa.verify import verify as run_verify

    try:
        answers = read_answers(answer_file)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    checks = run_verify(_library(ctx), answers)
    if as_json:
        click.echo(json.dumps([asdict(c) for c in checks], indent=2, ensure_ascii=False))
    else:
        for check in checks:
            colour = {"unchanged": "green", "moved": "yellow"}.get(check.status, "red")
            echo(Styled(f"{check.status:<11}", fg=colour), f" #{check.rank} {check.source_id}: {check.detail}")
        counts = {s: sum(1 for c in checks if c.status == s) for s in STATUSES}
        echo(", ".join(f"{n} {s}" for s, n in counts.items()))
    if any(c.status in ("changed", "disappeared") for c in checks):
        sys.exit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; others than loopback warn.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--max-upload", default=50, show_default=True, type=click.IntRange(1), help="Largest upload, in MB.")
@click.pass_context
def serve(ctx, host, port, max_upload):
    """Serve a local web page to ask, read cited passages in their sources, manage the sources
    and explore the audit, with its JSON API under /api (see the README). Opens nothing itself.

    \b
    Example:
        citeqa serve            # then open http://127.0.0.1:8000/
        citeqa serve --port 8080
    """
    from citeqa.qa.web.server import serve as run_server

    run_server(_library(ctx), host, port, max_upload * 2**20)


def _print_document(doc, chunk_count: int) -> None:
    echo(Styled(f"== {doc.path}", bold=True), f"  ({doc.kind}, {len(doc.text)} characters, {chunk_count} passages)")
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


def main() -> None:
    """Entry point of the ``citeqa`` console script."""
    cli(prog_name="citeqa")
