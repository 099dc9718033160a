"""Checks of a library's files: can they be written, and do they still hold what was indexed.

A build that finds a read-only ``index.db`` or a full disk only after loading the model (seconds)
and embedding (minutes) has wasted the user's time, and ``add`` would already have copied the
file in. These checks run first and fail with one line naming the path, the cause and the repair.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from citeqa.index.errors import LibraryError

#: Free space a build needs besides what it adds: a new generation of the FAISS file, SQLite's
#: write-ahead log and the ONNX export of the query encoder (about 90 MB) together stay below it.
MIN_FREE_BYTES = 256 * 2**20


class NotWritableError(LibraryError):
    """A file or folder of the library cannot be written."""


class DiskFullError(LibraryError):
    """The library's disk has too little free space for the operation."""


def ensure_writable(home: Path, adding: list[str | Path] = ()) -> None:
    """Refuse, before anything is changed, a library that cannot be written or has no room.

    Args:
        home: the library folder (which need not exist yet).
        adding: files the operation copies into the library; their size is needed besides a build's.

    Raises:
        NotWritableError: the library folder, its sources folder, or one of its index files is
            read-only (permissions, an immutable file or a read-only file system); for a library
            not made yet, the folder it would be made in.
        DiskFullError: the disk holding the library has less free space than the build needs.
    """
    home = Path(home)
    # A library not made yet is made inside its nearest existing folder, so that one must take it.
    base = next(folder for folder in (home, *home.parents) if folder.is_dir())
    for folder in (base, home / "sources"):
        if folder.is_dir():
            _probe_folder(folder)
    for name in ("index.db", "index.db-wal", "index.db-shm", "sources.json", "build.lock"):
        if (home / name).is_file():
            _probe_file(home / name)
    need = MIN_FREE_BYTES + sum(Path(p).stat().st_size for p in adding if Path(p).is_file())
    free = shutil.disk_usage(base).free
    if free < need:
        raise DiskFullError(
            f"{home}: only {free / 2**20:.0f} MB free on its disk, and this needs {need / 2**20:.0f} MB; "
            "free some space and retry (nothing was changed)"
        )


def _probe_folder(folder: Path) -> None:
    # Trying is the only reliable test: os.access says yes to root on a read-only mount or an
    # immutable folder.
    try:
        handle, probe = tempfile.mkstemp(prefix=".write-check-", dir=folder)
    except OSError as error:
        raise _not_writable(folder, error) from None
    os.close(handle)
    os.unlink(probe)


def _probe_file(path: Path) -> None:
    try:
        with open(path, "r+b"):
            pass
    except OSError as error:
        raise _not_writable(path, error) from None


def _not_writable(path: Path, error: OSError) -> LibraryError:
    if error.errno == errno.ENOSPC:
        return DiskFullError(f"{path}: no space left on its disk; free some space and retry (nothing was changed)")
    return NotWritableError(
        f"{path}: cannot be written ({error.strerror}); make it writable, or give another library "
        "with --home (nothing was changed)"
    )


def file_state(sources_dir: Path, indexed_path: str, content_hash: str) -> str | None:
    """Whether a source's file still holds the content the index was built from.

    Files can be edited or deleted behind citeqa's back; until the next build the index still
    cites the old text.

    Args:
        sources_dir: the library's sources folder.
        indexed_path: the path the index records for the source (only its name is used, so a
            library that was moved or copied is still checked against its own files).
        content_hash: the SHA-256 of the file's bytes when it was indexed.

    Returns:
        ``None`` when the file is unchanged, else ``"deleted"`` or ``"edited"``.
    """
    path = Path(sources_dir) / Path(indexed_path).name
    try:
        return None if file_hash(path) == content_hash else "edited"
    except FileNotFoundError:
        return "deleted"


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks: the content hash the index records."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_stamp(path: Path) -> list[int] | None:
    """A file's size and modification time, which tell it from an edited copy without reading it.

    Returns:
        ``[size, mtime in ns]``, or ``None`` when the file is gone.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]
