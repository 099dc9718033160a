"""Check that the passages an earlier answer cited still stand, verbatim, in the current library."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from citeqa import corpus
from citeqa.corpus.model import ExtractionError
from citeqa.errors import CiteqaError
from citeqa.index.checks import file_hash, file_state
from citeqa.index.library import Library

#: Statuses, from fine to broken. ``moved``: same text at other offsets (the source was edited
#: elsewhere); ``metadata``: the passage stands, but the title, publisher, date or URL its
#: citation gives has changed; ``changed``: the passage is no longer in the source;
#: ``disappeared``: the source is gone from the library or its file from the sources folder. The
#: source's file is what is checked, not only the index: a file edited behind citeqa's back is
#: read again.
STATUSES = ("unchanged", "moved", "metadata", "changed", "disappeared")


class VerifyError(CiteqaError):
    """A file given to verify does not hold answers saved by ``citeqa ask --json``; the message names it."""


@dataclass
class Check:
    """What became of one cited passage."""

    question: str
    rank: int
    source_id: str
    status: str
    detail: str
    start: int | None = None
    end: int | None = None
    #: The answer's id, as ``citeqa ask --questions`` gave it back (``None`` for none).
    id: str | None = None


def read_answers(path: str | Path) -> list[dict]:
    """Answers saved from ``citeqa ask --json``: one JSON object, or JSON Lines from ``--questions``.

    Raises:
        VerifyError: the file is not such JSON; the message is one line naming the file.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise VerifyError(f"{path}: not UTF-8 text (byte {error.start} cannot be decoded)") from None
    try:
        data = json.loads(text)
        answers = data if isinstance(data, list) else [data]
    except RecursionError:
        raise VerifyError(f"{path}: not JSON from 'citeqa ask --json' (nested too deeply)") from None
    except json.JSONDecodeError:
        try:
            answers = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            raise VerifyError(f"{path}: not JSON from 'citeqa ask --json' (line {error.lineno}: {error.msg})") from None
        except RecursionError:
            raise VerifyError(f"{path}: not JSON from 'citeqa ask --json' (nested too deeply)") from None
    if not answers or not all(isinstance(a, dict) and isinstance(a.get("passages"), list) for a in answers):
        raise VerifyError(f"{path}: not JSON from 'citeqa ask --json' (no 'passages' list)")
    for number, answer in enumerate(answers, 1):
        for passage in answer["passages"]:
            if not _well_formed(passage):
                raise VerifyError(
                    f"{path}: answer {number} has a passage without source id, text and "
                    "start/end offsets (whole numbers, 0 <= start <= end)"
                )
    return answers


def _well_formed(passage) -> bool:
    return (
        isinstance(passage, dict)
        and isinstance(passage.get("text"), str)
        and isinstance(passage.get("source"), dict)
        and isinstance(passage["source"].get("id"), str)
        and isinstance(passage.get("location"), dict)
        # bool is a subclass of int, and a negative offset would slice from the end of the text.
        and all(type(passage["location"].get(k)) is int for k in ("start", "end"))
        and 0 <= passage["location"]["start"] <= passage["location"]["end"]
    )


def verify(library: Library, answers: list[dict]) -> list[Check]:
    """Check each cited passage of ``answers`` against the library's source files and index.

    A source whose file still holds what was indexed is checked against the index's text; one
    edited since is extracted again and checked against its current text; one whose file was
    deleted has disappeared, even before a build drops it from the index.

    Args:
        library: the library the answers came from.
        answers: answers as ``citeqa ask --json`` printed them.

    Returns:
        One ``Check`` per passage, in order.
    """
    store, _ = library.open_index()
    current: dict[str, _Current] = {}
    checks = []
    try:
        for answer in answers:
            for passage in answer.get("passages", []):
                source_id = passage["source"]["id"]
                if source_id not in current:
                    current[source_id] = _current(library, store, source_id)
                checks.append(_check(current[source_id], answer, passage))
    finally:
        store.close()
    return checks


@dataclass
class _Current:
    """A source as it stands now: its text and hash, or the status and reason of having none."""

    text: str | None
    content_hash: str | None
    missing: tuple[str, str] | None = None
    #: The metadata a citation of it gives now (``CITED``).
    cited: dict | None = None


#: The metadata a saved citation gives, compared with the source's now: a passage may stand while
#: the title or date a report quotes for it has changed.
CITED = ("title", "publisher", "date", "url")


def _current(library: Library, store, source_id: str) -> _Current:
    doc = store.document(source_id)
    if doc is None:
        return _Current(None, None, ("disappeared", "the source is no longer in the library"))
    state = file_state(library.sources_dir, doc.path, doc.content_hash)
    cited = {field: getattr(doc, field) for field in CITED}
    if state is None:
        return _Current(doc.text, doc.content_hash, cited=cited)
    path = library.sources_dir / Path(doc.path).name
    if state == "deleted":
        return _Current(None, None, ("disappeared", f"its file {path} was deleted from the library"))
    try:
        text = corpus.extract_bounded(path).text
    except ExtractionError as error:
        return _Current(
            None, None, ("changed", f"its file {path} was edited and can no longer be read ({error.reason})")
        )
    # The edited file's hash: an answer saved from it after a rebuild is then "unchanged".
    return _Current(text, file_hash(path), cited=cited)


def _check(current: _Current, answer: dict, passage: dict) -> Check:
    source = passage["source"]
    where = passage["location"]
    text, start, end = passage["text"], where["start"], where["end"]
    answer_id = None if answer.get("id") is None else str(answer["id"])
    base = dict(question=answer.get("question", ""), rank=passage.get("rank", 0), source_id=source["id"], id=answer_id)
    if current.missing:
        status, detail = current.missing
        return Check(**base, status=status, detail=detail)
    # Only fields the saved answer has: an answer saved before they were kept names none.
    renamed = [
        f"{f} {_shown(source[f])} is now {_shown(current.cited[f])}"
        for f in CITED
        if f in source and source[f] != current.cited[f]
    ]
    recited = f"; its citation changed: {', '.join(renamed)}" if renamed else ""
    if current.text[start:end] == text:
        same = current.content_hash == source.get("content_hash")
        if renamed:
            stands = "the passage stands" if same else "the source was edited elsewhere; the passage stands"
            return Check(**base, status="metadata", detail=f"{stands}{recited}", start=start, end=end)
        detail = "unchanged" if same else "the source was edited elsewhere; this passage is intact"
        return Check(**base, status="unchanged", detail=detail, start=start, end=end)
    found = current.text.find(text)
    if found >= 0:
        return Check(
            **base,
            status="moved",
            detail=f"now at {found}–{found + len(text)} (was {start}–{end}){recited}",
            start=found,
            end=found + len(text),
        )
    highlight = passage.get("highlight")
    if highlight and highlight in current.text:
        at = current.text.find(highlight)
        detail = f"the passage changed; its highlighted sentence is still there at {at}"
    else:
        detail = "the passage and its highlighted sentence are no longer in the source"
    return Check(**base, status="changed", detail=detail)


def _shown(value: str | None) -> str:
    return repr(value) if value is not None else "none"
