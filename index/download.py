"""Downloading one URL for the reference fetcher (``index.fetch``), with retries, a size cap and
a deadline.

Each download attempt has a total deadline, not only one per read, so a server that trickles a
byte at a time cannot hold a reference for long.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import urllib.error
import urllib.request

from citeqa.errors import CiteqaError

USER_AGENT = "citeqa (reference fetcher; +https://github.com/citeqa)"
#: Statuses worth another try: the server is busy or briefly broken, not refusing for good.
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(CiteqaError):
    """One reference could not be downloaded; the message says why in a few words."""


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
                # ASCII digits only: int() also reads "²" or "١٢", which a header should not hold.
                length = length if length and length.isascii() and length.isdigit() else None
                if length and int(length) > max_bytes:
                    raise FetchError(f"too large ({int(length) / 2**20:.1f} MB; limit {max_bytes / 2**20:.0f} MB)")
                total = int(length) if length else None
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
