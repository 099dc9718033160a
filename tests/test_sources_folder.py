"""What a build makes of files put into the library's sources folder by hand, not with `citeqa
add`: a file renamed there, a hidden file and a subfolder. Real CLI, SQLite, FAISS and model;
every source written here is a synthetic fixture."""

from __future__ import annotations

import json
import os
import shutil

from test_cli import run

ARTICLE = "sahoo-2026-economic-security-as-strategic-diplomacy"


def _sources(home) -> dict[str, dict]:
    return {s["id"]: s for s in json.loads(run(home, "sources", "--json").output)}


def test_a_source_renamed_in_the_sources_folder_keeps_its_metadata(home, tmp_path):
    # Its title, publisher and URL had been lost without a word.
    note = tmp_path / "quay.md"
    note.write_text("# Synthetic quay note\n\nSynthetic: the quay of Eastwick reopens.\n")
    run(home, "add", str(note), "--publisher", "Quay Board")
    (home / "sources" / "quay.md").rename(home / "sources" / "eastwick-quay.md")
    report = json.loads(run(home, "build", "--json").output)
    assert (report["added"], report["removed"]) == (1, 1)
    (kept,) = report["details"]["kept_metadata"]
    assert kept["path"].endswith("eastwick-quay.md") and kept["reason"] == "renamed from quay.md; its metadata kept"
    assert _sources(home)["eastwick-quay"]["publisher"] == "Quay Board"
    assert "quay.md" not in json.loads((home / "sources.json").read_text())


def test_a_copy_beside_an_edited_source_takes_none_of_its_metadata(home, tmp_path):
    # A review found the copy "renamed from" the edited file, which then lost its metadata for good.
    note = tmp_path / "quay.md"
    note.write_text("# Synthetic quay note\n\nSynthetic: the quay of Eastwick reopens in spring.\n")
    run(home, "add", str(note), "--publisher", "Quay Board")
    source = home / "sources" / "quay.md"
    shutil.copy(source, home / "sources" / "quay-orig.md")
    source.write_text(source.read_text() + "Synthetic: the ferry returns too.\n")
    report = json.loads(run(home, "build", "--json").output)
    assert [os.path.basename(k["path"]) for k in report["details"]["kept_metadata"]] == ["quay.md"]
    given = json.loads((home / "sources.json").read_text())
    assert given["quay.md"]["publisher"] == "Quay Board" and "quay-orig.md" not in given


def test_hidden_sources_and_subfolders_are_named_not_passed_over(home):
    # Neither had been indexed, and neither the build nor `sources` said a word of them.
    sources = home / "sources"
    (sources / ".pier-notes.txt").write_text("Synthetic: the pier of Eastwick closes in winter.\n")
    (sources / ".pier-notes.txt.swp").write_bytes(b"\x00swap")  # an editor's, not a source
    (sources / "._pier-notes.txt").write_bytes(b"\x00\x05\x16\x07")  # macOS's, on a file share
    (sources / "@eaDir").mkdir()  # a Synology NAS's, made again whenever removed
    (sources / "pier").mkdir()
    (sources / "pier" / "tides.txt").write_text("Synthetic: the tides of Eastwick.\n")
    result = run(home, "build", "--json")
    reasons = {os.path.basename(s["path"]): s["reason"] for s in json.loads(result.output)["details"]["skipped"]}
    assert reasons == {
        ".pier-notes.txt": "a hidden file (its name starts with '.'); rename it",
        "pier": "a folder: only the files right in the sources folder are indexed; add its files with 'citeqa add'",
    }
    assert result.exit_code == 1
    listing = run(home, "sources").stderr
    assert ".pier-notes.txt: a hidden file" in listing and "pier: a folder" in listing


def test_an_add_names_the_files_waiting_in_the_library_that_its_build_takes_in(home, tmp_path):
    # Left by an add interrupted before its build, a 50 MB text had made the next add of one small
    # file build for minutes, saying nothing of it.
    staged, small = tmp_path / "dock-survey.txt", tmp_path / "quay-note.txt"
    staged.write_text("Synthetic Dock Survey\n\nSynthetic: the dock of Eastwick was surveyed in 2031.\n")
    small.write_text("Synthetic Quay Note\n\nSynthetic: the quay of Eastwick reopens in 2032.\n")
    run(home, "add", "--no-build", str(staged))
    result = run(home, "add", str(small))
    assert result.exit_code == 0
    assert "also indexing 1 file waiting in the library: dock-survey.txt" in result.stderr
    assert {"dock-survey", "quay-note"} <= {s["id"] for s in json.loads(run(home, "sources", "--json").output)}


def test_a_source_whose_edit_cannot_be_read_says_so_and_ask_does_not_advise_a_build(home):
    # The old passages stay, but `sources` had shown nothing wrong and every `ask` advised the
    # very build that had just failed.
    (home / "sources" / f"{ARTICLE}.txt").write_bytes(b"\x00\x01binary junk\x00" * 64)
    assert run(home, "build").exit_code == 1
    listing = run(home, "sources").output
    assert "41 passages of its earlier version, its file now unreadable: binary file, not text" in listing
    (entry,) = [s for s in json.loads(run(home, "sources", "--json").output) if s["id"] == ARTICLE]
    assert entry["reason"] == "binary file, not text"
    warning = run(home, "ask", "-k", "1", "Who co-chaired the dialogue?").stderr
    assert "the last build could not read it ('citeqa sources' says why)" in warning
    assert "run 'citeqa build'" not in warning


def test_a_source_skipped_as_a_copy_of_another_is_not_called_unreadable(home, tmp_path):
    note = tmp_path / "quay.md"
    note.write_text("# Synthetic quay note\n\nSynthetic: the quay of Eastwick reopens in spring.\n")
    run(home, "add", str(note))
    shutil.copy(home / "sources" / f"{ARTICLE}.txt", home / "sources" / "quay.md")
    assert run(home, "build").exit_code == 1  # skipped: same content as the article
    assert "unreadable" not in run(home, "sources").output
