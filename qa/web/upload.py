"""An uploaded file and its metadata, checked before it reaches ``Library.add_each``: the size
cap, a plain file name, and metadata of the forms ``citeqa add`` accepts."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request

from citeqa.errors import CiteqaError
from citeqa.index.errors import MetadataError
from citeqa.index.library import Metadata

#: Room the multipart envelope and the metadata fields take besides the file itself.
ENVELOPE_BYTES = 64 * 1024


class RequestError(CiteqaError):
    """A request refused before anything changed; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


#: The metadata fields an upload may give, as ``Metadata.parse`` names them.
_FIELDS = ("title", "publisher", "date", "url", "ref", "authors")


async def receive(request: Request, max_bytes: int) -> tuple[Path, Metadata]:
    """Read an upload (multipart: ``file`` and optional ``title``, ``authors`` (names separated by
    ";"), ``publisher``, ``date``, ``url``, ``ref``) into a new temporary folder under its own file name.

    Args:
        request: the request.
        max_bytes: the largest file accepted.

    Returns:
        ``(path, metadata)``; the caller deletes ``path.parent`` when done with it.

    Raises:
        RequestError: no or an unreadable length (411), too large (413), no file, a file name
            that is not a plain name, or malformed metadata (400). Nothing is kept.
    """
    length = request.headers.get("content-length", "")
    if not (length.isascii() and length.isdigit()):
        raise RequestError(411, "an upload must give its Content-Length")
    if int(length) > max_bytes + ENVELOPE_BYTES:
        raise RequestError(413, f"the upload is larger than the {_mb(max_bytes)} limit (citeqa serve --max-upload)")
    async with request.form(max_files=1, max_fields=9) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise RequestError(400, "no file in the upload (field 'file')")
        metadata = parse_metadata({k: form.get(k) for k in _FIELDS})
        name = safe_name(upload.filename or "")
        folder = Path(tempfile.mkdtemp(prefix="citeqa-upload-"))
        try:
            await _copy(upload, folder / name, max_bytes)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return folder / name, metadata


def safe_name(name: str) -> str:
    """The file name to give an upload, which must be a plain name: its last path part, with no
    control character, not hidden and not ``..``.

    Raises:
        RequestError: (400) the name is empty, hidden, or holds control characters.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not base or base.startswith(".") or any(unicodedata.category(c)[0] == "C" for c in base):
        raise RequestError(400, f"{name!r} is not a plain file name")
    if len(base.encode("utf-8")) > 200:
        raise RequestError(400, "the file name is too long (more than 200 bytes)")
    return base


def parse_metadata(fields: dict[str, object]) -> Metadata:
    """Metadata from the form's fields, checked as ``citeqa add`` checks its options (empty is
    not given).

    Raises:
        RequestError: (400) the date is not YYYY-MM-DD, YYYY-MM or YYYY, or ref is not N or SOURCE:N.
    """
    given = {k: v.strip() for k, v in fields.items() if isinstance(v, str) and v.strip()}
    try:
        return Metadata.parse(**{k: given.get(k) for k in _FIELDS})
    except MetadataError as error:
        raise RequestError(400, str(error)) from None


async def _copy(upload: UploadFile, target: Path, max_bytes: int) -> None:
    """Copy the upload to ``target``, refusing it past ``max_bytes`` whatever its length claimed."""
    written = 0
    with open(target, "xb") as out:
        while chunk := await upload.read(1024 * 1024):
            written += len(chunk)
            if written > max_bytes:
                raise RequestError(
                    413, f"the file is larger than the {_mb(max_bytes)} limit (citeqa serve --max-upload)"
                )
            out.write(chunk)


def _mb(size: int) -> str:
    return f"{size / 2**20:g} MB" if size >= 2**20 else f"{size / 1024:g} KB"
