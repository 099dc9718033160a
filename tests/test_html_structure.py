"""Structure of HTML pages as documentation generators and old hand-written pages lay it out:
inline code, preformatted blocks, text straight in <body>, header-link glyphs, DocBook headings,
and titles and site names. Every page here is a SYNTHETIC TEST FIXTURE written for these tests,
mimicking only the markup of the generators (Sphinx, DocBook, Texinfo, hand-written HTML)."""

from __future__ import annotations

import pytest

from citeqa.corpus import extract
from citeqa.corpus.sentences import split_sentences

PROSE = "The synthetic registry covers widgets, gadgets, and sprockets in some detail for these tests."


def page(tmp_path, body: str, head: str = "<title>Synthetic page</title>"):
    """Write a synthetic page and extract it."""
    path = tmp_path / "page.html"
    path.write_text(f"<!-- SYNTHETIC TEST FIXTURE --><html><head>{head}</head><body>{body}</body></html>")
    return extract(path)


def test_inline_code_stays_in_its_sentence_and_a_code_block_keeps_its_lines(tmp_path):
    # Texinfo-like prose with inline <code>, then a <pre> block of two lines.
    doc = page(
        tmp_path,
        f"<main><p>{PROSE}</p><p>Widgets are optional; you can check the\n<code>WIDGET_FLAG</code>\ndefine to see"
        f" whether they are built.</p><pre>widget_init (void);\n  widget_run (1);</pre><p>{PROSE}</p></main>",
    )
    assert "you can check the WIDGET_FLAG define to see whether they are built." in doc.text
    # Its indent too: in Python an indent is meaning.
    block = next(b for b in doc.blocks if "widget_init" in doc.text[b.start : b.end])
    assert doc.text[block.start : block.end] == "widget_init (void);\n  widget_run (1);"


def test_text_straight_in_body_is_kept(tmp_path):
    # An old hand-written page: a heading, then prose with no <p> around it, a few paragraphs, and
    # preformatted code whose explanations, again, sit straight in <body>.
    code = "<pre><b>\nint widget_count;\nint gadget_count;\n</b></pre><!-- -->\n"
    notes = "".join(f"<p>Note {i} on the guide. {PROSE}</p>" for i in range(4))
    doc = page(
        tmp_path,
        "<h2 align='center'>Synthetic widget guide</h2>\nPeople often ask how the <tt>widget()</tt> call should be"
        f" used. {PROSE}\n<p>\nHere is the program:\n{code}Next come the counters we keep. {PROSE}\n{code}{notes}",
    )
    assert "People often ask how the widget() call should be used." in doc.text
    assert "Next come the counters we keep." in doc.text


def test_header_link_glyphs_are_dropped_and_a_section_heading_is_not_the_title(tmp_path):
    # Sphinx-like: every heading ends in a permalink anchor holding a pilcrow, and the first <h1>
    # names a section ("Abstract"), not the document the <title> names.
    sections = "".join(
        f'<section id="s{i}"><h{level}>{name}<a class="headerlink" href="#s{i}" title="Permalink">\u00b6</a>'
        f"</h{level}><p>{name} note. {PROSE}</p></section>"
        for i, (level, name) in enumerate([(1, "Abstract"), (1, "Contents"), (2, "1. Widgets"), (2, "2. Gadgets")])
    )
    doc = page(
        tmp_path,
        f'<div class="body" role="main">{sections}</div>',
        head="<title>Synthetic Widget Policy 1.0 documentation</title>",
    )
    assert "\u00b6" not in doc.text
    assert doc.title == "Synthetic Widget Policy 1.0 documentation"
    block = next(b for b in doc.blocks if doc.text[b.start : b.end].startswith("1. Widgets note."))
    assert block.section == "1. Widgets"


@pytest.mark.parametrize(
    "h1, title, expected",
    [
        # News: the <title> adds the site's name to the headline the <h1> gives.
        ("Sprocket makers agree", "Sprocket makers agree | Daily Gear", "Sprocket makers agree"),
        # The only <h1> is the site's logo, which the <title> names after the headline.
        (
            "Daily Gear",
            "Sprocket makers agree on a common gauge | Daily Gear",
            "Sprocket makers agree on a common gauge",
        ),
        # The site's name comes first in the <title>, the headline after it.
        (
            "Joint statement on the synthetic dialogue",
            "Ministry of Examples | Joint statement on the synthetic dialogue",
            "Joint statement on the synthetic dialogue",
        ),
    ],
)
def test_the_title_is_the_headline_not_the_site_name(tmp_path, h1, title, expected):
    # Synthetic news-like pages.
    doc = page(
        tmp_path,
        f"<header><h1>{h1}</h1></header><article><p>{PROSE}</p><p>Second part. {PROSE}</p></article>",
        head=f"<title>{title}</title>",
    )
    assert doc.title == expected


@pytest.mark.parametrize(
    "body, title, expected",
    [
        # Reference docs: the <h1> names the documentation set, an <h2> the page (with a [src] link).
        (
            '<h1>Synthetic Docs v1 documentation</h1><h2>File system<a href="https://example.org/src">[src]</a></h2>',
            "File system | Synthetic Docs v1 Documentation",
            "File system",
        ),
        # mdBook: the book's name in the menu's <h1>, the chapter's in a heading wrapped in a self-link.
        (
            '<h1 class="menu-title">The Synthetic Book</h1>'
            '<main><h1 id="lint-levels"><a class="header" href="#lint-levels">Lint Levels</a></h1>',
            "Lint Levels - The Synthetic Book",
            "Lint Levels",
        ),
        # WordPress: the headline in the article's own <header>, the site's name in the <title>.
        (
            "<header><p>Synthetic Gazette</p></header><article><header><h1>Tides rise again</h1></header>",
            "Tides rise again | Synthetic Gazette",
            "Tides rise again",
        ),
        # A menu's heading that is the title's first part is the section of the site, not the page.
        (
            "<nav><h2>News</h2></nav><article><h1>Harbour dredging approved after long debate</h1>",
            "News - Harbour dredging approved after long debate - Synthetic Gazette",
            "Harbour dredging approved after long debate",
        ),
    ],
)
def test_the_title_is_the_page_s_own_when_a_heading_names_it(tmp_path, body, title, expected):
    doc = page(tmp_path, f"{body}<p>{PROSE}</p><p>Second part. {PROSE}</p>", head=f"<title>{title}</title>")
    assert doc.title == expected


def test_a_heading_wrapped_in_a_link_to_itself_is_a_section(tmp_path):
    # Synthetic mdBook-like chapter: every heading is an <a class="header"> to its own anchor.
    doc = page(
        tmp_path,
        '<div class="content"><main><h1 id="levels"><a class="header" href="#levels">Levels</a></h1>'
        f"<p>In this synthetic tool, levels are many. {PROSE}</p><ol><li>allow</li><li>deny</li></ol>"
        f'<h2 id="allow"><a class="header" href="#allow">allow</a></h2><p>Allowed. {PROSE}</p>'
        "<pre><code>run --allow</code></pre>"
        f'<h2 id="deny"><a class="header" href="#deny">deny</a></h2><p>Denied. {PROSE}</p></main></div>',
    )
    sections = {doc.text[b.start : b.end].split(".")[0]: b.section for b in doc.blocks if b.kind == "paragraph"}
    assert sections["Allowed"] == "allow" and sections["Denied"] == "deny"


def test_docbook_headings_become_sections(tmp_path):
    # DocBook-like: each section's heading sits in div.titlepage, and no element marks the content.
    def sect(i, name):
        paragraphs = "".join(f"<p>{name} point {j}. {PROSE}</p>" for j in range(3))
        return (
            f'<div class="sect1"><div class="titlepage"><div><div><h2 class="title"><a name="s{i}"></a>{name}</h2>'
            f"</div></div></div>{paragraphs}</div>"
        )

    names = ["1. Widgets", "2. Gadgets", "3. Sprockets"]
    body = "".join(sect(i, name) for i, name in enumerate(names))
    doc = page(tmp_path, f'<div class="article"><div class="titlepage"><h1>Synthetic guide</h1></div>{body}</div>')
    for name in names:
        block = next(b for b in doc.blocks if doc.text[b.start : b.end].startswith(f"{name} point 1."))
        assert block.section == name


def test_a_content_section_named_menu_or_meta_is_kept_and_a_site_menu_is_not(tmp_path):
    # Sphinx-like: a section id "menus" and a Node-like "api_metadata" note inside the main
    # content; the site's own menu, outside it, is links only.
    doc = page(
        tmp_path,
        '<div class="menu"><a href="a.html">Home</a> <a href="b.html">Downloads</a></div>'
        f'<div class="body" role="main"><section id="intro"><h1>Widgets</h1><p>{PROSE}</p></section>'
        f'<section id="menus"><h2>Menus</h2><p>The widget menu opens files. {PROSE}</p></section>'
        '<h3>widget.run()</h3><div class="api_metadata"><span>Added in: v1.2.3</span></div>'
        f"<p>Runs the widget. {PROSE}</p></div>",
    )
    assert "The widget menu opens files." in doc.text
    assert "Added in: v1.2.3" in doc.text
    assert "Downloads" not in doc.text
    block = next(b for b in doc.blocks if doc.text[b.start : b.end].startswith("The widget menu"))
    assert block.section == "Menus"


def test_anchor_headings_and_text_straight_in_a_div_are_kept(tmp_path):
    # expat-like: <h2><a name> headings, and function descriptions as text straight in a div.
    doc = page(
        tmp_path,
        f'<div><h1>Synthetic reference</h1><p>{PROSE}</p><h2><a name="make">Making widgets</a></h2>'
        '<h4>widget_make</h4><pre>int widget_make(void);</pre><div class="fcndef">Make a new widget and return'
        " its number, which the other calls of this synthetic library take as their first argument.</div>"
        '<h4>widget_free</h4><div class="fcndef">Free a widget and every gadget that it holds, after which'
        " its number may be given to a new one.<ul><li>gadgets</li></ul></div></div>",
    )
    assert "Making widgets" in [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert "Make a new widget and return its number" in doc.text
    assert "Free a widget and every gadget that it holds" in doc.text


def test_lists_in_the_table_cells_of_the_content_are_kept(tmp_path):
    # An FAQ laid out as a table whose answers hold lists.
    doc = page(
        tmp_path,
        f"<div><h1>Synthetic FAQ</h1><p>{PROSE}</p><table><tr><td><b>1.</b></td><td><b>Which widgets leak?"
        "</b></td></tr><tr><td></td><td><p>In short:</p><ul><li><p>blue widgets leak gadgets</p></li>"
        f"<li><p>red widgets never do</p></li></ul></td></tr></table><p>{PROSE}</p></div>",
    )
    assert "blue widgets leak gadgets" in doc.text
    assert "red widgets never do" in doc.text


def test_a_shell_prompt_highlighted_as_meta_stays_on_its_line(tmp_path):
    # Node-docs-like: highlight.js marks a shell prompt "$" with class "hljs-meta"; only whole
    # "meta" words of a block name content, so the code line is not split at the prompt.
    doc = page(
        tmp_path,
        f'<div id="apicontent"><h1>Synthetic CLI</h1><p>{PROSE}</p><pre><code class="language-bash">'
        '<span class="hljs-meta prompt_">$ </span><span class="bash">widget --run index.js</span>'
        f"</code></pre><p>{PROSE}</p></div>",
    )
    assert "$ widget --run index.js" in doc.text


def test_a_placeholder_inside_inline_code_stays_in_place(tmp_path):
    # DocBook-like: a placeholder is <em class="replaceable"><code>n</code></em> inside the
    # <code> of a type or command; trafilatura moved the inner code out of the outer one.
    doc = page(
        tmp_path,
        f"<div><h1>Synthetic types</h1><p>{PROSE}</p><p>The widget type is more akin to <code class='type'>"
        "varchar(<em class='replaceable'><code>n</code></em>)</code> than to <code class='type'>char(<em "
        "class='replaceable'><code>n</code></em>)</code>. <code class='literal'>WIDGET ON ( <em><code>"
        f"expression</code></em> [, ...] )</code> keeps one gadget.</p><p>{PROSE}</p></div>",
    )
    assert "more akin to varchar(n) than to char(n)." in doc.text
    assert "WIDGET ON ( expression [, ...] ) keeps one gadget." in doc.text


def test_a_superscript_number_after_a_digit_reads_as_a_power(tmp_path):
    # An exponent (also wrapped in <small>, as SQLite's pages do) keeps its meaning; a footnote
    # mark linked to its note, an ordinal and a subscript read as they did.
    doc = page(
        tmp_path,
        f"<div><h1>Synthetic limits</h1><p>{PROSE}</p><p>A widget holds up to 2<small><sup>31</sup></small>-1"
        " gadgets, timed in units of 10<sup>-9</sup> seconds, and 2<sup><small>64</small></sup> at most.</p>"
        "<p>The 2<sup>nd</sup> sprocket uses H<sub>2</sub>O, as noted in 2019<sup><a href='#fn1'>1</a></sup>"
        f" and in the registry.</p><p>{PROSE}</p></div>",
    )
    assert "up to 2^31-1 gadgets, timed in units of 10^-9 seconds, and 2^64 at most." in doc.text
    assert "The 2nd sprocket uses H2O, as noted in 2019" in doc.text and "^1" not in doc.text


def test_an_unlinked_footnote_mark_after_a_year_or_another_block_s_number_is_no_power(tmp_path):
    doc = page(
        tmp_path,
        f"<div><h1>Synthetic notes</h1><p>{PROSE}</p><p>The synthetic mill opened in 2019<sup>3</sup> and made"
        " 12 gadgets.</p><table><tr><td>Widgets 12</td><td><sup>2</sup> estimated by hand</td></tr></table>"
        f"<p>Version 12</p><p><sup>1</sup> Counted by hand.</p><p>{PROSE}</p></div>",
    )
    assert "opened in 20193 and made" in doc.text
    assert "^" not in doc.text


def test_a_code_block_in_a_list_item_keeps_its_lines(tmp_path):
    # Sphinx-like: a function's description (<dl><dd>) holds a highlighted <pre>; its lines stay
    # lines under the item, each a sentence of its own, not one run-on line.
    code = (
        '<div class="highlight"><pre><span></span><span class="k">def</span> widget_all(parts):\n'
        "    for part in parts:\n        if not part:\n            return False\n    return True\n</pre></div>"
    )
    doc = page(
        tmp_path,
        f'<div class="body" role="main"><h1>Synthetic functions</h1><p>{PROSE}</p><dl><dt>widget_all(parts)</dt>'
        f"<dd><p>Return True if every part is set. Equivalent to:</p>{code}</dd></dl><p>{PROSE}</p></div>",
    )
    code_lines = ["def widget_all(parts):", "for part in parts:", "if not part:", "return False", "return True"]
    assert "• Return True if every part is set. Equivalent to:\n  " + "\n  ".join(code_lines) in doc.text
    start = doc.text.index(code_lines[0])
    end = doc.text.index(code_lines[-1]) + len(code_lines[-1])
    assert [doc.text[a:b] for a, b in split_sentences(doc.text, start, end)] == code_lines


def test_a_list_of_cross_references_a_paragraph_announces_is_kept(tmp_path):
    # Sphinx-like release notes: lead-ins ending in ":" announce lists whose items are links to
    # the sections below; trafilatura took them for menus and kept only the lead-ins.
    def linked(anchor, text):
        return f'<li><p><a class="reference internal" href="#{anchor}"><span>{text}</span></a></p></li>'

    doc = page(
        tmp_path,
        f'<div class="body" role="main"><h1>Synthetic release notes</h1><p>{PROSE}</p><h2>Highlights</h2>'
        f'<p>New widget features:</p><ul class="simple">{linked("w1", "WEP 654: Widget groups and gadgets")}</ul>'
        '<p>New sprocket modules:</p><ul class="simple"><li><p><a href="https://example.org/wep680">WEP 680</a>: '
        '<a href="#s1"><code>sprlib</code></a> — Support for parsing <a href="https://example.org">TOML'
        f"</a> sprockets</p></li></ul><p>{PROSE}</p><h2 id='w1'>WEP 654</h2><p>{PROSE}</p></div>",
    )
    assert "New widget features:\n\n• WEP 654: Widget groups and gadgets" in doc.text
    assert "• WEP 680: sprlib — Support for parsing TOML sprockets" in doc.text


def test_a_field_list_reads_as_labelled_lines_and_names_the_authors(tmp_path):
    # Sphinx-like field list at the top of a HOWTO: each label and its value are one line, and
    # the "Author" field gives the page its authors.
    fields = (
        '<dl class="field-list simple"><dt>Author<span class="colon">:</span></dt><dd><p>Ada Widget and'
        " Bo Gadget</p></dd><dt>Release<span class='colon'>:</span></dt><dd><p>0.1</p></dd></dl>"
    )
    doc = page(tmp_path, f'<div class="body" role="main"><h1>Synthetic widget HOWTO</h1>{fields}<p>{PROSE}</p></div>')
    assert "Author: Ada Widget and Bo Gadget\n\nRelease: 0.1" in doc.text
    assert doc.authors == ["Ada Widget", "Bo Gadget"]


def test_a_field_list_s_names_on_lines_of_their_own_stay_apart_and_a_review_s_author_is_no_author(tmp_path):
    # Synthetic: two authors on lines of their own; then a book review whose fields name the work
    # under review, its author and publisher, and an FAQ list whose terms are questions.
    authors = "<dl><dt>Author:</dt><dd>Ada Widget<br>Bo Gadget</dd><dt>Version:</dt><dd>2</dd></dl>"
    doc = page(tmp_path, f"<div><h1>Synthetic widget guide</h1>{authors}<p>{PROSE}</p></div>")
    assert "Author: Ada Widget, Bo Gadget" in doc.text and doc.authors == ["Ada Widget", "Bo Gadget"]
    review = "<dl><dt>Title:</dt><dd>Gadgets of Orrin</dd><dt>Author:</dt><dd>Cy Sprocket</dd></dl>"
    faq = "<dl><dt>Is it free?</dt><dd>Yes, for every synthetic user.</dd></dl>"
    doc = page(tmp_path, f"<div><h1>Synthetic review</h1>{review}<p>{PROSE}</p>{faq}<p>{PROSE}</p></div>")
    assert doc.authors == [] and "Is it free?: Yes" not in doc.text


@pytest.mark.parametrize(
    "given, authors",
    [
        # A byline's date cut short by the extractor, an editor, a link, the same name twice.
        (["Ada Widget March"], ["Ada Widget"]),
        (["Ada Widget Edited by Bo Gadget"], ["Ada Widget"]),
        (["Ada Widget (https://example.org/ada/)", "ada widget"], ["Ada Widget"]),
        (["Ada Widget | Synthetic Review", "Bo Gadget"], ["Ada Widget", "Bo Gadget"]),
        (["Ada Widget, 5 March 2031"], ["Ada Widget"]),
        (["Ada Widget 2031-05-12"], ["Ada Widget"]),
        # A surname that is a month stays when it is not what a date left behind.
        (["Maya March"], ["Maya March"]),
        # An agency's letters and the page's publisher are no authors; names in capitals read as names.
        (["ADA WIDGET", "OSN", "Orrin Herald", "Quay Review Staff"], ["Ada Widget"]),
        (["Ada Widget", "Quay Review"], ["Ada Widget"]),
        # A role word is a surname too.
        (["Jane Q. Reporter"], ["Jane Q. Reporter"]),
    ],
)
def test_a_page_s_author_field_gives_names_only(tmp_path, given, authors):
    head = '<title>Synthetic page</title><meta property="og:site_name" content="Quay Review">' + "".join(
        f'<meta name="author" content="{a}">' for a in given
    )
    assert page(tmp_path, f"<div><h1>Synthetic column</h1><p>{PROSE}</p><p>{PROSE}</p></div>", head).authors == authors


def test_a_linked_heading_over_an_article_is_kept_and_a_quoted_table_keeps_its_rows(tmp_path):
    # A synthetic weekly: each article's heading links to the article's own page; the second
    # article quotes a statistics table in a <blockquote>; a teaser's linked heading over a line
    # of text heads no article.
    articles = "".join(
        f'<h2><a href="/Articles/{n}/">{title}</a></h2><p>By Ada Widget</p>' + f"<p>{PROSE}</p>" * 8
        for n, title in enumerate(["Widget trademark dispute", "Gadget release statistics"])
    )
    table = (
        "<blockquote><table><tr><th colspan=3>By changesets</th></tr><tr><td>Cy Sprocket</td><td>63</td>"
        "<td>16.6%</td></tr><tr><td>Di Gizmo</td><td>26</td><td>6.8%</td></tr></table></blockquote>"
    )
    # A teaser followed by a long script is still a teaser; a sparse row keeps its last cell; a
    # quoted list keeps its bullets.
    script = "<script>" + "var x = 1; " * 80 + "</script>"
    teaser = f'<h3><a href="/other/">Another synthetic column</a></h3><p>A line about it.</p>{script}'
    sparse = "<table><tr><td>Ferry</td>" + "<td></td>" * 22 + "<td>x</td></tr><tr><td>Orrin</td><td>9</td></tr></table>"
    quoted = (
        "<blockquote><p>Quoted:</p><ul><li>first synthetic item</li><li>second synthetic item</li></ul></blockquote>"
    )
    doc = page(
        tmp_path,
        f"<div><h1>Synthetic weekly</h1>{articles}<p>The committers:</p>{table}{teaser}{sparse}{quoted}<p>{PROSE}</p></div>",
    )
    sections = {b.section for b in doc.blocks}
    assert {"Widget trademark dispute", "Gadget release statistics"} <= sections
    assert "By changesets\nCy Sprocket | 63 | 16.6%\nDi Gizmo | 26 | 6.8%" in doc.text
    assert "Another synthetic column" not in sections
    assert "Ferry |" in doc.text and doc.text.count(" | ") >= 23
    assert "• first synthetic item\n• second synthetic item" in doc.text


def test_code_keeps_its_indents_whatever_else_its_pre_holds(tmp_path):
    for pre in (
        "<pre>\n<code>def f():\n    return 1</code></pre>",
        "<pre><code>def f():\n    return 1</code>\n</pre>",
        "<pre><code>def f():</code><span>\n    return 1</span></pre>",
    ):
        doc = page(tmp_path, f"<article><h1>Synthetic code</h1><p>{PROSE}</p>{pre}<p>{PROSE}</p></article>")
        assert "def f():\n    return 1" in doc.text, pre


def test_a_placeholder_date_in_the_metadata_is_no_date(tmp_path):
    # A content system's empty date ("0001-01-01T00:00:00Z"); the page's own line dates it.
    head = (
        '<title>Synthetic page</title><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Synthetic match report", "datePublished": "0001-01-01T00:00:00Z"}</script>'
    )
    doc = page(
        tmp_path, f"<div><h1>Synthetic match report</h1><p>Published 19 November 2031</p><p>{PROSE}</p></div>", head
    )
    assert doc.date == "2031-11-19"
