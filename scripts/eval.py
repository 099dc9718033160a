"""Evaluate citeqa's answers on every question set, side by side with the baselines, in one run.

Usage:
    python scripts/eval.py                          # every set below
    python scripts/eval.py --set real-dev --misses  # one set, listing citeqa's misses
    python scripts/eval.py --json

Sets (libraries built once and cached by ``datasets.py``; development only, they read ``../shared``):
    article:<split>   the bundled article, ``scripts/questions.jsonl`` split (dev, test, holdout,
                      fresh, blind) or ``blind2`` (``scripts/article_blind2.jsonl``)
    squad:<Article>   one SQuAD 2.0 article as a library (dev: Islamism, Imperialism; test:
                      Warsaw, French_and_Indian_War; the other 8 are training data)
    real-dev          ``real-sources-dev`` and its own questions
    real-blind        ``real-sources-dev`` and ``scripts/real_blind.jsonl`` (read during development)
    real-blind2       ``real-sources-dev`` and ``scripts/real_blind2.jsonl`` (written blind, run once)

A passage is a hit when a gold string appears in it (case and white space normalised); questions
run as ``citeqa ask --questions FILE --json -k 10`` does.

Metrics, per system:
    recall@1, recall@5  share of answerable questions with a hit in the first 1 / 5 passages
                        (an abstention counts as a miss, though it still shows its passages)
    shown@1, shown@5    the same over the passages shown, abstained or not: the ranking alone,
                        and the hit as a reader of ``--json`` output counts it
    MRR@10              mean reciprocal rank of the first hit in the first 10
    highlight@1         share of answerable questions whose first passage shown has a gold
                        string in its highlighted sentence, abstained or not (at most shown@1)
    abstain P / R       precision and recall of abstaining, unanswerable being the positive class
    refused             share of answerable questions the system abstained on

Baselines: ``rrf`` (BM25 and dense fused by reciprocal rank, the naive hybrid), ``bm25`` and
``dense`` alone. They abstain in their own natural way: when nothing matched, or (dense) when the
best passage's cosine is below ``qa.answer.DENSE_FLOOR``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import datasets
from datasets import first_hit

from citeqa.qa.answer import Asker
from citeqa.qa.scorer import Scorer

SYSTEMS = (("citeqa", "hybrid"), ("rrf", "rrf"), ("bm25", "bm25"), ("dense", "dense"))


def evaluate(asker: Asker, items: list[dict], mode: str) -> dict:
    """Run every question through ``asker`` in ``mode`` and compute the metrics."""
    answers = asker.ask_many([i["question"] for i in items], k=10, mode=mode)
    answerable = [(i, a) for i, a in zip(items, answers, strict=True) if i["answers"]]
    unanswerable = [(i, a) for i, a in zip(items, answers, strict=True) if not i["answers"]]
    # An abstention is no answer: its passages are evidence shown, not a hit.
    shown = [first_hit([p.text for p in a.passages], i["answers"]) for i, a in answerable]
    highlighted = [bool(a.passages) and first_hit([a.passages[0].highlight], i["answers"]) == 1 for i, a in answerable]
    ranks = [None if a.abstained else rank for rank, (_, a) in zip(shown, answerable, strict=True)]
    abstained_wrongly = sum(a.abstained for _, a in answerable)
    abstained_rightly = sum(a.abstained for _, a in unanswerable)
    abstained = abstained_wrongly + abstained_rightly
    misses = [
        {"id": i.get("id"), "question": i["question"], "rank": r, "abstained": a.abstained, "reason": a.reason}
        for (i, a), r in zip(answerable, ranks, strict=True)
        if r != 1
    ] + [
        {"id": i.get("id"), "question": i["question"], "answered_with": a.passages[0].highlight if a.passages else None}
        for i, a in unanswerable
        if not a.abstained
    ]
    n = len(answerable) or 1
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "recall@1": sum(r == 1 for r in ranks) / n,
        "recall@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr@10": sum(1 / r for r in ranks if r is not None) / n,
        "shown@1": sum(r == 1 for r in shown) / n,
        "shown@5": sum(r is not None and r <= 5 for r in shown) / n,
        "highlight@1": sum(highlighted) / n,
        "abstain_precision": abstained_rightly / abstained if abstained else 0.0,
        "abstain_recall": abstained_rightly / len(unanswerable) if unanswerable else 0.0,
        "abstained_unanswerable": abstained_rightly,
        "abstain_on_answerable": abstained_wrongly / n,
        "misses": misses,
    }


def main() -> int:
    """Parse arguments, evaluate each system on each set and print the table (or JSON)."""
    known = datasets.evaluation_sets()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", choices=sorted(known), help="a set to run (repeatable; default all)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--misses", action="store_true", help="list citeqa's misses")
    parser.add_argument("--weights", help="a weights file written by scripts/fit.py --out (default: the shipped one)")
    args = parser.parse_args()
    scorer = Scorer.load(Path(args.weights)) if args.weights else None

    results = {}
    for name in args.set or list(known):
        make_library, make_questions = known[name]
        items = make_questions()
        with Asker(make_library(), scorer=scorer) as asker:
            results[name] = {system: evaluate(asker, items, mode) for system, mode in SYSTEMS}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(
        f"{'set':<29}{'system':<8}{'n':>9}{'R@1':>7}{'R@5':>7}{'MRR':>7}{'abstP':>7}{'abstR':>7}{'refused':>9}"
        f"{'shown@1':>9}{'shown@5':>9}{'hl@1':>7}"
    )
    for name, by_system in results.items():
        for system, r in by_system.items():
            n = f"{r['answerable']}+{r['unanswerable']}" if system == "citeqa" else ""
            print(
                f"{name if system == 'citeqa' else '':<29}{system:<8}{n:>9}{r['recall@1']:>7.3f}{r['recall@5']:>7.3f}"
                f"{r['mrr@10']:>7.3f}{r['abstain_precision']:>7.3f}{r['abstain_recall']:>7.3f}{r['abstain_on_answerable']:>9.3f}"
                f"{r['shown@1']:>9.3f}{r['shown@5']:>9.3f}{r['highlight@1']:>7.3f}"
            )
        if args.misses:
            for miss in by_system["citeqa"]["misses"]:
                print("   ", json.dumps(miss, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
