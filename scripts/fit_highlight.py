"""Fit the weights that pick the sentence shown to the reader (``qa.highlight.SHOWN``).

Usage:
    python scripts/fit_highlight.py

For each answerable question of SQuAD's training articles whose gold answer is in the passage
citeqa ranks first, every sentence of that passage is described by its evidence
(``highlight.sentence_evidence``: similarity, shared words, those of them the source's title
lacks, word pairs, kind of answer). A grid of weights is searched for the one that most often
picks a sentence holding the answer (with the next sentence when it ends in a colon, as shown);
ties go to the smaller weights. Then the shared words' weight found is split between the words
the source's title holds and the rest, the rest kept, so that where the title holds none of the
question's words the pick is unchanged. The printout gives, for the weights found, ``EVIDENCE`` and
``SHOWN``, how many passages show their answer on each training and dev set (the dev sets were
not fitted on). Development only: it reads ``../shared/data`` through ``datasets.py``.
"""

from __future__ import annotations

import itertools
import sys

import datasets

from citeqa.corpus import tokens
from citeqa.qa import highlight
from citeqa.qa.answer import Asker
from citeqa.qa.counts import counted

GRID = {
    "overlap": [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0],
    "phrase": [0.0, 0.05, 0.1, 0.2, 0.3],
    "fit": [0.0, 0.04, 0.08, 0.12, 0.2, 0.3, 0.4],
    "opening": [0.0, -0.02, -0.05, -0.1],
}
#: How much of the shared words' weight goes to the words the source's title lacks, in steps.
UNTITLED_STEP = 0.05


def passages(library, items: list[dict]) -> list[tuple[list[highlight.SentenceEvidence], set[int], str | None]]:
    """For each answerable item whose answer is in the passage ranked first: that passage's
    sentence evidence, the indices of the sentences showing the answer, and what is asked for."""
    out = []
    items = [item for item in items if item["answers"]]
    with Asker(library) as asker:
        for item, question in zip(items, asker.analyse([i["question"] for i in items]), strict=True):
            ranked = asker.candidates(question)
            if not ranked or datasets.first_hit([ranked[0].chunk.text], item["answers"]) != 1:
                continue
            chunk = ranked[0].chunk
            similarities = asker.store.sentence_embeddings([chunk.rowid])[chunk.rowid] @ question.ask_vector
            thing = counted(question.text)
            evidence = highlight.sentence_evidence(
                chunk,
                similarities,
                set(question.asked),
                highlight.pairs(question.asked),
                question.wants,
                question.editions,
                asker.matcher.titles.get(chunk.doc_id) if asker.matcher else None,
                tokens.stem(thing[-1].lower()) if thing else None,
            )
            showing = set()
            for i in range(len(chunk.sentences)):
                start, end = highlight.highlight_span(chunk, i)
                shown = chunk.text[start - chunk.start : end - chunk.start]
                if datasets.first_hit([shown], item["answers"]) == 1:
                    showing.add(i)
            out.append((evidence, showing, question.wants))
    return out


def shown(rows, weights: highlight.Weights) -> int:
    """How many of ``rows`` (see ``passages``) show their answer with ``weights``."""
    return sum(
        1 for evidence, showing, wants in rows if (p := highlight.pick(evidence, weights, wants)) and p.index in showing
    )


def main() -> int:
    sets = {}
    for role in ("train", "dev"):
        for title in datasets.SQUAD_SPLITS[role]:
            library = datasets.squad_library([title], f"squad-{title}")
            sets[(role, f"squad:{title}")] = passages(library, datasets.squad_questions(title))
    for name in ("real-dev", "real-blind"):
        sets[("dev", name)] = passages(datasets.real_library(), datasets.real_questions(name))
    dev_splits = datasets.ARTICLE_SPLITS["dev"]
    sets[("dev", "article:" + "+".join(dev_splits))] = passages(
        datasets.article_library(), datasets.article_questions(dev_splits)
    )
    train = [row for (role, _), rows in sets.items() if role == "train" for row in rows]
    found = max(
        (highlight.Weights(*values) for values in itertools.product(*GRID.values())),
        # The most answers shown; of equal counts, the smallest weights (the first in the grid).
        key=lambda weights: shown(train, weights),
    )
    # Then the shared words' weight is split between those the source's title holds and the rest,
    # all else kept: where the title holds none of the question's words, the pick is as found.
    steps = round(found.overlap / UNTITLED_STEP)
    best = max(
        (
            found._replace(overlap=round(found.overlap - n * UNTITLED_STEP, 2), untitled=round(n * UNTITLED_STEP, 2))
            for n in range(steps + 1)
        ),
        key=lambda weights: shown(train, weights),
    )
    print(f"found: {best}; training passages showing their answer: {shown(train, best)} of {len(train)}")
    print(f"{'set':44} {'passages':>8} {'EVIDENCE':>9} {'SHOWN':>6} {'found':>6}")
    for (role, name), rows in sets.items():
        figures = [shown(rows, w) for w in (highlight.EVIDENCE, highlight.SHOWN, best)]
        print(f"{role + ' ' + name:44} {len(rows):>8} {figures[0]:>9} {figures[1]:>6} {figures[2]:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
