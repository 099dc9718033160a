"""Build-time embedding throughput: sentence-transformers against the ONNX export, in one run.

Usage:
    python scripts/bench_embed.py                  # 256 passages, median of 3 rounds
    python scripts/bench_embed.py --passages 512 --rounds 5 --json

Times a build's embedding step for batches of ~1,000-character passages (taken from the bundled
article) three ways: ``sentence-transformers two passes`` (``index.embed.Embedder``, passages and
then each sentence on its own, the build before ONNX); ``onnx two passes`` (the same with
``index.onnx.OnnxEncoder`` on an export made here and parity-checked); ``onnx one pass`` (what
builds do now: ``encode_passages``, the sentences pooled from their passage's forward pass).
Rounds interleave them, so a burst of other load hits all alike. Reports passages per second
(sentences included) and the ratios to the first, with the machine's core count and load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from citeqa import corpus
from citeqa.index import onnx
from citeqa.index.embed import Embedder, model_path


def passages(count: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """``count`` 1,000-character windows of the bundled article, each with its sentence spans."""
    text = " ".join(corpus.BUNDLED_ARTICLE.read_text().split())
    out = []
    for i in range(count):
        window = text[(i * 997) % (len(text) - 1000) :][:1000]
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S.*?(?:[.!?](?=\s)|$)", window)]
        out.append((window, spans))
    return out


def two_passes(encode):
    """A build step that embeds passages, then each sentence on its own."""

    def run(part):
        encode([p for p, _ in part])
        encode([p[a:b] for p, spans in part for a, b in spans])

    return run


def one_pass(encoder):
    """A build step that embeds passages and pools their sentences from the same pass."""
    return lambda part: encoder.encode_passages([p for p, _ in part], [spans for _, spans in part])


def embed_like_a_build(step, items, batch: int = 64) -> None:
    """Run ``step`` over ``items`` in the build's batches (``encoders.BATCH``)."""
    for i in range(0, len(items), batch):
        step(items[i : i + batch])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()

    items = passages(args.passages)
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as folder:
        status = onnx.export(Path(folder), model_path(), embedder.model())
        if not status["usable"]:
            sys.exit(f"the ONNX export was refused: {status['reason']}")
        fast = onnx.OnnxEncoder(Path(folder), prepack=True)  # as builds load it
        steps = {
            "sentence-transformers two passes": two_passes(embedder.encode),
            "onnx two passes": two_passes(fast.encode),
            "onnx one pass": one_pass(fast),
        }
        for step in steps.values():
            step(items[:8])  # warm up: first calls allocate
        seconds: dict[str, list[float]] = {name: [] for name in steps}
        for _ in range(args.rounds):
            for name, step in steps.items():
                start = time.perf_counter()
                embed_like_a_build(step, items)
                seconds[name].append(time.perf_counter() - start)
    rates = {name: args.passages / statistics.median(times) for name, times in seconds.items()}
    result = {
        "passages": args.passages,
        "sentences": sum(len(s) for _, s in items),
        "rounds": args.rounds,
        "cpu_count": os.cpu_count(),
        "load_1min": os.getloadavg()[0],
        "parity": status["parity"],
        "per_second": rates,
        "ratio_to_first": {name: rate / rates["sentence-transformers two passes"] for name, rate in rates.items()},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{args.passages} passages of 1,000 characters ({result['sentences']} sentences), "
        f"{os.cpu_count()} cores, load {result['load_1min']:.2f}, parity {status['parity']:.5f}"
    )
    for name, rate in rates.items():
        ratio = result["ratio_to_first"][name]
        print(f"  {name:<34} {rate:6.1f} passages/s (sentences included)  {ratio:5.2f}x")


if __name__ == "__main__":
    main()
