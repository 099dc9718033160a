"""The reference lists of the library's sources: their entries with the source linked to each,
and the numbers a file added with ``--ref`` may name.

Both are read from the index where it holds a source as the source is now: the index keeps each
document's parsed reference list, so only sources it lacks, or holds in another version, are
extracted again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from citeqa import corpus
from citeqa.corpus.model import ExtractionError
from citeqa.index.catalog import Catalog, Metadata, given_for
from citeqa.index.checks import file_hash
from citeqa.index.errors import ReferenceNotFoundError
from citeqa.index.plan import meta_hash
from citeqa.index.sources import doc_id_for
from citeqa.index.store import StoredDocument


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


def list_references(indexed: list[StoredDocument]) -> list[Entry]:
    """Every reference-list entry of the indexed sources, with the source linked to it.

    Args:
        indexed: the documents the index holds.

    Returns:
        Entries ordered by citing document and number.
    """
    links = {(d.ref_doc, d.ref_number): d for d in indexed if d.ref_doc}
    out = []
    for doc in sorted(indexed, key=lambda d: d.id):
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


def reference_numbers(catalog: Catalog, indexed: list[StoredDocument]) -> set[tuple[str, int]]:
    """``(source id, number)`` of every reference entry in the library's text sources, indexed or not.

    A source the index holds with the same content, metadata and pipeline version (what a build
    would find unchanged) is taken from the index, which is what the next build links against;
    every other text source is extracted.

    Args:
        catalog: the library's sources.
        indexed: the documents the index holds.

    Returns:
        The set of pairs.
    """
    held = {d.id: d for d in indexed}
    metadata = catalog.read_metadata()
    numbers = set()
    for name, doc_id in catalog.scan(indexed).ids.items():
        path = catalog.sources_dir / name
        if corpus.SUFFIXES.get(path.suffix.lower()) != "text":
            continue
        doc = held.get(doc_id)
        if doc is not None and _holds_as_is(doc, path, given_for(metadata, name)):
            numbers.update((doc_id, ref["number"]) for ref in doc.refs)
            continue
        try:
            numbers.update((doc_id, r.number) for r in corpus.extract_bounded(path).references)
        except ExtractionError:
            continue
    return numbers


def reference_claims(catalog: Catalog, indexed: list[StoredDocument], numbers: Callable[[], set]) -> dict:
    """Which source each reference entry already is: ``{(citing id, number): source id}``, from
    the index's links and from the numbers given to files staged since (``add --no-build``).

    Args:
        catalog: the library's sources.
        indexed: the documents the index holds.
        numbers: returns what :func:`reference_numbers` does; called only when a staged file has a ``ref``.
    """
    claims = {(d.ref_doc, d.ref_number): d.id for d in indexed if d.ref_doc and d.ref_number is not None}
    for name, given in catalog.read_metadata().items():
        if isinstance(given.get("ref"), int):
            citing = sorted(c for c, n in numbers() if n == given["ref"] and given.get("ref_source") in (None, c))
            claims.update({(citing[0], given["ref"]): doc_id_for(name)} if citing else {})
    return claims


def check_reference(
    path: str | Path, metadata: Metadata | None, numbers: Callable[[], set[tuple[str, int]]], claims: Callable[[], dict]
) -> None:
    """Refuse metadata that gives a reference number no source lists, or one another source is;
    else record the file's claim to it, so that a second file of the same batch is refused too.

    Args:
        path: the file the metadata is for (named in the error).
        metadata: its metadata, if any.
        numbers: returns what :func:`reference_numbers` does; called only when ``metadata`` has a ``ref``.
        claims: returns what :func:`reference_claims` does, the same dict each call (updated in
            place); called only when ``metadata`` has a ``ref``.

    Raises:
        ReferenceNotFoundError: no source (or not the one ``ref_source`` names) lists the number,
            several do and none is named, or the entry is already another source: a second file
            linked to it would be cited with that source's title, publisher, date and URL.
    """
    if not metadata or metadata.ref is None:
        return
    if metadata.ref_source and metadata.ref_source not in {c for c, _ in numbers()}:
        raise ReferenceNotFoundError(
            str(path), f"no source '{metadata.ref_source}' with a reference list (see 'citeqa refs')"
        )
    citing = sorted(c for c, n in numbers() if n == metadata.ref and metadata.ref_source in (None, c))
    if not citing:
        where = f"source '{metadata.ref_source}'" if metadata.ref_source else "the library's sources"
        raise ReferenceNotFoundError(str(path), f"no reference [{metadata.ref}] in {where} (see 'citeqa refs')")
    if len(citing) > 1:
        # The build would link it to the first in id order, and cite it as that entry.
        raise ReferenceNotFoundError(
            str(path),
            f"reference [{metadata.ref}] is in the lists of {', '.join(citing)}: give SOURCE:{metadata.ref}",
        )
    own, key = doc_id_for(Path(path).name), (citing[0], metadata.ref)
    taken = claims().setdefault(key, own)
    if taken != own:
        raise ReferenceNotFoundError(
            str(path),
            f"reference [{metadata.ref}] of {citing[0]} is already the source '{taken}' "
            f"('citeqa remove {taken}' first to replace it)",
        )


def _holds_as_is(doc: StoredDocument, path: Path, given: dict) -> bool:
    """Whether ``doc`` was indexed from the file now at ``path``, with the metadata given for it now."""
    if Path(doc.path).name != path.name or doc.meta_hash != meta_hash(path.name, given):
        return False
    try:
        return doc.content_hash == file_hash(path)
    except OSError:
        return False
