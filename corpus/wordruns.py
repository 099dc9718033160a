"""Words a PDF's text layer runs together, split again where the document's vocabulary says.

A justified line squeezes its word spaces, and some PDFs draw them as a small move of the pen
rather than as a space character; pypdf takes a space only for a move of about half the font's
own space, so a whole line can come out as "theDebianarchiveandseveraldesignissues". The words
in such a run are words the document writes apart elsewhere, so its own word counts split the
run as a reader would, with no dictionary of one language.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

# A run of letters of any script standing as a word of prose (not inside "\\renewcommand{" or a
# path), and a comma or semicolon stuck to its start.
_RUN = re.compile(r"""(?:^|(?<=[\s("'“‘])|(?<=[^\W\d_])(?=[,;][^\W\d_]))([,;]?)([^\W\d_]+)(?=$|[\s.,;:()\[\]!?"'”’])""")
# How long a run must be to be split into so many words: closed compounds of short words
# ("nevertheless", "notwithstanding") are single words the document may use only once.
_MIN_RUN = {3: 16, 4: 12}
# A run used more often than this is a word of the document's (a heading's run is used twice: in
# the table of contents and above its section).
_MAX_USES = 2
# A part must be a word the document writes apart this often.
_MIN_COUNT = 2
# A part of one or two letters must be among the document's commonest words ("a", "of", "to"):
# otherwise it is likelier the fragment of a word ("represent" + "a" + "tions").
_COMMON = 40


def word_splitter(lines: list[str]) -> Callable[[str], str]:
    """A function that puts back the spaces a text layer dropped between the words of a line.

    Args:
        lines: every text line of the document, in reading order.

    Returns:
        A function of one line that returns it with each run of letters split into words where
        the run occurs at most twice in the document and splits into words the document writes apart at
        least ``_MIN_COUNT`` times each: three words in a run of at least 16 letters, four or
        more in one of 12, the split those words' frequencies make likeliest. A split only at
        capitals ("validityDateOfGeometry") is an identifier's, and is left alone. A comma or
        semicolon stuck to a split run gets its space back too. Other lines come back unchanged.
    """
    counts: Counter = Counter()
    for n, line in enumerate(lines):
        found = [run.lower() for _, run in _RUN.findall(line)]
        # The two halves of a word broken over a line end ("implemen-" + "tations") are no words.
        if found and line.endswith("-"):
            found.pop()
        if found and n and lines[n - 1].endswith("-"):
            found.pop(0)
        counts.update(found)
    total = sum(counts.values()) or 1
    common = {word for word, _ in counts.most_common(_COMMON)}
    cost = {
        word: math.log(total / n) for word, n in counts.items() if n >= _MIN_COUNT and (len(word) > 2 or word in common)
    }

    def mend(line: str) -> str:
        def replace(match: re.Match) -> str:
            mark, run = match.groups()
            parts = None if counts[run.lower()] > _MAX_USES else _split(run, cost)
            if parts is None:
                return match.group(0)
            return (f"{mark} " if mark else "") + " ".join(parts)

        return _RUN.sub(replace, line)

    return mend


def _split(run: str, cost: dict[str, float]) -> list[str] | None:
    """The likeliest split of ``run`` into words priced by ``cost`` (see ``word_splitter``), or
    ``None`` when it is no run of words."""
    lower = run.lower()
    if len(run) < min(_MIN_RUN.values()):
        return None
    # best[i]: the cheapest split of run[:i] into known words, as (cost, start of last word).
    best: list[tuple[float, int] | None] = [(0.0, 0)] + [None] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(end):
            known = cost.get(lower[start:end])
            if best[start] is None or known is None:
                continue
            if best[end] is None or best[start][0] + known < best[end][0]:
                best[end] = (best[start][0] + known, start)
    if best[-1] is None:
        return None
    starts, end = [], len(run)
    while end:
        end = best[end][1]
        starts.append(end)
    starts.reverse()
    needed = _MIN_RUN[min(len(starts), max(_MIN_RUN))] if len(starts) >= min(_MIN_RUN) else None
    if needed is None or len(run) < needed:
        return None
    if all(run[i - 1].islower() and run[i].isupper() for i in starts[1:]):
        return None
    parts = [run[i:j] for i, j in zip(starts, starts[1:] + [len(run)], strict=True)]
    # A rule of one letter repeated ("AAAAAAAA") is no prose; prose has longer words.
    return parts if len({part.lower() for part in parts}) > 1 else None
