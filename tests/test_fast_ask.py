"""The cold path for questions: the ONNX query encoder, its parity check, the fallback, and that
``citeqa ask`` imports neither torch nor sentence-transformers. Real model, real onnxruntime."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
from test_cli import run

from citeqa.index import onnx
from citeqa.index.library import Library, passage_input
from citeqa.index.store import Store
from citeqa.index.vectors import build_index, read_index, write_index
from citeqa.qa.answer import Asker

QUESTION = "On what date did India and Japan hold their second economic security dialogue?"


def test_build_exports_an_onnx_encoder_that_matches_sentence_transformers(built_home, embedder):
    status = onnx.read_status(built_home)
    assert status["usable"] is True and status["parity"] >= onnx.PARITY
    texts = ["Who organised the private-sector dialogue?", "rare earths " * 300]
    got = onnx.OnnxEncoder(built_home).encode(texts)
    expected = embedder.encode(texts)
    assert np.min(np.sum(got * expected, axis=1)) >= onnx.PARITY


def test_a_broken_export_is_refused_by_the_parity_check(home, embedder):
    # Another model's weights under the export's name: it loads and runs, but answers differently.
    rng = np.random.default_rng(0)
    for part in (home / onnx.MODEL_FILE, home / onnx.WORDS_FILE):
        data = bytearray(part.read_bytes())
        for offset in rng.integers(len(data) // 4, len(data) - 8, size=20000):
            data[offset] ^= 0x5A
        part.unlink()  # a link to the session's export: replaced, not written into
        part.write_bytes(bytes(data))
    result = onnx.check_parity(home, embedder.model(), onnx.read_status(home))
    assert result["usable"] is False
    assert result["reason"].startswith(("parity check failed: cosine", "cannot load the ONNX query encoder"))


def test_a_refused_export_falls_back_with_a_one_line_notice(home):
    onnx.write_status(
        home, {**onnx.read_status(home), "usable": False, "reason": "parity check failed: cosine 0.4200 < 0.999"}
    )
    result = run(home, "ask", "--json", QUESTION)
    answer = json.loads(result.stdout)
    assert "11 May 2026" in answer["passages"][0]["highlight"]
    assert result.stderr.strip() == (
        "notice: ONNX query encoder refused: parity check failed: cosine 0.4200 < 0.999; "
        "encoding questions with sentence-transformers (slower start)"
    )


def test_a_missing_export_falls_back_and_the_next_build_makes_it(home):
    for name in (onnx.MODEL_FILE, onnx.STATUS_FILE):
        (home / name).unlink()
    with Asker(Library(home)) as asker:
        assert asker.notice.startswith("no ONNX query encoder in the library yet")
        assert "11 May 2026" in asker.ask(QUESTION).passages[0].highlight
    run(home, "build")
    assert onnx.read_status(home)["usable"] is True


def test_citeqa_ask_imports_neither_torch_nor_sentence_transformers(built_home, tmp_path):
    done = run_probe(tmp_path / "probe.py", ["--home", str(built_home), "ask", "--json", QUESTION])
    assert done.returncode == 0, done.stderr
    assert "11 May 2026" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "HEAVY []"
    assert done.stderr == ""  # no fallback notice


def test_onnx_batches_by_length_yet_returns_vectors_in_the_given_order(built_home, embedder):
    # Longest first and more texts than one batch holds: the encoder reorders them internally.
    texts = [f"Synthetic sentence {i} about harbours. " * (40 - i) for i in range(40)]
    got = onnx.OnnxEncoder(built_home).encode(texts)
    assert np.min(np.sum(got * embedder.encode(texts), axis=1)) >= onnx.PARITY


def test_a_build_with_a_valid_export_embeds_with_onnx_and_never_imports_torch(home, tmp_path, embedder):
    note = tmp_path / "onnx-note.md"
    note.write_text("# Synthetic ONNX note\n\n" + "The cobalt lighthouse of Vardø was repainted in 1911. " * 30 + "\n")
    done = run_probe(tmp_path / "probe.py", ["--home", str(home), "add", str(note)])
    assert done.returncode == 0, done.stderr
    assert "added onnx-note.md" in done.stdout and done.stdout.strip().splitlines()[-1] == "HEAVY []"
    assert done.stderr == ""  # no fallback notice
    # What ONNX stored agrees with sentence-transformers, passages and sentences alike.
    store = Store(home / "index.db", readonly=True)
    try:
        chunks = store.doc_chunks("onnx-note")
        rowids = [c.rowid for c in chunks]
        passage_vectors, sentence_vectors = store.embeddings(rowids), store.sentence_embeddings(rowids)
        passages = np.vstack([passage_vectors[r] for r in rowids])
        sentences = np.vstack([sentence_vectors[r] for r in rowids])
    finally:
        store.close()
    texts = [passage_input(c.section, c.text) for c in chunks]
    assert np.min(np.sum(passages * embedder.encode(texts), axis=1)) >= onnx.PARITY
    # Sentences are pooled from their passage's forward pass, as sentence-transformers pools them.
    shifts = [len(t) - len(c.text) - c.start for t, c in zip(texts, chunks, strict=True)]
    spans = [[(a + d, b + d) for a, b in c.sentences] for c, d in zip(chunks, shifts, strict=True)]
    _, expected = embedder.encode_passages(texts, spans)
    assert np.min(np.sum(sentences * np.vstack(expected), axis=1)) >= onnx.PARITY


def test_a_refused_export_makes_the_build_fall_back_with_a_one_line_notice(home, tmp_path):
    onnx.write_status(
        home, {**onnx.read_status(home), "usable": False, "reason": "parity check failed: cosine 0.4200 < 0.999"}
    )
    note = tmp_path / "fallback-note.md"
    note.write_text("# Synthetic fallback note\n\nThe amber ferry crossed the fjord at dawn.\n")
    result = run(home, "add", str(note))
    assert result.exit_code == 0 and "added fallback-note.md" in result.stdout
    assert result.stderr.strip() == (
        "notice: ONNX query encoder refused: parity check failed: cosine 0.4200 < 0.999; "
        "embedding passages with sentence-transformers (slower)"
    )
    assert "fallback-note" in {s.id for s in Library(home).sources()}


def test_large_indexes_switch_to_an_approximate_structure_with_recorded_parameters(tmp_path):
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(3000, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(10, 3010, dtype=np.int64)
    flat, params = build_index(ids, vectors, exact_limit=5000)
    assert params == {"type": "flat"}
    approximate, params = build_index(ids, vectors, exact_limit=1000)
    assert params["type"] == "ivf_sq8" and params["nprobe"] >= 1 and params["nlist"] == int(4 * np.sqrt(3000))
    _, exact_ids = flat.search(vectors[:20], 1)
    _, found = approximate.search(vectors[:20], 1)
    assert (found == exact_ids).mean() >= 0.9  # each vector finds itself
    write_index(approximate, tmp_path / "ivf.faiss")
    assert read_index(tmp_path / "ivf.faiss", 3000).nprobe == params["nprobe"]  # the file keeps it


def test_recorded_index_parameters_are_in_the_database(built_home):
    db = sqlite3.connect(built_home / "index.db")
    (value,) = db.execute("SELECT value FROM meta WHERE key = 'vector_index'").fetchone()
    assert json.loads(value) == {"type": "flat"}


def run_probe(probe: Path, args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``citeqa ARGS`` in a fresh interpreter that then prints which heavy modules it imported,
    as its last line ``HEAVY [...]``."""
    probe.write_text(
        "import sys\n"
        "from citeqa.qa.cli import cli\n"
        "try:\n"
        f"    cli({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    # The environment unchanged: it is how this process found the citeqa under test. The repository
    # root on PYTHONPATH is not (its folder need not be named citeqa), so the child would import
    # whichever citeqa is installed instead.
    return subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=120, env=env)
