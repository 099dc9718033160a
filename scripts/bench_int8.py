"""Should builds embed with an int8-quantised model? Speed and retrieval against fp32, in one run.

The library's checked fp32 ONNX export is quantised with onnxruntime's dynamic int8
quantisation. For every evaluation set, each passage and question is embedded both ways, and
dense retrieval (question against passage vectors, the "dense" baseline of ``scripts/eval.py``) is
scored by recall@1 and recall@5 with the same hit test as ``scripts/eval.py``. int8 is worth
adopting only if no set's recall moves by more than 0.01; the passages' embedding time gives the
speed ratio.

    python scripts/bench_int8.py             # every set of scripts/eval.py that has answers
    python scripts/bench_int8.py --json

Development only: it reads ../shared/data through ``scripts/datasets.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import datasets
import numpy as np

from citeqa.index.library import passage_input
from citeqa.index.onnx import MODEL_FILE, STATUS_FILE, TOKENIZER_FILE, WORDS_FILE, OnnxEncoder, _trace
from citeqa.index.store import Store


def quantised_copy(home: Path, folder: Path) -> Path:
    """A copy of ``home``'s export in ``folder`` whose model is dynamically quantised to int8.

    The transformer is traced again and quantised before onnxruntime's fusions: the quantiser
    cannot read the fused graph builds load (it finds no type for a fused MatMul's output), nor
    weights in a file of their own that hard links share (the onnx package refuses them).
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from citeqa.index.embed import Embedder

    for name in (TOKENIZER_FILE, WORDS_FILE):
        shutil.copy(home / name, folder / name)
    traced = folder / "traced.onnx"
    _trace(Embedder().model(), traced)
    quantize_dynamic(str(traced), str(folder / MODEL_FILE), weight_type=QuantType.QInt8)
    # Not fused: loaded with onnxruntime's own optimisation, as a layout-2 export is.
    status = json.loads((home / STATUS_FILE).read_text())
    (folder / STATUS_FILE).write_text(json.dumps({**status, "format": 2}))
    return folder


def recall(passages: np.ndarray, questions: np.ndarray, texts: list[str], items: list[dict]) -> tuple:
    """Dense recall@1 and @5 of ``questions`` against ``passages`` (gold answer in the passage)."""
    ranks = []
    for vector, item in zip(questions, items, strict=True):
        order = np.argsort(-(passages @ vector))[:5]
        ranks.append(datasets.first_hit([texts[i] for i in order], item["answers"]))
    n = len(items)
    return sum(r == 1 for r in ranks) / n, sum(r is not None for r in ranks) / n


def run_set(name: str, library, items: list[dict], int8: OnnxEncoder) -> dict:
    """fp32 against int8 dense recall on one set, and the passages' embedding times."""
    fp32 = OnnxEncoder(library.home)
    store = Store(library.db_path, readonly=True)
    chunks = [c for doc in store.documents() for c in store.doc_chunks(doc.id)]
    store.close()
    inputs = [passage_input(c.section, c.text) for c in chunks]
    texts = [c.text for c in chunks]
    items = [i for i in items if i.get("answers")]
    questions = [i["question"] for i in items]
    out = {"set": name, "passages": len(chunks), "questions": len(items)}
    for kind, encoder in (("fp32", fp32), ("int8", int8)):
        started = time.perf_counter()
        passages = encoder.encode(inputs)
        out[f"{kind}_seconds"] = time.perf_counter() - started
        out[f"{kind}_recall@1"], out[f"{kind}_recall@5"] = recall(passages, encoder.encode(questions), texts, items)
    out["largest_change"] = max(abs(out[f"int8_recall@{k}"] - out[f"fp32_recall@{k}"]) for k in (1, 5))
    return out


def main() -> int:
    """Quantise once, run every set, print one row each and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    sets = datasets.evaluation_sets()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        int8 = OnnxEncoder(quantised_copy(datasets.article_library().home, Path(folder)))
        for name, (make_library, make_questions) in sorted(sets.items()):
            rows.append(run_set(name, make_library(), make_questions(), int8))
    adopt = all(r["largest_change"] <= 0.01 for r in rows)
    if args.json:
        print(json.dumps({"rows": rows, "adopt_int8": adopt}, indent=2))
        return 0
    print(f"{'set':26} {'R@1 fp32':>8} {'int8':>6} {'R@5 fp32':>8} {'int8':>6} {'change':>7} {'time int8/fp32':>15}")
    for r in rows:
        print(
            f"{r['set']:26} {r['fp32_recall@1']:8.3f} {r['int8_recall@1']:6.3f} {r['fp32_recall@5']:8.3f} "
            f"{r['int8_recall@5']:6.3f} {r['largest_change']:7.3f} {r['int8_seconds'] / r['fp32_seconds']:15.2f}"
        )
    print(f"adopt int8 (no set moves by more than 0.01): {'yes' if adopt else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
