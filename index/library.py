"""A library: a folder of source files and the index built from them.

Layout of the home folder (``$CITEQA_HOME``, default a per-user data folder)::

    sources/            copies of the files the user added (the bundled article on first use)
    sources.json        metadata the user gave for each file (title, publisher, date, url)
    index.db            SQLite: documents, chunks, embeddings, FTS5
    vectors-N.faiss     the FAISS index of generation N, named in index.db
    query-encoder.*     the model exported to ONNX for questions, and its parity-check record
    build.lock          held while a build runs

Everything in ``index.db`` and the FAISS files derives from ``sources/`` and ``sources.json``, so a
damaged index is repaired by rebuilding it, and nothing the user added lives only in the index.

``Library`` is the one entry point; each of its jobs lives in a module of its own: the sources and
their metadata in ``index.catalog``, build planning in ``index.plan``, carrying a build out in
``index.builder`` (FAISS files and the swap of a full build in ``index.publish``), the encoders in
``index.encoders``, reference lists in ``index.references`` and ``index.links``, reading the index
in ``index.reading``, and the lock in ``index.lock``.
"""

from __future__ import annotations

import functools
from pathlib import Path

from citeqa.index import reading
from citeqa.index.builder import BuildReport, Progress, outcomes, run_build, unindexed
from citeqa.index.catalog import AddReport, Catalog, Metadata, Source, default_home, given_for
from citeqa.index.checks import ensure_writable, file_hash, file_stamp
from citeqa.index.embed import Embedder
from citeqa.index.encoders import BuildEncoder, ensure_query_encoder, passage_encoder, passage_input, query_encoder
from citeqa.index.errors import BuildLockedError, LibraryError, NameClashError, ReferenceNotFoundError
from citeqa.index.lock import BuildLock
from citeqa.index.plan import meta_hash
from citeqa.index.references import Entry, check_reference, list_references, reference_claims, reference_numbers
from citeqa.index.sources import doc_id_for, scan
from citeqa.index.store import Store

# What callers have always imported from here, wherever it now lives.
__all__ = [
    "AddReport",
    "BuildLockedError",
    "BuildReport",
    "Entry",
    "Library",
    "LibraryError",
    "Metadata",
    "NameClashError",
    "ReferenceNotFoundError",
    "Source",
    "default_home",
    "doc_id_for",
    "outcomes",
    "passage_input",
    "unindexed",
]


class Library:
    """A folder of sources and its index.

    Args:
        home: the library folder; see :func:`default_home`. Nothing is written on construction:
            the first operation that writes (add, remove, build) creates it, with the bundled
            article as its first source, and until then the library reads as empty.
    """

    def __init__(self, home: str | Path | None = None):
        self.home = Path(home).expanduser() if home else default_home()
        self.catalog = Catalog(self.home)
        self.sources_dir = self.catalog.sources_dir
        self.db_path = self.home / "index.db"
        #: Held by whatever changes the sources or the index (build, add, remove); re-entrant, so
        #: a caller may hold it across ``add_each`` and the build that follows.
        self.lock = BuildLock(self.home / "build.lock")

    # -- sources ----------------------------------------------------------------------------

    def add(self, paths: list[str | Path], metadata: Metadata | None = None) -> list[Path]:
        """Copy files into the sources folder; one unreadable file refuses them all (the index
        changes on the next build). A disk failing part-way leaves the files copied so far, with
        their metadata, and no temporary file.

        Every file is checked by extracting it first, so a file that cannot be read is refused
        here with its reason instead of being copied in.

        Args:
            paths: files to add.
            metadata: bibliographic metadata for them (usually given for a single file).

        Returns:
            Where each file was copied to.

        Raises:
            ExtractionError: a file is missing, unsupported or unreadable; nothing is copied.
            LibraryError: a different file of the same name, or a file of another name with the
                same content, is already in the library, or the reference ``metadata`` names is
                in no source; nothing is copied.
        """
        return self.add_each(paths, metadata, strict=True).added

    def add_each(
        self, paths: list[str | Path], metadata: Metadata | list[Metadata | None] | None = None, strict: bool = False
    ) -> AddReport:
        """Copy every readable file into the sources folder and name each refused one with why.

        This is what ``cp`` does with a folder of downloads: the good files go in whatever the
        bad ones are. Each file is checked by extracting it first.

        Args:
            paths: files to add.
            metadata: bibliographic metadata for them all (usually given for a single file), or
                a list with each file's own (``None`` for none), as a manifest gives it.
            strict: refuse the whole batch at its first bad file, copying nothing.

        Returns:
            An ``AddReport`` of the files copied in and those refused.

        Raises:
            ExtractionError, LibraryError: ``strict`` and a file was refused (as :meth:`add`).
            LibraryError: the reference a shared ``metadata`` names is in no source, or is another
                source already (or would be, given to several files); nothing is copied (a file
                whose own metadata names such a reference is refused like an unreadable file).
            LibraryError: the library cannot be written or its disk is full; nothing is copied.
            BuildLockedError: a build is running; nothing is copied.
        """
        ensure_writable(self.home, paths)
        # Held while copying: a build running meanwhile would index half of the batch, or none of it
        # while `add` reported it added.
        with self.lock:
            created = self.catalog.create()
            indexed = reading.indexed_documents(self.db_path)
            # Listed once for the whole batch, and only if some metadata names a reference.
            numbers = functools.cache(lambda: reference_numbers(self.catalog, indexed))
            claims = functools.cache(lambda: reference_claims(self.catalog, indexed, numbers))
            per_file = isinstance(metadata, list)
            if not per_file:
                # Each file: one reference shared by several would cite each as that one source.
                for path in paths:
                    check_reference(path, metadata, numbers, claims)
            given = metadata if per_file else [metadata] * len(paths)
            check = functools.partial(check_reference, numbers=numbers, claims=claims) if per_file else None
            report = self.catalog.add(paths, given, indexed, strict, check)
            report.created = created
            return report

    def remove(self, doc_id: str) -> Path:
        """Delete a source file and its metadata from the library (the index follows on build).

        Args:
            doc_id: the source's id, as :meth:`sources` lists it.

        Returns:
            The path of the deleted file.

        Raises:
            LibraryError: no source has that id.
            BuildLockedError: a build is running; nothing is deleted.
        """
        # Held while deleting: a build running meanwhile would keep citing the deleted file.
        with self.lock:
            self.catalog.create()
            return self.catalog.remove(doc_id, reading.indexed_documents(self.db_path))

    def sources(self) -> list[Source]:
        """Every file in the sources folder with what the index holds for it (none before the first add or build)."""
        return self.catalog.sources(reading.indexed_documents(self.db_path))

    def refused(self) -> list[dict]:
        """The entries of the sources folder that cannot be sources, each ``{"path", "reason"}``:
        hidden files, subfolders, links leaving the folder, a second name for one id (``scan``)."""
        if not self.sources_dir.is_dir():
            return []
        return scan(self.sources_dir, reading.last_build(self.db_path)[0]).refused

    def waiting(self) -> list[str]:
        """The names of the files in the sources folder that no build has taken in yet: staged by
        ``add --no-build``, dropped in by hand, or left by an interrupted build. Files the last
        build skipped are not among them: it said why, and building again would not help."""
        if not self.sources_dir.is_dir():
            return []
        # Asked before every answer: the index's file names, not its documents' texts.
        held, skipped = reading.last_build(self.db_path)
        names = [name for name, doc_id in scan(self.sources_dir, held).ids.items() if doc_id not in held]
        return [n for n in names if n not in skipped or skipped[n] not in (None, file_stamp(self.sources_dir / n))]

    def up_to_date(self, paths: list[Path]) -> set[str]:
        """The ids of the files among ``paths`` (in the sources folder) whose text and metadata the
        index holds as they are: a build would find them unchanged (``add --no-build`` says so)."""
        indexed = {d.id: d for d in reading.indexed_documents(self.db_path)}
        metadata = self.catalog.read_metadata()
        held = {
            doc_id_for(path.name): (file_hash(path), meta_hash(path.name, given_for(metadata, path.name)))
            for path in paths
            if doc_id_for(path.name) in indexed
        }
        return {d for d, hashes in held.items() if (indexed[d].content_hash, indexed[d].meta_hash) == hashes}

    def unreadable_edits(self) -> dict[str, str]:
        """The indexed sources whose file the last build could not read again, unchanged since, by
        file name, with why (read again now): the index still holds their earlier version's
        passages, and building again would not help. A file skipped as readable (a copy of another
        source) is not among them."""
        held, skipped = reading.last_build(self.db_path)
        names = set(held.values())
        failed = [n for n, stamp in skipped.items() if n in names and stamp == file_stamp(self.sources_dir / n)]
        return {name: fault for name in failed if (fault := self._fault(name))}

    def unindexed_reasons(self, names: list[str]) -> dict[str, str]:
        """Why each source file of ``names`` is not in the index: no build has read it yet, or
        what is wrong with it (read again now, as the last build found it).

        Args:
            names: file names in the sources folder that the index does not hold.

        Returns:
            One line for a person per name, such as "not a PDF file".
        """
        waiting = set(self.waiting())
        # Readable, yet skipped: a copy of another source, say, as that build said.
        return {
            name: "waiting for 'citeqa build'" if name in waiting else self._fault(name) or "skipped by the last build"
            for name in names
        }

    def _fault(self, name: str) -> str | None:
        """Why the source file ``name`` cannot be read, as the build would say, or ``None``."""
        from citeqa.corpus import ExtractionError, extract_bounded

        try:
            extract_bounded(self.sources_dir / name)
        except ExtractionError as error:
            return error.reason
        return None

    def references(self) -> list[Entry]:
        """Every reference-list entry of the indexed sources, with the source linked to it.

        Returns:
            Entries ordered by citing document and number (empty before the first build).
        """
        return list_references(reading.indexed_documents(self.db_path))

    # -- building ---------------------------------------------------------------------------

    def is_built(self) -> bool:
        """True once a build has completed in this library."""
        return reading.is_built(self.db_path)

    def build(
        self,
        full: bool = False,
        strict: bool = False,
        progress: Progress | None = None,
        embedder: Embedder | None = None,
    ) -> BuildReport:
        """Bring the index up to date with the sources folder.

        New files are extracted and embedded; a file whose content or metadata changed is
        re-chunked, and only chunks whose text is new are embedded; files that left the folder are
        dropped; unchanged files cost nothing. Files that cannot be read are skipped and named in
        the report. The new index becomes visible in one step, so a build killed at any moment
        leaves the previous index usable. A missing or damaged ONNX query encoder is exported
        again, even when no source changed.

        Args:
            full: re-extract and re-embed everything, and export the query encoder again. The new
                index is built aside and replaces the old one in one step, so questions keep
                being answered meanwhile.
            strict: fail (raise ``LibraryError``) if any file would be skipped.
            progress: receives ``(stage, done, total)`` while embedding.
            embedder: the sentence-transformers embedder, used to export the ONNX encoder and
                instead of it when the export is refused (default: the bundled model, loaded
                only if needed). Passages are embedded with the ONNX export when it passed its
                parity check; ``report.notice`` says why when it did not.

        Returns:
            A ``BuildReport``.

        Raises:
            BuildLockedError: another build is running on this library.
            LibraryError: ``strict`` and a file was skipped.
            LibraryError: the library cannot be written or its disk is full (checked before the
                model loads).
        """
        ensure_writable(self.home)
        embedder = embedder or Embedder()
        with self.lock:
            self.catalog.create()
            encoder = BuildEncoder(lambda: passage_encoder(self.home, embedder, again=full))
            report = run_build(self.catalog, self.db_path, full, strict, progress, encoder)
            if not encoder.chosen:
                # Nothing was embedded, so nothing has checked the export yet this build.
                ensure_query_encoder(self.home, embedder, again=full)
            report.notice = encoder.notice
            return report

    # -- reading ----------------------------------------------------------------------------

    def query_encoder(self):
        """The encoder for questions: the ONNX export when it passed its parity check.

        Returns:
            ``(encoder, notice)``: an encoder with ``encode(texts)``, and a one-line notice saying
            why sentence-transformers is used instead, or ``None``.
        """
        return query_encoder(self.home)

    def open_index(self) -> tuple[Store, object]:
        """Open the last complete index for reading.

        Returns:
            ``(store, faiss_index)``; the caller closes the store.

        Raises:
            LibraryError: there is no index yet, or it is damaged (the message says how to repair).
        """
        return reading.open_index(self.home, self.db_path)
