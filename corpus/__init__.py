"""Turning source files into text with structure, and that text into passages.

The entry point is :func:`extract`, which picks the ingestor by the file's type;
:func:`extract_bounded` runs it within a time and a memory limit, for files nobody has vetted.
"""

from __future__ import annotations

from pathlib import Path

from citeqa.corpus.chunking import chunk_document
from citeqa.corpus.limits import extract_bounded
from citeqa.corpus.model import Block, Chunk, Document, ExtractionError, Reference

#: File suffixes each ingestor reads.
SUFFIXES = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}

#: Bigger files are refused before reading: nothing a person saves as a source is this large.
MAX_BYTES = 100 * 1024 * 1024

BUNDLED_ARTICLE = Path(__file__).parent / "data" / "sahoo-2026-economic-security-as-strategic-diplomacy.txt"

__all__ = [
    "BUNDLED_ARTICLE",
    "Block",
    "Chunk",
    "Document",
    "ExtractionError",
    "Reference",
    "SUFFIXES",
    "chunk_document",
    "extract",
    "extract_bounded",
    "too_large",
]


def too_large(size: int) -> str | None:
    """The reason a file of ``size`` bytes is refused unread, or ``None`` if it is not too large."""
    if size <= MAX_BYTES:
        return None
    return f"file too large ({size / 2**20:.0f} MB; limit {MAX_BYTES // 2**20} MB)"


def extract(path: str | Path) -> Document:
    """Extract text and structure from one source file, choosing the ingestor by suffix.

    Args:
        path: a ``.txt``/``.md``, ``.html``/``.htm`` or ``.pdf`` file.

    Returns:
        The extracted ``Document``.

    Raises:
        ExtractionError: the file is missing, empty, too large, of an unsupported type, or its
            content cannot be read as its type claims. The message is one line naming the file.
    """
    name = str(path)
    path = Path(path)
    if not path.exists():
        raise ExtractionError(name, "no such file")
    if path.is_dir():
        raise ExtractionError(name, "is a directory, not a file")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        supported = ", ".join(sorted(SUFFIXES))
        raise ExtractionError(name, f"unsupported file type '{path.suffix or '(none)'}' (supported: {supported})")
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError(name, "empty file")
    refused = too_large(size)
    if refused:
        raise ExtractionError(name, refused)
    if kind == "text":
        from citeqa.corpus.text import read_text as reader
    elif kind == "html":
        from citeqa.corpus.html import read_html as reader
    else:
        from citeqa.corpus.pdf import read_pdf as reader
    try:
        return reader(name)
    except ExtractionError:
        raise
    except Exception as error:  # a file no rule foresaw must cost only itself, never the build
        raise ExtractionError(name, f"could not be read ({type(error).__name__}: {error})") from None
