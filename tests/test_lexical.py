"""The full-text index and the Python side stem words alike, and an index an older citeqa built
(FTS5's porter tokeniser over the raw text) is brought up to date when questions open it.

Every passage and word here is synthetic, made up for these tests."""

from __future__ import annotations

import concurrent.futures
import json
import sqlite3
import unicodedata

import numpy as np
import pytest
from test_cli import run

from citeqa.corpus import tokens
from citeqa.corpus.model import Chunk
from citeqa.index.embed import DIMENSION
from citeqa.index.store import Store, StoredDocument
from citeqa.qa.metadata import metadata_words

# Pairs of the same word inflected differently, and of different words that share a prefix.
WORDS = [
    "agency",
    "agencies",
    "held",
    "holding",
    "hold",
    "skies",
    "sky",
    "dying",
    "die",
    "news",
    "new",
    "university",
    "universe",
    "meetings",
    "met",
    "economic",
    "economy",
    "dialogues",
    "dialogue",
    "café",
    "cafe",
    "O'Brien",
    "OBrien",
    "naïve",
    "naive",
    # British and American spellings of one word, and words that only look British.
    "licences",
    "license",
    "organisation",
    "organization",
    "colour",
    "color",
    "centre",
    "center",
    "programme",
    "program",
    "hour",
    "rise",
]

# The full-text table as citeqa made it up to schema version 2, verbatim from that migration:
# porter over the raw chunk text, an external-content table kept by triggers.
OLD_FULL_TEXT = """
DROP TRIGGER chunks_ai;
DROP TRIGGER chunks_ad;
DROP TABLE chunks_fts;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, section, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text, section) VALUES (new.rowid, new.text, new.section);
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text, section)
    VALUES ('delete', old.rowid, old.text, old.section);
END;
INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
ALTER TABLE documents DROP COLUMN page_labels;
PRAGMA user_version = 2;
"""


def _store_of_words(path, words: list[str]) -> dict[str, int]:
    """An index holding one chunk per word, in a section named after it; returns rowids by word."""
    store = Store(path)
    vector = np.zeros(DIMENSION, dtype=np.float32).tobytes()
    chunks = [Chunk(f"c{i}", "synthetic-words", i, word, 0, len(word), section=word) for i, word in enumerate(words)]
    with store.db:
        store.put_document(
            StoredDocument("synthetic-words", "words.txt", "text", None, [], None, None, None, "", "", "")
        )
        store.replace_chunks("synthetic-words", chunks, {c.id: (vector, vector) for c in chunks})
    rowids = {chunk.text: chunk.rowid for chunk in store.doc_chunks("synthetic-words")}
    store.close()
    return rowids


def test_a_word_finds_a_passage_exactly_when_the_python_stems_match(tmp_path):
    rowids = _store_of_words(tmp_path / "index.db", WORDS)
    store = Store(tmp_path / "index.db", readonly=True)
    try:
        for asked in WORDS:
            found = {rowid for rowid, _ in store.lexical_search(asked, limit=len(WORDS))}
            # What coverage and the other features compare: the Python stems of passage and question.
            held = {rowids[word] for word in WORDS if set(tokens.terms(word)) & set(tokens.terms(asked))}
            assert found == held, asked
            assert store.document_frequency(tokens.words(asked)[0]) == len(held), asked
    finally:
        store.close()
    assert tokens.stem("agencies") == tokens.stem("agency") and tokens.stem("skies") == tokens.stem("sky")
    assert tokens.stem("university") != tokens.stem("universe")
    for british, american in [("licences", "license"), ("organisation", "organization"), ("centre", "center")]:
        assert tokens.stem(british) == tokens.stem(american)
    # Nor "hour", "four" or "tour", which no British "-our" spells.
    assert [tokens.stem(w) for w in ("hour", "four", "tour")] == ["hour", "four", "tour"]
    # Words only British-looking stay apart from other words and keep their own derivations.
    for one, other in [("expertise", "expert"), ("improvise", "improve"), ("hatred", "hater"), ("timbre", "timber")]:
        assert tokens.stem(one) != tokens.stem(other), one
    for word, derived in [
        ("revise", "revision"),
        ("behaviour", "behavioural"),
        ("licence", "licencing"),
        ("arise", "arising"),
    ]:
        assert tokens.stem(word) == tokens.stem(derived), word


def test_an_index_of_the_old_stems_finds_either_spelling_after_opening(tmp_path):
    rowids = _store_of_words(tmp_path / "index.db", ["licences", "colour"])
    # As schema version 4 wrote them: the Snowball stems of the British spellings.
    db = sqlite3.connect(tmp_path / "index.db")
    with db:
        db.execute("DELETE FROM chunks_fts")
        for word, old in [("licences", "licenc"), ("colour", "colour")]:
            db.execute("INSERT INTO chunks_fts(rowid, text, section) VALUES (?, ?, ?)", (rowids[word], old, old))
        db.execute("PRAGMA user_version = 4")
    db.close()
    # Two readers bring it up to date at once: the second waits for the first, then finds it done.
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for opened in [pool.submit(lambda: Store(tmp_path / "index.db", readonly=True).close()) for _ in range(2)]:
            opened.result()
    store = Store(tmp_path / "index.db", readonly=True)
    try:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == 6
        assert [rowid for rowid, _ in store.lexical_search("license", limit=5)] == [rowids["licences"]]
        assert [rowid for rowid, _ in store.lexical_search("color", limit=5)] == [rowids["colour"]]
    finally:
        store.close()


def test_decomposed_text_is_read_in_whole_words_and_an_index_of_its_pieces_is_rewritten(home, tmp_path):
    # "Kraków" as a PDF or a Mac may write it: "o" and a combining accent.
    decomposed = unicodedata.normalize("NFD", "Kraków")
    assert tokens.words(f"the port of {decomposed}") == ["port", "kraków"]
    note = tmp_path / "port-note.md"
    note.write_text(f"# Synthetic port note\n\nThe river port of {decomposed} logged 40 barges on 3 March 2031.\n")
    assert run(home, "add", str(note)).exit_code == 0
    # As schema version 5 indexed it: the word split at its accent.
    db = sqlite3.connect(home / "index.db")
    with db:
        db.execute("UPDATE chunks_fts SET text = replace(text, 'krakow', 'krako w')")
        db.execute("PRAGMA user_version = 5")
    db.close()
    _answers_and_finds(home, "How many barges did the Kraków river port log?", "40 barges", "port-note", ["Krakow"])


def _answers_and_finds(home, question: str, answer: str, doc_id: str, words: list[str]) -> None:
    """The library opened again answers ``question`` with ``answer`` first, and each of ``words``
    alone finds a passage of ``doc_id``."""
    result = run(home, "ask", "--json", question)
    assert result.exit_code == 0, result.output
    assert answer in json.loads(result.stdout)["passages"][0]["text"]
    store = Store(home / "index.db", readonly=True)
    try:
        note_rows = {c.rowid for c in store.doc_chunks(doc_id)}
        for word in words:
            assert {rowid for rowid, _ in store.lexical_search(word, limit=5)} & note_rows, word
    finally:
        store.close()


def test_an_index_an_older_citeqa_built_answers_after_opening(home, tmp_path):
    note = tmp_path / "harbour-note.md"
    note.write_text(
        "# Synthetic harbour note\n\nThe port agency of Velmora logged clear skies over the harbour on 3 March 2031.\n"
    )
    assert run(home, "add", str(note)).exit_code == 0
    db = sqlite3.connect(home / "index.db")
    db.executescript(OLD_FULL_TEXT)
    db.close()
    # By each word alone: porter indexed "skies" as "ski", which the stem "sky" never finds.
    _answers_and_finds(
        home, "Which agencies logged a clear sky over Velmora?", "Velmora", "harbour-note", ["agencies", "sky"]
    )


@pytest.mark.parametrize(
    "name, text, held",
    [
        ("1880", "rifles of the 1880s", True),
        ("1881", "rifles of the 1880s", False),
        ("2024", "signed in 2023", False),
        ("Asian", "trade across Asia", True),
        ("Japanese", "ministers of Japan", True),
        ("Basset", "as Bassett wrote", True),
        ("Jaishanker", "Jaishankar said", True),
        ("Iran", "talks with Iraq", False),
        ("Osaka", "a meeting in Kobe", False),
        # A capital stands for its government, either way round, but not for another's.
        ("Seoul", "South Korea and Japan agreed", True),
        ("Washington", "the US side agreed", True),
        ("Korea", "officials in Seoul said", True),
        ("Tokyo", "the Japanese side agreed", True),
        ("Seoul", "Japan and China agreed", False),
        ("Kinshasa", "talks with the DRC", True),
        ("Lima", "officials in Peru said", True),
        ("Lusaka", "talks with the DRC", False),
        ("Dutch", "the Netherlands agreed", True),
        ("British", "the UK agreed", True),
        ("Swiss", "the Dutch side agreed", False),
        # The names a country goes by stand for each other, as do a capital's spellings; a capital
        # standing for two is no link between them.
        ("UK", "Britain and Japan agreed", True),
        ("America", "the US side agreed", True),
        ("Turkey", "Türkiye and Japan agreed", True),
        ("Kiev", "officials in Kyiv said", True),
        ("EU", "Belgium agreed", False),
        ("Seoul", "officials in Pyongyang said", False),
        # A small number is the word a text spells it with, and no other.
        ("2", "the economic two-plus-two talks", True),
        ("3", "the economic two-plus-two talks", False),
        ("25", "twenty-five delegates came", False),
        ("7", "seventy years old", False),
        ("1", "One of the officials said", False),
        # A digit that is no plain number is no number word either (and no error).
        ("10²", "ten square kilometres", False),
    ],
)
def test_a_name_is_found_as_written_or_as_a_close_variant_and_a_number_only_as_written(name, text, held):
    assert tokens.spelled_in(name, set(tokens.terms(text))) is held


@pytest.mark.parametrize(
    "text, forms",
    [
        ("The U.S. and the U.K. agreed.", {"us", "uk"}),
        ("It lent 10,000, then 1,200,000 yen.", {"10000", "1200000"}),
        ("The Ministry of External Affairs said so.", {"mea", "moea", "ea"}),
        # A name ends before a function word too: the Ministry of Foreign Affairs of Vell is "MOFA".
        ("Ministry of Foreign Affairs of Vell", {"mofa", "mfa", "mofaov", "mfav", "fa", "faov", "fav"}),
        ("Trade and Technology Council", {"ttc", "tatc", "tc"}),
        # A capitalised compound by its initials: "DG Trade" is the Directorate-General for Trade.
        ("Directorate-General for Trade", {"dg", "dgt", "dgft"}),
        ("a well-known Vell-based firm", set()),
        ("the regional council met on Monday", set()),
    ],
)
def test_short_forms_are_what_people_write_for_what_the_text_spells_out(text, forms):
    assert tokens.short_forms(text) == forms


def test_a_publisher_is_named_by_its_initials_whatever_the_title():
    # A headline in title case must not run into the publisher's name.
    words = metadata_words("Port Fees Cut at Regional Summit", "Plains Courier", None, None)
    assert {"pc", "plains", "courier"} <= words


@pytest.mark.parametrize(
    "text, name, held",
    [
        # The words as written, near each other: "Taipei time" and a later "times" are no paper.
        ("It began at 8:30 p.m. Taipei time. He had visited three times.", "Taipei Times", False),
        ("The Taipei Times reported it first.", "Taipei Times", True),
        # Accents and apostrophes aside, as people type names both ways.
        ("Café Babel closes in May.", "Cafe Babel", True),
        ("O’Brien said so.", "O'Brien", True),
    ],
)
def test_a_name_is_held_as_written_near_together(text, name, held):
    assert tokens.held_as_written(text, tokens.words(name)) is held
