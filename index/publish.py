"""Making a build visible to readers in one step: the FAISS file of a new generation, and the
database a full build made aside.

Readers find the FAISS file by the name ``index.db`` records, so each generation is written
under a new name and named inside the build's transaction: until it commits, readers keep the
previous pair, and a build killed at any moment leaves that pair whole.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

from citeqa.index import vectors
from citeqa.index.embed import MODEL_NAME
from citeqa.index.store import Store


def last_generation(home: Path) -> int:
    """The highest generation number of any FAISS file in the library.

    Args:
        home: the library folder.

    Returns:
        The number (0 if there is no FAISS file), counting files a killed build left half-written.
    """
    numbers = [
        int(match.group(1))
        for path in home.glob("vectors-*.faiss*")
        if (match := re.fullmatch(r"vectors-(\d+)\.faiss(\.tmp)?", path.name))
    ]
    return max(numbers, default=0)


def publish_vectors(store: Store, home: Path) -> None:
    """Write the FAISS file for the chunks now in ``store`` and point the database at it.

    Called inside the build's transaction: the new file gets a new name, so readers keep using
    the previous one until the transaction commits and names the new one.

    Args:
        store: the database being built, inside its write transaction.
        home: the library folder, where the FAISS files live.
    """
    generation = int(store.get_meta("generation") or 0) + 1
    ids, embeddings = store.all_embeddings()
    name = f"vectors-{generation}.faiss"
    index, params = vectors.build_index(ids, embeddings)
    vectors.write_index(index, home / name)
    store.set_meta("vector_index", json.dumps(params))
    store.set_meta("generation", str(generation))
    store.set_meta("vectors_file", name)
    store.set_meta("model", MODEL_NAME)
    for old in [*home.glob("vectors-*.faiss"), *home.glob("vectors-*.faiss.tmp")]:
        # Keep the previous generation: a reader may have just read its name. A ``.tmp`` is
        # what a build killed while writing left behind.
        if old.name not in {name, f"vectors-{generation - 1}.faiss"}:
            old.unlink(missing_ok=True)


def swap_in(aside: Path, db_path: Path) -> None:
    """Make the database built at ``aside`` the index, in one step that readers see whole.

    SQLite's backup API copies it over ``index.db`` in one write transaction: readers keep
    their snapshot until it commits, and a kill before that leaves the old index. Replacing
    the file instead could pair the new file with the old one's write-ahead log, whose
    frames SQLite would then apply to it.

    Args:
        aside: the database a full build made; deleted once it is the index.
        db_path: the library's ``index.db``.
    """
    try:
        source, target = sqlite3.connect(aside), sqlite3.connect(db_path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    except sqlite3.DatabaseError:
        # Too damaged to be written through SQLite (the usual reason for --full), and so
        # unreadable to everyone: replace the file, with its log, which would corrupt the new one.
        for stale in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(aside, db_path)
    unlink_database(aside)


def unlink_database(path: Path) -> None:
    """Delete an SQLite database and the log files beside it.

    Args:
        path: the database file (it and its logs may be missing).
    """
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        part.unlink(missing_ok=True)
