"""Incremental builds on real SQLite and FAISS with the real model."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from citeqa.index import builder, encoders, plan
from citeqa.index.library import BuildLockedError, Library, LibraryError, Metadata
from citeqa.index.store import Store


class CountingEmbedder:
    """Wraps the real embedder and counts what it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = 0

    def encode(self, texts, progress=False):
        self.calls += 1
        return self.inner.encode(texts)


def write_note(folder, name, body):
    path = folder / name
    path.write_text(f"# Synthetic note {name}\n\n{body}\n")
    return path


def test_a_passage_under_a_renamed_heading_is_embedded_again_with_it(home, embedder):
    library = Library(home)
    body = "The synthetic ferry of Dunmore crosses the estuary twelve times a day."
    note = write_note(library.sources_dir, "ferry.md", f"## Timetable\n\n{body}")
    library.build(embedder=embedder)
    note.write_text(note.read_text().replace("## Timetable", "## Winter service"))
    report = library.build(embedder=embedder)
    # The passage's text and id are unchanged, but it is embedded with its heading.
    assert report.chunks_embedded == 1
    store = Store(home / "index.db", readonly=True)
    try:
        (chunk,) = [c for c in store.doc_chunks("ferry") if "Dunmore" in c.text]
        stored = store.embeddings([chunk.rowid])[chunk.rowid]
    finally:
        store.close()
    assert chunk.section == "Winter service"
    expected = embedder.encode([encoders.passage_input("Winter service", chunk.text)])[0]
    assert float(stored @ expected) >= 0.999


def test_nothing_to_do_embeds_nothing(home, embedder):
    counting = CountingEmbedder(embedder)
    report = Library(home).build(embedder=counting)
    assert counting.calls == 0
    assert report.to_dict()["unchanged"] == 1 and report.chunks_embedded == 0


def test_add_change_remove_counts(home, embedder, tmp_path):
    library = Library(home)
    long_paragraph = "Alpha paragraph one is long enough to fill most of a passage on its own. " * 15
    second = "Alpha paragraph two has enough words to stand in a passage of its own. " * 3
    a = write_note(tmp_path, "alpha.md", f"{long_paragraph}\n\n{second}")
    b = write_note(tmp_path, "beta.md", "Beta text about lighthouses.")
    library.add([a, b])
    report = library.build(embedder=embedder)
    assert (len(report.added), len(report.changed), len(report.removed), len(report.unchanged)) == (2, 0, 0, 1)
    before = report.chunks

    # Change one paragraph of alpha: only that chunk is embedded again.
    write_note(library.sources_dir, "alpha.md", f"{long_paragraph}\n\n{second}Changed.")
    report = library.build(embedder=embedder)
    assert report.changed == ["alpha"] and report.chunks_embedded == 1 and report.chunks_reused >= 1
    assert report.chunks == before

    # Metadata alone changes: the document is re-indexed with it, no text re-embedded.
    library.add([library.sources_dir / "beta.md"], Metadata(title="Lighthouse memo", url="https://example.org/b"))
    report = library.build(embedder=embedder)
    assert report.changed == ["beta"] and report.chunks_embedded == 0
    assert {s.id: s.title for s in library.sources()}["beta"] == "Lighthouse memo"

    library.remove("alpha")
    report = library.build(embedder=embedder)
    assert report.removed == ["alpha"] and report.documents == 2


def test_same_content_under_two_names_is_indexed_once(home, embedder, tmp_path):
    library = Library(home)
    a = write_note(tmp_path, "one.md", "Identical body.")
    library.add([a])
    # Dropped into the sources folder by hand: ``add`` refuses such a copy (test_manifest).
    shutil.copy(a, library.sources_dir / "two.md")
    report = library.build(embedder=embedder)
    assert report.added == ["one"]
    assert report.skipped == [{"path": str(library.sources_dir / "two.md"), "reason": "same content as one.md"}]


def test_a_copy_dropped_beside_a_held_source_is_skipped_whatever_its_name(home, embedder, tmp_path):
    library = Library(home)
    original = write_note(tmp_path, "zeta.md", "Identical body about the lighthouse keeper.")
    library.add([original], Metadata(title="Keeper's log", publisher="Harbour Office"))
    library.build(embedder=embedder)
    # "a-copy.md" sorts before "zeta.md"; the source the library held must stay, metadata and all.
    shutil.copy(original, library.sources_dir / "a-copy.md")
    for full in (False, True):
        report = library.build(embedder=embedder, full=full)
        assert report.skipped == [{"path": str(library.sources_dir / "a-copy.md"), "reason": "same content as zeta.md"}]
        held = {s.id: (s.title, s.publisher) for s in library.sources() if s.indexed}
        assert held["zeta"] == ("Keeper's log", "Harbour Office")
        assert "a-copy" not in {s.id for s in library.sources() if s.indexed}


def test_a_held_source_written_over_with_another_s_text_is_the_copy_skipped(home, embedder, tmp_path):
    # A user copied one source's file over another's in the sources folder: the file written
    # over is the copy, not the untouched one that sorts after it, which keeps its passages.
    library = Library(home)
    library.add(
        [
            write_note(tmp_path, "alpha.md", "The alpha note on synthetic tides."),
            write_note(tmp_path, "omega.md", "The omega note on synthetic kilns."),
        ]
    )
    library.build(embedder=embedder)
    shutil.copy(library.sources_dir / "omega.md", library.sources_dir / "alpha.md")
    report = library.build(embedder=embedder)
    assert report.skipped == [{"path": str(library.sources_dir / "alpha.md"), "reason": "same content as omega.md"}]
    assert {s.id for s in library.sources() if s.indexed} >= {"omega"}


def test_unreadable_file_is_skipped_and_the_rest_indexed(home, embedder, tmp_path):
    library = Library(home)
    (library.sources_dir / "broken.txt").write_bytes("Синтетическая заметка".encode("koi8-r"))
    write_note(library.sources_dir, "fine.md", "A fine note.")
    report = library.build(embedder=embedder)
    assert report.added == ["fine"]
    assert report.skipped[0]["path"].endswith("broken.txt")
    assert "not UTF-8" in report.skipped[0]["reason"]
    with pytest.raises(LibraryError, match="broken.txt"):
        library.build(embedder=embedder, strict=True)


def test_a_second_concurrent_build_is_refused(home, embedder):
    # Another Library stands for another process: the lock is re-entrant for its own holder.
    with Library(home).lock:
        with pytest.raises(BuildLockedError, match="another build is running"):
            Library(home).build(embedder=embedder)


def test_full_rebuild_gives_the_same_index(home, embedder):
    library = Library(home)
    report = library.build(embedder=embedder, full=True)
    assert report.added == ["sahoo-2026-economic-security-as-strategic-diplomacy"]
    assert report.chunks_embedded == report.chunks


def test_damaged_files_are_detected_with_the_repair_command(home, embedder):
    library = Library(home)
    faiss_file = next(home.glob("vectors-*.faiss"))
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(LibraryError, match=r"damaged.*citeqa build --full"):
        library.open_index()
    library.build(embedder=embedder, full=True)
    store, index = library.open_index()
    store.close()
    (home / "index.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    with pytest.raises(LibraryError, match=r"damaged.*citeqa build --full"):
        library.open_index()


def test_watch_rebuilds_when_sources_appear_change_and_leave(home, embedder, tmp_path):
    import threading

    from citeqa.index.watch import watch

    library = Library(home)
    reports, errors, stop = [], [], threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(library, reports.append, errors.append, 0.2, stop, lambda: library.build(embedder=embedder)),
    )
    thread.start()
    try:

        def wait_for(count):
            for _ in range(300):
                if len(reports) >= count:
                    return reports[count - 1]
                time.sleep(0.05)
            raise AssertionError(f"no build #{count}; reports: {reports}")

        assert wait_for(1).unchanged  # the first look builds (nothing to do here)
        note = library.sources_dir / "watched.md"
        note.write_text("Synthetic watched note: the committee approved the harbour plan.\n")
        assert wait_for(2).added == ["watched"]
        note.write_text("Synthetic watched note: the committee rejected the harbour plan.\n")
        assert wait_for(3).changed == ["watched"]
        note.unlink()
        assert wait_for(4).removed == ["watched"]
    finally:
        stop.set()
        thread.join()
    assert errors == []


def test_each_kind_of_bad_input_is_skipped_with_its_reason_while_the_rest_index(home, tmp_path):
    from pdfgen import pdf_bytes, write_encrypted_pdf, write_pdf
    from test_cli import run

    sources = Library(home).sources_dir
    write_encrypted_pdf(sources / "locked.pdf", [["secret synthetic text"]])
    (sources / "broken.pdf").write_bytes(pdf_bytes([["a synthetic page"]])[:300])
    write_pdf(sources / "scan.pdf", [[], []], footer=False)
    (sources / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (sources / "saved.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n")
    write_note(sources, "pdf-notes.md", "%PDF-1.7 synthetic reading notes: the header every PDF opens with.")
    (sources / "ascii.txt").write_bytes(b"%PDF-1.1\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    (sources / "noise.md").write_bytes(b"\x01\x00\x02" * 50)
    (sources / "latin1.txt").write_bytes("Synthetic caf\xe9 note".encode("latin-1"))  # read as Windows-1252
    (sources / "koi8.txt").write_bytes("Синтетическая заметка".encode("koi8-r"))
    (sources / "empty.html").write_text("<html><head><title>Empty</title></head><body></body></html>")
    with open(sources / "huge.md", "wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 2**20)
    write_note(sources, "fine.md", "A fine synthetic note about exemplary minerals.")

    result = run(home, "build", "--json")
    report = json.loads(result.output)
    assert result.exit_code == 1 and report["added"] == 3 and report["documents"] == 4
    reasons = {Path(s["path"]).name: s["reason"] for s in report["details"]["skipped"]}
    assert reasons == {
        # What a mistaken file is, and what to do, where its first bytes say.
        "binary.txt": "a PNG image named .txt, not text",
        "saved.txt": "a PDF file named .txt, not text: rename it to .pdf",
        "ascii.txt": "a PDF file named .txt, not text: rename it to .pdf",
        "noise.md": "binary file, not text",
        "broken.pdf": reasons["broken.pdf"],
        "empty.html": "no readable text found in the page",
        "huge.md": "file too large (200 MB; limit 100 MB)",
        "koi8.txt": "not UTF-8 text (invalid byte at offset 0)",
        "locked.pdf": "encrypted PDF (password required)",
        "scan.pdf": "no text layer (scanned PDF? run OCR first)",
    }
    assert reasons["broken.pdf"].startswith("malformed PDF: ")

    text = run(home, "build").output
    assert "skipped huge.md: file too large (200 MB; limit 100 MB)" in text.replace(str(sources) + "/", "")

    strict = run(home, "build", "--strict")
    assert strict.exit_code == 1 and "--strict" in strict.output and len(strict.output.strip().splitlines()) == 1


def _embedding_method(home) -> str:
    db = sqlite3.connect(home / "index.db")
    try:
        return db.execute("SELECT value FROM meta WHERE key = 'embedding'").fetchone()[0]
    finally:
        db.close()


def test_a_new_embedding_method_re_embeds_everything_and_never_reuses_old_vectors(home, embedder, monkeypatch):
    library = Library(home)
    write_note(library.sources_dir, "fine.md", "The tin bridge of Orlen was rebuilt in 1907.")
    library.build(embedder=embedder)
    for module in (encoders, builder, plan):
        monkeypatch.setattr(module, "EMBEDDING", "a newer way of making vectors")
    # fine.md cannot be read during the build that changes the method: it keeps its old vectors.
    kept = (library.sources_dir / "fine.md").read_bytes()
    (library.sources_dir / "fine.md").write_bytes("Синтетическая заметка".encode("koi8-r"))
    report = library.build(embedder=embedder)
    assert report.skipped and report.chunks_embedded == report.chunks - len(Store(home / "index.db").doc_chunks("fine"))
    assert _embedding_method(home) != "a newer way of making vectors"
    # Readable again: its chunks are the same text, yet their old vectors are not reused.
    (library.sources_dir / "fine.md").write_bytes(kept)
    report = library.build(embedder=embedder)
    assert report.changed == ["fine"] and report.chunks_embedded > 0 and report.chunks_reused == 0
    assert _embedding_method(home) == "a newer way of making vectors"
