"""What a "how many" question counts, and a count under another name: "16 companies" counts
the firms a question asks about, as the bundled model's word vectors tell; "three months" counts
no weeks."""

from __future__ import annotations

import re
from collections.abc import Callable

from citeqa.corpus import tokens
from citeqa.corpus.dates import undated
from citeqa.qa.answer_types import FIGURE, IRREGULAR_PAST, NUMBER_WORD
from citeqa.qa.editions import ANSWERING

#: Plurals not in "-s", after which a count's thing ends as after one in "-s".
_PLURALS = frozenset("people children men women police staff personnel cattle media data".split())
_COUNTED = re.compile(r"\bhow many\s+([^?.,;]+)", re.IGNORECASE)
# "How many per cent" asks for a percentage, which has its own check.
_PER_CENT = re.compile(r"per ?cent\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")


def counted(question: str) -> list[str]:
    """The words naming what a "how many" question counts, as written ("Indian departments" in
    "How many Indian departments participated?"), if it is one.

    The phrase ends at a function word, at a verb in "-ed" ("participated", "founded"), or after
    four words, and then after its last plural ("key sectors" of "key sectors form the focus"):
    a count names its thing in a few words, most often a plural noun. A compound is one word of
    the four ("ocean-going cable-laying ships" counts ships). An abbreviation's full stops end
    nothing: "How many U.S. Marines" counts "US Marines".
    """
    match = _COUNTED.search(tokens.undotted(question))
    if not match or _PER_CENT.match(match.group(1)):
        return []
    counted = []
    for parts in [parts for parts in map(_WORD.findall, match.group(1).split()) if parts][:4]:
        lower = parts[0].lower()
        # A compound names the thing ("state-owned firms", "semi-skilled workers"); a word alone may
        # end it, a function word or a verb.
        if len(parts) == 1 and (
            lower in tokens.STOPWORDS or counted and (lower.endswith("ed") or lower in IRREGULAR_PAST)
        ):
            break
        counted += [part for part in parts if part.lower() not in tokens.STOPWORDS]
    plurals = [
        i
        for i, word in enumerate(counted)
        if word.lower() in _PLURALS or word.lower().endswith("s") and not word.lower().endswith("ss")
    ]
    return counted[: plurals[-1] + 1] if plurals else counted


#: Cosines between a word and each of some others, by the bundled model (``Asker.similarity``).
Similar = Callable[[str, list[str]], list[float]]

#: The cosine (bundled model) at which a noun a sentence counts is another name for the one a
#: question counts. On 32 word pairs, synonyms scored 0.79-0.89 (countries/nations 0.79,
#: people/individuals 0.82, workers/employees 0.85, firms/companies 0.87, soldiers/troops 0.89)
#: and different things up to 0.85 (cities/towns 0.81, husbands/wives 0.85), units 0.75-0.89
#: (weeks/months, gigabytes/megabytes, millions/billions: never another name for each other) and
#: words of one root 0.76 (ministries/ministers). 0.8 keeps most synonyms and few others.
SAME_THING = 0.8
# Units and magnitudes: a count of one is never a count of another, however close the words.
_UNITS = frozenset(
    "second minute hour day week month year decade century hundred thousand million billion trillion dozen "
    "byte kilobyte megabyte gigabyte terabyte metre meter kilometre kilometer mile foot feet inch yard gram "
    "kilogram tonne ton pound ounce litre liter gallon barrel dollar euro yen rupee crore lakh percent point "
    "degree acre hectare watt kilowatt megawatt gigawatt".split()
)
# The words after a count: "16 companies that work with batteries", "two Chinese firms".
_AFTER_COUNT = re.compile(rf"(?:(?!(?:19|20)\d\d\b){FIGURE}|\b{NUMBER_WORD}\b)((?:\s+[^\W\d_][\w-]*){{1,3}})", re.I)


# A group counted by its members: "its 264-strong fleet", "a 39-member coalition".
_MEMBERS = re.compile(rf"(?:{FIGURE}|\b{NUMBER_WORD})-(?:strong|member)\s+([^\W\d_][\w-]*)", re.I)
# The group after its verb: up to four words before it ("the combined Vell Line", "Vell Line's
# naval", "the U.S."), none that opens another clause or phrase ("... after they joined the march",
# "joined the sanctions against the coalition", "the commander of the fleet", "in favour of").
_OWNER = (
    r"\s+(?:(?!(?i:after|before|that|which|who|when|while|where|because|if|say|said|says|of|against|outside"
    r"|from|with|to|for|at|on|by|over|near|into|about|across|around|in|favour|favor)\b)[\w.'’-]+\s+){{0,4}}?"
    r"(?i:{group})s?\b"
)
# A question asking what a group is made of, its verb right after the thing counted and tied to
# the group: "How many ships make up the fleet?", "... are in the fleet", "... joined the
# coalition", "... does the board have?"; not "How many ships did the fleet lose?".
_MADE_OF = (
    r"\b(?i:how many)\s+(?:[\w-]+\s+){{1,3}}?(?:(?i:(?:make|makes|made)\s+up|join(?:s|ed)?|compris(?:e|es|ed))"
    + _OWNER
    + r"|(?i:(?:are|is|were|was)\s+(?:there\s+)?(?:\w+ly\s+)?in)"
    + _OWNER
    + r"|(?i:do|does|did)"
    + _OWNER
    + r"\s+(?i:ha(?:ve|s|d))\b)"
)


def group_counted(question: str, best: list[tuple[str, set[str]]]) -> bool:
    """Whether a best sentence counts the members of a group the question asks what it is made
    of (``_MADE_OF``): "its 264-strong fleet" gives how many ships make up the fleet, "a 39-member
    coalition" how many countries joined the coalition."""
    groups = {m.group(1) for t, _ in best[:ANSWERING] for m in _MEMBERS.finditer(undated(t))}
    return any(re.search(_MADE_OF.format(group=re.escape(group)), question) for group in groups)


def counted_as(head: str, best: list[tuple[str, set[str]]], similar: Similar | None) -> bool:
    """Whether a best sentence counts ``head`` under another name (``SAME_THING``)."""
    if similar is None or _unit(head):
        return False
    after = {w for t, _ in best[:ANSWERING] for m in _AFTER_COUNT.finditer(undated(t)) for w in m.group(1).split()}
    # Words of one root ("ministries", "ministers") are kin, not other names for each other.
    nouns = sorted(w for w in after if w.lower() not in tokens.STOPWORDS and w.lower()[:5] != head[:5] and not _unit(w))
    return bool(nouns) and max(similar(head, nouns)) >= SAME_THING


def _unit(word: str) -> bool:
    """Whether a word is a unit or magnitude (``_UNITS``), singular or plural."""
    word = word.lower()
    return word in _UNITS or word.removesuffix("s") in _UNITS or word.removesuffix("es") in _UNITS
