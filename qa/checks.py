"""What a question pins down, and whether the best passages hold it: the thing a count counts,
the kind of answer asked for (a date, a figure, an amount), a role asked for ("the chief
executive of"), and its names and numbers (the edition asked about: ``qa.editions``).

Each check was once a rule that refused on its own; ``qa.abstain`` now weighs each as one piece
of evidence whose weight was fitted on data it was not written from. The checks read passages as
``tokens.words`` lists (``found``), their stems (``found_stems``), and their best sentences
(``retrieve.Scored.sentence``) with stems (``best``), best first.
"""

from __future__ import annotations

import re

from citeqa.corpus import tokens
from citeqa.corpus.dates import DAYS_AND_MONTHS
from citeqa.corpus.sentences import split_sentences
from citeqa.qa.answer_types import (
    DATE_TYPES,
    FIGURE,
    NUMBER_WORD,
    ORDINALS,
    answer_fit,
    has_count,
    measure_asked,
    undated,
)
from citeqa.qa.counts import Similar, counted, counted_as, group_counted
from citeqa.qa.editions import ANSWERING
from citeqa.qa.highlight import pairs

# Words that name the kind of answer rather than what it is about.
_ANSWER_TYPE_WORDS = {
    tokens.stem(w)
    for w in "year years date day month percentage percent share proportion rate amount money "
    "value price sum cost long time number total".split()
}

# A word as ``tokens.words`` reads one, an inner apostrophe kept: "N'Yaaqoub", "O'Brien" are one
# name in the passages, and checked as two words ("n", "yaaqoub") they were never found there.
_TERM = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# People counted under another name: "how many people" by any noun for people ("5,000 DevSecOps
# professionals"), "how many workers" by another name for a workforce ("1,200 Indian personnel");
# "how many soldiers" by no count of civilians.
_ANY_PEOPLE = frozenset("people persons individuals".split())
_WORKFORCE = frozenset("workers employees staff personnel professionals labourers laborers".split())
_PEOPLE_NOUNS = (
    "officials members residents citizens students children adults men women soldiers troops nurses doctors "
    "engineers scientists researchers participants delegates attendees visitors tourists migrants refugees "
    "passengers voters fans spectators players athletes volunteers experts specialists technicians officers "
    "police civilians patients victims respondents users customers inhabitants".split()
)
# A count beside a noun for people, not "one of the officials", "two officials said" (a source)
# nor "5 March officials" (a day).
_COUNT_BEFORE = rf"(?:(?!(?:19|20)\d\d\b){FIGURE}|\b{NUMBER_WORD}\b)(?!\s+of\b|\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)(?:\s+[^\W\d_][\w-]*){{0,2}}?\s+"
_SOURCE_SAID = r"(?!\s+(?:said|say|says|told|added)\b)"


def _counts(nouns) -> re.Pattern:
    """A count of one of ``nouns`` (see ``_COUNT_BEFORE``)."""
    return re.compile(rf"{_COUNT_BEFORE}(?:{'|'.join(sorted(nouns))})\b{_SOURCE_SAID}", re.IGNORECASE)


_COUNTS_ANYONE = _counts(_ANY_PEOPLE | _WORKFORCE | set(_PEOPLE_NOUNS))
_COUNTS_WORKFORCE = _counts(_WORKFORCE)
# "When does the process stop?" asks what happens as well as at what time: "as soon as three calls
# fail" answers it. "When did the talks start?" and "When is the festival held?" ask for a date.
_ASKS_CONDITION = re.compile(r"^\s*when (?:does|do|can|could|should|must|may|might)\b", re.IGNORECASE)
# Words that open a condition ("when three calls fail"), not a time ("after months of debate").
_CONDITION = re.compile(r"\b(?:as soon as|once|whenever|if|unless|upon|when|every time|each time)\b", re.IGNORECASE)
_ASKS_MONEY = re.compile(
    r"\bhow much (?:money|funding|financing|finance|investment|capital|aid|assistance|credit|loans?|grants?"
    r"|subsid(?:y|ies)|revenue|profit|spending"
    # "How much does the ship weigh?" asks for a weight, not a sum.
    r"|(?:did|does|do|was|is|will|has|have)\b(?![^?.;]*\bweigh))\b|\bfor how much\b"
    # Or qualified as a sum: "What minimum price floor did they set?", not "Which metal price rose?".
    r"|\b(?:what|which) (?:(?:dollar|euro|yen|rupee|pound|cash) )?(?:amount|sum|price|budget)\b"
    # "What is the estimated construction cost of the campus?": the sum it costs; not "the human
    # cost" or "the political cost", nor "the cost of living".
    r"|\bwhat (?:is|was|will be|would be) the (?:(?:estimated|projected|expected|total|overall|final|initial"
    r"|annual|construction|building|project|capital|unit|average) ){0,2}costs?\b(?!-| of living\b| in lives\b)"
    r"|\bwhat (?:minimum|maximum|total|average|annual|base|floor|reserve|target|purchase|sale|selling|asking)"
    r" (?:amount|sum|price|budget)\b"
    # "What was the value of bilateral trade", not "the strategic value of the port's trade links".
    r"|\b(?:(?:total|annual|combined|overall)|what (?:is|was|are|were) the) value of (?:[^\W_]+\W+){0,4}?"
    r"(?:trade|exports?|imports?|investments?|deals?|contracts?|sales|assets|projects?|aid|loans?|orders?)\b"
    r"|\bvalue of\b.*\bin (?:us )?dollars\b"
    r"|\bexchange rate\b|\bin (?:us dollars|dollars|yen|rupees|euros)\b",
    re.IGNORECASE,
)
# "How much has cooperation grown?" asks how far, not how much money.
_ASKS_CHANGE = re.compile(
    r"\bhow much\b.*\b(?:grow|grows|grew|grown|rise|rises|rose|risen|fall|falls|fell|fallen"
    r"|shrink|shrinks|shrank|shrunk"
    r"|(?:increase|change|improve|decline)[sd]?|(?:expand|deepen|widen|narrow)(?:s|ed)?"
    # A rate or output cut or raised by so much: "How much did the bank cut rates by?" ("raise"
    # and "lower" only with "by": "How much funding did it raise?" asks for money).
    r"|cuts?|(?:reduce|hike)[sd]?|(?:boost|jump|climb)(?:s|ed)?|drops?|dropped|slash(?:es|ed)?)\b"
    r"|\bhow much\b.*\bby\s*\??\s*$"
    # "By how much did member states raise the benchmark?" asks for the change, in whatever unit.
    r"|\bby how much\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    # Codes close up to their figures ("GBP91.20/MWh", "SEK 3bn"; "the CNY holiday" is none).
    r"[$¥₹€£₩]|\b(?:usd|jpy|inr|eur|gbp|aud|cad|cny|rmb|krw|chf|sgd|hkd|nzd|sek)\s?\d"
    r"|\b(?:dollars?|yen|rupees?|euros?|pounds sterling|yuan|crores?|lakhs?)\b"
    r"|\b\d[\d,.]*\s*(?:billion|million|trillion|bn|mn)\b"
    # Currencies by name after a figure, in lower case ("14,000 rupiah"; "the 1980 Rand agreement"
    # is none), and the won after its scale only ("In 2022 won the award").
    r"|\d\s*(?-i:rupiah|ringgit|baht|pesos?|reais|francs?|lira|rand|dirhams?|riyals?|naira|shillings?|kron[aeo]r?"
    r"|zloty|rubles?|roubles?)\b|\b(?:million|billion|trillion)\s+won\b",
    re.IGNORECASE,
)
# "Who is the chief executive of X", "What is the name of India's ambassador to Japan": a person
# asked for by role, a definite noun phrase; the role must be something the sources speak of.
# ("Who is funding the projects?" names no role.)
_WHO_ROLE = re.compile(
    r"^\s*(?:who (?:is|was|are|were)|what (?:is|was|are|were) the names? of) (?:the (?:current )?|[^\W_]+['’]s )"
    r"(.+?) (?:of|at|for|in|to|during|that|which|who|whose)\b",
    re.IGNORECASE,
)


# Words that make a question ask what is not so, in lower case or opening it: a capital one
# inside it starts a name ("No Country for Old Men", "Dr. No").
_NEGATORS = "not|never|no|none|nor|neither|cannot|nobody|nothing|nowhere|without"
_NEGATED = re.compile(
    rf"\b(?:{_NEGATORS})\b|^\W*(?i:{_NEGATORS})\b|n['‘’]t\b"
    r"|\b(?:did|does|do|is|was|were|are|has|have|had|could|would|should)nt\b"
)
# Those words where they negate nothing the question asks: an alternative ("whether or not"), an
# addition ("not only"), a bound ("no later than"), a compound ("no-fly zone", "yes/no"), a
# number ("no. 10") or a quoted title ("Don't Look Up").
_NOT_NEGATING = re.compile(
    r"\b(?:whether or not|or not|if not|not only|not just|not least|not counting|no matter|yes/no|yes or no)\b"
    r"|\bno (?:fewer|more|less|later|earlier|sooner) than\b|\b(?:no|not|non|never)-\w|\bno\.\s*\d"
    r'|"[^"]*"|“[^”]*”',
    re.I,
)
# How a passage says that something is not so, "not" or otherwise: verbs that undo or stop a
# thing ("the service was suspended", "the buildings were destroyed") answer "Why is it not ...?".
_UNDOING = (
    r"suspend(?:s|ed|ing)?|suspension|cancel(?:s|led|ed|ling|ing|lation|ation)?|postpon(?:e|es|ed|ing|ement)|"
    r"halt(?:s|ed|ing)?|stop(?:s|ped|ping)?|ceas(?:e|es|ed|ing)|ban(?:s|ned|ning)?|prohibit(?:s|ed|ing|ion)?|"
    r"forb(?:id|ids|idden|ade)|block(?:s|ed|ing)?|reject(?:s|ed|ing|ion)?|withdr(?:aw|aws|awn|awing|awal|ew)|"
    r"exclu(?:de|des|ded|ding|sion)|prevent(?:s|ed|ing)?|avoid(?:s|ed|ing)?|declin(?:e|es|ed|ing)|"
    r"omit(?:s|ted|ting)?|abandon(?:s|ed|ing)?|destr(?:oy|oys|oyed|oying|uction)|demoli(?:sh|shed|tion)|"
    r"los(?:e|es|t|ing)|miss(?:es|ed|ing)|delay(?:s|ed|ing)?|clos(?:ed|ing|ure)|shut(?:s|ting)?|"
    r"scrap(?:s|ped|ping)?|repeal(?:s|ed|ing)?|abstain(?:s|ed|ing)?|abstention|collaps(?:e|es|ed|ing)|"
    r"defeat(?:s|ed|ing)?|retir(?:e|es|ed|ing)|(?:called|turned|voted|struck|left) (?:off|down|out)|"
    r"(?:pushed|put|held) (?:back|off)|(?:walked|ruled|opted|left|leaving) out|exempt\w*|spared|silent|"
    r"laps(?:e|es|ed|ing)|skip(?:s|ped|ping)?|boycott\w*|veto(?:es|ed|ing)?|"
    # Words negative by their prefix ("unprofitable", "non-native", "disallowed"), not "under" or "united".
    r"un(?!der|it|ion|iq|iv|anim|cle|til)\w{3,}|non-?\w{3,}|"
    r"dis(?:allow|agree|approv|continu|miss|band|mantl|qualif|solv|appear|card)\w*"
)
_NEGATION_CUE = re.compile(
    rf"\b(?:{_NEGATORS}|lack\w*|fail\w*|unable|absen\w+|except\w*|instead|rather than|refus\w+|den(?:y|ied|ies)"
    rf"|only|\w{{3,}}less(?:ly|ness)?|{_UNDOING})\b"
    r"|n['‘’]t\b",
    re.I,
)
# Words read as cues above that negate nothing.
_NOT_NEGATION_CUES = frozenset("unless nevertheless nonetheless regardless".split())


def count(
    question: str, found_stems: set[str], best: list[tuple[str, set[str]]], similar: Similar | None = None
) -> tuple[float, str | None]:
    """A count must stand beside the thing counted, which the passages must name: 1 and the reason
    when they never name it or no best sentence naming it gives a number, else 0. A best sentence
    may count it under another name ("16 companies" for "how many firms"), which ``similar``
    (cosines by the bundled model) tells, or count the group the question says it makes up ("its
    264-strong fleet" for "how many ships make up the fleet")."""
    thing = counted(question)
    if not thing:
        return 0.0, None
    head = thing[-1].lower()
    people = _COUNTS_ANYONE if head in _ANY_PEOPLE else _COUNTS_WORKFORCE if head in _WORKFORCE else None
    if people and any(people.search(undated(text)) for text, _ in best[:ANSWERING]):
        return 0.0, None
    missing = any(tokens.stem(w.lower()) not in found_stems for w in thing)
    beside = any(has_count(t) for t, stems in best[:ANSWERING] if tokens.stem(head) in stems)
    if missing or not beside:
        if all(tokens.stem(w.lower()) in found_stems for w in thing[:-1]) and counted_as(head, best, similar):
            return 0.0, None
        if group_counted(question, best):
            return 0.0, None
    if missing:
        return 1.0, f"the passages found never count {' '.join(thing)}"
    if not beside:
        return 1.0, f"the question asks how many {' '.join(thing)} and the sentences found give no number"
    return 0.0, None


def kind(
    question: str, wants: str | None, best: list[tuple[str, set[str]]], dated: bool = False, authored: bool = False
) -> tuple[float, str | None]:
    """0 when a best sentence sharing a word for what is asked about gives the kind of answer asked
    for; 0.5 when only one sharing a name does (most often it dates or counts something else, but
    "John Gallagher (1919–1980)" answers "When was John Gallagher born?"); else 1 and the reason.
    When the source's date is asked for, its metadata's (``dated``) answers as well as a dateline;
    when its author is, the authors its metadata names (``authored``: a web page's byline is
    metadata, seldom in its text) as well as a byline."""
    if wants == "published":
        if dated or any(answer_fit(text, wants) for text, _ in best[:ANSWERING]):
            return 0.0, None
        return 1.0, "the question asks when the source came out and the passages found give no dateline for it"
    if wants == "author":
        # A byline shares no word with the question: any best sentence may be it.
        if authored or any(answer_fit(text, "author") for text, _ in best[:ANSWERING]):
            return 0.0, None
        return 1.0, "the question asks who wrote the source and the passages found name no author"
    about = _about(question)
    reason = _kind_missing(question, wants, [text for text, stems in best[:ANSWERING] if about & stems])
    if not reason:
        return 0.0, None
    names = {tokens.stem(w) for w in named_terms(question)}
    if names and not _kind_missing(question, wants, [text for text, stems in best[:ANSWERING] if names & stems]):
        return 0.5, None
    return 1.0, reason


def _kind_missing(question: str, wants: str | None, sentences: list[str]) -> str | None:
    """Why ``sentences`` do not give the kind of answer asked for (``None``: they do, or none is)."""
    measure = measure_asked(question)
    if (
        measure
        and not counted(question)
        and not any(has_count(t) or _MONEY.search(t) or answer_fit(t, "percent") for t in sentences)
    ):
        return f"the question asks for the {measure} and the sentences found give no figure"
    if (
        wants == "number"
        and not counted(question)
        and not any(answer_fit(t, "number") or answer_fit(t, "percent") or _MONEY.search(t) for t in sentences)
    ):
        # "By how much did the index fall?", "How old is the plant?": no thing is counted, but a
        # figure is asked for.
        return "the question asks for a figure and the sentences found give none"
    if wants == "percent" and not any(answer_fit(t, "percent") for t in sentences):
        return "the question asks for a percentage or rate and the sentences found give none"
    if (
        _ASKS_MONEY.search(question)
        and not _ASKS_CHANGE.search(question)
        and not any(_MONEY.search(t) for t in sentences)
    ):
        return "the question asks for an amount of money and the sentences found give none"
    if wants == "duration" and not any(answer_fit(t, "duration") for t in sentences):
        return "the question asks how long and the sentences found give no duration"
    if (
        wants in DATE_TYPES
        and not any(answer_fit(t, wants) for t in sentences)
        and not (_ASKS_CONDITION.search(question) and any(_CONDITION.search(t) for t in sentences))
    ):
        return "the question asks when and the sentences found give no date"
    return None


def role(question: str, found_stems: set[str]) -> tuple[float, str | None]:
    """A person asked for by role ("India's ambassador to Japan") needs that role in the passages:
    1 and the reason when a word of it is never mentioned, else 0."""
    match = _WHO_ROLE.search(question)
    if match and any(not _mentioned(w, found_stems) for w in tokens.words(match.group(1))):
        return 1.0, f"the passages found never mention {_a(match.group(1))}"
    return 0.0, None


def negation(question: str, passage: str) -> tuple[float, str | None]:
    """A question asking what is not so ("Which region did not invent the machine gun?") against
    a best passage that states nothing as not so: 1 and the reason, else 0.

    Evidence, not a rule: of the 4,456 training rows it held for 79, 6 of them answerable (an
    answer may say "inactive"). Of those rows, 442 ask a negated question and 380 of those are
    unanswerable (SQuAD's own, written to look answerable, and questions asked of another
    article's library), so its fitted weight may run strong where users ask negated questions
    in earnest. The passage's cues are read widely ("lacks", "failed", "except", "only",
    "valueless", "suspended", "unprofitable") so that an answer put without "not" is not taken
    for none. Only the best passage judged is read (a named source's, when the question names
    one): over the best five, some passage nearly always negates something, and the fitted weight
    of the evidence fell to 0.
    """
    negated = _NEGATED.search(_NOT_NEGATING.sub(" ", question))
    if not negated or any(m.group(0).lower() not in _NOT_NEGATION_CUES for m in _NEGATION_CUE.finditer(passage)):
        return 0.0, None
    return (
        1.0,
        f"the question asks what is not so (“{negated.group(0).lower()}”), and the best passage states no negation",
    )


def _mentioned(word: str, stems: set[str]) -> bool:
    """Whether ``word`` is among ``stems``, allowing for derivation the stemmer leaves apart
    ("ambassador" and "ambassadorial") and another name of a country ("UK" and "Britain")."""
    return tokens.spelled_in(word, stems) or len(word) >= 5 and any(s.startswith(word[:5]) for s in stems)


def _a(noun_phrase: str) -> str:
    """ "a chief executive", but "co-chairs": the article a reason needs."""
    plural = noun_phrase.endswith("s") and not noun_phrase.endswith("ss")
    return noun_phrase if plural else f"{'an' if noun_phrase[:1].lower() in 'aeiou' else 'a'} {noun_phrase}"


def _about(question: str) -> set[str]:
    """Stems of the words saying what the question is about: its content words less names,
    editions and words naming the kind of answer (all of its words if nothing is left)."""
    names = set(named_terms(question))
    words = tokens.words(question)
    about = {tokens.stem(w) for w in words if w not in names and w not in ORDINALS} - _ANSWER_TYPE_WORDS
    return about or {tokens.stem(w) for w in words}


# Units named after people, capitalised as names but written as symbols ("in degrees Celsius":
# "565 °C"); after "degrees", "in" or "°" only ("What did Anders Celsius propose?" names him).
_UNIT = re.compile(r"(?:\bdegrees?\s+|\bin\s+|°\s*)(celsius|fahrenheit)\b", re.IGNORECASE)


def named_terms(question: str) -> list[str]:
    """Names and numbers in the question: words holding a capital or a digit.

    The first word is skipped unless it holds a digit: grammar capitalises it, not its being a name.
    """
    out = []
    units = {m.start(1) for m in _UNIT.finditer(question)}
    for i, match in enumerate(_TERM.finditer(question)):
        word = match.group(0)
        if not any(c.isupper() or c.isdigit() for c in word) or (i == 0 and not any(c.isdigit() for c in word)):
            continue
        if match.start() in units:
            continue
        for part in tokens.words(word):
            # "3rd" is an edition, which the ordinal check weighs.
            if part not in out and part not in ORDINALS:
                out.append(part)
    return out


def apart(question: str, texts: list[str], initials: set[str]) -> tuple[float, str | None]:
    """A name of two words or more ("the International Energy Agency") must be written whole in
    ``texts`` (the passages and their sources' titles and publishers), or as initials they write
    (``initials``): 1 and the reason when no two neighbouring words of it stand together in a
    sentence there (in either order: "Commerce Department" is the "Department of Commerce"), as
    when each word comes from elsewhere ("Energy" in one story, "Agency" in a news agency's name),
    else 0. Names joined by "and", "in", "on" or a hyphen ("Modi and Ishiba", "AUSMIN in Sydney",
    "Modi-Ishiba") are each a name; a middle initial is passed over ("Jane M. Smith" is Jane
    Smith); months and weekdays date, they name nothing; the question's first word is
    capitalised by grammar."""
    sentences = [_name_words(text[a:b]) for text in texts for a, b in split_sentences(text)]
    held = set().union(*(pairs(words) for words in sentences))
    # A word never written at all is the evidence "unnamed" weighs; this is for names whose words
    # are all there, but never together.
    stems_held = {tokens.stem(w) for words in sentences for w in words}
    rest = question.split(None, 1)[1] if len(question.split(None, 1)) > 1 else ""
    for written, _, forms in tokens.spelled_out(rest):
        if forms & initials:
            continue
        for name in _JOINED.split(written):
            stems = [tokens.stem(w) for w in _name_words(name)]
            # Initials mix with spelled-out words in every order ("CRM Alliance" for the Critical
            # Raw Materials Alliance (CRMA)): such a name is not checked.
            if len(stems) < 2 or tokens.initialisms(name) or not set(stems) <= stems_held:
                continue
            joined = set(zip(stems, stems[1:], strict=False))
            if not (joined | {(b, a) for a, b in joined}) & held:
                parts = name.split()
                while parts and parts[0].lower() in tokens.STOPWORDS:
                    parts.pop(0)
                return 1.0, f"the passages found never name {' '.join(parts)!r}, only words of it apart"
    return 0.0, None


def _name_words(text: str) -> list[str]:
    """``tokens.words`` of ``text`` but initials, months and weekdays."""
    return [w for w in tokens.words(text) if len(w) > 1 and w not in DAYS_AND_MONTHS]


# What joins two names in one run of capitalised words.
_JOINED = re.compile(r"\s+(?:and|&|in|on)\s+|\s*-\s*")
