"""Would "the question names something the library never mentions" do as a veto on its own?

Usage:
    python scripts/absent_names.py            # counts per set, and in all
    python scripts/absent_names.py --show     # also each answerable question it would refuse
    python scripts/absent_names.py --years    # years alone (the veto ``years.absent_year`` is)
    python scripts/absent_names.py --two      # two names or more (the veto ``absent.absent_names`` is)

Issue 10 lets a rule refuse on its own only at >= 0.95 precision on data it was not written from.
For every question of every evaluation and training set, this counts the questions with a name or
number (``checks.named_terms``; the words of a date naming a source aside) that no passage and no
source's metadata holds, not even as a close variant (``tokens.spelled_in``), by whether the
question is answerable. Development only; it reads ``../shared``.
"""

from __future__ import annotations

import sys
from collections import Counter

import datasets

from citeqa.corpus import tokens
from citeqa.qa import checks, years
from citeqa.qa.absent import absent_names
from citeqa.qa.answer import Asker


def library_stems(asker: Asker) -> set[str]:
    """Every word stem of the library's passages and of its sources' metadata."""
    stems = {tokens.stem(w) for doc in asker.matcher.sources for w in asker.matcher.words(doc)}
    for (text,) in asker.store.db.execute("SELECT text FROM chunks"):
        stems |= {tokens.stem(w) for w in tokens.words(text)}
    return stems


def main() -> int:
    """Count, per set and in all, the questions naming what the library lacks."""
    total = Counter()
    for name, (library, questions) in datasets.evaluation_sets(("train", "dev", "test")).items():
        counts = Counter()
        with Asker(library(), scorer=None) as asker:
            stems = library_stems(asker)
            for item in questions():
                dating = asker.matcher.dating_words(item["question"])
                named = [w for w in checks.named_terms(item["question"]) if w not in dating]
                if "--years" in sys.argv:
                    named = [w for w in years.years_asked(item["question"]) if w not in dating]
                absent = [w for w in named if not tokens.spelled_in(w, stems)]
                if "--two" in sys.argv:
                    absent = absent_names(item["question"], asker.matcher, asker.store.holds_name, asker.store.spells)
                kind = "answerable" if item["answers"] else "unanswerable"
                counts[kind] += 1
                if absent:
                    counts[f"{kind} naming what the library lacks"] += 1
                    if item["answers"] and "--show" in sys.argv:
                        print("   ", name, absent, item["question"])
        print(name, dict(counts))
        total.update(counts)
    flagged = total["answerable naming what the library lacks"] + total["unanswerable naming what the library lacks"]
    print("all sets:", dict(total))
    print(f"precision as a veto: {total['unanswerable naming what the library lacks'] / flagged:.3f} of {flagged}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
