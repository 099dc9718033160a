"""``citeqa audit`` and ``citeqa verify`` through the CLI, on the bundled article and on synthetic
fixtures (tests/fixtures/audit, marked SYNTHETIC TEST FIXTURE) linked to a synthetic review's
references, with the real model, SQLite and FAISS."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import run

from citeqa.corpus.references import parse_reference
from citeqa.index.library import doc_id_for
from citeqa.qa.audit_model import Claim, Support, Verdict
from citeqa.qa.findings import claim_findings
from citeqa.qa.support import SUPPORTED, WEAK

# ministry_release.html: its slug, ministry-release, does not reproduce the name, so the id has a hash suffix.
MINISTRY = doc_id_for("ministry_release.html")

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = "sahoo-2026-economic-security-as-strategic-diplomacy"


def test_audit_of_the_bundled_article_counts_markers_claims_and_references(home):
    result = run(home, "audit", "--json")
    report = json.loads(result.output)
    counts = report["counts"]
    # Counted by reading the article: 42 markers ([5], [^1] ...) in 27 runs such as [5][3][^4].
    assert (report["markers"], counts["marker_runs"], counts["claims"]) == (42, 27, 27)
    assert (counts["references"], counts["references_cited"], counts["references_never_cited"]) == (10, 5, 5)
    cited_by = {r["number"]: r["cited_by"] for r in report["references"]}
    assert cited_by == {1: 3, 2: 6, 3: 10, 4: 4, 5: 19, 6: 0, 7: 0, 8: 0, 9: 0, 10: 0}
    kinds = [(f["kind"], f["references"]) for f in report["findings"]]
    assert [r for k, r in kinds if k == "uncited_reference"] == [[6], [7], [8], [9], [10]]
    assert not [k for k, _ in kinds if k == "dangling_marker"]
    # Reference [1], the MEA release, is dated 10 May 2026; the article dates the dialogue 11 May.
    (temporal,) = [f for f in report["findings"] if f["kind"] == "temporal"]
    assert temporal["references"] == [1]
    assert "11 May 2026" in temporal["claim"] and "2026-05-10" in temporal["detail"]
    # Nothing the article cites is in the library: every claim is unverifiable, [5] to fetch first.
    assert {c["verdict"] for c in report["claims"]} == {"unverifiable"}
    missing = [f["references"][0] for f in report["findings"] if f["kind"] == "missing_source"]
    assert missing == [5, 3, 2, 4, 1]
    assert result.exit_code == 1  # a temporal inconsistency needs attention


def test_a_marker_at_a_paragraph_end_and_a_mid_sentence_run_are_claims(home):
    claims = json.loads(run(home, "audit", "--json").output)["claims"]
    texts = {c["text"]: c for c in claims}
    run_claim = next(c for t, c in texts.items() if t.startswith("This perspective underscores"))
    assert run_claim["references"] == [5, 3, 4]
    assert run_claim["section"] == "2.1 Economic security in international relations theory"
    table_row = next(c for t, c in texts.items() if t.startswith("2026 Second Economic Security Dialogue"))
    assert table_row["references"] == [1, 5]


def test_terminal_report_puts_counts_first(home):
    lines = run(home, "audit").output.splitlines()
    assert lines[1].strip() == "42 citation markers in 27 runs; 27 claims"
    assert lines[2].strip() == "10 references: 5 cited, 5 never cited, 0 in the library"
    assert any(line.strip().startswith("temporal") for line in lines)


@pytest.fixture(scope="module")
def synthetic_home(built_home, tmp_path_factory):
    """A library of a synthetic review and sources linked to three of its five references."""
    home = tmp_path_factory.mktemp("audit") / "home"
    shutil.copytree(built_home, home)
    run(home, "remove", ARTICLE)
    audit = FIXTURES / "audit"
    run(home, "add", str(audit / "synthetic-review.md"), str(FIXTURES / "html" / "ministry_release.html"))
    run(home, "add", str(audit / "weather-note.md"), "--ref", "synthetic-review:2")
    run(home, "add", str(audit / "laboratory-plans.md"), "--ref", "synthetic-review:3")
    return home


@pytest.fixture(scope="module")
def synthetic_report(synthetic_home):
    result = run(synthetic_home, "audit", "--source", "synthetic-review", "--json")
    assert result.exit_code == 1
    return json.loads(result.output)


def claim(report, start):
    return next(c for c in report["claims"] if c["text"].startswith(start))


def findings(report, kind):
    return [f for f in report["findings"] if f["kind"] == kind]


def test_the_cited_source_supports_the_claim(synthetic_report):
    supported = claim(synthetic_report, "The third round")
    assert supported["verdict"] == "supported"
    assert supported["support"]["source_id"] == MINISTRY
    assert "held in Port Example on 9 May 2026" in supported["support"]["sentence"]


def test_the_cited_source_does_not_support_it_but_another_does(synthetic_report):
    lunar = claim(synthetic_report, "The delegations also signed a treaty on lunar mining")
    assert lunar["verdict"] == "not_found" and lunar["suggestion"] is None
    reviewed = claim(synthetic_report, "Both sides reviewed progress")
    assert reviewed["verdict"] == "not_found"
    assert reviewed["suggestion"]["source_id"] == MINISTRY
    better = [f for f in findings(synthetic_report, "better_source") if f["claim"] == reviewed["text"]]
    assert better and better[0]["references"] == [2]


def test_a_claim_whose_source_is_missing_is_unverifiable_and_grouped(synthetic_report):
    forum = claim(synthetic_report, "A business forum issued recommendations")
    assert forum["verdict"] == "unverifiable"
    (missing,) = findings(synthetic_report, "missing_source")
    assert missing["references"] == [4] and missing["detail"].startswith("2 claim(s) cite [4]")


def test_an_event_dated_after_the_cited_source_is_flagged_but_a_plan_is_not(synthetic_report):
    (temporal,) = findings(synthetic_report, "temporal")
    assert temporal["references"] == [3]
    assert "20 June 2026" in temporal["detail"] and "2031" not in temporal["detail"]
    # The source announced the lab but not the June date: support is weak, and says why.
    lab = claim(synthetic_report, "Sampleonia will open a test laboratory")
    assert lab["verdict"] == "weak" and lab["support"]["missing"] == ["2026-06-20"]


def test_a_wrong_date_or_a_partial_match_is_weak_and_a_source_citing_nothing_found_is_not_found(home, tmp_path):
    review = tmp_path / "verdict-review.md"
    review.write_text(
        "# A review for verdicts (synthetic test fixture)\n\n"
        "## Body\n\n"
        "The third round of the Exampleland-Sampleonia Supply Chain Dialogue was held in Port Example"
        " on 8 May 2026.[1]\n\n"
        "Sampleonia will open a test laboratory and a training academy for engineers.[2]\n\n"
        "Sampleonia will build a lunar mining base.[2]\n\n"
        "## References\n\n"
        "- [1] Example Ministry. (2026, May 10). *Joint Statement*. https://example.org/press-releases/38000/joint-statement\n"
        "- [2] Example Institute. (2026, April 1). *Laboratory plans*. https://example.org/laboratory-plans\n"
    )
    run(home, "add", str(review), str(FIXTURES / "html" / "ministry_release.html"))
    run(home, "add", str(FIXTURES / "audit" / "laboratory-plans.md"), "--ref", "verdict-review:2")
    report = json.loads(run(home, "audit", "--source", "verdict-review", "--json").output)
    # The release holds the sentence with 9 May: it scores as supported, but the date caps it.
    dated = claim(report, "The third round")
    assert dated["verdict"] == "weak" and dated["support"]["missing"] == ["2026-05-08"]
    assert dated["support"]["score"] >= SUPPORTED
    # The plans announce the laboratory but not the academy: a partial match, no figure missing.
    partial = claim(report, "Sampleonia will open a test laboratory")
    assert partial["verdict"] == "weak" and partial["support"]["missing"] == []
    assert WEAK <= partial["support"]["score"] < SUPPORTED
    assert claim(report, "Sampleonia will build a lunar")["verdict"] == "not_found"
    assert report["counts"]["verdicts"] == {"supported": 0, "weak": 2, "not_found": 1, "unverifiable": 0}


def test_without_source_the_audit_takes_the_only_source_with_references_bundled_or_not(synthetic_home, home, tmp_path):
    # The bundled article is gone from the synthetic library: its one reference list is audited.
    report = json.loads(run(synthetic_home, "audit", "--json").output)
    assert report["source"] == "synthetic-review"
    # Beside the bundled article, another reference list makes the choice the user's.
    run(home, "add", str(FIXTURES / "audit" / "synthetic-review.md"))
    result = run(home, "audit", "--json")
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: several sources have reference lists; choose one with --source ({ARTICLE}, synthetic-review)"
    )


def test_dangling_and_uncited_references(synthetic_report):
    assert [f["references"] for f in findings(synthetic_report, "dangling_marker")] == [[9]]
    assert [f["references"] for f in findings(synthetic_report, "uncited_reference")] == [[5]]


def test_html_report_highlights_claims_and_links_markers(synthetic_home, tmp_path):
    page = tmp_path / "audit.html"
    run(synthetic_home, "audit", "--source", "synthetic-review", "--format", "html", "-o", str(page))
    html = page.read_text()
    assert "<span class='claim supported'" in html and "<span class='claim not_found'" in html
    assert "<span class='claim unverifiable'" in html and "<span class='claim weak temporal'" in html
    assert "href='#ref-1'" in html and "id='ref-1'" in html
    assert "<script" not in html and "http-equiv" not in html  # self-contained, nothing to fetch


def test_html_report_renders_in_headless_chromium(synthetic_home, tmp_path, chromium):
    page, png = tmp_path / "audit.html", tmp_path / "audit.png"
    run(synthetic_home, "audit", "--source", "synthetic-review", "--format", "html", "-o", str(page))
    script = Path(__file__).parent.parent / "scripts" / "screenshot_audit.py"
    done = subprocess.run(
        [sys.executable, str(script), str(page), str(png), "--height", "1200"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_markdown_report_lists_findings_and_claims(synthetic_home):
    text = run(synthetic_home, "audit", "--source", "synthetic-review", "--format", "markdown").output
    assert text.startswith("# Citation audit: A synthetic review")
    assert "- **temporal** [3]:" in text
    assert "| 4 | Example Gazette: [Forum report](https://example.org/forum-report) | n.d. | 2 | no |" in text


def test_audit_of_an_unknown_source_is_a_one_line_error(home):
    result = run(home, "audit", "--source", "nope")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no source 'nope' in the library (see 'citeqa sources')"


def test_verify_reports_unchanged_moved_changed_and_disappeared(home, tmp_path):
    run(home, "add", str(FIXTURES / "html" / "news_article.html"), str(FIXTURES / "audit" / "laboratory-plans.md"))
    answers = tmp_path / "answers.jsonl"
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "When could the first pilot line of the packaging plant open?\nWhen will Sampleonia open a test laboratory?\n"
    )
    answers.write_text(run(home, "ask", "--json", "-k", "1", "--questions", str(questions)).output)
    verified = run(home, "verify", str(answers))
    # Each line says which answer it checks: a file holds several.
    assert verified.exit_code == 0 and "[When will Sampleonia open a test laboratory?] #1" in verified.output
    # The passages stand, but a citation saved with them now names another title.
    run(home, "add", str(home / "sources" / "laboratory-plans.md"), "--title", "Synthetic laboratory plans, revised")
    checks = json.loads(run(home, "verify", "--json", str(answers)).stdout)
    assert checks[1]["status"] == "metadata" and [c["id"] for c in checks] == [None, None]
    assert (
        "the passage stands; its citation changed: title" in checks[1]["detail"]
        and "'Synthetic laboratory plans, revised'" in checks[1]["detail"]
    )

    saved = home / "sources" / "news_article.html"
    page = saved.read_text()
    opening = "<p>Exampleland and Sampleonia on Saturday"
    saved.write_text(page.replace(opening, f"<p>An added opening paragraph of the synthetic fixture.</p>{opening}"))
    run(home, "build")
    checks = json.loads(run(home, "verify", "--json", str(answers)).output)
    assert [c["status"] for c in checks] == ["moved", "metadata"]

    saved.write_text(page.replace("a first pilot line could open in 2028", "a first pilot line could open in 2029"))
    run(home, "remove", "laboratory-plans")
    result = run(home, "verify", "--json", str(answers))
    assert [c["status"] for c in json.loads(result.output)] == ["changed", "disappeared"]
    assert result.exit_code == 1


def test_verify_names_each_answer_by_the_id_its_question_had(home, tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"id": "q7", "question": "Who co-chaired the dialogue?"}\n{"id": 8, "question": "Where?"}\n')
    answers = tmp_path / "answers.jsonl"
    answers.write_text(run(home, "ask", "--json", "-k", "1", "--questions", str(questions)).output)
    assert [c["id"] for c in json.loads(run(home, "verify", "--json", str(answers)).output)] == ["q7", "8"]
    assert "[q7] #1" in run(home, "verify", str(answers)).output


@pytest.mark.parametrize(
    "content, reason",
    [
        ("{not json", "not JSON from 'citeqa ask --json' (line 1"),
        ('{"passages": "abc"}', "not JSON from 'citeqa ask --json' (no 'passages' list)"),
        ('{"passages": [{"text": "x"}]}', "answer 1 has a passage without source id, text and start/end offsets"),
    ],
)
def test_verify_refuses_a_file_that_is_not_an_answer(home, tmp_path, content, reason):
    bad = tmp_path / "notes.json"
    bad.write_text(content)
    result = run(home, "verify", str(bad))
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"Error: {bad}: {reason}")
    assert len(result.output.strip().splitlines()) == 1


def test_wrapped_lines_runs_opening_a_sentence_and_unknown_markers(home, tmp_path):
    review = tmp_path / "edge-review.md"
    review.write_text(
        "# An edge-case review (synthetic test fixture)\n\n"
        "## Body\n\n"
        "Sampleonia will open its plant on\n20 June 2026. Output is expected to rise.[1]\n\n"
        "An uncited opening sentence here. [2] Another sentence follows without a marker.\n\n"
        "The plant opened on 20 June 2026.[1][9]\n\n"
        "## References\n\n"
        "- [1] Example Ministry. (2026, May 10). *Release one*. https://example.org/one\n"
        "- [2] Example Ministry. (2026, May 11). *Release two*. https://example.org/two\n"
    )
    run(home, "add", str(review))
    report = json.loads(run(home, "audit", "--source", "edge-review", "--json").output)
    claims = {c["text"]: c["references"] for c in report["claims"]}
    assert claims == {
        "Output is expected to rise.": [1],
        "An uncited opening sentence here.": [2],
        "The plant opened on 20 June 2026.": [1, 9],
    }
    kinds = [(f["kind"], f["references"]) for f in report["findings"]]
    # A hard-wrapped "will open … on 20 June" is a plan; a claim citing an unlisted [9] cannot be
    # dated against it; neither is a temporal finding, and neither crashes the audit.
    assert ("dangling_marker", [9]) in kinds
    assert not [k for k, _ in kinds if k == "temporal"]


def test_a_range_of_markers_cites_each_reference_it_spans(home, tmp_path):
    review = tmp_path / "range-review.md"
    review.write_text(
        "# A review citing ranges (synthetic test fixture)\n\n"
        "## Body\n\n"
        "Both ministries met twice in 2026 [1–3]. They agreed to meet again [1]–[2].\n\n"
        "## References\n\n"
        + "".join(
            f"- [{n}] Example Ministry. (2026, May {n}). *Release {n}*. https://example.org/{n}\n" for n in (1, 2, 3)
        )
    )
    run(home, "add", str(review))
    report = json.loads(run(home, "audit", "--source", "range-review", "--json").output)
    claims = {c["text"]: c["references"] for c in report["claims"]}
    assert claims == {"Both ministries met twice in 2026.": [1, 2, 3], "They agreed to meet again.": [1, 2]}
    assert not [f for f in report["findings"] if f["kind"] in ("dangling_marker", "uncited_reference")]


def test_json_and_format_together_is_a_usage_error(home):
    result = run(home, "audit", "--json", "--format", "html")
    assert result.exit_code == 2 and "--json and --format are alternatives" in result.output


def test_a_claim_dated_after_an_undated_entry_s_library_source_is_flagged(home, tmp_path):
    # Synthetic: the entry gives no date the parser reads, but the source linked to it is dated
    # in the library; a claim about 2035 citing it is dated after it.
    run(home, "remove", ARTICLE)
    note = tmp_path / "quay-note.md"
    note.write_text("Synthetic note. The Orrin quay reopened after repairs to its outer wall.\n")
    assert run(home, "add", str(note), "--date", "2031-05-04", "--url", "https://example.org/quay").exit_code == 0
    review = tmp_path / "review.md"
    review.write_text(
        "# A synthetic review\n\nThis synthetic review follows the Orrin quay works through years of repairs and "
        "inspections by the harbour office.\n\nIn March 2035, the Orrin quay reopened after repairs [1].\n\n"
        "## References\n\n"
        "1. Harbour Office. Orrin quay note. https://example.org/quay\n"
    )
    assert run(home, "add", str(review)).exit_code == 0
    report = json.loads(run(home, "audit", "--source", "review", "--json").output)
    (late,) = findings(report, "temporal")
    assert "2035" in late["detail"] and "2031-05-04" in late["detail"]


def test_reference_dates_are_read_in_the_forms_reference_lists_write_them():
    for raw, date, title in [
        (
            'Quay Review. "Orrin quay reopens." 18 November 2031. https://example.org/a',
            "2031-11-18",
            "Orrin quay reopens",
        ),
        ("Quay Review (Nov. 18, 2031). Orrin quay reopens. https://example.org/b", "2031-11-18", "Orrin quay reopens"),
        ("Quay Review (2031-11-18). Orrin quay reopens. https://example.org/c", "2031-11-18", "Orrin quay reopens"),
        ("Quay Review (n.d.). Orrin quay reopens. https://example.org/d", None, "Orrin quay reopens"),
        # A year in a title is the title's, a date in it too; an access date is no publication's.
        ("Quay Review. The 2031 Review of Quays. https://example.org/e", None, "The 2031 Review of Quays"),
        ('Quay Review. "The March 2030 Flood." Harbour Post, 5 June 2031.', "2031-06-05", "The March 2030 Flood"),
        ("Quay Review. Orrin quay reopens. Accessed 12 May 2032. https://example.org/f", None, "Orrin quay reopens"),
        # An author's second work of a year, and a bracket that is no date.
        ("Quay Review (2031b). Orrin quay reopens.", "2031", "Orrin quay reopens"),
    ]:
        entry = parse_reference(1, raw)
        assert (entry.author, entry.date, entry.title) == ("Quay Review", date, title)


def test_a_long_cited_sentence_is_quoted_to_a_word_and_marked_as_cut():
    sentence = "The authority said that " + "ferries from private operators " * 8 + "will carry more."
    claim = Claim(
        "The harbour has ferries.", None, 0, 24, 0, [1], Verdict.NOT_FOUND, Support("annual", sentence, 0, 9, 0.4)
    )
    (finding,) = claim_findings("The harbour has ferries. [1]", [claim], [])
    quoted = finding.detail.split('best: "', 1)[1].split('", score')[0]
    # Cut after a whole word, not mid-word ("from private operato"), and marked as cut.
    assert quoted.endswith("…") and len(quoted) <= 161 and sentence.startswith(quoted[:-1])
    assert sentence[len(quoted) - 1] == " "
