"""Sentence vectors from one forward pass: pooled passage tokens against encoding each sentence.

The best-sentence highlight needs a vector per sentence. Builds used to encode each sentence on its
own, a second pass over the same text; they now pool the passage's own token states over each
sentence's character span (``index.embed.pool_spans``), so one forward pass gives both. This is
the measurement behind that choice: both kinds of vector are computed here, from the passages of
the cached evaluation libraries.

For every answerable dev question, each passage holding a gold answer in exactly one of its
sentences is a trial: the sentence ``qa.highlight.best_sentence`` picks as the ranker's evidence
(``highlight.EVIDENCE``, which was also the highlight shown when this was measured) with each kind
of vector either is that sentence or is not. Also timed, in the same run: embedding every
passage of the library and its sentences the current way, and the one-pass way.

    python scripts/bench_sentences.py            # dev sets: article, real-sources, SQuAD dev

Development only: it reads ../shared/data through ``scripts/datasets.py``.
"""

from __future__ import annotations

import argparse
import json
import time

import datasets

from citeqa.index.library import passage_input
from citeqa.index.onnx import OnnxEncoder
from citeqa.index.store import Store
from citeqa.qa.highlight import best_sentence, pairs, sentence_evidence
from citeqa.qa.retrieve import Question


def _inputs(chunks) -> tuple[list[str], list[list[tuple[int, int]]], list[str]]:
    """Passage inputs, each sentence's span within its input, and the sentence texts."""
    texts, spans, sentence_texts = [], [], []
    for chunk in chunks:
        text = passage_input(chunk.section, chunk.text)
        shift = len(text) - len(chunk.text)
        texts.append(text)
        spans.append([(a - chunk.start + shift, b - chunk.start + shift) for a, b in chunk.sentences])
        sentence_texts += [chunk.sentence_text(i) for i in range(len(chunk.sentences))]
    return texts, spans, sentence_texts


def run_set(name: str, library, questions: list[dict]) -> dict:
    """Highlight agreement and embedding time for one library and its answerable questions."""
    store = Store(library.db_path, readonly=True)
    encoder = OnnxEncoder(library.home)
    chunks = [c for doc in store.documents() for c in store.doc_chunks(doc.id) if c.sentences]
    texts, spans, sentence_texts = _inputs(chunks)

    started = time.perf_counter()
    encoder.encode(texts)
    separate = encoder.encode(sentence_texts)
    two_pass = time.perf_counter() - started
    started = time.perf_counter()
    _, pooled = encoder.encode_passages(texts, spans)
    one_pass = time.perf_counter() - started

    by_chunk, offset = {}, 0
    for chunk, block in zip(chunks, pooled, strict=True):
        by_chunk[chunk.rowid] = (chunk, separate[offset : offset + len(block)], block)
        offset += len(block)
    trials = {"separate": 0, "pooled": 0}
    total = 0
    for item in questions:
        answers = [datasets.normalise(a) for a in item.get("answers") or []]
        if not answers:
            continue
        vector = encoder.encode([item["question"]])[0]
        question = Question.analyse(store, item["question"], vector)
        words, word_pairs = set(question.words), pairs(question.words)
        for chunk, sep, pool in by_chunk.values():
            holding = [
                i
                for i in range(len(chunk.sentences))
                if any(a in datasets.normalise(chunk.sentence_text(i)) for a in answers)
            ]
            if len(holding) != 1:
                continue
            total += 1
            for kind, vectors in (("separate", sep), ("pooled", pool)):
                similarities = vectors @ vector
                evidence = sentence_evidence(chunk, similarities, words, word_pairs, question.wants, question.editions)
                picked, _, _, _ = best_sentence(evidence, similarities, question.wants)
                trials[kind] += picked == holding[0]
    store.close()
    return {
        "set": name,
        "passages": len(texts),
        "sentences": len(sentence_texts),
        "trials": total,
        "separate_correct": trials["separate"] / total if total else None,
        "pooled_correct": trials["pooled"] / total if total else None,
        "two_pass_seconds": round(two_pass, 2),
        "one_pass_seconds": round(one_pass, 2),
        "speedup": round(two_pass / one_pass, 2),
    }


def main() -> int:
    """Run every dev set and print one row each (``--json`` for the records)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    sets = [
        ("article:dev", datasets.article_library(), datasets.article_questions(["holdout", "fresh", "blind"])),
        ("real-dev", datasets.real_library(), datasets.real_questions()),
    ]
    for title in datasets.SQUAD_SPLITS["dev"]:
        library = datasets.squad_library([title], f"squad-{title}")
        sets.append((f"squad:{title}", library, datasets.squad_questions(title)))
    rows = [run_set(name, library, questions) for name, library, questions in sets]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'set':22} {'trials':>6} {'separate':>9} {'pooled':>7} {'2-pass s':>9} {'1-pass s':>9} {'ratio':>6}")
    for r in rows:
        print(
            f"{r['set']:22} {r['trials']:6d} {r['separate_correct']:9.3f} {r['pooled_correct']:7.3f} "
            f"{r['two_pass_seconds']:9.2f} {r['one_pass_seconds']:9.2f} {r['speedup']:6.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
