"""Changes to the library made through the page (add, remove, build), one at a time on their own
thread, each a job whose progress the page polls."""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from citeqa.errors import CiteqaError
from citeqa.index.embed import Embedder
from citeqa.index.errors import ReferenceNotFoundError
from citeqa.index.library import BuildReport, Library, Metadata, outcomes, unindexed
from citeqa.qa.web.reader import Reader

log = logging.getLogger("citeqa.serve")

#: Finished jobs kept for the page to read their outcome; older ones are forgotten.
KEEP_JOBS = 50


class BusyError(CiteqaError):
    """Another change to the library is still running."""


@dataclass
class Job:
    """One change to the library and how far it got.

    Attributes:
        id: the job's id in ``/api/jobs/{id}``.
        kind: ``"add"``, ``"remove"`` or ``"build"``.
        state: ``"running"``, ``"done"`` or ``"failed"``.
        stage: what it is doing now, in words; done, total: progress of that stage.
        result: when done, what ``citeqa add --json`` (or ``remove``, ``build``) prints; also when
            an added file failed (refused, or skipped by the build), which ``error`` names.
        error: when failed, the one-line reason.
    """

    id: str
    kind: str
    state: str = "running"
    stage: str = "waiting to start"
    done: int = 0
    total: int = 0
    result: dict | None = None
    error: str | None = None

    def to_dict(self) -> dict:
        """The JSON shape of ``/api/jobs/{id}``."""
        return asdict(self)


class Jobs:
    """Runs one change to the library at a time and remembers why files were skipped.

    Args:
        library: the library to change.
        reader: the index reader, told to reopen the index after each change.
    """

    def __init__(self, library: Library, reader: Reader):
        self.library = library
        self.reader = reader
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citeqa-build")
        self._jobs: dict[str, Job] = {}
        # Created once: its model loads only if a build has to export the ONNX encoder again.
        self._embedder = Embedder()
        #: The files the last build skipped, each as ``{"path", "reason"}``.
        self.skipped: list[dict] = []

    def get(self, job_id: str) -> Job | None:
        """The job with id ``job_id``, or ``None``."""
        return self._jobs.get(job_id)

    def add(self, upload: Path, metadata: Metadata) -> Job:
        """Add an uploaded file as ``citeqa add`` does: check it, copy it in, build; then delete
        the upload's temporary folder.

        Args:
            upload: the uploaded file, alone in a temporary folder, under the name it had.
            metadata: what the user gave with it.

        Raises:
            BusyError: another change is running.
        """

        def work(job: Job) -> dict:
            try:
                job.stage = "checking the file"
                # One hold of the lock for the copy and the build, as `citeqa add` does.
                with self.library.lock:
                    result = self.library.add_each([upload], metadata)
                    report = self.build(job) if result.added else None
            except ReferenceNotFoundError as error:
                # Named as uploaded, not by its temporary folder's path.
                raise ReferenceNotFoundError(upload.name, error.reason) from None
            finally:
                shutil.rmtree(upload.parent, ignore_errors=True)
            # The temporary folder means nothing to the user: name the file as uploaded.
            skipped = [{**s, "path": upload.name} for s in result.skipped]
            # Refused, or taken in but skipped by the build (no text, a copy): the job failed, as
            # `citeqa add` exits 1, and says why.
            refusal = (skipped or unindexed(result.added, report))[:1]
            job.error = f"{upload.name}: {refusal[0]['reason']}" if refusal else None
            build = report.to_dict() if report else None
            found = outcomes(result.added, report)
            # As ``add --json`` has them, by what happened, named as uploaded.
            return {
                **{kind: [p.name for p in paths] for kind, paths in found.items()},
                "skipped": skipped,
                "build": build,
            }

        return self._start("add", work, cleanup=lambda: shutil.rmtree(upload.parent, ignore_errors=True))

    def remove(self, source_id: str) -> Job:
        """Remove a source as ``citeqa remove`` does: delete its file, then build.

        Raises:
            BusyError: another change is running.
        """
        from citeqa.index.checks import ensure_writable

        def work(job: Job) -> dict:
            job.stage = "removing"
            ensure_writable(self.library.home)
            with self.library.lock:
                path = self.library.remove(source_id)
                report = self.build(job)
            return {"removed": {"id": source_id, "path": str(path)}, "build": report.to_dict()}

        return self._start("remove", work)

    def rebuild(self) -> Job:
        """Bring the index up to date with the sources folder, as ``citeqa build`` does.

        Raises:
            BusyError: another change is running.
        """
        return self._start("build", lambda job: self.build(job).to_dict())

    def build(self, job: Job | None = None) -> BuildReport:
        """Run an incremental build now, reporting its progress in ``job``.

        Returns:
            The ``BuildReport``; its skipped files are remembered in ``skipped``.
        """

        def progress(stage: str, done: int, total: int) -> None:
            if job is not None:
                job.stage, job.done, job.total = stage, done, total

        if job is not None:
            job.stage = "reading new and changed files"
        report = self.library.build(progress=progress, embedder=self._embedder)
        self.skipped = list(report.skipped)
        return report

    def close(self) -> None:
        """Wait for a running change to finish, then stop the thread."""
        self._pool.shutdown(wait=True)

    def _start(self, kind: str, work: Callable[[Job], dict], cleanup: Callable[[], None] | None = None) -> Job:
        if any(j.state == "running" for j in self._jobs.values()):
            if cleanup:
                cleanup()
            raise BusyError("another change to the library is still running; wait for it to finish")
        job = Job(uuid.uuid4().hex, kind)
        self._jobs[job.id] = job
        for old in list(self._jobs)[:-KEEP_JOBS]:
            del self._jobs[old]
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable[[Job], dict]) -> None:
        try:
            job.result = work(job)
            job.state = "failed" if job.error else "done"
        except (CiteqaError, OSError) as error:
            job.error, job.state = _one_line(error), "failed"
        except Exception as error:  # a bug must still end the job, or the page would wait forever
            log.exception("job %s failed", job.id)
            job.error, job.state = f"internal error: {_one_line(error)}", "failed"
        finally:
            job.stage = job.state
            self.reader.refresh()


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror or error}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__
