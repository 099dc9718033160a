"""The kind of answer a question asks for (a date, a number, a place...), whether a sentence
holds it, and the editions ("the third dialogue") a question asks about.

Both the ranker (``qa.retrieve``) and the answerability checks (``qa.checks``) weigh these; the
ranker's ``FEATURES`` are computed from them, so a change here changes what the fitted models see.
"""

from __future__ import annotations

import re

from citeqa.corpus.dates import CAPITALISED_MONTH, CLOCK, DATE_IN_TEXT, DAY_DATE_LEAD, MONTHS, timestamp, undated
from citeqa.corpus.references import running_text

#: A number written out, as counts, durations and percentages are: "five", "twenty", "hundreds".
NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?"
    r"|millions?|billions?|dozens?)"
)
# A count by the group it makes: "signed a trio of documents"; not "the Quartet met", "currency pairs".
_GROUP = r"\b(?:a|the)\s+(?:pair|duo|trio|quartet)\s+of\b"
#: A figure standing alone: not part of "5G", "15th" or "2nd".
FIGURE = r"(?<![\w./-])\d[\d,.]*(?![\w/])"
_NUMBER = re.compile(rf"{FIGURE}|\b{NUMBER_WORD}\b|{_GROUP}", re.IGNORECASE)
# A figure written with its currency's letters or its unit ("N500m", "£5m", "5bn", "120Hz", "10km"),
# which ``FIGURE`` leaves out so that "5G" and "15th" name nothing.
_UNIT_FIGURE = re.compile(
    r"(?<![\w.])(?:[$£€¥₹]|Rs\.?|[A-Z]{1,2}\$?)?\d[\d,.]*\s?(?:(?i:k|m|b|t|bn|mn|tn)|Hz|kHz|MHz|GHz|km|kg|mg|ml|mm|cm"
    r"|mph|GB|MB|TB|MW|GW|kW|kWh|ft|lbs?)\b"
)
# A count, not a year: "three", "12", "1,200" but not "2014".
_CARDINAL = re.compile(rf"(?!(?:19|20)\d\d\b){FIGURE}|\b(?:{NUMBER_WORD}|several|a few)\b|{_GROUP}", re.IGNORECASE)

_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
#: Ordinals as written, to the edition they name: "inaugural", "1st" and "first" are all the first;
#: "13th" and "thirteenth" the thirteenth.
_DIGITS = [f"{n}{'th' if 10 <= n % 100 <= 20 else _SUFFIXES.get(n % 10, 'th')}" for n in range(1, 100)]
ORDINALS = {
    **{w: w for w in _ORDINAL_WORDS},
    **{digits: _ORDINAL_WORDS[n] if n < len(_ORDINAL_WORDS) else digits for n, digits in enumerate(_DIGITS)},
    "inaugural": "first",
}

#: A question asking for a quantity: "What is the population of Cuttack?", "What's JOGMEC's
#: annual budget?", "What was the dollar value of the fine?". Group 1 names it ("annual budget").
MEASURE = re.compile(
    r"\bwhat(?:['’]s| is| was| are| were) (?:the |[^\W_]+['’]s )?((?:[^\W_]+ ){0,2}?(?:population|budget|capacity"
    r"|size|revenues?|turnover|gdp|costs?|prices?|volume|output|income|salary|headcount|workforce|length|height"
    r"|weight|distance|speed|age|amount|total|number(?! one\b)|count|(?:dollar|euro|yen|pound|rupee|market|trade"
    r"|export|import|deal|contract|estimated|combined|overall|annual) values?(?! (?:proposition|chain|added)\b)))\b",
    re.IGNORECASE,
)

#: Verbs in the past not in "-ed", which end the thing a count counts: "How many people | took part?".
IRREGULAR_PAST = frozenset(
    "took came went got saw gave ran fell rose grew left lost paid sent spent sold bought brought kept told "
    "said found became began chose drew drove flew knew wrote spoke stood sat threw wore won held met led made "
    "built".split()
)
# "How long was the joint statement?" asks for a length in pages or words, not a duration
# ("How long is the agreement?" may ask how long it runs: agreements are not in the list).
_ASKS_LENGTH = re.compile(
    r"\bhow long\s+(?:is|was|are|were)\s+(?:the|this|that|its|their)\s+"
    r"(?:(?!(?:the|a|an|of|before|after|since|until)\b)[\w-]+\s+){0,3}?"
    r"(?:statement|report|document|text|declaration|communiqu[eé]|article|speech|letter|book|paper|list"
    r"|decision|ruling|judgment|judgement|manual|transcript)s?"
    # The document ends the clause, or what follows only says which one it is ("the statement
    # Derbez proposed?"): "How long was the decision delayed?", "How long was the decision
    # Trump announced delayed?" and "How long was the report's author in office?" ask durations.
    r"(?=\s*[?.]*\s*$|\s+(?:that|which|issued|released|published|signed|adopted|following|from|of|on)\b"
    rf"|\s+(?-i:[A-Z])\w*\s+(?-i:[a-z]+ed|{'|'.join(sorted(IRREGULAR_PAST))})\s*[?.]*\s*$)",
    re.IGNORECASE,
)
_ASKS_DURATION = re.compile(r"\bhow long\b|\bfor how many (?:days|weeks|months|years|hours)\b", re.IGNORECASE)
_DURATION = re.compile(
    rf"\b(?:\d+|{NUMBER_WORD}|several|a few|many|a)[- ](?:day|week|month|year|hour|minute|decade)s?\b"
    r"|\b(?:from|between) .{1,40}\b(?:to|until|and)\b"
    # How long it runs is when it ends: "will run through June", "until 31 December 2031", "runs to
    # the end of 2027", "until next year" (a month in capitals: "ran until may be needed" ends
    # nothing; "grew through the year" names no end).
    r"|\b(?:until|till|through|to\s+the\s+end\s+of)\s+(?:the\s+end\s+of\s+)?(?:early\s+|mid-?|late\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:(?-i:{CAPITALISED_MONTH})\b|(?:the\s+year\s+)?(?:19|20)\d\d\b|(?:this|next)\s+year\b)"
    r"|\b(?:until|till|through|to)\s+the\s+end\s+of\s+the\s+year\b"
    # "How long is the canal?" asks for a length: "164km", "51 miles", "a length of 1,200 metres".
    r"|\d[\d,.]*\s*-?\s*(?:km|kilomet(?:re|er)s?|miles?|mi|met(?:re|er)s?|feet|foot|ft|yards?)\b",
    re.IGNORECASE,
)

#: Answer types that ask for a date, by the precision they ask for.
DATE_TYPES = ("date", "month", "year")
# Times that answer "when" besides ``DATE_IN_TEXT``'s modern calendar dates: historical years
# ("in 1273", "1066", "430 BC"), decades, centuries and seasons of a year; and, less precise,
# quarters and news's weekdays. With modern years alone, answerable questions of the SQuAD
# training articles ("When was the Duchy of Normandy founded?": 911) read as unanswered about as
# often as the same check caught unanswerable ones. A number followed by a plural ("1200 ships",
# "in 120 countries"), a unit or a percentage counts something; it dates nothing.
_NOT_A_COUNT = r"(?![\w%]|-[a-z]|[.,]\d|\s*(?:%|per\b)|\s+(?!(?:was|as|is|his|this|its|has)\b)[a-z]+s\b)"
_YEARS = re.compile(
    r"\b\d{1,4}\s*(?:BCE?|AD|CE|B\.C\.|A\.D\.)(?!\w)|\b(?:AD|A\.D\.)\s*\d{1,4}\b"
    rf"|\b(?:in|by|since|until|till|from|before|after|around|circa|c\.|year)\s+(?:the\s+year\s+)?\d{{3,4}}{_NOT_A_COUNT}"
    rf"|(?<![\w$€£¥₹.,/-])1\d{{3}}{_NOT_A_COUNT}"
    r"|\b[12]\d{2}0s\b|['’]\d0s\b"
    rf"|\b(?:\d{{1,2}}(?:st|nd|rd|th)|{'|'.join(_ORDINAL_WORDS)}|twenty-first)[- ]centur(?:y|ies)\b"
    r"|\b(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?\d{3,4}\b",
    re.IGNORECASE,
)
_YEARLESS = re.compile(
    r"\b(?:first|second|third|fourth|last|final)\s+quarter\b|\bQ[1-4]\b"
    r"|\b(?:on|from|by|until|till|since|next|last|this|before|after)\s+"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
# A time of day answers "when does the ferry leave?" ("6.15 in the morning", "at noon", "4pm"), not
# "which year".
_YEARLESS_OR_TIME = re.compile(
    rf"{_YEARLESS.pattern}|{CLOCK.pattern}"
    r"|\b(?:in the (?:morning|afternoon|evening)|at (?:night|noon|midnight|dawn|dusk))\b",
    re.IGNORECASE,
)
# News gives the day without the year its dateline already gives ("On 23 July, India announced",
# "the meeting on May 16"), and the month alone ("his term ends in May", "licences required
# starting August", "last March"). Month names are capitalised, so that "may" the verb is no month.
_DAY_WITHOUT_YEAR = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{CAPITALISED_MONTH})\b"
    rf"|\b(?:{CAPITALISED_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*%)"
)
_MONTH_WITHOUT_YEAR = re.compile(
    rf"\b(?i:in|by|until|till|since|from|before|after|during|early|late|mid|end of|beginning of|starting|"
    rf"beginning|effective|as of|through|last|next|this)[\s-]+"
    rf"(?:{CAPITALISED_MONTH})\b"
)

# A share or a rate: "over 90%", "12 per cent".
# "24pc" as British papers and Argus write it, close up to its figure ("2 PC" is a computer).
_PERCENT = re.compile(rf"(?:\d|\b(?:{NUMBER_WORD}|zero))\s*(?:%|per ?cent\b|pct\b)|\dpc\b", re.IGNORECASE)
# Rates given as percentages: "the tariff rate", not an exchange rate or a heart rate.
_RATES = (
    r"(?:tariff|interest|tax|growth|inflation|duty|success|failure|unemployment|royalty|vat|levy|withholding"
    r"|mortgage|lending|deposit|savings|discount|participation|employment|poverty|literacy|mortality|vacancy"
    r"|occupancy|utili[sz]ation|recycling|recovery|default|approval|vaccination|infection|response)"
)
_ASKS_PERCENT = re.compile(
    r"\b(?:what|which) (?:percentage|per ?cent|proportion|share)\b|\bhow many per ?cent\b"
    # A rate asked for, not one that only names a policy: "What interest rate applies?", not
    # "What did the bank end besides its negative interest rate policy?".
    # Nor "Which country has the highest tax rate?" or "What did she say about the tax rate?".
    r"|\b(?:what|which|how high|how low)\b(?:\s+(?!(?:say|said|says|about|has|have|had)\b)[\w'’-]+){0,4}?\s+"
    rf"{_RATES} rates?\b"
    r"(?!\s+(?:polic(?:y|ies)|cuts?(?!\s+(?:to|by)\b)|hikes?|decisions?|regimes?|paths?|outlook"
    r"|environment|differentials?|frameworks?|increases?|rises?|changes?|moves?|settings?|stance|risks?|swaps?"
    r"|markets?|futures|sensitivity|normali[sz]ation|models?|process(?:es)?|methods?|formulas?)\b)",
    re.IGNORECASE,
)
#: A question asking who wrote the source itself ("Who wrote the article?", "Who is the author of
#: the Reuters report?"), not who wrote a work the text discusses ("Who wrote Pan Tadeusz?").
_DOCUMENT = r"(?:article|paper|review|report|story|piece|analysis|statement|study|essay|column|commentary|op-ed|post|brief|note)"
# One noun phrase up to the document noun: "the Reuters report", not "the letter the article" or
# "the letter quoted in this article".
_SOURCE_PHRASE = (
    r"(?:the|this|that)\s+(?:(?!(?:the|a|an|that|which|who|this|these|those|its|their|in|on|by|from|about|with|at)\b)"
    rf"[\w'-]+\s+){{0,8}}?{_DOCUMENT}s?\b"
)
# "Who" opens the question, or the clause after its opening: "According to the Gazette, who wrote it?"
_ASKS_AUTHOR = re.compile(
    r"(?:^|[,;:]\s*|^\s*(?:so|and|but)\s+)"
    rf"who (?:wrote|authored|penned|(?:is|are|was|were) the (?:authors?|writers?) of)\s+{_SOURCE_PHRASE}"
    # The phrase ends the question, or what follows only says which source ("... on chip exports").
    r"(?=\s*[?.]*\s*$|\s+(?:on|about|from|of|by|in|published|dated|issued)\b)"
    r"|(?:^|[,;:]\s*)who (?:is|are|was|were) the (?:authors?|writers?)\s*\??\s*$"
    r"|\bwritten by whom\b",
    re.IGNORECASE,
)
#: A question asking when the source itself came out: "When was the Reuters report published?",
#: "What date was this statement issued?" (not when a release the text reports on was issued).
_ASKS_PUBLISHED = re.compile(
    rf"^\s*(?:when (?:was|were)|on what (?:date|day) (?:was|were)|what date (?:was|were))\s+{_SOURCE_PHRASE}"
    r"\s+(?:\w+\s+){0,6}?(?:published|released|issued|posted|dated|written|put out|out)\s*\??\s*$",
    re.IGNORECASE,
)
# What stands before a dateline's date: nothing, a day, or a place and a dash ("CAIRO – ").
_DATELINE_LEAD = re.compile(r"\W*(?:[A-Z][A-Za-z .'’,]{0,40}?\s*[–—-]+\s*)?(?:[A-Z][a-z]+day,?\s*)?")
#: The words by which a question asks when the source came out, looked for in no text: its date answers them.
PUBLICATION = frozenset({"published", "released", "issued", "posted", "dated", "written"})
# A sentence that says when it was put out: the same words, and a wire's "filed" and "updated".
_PUBLISHED_WORD = re.compile(rf"\b(?:{'|'.join(sorted(PUBLICATION | {'filed', 'updated'}))})\b", re.IGNORECASE)

#: The words by which a question asks for the author. They are not looked for in the text: a byline
#: answers them, and says none of them.
AUTHORSHIP = frozenset({"wrote", "written", "authored", "penned", "writer", "writers", "author", "authors"})

#: The answer types the source itself gives (its byline, its date), by the words that ask for
#: them: those words are looked for in no text.
ABOUT_THE_SOURCE = {"author": AUTHORSHIP, "published": PUBLICATION}

#: A sentence naming a source's author: a byline ("By Jane Doe"), "Corresponding author: ...", or
#: a line of names ending in a note mark ("Shreedebi Sahoo *"). A bare line of capitalised words
#: is not one: a headline in title case looks the same.
# A word of a name: capitalised letters ("Doe", "O'Neil") or an initial ("J."), not "S24" or "FY2024".
_NAME_WORD = r"[A-Z](?:[a-z][a-zA-Z'’-]*|\.)"
# A person's name: two words or more, with particles ("Jane de la Cruz").
_PERSON = rf"{_NAME_WORD}(?:\s+(?:(?:de|da|di|du|la|le|van|von|der|den|bin|al)\s+)*{_NAME_WORD})+"
_AUTHOR_LINE = re.compile(
    # "By Jane Doe | Reuters", "April 15, 2021 by Dan McCue": people first ("By Monday, ..." is not).
    rf"^\W*(?:{DAY_DATE_LEAD}\s*[|,–—-]?\s*)?(?i:by|written by)\s+{_PERSON}(?:(?:,\s*|\s+and\s+){_PERSON})*"
    r"\s*(?:$|[|,–—-]\s*\S)"
    r"|^\W*(?:[\w ]{0,30}\b(?i:authors?|writers?)\s*:\s*[A-Z])"
    # Names with note marks, each on its name or starred: "Shreedebi Sahoo *", "Ann Lee1, Bo Kim2".
    rf"|^{_PERSON}(?:\d{{1,2}}|\s*[*†‡]+)(?:(?:,\s*|\s+and\s+){_PERSON}(?:\d{{1,2}}|\s*[*†‡]+)?)*\s*$"
)

_PLACE_NOUNS = (
    r"(?:city|cities|country|countries|state|states|province|region|town|district|venue|place|location|capital)"
)
_ASKS_PLACE = re.compile(
    rf"\b(?:in|at|to) (?:what|which)(?: [\w-]+)?(?: [\w-]+)? {_PLACE_NOUNS}\b"
    # "Which countries signed" asks for actors; "which city hosted" for a place.
    r"|^\s*(?:what|which) (?:city|town|venue|place|location|capital)\b"
    r"|^\s*where\b.*\b(?:held|located|based|headquartered|hosted|built|situated|sited|take place|took place"
    r"|happen|happened|meet|met|convened|staged)\b",
    re.IGNORECASE,
)
# A place in running text ("in New Delhi", "at Tokyo", "near Chennai"; a month after "in" dates,
# it does not place) or closing an address ("Department of ..., Ravenshaw University, Cuttack.").
_PLACE = re.compile(
    rf"\b(?i:in|at|near)\s+(?:the\s+)?(?!(?i:{'|'.join(MONTHS)})\b)[A-Z][\w'’-]*"
    r"|,\s*[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?\.?\s*$"
)


_AUXILIARY = r"(?:is|was|are|were|did|does|do|will|would|has|have|had|can|could|should|shall|might|must)\b"
# "When B cells begin to replicate, what do they become?", "When time is short, this is what
# case?", "When the mill shut, was anyone hurt?": "when" before no verb (or "When exactly did")
# opens a clause, and the question is asked after its comma, not joined to it ("..., and why?").
_WHEN_CLAUSE = re.compile(
    rf"\s*when\s+(?!(?:\w+\s+)?{_AUXILIARY})[^?,]*,(?!\s*(?:and|or)\b)\s*"
    rf"(?:{_AUXILIARY}|[^?]*\b(?:what|which|who|whom|whose|how|where|why)\b)"
)


# "When" opening the question, or after "by", "until" or "since" right before its verb ("By when
# will it open?"; "From when the dam opened until 2020, how much ..." asks an amount), or so after
# a clause ("According to Reuters, when exactly did the plant restart?"; not "In 2020, when
# prices were high, how many ...").
_WHEN_ASKED = rf"(?:(?:by|until|till|since|from)\s+)?when\s+(?:(?:exactly|precisely|roughly)\s+)?{_AUXILIARY}"
_ASKS_WHEN = re.compile(rf"^\s*(?:when|on what (?:date|day)|what date)\b|^\s*{_WHEN_ASKED}|,\s*{_WHEN_ASKED}")
#: A sum asked of a clause ("What subsidy amount did Japan commit?"; group 1 names it); not "In
#: what capacity", "What kind of fine", nor what may be no figure ("What value does it place on ...").
AMOUNT = re.compile(
    rf"(?<!\bin )\bwhat\s+(?!(?:kind|type|sort|form)\s+of\b)((?:(?!{_AUXILIARY}|the\b)[^\W_][\w'’-]*\s+){{0,3}}?"
    rf"(?:amounts?|sums?|prices?|costs?|fees?|fines?|premiums?|subsid(?:y|ies)|lev(?:y|ies)|tariffs?|budgets?"
    rf"|revenues?|valuations?))\s+{_AUXILIARY}",
    re.IGNORECASE,
)
# A query of a few words, no question, ending in what it asks for: "Sizewell C cost", "Strategic
# Reserve start date", "Orsk tariff rate" (a share: not "exchange rate" nor a bare "ratio").
_KEYWORDS = re.compile(
    r"(?!(?i:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|can|could|will|would|has|have"
    r"|had|should|tell|give|list|explain|describe)\b)(?:(?:[\w.&'’-]+\s+){1,5}"
    r"(?i:(cost|costs|price|prices|value|amount|budget|capacity|size|output|revenue|revenues|population|total|number"
    rf"|count|date|deadline|percentage))|(?:[\w.&'’-]+\s+){{0,5}}(?i:{_RATES}\s+(rate)s?))\W*"
)
_KEYWORD_KINDS = {
    **dict.fromkeys(
        "cost price value amount budget capacity size output revenue population total number count".split(), "number"
    ),
    **dict.fromkeys(("date", "deadline"), "date"),
    **dict.fromkeys(("percentage", "rate"), "percent"),
}


def answer_type(question: str) -> str | None:
    """What kind of answer the question asks for.

    Args:
        question: the question as asked.

    Returns:
        ``"date"``, or ``"month"`` / ``"year"`` when the question names the precision it wants;
        ``"percent"`` (a share or a rate); ``"duration"``; ``"number"``; ``"place"``; ``"author"``
        (of the source itself: "Who wrote the article?"); ``"published"`` (when the source itself
        came out: its dateline or its date answers); or ``None``.
    """
    q = question.lower()
    if _ASKS_PUBLISHED.search(question):
        return "published"
    if re.search(r"\b(?:what|which) month\b|\bmonth and year\b|\byear and month\b", q):
        return "month"
    if re.search(r"\b(?:what|which) year\b", q):
        return "year"
    asks_when = _ASKS_WHEN.search(q) and not _WHEN_CLAUSE.match(q)
    if asks_when or re.search(r"\b(what|which) date\b", q):
        return "date"
    if _ASKS_PERCENT.search(question):
        return "percent"
    if _ASKS_LENGTH.search(question):
        return "number"
    if _ASKS_DURATION.search(question):
        return "duration"
    # "How big is the risk?" and "How far will reforms go?" may ask for no figure: not those.
    if measure_asked(question) or re.search(r"\bhow (?:many|much|heavy|tall|deep|wide|old|fast)\b|\bwhat number\b", q):
        return "number"
    if _ASKS_PLACE.search(question):
        return "place"
    if _ASKS_AUTHOR.search(question):
        return "author"
    keywords = _KEYWORDS.fullmatch(question.strip())
    return _KEYWORD_KINDS.get((keywords.group(1) or keywords.group(2)).lower().rstrip("s")) if keywords else None


def measure_asked(question: str) -> str | None:
    """The quantity ``question`` asks for by name ("annual budget", "toll revenue": ``MEASURE``,
    ``AMOUNT``), in lower case, or ``None``."""
    found = MEASURE.search(question) or AMOUNT.search(question)
    return found.group(1).lower() if found else None


def answer_fit(text: str, wants: str | None) -> float:
    """How well ``text`` holds the kind of answer asked for, 0 to 1.

    For "when", a day-precise date answers better than a month, and a month better than a year;
    a question asking for the year (or the month) is fully answered at that precision.

    Args:
        text: a sentence; it is read as ``running_text`` (citation markers and URLs dropped).
        wants: the kind of answer asked for (see ``answer_type``); ``None`` fits nothing.

    Returns:
        1.0 when ``text`` holds that kind of answer, a fraction for a date less precise than
        asked, else 0.0.
    """
    text = running_text(text)
    if wants in DATE_TYPES:
        # A page's timestamp ("March 12, 2023 04:46 pm | Updated 10:29 pm IST") dates the page, not
        # what is asked about (``published`` asks for it); a date alone may head a timeline's entry.
        fit = _date_fit(text, wants)
        return 0.0 if fit and timestamp(text) else fit
    if wants == "number":
        # A year dates something; it is not the count or share asked for.
        return 1.0 if _NUMBER.search(undated(text)) or _UNIT_FIGURE.search(text) else 0.0
    if wants == "percent":
        return 1.0 if _PERCENT.search(text) else 0.0
    if wants == "place":
        return 1.0 if _PLACE.search(text) else 0.0
    if wants == "duration":
        return 1.0 if _DURATION.search(text) else 0.0
    if wants == "author":
        return 1.0 if _AUTHOR_LINE.search(text.strip()) else 0.0
    if wants == "published":
        # The date the source came out: a dateline ("CAIRO – 7 December 2022: ...", "Posted 3 May
        # 2024"), not the date of an event it reports ("The telescope launched on 25 December 2021").
        first = DATE_IN_TEXT.search(text)
        dateline = first is not None and (
            _DATELINE_LEAD.fullmatch(text[: first.start()]) or _PUBLISHED_WORD.search(text)
        )
        return _date_fit(text, "date") if dateline else 0.0
    return 0.0


def _date_fit(text: str, wants: str) -> float:
    """``answer_fit`` of a running text for a date, month or year (``wants``)."""
    best = 0.0
    enough = {"date": 1.0, "month": 0.6, "year": 0.3}[wants]
    for match in DATE_IN_TEXT.finditer(text):
        g = match.groupdict()
        precision = 1.0 if g["d1"] or g["d2"] or g["iso"] else 0.6 if g["m3"] else 0.3
        best = max(best, 1.0 if precision >= enough else precision)
    if not best and _YEARS.search(text):
        best = 1.0 if wants == "year" else 0.3
    elif not best and _DAY_WITHOUT_YEAR.search(text):
        best = 0.0 if wants == "year" else 1.0
    elif not best and _MONTH_WITHOUT_YEAR.search(text):
        best = {"date": 0.6, "month": 1.0, "year": 0.0}[wants]
    elif not best and (_YEARLESS_OR_TIME if wants == "date" else _YEARLESS).search(text):
        best = 0.3
    return best


def has_count(text: str) -> bool:
    """Whether the sentence ``text`` gives a count or figure once its dates are set aside: "three",
    "12" or "1,200" outside a date; a year alone ("2014") is no count."""
    return bool(_CARDINAL.search(undated(text)) or _UNIT_FIGURE.search(text))


def ordinals(words: list[str]) -> set[str]:
    """The editions named among ``words`` (lower case, as ``tokens.words`` gives them), each as a
    word: {"first"} for "inaugural" or "1st"."""
    return {ORDINALS[w] for w in words if w in ORDINALS}
