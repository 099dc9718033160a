"""Every extraction has a bounded cost: a file that needs too long or too much memory is skipped
with its reason, and the files around it are still read. All inputs are synthetic."""

from __future__ import annotations

import pytest

from citeqa import corpus
from citeqa.corpus.limits import extract_bounded
from citeqa.index.library import Library

DEEP_PAGE = "<html><body>" + "<div>" * 100_000 + "Deep synthetic text." + "</div>" * 100_000 + "</body></html>"
# 80 MB of text on one line: reading it needs more than a 64 MB limit allows.
LONG_LINE = "word " * 16_000_000


def test_a_bounded_extraction_gives_what_extract_gives():
    bounded = extract_bounded(corpus.BUNDLED_ARTICLE)
    assert bounded == corpus.extract(corpus.BUNDLED_ARTICLE)


def test_a_file_over_its_time_limit_is_skipped_with_the_limit_named(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text(DEEP_PAGE)
    with pytest.raises(corpus.ExtractionError) as caught:
        extract_bounded(page, seconds=0.05)
    assert caught.value.reason == "extraction took longer than 0.05 s"


def test_a_file_over_its_memory_limit_is_skipped_and_the_next_file_still_reads(tmp_path):
    text = tmp_path / "one-line.txt"
    text.write_text(LONG_LINE)
    with pytest.raises(corpus.ExtractionError) as caught:
        extract_bounded(text, megabytes=64)
    assert str(caught.value) == f"{text}: extraction needed more than 64 MB"
    assert extract_bounded(corpus.BUNDLED_ARTICLE).title == corpus.extract(corpus.BUNDLED_ARTICLE).title


def test_ordinary_errors_keep_their_own_reason(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(corpus.ExtractionError) as caught:
        extract_bounded(empty)
    assert caught.value.reason == "empty file"


def test_build_skips_a_file_over_the_limit_and_indexes_the_rest(home, embedder, monkeypatch):
    monkeypatch.setattr("citeqa.corpus.limits.MEGABYTES", 64)
    library = Library(home)
    (library.sources_dir / "one-line.txt").write_text(LONG_LINE)
    (library.sources_dir / "short-note.md").write_text(
        "# Synthetic note\n\nSYNTHETIC TEST FIXTURE. The example committee meets every ninth day.\n"
    )
    report = library.build(embedder=embedder)
    assert {
        "path": str(library.sources_dir / "one-line.txt"),
        "reason": "extraction needed more than 64 MB",
    } in report.skipped
    assert "short-note" in report.added
