"""Faults and hostile input (issue 12): escape sequences, read-only and full disks, damaged
indexes, bad input files, and sources changed behind citeqa's back. Each must give one line with
the cause and the repair, never a traceback, and change nothing it cannot finish."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
from collections import namedtuple

import pytest
from click.testing import CliRunner
from test_cli import QUESTION, run

from citeqa.qa.cli import cli
from citeqa.qa.terminal import clean

ARTICLE = "sahoo-2026-economic-security-as-strategic-diplomacy"
HOSTILE = "Set title \x1b]0;pwned\x07, clear \x1b[2J, red \x1b[31mRED\x1b[0m, bell \x07, C1 \x9b2J, flip \u202e."


def invoke(home, *args, color=False):
    """Run the CLI with stdout and stderr apart; ``color`` keeps the styling a terminal would get."""
    result = CliRunner().invoke(cli, ["--home", str(home), *args], color=color)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output + result.stderr
    return result


def one_line_error(result) -> str:
    """The single line a failed command printed on stderr."""
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@contextlib.contextmanager
def read_only(path):
    """Make ``path`` truly unwritable: permissions for a normal user, the immutable flag for root
    (who writes through permissions)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root without chattr +i: no way to make a file read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture
def no_model(monkeypatch):
    """Fail the test if anything loads the sentence-transformers model."""
    from citeqa.index.embed import Embedder

    def refuse(self):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(Embedder, "model", refuse)


# -- terminal escape injection ------------------------------------------------------------------


def test_clean_shows_control_characters_and_keeps_text_tabs_and_newlines():
    assert clean("a\tb\nc") == "a\tb\nc"
    assert clean(HOSTILE) == (
        "Set title \\x1b]0;pwned\\x07, clear \\x1b[2J, red \\x1b[31mRED\\x1b[0m, bell \\x07, C1 \\x9b2J, flip \\u202e."
    )
    assert clean("日本語 — »ok«") == "日本語 — »ok«"


def test_escape_sequences_in_a_source_never_reach_the_terminal(home, tmp_path):
    note = tmp_path / "hostile-note.md"
    note.write_text(f"# Hostile \x1b]0;title\x07 note\n\nThe vermilion treaty was signed in Lagos. {HOSTILE}\n")
    assert run(home, "add", str(note)).exit_code == 0
    outputs = [
        invoke(home, "ask", "Where was the vermilion treaty signed?", color=True),
        invoke(home, "extract", str(note), color=True),
        invoke(home, "sources", color=True),
    ]
    for result in outputs:
        shown = result.output + result.stderr
        for sequence in ("\x1b]", "\x07", "\x1b[2J", "\x1b[31m", "\x9b", "\u202e"):
            assert sequence not in shown
    assert "\\x1b]0;pwned\\x07" in outputs[0].output  # visible, not obeyed
    assert "\\x1b]0;title\\x07" in outputs[2].output
    assert "\x1b[1m" in outputs[0].output  # citeqa's own styling still reaches a terminal
    # JSON stays faithful to the source: json.dumps escapes the characters itself.
    data = json.loads(invoke(home, "ask", "--json", "Where was the vermilion treaty signed?").stdout)
    assert any(HOSTILE in p["text"] for p in data["passages"])


def test_escape_sequences_in_a_file_name_do_not_reach_the_terminal_through_errors(home, tmp_path):
    result = invoke(home, "extract", str(tmp_path / "evil\x1b]0;pwned\x07.txt"))
    line = one_line_error(result)
    assert "\x1b" not in line and "\x07" not in line
    assert "evil\\x1b]0;pwned\\x07.txt" in line


def test_highlight_is_marked_in_plain_text_when_piped(home):
    result = invoke(home, "ask", "-k", "1", QUESTION)
    assert "\x1b" not in result.output
    marked = result.output[result.output.index("»") + 1 : result.output.index("«")]
    data = json.loads(invoke(home, "ask", "-k", "1", "--json", QUESTION).stdout)
    assert " ".join(marked.split()) == " ".join(data["passages"][0]["highlight"].split())


# -- read-only library, full disk --------------------------------------------------------------


def test_read_only_index_is_refused_before_the_model_loads_and_before_add_copies(home, tmp_path, no_model):
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nThe ochre accord was signed in Tallinn.\n")
    with read_only(home / "index.db"):
        for args in (["build"], ["add", str(note)]):
            line = one_line_error(invoke(home, *args))
            assert str(home / "index.db") in line and "cannot be written" in line and "--home" in line
    assert not (home / "sources" / "note.md").exists()


def test_read_only_sources_folder_is_refused_before_add_copies(home, tmp_path, no_model):
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nThe ochre accord was signed in Tallinn.\n")
    with read_only(home / "sources"):
        line = one_line_error(invoke(home, "add", str(note)))
        assert str(home / "sources") in line and "cannot be written" in line
        line = one_line_error(invoke(home, "remove", ARTICLE))
        assert "cannot be written" in line
    assert sorted(p.name for p in (home / "sources").iterdir()) == [f"{ARTICLE}.txt"]


def test_too_little_free_space_is_refused_before_the_model_loads(home, tmp_path, monkeypatch, no_model):
    import citeqa.index.checks

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(
        citeqa.index.checks.shutil, "disk_usage", lambda path: usage(10 * 2**30, 10 * 2**30 - 2**20, 2**20)
    )
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nThe ochre accord was signed in Tallinn.\n")
    for args in (["build", "--full"], ["add", str(note)]):
        line = one_line_error(invoke(home, *args))
        assert "only 1 MB free" in line and "free some space" in line
    assert not (home / "sources" / "note.md").exists()
    assert (home / "index.db").exists()


def test_full_disk_during_onnx_export_leaves_no_temporary_file(home, embedder, monkeypatch):
    import torch

    from citeqa.index import onnx
    from citeqa.index.embed import model_path

    def fill_disk(model, args, path, **options):
        with open(path, "wb") as handle:
            handle.write(b"\0" * 4096)  # the part written before the disk filled up
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(torch.onnx, "export", fill_disk)
    with pytest.raises(OSError):
        onnx.export(home, model_path(), embedder.model())
    assert list(home.glob(".*.tmp")) == []


def test_full_disk_is_one_line_naming_the_file_and_the_repair(home, monkeypatch):
    from citeqa.index.catalog import Catalog

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.home / ".sources.json.tmp"))

    monkeypatch.setattr(Catalog, "write_metadata", full)
    line = one_line_error(invoke(home, "remove", ARTICLE))
    assert ".sources.json.tmp: No space left on device; free some space" in line


# -- damaged indexes ---------------------------------------------------------------------------


def test_partly_corrupted_index_gives_one_line_with_the_repair(home):
    db = home / "index.db"
    data = bytearray(db.read_bytes())
    # Garbage over the middle of the file: the header and schema still read, the chunk pages do not.
    middle = len(data) // 2
    data[middle - len(data) // 4 : middle + len(data) // 4] = os.urandom(len(data) // 2)
    db.write_bytes(bytes(data))
    for args in (["ask", QUESTION], ["audit"]):
        line = one_line_error(invoke(home, *args))
        assert str(db) in line and "damaged" in line and "citeqa build --full" in line


def test_empty_index_file_is_reported_as_empty_not_as_another_version(home):
    (home / "index.db").write_bytes(b"")
    line = one_line_error(invoke(home, "ask", QUESTION))
    assert "empty or damaged" in line and "citeqa build --full" in line
    assert "version" not in line


@pytest.mark.parametrize("damage", ["{bad", "[]", '{"note.txt": 3}'])
def test_damaged_sources_metadata_gives_one_line_and_questions_still_answer(home, tmp_path, damage):
    (home / "sources.json").write_text(damage)
    note = tmp_path / "note.txt"
    note.write_text("A synthetic note on the Velmora harbour.\n")
    for args in (["sources"], ["build"], ["add", str(note)], ["remove", ARTICLE]):
        line = one_line_error(invoke(home, *args))
        assert str(home / "sources.json") in line and "damaged" in line and "remove it" in line, args
    # Nothing indexed is lost, and questions do not read it.
    assert invoke(home, "ask", QUESTION).exit_code == 0
    assert (home / "sources.json").read_text() == damage


def test_sources_says_why_a_file_is_not_indexed(home, tmp_path):
    (home / "sources" / "fake.pdf").write_bytes(b"synthetic junk, no PDF")
    note = tmp_path / "note.txt"
    note.write_text("A synthetic note on the Velmora harbour.\n")
    assert invoke(home, "add", "--no-build", str(note)).exit_code == 0
    listed = {s["id"]: s for s in json.loads(invoke(home, "sources", "--json").output)}
    assert listed["fake"]["reason"] == "waiting for 'citeqa build'" == listed["note"]["reason"]
    invoke(home, "build")
    listed = {s["id"]: s for s in json.loads(invoke(home, "sources", "--json").output)}
    assert listed["fake"]["reason"] == "not a PDF file" and "reason" not in listed["note"]
    assert "fake  [pdf, not indexed: not a PDF file]" in invoke(home, "sources").output


# -- bad input files ---------------------------------------------------------------------------


def test_non_utf8_questions_file_is_one_line_naming_it(home, tmp_path, no_model):
    questions = tmp_path / "questions.txt"
    questions.write_bytes(b"Where was the dialogue held?\n" + "Qui a présidé ?\n".encode("latin-1"))
    line = one_line_error(invoke(home, "ask", "--questions", str(questions)))
    assert str(questions) in line and "not UTF-8" in line


def test_deeply_nested_json_given_to_verify_is_one_line(home, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    line = one_line_error(invoke(home, "verify", str(deep)))
    assert str(deep) in line and "nested too deeply" in line


@pytest.mark.parametrize("start, end", [(-40, -1), (True, 5), (0, False), (10, 5), (1.0, 5)])
def test_verify_refuses_offsets_that_are_not_positions(home, tmp_path, start, end):
    answer = json.loads(invoke(home, "ask", "--json", "-k", "1", QUESTION).stdout)
    answer["passages"][0]["location"].update(start=start, end=end)
    saved = tmp_path / "answer.json"
    saved.write_text(json.dumps(answer))
    line = one_line_error(invoke(home, "verify", str(saved)))
    assert str(saved) in line and "offsets" in line


# -- sources changed on disk -------------------------------------------------------------------


def test_ask_warns_and_verify_reports_when_a_cited_file_was_edited(home, tmp_path):
    answer = json.loads(invoke(home, "ask", "--json", "-k", "1", QUESTION).stdout)
    passage = answer["passages"][0]
    saved = tmp_path / "answer.json"
    saved.write_text(json.dumps(answer))
    source = home / "sources" / f"{ARTICLE}.txt"
    text = source.read_text()
    assert passage["highlight"] in text
    source.write_text(text.replace(passage["highlight"], "This sentence was rewritten behind citeqa's back."))

    result = invoke(home, "ask", "-k", "1", QUESTION)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: the file of source '{ARTICLE}' was edited after the last build, so its passages "
        "may no longer be in it; run 'citeqa build'"
    ]
    (check,) = json.loads(invoke(home, "verify", "--json", str(saved)).stdout)
    assert check["status"] == "changed"
    assert invoke(home, "verify", str(saved)).exit_code == 1


def test_ask_warns_and_verify_reports_when_a_cited_file_was_deleted(home, tmp_path):
    saved = tmp_path / "answer.json"
    saved.write_text(invoke(home, "ask", "--json", "-k", "2", QUESTION).stdout)
    (home / "sources" / f"{ARTICLE}.txt").unlink()
    questions = tmp_path / "questions.txt"
    questions.write_text(f"{QUESTION}\nWho co-chaired the dialogue?\n")
    result = invoke(home, "ask", "--questions", str(questions))
    assert len(result.stdout.splitlines()) == 2
    # One line per source for the whole run, not one per question.
    assert [line for line in result.stderr.splitlines() if "warning" in line] == [
        f"warning: the file of source '{ARTICLE}' was deleted after the last build, so its passages "
        "may no longer be in it; run 'citeqa build'"
    ]
    checks = json.loads(invoke(home, "verify", "--json", str(saved)).stdout)
    assert {c["status"] for c in checks} == {"disappeared"}
    assert "was deleted" in checks[0]["detail"]


def test_unchanged_files_give_no_warning(home):
    result = invoke(home, "ask", QUESTION)
    assert result.stderr == ""


# -- feedback ----------------------------------------------------------------------------------


def test_remove_json(home, tmp_path):
    note = tmp_path / "synthetic-note.md"
    note.write_text("# Note\n\nThe ochre accord was signed in Tallinn.\n")
    run(home, "add", str(note))
    data = json.loads(invoke(home, "remove", "--json", "synthetic-note").stdout)
    assert data["removed"] == {"id": "synthetic-note", "path": str(home / "sources" / "synthetic-note.md")}
    assert data["build"]["removed"] == 1 and data["build"]["documents"] == 1


def test_many_questions_are_quiet_on_stderr_when_piped(home, tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join([QUESTION] * 40) + "\n")
    result = invoke(home, "ask", "--questions", str(questions), "-k", "1")
    assert len(result.stdout.splitlines()) == 40
    assert result.stderr == ""


def test_aes_encrypted_pdfs_open_with_an_owner_password_and_are_named_with_a_user_password(tmp_path):
    from pdfgen import write_pdf
    from pypdf import PdfReader, PdfWriter

    from citeqa import corpus
    from citeqa.corpus.model import ExtractionError

    plain = write_pdf(tmp_path / "plain.pdf", [["Synthetic AES fixture: the cobalt ledger is kept in Oslo."]])
    for name, user in (("owner-only.pdf", ""), ("user.pdf", "user-secret")):
        writer = PdfWriter(clone_from=PdfReader(plain))
        writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="AES-256")
        writer.write(tmp_path / name)
    assert "cobalt ledger" in corpus.extract(tmp_path / "owner-only.pdf").text
    with pytest.raises(ExtractionError, match=r"encrypted PDF \(password required\)"):
        corpus.extract(tmp_path / "user.pdf")


def test_many_questions_show_progress_on_a_terminal(home, tmp_path):
    import pty
    import sys
    from pathlib import Path

    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join([QUESTION] * 40) + "\n")
    controller, terminal = pty.openpty()
    env = dict(os.environ, CITEQA_HOME=str(home), HF_HUB_OFFLINE="1")
    answers = tmp_path / "answers.jsonl"
    # stdout to a file: a pipe nobody reads while the terminal is drained would fill and block.
    with open(answers, "wb") as stdout:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("citeqa")), "ask", "--questions", str(questions), "-k", "1"],
            stdout=stdout,
            stderr=terminal,
            env=env,
        )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert process.wait(timeout=300) == 0
    assert len(answers.read_bytes().splitlines()) == 40
    assert b"Answering questions" in shown and b"40/40" in shown
