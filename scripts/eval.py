"""Evaluate citeqa's answers against a question set, side by side with BM25-only and dense-only.

Usage:
    python scripts/eval.py                          # scripts/questions.jsonl, all splits
    python scripts/eval.py --split test --json
    python scripts/eval.py QUESTIONS.jsonl --home DIR   # another library

Each line of the question file is ``{"question": ..., "answers": [gold strings]}``; an empty
``answers`` list means the sources do not answer it. A passage is a hit when a gold string appears
in it (case and white space normalised). Without ``--home`` the library is a fresh one in a
temporary folder holding only the bundled article.

Metrics, per system:
    recall@1, recall@5  share of answerable questions with a hit in the first 1 / 5 passages
                        (an abstention returns no passages, so it counts as a miss)
    MRR@10              mean reciprocal rank of the first hit in the first 10
    abstain P / R       precision and recall of abstaining, unanswerable being the positive class
    abstain/answerable  share of answerable questions the system abstained on

The baselines rank by one retriever alone and abstain in their own natural way: BM25 when no
passage shares a word with the question, dense when the best passage's cosine is below the same
threshold citeqa applies to sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.library import Library  # noqa: E402
from qa.answer import Asker  # noqa: E402

SYSTEMS = (("citeqa", "hybrid"), ("bm25-only", "bm25"), ("dense-only", "dense"))


def normalise(text: str) -> str:
    """Lower-case and collapse white space, as the hit test compares."""
    return re.sub(r"\s+", " ", text).strip().lower()


def first_hit(passages: list[str], answers: list[str]) -> int | None:
    """1-based rank of the first passage containing a gold answer, or ``None``."""
    golds = [normalise(a) for a in answers]
    for rank, text in enumerate(passages, 1):
        if any(g in normalise(text) for g in golds):
            return rank
    return None


def evaluate(asker: Asker, items: list[dict], mode: str) -> dict:
    """Run every question through ``asker`` in ``mode`` and compute the metrics."""
    answers = asker.ask_many([i["question"] for i in items], k=10, mode=mode)
    answerable = [(i, a) for i, a in zip(items, answers) if i["answers"]]
    unanswerable = [(i, a) for i, a in zip(items, answers) if not i["answers"]]
    ranks = [first_hit([p.text for p in a.passages], i["answers"]) for i, a in answerable]
    abstained_wrongly = sum(a.abstained for _, a in answerable)
    abstained_rightly = sum(a.abstained for _, a in unanswerable)
    abstained = abstained_wrongly + abstained_rightly
    misses = [
        {"id": i.get("id"), "question": i["question"], "rank": r, "abstained": a.abstained, "reason": a.reason}
        for (i, a), r in zip(answerable, ranks)
        if r != 1
    ] + [
        {"id": i.get("id"), "question": i["question"], "answered_with": a.passages[0].highlight}
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
        "abstain_precision": abstained_rightly / abstained if abstained else 0.0,
        "abstain_recall": abstained_rightly / len(unanswerable) if unanswerable else 0.0,
        "abstained_unanswerable": abstained_rightly,
        "abstain_on_answerable": abstained_wrongly / n,
        "misses": misses,
    }


def main() -> int:
    """Parse arguments, evaluate each system and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", nargs="?", default=str(Path(__file__).with_name("questions.jsonl")))
    parser.add_argument("--home", help="library to evaluate (default: a fresh one with the bundled article)")
    parser.add_argument("--split", default="all", help="evaluate one split of the file (default: all)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--misses", action="store_true", help="list citeqa's misses")
    args = parser.parse_args()

    items = [json.loads(line) for line in Path(args.questions).read_text().splitlines() if line.strip()]
    if args.split != "all":
        splits = sorted({str(i.get("split")) for i in items})
        items = [i for i in items if i.get("split") == args.split]
        if not items:
            parser.error(f"{args.questions} has no split {args.split!r}; its splits: {', '.join(splits)}")
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(args.home or tmp)
        library.build()
        with Asker(library) as asker:
            results = {name: evaluate(asker, items, mode) for name, mode in SYSTEMS}

    if args.json:
        print(json.dumps({"questions": args.questions, "split": args.split, "results": results}, indent=2))
        return 0
    first = results["citeqa"]
    print(f"{args.questions} (split: {args.split}): {first['answerable']} answerable, {first['unanswerable']} unanswerable")
    header = f"{'system':<12}{'recall@1':>10}{'recall@5':>10}{'MRR@10':>9}{'abst P':>9}{'abst R':>9}{'abst/answerable':>17}"
    print(header)
    for name, r in results.items():
        print(
            f"{name:<12}{r['recall@1']:>10.3f}{r['recall@5']:>10.3f}{r['mrr@10']:>9.3f}"
            f"{r['abstain_precision']:>9.3f}{r['abstain_recall']:>9.3f}{r['abstain_on_answerable']:>17.3f}"
        )
    if args.misses:
        for miss in first["misses"]:
            print(json.dumps(miss, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
