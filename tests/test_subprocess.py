"""The installed ``citeqa`` console script, run as a user runs it: a separate process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _citeqa() -> list[str]:
    # The console script installed beside this interpreter (the one `pip install -e .` made).
    script = Path(sys.executable).with_name("citeqa")
    if not script.exists():
        found = shutil.which("citeqa")
        if found is None:
            pytest.fail("the citeqa console script is not installed; run `pip install -e .`")
        script = Path(found)
    return [str(script)]


def test_installed_script_answers_with_citations(home):
    env = dict(os.environ, CITEQA_HOME=str(home), HF_HUB_OFFLINE="1")
    result = subprocess.run(
        [
            *_citeqa(),
            "ask",
            "--json",
            "-k",
            "2",
            "Which Japanese firm is building a semiconductor ecosystem with Tata Electronics?",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "Tokyo Electron" in data["passages"][0]["text"]
    assert data["passages"][0]["citation"]
    assert result.stderr == ""  # nothing but the answer when piped: no progress bars or warnings


def test_a_reader_that_stops_early_gets_no_error(home, tmp_path):
    # `citeqa ask --questions FILE | head -1`: the answers fill the pipe, and the reader goes.
    questions = tmp_path / "questions.txt"
    questions.write_text("Who co-chaired the dialogue?\n" * 60)
    env = dict(os.environ, CITEQA_HOME=str(home), HF_HUB_OFFLINE="1")
    process = subprocess.Popen(
        [*_citeqa(), "ask", "--questions", str(questions)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout.readline()
    process.stdout.close()
    stderr = process.communicate(timeout=300)[1].decode()
    assert "Broken pipe" not in stderr and "Traceback" not in stderr, stderr
    # click's status after a closed pipe: the pipe did break, so the test tested it.
    assert process.returncode == 1


def test_installed_script_reports_a_user_mistake_without_traceback(home, tmp_path):
    env = dict(os.environ, CITEQA_HOME=str(home))
    result = subprocess.run([*_citeqa(), "add", str(tmp_path / "absent.pdf")], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'absent.pdf'}: no such file"


def test_first_ask_in_a_new_library_builds_the_index(tmp_path):
    env = dict(os.environ, CITEQA_HOME=str(tmp_path / "fresh"), HF_HUB_OFFLINE="1")
    result = subprocess.run(
        [*_citeqa(), "ask", "Who wrote the review article?"], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert "building it" in result.stderr
    assert "Shreedebi Sahoo" in result.stdout
    assert (tmp_path / "fresh" / "index.db").exists()
