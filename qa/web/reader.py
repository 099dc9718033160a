"""The index as the server reads it: one thread owns the question encoder, the ranker and the open
index, so every question, source and audit is served from what loaded once at start-up."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from citeqa.index.errors import LibraryError
from citeqa.index.library import Library
from citeqa.qa.answer import Asker
from citeqa.qa.audit import audit


class Reader:
    """Runs every read of the index on one thread, with one ``Asker`` kept open.

    SQLite connections belong to the thread that made them, and a question is a few milliseconds,
    so one thread serves all reads in turn. Each read runs in one read transaction, a snapshot
    (the index is in WAL mode) that a build committing meanwhile does not change. At its start the
    index's current FAISS file name is compared with the one the ``Asker`` opened: a build
    (through the page, or ``citeqa add`` in a terminal) publishes a new one, and the index is then
    reopened, without a restart, so the FAISS rowids and the database rows always agree.

    Args:
        library: the built library to read.
    """

    def __init__(self, library: Library):
        self.library = library
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citeqa-index")
        self._asker: Asker | None = None
        self._opened: str | None = None
        self._encoder = None
        #: Why questions are not encoded with the ONNX export, or ``None``.
        self.notice: str | None = None
        self._audits: dict[str | None, tuple[dict, str]] = {}

    def open(self) -> None:
        """Load the encoder, the ranker and the index now: the first question should not wait."""
        self._pool.submit(self._read, lambda asker: None, ()).result()

    async def run(self, work, *args):
        """Run ``work(asker, *args)`` on the index thread.

        Args:
            work: a function of an open ``Asker`` and ``args``.

        Returns:
            What ``work`` returned (its exceptions are raised here).
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._read, work, args)

    async def audit(self, source_id: str | None) -> tuple[dict, str]:
        """The audit of ``source_id`` (default: the only source with a reference list), kept until
        the index changes.

        Returns:
            ``(report, text)``: the audit as ``citeqa audit --json`` prints it, and the audited
            source's extracted text, which the claims' offsets point into.

        Raises:
            AuditError: no such source, or it has no reference list.
        """
        return await self.run(self._audit, source_id)

    def refresh(self) -> None:
        """Reopen the index in the background if a build changed it, so the next read need not."""
        self._pool.submit(self._read, lambda asker: None, ())

    def close(self) -> None:
        """Close the index and stop the thread."""
        self._pool.submit(self._drop).result()
        self._pool.shutdown()

    def _audit(self, asker: Asker, source_id: str | None) -> tuple[dict, str]:
        if source_id not in self._audits:
            # Read through the Asker's connection, in this read's snapshot.
            result = audit(self.library, source_id, embedder=self._encoder, opened=(asker.store, asker.index))
            self._audits[source_id] = (result.to_dict(), result.text)
        return self._audits[source_id]

    def _read(self, work, args: tuple):
        """``work(asker, *args)`` inside one read transaction of an up-to-date ``Asker``."""
        asker = self._snapshot()
        try:
            return work(asker, *args)
        finally:
            if asker.store.db.in_transaction:
                asker.store.db.rollback()

    def _snapshot(self, attempts: int = 5) -> Asker:
        """The ``Asker`` of the index as it is now, its connection in a read transaction.

        Raises:
            LibraryError: builds kept publishing a new index while it was being opened.
        """
        for _ in range(attempts):
            if self._asker is not None:
                db = self._asker.store.db
                db.execute("BEGIN")
                # The transaction's first read fixes its snapshot: what it names is what is read.
                if self._asker.store.get_meta("vectors_file") == self._opened:
                    return self._asker
                db.rollback()
            self._open()
        raise LibraryError(f"{self.library.home}: the index kept changing while it was opened; try again")

    def _open(self) -> None:
        self._drop()
        if self._encoder is None:
            self._encoder, self.notice = self.library.query_encoder()
        asker = Asker(self.library, embedder=self._encoder)
        asker.scorer  # noqa: B018 (read now, not on the first question)
        # The name Asker opened with: open_index reads it and the FAISS file in one transaction.
        self._opened = asker.store.vectors_file
        self._asker = asker

    def _drop(self) -> None:
        if self._asker is not None:
            self._asker.close()
        self._asker, self._opened = None, None
        self._audits.clear()
