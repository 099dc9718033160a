"""A new library reuses the machine's checked ONNX export instead of exporting with torch again."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
from test_fast_ask import run_probe

from citeqa.index import export_cache, onnx
from citeqa.index.embed import model_path
from citeqa.index.library import Library
from citeqa.qa.answer import Asker


def _note(tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Synthetic cache note\n\n" + "The tin bridge of Orlen was rebuilt in 1907. " * 20 + "\n")
    return note


def test_a_new_library_links_the_cached_export_and_never_imports_torch(built_home, tmp_path):
    weights = onnx.fingerprint(model_path())
    cached = export_cache.cached(weights)
    assert onnx.read_status(cached)["usable"]  # the session's first build kept its export there
    home = tmp_path / "new"
    done = run_probe(tmp_path / "probe.py", ["--home", str(home), "add", str(_note(tmp_path))])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "HEAVY []"
    status = onnx.read_status(home)
    assert status["usable"] and status["files"] == export_cache.file_hashes(cached)
    assert json.loads((cached / onnx.STATUS_FILE).read_text()) == status
    # On one file system the library's export is the cache's files, not a 90 MB copy of them.
    for name in export_cache.FILES:
        mine, shared = (home / name).stat(), (cached / name).stat()
        if mine.st_dev == shared.st_dev:
            assert mine.st_ino == shared.st_ino, name


def test_a_damaged_cached_export_is_not_copied_and_a_fresh_export_replaces_it(built_home, tmp_path):
    weights = onnx.fingerprint(model_path())
    private = tmp_path / "cache"
    shutil.copytree(export_cache.cached(weights), private / "citeqa" / export_cache.cached(weights).name)
    damaged = private / "citeqa" / export_cache.cached(weights).name / onnx.MODEL_FILE
    damaged.write_bytes(damaged.read_bytes()[:1000])
    home = tmp_path / "new"
    env = dict(os.environ, XDG_CACHE_HOME=str(private))
    done = run_probe(tmp_path / "probe.py", ["--home", str(home), "add", str(_note(tmp_path))], env=env)
    assert done.returncode == 0, done.stderr
    assert "torch" in done.stdout.strip().splitlines()[-1]  # it exported again
    status = onnx.read_status(home)
    assert status["usable"] and status["files"] == export_cache.file_hashes(home)
    assert damaged.stat().st_size > 1000  # the cache now holds the new, whole export


def test_an_export_a_crash_interrupted_is_not_used_and_the_next_build_makes_it_again(home, tmp_path):
    weights = onnx.fingerprint(model_path())
    onnx.write_status(
        home, {"fingerprint": weights, "usable": False, "parity": None, "reason": "an export was being made"}
    )
    (home / onnx.MODEL_FILE).unlink()  # a link to the session's export: replaced, not written into
    (home / onnx.MODEL_FILE).write_bytes(b"half an export")
    # Until then a question says what happened and what ends it.
    with Asker(Library(home)) as asker:
        assert asker.notice.startswith("the ONNX query encoder is being exported, or its export was interrupted")
        assert "the next 'citeqa build' makes it" in asker.notice
    done = run_probe(tmp_path / "probe.py", ["--home", str(home), "add", str(_note(tmp_path))])
    assert done.returncode == 0, done.stderr
    status = onnx.read_status(home)
    assert status["usable"] and status["files"] == export_cache.file_hashes(home)


def _export_layout_1(home):
    """Replace ``home``'s export with one laid out as citeqa wrote it before ``onnx.FORMAT`` 2:
    token ids in, the word vectors inside the ONNX file, no ``format`` in the status record."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path(), device="cpu")

    class Transformer(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = model.tokenizer(["a sample"], return_tensors="pt")
    (home / onnx.MODEL_FILE).unlink()
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(
        Transformer(model[0].auto_model.eval()),
        tuple(sample[name] for name in names),
        str(home / onnx.MODEL_FILE),
        input_names=names,
        output_names=["last_hidden_state"],
        dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
        opset_version=17,
        dynamo=False,
    )
    (home / onnx.WORDS_FILE).unlink()
    status = {k: v for k, v in onnx.read_status(home).items() if k != "format"}
    onnx.write_status(home, {**status, "files": export_cache.file_hashes(home)})


def _export_layout_2(home, embedder):
    """Replace ``home``'s export with one laid out as citeqa wrote it before ``onnx.FORMAT`` 3:
    word vectors in, the traced graph as it came (loaded with onnxruntime's default optimisation)."""
    (home / onnx.MODEL_FILE).unlink()
    onnx._trace(embedder.model(), home / onnx.MODEL_FILE)
    status = {**onnx.read_status(home), "format": 2}
    onnx.write_status(home, {**status, "files": export_cache.file_hashes(home)})


def _export_layout_3(home):
    """Replace ``home``'s export with one laid out as citeqa wrote it before ``onnx.FORMAT`` 4:
    the fused graph with its weights inside its one file."""
    import onnx as onnx_files

    weights = home / onnx.WEIGHTS_FILE
    data = weights.read_bytes()
    weights.unlink()  # a link to the session's export, which onnx will not read through
    weights.write_bytes(data)
    graph = onnx_files.load(str(home / onnx.MODEL_FILE))  # reads the weights' file in too
    (home / onnx.MODEL_FILE).unlink()
    weights.unlink()
    onnx_files.save(graph, str(home / onnx.MODEL_FILE))
    status = {**onnx.read_status(home), "format": 3}
    onnx.write_status(home, {**status, "files": export_cache.file_hashes(home)})


@pytest.mark.parametrize("layout", [1, 2, 3])
def test_an_export_in_an_earlier_layout_still_answers_and_the_next_build_replaces_it(home, tmp_path, embedder, layout):
    if layout == 1:
        _export_layout_1(home)
    elif layout == 2:
        _export_layout_2(home, embedder)
    else:
        _export_layout_3(home)
    texts = ["Who organised the private-sector dialogue?", "rare earths " * 300]
    got = onnx.OnnxEncoder(home).encode(texts)
    assert np.min(np.sum(got * embedder.encode(texts), axis=1)) >= onnx.PARITY
    done = run_probe(tmp_path / "probe.py", ["--home", str(home), "add", str(_note(tmp_path))])
    assert done.returncode == 0, done.stderr
    status = onnx.read_status(home)
    assert status["usable"] and status["format"] == onnx.FORMAT == 4
    assert (home / onnx.WEIGHTS_FILE).exists() and (home / onnx.WORDS_FILE).exists()
    assert status["files"] == export_cache.file_hashes(home)
    # The graph's file holds no weights: they are memory-mapped from theirs.
    assert (home / onnx.MODEL_FILE).stat().st_size < 1_000_000 < (home / onnx.WEIGHTS_FILE).stat().st_size
    assert "inputs_embeds" in onnx.OnnxEncoder(home).inputs


def test_where_links_cannot_be_made_the_export_is_copied(built_home, tmp_path, monkeypatch):
    weights = onnx.fingerprint(model_path())
    cached = export_cache.cached(weights)

    def no_links(source, destination):
        raise OSError("links not supported here")

    monkeypatch.setattr(os, "link", no_links)
    home = tmp_path / "elsewhere"
    home.mkdir()
    status = export_cache.restore(home, weights)
    assert status is not None and export_cache.file_hashes(home) == status["files"]
    for name in export_cache.FILES:
        assert (home / name).stat().st_ino != (cached / name).stat().st_ino, name
