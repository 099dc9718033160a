"""One checked ONNX export per machine, shared by every library on it.

Exporting imports torch and traces the model: several seconds, most of a new library's first
build. The export depends only on the model's weights, so once a library has made one that
passed its parity check, it is kept in the user's cache (``$XDG_CACHE_HOME/citeqa``, by default
``~/.cache/citeqa``) under the weights' fingerprint, and a new library takes it instead: as hard
links where the file system allows (every file is replaced whole, never written in place, so a
link cannot change under another library), else as a copy. A library then costs no disk for its
export, where a copy cost each one 90 MB. What it takes is trusted as a library's own export is:
only while its files match the hashes recorded when it passed. The cache is a convenience: when
it cannot be read or written, libraries export as before.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from citeqa.index import onnx
from citeqa.index.checks import file_hash

#: The files an export consists of, besides its status record.
FILES = (onnx.MODEL_FILE, onnx.WEIGHTS_FILE, onnx.TOKENIZER_FILE, onnx.WORDS_FILE)


def file_hashes(folder: Path) -> dict[str, str | None]:
    """SHA-256 of each export file in ``folder`` (``None`` for a missing one).

    Args:
        folder: a library home or a cached export.

    Returns:
        ``{file name: hex digest or None}`` for ``FILES``.
    """
    out = {}
    for name in FILES:
        try:
            out[name] = file_hash(folder / name)
        except FileNotFoundError:
            out[name] = None
    return out


def cached(weights: str) -> Path:
    """The cache folder of the export of the weights whose fingerprint is ``weights``, in the
    current layout (``onnx.FORMAT``): citeqa versions of other layouts keep their own exports
    rather than replacing each other's."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "citeqa" / f"onnx-{weights[:16]}-layout{onnx.FORMAT}"


def restore(home: Path, weights: str) -> dict | None:
    """Link (or copy) the cached, checked export of these weights into ``home``, if there is one intact.

    Args:
        home: the library folder.
        weights: the fingerprint of the model's weights (``onnx.fingerprint``).

    Returns:
        The status record to write into ``home``, or ``None`` when nothing usable is cached.
    """
    folder = cached(weights)
    status = onnx.read_status(folder)
    if not status or not status.get("usable") or status.get("fingerprint") != weights:
        return None
    if status.get("format") != onnx.FORMAT:
        return None
    try:
        if status.get("files") != file_hashes(folder):
            return None
        for name in FILES:
            place(folder / name, home / name)
    except OSError:
        return None
    # Checked again where it landed: a copy cut short by a full disk must not be trusted.
    return status if file_hashes(home) == status["files"] else None


def keep(home: Path, status: dict) -> None:
    """Put ``home``'s checked export into the cache for the next new library (best effort).

    Args:
        home: the library folder holding an export that passed its parity check.
        status: its status record, with the files' hashes.
    """
    folder = cached(status["fingerprint"])
    tmp = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    try:
        if onnx.read_status(folder) == status and file_hashes(folder) == status["files"]:
            return
        tmp.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            place(home / name, tmp / name)
        onnx.write_status(tmp, status)
        shutil.rmtree(folder, ignore_errors=True)
        # The whole folder appears at once: a reader sees the old export, none, or the new one.
        os.replace(tmp, folder)
    except OSError:
        pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def place(source: Path, target: Path) -> None:
    """Put ``source`` at ``target`` whole: a hard link, else (another file system, or one without
    links) a copy, made under a temporary name and renamed into place."""
    tmp = target.parent / f".{target.name}.tmp"
    try:
        tmp.unlink(missing_ok=True)
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
