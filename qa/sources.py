"""Questions that name their source: "the Reuters report of July 2025", "MOFA's release".

Analysts refer to a source by its metadata (publisher, title, date), words its text may never use.
``SourceMatcher`` holds each document's metadata words so that retrieval can read a passage
together with its source, and so that a question naming a source the library lacks can say so.
"""

from __future__ import annotations

import re
from functools import cached_property

from citeqa.corpus import tokens
from citeqa.corpus.dates import CAPITALISED_MONTH, MONTHS, parse_date, same_day
from citeqa.qa import outlets
from citeqa.qa.clauses import SOURCE_NOUNS, spaced
from citeqa.qa.headlines import quoted_titles
from citeqa.qa.metadata import metadata_words

# "according to the Yomiuri report", "in Reuters' story", "the 9DASHLINE analysis", "MOFA's release".
_NAMED = re.compile(
    rf"(?:\b(?i:according) to (?:an? |the )?|^(?i:as )?(?i:per) (?:the )?|\b)"
    # Up to three lower-case words may stand between name and noun ("Reuters' latest report"), but
    # no capitalised one: in "What did the Reuters report say" the name is Reuters, not What.
    rf"(?P<name>(?:(?:[A-Z0-9]|[a-z]+[A-Z])[\w.&+-]*['’]?s?\s+){{1,4}}?)(?:['’]s?\s+)?(?:[a-z][\w-]*\s+){{0,3}}?(?:{SOURCE_NOUNS})\b(?!-)"
)
# An outlet's name: capitalised words, and "of" or "for" between them in "Voice of America", "the
# Ministry of Foreign Affairs of Japan" or "Bank for International Settlements" ("and" and "on"
# would take in "Coastal Gazette and Plains Courier" or "Coastal Gazette on Tuesday").
_OUTLET_WORD = r"(?:[A-Z0-9]|[a-z]+[A-Z])[\w.&+'’-]*"
_OUTLET = rf"(?:{_OUTLET_WORD}\s+(?:(?:of|for)\s+)?){{0,4}}{_OUTLET_WORD}"
# "According to Bloomberg, ...", "according to the Financial Times, ...", "... according to
# Bloomberg?": a name alone, then a comma or the question's end.
_ATTRIBUTED = re.compile(rf"\b(?i:according) to (?:an? |the )?(?P<name>{_OUTLET}?)\s*(?:,|[?.!]*\s*$)")
# "How many did Reuters say were killed?", "..., per Thrifty Traveler?": a name that reports, an
# outlet when it is a publisher's whole name or initials; "What did Powell say?" names a person,
# so it never refuses.
_SAID = re.compile(
    rf"\bdid (?:the )?(?P<name>{_OUTLET})\s+"
    r"(?:say|report|give|put|estimate|cite|quote|write|find|describe|call|list|count)\b"
    rf"|,?\s+per (?:the )?(?P<per>{_OUTLET}?)\s*[?.!]*\s*$"
    # "Per Indian Defence News, ...", "EdexLive reported that ...", "..., Hindustan Times said?".
    rf"|^(?i:as )?(?i:per) (?:the )?(?P<lead>{_OUTLET}),"
    rf"|(?:^|,\s*)(?:the )?(?P<says>{_OUTLET})\s+(?:reported|reports|said|says|wrote|writes)\b"
    # "In IGN's daily deals, ...": a publisher's piece, whatever it is called ("In Japan's view" is none).
    rf"|^(?i:in|from) (?:the )?(?P<poss>{_OUTLET})['’]s\s+[^,?]{{1,60}},"
)
# A source named by its date: "the March 2025 article", "the May 3, 2024 Kyodo report", "the release
# of 10 May 2026", "the October 2022 page". Only nouns that name a document ("the 2024 current
# account deficit" names none); and a bare year names one only before the noun, with at most a name
# and one more word between ("the 2024 Coastal Gazette report", "the 2024 joint statement"), as
# "signed in 2024 according to the story" does not.
_DOCUMENT_NOUNS = (
    r"report|release|press release|statement|joint statement|readout|factsheet|fact sheet|article|story|piece|op-ed|"
    r"editorial|interview|briefing|dispatch|column|explainer|transcript|communique|communiqué|announcement|overview|"
    r"newsletter|bulletin|notice|filing|preview|summary|analysis|commentary|page|web page|webpage|document|manual|"
    r"guide|handbook"
)
_FULL_DATE = rf"(?:\d{{1,2}}\s+)?(?:{CAPITALISED_MONTH})\.?(?:\s+\d{{1,2}})?,?\s+\d{{4}}"
_DATE = rf"{_FULL_DATE}|(?:19|20)\d\d"
_DATED = re.compile(
    rf"\b(?P<date>{_FULL_DATE})(?:['’]s?)?\s+(?:[\w.&'’-]+\s+){{0,3}}?(?:{_DOCUMENT_NOUNS})\b(?!-)"
    rf"|\b(?P<year>(?:19|20)\d\d)(?:['’]s?)?\s+(?:[A-Z][\w.&'’-]*\s+){{0,3}}(?:[a-z][\w-]*\s+)?"
    rf"(?:{_DOCUMENT_NOUNS})\b(?!-)"
    rf"|\b(?:{_DOCUMENT_NOUNS})\s+(?:of|from|dated|published on|published in|issued on)\s+(?P<after>{_DATE})\b"
)
# Document nouns that are verbs too ("Starmer and Ishiba note Putin ..."; ``_name_matches``).
_VERB_NOUNS = frozenset("note notes report reports update updates post posts account feature profile release".split())
_DETERMINED = re.compile(r"(?:\b(?i:the|a|an|this|that|its|their|to)|['’]s?)\s*$")
# A person's possessive before a name and a document noun: "his Tokyo remarks".
_PERSONS = re.compile(r"\b(?i:his|her|their)\s+$")
_OBJECT = re.compile(r"\s+(?:[A-Z]|(?:the|a|an|that|his|her|its|their)\b)")
_INITIALS = re.compile(r"[A-Z]{2,6}")
_CAPITALISED = re.compile(r"\b(?:[A-Z]|\d+[A-Za-z]|[a-z]+[A-Z])[^\W_]*")
_GENERIC = frozenset(
    "the a an this that its their joint official latest final first second third new press media news government "
    "ministry ministerial indian japanese australian american us u.s. eu "
    # Parts of a source, not a source: "According to Section 3, ...", "according to Table 2, ...".
    "section figure fig table chapter appendix annex exhibit page paragraph part box chart".split()
)


class SourceMatcher:
    """Every document's metadata words, to match against a question's words.

    Args:
        rows: ``(doc_id, title, publisher, date, url)`` for each document.
        authors: the authors of each document whose authors are known: "according to Dan
            Goodin, ..." names a source by its author's full name. A surname alone does not
            ("according to Powell" may quote a Powell another story names), and authors are no
            metadata words for ranking.
    """

    def __init__(
        self,
        rows: list[tuple[str, str | None, str | None, str | None, str | None]],
        authors: dict[str, list[str]] | None = None,
    ):
        # Each author's name as words, for the sources whose authors are known.
        self.authors = {
            doc: [frozenset(tokens.words(name)) for name in names] for doc, names in (authors or {}).items() if names
        }
        self.sources = {row[0]: metadata_words(*row[1:]) for row in rows}
        self.titles = {row[0]: row[1] for row in rows}
        self.dates = {row[0]: row[3] for row in rows if row[3]}
        # Who published each source, by name and initials: "did Reuters say" and "did PTI say"
        # name an outlet, while "did Jaishankar say" names a person whom titles often name too.
        self.outlets = {row[0]: outlets.outlet(row[2]) for row in rows}
        self.publishers = {row[0]: outlets.written(row[2]) for row in rows}
        # Title and publisher as written, where a name a question gives may stand whole.
        self.written = {row[0]: f"{row[1] or ''}. {row[2] or ''}" for row in rows}
        self.vocabulary = frozenset().union(*self.sources.values())
        # The abbreviations each source's title and publisher write in capitals ("EAM", "MOFA").
        self.capitals = {row[0]: tokens.initialisms(f"{row[1] or ''}\n{row[2] or ''}") for row in rows}

    @cached_property
    def stems(self) -> frozenset[str]:
        """The stems (``tokens.stem``) of ``vocabulary`` and of the authors' names, where a name a
        question gives may be a close variant."""
        authors = {word for names in self.authors.values() for name in names for word in name}
        return frozenset(map(tokens.stem, self.vocabulary | authors))

    def words(self, doc_id: str) -> frozenset[str]:
        """The metadata words of ``doc_id`` (none for an unknown id)."""
        return self.sources.get(doc_id, frozenset())

    def match(self, question_words: list[str], weights: dict[str, float]) -> dict[str, float]:
        """How much of the question each source's metadata holds.

        Args:
            question_words: the question's content words.
            weights: a weight per word (its IDF); the share is of the weight.

        Returns:
            ``{doc_id: share}`` for every source whose metadata holds any of the words.
        """
        total = sum(weights.get(w, 0.0) for w in set(question_words)) or 1.0
        out = {}
        for doc_id, words in self.sources.items():
            held = sum(weights.get(w, 0.0) for w in set(question_words) if w in words)
            if held:
                out[doc_id] = held / total
        return out

    def named(self, question: str) -> set[str]:
        """The sources a question attributes itself to by name ("according to Argus Media",
        "the Reuters report"), those whose metadata holds every word of the name, or by date
        ("the March 2025 article"), those of that date; by both ("the May 2024 Kyodo article"),
        those of that name and date when there are any.

        Returns:
            Their document ids (empty when the question names none, or none of the library's).
        """
        question = spaced(outlets.capitalised(question, self.publishers.values()))
        by_name: set[str] = set()
        held: set[str] = set()
        spans = []
        for match in _name_matches(question):
            names = _name_words(match)
            if names:
                spans.append(match.span())
            # "According to the Bank of England" names who says it: the Bank's own release, not
            # a story titled "Bank of England cuts rates"; "the Japan Times story" is The Japan
            # Times', not the Hindustan Times' story on Japan (when any source is by that
            # publisher; of those, the ones whose metadata holds the rest of the name).
            outlet = set(_name_words(match, generic=True))
            by_publisher = {d for d, o in self.outlets.items() if o.named_by(outlet)}
            # Initials the metadata writes for the name are the surer sign: "the External Affairs
            # Minister's statement" holds "minister" of another's "Prime Minister's visit" too.
            initialled = self._initialled(match)
            holding = initialled or self._holding(names)
            held |= self._published_as(names)
            # After "according to" comes who says it; before "statement" the name may describe the
            # document ("the India-Japan joint statement"), which its own metadata holds. A writer
            # named in full ("Steve Gorman's Reuters story") outranks the outlet alone.
            authored = self._by_author(names)
            order = [authored, by_publisher, holding] if match.re is _ATTRIBUTED else [holding, authored, by_publisher]
            if _PERSONS.search(question, 0, match.start("name") if match.re is _NAMED else 0):
                # "during his Tokyo remarks" are a person's, given in Tokyo: only an outlet's name
                # ("his Reuters interview") names a source there.
                order = [by_publisher]
            # One publisher's name and another's initials ("the Thai News Agency report": "Thai News
            # Agency" and "Pattaya Mail (TNA)") name one outlet twice.
            both = by_publisher | initialled if by_publisher and initialled else set()
            by_name |= (by_publisher & holding) or both or next((found for found in order if found), set())
        by_name |= self._said(question)
        dated = list(_DATED.finditer(question))
        by_date: set[str] = set().union(*map(self._dated, dated))
        # Named with a date that none of them has: only an undated one may be of it ("the Reuters
        # report of June 2019" is not Reuters' story of 2014). Only a date of the name: "the Reuters
        # report on the March 2019 statement" dates the statement.
        of_name = any(d.start() < end and start < d.end() for d in dated for start, end in spans)
        undated = {d for d in by_name if d not in self.dates} if of_name else set()
        quoted = quoted_titles(question, self.titles)
        if of_name and by_name and not by_name & by_date and not undated:
            # None is: it names one a text cites ("a 2023 European Commission report", ``misdated``).
            return (held & by_date) or quoted
        by_name |= quoted
        # "China Daily's June 2019 preview": when the outlet of that name has nothing of that date,
        # one whose publisher holds the name ("China Daily Global") may; not a story by another
        # whose title holds it ("Japan ..." by the Shillong Times for "the Japan Times").
        return (by_name & by_date) or (held & by_date) or undated or by_name or by_date

    def _said(self, question: str) -> set[str]:
        """The outlets a question names as saying something ("What did Reuters say", "Per
        POLITICO, ...")."""
        by_name = set()
        for match in _SAID.finditer(question):
            said = set(_name_words(match, generic=True))
            # The whole outlet, not a word of it: "did Japan describe" does not name The Japan Times.
            outlets = {d for d, o in self.outlets.items() if said and (o.named_by(said) or said & o.initials)}
            # "Per POLITICO" attributes as "according to" does, so a source whose metadata holds
            # the name is meant ("POLITICO Europe"); "did X say" may name a person, and does not.
            if not outlets and (match.group("per") or match.group("lead")):
                outlets = self._holding(_name_words(match, generic=True))
            by_name |= outlets
        return by_name

    def misdated(self, question: str, known) -> str | None:
        """Why no source is the one a question names by its date: by name and date together
        ("the 2025 Reuters report" when the library's Reuters sources are of 2023), or by date
        alone ("the December 2025 statement") when every source is dated, none of that date,
        and no text speaks of that date (``known``, as in ``unknown_source``); else ``None``.
        Neither when a text names a source by that name with that year: it cites one."""
        question = spaced(question)
        for dated in _DATED.finditer(question):
            for match in (m for m in _name_matches(question) if m.re is _NAMED):
                overlaps = match.start() < dated.end() and dated.start() < match.end()
                # The whole name, generic words too: "the 2028 Harbour News report" is about
                # Harbour News, not every source with "Harbour" in its name.
                holding = self._holding(_name_words(match, generic=True)) if overlaps else set()
                # An undated source may be of any date: only dated ones can be of another; and a
                # 2025 story may quote "a 2023 European Commission report" (``_cites``).
                if (
                    holding
                    and holding <= self.dates.keys()
                    and not holding & self._dated(dated)
                    and not _cites(match, dated, known)
                ):
                    dates = ", ".join(sorted({self.dates[d] for d in holding})[:3])
                    return f"no source by that name is of that date ({dated.group(0).strip()!r}; theirs: {dates})"
        for dated in _DATED.finditer(question):
            # An undated source may be of any date, and a source may quote a statement of another.
            if len(self.dates) == len(self.sources) and not self._dated(dated) and not _spoken_of(dated, known):
                return f"no source is of that date ({dated.group(0).strip()!r}), nor does any speak of it"
        return None

    def dating_words(self, question: str) -> set[str]:
        """The words of the dates in ``question`` that a source of the library is of: "In the
        column of 16 January 2024, ..." names its source by them, and the passages need not
        speak of the 16th (its metadata holds the month and year, not the day)."""
        return {
            word
            for dated in _DATED.finditer(spaced(question))
            if self._dated(dated)
            for word in tokens.words(dated.group("date") or dated.group("year") or dated.group("after"))
        }

    def _holding(self, names: list[str]) -> set[str]:
        """The sources whose metadata holds every one of ``names`` (none for no names)."""
        return {d for d, words in self.sources.items() if all(w in words for w in names)} if names else set()

    def _initialled(self, match: re.Match) -> set[str]:
        """The sources whose title or publisher writes in capitals the initials of the name as the
        question spells it out, three letters or more: "the External Affairs Minister's statement"
        is the "Press Statement by EAM" (not a title's word "aid" for "Asian Infrastructure
        Development")."""
        initials = {form for _, _, forms in tokens.spelled_out(_written(match)) for form in forms if len(form) >= 3}
        return {d for d, capitals in self.capitals.items() if initials & capitals}

    def _published_as(self, names: list[str]) -> set[str]:
        """The sources whose publisher, as written, holds ``names`` (``outlets.holds``)."""
        return {d for d, written in self.publishers.items() if outlets.holds(written, names)}

    def _by_author(self, names: list[str]) -> set[str]:
        """The sources one of whose authors ``names`` names in full: two words or more, all of
        them the author's ("dan goodin" for Dan Goodin), or all of the author's among them
        ("steve gorman reuters" for Steve Gorman)."""
        if len(names) < 2:
            return set()
        asked = set(names)
        return {d for d, by in self.authors.items() if any(asked <= a or len(a) >= 2 and a <= asked for a in by)}

    def _dated(self, match: re.Match) -> set[str]:
        """The sources of the date a ``_DATED`` match gives: "January 30, 2025" names a source
        dated 2025-01, "2025" one dated 2025-01-30, and "the report of 1 July" one dated 2 July
        (a wire story is dated where it was filed, a site by where it was published)."""
        asked = parse_date(match.group("date") or match.group("year") or match.group("after"))
        if not asked:
            return set()
        return {d for d, date in self.dates.items() if same_day(asked, date)}

    def unknown_source(self, question: str, known) -> str | None:
        """The source a question names when no document's metadata holds a word of its name and
        the library's text does not hold it either (``known``, a test of whether the text holds
        words together, as ``Store.holds_name``): "the Yomiuri report", "according to Bloomberg, ...".

        A source is held when one source's metadata holds its whole name; a newspaper's name before
        a document noun ("the Japan Times analysis") when a publisher's name or the text holds it
        whole. What follows "according to" is a whole name, so the text must hold its words together
        (a text saying "financial" is no Financial Times). Before "report" or "statement" a name more
        often describes the document ("the Modi-Trump joint statement", of "Modi and Trump"): each
        of its words found somewhere, in the text or a source's metadata, is enough.

        Returns:
            The phrase naming the source as asked, or ``None``.
        """
        question = spaced(question)
        # "Per the Financial Times, ..." and "did the Wall Street Journal say" name an outlet as "according to"
        # does ("did X say" may name a person); at the end, a name of one word may be a unit ("... per kWh?").
        said = [
            (m, (m.group("name") or "-").split()[-1].lower() in outlets.MASTHEADS) for m in _SAID.finditer(question)
        ]
        per = [m for m, paper in said if paper or m.group("lead") or len((m.group("per") or "").split()) >= 2]
        for match in [*_name_matches(question), *per]:
            names = _name_words(match)
            # "the Japan Times analysis" names a paper: held by a publisher of that name, not by
            # the Shillong Times' story whose title says "Japan".
            masthead = match.re is not _ATTRIBUTED and len(names) >= 2 and names[-1] in outlets.MASTHEADS
            if masthead and self._published_as(names):
                continue
            if (
                not names
                or (not masthead and self._holding(names))
                or self._by_author(names)
                or self._initialled(match)
            ):
                continue
            if match.re is not _NAMED:
                # The whole name as asked, "News" of "Kyodo News Agency" too; or, for "Ilse Varga
                # of Veltrana", the person before "of", whom the text may name without the place.
                name = _written(match)
                # "Ilse Varga of Veltrana": the person the text names; not "Council" of "Council of Europe".
                first = re.split(r"\s+(?:of|for)\s+", name)[0]
                # "The Hindu" is the paper's name only as written so ("Hindu traditions" is not the
                # paper); initials ("the AAA") may be spelled out ("American Automobile Association").
                written = name if name.startswith("The ") or _INITIALS.fullmatch(name) else None
                held = known(tokens.words(name), written) or (
                    first != name and len(first.split()) >= 2 and known(tokens.words(first))
                )
            elif masthead:
                # Or by a text that names the paper, as after "according to".
                held = known(names)
            else:
                upper = {w.lower(): w for w in _CAPITALISED.findall(_written(match)) if _INITIALS.fullmatch(w)}
                held = all(w in self.vocabulary or known([w], upper.get(w)) for w in names)
            if not held:
                return (match.group(0) if match.re is _NAMED else _written(match)).strip()
        return None


def _cites(match: re.Match, dated: re.Match, known) -> bool:
    """Whether a text cites the source a ``_NAMED`` match gives, name, noun and ``_DATED`` year six
    words apart at most ("a European Commission report published in 2023"; not a dateline)."""
    year, noun = re.search(r"(?:19|20)\d\d", dated.group(0)), match.group(0).split()[-1].lower()
    return bool(year) and known([*_name_words(match, generic=True), noun, year.group(0)], apart=6)


def _spoken_of(dated: re.Match, known) -> bool:
    """Whether the library's text speaks of the date a ``_DATED`` match gives, its month written
    in any of its forms ("December 2030", "Dec. 15, 2030"): ``known`` as in ``unknown_source``."""
    asked = parse_date(dated.group("date") or dated.group("year") or dated.group("after")) or ""
    year, month = asked[:4], asked[5:7]
    if not month:
        return bool(year) and known([year])
    return any(known([name, year]) for name, number in MONTHS.items() if number == int(month))


def naming_dates(question: str) -> list[tuple[int, int]]:
    """Where ``question`` dates a source it names ("the 2024 Reuters report", "the report of May
    2024"): no edition of what it asks about."""
    return [m.span(g) for m in _DATED.finditer(question) for g in ("date", "year", "after") if m.group(g)]


def _name_matches(question: str) -> list[re.Match]:
    """Every place ``question`` names a source: "the Yomiuri report", "according to Bloomberg,";
    not a verb with its object ("did Starmer and Ishiba note Putin's ...", "Did Ueda update the
    forecast?"), which a document noun can be when nothing determines the name before it."""
    named = [
        m
        for m in _NAMED.finditer(question)
        if m.group(0).split()[-1].lower() not in _VERB_NOUNS
        or _DETERMINED.search(question, 0, m.start("name"))
        or not _OBJECT.match(question, m.end())
    ]
    return [*named, *_ATTRIBUTED.finditer(question)]


def _written(match: re.Match) -> str:
    """The name as the question writes it in a ``_NAMED``, ``_ATTRIBUTED`` or ``_SAID`` match."""
    return next((v for k, v in match.groupdict().items() if k in ("name", "per", "lead", "says", "poss") and v), "")


def _name_words(match: re.Match, generic: bool = False) -> list[str]:
    """The lower-cased words naming a source in a ``_NAMED``, ``_ATTRIBUTED`` or ``_SAID`` match.
    Only a capitalised word names a source: "the first report" or "the 2025 report" does not.
    Generic words ("News", "Ministry") are dropped unless ``generic``."""
    names = [w.lower() for w in _CAPITALISED.findall(_written(match))]
    dropped = MONTHS.keys() | tokens.STOPWORDS | (set() if generic else _GENERIC)
    return [w for w in names if w not in dropped]
