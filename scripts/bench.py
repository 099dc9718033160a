"""Benchmark answering speed and index scale, in one run, as medians of several runs.

Usage::

    python scripts/bench.py                    # the full run (the 1M-passage part takes minutes)
    python scripts/bench.py --passages 200000  # a smaller scale test
    python scripts/bench.py --json

Prints:

* **cold ask**: a whole ``citeqa ask`` process (fresh interpreter, built index, bytecode
  cached) against a plain script that loads sentence-transformers and FAISS and answers the same
  question, and citeqa again compiling its modules every run (``PYTHONDONTWRITEBYTECODE``);
* **warm ask**: per-question latency inside one process;
* **many questions**: questions per second for 1,000 questions through ``citeqa ask --questions``;
* **build throughput**: passages per second embedding 1,000-character passages as a build does,
  against ``SentenceTransformer.encode`` with its defaults;
* **exact vs approximate**: flat-scan query time at growing sizes (where the index switches
  structure), then, at ``--passages`` synthetic vectors shaped like real embeddings (perturbed
  mixtures of the library's passage and sentence embeddings), the approximate index's query
  p50/p95 including the SQLite lookup of the hits, recall@10 against exact search, and its size.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")

#: The installed console script, as a user runs it.
CITEQA = str(Path(sys.executable).with_name("citeqa"))
QUESTION = "When was the second India-Japan economic security dialogue held?"

PLAIN_SCRIPT = """
import sqlite3, sys
import faiss
from sentence_transformers import SentenceTransformer
from citeqa.index.embed import model_path
home = sys.argv[1]
db = sqlite3.connect(home + "/index.db")
name = db.execute("SELECT value FROM meta WHERE key = 'vectors_file'").fetchone()[0]
index = faiss.read_index(home + "/" + name)
model = SentenceTransformer(model_path(), device="cpu")
query = model.encode([sys.argv[2]], normalize_embeddings=True)
scores, ids = index.search(query, 5)
for rowid in ids[0]:
    print(db.execute("SELECT text FROM chunks WHERE rowid = ?", (int(rowid),)).fetchone()[0][:80])
"""


def _timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def cold_ask(home: Path, runs: int) -> dict:
    """Median wall time of a fresh ``citeqa ask`` process and of the plain script.

    Both run from compiled bytecode, as an installed program does from its second run (pip
    compiles on install; Python caches an editable install's on first import), kept in a
    temporary folder. citeqa is also timed compiling its modules on every run, as it does where
    ``PYTHONDONTWRITEBYTECODE`` is set (this machine's shell sets it).
    """
    with tempfile.TemporaryDirectory() as cache:
        compiling = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
        cached = {k: v for k, v in compiling.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = cache
        citeqa = [CITEQA, "--home", str(home), "ask", QUESTION]
        plain = [sys.executable, "-c", PLAIN_SCRIPT, str(home), QUESTION]
        # Warm the page cache and write the bytecode: we measure start-up work, not the disk.
        _timed(citeqa, cached)
        _timed(plain, cached)
        ours, uncompiled = [], []
        for _ in range(runs):
            ours.append(_timed(citeqa, cached))
            uncompiled.append(_timed(citeqa, compiling))
        theirs = statistics.median(_timed(plain, cached) for _ in range(runs))
    ours_s = statistics.median(ours)
    return {
        "citeqa_s": ours_s,
        "citeqa_compiling_s": statistics.median(uncompiled),
        "plain_s": theirs,
        "speedup": theirs / ours_s,
    }


def warm_ask(home: Path, questions: list[str]) -> dict:
    """Median per-question latency with the index and encoder loaded once."""
    from citeqa.index.library import Library
    from citeqa.qa.answer import Asker

    with Asker(Library(home)) as asker:
        asker.ask(questions[0])
        times = []
        for question in questions:
            start = time.perf_counter()
            asker.ask(question)
            times.append(time.perf_counter() - start)
    return {"median_ms": 1000 * statistics.median(times), "questions": len(times)}


def many_questions(home: Path, questions: list[str], count: int) -> dict:
    """Questions per second for ``count`` questions in one ``citeqa ask --questions`` process."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        for i in range(count):
            handle.write(questions[i % len(questions)] + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seconds = _timed([CITEQA, "--home", str(home), "ask", "--questions", handle.name], env)
    os.unlink(handle.name)
    return {"questions": count, "seconds": seconds, "per_second": count / seconds}


def build_throughput(home: Path, count: int, rounds: int) -> dict:
    """Passages/s embedding ~1,000-character passages: citeqa's Embedder at several batch sizes
    against plain ``SentenceTransformer.encode`` defaults, medians of ``rounds``."""
    import torch
    from sentence_transformers import SentenceTransformer

    from citeqa.index.embed import Embedder, model_path
    from citeqa.index.store import Store

    store = Store(home / "index.db", readonly=True)
    text = " ".join(c.text for c in store.doc_chunks(store.documents()[0].id))
    store.close()
    texts = [text[(i * 997) % (len(text) - 1000) :][:1000] for i in range(count)]
    plain = SentenceTransformer(model_path(), device="cpu")
    configs = {"plain": plain.encode, **{batch: Embedder(batch_size=batch).encode for batch in (8, 16, 32, 64)}}
    for encode in configs.values():
        encode(texts[:8])
    # Rounds interleave the configurations, so a burst of other load hits them all alike.
    seconds: dict = {name: [] for name in configs}
    for _ in range(rounds):
        for name, encode in configs.items():
            start = time.perf_counter()
            encode(texts)
            seconds[name].append(time.perf_counter() - start)
    rates = {name: count / statistics.median(times) for name, times in seconds.items()}
    plain_rate = rates.pop("plain")
    default = Embedder().batch_size
    return {
        "passages": count,
        "torch_threads": torch.get_num_threads(),
        "plain_per_s": plain_rate,
        "citeqa_per_s": rates[default],
        "citeqa_batch": default,
        "by_batch_per_s": rates,
        "ratio": rates[default] / plain_rate,
    }


def synthetic_vectors(base: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors shaped like real embeddings: mixtures of 1-3 real ones plus noise."""
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        picks = rng.integers(0, len(base), size=(m, 3))
        weights = rng.dirichlet([1.0, 0.5, 0.25], size=m).astype(np.float32)
        mixed = np.einsum("mk,mkd->md", weights, base[picks])
        mixed += rng.normal(0, 0.04, size=mixed.shape).astype(np.float32)
        out[start : start + m] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out


def scale(home: Path, passages: int, queries: int) -> dict:
    """Exact-scan latency by size, then the approximate index at ``passages`` vectors."""
    from citeqa.index.store import Store
    from citeqa.index.vectors import build_index

    store = Store(home / "index.db", readonly=True)
    rowids = [r[0] for r in store.db.execute("SELECT rowid FROM chunks").fetchall()]
    base = np.vstack([*store.embeddings(rowids).values(), *store.sentence_embeddings(rowids).values()])
    store.close()
    rng = np.random.default_rng(7)
    vectors = synthetic_vectors(base, passages, rng)
    query_vectors = synthetic_vectors(base, queries, rng)
    flat_ms, truth = exact_scan(vectors, query_vectors, passages)

    ids = np.arange(1, passages + 1, dtype=np.int64)
    start = time.perf_counter()
    index, params = build_index(ids, vectors)
    build_s = time.perf_counter() - start
    size_mb, times, hits = approximate_queries(index, ids, query_vectors, truth)
    return {
        "passages": passages,
        "flat_query_ms_by_size": flat_ms,
        "structure": params,
        "build_s": build_s,
        "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * float(np.percentile(times, 95)),
        "recall_at_10": hits / (10 * len(query_vectors)),
        "index_mb": size_mb,
    }


def exact_scan(vectors: np.ndarray, query_vectors: np.ndarray, passages: int) -> tuple[dict, np.ndarray]:
    """Median latency of an exact scan at each size up to ``passages``, and the true top 10.

    Args:
        vectors: the synthetic passage vectors.
        query_vectors: the synthetic questions (the first 50 are timed).
        passages: the largest size scanned: all of ``vectors``.

    Returns:
        ``(milliseconds by size, each question's true top 10 over all passages as row indexes)``.
    """
    import faiss

    from citeqa.index.vectors import EXACT_LIMIT

    flat_ms = {}
    for size in sorted({10_000, EXACT_LIMIT, passages}):
        if size > passages:
            continue
        flat = faiss.IndexFlatIP(vectors.shape[1])
        flat.add(vectors[:size])
        times = []
        for q in query_vectors[:50]:
            start = time.perf_counter()
            flat.search(q.reshape(1, -1), 10)
            times.append(time.perf_counter() - start)
        flat_ms[size] = 1000 * statistics.median(times)
    _, truth = flat.search(query_vectors, 10)  # the last ``flat`` holds all ``passages``
    return flat_ms, truth


def approximate_queries(index, ids: np.ndarray, query_vectors: np.ndarray, truth: np.ndarray) -> tuple:
    """Time each question on the approximate index, reading its hits' rows as a question does.

    Args:
        index: the approximate FAISS index over ``ids``.
        ids: the passages' row ids (1-based).
        query_vectors: the synthetic questions.
        truth: each question's true top 10 (see ``exact_scan``).

    Returns:
        ``(index file size in MB, seconds per question, true top-10 hits found)``.
    """
    import faiss

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.faiss"
        faiss.write_index(index, str(path))
        size_mb = path.stat().st_size / 2**20
        db = sqlite3.connect(Path(folder) / "hits.db")
        db.execute("CREATE TABLE chunks (rowid INTEGER PRIMARY KEY, doc_id TEXT, text TEXT)")
        filler = "x" * 400
        db.executemany("INSERT INTO chunks VALUES (?, ?, ?)", ((int(i), f"doc-{i % 5000}", filler) for i in ids))
        db.commit()
        times, hits = [], 0
        for q, expected in zip(query_vectors, truth, strict=True):
            start = time.perf_counter()
            _, found = index.search(q.reshape(1, -1), 10)
            keys = [int(i) for i in found[0] if i >= 0]
            rows = db.execute(
                f"SELECT rowid, doc_id, text FROM chunks WHERE rowid IN ({','.join('?' * len(keys))})", keys
            ).fetchall()
            times.append(time.perf_counter() - start)
            hits += len(set(keys) & {int(i) + 1 for i in expected})
            assert len(rows) == len(keys)
        db.close()
    return size_mb, times, hits


@click.command()
@click.option("--runs", default=5, show_default=True, help="Runs of each cold-start timing.")
@click.option("--passages", default=1_000_000, show_default=True, help="Synthetic passages for the scale test.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def main(runs: int, passages: int, as_json: bool) -> None:
    """Run every benchmark and print one table."""
    from citeqa.index.library import Library

    questions = [json.loads(line)["question"] for line in (ROOT / "scripts" / "questions.jsonl").open()]
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        Library(home).build()
        figures = {
            "cold_ask": cold_ask(home, runs),
            "warm_ask": warm_ask(home, questions),
            "many_questions": many_questions(home, questions, 1000),
            "build_throughput": build_throughput(home, 128, runs),
            "scale": scale(home, passages, 200),
        }
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    c, w, m, b, s = (figures[k] for k in ("cold_ask", "warm_ask", "many_questions", "build_throughput", "scale"))
    rows = [
        (f"cold `citeqa ask` (median of {runs})", f"{c['citeqa_s']:.3f} s"),
        ("  compiling its modules every run", f"{c['citeqa_compiling_s']:.3f} s"),
        ("plain sentence-transformers + FAISS script", f"{c['plain_s']:.3f} s"),
        ("cold speed-up", f"{c['speedup']:.1f}x"),
        ("warm ask, per question (median)", f"{w['median_ms']:.1f} ms"),
        ("1,000 questions via --questions", f"{m['per_second']:.1f} questions/s ({m['seconds']:.1f} s)"),
        (
            f"build embedding, {b['passages']} x 1,000-char passages",
            f"{b['citeqa_per_s']:.1f} passages/s (batch {b['citeqa_batch']}, {b['torch_threads']} threads)",
        ),
        ("plain SentenceTransformer.encode defaults", f"{b['plain_per_s']:.1f} passages/s (ratio {b['ratio']:.2f})"),
        ("embedding by batch size", ", ".join(f"{k}: {v:.1f}/s" for k, v in b["by_batch_per_s"].items())),
        ("exact (flat) query by size", ", ".join(f"{k:,}: {v:.2f} ms" for k, v in s["flat_query_ms_by_size"].items())),
        (f"approximate index at {s['passages']:,}", json.dumps(s["structure"])),
        ("  query p50 / p95 (with SQLite lookup)", f"{s['p50_ms']:.2f} / {s['p95_ms']:.2f} ms"),
        ("  recall@10 vs exact", f"{s['recall_at_10']:.3f}"),
        ("  index size", f"{s['index_mb']:.0f} MB (built in {s['build_s']:.0f} s)"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        click.echo(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
