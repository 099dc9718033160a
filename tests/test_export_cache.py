"""A new library reuses the machine's checked ONNX export instead of exporting with torch again."""

from __future__ import annotations

import json
import os
import shutil

from test_fast_ask import run_probe

from citeqa.index import export_cache, onnx
from citeqa.index.embed import model_path


def _note(tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Synthetic cache note\n\n" + "The tin bridge of Orlen was rebuilt in 1907. " * 20 + "\n")
    return note


def test_a_new_library_copies_the_cached_export_and_never_imports_torch(built_home, tmp_path):
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
    (home / onnx.MODEL_FILE).write_bytes(b"half an export")
    done = run_probe(tmp_path / "probe.py", ["--home", str(home), "add", str(_note(tmp_path))])
    assert done.returncode == 0, done.stderr
    status = onnx.read_status(home)
    assert status["usable"] and status["files"] == export_cache.file_hashes(home)
