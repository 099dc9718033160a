"""Downloading the works a source's reference list points to, so they can be indexed and cited.

Each reference is fetched on its own (``index.download``): a dead link, a slow server or an
oversized file is reported for that reference and never stops the others. What is saved is
checked by what it *is* (a PDF starts with ``%PDF`` whatever the server calls it), not only by the
Content-Type header; a download identical to a source already in the library, or to an earlier
download, is not added twice. The downloads are then added in one batch, as ``citeqa add
--manifest`` adds its files (``Library.add_each``), each linked to its reference.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from citeqa.index.download import FetchError, download
from citeqa.index.library import Entry, Library, LibraryError, Metadata
from citeqa.index.sources import slug

_HTML_TYPES = {"text/html", "application/xhtml+xml"}


class FetchStatus(str, Enum):
    """What became of one reference. A ``str``, so JSON shows the plain names."""

    FETCHED = "fetched"
    FAILED = "failed"
    #: Already in the library, or no URL to fetch.
    SKIPPED = "skipped"

    __str__ = str.__str__  # printed as "fetched", not "FetchStatus.FETCHED"


@dataclass
class Fetched:
    """What happened to one reference.

    Attributes:
        number: the reference's number; url: the URL tried.
        status: fetched, failed or skipped.
        detail: the reason for a failure or skip; for a fetch, what was saved and any note.
        source: the id the fetched file has in the library.
    """

    number: int
    url: str | None
    status: FetchStatus
    detail: str
    source: str | None = None


def fetch_references(
    library: Library,
    entries: list[Entry],
    timeout: float = 20.0,
    max_bytes: int = 50 * 2**20,
    retries: int = 2,
    backoff: float = 1.0,
    progress: bool = True,
) -> list[Fetched]:
    """Download the works ``entries`` point to and add them to the library, linked to their entry.

    Args:
        library: where the files go (the caller builds afterwards).
        entries: reference entries, e.g. ``library.references()``.
        timeout: seconds one download attempt may take in all: connecting, waiting and receiving.
        max_bytes: larger responses are abandoned.
        retries: further attempts after a connection error, a server that did not answer in
            time, or a busy server. A body cut off at the deadline is not retried: the server
            answers, only too slowly, and another attempt would cost as long.
        backoff: seconds before the first retry, doubled for each one after.
        progress: show which reference is downloading and how far it got on stderr, when stderr
            is a terminal (nothing is shown when it is piped).

    Returns:
        One ``Fetched`` per entry, in order. A download with the same content as a source already
        in the library, or as an earlier download, is skipped and names that source and the
        reference it belongs to. A download the library refuses (``Library.add_each``: unreadable,
        or its name taken) failed, with the library's reason.
    """
    status = _StatusLine(sys.stderr if progress else None)
    batch = _Batch(library, entries)
    with tempfile.TemporaryDirectory() as folder:
        for position, entry in enumerate(entries, 1):
            label = f"[{position}/{len(entries)}] reference [{entry.number}] {entry.url}"

            def show(text: str, label: str = label) -> None:
                status.show(f"{label}: {text}")

            get = functools.partial(
                download, timeout=timeout, max_bytes=max_bytes, retries=retries, backoff=backoff, progress=show
            )
            try:
                batch.fetch(entry, Path(folder) / str(position), get)
            finally:
                status.clear()
        if batch.pending:
            status.show(f"checking and adding {batch.pending} downloaded files")
            try:
                batch.add()
            finally:
                status.clear()
    return batch.results


class _StatusLine:
    """One line on a terminal, rewritten in place; silent when the stream is not a terminal."""

    def __init__(self, stream):
        self.stream = stream if stream is not None and stream.isatty() else None
        self._shown = 0.0

    def show(self, text: str) -> None:
        # A trickling server calls this for every byte: redraw at most ten times a second.
        if self.stream is None or time.monotonic() - self._shown < 0.1:
            return
        self._shown = time.monotonic()
        width = shutil.get_terminal_size().columns - 1
        # URLs come from the sources' reference lists: their control characters are shown, not sent.
        line = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
        self.stream.write("\r\x1b[K" + line[:width])
        self.stream.flush()

    def clear(self) -> None:
        if self.stream is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = 0.0


class _Batch:
    """One run over a reference list: each reference's ``Fetched`` record, in order, and the
    downloads saved to be added together."""

    def __init__(self, library: Library, entries: list[Entry]):
        self.library = library
        self.results: list[Fetched] = []
        self._known = _ContentIndex(library, entries)
        # Each saved download's entry, file and record, the record completed once the batch is added.
        self._saved: list[tuple[Entry, Path, Fetched]] = []
        # The first download of each content this run, and those that repeat one: (repeat, first).
        self._first: dict[str, Fetched] = {}
        self._repeats: list[tuple[Fetched, Fetched]] = []

    @property
    def pending(self) -> int:
        """How many downloads wait to be added."""
        return len(self._saved)

    def fetch(self, entry: Entry, folder: Path, get: Callable[[str], tuple[bytes, str, str | None]]) -> None:
        """Download the work ``entry`` points to and save it in ``folder`` to be added, or record why not.

        Args:
            entry: the reference.
            folder: a folder of its own for the file (two references may give the same name).
            get: ``download`` with the run's limits: the URL's ``(body, content type, note)``.
        """
        if entry.source:
            detail = f"already in the library as {entry.source}"
            self.results.append(Fetched(entry.number, entry.url, FetchStatus.SKIPPED, detail, entry.source))
            return
        if not entry.url:
            self.results.append(Fetched(entry.number, None, FetchStatus.SKIPPED, "the reference has no URL"))
            return
        try:
            body, content_type, note = get(entry.url)
            suffix = _suffix(body, content_type)
        except FetchError as error:
            self.results.append(Fetched(entry.number, entry.url, FetchStatus.FAILED, str(error)))
            return
        digest = hashlib.sha256(body).hexdigest()
        duplicate = self._known.find(len(body), digest)
        if duplicate:
            detail = f"same content as {duplicate[1]}; not added again"
            self.results.append(Fetched(entry.number, entry.url, FetchStatus.SKIPPED, detail, duplicate[0]))
            return
        path = folder / _file_name(entry, suffix)
        detail = f"saved {path.name} ({len(body):,} bytes)" + (f"; {note}" if note else "")
        fetched = Fetched(entry.number, entry.url, FetchStatus.FETCHED, detail)
        self.results.append(fetched)
        if digest in self._first:
            self._repeats.append((fetched, self._first[digest]))
            return
        self._first[digest] = fetched
        folder.mkdir()
        path.write_bytes(body)
        self._saved.append((entry, path, fetched))

    def add(self) -> None:
        """Add every saved download in one ``Library.add_each``, each linked to its reference, and
        complete the records: a file the library refuses failed, with the library's reason."""
        paths = [path for _, path, _ in self._saved]
        metadata = [Metadata(url=e.url, ref=e.number, ref_source=e.citing) for e, _, _ in self._saved]
        try:
            report = self.library.add_each(paths, metadata)
        except LibraryError as error:
            # The batch as a whole was refused (a build holds the library, or it cannot be written):
            # no file was judged, so none is called unusable.
            refused = {str(path): f"downloaded but not added: {error}" for path in paths}
        else:
            refused = {skip["path"]: f"downloaded but unusable: {skip['reason']}" for skip in report.skipped}
        ids = {Path(source.path).name: source.id for source in self.library.sources()}
        for _, path, fetched in self._saved:
            if str(path) in refused:
                fetched.status, fetched.detail = FetchStatus.FAILED, refused[str(path)]
            else:
                fetched.source = ids.get(path.name)
        for repeat, first in self._repeats:
            if first.status is FetchStatus.FETCHED:
                repeat.status, repeat.source = FetchStatus.SKIPPED, first.source
                repeat.detail = f"same content as reference [{first.number}] (source {first.source}); not added again"
            else:
                # The same bytes, so the same refusal.
                repeat.status, repeat.detail = FetchStatus.FAILED, first.detail


class _ContentIndex:
    """The library's sources by content, so a download identical to one of them is recognised."""

    def __init__(self, library: Library, entries: list[Entry]):
        self._library = library
        # Which reference each source belongs to, to name it when a duplicate turns up.
        self._reference = {e.source: e.number for e in entries if e.source}
        self._by_size: dict[int, list[tuple[str, Path]]] | None = None
        self._digests: dict[Path, str] = {}

    def find(self, size: int, digest: str) -> tuple[str, str] | None:
        """``(source id, description)`` of a source with exactly this content, if any.

        Args:
            size: the content's length in bytes.
            digest: its SHA-256, in hex.
        """
        if self._by_size is None:
            # Listed once per run, and only files of a download's size are ever read and hashed.
            self._by_size = {}
            for source in self._library.sources():
                path = Path(source.path)
                if path.is_file():
                    self._by_size.setdefault(path.stat().st_size, []).append((source.id, path))
        for source, path in self._by_size.get(size, []):
            if path not in self._digests:
                self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            if self._digests[path] == digest:
                number = self._reference.get(source)
                return source, (f"reference [{number}] (source {source})" if number else f"source {source}")
        return None


def _file_name(entry: Entry, suffix: str) -> str:
    """The name a downloaded reference is saved under: its number and title (or URL) as a slug,
    which the source's id then follows."""
    # 60 characters at most: a file name holds 255 bytes, and a letter takes up to 4 in UTF-8.
    name = slug(entry.title or entry.url)[:60].rstrip("-") or "source"
    return f"ref-{entry.number}-{name}{suffix}"


def _suffix(body: bytes, content_type: str) -> str:
    """The file suffix for what the body is; the Content-Type is only trusted when the bytes agree."""
    if body[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in body[:1024]:
        return ".pdf"
    if content_type == "application/pdf":
        raise FetchError("served as a PDF but the content is not one")
    head = body[:4096].lower()
    if content_type in _HTML_TYPES or b"<html" in head or b"<!doctype html" in head:
        return ".html"
    raise FetchError(f"unsupported content type {content_type}")
