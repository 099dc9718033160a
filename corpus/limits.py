"""Extraction with a bounded cost: every file gets a time and a memory limit, or is skipped.

A hostile or broken file (a page nested 100k levels deep, a 50 MB line of text, a PDF whose
streams never end) must cost the library only itself. :func:`extract_bounded` runs
:func:`corpus.extract` in a worker process whose address space is capped (``RLIMIT_AS``) and
which is killed when it overruns its deadline; the file is then refused with the reason.

One worker serves every file of a process (a build of a thousand files starts it once), so the
common case costs a pipe round trip, not a process start. A worker that was killed, ran out of
memory or grew large is replaced for the next file, so one file's damage never carries over.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

from citeqa.corpus.model import Document, ExtractionError

#: Default wall-clock seconds one file may take to extract.
SECONDS = 60.0
#: Default memory one extraction may use, in MB above what the worker holds when idle.
MEGABYTES = 2048

_HEADER = struct.Struct("!Q")
_lock = threading.Lock()
_worker: _Worker | None = None


def extract_bounded(path: str | Path, seconds: float | None = None, megabytes: int | None = None) -> Document:
    """Extract one file as :func:`corpus.extract` does, within a time and a memory limit.

    Args:
        path: the file to extract.
        seconds: wall-clock limit for this file (default :data:`SECONDS`).
        megabytes: memory limit for this file (default :data:`MEGABYTES`). Enforced on Linux.

    Returns:
        The extracted ``Document``.

    Raises:
        ExtractionError: everything :func:`corpus.extract` raises, and "extraction took longer
            than N s", "extraction needed more than N MB" or "extraction crashed (...)".
    """
    global _worker
    seconds = SECONDS if seconds is None else seconds
    megabytes = MEGABYTES if megabytes is None else megabytes
    with _lock:
        if _worker is None:
            _worker = _Worker()
            if not _worker.usable:
                _worker.stop()
                _worker = None
                raise ExtractionError(str(path), "the extraction process could not start")
        worker = _worker
        try:
            outcome = worker.run(os.fspath(path), seconds, megabytes)
        finally:
            if not worker.usable:
                worker.stop()
                _worker = None
    kind, value = outcome
    if kind == "document":
        return value
    raise ExtractionError(str(path), value)


def _shutdown() -> None:
    """Let the worker go when the process exits (it would also leave on its own at EOF)."""
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


atexit.register(_shutdown)


class _Worker:
    """One extraction process, spoken to over its stdin and stdout with length-prefixed pickles."""

    def __init__(self):
        # Its stderr is discarded: libraries under a memory limit print "Exception ignored"
        # noise there, and every outcome the user needs comes back as the reply.
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from citeqa.corpus.limits import _serve; _serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.usable = True
        # Wait for the worker's imports here, so their cost never counts against a file's time.
        self.usable = _receive(self.process.stdout.fileno(), None) == ("ready", None)

    def run(self, path: str, seconds: float, megabytes: int) -> tuple[str, object]:
        """``("document", Document)`` or ``("error", reason)``; marks the worker unusable after
        a kill, a crash, or a reply that asks for retirement."""
        # Unusable until a whole reply is back: a worker interrupted mid-file (Ctrl-C in a long
        # `watch`) would otherwise hand this file's reply to the next one.
        self.usable = False
        try:
            _send(self.process.stdin, (os.getcwd(), path, seconds, megabytes))
            reply = _receive(self.process.stdout.fileno(), time.monotonic() + seconds)
        except BrokenPipeError:
            reply = None
        if reply == "timeout":
            self.usable = False
            return "error", f"extraction took longer than {seconds:g} s"
        if reply is None:
            self.usable = False
            return "error", self._crash()
        kind, value, retire = reply
        self.usable = not retire
        return kind, value

    def _crash(self) -> str:
        """Why the worker died without answering."""
        code = self.process.wait()
        if code < 0:
            return f"extraction crashed (killed by {signal.Signals(-code).name})"
        return f"extraction crashed (exit status {code})"

    def stop(self) -> None:
        """End the worker: at once if it is busy, by closing its input if it is idle."""
        if self.process.poll() is None and not self.usable:
            self.process.kill()
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def _send(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(fd: int, deadline: float | None):
    """The next message on ``fd``; ``"timeout"`` if none began before ``deadline``, ``None`` at EOF.

    Only the wait for the first byte is timed: the worker writes a reply only once it is done.
    """
    if deadline is not None:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return "timeout"
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    body = _read_exactly(fd, _HEADER.unpack(header)[0])
    return None if body is None else pickle.loads(body)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (what RLIMIT_AS limits), or None off Linux."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def _serve() -> None:
    """The worker's loop: extract each requested file under its limits and reply."""
    import importlib
    import resource

    from citeqa import corpus

    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library that prints must not corrupt the replies (stderr is discarded)
    # The parent handles Ctrl-C; the worker only needs to notice its input closing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Import every reader's libraries now, so no file's memory limit pays for them.
    for name in ("citeqa.corpus.text", "citeqa.corpus.html", "citeqa.corpus.pdf", "trafilatura", "bs4", "pypdf"):
        importlib.import_module(name)
    baseline = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    _send(replies, ("ready", None))
    requests = os.fdopen(0, "rb")
    while True:
        header = requests.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        cwd, path, seconds, megabytes = pickle.loads(requests.read(_HEADER.unpack(header)[0]))
        os.chdir(cwd)
        if baseline is not None:
            limit = baseline + megabytes * 2**20
            resource.setrlimit(
                resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
            )
        # A backstop: if the parent is killed mid-file, nobody else would stop this worker.
        signal.alarm(int(seconds) + 5)
        retire = False
        try:
            reply = ("document", corpus.extract(path))
        except ExtractionError as error:
            out_of_memory = isinstance(error.__context__, MemoryError)
            reply = ("error", f"extraction needed more than {megabytes} MB" if out_of_memory else error.reason)
            retire = out_of_memory
        except MemoryError:
            reply, retire = ("error", f"extraction needed more than {megabytes} MB"), True
        signal.alarm(0)
        # Lifted between files: replying and exiting need memory of their own.
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        # Freed memory is rarely returned to the system, so a worker that grew is replaced
        # rather than leaving the next file less room than its limit.
        now = _address_space()
        retire = retire or (baseline is not None and now is not None and now > baseline + megabytes * 2**19)
        _send(replies, (*reply, retire))
        if retire:
            return
