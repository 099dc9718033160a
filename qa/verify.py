"""Check that the passages an earlier answer cited still stand, verbatim, in the current library."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from index.library import Library

#: Statuses, from fine to broken. ``moved``: same text at other offsets (the source was edited
#: elsewhere); ``changed``: the passage is no longer in the source; ``disappeared``: the source
#: is gone from the library.
STATUSES = ("unchanged", "moved", "changed", "disappeared")


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


def read_answers(path: str | Path) -> list[dict]:
    """Answers saved from ``citeqa ask --json``: one JSON object, or JSON Lines from ``--questions``.

    Raises:
        ValueError: the file is not such JSON; the message is one line naming the file.
    """
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        answers = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        try:
            answers = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: not JSON from 'citeqa ask --json' (line {error.lineno}: {error.msg})") from None
    if not answers or not all(isinstance(a, dict) and isinstance(a.get("passages"), list) for a in answers):
        raise ValueError(f"{path}: not JSON from 'citeqa ask --json' (no 'passages' list)")
    for number, answer in enumerate(answers, 1):
        for passage in answer["passages"]:
            if not _well_formed(passage):
                raise ValueError(
                    f"{path}: answer {number} has a passage without source id, text and start/end offsets"
                )
    return answers


def _well_formed(passage) -> bool:
    return (
        isinstance(passage, dict)
        and isinstance(passage.get("text"), str)
        and isinstance(passage.get("source"), dict)
        and isinstance(passage["source"].get("id"), str)
        and isinstance(passage.get("location"), dict)
        and all(isinstance(passage["location"].get(k), int) for k in ("start", "end"))
    )


def verify(library: Library, answers: list[dict]) -> list[Check]:
    """Check each cited passage of ``answers`` against the library's current index.

    Args:
        library: the library the answers came from.
        answers: answers as ``citeqa ask --json`` printed them.

    Returns:
        One ``Check`` per passage, in order.
    """
    store, _ = library.open_index()
    checks = []
    try:
        for answer in answers:
            for passage in answer.get("passages", []):
                checks.append(_check(store, answer.get("question", ""), passage))
    finally:
        store.close()
    return checks


def _check(store, question: str, passage: dict) -> Check:
    source = passage["source"]
    where = passage["location"]
    text, start, end = passage["text"], where["start"], where["end"]
    doc = store.document(source["id"])
    base = dict(question=question, rank=passage.get("rank", 0), source_id=source["id"])
    if doc is None:
        return Check(**base, status="disappeared", detail="the source is no longer in the library")
    if doc.text[start:end] == text:
        same = doc.content_hash == source.get("content_hash")
        detail = "unchanged" if same else "the source was edited elsewhere; this passage is intact"
        return Check(**base, status="unchanged", detail=detail, start=start, end=end)
    found = doc.text.find(text)
    if found >= 0:
        return Check(**base, status="moved", detail=f"now at {found}–{found + len(text)} (was {start}–{end})", start=found, end=found + len(text))
    highlight = passage.get("highlight")
    if highlight and highlight in doc.text:
        at = doc.text.find(highlight)
        detail = f"the passage changed; its highlighted sentence is still there at {at}"
    else:
        detail = "the passage and its highlighted sentence are no longer in the source"
    return Check(**base, status="changed", detail=detail)
