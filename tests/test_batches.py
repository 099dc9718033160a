"""Mixed batches: many files at once, some unreadable. The good ones go in, each bad one is named.

Every fixture is synthetic: PDFs come from tests/pdfgen.py, the rest are written here.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from pdfgen import write_encrypted_pdf, write_pdf
from test_cli import run
from test_subprocess import _citeqa

from citeqa.index.library import Library

GOOD_LINES = [
    "Synthetic Lighthouse Survey",
    "",
    "The imaginary lighthouse of Examplehaven was relit on 9 June 2031 after a long repair.",
]
QUESTION = "When was the imaginary lighthouse of Examplehaven relit?"


@pytest.fixture
def batch(tmp_path):
    """An encrypted PDF, a binary .txt, an empty .html and a good PDF, with each bad one's reason."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    locked = write_encrypted_pdf(folder / "locked.pdf", [["secret synthetic text"]])
    garbage = folder / "garbage.txt"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    empty = folder / "empty.html"
    empty.write_bytes(b"")
    good = write_pdf(folder / "good.pdf", [GOOD_LINES], title="Synthetic Lighthouse Survey")
    reasons = {
        str(locked): "encrypted PDF (password required)",
        str(garbage): "a PNG image named .txt, not text",
        str(empty): "empty file",
    }
    return [locked, garbage, empty, good], reasons


def _error_lines(output: str) -> dict[str, str]:
    """``{path: reason}`` of every ``Error: path: reason`` line."""
    return dict(
        line.removeprefix("Error: ").split(": ", 1) for line in output.splitlines() if line.startswith("Error: ")
    )


def test_add_keeps_the_good_file_and_names_every_bad_one(home, batch):
    paths, reasons = batch
    result = run(home, "add", *map(str, paths))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _error_lines(result.stderr) == reasons
    assert "added good.pdf" in result.stdout
    ids = {s["id"]: s["chunks"] for s in json.loads(run(home, "sources", "--json").output)}
    assert ids["good"] > 0 and not {"locked", "garbage", "empty"} & set(ids)
    answer = json.loads(run(home, "ask", "--json", QUESTION).output)
    assert "9 June 2031" in answer["passages"][0]["highlight"]
    assert answer["passages"][0]["source"]["id"] == "good"


def test_add_json_lists_the_skipped_files(home, batch):
    paths, reasons = batch
    result = run(home, "add", "--json", *map(str, paths))
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert {s["path"]: s["reason"] for s in out["skipped"]} == reasons
    assert [os.path.basename(p) for p in out["added"]] == ["good.pdf"]
    assert out["build"]["added"] == 1 and out["build"]["skipped"] == 0


def test_add_strict_adds_nothing(home, batch):
    paths, reasons = batch
    result = run(home, "add", "--strict", *map(str, paths))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"Error: {paths[0]}: {reasons[str(paths[0])]}"]
    assert not (Library(home).sources_dir / "good.pdf").exists()


def test_add_of_only_bad_files_builds_nothing(home, batch):
    paths, reasons = batch
    result = run(home, "add", *map(str, paths[:3]))
    assert result.exit_code == 1
    assert result.stdout == "" and _error_lines(result.stderr) == reasons


def test_all_good_batch_exits_zero(home, tmp_path):
    good = write_pdf(tmp_path / "good.pdf", [GOOD_LINES])
    note = tmp_path / "note.md"
    note.write_text("# Synthetic note\n\nA second good file about imaginary tides.\n")
    result = run(home, "add", str(good), str(note))
    assert result.exit_code == 0, result.output
    assert "added good.pdf" in result.stdout and "added note.md" in result.stdout


def test_build_indexes_the_good_file_names_the_bad_ones_and_exits_one(home, batch):
    paths, reasons = batch
    sources = Library(home).sources_dir
    for path in paths:
        (sources / path.name).write_bytes(path.read_bytes())
    result = run(home, "build")
    assert result.exit_code == 1
    skipped = {
        line.split(": ", 1)[0].removeprefix("skipped "): line.split(": ", 1)[1]
        for line in result.stderr.splitlines()
        if line.startswith("skipped ")
    }
    assert skipped == {str(sources / os.path.basename(p)): reason for p, reason in reasons.items()}
    assert "1 added" in result.stdout and "3 skipped" in result.stdout
    report = json.loads(run(home, "build", "--json").stdout)
    assert {s["path"] for s in report["details"]["skipped"]} == set(skipped)
    assert report["unchanged"] == 2


def test_extract_prints_the_good_file_and_names_the_bad_ones(batch):
    from click.testing import CliRunner

    from citeqa.qa.cli import cli

    paths, reasons = batch
    result = CliRunner().invoke(cli, ["extract", *map(str, paths)])
    assert result.exit_code == 1
    assert _error_lines(result.stderr) == reasons
    assert "imaginary lighthouse of Examplehaven" in result.stdout
    records = [
        json.loads(line)
        for line in CliRunner().invoke(cli, ["extract", "--json", *map(str, paths)]).stdout.splitlines()
    ]
    assert {r["path"]: r["error"] for r in records if "error" in r} == reasons
    assert [r["path"] for r in records if "error" not in r] == [str(paths[3])]


def test_installed_script_adds_a_mixed_batch(home, batch):
    paths, reasons = batch
    env = dict(os.environ, CITEQA_HOME=str(home), HF_HUB_OFFLINE="1")
    result = subprocess.run([*_citeqa(), "add", *map(str, paths)], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert _error_lines(result.stderr) == reasons
    assert "added good.pdf" in result.stdout


def test_two_different_files_of_one_name_keep_the_first(home, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "note.md", tmp_path / "b" / "note.md"
    first.write_text("# First synthetic note\n\nAbout imaginary tides.\n")
    second.write_text("# Second synthetic note\n\nAbout imaginary winds.\n")
    result = run(home, "add", str(first), str(second))
    assert result.exit_code == 1
    assert _error_lines(result.stderr) == {
        str(second): f"a different file named note.md comes earlier in this batch ({first})"
    }
    assert (Library(home).sources_dir / "note.md").read_text() == first.read_text()
