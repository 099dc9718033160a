"""Telling a file edited from another document of the same name: an edited source keeps its
metadata and its place in the library, another document under its name does not."""

from __future__ import annotations

from citeqa.corpus import tokens

#: Share of a document's four-word runs an edited file must keep to keep the document's metadata.
#: A fixed typo or an added paragraph keeps nearly all of them; another document next to none.
EDIT_KEEPS = 0.5


def edited(before: str, after: str) -> bool:
    """Whether the text ``after`` is ``before`` edited rather than another document: at least
    ``EDIT_KEEPS`` of ``before``'s runs of four words (single words, in a note of a dozen words or
    fewer) are still in it.

    Args:
        before: the text the library holds.
        after: the text of the file now under its name.

    Returns:
        True for an edit of the same document.
    """
    words = tokens.words(before)
    size = 4 if len(words) > 12 else 1
    runs = _runs(words, size)
    return bool(runs) and len(runs & _runs(tokens.words(after), size)) >= EDIT_KEEPS * len(runs)


def _runs(words: list[str], size: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
