"""Planning a build: which source files are new, changed or unchanged, and which documents are gone.

A plan reads each file's bytes once, to hash them: a document whose content and metadata hashes
match the index's is unchanged and costs the build nothing more. It extracts only a file whose
content changed under metadata given for the old content, to tell an edit from another document.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from citeqa import corpus
from citeqa.corpus.model import Document, ExtractionError
from citeqa.index.catalog import HASH, Catalog, given_for, metadata_fits
from citeqa.index.checks import file_hash
from citeqa.index.edits import edited
from citeqa.index.encoders import EMBEDDING
from citeqa.index.store import StoredDocument

#: Bump when extraction or chunking changes what a file yields, so every document is re-indexed.
#: 2: web pages are no longer dated from free text (a copyright year); 3: short front matter
#: joins the passage after it; 4: "p.m." ends a sentence again, "C.C." still does not; 5: a
#: sentence of wrapped plain text runs across its line breaks, a headline joins the first
#: paragraph across a heading, and PDF and web pages are read as the merges of f22efa0 and
#: bb06fc5 read them (headings at page tops, ligatures, inline code, text straight in <body>),
#: and Markdown's titles, heading lines and code fences are read as such, as are texts with one
#: paragraph a line and news bylines and datelines, and the reference lists of PDF and web pages
#: are entries of their own and the source's references; 6: datelines, fences and sentences
#: after the second review (and so that libraries built during 5's changes are read again); 7:
#: a news byline and dateline on lines of their own are read apart; 8: underlined Markdown titles
#: and headings, marker lists ("[3, 7]"), quoted reference titles holding full stops, and the
#: page numbers a PDF prints (its page labels); a web page is not dated by a code sample's stamp,
#: keeps headings wrapped in links to themselves, and is titled by its own part of the <title>;
#: Markdown headings name their sections without emphasis marks; in a text, a line with a web
#: address is no title, "Page last updated at ..." is a dateline, and only names are authors; a
#: dateline may end with the time it was updated ("| Updated: ...") or stand in brackets; 9: a
#: dateline may start with the place ("New Delhi, 15 December 2025") and give a 12-hour time, and
#: a text undated above its story is dated by an agency's dateline ("NEW DELHI, Dec 15, 2025 (PTI) -");
#: a web page keeps what its main content names "menu", "nav" or "meta", headings that only
#: anchor, <summary> and lists in table cells; a PDF keeps a
#: compound's line-end hyphen, tells headings by type, is titled by page 1's largest type, and
#: cites the numbers its pages print where its page labels disagree with them; 10: 9's web-page
#: and PDF reading after review (a PDF's metadata title first, hyphens in any script, headings
#: wrap only onto their own type), and so that libraries built during 9's changes are read again;
#: 11: a PDF's words run together by its text layer are split again (as PDFium reads them), its
#: running heads and feet that change from page to page are dropped, contents entries are no
#: headings and a page range is cited in one numbering; a news page's reading time is no
#: heading, and a web page keeps powers ("2^31"), code lines in list items, lists a paragraph
#: announces and placeholders in code where they stand, and refuses a redirect notice; 12: a
#: headline joins its first paragraph even past a passage's size, a story right under its
#: dateline is body text, a web page's field list reads "Author: ..." and names its authors, a
#: PDF's page labels hold every page once any differs, and 11's review mends; 13: a web page's
#: linked heading over an article is a heading, a quoted table keeps its rows, code keeps its
#: indents, and its authors are names only; 14: a sentence goes on past an aside in brackets
#: ("3:30 p.m. (0630 GMT) to explain"), and a byline's outlet and role ("Taiwan News, Staff
#: Reporter") or a text's outlet line ("Space Daily") are no authors; 15: no sentence ends after
#: a title before a name ("Lt. Col.", "Rep."), an agency's letters ("PTI") or a page's publisher are
#: no authors and names in capitals read as names, and a placeholder date ("0001-01-01") is none;
#: 16: a PDF's typeset hyphen (U+2010) is a hyphen, a soft hyphen and the space pypdf reads for it
#: are none, and a compound whose second part the text writes after another hyphen keeps its own;
#: 17: a banner drawn over most pages of a printed web page (a cookie notice) is dropped; 18: a
#: web page a browser saved as PDF is titled without its site's name, which is its publisher,
#: and dated by the page, not the print; a PDF's title in body type is looked for near the top;
#: 19: a wire story's byline opening its first paragraph ("By ... (Reuters) - ") names its authors;
#: 20: in a PDF, an interview's answer label ("A: ...") and a lone letter ("X") head no section;
#: 21: review mends: a typed " -" at a PDF line end is a dash, a soft hyphen there breaks a word,
#: closed compounds keep losing their hyphen, a bold title under a letterhead is the title,
#: "Eyal Press" is a person and "Reuters Staff" none, and an epoch ("1970-01-01") dates nothing;
#: 22: a day written with a dot before its month ("21. Sep 2023") ends no sentence, and "Written
#: by ... for Reuters" names its writers without their outlet; 23: review mends: such a day only
#: where a date stands ("| 21. Sep 2023 |", not "rose to 14. June 2023 was"), "for the Orrin
#: Times" and ", edited by" end a byline's names, and a body ("Reported by The Ministry of ...",
#: "Associated Press") names no one; 24: a dateline's place in capitals before its country
#: ("GYEONGJU, South Korea") names no author; 25: of the 103 countries the capitals list now
#: holds, not 46 ("LUSAKA, Zambia"); 26: an underlined heading is no broken paragraph joined to
#: the lower-case one after it, and a lead-in ending in a colon stays with its list or table;
#: 27: a PDF's contents and index entries ("2.5 Future developments . . . 4") are in no passage;
#: 28: DocBook's authors (headings of class "author") are a page's authors, not its sections;
#: 29: an author field's "Analysis by" and ", CNN Editor-at-large" are no part of the name; 30:
#: review mends: contents entries leave passages only on a page titled as a listing ("Contents",
#: "Index"), and "author vcard" is DocBook's author too; 31: of an index's titles, only those of
#: subjects, concepts, names ("Price Index" lists no pages); 32: PDF paragraphs a little over a
#: line apart (groff's, Texinfo's) are paragraphs, a man page is titled by its NAME line and a PDF
#: dated by its running footer's date, and groff's print day dates nothing; 33: a pair pypdf reads
#: apart at a kern ("an y", "W ORD") is one word where PDFium reads it whole and the file elsewhere;
#: 34: a browser's print of a web page drops the lines that are only a button's or menu's label;
#: 35 (review): a gap is measured against a larger line's own size, a line ending in "of", "the"
#: and the like runs on, only groff's PDFs take a running footer's date and join kerned pairs; 36:
#: reference entries' dates in more forms ("(Nov. 18, 2019)", '"Title." 18 November 2019'); 37
#: (second review): only a bracket that is a date, or a day's date closing the entry, dates it;
#: "more." ending a printed page's paragraph is no menu label; an ASCII PDF named .txt is a PDF;
#: 38: Markdown footnote definitions are a reference list with no heading above them, and an
#: entry's title quoted after its author and a comma ('Quay Review, "Title", 18 Nov 2031'); 39: a
#: long paragraph under a headline that is prose up to its last full stop is body, not front matter
#: (a story cut off mid-sentence), so the headline joins it; 40 (review): not a long list of
#: authors, whose initials end in full stops; 41: a byline after its date ("April 15, 2021 by Dan
#: McCue") names the source's authors; 42 (review): only after a day's date, under the headline,
#: and on a line of its own too; 43: a line of bare names under the headline names authors only
#: with note marks, in capitals or joined by "and" ("Featured Image" names none); 44: where a
#: byline's writer filed from is no part of the name ("By Zhong Nan in Beijing"); 45: an empty
#: <span>, <i>, <b>, <em> or <strong> no longer loses the rest of its paragraph in a web page;
#: 46: a web page's publisher is never an address, handle or copyright line, a JSON-LD publisher
#: given by its "@id" is the node of that id's name, and JSON-LD people outrank the author tag;
#: 47: an author tag's affiliation after a comma ("Tom Krisher, AP Auto Writer") and a weekday
#: left of a date ("Jeff Foust Monday") are no part of a name; 48: an article body that ads split
#: into containers of one class is read whole; 49: a web page saved as .txt is read as a web page;
#: 50: a block without a word of two letters (an index's "A", a lone "403") is in no passage;
#: 51: a web page's title drops the publisher's name after it ("... | ZDNet"); 52: only blocks of
#: one or two characters are in no passage, a split body joins only twin containers, a scholarly
#: page's "Last, First" authors and names of calendar words are kept whole; 53: a long unpunctuated
#: line is text, not a title, no title is over 300 characters, and Windows-1252 text is read.
PIPELINE_VERSION = "53"


@dataclass
class PlannedDocument:
    """A source file the build will index, or finds already indexed as it is.

    Attributes:
        path: the file in the sources folder.
        doc_id: its document id.
        content_hash: SHA-256 of its bytes.
        meta_hash: hash of the rest of what its index record derives from: the pipeline
            version, the file's name and the metadata given for it.
        given: the metadata given for it in ``sources.json`` (without the content hash).
        status: ``"added"`` (the index does not hold it), ``"changed"`` (its content or
            metadata changed since it was indexed) or ``"unchanged"``.
        document: the file as extracted, when planning already read it (``_settle_metadata``),
            so the build does not read it again.
    """

    path: Path
    doc_id: str
    content_hash: str
    meta_hash: str
    given: dict
    status: str
    document: Document | None = None


@dataclass
class Plan:
    """What a build has to do.

    Attributes:
        documents: every source file the build may index, in name order.
        removed: ids of the documents the index holds whose file left the folder.
        on_disk: ids of every source file found, including those skipped.
        skipped: each file not indexed and why, as ``{"path", "reason"}``.
        stale_metadata: each file whose given metadata was dropped because it was given for
            another document, as ``{"path", "reason"}``.
        kept_metadata: each file edited in place that kept its metadata, as ``{"path", "reason"}``.
        metadata: ``sources.json`` as the build must leave it.
        metadata_changed: whether ``metadata`` differs from the file and must be written.
    """

    documents: list[PlannedDocument] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    on_disk: set[str] = field(default_factory=set)
    skipped: list[dict] = field(default_factory=list)
    stale_metadata: list[dict] = field(default_factory=list)
    kept_metadata: list[dict] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    metadata_changed: bool = False

    @property
    def to_index(self) -> list[PlannedDocument]:
        """The documents to extract and index: the added and the changed."""
        return [d for d in self.documents if d.status != "unchanged"]

    @property
    def unchanged(self) -> list[str]:
        """Ids of the documents the index already holds as they are."""
        return [d.doc_id for d in self.documents if d.status == "unchanged"]


def meta_hash(name: str, given: dict) -> str:
    """The hash of what a document's index record derives from besides the file's content.

    Args:
        name: the file's name.
        given: the metadata given for it (see ``catalog.given_for``).

    Returns:
        A SHA-256 hex digest, which changes with the pipeline version and the embedding method too.
    """
    return hashlib.sha256(json.dumps([PIPELINE_VERSION, EMBEDDING, name, given], sort_keys=True).encode()).hexdigest()


def plan_build(catalog: Catalog, indexed: dict[str, StoredDocument], previous: list[StoredDocument]) -> Plan:
    """Compare the sources folder and ``sources.json`` with what the index holds.

    Files too large to read and copies of another file's content are skipped before anything
    is extracted. Metadata given for another document than the file now under that name is
    dropped; a file edited in place keeps its metadata (``_settle_metadata``).

    Args:
        catalog: the library's sources.
        indexed: the documents of the index being built, by id (none when built from nothing).
        previous: the documents the library's index held before this build; they keep their
            ids, and say whether metadata written before content hashes fits its file.

    Returns:
        The ``Plan``.
    """
    found = catalog.scan(previous)
    plan = Plan(metadata=catalog.read_metadata(), on_disk=set(found.ids.values()), skipped=list(found.refused))
    plan.removed = sorted(set(indexed) - plan.on_disk)
    previous_by_name = {Path(d.path).name: d for d in previous}
    seen_hashes: dict[str, str] = {}
    hashes = {}
    for name in found.ids:
        path = catalog.sources_dir / name
        # Refused before reading: hashing it would cost every build the time of reading it.
        refused = corpus.too_large(path.stat().st_size)
        if refused:
            plan.skipped.append({"path": str(path), "reason": refused})
        else:
            hashes[name] = file_hash(path)
    # Files the library held before come first, those it holds as they are first of all: a copy
    # dropped beside one of them, or written over another held file, is the file skipped, so the
    # source held as it is keeps its id, metadata and saved citations.
    held = {name: d.content_hash for name, d in previous_by_name.items()}
    ordered = sorted(
        ((name, doc_id) for name, doc_id in found.ids.items() if name in hashes),
        key=lambda item: (item[0] not in held, held.get(item[0]) != hashes[item[0]], item[0]),
    )
    orphans = _orphans(plan.metadata, previous_by_name.keys() - found.ids.keys())
    for name, doc_id in ordered:
        path = catalog.sources_dir / name
        content_hash = hashes[name]
        if content_hash in seen_hashes:
            plan.skipped.append({"path": str(path), "reason": f"same content as {seen_hashes[content_hash]}"})
            continue
        seen_hashes[content_hash] = name
        if name not in plan.metadata and name not in previous_by_name and content_hash in orphans:
            _renamed(plan, path, orphans.pop(content_hash))
        extracted = _settle_metadata(plan, path, content_hash, previous_by_name.get(name))
        given = given_for(plan.metadata, name)
        document = PlannedDocument(path, doc_id, content_hash, meta_hash(name, given), given, "added", extracted)
        old = indexed.get(doc_id)
        if old is not None:
            current = (old.content_hash, old.meta_hash) == (document.content_hash, document.meta_hash)
            document.status = "unchanged" if current else "changed"
        plan.documents.append(document)
    return plan


def _orphans(metadata: dict, gone: set[str]) -> dict[str, str]:
    """The file names among ``gone`` (held by the last build, no longer in the folder) by their
    content's hash: where a file renamed in the folder finds its metadata. A hash two of them
    share names neither."""
    hashes = {name: metadata[name][HASH] for name in gone if HASH in metadata.get(name, {})}
    return {h: name for name, h in hashes.items() if list(hashes.values()).count(h) == 1}


def _renamed(plan: Plan, path: Path, old_name: str) -> None:
    """Give ``path`` the metadata of ``old_name``, the file it was renamed from, and say so."""
    plan.metadata[path.name] = plan.metadata.pop(old_name)
    plan.kept_metadata.append({"path": str(path), "reason": f"renamed from {old_name}; its metadata kept"})
    plan.metadata_changed = True


def _settle_metadata(plan: Plan, path: Path, content_hash: str, held: StoredDocument | None) -> Document | None:
    """Drop the metadata of ``path`` if it was given for another document, else tie it to this content.

    Metadata follows the document, not its exact bytes: a file edited in place (a typo fixed, a
    paragraph added) keeps its title, publisher and date, while a different document put under
    the same name loses them (see ``edits.edited``).

    Args:
        plan: the plan being made; its ``metadata`` is changed in place.
        path: the source file.
        content_hash: SHA-256 of its bytes.
        held: the document the index held under this file name before the build, if any.

    Returns:
        The file as extracted, when telling an edit from another document took reading it.
    """
    entry = plan.metadata.get(path.name)
    if entry is None:
        return None
    # An entry without a hash predates hashes: it fits if the index holds this very content
    # under this name, and is then tied to the content from now on.
    fits = metadata_fits(entry, content_hash, held is not None and held.content_hash == content_hash)
    document = None
    if not fits and HASH in entry and held is not None and held.content_hash == entry[HASH]:
        try:
            document = corpus.extract_bounded(path)
        except ExtractionError:
            pass  # the build skips the file and says why
        fits = document is not None and edited(held.text, document.text)
    if not fits:
        del plan.metadata[path.name]
        plan.stale_metadata.append(
            {
                "path": str(path),
                "reason": "metadata given for a different file of this name dropped (its content changed)",
            }
        )
        plan.metadata_changed = True
    elif entry.get(HASH) != content_hash:
        if HASH in entry:
            # Said, since a new edition saved over the old one would keep the old date too.
            plan.kept_metadata.append({"path": str(path), "reason": "edited in place; its metadata kept"})
        entry[HASH] = content_hash
        plan.metadata_changed = True
    return document
