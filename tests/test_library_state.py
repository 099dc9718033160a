"""The library's state stays true under real faults (issue 12): document ids of non-Latin names,
metadata that follows content, add/remove during a build, `build --full` built aside, a missing
query encoder export, and symbolic links in the sources folder. Real files, SQLite, FAISS and
model throughout; every source written here is a synthetic fixture."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from test_cli import run

from citeqa.index.library import Library, doc_id_for
from citeqa.index.sources import slug
from citeqa.index.store import Store

ARTICLE = "sahoo-2026-economic-security-as-strategic-diplomacy"
QUESTION = "Which Japanese firm refines rare earths in Andhra Pradesh?"


def _note(folder, name, body):
    path = folder / name
    path.write_text(f"# Synthetic note {name}\n\n{body}\n")
    return path


def _answer(home) -> list[dict]:
    """The passages answering QUESTION, without their file paths (the fixture library is a copy,
    so its index names the original's files until a build re-reads them)."""
    passages = json.loads(run(home, "ask", "--json", QUESTION).output)["passages"]
    return [p | {"source": p["source"] | {"path": None}} for p in passages]


def _sources(home) -> dict[str, dict]:
    return {s["id"]: s for s in json.loads(run(home, "sources", "--json").output)}


# -- ids ---------------------------------------------------------------------------------------


def test_ids_keep_letters_of_every_script_and_hash_only_names_a_slug_cannot_reproduce():
    assert [doc_id_for(n) for n in ("日本語.txt", "中文.txt", "한국어.txt", "हिन्दी.md")] == [
        "日本語",
        "中文",
        "한국어",
        "हिन्दी",
    ]
    assert doc_id_for("synthetic-note.md") == "synthetic-note"
    # Names the slug cannot reproduce get a hash of the whole name, so they stay apart.
    cased, spaced = doc_id_for("Report.txt"), doc_id_for("report .txt")
    assert cased.startswith("report-") and spaced.startswith("report-") and len({cased, spaced, "report"}) == 3
    assert doc_id_for("!!!.txt").startswith("source-") and doc_id_for("!!!.txt") != doc_id_for("???.txt")
    assert doc_id_for("Report.txt") == cased  # a function of the name alone
    assert slug("Économie  Δ—x") == "économie-δ-x"


def test_non_latin_names_get_distinct_ids_that_do_not_move_and_remove_the_right_file(home, tmp_path):
    names = {
        "日本語.md": "Synthetic: the harbour of Kitakami opened in 2031.",
        "中文.md": "Synthetic: the bridge of Lianhe opened in 2032.",
        "한국어.md": "Synthetic: the tunnel of Hanbit opened in 2033.",
    }
    for name, body in names.items():
        assert run(home, "add", str(_note(tmp_path, name, body))).exit_code == 0
    listed = _sources(home)
    assert set(listed) == {ARTICLE, "日本語", "中文", "한국어"}
    assert all(listed[i]["indexed"] and listed[i]["chunks"] >= 1 for i in ("日本語", "中文", "한국어"))

    # Another file coming in moves no id.
    run(home, "add", str(_note(tmp_path, "ελληνικά.md", "Synthetic: the pier of Ydra opened in 2034.")))
    assert set(_sources(home)) == {ARTICLE, "日本語", "中文", "한국어", "ελληνικά"}

    result = run(home, "remove", "中文")
    assert result.exit_code == 0 and "removed 中文.md" in result.output
    assert sorted(p.name for p in (home / "sources").iterdir() if p.suffix == ".md") == [
        "ελληνικά.md",
        "日本語.md",
        "한국어.md",
    ]
    answer = json.loads(run(home, "ask", "--json", "When did the tunnel of Hanbit open?").output)
    assert answer["passages"][0]["source"]["id"] == "한국어"
    assert all("Lianhe" not in p["text"] for p in answer["passages"])


def test_ref_links_a_non_latin_name_under_its_id(home, tmp_path):
    note = _note(
        tmp_path, "経済安全保障.md", "Synthetic test note, not a real release. The ministers reviewed supply chains."
    )
    report = json.loads(run(home, "add", str(note), "--ref", "4", "--json").output)
    assert report["build"]["details"]["linked"] == [
        {"id": "経済安全保障", "reference": 4, "citing": ARTICLE, "by": "ref"}
    ]
    entries = {e["number"]: e for e in json.loads(run(home, "refs", "--json").output)}
    assert entries[4]["source"] == "経済安全保障"


def test_two_names_with_one_id_are_not_both_sources(home, tmp_path):
    run(home, "add", str(_note(tmp_path, "memo.md", "Synthetic memo in Markdown.")))
    clash = _note(tmp_path, "memo.txt", "Synthetic memo as plain text.")
    result = run(home, "add", str(clash))
    assert result.exit_code == 1 and "its id 'memo' is already that of memo.md" in result.output
    assert not (home / "sources" / "memo.txt").exists()
    # Dropped into the folder by hand, the newcomer is skipped by name; the indexed file keeps the id.
    (home / "sources" / "memo.txt").write_bytes(clash.read_bytes())
    report = json.loads(run(home, "build", "--json").output)
    skipped = {os.path.basename(s["path"]): s["reason"] for s in report["details"]["skipped"]}
    assert skipped == {"memo.txt": "its id 'memo' is already that of memo.md; rename one of them"}
    assert _sources(home)["memo"]["path"].endswith("memo.md")


# -- metadata follows content -------------------------------------------------------------------


@pytest.mark.parametrize("build_between", [True, False])
def test_metadata_of_a_replaced_file_is_dropped_not_reused(home, tmp_path, build_between):
    old = _note(tmp_path, "release.md", "Synthetic: the old release about fisheries.")
    run(
        home, "add", str(old), "--title", "Old fisheries release", "--publisher", "Old Ministry", "--date", "2030-01-02"
    )
    assert _sources(home)["release"]["title"] == "Old fisheries release"

    (home / "sources" / "release.md").unlink()
    if build_between:
        assert json.loads(run(home, "build", "--json").output)["removed"] == 1
    (home / "sources" / "release.md").write_text("# Synthetic forestry memo\n\nA different document about forests.\n")
    report = json.loads(run(home, "build", "--json").output)
    assert [os.path.basename(s["path"]) for s in report["details"]["stale_metadata"]] == ["release.md"]
    answer = json.loads(run(home, "ask", "--json", "What is the memo about forests?").output)
    source = next(p["source"] for p in answer["passages"] if p["source"]["id"] == "release")
    assert source["title"] == "Synthetic forestry memo" and source["publisher"] is None and source["date"] is None
    assert "release.md" not in json.loads((home / "sources.json").read_text())


def test_a_source_edited_in_place_keeps_its_metadata(home, tmp_path):
    body = " ".join(f"Synthetic sentence {i} about the pier of Eastwick and its timber." for i in range(12))
    run(home, "add", str(_note(tmp_path, "pier.md", body)), "--title", "Pier report", "--publisher", "Eastwick Board")
    source = home / "sources" / "pier.md"
    source.write_text(source.read_text().replace("timber.", "timber and stone.", 1))  # a fix, not a new document
    report = json.loads(run(home, "build", "--json").output)
    assert report["details"]["stale_metadata"] == [] and report["changed"] == 1
    (kept,) = report["details"]["kept_metadata"]  # said, in case it was a new edition, not a fix
    assert kept["path"].endswith("pier.md") and kept["reason"] == "edited in place; its metadata kept"
    given = json.loads((home / "sources.json").read_text())["pier.md"]
    assert (given["title"], given["publisher"]) == ("Pier report", "Eastwick Board")
    assert _sources(home)["pier"]["title"] == "Pier report"
    # Tied to the edited content now: the next build changes nothing.
    again = json.loads(run(home, "build", "--json").output)
    assert again["changed"] == 0 and again["details"]["stale_metadata"] == []


def test_a_source_edited_where_it_was_added_from_is_added_again_in_its_place(home, tmp_path):
    body = " ".join(f"Synthetic sentence {i} about the pier of Eastwick and its timber." for i in range(12))
    note = _note(tmp_path, "pier.md", body)
    run(home, "add", str(note), "--title", "Pier report")
    note.write_text(note.read_text() + "\nThe pier reopens in spring 2031.\n")
    result = run(home, "add", "--json", str(note), "--publisher", "Eastwick Board")
    assert result.exit_code == 0, result.output
    assert "reopens in spring 2031" in (home / "sources" / "pier.md").read_text()
    # The metadata given before stays with the edit, joined by the new field.
    assert (_sources(home)["pier"]["title"], _sources(home)["pier"]["publisher"]) == ("Pier report", "Eastwick Board")
    # Another document of that name is no edit of it: refused, the library's kept.
    other = tmp_path / "elsewhere" / "pier.md"
    other.parent.mkdir()
    other.write_text("# Synthetic railway memo\n\nA memo on mountain railways and their tunnels, nothing else.\n")
    refused = run(home, "add", str(other))
    assert refused.exit_code == 1 and "a different file named pier.md is already in the library" in refused.output
    assert "reopens in spring 2031" in (home / "sources" / "pier.md").read_text()


def test_a_short_note_is_no_edit_of_a_longer_text_holding_its_words_and_an_unbuilt_edit_keeps_its_title(home, tmp_path):
    note = tmp_path / "notes.txt"
    note.write_text("Meeting notes. The budget was approved for the new office in March.\n")
    run(home, "add", str(note), "--title", "Budget memo")
    review = tmp_path / "elsewhere" / "notes.txt"
    review.parent.mkdir()
    sales = " ".join(f"Synthetic sales line {i} for the quarter rose." for i in range(10))
    review.write_text(f"Quarterly sales review. {sales} The budget was approved for the new office in March.\n")
    assert run(home, "add", str(review)).exit_code == 1
    assert _sources(home)["notes"]["title"] == "Budget memo"
    # An edit staged without a build keeps its metadata through the build that reads it.
    note.write_text("Meeting notes. The budget was approved for the new office in April.\n")
    assert run(home, "add", "--no-build", str(note)).exit_code == 0
    report = json.loads(run(home, "build", "--json").output)
    assert report["details"]["stale_metadata"] == [] and _sources(home)["notes"]["title"] == "Budget memo"


def test_a_short_note_with_a_typo_fixed_keeps_its_metadata(home, tmp_path):
    note = tmp_path / "buoy.txt"
    note.write_text("Buoy yelow at pier.\n")  # fewer than four words: no run of four to keep
    run(home, "add", str(note), "--publisher", "Harbour Board")
    source = home / "sources" / "buoy.txt"
    source.write_text(source.read_text().replace("yelow", "yellow"))
    report = json.loads(run(home, "build", "--json").output)
    assert report["details"]["stale_metadata"] == [] and report["changed"] == 1
    assert json.loads((home / "sources.json").read_text())["buoy.txt"]["publisher"] == "Harbour Board"


def test_metadata_stays_with_unchanged_content(home, tmp_path):
    note = _note(tmp_path, "kept.md", "Synthetic: a note whose metadata stays.")
    run(home, "add", str(note), "--title", "Kept title")
    run(home, "add", str(note))  # the same file again: the same source
    report = json.loads(run(home, "build", "--json").output)
    assert report["details"]["stale_metadata"] == [] and _sources(home)["kept"]["title"] == "Kept title"


def test_metadata_written_before_hashes_is_kept_for_the_indexed_content_only(home, tmp_path):
    run(home, "add", str(_note(tmp_path, "a.md", "Synthetic note a.")), "--title", "Title of a")
    run(home, "add", str(_note(tmp_path, "b.md", "Synthetic note b.")), "--title", "Title of b")
    # As an older citeqa wrote it: no hash. Then b is replaced behind citeqa's back.
    legacy = {
        name: {k: v for k, v in entry.items() if k != "sha256"}
        for name, entry in json.loads((home / "sources.json").read_text()).items()
    }
    (home / "sources.json").write_text(json.dumps(legacy))
    (home / "sources" / "b.md").write_text("# Synthetic other b\n\nOther content.\n")
    report = json.loads(run(home, "build", "--json").output)
    assert [os.path.basename(s["path"]) for s in report["details"]["stale_metadata"]] == ["b.md"]
    listed = _sources(home)
    assert (listed["a"]["title"], listed["b"]["title"]) == ("Title of a", "Synthetic other b")


# -- add and remove while a build runs -----------------------------------------------------------


def test_add_and_remove_during_a_build_refuse_before_touching_anything(home, tmp_path):
    run(home, "add", str(_note(tmp_path, "present.md", "Synthetic: a note already here.")), "--title", "Present")
    before = json.loads((home / "sources.json").read_text())
    new = _note(tmp_path, "newcomer.md", "Synthetic: a note that must not go in.")
    with Library(home).lock:  # a build in another process holds it
        for args in (("add", str(new), "--title", "New"), ("remove", "present")):
            result = run(home, *args)
            assert result.exit_code == 1
            lines = result.output.strip().splitlines()
            assert len(lines) == 1 and "another build is running" in lines[0] and "nothing was changed" in lines[0]
    assert not (home / "sources" / "newcomer.md").exists() and (home / "sources" / "present.md").exists()
    assert json.loads((home / "sources.json").read_text()) == before


# -- build --full aside ---------------------------------------------------------------------------


def test_ask_says_when_an_older_citeqa_read_the_sources_until_a_build(home):
    assert "older citeqa" not in run(home, "ask", QUESTION).stderr
    # An index whose sources a pipeline before this one read, as after an upgrade.
    store = Store(Library(home).db_path)
    with store.db:
        store.set_meta("pipeline", "24")
    store.close()
    assert "run 'citeqa build' to read them again" in run(home, "ask", QUESTION).stderr
    run(home, "build")
    assert "older citeqa" not in run(home, "ask", QUESTION).stderr


def test_full_build_keeps_the_old_index_answering_while_it_runs(home, embedder):
    library = Library(home)
    before = _answer(home)
    seen = []

    def progress(stage, done, total):
        # Mid-rebuild, as a concurrent `ask` would.
        seen.append(_answer(home))

    report = library.build(full=True, progress=progress, embedder=embedder)
    assert seen and all(passages == before for passages in seen)
    assert report.added == [ARTICLE] and report.chunks_embedded == report.chunks
    assert _answer(home) == before
    assert not list(home.glob(".index-full.db*"))
    assert json.loads(run(home, "build", "--json").output)["unchanged"] == 1


# Runs `build --full` in a child process and kills it with SIGKILL at the moment named by argv[2].
CHILD = r"""
import os, signal, sys
import citeqa.index.publish
from citeqa.index.library import Library

moment = sys.argv[2]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def progress(stage, done, total):
    if moment == "embedding":
        die()

if moment == "before-swap":
    citeqa.index.publish.swap_in = lambda aside, db_path: die()

Library(sys.argv[1]).build(full=True, progress=progress)
"""


@pytest.mark.parametrize("moment", ["embedding", "before-swap"])
def test_killed_full_build_leaves_the_old_index(home, moment):
    before = _answer(home)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(home), moment], env=dict(os.environ, HF_HUB_OFFLINE="1"), timeout=600
    )
    assert child.returncode == -signal.SIGKILL
    assert Library(home).is_built()
    assert _answer(home) == before
    report = json.loads(run(home, "build", "--full", "--json").output)
    assert report["added"] == 1 and not list(home.glob(".index-full.db*"))
    assert _answer(home) == before


# -- the query encoder export ---------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["delete", "truncate"])
@pytest.mark.parametrize("part", ["query-encoder.onnx", "query-encoder.weights"])
def test_plain_build_restores_a_missing_or_damaged_query_encoder(home, damage, part):
    from citeqa.index.onnx import MODEL_FILE, WEIGHTS_FILE, OnnxEncoder

    assert part in (MODEL_FILE, WEIGHTS_FILE)
    model = home / part
    if damage == "delete":
        model.unlink()
    else:
        data = model.read_bytes()
        model.unlink()  # a link to the session's export: replaced, not written into
        model.write_bytes(data[: len(data) // 3])
    report = json.loads(run(home, "build", "--json").output)
    assert report["unchanged"] == 1 and report["chunks_embedded"] == 0
    OnnxEncoder(home)  # loads: restored and passing its parity check
    result = run(home, "ask", QUESTION)
    assert result.exit_code == 0 and "notice:" not in result.output


# -- symbolic links --------------------------------------------------------------------------------


def test_links_leaving_the_library_and_broken_links_are_named_not_followed(home, tmp_path):
    secret = tmp_path / "outside-secret.txt"
    secret.write_text("Synthetic secret: the vault code is 4711, kept outside the library.\n")
    sources = home / "sources"
    (sources / "secret.txt").symlink_to(secret)
    (sources / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (sources / "loop-a.txt").symlink_to(sources / "loop-b.txt")
    (sources / "loop-b.txt").symlink_to(sources / "loop-a.txt")
    inside = _note(sources, "real.md", "Synthetic: a note inside the library.")
    (sources / "alias.md").symlink_to(inside)  # inside the library: followed (and a copy of real.md)

    result = run(home, "build", "--json")
    report = json.loads(result.output)
    reasons = {os.path.basename(s["path"]): s["reason"] for s in report["details"]["skipped"]}
    assert reasons["secret.txt"].startswith(f"symbolic link to {secret}, outside the library")
    assert reasons["dangling.txt"] == f"dangling symbolic link (its target {tmp_path / 'gone.txt'} does not exist)"
    assert reasons["loop-a.txt"] == reasons["loop-b.txt"] == "symbolic link loop"
    assert reasons["real.md"] == "same content as alias.md"
    assert result.exit_code == 1 and report["added"] == 1
    answer = json.loads(run(home, "ask", "--json", "What is the vault code?").output)
    assert all("4711" not in p["text"] for p in answer["passages"])
    assert "secret" not in _sources(home)


def test_the_build_says_which_metadata_it_dropped(home, tmp_path):
    old = _note(tmp_path, "brief.md", "Synthetic: a brief about harbour dredging.")
    run(home, "add", str(old), "--title", "Dredging brief")
    (home / "sources" / "brief.md").write_text("# Synthetic tide table\n\nA different document about tides.\n")
    result = run(home, "build")
    assert "brief.md: metadata given for a different file of this name dropped" in result.output


def test_a_failed_full_build_leaves_nothing_beside_the_index(home, tmp_path):
    (home / "sources" / "broken.txt").write_bytes(b"\x00\x01 not text")
    result = run(home, "build", "--full", "--strict")
    assert result.exit_code == 1 and "broken.txt" in result.output
    assert not list(home.glob(".index-full.db*"))
    assert run(home, "ask", "--json", "Who wrote the article?").exit_code == 0


# -- a library not made yet ----------------------------------------------------------------------


def test_a_library_not_made_yet_reads_as_empty_and_nothing_is_written(tmp_path):
    home = tmp_path / "new"
    library = Library(home)
    assert library.sources() == [] and library.references() == [] and not library.is_built()
    assert _sources(home) == {}
    assert not home.exists()


def test_the_first_add_makes_the_library_with_the_bundled_article(tmp_path):
    home = tmp_path / "new"
    note = _note(tmp_path, "first.md", "Synthetic: the first note of a new library.")
    result = run(home, "add", "--no-build", str(note))
    assert result.exit_code == 0
    assert {s["id"]: s["indexed"] for s in _sources(home).values()} == {ARTICLE: False, "first": False}
