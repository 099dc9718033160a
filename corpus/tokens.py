"""Words for lexical matching: the same tokenisation for indexing, searching and overlap tests."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

import Stemmer

from citeqa.corpus.capitals import SAME_GOVERNMENT

# Function words and question words: they match everything and answer nothing.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom whose why will with would you your yours yourself yourselves tell say said please know
    according much many kind article paper text mention mentioned describe described state stated""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased content words of ``text`` in order, stop words and possessive endings dropped."""
    if not text.isascii():
        # Decomposed text ("Kraków" as "o" and a combining accent, as some PDFs and Mac files
        # write it) would split its words at each accent.
        text = unicodedata.normalize("NFC", text)
    out = []
    for word in _WORD.findall(text.lower()):
        # A plain suffix test: this runs for every word of every candidate passage of a question.
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if word not in STOPWORDS:
            out.append(word)
    return out


# One Snowball stemmer serves the index and every comparison of words, so a passage found by its
# words and a passage counted as holding them are the same passage. Stemmer objects keep state
# while stemming, hence the lock; ``stem`` caches, so PyStemmer's own cache would only double it.
_STEMMER = Stemmer.Stemmer("english")
_STEMMER.maxCacheSize = 0
_STEMMER_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The term a word is indexed and compared by: its Snowball English stem.

    Args:
        word: a lower-case word, as ``words`` gives it.

    Returns:
        The stem, without apostrophes and, on Latin letters, accents ("agencies" and "agency"
        are ``agenc``; "O'Brien's" is ``obrien``; "café" is ``cafe``).
    """
    # Apostrophes go: the full-text index splits words at them, and people type names both ways.
    plain = _one_spelling(_folded(word))
    with _STEMMER_LOCK:
        return _STEMMER.stemWord(plain)


# British spellings, read as American ones, whose stems differ: a question asks for "licenses"
# in a text that grants "licences", for the "organization" an Indian ministry's release spells
# "organisation". Only endings the two spell differently: "-ise" after the letters of verbs
# American writes "-ize" (realise, organise, recognise, prioritise), not in advise, revise,
# expertise, promise or arise, which would then share a stem with other words ("expert") or lose
# their own derivations ("revision").
_SPELLINGS = [
    (
        re.compile(
            r"(?<=al|an|gn|il|or|at|it|et|ot|er|ar|ic|og|on|im|in|as|rd|es|th)"
            r"is(e|es|ed|ing|ation|ations|ational|er|ers)$"
        ),
        r"iz\1",
    ),
    (re.compile(r"(?<=al|ly)ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|er|ers|al|able|ably|ite|ites|itism|ism|ful|less|hood)?$"), r"or\1"),
    (re.compile(r"(?<=\w\w)tre(s)?$"), r"ter\1"),
    (re.compile(r"centr(ed|ing)$"), r"center\1"),
    (re.compile(r"^(lic|def|off|pret)enc(e|es|ed|ing)$"), r"\1ens\2"),
    (re.compile(r"(?<=\w{4})ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=\w{4})ogu(ed|ing)$"), r"og\1"),
    (re.compile(r"^programme(s)?$"), r"program\1"),
    (re.compile(r"^judgement(s|al)?$"), r"judgment\1"),
]
# The endings ``_SPELLINGS`` rewrite, tested first in one pass: most words have none of them.
_BRITISH_ENDING = re.compile(
    r"(?:is(?:e|es|ed|ing|ation|ations|ational|er|ers)|ys(?:e|es|ed|ing)"
    r"|our(?:s|ed|ing|er|ers|al|able|ably|ite|ites|itism|ism|ful|less|hood)?|tres?|centr(?:ed|ing)"
    r"|enc(?:e|es|ed|ing)|ogues?|ogu(?:ed|ing)|programmes?|judgement(?:s|al)?)$"
)
# "Arise" is no verb in "-ize", though its letters are those of one ("summarise").
_ARISE = re.compile(r"^arise|^arising")


def _one_spelling(word: str) -> str:
    """``word`` in American spelling where British spelling would stem otherwise ("licence",
    "organisation", "colour", "centre", "dialogue", "programme")."""
    if not _BRITISH_ENDING.search(word) or _ARISE.match(word):
        return word
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def held_as_written(text: str, names: list[str], gap: int = 2) -> bool:
    """Whether ``text`` holds every word of ``names`` as written (case, accents and apostrophes
    aside, as people type names both ways), with at most ``gap`` other words between them:
    "8:30 p.m. Taipei time ... three times" holds no "Taipei Times", "Café Babel" holds "cafe babel".

    Args:
        text: a passage.
        names: the name's words, as ``words`` gives them.
        gap: how many words may stand between two of them.
    """
    seen = [_folded(w) for w in words(text)]
    wanted = [_folded(w) for w in names]
    where = {w: [i for i, s in enumerate(seen) if s == w] for w in set(wanted)}
    if not wanted or not all(where.values()):
        return False
    reach = len(wanted) - 1 + gap
    return any(all(any(abs(j - i) <= reach for j in where[w]) for w in wanted) for i in where[wanted[0]])


def _folded(word: str) -> str:
    """``word`` as ``stem`` reads it before stemming: no apostrophes, no Latin accents."""
    return _unaccented(word).replace("'", "").replace("’", "")


def terms(text: str) -> list[str]:
    """The stemmed content words of ``text`` in order: what the full-text index holds of a
    passage, and what a query looks up.

    Args:
        text: any text.

    Returns:
        ``stem`` of each of ``words(text)``.
    """
    return [stem(word) for word in words(text)]


def _unaccented(word: str) -> str:
    """``word`` with the accents of Latin letters dropped ("café" to "cafe"), as people often
    type them; other scripts' marks are part of their letters and stay."""
    if word.isascii():
        return word
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", word):
        if not (unicodedata.combining(char) and kept and kept[-1].isascii()):
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def spelled_in(name: str, stems: set[str]) -> bool:
    """Whether a name or number is among ``stems`` (from ``stem``), as written or as a close
    variant: a decade ("1880" in "the 1880s"), a derived form ("Asian" for "Asia", "Japanese"
    for "Japan"), one letter off ("Basset" for "Bassett"), or a capital for its country
    ("Seoul" for "South Korea", ``capitals.SAME_GOVERNMENT``). An exact match alone made the
    answerability checks refuse answerable questions over spelling (on the SQuAD dev article
    Imperialism, 3 of its 5 refusals). Numbers match exactly but for a plural (1881 is not 1880);
    from two to twenty, also as the word that spells them ("two" for "2", not "seventy" for "7")."""
    forms = (name, *SAME_GOVERNMENT.get(name.lower(), ()))
    return any(_spelled(form, stems) for form in forms) or number_word(name) in stems


# Small numbers as a text may spell them: "2" of the "Economic 2+2" is the "two-plus-two". Not
# "one", which is as often a pronoun ("One of the officials").
_NUMBER_WORDS = "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen".split()
_NUMBER_WORDS += "seventeen eighteen nineteen twenty".split()


def number_word(name: str) -> str | None:
    """A number from two to twenty as the stem of its word ("two" for "2"), or ``None``."""
    if not re.fullmatch(r"[0-9]{1,2}", name) or not 2 <= int(name) <= 20:
        return None
    return stem(_NUMBER_WORDS[int(name) - 2])


def _spelled(name: str, stems: set[str]) -> bool:
    """``spelled_in`` for one form of the name."""
    stemmed = stem(name.lower())
    if stemmed in stems:
        return True
    if name.isdigit():
        return f"{name}s" in stems
    for other in stems:
        if abs(len(other) - len(stemmed)) > 3 or other[:1] != stemmed[:1] or other.isdigit():
            continue
        shorter, longer = sorted((stemmed, other), key=len)
        if len(shorter) >= 4 and longer.startswith(shorter):
            return True
        if len(stemmed) >= 6 and len(other) >= 6 and _one_edit(stemmed, other):
            return True
    return False


# "U.S.", "U.K.": an abbreviation written with full stops.
_DOTTED = re.compile(r"(?<![\w.])(?:[A-Za-z]\.){2,}")
# "US", "IEA", "NGOs": a word in capitals, a plural's "s" aside; "U.S." with its full stops.
_INITIALISM = re.compile(r"\b[A-Z]{2,}(?=s?\b)")
_DOTTED_CAPITALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,}")
# "10,000", "1,200,000": a number with its thousands grouped.
_GROUPED = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?!\d|,\d)")
# A run of capitalised words, function words allowed inside: "Ministry of External Affairs".
_RUN_FUNCTION_WORDS = frozenset("of and for the on in &".split())
_NAME_RUN = re.compile(
    rf"\b[A-Z][^\W_]*(?:[\s-]+(?:(?:{'|'.join(map(re.escape, sorted(_RUN_FUNCTION_WORDS)))})\s+)*[A-Z][^\W_]*)+"
)
# What ends a run of words that may spell an initialism: a clause's punctuation.
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”/]+")
# A Roman numeral in capitals, read as its letters: the "ii" of "World War II" in "WWII".
_ROMAN = re.compile(r"[IVX]{2,4}")


def short_forms(text: str) -> set[str]:
    """The short forms people write for what ``text`` spells out, lower case: "us" for "U.S.",
    "10000" for "10,000", and the initials of each run of capitalised words, with and without its
    function words ("mea" and "moea" for "Ministry of External Affairs", "ap" for "Associated
    Press", "dg" for the "Directorate-General for Trade"). A question asking about "the MEA" or "10000 engines" names what the text holds.

    Args:
        text: running text, as written.

    Returns:
        The short forms (two letters or more; ``words`` gives the rest of the text).
    """
    out = {match.group(0).replace(".", "").lower() for match in _DOTTED.finditer(text)}
    out |= {match.group(0).replace(",", "") for match in _GROUPED.finditer(text)}
    for _, _, initials in spelled_out(text):
        out |= initials
    return {form for form in out if len(form) >= 2}


def written_out(text: str, initials: set[str]) -> set[str]:
    """Those of ``initials`` (three letters or more) that ``text`` writes out in words of any case:
    "msp" where it writes "minimum support price", "smr" for "small modular reactors", "wwii" for
    "World War II". News abbreviates many terms it writes in lower case, which ``spelled_out``'s
    capitalised runs miss; two letters are left out, as any two words spell them.

    Args:
        initials: lower-case initialisms, as ``initialisms`` gives them.

    Returns:
        The subset of ``initials`` whose letters begin the words of a run in ``text``: within one
        clause; function words inside it counted (passed over too when its words are capitalised,
        as ``spelled_out`` reads names); no other stopword in it ("Warsaw was incorporated into"
        spells nothing); a Roman numeral standing for all its letters.
    """
    wanted = {form for form in initials if len(form) >= 3}
    if not wanted:
        return set()
    longest = max(map(len, wanted))
    found = set()
    for clause in _CLAUSE.split(text):
        run = []
        for part in re.split(r"[\s-]+", clause) + [""]:
            word = part.strip("'’")
            if (
                word
                and not word[0].isdigit()
                and (word.lower() in _RUN_FUNCTION_WORDS or word.lower() not in STOPWORDS)
            ):
                run.append(word)
                continue
            found |= _spelled_by(run, wanted, longest)
            run = []
    return found


def _spelled_by(run: list[str], wanted: set[str], longest: int) -> set[str]:
    """Those of ``wanted`` that a run of words of ``written_out`` spells from one of its words on."""
    function = [w.lower() in _RUN_FUNCTION_WORDS for w in run]
    letters = [w.lower() if _ROMAN.fullmatch(w) else w[0].lower() for w in run]
    found = set()
    for start in (i for i in range(len(run)) if not function[i]):
        # Function words are passed over in a name only ("Ministry of External Affairs"): "the
        # fund for better infrastructure" is no FBI.
        every, content, named = "", "", True
        for word, small, first in zip(run[start:], function[start:], letters[start:], strict=True):
            every += first
            if not small:
                content += first
                named = named and word[0].isupper()
                found |= {every, content} & wanted if named else {every} & wanted
            if len(content) >= longest:
                break
    return found


def spelled_out(text: str) -> list[tuple[str, list[str], set[str]]]:
    """Each run of capitalised words in ``text``, as written and as ``words``, with the initials it
    may be written as: "United States" with "us"; "Spokesperson of the Ministry of External Affairs"
    with "mea" and "moea" among others (a name starts at the run's first word or after a function
    word inside it, and ends at the run's end or before its last function word: the "Ministry of
    Foreign Affairs of Japan" is also "mofa", the "Directorate-General for Trade" "dg"; "The"
    opening a run is the sentence's)."""
    runs = []
    for match in _NAME_RUN.finditer(text):
        parts = re.split(r"[\s-]+", match.group(0))
        function = [p.lower() in _RUN_FUNCTION_WORDS for p in parts]
        starts = [i for i in range(len(parts)) if not function[i] and (i == 0 or function[i - 1])]
        # The last function word may open a qualifier ("of Japan"); ending at every one would give
        # as many names as pairs of them, and two-letter forms that are words ("ed", "de").
        qualifier = [i for i in range(1, len(parts)) if function[i] and not function[i - 1]][-1:]
        ends = qualifier + [len(parts)]
        initials = set()
        for start, end in ((a, b) for a in starts for b in ends if b > a):
            name = parts[start:end]
            initials.add("".join(p[0] for p in name).lower())
            initials.add("".join(p[0] for p in name if p.lower() not in _RUN_FUNCTION_WORDS).lower())
        runs.append((match.group(0), words(match.group(0)), {form for form in initials if len(form) >= 2}))
    return runs


def undotted(text: str) -> str:
    """``text`` with its abbreviations' full stops dropped: "U.S. Marines" as "US Marines"."""
    return _DOTTED.sub(lambda match: match.group(0).replace(".", ""), text)


def initialisms(text: str) -> set[str]:
    """The abbreviations ``text`` writes in capitals, lower case: "us" for "US" or "U.S.", "iea"
    for "IEA"; not the pronoun "us", "a.m." or "i.e.", nor the words of a line set all in
    capitals ("COBALT MARKET OUTLOOK TO 2030"), which shouts rather than abbreviates."""
    out = set()
    for line in text.splitlines():
        words = re.findall(r"[^\W\d_]{2,}", line)
        if len(words) >= 3 and sum(w.isupper() for w in words) > len(words) / 2:
            continue
        out |= {match.group(0).replace(".", "").lower() for match in _DOTTED_CAPITALS.finditer(line)}
        out |= {word.lower() for word in _INITIALISM.findall(line)}
    return out


# Small words an initial may stand for ("BOJ": "Bank of Japan"); others stand between the words
# of a run as ``_NAME_RUN`` reads one ("Bank for International Settlements"), and each part of a
# hyphened word has its own initial ("IPEF": "Indo-Pacific Economic Framework").
_INITIAL_WORDS = {"o": "of|on", "f": "for", "d": "de|du|des|del"}
_BETWEEN = rf"[\s-]+(?:(?:{'|'.join(map(re.escape, sorted(_RUN_FUNCTION_WORDS)))})\s+)*"


def spelling(initials: str) -> tuple[str, re.Pattern]:
    """How ``initials`` ("IEA", in capitals) may be spelled out: a GLOB for the capitals a text
    must hold in order (those no small word may stand for), and the pattern of the words."""
    parts = [
        rf"(?:{letter}[\w'’]*|(?:{_INITIAL_WORDS[letter.lower()]}))"
        if letter.lower() in _INITIAL_WORDS
        else rf"{letter}[\w'’]*"
        for letter in initials
    ]
    glob = "*" + "*".join(letter for letter in initials if letter.lower() not in _INITIAL_WORDS) + "*"
    return glob, re.compile(rf"\b{_BETWEEN.join(parts)}\b")


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one letter changed, added or dropped."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def edits(a: str, b: str) -> int:
    """How many letters must be changed, added, dropped or swapped with the next to make ``a``
    into ``b`` (the optimal string alignment distance)."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y)))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
