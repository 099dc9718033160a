"""The CLI end to end: real files, the real model, real SQLite and FAISS, through CliRunner."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from citeqa.qa.answer import Citation
from citeqa.qa.cli import cli

QUESTION = "On what date did India and Japan hold their second economic security dialogue?"


def run(home, *args, input=None):
    result = CliRunner().invoke(cli, ["--home", str(home), *args], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_ask_prints_cited_passages_with_the_answer_highlighted(home):
    result = run(home, "ask", QUESTION)
    assert result.exit_code == 0
    first = result.output.split("\n[2]")[0]
    assert "11 May 2026" in first
    assert "World Journal of Advanced Research and Reviews" in first
    assert "https://doi.org/10.30574/wjarr.2026.30.2.1485" in first
    assert "§ 4.1 Institutional design and participants" in first or "§ 1 Introduction" in first
    assert result.output.startswith("Answer confidence 0.")
    assert len(re.findall(r"^\[\d\] ", result.output, re.MULTILINE)) == 5  # five passages by default


def test_ask_json_shape(home):
    result = run(home, "ask", "-k", "3", "--json", QUESTION)
    data = json.loads(result.output)
    assert data["question"] == QUESTION and data["abstained"] is False
    assert [p["rank"] for p in data["passages"]] == [1, 2, 3]
    top = data["passages"][0]
    assert set(top) >= {"rank", "text", "highlight", "score", "source", "location", "citation"}
    assert set(top["source"]) >= {"id", "title", "publisher", "date", "url", "path"}
    assert set(top["location"]) >= {"section", "page", "start", "end"}
    assert "11 May 2026" in top["highlight"] and top["highlight"] in top["text"]
    assert top["source"]["url"] == "https://doi.org/10.30574/wjarr.2026.30.2.1485"
    scores = [p["score"] for p in data["passages"]]
    assert scores == sorted(scores, reverse=True)


def test_passage_offsets_point_into_the_extracted_text(home):
    data = json.loads(run(home, "ask", "--json", "Which Japanese firm refines rare earths in Andhra Pradesh?").output)
    extracted = json.loads(run(home, "extract", "--json", data["passages"][0]["source"]["path"]).output)
    for passage in data["passages"]:
        loc = passage["location"]
        assert extracted["text"][loc["start"] : loc["end"]] == passage["text"]
        assert extracted["text"][loc["highlight_start"] : loc["highlight_end"]] == passage["highlight"]


def test_ask_abstains_when_the_sources_do_not_answer(home):
    question = "Which team won the ice hockey world championship in Lillehammer?"
    result = run(home, "ask", question)
    assert result.exit_code == 0
    # The reason names what the sources lack, as the question writes it.
    reason = "the passages found never mention 'Lillehammer'"
    assert result.output.startswith(f"The sources do not answer this: {reason} (confidence 0.")
    data = json.loads(run(home, "ask", "--json", question).output)
    # The closest passages are still shown, marked as not answering.
    assert "The closest passages found, which do not answer it:" in result.output
    assert "(does not answer)" in result.output
    assert data["abstained"] is True and data["reason"].startswith(reason) and len(data["passages"]) == 5
    assert 0 <= data["confidence"] < 0.5
    # A year no source mentions is refused without the model: no confidence, the passages still shown.
    year = json.loads(run(home, "ask", "--json", "Which team won the 1994 ice hockey world championship?").output)
    assert year["reason"] == "the sources never mention 1994" and year["confidence"] is None
    assert year["abstained"] is True and len(year["passages"]) == 5


def test_ask_mode_ranks_by_a_baseline(home):
    hybrid = json.loads(run(home, "ask", "--json", "-k", "2", QUESTION).output)
    bm25 = json.loads(run(home, "ask", "--json", "-k", "2", "--mode", "bm25", QUESTION).output)
    # Only citeqa's own ranking is calibrated; BM25's best passage scores 1 (its score over the best).
    assert hybrid["confidence"] > 0 and bm25["confidence"] is None and bm25["reason"] is None
    assert bm25["passages"][0]["score"] == 1.0 and hybrid["passages"][0]["score"] < 1.0
    refused = run(home, "ask", "--mode", "tfidf", QUESTION)
    assert refused.exit_code == 2 and "'tfidf' is not one of 'hybrid', 'rrf', 'bm25', 'dense'" in refused.output


def test_questions_file_plain_and_json_lines(home, tmp_path):
    plain = tmp_path / "q.txt"
    plain.write_text(f"{QUESTION}\n\nWhich team won the 1994 ice hockey world championship?\n")
    lines = run(home, "ask", "--questions", str(plain), "-k", "2").output.strip().splitlines()
    answers = [json.loads(line) for line in lines]
    assert [a["abstained"] for a in answers] == [False, True]
    assert len(answers[0]["passages"]) == 2
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text(json.dumps({"question": QUESTION, "id": 7}) + "\n")
    (answer,) = [json.loads(line) for line in run(home, "ask", "--questions", str(jsonl)).output.splitlines()]
    # The answer carries its question's id, so a script matches them without counting lines.
    assert answer["question"] == QUESTION and answer["id"] == 7
    assert "id" not in answers[0]


@pytest.mark.parametrize("question", ["", "   ", "???"])
def test_a_question_with_no_words_is_a_usage_error_not_an_answer(home, tmp_path, question):
    result = run(home, "ask", question)
    assert result.exit_code == 2 and "has no words to search for" in result.output
    batch = tmp_path / "q.jsonl"
    batch.write_text(json.dumps({"question": QUESTION}) + "\n" + json.dumps({"question": question}) + "\n")
    result = run(home, "ask", "--questions", str(batch))
    assert result.exit_code == 1 and f"{batch}: line 2 has no words to search for" in result.output


def test_a_json_lines_questions_file_names_every_line_that_is_no_question(home, tmp_path):
    batch = tmp_path / "q.jsonl"
    lines = [json.dumps({"question": QUESTION}), '["a list"]', json.dumps({"question": 42}), "not json", "{"]
    batch.write_text("\n".join(lines) + "\n")
    result = run(home, "ask", "--questions", str(batch))
    assert result.exit_code == 1 and result.stdout == ""
    assert f"{batch}: line 2 is not a JSON object with a 'question' text; lines 3, 4, 5 are no question either" in (
        result.stderr
    )


def test_sources_lists_the_bundled_article(home):
    (source,) = json.loads(run(home, "sources", "--json").output)
    assert source["id"] == "sahoo-2026-economic-security-as-strategic-diplomacy"
    assert source["kind"] == "text" and source["chunks"] > 30
    assert source["title"].startswith("Economic security as strategic diplomacy")


def test_sources_of_a_folder_with_no_library_says_so(tmp_path):
    # A mistyped --home listed nothing, as if the library were empty; scripts still read [].
    missing = tmp_path / "no-such-library"
    result = run(missing, "sources")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"notice: no library at {missing} yet; 'citeqa add' or 'citeqa build' makes one\n"
    assert json.loads(run(missing, "sources", "--json").stdout) == [] and not missing.exists()


def test_add_then_ask_then_remove(home, tmp_path):
    note = tmp_path / "synthetic-note.md"
    note.write_text("# Synthetic test note\n\nThe zebra-crossing protocol was signed in Quito on 3 March 2031.\n")
    result = run(
        home,
        "add",
        str(note),
        "--publisher",
        "Test Fixtures Inc.",
        "--date",
        "2031-03-04",
        "--url",
        "https://example.org/note",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(run(home, "ask", "--json", "Where was the zebra-crossing protocol signed?").output)
    top = data["passages"][0]
    assert "Quito" in top["highlight"]
    assert top["source"] | {"path": None} == top["source"] | {
        "id": "synthetic-note",
        "title": "Synthetic test note",
        "publisher": "Test Fixtures Inc.",
        "date": "2031-03-04",
        "url": "https://example.org/note",
        "path": None,
    }
    listed = {s["id"]: s for s in json.loads(run(home, "sources", "--json").output)}
    assert listed["synthetic-note"] | {"path": None} == {
        "id": "synthetic-note",
        "path": None,
        "kind": "text",
        "title": "Synthetic test note",
        "chunks": 1,
        "indexed": True,
        "publisher": "Test Fixtures Inc.",
        "date": "2031-03-04",
        "url": "https://example.org/note",
        "authors": [],
    }
    line = next(x for x in run(home, "sources").output.splitlines() if x.startswith("synthetic-note"))
    assert "1 passage]" in line and "(Test Fixtures Inc., 2031-03-04, https://example.org/note)" in line
    by_name = run(home, "remove", "synthetic-note.md")  # the file's name, not its id
    assert by_name.exit_code == 1 and "did you mean 'synthetic-note'?" in by_name.output
    removed = run(home, "remove", "synthetic-note")
    assert removed.exit_code == 0 and "; index: 1 document, " in removed.output  # not "1 documents"
    ids = [s["id"] for s in json.loads(run(home, "sources", "--json").output)]
    assert ids == ["sahoo-2026-economic-security-as-strategic-diplomacy"]
    data = json.loads(run(home, "ask", "--json", "Where was the zebra-crossing protocol signed?").output)
    assert all("Quito" not in p["text"] for p in data["passages"])


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty file"),
        ("slides.pptx", b"PK\x03\x04 not really", "unsupported file type '.pptx'"),
        ("fake.pdf", b"this is plain text pretending to be a PDF", "not a PDF file"),
    ],
)
def test_bad_input_is_one_line_error_naming_the_file(home, tmp_path, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for command in ("add", "extract"):
        result = run(home, command, str(path))
        assert result.exit_code != 0
        assert "Traceback" not in result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, result.output
        assert str(path) in lines[0] and reason in lines[0]
    # Nothing already indexed was lost.
    (source,) = json.loads(run(home, "sources", "--json").output)
    assert source["chunks"] > 30


def test_extract_json_reports_errors_per_file(home, tmp_path):
    bad = tmp_path / "empty.md"
    bad.write_text("")
    result = run(home, "extract", "--json", str(bad), str(tmp_path / "nope.html"))
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["error"] for r in records] == ["empty file", "no such file"]
    assert result.exit_code == 1


def test_every_command_has_help_with_an_example_and_json(home):
    for command in cli.list_commands(None):
        result = run(home, command, "--help")
        assert "Example" in result.output, command
        # serve prints no results: the page and its /api are its output.
        assert ("--json" in result.output) is (command != "serve"), command
        # Every command that uses a library takes --home after its name as well as before it.
        assert ("--home" in result.output) is (command != "extract"), command


def test_home_after_the_command_wins_over_the_group_and_the_environment(home, tmp_path):
    other = tmp_path / "other"
    for args in (["--home", str(other), "sources", "--home", str(home)], ["sources", "--home", str(home)]):
        result = CliRunner().invoke(cli, [*args, "--json"], env={"CITEQA_HOME": str(other)})
        assert result.exit_code == 0, result.output
        (source,) = json.loads(result.output)
        assert source["indexed"] and source["chunks"] > 30  # the built library, not the new one
    # The environment's home does not exist yet: it reads as an empty library, and is not made.
    assert json.loads(CliRunner().invoke(cli, ["sources", "--json"], env={"CITEQA_HOME": str(other)}).output) == []
    assert not other.exists()


@pytest.mark.parametrize("command", ["refs", "audit"])
def test_a_command_that_reads_the_index_builds_it_first_and_says_so(home, command):
    (home / "index.db").unlink()
    result = run(home, command, "--json")
    assert result.stderr.splitlines()[0] == f"No index yet in {home}: building it."
    assert json.loads(result.stdout)
    assert (home / "index.db").exists()


def test_pdf_citation_names_the_page_of_the_highlighted_sentence(home, tmp_path):
    from pdfgen import write_pdf

    # Synthetic fixture: one paragraph starts on page 1 and its answering sentence is on page 2.
    pages = [
        [
            "Synthetic Harbour Report",
            "",
            "This made-up report describes an imaginary harbour used as a test",
            "fixture. The harbour authority of Exampleland publishes figures every year and the",
            "figures are reviewed by an independent panel that meets in the spring of each",
        ],
        [
            "year. The imaginary harbour handled 4,200 container ships in the fiscal year 2030.",
            "",
            "Other matters are left to later reports.",
        ],
    ]
    path = write_pdf(tmp_path / "harbour.pdf", pages, title="Synthetic Harbour Report")
    run(home, "add", str(path))
    data = json.loads(run(home, "ask", "--json", "How many container ships did the imaginary harbour handle?").output)
    top = data["passages"][0]
    assert "4,200 container ships" in top["highlight"]
    assert top["location"]["page"] == 2
    # The passage itself starts on page 1, with the report's title (too short to stand alone).
    assert top["text"].startswith("Synthetic Harbour Report\n\nThis made-up report")
    assert "p. 2" in top["citation"]


def test_a_pdf_citation_gives_the_page_number_printed_on_the_page_and_its_place_in_the_file(home, tmp_path):
    from pdfgen import write_pdf

    # Synthetic fixture: two pages of front matter numbered i and ii, then the body from page 1.
    pages = [
        ["Synthetic Lighthouse Survey"],
        ["Foreword", "", "This made-up survey was written as a test fixture and describes no real place."],
        ["The Lamp", "", "The imaginary lighthouse of Quillmarsh shows a green light every nine seconds."],
    ]
    # No footer: a printed "Page 3 of 3" would contradict the labels, and printed numbers win.
    path = write_pdf(
        tmp_path / "survey.pdf", pages, title="Synthetic Lighthouse Survey", labels=[(0, "r"), (2, "D")], footer=False
    )
    run(home, "add", str(path))
    data = json.loads(run(home, "ask", "--json", "How often does the Quillmarsh lighthouse show its light?").stdout)
    top = data["passages"][0]
    assert "every nine seconds" in top["highlight"]
    assert (top["location"]["page"], top["location"]["printed_page"]) == (3, "1")
    assert "p. 1 (p. 3 of the file)" in top["citation"]


def test_a_hidden_file_is_refused_with_its_reason_not_copied_in_silently(home, tmp_path):
    hidden = tmp_path / ".draft.md"
    hidden.write_text("# Draft\n\nThe tin bridge of Orlen was rebuilt in 1907.\n")
    result = run(home, "add", str(hidden))
    assert result.exit_code == 1 and "a hidden file" in result.output
    assert not (home / "sources" / ".draft.md").exists()


def test_metadata_typed_wrong_is_a_one_line_usage_error(home, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nThe tin bridge of Orlen was rebuilt in 1907.\n")
    for args, hint in (
        (["add", str(note), "--ref", "²"], "--ref"),
        (["add", str(note), "--date", "May 2026"], "--date"),
        (["add", str(note), "--date", "2025-02-30"], "--date"),  # no such day
        (["add", str(note), "--url", "not a url"], "--url"),
        (["add", str(note), "--url", "ftp://example.org/note"], "--url"),
        (["fetch-refs", "--timeout", "-1"], "--timeout"),
        (["fetch-refs", "--max-size", "0"], "--max-size"),
        (["watch", "--interval", "0"], "--interval"),
    ):
        result = run(home, *args)
        assert result.exit_code == 2 and hint in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_a_library_whose_every_source_was_removed_says_it_is_empty(home, tmp_path):
    assert run(home, "remove", "sahoo-2026-economic-security-as-strategic-diplomacy").exit_code == 0
    answer = json.loads(run(home, "ask", "--json", "When was the dialogue held?").output)
    assert answer["abstained"] and answer["reason"] == "the library holds no sources: add some with 'citeqa add'"
    listed = run(home, "sources")
    assert (listed.exit_code, listed.stdout) == (0, "") and "holds no sources; 'citeqa add' adds some" in listed.stderr
    # A staged file is a source, not yet indexed: the user is not told to add it again.
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nSynthetic: the tin bridge of Orlen was rebuilt in 1907.\n")
    assert run(home, "add", "--no-build", str(note)).exit_code == 0
    staged = json.loads(run(home, "ask", "--json", "When was the dialogue held?").stdout)
    assert staged["reason"].startswith("no source of the library is indexed")


def test_removing_by_a_file_s_name_without_its_suffix_suggests_its_id(home, tmp_path):
    note = tmp_path / "Über Katzen.md"
    note.write_text("# Katzen\n\nSynthetic: the cats of Orlen sleep sixteen hours a day.\n")
    assert run(home, "add", "--no-build", str(note)).exit_code == 0
    result = run(home, "remove", "über katzen")
    assert result.exit_code == 1 and "did you mean 'über-katzen-" in result.output


def test_a_blank_title_option_is_no_title(home, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# Tin bridge note\n\nThe tin bridge of Orlen was rebuilt in 1907.\n")
    assert run(home, "add", str(note), "--title", " ").exit_code == 0
    listed = {s["id"]: s for s in json.loads(run(home, "sources", "--json").output)}
    assert listed["note"]["title"] == "Tin bridge note"


def test_a_library_whose_folder_name_holds_uri_characters_answers(built_home, tmp_path):
    home = tmp_path / "lib #1 ?50%" / "home"
    shutil.copytree(built_home, home)
    result = run(home, "ask", "--json", QUESTION)
    assert result.exit_code == 0 and json.loads(result.output)["passages"]
    assert not (tmp_path / "lib ").exists()  # nothing made where a cut-short path points


def test_a_citation_part_ending_in_its_own_stop_takes_no_other():
    cited = Citation(
        "q",
        "What happened at the pier?",
        "Synthetic Gazette",
        "2031",
        "https://example.org/p",
        "p",
        "More:",
        None,
        None,
        0,
        9,
    )
    assert cited.text() == "What happened at the pier? Synthetic Gazette, 2031. § More: https://example.org/p"


def test_a_passage_s_run_of_blank_lines_prints_as_one(home, tmp_path):
    # A real news text holds six line breaks between paragraphs; ask printed five blank lines.
    note = tmp_path / "quay.txt"
    note.write_text("Synthetic Quay Notes\n\nThe quay of Orsk reopened in 2031.\n\n\n\n\n\nIts ferry runs hourly.\n")
    run(home, "add", str(note))
    out = run(home, "ask", "-k", "1", "When did the quay of Orsk reopen?").output
    between = out.split("reopened")[1].split("Its ferry runs hourly.")[0].splitlines()[1:]
    assert [line.strip() for line in between] == ["", ""]  # one blank line, and the next line's indent
