"""A web page's metadata: publisher, authors and title as a citation names them, from synthetic
pages written for these tests (each marked SYNTHETIC TEST FIXTURE in its text)."""

from __future__ import annotations

import pytest

from citeqa.corpus import extract

PROSE = "SYNTHETIC TEST FIXTURE. The ministry said the talks covered minerals, chips, and energy in detail today."


def article(tmp_path, head: str):
    """Extract a synthetic page of one paragraph whose <head> holds ``head``."""
    path = tmp_path / "page.html"
    path.write_text(f"<html><head>{head}</head><body><main><p>{PROSE}</p></main></body></html>")
    return extract(path)


@pytest.mark.parametrize(
    "ld",
    [
        '{"@type": "NewsArticle", "headline": ["H1", "H2"], "publisher": [{"name": "X"}], "datePublished": "2026-05-10"}',
        '{"@type": "NewsArticle", "headline": "H1", "author": {"@type": "Person", "name": null}, "url": {"@id": "https://x.example"}}',
        '{"@type": "NewsArticle", "headline": "H1", "publisher": {"@id": ["x"]}, "author": {"@id": {"a": 1}}}',
        '{"@type": "NewsArticle", "headline": "H1", "about": ' + "[" * 600 + "]" * 600 + "}",
    ],
)
def test_odd_json_ld_never_breaks_extraction(tmp_path, ld):
    doc = article(tmp_path, f'<script type="application/ld+json">{ld}</script>')
    assert doc.title == "H1" and doc.authors == []


@pytest.mark.parametrize(
    "head, publisher, authors",
    [
        # The article names its publisher by an address that another JSON-LD script names.
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H1", '
            '"publisher": {"@id": "https://news.example.com/"}}</script>'
            '<script type="application/ld+json">{"@type": "Organization", "@id": "https://news.example.com/", '
            '"name": "Example News"}</script>',
            "Example News",
            [],
        ),
        # An address, a handle or a copyright line in a name field names no publisher; the next field does.
        (
            '<meta property="og:site_name" content="https://www.example.com"><meta name="publisher" content="Example Post">',
            "Example Post",
            [],
        ),
        # (trafilatura reads a handle as the name it stands for.)
        ('<meta property="og:site_name" content="@examplepost">', "Examplepost", []),
        ('<meta property="og:site_name" content="Copyright 2014">', None, []),
        # Writers typed as people in JSON-LD (inline, or in a graph by their "@id"), not the site's
        # owner in the author tag.
        (
            '<meta name="author" content="Example Media Group"><script type="application/ld+json">{"@graph": ['
            '{"@type": "NewsArticle", "headline": "H1", "author": {"@id": "#ann"}}, '
            '{"@type": ["Person"], "@id": "#ann", "name": "Ann Lee"}]}</script>',
            None,
            ["Ann Lee"],
        ),
        # A copyright line names no publisher; a name that opens with the word does.
        ('<meta property="og:site_name" content="Copyright Clearance Center">', "Copyright Clearance Center", []),
        (
            '<meta name="author" content="Example Media Group"><script type="application/ld+json">{"@type": '
            '"NewsArticle", "headline": "H1", "author": [{"@type": "Person", "name": "Ann Lee"}]}</script>',
            None,
            ["Ann Lee"],
        ),
    ],
)
def test_publisher_and_authors_are_names_not_addresses_or_the_sites_owner(tmp_path, head, publisher, authors):
    doc = article(tmp_path, head)
    assert doc.publisher == publisher and doc.authors == authors


@pytest.mark.parametrize(
    "author, publisher, authors",
    [
        ("Vera Example, Futurist", "Example Alert", ["Vera Example"]),
        ("NED SAMPLE, AP Synthetic Writer", "Example Post", ["Ned Sample"]),
        ("Ria Demo, MS, RD", "Example Health", ["Ria Demo"]),
        ("Bo Trial, Example Business", "Example", ["Bo Trial"]),
        # A second name, a list of names, and a surname first are names.
        ("Ann Lee, Bo Kim", "Example Post", ["Ann Lee, Bo Kim"]),
        ("A. Writer, B. Writer and C. de Souza", "Example Post", ["A. Writer, B. Writer and C. de Souza"]),
        ("Lee, Ann", "Example Post", ["Lee, Ann"]),
        ("van der Berg, Anna", "Example Post", ["van der Berg, Anna"]),
        ("Ann Lee, Bo Kim and Cy Day", "Arts and Letters Daily", ["Ann Lee, Bo Kim and Cy Day"]),
        ("Martin Luther Example, Jr.", "Example Post", ["Martin Luther Example, Jr."]),
        # Names of calendar words are names.
        ("Sun Jun", "Example Post", ["Sun Jun"]),
        # What is left of a date after the name is no part of it, nor a name of its own.
        ("Jeff Example Monday; November", "Example Review", ["Jeff Example"]),
    ],
)
def test_an_author_tag_s_affiliation_after_a_comma_is_no_part_of_the_name(tmp_path, author, publisher, authors):
    tags = "".join(f'<meta name="author" content="{a.strip()}">' for a in author.split(";"))
    assert article(tmp_path, f'{tags}<meta property="og:site_name" content="{publisher}">').authors == authors


@pytest.mark.parametrize(
    "title, publisher, cited",
    [
        ("Harbour gadgets of 2031 | Example Tech", "Example Tech", "Harbour gadgets of 2031"),
        ("Tide tables move - ExampleNews.com", "ExampleNews.com", "Tide tables move"),
        ("The view on tides | Editorial", "Example Post", "The view on tides | Editorial"),
        ("Ferries run late - Example Wire", "Example Post", "Ferries run late - Example Wire"),
        ("Tide tables - part one - Example News", "Example News", "Tide tables - part one"),
    ],
)
def test_the_site_s_name_after_a_title_is_left_to_the_publisher(tmp_path, title, publisher, cited):
    doc = article(
        tmp_path, f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="{publisher}">'
    )
    assert (doc.title, doc.publisher) == (cited, publisher)


def test_a_scholarly_page_s_citation_authors_keep_the_given_name_after_the_comma(tmp_path):
    doc = article(
        tmp_path,
        '<meta name="citation_author" content="Le Roux, Jean"><meta name="citation_author" '
        'content="Example Smith, Ann"><meta property="og:site_name" content="Example Journal">',
    )
    assert doc.authors == ["Le Roux, Jean", "Example Smith, Ann"]
