"""Build-time embedding throughput: sentence-transformers against the ONNX export, in one run.

Usage:
    python scripts/bench_embed.py                  # 256 passages, median of 3 rounds
    python scripts/bench_embed.py --passages 512 --rounds 5 --json

Times what a build's embedding step does for each batch of ~1,000-character passages (taken from
the bundled article): embed the passages, then embed each passage's sentences. ``sentence-
transformers`` is ``index.embed.Embedder`` (the build's encoder before ONNX); ``onnx`` is
``index.onnx.OnnxEncoder`` on an export made here and parity-checked. Rounds interleave the two, so
a burst of other load hits both alike. Reports passages per second (sentences included) and the
ratio, with the machine's core count and load.
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


def passages(count: int) -> list[tuple[str, list[str]]]:
    """``count`` 1,000-character windows of the bundled article, each with its sentences."""
    text = " ".join(corpus.BUNDLED_ARTICLE.read_text().split())
    out = []
    for i in range(count):
        window = text[(i * 997) % (len(text) - 1000) :][:1000]
        out.append((window, [s for s in re.split(r"(?<=[.!?])\s+", window) if s]))
    return out


def embed_like_a_build(encode, items: list[tuple[str, list[str]]], batch: int = 64) -> None:
    """Embed passages then their sentences, batch by batch, as ``Library._embed`` does."""
    for i in range(0, len(items), batch):
        part = items[i : i + batch]
        encode([p for p, _ in part])
        encode([s for _, sentences in part for s in sentences])


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
        encoders = {"sentence-transformers": embedder.encode, "onnx": onnx.OnnxEncoder(Path(folder)).encode}
        for encode in encoders.values():
            encode([p for p, _ in items[:8]])  # warm up: first calls allocate
        seconds: dict[str, list[float]] = {name: [] for name in encoders}
        for _ in range(args.rounds):
            for name, encode in encoders.items():
                start = time.perf_counter()
                embed_like_a_build(encode, items)
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
        "ratio": rates["onnx"] / rates["sentence-transformers"],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{args.passages} passages of 1,000 characters ({result['sentences']} sentences), "
        f"{os.cpu_count()} cores, load {result['load_1min']:.2f}, parity {status['parity']:.5f}"
    )
    for name, rate in rates.items():
        print(f"  {name:<22} {rate:6.1f} passages/s (sentences included)")
    print(f"  ratio onnx / sentence-transformers: {result['ratio']:.2f}x")


if __name__ == "__main__":
    main()
