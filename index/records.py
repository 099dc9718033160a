"""Records that cross module lines: a document and a chunk as the index stores them, a source
file as the library lists it, the metadata a user gives for one, and what adding files did."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from citeqa.corpus.dates import parse_date
from citeqa.corpus.model import page_at
from citeqa.index.errors import MetadataError


@dataclass
class StoredDocument:
    """A document as the index holds it: its metadata, hashes and extracted text."""

    id: str
    path: str
    kind: str
    title: str | None
    authors: list[str]
    publisher: str | None
    date: str | None
    url: str | None
    content_hash: str
    meta_hash: str
    text: str
    pages: list[tuple[int, int]] = field(default_factory=list)
    page_labels: dict[int, str] = field(default_factory=dict)
    refs: list[dict] = field(default_factory=list)
    ref_doc: str | None = None
    ref_number: int | None = None
    ref_by: str | None = None
    chunk_count: int = 0

    def page_at(self, offset: int) -> int | None:
        """Number of the page holding character ``offset``, or ``None`` for unpaged documents."""
        return page_at(self.pages, offset)

    def page_label(self, number: int) -> str:
        """The number page ``number`` prints (``Document.page_labels``), else its own."""
        return self.page_labels.get(number, str(number))

    @classmethod
    def from_row(cls, row) -> StoredDocument:
        """The document of a ``documents`` row (its lists and maps stored as JSON)."""
        return cls(
            **_columns(cls, row)
            | {
                "authors": json.loads(row["authors"]),
                "pages": [tuple(p) for p in json.loads(row["pages"])],
                "page_labels": {int(n): label for n, label in json.loads(row["page_labels"]).items()},
                "refs": json.loads(row["refs"]),
            }
        )


@dataclass
class StoredChunk:
    """A chunk row: its text, location and the sentence spans used for highlighting."""

    rowid: int
    id: str
    doc_id: str
    ordinal: int
    start: int
    end: int
    section: str | None
    kind: str
    page_start: int | None
    page_end: int | None
    text: str
    sentences: list[tuple[int, int]]

    def span(self, sentence: int) -> tuple[int, int]:
        """Document offsets of sentence number ``sentence`` (the whole chunk if none are recorded)."""
        return self.sentences[sentence] if self.sentences else (self.start, self.end)

    def sentence_text(self, sentence: int) -> str:
        """The text of sentence number ``sentence`` (see ``span``)."""
        start, end = self.span(sentence)
        return self.text[start - self.start : end - self.start]

    @classmethod
    def from_row(cls, row) -> StoredChunk:
        """The chunk of a ``chunks`` row (its sentence spans stored as JSON)."""
        return cls(**_columns(cls, row) | {"sentences": [tuple(s) for s in json.loads(row["sentences"])]})


@dataclass
class Source:
    """A file in the library's sources folder and what the index knows of it."""

    id: str
    path: str
    kind: str
    title: str | None
    chunks: int
    indexed: bool
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)


def author_list(authors: list[str]) -> str:
    """Authors as reference lists give them: three names at most, then "et al."."""
    return ", ".join(authors[:3]) + (" et al." if len(authors) > 3 else "")


@dataclass
class AddReport:
    """What adding a batch of files did.

    Attributes:
        added: where each file that went in was copied to.
        skipped: each refused file as ``{"path", "reason"}``, as ``BuildReport.skipped`` names them.
        created: the library was made by this call, with the bundled article as its first source.
    """

    added: list[Path] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    created: bool = False


_REF = re.compile(r"(?:(?P<source>[^:]+):)?(?P<number>[0-9]{1,4})")
# A link a reader can follow: a web scheme, a host, no spaces.
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


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
    authors: list[str] | None = None
    #: The fields whose earlier given values go, as a manifest's ``"date": null`` says.
    cleared: tuple[str, ...] = ()

    def given(self) -> dict:
        """The fields that were set."""
        return {k: v for k, v in asdict(self).items() if v is not None and k != "cleared"}

    @classmethod
    def parse(cls, title=None, publisher=None, date=None, url=None, ref=None, authors=None) -> Metadata:
        """Metadata from the strings a user typed (an option, a manifest cell, a form field).

        Args:
            title, publisher: taken as given (blank: not given).
            url: an ``http://`` or ``https://`` address (blank: not given).
            date: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
            ref: a reference number ``N``, or ``SOURCE:N`` when several sources have a reference
                list; ASCII digits only (``int`` also reads digits such as "²" or "١٢").
            authors: names, as a list or one string separating them with ";" ("Ann Lee; Bo Kim").

        Raises:
            MetadataError: the URL, the date or the reference is malformed; ``field`` names which.
        """
        # A blank value is no value, as an empty manifest cell is not.
        title, publisher, url = (v.strip() or None if isinstance(v, str) else v for v in (title, publisher, url))
        if url is not None and not _WEB_ADDRESS.fullmatch(url):
            raise MetadataError("url", f"'{url}' is not a web address (http:// or https:// and a host)")
        if date is not None and parse_date(date) != date:
            raise MetadataError("date", f"'{date}' is not a calendar date of the form YYYY-MM-DD (or YYYY-MM, YYYY)")
        number, ref_source = None, None
        if ref is not None:
            match = _REF.fullmatch(ref)
            if match is None:
                raise MetadataError("ref", f"'{ref}' is not a reference number (N or SOURCE:N)")
            number, ref_source = int(match["number"]), match["source"]
        names = [a.strip() for a in (authors.split(";") if isinstance(authors, str) else authors or []) if a.strip()]
        return cls(
            title=title,
            publisher=publisher,
            date=date,
            url=url,
            ref=number,
            ref_source=ref_source,
            authors=names or None,
        )


def _columns(cls, row) -> dict:
    """The values of a row's columns named as ``cls``'s fields."""
    return {f.name: row[f.name] for f in fields(cls)}
