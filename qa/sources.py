"""Questions that name their source: "the Reuters report of July 2025", "MOFA's release".

Analysts refer to a source by its metadata (publisher, title, date), words its text may never use.
``SourceMatcher`` holds each document's metadata words so that retrieval can read a passage
together with its source, and so that a question naming a source the library lacks can say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property

from citeqa.corpus import tokens
from citeqa.corpus.dates import MONTHS, parse_date, same_day
from citeqa.qa import outlets
from citeqa.qa.clauses import spaced
from citeqa.qa.headlines import quoted_titles
from citeqa.qa.metadata import metadata_words
from citeqa.qa.naming import (
    AND,
    ATTRIBUTED,
    CAPITALISED,
    INDEFINITE,
    INITIALS,
    NAMED,
    PERSONS,
    SAID,
    name_matches,
    name_words,
    name_written,
    named_by_date,
)


def _named_words(title: str) -> list[str]:
    """The words of a title as written, but for function words ("The Vell-Line" is one)."""
    return [w for w in title.split() if tokens.words(w) and w.lower() not in tokens.STOPWORDS]


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
        for match in name_matches(question):
            names = name_words(match)
            if names:
                spans.append(match.span())
            # "According to the Bank of England" names who says it: the Bank's own release, not
            # a story titled "Bank of England cuts rates"; "the Japan Times story" is The Japan
            # Times', not the Hindustan Times' story on Japan (when any source is by that
            # publisher; of those, the ones whose metadata holds the rest of the name).
            outlet = set(name_words(match, generic=True))
            by_publisher = {d for d, o in self.outlets.items() if o.named_by(outlet)} | self._squashed(match)
            # Initials the metadata writes for the name are the surer sign: "the External Affairs
            # Minister's statement" holds "minister" of another's "Prime Minister's visit" too.
            initialled = self._initialled(match)
            holding = initialled or self._holding(names)
            held |= self._published_as(names)
            order = self._order(question, match, names, by_publisher, holding)
            # One publisher's name and another's initials ("the Thai News Agency report": "Thai News
            # Agency" and "Pattaya Mail (TNA)") name one outlet twice.
            both = by_publisher | initialled if by_publisher and initialled else set()
            by_name |= (by_publisher & holding) or both or next((found for found in order if found), set())
        by_name |= self._said(question)
        dated = named_by_date(question)
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
        for match in SAID.finditer(question):
            said = set(name_words(match, generic=True))
            # The whole outlet, not a word of it: "did Japan describe" does not name The Japan Times.
            outlets = {d for d, o in self.outlets.items() if said and (o.named_by(said) or said & o.initials)}
            # "Per POLITICO" attributes as "according to" does, so a source whose metadata holds
            # the name is meant ("POLITICO Europe"); "did X say" may name a person, and does not.
            if not outlets and (match.group("per") or match.group("lead")):
                outlets = self._holding(name_words(match, generic=True))
            by_name |= outlets
        return by_name

    def misdated(self, question: str, known) -> str | None:
        """Why no source is the one a question names by its date: by name and date together
        ("the 2025 Reuters report" when the library's Reuters sources are of 2023), or by date
        alone ("the December 2025 statement") when every source is dated, none of that date,
        and no text speaks of that date (``known``, as in ``unknown_source``); else ``None``.
        Neither when a text names a source by that name with that year: it cites one."""
        question = spaced(question)
        for dated in named_by_date(question):
            for match in (m for m in name_matches(question) if m.re is NAMED):
                overlaps = match.start() < dated.end() and dated.start() < match.end()
                # The whole name, generic words too: "the 2028 Harbour News report" is about
                # Harbour News, not every source with "Harbour" in its name.
                holding = self._holding(name_words(match, generic=True)) if overlaps else set()
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
        for dated in named_by_date(question):
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
            for dated in named_by_date(spaced(question))
            if self._dated(dated)
            for word in tokens.words(dated.group("date") or dated.group("year") or dated.group("after"))
        }

    def _order(
        self, question: str, match: re.Match, names: list[str], by_publisher: set[str], holding: set[str]
    ) -> list[set[str]]:
        """The sources a name may name, surest first: by author, publisher or metadata holding it.

        After "according to" comes who says it; before "statement" the name may describe the
        document ("the India-Japan joint statement"), which its own metadata holds. A writer named
        in full ("Steve Gorman's Reuters story") outranks the outlet alone. A person's "Tokyo
        remarks" are theirs, given in Tokyo: only an outlet's name ("his Reuters interview") names a
        source there. "an emailed Hapag-Lloyd statement" is one of many, not the story whose title
        names the company; "a Reuters report", "an Ilse Varga story" and a whole title ("a World
        Health Statistics report") still name sources.
        """
        authored = self._by_author(names)
        before = match.start("name") if match.re is NAMED else 0
        if PERSONS.search(question, 0, before):
            return [by_publisher]
        if INDEFINITE.search(question, 0, before):
            # A title of two words or more, all named ("Hapag-Lloyd" is one): an untitled source's
            # empty title is no name.
            titles = {d: self.titles.get(d) or "" for d in holding}
            whole = {d for d, t in titles.items() if len(_named_words(t)) >= 2 and set(tokens.words(t)) <= set(names)}
            return [by_publisher, authored, whole]
        return [authored, by_publisher, holding] if match.re is ATTRIBUTED else [holding, authored, by_publisher]

    def _holding(self, names: list[str]) -> set[str]:
        """The sources whose metadata holds every one of ``names`` (none for no names)."""
        return {d for d, words in self.sources.items() if all(w in words for w in names)} if names else set()

    def _initialled(self, match: re.Match) -> set[str]:
        """The sources whose title or publisher writes in capitals the initials of the name as the
        question spells it out, three letters or more: "the External Affairs Minister's statement"
        is the "Press Statement by EAM" (not a title's word "aid" for "Asian Infrastructure
        Development")."""
        initials = {form for _, _, forms in tokens.spelled_out(name_written(match)) for form in forms if len(form) >= 3}
        return {d for d, capitals in self.capitals.items() if initials & capitals}

    def _each_held(self, match: re.Match, known: Callable[..., bool]) -> bool:
        """Whether "according to X and Y" names two sources one of which the library holds: by a
        publisher's name ("Reuters"), or, a name of two words or more, by metadata or a text
        holding them together ("Reuters and the Coastal Gazette"); the question may be answered
        from that one. Words alone on both sides are one name ("the Globe and Mail"), which a
        title saying "around the globe" or a text saying "send mail" does not hold."""
        parts = re.split(AND, name_written(match)) if match.re is ATTRIBUTED else []
        names = [[w.lower() for w in CAPITALISED.findall(p)] for p in parts]
        return len(parts) > 1 and any(
            any(outlet.named_by(set(words)) for outlet in self.outlets.values())
            or len(words) >= 2
            and (self._holding(words) or known(words))
            for words in names
        )

    def _published_as(self, names: list[str]) -> set[str]:
        """The sources whose publisher, as written, holds ``names`` (``outlets.holds``)."""
        return {d for d, written in self.publishers.items() if outlets.holds(written, names)}

    def _squashed(self, match: re.Match) -> set[str]:
        """The sources whose publisher's name as written is the name as written, spaces, stops and
        a leading "the" aside: "City A.M." names "CityAM", "Dev Discourse" "Devdiscourse"."""
        name = outlets.written(name_written(match))[1].removeprefix("the")
        if len(name) < 4:
            return set()
        return {d for d, (_, squashed) in self.publishers.items() if squashed.removeprefix("the") == name}

    def _by_author(self, names: list[str]) -> set[str]:
        """The sources one of whose authors ``names`` names in full: two words or more, all of
        them the author's ("dan goodin" for Dan Goodin), or all of the author's among them
        ("steve gorman reuters" for Steve Gorman)."""
        if len(names) < 2:
            return set()
        asked = set(names)
        return {d for d, by in self.authors.items() if any(asked <= a or len(a) >= 2 and a <= asked for a in by)}

    def _dated(self, match: re.Match) -> set[str]:
        """The sources of the date a ``DATED`` match gives: "January 30, 2025" names a source
        dated 2025-01, "2025" one dated 2025-01-30, and "the report of 1 July" one dated 2 July
        (a wire story is dated where it was filed, a site by where it was published). A source
        dated less precisely than asked ("2026" for "10 May 2026") is one only when none dated as
        precisely is: the bundled article of 2026 outranked the release of 10 May 2026."""
        asked = parse_date(match.group("date") or match.group("year") or match.group("after"))
        if not asked:
            return set()
        dated = {d: date for d, date in self.dates.items() if same_day(asked, date)}
        precise = {d for d, date in dated.items() if len(date) >= len(asked)}
        return precise or set(dated)

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
        said = [(m, (m.group("name") or "-").split()[-1].lower() in outlets.MASTHEADS) for m in SAID.finditer(question)]
        per = [m for m, paper in said if paper or m.group("lead") or len((m.group("per") or "").split()) >= 2]
        for match in [*name_matches(question), *per]:
            names = name_words(match)
            # "the Japan Times analysis" names a paper: held by a publisher of that name, not by
            # the Shillong Times' story whose title says "Japan".
            masthead = match.re is not ATTRIBUTED and len(names) >= 2 and names[-1] in outlets.MASTHEADS
            if masthead and self._published_as(names):
                continue
            if (
                not names
                or (not masthead and self._holding(names))
                # "City A.M." and "City AM" name the publisher "CityAM": its letters run together.
                or self._squashed(match)
                or self._by_author(names)
                or self._initialled(match)
                or self._each_held(match, known)
            ):
                continue
            if match.re is not NAMED:
                # The whole name as asked, "News" of "Kyodo News Agency" too; or, for "Ilse Varga
                # of Veltrana", the person before "of", whom the text may name without the place.
                name = name_written(match)
                # "Ilse Varga of Veltrana": the person the text names; not "Council" of "Council of Europe".
                first = re.split(r"\s+(?:of|for)\s+", name)[0]
                # "The Hindu" is the paper's name only as written so ("Hindu traditions" is not the
                # paper); initials ("the AAA") may be spelled out ("American Automobile Association").
                written = name if name.startswith("The ") or INITIALS.fullmatch(name) else None
                held = known(tokens.words(name), written) or (
                    first != name and len(first.split()) >= 2 and known(tokens.words(first))
                )
            elif masthead:
                # Or by a text that names the paper, as after "according to".
                held = known(names)
            else:
                upper = {w.lower(): w for w in CAPITALISED.findall(name_written(match)) if INITIALS.fullmatch(w)}
                held = all(w in self.vocabulary or known([w], upper.get(w)) for w in names)
            if not held:
                return (match.group(0) if match.re is NAMED else name_written(match)).strip()
        return None


def _cites(match: re.Match, dated: re.Match, known) -> bool:
    """Whether a text cites the source a ``NAMED`` match gives, name, noun and ``DATED`` year six
    words apart at most ("a European Commission report published in 2023"; not a dateline)."""
    year, noun = re.search(r"(?:19|20)\d\d", dated.group(0)), match.group(0).split()[-1].lower()
    return bool(year) and known([*name_words(match, generic=True), noun, year.group(0)], apart=6)


def _spoken_of(dated: re.Match, known) -> bool:
    """Whether the library's text speaks of the date a ``DATED`` match gives, its month written
    in any of its forms ("December 2030", "Dec. 15, 2030"): ``known`` as in ``unknown_source``."""
    asked = parse_date(dated.group("date") or dated.group("year") or dated.group("after")) or ""
    year, month = asked[:4], asked[5:7]
    if not month:
        return bool(year) and known([year])
    return any(known([name, year]) for name, number in MONTHS.items() if number == int(month))
