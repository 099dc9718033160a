"""A source's authors: cited, answering who wrote it, and naming it. The page and texts are
synthetic, written for these tests; none is from an evaluation set."""

from __future__ import annotations

from synthetic import synthetic_library

from citeqa.corpus.text import parse_text, read_text
from citeqa.index.library import Metadata
from citeqa.qa.answer import Asker


def test_a_page_s_authors_are_cited_and_answer_who_wrote_it(tmp_path, embedder):
    # A synthetic web page whose byline is only in its metadata, as most news sites give it.
    page = (
        "<!-- SYNTHETIC TEST FIXTURE --><html><head><title>Lighthouse keepers return to Orrin</title>"
        '<meta name="author" content="Tomas Brede"><meta name="author" content="Tomas Brede"></head><body>'
        "<article><h1>Lighthouse keepers return to Orrin</h1><p>The Orrin lighthouse will be staffed again "
        "from next spring, the harbour board said, after twelve years of automatic operation.</p><p>Two "
        "keepers will live on the island in turns of two weeks and log passing ships by hand.</p></article>"
        "</body></html>"
    )
    fares = "The harbour chair, Lena Brede, said ferry fares to the island will rise in May 2032.\n"
    sources = {"lighthouse.html": (Metadata(publisher="Quay Review"), page), "fares.txt": (Metadata(), fares)}
    library = synthetic_library(tmp_path, sources, embedder, bundled=False)
    assert {s.id: s.authors for s in library.sources()}["lighthouse"] == ["Tomas Brede"]
    with Asker(library, embedder) as asker:
        answer = asker.ask("Who wrote the Quay Review article?")
        assert not answer.abstained
        top = answer.passages[0]
        assert top.citation.text().startswith("Tomas Brede. Lighthouse keepers return to Orrin. Quay Review")
        assert top.to_dict()["source"]["authors"] == ["Tomas Brede"]
        # Its text names no one: without the metadata, no byline would answer.
        assert "Brede" not in top.text
        # Named by its author, it is a source the library holds.
        named = asker.ask("According to Tomas Brede, how long will each keeper stay on the island?")
        assert not named.abstained and "two weeks" in named.passages[0].highlight
        # A surname alone is not the author's: the Brede quoted elsewhere is meant.
        quoted = asker.ask("According to Brede, when will ferry fares rise?")
        assert not quoted.abstained and "May 2032" in quoted.passages[0].highlight


def test_a_byline_s_outlet_and_role_and_an_outlet_line_are_no_authors(tmp_path):
    byline = tmp_path / "byline.txt"
    byline.write_text(
        "Orsk harbour reopens after storm\n\nBy Ann Widget, Bo Quill, Orsk Herald, Staff Reporter\n\n"
        "The synthetic harbour of Orsk reopened on Monday after a week of repairs to its sea wall.\n"
    )
    outlet = tmp_path / "outlet.txt"
    outlet.write_text(
        "Orsk harbour reopens after storm\n\nHarbour Daily\n\nOrsk (SPX) Jul 01, 2031\n\n"
        "The synthetic harbour of Orsk reopened on Monday after a week of repairs to its sea wall.\n"
    )
    assert read_text(byline).authors == ["Ann Widget", "Bo Quill"]
    assert read_text(outlet).authors == []
    # A wire story on another site: "Written by ... for <agency>", and the editor after a semicolon.
    written = tmp_path / "written.txt"
    written.write_text(
        "Orsk harbour reopens after storm\n\nJuly 1, 2031\n\n"
        "Written by Ann Widget, Bo Quill and Cy Ng for Orrin Wire ->\n\n"
        "The synthetic harbour of Orsk reopened on Monday after a week of repairs to its sea wall.\n"
    )
    assert read_text(written).authors == ["Ann Widget", "Bo Quill", "Cy Ng"]
    for byline in ("; Editing by Di Lamb", ", edited by Di Lamb", " for the Orrin Times"):
        edited = tmp_path / "edited.txt"
        edited.write_text(written.read_text().replace(" for Orrin Wire ->", byline))
        assert read_text(edited).authors == ["Ann Widget", "Bo Quill", "Cy Ng"], byline
    # A body reports, and names no person.
    for body in ("The Ministry of Orrin Affairs", "Associated Press", "Press Trust of Orrin"):
        reported = tmp_path / "reported.txt"
        reported.write_text(
            written.read_text().replace(
                "Written by Ann Widget, Bo Quill and Cy Ng for Orrin Wire ->", f"Reported by {body}"
            )
        )
        assert read_text(reported).authors == [], body


def test_a_wire_story_s_byline_names_its_writer_who_names_the_source_with_its_agency(tmp_path, embedder):
    # Synthetic wire copy on another outlet's site: "By ... (Orrin Wire) -" opens its first
    # paragraph; the library holds another story from the agency itself, on something else.
    wire = (
        "Orrin probe lifts off\n\nBy Tova Lind (Orrin Wire) - A synthetic probe lifted off from Orrin on "
        "Saturday. It will map the dark side of the synthetic moon for six years.\n"
    )
    rates = "Orrin bank holds rates\n\nThe synthetic bank of Orrin held its rate at 2 percent on Monday.\n"
    sources = {
        "probe.txt": (Metadata(publisher="Quay Review"), wire),
        "rates.txt": (Metadata(publisher="Orrin Wire"), rates),
    }
    library = synthetic_library(tmp_path, sources, embedder, bundled=False)
    assert {s.id: s.authors for s in library.sources()}["probe"] == ["Tova Lind"]
    with Asker(library, embedder) as asker:
        answer = asker.ask("In Tova Lind's Orrin Wire story, how long will the probe map the moon?")
        assert not answer.abstained and "six years" in answer.passages[0].highlight


def test_a_dateline_of_any_listed_country_names_no_author():
    # Zambia, Chile and Kazakhstan joined the countries a dateline's place is read against.
    for dateline in ("LUSAKA, Zambia", "SANTIAGO, Chile", "ASTANA, Kazakhstan"):
        doc = parse_text(f"Copper line approved today\n\n{dateline}\n\nThe line will carry ore to the port.\n", "x.txt")
        assert doc.authors == [], dateline


def test_an_author_field_s_words_before_the_name_and_role_after_it_are_no_part_of_it():
    from citeqa.corpus.frontmatter import people

    fields = ["Analysis by Ann Example, Synthetic Editor-at-large", "By Ben Sample", "Cai Demo, Staff Writer"]
    assert people(fields) == ["Ann Example", "Ben Sample", "Cai Demo"]
    # A surname that is a role word stays: "Writer" is a name here.
    assert people(["A. Writer, B. Writer and C. de Souza"]) == ["A. Writer, B. Writer and C. de Souza"]


def test_where_a_byline_s_writers_filed_from_is_no_part_of_their_names(tmp_path):
    filed = tmp_path / "filed.txt"
    filed.write_text(
        "Orsk harbour reopens after storm\n\nBy ANN WIDGET IN ORSK AND BO QUILL IN NEW ORRIN\n\n"
        "The synthetic harbour of Orsk reopened on Monday after a week of repairs to its sea wall.\n"
    )
    assert read_text(filed).authors == ["Ann Widget", "Bo Quill"]
    filed.write_text(filed.read_text().replace("ANN WIDGET IN ORSK AND BO QUILL IN NEW ORRIN", "Cy Ng in Île-de-Orsk"))
    assert read_text(filed).authors == ["Cy Ng"]
    # An outlet filing from a place is no person called by the outlet's name.
    filed.write_text(filed.read_text().replace("Cy Ng in Île-de-Orsk", "Orrinwire in Orsk"))
    assert read_text(filed).authors != ["Orrinwire"]
