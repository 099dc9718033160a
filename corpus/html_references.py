"""A web page's reference list: under a "References" heading (the names ``corpus/text.py`` knows),
each entry of an ordered list, of a list whose items start "[n]" or "n.", or of paragraphs
starting so, becomes a block of kind ``"reference"`` that ``corpus/html.py`` parses.

Blocks here are ``html.py``'s ``(kind, text)`` pairs, a list as lines bulleted "• " (nested
items indented). An ordered list arrives as kind ``"ordered"``: browsers number its items
without the numbers being in the text, so its entries are numbered 1..n here, in order.
"""

from __future__ import annotations

from citeqa.corpus.references import ENTRY, is_reference_heading

_BULLET = "• "


def reference_blocks(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``blocks`` with the entries of every reference list as ``"reference"`` blocks, one an entry.

    Lists and paragraphs under a reference-list heading that are not numbered entries stay as
    they are, and every ordered list elsewhere becomes a plain ``"list"``.

    Args:
        blocks: ``(kind, text)`` pairs in reading order; a heading's text names its section.

    Returns:
        The blocks, each entry's text starting with its number ("[3] ...", "3. ...").
    """
    found: list[tuple[str, str]] = []
    in_references = False
    for kind, text in blocks:
        if kind == "heading":
            in_references = is_reference_heading(text)
        entries = _entries(kind, text) if in_references else []
        if entries:
            found += [("reference", entry) for entry in entries]
        else:
            found.append(("list" if kind == "ordered" else kind, text))
    return found


def _entries(kind: str, text: str) -> list[str]:
    """The reference entries a block of a reference list holds, or none if it is not one."""
    if kind == "paragraph":
        lines = text.split("\n")
        return _grouped(lines) if ENTRY.match(lines[0]) else []
    if kind not in ("list", "ordered"):
        return []
    items = [item.removeprefix(_BULLET) for item in _grouped(text.split("\n"), _BULLET)]
    if kind == "ordered":
        # An item that says its own number keeps it; a nested list continues it on later lines.
        return [item if ENTRY.match(item.split("\n")[0]) else f"{n}. {item}" for n, item in enumerate(items, start=1)]
    # The items of an unordered list are entries only when each says its number.
    return items if all(ENTRY.match(item.split("\n")[0]) for item in items) else []


def _grouped(lines: list[str], bullet: str | None = None) -> list[str]:
    """Lines joined into entries: a line starting ``bullet`` (default: a line starting like an
    entry, "[n]" or "n.") starts one, and the lines after it (a nested item, a line break in the
    entry) continue it."""
    entries: list[str] = []
    for line in lines:
        starts = line.startswith(bullet) if bullet else bool(ENTRY.match(line))
        if starts or not entries:
            entries.append(line)
        else:
            entries[-1] += "\n" + line
    return entries
