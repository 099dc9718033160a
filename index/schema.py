"""The index database's schema, as numbered migrations (``PRAGMA user_version`` records how many
have run), and how a connection to it is opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from citeqa.corpus import tokens

#: Seconds a writer waits for another to finish: a reader bringing an old index's schema up to
#: date rebuilds its full-text table, which takes a while on a large library.
_WRITE_WAIT = 300

#: The schema, one script per version.
MIGRATIONS = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT,
        authors TEXT NOT NULL DEFAULT '[]',
        publisher TEXT,
        date TEXT,
        url TEXT,
        content_hash TEXT NOT NULL,
        meta_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        pages TEXT NOT NULL DEFAULT '[]',
        refs TEXT NOT NULL DEFAULT '[]',
        indexed_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE TABLE chunks (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        section TEXT,
        kind TEXT NOT NULL,
        page_start INTEGER,
        page_end INTEGER,
        text TEXT NOT NULL,
        sentences TEXT NOT NULL,
        embedding BLOB NOT NULL,
        sentence_embeddings BLOB NOT NULL
    );
    CREATE INDEX chunks_doc ON chunks(doc_id, ordinal);
    CREATE VIRTUAL TABLE chunks_fts USING fts5(
        text, section, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
    );
    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, text, section) VALUES (new.rowid, new.text, new.section);
    END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts(chunks_fts, rowid, text, section)
        VALUES ('delete', old.rowid, old.text, old.section);
    END;
    """,
    """
    ALTER TABLE documents ADD COLUMN ref_doc TEXT;
    ALTER TABLE documents ADD COLUMN ref_number INTEGER;
    ALTER TABLE documents ADD COLUMN ref_by TEXT;
    """,
    # 3: the full-text table holds each chunk's stemmed words (``tokens.terms``), written through
    # ``index_terms``, so the index and every comparison in Python stem alike: FTS5's porter
    # tokeniser and the Python side disagreed ("agencies"/"agency"). unicode61 only splits those
    # terms again; with diacritics kept, nothing changes them after Python. The chunk text is
    # stored once, in ``chunks``: this rebuilds the table from it without embedding again, and
    # can run twice (two readers of an old library may both start it).
    """
    DROP TRIGGER IF EXISTS chunks_ai;
    DROP TRIGGER IF EXISTS chunks_ad;
    DROP TABLE IF EXISTS chunks_fts;
    CREATE VIRTUAL TABLE chunks_fts USING fts5(text, section, tokenize='unicode61 remove_diacritics 0');
    INSERT INTO chunks_fts(rowid, text, section) SELECT rowid, index_terms(text), index_terms(section) FROM chunks;
    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts(rowid, text, section)
        VALUES (new.rowid, index_terms(new.text), index_terms(new.section));
    END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.rowid;
    END;
    """,
    # 4: the number each PDF page prints, where it is not the page's own (``Document.page_labels``).
    """
    ALTER TABLE documents ADD COLUMN page_labels TEXT NOT NULL DEFAULT '{}';
    """,
    # 5: the full-text table's terms again, as ``index_terms`` now writes them: British and
    # American spellings stem alike ("licence", "license"), and a question finds either.
    """
    DELETE FROM chunks_fts;
    INSERT INTO chunks_fts(rowid, text, section) SELECT rowid, index_terms(text), index_terms(section) FROM chunks;
    """,
    # 6: and again, now that decomposed text ("Kraków" written with a combining accent) is read
    # as whole words, not split at each accent.
    """
    DELETE FROM chunks_fts;
    INSERT INTO chunks_fts(rowid, text, section) SELECT rowid, index_terms(text), index_terms(section) FROM chunks;
    """,
]


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """Open a connection to the index database at ``path``, ``prepare``d, rows by column name.

    Args:
        path: the database file; created (empty, without the schema) when missing and writing.
        readonly: open without the right to write, as questions do.

    Returns:
        The connection; a writer's is in WAL mode and waits for another writer to finish.
    """
    if readonly:
        # As a URI, escaped: a '#', '?' or '%' in a folder's name would otherwise cut the path short.
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    else:
        db = sqlite3.connect(path, timeout=_WRITE_WAIT)
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.row_factory = sqlite3.Row
    prepare(db)
    return db


def prepare(db: sqlite3.Connection) -> None:
    """Give a connection the SQL function the schema's triggers call: ``index_terms(text)``, the
    text's stemmed content words (``tokens.terms``) separated by spaces (NULL stays NULL).

    Args:
        db: a connection to an index database.
    """
    db.create_function("index_terms", 1, _index_terms, deterministic=True)


def migrate(db: sqlite3.Connection) -> None:
    """Run the migrations the database has not had yet, each in one transaction.

    Args:
        db: a writable connection, ``prepare``d.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    # Transactions by hand, a statement at a time: executescript commits the one holding the lock.
    isolation, db.isolation_level = db.isolation_level, None
    try:
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            # IMMEDIATE: another process migrating at the same moment waits instead of failing;
            # then it finds the script run (two readers of an old library may both start bringing
            # it up to date) and skips it, rather than rewriting a whole full-text table again.
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("PRAGMA user_version").fetchone()[0] < number:
                    for statement in _statements(script):
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {number}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
    finally:
        db.isolation_level = isolation


def _statements(script: str) -> list[str]:
    """The SQL statements of ``script`` one by one, a trigger's body kept whole."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    return statements


def _index_terms(text: str | None) -> str | None:
    return None if text is None else " ".join(tokens.terms(text))
