"""Benchmark builds in one run: citeqa's full, incremental and no-op builds, and a peer's.

Usage:
    python scripts/bench_build.py                  # every scenario, prints tables
    python scripts/bench_build.py --docs 20 --json
    python scripts/bench_build.py --no-txtai       # without the peer (it is an optional extra)

Scenarios, each a fresh ``citeqa`` process so that a timing holds what a user waits for
(interpreter start, imports, model load):

* **the bundled article**: the first library on the machine (its build exports the model to ONNX;
  later libraries copy that export), a full build in a new library (median of ``--repeat``), a
  build after one small file is added, and a no-op build. The peer, txtai (``pip install -e ".[bench]"``),
  indexes the same passages with the same MiniLM model as a hybrid (dense + BM25) index, in a
  fresh process too, median of ``--repeat``.
* **a synthetic library** of ``--docs`` Markdown documents (sentences recombined from the article's
  vocabulary, one ~900-character passage per section; not real sources): full build, one document
  added, one changed, no-op; and txtai over the same passages.
* **many files with metadata**: 25 short documents added with their own title, publisher, date
  and URL by one ``citeqa add --manifest``, against one ``citeqa build`` of the same files.

Every timing is also given as a ratio to its scenario's baseline, and the machine's load average
is printed before and after, since other work on the machine slows every row.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from citeqa import corpus
from citeqa.index.embed import model_path

CLI = [sys.executable, "-c", "from citeqa.qa.cli import main; main()"]

TXTAI = r"""
import json, sys, time
start = time.perf_counter()
from txtai import Embeddings
texts = json.load(open(sys.argv[2]))
embeddings = Embeddings(path=sys.argv[1], content=True, hybrid=True)
embeddings.index([(i, text, None) for i, text in enumerate(texts)])
embeddings.save(sys.argv[3])
print(json.dumps({"seconds": time.perf_counter() - start, "count": embeddings.count()}))
"""


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


def citeqa(home: Path, *args: str) -> tuple[float, dict]:
    """Run one ``citeqa --home HOME ARGS --json`` process; return its wall time and JSON output."""
    start = time.perf_counter()
    done = subprocess.run([*CLI, "--home", str(home), *args, "--json"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"citeqa {' '.join(args)} failed: {done.stderr.strip()}")
    return seconds, json.loads(done.stdout)


def txtai_index(texts: list[str], folder: Path) -> float:
    """Index ``texts`` with txtai in a fresh process; return its wall time."""
    data, out = folder / "texts.json", folder / "txtai-index"
    data.write_text(json.dumps(texts))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", TXTAI, model_path(), str(data), str(out)], capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"txtai failed (pip install -e '.[bench]'): {done.stderr.strip().splitlines()[-1]}")
    return seconds


def passages_of(paths: list[Path]) -> list[str]:
    """The passage texts citeqa makes of ``paths``: the same text for both tools to index."""
    texts = []
    for path in paths:
        doc = corpus.extract(path)
        texts += [chunk.text for chunk in corpus.chunk_document(doc, "bench")]
    return texts


def median_of(repeat: int, run) -> float:
    """The median wall time of ``repeat`` calls of ``run()``, each returning seconds."""
    return statistics.median(run() for _ in range(repeat))


def article_scenario(work: Path, repeat: int, peer: bool) -> list[dict]:
    """The first library on the machine (it exports the model), then full (median), one file
    added and no-op builds of the bundled article in new libraries, and txtai's index."""
    first = citeqa(work / "article-first", "build")[0]
    homes = iter(range(repeat))

    def full_build() -> float:
        home = work / f"article-{next(homes)}"
        return citeqa(home, "build")[0]

    full = median_of(repeat, full_build)
    home = work / "article-0"
    note = work / "note.md"
    note.write_text("# A synthetic benchmark note (not a real source)\n\nOne short paragraph to add.\n")
    added = citeqa(home, "add", str(note))[0]
    noop = citeqa(home, "build")[0]
    rows = [
        {"build": "article: first library here (exports the model)", "seconds": first, "baseline": full},
        {"build": "article: full build, new library (median)", "seconds": full, "baseline": full},
        {"build": "article: one file added", "seconds": added, "baseline": full},
        {"build": "article: no-op", "seconds": noop, "baseline": full},
    ]
    if peer:
        texts = passages_of([corpus.BUNDLED_ARTICLE])
        peer_seconds = median_of(repeat, lambda: txtai_index(texts, Path(tempfile.mkdtemp(dir=work))))
        rows.append({"build": f"article: txtai hybrid ({len(texts)} passages)", "seconds": peer_seconds})
        rows[1]["txtai_over_citeqa"] = peer_seconds / full
    return rows


def library_scenario(work: Path, docs: int, sections: int, peer: bool) -> list[dict]:
    """Full, one added, one changed and no-op builds of a synthetic library, and txtai's index."""
    text = corpus.BUNDLED_ARTICLE.read_text()
    vocabulary = sorted(set(re.findall(r"[a-z]{4,}", text.lower())))
    rng = random.Random(7)
    home, folder = work / "library", work / "library-files"
    folder.mkdir()
    paths = []
    for n in range(docs):
        paths.append(folder / f"bench-{n:03d}.md")
        paths[-1].write_text(synthetic_document(rng, vocabulary, n, sections))
    full, report = citeqa(home, "add", *map(str, paths))
    extra = folder / "bench-new.md"
    extra.write_text(synthetic_document(rng, vocabulary, 999, sections))
    added = citeqa(home, "add", str(extra))[0]
    changed_path = home / "sources" / "bench-000.md"
    changed_path.write_text(changed_path.read_text() + "\nOne more synthetic closing sentence.\n")
    changed = citeqa(home, "build")[0]
    noop = citeqa(home, "build")[0]
    passages = report["build"]["chunks"] if "build" in report else report.get("chunks")
    rows = [
        {
            "build": f"library: full build ({passages} passages)",
            "seconds": full,
            "baseline": full,
            "passages_per_second": passages / full if passages else None,
        },
        {"build": "library: one document added", "seconds": added, "baseline": full},
        {"build": "library: one document changed", "seconds": changed, "baseline": full},
        {"build": "library: no-op", "seconds": noop, "baseline": full},
    ]
    if peer:
        # The library starts with the bundled article, so the peer indexes its passages too.
        texts = passages_of([corpus.BUNDLED_ARTICLE, *paths])
        peer_seconds = txtai_index(texts, Path(tempfile.mkdtemp(dir=work)))
        rows.append({"build": f"library: txtai hybrid ({len(texts)} passages)", "seconds": peer_seconds})
        rows[0]["txtai_over_citeqa"] = peer_seconds / full
    return rows


def manifest_scenario(work: Path) -> list[dict]:
    """25 documents with per-file metadata by one ``add --manifest``, against one build of them."""
    text = corpus.BUNDLED_ARTICLE.read_text()
    vocabulary = sorted(set(re.findall(r"[a-z]{4,}", text.lower())))
    rng = random.Random(11)
    folder = work / "news"
    folder.mkdir()
    rows = []
    for n in range(25):
        path = folder / f"news-{n:02d}.md"
        path.write_text(synthetic_document(rng, vocabulary, n, 4))
        rows.append(
            {
                "path": path.name,
                "title": f"Synthetic report {n}",
                "publisher": f"Synthetic Wire {n % 5}",
                "date": f"2025-{1 + n % 12:02d}-{1 + n:02d}",
                "url": f"https://example.org/synthetic/{n}",
            }
        )
    manifest = folder / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(row) + "\n" for row in rows))
    one_call = citeqa(work / "manifest-home", "add", "--manifest", str(manifest))[0]
    plain = work / "plain-home"
    sources = plain / "sources"
    sources.mkdir(parents=True)
    # A new library starts with the bundled article, so the manifest's library holds it too.
    (sources / corpus.BUNDLED_ARTICLE.name).write_bytes(corpus.BUNDLED_ARTICLE.read_bytes())
    for row in rows:
        (sources / row["path"]).write_bytes((folder / row["path"]).read_bytes())
    one_build = citeqa(plain, "build")[0]
    return [
        {"build": "25 files: one build of them", "seconds": one_build, "baseline": one_build},
        {"build": "25 files + metadata: one add --manifest", "seconds": one_call, "baseline": one_build},
    ]


def main() -> None:
    """Run every scenario and print one table (or ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=60, help="documents in the synthetic library (default 60)")
    parser.add_argument("--sections", type=int, default=35, help="sections (passages) per document")
    parser.add_argument("--repeat", type=int, default=3, help="runs for each median (default 3)")
    parser.add_argument("--no-txtai", action="store_true", help="leave out the peer")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # An empty model cache of its own (index/export_cache.py): the first library exports.
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")
        rows = article_scenario(work, args.repeat, not args.no_txtai)
        rows += library_scenario(work, args.docs, args.sections, not args.no_txtai)
        rows += manifest_scenario(work)
    load_after = os.getloadavg()
    for row in rows:
        if "baseline" in row:
            row["ratio"] = row["seconds"] / row.pop("baseline")
    if args.json:
        print(json.dumps({"load_before": load_before, "load_after": load_after, "rows": rows}, indent=2))
        return
    print(f"cores: {os.cpu_count()}; load average (1, 5, 15 min) before {load_before}, after {load_after}")
    print(f"{'build':48} {'seconds':>8} {'ratio':>7}  note")
    for row in rows:
        notes = []
        if "passages_per_second" in row:
            notes.append(f"{row['passages_per_second']:.1f} passages/s")
        if "txtai_over_citeqa" in row:
            notes.append(f"txtai takes {row['txtai_over_citeqa']:.2f}x citeqa's time")
        ratio = f"{row['ratio']:7.3f}" if "ratio" in row else " " * 7
        print(f"{row['build']:48} {row['seconds']:8.2f} {ratio}  {'; '.join(notes)}")


if __name__ == "__main__":
    main()
