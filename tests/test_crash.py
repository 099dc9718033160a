"""A build killed with SIGKILL part-way leaves the previous index answering, and the next build
finishes the work. The kill is real (the build's own process, in a subprocess); only its moment is
chosen: while embedding, after the new FAISS file is written but before the database commits, and
while that file is half written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from test_cli import run

# Runs a build in a child process and kills it with SIGKILL at the moment named by argv[2].
CHILD = r"""
import os, signal, sys
import faiss
import citeqa.index.vectors
from citeqa.index.library import Library

moment = sys.argv[2]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def progress(stage, done, total):
    if moment == "embedding" and stage == "embedding" and done < total:
        die()

if moment == "before-commit":
    write = citeqa.index.vectors.write_index
    citeqa.index.vectors.write_index = lambda idx, path: (write(idx, path), die())
if moment == "mid-write":
    real = faiss.write_index
    def half(idx, path):
        real(idx, path)
        with open(path, "r+b") as handle:
            handle.truncate(os.path.getsize(path) // 2)
        die()
    faiss.write_index = half

Library(sys.argv[1]).build(progress=progress)
"""

QUESTION = "Which Japanese firm refines rare earths in Andhra Pradesh?"


def _new_source(tmp_path):
    # A synthetic document with enough sections (one passage each) to need several embedding batches.
    path = tmp_path / "synthetic-notes.md"
    sections = [
        f"## Topic {i}\n\nSynthetic test paragraph: the working group on topic {i} met and reviewed item {i * 7}."
        for i in range(150)
    ]
    path.write_text("# Synthetic notes (test fixture)\n\n" + "\n\n".join(sections) + "\n")
    return path


@pytest.mark.parametrize("moment", ["embedding", "before-commit", "mid-write"])
def test_killed_build_leaves_the_old_index_and_the_next_build_finishes(home, tmp_path, moment):
    before = json.loads(run(home, "ask", "--json", QUESTION).output)
    new = _new_source(tmp_path)
    (home / "sources" / new.name).write_bytes(new.read_bytes())

    env = dict(os.environ, HF_HUB_OFFLINE="1")
    child = subprocess.run([sys.executable, "-c", CHILD, str(home), moment], env=env, timeout=600)
    assert child.returncode == -signal.SIGKILL

    after = json.loads(run(home, "ask", "--json", QUESTION).stdout)
    assert after["passages"] == before["passages"]
    assert {s["id"]: s["indexed"] for s in json.loads(run(home, "sources", "--json").output)} == {
        "sahoo-2026-economic-security-as-strategic-diplomacy": True,
        "synthetic-notes": False,
    }

    report = json.loads(run(home, "build", "--json").output)
    assert report["added"] == 1 and report["changed"] == 0 and report["unchanged"] == 1
    assert report["chunks_embedded"] >= 150
    assert not list(home.glob("*.tmp"))
    found = json.loads(run(home, "ask", "--json", "What did the working group on topic 123 review?").output)
    assert "item 861" in found["passages"][0]["text"]
