"""Downloading the works a source's reference list points to, so they can be indexed and cited.

Each reference is fetched on its own: a dead link, a slow server or an oversized file is reported
for that reference and never stops the others. Each download attempt has a total deadline, not
only one per read, so a server that trickles a byte at a time cannot hold a reference for long.
What is saved is checked by what it *is* (a PDF starts with ``%PDF`` whatever the server calls
it), not only by the Content-Type header; a download identical to a source already in the library
is not added twice.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from citeqa.corpus.model import ExtractionError
from citeqa.errors import CiteqaError
from citeqa.index.library import Entry, Library, LibraryError, Metadata
from citeqa.index.sources import slug

USER_AGENT = "citeqa (reference fetcher; +https://github.com/citeqa)"
#: Statuses worth another try: the server is busy or briefly broken, not refusing for good.
RETRY_STATUSES = {429, 500, 502, 503, 504}
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


class FetchError(CiteqaError):
    """One reference could not be downloaded; the message says why in a few words."""


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
        in the library is skipped and names that source and the reference it belongs to.
    """
    status = _StatusLine(sys.stderr if progress else None)
    known = _ContentIndex(library, entries)
    results = []
    for position, entry in enumerate(entries, 1):
        if entry.source:
            results.append(
                Fetched(
                    entry.number,
                    entry.url,
                    FetchStatus.SKIPPED,
                    f"already in the library as {entry.source}",
                    entry.source,
                )
            )
            continue
        if not entry.url:
            results.append(Fetched(entry.number, None, FetchStatus.SKIPPED, "the reference has no URL"))
            continue
        label = f"[{position}/{len(entries)}] reference [{entry.number}] {entry.url}"

        def show(text: str, label: str = label) -> None:
            status.show(f"{label}: {text}")

        try:
            body, content_type, note = download(entry.url, timeout, max_bytes, retries, backoff, show)
            suffix = _suffix(body, content_type)
            duplicate = known.find(body)
            if duplicate:
                detail = f"same content as {duplicate[1]}; not added again"
                results.append(Fetched(entry.number, entry.url, FetchStatus.SKIPPED, detail, duplicate[0]))
                continue
            status.show(f"{label}: checking the file")
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / _file_name(entry, suffix)
                path.write_bytes(body)
                (saved,) = library.add([path], Metadata(url=entry.url, ref=entry.number, ref_source=entry.citing))
        except FetchError as error:
            results.append(Fetched(entry.number, entry.url, FetchStatus.FAILED, str(error)))
            continue
        except (ExtractionError, LibraryError) as error:
            reason = error.reason if isinstance(error, ExtractionError) else str(error)
            results.append(Fetched(entry.number, entry.url, FetchStatus.FAILED, f"downloaded but unusable: {reason}"))
            continue
        finally:
            status.clear()
        source = _source_id(library, saved.name)
        known.remember(saved, source, entry.number)
        detail = f"saved {saved.name} ({len(body):,} bytes)" + (f"; {note}" if note else "")
        results.append(Fetched(entry.number, entry.url, FetchStatus.FETCHED, detail, source))
    return results


def download(
    url: str, timeout: float, max_bytes: int, retries: int, backoff: float, progress=None
) -> tuple[bytes, str, str | None]:
    """GET ``url`` following redirects, with retries, a size cap and a deadline per attempt.

    Args:
        url: an http or https URL.
        timeout: seconds one attempt may take in all (connecting, headers and body).
        max_bytes: larger responses are abandoned.
        retries: further attempts after a connection error, no answer in time or a busy server.
        backoff: seconds before the first retry, doubled for each one after.
        progress: called with a short text ("12 kB of 80 kB, 3 s") as the download advances.

    Returns:
        ``(body, content type, note)``; the note says when the URL redirected elsewhere.

    Raises:
        FetchError: not http(s), a 4xx status, too large, a body not received within
            ``timeout``, or every attempt failed.
    """
    if not re.match(r"https?://", url, re.IGNORECASE):
        raise FetchError("only http and https URLs are fetched")
    report = progress or (lambda text: None)
    last = ""
    for attempt in range(retries + 1):
        if attempt:
            report(f"retrying ({last})")
            time.sleep(backoff * 2 ** (attempt - 1))
        report("connecting" if not attempt else f"connecting, attempt {attempt + 1}")
        got, last = _attempt(url, timeout, max_bytes, report)
        if got is not None:
            return got
    tries = f"{retries + 1} attempt" + ("s" if retries else "")
    raise FetchError(f"{last} ({tries})")


def _attempt(url: str, timeout: float, max_bytes: int, report) -> tuple[tuple[bytes, str, str | None] | None, str]:
    """One GET of ``url``, cut off ``timeout`` seconds after it began (see ``download``).

    Returns:
        ``((body, content type, note), "")`` when the whole body arrived in time, else
        ``(None, why it failed)`` when another attempt may fare better.

    Raises:
        FetchError: a failure another attempt would meet too.
    """
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf;q=0.9,*/*;q=0.5"}
    )
    received = None  # bytes of body so far, once the server has answered
    with _Deadline(timeout) as deadline:
        try:
            with _opener(deadline).open(request, timeout=timeout) as response:
                content_type = response.headers.get_content_type()
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise FetchError(f"too large ({int(length) / 2**20:.1f} MB; limit {max_bytes / 2**20:.0f} MB)")
                total = int(length) if length and length.isdigit() else None
                parts, received = [], 0
                while chunk := response.read1(65536):
                    parts.append(chunk)
                    received += len(chunk)
                    if received > max_bytes:
                        raise FetchError(f"too large (over the {max_bytes / 2**20:.0f} MB limit)")
                    report(_amount(received, total, deadline.elapsed()))
                if not deadline.expired:
                    note = f"redirected to {response.url}" if response.url != url else None
                    return (b"".join(parts), content_type, note), ""
        except urllib.error.HTTPError as error:
            if error.code not in RETRY_STATUSES:
                raise FetchError(f"HTTP {error.code} {error.reason}") from None
            return None, f"HTTP {error.code} {error.reason}"
        except FetchError:
            raise
        except TimeoutError:
            why = f"timed out after {timeout:g} s"
        except urllib.error.URLError as error:
            reason = error.reason
            why = (
                f"timed out after {timeout:g} s"
                if isinstance(reason, (socket.timeout, TimeoutError))
                else f"cannot connect ({reason})"
            )
        except (ConnectionError, OSError, http.client.HTTPException) as error:
            why = f"connection failed ({error})"
    # The deadline cuts the connection, which surfaces as whatever error the read was in.
    if deadline.expired and received is not None:
        raise FetchError(f"download took longer than {timeout:g} s ({received:,} bytes received)")
    return None, f"timed out after {timeout:g} s" if deadline.expired else why


class _Deadline:
    """Cuts a download's connections when its time is up, whatever they are waiting for.

    A socket timeout only limits each read, and a server sending a byte a second never trips
    it; shutting the socket down from a timer ends the read at once, at any stage.
    """

    def __init__(self, seconds: float):
        self.expired = False
        self._start = time.monotonic()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def elapsed(self) -> float:
        return time.monotonic() - self._start

    def watch(self, sock: socket.socket) -> None:
        """Cut ``sock`` at the deadline (at once if it has passed)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _cut(sock)


def _cut(sock: socket.socket) -> None:
    try:
        # The plain socket's shutdown, also for TLS: it wakes a blocked read without touching
        # the TLS state another thread is using.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: that download is over anyway


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """A urllib opener whose every connection (redirects included) ``deadline`` can cut."""

    class Connection(http.client.HTTPConnection):
        def connect(self):
            super().connect()
            deadline.watch(self.sock)

    class SecureConnection(http.client.HTTPSConnection):
        def connect(self):
            super().connect()
            deadline.watch(self.sock)

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(SecureConnection, req, context=self._context)

    return urllib.request.build_opener(Handler, SecureHandler)


def _amount(received: int, total: int | None, seconds: float) -> str:
    """``"120 kB of 2.0 MB, 4 s"``: what a progress line says of a download under way."""

    def size(n: int) -> str:
        return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.0f} kB" if n >= 1024 else f"{n} bytes"

    return f"{size(received)}" + (f" of {size(total)}" if total else "") + f", {seconds:.0f} s"


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


class _ContentIndex:
    """The library's sources by content, so a download identical to one of them is recognised."""

    def __init__(self, library: Library, entries: list[Entry]):
        self._library = library
        # Which reference each source belongs to, to name it when a duplicate turns up.
        self._reference = {e.source: e.number for e in entries if e.source}
        self._by_size: dict[int, list[tuple[str, Path]]] | None = None
        self._digests: dict[Path, str] = {}

    def find(self, body: bytes) -> tuple[str, str] | None:
        """``(source id, description)`` of a source with exactly this content, if any."""
        if self._by_size is None:
            # Listed once per run, and only files of a download's size are ever read and hashed.
            self._by_size = {}
            for source in self._library.sources():
                path = Path(source.path)
                if path.is_file():
                    self._by_size.setdefault(path.stat().st_size, []).append((source.id, path))
        digest = hashlib.sha256(body).hexdigest()
        for source, path in self._by_size.get(len(body), []):
            if path not in self._digests:
                self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            if self._digests[path] == digest:
                number = self._reference.get(source)
                return source, (f"reference [{number}] (source {source})" if number else f"source {source}")
        return None

    def remember(self, path: Path, source: str, number: int) -> None:
        """Note a download just added, so a later reference to the same content is recognised."""
        self._reference[source] = number
        if self._by_size is not None:
            self._by_size.setdefault(path.stat().st_size, []).append((source, path))


def _source_id(library: Library, name: str) -> str | None:
    """The id the library gives the source file ``name``."""
    return next((s.id for s in library.sources() if Path(s.path).name == name), None)


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
