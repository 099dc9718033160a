"""Rebuilding the index whenever the sources folder changes, by polling it.

Polling rather than OS file events: it works the same on every platform and file system
(network drives, containers), and a sources folder is small enough to list every second or two.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from citeqa.index.embed import Embedder
from citeqa.index.library import BuildReport, Library, LibraryError


def snapshot(library: Library) -> dict[str, tuple[int, int]]:
    """Name → (size, modification time in ns) of every file that decides what gets indexed."""
    # A library not made yet has no sources folder until its first build.
    sources = [*library.sources_dir.iterdir()] if library.sources_dir.is_dir() else []
    files = [*sources, library.home / "sources.json"]
    out = {}
    for path in files:
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if path.is_file():
            out[path.name] = (stat.st_size, stat.st_mtime_ns)
    return out


def watch(
    library: Library,
    on_build: Callable[[BuildReport], None],
    on_error: Callable[[str], None],
    interval: float = 2.0,
    stop: threading.Event | None = None,
    build: Callable[[], BuildReport] | None = None,
) -> None:
    """Build once, then again each time files appear in, change in or leave the sources folder.

    A change is acted on once the folder has looked the same for one whole interval, so a file
    still being copied in is not read half-written.

    Args:
        library: the library to keep up to date.
        on_build: receives the report of every build.
        on_error: receives the one-line message of a build that failed (watching goes on).
        interval: seconds between looks at the folder.
        stop: set it to end the watch (else it runs until interrupted).
        build: how to build (default ``library.build`` with one model kept loaded across builds).
    """
    stop = stop or threading.Event()
    if build is None:
        embedder = Embedder()

        def build():
            return library.build(embedder=embedder)

    built_for = None
    seen = snapshot(library)
    while True:
        if seen != built_for:
            try:
                on_build(build())
            except LibraryError as error:
                on_error(str(error))
            built_for = seen
        if stop.wait(interval):
            return
        current = snapshot(library)
        while current != seen and not stop.wait(interval):
            seen, current = current, snapshot(library)
        if stop.is_set():
            return
        seen = current
