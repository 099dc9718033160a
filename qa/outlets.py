"""The names a publisher goes by, as a question names it: "Reuters" for "Hindustan Times
(Reuters)", "NHK" for "Japan Broadcasting Corporation (NHK)", "Anadolu" for "Anadolu Agency"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from citeqa.corpus import tokens
from citeqa.corpus.capitals import AROUND_COUNTRIES, SAME_GOVERNMENT

# Places in brackets after a publisher's name say where, not who: "BBC News (UK)".
_PLACE_CODES = frozenset("UK US USA EU UN UAE".split())
# News agencies, whose copy other sites run and credit in brackets: "Hindustan Times (Reuters)" and
# "Daily Finland (DF-Xinhua)" are Reuters' and Xinhua's stories too ("the Reuters report ...").
_AGENCIES = frozenset(
    "reuters bloomberg afp ap kyodo jiji xinhua yonhap bernama ani ians pti tass interfax dpa efe ansa".split()
)
#: The last word of many newspapers' names: before "report" or "analysis" it names a paper.
MASTHEADS = frozenset(
    "times post herald journal tribune telegraph guardian gazette chronicle express courier observer mirror "
    "inquirer examiner statesman".split()
)
_OUTLET_SUFFIXES = frozenset("news agency press media wire service services network group online daily".split())


def names(publisher: str | None) -> tuple[frozenset[str], ...]:
    """The names a publisher goes by, each as the words that name it without those an outlet's
    name may go without ("Press", "News", "Agency"): "Anadolu" is Anadolu Agency, but "India" is
    not the Government of India. Brackets may hold another name: the site that ran a story
    ("Reuters (via Yahoo Finance)"), initials ("Japan Broadcasting Corporation (NHK)") or the
    name in full ("Bernama (Malaysian National News Agency)"); a place or year in brackets ("BBC
    News (Wales)", "Ministry of Foreign Affairs (Japan)", "(UK)", "(2024)") names no one."""
    spelled = publisher or ""
    alternatives = [re.sub(r"\([^()]*\)", " ", spelled)]
    for inner in re.findall(r"\(([^()]*)\)", spelled):
        inner = inner.strip()
        site = re.match(r"(?:via|from|through|on)\s+(.+)", inner, flags=re.I)
        initials = re.fullmatch(r"[A-Z][A-Z&.-]{1,7}", inner) and inner.strip(".") not in _PLACE_CODES
        if site or initials or len(re.findall(r"\b[A-Z]\w+", inner)) >= 2:
            alternatives.append(site.group(1) if site else inner)
    # An agency's copy under any byline: "Hindustan Times (Reuters)", "DF-Xinhua", "Reuters Staff".
    alternatives += [w for w in re.findall(r"[^\W\d_]+", spelled) if w.lower() in _AGENCIES]
    found = []
    for name in alternatives:
        words = frozenset(w for w in tokens.words(name) if w not in tokens.STOPWORDS)
        # A name of those words alone goes by all of them ("News-Press", "The Press Daily").
        found.append(words - _OUTLET_SUFFIXES or words)
    # "The Week (PTI)" reads PTI both as initials and as an agency: once is enough.
    return tuple(dict.fromkeys(n for n in found if n))


# The last word of an outlet's edition: "Nikkei Asia", "POLITICO Europe", "China Daily Global".
_EDITIONS = frozenset("global asia europe international english".split())


class Outlet(NamedTuple):
    """A publisher as questions name it: its ``names``, its ``initials``, and ``shorter`` names
    with the whole name each shortens."""

    names: tuple[frozenset[str], ...]
    initials: frozenset[str]
    shorter: tuple[tuple[frozenset[str], frozenset[str]], ...]

    def named_by(self, asked: set[str]) -> bool:
        """Whether a question naming an outlet by the words ``asked`` names this one: by one of
        its names, or by words of its whole name that start it ("KBS World reports" of KBS World
        Radio; not "the New York Post" of the New York Times, nor "China" of China Daily Global)."""
        return any(n <= asked for n in self.names) or any(first <= asked <= whole for first, whole in self.shorter)


def outlet(publisher: str | None) -> Outlet:
    """The ``Outlet`` of a publisher. Its shorter names are its first words, two or more ("China
    Daily" of China Daily Global, "NHK World" of NHK World-Japan: blind runs refused both), or all
    but an edition's last word ("Nikkei" of Nikkei Asia); no lone letters ("U.S." is no "U S")."""
    words = [w for w in tokens.words(re.sub(r"\([^()]*\)", " ", publisher or "")) if w not in tokens.STOPWORDS]
    ends = set(range(2, len(words))) | ({len(words) - 1} if len(words) > 1 and words[-1] in _EDITIONS else set())
    shorter = [(frozenset(words[:n]), frozenset(words)) for n in sorted(ends) if all(len(w) > 1 for w in words[:n])]
    return Outlet(names(publisher), initials(publisher), tuple(shorter))


def initials(publisher: str | None) -> frozenset[str]:
    """A publisher's short forms (``tokens.short_forms``), read as written ("mofa" for the
    "Ministry of Foreign Affairs, Japan") and with its commas as the parts of one name ("fcdo" for
    the "Foreign, Commonwealth and Development Office")."""
    return frozenset(tokens.short_forms(publisher or "") | tokens.short_forms((publisher or "").replace(",", "")))


def abbreviations(publisher: str | None) -> frozenset[str]:
    """The initials of a publisher's name without the government that opens it or the country that
    closes it, its small words aside: a department goes by its own initials ("DISR" of the
    "Australian Government Department of Industry, Science and Resources", "ISED" of "Innovation,
    Science and Economic Development Canada"). A blind run refused both as sources the library did
    not hold. Only those ends: the initials of any words in a row made "FTC" the Commodity Futures
    Trading Commission's, and a people's word opens many a body's own initials (CSIS, CFIA)."""
    forms = set()
    for run, _, _ in tokens.spelled_out(re.sub(r"\([^()]*\)", " ", publisher or "").replace(",", "")):
        parts = [p for p in re.split(r"[\s-]+", run) if p.lower() not in tokens.STOPWORDS and p[0].isalpha()]
        lower = [p.lower() for p in parts]
        # "Australian Government ...", "Government of India ...": up to "Government" and its place.
        start = lower.index("government") + 1 if "government" in lower[:3] else 0
        while start and start < len(parts) and _place(lower[start]):
            start += 1
        end = len(parts)
        while end > start and _place(lower[end - 1]):
            end -= 1
        # "... Association of America" names its country as part of its name (RIAA).
        if end < len(parts) and re.search(rf"\bof\s+(?:the\s+)?{re.escape(parts[end])}\b", run):
            end = len(parts)
        if end - start >= 3 and (start, end) != (0, len(parts)):
            forms.add("".join(p[0] for p in parts[start:end]).lower())
    return frozenset(forms)


def _place(word: str) -> bool:
    """Whether a word of a publisher's name names a country or its capital ("Canada", "New",
    "Zealand"), not what the publisher itself is called."""
    return word in SAME_GOVERNMENT or word in AROUND_COUNTRIES


def written(publisher: str | None) -> tuple[frozenset[str], str]:
    """A publisher as written: its words, and its letters run together ("washingtonpost.com")."""
    return frozenset(tokens.words(publisher or "")), re.sub(r"\W", "", (publisher or "").lower())


def holds(publisher: tuple[frozenset[str], str], names: list[str]) -> bool:
    """Whether a publisher as ``written`` holds every one of ``names`` ("The Daily Telegraph" for
    "daily telegraph") or runs them together ("washingtonpost.com" for "washington post")."""
    words, squashed = publisher
    return bool(names) and (set(names) <= words or "".join(names) in squashed)


def capitalised(question: str, publishers: Iterable[tuple[frozenset[str], str]]) -> str:
    """A question typed all in lower case with each library publisher's whole name (as
    ``written``, run together, "the" aside) capitalised where it stands: "according to sky news,
    ..." names Sky News as "according to Sky News, ..." does. Words of a name alone stay as typed
    ("india's external debt" is no Ministry of External Affairs), and an outlet the library does
    not hold stays unnamed ("according to recent estimates" is no source to refuse). Any other
    question is returned as it is."""
    if question != question.lower():
        return question
    names = {squashed.removeprefix("the") for _, squashed in publishers} - {""}
    words = list(re.finditer(r"[^\W\d_]+", question))
    spans = [
        (words[i].start(), words[j].end())
        for i in range(len(words))
        for j in range(i, min(i + 8, len(words)))
        if "".join(w.group(0) for w in words[i : j + 1]) in names
    ]
    for start, end in sorted(spans, reverse=True):
        question = (
            question[:start]
            + re.sub(r"\b(?!(?:of|and|for|the)\b)\w", lambda m: m.group(0).upper(), question[start:end])
            + question[end:]
        )
    return question
