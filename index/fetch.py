"""Downloading the works a source's reference list points to, so they can be indexed and cited.

Each reference is fetched on its own: a dead link, a slow server or an oversized file is reported
for that reference and never stops the others. What is saved is checked by what it *is* (a PDF
starts with ``%PDF`` whatever the server calls it), not only by the Content-Type header.
"""

from __future__ import annotations

import re
import socket
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from corpus.model import ExtractionError
from index.library import Entry, Library, LibraryError, Metadata, doc_id_for

USER_AGENT = "citeqa (reference fetcher; +https://github.com/citeqa)"
#: Statuses worth another try: the server is busy or briefly broken, not refusing for good.
RETRY_STATUSES = {429, 500, 502, 503, 504}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}


@dataclass
class Fetched:
    """What happened to one reference.

    Attributes:
        number: the reference's number; url: the URL tried.
        status: ``"fetched"``, ``"failed"`` or ``"skipped"`` (already in the library, or no URL).
        detail: the reason for a failure or skip; for a fetch, what was saved and any note.
        source: the id the fetched file has in the library.
    """

    number: int
    url: str | None
    status: str
    detail: str
    source: str | None = None


class FetchError(Exception):
    """One reference could not be downloaded; the message says why in a few words."""


def fetch_references(
    library: Library,
    entries: list[Entry],
    timeout: float = 20.0,
    max_bytes: int = 50 * 2**20,
    retries: int = 2,
    backoff: float = 1.0,
) -> list[Fetched]:
    """Download the works ``entries`` point to and add them to the library, linked to their entry.

    Args:
        library: where the files go (the caller builds afterwards).
        entries: reference entries, e.g. ``library.references()``.
        timeout: seconds to wait for the server on each attempt.
        max_bytes: larger responses are abandoned.
        retries: further attempts after a connection error, a timeout or a busy server.
        backoff: seconds before the first retry, doubled for each one after.

    Returns:
        One ``Fetched`` per entry, in order.
    """
    results = []
    for entry in entries:
        if entry.source:
            results.append(Fetched(entry.number, entry.url, "skipped", f"already in the library as {entry.source}", entry.source))
            continue
        if not entry.url:
            results.append(Fetched(entry.number, None, "skipped", "the reference has no URL"))
            continue
        try:
            body, content_type, note = download(entry.url, timeout, max_bytes, retries, backoff)
            suffix = _suffix(body, content_type)
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"ref-{entry.number}-{_slug(entry.title or entry.url)}{suffix}"
                path.write_bytes(body)
                (saved,) = library.add([path], Metadata(url=entry.url, ref=entry.number, ref_source=entry.citing))
        except FetchError as error:
            results.append(Fetched(entry.number, entry.url, "failed", str(error)))
            continue
        except (ExtractionError, LibraryError) as error:
            reason = error.reason if isinstance(error, ExtractionError) else str(error)
            results.append(Fetched(entry.number, entry.url, "failed", f"downloaded but unusable: {reason}"))
            continue
        detail = f"saved {saved.name} ({len(body):,} bytes)" + (f"; {note}" if note else "")
        results.append(Fetched(entry.number, entry.url, "fetched", detail, doc_id_for(saved.name)))
    return results


def download(url: str, timeout: float, max_bytes: int, retries: int, backoff: float) -> tuple[bytes, str, str | None]:
    """GET ``url`` following redirects, with retries and a size cap.

    Returns:
        ``(body, content type, note)``; the note says when the URL redirected elsewhere.

    Raises:
        FetchError: not http(s), a 4xx status, too large, an unusable content type, or every
            attempt failed.
    """
    if not re.match(r"https?://", url, re.IGNORECASE):
        raise FetchError("only http and https URLs are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf;q=0.9,*/*;q=0.5"})
    last = ""
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                content_type = response.headers.get_content_type()
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise FetchError(f"too large ({int(length) / 2**20:.1f} MB; limit {max_bytes / 2**20:.0f} MB)")
                body = response.read(max_bytes + 1)
                if len(body) > max_bytes:
                    raise FetchError(f"too large (over the {max_bytes / 2**20:.0f} MB limit)")
                note = f"redirected to {response.url}" if response.url != url else None
                return body, content_type, note
        except urllib.error.HTTPError as error:
            if error.code not in RETRY_STATUSES:
                raise FetchError(f"HTTP {error.code} {error.reason}") from None
            last = f"HTTP {error.code} {error.reason}"
        except (socket.timeout, TimeoutError):
            last = f"timed out after {timeout:g} s"
        except urllib.error.URLError as error:
            reason = error.reason
            last = f"timed out after {timeout:g} s" if isinstance(reason, (socket.timeout, TimeoutError)) else f"cannot connect ({reason})"
        except (ConnectionError, OSError) as error:
            last = f"connection failed ({error})"
    tries = f"{retries + 1} attempt" + ("s" if retries else "")
    raise FetchError(f"{last} ({tries})")


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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "source"
