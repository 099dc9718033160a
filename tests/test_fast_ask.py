"""The cold path for questions: the ONNX query encoder, its parity check, the fallback, and that
``citeqa ask`` imports neither torch nor sentence-transformers. Real model, real onnxruntime."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_cli import run

from citeqa.index import onnx
from citeqa.index.library import Library, passage_input
from citeqa.index.store import Store
from citeqa.index.vectors import DamagedIndexError, build_index, read_index, write_index
from citeqa.qa.answer import Asker

QUESTION = "On what date did India and Japan hold their second economic security dialogue?"


def test_build_exports_an_onnx_encoder_that_matches_sentence_transformers(built_home, embedder):
    status = onnx.read_status(built_home)
    assert status["usable"] is True and status["parity"] >= onnx.PARITY
    texts = ["Who organised the private-sector dialogue?", "rare earths " * 300]
    got = onnx.OnnxEncoder(built_home).encode(texts)
    expected = embedder.encode(texts)
    assert np.min(np.sum(got * expected, axis=1)) >= onnx.PARITY
    # Loaded as builds load it, its weights repacked, it embeds as questions are embedded.
    built = onnx.OnnxEncoder(built_home, prepack=True)
    assert np.min(np.sum(got * built.encode(texts), axis=1)) >= 0.99999
    # A question's session leaves them in the memory-mapped file; a build's repacks them.
    options = onnx.OnnxEncoder(built_home).session.get_session_options()
    assert options.get_session_config_entry("session.disable_prepacking") == "1"
    with pytest.raises(RuntimeError, match="does not have configuration"):
        built.session.get_session_options().get_session_config_entry("session.disable_prepacking")


def test_a_broken_export_is_refused_by_the_parity_check(home, embedder):
    # Other word vectors under the export's name: it loads and runs, but answers differently.
    words = home / onnx.WORDS_FILE
    table = np.load(words)
    words.unlink()  # a link to the session's export: replaced, not written into
    np.save(words, table + np.random.default_rng(0).normal(0, 0.05, table.shape).astype(np.float32))
    result = onnx.check_parity(home, embedder.model(), onnx.read_status(home))
    assert result["usable"] is False
    assert result["reason"].startswith("parity check failed: cosine")


def test_weights_damaged_since_their_check_stop_ask_with_one_line_and_build_repairs_them(home, embedder):
    weights = home / onnx.WEIGHTS_FILE
    data = bytearray(weights.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096  # not-a-number weights
    weights.unlink()  # a link to the session's export: replaced, not written into
    weights.write_bytes(bytes(data))
    result = run(home, "ask", QUESTION)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: the ONNX encoder in {home} is damaged (it gave vectors that are not numbers); "
        "'citeqa build' exports it again"
    ]
    # Exported so, they would be refused by the parity check, saying why.
    refused = onnx.check_parity(home, embedder.model(), onnx.read_status(home))
    assert refused == {
        "usable": False,
        "parity": None,
        "reason": "parity check failed: it gave vectors that are not numbers",
    }
    run(home, "build")
    assert "11 May 2026" in run(home, "ask", QUESTION).output.split("\n[2]")[0]


def test_an_export_replaced_while_a_question_opened_it_is_not_used(home, monkeypatch):
    # A build marked it as being made between the question reading its status and its files.
    status = onnx.read_status(home)
    reads = iter([status, {**status, "usable": False, "reason": "an export was being made"}])
    monkeypatch.setattr(onnx, "read_status", lambda folder: next(reads))
    with pytest.raises(onnx.OnnxUnavailable, match="was being replaced"):
        onnx.OnnxEncoder(home)


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


def test_citeqa_ask_imports_neither_torch_nor_sentence_transformers_nor_faiss(built_home, tmp_path):
    # FAISS alone took about a tenth of a cold ask; an exact index is read without it.
    done = run_probe(tmp_path / "probe.py", ["--home", str(built_home), "ask", "--json", QUESTION], watch=("faiss",))
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


def test_an_exact_index_read_without_faiss_finds_what_faiss_finds(tmp_path):
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(500, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = rng.permutation(5000)[:500].astype(np.int64)
    index, _ = build_index(ids, vectors)
    write_index(index, tmp_path / "flat.faiss")
    read = read_index(tmp_path / "flat.faiss", 500)
    assert "faiss" not in type(read).__module__ and read.ntotal == 500
    queries = rng.normal(size=(3, 384)).astype(np.float32)
    for k in (1, 12, 500):
        expected_scores, expected_ids = index.search(queries, k)
        scores, found = read.search(queries, k)
        assert (found == expected_ids).all()
        assert np.allclose(scores, expected_scores, atol=1e-5)


def test_the_same_passage_stored_twice_is_found_in_the_order_stored(tmp_path):
    vectors = np.eye(6, 384, dtype=np.float32)
    vectors[[1, 3, 4]] = vectors[0]
    index, _ = build_index(np.array([50, 40, 30, 20, 10, 60], dtype=np.int64), vectors)
    write_index(index, tmp_path / "flat.faiss")
    scores, found = read_index(tmp_path / "flat.faiss", 6).search(vectors[:1], 4)
    assert found.tolist() == [[50, 40, 20, 10]] and scores.tolist() == [[1.0] * 4]
    # More alike than are asked for: the first stored are kept, as FAISS keeps them.
    alike = np.repeat(vectors[:1], 200, axis=0)
    alike[::3] *= 0.5  # every third scores lower
    index, _ = build_index(np.arange(1000, 1200, dtype=np.int64), alike)
    write_index(index, tmp_path / "alike.faiss")
    _, found = read_index(tmp_path / "alike.faiss", 200).search(vectors[:1], 20)
    assert found.tolist() == [[i for i in range(1000, 1031) if (i - 1000) % 3][:20]]


def test_an_exact_index_whose_parts_disagree_is_reported_damaged(tmp_path):
    vectors = np.eye(4, 384, dtype=np.float32)
    index, _ = build_index(np.arange(4, dtype=np.int64), vectors)
    write_index(index, tmp_path / "flat.faiss")
    data = (tmp_path / "flat.faiss").read_bytes()
    (tmp_path / "short.faiss").write_bytes(data[:-9])  # the last id cut
    (tmp_path / "miscounted.faiss").write_bytes(data[:8] + (5).to_bytes(8, "little") + data[16:])
    # Dimension and count both -1, inside and out: their product and the file's size agree.
    negative = (-1).to_bytes(4, "little", signed=True) + (-1).to_bytes(8, "little", signed=True)
    header = 37
    forged = bytearray(data[: 2 * header])
    forged[4:16] = forged[header + 4 : header + 16] = negative
    (tmp_path / "negative.faiss").write_bytes(bytes(forged) + (1).to_bytes(8, "little") + bytes(4))
    (tmp_path / "metric.faiss").write_bytes(data[: header - 4] + (7).to_bytes(4, "little") + data[header:])
    for name in ("short.faiss", "miscounted.faiss", "negative.faiss", "metric.faiss"):
        with pytest.raises(DamagedIndexError, match=f"{name}: vector index file is damaged"):
            read_index(tmp_path / name, 4)
    with pytest.raises(DamagedIndexError, match="holds 4 vectors but the database has 5"):
        read_index(tmp_path / "flat.faiss", 5)
    (tmp_path / "folder.faiss").mkdir()
    with pytest.raises(DamagedIndexError, match="folder.faiss: vector index file is unreadable"):
        read_index(tmp_path / "folder.faiss", 4)


def test_recorded_index_parameters_are_in_the_database(built_home):
    db = sqlite3.connect(built_home / "index.db")
    (value,) = db.execute("SELECT value FROM meta WHERE key = 'vector_index'").fetchone()
    assert json.loads(value) == {"type": "flat"}


def run_probe(
    probe: Path, args: list[str], env: dict | None = None, watch: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """Run ``citeqa ARGS`` in a fresh interpreter that then prints which heavy modules it imported,
    torch's family and those in ``watch``, as its last line ``HEAVY [...]``."""
    heavy = ("torch", "sentence_transformers", "transformers", *watch)
    probe.write_text(
        "import sys\n"
        "from citeqa.qa.cli import cli\n"
        "try:\n"
        f"    cli({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = [m for m in {heavy!r} if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    # The environment unchanged: it is how this process found the citeqa under test. The repository
    # root on PYTHONPATH is not (its folder need not be named citeqa), so the child would import
    # whichever citeqa is installed instead.
    return subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("question, k", [("", 5), ("???", 5), ("Who co-chaired the dialogue?", 0), ("Who?", 101)])
def test_the_python_api_refuses_what_the_command_line_refuses(built_home, question, k):
    # An empty question would be answered with whatever came first; k outside 1-100 is no count.
    with Asker(Library(built_home)) as asker, pytest.raises(ValueError):
        asker.ask(question, k=k)
