"""Measure the audit's support scores, to choose the verdict thresholds of ``qa/support.py``.

A claim's support score is the answer engine's ranker probability for the best passage of one
source, with the claim asked as the question. This script scores claims against sources that do
and do not say what the claim says, and prints the distribution for each kind of pair.

Synthetic pairs (built here, no outside data): the bundled article's claims (its citing
sentences), each against small notes written for the purpose:

- ``holds``: filler sentences with the claim's sentence in the middle (the source says it);
- ``holds-again``: the same with other filler, to see how much two such sources differ;
- ``part``: the first half of the claim's words only (the source says part of it);
- ``figures``: the claim with every number raised by one (right event, wrong dates and counts);
- ``topic``: the four nearest other claims of the article (same topic, not this claim);
- ``unrelated``: filler only.

Real pairs (``--real``; development data from ``../shared/data/real-sources-dev``, never used by
tests): the sentence holding each answerable question's gold answer, against its own document
(``real-own``) and against the other document that retrieval over the library ranks first
(``real-other``: the hardest wrong source, the one the audit would suggest).

Run: ``python scripts/audit_thresholds.py --real`` (about a minute on two cores; ``scripts/datasets.py``
caches the real set's library).
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

import numpy as np
from datasets import normalise, real_library, real_questions

from citeqa import corpus
from citeqa.index.library import Library, doc_id_for
from citeqa.qa.audit import audit
from citeqa.qa.candidates import Scope
from citeqa.qa.retrieve import retrieve
from citeqa.qa.support import SUPPORTED, WEAK, SupportChecker

# SYNTHETIC filler: invented sentences about nothing the article or the real sources discuss.
FILLER = [
    "The village choir rehearses on Tuesday evenings in the old school hall.",
    "Volunteers repainted the footbridge over the canal last spring.",
    "The bakery on Elm Row sells rye loaves until they run out.",
    "A new bus timetable adds an early service on Sundays.",
    "The allotment society swaps seeds at its autumn fair.",
    "Members of the chess club meet in the library reading room.",
    "The swimming pool closes for cleaning during the first week of August.",
    "Local hikers mapped a circular trail around the reservoir.",
]
KINDS = ("holds", "holds-again", "part", "figures", "topic", "unrelated", "real-own", "real-other")


def main() -> None:
    """Build the libraries, score every pair and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", action="store_true", help="Also score real-sources-dev (development data).")
    args = parser.parse_args()
    scores: dict[str, list[tuple]] = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory() as work:
        _synthetic(Path(work), scores)
    if args.real:
        _real(scores)
    _print(scores)


def _note(sentences: list[str], name: str) -> str:
    # Named in its heading: the library refuses a second file of the same content ("unrelated"
    # notes are the same filler for every claim).
    return f"# A note (synthetic) {name}\n\n" + " ".join(sentences) + "\n"


def _synthetic(work: Path, scores: dict[str, list[tuple]]) -> None:
    library = Library(work / "home")
    library.build()
    article = doc_id_for(corpus.BUNDLED_ARTICLE.name)
    claims = [c.text for c in audit(library, article).claims]
    notes: dict[tuple[str, int], Path] = {}
    for i, claim in enumerate(claims):
        words = claim.rstrip(".").split()
        nearest = sorted((j for j in range(len(claims)) if j != i), key=lambda j: abs(j - i))[:4]
        variants = {
            "holds": FILLER[:2] + [claim] + FILLER[2:4],
            "holds-again": FILLER[4:6] + [claim] + FILLER[6:8],
            "part": FILLER[:2] + [" ".join(words[: len(words) // 2]) + "."] + FILLER[2:4],
            "topic": [claims[j] for j in nearest],
            "unrelated": FILLER[:5],
        }
        if re.search(r"\d", claim):
            variants["figures"] = FILLER[:2] + [re.sub(r"\d+", lambda m: str(int(m.group()) + 1), claim)] + FILLER[2:4]
        for kind, sentences in variants.items():
            path = work / f"{kind}-{i}.md"
            path.write_text(_note(sentences, f"{kind} {i}"))
            notes[(kind, i)] = path
    library.add(list(notes.values()))
    library.build()
    store, index = library.open_index()
    try:
        checker = SupportChecker(store, index, library.query_encoder()[0])
        questions = checker.analyse(claims)
        for (kind, i), path in notes.items():
            scores[kind].append(_scored(claims[i], checker.support(questions[i], doc_id_for(path.name))))
    finally:
        store.close()


def _real(scores: dict[str, list[tuple]]) -> None:
    library = real_library()
    store, index = library.open_index()
    try:
        checker = SupportChecker(store, index, library.query_encoder()[0])
        claims = []
        for item in real_questions():
            if item["answers"]:
                own = doc_id_for(item["source"][0])
                sentence = _sentence_with(store, own, item["answers"])
                if sentence:
                    claims.append((sentence, own))
        for (_, own), question in zip(claims, checker.analyse([c for c, _ in claims]), strict=True):
            scores["real-own"].append(_scored(question.text, checker.support(question, own)))
            scope = Scope(without=frozenset({own}))
            ranked = retrieve(store, index, question, 1, "hybrid", checker.scorer, checker.matcher, scope)
            other = checker.support(question, ranked[0].chunk.doc_id) if ranked else None
            scores["real-other"].append(_scored(question.text, other))
    finally:
        store.close()


def _scored(claim: str, support) -> tuple[float, str, str, bool]:
    """``(score, claim, best sentence, whether figures are missing)``; no passage scores 0."""
    return (support.score, claim, support.sentence, bool(support.missing)) if support else (0.0, claim, "", False)


def _sentence_with(store, doc_id: str, answers: list[str]) -> str | None:
    for chunk in store.doc_chunks(doc_id):
        for i in range(len(chunk.sentences)):
            text = chunk.sentence_text(i)
            if any(normalise(a) in normalise(text) for a in answers) and len(text.split()) >= 6:
                return " ".join(text.split())
    return None


def _print(scores: dict[str, list[tuple]]) -> None:
    print(f"thresholds: supported >= {SUPPORTED}, weak >= {WEAK}")
    print(f"{'pairs':<12} {'n':>3} " + " ".join(f"{h:>6}" for h in ("min", "p10", "p25", "p50", "p75", "p90", "max")))
    for kind, pairs in scores.items():
        if not pairs:
            continue
        v = np.array([pair[0] for pair in pairs])
        quantiles = np.percentile(v, [0, 10, 25, 50, 75, 90, 100])
        capped = np.mean([pair[3] for pair in pairs])
        shares = f"  >=supported {np.mean(v >= SUPPORTED):.0%}  >=weak {np.mean(v >= WEAK):.0%}"
        shares += f"  figures missing {capped:.0%}"
        print(f"{kind:<12} {len(v):>3} " + " ".join(f"{q:6.3f}" for q in quantiles) + shares)
    spread = np.abs([a[0] - b[0] for a, b in zip(scores["holds"], scores["holds-again"], strict=True)])
    print(f"|holds - holds-again|: median {np.median(spread):.3f}, p90 {np.percentile(spread, 90):.3f}")
    # The wrong sources that score highest, to read whether they are wrong or the label is.
    for kind in ("topic", "real-other"):
        for score, claim, sentence, _ in sorted(scores[kind], reverse=True)[:6]:
            print(f"\n{kind} {score:.3f}\n  claim:  {claim[:160]}\n  source: {sentence[:160]}")


if __name__ == "__main__":
    main()
