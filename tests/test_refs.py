"""Linking saved sources to the article's reference list: by number, by URL, by title.

The sources written here are synthetic notes made up for the tests, not the real releases.
"""

from __future__ import annotations

import json

import pytest
from test_cli import run

ARTICLE = "sahoo-2026-economic-security-as-strategic-diplomacy"
NOTE = "Synthetic test note, not a real release. The delegations met and reviewed cooperation.\n"


def refs(home) -> dict[int, dict]:
    return {e["number"]: e for e in json.loads(run(home, "refs", "--json").output)}


def test_refs_lists_the_article_references_none_in_library(home):
    entries = refs(home)
    assert sorted(entries) == list(range(1, 11))
    assert entries[1]["author"] == "Ministry of External Affairs" and entries[1]["date"] == "2026-05-10"
    assert entries[4]["url"] == "https://www.mofa.go.jp/files/100897546.pdf"
    assert all(e["source"] is None for e in entries.values())


def test_add_with_ref_links_and_takes_the_reference_metadata(home, tmp_path):
    note = tmp_path / "mea-note.md"
    note.write_text(NOTE)
    report = json.loads(run(home, "add", str(note), "--ref", "1", "--json").output)
    assert report["build"]["details"]["linked"] == [
        {"id": "mea-note", "reference": 1, "citing": "sahoo-2026-economic-security-as-strategic-diplomacy", "by": "ref"}
    ]
    assert refs(home)[1]["source"] == "mea-note"
    answer = json.loads(run(home, "ask", "--json", "What did the delegations review?").output)
    source = next(p["source"] for p in answer["passages"] if p["source"]["id"] == "mea-note")
    assert source["title"] == "2nd India-Japan Economic Security Dialogue"
    assert source["publisher"] == "Ministry of External Affairs" and source["date"] == "2026-05-10"
    assert source["url"].startswith("https://www.mea.gov.in/press-releases.htm?dtl/41124")


def test_source_is_linked_automatically_by_url_or_title(home, tmp_path):
    by_url = tmp_path / "vision.md"
    by_url.write_text(NOTE)
    result = run(home, "add", str(by_url), "--url", "http://mea.gov.in/bilateral-documents.htm?dtl/40064/Joint_Vision")
    assert "linked vision to reference [3]" in result.output and "(by url)" in result.output
    by_title = tmp_path / "fact-sheet.md"
    by_title.write_text("# Fact Sheet: India–Japan Economic Security Cooperation\n\n" + NOTE)
    run(home, "add", str(by_title))
    entries = refs(home)
    assert (entries[3]["source"], entries[3]["linked_by"]) == ("vision", "url")
    assert (entries[2]["source"], entries[2]["linked_by"]) == ("fact-sheet", "title")


def test_sources_added_before_the_article_that_cites_them_are_linked_when_it_comes(home, tmp_path):
    # A user adds the pages first, then the article: its build links them by URL, as adding the
    # pages after it would (each build after it as well, being unchanged).
    assert run(home, "remove", "sahoo-2026-economic-security-as-strategic-diplomacy").exit_code == 0
    page = tmp_path / "vision.md"
    page.write_text(NOTE)
    assert (
        run(
            home, "add", str(page), "--url", "http://mea.gov.in/bilateral-documents.htm?dtl/40064/Joint_Vision"
        ).exit_code
        == 0
    )
    article = tmp_path / "article.md"
    article.write_text(
        "# A synthetic review\n\nThe delegations reviewed cooperation [1].\n\n## References\n\n"
        "1. Ministry of External Affairs (2022). Joint Vision. https://www.mea.gov.in/bilateral-documents.htm?dtl/40064\n"
    )
    added = run(home, "add", str(article))
    assert "linked vision to reference [1] of article (by url)" in added.output
    assert refs(home)[1]["source"] == "vision"
    assert run(home, "build").exit_code == 0 and refs(home)[1]["source"] == "vision"


@pytest.mark.parametrize(
    "ref, reason",
    [
        ("99", "no reference [99] in the library's sources (see 'citeqa refs')"),
        # The article has a [3], but no source is called 'nope'.
        ("nope:3", "no source 'nope' with a reference list (see 'citeqa refs')"),
        (
            "sahoo-2026-economic-security-as-strategic-diplomacy:99",
            "no reference [99] in source 'sahoo-2026-economic-security-as-strategic-diplomacy' (see 'citeqa refs')",
        ),
    ],
)
def test_a_reference_number_that_does_not_exist_is_refused(home, tmp_path, ref, reason):
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    result = run(home, "add", str(note), "--ref", ref)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {note}: {reason}"]
    assert "note" not in {s["id"] for s in json.loads(run(home, "sources", "--json").output)}


def test_a_reference_already_another_source_is_refused_and_the_first_keeps_it(home, tmp_path):
    first, second = tmp_path / "mea-note.md", tmp_path / "cats.md"
    first.write_text(NOTE)
    second.write_text("Synthetic test note, not a real release. Cats sleep sixteen hours a day.\n")
    assert run(home, "add", str(first), "--ref", "1").exit_code == 0
    result = run(home, "add", str(second), "--ref", "1")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {second}: reference [1] of sahoo-2026-economic-security-as-strategic-diplomacy is already the "
        "source 'mea-note' ('citeqa remove mea-note' first to replace it)"
    ]
    assert "cats" not in {s["id"] for s in json.loads(run(home, "sources", "--json").output)}
    assert refs(home)[1]["source"] == "mea-note"
    # The source that is the reference may be added again with it.
    assert run(home, "add", str(first), "--ref", "1").exit_code == 0


def test_a_reference_claimed_by_a_staged_file_or_another_of_the_batch_is_refused(home, tmp_path):
    names = ("staged.md", "second.md", "third.md", "fourth.md", "fifth.md")
    for name in names:
        (tmp_path / name).write_text(f"Synthetic test note {name}, not a real release. The delegations met.\n")
    staged, second, third, fourth, fifth = (tmp_path / name for name in names)
    assert run(home, "add", "--no-build", str(staged), "--ref", "2").exit_code == 0
    assert "is already the source 'staged'" in run(home, "add", str(second), "--ref", "2").output
    manifest = tmp_path / "list.csv"
    manifest.write_text("path,ref\nthird.md,3\nfourth.md,3\n")
    result = run(home, "add", "--manifest", str(manifest))
    assert result.exit_code == 1 and "list.csv:3" not in result.output
    assert f"Error: {fourth}: reference [3] of {ARTICLE} is already the source 'third'" in result.output
    shared = run(home, "add", str(fifth), str(second), "--ref", "4")
    assert shared.exit_code != 0 and "is already the source 'fifth'" in shared.output
    assert {e["number"]: e["source"] for e in refs(home).values() if e["source"]} == {2: "staged", 3: "third"}


def test_a_reference_number_qualified_by_its_source_links(home, tmp_path):
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    linked = run(home, "add", str(note), "--ref", "sahoo-2026-economic-security-as-strategic-diplomacy:3")
    assert linked.exit_code == 0
    assert refs(home)[3]["source"] == "note"


def add_reference_list(home, tmp_path) -> str:
    """Add a synthetic review with a reference list of its own, beside the bundled article's; its id."""
    review = tmp_path / "harbour-review.md"
    review.write_text(
        "# Synthetic harbour review\n\nThe harbour opened in 1952 [1].\n\n## References\n\n"
        "[1] Lindell Harbour Authority. (2023). Annual report. https://example.org/annual\n"
    )
    assert run(home, "add", str(review)).exit_code == 0
    return "harbour-review"


def test_a_number_two_reference_lists_hold_must_name_its_source(home, tmp_path):
    add_reference_list(home, tmp_path)
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    result = run(home, "add", str(note), "--ref", "1")
    assert result.exit_code == 1 and "reference [1] is in the lists of harbour-review, " in result.output
    assert "give SOURCE:1" in result.output
    assert run(home, "add", str(note), "--ref", "harbour-review:1").exit_code == 0


def test_a_reference_number_is_checked_against_the_index_without_extracting_the_indexed_article(
    home, tmp_path, monkeypatch
):
    import citeqa.corpus
    from citeqa.index.library import Library, Metadata

    real, extracted = citeqa.corpus.extract_bounded, []
    monkeypatch.setattr(citeqa.corpus, "extract_bounded", lambda path: extracted.append(path) or real(path))
    note = tmp_path / "mofa-note.md"
    note.write_text(NOTE)
    (added,) = Library(home).add([note], Metadata(ref=4))
    # Only the new file is read: the article's reference list comes from the index that holds it.
    assert extracted == [note] and added.name == "mofa-note.md"


def test_a_reference_dropped_from_an_edited_article_is_refused_before_the_next_build(home, tmp_path):
    article = home / "sources" / "sahoo-2026-economic-security-as-strategic-diplomacy.txt"
    lines = article.read_text().splitlines(keepends=True)
    article.write_text("".join(line for line in lines if not line.startswith("- [4] ")))
    note = tmp_path / "note.md"
    note.write_text(NOTE)
    # The index still lists [4]; the file the next build reads does not.
    result = run(home, "add", str(note), "--ref", "4")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {note}: no reference [4] in the library's sources (see 'citeqa refs')"
    ]


def test_refs_heads_each_source_list_and_filters_by_source(home, tmp_path):
    # A synthetic memo with a reference list of its own: its [1] is not the article's [1].
    memo = tmp_path / "memo.md"
    memo.write_text(
        "# Synthetic harbour memo\n\nThe dredging plan is described in the board's minutes [1].\n\n"
        "## References\n\n1. Harbour Board. (2029). Minutes of the March meeting. https://example.org/minutes\n"
        "2. Minutes of the April meeting. https://example.org/april\n"
    )
    assert run(home, "add", str(memo)).exit_code == 0
    lines = run(home, "refs").output.splitlines()
    assert "memo:" in lines and "sahoo-2026-economic-security-as-strategic-diplomacy:" in lines
    only = run(home, "refs", "--source", "memo").output
    assert "[1] Harbour Board (2029). Minutes of the March meeting" in only and "mea.gov.in" not in only
    assert "sahoo-2026" not in only
    # An entry with no author reads without a gap where it would be.
    assert "[2] (n.d.). Minutes of the April meeting" in only
    typo = run(home, "refs", "--source", "meno")
    assert typo.exit_code == 1 and "no source 'meno' in the library" in typo.output


def test_a_source_linked_to_an_article_the_library_no_longer_holds_is_linked_to_its_successor(home, tmp_path):
    # The draft is removed and the article added under another name: the page it cited, still
    # linked to the draft, is linked to the article.
    assert run(home, "remove", "sahoo-2026-economic-security-as-strategic-diplomacy").exit_code == 0
    page = tmp_path / "vision.md"
    page.write_text(NOTE)
    text = (
        "# A synthetic review\n\nThe delegations reviewed cooperation [1].\n\n## References\n\n"
        "1. Ministry of External Affairs (2022). Joint Vision. https://www.mea.gov.in/bilateral-documents.htm?dtl/40064\n"
    )
    for name in ("draft.md", "final.md"):
        (tmp_path / name).write_text(text)
    url = "http://mea.gov.in/bilateral-documents.htm?dtl/40064/Joint_Vision"
    assert run(home, "add", str(page), "--url", url).exit_code == 0
    assert run(home, "add", str(tmp_path / "draft.md")).exit_code == 0
    assert refs(home)[1]["source"] == "vision"
    assert run(home, "remove", "draft").exit_code == 0
    assert run(home, "add", str(tmp_path / "final.md")).exit_code == 0
    assert refs(home)[1]["source"] == "vision"
