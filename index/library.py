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
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from citeqa import corpus
from citeqa.corpus.model import ExtractionError
from citeqa.index.embed import MODEL_NAME, Embedder, model_path
from citeqa.index.errors import BuildLockedError, LibraryError  # noqa: F401 (callers import both from here)
from citeqa.index.links import Link, find_link
from citeqa.index.lock import BuildLock
from citeqa.index.sources import Scan, doc_id_for, scan
from citeqa.index.store import DamagedDatabaseError, Store, StoredDocument
from citeqa.index.vectors import DamagedIndexError, build_index, read_index, write_index

#: Bump when extraction or chunking changes what a file yields, so every document is re-indexed.
PIPELINE_VERSION = "1"

Progress = Callable[[str, int, int], None]
"""Callback ``(stage, done, total)`` a build reports progress through."""


class NameClashError(LibraryError):
    """A file to add has the name of a different file already in the library."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ReferenceNotFoundError(LibraryError):
    """The metadata given for a file names a reference that no source lists."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass
class Metadata:
    """Bibliographic metadata a user gives for a source; unset fields come from the file itself."""

    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    ref: int | None = None
    #: The source whose reference list ``ref`` numbers, when several sources have one.
    ref_source: str | None = None

    def given(self) -> dict:
        """The fields that were set."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class BuildReport:
    """What a build did. Document counts are by document id; ``skipped`` names each file and why;
    ``stale_metadata`` names each file whose given metadata was dropped because it was given for
    other content (``{"path", "reason"}``)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    linked: list[dict] = field(default_factory=list)
    stale_metadata: list[dict] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    documents: int = 0
    chunks: int = 0
    #: Why passages were embedded with sentence-transformers rather than ONNX, or ``None``.
    notice: str | None = None

    def to_dict(self) -> dict:
        """Counts and lists, as ``citeqa build --json`` prints them."""
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
            "chunks_embedded": self.chunks_embedded,
            "chunks_reused": self.chunks_reused,
            "documents": self.documents,
            "chunks": self.chunks,
            "notice": self.notice,
            "details": {
                "added": self.added,
                "changed": self.changed,
                "removed": self.removed,
                "skipped": self.skipped,
                "linked": self.linked,
                "stale_metadata": self.stale_metadata,
            },
        }


@dataclass
class AddReport:
    """What adding a batch of files did.

    Attributes:
        added: where each file that went in was copied to.
        skipped: each refused file as ``{"path", "reason"}``, as ``BuildReport.skipped`` names them.
    """

    added: list[Path] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


@dataclass
class Entry:
    """One entry of a source's reference list and the library source linked to it, if any.

    Attributes:
        citing: id of the document whose reference list holds the entry.
        number: the entry's number; author, date, title, url: as parsed from the entry.
        source: id of the library source linked to the entry (``None``: not in the library).
        linked_by: how the link was made: ``"ref"`` (given with ``--ref``), ``"url"`` or ``"title"``.
    """

    citing: str
    number: int
    author: str | None
    date: str | None
    title: str | None
    url: str | None
    source: str | None
    linked_by: str | None


@dataclass
class Source:
    """A file in the library's sources folder and what the index knows of it."""

    id: str
    path: str
    kind: str
    title: str | None
    chunks: int
    indexed: bool


def default_home() -> Path:
    """``$CITEQA_HOME`` if set, else the per-user data folder (``$XDG_DATA_HOME/citeqa``)."""
    if os.environ.get("CITEQA_HOME"):
        return Path(os.environ["CITEQA_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "citeqa"


class Library:
    """A folder of sources and its index.

    Args:
        home: the library folder; see :func:`default_home`. Created on first use, with the
            bundled article as its first source.
    """

    def __init__(self, home: str | Path | None = None):
        self.home = Path(home).expanduser() if home else default_home()
        self.sources_dir = self.home / "sources"
        self.db_path = self.home / "index.db"
        #: Held by whatever changes the sources or the index (build, add, remove); re-entrant, so
        #: a caller may hold it across ``add_each`` and the build that follows.
        self.lock = BuildLock(self.home / "build.lock")
        if not self.sources_dir.exists():
            self.sources_dir.mkdir(parents=True)
            shutil.copy2(corpus.BUNDLED_ARTICLE, self.sources_dir / corpus.BUNDLED_ARTICLE.name)

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
            LibraryError: a different file of the same name is already in the library, or the
                reference ``metadata`` names is in no source; nothing is copied.
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
            LibraryError: the reference a shared ``metadata`` names is in no source; nothing is
                copied (a file whose own metadata names one is refused like an unreadable file).
            LibraryError: the library cannot be written or its disk is full; nothing is copied.
            BuildLockedError: a build is running; nothing is copied.
        """
        from citeqa.index.checks import ensure_writable  # here: index.checks imports this module

        ensure_writable(self.home, paths)
        # Held while copying: a build running meanwhile would index half of the batch, or none of it
        # while `add` reported it added.
        with self.lock:
            per_file = isinstance(metadata, list)
            if not per_file:
                self._check_reference(paths, metadata)
            report, plans = AddReport(), []
            taken = {doc_id: name for name, doc_id in self._scan().ids.items()}
            for path, given in zip(map(Path, paths), metadata if per_file else [metadata] * len(paths)):
                try:
                    if per_file:
                        self._check_reference([path], given)
                    target = self._target(path, {t: p for p, t, _ in plans}, taken)
                except (ExtractionError, NameClashError, ReferenceNotFoundError) as error:
                    if strict:
                        raise
                    report.skipped.append({"path": str(path), "reason": error.reason})
                    continue
                plans.append((path, target, given))
                taken[doc_id_for(target.name)] = target.name
            stored = self._read_metadata()
            try:
                for path, target, meta in plans:
                    existed = target.exists()
                    if target.resolve() != path.resolve():
                        _copy_in(path, target)
                    content_hash = hashlib.sha256(target.read_bytes()).hexdigest()
                    if meta and meta.given():
                        # The hash ties the metadata to this content: a later file of the same name
                        # is another document and must not be cited with it.
                        stored[target.name] = {**meta.given(), _HASH: content_hash}
                    elif target.name in stored and not _metadata_fits(stored[target.name], content_hash, existed):
                        stored.pop(target.name)
                    report.added.append(target)
            finally:
                # Even when a copy fails part-way (a full disk), the files already copied in keep
                # the metadata they were given.
                self._write_metadata(stored)
            return report

    def _check_reference(self, paths: list[str | Path], metadata: Metadata | None) -> None:
        """Raise ``ReferenceNotFoundError`` if ``metadata`` gives a reference number no source lists."""
        if not metadata or metadata.ref is None:
            return
        if not any(
            number == metadata.ref and metadata.ref_source in (None, citing)
            for citing, number in self._reference_numbers()
        ):
            where = f"source '{metadata.ref_source}'" if metadata.ref_source else "the library's sources"
            raise ReferenceNotFoundError(str(paths[0]), f"no reference [{metadata.ref}] in {where} (see 'citeqa refs')")

    def _target(self, path: Path, batch: dict[Path, Path], taken: dict[str, str]) -> Path:
        """Where ``path`` goes in the sources folder, once it reads and clashes with no other file.

        Args:
            path: the file to add.
            batch: the target and source of each file of this batch already accepted.
            taken: the file name holding each document id, in the library or earlier in the batch.

        Raises:
            ExtractionError: the file cannot be read as a source.
            NameClashError: a different file of that name is already in the library or earlier
                in the batch (copying both would keep only the last), or a file of another name
                has its document id (the build could index only one of them).
        """
        corpus.extract_bounded(path)
        target = self.sources_dir / path.name
        earlier = batch.get(target)
        if earlier is not None and earlier.read_bytes() != path.read_bytes():
            raise NameClashError(
                str(path), f"a different file named {path.name} comes earlier in this batch ({earlier})"
            )
        if target.exists() and target.read_bytes() != path.read_bytes():
            raise NameClashError(
                str(path),
                f"a different file named {path.name} is already in the library "
                f"(remove it with 'citeqa remove {doc_id_for(path.name)}' or rename the new one)",
            )
        doc_id = doc_id_for(path.name)
        if taken.get(doc_id, path.name) != path.name:
            raise NameClashError(
                str(path), f"its id '{doc_id}' is already that of {taken[doc_id]}; rename the new file"
            )
        return target

    def remove(self, doc_id: str) -> Path:
        """Delete a source file and its metadata from the library (the index follows on build).

        Raises:
            LibraryError: no source has that id.
            BuildLockedError: a build is running; nothing is deleted.
        """
        # Held while deleting: a build running meanwhile would keep citing the deleted file.
        with self.lock:
            for name, candidate in self._scan().ids.items():
                if candidate == doc_id:
                    path = self.sources_dir / name
                    stored = self._read_metadata()
                    stored.pop(path.name, None)
                    self._write_metadata(stored)
                    path.unlink()
                    return path
        raise LibraryError(f"no source with id '{doc_id}' (see 'citeqa sources')")

    def sources(self) -> list[Source]:
        """Every file in the sources folder with what the index holds for it."""
        indexed = {d.id: d for d in self._indexed_documents()}
        metadata = self._read_metadata()
        out = []
        for name, doc_id in self._scan().ids.items():
            path = self.sources_dir / name
            doc = indexed.get(doc_id)
            out.append(
                Source(
                    id=doc_id,
                    path=str(path),
                    kind=corpus.SUFFIXES.get(path.suffix.lower(), "?"),
                    title=doc.title if doc else metadata.get(name, {}).get("title"),
                    chunks=doc.chunk_count if doc else 0,
                    indexed=doc is not None,
                )
            )
        return out

    # -- building ---------------------------------------------------------------------------

    def references(self) -> list[Entry]:
        """Every reference-list entry of the indexed sources, with the source linked to it.

        Returns:
            Entries ordered by citing document and number (empty before the first build).
        """
        documents = self._indexed_documents()
        links = {(d.ref_doc, d.ref_number): d for d in documents if d.ref_doc}
        out = []
        for doc in sorted(documents, key=lambda d: d.id):
            for ref in doc.refs:
                linked = links.get((doc.id, ref["number"]))
                out.append(
                    Entry(
                        doc.id,
                        ref["number"],
                        ref.get("author"),
                        ref.get("date"),
                        ref.get("title"),
                        ref.get("url"),
                        linked.id if linked else None,
                        linked.ref_by if linked else None,
                    )
                )
        return out

    def _reference_numbers(self) -> set[tuple[str, int]]:
        """``(source id, number)`` of every reference entry in the library's text sources,
        indexed or not."""
        numbers = set()
        for name, doc_id in self._scan().ids.items():
            path = self.sources_dir / name
            if corpus.SUFFIXES.get(path.suffix.lower()) == "text":
                try:
                    numbers.update((doc_id, r.number) for r in corpus.extract_bounded(path).references)
                except ExtractionError:
                    continue
        return numbers

    def is_built(self) -> bool:
        """True once a build has completed in this library."""
        if not self.db_path.exists():
            return False
        try:
            store = Store(self.db_path, readonly=True)
        except DamagedDatabaseError:
            return True  # let opening the index report the damage
        try:
            return store.get_meta("vectors_file") is not None
        finally:
            store.close()

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
        from citeqa.index.checks import ensure_writable  # here: index.checks imports this module

        ensure_writable(self.home)
        embedder = embedder or Embedder()
        with self.lock:
            encoder = _BuildEncoder(lambda: self._passage_encoder(embedder, again=full))
            report = self._build(full, strict, progress, encoder)
            if not encoder.chosen:
                # Nothing was embedded, so nothing has checked the export yet this build.
                self._ensure_query_encoder(embedder, again=full)
            report.notice = encoder.notice
            return report

    def _passage_encoder(self, embedder: Embedder, again: bool):
        """The encoder for a build's passages and sentences: the ONNX export when it passed its
        parity check, else ``embedder`` (sentence-transformers).

        The export is made (or checked against its recorded hashes) first, so torch loads only
        to make it: once an intact export for these weights is here, builds never import torch.

        Returns:
            ``(encoder, notice)``, the notice saying in one line why ONNX is not used, or ``None``.
        """
        from citeqa.index.onnx import OnnxEncoder, OnnxUnavailable

        self._ensure_query_encoder(embedder, again=again)
        try:
            return OnnxEncoder(self.home), None
        except OnnxUnavailable as error:
            return embedder, f"{error}; embedding passages with sentence-transformers (slower)"

    def _ensure_query_encoder(self, embedder: Embedder, again: bool = False) -> None:
        """Export the ONNX query encoder unless an intact export for these weights is here.

        The export's files are checked against the hashes recorded when it was made, so one
        deleted, truncated or altered since is made again. An export that fails or misses parity
        is recorded with its reason, and questions fall back to sentence-transformers: the build
        itself never fails over it, and only ``again`` (``build --full``) retries it.

        Args:
            embedder: the embedder whose model is exported.
            again: export even when an intact export, or a recorded failure, is here.
        """
        from citeqa.index import onnx

        weights = onnx.fingerprint(model_path())
        status = onnx.read_status(self.home)
        files = (onnx.MODEL_FILE, onnx.TOKENIZER_FILE)
        if not again and status and status.get("fingerprint") == weights:
            if not status.get("usable") or status.get("files") == _file_hashes(self.home, files):
                return
        try:
            status = onnx.export(self.home, model_path(), embedder.model())
            onnx.write_status(self.home, {**status, "files": _file_hashes(self.home, files)})
        except Exception as error:  # any exporter failure only costs the fast path
            onnx.write_status(
                self.home,
                {"fingerprint": weights, "usable": False, "parity": None, "reason": f"export failed: {error}"},
            )

    def query_encoder(self):
        """The encoder for questions: the ONNX export when it passed its parity check.

        Returns:
            ``(encoder, notice)``: an encoder with ``encode(texts)``, and a one-line notice saying
            why sentence-transformers is used instead, or ``None``.
        """
        from citeqa.index.onnx import OnnxEncoder, OnnxUnavailable

        try:
            return OnnxEncoder(self.home), None
        except OnnxUnavailable as error:
            return Embedder(), f"{error}; encoding questions with sentence-transformers (slower start)"

    def _build(self, full: bool, strict: bool, progress: Progress | None, encoder: _BuildEncoder) -> BuildReport:
        report = BuildReport()
        if full:
            # Built aside from nothing; the old index keeps answering until _swap_in replaces it.
            aside = self.home / ".index-full.db"
            _unlink_database(aside)
            store = Store(aside)
            with store.db:
                # Numbered past every FAISS file here, so the new one never overwrites the file
                # the old index names while readers still use it.
                store.set_meta("generation", str(self._last_generation()))
        else:
            try:
                store = Store(self.db_path)
                store.check()
            except DamagedDatabaseError as error:
                raise LibraryError(f"{error}; run 'citeqa build --full' to rebuild it from the sources") from None
        try:
            indexed = {d.id: d for d in store.documents()}
            # What the index held before this build: a full build's store starts empty.
            previous = self._indexed_documents() if full else list(indexed.values())
            previous_by_name = {Path(d.path).name: d for d in previous}
            metadata = self._read_metadata()
            metadata_changed = False
            found = self._scan(previous)
            ids = found.ids
            report.skipped.extend(found.refused)
            plan, seen_hashes = [], {}
            for name, doc_id in ids.items():
                path = self.sources_dir / name
                # Refused before reading: hashing it would cost every build the time of reading it.
                refused = corpus.too_large(path.stat().st_size)
                if refused:
                    report.skipped.append({"path": str(path), "reason": refused})
                    continue
                data = path.read_bytes()
                content_hash = hashlib.sha256(data).hexdigest()
                if content_hash in seen_hashes:
                    report.skipped.append({"path": str(path), "reason": f"same content as {seen_hashes[content_hash]}"})
                    continue
                seen_hashes[content_hash] = path.name
                old = indexed.get(doc_id)
                entry = metadata.get(path.name)
                if entry is not None:
                    # An entry without a hash predates hashes: it fits if the index holds this
                    # very content under this name, and is then tied to the content from now on.
                    held = previous_by_name.get(path.name)
                    if not _metadata_fits(entry, content_hash, held is not None and held.content_hash == content_hash):
                        del metadata[path.name]
                        report.stale_metadata.append(
                            {
                                "path": str(path),
                                "reason": "metadata given for a different file of this name dropped (its content changed)",
                            }
                        )
                        metadata_changed = True
                    elif _HASH not in entry:
                        entry[_HASH] = content_hash
                        metadata_changed = True
                given = {k: v for k, v in metadata.get(path.name, {}).items() if k != _HASH}
                meta_hash = hashlib.sha256(
                    json.dumps([PIPELINE_VERSION, path.name, given], sort_keys=True).encode()
                ).hexdigest()
                if old and old.content_hash == content_hash and old.meta_hash == meta_hash:
                    report.unchanged.append(doc_id)
                    continue
                plan.append((path, doc_id, content_hash, meta_hash, given, old is not None))

            extracted = []
            for path, doc_id, content_hash, meta_hash, given, existed in plan:
                try:
                    doc = corpus.extract_bounded(path)
                except ExtractionError as error:
                    report.skipped.append({"path": str(path), "reason": error.reason})
                    continue
                chunks = corpus.chunk_document(doc, doc_id)
                if not chunks:
                    report.skipped.append({"path": str(path), "reason": "no indexable text"})
                    continue
                extracted.append((doc, doc_id, content_hash, meta_hash, given, existed, chunks))
            if strict and report.skipped:
                first = report.skipped[0]
                raise LibraryError(f"{first['path']}: {first['reason']} (--strict: nothing was changed)")
            if metadata_changed:
                # Before the index commits: a kill in between leaves an entry-less file whose
                # content differs from the index's, which the next build indexes again.
                self._write_metadata(metadata)

            vectors = self._embed([e[6] for e in extracted], store, encoder, progress, report)
            on_disk = set(ids.values())
            if not extracted and not set(indexed) - on_disk and store.get_meta("vectors_file"):
                report.documents, report.chunks = len(indexed), store.chunk_count()
                return report
            refs_by_doc = {d.id: d.refs for d in indexed.values() if d.refs and d.id in on_disk}
            refs_by_doc.update({e[1]: [asdict(r) for r in e[0].references] for e in extracted if e[0].references})
            with store.db:
                for doc_id in sorted(set(indexed) - on_disk):
                    store.delete_document(doc_id)
                    report.removed.append(doc_id)
                for doc, doc_id, content_hash, meta_hash, given, existed, chunks in extracted:
                    stored = _stored(doc, doc_id, content_hash, meta_hash, given)
                    link = _link(refs_by_doc, stored, given)
                    if link:
                        _apply_reference(stored, link, refs_by_doc, given)
                        report.linked.append(
                            {"id": doc_id, "reference": link.number, "citing": link.citing, "by": link.by}
                        )
                    store.put_document(stored)
                    store.replace_chunks(doc_id, chunks, vectors)
                    (report.changed if existed else report.added).append(doc_id)
                self._publish_vectors(store)
            report.documents = len(store.documents())
            report.chunks = store.chunk_count()
        except BaseException:
            store.close()
            if full:
                # A failed full build leaves no half-made database beside the index.
                _unlink_database(aside)
            raise
        store.close()
        if full:
            self._swap_in(aside)
        return report

    def _last_generation(self) -> int:
        """The highest generation number of any FAISS file in the library (0 if none)."""
        numbers = [
            int(match.group(1))
            for path in self.home.glob("vectors-*.faiss*")
            if (match := re.fullmatch(r"vectors-(\d+)\.faiss(\.tmp)?", path.name))
        ]
        return max(numbers, default=0)

    def _swap_in(self, aside: Path) -> None:
        """Make the database built at ``aside`` the index, in one step that readers see whole.

        SQLite's backup API copies it over ``index.db`` in one write transaction: readers keep
        their snapshot until it commits, and a kill before that leaves the old index. Replacing
        the file instead could pair the new file with the old one's write-ahead log, whose
        frames SQLite would then apply to it.
        """
        try:
            source, target = sqlite3.connect(aside), sqlite3.connect(self.db_path)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        except sqlite3.DatabaseError:
            # Too damaged to be written through SQLite (the usual reason for --full), and so
            # unreadable to everyone: replace the file, with its log, which would corrupt the new one.
            for stale in (Path(f"{self.db_path}-wal"), Path(f"{self.db_path}-shm")):
                stale.unlink(missing_ok=True)
            os.replace(aside, self.db_path)
        _unlink_database(aside)

    def _embed(self, chunk_lists, store: Store, encoder: _BuildEncoder, progress, report: BuildReport) -> dict:
        """Embeddings for every chunk, reusing stored ones for chunks whose id (and so text) exists."""
        chunks = [c for chunks in chunk_lists for c in chunks]
        vectors = store.chunk_embeddings([c.id for c in chunks])
        report.chunks_reused = sum(c.id in vectors for c in chunks)
        todo = [c for c in chunks if c.id not in vectors]
        report.chunks_embedded = len(todo)
        batch = 64
        for i in range(0, len(todo), batch):
            part = todo[i : i + batch]
            passages = encoder.encode([passage_input(c.section, c.text) for c in part])
            sentence_texts = [c.text[s - c.start : e - c.start] for c in part for s, e in c.sentences]
            sentence_vectors = encoder.encode(sentence_texts)
            offset = 0
            for chunk, vector in zip(part, passages):
                n = len(chunk.sentences)
                vectors[chunk.id] = (vector.tobytes(), sentence_vectors[offset : offset + n].tobytes())
                offset += n
            if progress:
                progress("embedding", min(i + batch, len(todo)), len(todo))
        return vectors

    def _publish_vectors(self, store: Store) -> None:
        """Write the FAISS file for the chunks now in ``store`` and point the database at it.

        Called inside the build's transaction: the new file gets a new name, so readers keep using
        the previous one until the transaction commits and names the new one.
        """
        generation = int(store.get_meta("generation") or 0) + 1
        ids, vectors = store.all_embeddings()
        name = f"vectors-{generation}.faiss"
        index, params = build_index(ids, vectors)
        write_index(index, self.home / name)
        store.set_meta("vector_index", json.dumps(params))
        store.set_meta("generation", str(generation))
        store.set_meta("vectors_file", name)
        store.set_meta("model", MODEL_NAME)
        for old in [*self.home.glob("vectors-*.faiss"), *self.home.glob("vectors-*.faiss.tmp")]:
            # Keep the previous generation: a reader may have just read its name. A ``.tmp`` is
            # what a build killed while writing left behind.
            if old.name not in {name, f"vectors-{generation - 1}.faiss"}:
                old.unlink(missing_ok=True)

    # -- reading ----------------------------------------------------------------------------

    def open_index(self) -> tuple[Store, object]:
        """Open the last complete index for reading.

        Returns:
            ``(store, faiss_index)``; the caller closes the store.

        Raises:
            LibraryError: there is no index yet, or it is damaged (the message says how to repair).
        """
        repair = "run 'citeqa build --full' to rebuild it from the sources"
        if not self.db_path.exists():
            raise LibraryError(f"{self.home}: no index yet; run 'citeqa build'")
        try:
            store = Store(self.db_path, readonly=True)
            name = store.get_meta("vectors_file")
            if name is None:
                store.close()
                raise LibraryError(f"{self.home}: no index yet; run 'citeqa build'")
            return store, read_index(self.home / name, store.chunk_count())
        except (DamagedDatabaseError, DamagedIndexError) as error:
            raise LibraryError(f"{error}; {repair}") from None
        except sqlite3.DatabaseError as error:
            raise LibraryError(f"{self.db_path}: index database is damaged ({error}); {repair}") from None

    # -- internals --------------------------------------------------------------------------

    def _scan(self, indexed: list[StoredDocument] | None = None) -> Scan:
        """The source files and their ids (see ``index.sources.scan``); a clash of ids is settled
        for the file the index already holds under that id, so an indexed source keeps its id.

        Args:
            indexed: the indexed documents, when the caller has them (read from the index if not).
        """
        documents = self._indexed_documents() if indexed is None else indexed
        return scan(self.sources_dir, {d.id: Path(d.path).name for d in documents})

    def _indexed_documents(self) -> list[StoredDocument]:
        if not self.db_path.exists():
            return []
        try:
            store = Store(self.db_path, readonly=True)
        except DamagedDatabaseError:
            return []
        try:
            return store.documents()
        except sqlite3.DatabaseError:
            return []  # a damaged index holds nothing usable; opening it for answers says so
        finally:
            store.close()

    def _read_metadata(self) -> dict:
        path = self.home / "sources.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def _write_metadata(self, data: dict) -> None:
        path = self.home / "sources.json"
        tmp = path.with_name(".sources.json.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True))
        os.replace(tmp, path)


#: Key of a ``sources.json`` entry holding the SHA-256 of the content its metadata was given for.
_HASH = "sha256"


def _metadata_fits(entry: dict, content_hash: str, known: bool) -> bool:
    """Whether a ``sources.json`` entry describes the file whose content has ``content_hash``.

    Args:
        entry: the entry for the file's name.
        content_hash: SHA-256 of the file now under that name.
        known: for an entry from before hashes were recorded, whether the file is known to be
            the one it was given for.
    """
    return entry[_HASH] == content_hash if _HASH in entry else known


class _BuildEncoder:
    """Chooses a build's encoder on its first ``encode`` call, so a build with nothing to embed
    neither exports the model nor loads anything.

    Args:
        choose: returns ``(encoder, notice)`` (``Library._passage_encoder``).
    """

    def __init__(self, choose: Callable[[], tuple[object, str | None]]):
        self._choose = choose
        self._encoder = None
        self.chosen = False
        self.notice: str | None = None

    def encode(self, texts: list[str]):
        """Embed ``texts`` with the chosen encoder (choosing it first if needed)."""
        if not self.chosen:
            self._encoder, self.notice = self._choose()
            self.chosen = True
        return self._encoder.encode(texts)


def _file_hashes(folder: Path, names: tuple[str, ...]) -> dict[str, str | None]:
    """SHA-256 of each named file in ``folder`` (``None`` for a missing one)."""
    from citeqa.index.checks import file_hash  # here: index.checks imports this module

    out = {}
    for name in names:
        try:
            out[name] = file_hash(folder / name)
        except FileNotFoundError:
            out[name] = None
    return out


def _copy_in(path: Path, target: Path) -> None:
    """Copy ``path`` to ``target`` through a temporary file that never outlives a failure."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copy2(path, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _unlink_database(path: Path) -> None:
    """Delete an SQLite database and the log files beside it."""
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        part.unlink(missing_ok=True)


def passage_input(section: str | None, text: str) -> str:
    """What is embedded for a passage: its section heading gives context the text may lack."""
    return f"{section}. {text}" if section else text


def _link(refs_by_doc: dict[str, list[dict]], doc: StoredDocument, given: dict) -> Link | None:
    """The reference ``doc`` is: the number the user gave, else one matched by URL or title."""
    if "ref" in given:
        citing = sorted(
            c
            for c, refs in refs_by_doc.items()
            if any(r["number"] == given["ref"] for r in refs) and given.get("ref_source", c) == c
        )
        return Link(citing[0], given["ref"], "ref") if citing else None
    return find_link(refs_by_doc, doc.id, doc.url, doc.title)


def _apply_reference(doc: StoredDocument, link: Link, refs_by_doc: dict[str, list[dict]], given: dict) -> None:
    """Record the link and take the reference's metadata where the user gave none."""
    ref = next(r for r in refs_by_doc[link.citing] if r["number"] == link.number)
    doc.ref_doc, doc.ref_number, doc.ref_by = link.citing, link.number, link.by
    for field_name, ref_field in (("title", "title"), ("publisher", "author"), ("date", "date"), ("url", "url")):
        if field_name not in given and ref.get(ref_field):
            setattr(doc, field_name, ref[ref_field])


def _stored(doc, doc_id: str, content_hash: str, meta_hash: str, given: dict) -> StoredDocument:
    """The index record of an extracted document; metadata the user gave wins over the file's."""
    return StoredDocument(
        id=doc_id,
        path=doc.path,
        kind=doc.kind,
        title=given.get("title", doc.title),
        authors=doc.authors,
        publisher=given.get("publisher", doc.publisher),
        date=given.get("date", doc.date),
        url=given.get("url", doc.url),
        content_hash=content_hash,
        meta_hash=meta_hash,
        text=doc.text,
        pages=doc.pages,
        refs=[asdict(r) for r in doc.references],
    )
