"""Reference lists of PDF and HTML sources: each entry a block of its own and a parsed reference,
so that ``citeqa audit`` checks a paper saved as PDF or as a web page as it does a text file.

Every PDF here is a SYNTHETIC TEST FIXTURE written by tests/pdfgen.py, and every page a SYNTHETIC
TEST FIXTURE written by the test itself: made-up authors, titles and example.* URLs.
"""

from __future__ import annotations

import json

import pytest
from pdfgen import write_pdf
from test_cli import run

from citeqa.corpus import chunk_document, extract

TITLE = "Sample Cooperation in Exampleland"
BODY = [
    "1. Introduction",
    "The Ministry of Examples issued a joint statement on sample cooperation [1].",
    "",
    "Harbours in Exampleland were studied in detail by an earlier monograph [2].",
    "",
    "2. Discussion",
    "A synthetic trade corridor was described in a set of research notes [3], in two steps:",
    "1) collect",
    "2) count",
    "",
]
# name, author, date, title, url; the lines of each entry are laid out in ``_entry_lines``.
ENTRIES = [
    (1, "Ministry of Examples", "2024-03-05", "Joint statement on sample cooperation", "https://www.example.org/releases/joint-statement.html"),
    (2, "Doe, J", "2023", "Harbours and Resilience in Exampleland", None),
    (3, "Roe, R", "2022-07-01", "Notes on a synthetic trade corridor", "https://example.com/papers/corridor-notes.pdf"),
    (4, "Placeholder Institute", "2021", "A very long report title that wraps onto the next page because it is long", "https://example.net/report-2021.pdf"),
    (5, "Example Agency", None, "Shared sample database", "https://example.org/sample-database/index.html"),
]  # fmt: skip


def _entry_lines(mark: str) -> tuple[list[str], list[str]]:
    """The reference list's lines on page 2 and page 3, each entry numbered by ``mark``: one
    URL on a line of its own, one broken after a slash, one broken at a hyphen, and entry 4
    running over the page break."""
    n = mark.format
    page2 = [
        f"{n(1)} Ministry of Examples. (2024, March 5). Joint statement on sample cooperation.",
        "https://www.example.org/releases/joint-statement.html",
        f"{n(2)} Doe, J. (2023). Harbours and Resilience in Exampleland. Placeholder Press.",
        f"{n(3)} Roe, R. (2022, July 1). Notes on a synthetic trade corridor. https://example.com/papers/",
        "corridor-notes.pdf",
        f"{n(4)} Placeholder Institute. (2021). A very long report title that wraps onto the next page",
    ]
    page3 = [
        "because it is long. https://example.net/report-2021.pdf",
        f"{n(5)} Example Agency. (n.d.). Shared sample database. https://example.org/sample-",
        "database/index.html",
        "",
        ("Appendix", 14),
        "The appendix of this synthetic paper lists no further sources at all.",
    ]
    return page2, page3


def write_paper(path, mark: str = "[{}]"):
    """A three-page synthetic paper citing [1] to [5], its reference list under a "References" heading."""
    page2, page3 = _entry_lines(mark)
    page1 = [*BODY, "The Placeholder Institute reported on the resilience of ports [4]."]
    page2 = ["A shared sample database also exists for the region [5].", "", ("References", 14), *page2]
    return write_pdf(path, [page1, page2, page3], title=TITLE, author="Jane Placeholder")


def assert_entries(doc):
    got = [(r.number, r.author, r.date, r.title, r.url) for r in doc.references]
    assert got == ENTRIES


@pytest.mark.parametrize("mark", ["[{}]", "{}.", "{})"])
def test_pdf_reference_list_is_parsed_entry_by_entry(tmp_path, mark):
    doc = extract(write_paper(tmp_path / "paper.pdf", mark))
    assert_entries(doc)
    entries = [b for b in doc.blocks if b.kind == "reference"]
    assert len(entries) == 5 and {b.section for b in entries} == {"References"}
    texts = [doc.text[b.start : b.end] for b in entries]
    assert texts[0] == f"{mark.format(1)} Ministry of Examples. (2024, March 5). Joint statement on sample " + (
        "cooperation. https://www.example.org/releases/joint-statement.html"
    )
    assert texts[2].endswith("trade corridor. https://example.com/papers/corridor-notes.pdf")
    assert texts[4].endswith("https://example.org/sample-database/index.html")
    # Entry 4 starts on page 2 and ends on page 3.
    assert (doc.page_at(entries[3].start), doc.page_at(entries[3].end - 1)) == (2, 3)
    assert "onto the next page because it is long." in texts[3]
    # What is not the reference list reads as before.
    kinds = {doc.text[b.start : b.end]: (b.kind, b.section) for b in doc.blocks}
    assert kinds["1. Introduction"] == ("heading", "1 Introduction")
    assert kinds["1) collect\n2) count"] == ("list", "2 Discussion")
    assert kinds["References"] == ("heading", "References")
    assert kinds["Appendix"] == ("heading", "Appendix")
    assert kinds["The appendix of this synthetic paper lists no further sources at all."] == ("paragraph", "Appendix")
    for chunk in chunk_document(doc, "paper"):
        assert doc.text[chunk.start : chunk.end] == chunk.text
        assert chunk.kind != "reference" or chunk.section == "References"


def test_audit_checks_the_citations_of_a_pdf_source(home, tmp_path):
    added = json.loads(run(home, "add", str(write_paper(tmp_path / "paper.pdf")), "--json").output)
    (source,) = added["build"]["details"]["added"]
    result = run(home, "audit", "--source", source, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [(r["number"], r["author"], r["cited_by"], r["in_library"]) for r in report["references"]] == [
        (n, author, 1, False) for n, author, *_ in ENTRIES
    ]
    cited = {number for c in report["claims"] for number in c["references"]}
    assert cited == {1, 2, 3, 4, 5}
    assert not any(c["text"].startswith("Ministry of Examples") for c in report["claims"])
    unverifiable = [f for f in report["findings"] if f["kind"] == "missing_source"]
    assert sorted(n for f in unverifiable for n in f["references"]) == [1, 2, 3, 4, 5]


PAGE_START = (
    "<!-- SYNTHETIC TEST FIXTURE --><html><head><title>{title}</title></head><body><article>"
    "<h1>{title}</h1><h2>1. Introduction</h2>"
    "<p>The Ministry of Examples issued a joint statement on sample cooperation [1]. Harbours in Exampleland "
    "were studied in detail by an earlier monograph [2].</p>"
    "<p>A synthetic trade corridor was described in a set of research notes [3]. The Placeholder Institute "
    "reported on the resilience of ports [4], and a shared sample database exists [5].</p>"
    "<p>The corridor notes follow two steps:</p><ol><li>collect the samples</li><li>count the samples</li></ol>"
    "<h2>{heading}</h2>{entries}"
    "<h2>Notes</h2><ul><li>Every name in this page is made up.</li><li>No URL here resolves.</li></ul>"
    "<h2>About the author</h2><p>Jane Placeholder writes synthetic papers for test suites, nothing else.</p>"
    "</article></body></html>"
)
HTML_ENTRIES = [
    "Ministry of Examples. (2024, March 5). Joint statement on sample cooperation. "
    '<a href="https://www.example.org/releases/joint-statement.html">'
    "https://www.example.org/releases/joint-statement.html</a>",
    "Doe, J. (2023). <i>Harbours and Resilience in Exampleland</i>. Placeholder Press.",
    "Roe, R. (2022, July 1). Notes on a synthetic trade corridor. https://example.com/papers/corridor-notes.pdf",
    "Placeholder Institute. (2021). A very long report title that wraps onto the next page because it is long. "
    "https://example.net/report-2021.pdf",
    "Example Agency. (n.d.). Shared sample database. https://example.org/sample-database/index.html",
]


@pytest.mark.parametrize(
    "heading, entries",
    [
        ("References", "<ol>" + "".join(f"<li>{e}</li>" for e in HTML_ENTRIES) + "</ol>"),
        ("7. Bibliography", "<ul>" + "".join(f"<li>[{n}] {e}</li>" for n, e in enumerate(HTML_ENTRIES, 1)) + "</ul>"),
        ("Works cited", "".join(f"<p>[{n}] {e}</p>" for n, e in enumerate(HTML_ENTRIES, 1))),
    ],
    ids=["ol", "ul-numbered", "p-numbered"],
)
def test_html_reference_list_is_parsed_entry_by_entry(tmp_path, heading, entries):
    path = tmp_path / "paper.html"
    path.write_text(PAGE_START.format(title=TITLE, heading=heading, entries=entries), encoding="utf-8")
    doc = extract(path)
    assert_entries(doc)
    blocks = [b for b in doc.blocks if b.kind == "reference"]
    assert len(blocks) == 5 and {b.section for b in blocks} == {heading}
    first = doc.text[blocks[0].start : blocks[0].end]
    assert first.endswith(
        "Joint statement on sample cooperation. https://www.example.org/releases/joint-statement.html"
    )
    assert first.startswith("1. " if heading == "References" else "")
    # An ordered list elsewhere, and an unnumbered one even under a reference-list heading, stay lists.
    kinds = {doc.text[b.start : b.end]: b.kind for b in doc.blocks}
    assert kinds["• collect the samples\n• count the samples"] == "list"
    assert kinds["• Every name in this page is made up.\n• No URL here resolves."] == "list"
    assert kinds["Jane Placeholder writes synthetic papers for test suites, nothing else."] == "paragraph"


def test_an_ordered_reference_item_that_says_its_number_keeps_it_with_a_nested_list(tmp_path):
    # Synthetic: the item numbers itself [7] and holds a nested note.
    entry = f"[7] {HTML_ENTRIES[2]}<ul><li>a synthetic note on the entry</li></ul>"
    path = tmp_path / "paper.html"
    path.write_text(PAGE_START.format(title=TITLE, heading="References", entries=f"<ol><li>{entry}</li></ol>"))
    (reference,) = extract(path).references
    assert reference.number == 7 and reference.url == "https://example.com/papers/corridor-notes.pdf"


def test_markdown_footnote_definitions_are_a_reference_list_with_no_heading_above(tmp_path):
    # Synthetic draft: footnotes cite its sources; no "References" heading stands above them.
    draft = tmp_path / "draft.md"
    draft.write_text(
        "# A synthetic review\n\nThe Exampleland quay reopened after repairs.[^1] Its ferries sail again.[^2]\n\n"
        '[^1]: Quay Review, "Exampleland quay reopens", 18 November 2031. https://example.org/quay\n'
        '[^2]: Harbour Post, "Ferries return", 19 November 2031. https://example.org/ferries\n'
    )
    doc = extract(draft)
    assert [(r.number, r.title, r.date, r.url) for r in doc.references] == [
        (1, "Exampleland quay reopens", "2031-11-18", "https://example.org/quay"),
        (2, "Ferries return", "2031-11-19", "https://example.org/ferries"),
    ]
    # A footnote marker in running text is no definition: the paragraph stays the text's own.
    assert "The Exampleland quay reopened" in " ".join(c.text for c in chunk_document(doc, "draft"))
