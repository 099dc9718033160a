"""The SQLite database: documents, chunks with their embeddings, and an FTS5 table over the
chunks' stemmed words (the schema is in ``index.schema``)."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from pathlib import Path

import numpy as np

from citeqa.corpus import tokens
from citeqa.corpus.capitals import SAME_GOVERNMENT
from citeqa.corpus.model import Chunk
from citeqa.errors import CiteqaError
from citeqa.index import schema
from citeqa.index.embed import DIMENSION
from citeqa.index.records import StoredChunk, StoredDocument


class DamagedDatabaseError(CiteqaError):
    """The database file cannot be read as a citeqa index; the message says how to repair it."""


# The texts of the chunks an FTS5 query matches.
_TEXTS_MATCHING = "SELECT c.text FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid WHERE chunks_fts MATCH ?"


class Store:
    """One SQLite index database.

    Args:
        path: the database file; created (with the schema) if missing.
        readonly: open without the right to write, as questions do.
    """

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        # Per connection: an index answering questions does not change under it.
        self._frequencies: dict[str, int] = {}
        # The index's terms by their first letter (``terms``).
        self._terms: dict[str, set[str]] = {}
        self._total: int | None = None
        #: The FAISS file opened with this store (see ``reading.open_index``), else ``None``.
        self.vectors_file: str | None = None
        try:
            self.db = schema.connect(self.path, readonly)
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if not readonly:
                schema.migrate(self.db)
            elif version == 0:
                # No schema at all: a 0-byte file or one that is not a citeqa index, not an old one.
                raise DamagedDatabaseError(f"{self.path}: index database is empty or damaged (no citeqa tables)")
            elif version > len(schema.MIGRATIONS):
                raise DamagedDatabaseError(f"{self.path}: index was made by a newer citeqa version")
            elif version < len(schema.MIGRATIONS):
                self.db.close()
                self._update()
                self.db = schema.connect(self.path, readonly)
        except sqlite3.DatabaseError as error:
            raise DamagedDatabaseError(f"{self.path}: index database is damaged ({error})") from None

    def _update(self) -> None:
        """Migrate an index an older citeqa built, for a reader: questions keep working on it
        without a build, and the embeddings, the costly part, are kept."""
        try:
            writer = schema.connect(self.path, readonly=False)
            try:
                schema.migrate(writer)
            finally:
                writer.close()
        except sqlite3.OperationalError as error:
            raise DamagedDatabaseError(
                f"{self.path}: index was made by an older citeqa version and cannot be updated ({error})"
            ) from None

    def check(self) -> None:
        """Run SQLite's quick integrity check.

        Raises:
            DamagedDatabaseError: the file is corrupt.
        """
        try:
            result = self.db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            result = str(error)
        if result != "ok":
            raise DamagedDatabaseError(f"{self.path}: index database is damaged ({result})")

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # -- metadata ---------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """Value stored under ``key`` in the meta table, or ``None``."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (inside the caller's transaction)."""
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- documents --------------------------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        """All indexed documents with their chunk counts, ordered by id."""
        rows = self.db.execute(
            "SELECT d.*, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.id) AS chunk_count "
            "FROM documents d ORDER BY d.id"
        ).fetchall()
        return [StoredDocument.from_row(row) for row in rows]

    def document(self, doc_id: str) -> StoredDocument | None:
        """The document with id ``doc_id``, or ``None``."""
        row = self.db.execute(
            "SELECT d.*, (SELECT count(*) FROM chunks c WHERE c.doc_id = d.id) AS chunk_count "
            "FROM documents d WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        return StoredDocument.from_row(row) if row else None

    def document_paths(self) -> dict[str, str]:
        """Each indexed document's path by id, without reading its text."""
        return dict(self.db.execute("SELECT id, path FROM documents").fetchall())

    def put_document(self, doc: StoredDocument) -> None:
        """Insert or replace a document row (its chunks are written separately)."""
        self.db.execute(
            "INSERT INTO documents(id, path, kind, title, authors, publisher, date, url, content_hash, "
            "meta_hash, text, pages, page_labels, refs, ref_doc, ref_number, ref_by) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET path=excluded.path, kind=excluded.kind, title=excluded.title, "
            "authors=excluded.authors, publisher=excluded.publisher, date=excluded.date, url=excluded.url, "
            "content_hash=excluded.content_hash, meta_hash=excluded.meta_hash, text=excluded.text, "
            "pages=excluded.pages, page_labels=excluded.page_labels, refs=excluded.refs, ref_doc=excluded.ref_doc, ref_number=excluded.ref_number, "
            "ref_by=excluded.ref_by, indexed_at=datetime('now')",
            (
                doc.id,
                doc.path,
                doc.kind,
                doc.title,
                json.dumps(doc.authors),
                doc.publisher,
                doc.date,
                doc.url,
                doc.content_hash,
                doc.meta_hash,
                doc.text,
                json.dumps(doc.pages),
                json.dumps(doc.page_labels),
                json.dumps(doc.refs),
                doc.ref_doc,
                doc.ref_number,
                doc.ref_by,
            ),
        )

    def delete_document(self, doc_id: str) -> None:
        """Delete a document and, by cascade, its chunks."""
        self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    # -- chunks -----------------------------------------------------------------------------

    def chunk_embeddings(self, chunks: list[Chunk]) -> dict[str, tuple[bytes, bytes]]:
        """Stored (passage, sentences) embeddings of those ``chunks`` the index holds as they are.

        The id says the text is the same; the section heading (embedded with the text) and the
        sentence spans (one vector each) must be the same too, or a new heading or a change in
        how sentences are split would keep vectors made for the old ones.
        """
        # Sentence spans as offsets into their chunk, which stay put when text before it changes.
        wanted = {c.id: (c.section, [(a - c.start, b - c.start) for a, b in c.sentences]) for c in chunks}
        ids = list(wanted)
        found = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            rows = self.db.execute(
                "SELECT id, start, section, sentences, embedding, sentence_embeddings FROM chunks "
                f"WHERE id IN ({','.join('?' * len(part))})",
                part,
            )
            for chunk_id, start, section, sentences, embedding, sentence_embeddings in rows:
                if wanted[chunk_id] == (section, [(a - start, b - start) for a, b in json.loads(sentences)]):
                    found[chunk_id] = (embedding, sentence_embeddings)
        return found

    def replace_chunks(self, doc_id: str, chunks: list[Chunk], vectors: dict[str, tuple[bytes, bytes]]) -> None:
        """Replace a document's chunks with ``chunks``, whose embeddings are in ``vectors`` by id."""
        self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self.db.executemany(
            "INSERT INTO chunks(id, doc_id, ordinal, start, end, section, kind, page_start, page_end, text, "
            "sentences, embedding, sentence_embeddings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    c.id,
                    doc_id,
                    c.ordinal,
                    c.start,
                    c.end,
                    c.section,
                    c.kind,
                    c.page_start,
                    c.page_end,
                    c.text,
                    json.dumps(c.sentences),
                    vectors[c.id][0],
                    vectors[c.id][1],
                )
                for c in chunks
            ],
        )

    def chunk_count(self) -> int:
        """Number of chunks in the index."""
        return self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def all_embeddings(self) -> tuple[np.ndarray, np.ndarray]:
        """Row ids and passage embeddings of every chunk, for (re)building the vector index."""
        rows = self.db.execute("SELECT rowid, embedding FROM chunks ORDER BY rowid").fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(-1, DIMENSION)
        return ids, vectors

    def chunks(self, rowids: list[int]) -> dict[int, StoredChunk]:
        """Chunks by row id."""
        if not rowids:
            return {}
        rows = self.db.execute(
            f"SELECT rowid, id, doc_id, ordinal, start, end, section, kind, page_start, page_end, text, sentences "
            f"FROM chunks WHERE rowid IN ({','.join('?' * len(rowids))})",
            rowids,
        ).fetchall()
        return {row["rowid"]: StoredChunk.from_row(row) for row in rows}

    def doc_chunks(self, doc_id: str) -> list[StoredChunk]:
        """A document's chunks in reading order."""
        rows = self.db.execute(
            "SELECT rowid, id, doc_id, ordinal, start, end, section, kind, page_start, page_end, text, sentences "
            "FROM chunks WHERE doc_id = ? ORDER BY ordinal",
            (doc_id,),
        ).fetchall()
        return [StoredChunk.from_row(row) for row in rows]

    def doc_rowids(self, doc_ids: list[str]) -> dict[str, list[int]]:
        """Row ids of every chunk of the given documents, by document."""
        out: dict[str, list[int]] = {}
        if doc_ids:
            rows = self.db.execute(
                f"SELECT doc_id, rowid FROM chunks WHERE doc_id IN ({','.join('?' * len(doc_ids))}) ORDER BY rowid",
                doc_ids,
            )
            for doc_id, rowid in rows:
                out.setdefault(doc_id, []).append(rowid)
        return out

    def source_rows(self) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
        """``(id, title, publisher, date, url)`` of every document: what questions name sources by."""
        return [tuple(row) for row in self.db.execute("SELECT id, title, publisher, date, url FROM documents")]

    def authors(self) -> dict[str, list[str]]:
        """The authors of each document whose authors are known, by its id."""
        rows = self.db.execute("SELECT id, authors FROM documents WHERE authors != '[]'")
        return {row[0]: json.loads(row[1]) for row in rows}

    def idf(self, word: str) -> float:
        """BM25's IDF of ``word`` in the index (rare words weigh more). For questions: the chunk
        count is read once per connection."""
        if self._total is None:
            self._total = max(self.chunk_count(), 1)
        frequency = self.document_frequency(word)
        return math.log(1 + (self._total - frequency + 0.5) / (frequency + 0.5))

    def document_frequency(self, word: str) -> int:
        """How many chunks hold ``word``'s stem (``tokens.stem``: "agencies" counts "agency")."""
        if word not in self._frequencies:
            term = tokens.stem(word)
            query = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
            self._frequencies[word] = self.db.execute(query, (f'"{term}"',)).fetchone()[0] if term else 0
        return self._frequencies[word]

    def spells(self, name: str) -> bool:
        """Whether some chunk holds ``name`` as written or as a close variant (``tokens.spelled_in``:
        "Japanese" for "Japan", "Seoul" for "South Korea"), read from the index's terms that begin
        as one of its forms does."""
        if self.document_frequency(name):
            return True
        stems = [tokens.stem(form.lower()) for form in (name, *SAME_GOVERNMENT.get(name.lower(), ()))]
        firsts = {stemmed[:1] for stemmed in (*stems, tokens.number_word(name)) if stemmed}
        return tokens.spelled_in(name, set().union(*map(self.terms, firsts)))

    def terms(self, first: str) -> set[str]:
        """The index's terms (stems) that begin with the letter ``first``, from an FTS5 vocabulary
        table made for this connection alone, read once."""
        if first not in self._terms:
            self.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts5vocab(main, 'chunks_fts', 'row')")
            query = "SELECT term FROM temp.terms WHERE term >= ? AND term < ?"
            self._terms[first] = {t for (t,) in self.db.execute(query, (first, chr(ord(first) + 1)))}
        return self._terms[first]

    def texts_holding(self, term: str, limit: int) -> list[str]:
        """The texts of up to ``limit`` chunks whose text (not its section) holds ``term``."""
        return [text for (text,) in self.db.execute(f"{_TEXTS_MATCHING} LIMIT ?", (f'text : "{term}"', limit))]

    def holds_name(self, words: list[str], written: str | None = None, apart: int = 2) -> bool:
        """Whether some chunk holds ``words`` together, as a name is written: in order or not,
        at most ``apart`` words apart ("Minister Piyush Goyal" holds "Minister Goyal"; a text
        that says "financial" and, later, "times" does not hold "Financial Times").

        Args:
            words: lower-case words, as ``tokens.words`` gives them.
            apart: how many words may stand between them.
            written: a name that starts with "The", whose other words must be written as given
                ("The Diplomat": "the Diplomat" or "(The Diplomat", not "a diplomat" nor
                "Hindu traditions" for "The Hindu"); or initials, which a chunk may also spell
                out ("AAA": "American Automobile Association").
        """
        stems = [s for s in map(tokens.stem, words) if s]
        if not stems:
            return False
        if written is not None and written.isupper():
            if self.holds_name(words, apart=apart):
                return True
            # GLOB heeds case: the chunks with the capitals in order (0.2 s on 20,000 chunks of names).
            glob, spelled = tokens.spelling(written)
            texts = self.db.execute("SELECT text FROM chunks WHERE text GLOB ?", (glob,))
            return any(spelled.search(text) for (text,) in texts)
        near = (
            f"NEAR({' '.join(f'{chr(34)}{s}{chr(34)}' for s in stems)}, {apart})" if len(stems) > 1 else f'"{stems[0]}"'
        )
        if written is None:
            # The words as written, not only their stems: "Taipei time" holds no "Taipei Times". The
            # chunks are read one by one until one holds them, however many hold the stems.
            return any(tokens.held_as_written(text, words) for (text,) in self.db.execute(_TEXTS_MATCHING, (near,)))
        rest = written.split(maxsplit=1)[1:]
        if not rest:
            return False
        as_written = re.compile(rf"\b[Tt]he\s+{re.escape(rest[0])}\b")
        # The index holds stems without "the" ("The Times" is "time", in every other chunk of a
        # large library), so LIKE, blind to case, picks the few chunks the pattern must read.
        like = "%the " + re.sub(r"([%_\\])", r"\\\1", rest[0]) + "%"
        query = (
            "SELECT c.text FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            "WHERE chunks_fts MATCH ? AND c.text LIKE ? ESCAPE '\\'"
        )
        return any(as_written.search(text) for (text,) in self.db.execute(query, (near, like)))

    def embeddings(self, rowids: list[int]) -> dict[int, np.ndarray]:
        """Passage embeddings of the given chunks."""
        return {rowid: blob.reshape(-1) for rowid, blob in self._vectors("embedding", rowids).items()}

    def sentence_embeddings(self, rowids: list[int]) -> dict[int, np.ndarray]:
        """Per-sentence embedding matrices of the given chunks."""
        return self._vectors("sentence_embeddings", rowids)

    def _vectors(self, column: str, rowids: list[int]) -> dict[int, np.ndarray]:
        if not rowids:
            return {}
        rows = self.db.execute(
            f"SELECT rowid, {column} FROM chunks WHERE rowid IN ({','.join('?' * len(rowids))})", rowids
        ).fetchall()
        return {r[0]: np.frombuffer(r[1], dtype=np.float32).reshape(-1, DIMENSION) for r in rows}

    def lexical_search(self, query: str, limit: int, doc_ids: list[str] | None = None) -> list[tuple[int, float]]:
        """BM25 search over chunk text and section names.

        Args:
            query: free text; it is reduced to its stemmed words (``tokens.terms``), OR-ed together.
            limit: how many hits to return.
            doc_ids: search the chunks of these documents only (``None``: every chunk).

        Returns:
            ``(rowid, score)`` pairs, best first; scores are positive (higher is better).
        """
        terms = list(dict.fromkeys(tokens.terms(query)))
        if not terms:
            return []
        # Quoted: a term is only ever looked up, never read as query syntax.
        match = " OR ".join(f'"{term}"' for term in terms)
        within = ""
        if doc_ids is not None:
            within = f"AND rowid IN (SELECT rowid FROM chunks WHERE doc_id IN ({','.join('?' * len(doc_ids))})) "
        rows = self.db.execute(
            "SELECT rowid, bm25(chunks_fts, 1.0, 0.5) AS score FROM chunks_fts WHERE chunks_fts MATCH ? "
            f"{within}ORDER BY score LIMIT ?",
            (match, *(doc_ids or ()), limit),
        ).fetchall()
        return [(row[0], -row[1]) for row in rows]
