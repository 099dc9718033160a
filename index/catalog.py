"""The library's sources: the files of its sources folder and the metadata ``sources.json`` gives them.

Every file the user added is copied into ``sources/``, and what the user said about it (title,
publisher, date, url, reference) is kept in ``sources.json`` by file name, with the SHA-256 of the
content it was given for: a later file of the same name is another document and must not be
cited with it, unless it is that document edited (``plan._settle_metadata`` tells them apart).
The index derives from these two alone.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from citeqa import corpus
from citeqa.corpus.model import ExtractionError
from citeqa.index.checks import file_hash
from citeqa.index.edits import edited
from citeqa.index.errors import (
    DuplicateContentError,
    LibraryError,
    NameClashError,
    ReferenceNotFoundError,
)
from citeqa.index.records import AddReport, Metadata, Source
from citeqa.index.sources import Scan, doc_id_for, scan
from citeqa.index.store import StoredDocument

#: Key of a ``sources.json`` entry holding the SHA-256 of the content its metadata was given for.
HASH = "sha256"


#: A reference as a user writes it: N, or SOURCE:N.
def default_home() -> Path:
    """``$CITEQA_HOME`` if set, else the per-user data folder (``$XDG_DATA_HOME/citeqa``)."""
    if os.environ.get("CITEQA_HOME"):
        return Path(os.environ["CITEQA_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "citeqa"


def metadata_fits(entry: dict, content_hash: str, known: bool) -> bool:
    """Whether a ``sources.json`` entry describes the file whose content has ``content_hash``.

    Args:
        entry: the entry for the file's name.
        content_hash: SHA-256 of the file now under that name.
        known: for an entry from before hashes were recorded, whether the file is known to be
            the one it was given for.

    Returns:
        True when the entry's metadata may be used for that file.
    """
    return entry[HASH] == content_hash if HASH in entry else known


def given_for(metadata: dict, name: str) -> dict:
    """The metadata ``sources.json`` (as read) gives the file ``name``, without its content hash.

    Args:
        metadata: the whole of ``sources.json``.
        name: a file name in the sources folder.

    Returns:
        The given fields (empty when none were given).
    """
    return {k: v for k, v in metadata.get(name, {}).items() if k != HASH}


class Catalog:
    """The sources folder and ``sources.json`` of a library at ``home``.

    Nothing is written until :meth:`create`: reading a library that does not exist yet finds no
    sources. The caller holds the library's lock around every method that writes.

    Args:
        home: the library folder.
    """

    def __init__(self, home: Path):
        self.home = home
        self.sources_dir = home / "sources"
        self.metadata_path = home / "sources.json"

    def create(self) -> bool:
        """Make the sources folder, with the bundled article as its first source, unless it exists.

        The folder is filled aside and renamed into place, so a process killed meanwhile never
        leaves a library that lacks the article without the user having removed it.

        Returns:
            Whether the folder was made now.
        """
        if self.sources_dir.exists():
            return False
        self.home.mkdir(parents=True, exist_ok=True)
        fresh = self.home / ".sources.new"
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        shutil.copy2(corpus.BUNDLED_ARTICLE, fresh / corpus.BUNDLED_ARTICLE.name)
        os.replace(fresh, self.sources_dir)
        return True

    def scan(self, indexed: list[StoredDocument]) -> Scan:
        """The source files and their ids (see ``index.sources.scan``); a clash of ids is settled
        for the file the index already holds under that id, so an indexed source keeps its id.

        Args:
            indexed: the documents the index holds.

        Returns:
            A ``Scan``; an empty one while the sources folder does not exist.
        """
        if not self.sources_dir.is_dir():
            return Scan()
        return scan(self.sources_dir, {d.id: Path(d.path).name for d in indexed})

    def sources(self, indexed: list[StoredDocument]) -> list[Source]:
        """Every source file with what the index holds for it.

        Args:
            indexed: the documents the index holds.

        Returns:
            One ``Source`` a file, in name order.
        """
        by_id = {d.id: d for d in indexed}
        metadata = self.read_metadata()
        out = []
        for name, doc_id in self.scan(indexed).ids.items():
            path = self.sources_dir / name
            doc = by_id.get(doc_id)
            # The metadata given for a file overrides what the last build read: a new --url shows
            # before the build that takes it (a file edited beyond recognition since loses it then).
            indexed_fields = (
                {f: getattr(doc, f) for f in ("title", "publisher", "date", "url", "authors")} if doc else {}
            )
            known = {**indexed_fields, **given_for(metadata, name)}
            out.append(
                Source(
                    id=doc_id,
                    path=str(path),
                    kind=corpus.SUFFIXES.get(path.suffix.lower(), "?"),
                    title=known.get("title"),
                    chunks=doc.chunk_count if doc else 0,
                    indexed=doc is not None,
                    publisher=known.get("publisher"),
                    date=known.get("date"),
                    url=known.get("url"),
                    authors=list(known.get("authors") or []),
                )
            )
        return out

    def add(
        self,
        paths: list[str | Path],
        given: list[Metadata | None],
        indexed: list[StoredDocument],
        strict: bool,
        check: Callable[[Path, Metadata | None], None] | None = None,
    ) -> AddReport:
        """Copy every file that reads and clashes with no other into the sources folder, with its metadata.

        A disk failing part-way leaves the files copied so far, with their metadata, and no
        temporary file.

        Args:
            paths: files to add.
            given: the metadata of each file (``None`` for none).
            indexed: the documents the index holds (they keep their ids).
            strict: refuse the whole batch at its first bad file, copying nothing.
            check: raises ``ReferenceNotFoundError`` for a file whose own metadata names no
                reference (``None`` when the metadata was checked for the whole batch).

        Returns:
            An ``AddReport`` of the files copied in and those refused.

        Raises:
            ExtractionError, NameClashError, ReferenceNotFoundError: ``strict`` and a file was refused.
        """
        report, accepted, edits = AddReport(), [], set()
        taken = {doc_id: name for name, doc_id in self.scan(indexed).ids.items()}
        # Only files of the same size can be copies: most adds hash nothing but the new file.
        held = {name: self.sources_dir / name for name in taken.values()}
        for path, meta in zip(map(Path, paths), given, strict=True):
            try:
                if check:
                    check(path, meta)
                target, replaces = self._target(path, {t: p for p, t, _ in accepted}, taken)
                if replaces:
                    edits.add(target)
                _not_a_copy(path, target.name, held, {t.name for _, t, _ in accepted})
            except (ExtractionError, NameClashError, DuplicateContentError, ReferenceNotFoundError) as error:
                if strict:
                    raise
                report.skipped.append({"path": str(path), "reason": error.reason})
                continue
            accepted.append((path, target, meta))
            taken[doc_id_for(target.name)] = target.name
            held[target.name] = path
        report.added = self._copy_all(accepted, edits)
        return report

    def _copy_all(self, accepted: list[tuple[Path, Path, Metadata | None]], edits: set[Path]) -> list[Path]:
        """Copy each accepted file to its target and record its metadata, tied to its content.

        Args:
            accepted: ``(file, target, metadata)`` of each file to copy in.
            edits: the targets an edit of their document replaces; their metadata is kept, tied to
                the new content.

        Returns:
            The targets, in order.
        """
        metadata, copied = self.read_metadata(), []
        try:
            for path, target, meta in accepted:
                existed = target.exists()
                if target.resolve() != path.resolve():
                    _copy_in(path, target)
                content_hash = file_hash(target)
                entry = metadata.get(target.name)
                if target in edits and entry is not None:
                    entry[HASH] = content_hash  # the same document: its metadata goes with the edit
                elif entry is not None and not metadata_fits(entry, content_hash, existed):
                    metadata.pop(target.name)
                    entry = None
                if meta and (meta.given() or meta.cleared):
                    # Added again with one field ("--url ..."): the fields given before stay, but
                    # those cleared.
                    kept = {k: v for k, v in (entry or {}).items() if k != HASH and k not in meta.cleared}
                    if {"ref"} & {*meta.given(), *meta.cleared}:  # a new reference number replaces the old one's source
                        kept.pop("ref_source", None)
                    metadata[target.name] = {**kept, **meta.given(), HASH: content_hash}
                copied.append(target)
        finally:
            # Even when a copy fails part-way (a full disk), the files already copied in keep
            # the metadata they were given.
            self.write_metadata(metadata)
        return copied

    def _target(self, path: Path, batch: dict[Path, Path], taken: dict[str, str]) -> tuple[Path, bool]:
        """Where ``path`` goes in the sources folder, once it reads and clashes with no other file,
        and whether it replaces an earlier version of its document there.

        Args:
            path: the file to add.
            batch: the target and source of each file of this batch already accepted.
            taken: the file name holding each document id, in the library or earlier in the batch.

        Raises:
            ExtractionError: the file cannot be read as a source.
            NameClashError: a different file of that name is already in the library (not the
                document it holds edited, which replaces it) or earlier in the batch (copying both
                would keep only the last), or a file of another name has its document id (the
                build could index only one of them).
        """
        if path.name.startswith("."):
            # The build skips hidden files, as it skips editors' swap files: copied in, this one
            # would never be indexed, listed or removable.
            raise ExtractionError(str(path), "a hidden file (its name starts with '.'); rename it to add it")
        document = corpus.extract_bounded(path)
        target = self.sources_dir / path.name
        earlier = batch.get(target)
        if earlier is not None and not _same_bytes(earlier, path):
            raise NameClashError(
                str(path), f"a different file named {path.name} comes earlier in this batch ({earlier})"
            )
        replaces = target.exists() and not _same_bytes(target, path)
        if replaces and not _edit_of(target, document.text):
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
        return target, replaces

    def remove(self, doc_id: str, indexed: list[StoredDocument]) -> Path:
        """Delete the source file with id ``doc_id`` and its metadata.

        Args:
            doc_id: the source's id.
            indexed: the documents the index holds (they keep their ids).

        Returns:
            The path of the deleted file.

        Raises:
            LibraryError: no source has that id.
        """
        ids = self.scan(indexed).ids
        for name, candidate in ids.items():
            if candidate == doc_id:
                metadata = self.read_metadata()
                metadata.pop(name, None)
                self.write_metadata(metadata)
                path = self.sources_dir / name
                path.unlink()
                return path
        # A file's name, as the user added it ("kobe.txt" for the id "kobe"), or its name without
        # the suffix ("Über Katzen" for "über-katzen-0783e5").
        meant = ids.get(doc_id) or next(
            (i for n, i in ids.items() if Path(n).stem.casefold() == doc_id.casefold()), None
        )
        if meant:
            raise LibraryError(f"no source with id '{doc_id}'; did you mean '{meant}'?")
        raise LibraryError(f"no source with id '{doc_id}' (see 'citeqa sources')")

    def read_metadata(self) -> dict:
        """The whole of ``sources.json``: each file name's given metadata (empty when there is none).

        Returns:
            ``{file name: {field: value, "sha256": content hash}}``.

        Raises:
            LibraryError: the file is not such an object (edited by hand, or damaged).
        """
        if not self.metadata_path.exists():
            return {}
        try:
            data = json.loads(self.metadata_path.read_text(encoding="utf-8"))
            problem = None if _entries(data) else "not an object of file names and their metadata"
        except (ValueError, UnicodeDecodeError) as error:
            problem = f"not JSON: {error}"
        if problem:
            raise LibraryError(
                f"{self.metadata_path}: the sources' metadata is damaged ({problem}); mend it, or remove it "
                "to keep the sources without the metadata given them"
            )
        return data

    def write_metadata(self, data: dict) -> None:
        """Replace ``sources.json`` with ``data`` in one step, so a crash leaves the old file or the new.

        Args:
            data: what :meth:`read_metadata` returns, changed.
        """
        tmp = self.metadata_path.with_name(".sources.json.tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True))
        os.replace(tmp, self.metadata_path)


def _same_bytes(one: Path, other: Path) -> bool:
    return one.stat().st_size == other.stat().st_size and one.read_bytes() == other.read_bytes()


def _edit_of(target: Path, text: str) -> bool:
    """Whether ``text`` is the document in ``target`` edited: added again, it replaces it, as
    saving it over the copy in the sources folder would. Each must keep most of the other's runs
    of words (``edits.edited`` both ways), so that a short note is not taken for any longer text
    that holds its words, nor a document for one it is quoted in."""
    try:
        before = corpus.extract_bounded(target).text
    except ExtractionError:
        return False
    return edited(before, text) and edited(text, before)


def _entries(data: object) -> bool:
    """Whether ``data`` is what ``sources.json`` holds: an object of file names, each an object."""
    return isinstance(data, dict) and all(isinstance(entry, dict) for entry in data.values())


def _not_a_copy(path: Path, name: str, held: dict[str, Path], batch: set[str]) -> None:
    """Refuse ``path`` (to be added as ``name``) when a file of another name, in the library or
    earlier in this batch (``held``: each name and where its content is), has its content. A
    file that has the content of ``name`` itself (added again) is no copy, even where an older
    library already holds a copy of it.

    Raises:
        DuplicateContentError: naming the file it repeats and its id.
    """
    size = path.stat().st_size
    alike = [n for n, p in held.items() if p.exists() and p.stat().st_size == size]
    if not alike or name in alike and file_hash(held[name]) == file_hash(path):
        return
    content = file_hash(path)
    same = next((n for n in alike if n != name and file_hash(held[n]) == content), None)
    if same is not None:
        where = "earlier in this batch" if same in batch else f"already in the library as '{doc_id_for(same)}'"
        raise DuplicateContentError(str(path), f"same content as {same}, {where}; not added")


def _copy_in(path: Path, target: Path) -> None:
    """Copy ``path`` to ``target`` through a temporary file that never outlives a failure."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        shutil.copy2(path, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
