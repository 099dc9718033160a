"""Many files in one call: ``citeqa add --manifest`` (per-file metadata, one build) and
``citeqa add --no-build``. Every file is synthetic and written here."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from test_cli import run

from citeqa.index.library import Library


def note(folder, name, sentence):
    """A small synthetic Markdown source."""
    path = folder / name
    path.write_text(f"# Synthetic note {name}\n\n{sentence}\n")
    return path


def given_metadata(home) -> dict:
    """What ``sources.json`` records for each file, without its content hash."""
    data = json.loads((home / "sources.json").read_text())
    return {
        name: {k: v for k, v in entry.items() if k in ("title", "publisher", "date", "url")}
        for name, entry in data.items()
    }


def count_builds(monkeypatch) -> list:
    """Record every ``Library.build`` call."""
    calls = []
    original = Library.build

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Library, "build", counting)
    return calls


def test_a_jsonl_manifest_adds_each_file_with_its_own_metadata_in_one_build(home, tmp_path, monkeypatch):
    folder = tmp_path / "news"
    folder.mkdir()
    note(folder, "tide.md", "The synthetic tide gauge at Port Imaginary read 4.2 metres.")
    note(folder, "kiln.md", "The synthetic kiln of Fictonia was fired for nine days.")
    (folder / "empty.md").write_text("")
    manifest = folder / "manifest.jsonl"
    manifest.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "path": "tide.md",
                        "title": "Tide report",
                        "publisher": "Harbour Board",
                        "date": "2031-04-02",
                        "url": "https://example.org/tide",
                    }
                ),
                json.dumps({"path": "kiln.md", "publisher": "Kiln Society", "date": "2030-11-05"}),
                json.dumps({"path": "empty.md"}),
                json.dumps({"path": "late.md", "date": "yesterday"}),
                "{not json",
            ]
        )
        + "\n"
    )
    builds = count_builds(monkeypatch)
    result = run(home, "add", "--manifest", str(manifest))
    assert result.exit_code == 1
    assert builds == [1]
    assert "added tide.md" in result.stdout and "added kiln.md" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [
        f"Error: {manifest}:4: 'yesterday' is not a calendar date of the form YYYY-MM-DD (or YYYY-MM, YYYY)",
        f"Error: {manifest}:5: " + errors[1].split(":5: ", 1)[1],
        f"Error: {folder / 'empty.md'}: empty file",
    ]
    assert errors[1].split(":5: ", 1)[1].startswith("not JSON")
    recorded = given_metadata(home)
    assert recorded["tide.md"] == {
        "title": "Tide report",
        "publisher": "Harbour Board",
        "date": "2031-04-02",
        "url": "https://example.org/tide",
    }
    assert recorded["kiln.md"] == {"publisher": "Kiln Society", "date": "2030-11-05"}
    indexed = {s.id: s for s in Library(home).sources()}
    assert indexed["tide"].indexed and indexed["tide"].title == "Tide report" and indexed["kiln"].indexed


def test_a_csv_manifest_takes_relative_paths_from_its_folder(home, tmp_path, monkeypatch):
    note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    manifest = tmp_path / "list.csv"
    manifest.write_text(
        "path,title,publisher,date,url,ref\nledger.md,Quillmarsh ledger,Archive of Nowhere,2029-03-01,,\n"
    )
    builds = count_builds(monkeypatch)
    result = run(home, "add", "--manifest", str(manifest))
    assert result.exit_code == 0, result.stderr
    assert builds == [1]
    assert given_metadata(home)["ledger.md"] == {
        "title": "Quillmarsh ledger",
        "publisher": "Archive of Nowhere",
        "date": "2029-03-01",
    }


@pytest.mark.parametrize(
    "name, content, said",
    [
        # A misspelt column would drop that field from every file.
        ("list.csv", "path,publsher\nledger.md,Archive of Nowhere\n", "unknown column 'publsher'"),
        # An unclosed quote would take the rest of the file as one title.
        ("list.csv", 'path,title\nledger.md,"Ledger, unclosed\nother.md,Other\n', "list.csv:2: not CSV"),
        ("list.csv", "path,title\n", "list.csv: lists no files"),
        ("list.csv", "path,Title,title\nledger.md,A,B\n", "column 'title' is given twice"),
        ("list.jsonl", "\n", "list.jsonl: lists no files"),
    ],
)
def test_a_manifest_that_is_no_csv_names_unknown_columns_or_lists_nothing_says_so_and_adds_nothing(
    home, tmp_path, name, content, said
):
    note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    manifest = tmp_path / name
    manifest.write_text(content)
    result = run(home, "add", "--manifest", str(manifest))
    assert result.exit_code == 2 and said in result.stderr
    assert not (Library(home).sources_dir / "ledger.md").exists()


def test_a_csv_row_with_more_cells_than_columns_is_refused_on_its_line(home, tmp_path):
    note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    manifest = tmp_path / "list.csv"
    manifest.write_text("path,title\nledger.md,Ledger,Archive of Nowhere\n")
    result = run(home, "add", "--manifest", str(manifest))
    assert result.exit_code == 1 and "list.csv:2: more cells than columns" in result.stderr


@pytest.mark.parametrize(
    "name, content",
    [
        # A spreadsheet's "CSV UTF-8" starts with a byte-order mark, and its header may be capitalised.
        ("list.csv", "\ufeffPath,Title\nledger.md,Quillmarsh ledger\n"),
        ("list.jsonl", '\ufeff{"Path": "ledger.md", "title": "Quillmarsh ledger"}\n'),
    ],
)
def test_a_manifest_saved_with_a_byte_order_mark_is_read(home, tmp_path, name, content):
    note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    manifest = tmp_path / name
    manifest.write_text(content, encoding="utf-8")
    result = run(home, "add", "--manifest", str(manifest))
    assert result.exit_code == 0, result.stderr
    assert given_metadata(home)["ledger.md"] == {"title": "Quillmarsh ledger"}


def test_json_lines_that_are_no_object_or_give_a_number_for_authors_are_refused_with_the_reason(home, tmp_path):
    note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    note(tmp_path, "other.md", "The synthetic roll of Quillmarsh lists 12 carts.")
    manifest = tmp_path / "list.jsonl"
    manifest.write_text('"ledger.md"\n{"path": "other.md", "authors": 5}\n{"path": "ledger.md"}\n')
    result = run(home, "add", "--manifest", str(manifest))
    assert result.exit_code == 1
    assert f"Error: {manifest}:1: not a JSON object" in result.stderr
    assert f"Error: {manifest}:2: 'authors' must be text (authors: a list of names)" in result.stderr
    held = {source["id"] for source in json.loads(run(home, "sources", "--json").output)}
    assert "ledger" in held and "other" not in held


def test_a_file_name_listed_twice_in_a_manifest_is_refused_on_its_second_line(home, tmp_path):
    note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    (tmp_path / "copy").mkdir()
    note(tmp_path / "copy", "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    manifest = tmp_path / "list.jsonl"
    rows = [
        {"path": "ledger.md", "publisher": "Archive of Nowhere"},
        {"path": "./ledger.md", "date": "2029-03-01"},
        {"path": "copy/ledger.md", "publisher": "Another Archive"},  # another file, the same name
    ]
    manifest.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = run(home, "add", "--manifest", str(manifest))
    assert result.exit_code == 1
    assert f"{manifest}:2: ledger.md is listed again (first on line 1)" in result.stderr
    assert f"{manifest}:3: ledger.md is listed again (first on line 1)" in result.stderr
    assert given_metadata(home)["ledger.md"] == {"publisher": "Archive of Nowhere"}


def test_adding_a_file_again_with_one_field_keeps_the_others(home, tmp_path):
    ledger = note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    run(home, "add", str(ledger), "--title", "Quillmarsh ledger", "--publisher", "Archive of Nowhere")
    result = run(home, "add", str(ledger), "--url", "https://example.org/ledger")
    assert result.exit_code == 0, result.stderr
    assert "updated ledger.md" in result.stdout
    assert "unchanged, already in the library: ledger.md" in run(home, "add", str(ledger)).stdout
    assert given_metadata(home)["ledger.md"] == {
        "title": "Quillmarsh ledger",
        "publisher": "Archive of Nowhere",
        "url": "https://example.org/ledger",
    }
    run(home, "add", str(ledger), "--publisher", "Nowhere Records Office")
    assert given_metadata(home)["ledger.md"]["publisher"] == "Nowhere Records Office"
    # --json says the same: a file the library held is updated or unchanged, not added.
    again = json.loads(run(home, "add", "--json", str(ledger), "--title", "Quillmarsh ledger, 2031").stdout)
    assert (again["added"], [os.path.basename(p) for p in again["updated"]], again["unchanged"]) == (
        [],
        ["ledger.md"],
        [],
    )


def test_authors_given_in_a_manifest_or_an_option_are_cited_and_a_change_to_them_reindexes_that_file(home, tmp_path):
    note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    kiln = note(tmp_path, "kiln.md", "The synthetic kiln of Fictonia was fired for nine days.")
    (tmp_path / "list.csv").write_text("path,authors\nledger.md,Ann Lee; Bo Kim\n")
    (tmp_path / "list.jsonl").write_text(json.dumps({"path": "kiln.md", "authors": ["Cy Moss"]}) + "\n")
    for manifest in ("list.csv", "list.jsonl"):
        assert run(home, "add", "--manifest", str(tmp_path / manifest)).exit_code == 0
    listed = {s["id"]: s["authors"] for s in json.loads(run(home, "sources", "--json").stdout)}
    assert (listed["ledger"], listed["kiln"]) == (["Ann Lee", "Bo Kim"], ["Cy Moss"])
    top = json.loads(run(home, "ask", "--json", "How many barrels does the Quillmarsh ledger list?").stdout)
    assert top["passages"][0]["citation"].startswith("Ann Lee, Bo Kim. ")
    # Named by an author, the source is found; a new author re-indexes that file alone.
    named = json.loads(run(home, "ask", "--json", "According to Cy Moss, how long was the kiln fired?").stdout)
    assert not named["abstained"] and named["passages"][0]["source"]["id"] == "kiln"
    again = json.loads(run(home, "add", "--json", str(kiln), "--author", "Di Roe").stdout)
    assert [os.path.basename(p) for p in again["updated"]] == ["kiln.md"]
    assert again["build"]["changed"] == 1 and again["build"]["unchanged"] >= 2
    assert {s["id"]: s["authors"] for s in json.loads(run(home, "sources", "--json").stdout)}["kiln"] == ["Di Roe"]
    # Only authors may be a list, and only of names: other rows are refused, naming their line.
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"path": "kiln.md", "title": ["A", "B"]})
        + "\n"
        + json.dumps({"path": "kiln.md", "authors": [1, None]})
        + "\n"
    )
    result = run(home, "add", "--manifest", str(bad))
    assert result.exit_code == 1 and f"{bad}:1: 'title' must be text" in result.stderr
    assert f"{bad}:2: 'authors' must be text" in result.stderr
    assert run(home, "build").exit_code == 0


def test_no_build_stages_files_and_the_next_build_indexes_them(home, tmp_path, monkeypatch):
    a = note(tmp_path, "staged-a.md", "The synthetic beacon of Stagewick burns blue.")
    b = note(tmp_path, "staged-b.md", "The synthetic canal of Stagewick froze in 2040.")
    builds = count_builds(monkeypatch)
    result = run(home, "add", "--no-build", "--publisher", "Stagewick Gazette", str(a), str(b))
    assert result.exit_code == 0, result.stderr
    assert builds == []
    assert "not indexed yet: run 'citeqa build'" in result.stdout
    staged = {s.id: s.indexed for s in Library(home).sources()}
    assert staged["staged-a"] is False and staged["staged-b"] is False
    assert given_metadata(home)["staged-a.md"] == {"publisher": "Stagewick Gazette"}
    # Until the build, every answer says which files it cannot come from.
    waiting = "notice: 2 files in the sources folder are not indexed yet (staged-a.md, staged-b.md)"
    assert waiting in run(home, "ask", "When did the canal freeze?").stderr
    assert run(home, "build").exit_code == 0
    assert all(s.indexed for s in Library(home).sources())
    assert "not indexed yet" not in run(home, "ask", "When did the canal freeze?").stderr
    # A file the build skipped, saying why, is not news at every question.
    (home / "sources" / "copy.md").write_bytes(a.read_bytes())
    assert "skipped" in run(home, "build").stderr
    assert "not indexed yet" not in run(home, "ask", "When did the canal freeze?").stderr
    # Changed since the build skipped it, it is news again: building may take it in now.
    note(home / "sources", "copy.md", "The synthetic lock of Stagewick was rebuilt in 2041.")
    assert "(copy.md)" in run(home, "ask", "When did the canal freeze?").stderr
    # A library built before skips were recorded with their size and time (a list of names).
    db = sqlite3.connect(home / "index.db")
    with db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'skipped'", (json.dumps(["copy.md"]),))
    db.close()
    answered = run(home, "ask", "When did the canal freeze?")
    assert answered.exit_code == 0 and "not indexed yet" not in answered.stderr


def test_the_first_add_to_a_new_library_says_it_holds_the_bundled_article_too(tmp_path):
    home = tmp_path / "new-library"
    first = run(home, "add", "--no-build", str(note(tmp_path, "tide.md", "The synthetic tide rose at noon.")))
    article = "sahoo-2026-economic-security-as-strategic-diplomacy"
    assert f"new library in {home}, holding the bundled article too ('citeqa remove {article}' drops it)" in (
        first.stderr
    )
    second = run(home, "add", "--no-build", "--json", str(note(tmp_path, "kiln.md", "The synthetic kiln cooled.")))
    assert "new library" not in second.stderr and json.loads(second.stdout)["created"] is False


def test_a_copy_of_a_source_under_another_name_is_refused_and_the_build_stays_clean(home, tmp_path):
    first = note(tmp_path, "harbour.md", "The synthetic harbour of Quillmarsh was dredged in 2029.")
    copy = tmp_path / "harbour-copy.md"
    copy.write_bytes(first.read_bytes())
    assert run(home, "add", str(first)).exit_code == 0
    result = run(home, "add", str(copy))
    assert result.exit_code == 1
    assert f"{copy}: same content as harbour.md, already in the library as 'harbour'; not added" in result.output
    assert "harbour-copy" not in {s.id for s in Library(home).sources()}
    # Nothing is left behind for every later build to skip and complain about.
    build = run(home, "build")
    assert build.exit_code == 0 and "skipped" not in build.stderr


def test_two_copies_in_one_batch_and_a_copy_already_dropped_into_the_library(home, tmp_path):
    first = note(tmp_path, "quay.md", "The synthetic quay of Quillmarsh is 300 metres long.")
    twin = tmp_path / "quay-twin.md"
    twin.write_bytes(first.read_bytes())
    result = run(home, "add", str(first), str(twin))
    assert result.exit_code == 1
    assert f"{twin}: same content as quay.md, earlier in this batch; not added" in result.output
    # A copy put into the sources folder by hand does not stop the original being added again.
    (home / "sources" / "quay-legacy.md").write_bytes(first.read_bytes())
    assert run(home, "add", "--no-build", str(first), "--url", "https://example.org/quay").exit_code == 0
    assert given_metadata(home)["quay.md"] == {"url": "https://example.org/quay"}
    # Listed with the URL just given, before the build that indexes it.
    listed = {s["id"]: s for s in json.loads(run(home, "sources", "--json").output)}
    assert listed["quay"]["url"] == "https://example.org/quay"


def test_staging_a_file_the_index_already_holds_as_it_is_says_unchanged(home, tmp_path):
    tide = note(tmp_path, "tide.md", "The synthetic tide of Stagewick rose at noon.")
    assert run(home, "add", str(tide)).exit_code == 0
    again = run(home, "add", "--no-build", str(tide))
    assert again.exit_code == 0 and "unchanged, already in the library: tide.md" in again.stdout
    assert "not indexed yet" not in again.stdout
    assert json.loads(run(home, "add", "--no-build", "--json", str(tide)).stdout)["unchanged"] == [
        str(home / "sources" / "tide.md")
    ]
    # New metadata is news for the next build.
    restaged = run(home, "add", "--no-build", "--publisher", "Stagewick Gazette", str(tide))
    assert "not indexed yet: run 'citeqa build'" in restaged.stdout


def test_a_file_named_twice_is_added_once(home, tmp_path, monkeypatch):
    ledger = note(tmp_path, "ledger.md", "The synthetic ledger of Quillmarsh lists 311 barrels.")
    monkeypatch.chdir(tmp_path)
    result = run(home, "add", str(ledger), "ledger.md", "./ledger.md")
    assert result.exit_code == 0 and result.stdout.count("added ledger.md") == 1
