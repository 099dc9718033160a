"""Citation markers, citing sentences and what a marker covers, on synthetic text (invented
sentences about the fictional Exampleland, written for these tests)."""

from __future__ import annotations

from citeqa.corpus.citations import (
    MARKER_RUN,
    citing_sentences,
    covered_starts,
    flatten,
    marker_numbers,
    paragraph_around,
    reported_dates,
    stated_figures,
    strip_markers,
)
from citeqa.corpus.references import parse_reference, running_text
from citeqa.corpus.sentences import split_sentences


def cites(text: str) -> list[tuple[str, list[int], int]]:
    """``(claim, numbers, runs)`` of each citing sentence of ``text``."""
    flat = flatten(text)
    found = citing_sentences(flat, split_sentences(flat))
    return [(strip_markers(flat[c.start : c.end]), c.numbers, c.runs) for c in found]


def test_markers_plain_footnote_and_runs():
    assert marker_numbers("A [5], a footnote [^1] and a run [3][5] [^4].") == [5, 1, 3, 5, 4]
    assert [m.group(0) for m in MARKER_RUN.finditer("Trade grew [3][^4] and fell [12].")] == ["[3][^4]", "[12]"]
    # Numbers in brackets that are not markers: four digits, a word.
    assert marker_numbers("In [2024] the [a] fund grew.") == []
    assert marker_numbers("Costs fell [3, 7] and rose [2,9][4].") == [3, 7, 2, 9, 4]
    assert marker_numbers("Scaled to [0, 1], it paid [1,000].") == []


def test_a_marker_pointing_into_the_work_cites_it_and_one_in_inline_code_cites_nothing():
    assert marker_numbers("Tolls rose [2, p. 4] and fell [3, pp. 12–14] in 2031 [5, § 2].") == [2, 3, 5]
    assert cites("In the code `fleet[2] = 1` the index is no citation.") == []
    assert cites("The code `fleet[2]` set it in 2031 [3].") == [("The code `fleet[2]` set it in 2031.", [3], 1)]
    # What a dropped marker leaves empty goes with it.
    assert cites("The port opened in 2031 (see [1]).") == [("The port opened in 2031.", [1], 1)]


def test_a_marker_closing_a_clause_before_another_marker_cites_that_clause_alone():
    text = "The report counted 1.2 million passengers in 2031,[^1] while the history dates the port to 1952.[^2]"
    assert cites(text) == [
        ("The report counted 1.2 million passengers in 2031,", [1], 1),
        ("while the history dates the port to 1952.", [2], 1),
    ]
    # Markers inside one clause, or one closing the sentence, cite the sentence.
    assert cites("Trade grew [3] and fell [12].") == [("Trade grew and fell.", [3, 12], 2)]
    assert cites("Trade grew, then fell [3].") == [("Trade grew, then fell.", [3], 1)]


def test_ranges_cite_every_reference_they_span():
    # Vancouver's "[2–4]" and "[1-3, 7]", and IEEE's "[5]–[7]": each reference in between is cited.
    assert marker_numbers("Trade grew [2–4] and fell [1-3, 7].") == [2, 3, 4, 1, 2, 3, 7]
    assert marker_numbers("Costs rose [5]–[7] and [9].") == [5, 6, 7, 9]
    assert [m.group(0) for m in MARKER_RUN.finditer("Costs rose [5]–[7] and [9].")] == ["[5]–[7]", "[9]"]
    assert cites("Exports doubled in 2024 [2–3]. Imports fell.") == [("Exports doubled in 2024.", [2, 3], 1)]
    # A review's long range is one; a scale's ends, a falling pair and an aside between two
    # markers are none, and a citation beside a scale is still read.
    assert marker_numbers("Many trials found this [12–25].") == list(range(12, 26))
    assert marker_numbers("Scores were rescaled to [1–10]; pain was rated on a [1–5] scale; it ended [4-2].") == []
    assert marker_numbers("Values in the range [2–8] held [4].") == [4]
    assert marker_numbers("Pain was measured on a [1–10] visual analogue scale.") == []
    # Words that often stand near citations are no scale's: "between", "scores", a later sentence,
    # a scale that a list of references starting past 1 only sits near.
    assert marker_numbers("An association between smoking and cancer [5–8].") == [5, 6, 7, 8]
    assert marker_numbers("Pain scores decreased [3–5]. Scale-up was slow.") == [3, 4, 5]
    assert marker_numbers("Large-scale cohort studies [1–4] agree; trials [8–11] used a scale.") == [
        1,
        2,
        3,
        4,
        8,
        9,
        10,
        11,
    ]
    assert marker_numbers("Prevalence ranging from 5% to 20% [3–6] suggests a wide range of causes [7].") == [
        3,
        4,
        5,
        6,
        7,
    ]
    assert cites("Scores were rescaled to [1–10] [3]. Imports fell [4].") == [
        ("Scores were rescaled to [1–10].", [3], 1),
        ("Imports fell.", [4], 1),
    ]
    assert marker_numbers("As [2] — [5] argued.") == [2, 5]


def test_references_drop_markers_with_the_same_pattern():
    assert running_text("Trade grew [3][^4] and fell [^12].") == "Trade grew   and fell  ."


def test_a_sentence_with_markers_is_a_claim_and_one_without_is_not():
    text = "Exampleland signed the pact in May.[2] Nobody objected. Sampleonia joined later [4][^1], it said."
    assert cites(text) == [
        ("Exampleland signed the pact in May.", [2], 1),
        ("Sampleonia joined later, it said.", [4, 1], 1),
    ]


def test_a_run_opening_a_sentence_belongs_to_the_sentence_before():
    text = "Exampleland signed the pact. [5] Output rose."
    assert cites(text) == [("Exampleland signed the pact.", [5], 1)]


def test_a_run_after_a_full_stop_ends_a_sentence_the_splitter_joined():
    # "No. 5" keeps the splitter from cutting; the run after "pact." cuts it instead.
    flat = "Exampleland signed pact No. 5 in May.[3] Sampleonia agreed in June.[4]"
    found = citing_sentences(flat, [(0, len(flat))])
    assert [(flat[c.start : c.end], c.numbers) for c in found] == [
        ("Exampleland signed pact No. 5 in May.[3]", [3]),
        ("Sampleonia agreed in June.[4]", [4]),
    ]


def test_a_hard_wrapped_paragraph_is_one_run_of_sentences_and_offsets_hold():
    text = "Exampleland signed\nthe pact.[1]\n\n\tYear\tEvent [2]\n- a bullet\n- another"
    flat = flatten(text)
    assert len(flat) == len(text)
    assert flat.startswith("Exampleland signed the pact.[1]\n\n\tYear")
    assert "\n- a bullet\n- another" in flat


def test_a_paragraph_final_marker_covers_the_uncited_sentences_before_it():
    flat = "Uncited first. Cited second.[1] Uncited third. Cited fourth.[2]\n\nNew paragraph cited.[3]"
    spans = [(c.start, c.end) for c in citing_sentences(flat, split_sentences(flat))]
    starts = covered_starts(flat, spans)
    covered = [flat[start:end] for start, (_, end) in zip(starts, spans, strict=True)]
    assert covered == [
        "Uncited first. Cited second.[1]",
        " Uncited third. Cited fourth.[2]",
        "New paragraph cited.[3]",
    ]


def test_a_table_row_covers_itself_only():
    flat = "Uncited sentence before the table.\n\t2026\tThe pact was signed [1]"
    row = flat.index("\t2026")
    assert covered_starts(flat, [(row, len(flat))]) == [row]


def test_paragraph_around_a_span():
    text = "First paragraph.\n\nSecond one, with a claim.[1]\n\nThird."
    start = text.index("with")
    assert text[slice(*paragraph_around(text, start, start + 4))] == "Second one, with a claim.[1]"


def test_reported_dates_leave_out_plans():
    flat = "The plant opened on 20 June 2026. It will add a line in 2031, and it hired staff in 2025."
    found = [(written, iso) for _, written, iso in reported_dates(flat, 0, len(flat))]
    assert found == [("20 June 2026", "2026-06-20"), ("2025", "2025")]


def test_stated_figures_are_day_precise_dates_and_numbers_not_bare_years():
    assert stated_figures("On 9 May 2026 in 2026, 12 ministers signed 3.5% cuts; 12 agreed.") == [
        "2026-05-09",
        "12",
        "3.5%",
    ]


def test_a_quoted_reference_title_is_whole_however_many_full_stops_it_holds():
    entry = parse_reference(4, 'Harbour Lab. (2031). "Tides vs. Currents: A Synthetic Note". https://example.org/t')
    assert (entry.author, entry.date, entry.title) == ("Harbour Lab", "2031", "Tides vs. Currents: A Synthetic Note")
    # Quotes around a word of the title do not cut the title to that word.
    partly = parse_reference(5, 'Doe, J. (2030). "Green" steel in a synthetic port. Journal of Tests.')
    assert partly.title == '"Green" steel in a synthetic port'
    # A full stop or comma closing the title inside the quotes, as American style has it.
    closed = parse_reference(6, 'Doe, J. (2030). "Tides vs. Currents." Journal of Tests, 4.')
    assert closed.title == "Tides vs. Currents"
