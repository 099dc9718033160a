"""Reading a library's index: whether one was built, what it holds, and opening it to answer from.

A library with no index yet, or no folder yet, reads as one holding nothing.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from citeqa.index.errors import LibraryError
from citeqa.index.store import DamagedDatabaseError, Store, StoredDocument
from citeqa.index.vectors import DamagedIndexError, read_index

#: How a damaged index is repaired, for the messages that report one.
REPAIR = "run 'citeqa build --full' to rebuild it from the sources"


def indexed_documents(db_path: Path) -> list[StoredDocument]:
    """The documents the index holds.

    Args:
        db_path: the library's ``index.db``.

    Returns:
        The documents; none when there is no index or it is damaged (opening it for answers
        says so).
    """
    if not db_path.exists():
        return []
    try:
        store = Store(db_path, readonly=True)
    except DamagedDatabaseError:
        return []
    try:
        return store.documents()
    except sqlite3.DatabaseError:
        return []
    finally:
        store.close()


def is_built(db_path: Path) -> bool:
    """Whether a build has completed in the library.

    Args:
        db_path: the library's ``index.db``.

    Returns:
        True once a build has completed, and for a damaged database (so that opening it reports the
        damage instead of a build starting unasked).
    """
    if not db_path.exists():
        return False
    try:
        store = Store(db_path, readonly=True)
    except DamagedDatabaseError:
        return True
    try:
        return store.get_meta("vectors_file") is not None
    finally:
        store.close()


def last_build(db_path: Path) -> tuple[dict[str, str], dict[str, list[int] | None]]:
    """What the last build took in and left out, read without the documents' texts.

    Args:
        db_path: the library's ``index.db``.

    Returns:
        ``(held, skipped)``: the file name of each indexed document by id, and each file the
        build skipped (it said why) by name, with its size and modification time then (see
        ``checks.file_stamp``); both empty before a build.
    """
    if not db_path.exists():
        return {}, {}
    try:
        store = Store(db_path, readonly=True)
    except DamagedDatabaseError:
        return {}, {}
    try:
        held = {doc_id: Path(path).name for doc_id, path in store.document_paths().items()}
        skipped = json.loads(store.get_meta("skipped") or "{}")
        # A build before size and time were kept recorded names only: unknown stamps, not news.
        return held, dict.fromkeys(skipped) if isinstance(skipped, list) else skipped
    except sqlite3.DatabaseError:
        return {}, {}
    finally:
        store.close()


def open_index(home: Path, db_path: Path) -> tuple[Store, object]:
    """Open the last complete index for reading.

    Args:
        home: the library folder, where the FAISS files live.
        db_path: the library's ``index.db``.

    Returns:
        ``(store, faiss_index)``; the caller closes the store, whose ``vectors_file`` names the
        FAISS file read (the generation its rowids belong to).

    Raises:
        LibraryError: there is no index yet, or it is damaged (the message says how to repair).
    """
    if not db_path.exists():
        raise LibraryError(f"{home}: no index yet; run 'citeqa build'")
    try:
        store = Store(db_path, readonly=True)
        # One read transaction: a build committing between the two reads would pair one
        # generation's FAISS file name with the other's passage count (a false "damaged").
        store.db.execute("BEGIN")
        try:
            name = store.get_meta("vectors_file")
            count = store.chunk_count() if name is not None else 0
        finally:
            store.db.rollback()
        if name is None:
            store.close()
            raise LibraryError(f"{home}: no index yet; run 'citeqa build'")
        store.vectors_file = name
        return store, read_index(home / name, count)
    except (DamagedDatabaseError, DamagedIndexError) as error:
        raise LibraryError(f"{error}; {REPAIR}") from None
    except sqlite3.DatabaseError as error:
        raise LibraryError(f"{db_path}: index database is damaged ({error}); {REPAIR}") from None
