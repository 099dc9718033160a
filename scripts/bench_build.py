"""Benchmark incremental builds against a full build, in one run.

Usage:
    python scripts/bench_build.py                 # 2,000+ passages, prints a table
    python scripts/bench_build.py --docs 80 --json

It generates synthetic Markdown documents (sentences recombined from the bundled article's
vocabulary, one passage per section), builds a fresh library from them (full build), then times:
a build with one new document added (incremental), a build with one document changed, and a
build with nothing changed (no-op, which must not even load the model). Every build is a fresh
``citeqa build --json`` process, so each timing includes what a user waits for (interpreter start,
imports, model load), and is reported as a ratio to the full build of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from citeqa import corpus
from citeqa.index.library import Library


def synthetic_document(rng: random.Random, vocabulary: list[str], number: int, sections: int) -> str:
    """A Markdown document of ``sections`` sections of about 900 characters of made-up prose."""
    parts = [f"# Synthetic benchmark document {number} (generated, not a real source)\n"]
    for s in range(sections):
        sentences = []
        while sum(len(x) for x in sentences) < 850:
            words = rng.sample(vocabulary, rng.randint(8, 18))
            sentences.append(" ".join(words).capitalize() + ".")
        parts.append(f"## Section {number}.{s}\n\n" + " ".join(sentences) + "\n")
    return "\n".join(parts)


def timed_build(home: Path) -> tuple[float, dict]:
    """Run ``citeqa build --json`` in a new process; return its wall time and its report."""
    command = [sys.executable, "-c", "from citeqa.qa.cli import main; main()", "--home", str(home), "build", "--json"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=60, help="documents in the library (default 60)")
    parser.add_argument("--sections", type=int, default=35, help="sections (passages) per document")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()

    text = corpus.BUNDLED_ARTICLE.read_text()
    vocabulary = sorted(set(re.findall(r"[a-z]{4,}", text.lower())))
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder) / "home")
        # The sources folder as every new library starts it, with the bundled article, before
        # the synthetic documents are written into it.
        library.catalog.create()
        for n in range(args.docs):
            (library.sources_dir / f"bench-{n:03d}.md").write_text(
                synthetic_document(rng, vocabulary, n, args.sections)
            )

        full, report = timed_build(library.home)
        chunks = report["chunks"]
        (library.sources_dir / "bench-new.md").write_text(synthetic_document(rng, vocabulary, 999, args.sections))
        added, added_report = timed_build(library.home)
        changed_path = library.sources_dir / "bench-000.md"
        changed_path.write_text(changed_path.read_text() + "\nOne more synthetic closing sentence.\n")
        changed, changed_report = timed_build(library.home)
        noop, noop_report = timed_build(library.home)

    rows = [
        ("full build", full, report["chunks_embedded"]),
        ("incremental: one document added", added, added_report["chunks_embedded"]),
        ("incremental: one document changed", changed, changed_report["chunks_embedded"]),
        ("no-op: nothing changed", noop, noop_report["chunks_embedded"]),
    ]
    if args.json:
        print(
            json.dumps(
                {
                    "passages": chunks,
                    "builds": [
                        {
                            "build": name,
                            "seconds": round(seconds, 3),
                            "ratio_to_full": round(seconds / full, 4),
                            "embedded": embedded,
                        }
                        for name, seconds, embedded in rows
                    ],
                },
                indent=2,
            )
        )
        return
    print(f"library: {args.docs} documents, {chunks} passages")
    print(f"{'build':36} {'seconds':>8} {'/ full':>8} {'embedded':>9}")
    for name, seconds, embedded in rows:
        print(f"{name:36} {seconds:8.3f} {seconds / full:8.4f} {embedded:9d}")


if __name__ == "__main__":
    main()
